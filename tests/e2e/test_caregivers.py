"""Caregivers through the whole bot: three chats on the fake Bot API, a virtual clock, real
actors and TinyDB files. Judged by what each chat received."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from medbot.storage import read_user
from tests.e2e.harness import Bot, utc

MUM, ANYA, BOB, EVE = 3001, 3002, 3003, 3004
BOT = "medbot_test_bot"


def start(make_bot: Callable[..., Bot], **overrides: object) -> Bot:
    return make_bot(start=utc(2026, 12, 7, 4, 0), bot_username=BOT, **overrides)  # 07:00 Moscow


def invite(bot: Bot, helper: int, name: str) -> None:
    """Mum asks for a link; the helper opens it and agrees."""
    bot.say(MUM, "/caregiver", first_name="Людмила")
    invitation = bot.telegram.last_bot_message(MUM)
    assert invitation is not None and invitation.text is not None
    link = next(word for word in invitation.text.split() if word.startswith(f"https://t.me/{BOT}?start="))
    share = next(button for row in invitation.buttons for button in row if button.url)
    assert share.url.startswith("https://t.me/share/url?url=")
    bot.say(helper, "/start " + link.split("start=")[1], first_name=name)
    question = bot.telegram.last_bot_message(helper)
    assert question is not None and "Людмила приглашает вас" in (question.text or "")
    bot.press(helper, next(data for data in question.callback_data if data.startswith(f"g:{MUM}:a:")))


def alerts(bot: Bot, chat: int) -> list[str]:
    return [text for text in bot.sent(chat) if "не отметил(а)" in text or "has not marked" in text]


def test_invite_accept_alert_remind_again_and_taken_after_the_alert(make_bot: Callable[..., Bot]) -> None:
    bot = start(make_bot)
    bot.say(MUM, "аспирин 100 мг в 8:00", first_name="Людмила")
    invite(bot, ANYA, "Аня")
    invite(bot, BOB, "Bob")
    assert "Аня теперь ваш помощник" in "\n".join(bot.sent(MUM)) and "Bob теперь ваш помощник" in bot.sent(MUM)[-1]
    assert "вы помощник — Людмила" in bot.sent(ANYA)[-1]
    bot.advance_to(utc(2026, 12, 7, 5, 59))  # 08:59: reminded, not yet reported
    assert any("аспирин" in text for text in bot.sent(MUM)) and alerts(bot, ANYA) == []
    bot.advance_to(utc(2026, 12, 7, 6, 0))  # 09:00
    [alert] = alerts(bot, ANYA)
    assert "Людмила" in alert and "08:00" in alert and "аспирин 100 мг" in alert
    assert len(alerts(bot, BOB)) == 1
    reminders_before = len([text for text in bot.sent(MUM) if "аспирин" in text])
    bot.advance(timedelta(minutes=5))
    bot.press(ANYA, next(data for data in bot.telegram.last_bot_message(ANYA).callback_data if ":r:" in data))
    assert len([text for text in bot.sent(MUM) if "аспирин" in text]) == reminders_before + 1
    bot.advance(timedelta(minutes=10))
    bot.say(MUM, "выпила")
    assert any("принято в 09:15" in text for text in bot.sent(ANYA))
    assert any("принято в 09:15" in text for text in bot.sent(BOB))
    bot.advance_to(utc(2026, 12, 7, 12, 0))
    assert len(alerts(bot, ANYA)) == 1 and len(alerts(bot, BOB)) == 1  # one alert per dose, ever


def test_view_revoke_and_a_stranger_with_forged_buttons(make_bot: Callable[..., Bot]) -> None:
    bot = start(make_bot)
    bot.say(MUM, "аспирин 100 мг в 8:00 и конкор 5 мг в 20:00", first_name="Людмила")
    invite(bot, ANYA, "Аня")
    bot.press(ANYA, f"g:{MUM}:v")
    assert "Расписание — Людмила" in bot.sent(ANYA)[-1] and "конкор" in bot.sent(ANYA)[-1].lower()
    bot.say(ANYA, "а что мама сегодня принимает?")
    assert "Людмила, сегодня" in bot.sent(ANYA)[-1]
    bot.say(EVE, "привет")
    sent_to_eve = len(bot.sent(EVE))
    bot.telegram.push_callback(EVE, f"g:{MUM}:v", None, require_button=False)
    bot.telegram.push_callback(EVE, f"gx:{ANYA}", None, require_button=False)
    bot.say(EVE, "расписание мамы")
    assert all("конкор" not in text.lower() for text in bot.sent(EVE)[sent_to_eve:])
    assert [link.user_id for link in read_user(bot.settings.data_dir, MUM).caregivers] == [ANYA]
    bot.say(MUM, "/caregiver")
    remove = next(data for data in bot.telegram.last_bot_message(MUM).callback_data if data == f"gx:{ANYA}")
    bot.press(MUM, remove)
    assert "убрал(а) вас из помощников" in bot.sent(ANYA)[-1]
    assert read_user(bot.settings.data_dir, MUM).caregivers == ()
    assert read_user(bot.settings.data_dir, ANYA).caring_for == ()
    bot.press(ANYA, f"g:{MUM}:v", message_id=bot.message_with(ANYA, f"g:{MUM}:v"))
    assert "Расписание" not in bot.sent(ANYA)[-1]


def test_delete_me_ends_the_links_and_an_alert_survives_a_restart_without_repeating(
        make_bot: Callable[..., Bot]) -> None:
    bot = start(make_bot)
    bot.say(MUM, "аспирин в 8:00", first_name="Людмила")
    invite(bot, ANYA, "Аня")
    bot.advance_to(utc(2026, 12, 7, 6, 0))
    assert len(alerts(bot, ANYA)) == 1
    bot.stop()
    again = start(make_bot)
    again.advance_to(utc(2026, 12, 7, 8, 0))
    assert len(alerts(again, ANYA)) == 1
    again.say(MUM, "/delete_me")
    again.press(MUM, next(data for data in again.telegram.last_bot_message(MUM).callback_data if data.startswith("dm:yes")))
    assert "удалил(а) свои данные" in again.sent(ANYA)[-1]
    assert read_user(again.settings.data_dir, ANYA).caring_for == ()


def test_a_caregiver_who_blocked_the_bot_is_reported_once(make_bot: Callable[..., Bot]) -> None:
    bot = start(make_bot)
    bot.say(MUM, "аспирин в 8:00 и в 12:00", first_name="Людмила")
    invite(bot, ANYA, "Аня")
    bot.telegram.block_user(ANYA, notify=False)
    bot.advance_to(utc(2026, 12, 7, 10, 0))  # both alerts due: 09:00 and 13:00
    told = [text for text in bot.sent(MUM) if "заблокировал(а) бота" in text]
    assert len(told) == 1 and "Аня" in told[0]


def test_a_caregiver_changes_the_schedule_only_with_the_second_grant(make_bot: Callable[..., Bot]) -> None:
    bot = start(make_bot)
    bot.say(MUM, "аспирин 100 мг в 8:00", first_name="Людмила")
    invite(bot, ANYA, "Аня")
    bot.say(ANYA, "для мамы: конкор 5 мг в 20:00")
    assert "только с разрешения" in bot.sent(ANYA)[-1]
    bot.say(MUM, "/caregiver")
    allow = next(data for data in bot.telegram.last_bot_message(MUM).callback_data if data == f"gm:{ANYA}")
    bot.press(MUM, allow)
    bot.say(ANYA, "для мамы: конкор 5 мг в 20:00")
    mum = read_user(bot.settings.data_dir, MUM)
    assert mum is not None and sorted(med.name for med in mum.medications) == ["аспирин", "конкор"]
    assert "Аня изменил(а) ваше расписание" in bot.sent(MUM)[-1]
    assert read_user(bot.settings.data_dir, ANYA).medications == ()  # nothing landed in Anya's own schedule
