"""The recurrence core: on which local days each regimen kind has doses, what dose a day calls
for, when a course ends, and the agenda built from it (pure functions, no clock)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr

from medbot.core.doses import doses_on, scheduled_times
from medbot.core.model import (
    DoseRef,
    DoseStep,
    Medication,
    Pause,
    Regimen,
    Slot,
    User,
    new_user,
)
from medbot.core.regimen import (
    AgendaItem,
    agenda,
    dosage_on,
    finished,
    last_dose_day,
    next_dose_day,
    occurs_on,
    rrule_texts,
)
from tests.core.reminder_kit import FRI, MON, SAT, SUN, THU, TUE, WED
from tests.core.reminder_kit import ruled_med as med


def d(text: str) -> date:
    return date.fromisoformat(text)


def dose_days(medication: Medication, first: str, last: str) -> list[str]:
    """Every local date from `first` to `last` (inclusive) on which the medication has a dose."""
    day, end, found = d(first), d(last), []
    while day <= end:
        if occurs_on(medication, day):
            found.append(day.isoformat())
        day += timedelta(days=1)
    return found


# --- weekdays --------------------------------------------------------------------------------


def test_thursdays_only() -> None:
    thursdays = med(Regimen("weekdays", weekdays=(THU,)))
    assert dose_days(thursdays, "2026-01-01", "2026-01-31") == [
        "2026-01-01",
        "2026-01-08",
        "2026-01-15",
        "2026-01-22",
        "2026-01-29",
    ]


def test_monday_wednesday_friday() -> None:
    mwf = med(Regimen("weekdays", weekdays=(FRI, MON, WED)), start="2026-01-05")
    assert dose_days(mwf, "2026-01-01", "2026-01-18") == [
        "2026-01-05",
        "2026-01-07",
        "2026-01-09",
        "2026-01-12",
        "2026-01-14",
        "2026-01-16",
    ]


def test_every_day_except_sunday() -> None:
    no_sunday = med(Regimen("weekdays", weekdays=(MON, TUE, WED, THU, FRI, SAT)))
    days = dose_days(no_sunday, "2026-01-01", "2026-03-31")
    assert all(d(day).weekday() != SUN for day in days)
    assert len(days) == 90 - 13  # 1 January - 31 March 2026 has 13 Sundays
    assert scheduled_times(no_sunday, d("2026-01-04")) == ()  # a Sunday
    assert scheduled_times(no_sunday, d("2026-01-05")) == ("09:00",)


def test_a_weekday_rule_has_no_dose_before_the_medication_starts() -> None:
    thursdays = med(Regimen("weekdays", weekdays=(THU,)), start="2026-01-10")
    assert dose_days(thursdays, "2026-01-01", "2026-01-20") == ["2026-01-15"]


# --- every N days ------------------------------------------------------------------------------


def test_every_other_day_counts_from_its_anchor() -> None:
    other = med(Regimen("every_n_days", interval=2, anchor="2026-01-02"), start="2026-01-01")
    assert dose_days(other, "2025-12-28", "2026-01-12") == [
        "2026-01-02",
        "2026-01-04",
        "2026-01-06",
        "2026-01-08",
        "2026-01-10",
        "2026-01-12",
    ]


def test_every_four_days_across_a_month_end() -> None:
    four = med(Regimen("every_n_days", interval=4, anchor="2026-01-23"))
    assert dose_days(four, "2026-01-20", "2026-02-12") == [
        "2026-01-23",
        "2026-01-27",
        "2026-01-31",
        "2026-02-04",
        "2026-02-08",
        "2026-02-12",
    ]


def test_every_n_days_without_an_anchor_counts_from_the_first_slot() -> None:
    other = med(Regimen("every_n_days", interval=2), start="2026-01-03")
    assert dose_days(other, "2026-01-01", "2026-01-09") == [
        "2026-01-03",
        "2026-01-05",
        "2026-01-07",
        "2026-01-09",
    ]


@pytest.mark.parametrize(
    ("interval", "anchor", "expected"),
    [
        (2, "2028-02-25", ["2028-02-25", "2028-02-27", "2028-02-29", "2028-03-02", "2028-03-04"]),
        (3, "2028-02-23", ["2028-02-23", "2028-02-26", "2028-02-29", "2028-03-03"]),
        # Not a leap year: 28 February is followed by 1 March.
        (2, "2027-02-26", ["2027-02-26", "2027-02-28", "2027-03-02", "2027-03-04"]),
    ],
)
def test_every_n_days_crosses_the_leap_day(interval: int, anchor: str, expected: list[str]) -> None:
    regular = med(Regimen("every_n_days", interval=interval, anchor=anchor), start=anchor)
    assert dose_days(regular, anchor, expected[-1]) == expected


# --- monthly -----------------------------------------------------------------------------------


def test_monthly_on_the_first() -> None:
    first = med(Regimen("monthly", month_day=1), start="2026-01-01")
    assert dose_days(first, "2026-01-01", "2026-12-31") == [
        f"2026-{month:02d}-01" for month in range(1, 13)
    ]


@pytest.mark.parametrize(
    ("month_day", "feb_2027", "feb_2028", "april"),
    [
        (31, "2027-02-28", "2028-02-29", "2027-04-30"),
        (30, "2027-02-28", "2028-02-29", "2027-04-30"),
        (29, "2027-02-28", "2028-02-29", "2027-04-29"),
    ],
)
def test_monthly_late_in_the_month_falls_back_to_a_short_months_last_day(
    month_day: int, feb_2027: str, feb_2028: str, april: str
) -> None:
    monthly = med(Regimen("monthly", month_day=month_day), start="2027-01-01")
    days = dose_days(monthly, "2027-01-01", "2028-12-31")
    months = [day[:7] for day in days]
    assert months == sorted(set(months)) and len(months) == 24  # exactly one dose a month
    assert feb_2027 in days and feb_2028 in days and april in days
    for day in days:
        year, month, _ = map(int, day.split("-"))
        assert int(day[8:]) == min(month_day, monthrange(year, month)[1])


def test_monthly_on_the_31st_in_the_leap_year_2028() -> None:
    monthly = med(Regimen("monthly", month_day=31), start="2028-01-01")
    assert dose_days(monthly, "2028-01-01", "2028-06-30") == [
        "2028-01-31",
        "2028-02-29",
        "2028-03-31",
        "2028-04-30",
        "2028-05-31",
        "2028-06-30",
    ]


def test_monthly_on_the_last_day() -> None:
    last = med(Regimen("monthly", month_day=-1), start="2027-01-01")
    assert dose_days(last, "2027-01-01", "2028-03-31") == [
        date(year, month, monthrange(year, month)[1]).isoformat()
        for year, month in [(2027, m) for m in range(1, 13)] + [(2028, m) for m in range(1, 4)]
    ]
    assert "2028-02-29" in dose_days(last, "2028-02-01", "2028-02-29")


def test_monthly_without_a_day_uses_the_anchors_day() -> None:
    monthly = med(Regimen("monthly", anchor="2026-01-15"), start="2026-01-15")
    assert dose_days(monthly, "2026-01-01", "2026-04-30") == [
        "2026-01-15",
        "2026-02-15",
        "2026-03-15",
        "2026-04-15",
    ]


# --- every N hours -------------------------------------------------------------------------------


def test_every_eight_hours_holds_the_expanded_times_including_one_after_midnight() -> None:
    # Started on 4 May at 19:00: 19:00 that day, then 03:00, 11:00, 19:00 every day.
    eight = Medication(
        "m1",
        "амоксициллин",
        "амоксициллин",
        "500 мг",
        (Slot("03:00", "2026-05-05"), Slot("11:00", "2026-05-05"), Slot("19:00", "2026-05-04")),
        Regimen("every_n_hours", interval=8),
    )
    assert scheduled_times(eight, d("2026-05-03")) == ()
    assert scheduled_times(eight, d("2026-05-04")) == ("19:00",)
    assert scheduled_times(eight, d("2026-05-05")) == ("03:00", "11:00", "19:00")
    user = new_user(1, "ru", "Europe/Moscow").with_medications((eight,))
    assert doses_on(user, d("2026-05-06"))[0] == DoseRef("m1", "2026-05-06", "03:00")


# --- cycles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("on", "off", "periods"), [(21, 7, 3), (3, 2, 6)])
def test_a_cycle_repeats_its_days_on_and_off_over_several_periods(
    on: int, off: int, periods: int
) -> None:
    anchor = d("2026-01-05")
    cycle = med(
        Regimen("cycle", on_days=on, off_days=off, anchor=anchor.isoformat()), start="2026-01-05"
    )
    period = on + off
    for offset in range(-3, period * periods):
        day = anchor + timedelta(days=offset)
        assert occurs_on(cycle, day) == (offset >= 0 and offset % period < on), day


def test_three_on_two_off_by_date() -> None:
    cycle = med(Regimen("cycle", on_days=3, off_days=2, anchor="2026-02-26"), start="2026-02-26")
    assert dose_days(cycle, "2026-02-26", "2026-03-12") == [
        "2026-02-26",
        "2026-02-27",
        "2026-02-28",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-08",
        "2026-03-09",
        "2026-03-10",
    ]


# --- courses, one-offs, pauses, as needed ---------------------------------------------------------


def test_a_course_has_no_dose_after_its_last_day() -> None:
    course = med(until="2026-01-10")
    assert dose_days(course, "2026-01-01", "2026-01-31")[-1] == "2026-01-10"
    assert len(dose_days(course, "2026-01-01", "2026-01-31")) == 10
    assert scheduled_times(course, d("2026-01-11")) == ()
    assert next_dose_day(course, d("2026-01-09")) == d("2026-01-10")
    assert next_dose_day(course, d("2026-01-10")) is None
    assert last_dose_day(course) == d("2026-01-10")
    assert not finished(course, d("2026-01-10"))
    assert finished(course, d("2026-01-11"))


def test_a_weekly_course_ends_on_its_until_date() -> None:
    course = med(Regimen("weekdays", weekdays=(THU,)), until="2026-01-22")
    assert dose_days(course, "2026-01-01", "2026-02-28") == [
        "2026-01-01",
        "2026-01-08",
        "2026-01-15",
        "2026-01-22",
    ]
    assert next_dose_day(course, d("2026-01-22")) is None


def test_a_one_off_has_a_dose_on_its_date_only() -> None:
    once = med(Regimen("once", anchor="2026-03-17"), ("10:00",), start="2026-03-01")
    assert dose_days(once, "2026-01-01", "2026-12-31") == ["2026-03-17"]
    assert next_dose_day(once, d("2026-03-01")) == d("2026-03-17")
    assert next_dose_day(once, d("2026-03-17")) is None
    assert last_dose_day(once) == d("2026-03-17")
    assert not finished(once, d("2026-03-17")) and finished(once, d("2026-03-18"))


def test_no_doses_in_a_pause_and_doses_again_after_it() -> None:
    paused = med(pauses=(Pause("2026-01-05", "2026-01-07"), Pause("2026-01-20", "2026-01-20")))
    days = dose_days(paused, "2026-01-01", "2026-01-31")
    assert [day for day in days if day <= "2026-01-09"] == [
        "2026-01-01",
        "2026-01-02",
        "2026-01-03",
        "2026-01-04",
        "2026-01-08",
        "2026-01-09",
    ]
    assert "2026-01-20" not in days and "2026-01-19" in days and "2026-01-21" in days
    assert next_dose_day(paused, d("2026-01-04")) == d("2026-01-08")
    assert scheduled_times(paused, d("2026-01-06")) == ()


def test_a_pause_over_a_weekly_dose_moves_the_next_dose_a_week_on() -> None:
    weekly = med(Regimen("weekdays", weekdays=(THU,)), pauses=(Pause("2026-01-06", "2026-01-12"),))
    assert dose_days(weekly, "2026-01-01", "2026-01-31") == [
        "2026-01-01",
        "2026-01-15",
        "2026-01-22",
        "2026-01-29",
    ]
    assert next_dose_day(weekly, d("2026-01-01")) == d("2026-01-15")


def test_as_needed_has_no_scheduled_dose() -> None:
    prn = med(Regimen("as_needed", max_per_day=3))
    assert dose_days(prn, "2026-01-01", "2026-03-01") == []
    assert next_dose_day(prn, d("2026-01-01")) is None
    assert last_dose_day(prn) is None and not finished(prn, d("2030-01-01"))
    assert scheduled_times(prn, d("2026-01-02")) == ()


# --- next dose day -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regimen", "after", "expected"),
    [
        (Regimen("weekdays", weekdays=(THU,)), "2026-01-01", "2026-01-08"),
        (Regimen("weekdays", weekdays=(THU,)), "2026-01-05", "2026-01-08"),
        (Regimen("monthly", month_day=31), "2027-01-31", "2027-02-28"),
        (Regimen("monthly", month_day=31), "2028-02-28", "2028-02-29"),
        (Regimen("monthly", month_day=-1), "2026-12-31", "2027-01-31"),
        (Regimen("every_n_days", interval=4, anchor="2026-01-01"), "2026-01-01", "2026-01-05"),
        (Regimen("cycle", on_days=21, off_days=7, anchor="2026-01-01"), "2026-01-21", "2026-01-29"),
    ],
)
def test_next_dose_day(regimen: Regimen, after: str, expected: str) -> None:
    assert next_dose_day(med(regimen), d(after)) == d(expected)


def test_next_dose_day_of_a_medication_that_starts_later_is_its_first_dose_day() -> None:
    thursdays = med(Regimen("weekdays", weekdays=(THU,)), start="2026-02-02")
    assert next_dose_day(thursdays, d("2026-01-01")) == d("2026-02-05")


# --- dose steps ----------------------------------------------------------------------------------


def test_dose_steps_give_each_date_its_dosage() -> None:
    taper = med(
        dosage="40 мг",
        steps=(
            DoseStep("2026-01-08", "30 мг"),
            DoseStep("2026-01-15", "20 мг"),
            DoseStep("2026-01-22", "10 мг"),
        ),
    )
    assert dosage_on(taper, d("2026-01-01")) == "40 мг"
    assert dosage_on(taper, d("2026-01-07")) == "40 мг"
    assert dosage_on(taper, d("2026-01-08")) == "30 мг"
    assert dosage_on(taper, "2026-01-14") == "30 мг"
    assert dosage_on(taper, "2026-01-15") == "20 мг"
    assert dosage_on(taper, d("2026-01-22")) == "10 мг"
    assert dosage_on(taper, d("2026-06-01")) == "10 мг"
    assert dosage_on(med(dosage="5 мг"), d("2026-01-01")) == "5 мг"


# --- the agenda ----------------------------------------------------------------------------------


def agenda_user() -> User:
    """Week of Mon 5 - Sun 11 January 2026."""
    return new_user(7, "ru", "Europe/Berlin").with_medications(
        (
            med(name="аспирин", times=("08:00", "20:00"), dosage="100 мг", med_id="m1"),
            med(Regimen("weekdays", weekdays=(THU,)), ("09:00",), name="метотрексат", med_id="m2"),
            med(Regimen("as_needed", max_per_day=3), (), name="ибупрофен", med_id="m3"),
            med(
                name="преднизолон",
                med_id="m4",
                times=("07:00",),
                dosage="20 мг",
                steps=(DoseStep("2026-01-07", "10 мг"), DoseStep("2026-01-09", "5 мг")),
                pauses=(Pause("2026-01-10", "2026-01-10"),),
                until="2026-01-10",
            ),
            med(name="амоксициллин", med_id="m5", times=("12:00",), until="2026-01-04"),
            med(
                Regimen("every_n_days", interval=2, anchor="2026-01-05"),
                ("21:00",),
                name="витамин D",
                med_id="m6",
            ),
        )
    )


def test_the_agenda_lists_only_due_doses() -> None:
    items = agenda(agenda_user(), d("2026-01-05"), d("2026-01-11"))
    by_day: dict[str, list[tuple[str, str, str | None]]] = {}
    for item in items:
        by_day.setdefault(item.day.isoformat(), []).append((item.time, item.name, item.dosage))
    aspirin = [("08:00", "аспирин", "100 мг"), ("20:00", "аспирин", "100 мг")]
    assert by_day == {
        "2026-01-05": [("07:00", "преднизолон", "20 мг"), *aspirin, ("21:00", "витамин D", None)],
        "2026-01-06": [("07:00", "преднизолон", "20 мг"), *aspirin],
        "2026-01-07": [("07:00", "преднизолон", "10 мг"), *aspirin, ("21:00", "витамин D", None)],
        "2026-01-08": [
            ("07:00", "преднизолон", "10 мг"),
            ("08:00", "аспирин", "100 мг"),
            ("09:00", "метотрексат", None),
            ("20:00", "аспирин", "100 мг"),
        ],
        "2026-01-09": [("07:00", "преднизолон", "5 мг"), *aspirin, ("21:00", "витамин D", None)],
        "2026-01-10": aspirin,  # prednisolone paused on its last day
        "2026-01-11": [*aspirin, ("21:00", "витамин D", None)],
    }
    names = {item.name for item in items}
    assert "ибупрофен" not in names and "амоксициллин" not in names


def test_the_agenda_on_the_first_day_starts_at_not_before() -> None:
    items = agenda(agenda_user(), d("2026-01-08"), d("2026-01-09"), not_before="09:00")
    assert items[:3] == [
        AgendaItem(d("2026-01-08"), "09:00", "m2", "метотрексат", None),
        AgendaItem(d("2026-01-08"), "20:00", "m1", "аспирин", "100 мг"),
        AgendaItem(d("2026-01-09"), "07:00", "m4", "преднизолон", "5 мг"),
    ]


def test_the_agenda_of_a_finished_course_is_empty() -> None:
    user = new_user(7, "ru", "Europe/Berlin").with_medications((med(until="2026-01-04"),))
    assert agenda(user, d("2026-01-05"), d("2026-02-05")) == []
    assert len(agenda(user, d("2026-01-01"), d("2026-02-05"))) == 4


# --- RFC 5545 text -----------------------------------------------------------------------------


def test_rrule_texts_describe_the_same_days_as_occurs_on() -> None:
    cases = [
        med(Regimen("weekdays", weekdays=(MON, WED, FRI)), until="2026-03-31"),
        med(Regimen("every_n_days", interval=3, anchor="2026-01-02")),
        med(Regimen("monthly", month_day=31), start="2027-01-01"),
        med(Regimen("cycle", on_days=3, off_days=2, anchor="2026-01-01")),
        med(Regimen("once", anchor="2026-02-14")),
    ]
    for case in cases:
        texts = rrule_texts(case)
        assert texts
        days: set[str] = set()
        start = d(case.start)
        for first, text in texts:
            rule = rrulestr(text, dtstart=datetime_at(first))
            days |= {
                moment.date().isoformat()
                for moment in rule.between(datetime_at(start), datetime_at(start, 499), inc=True)
            }
        expected = dose_days(case, case.start, (start + timedelta(days=499)).isoformat())
        assert sorted(days) == expected, case.regimen
    assert rrule_texts(med(Regimen("weekdays", weekdays=(THU,))))[0][1] == "FREQ=WEEKLY;BYDAY=TH"
    assert rrule_texts(med(Regimen("as_needed"))) == ()


def datetime_at(day: date, plus_days: int = 0) -> datetime:
    moment = day + timedelta(days=plus_days)
    return datetime(moment.year, moment.month, moment.day)
