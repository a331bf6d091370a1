"""Adherence figures and the /stats text on the generated 30-day history of `month_user`
(figures worked out by hand from its description)."""

from __future__ import annotations

from datetime import datetime, timedelta

from medbot.core import tz
from medbot.core.stats import Adherence, medication_stats
from medbot.core.texts.stats import delay_text, render_stats
from tests.core.reminder_kit import BERLIN, month_user, person
from tests.core.reminder_kit import MONTH_NOW as NOW


def test_figures_per_medication_for_7_and_30_days() -> None:
    aspirin, vitamin, omega, magnesium = medication_stats(month_user(), NOW)
    assert [s.med_id for s in (aspirin, vitamin, omega, magnesium)] == ["m1", "m2", "m4", "m3"]

    week, month = dict(aspirin.windows)[7], dict(aspirin.windows)[30]
    assert (week.taken, week.skipped, week.missed) == (12, 1, 1)
    assert week.mean_delay == timedelta(minutes=20)
    assert round(week.share * 100) == 86
    assert (month.taken, month.skipped, month.missed) == (53, 4, 3)
    assert month.mean_delay == timedelta(minutes=(27 * 10 + 26 * 30) / 53)
    assert round(month.share * 100) == 88

    assert dict(vitamin.windows)[7] == Adherence(5, 0, 2, timedelta(0))
    assert dict(vitamin.windows)[30] == Adherence(24, 0, 6, timedelta(0))

    assert dict(omega.windows)[30] == Adherence(0, 0, 0, None)
    assert dict(omega.windows)[30].share is None

    assert (magnesium.name, magnesium.dosage) == ("магний", "400 мг")
    assert dict(magnesium.windows)[7].total == 0
    assert dict(magnesium.windows)[30] == Adherence(11, 0, 0, timedelta(minutes=-5))


def test_the_14_day_strip_shows_the_worst_ending_of_each_day() -> None:
    aspirin, vitamin, omega, magnesium = medication_stats(month_user(), NOW)
    # Days 17..30.
    assert aspirin.strip == (
        ("taken",) * 3 + ("missed", "skipped") + ("taken",) * 6 + ("skipped", "taken", "missed")
    )
    assert vitamin.strip == (
        ("taken",) * 3 + ("missed",) + ("taken",) * 4 + ("missed",) + ("taken",) * 4 + ("missed",)
    )
    assert omega.strip == ("none",) * 14
    assert magnesium.strip == ("taken",) * 4 + ("none",) * 10


def test_the_stats_text_in_russian() -> None:
    text = render_stats(month_user(), NOW).text
    assert text == (
        "Как вы принимаете лекарства\n\n"
        "💊 аспирин 200 мг\n"
        "7 дней: 86% (12 из 14), в среднем на 20 мин позже\n"
        "30 дней: 88% (53 из 60), в среднем на 20 мин позже\n"
        "14 дней: ✅✅✅❌⏭✅✅✅✅✅✅⏭✅❌\n\n"
        "💊 витамин D\n"
        "7 дней: 71% (5 из 7), вовремя\n"
        "30 дней: 80% (24 из 30), вовремя\n"
        "14 дней: ✅✅✅❌✅✅✅✅❌✅✅✅✅❌\n\n"
        "💊 омега\n"
        "7 дней: пока нет данных\n"
        "30 дней: пока нет данных\n"
        "14 дней: ➖➖➖➖➖➖➖➖➖➖➖➖➖➖\n\n"
        "💊 магний 400 мг\n"
        "7 дней: пока нет данных\n"
        "30 дней: 100% (11 из 11), в среднем на 5 мин раньше\n"
        "14 дней: ✅✅✅✅➖➖➖➖➖➖➖➖➖➖\n\n"
        "✅ принято · ⏭ пропущено · ❌ не отмечено · ➖ приёма не было"
    )


def test_the_stats_text_in_english() -> None:
    lines = render_stats(month_user("en"), NOW).text.split("\n")
    assert lines[:6] == [
        "How you take your medications",
        "",
        "💊 аспирин 200 мг",
        "7 days: 86% (12 of 14), on average 20 min late",
        "30 days: 88% (53 of 60), on average 20 min late",
        "14 days: ✅✅✅❌⏭✅✅✅✅✅✅⏭✅❌",
    ]
    assert lines[-1] == "✅ taken · ⏭ skipped · ❌ missed · ➖ no dose"


def test_windows_follow_the_persons_local_date() -> None:
    # 30 June 23:30 UTC is already 1 July in Berlin: day 1 (June) leaves the 30-day window...
    july = medication_stats(month_user(), datetime(2025, 6, 30, 23, 30, tzinfo=tz.UTC))
    assert dict(july[1].windows)[30].total == 29
    # ...and the strip moves on by one day, today (1 July) having no ended dose yet.
    assert july[1].strip[-1] == "none"


def test_nothing_to_show_yet() -> None:
    assert render_stats(person(BERLIN), NOW).text.startswith("Пока нечего считать")


def test_delay_wording() -> None:
    assert delay_text("ru", timedelta(seconds=29)) == "вовремя"
    assert delay_text("ru", timedelta(minutes=65)) == "в среднем на 1 ч 5 мин позже"
    assert delay_text("ru", timedelta(minutes=60)) == "в среднем на 1 ч позже"
    assert delay_text("en", timedelta(minutes=-12)) == "on average 12 min early"
