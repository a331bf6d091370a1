"""Regimens through the whole bot on a virtual clock, judged by what Telegram received:
reminders only on dose days, a course that ends with one question, a break, a cycle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from medbot.storage import read_user
from tests.e2e.harness import Bot, utc
from tests.e2e.test_reminders import history, reminders

OLGA = 3001
DAY = timedelta(days=1)


def reminded_days(bot: Bot, user_id: int) -> list[str]:
    """The local (Moscow) dates on which a reminder was sent, from the bot's own record."""
    return sorted({date for date, _, _ in history(bot, user_id)})


def test_a_weekly_drug_is_reminded_on_its_weekday_only(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 5, 0))  # Monday 08:00 Moscow
    bot.say(OLGA, "метотрексат 10 мг по четвергам в 9")
    assert "по четвергам в 09:00" in bot.telegram.bot_messages(OLGA)[-1].text
    for _ in range(14):
        bot.advance(DAY)
    sent = reminders(bot, OLGA)  # the first reminder and its hourly repeats, on two Thursdays only
    assert sent and all("метотрексат" in call.text for call in sent)
    # Unanswered, each is recorded missed once; the days between are neither missed nor taken.
    assert history(bot, OLGA) == [("2026-12-10", "09:00", "missed"), ("2026-12-17", "09:00", "missed")]


def test_a_course_stops_and_asks_once_whether_to_remove_it(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 5, 0))  # Monday 08:00 Moscow
    bot.say(OLGA, "цефиксим 400 мг в 9 в течение 3 дней")
    assert "до 9 декабря" in bot.telegram.bot_messages(OLGA)[-1].text
    for _ in range(6):
        bot.advance(DAY)
    assert reminded_days(bot, OLGA) == ["2026-12-07", "2026-12-08", "2026-12-09"]  # nothing after
    questions = [message for message in bot.telegram.bot_messages(OLGA) if "закончился" in message.text]
    assert len(questions) == 1 and "цефиксим" in questions[0].text.lower()
    yes = questions[0].callback_data[0]
    bot.press(OLGA, yes)  # days later: the question is still answerable
    assert read_user(bot.settings.data_dir, OLGA).medications == ()


def test_a_break_skips_the_day_and_keeps_the_schedule(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 5, 0))  # Monday 08:00 Moscow
    bot.say(OLGA, "аспирин в 9")
    bot.say(OLGA, "в среду не надо")
    assert "9 декабря" in bot.telegram.bot_messages(OLGA)[-1].text
    for _ in range(4):
        bot.advance(DAY)
    assert reminded_days(bot, OLGA) == ["2026-12-07", "2026-12-08", "2026-12-10"]
    assert [med.name for med in read_user(bot.settings.data_dir, OLGA).medications] == ["аспирин"]


def test_a_cycle_rests_on_its_off_days(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 5, 0))  # Monday 08:00 Moscow
    bot.say(OLGA, "ярина 3 дня пью 2 дня перерыв в 21:00")
    for _ in range(7):
        bot.advance(DAY)
    assert reminded_days(bot, OLGA) == ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-12", "2026-12-13"]


def test_as_needed_is_never_reminded_and_logged_when_taken(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 5, 0))
    bot.say(OLGA, "ибупрофен при головной боли не чаще 2 раз в сутки")
    bot.advance(DAY)
    assert reminders(bot, OLGA) == []
    for _ in range(3):
        bot.say(OLGA, "выпил ибупрофен")
        bot.advance(timedelta(minutes=5))
    last = bot.telegram.bot_messages(OLGA)[-1].text
    assert "3-й приём" in last and "максимум — 2" in last
    assert [status for *_, status in history(bot, OLGA)] == ["taken", "taken", "taken"]

