"""A past dose put right through the whole bot: yesterday's missed evening dose marked taken in
words, then /stats and the caregiver's view follow; "at 10, not 8" moves this morning's mark."""

from __future__ import annotations

from collections.abc import Callable

from medbot.storage import read_user
from tests.e2e.harness import Bot, utc

ANNA = 6001


def statuses(bot: Bot) -> dict[tuple[str, str], tuple[str, str | None]]:
    user = read_user(bot.settings.data_dir, ANNA)
    assert user is not None
    return {(r.dose.date, r.dose.time): (r.status, r.at) for r in user.history}


def test_yesterdays_dose_and_this_mornings_time_put_right(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 6, 4, 0))  # 07:00 Moscow
    bot.say(ANNA, "аспирин 100 мг в 8:00 и в 20:00")
    bot.advance_to(utc(2026, 12, 7, 4, 0))  # a day on: both of yesterday's doses ended unanswered
    assert statuses(bot)[("2026-12-06", "20:00")][0] == "missed"
    bot.say(ANNA, "вчера вечером тоже выпила")
    assert "Записал за вчера (06.12)" in bot.last_text(ANNA) and "20:00" in bot.last_text(ANNA)
    assert statuses(bot)[("2026-12-06", "20:00")] == ("taken", "2026-12-06T17:00:00+00:00")
    assert statuses(bot)[("2026-12-06", "08:00")][0] == "missed"
    bot.say(ANNA, "вчера выпила")
    assert "Какой приём вчера: 08:00, 20:00?" in bot.last_text(ANNA)
    bot.advance_to(utc(2026, 12, 7, 8, 0))  # 11:00: this morning's reminder is open
    bot.say(ANNA, "утреннюю выпила в 10, а не в 8")
    assert statuses(bot)[("2026-12-07", "08:00")] == ("taken", "2026-12-07T07:00:00+00:00")
    bot.say(ANNA, "/stats")
    stats = bot.sent(ANNA)[-1]  # the text; the chart picture follows it
    assert "7 дней: 67% (2 из 3), в среднем на 1 ч позже" in stats and stats.rstrip().count("✅") >= 1
