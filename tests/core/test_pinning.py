"""Pinning a said rule to dates: `pin`, `resolve_date`, `hourly_times`, `filled_steps`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from medbot.core import tz
from medbot.core.commands import DateRef, RegimenSpec, StepSpec
from medbot.core.model import DoseStep, Regimen
from medbot.core.pinning import MAX_AHEAD, Gap, Pinned, Refusal, filled_steps, hourly_times, pin, resolve_date

MOSCOW = "Europe/Moscow"
TODAY = date(2026, 11, 26)  # a Thursday
TOMORROW = TODAY + timedelta(days=1)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def iso(offset: int) -> str:
    return day(offset).isoformat()


def local_now(minute: str, on: date = TODAY, zone: str = MOSCOW) -> datetime:
    """The person's wall-clock reading (aware, in their zone) at a local date and minute."""
    return tz.local_datetime(zone, tz.to_instant(zone, on, minute))


def pin_at(
    spec: RegimenSpec | None, times: tuple[str, ...], minute: str = "12:00", on: date = TODAY,
    zone: str = MOSCOW,
) -> Pinned | Gap | Refusal:
    now = local_now(minute, on, zone)
    return pin(spec, times, now.date(), minute, now)


def pinned(spec: RegimenSpec | None, times: tuple[str, ...], minute: str = "12:00", on: date = TODAY) -> Pinned:
    result = pin_at(spec, times, minute, on)
    assert isinstance(result, Pinned), result
    return result


def test_the_fixed_today_is_a_thursday() -> None:
    assert TODAY.weekday() == 3


# ---------------------------------------------------------------- each kind


def test_no_rule_is_daily_from_today_while_a_time_is_still_ahead() -> None:
    found = pinned(None, ("09:00", "18:00"))
    assert found == Pinned(Regimen("daily"), None, (), TODAY, ("09:00", "18:00"))


def test_weekdays_are_sorted_and_deduplicated_and_anchored_on_the_first_day() -> None:
    found = pinned(RegimenSpec("weekdays", weekdays=(4, 0, 4)), ("09:00",), minute="08:00")
    assert found.regimen == Regimen("weekdays", weekdays=(0, 4), anchor=TODAY.isoformat())
    assert (found.until, found.steps, found.first_day, found.times) == (None, (), TODAY, ("09:00",))


def test_every_n_days_is_anchored_on_today_while_the_time_is_ahead() -> None:
    found = pinned(RegimenSpec("every_n_days", interval=3), ("09:00",), minute="08:00")
    assert found.regimen == Regimen("every_n_days", interval=3, anchor=iso(0))
    assert found.first_day == TODAY


def test_every_n_days_is_anchored_on_tomorrow_the_first_dose_day_when_the_time_passed() -> None:
    found = pinned(RegimenSpec("every_n_days", interval=2), ("09:00",), minute="21:30")
    assert found.regimen == Regimen("every_n_days", interval=2, anchor=iso(1))
    assert found.first_day == TOMORROW


def test_every_n_days_without_an_interval_is_every_other_day() -> None:
    assert pinned(RegimenSpec("every_n_days"), ("09:00",)).regimen.interval == 2


def test_monthly_keeps_its_day_of_month() -> None:
    found = pinned(RegimenSpec("monthly", month_day=15), ("09:00",), minute="08:00")
    assert found.regimen == Regimen("monthly", month_day=15, anchor=iso(0))
    assert found.until is None


def test_every_4_hours_from_07_00_is_six_times_a_day_including_03_00() -> None:
    found = pinned(RegimenSpec("every_n_hours", interval=4), ("07:00",))
    assert found.times == ("07:00", "11:00", "15:00", "19:00", "23:00", "03:00")
    assert found.regimen == Regimen("every_n_hours", interval=4, anchor=iso(0))
    assert found.first_day == TODAY  # 15:00, 19:00, 23:00 are still ahead at noon


def test_every_5_hours_from_07_00_is_five_times_a_day() -> None:
    found = pinned(RegimenSpec("every_n_hours", interval=5), ("07:00",))
    assert found.times == ("07:00", "12:00", "17:00", "22:00", "03:00")


def test_every_n_hours_late_in_the_day_with_every_time_passed_starts_tomorrow() -> None:
    found = pinned(RegimenSpec("every_n_hours", interval=8), ("07:00",), minute="23:30")
    assert found.times == ("07:00", "15:00", "23:00")
    assert found.first_day == TOMORROW
    assert found.regimen.anchor == iso(1)


@pytest.mark.parametrize(
    ("first", "hours", "expected"),
    [
        ("07:00", 4, ("07:00", "11:00", "15:00", "19:00", "23:00", "03:00")),
        ("07:00", 5, ("07:00", "12:00", "17:00", "22:00", "03:00")),
        ("07:30", 8, ("07:30", "15:30", "23:30")),
        ("22:15", 12, ("22:15", "10:15")),
        ("09:00", 24, ("09:00",)),
        ("09:00", 36, ("09:00",)),
        ("00:00", 6, ("00:00", "06:00", "12:00", "18:00")),
    ],
)
def test_hourly_times_cover_one_day_wrapping_past_midnight(first: str, hours: int, expected: tuple[str, ...]) -> None:
    assert hourly_times(first, hours) == expected


def test_a_cycle_keeps_its_on_and_off_days() -> None:
    found = pinned(RegimenSpec("cycle", on_days=21, off_days=7), ("09:00",), minute="08:00")
    assert found.regimen == Regimen("cycle", on_days=21, off_days=7, anchor=iso(0))


def test_as_needed_has_no_times_no_dates_and_keeps_its_daily_maximum() -> None:
    found = pinned(RegimenSpec("as_needed", max_per_day=3), ("09:00",), minute="23:59")
    assert found == Pinned(Regimen("as_needed", max_per_day=3), None, (), TODAY, ())


# ---------------------------------------------------------------- once


def test_once_on_a_later_weekday_is_that_day() -> None:
    found = pinned(RegimenSpec("once", start=DateRef("weekday", 5)), ("10:00",))
    assert found == Pinned(Regimen("once", anchor=iso(2)), None, (), day(2), ("10:00",))


def test_once_on_todays_weekday_before_the_time_is_today() -> None:
    found = pinned(RegimenSpec("once", start=DateRef("weekday", 3)), ("15:00",), minute="12:00")
    assert found.regimen == Regimen("once", anchor=iso(0))
    assert found.first_day == TODAY


def test_once_on_todays_weekday_after_the_time_is_next_week() -> None:
    found = pinned(RegimenSpec("once", start=DateRef("weekday", 3)), ("10:00",), minute="21:00")
    assert found.regimen == Regimen("once", anchor=iso(7))
    assert found.first_day == day(7)
    assert found.times == ("10:00",)


def test_once_at_exactly_the_current_minute_counts_as_passed() -> None:
    found = pinned(RegimenSpec("once", start=DateRef("weekday", 3)), ("21:00",), minute="21:00")
    assert found.first_day == day(7)


def test_once_today_after_the_time_is_refused_as_a_past_date() -> None:
    assert pin_at(RegimenSpec("once", start=DateRef("offset", 0)), ("10:00",), minute="21:00") == Refusal("past_date")


def test_once_without_a_day_after_the_time_is_refused_as_a_past_date() -> None:
    assert pin_at(RegimenSpec("once"), ("10:00",), minute="21:00") == Refusal("past_date")


def test_once_today_with_one_time_still_ahead_is_today() -> None:
    found = pinned(RegimenSpec("once", start=DateRef("offset", 0)), ("10:00", "22:00"), minute="21:00")
    assert found.regimen.anchor == iso(0)
    assert found.times == ("10:00", "22:00")


def test_once_tomorrow_is_tomorrow_whatever_the_minute() -> None:
    found = pinned(RegimenSpec("once", start=DateRef("offset", 1)), ("08:00",), minute="23:00")
    assert found.regimen == Regimen("once", anchor=iso(1))


def test_once_in_minutes_is_now_plus_the_minutes() -> None:
    found = pinned(RegimenSpec("once", in_minutes=30), (), minute="12:10")
    assert found == Pinned(Regimen("once", anchor=iso(0)), None, (), TODAY, ("12:40",))


def test_once_in_minutes_across_midnight_is_tomorrows_date() -> None:
    found = pinned(RegimenSpec("once", in_minutes=30), (), minute="23:50")
    assert found == Pinned(Regimen("once", anchor=iso(1)), None, (), TOMORROW, ("00:20",))


def test_once_in_minutes_ignores_the_times_of_the_message() -> None:
    found = pinned(RegimenSpec("once", in_minutes=120), ("09:00",), minute="12:00")
    assert found.times == ("14:00",)


def test_once_too_far_ahead_is_refused() -> None:
    far = RegimenSpec("once", start=DateRef("offset", MAX_AHEAD.days + 1))
    assert pin_at(far, ("09:00",)) == Refusal("too_far")


def test_once_on_a_date_of_a_past_year_is_refused_as_a_past_date() -> None:
    spec = RegimenSpec("once", start=DateRef("date", 5, month=1, year=2025))
    assert pin_at(spec, ("09:00",)) == Refusal("past_date")


def test_once_in_minutes_across_a_dst_change_is_an_elapsed_duration() -> None:
    berlin = "Europe/Berlin"
    spring = date(2026, 3, 29)
    found = pin_at(RegimenSpec("once", in_minutes=60), (), minute="01:30", on=spring, zone=berlin)
    assert isinstance(found, Pinned)
    assert found.times == ("03:30",)


# ---------------------------------------------------------------- courses and ends


def test_a_course_of_days_ends_days_minus_one_after_today() -> None:
    found = pinned(RegimenSpec(days=7), ("09:00",), minute="08:00")
    assert (found.first_day, found.until) == (TODAY, iso(6))


def test_a_course_whose_every_time_passed_today_starts_tomorrow_and_ends_a_day_later() -> None:
    found = pinned(RegimenSpec(days=7), ("09:00", "14:00"), minute="21:00")
    assert (found.first_day, found.until) == (TOMORROW, iso(7))


def test_a_course_with_one_time_still_ahead_starts_today() -> None:
    found = pinned(RegimenSpec(days=7), ("09:00", "22:00"), minute="21:00")
    assert (found.first_day, found.until) == (TODAY, iso(6))


def test_a_one_day_course_ends_on_its_first_day() -> None:
    found = pinned(RegimenSpec(days=1), ("09:00",), minute="21:00")
    assert (found.first_day, found.until) == (TOMORROW, iso(1))


def test_a_course_from_monday_for_14_days() -> None:
    found = pinned(RegimenSpec(start=DateRef("weekday", 0), days=14), ("09:00",))
    assert found.first_day == date(2026, 11, 30)
    assert found.until == "2026-12-13"


def test_a_later_start_is_not_moved_by_todays_clock() -> None:
    found = pinned(RegimenSpec("every_n_days", interval=2, start=DateRef("offset", 2)), ("09:00",), minute="23:00")
    assert found.first_day == day(2)
    assert found.regimen.anchor == iso(2)


def test_until_a_date_is_the_last_day_inclusive() -> None:
    found = pinned(RegimenSpec(until=DateRef("date", 10, month=12)), ("09:00",))
    assert found.until == "2026-12-10"


def test_until_a_date_earlier_this_year_means_next_year() -> None:
    found = pinned(RegimenSpec(until=DateRef("date", 10, month=1)), ("09:00",))
    assert found.until == "2027-01-10"


def test_until_today_after_the_time_is_refused_as_before_the_start() -> None:
    assert pin_at(RegimenSpec(until=DateRef("offset", 0)), ("09:00",), minute="21:00") == Refusal("end_before_start")


def test_until_before_the_start_is_refused() -> None:
    spec = RegimenSpec(start=DateRef("offset", 5), until=DateRef("date", 29, month=11))
    assert pin_at(spec, ("09:00",)) == Refusal("end_before_start")


def test_until_an_impossible_date_is_refused_as_a_past_date() -> None:
    spec = RegimenSpec(until=DateRef("date", 31, month=11))
    assert pin_at(spec, ("09:00",)) == Refusal("past_date")


def test_a_start_that_names_no_date_is_refused_as_a_past_date() -> None:
    spec = RegimenSpec(start=DateRef("date", 30, month=2))
    assert pin_at(spec, ("09:00",)) == Refusal("past_date")


@pytest.mark.parametrize(
    "spec",
    [
        RegimenSpec(start=DateRef("offset", MAX_AHEAD.days + 1)),
        RegimenSpec(days=MAX_AHEAD.days + 5),
        RegimenSpec(until=DateRef("date", 1, month=1, year=2030)),
    ],
)
def test_a_start_or_end_more_than_two_years_away_is_refused(spec: RegimenSpec) -> None:
    assert pin_at(spec, ("09:00",)) == Refusal("too_far")


# ---------------------------------------------------------------- steps (a taper)


def test_steps_with_lengths_become_dated_dose_steps_and_set_the_end() -> None:
    spec = RegimenSpec(steps=(StepSpec("20 мг", 3), StepSpec("10 мг", 3), StepSpec("5 мг", 2)))
    found = pinned(spec, ("09:00",), minute="08:00")
    assert found.steps == (
        DoseStep(iso(0), "20 мг"),
        DoseStep(iso(3), "10 мг"),
        DoseStep(iso(6), "5 мг"),
    )
    assert found.until == iso(7)


def test_steps_start_tomorrow_when_todays_time_passed() -> None:
    spec = RegimenSpec(steps=(StepSpec("20 мг", 2), StepSpec("10 мг", 2)))
    found = pinned(spec, ("09:00",), minute="21:00")
    assert found.steps == (DoseStep(iso(1), "20 мг"), DoseStep(iso(3), "10 мг"))
    assert found.until == iso(4)


def test_a_said_course_length_wins_over_the_steps_end() -> None:
    spec = RegimenSpec(days=10, steps=(StepSpec("20 мг", 3), StepSpec("10 мг", 3)))
    found = pinned(spec, ("09:00",), minute="08:00")
    assert found.until == iso(9)
    assert [step.start for step in found.steps] == [iso(0), iso(3)]


def test_a_step_without_a_length_after_one_with_lasts_as_long() -> None:
    spec = RegimenSpec(steps=(StepSpec("20 мг", 3), StepSpec("10 мг")))
    found = pinned(spec, ("09:00",), minute="08:00")
    assert found.steps == (DoseStep(iso(0), "20 мг"), DoseStep(iso(3), "10 мг"))
    assert found.until == iso(5)


def test_filled_steps_fills_a_missing_length_and_says_it_guessed() -> None:
    steps = (StepSpec("20 мг", 5), StepSpec("10 мг"), StepSpec("5 мг"))
    assert filled_steps(steps) == (
        (StepSpec("20 мг", 5), StepSpec("10 мг", 5), StepSpec("5 мг", 5)),
        True,
    )


def test_filled_steps_with_every_length_said_guesses_nothing() -> None:
    steps = (StepSpec("20 мг", 5), StepSpec("10 мг", 2))
    assert filled_steps(steps) == (steps, False)
    assert filled_steps(()) == ((), False)


def test_filled_steps_cannot_fill_a_first_step_without_a_length() -> None:
    steps = (StepSpec("20 мг"), StepSpec("10 мг", 3))
    assert filled_steps(steps) == (steps, False)


def test_a_first_step_without_a_length_is_asked_not_stored_ending_before_it_starts() -> None:
    spec = RegimenSpec(steps=(StepSpec("20 мг"), StepSpec("10 мг", 3)))
    assert pin_at(spec, ("09:00",), minute="08:00") == Gap("steps")


# ---------------------------------------------------------------- gaps


@pytest.mark.parametrize(
    ("spec", "times", "missing"),
    [
        (RegimenSpec("weekdays"), ("09:00",), "weekday"),
        (RegimenSpec("every_n_hours", interval=6), (), "first_time"),
        (RegimenSpec("every_n_hours", interval=6), ("08:00", "20:00"), "first_time"),
        (RegimenSpec(course=True), ("09:00",), "course_length"),
        (RegimenSpec("every_n_days", interval=2, course=True), ("09:00",), "course_length"),
        (RegimenSpec("monthly"), ("09:00",), "month_day"),
        (RegimenSpec(), (), "time"),
        (RegimenSpec("weekdays", weekdays=(1,)), (), "time"),
        (RegimenSpec("once", start=DateRef("offset", 1)), (), "time"),
        (None, (), "time"),
    ],
)
def test_what_is_missing_is_a_gap_never_a_guess(spec: RegimenSpec | None, times: tuple[str, ...], missing: str) -> None:
    assert pin_at(spec, times) == Gap(missing)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "spec",
    [
        RegimenSpec(course=True, days=5),
        RegimenSpec(course=True, until=DateRef("date", 10, month=12)),
        RegimenSpec(course=True, steps=(StepSpec("2 таб", 2), StepSpec("1 таб", 3))),
    ],
)
def test_a_course_with_a_length_has_no_gap(spec: RegimenSpec) -> None:
    assert isinstance(pin_at(spec, ("09:00",)), Pinned)


# ---------------------------------------------------------------- resolve_date


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (DateRef("offset", 0), TODAY),
        (DateRef("offset", 2), day(2)),
        (DateRef("weekday", 3), TODAY),  # Thursday on a Thursday: today
        (DateRef("weekday", 4), day(1)),
        (DateRef("weekday", 0), date(2026, 11, 30)),
        (DateRef("weekday", 2), date(2026, 12, 2)),  # Wednesday: six days on
        (DateRef("date", 26, month=11), TODAY),
        (DateRef("date", 5, month=12), date(2026, 12, 5)),
        (DateRef("date", 10, month=1), date(2027, 1, 10)),  # earlier this year: next year
        (DateRef("date", 25, month=11), date(2027, 11, 25)),  # yesterday: next year
        (DateRef("date", 5, month=3, year=2027), date(2027, 3, 5)),
        (DateRef("date", 29, month=2, year=2028), date(2028, 2, 29)),
        (DateRef("date", 26), TODAY),  # "26-го" on the 26th: today
        (DateRef("date", 30), date(2026, 11, 30)),  # "до 30 числа": this month's
        (DateRef("date", 15), date(2026, 12, 15)),  # the 15th has passed: next month's
        (DateRef("date", 31), date(2026, 12, 31)),  # November has no 31st: December's
    ],
)
def test_resolve_date(ref: DateRef, expected: date) -> None:
    assert resolve_date(ref, TODAY) == expected


@pytest.mark.parametrize(
    "ref",
    [
        DateRef("date", 29, month=2),  # 2026 and 2027 are not leap years
        DateRef("date", 29, month=2, year=2027),
        DateRef("date", 31, month=4),
        DateRef("date", 0, month=5),
    ],
)
def test_resolve_date_of_no_real_date_is_none(ref: DateRef) -> None:
    assert resolve_date(ref, TODAY) is None


def test_resolve_date_feb_29_in_a_leap_year_before_it() -> None:
    assert resolve_date(DateRef("date", 29, month=2), date(2028, 1, 10)) == date(2028, 2, 29)


def test_resolve_date_feb_29_after_it_in_a_leap_year_is_none() -> None:
    assert resolve_date(DateRef("date", 29, month=2), date(2028, 3, 1)) is None
