"""The reminder clock (`medbot.core.due`) under every regimen kind: weekly and every-N-days doses,
monthly ones at month ends and on leap days, cycles, courses, one-offs, pauses and dose steps,
across DST changes and a time-zone change, after an outage, and the "course ended" notice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbot.core import tz
from medbot.core.doses import doses_on, intake_of
from medbot.core.due import due_at, next_wake, plan
from medbot.core.effects import SendNotice
from medbot.core.model import DoseRef, DoseStep, Medication, Pause, Regimen, Slot, User, new_user
from medbot.core.reminders import press
from medbot.core.stats import medication_stats
from tests.core.reminder_kit import FRI, HOUR, MON, SAT, SUN, THU, TUE, WED, Driver, local, sends
from tests.core.reminder_kit import ruled_med as med

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
MOSCOW = "Europe/Moscow"
VLADIVOSTOK = "Asia/Vladivostok"
MAX_STEPS = 2000




def person(zone: str, *meds: Medication) -> User:
    return replace(new_user(42, "ru", zone), medications=meds, next_med=len(meds) + 1)


def notices(effects: tuple) -> list[SendNotice]:
    return [effect for effect in effects if isinstance(effect, SendNotice)]


def all_notices(driver: Driver) -> list[tuple[datetime, SendNotice]]:
    return [(when, notice) for when, result in driver.steps for notice in notices(result.effects)]


def take_open(driver: Driver, now: datetime, skip_days: frozenset[str] = frozenset()) -> None:
    """Press "all taken" under every open reminder at `now` (except doses of `skip_days`)."""
    for reminder in driver.user.reminders:
        if all(item.date in skip_days for item in reminder.doses):
            continue
        outcome = press(driver.user, f"a:{reminder.id}", now)
        driver.user = outcome.user
        driver.apply(now, outcome.effects)
    driver.wake = next_wake(driver.user, now, driver.repeat)


def run(
    driver: Driver,
    end: datetime,
    *,
    take: bool = True,
    skip_days: frozenset[str] = frozenset(),
) -> Driver:
    """Step from wake to wake up to `end`, as the Clock would; with `take`, every reminder is
    answered "taken" the moment it arrives. Every wake must lie after the previous step."""
    for _ in range(MAX_STEPS):
        if driver.wake is None or driver.wake > end:
            return driver
        previous = driver.steps[-1][0] if driver.steps else None
        assert previous is None or driver.wake > previous, "next_wake did not move on"
        now = driver.wake
        driver.step(now)
        if take:
            take_open(driver, now, skip_days)
    raise AssertionError("too many steps: a busy loop?")


def drive(
    user: User,
    start: datetime,
    end: datetime,
    *,
    take: bool = True,
    skip_days: frozenset[str] = frozenset(),
    repeat: timedelta = HOUR,
) -> Driver:
    driver = Driver(user, repeat=repeat)
    driver.step(start)
    if take:
        take_open(driver, start, skip_days)
    return run(driver, end, take=take, skip_days=skip_days)


def reminded(driver: Driver) -> list[DoseRef]:
    return sorted(driver.first_sent)


def assert_each_sent_once_on_time(driver: Driver) -> None:
    for item, instants in driver.first_sent.items():
        assert instants == [due_at(driver.user, item)], (item, instants)


def doses(med_id: str, days: list[str], *times: str) -> list[DoseRef]:
    return sorted(DoseRef(med_id, day, time) for day in days for time in times)


# --- each kind, driven through the clock --------------------------------------------------------


REGIMENS = [
    pytest.param(
        Regimen("weekdays", weekdays=(THU,)),
        "2026-01-01",
        "2026-01-31",
        ["2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22", "2026-01-29"],
        id="thursdays",
    ),
    pytest.param(
        Regimen("weekdays", weekdays=(MON, WED, FRI)),
        "2026-01-05",
        "2026-01-18",
        ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"],
        id="mon-wed-fri",
    ),
    pytest.param(
        Regimen("weekdays", weekdays=(MON, TUE, WED, THU, FRI, SAT)),
        "2026-01-03",
        "2026-01-12",
        ["2026-01-03", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
        + ["2026-01-10", "2026-01-12"],
        id="except-sunday",
    ),
    pytest.param(
        Regimen("every_n_days", interval=2, anchor="2026-01-30"),
        "2026-01-30",
        "2026-02-08",
        ["2026-01-30", "2026-02-01", "2026-02-03", "2026-02-05", "2026-02-07"],
        id="every-other-day",
    ),
    pytest.param(
        Regimen("every_n_days", interval=4, anchor="2026-01-28"),
        "2026-01-28",
        "2026-02-14",
        ["2026-01-28", "2026-02-01", "2026-02-05", "2026-02-09", "2026-02-13"],
        id="every-4-days",
    ),
    pytest.param(
        Regimen("every_n_days", interval=2, anchor="2028-02-25"),
        "2028-02-25",
        "2028-03-03",
        ["2028-02-25", "2028-02-27", "2028-02-29", "2028-03-02"],
        id="every-other-day-over-29-feb",
    ),
    pytest.param(
        Regimen("monthly", month_day=1),
        "2026-01-01",
        "2026-04-15",
        ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"],
        id="monthly-1",
    ),
    pytest.param(
        Regimen("monthly", month_day=31),
        "2028-01-01",
        "2028-05-15",
        ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"],
        id="monthly-31-leap",
    ),
    pytest.param(
        Regimen("monthly", month_day=31),
        "2027-01-01",
        "2027-05-15",
        ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"],
        id="monthly-31",
    ),
    pytest.param(
        Regimen("monthly", month_day=30),
        "2027-01-01",
        "2027-03-15",
        ["2027-01-30", "2027-02-28"],
        id="monthly-30",
    ),
    pytest.param(
        Regimen("monthly", month_day=29),
        "2028-01-01",
        "2028-03-15",
        ["2028-01-29", "2028-02-29"],
        id="monthly-29-leap",
    ),
    pytest.param(
        Regimen("monthly", month_day=-1),
        "2026-01-01",
        "2026-04-15",
        ["2026-01-31", "2026-02-28", "2026-03-31"],
        id="monthly-last",
    ),
    pytest.param(
        Regimen("cycle", on_days=3, off_days=2, anchor="2026-02-26"),
        "2026-02-26",
        "2026-03-12",
        ["2026-02-26", "2026-02-27", "2026-02-28", "2026-03-03", "2026-03-04", "2026-03-05"]
        + ["2026-03-08", "2026-03-09", "2026-03-10"],
        id="cycle-3-2",
    ),
    pytest.param(
        Regimen("once", anchor="2026-01-14"),
        "2026-01-01",
        "2026-01-31",
        ["2026-01-14"],
        id="once",
    ),
]


@pytest.mark.parametrize(("regimen", "first", "last", "expected"), REGIMENS)
def test_the_clock_reminds_exactly_the_regimens_days_once_each(
    regimen: Regimen, first: str, last: str, expected: list[str]
) -> None:
    user = person(BERLIN, med(regimen, ("09:00",), start=first))
    driver = drive(user, local(BERLIN, f"{first} 00:00"), local(BERLIN, f"{last} 23:59"))
    assert reminded(driver) == doses("m1", expected, "09:00")
    assert_each_sent_once_on_time(driver)
    # Only the regimen's days reach the history: off-days are never recorded (as missed or at all).
    assert sorted(record.dose for record in driver.user.history) == doses("m1", expected, "09:00")
    assert {record.status for record in driver.user.history} == {"taken"}


def test_a_21_on_7_off_cycle_over_three_periods() -> None:
    anchor = date(2026, 1, 5)
    user = person(BERLIN, med(Regimen("cycle", on_days=21, off_days=7, anchor="2026-01-05")))
    driver = drive(user, local(BERLIN, "2026-01-05 00:00"), local(BERLIN, "2026-03-29 23:59"))
    expected = [
        (anchor + timedelta(days=offset)).isoformat() for offset in range(84) if offset % 28 < 21
    ]
    assert len(expected) == 63
    assert reminded(driver) == doses("m1", expected, "09:00")
    assert_each_sent_once_on_time(driver)
    # The week off: the wake after the 21st day's dose is the first day of the next period.
    last_on = local(BERLIN, "2026-01-25 09:00")
    after_last_on = next(when for when, _ in driver.steps if when > last_on)
    assert after_last_on == local(BERLIN, "2026-02-02 09:00")


def test_every_eight_hours_reminds_each_expanded_time_including_03_00() -> None:
    # Started on 4 May at 19:00: then 03:00, 11:00 and 19:00 every day.
    eight = Medication(
        "m1",
        "амоксициллин",
        "амоксициллин",
        "500 мг",
        (Slot("03:00", "2026-05-05"), Slot("11:00", "2026-05-05"), Slot("19:00", "2026-05-04")),
        Regimen("every_n_hours", interval=8),
    )
    user = person(MOSCOW, eight)
    driver = drive(user, local(MOSCOW, "2026-05-04 18:00"), local(MOSCOW, "2026-05-06 23:59"))
    assert reminded(driver) == sorted(
        [DoseRef("m1", "2026-05-04", "19:00")]
        + doses("m1", ["2026-05-05", "2026-05-06"], "03:00", "11:00", "19:00")
    )
    assert_each_sent_once_on_time(driver)
    assert driver.first_sent[DoseRef("m1", "2026-05-05", "03:00")] == [
        local(MOSCOW, "2026-05-05 03:00")
    ]


def test_a_course_is_reminded_up_to_its_until_date_and_not_after() -> None:
    course = med(times=("08:00", "20:00"), start="2026-06-01", until="2026-06-03", dosage="500 мг")
    user = person(BERLIN, course)
    driver = drive(user, local(BERLIN, "2026-06-01 00:00"), local(BERLIN, "2026-06-10 23:59"))
    assert reminded(driver) == doses(
        "m1", ["2026-06-01", "2026-06-02", "2026-06-03"], "08:00", "20:00"
    )
    assert_each_sent_once_on_time(driver)
    assert [when for when, _ in all_notices(driver)] == [local(BERLIN, "2026-06-04 08:00")]
    assert driver.wake is None


def test_no_reminders_while_paused_and_reminders_again_after() -> None:
    paused = med(pauses=(Pause("2026-06-03", "2026-06-05"),), start="2026-06-01")
    driver = drive(
        person(BERLIN, paused), local(BERLIN, "2026-06-01 00:00"), local(BERLIN, "2026-06-08 23:59")
    )
    assert reminded(driver) == doses(
        "m1", ["2026-06-01", "2026-06-02", "2026-06-06", "2026-06-07", "2026-06-08"], "09:00"
    )
    paused_days = {"2026-06-03", "2026-06-04", "2026-06-05"}
    assert not any(record.dose.date in paused_days for record in driver.user.history)
    # From the last dose before the pause, the clock sleeps through it.
    wakes = [when for when, _ in driver.steps]
    assert local(BERLIN, "2026-06-06 09:00") in wakes
    assert not any(
        local(BERLIN, "2026-06-03 00:00") <= when < local(BERLIN, "2026-06-06 00:00")
        for when in wakes
    )


def test_a_paused_weekly_dose_is_not_reminded_and_the_clock_wakes_a_week_later() -> None:
    weekly = med(Regimen("weekdays", weekdays=(THU,)), pauses=(Pause("2026-06-10", "2026-06-12"),))
    driver = Driver(person(BERLIN, weekly))
    driver.step(local(BERLIN, "2026-06-08 12:00"))  # Monday; Thursday 11 June is paused
    assert driver.wake == local(BERLIN, "2026-06-18 09:00")
    run(driver, local(BERLIN, "2026-06-18 23:59"))
    assert reminded(driver) == [DoseRef("m1", "2026-06-18", "09:00")]


# --- dose steps in the reminder and the history -------------------------------------------------


def test_the_reminder_and_the_history_use_the_step_in_force_on_the_doses_date() -> None:
    taper = med(
        times=("08:00",),
        name="преднизолон",
        dosage="20 мг",
        start="2026-01-05",
        steps=(DoseStep("2026-01-07", "10 мг"), DoseStep("2026-01-09", "5 мг")),
    )
    user = person(BERLIN, taper)
    sixth = plan(user, local(BERLIN, "2026-01-06 08:00"), HOUR)
    # (the 5th's dose ended before this first look: it is recorded missed, not reminded)
    assert [s.reply.text for s in sends(sixth.effects)] == ["Пора принять:\n• преднизолон 20 мг"]
    seventh = plan(sixth.user, local(BERLIN, "2026-01-07 08:00"), HOUR)
    assert [s.reply.text for s in sends(seventh.effects)] == ["Пора принять:\n• преднизолон 10 мг"]
    # The doses of the 5th and 6th ended unanswered: their records keep the dose of their day.
    for day in ("2026-01-05", "2026-01-06"):
        record = intake_of(seventh.user, DoseRef("m1", day, "08:00"))
        assert record is not None and (record.status, record.dosage) == ("missed", "20 мг")
    [reminder] = seventh.user.reminders
    taken = press(seventh.user, f"t:{reminder.id}:m1", local(BERLIN, "2026-01-07 08:05"))
    record = intake_of(taken.user, DoseRef("m1", "2026-01-07", "08:00"))
    assert record is not None and (record.status, record.dosage) == ("taken", "10 мг")
    ninth = plan(taken.user, local(BERLIN, "2026-01-09 08:00"), HOUR)
    assert sends(ninth.effects)[-1].reply.text == "Пора принять:\n• преднизолон 5 мг"


# --- DST ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "sunday", "gap_end"),
    [
        (BERLIN, "2026-03-29", "2026-03-29T01:00:00+00:00"),
        (NEW_YORK, "2026-03-08", "2026-03-08T07:00:00+00:00"),
    ],
)
def test_spring_forward_a_sunday_dose_inside_the_gap_is_reminded_once_after_the_gap(
    zone: str, sunday: str, gap_end: str
) -> None:
    sundays = med(Regimen("weekdays", weekdays=(SUN,)), ("02:30",), start="2026-03-01")
    day = date.fromisoformat(sunday)
    wednesday = (day - timedelta(days=4)).isoformat()
    driver = Driver(person(zone, sundays))
    driver.step(local(zone, f"{wednesday} 12:00"))
    assert driver.wake == tz.from_iso(gap_end)  # the weekly dose, days ahead, inside the gap
    monday = (day + timedelta(days=1)).isoformat()
    run(driver, local(zone, f"{monday} 12:00"), take=False)
    assert driver.first_sent == {DoseRef("m1", sunday, "02:30"): [tz.from_iso(gap_end)]}
    assert intake_of(driver.user, DoseRef("m1", sunday, "02:30")).status == "missed"
    # Unanswered, it ended at midnight; the next Sunday has an ordinary 02:30 again.
    assert driver.steps[-1][0] == local(zone, f"{monday} 00:00")
    next_sunday = (day + timedelta(days=7)).isoformat()
    assert driver.wake == local(zone, f"{next_sunday} 02:30")


@pytest.mark.parametrize(
    ("zone", "sunday", "time", "first", "second"),
    [
        (BERLIN, "2026-10-25", "02:30", "2026-10-25T00:30:00+00:00", "2026-10-25T01:30:00+00:00"),
        (NEW_YORK, "2026-11-01", "01:30", "2026-11-01T05:30:00+00:00", "2026-11-01T06:30:00+00:00"),
    ],
)
@pytest.mark.parametrize("take", [False, True])
def test_fall_back_a_weekly_dose_at_a_repeated_time_is_reminded_once(
    zone: str, sunday: str, time: str, first: str, second: str, take: bool
) -> None:
    sundays = med(Regimen("weekdays", weekdays=(SUN,)), (time,), start="2026-10-01")
    day = date.fromisoformat(sunday)
    driver = drive(
        person(zone, sundays),
        local(zone, f"{(day - timedelta(days=3)).isoformat()} 12:00"),
        local(zone, f"{(day + timedelta(days=1)).isoformat()} 12:00"),
        take=take,
    )
    assert driver.first_sent == {DoseRef("m1", sunday, time): [tz.from_iso(first)]}
    new_messages = [s for _, _, s in driver.chat.sent if not s.reply.text.startswith("Напоминаю")]
    assert len(new_messages) == 1
    if take:
        assert len(driver.chat.sent) == 1  # answered: nothing at the second 01:30 / 02:30
    else:
        at_second = [result for when, result in driver.steps if when == tz.from_iso(second)]
        assert at_second and at_second[0].user.reminders[0].repeats == 1  # a repeat, not a new one


def test_every_other_day_keeps_its_local_time_across_both_dst_changes() -> None:
    other = med(Regimen("every_n_days", interval=2, anchor="2026-03-27"), ("08:00",))
    spring = drive(
        person(BERLIN, other), local(BERLIN, "2026-03-27 00:00"), local(BERLIN, "2026-03-31 23:59")
    )
    assert {item.date: at for item, [at] in spring.first_sent.items()} == {
        "2026-03-27": tz.from_iso("2026-03-27T07:00:00+00:00"),
        "2026-03-29": tz.from_iso("2026-03-29T06:00:00+00:00"),
        "2026-03-31": tz.from_iso("2026-03-31T06:00:00+00:00"),
    }
    autumn = drive(
        person(NEW_YORK, replace(other, regimen=replace(other.regimen, anchor="2026-10-30"))),
        local(NEW_YORK, "2026-10-30 00:00"),
        local(NEW_YORK, "2026-11-03 23:59"),
    )
    assert {item.date: at for item, [at] in autumn.first_sent.items()} == {
        "2026-10-30": tz.from_iso("2026-10-30T12:00:00+00:00"),
        "2026-11-01": tz.from_iso("2026-11-01T13:00:00+00:00"),
        "2026-11-03": tz.from_iso("2026-11-03T13:00:00+00:00"),
    }


# --- a time-zone change mid-course ---------------------------------------------------------------


def mwf_course() -> Medication:
    """Mon/Wed/Fri at 09:00 from Monday 4 May 2026 to Friday 15 May 2026."""
    return med(
        Regimen("weekdays", weekdays=(MON, WED, FRI)),
        ("09:00",),
        start="2026-05-04",
        until="2026-05-15",
        name="метотрексат",
    )


def test_moving_east_mid_course_keeps_local_days_and_ends_on_the_local_until() -> None:
    driver = drive(
        person(MOSCOW, mwf_course()),
        local(MOSCOW, "2026-05-04 00:00"),
        local(MOSCOW, "2026-05-08 10:00"),
    )
    # Friday 8 May 10:00 in Moscow is 17:00 in Vladivostok.
    moved_at = local(MOSCOW, "2026-05-08 10:00")
    driver.user = replace(driver.user, tz=VLADIVOSTOK)
    driver.wake = next_wake(driver.user, moved_at, HOUR)
    assert driver.wake == local(VLADIVOSTOK, "2026-05-11 09:00")
    run(driver, local(VLADIVOSTOK, "2026-05-20 23:59"))

    days = ["2026-05-04", "2026-05-06", "2026-05-08", "2026-05-11", "2026-05-13", "2026-05-15"]
    assert reminded(driver) == doses("m1", days, "09:00")
    assert all(len(instants) == 1 for instants in driver.first_sent.values())
    for day in days[:3]:
        assert driver.first_sent[DoseRef("m1", day, "09:00")] == [local(MOSCOW, f"{day} 09:00")]
    for day in days[3:]:
        assert driver.first_sent[DoseRef("m1", day, "09:00")] == [
            local(VLADIVOSTOK, f"{day} 09:00")
        ]
    assert [when for when, _ in all_notices(driver)] == [local(VLADIVOSTOK, "2026-05-16 09:00")]
    assert driver.wake is None


def test_moving_east_past_a_dose_time_reminds_it_once_late() -> None:
    driver = drive(
        person(MOSCOW, mwf_course()),
        local(MOSCOW, "2026-05-04 00:00"),
        local(MOSCOW, "2026-05-06 07:00"),
    )
    # Wednesday 6 May 07:00 in Moscow is 14:00 in Vladivostok: the 09:00 dose has passed there.
    moved_at = local(MOSCOW, "2026-05-06 07:00")
    driver.user = replace(driver.user, tz=VLADIVOSTOK)
    driver.wake = next_wake(driver.user, moved_at, HOUR)
    assert driver.wake == moved_at
    late = driver.step(moved_at)
    [send] = sends(late.effects)
    assert send.reply.text == (
        "Напоминание с опозданием — пора принять:\n• метотрексат — по расписанию в 09:00"
    )
    run(driver, local(VLADIVOSTOK, "2026-05-09 23:59"), take=False)
    assert driver.first_sent == {
        DoseRef("m1", "2026-05-04", "09:00"): [local(MOSCOW, "2026-05-04 09:00")],
        DoseRef("m1", "2026-05-06", "09:00"): [moved_at],
        DoseRef("m1", "2026-05-08", "09:00"): [local(VLADIVOSTOK, "2026-05-08 09:00")],
    }
    assert intake_of(driver.user, DoseRef("m1", "2026-05-06", "09:00")).status == "missed"
    assert intake_of(driver.user, DoseRef("m1", "2026-05-07", "09:00")) is None  # Thursday


def test_moving_west_after_a_dose_was_taken_does_not_remind_it_again() -> None:
    course = mwf_course()
    driver = drive(
        person(VLADIVOSTOK, course),
        local(VLADIVOSTOK, "2026-05-04 00:00"),
        local(VLADIVOSTOK, "2026-05-06 10:00"),
    )
    assert intake_of(driver.user, DoseRef("m1", "2026-05-06", "09:00")).status == "taken"
    # Wednesday 6 May 10:00 in Vladivostok is 03:00 in Moscow, six hours before 09:00 there.
    moved_at = local(VLADIVOSTOK, "2026-05-06 10:00")
    driver.user = replace(driver.user, tz=MOSCOW)
    driver.wake = next_wake(driver.user, moved_at, HOUR)
    assert driver.wake == local(MOSCOW, "2026-05-08 09:00")
    run(driver, local(MOSCOW, "2026-05-16 23:59"))
    assert all(len(instants) == 1 for instants in driver.first_sent.values())
    assert driver.first_sent[DoseRef("m1", "2026-05-06", "09:00")] == [
        local(VLADIVOSTOK, "2026-05-06 09:00")
    ]
    assert max(driver.first_sent) == DoseRef("m1", "2026-05-15", "09:00")
    assert [when for when, _ in all_notices(driver)] == [local(MOSCOW, "2026-05-16 09:00")]


# --- catch-up after an outage ----------------------------------------------------------------


def test_an_outage_over_off_days_records_only_the_dose_days_as_missed() -> None:
    other = med(Regimen("every_n_days", interval=2, anchor="2026-06-01"), ("09:00",))
    driver = drive(
        person(BERLIN, other), local(BERLIN, "2026-06-01 08:00"), local(BERLIN, "2026-06-01 09:30")
    )
    assert intake_of(driver.user, DoseRef("m1", "2026-06-01", "09:00")).status == "taken"
    # Down from 09:30 on 1 June until 12:00 on 5 June.
    back_at = local(BERLIN, "2026-06-05 12:00")
    back = driver.step(back_at)
    assert {record.dose.date: record.status for record in driver.user.history} == {
        "2026-06-01": "taken",
        "2026-06-03": "missed",
    }
    [send] = sends(back.effects)
    assert send.reply.text == (
        "Напоминание с опозданием — пора принять:\n• аспирин — по расписанию в 09:00"
    )
    assert plan(driver.user, back_at + timedelta(seconds=30), HOUR).effects == ()

    run(driver, local(BERLIN, "2026-06-08 23:59"), take=False)
    assert {record.dose.date: record.status for record in driver.user.history} == {
        "2026-06-01": "taken",
        "2026-06-03": "missed",
        "2026-06-05": "missed",
        "2026-06-07": "missed",
    }
    assert all(len(instants) == 1 for instants in driver.first_sent.values())
    assert sorted(item.date for item in driver.first_sent) == [
        "2026-06-01",
        "2026-06-05",
        "2026-06-07",
    ]


def test_an_outage_over_a_weekly_dose_records_it_missed_once() -> None:
    weekly = med(Regimen("weekdays", weekdays=(THU,)), ("09:00",))
    driver = drive(
        person(BERLIN, weekly), local(BERLIN, "2026-06-04 08:00"), local(BERLIN, "2026-06-04 10:00")
    )
    # Down from Thursday 4 June 10:00 until Monday 15 June 10:00: Thursday 11 June passes unseen.
    back_at = local(BERLIN, "2026-06-15 10:00")
    back = driver.step(back_at)
    assert back.effects == ()
    expected = [
        (DoseRef("m1", "2026-06-04", "09:00"), "taken"),
        (DoseRef("m1", "2026-06-11", "09:00"), "missed"),
    ]
    assert sorted((record.dose, record.status) for record in driver.user.history) == expected
    assert back.next_wake == local(BERLIN, "2026-06-18 09:00")
    again = plan(driver.user, back_at + timedelta(minutes=5), HOUR)
    assert again.effects == () and again.user.history == driver.user.history


# --- next_wake ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regimen", "now", "expected"),
    [
        (Regimen("weekdays", weekdays=(THU,)), "2026-06-01 10:00", "2026-06-04 09:00"),
        (Regimen("weekdays", weekdays=(THU,)), "2026-06-04 09:30", "2026-06-11 09:00"),
        (Regimen("monthly", month_day=31), "2027-01-31 09:30", "2027-02-28 09:00"),
        (
            Regimen("every_n_days", interval=4, anchor="2026-06-01"),
            "2026-06-01 09:30",
            "2026-06-05 09:00",
        ),
        (
            Regimen("cycle", on_days=21, off_days=7, anchor="2026-06-01"),
            "2026-06-21 09:30",
            "2026-06-29 09:00",
        ),
    ],
)
def test_next_wake_with_nothing_open_is_the_next_dose_days_instant(
    regimen: Regimen, now: str, expected: str
) -> None:
    driver = drive(
        person(BERLIN, med(regimen, ("09:00",), start="2026-06-01")),
        local(BERLIN, now) - timedelta(minutes=30),
        local(BERLIN, now),
    )
    assert driver.user.reminders == ()
    assert next_wake(driver.user, local(BERLIN, now), HOUR) == local(BERLIN, expected)


def test_next_wake_of_an_as_needed_only_person_is_none() -> None:
    user = person(BERLIN, med(Regimen("as_needed", max_per_day=4), ()))
    now = local(BERLIN, "2026-06-01 10:00")
    assert next_wake(user, now, HOUR) is None
    result = plan(user, now, HOUR)
    assert result.effects == () and result.next_wake is None


def test_next_wake_of_a_finished_course_is_its_notice_and_then_nothing() -> None:
    course = med(times=("08:00", "20:00"), start="2026-06-01", until="2026-06-03")
    driver = drive(
        person(BERLIN, course), local(BERLIN, "2026-06-01 00:00"), local(BERLIN, "2026-06-03 21:00")
    )
    now = local(BERLIN, "2026-06-03 21:00")
    notice_at = local(BERLIN, "2026-06-04 08:00")
    assert next_wake(driver.user, now, HOUR) == notice_at
    # Waking at the returned instant makes progress, and the next wake is later (here: never).
    result = plan(driver.user, notice_at, HOUR)
    assert len(notices(result.effects)) == 1
    assert result.next_wake is None
    assert next_wake(result.user, notice_at, HOUR) is None
    # A course that ended while other medications go on: the clock moves on to them.
    other = med(times=("12:00",), med_id="m2", name="магний")
    both = plan(driver.user.with_medications((*driver.user.medications, other)), notice_at, HOUR)
    assert both.next_wake == local(BERLIN, "2026-06-04 12:00")


def test_a_course_whose_end_passed_during_an_outage_is_noticed_at_once_not_in_a_loop() -> None:
    course = med(times=("08:00",), start="2026-06-01", until="2026-06-03")
    driver = drive(
        person(BERLIN, course), local(BERLIN, "2026-06-01 00:00"), local(BERLIN, "2026-06-02 09:00")
    )
    back_at = local(BERLIN, "2026-06-10 15:00")
    assert next_wake(driver.user, back_at, HOUR) == back_at  # overdue
    result = plan(driver.user, back_at, HOUR)
    assert len(notices(result.effects)) == 1
    assert intake_of(result.user, DoseRef("m1", "2026-06-03", "08:00")).status == "missed"
    assert result.next_wake is None


# --- the "course ended" notice --------------------------------------------------------------------


def ended_course_user() -> tuple[User, datetime]:
    course = med(
        times=("08:00", "20:00"),
        start="2026-06-01",
        until="2026-06-03",
        name="амоксициллин",
        dosage="500 мг",
    )
    driver = drive(
        person(BERLIN, course), local(BERLIN, "2026-06-01 00:00"), local(BERLIN, "2026-06-03 21:00")
    )
    return driver.user, local(BERLIN, "2026-06-04 08:00")


def test_the_course_end_is_told_once_with_two_buttons() -> None:
    user, notice_at = ended_course_user()
    early = plan(user, notice_at - timedelta(seconds=1), HOUR)
    assert notices(early.effects) == []
    assert not early.user.medications[0].end_noticed

    told = plan(early.user, notice_at, HOUR)
    [notice] = told.effects
    assert isinstance(notice, SendNotice)
    assert "амоксициллин" in notice.reply.text.casefold()
    assert sum(len(row) for row in notice.reply.buttons) == 2
    [course] = told.user.medications
    assert course.end_noticed

    again = plan(told.user, notice_at, HOUR)
    assert again.effects == ()
    later = plan(told.user, notice_at + timedelta(days=1), HOUR)
    assert later.effects == ()


def test_an_unreachable_person_gets_no_notice_and_the_clock_does_not_spin() -> None:
    user, notice_at = ended_course_user()
    result = plan(replace(user, unreachable=True), notice_at, HOUR)
    assert result.effects == ()
    assert result.next_wake is None or result.next_wake > notice_at


@pytest.mark.parametrize("take", [True, False])
def test_a_finished_one_off_is_removed_without_a_notice(take: bool) -> None:
    once = med(Regimen("once", anchor="2026-06-10"), ("10:00",), start="2026-06-01", name="вакцина")
    keep = med(Regimen("weekdays", weekdays=(MON,)), ("12:00",), med_id="m2", name="магний")
    driver = drive(
        person(BERLIN, once, keep),
        local(BERLIN, "2026-06-09 00:00"),
        local(BERLIN, "2026-06-12 23:59"),
        take=take,
    )
    assert driver.first_sent == {
        DoseRef("m1", "2026-06-10", "10:00"): [local(BERLIN, "2026-06-10 10:00")]
    }
    assert all_notices(driver) == []
    assert [m.id for m in driver.user.medications] == ["m2"]
    assert intake_of(driver.user, DoseRef("m1", "2026-06-10", "10:00")).status == (
        "taken" if take else "missed"
    )
    removed_at = next(
        when for when, result in driver.steps if result.user.medication("m1") is None
    )
    assert removed_at == local(BERLIN, "2026-06-11 10:00")
    assert driver.wake == local(BERLIN, "2026-06-15 12:00")


# --- adherence ------------------------------------------------------------------------------------


def weekly_history(skip_days: frozenset[str] = frozenset()) -> tuple[User, datetime]:
    weekly = med(Regimen("weekdays", weekdays=(THU,)), ("09:00",), start="2026-06-01")
    now = local(BERLIN, "2026-07-05 21:00")  # a Sunday
    driver = drive(
        person(BERLIN, weekly), local(BERLIN, "2026-06-01 00:00"), now, skip_days=skip_days
    )
    return driver.user, now


def test_a_weekly_medication_taken_on_every_due_day_is_100_percent() -> None:
    user, now = weekly_history()
    [stats] = medication_stats(user, now)
    week, month = dict(stats.windows)[7], dict(stats.windows)[30]
    assert (week.taken, week.skipped, week.missed) == (1, 0, 0)  # Thursday 2 July
    assert (month.taken, month.skipped, month.missed) == (4, 0, 0)  # 11, 18, 25 June, 2 July
    assert month.share == 1.0 and week.share == 1.0
    # 22 June - 5 July: doses on Thursdays 25 June and 2 July only.
    assert stats.strip == ("none",) * 3 + ("taken",) + ("none",) * 6 + ("taken",) + ("none",) * 3


def test_a_missed_weekly_dose_counts_once_and_off_days_stay_empty() -> None:
    user, now = weekly_history(frozenset({"2026-06-25"}))
    [stats] = medication_stats(user, now)
    month = dict(stats.windows)[30]
    assert (month.taken, month.skipped, month.missed) == (3, 0, 1)
    assert month.share == 0.75
    assert stats.strip == ("none",) * 3 + ("missed",) + ("none",) * 6 + ("taken",) + ("none",) * 3


# --- the wake-to-wake property, over every kind ---------------------------------------------------

ZONES = [BERLIN, NEW_YORK, MOSCOW, "Australia/Lord_Howe", "Pacific/Kiritimati", "+05:45"]
FIRST_DAYS = ["2026-03-06", "2026-03-27", "2026-10-23", "2026-10-30", "2028-02-25", "2027-04-27"]
PROPERTY_REPEAT = timedelta(hours=3)
"""Fewer repeats of unanswered doses keep these runs short; the rules do not depend on it."""
TIMES = st.sampled_from(["00:00", "01:30", "02:00", "02:30", "03:00", "09:15", "23:30", "23:59"])


def regimens(first: date) -> st.SearchStrategy[Regimen]:
    def day(low: int, high: int) -> st.SearchStrategy[str]:
        return st.integers(low, high).map(lambda n: (first + timedelta(days=n)).isoformat())

    return st.one_of(
        st.builds(
            lambda days: Regimen("weekdays", weekdays=tuple(sorted(days))),
            st.sets(st.integers(0, 6), min_size=1),
        ),
        st.builds(
            lambda n, anchor: Regimen("every_n_days", interval=n, anchor=anchor),
            st.integers(2, 5),
            day(-5, 3),
        ),
        st.builds(
            lambda n: Regimen("monthly", month_day=n), st.sampled_from([-1, 1, 28, 29, 30, 31])
        ),
        st.builds(
            lambda on, off, anchor: Regimen("cycle", on_days=on, off_days=off, anchor=anchor),
            st.integers(1, 4),
            st.integers(1, 3),
            day(-5, 3),
        ),
        st.builds(lambda anchor: Regimen("once", anchor=anchor), day(0, 8)),
        st.just(Regimen("as_needed")),
    )


@st.composite
def regimen_schedules(draw: st.DrawFn) -> tuple[User, datetime, bool]:
    zone = draw(st.sampled_from(ZONES))
    first = date.fromisoformat(draw(st.sampled_from(FIRST_DAYS)))
    meds = []
    for index in range(1, draw(st.integers(1, 3)) + 1):
        times = tuple(sorted(draw(st.sets(TIMES, min_size=1, max_size=2))))
        pauses: tuple[Pause, ...] = ()
        if draw(st.booleans()):
            pause_first = first + timedelta(days=draw(st.integers(0, 6)))
            pause_last = pause_first + timedelta(days=draw(st.integers(0, 3)))
            pauses = (Pause(pause_first.isoformat(), pause_last.isoformat()),)
        ends = st.integers(2, 9).map(lambda n: (first + timedelta(days=n)).isoformat())
        until = draw(st.none() | ends)
        meds.append(
            med(
                draw(regimens(first)),
                times,
                start=first.isoformat(),
                med_id=f"m{index}",
                name=f"лекарство {index}",
                pauses=pauses,
                until=until,
            )
        )
    start = tz.day_start(zone, first) - timedelta(minutes=draw(st.integers(1, 600)))
    return person(zone, *meds), start, draw(st.booleans())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regimen_schedules())
def test_every_dose_of_every_regimen_is_reminded_once_at_its_instant_and_nothing_else(
    schedule: tuple[User, datetime, bool],
) -> None:
    user, start, take = schedule
    end = start + timedelta(days=10)
    driver = drive(user, start, end, take=take, repeat=PROPERTY_REPEAT)
    first = tz.local_date(user.tz, start)
    expected = {
        item
        for offset in range(12)
        for item in doses_on(user, first + timedelta(days=offset))
        if start < due_at(user, item) <= end
    }
    assert set(driver.first_sent) == expected
    for item, instants in driver.first_sent.items():
        assert instants == [due_at(user, item)], (item, instants)
    # Nothing but real doses reaches the history, each once.
    recorded = [record.dose for record in driver.user.history]
    assert len(recorded) == len(set(recorded))
    assert set(recorded) <= expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    regimen_schedules(), st.integers(60, 8 * 24 * 60), st.sampled_from([VLADIVOSTOK, NEW_YORK])
)
def test_a_time_zone_change_at_any_instant_never_reminds_or_records_a_dose_twice(
    schedule: tuple[User, datetime, bool], minutes: int, new_zone: str
) -> None:
    user, start, take = schedule
    moved_at = start + timedelta(minutes=minutes)
    driver = drive(user, start, moved_at, take=take, repeat=PROPERTY_REPEAT)
    driver.user = replace(driver.user, tz=new_zone)
    driver.wake = next_wake(driver.user, moved_at, driver.repeat)
    if driver.wake is not None and driver.wake <= moved_at:
        driver.step(moved_at)  # what the move made overdue, at once
        if take:
            take_open(driver, moved_at)
    run(driver, start + timedelta(days=10), take=take)
    assert all(len(instants) == 1 for instants in driver.first_sent.values()), driver.first_sent
    recorded = [record.dose for record in driver.user.history]
    assert len(recorded) == len(set(recorded))
    for item in recorded:  # only days the regimen has doses on, in local dates
        assert item in doses_on(user, date.fromisoformat(item.date)), item


def test_as_needed_intakes_are_counted_not_scored_in_stats() -> None:
    from datetime import UTC, datetime

    from medbot.core.model import DoseRef, Intake, Medication, Regimen, new_user
    from medbot.core.stats import medication_stats
    from medbot.core.texts.stats import render_stats

    prn = Medication("m1", "ибупрофен", "ибупрофен", None, (), Regimen("as_needed", max_per_day=3))
    taken = tuple(
        Intake(DoseRef("m1", "2026-12-05", time), "taken", "2026-12-05T07:00:00+00:00", "ибупрофен")
        for time in ("10:00", "10:01")
    )
    user = replace(new_user(1, "ru", "Europe/Moscow"), medications=(prn,), history=taken)
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    [item] = medication_stats(user, now)
    assert item.as_needed and item.windows[0][1].taken == 2
    text = render_stats(user, now).text
    assert "по необходимости: 7 дней — 2 раза" in text and "%" not in text


def test_a_blocked_person_is_asked_about_the_ended_course_once_they_are_back() -> None:
    from datetime import UTC, datetime, timedelta

    from medbot.core.due import next_wake, plan
    from medbot.core.effects import SendNotice
    from medbot.core.model import Medication, Slot, new_user

    course = Medication("m1", "цефиксим", "цефиксим", "400 мг", (Slot("09:00", "2026-12-01"),), until="2026-12-03")
    user = replace(new_user(1, "ru", "Europe/Moscow"), medications=(course,), unreachable=True,
                   planned_until="2026-12-05T00:00:00+00:00")
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    repeat = timedelta(hours=1)
    blocked = plan(user, now, repeat)
    assert not any(isinstance(effect, SendNotice) for effect in blocked.effects)
    assert not blocked.user.medications[0].end_noticed  # not marked asked while nobody can read it
    assert blocked.next_wake is None or blocked.next_wake > now  # and no busy wake-up meanwhile
    back = plan(replace(blocked.user, unreachable=False), now + timedelta(days=2), repeat)
    assert [type(effect) for effect in back.effects].count(SendNotice) == 1
    assert back.user.medications[0].end_noticed
    assert next_wake(back.user, now + timedelta(days=2), repeat) is None
