"""A person's conversation with the running bot, checked by what the fake Bot API received
and by what is stored on disk."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

from medbot.storage import read_user
from tests.e2e.harness import Bot

ANNA = 1001
BORIS = 1002


def stored(bot: Bot, user_id: int):  # noqa: ANN201 - a User or None
    return read_user(bot.settings.data_dir, user_id)


def test_a_whole_conversation(bot: Bot) -> None:
    bot.say(ANNA, "/start")
    assert "Europe/Moscow" in bot.last_text(ANNA)

    bot.say(ANNA, "Добавь аспирин 200 мг в 10:00 и 18:00")
    assert bot.last_text(ANNA).startswith("Добавлено: аспирин 200 мг")
    user = stored(bot, ANNA)
    assert [(med.name, med.dosage, med.times) for med in user.medications] == [
        ("аспирин", "200 мг", ("10:00", "18:00"))
    ]

    bot.say(ANNA, "что я принимаю?")
    assert "Аспирин 200 мг — 10:00, 18:00" in bot.last_text(ANNA)

    bot.say(ANNA, "перенеси аспирин на 11")
    question = bot.telegram.bot_messages(ANNA)[-1]
    assert question.callback_data == ["c:1:0", "c:1:1"]  # which of the two times?
    bot.press(ANNA, "c:1:0")
    assert "11:00" in bot.last_text(ANNA)
    assert stored(bot, ANNA).medications[0].times == ("11:00", "18:00")

    bot.say(ANNA, "измени дозу аспирина на 100 мг")
    assert "100 мг" in bot.last_text(ANNA)
    assert stored(bot, ANNA).medications[0].dosage == "100 мг"

    bot.say(ANNA, "я теперь в Новосибирске")
    confirmation, late = bot.texts(ANNA)[-2:]
    assert "Asia/Novosibirsk" in confirmation
    # 09:00 in Moscow is 13:00 in Novosibirsk: the 11:00 dose there is past and unanswered.
    assert "с опозданием" in late and "11:00" in late
    assert stored(bot, ANNA).tz == "Asia/Novosibirsk"
    assert stored(bot, ANNA).medications[0].times == ("11:00", "18:00")  # times stay local

    bot.say(ANNA, "удали аспирин")
    assert "удал" in bot.last_text(ANNA).lower()
    assert stored(bot, ANNA).medications == ()

    # Every reply went to Anna's chat only, as plain text messages.
    senders = {call.chat_id for call in bot.telegram.calls("sendMessage")}
    assert senders == {ANNA}


def test_confirmation_only_after_the_data_is_on_disk(bot: Bot) -> None:
    bot.say(BORIS, "add ibuprofen 400 mg at 9 pm", language_code="en")
    assert bot.last_text(BORIS).startswith("Added: ibuprofen 400 mg")
    user = stored(bot, BORIS)
    assert user is not None and user.lang == "en"
    assert user.medications[0].times == ("21:00",)


def test_data_files_are_private(bot: Bot) -> None:
    bot.say(ANNA, "добавь витамин D в 9:30")
    data_dir = bot.settings.data_dir
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    files = [path for path in Path(data_dir).rglob("*") if path.is_file()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_two_people_do_not_see_each_other(bot: Bot) -> None:
    bot.say(ANNA, "добавь аспирин в 10")
    bot.say(BORIS, "add melatonin at 11 pm", language_code="en")
    bot.say(ANNA, "что я принимаю")
    bot.say(BORIS, "what do I take?", language_code="en")
    assert "аспирин" in bot.last_text(ANNA).lower() and "melatonin" not in bot.last_text(ANNA)
    assert "melatonin" in bot.last_text(BORIS).lower() and "аспирин" not in bot.last_text(BORIS)


def test_non_text_and_unknown_get_short_answers(bot: Bot) -> None:
    bot.send_sticker(ANNA)
    assert bot.last_text(ANNA)
    bot.say(ANNA, "закажи пиццу к 19:00")
    assert "/help" in bot.last_text(ANNA)
    assert stored(bot, ANNA) is None or stored(bot, ANNA).medications == ()


def test_a_forged_button_changes_nothing(bot: Bot) -> None:
    bot.say(ANNA, "добавь аспирин в 10")
    before = stored(bot, ANNA)
    for forged in ("t:99:m7", "c:5:0", "'; DROP TABLE users; --", "a:1", "x" * 64):
        bot.press(ANNA, forged, message_id=1, require_button=False)
    assert len(bot.telegram.answered_callbacks) == 5  # each press answered, none ignored
    after = stored(bot, ANNA)
    assert after.medications == before.medications and after.history == before.history


def test_a_poison_press_of_any_shape_is_a_stale_button_and_never_a_crash(bot: Bot) -> None:
    bot.say(ANNA, "добавь аспирин в 10")
    before = stored(bot, ANNA)
    poison = ("t:\ud800:1", "\udfff", "c:1:\ud83d", "a:" + "\ud800" * 30, "\x00\x01", "t:-1:-1",
              "c:99999999999999999999:0", "dm:yes:\ud800", "🙂" * 16)
    for data in poison:
        bot.press(ANNA, data, message_id=1, require_button=False)
    assert len(bot.telegram.answered_callbacks) == len(poison)
    assert bot.app.users_state.stats.restarts == 0  # nobody crashed, so nobody is parked
    after = stored(bot, ANNA)
    assert after.medications == before.medications and after.history == before.history
    bot.say(ANNA, "что я принимаю?")
    assert "Аспирин" in bot.last_text(ANNA)


def test_a_private_update_whose_chat_is_not_its_sender_is_not_trusted(bot: Bot) -> None:
    bot.say(ANNA, "добавь аспирин в 10")
    forged = {"message": {"message_id": 50, "date": 1, "text": "удали аспирин",
                          "from": {"id": BORIS, "is_bot": False, "first_name": "B"},
                          "chat": {"id": ANNA, "type": "private", "first_name": "A"}}}
    update = bot.telegram.push_update(forged)
    bot.say(BORIS, "/help")  # handed on after the forged one
    assert update["update_id"] < bot.telegram.calls("getUpdates")[-1].params.get("offset", 0)
    assert [med.name for med in stored(bot, ANNA).medications] == ["аспирин"]
    assert stored(bot, BORIS) is None or stored(bot, BORIS).medications == ()
    assert not any("удал" in text.lower() for text in bot.sent(ANNA))


def test_delete_me_erases_after_confirmation(bot: Bot) -> None:
    bot.say(ANNA, "добавь аспирин в 10")
    bot.say(ANNA, "/delete_me")
    buttons = bot.telegram.bot_messages(ANNA)[-1].callback_data
    yes = next(data for data in buttons if data.startswith("dm:yes"))
    bot.press(ANNA, yes)
    assert stored(bot, ANNA) is None
    bot.advance(timedelta(hours=2))  # no reminder for an erased person
    assert not any("10:00" in text and "Пора" in text for text in bot.sent(ANNA))


def test_the_systemd_status_line_is_fresh_every_time(bot: Bot) -> None:
    assert bot.app.status_line() == "active users 0, reminders sent today 0"
    bot.say(ANNA, "добавь аспирин в 10")
    assert bot.app.status_line().startswith("active users 1,")


def test_a_question_that_changes_nothing_is_not_written_to_disk(bot: Bot) -> None:
    bot.say(ANNA, "добавь аспирин в 10")
    bot.settle()  # the confirmation is delivered and struck off the outbox
    saves = bot.app.status()["persistence"]["saves"]
    for question in ("что я принимаю?", "/list", "что на сегодня", "/help", "what's next?"):
        bot.say(ANNA, question)
        assert bot.last_text(ANNA)  # answered
    bot.settle()
    assert bot.app.status()["persistence"]["saves"] == saves
    bot.say(ANNA, "добавь витамин D в 9:30")  # a real change still is, with its reply in the outbox
    bot.settle()
    assert bot.app.status()["persistence"]["saves"] == saves + 2  # and once more when it is delivered
