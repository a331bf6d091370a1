"""Reminders through the whole bot on a virtual clock, judged by what Telegram received."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PIL import Image

from medbot.storage import Change, UserStore, read_user
from tests.core.reminder_kit import med, person
from tests.e2e.harness import Bot, utc
from tests.waiting import wait_until

ANNA = 2001
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def reminders(bot: Bot, user_id: int) -> list:  # list[ApiCall]
    """Every reminder message sent (those with a "taken" button), oldest first."""
    return [
        call for call in bot.telegram.calls("sendMessage", chat_id=user_id, ok=True)
        if call.reply_markup and any(
            button.get("callback_data", "").startswith(("t:", "a:"))
            for row in call.reply_markup.get("inline_keyboard", []) for button in row
        )
    ]


def history(bot: Bot, user_id: int) -> list[tuple[str, str, str]]:
    user = read_user(bot.settings.data_dir, user_id)
    return [(record.dose.date, record.dose.time, record.status) for record in user.history]


def test_sent_at_the_exact_minute_with_grouping_and_buttons(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))  # 08:00 Moscow
    bot.say(ANNA, "добавь аспирин 200 мг и омепразол 20 мг в 9:30")
    bot.advance_to(utc(2026, 11, 26, 6, 29, 59))
    assert reminders(bot, ANNA) == []  # not a second early
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    [reminder] = reminders(bot, ANNA)
    assert "аспирин 200 мг" in reminder.text and "омепразол 20 мг" in reminder.text
    buttons = [b["text"] for row in reminder.reply_markup["inline_keyboard"] for b in row]
    assert any("аспирин" in text for text in buttons)
    assert any("омепразол" in text for text in buttons)
    assert any("все" in text.lower() or "всё" in text.lower() for text in buttons)
    assert any("15" in text for text in buttons)  # snooze
    assert len(buttons) == 5


def test_pressing_a_button_records_the_dose_and_edits_the_message(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))
    bot.say(ANNA, "добавь аспирин 200 мг и омепразол 20 мг в 9:30")
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    message = bot.telegram.bot_messages(ANNA)[-1]
    taken = next(data for data in message.callback_data if data.startswith("t:"))
    bot.advance(timedelta(minutes=4))
    bot.press(ANNA, taken)
    edited = bot.telegram.bot_messages(ANNA)[-1]
    assert edited.message_id == message.message_id and edited.edited
    assert "09:34" in edited.text
    assert len(edited.callback_data) < len(message.callback_data)
    assert bot.telegram.answered_callbacks
    statuses = history(bot, ANNA)
    assert statuses == [("2026-11-26", "09:30", "taken")]
    # Then the rest with "all".
    all_data = next((d for d in edited.callback_data if d.startswith(("a:", "t:"))), None)
    bot.press(ANNA, all_data)
    assert sorted(status for *_, status in history(bot, ANNA)) == ["taken", "taken"]
    bot.advance(2 * HOUR)
    assert len(reminders(bot, ANNA)) == 1  # answered: no repeat


def test_repeat_is_a_new_message_and_the_previous_is_deleted(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))
    bot.say(ANNA, "добавь аспирин в 9:30")
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    first = bot.telegram.bot_messages(ANNA)[-1]
    bot.advance(HOUR)
    sends = reminders(bot, ANNA)
    assert len(sends) == 2
    deleted = [int(call.params["message_id"]) for call in bot.telegram.calls("deleteMessage", ok=True)]
    assert first.message_id in deleted
    visible = [m for m in bot.telegram.bot_messages(ANNA) if m.callback_data]
    assert len(visible) == 1  # only the newest reminder is on screen


def test_snooze_and_skip(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))
    bot.say(ANNA, "добавь аспирин в 9:30")
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    snooze = next(d for d in bot.telegram.bot_messages(ANNA)[-1].callback_data if d.startswith("z:"))
    bot.press(ANNA, snooze)
    bot.advance(timedelta(minutes=14))
    assert len(reminders(bot, ANNA)) == 1
    bot.advance(MINUTE)
    assert len(reminders(bot, ANNA)) == 2  # again after 15 minutes
    skip = next(d for d in bot.telegram.bot_messages(ANNA)[-1].callback_data if d.startswith("s:"))
    bot.press(ANNA, skip)
    assert history(bot, ANNA) == [("2026-11-26", "09:30", "skipped")]
    bot.advance(3 * HOUR)
    assert len(reminders(bot, ANNA)) == 2


def test_next_dose_marks_the_unanswered_one_missed_and_removes_its_message(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0), repeat_minutes=180)
    bot.say(ANNA, "добавь аспирин в 9:00 и 11:00")
    bot.advance_to(utc(2026, 11, 26, 6, 0))
    first = bot.telegram.bot_messages(ANNA)[-1]
    bot.advance_to(utc(2026, 11, 26, 8, 0))  # the 11:00 dose comes before the 12:00 repeat
    assert ("2026-11-26", "09:00", "missed") in history(bot, ANNA)
    deleted = [int(call.params["message_id"]) for call in bot.telegram.calls("deleteMessage", ok=True)]
    assert first.message_id in deleted
    assert "11:00" in reminders(bot, ANNA)[-1].text or len(reminders(bot, ANNA)) == 2


def test_end_of_day_records_missed(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 16, 0))  # 19:00 Moscow
    bot.say(ANNA, "добавь аспирин в 21:00")
    bot.advance_to(utc(2026, 11, 26, 21, 30))  # 00:30 next day
    assert history(bot, ANNA) == [("2026-11-26", "21:00", "missed")]
    assert len(reminders(bot, ANNA)) == 3  # 21:00, 22:00, 23:00; none after midnight


def test_catch_up_after_a_five_hour_outage(make_bot) -> None:
    first = make_bot(start=utc(2026, 11, 26, 4, 0))  # 07:00 Moscow
    first.say(ANNA, "добавь аспирин в 8:00 и витамин D в 10:00 и магний в 13:00")
    first.advance_to(utc(2026, 11, 26, 5, 0))  # 08:00: aspirin reminded
    assert len(reminders(first, ANNA)) == 1
    first.stop()
    # Down from 08:00 to 13:00 Moscow; the 10:00 dose came due meanwhile.
    second = make_bot(start=utc(2026, 11, 26, 10, 0))
    late = reminders(second, ANNA)[1:]
    texts = [call.text for call in late]
    assert any("витамин D" in text and "опоздани" in text for text in texts)
    assert sum("витамин D" in text for text in texts) == 1  # once, not twice
    second.advance_to(utc(2026, 11, 26, 10, 0, 30))
    assert not any("магний" in text and "опоздани" in text for text in [c.text for c in reminders(second, ANNA)])
    assert any("магний" in call.text for call in reminders(second, ANNA))  # on time at 13:00


def test_restart_in_the_middle_of_repeats_neither_duplicates_nor_skips(make_bot) -> None:
    first = make_bot(start=utc(2026, 11, 26, 5, 0))
    first.say(ANNA, "добавь аспирин в 9:30")
    first.advance_to(utc(2026, 11, 26, 6, 30))
    first.advance_to(utc(2026, 11, 26, 7, 0))
    first.stop()
    second = make_bot(start=utc(2026, 11, 26, 7, 10))
    assert len(reminders(second, ANNA)) == 1  # nothing re-sent at start
    second.advance_to(utc(2026, 11, 26, 7, 29, 59))
    assert len(reminders(second, ANNA)) == 1
    second.advance_to(utc(2026, 11, 26, 7, 30))
    assert len(reminders(second, ANNA)) == 2  # the repeat, on time


def test_dst_spring_forward_in_berlin_sends_once_after_the_gap(make_bot) -> None:
    bot = make_bot(start=utc(2027, 3, 27, 12, 0))
    bot.say(ANNA, "часовой пояс Europe/Berlin")
    bot.say(ANNA, "добавь аспирин в 2:30")
    bot.advance_to(utc(2027, 3, 28, 0, 59))
    assert reminders(bot, ANNA) == []
    bot.advance_to(utc(2027, 3, 28, 1, 0))  # 03:00 CEST, the first instant after the gap
    assert len(reminders(bot, ANNA)) == 1


def test_dst_fall_back_in_new_york_sends_once(make_bot) -> None:
    bot = make_bot(start=utc(2026, 10, 31, 16, 0))
    bot.say(ANNA, "timezone America/New_York", language_code="en")
    bot.say(ANNA, "add aspirin at 1:30 am", language_code="en")
    taken_after = None
    bot.advance_to(utc(2026, 11, 1, 5, 30))  # 01:30 EDT, the first occurrence
    assert len(reminders(bot, ANNA)) == 1
    taken_after = reminders(bot, ANNA)[0]
    bot.press(ANNA, next(d for d in bot.telegram.bot_messages(ANNA)[-1].callback_data if d.startswith("t:")))
    bot.advance_to(utc(2026, 11, 1, 7, 0))  # past 01:30 EST, the second occurrence
    assert reminders(bot, ANNA) == [taken_after]


def test_extreme_zones_at_midnight_and_one_minute_before(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 0, 0))
    bot.say(3001, "часовой пояс Pacific/Kiritimati")  # UTC+14
    bot.say(3001, "добавь аспирин в 00:00 и 23:59")
    bot.say(3002, "часовой пояс Pacific/Pago_Pago")  # UTC-11
    bot.say(3002, "добавь аспирин в 00:00 и 23:59")
    bot.advance_to(utc(2026, 11, 27, 12, 0))
    for person in (3001, 3002):
        texts = [call.text for call in reminders(bot, person)]
        assert texts, person
    # Kiritimati's 00:00 on Nov 27 is 10:00 UTC on Nov 26; Pago Pago's is 11:00 UTC on Nov 27.
    kiritimati = reminders(bot, 3001)
    assert any(bot.sent_when_utc(call) == utc(2026, 11, 26, 10, 0) for call in kiritimati)
    pago = reminders(bot, 3002)
    assert any(bot.sent_when_utc(call) == utc(2026, 11, 27, 11, 0) for call in pago)
    assert any(bot.sent_when_utc(call) == utc(2026, 11, 27, 10, 59) for call in pago)


def test_time_zone_change_between_two_doses(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 4, 0))  # 07:00 Moscow
    bot.say(ANNA, "добавь аспирин в 8:00 и 20:00")
    bot.advance_to(utc(2026, 11, 26, 5, 0))
    bot.press(ANNA, next(d for d in bot.telegram.bot_messages(ANNA)[-1].callback_data if d.startswith("t:")))
    bot.advance_to(utc(2026, 11, 26, 9, 0))  # 12:00 Moscow
    bot.say(ANNA, "я в Красноярске")  # UTC+7: now 16:00 there
    bot.advance_to(utc(2026, 11, 26, 12, 59))
    assert len(reminders(bot, ANNA)) == 1  # the morning dose was taken: not re-sent
    bot.advance_to(utc(2026, 11, 26, 13, 0))  # 20:00 in Krasnoyarsk
    assert len(reminders(bot, ANNA)) == 2


def test_a_blocked_user_gets_no_reminders_until_they_write_again(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))
    bot.say(ANNA, "добавь аспирин в 9:30 и 11:30")
    bot.telegram.block_user(ANNA, notify=False)
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    blocked_attempts = len(bot.telegram.calls("sendMessage", chat_id=ANNA, ok=False))
    assert blocked_attempts == 1  # tried once, told 403, never retried
    bot.advance_to(utc(2026, 11, 26, 8, 0))
    assert len(bot.telegram.calls("sendMessage", chat_id=ANNA, ok=False)) == blocked_attempts
    assert read_user(bot.settings.data_dir, ANNA).unreachable
    bot.telegram.unblock_user(ANNA, notify=False)
    bot.say(ANNA, "привет")  # 11:00 Moscow
    assert not read_user(bot.settings.data_dir, ANNA).unreachable
    delivered = reminders(bot, ANNA)
    assert len(delivered) == 1 and "9:30" in delivered[0].text  # the open dose, at once
    bot.advance_to(utc(2026, 11, 26, 8, 30))
    assert bot.sent_when_utc(reminders(bot, ANNA)[-1]) == utc(2026, 11, 26, 8, 30)  # 11:30


def test_deleting_a_medication_removes_its_open_reminder(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))
    bot.say(ANNA, "добавь аспирин в 9:30")
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    reminder = bot.telegram.bot_messages(ANNA)[-1]
    bot.say(ANNA, "удали аспирин")
    deleted = [int(call.params["message_id"]) for call in bot.telegram.calls("deleteMessage", ok=True)]
    assert reminder.message_id in deleted
    bot.advance(3 * HOUR)
    assert len(reminders(bot, ANNA)) == 1


def test_text_done_updates_the_reminder_message(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))
    bot.say(ANNA, "добавь аспирин в 9:30")
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    reminder = bot.telegram.bot_messages(ANNA)[-1]
    bot.advance(timedelta(minutes=5))
    bot.say(ANNA, "выпила аспирин")
    assert history(bot, ANNA) == [("2026-11-26", "09:30", "taken")]
    edits = [call for call in bot.telegram.calls("editMessageText", ok=True)
             if int(call.params["message_id"]) == reminder.message_id]
    assert edits and "09:35" in edits[-1].text
    bot.advance(2 * HOUR)
    assert len(reminders(bot, ANNA)) == 1


def test_a_press_racing_the_send_confirmation_still_updates_the_message_in_place(make_bot) -> None:
    """Telegram shows the reminder before the bot hears back which message it is; the person
    presses at once. The message must still be edited in place, not deleted."""
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))
    bot.say(ANNA, "добавь аспирин в 9:30")
    bot.telegram.hang_next("sendMessage", 1.5)  # delivered now, answered late
    bot.clock.set(utc(2026, 11, 26, 6, 30).timestamp())
    assert wait_until(lambda: any(m.callback_data for m in bot.telegram.bot_messages(ANNA)), timeout=10)
    reminder = next(m for m in bot.telegram.bot_messages(ANNA) if m.callback_data)
    taken = next(d for d in reminder.callback_data if d.startswith("t:"))
    bot.press(ANNA, taken, message_id=reminder.message_id)
    shown = next(m for m in bot.telegram.bot_messages(ANNA) if m.message_id == reminder.message_id)
    assert shown.edited and "09:30" in shown.text and not shown.callback_data
    assert history(bot, ANNA) == [("2026-11-26", "09:30", "taken")]


def test_stats_after_three_days_taken_skipped_missed(make_bot) -> None:
    bot = make_bot(start=utc(2026, 11, 24, 5, 0))
    bot.say(ANNA, "добавь аспирин в 9:30")
    for day, answer in ((24, "t:"), (25, "s:"), (26, None)):
        bot.advance_to(utc(2026, 11, day, 6, 30))
        if answer:
            data = next(d for d in bot.telegram.bot_messages(ANNA)[-1].callback_data if d.startswith(answer))
            bot.press(ANNA, data)
    bot.advance_to(utc(2026, 11, 27, 5, 0))  # the 26th is over: its dose is missed
    assert [status for *_, status in history(bot, ANNA)] == ["taken", "skipped", "missed"]
    bot.say(ANNA, "как я принимаю лекарства?")
    stats = bot.sent(ANNA)[-1]  # the text; the chart picture follows it
    assert "аспирин" in stats.lower()
    assert "✅⏭❌" in stats  # the strip, oldest to newest
    assert "33%" in stats or "1 из 3" in stats or "1/3" in stats
    [picture] = bot.telegram.photos(ANNA)  # the days as a chart: a PNG picture after the text
    with Image.open(io.BytesIO(picture.content)) as image:
        assert (image.format, image.size) == ("PNG", (960, 540))
        colors = {color for _, color in image.getcolors(maxcolors=1 << 16) or []}
    assert {(67, 160, 71), (251, 192, 45), (229, 57, 53)} <= colors  # a taken, a skipped, a missed day
    caption = bot.telegram.bot_messages(ANNA)[-1].text or ""
    assert "принято 33% закончившихся доз" in caption


def test_a_reminder_of_130_medications_is_paged_and_telegram_refuses_nothing(
    make_bot: Callable[..., Bot], tmp_path: Path,
) -> None:
    meds = [med(f"m{n}", f"препарат номер {n}", ("09:00",), "1 таблетка") for n in range(1, 131)]
    with UserStore(tmp_path / "data") as store:  # stored before the bot starts, due at 09:00
        store.commit({ANNA: Change(replace(person("Europe/Moscow", *meds), id=ANNA), utc(2026, 11, 26, 6, 0).timestamp())})
    bot = make_bot(start=utc(2026, 11, 26, 5, 0))  # 08:00 Moscow
    bot.advance_to(utc(2026, 11, 26, 6, 0))
    assert not bot.telegram.calls("sendMessage", ok=False)
    [reminder] = reminders(bot, ANNA)
    message = bot.telegram.bot_messages(ANNA)[-1]
    assert "препарат номер 1 " in message.text and "препарат номер 21 " not in message.text
    assert "1 из 7" in message.text and "p:1:1" in message.callback_data
    bot.press(ANNA, "p:1:1")
    turned = bot.telegram.bot_messages(ANNA)[-1]
    assert turned.message_id == message.message_id and "препарат номер 21 " in turned.text
    assert "2 из 7" in turned.text and {"p:1:0", "p:1:2"} <= set(turned.callback_data)
    bot.press(ANNA, "t:1:m25")
    bot.press(ANNA, "a:1")
    today = [status for day, _, status in history(bot, ANNA) if day == "2026-11-26"]
    assert today == ["taken"] * 130
    before = len(bot.sent(ANNA))
    bot.say(ANNA, "/list")  # longer than one message can hold: sent in parts, between lines
    listed = "\n".join(bot.sent(ANNA)[before:])
    assert len(bot.sent(ANNA)) - before > 1
    assert all(f"номер {n} " in listed for n in range(1, 131))
    assert not bot.telegram.calls("sendMessage", ok=False) and not bot.telegram.calls("editMessageText", ok=False)


def test_a_reminder_telegram_refuses_is_said_plainly_once_and_not_retried(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0), admin_chat_id=9999)
    bot.say(ANNA, "добавь аспирин 200 мг в 9:30")
    bot.telegram.fail_next("sendMessage", 400, description="Bad Request: can't parse entities", chat_id=ANNA)
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    notice = bot.last_text(ANNA)
    assert "аспирин 200 мг" in notice and "принял" in notice
    bot.advance(3 * HOUR)
    assert len(bot.telegram.calls("sendMessage", chat_id=ANNA, ok=False)) == 1  # never retried
    assert reminders(bot, ANNA) == []
    assert sum("refused a reminder" in text for text in bot.sent(9999)) == 1
    bot.say(ANNA, "принял аспирин")
    assert ("2026-11-26", "09:30", "taken") in history(bot, ANNA)


def test_ready_only_once_every_stored_wake_up_is_armed(make_bot: Callable[..., Bot], tmp_path: Path) -> None:
    anna = replace(person("Europe/Moscow", med("m1", "аспирин", ("09:00",))), id=ANNA)
    with UserStore(tmp_path / "data") as store:
        store.commit({ANNA: Change(anna, utc(2026, 11, 26, 6, 0).timestamp())})
    bot = make_bot(start=utc(2026, 11, 26, 6, 0))  # the dose is due the instant the bot starts
    assert bot.app.status()["users"]["wake_index_armed"]
    bot.advance(timedelta(seconds=1))
    assert len(reminders(bot, ANNA)) == 1
