"""Which intakes leave the record for the archive, and that leaving never changes what the bot
does: the due computation, /stats and the whole history stay exactly as they were."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from medbot.core.due import next_wake
from medbot.core.history import full_history, split_history
from medbot.core.model import DoseRef, Intake, Reminder, Status, User
from medbot.core.reminders import press
from medbot.core.texts.stats import render_stats
from medbot.shell.settings import MIN_HISTORY_DAYS
from tests.core.reminder_kit import Driver, local, med, person, sends

KAMCHATKA = "Asia/Kamchatka"  # UTC+12: the local date runs half a day ahead of UTC's
DAY = timedelta(days=1)


def daily(zone: str, first: date, days: int, **fields: object) -> User:
    """One aspirin at 08:00, taken every day from `first` on."""
    user = person(zone, med("m1", "аспирин", ("08:00",), start=first.isoformat()), **fields)
    history = tuple(
        Intake(DoseRef("m1", day.isoformat(), "08:00"), "taken", None, "аспирин")
        for day in (first + n * DAY for n in range(days))
    )
    return replace(user, history=history)


def dates(records: tuple[Intake, ...]) -> list[str]:
    return [record.dose.date for record in records]


def test_intakes_older_than_keep_days_before_the_local_today_leave_in_history_order() -> None:
    user = daily(KAMCHATKA, date(2025, 1, 1), 100)  # 1 Jan .. 10 Apr
    now = local(KAMCHATKA, "2025-04-10 23:59")  # 11:59 UTC, the same UTC date as below
    kept, moved = split_history(user, now, 40)
    assert dates(kept.history)[0] == "2025-03-01"  # 10 Apr - 40 days
    assert dates(moved) == [(date(2025, 1, 1) + n * DAY).isoformat() for n in range(59)]
    assert (*moved, *kept.history) == user.history

    a_minute_later = local(KAMCHATKA, "2025-04-11 00:00")  # 12:00 UTC: a new local day
    kept, moved = split_history(user, a_minute_later, 40)
    assert dates(kept.history)[0] == "2025-03-02"
    assert dates(moved)[-1] == "2025-03-01"


def test_nothing_leaves_until_the_oldest_intake_is_a_week_past_the_limit() -> None:
    now = local(KAMCHATKA, "2025-04-10 12:00")
    first = date(2025, 4, 10) - timedelta(days=40 + 7)
    user = daily(KAMCHATKA, first, 48)
    same, moved = split_history(user, now, 40)
    assert same is user and moved == ()  # the very object: the actor sees "unchanged"

    older = daily(KAMCHATKA, first - DAY, 49)
    kept, moved = split_history(older, now, 40)
    assert dates(moved) == [(first - DAY + n * DAY).isoformat() for n in range(8)]
    assert len(kept.history) == 41  # 40 days back and today
    assert split_history(kept, now + 6 * DAY, 40) == (kept, ())  # and then a week of peace
    assert len(split_history(kept, now + 8 * DAY, 40)[1]) == 8


def test_an_intake_shown_in_an_open_reminder_stays_however_old() -> None:
    user = daily(KAMCHATKA, date(2025, 1, 1), 100)
    shown = user.history[3].dose
    reminder = Reminder(1, (shown,), "2025-01-04T00:00:00+00:00", "2025-01-04T01:00:00+00:00")
    now = local(KAMCHATKA, "2025-04-10 12:00")
    kept, moved = split_history(replace(user, reminders=(reminder,)), now, 40)
    assert shown in [record.dose for record in kept.history]
    assert shown not in [record.dose for record in moved] and len(moved) == 58


def test_days_the_due_computation_may_still_look_at_stay_after_downtime() -> None:
    """A person last planned on 1 Feb and back on 10 Apr: plan will look from 30 Jan on (two
    days' margin) and a zone change could move that by two more days."""
    planned = local(KAMCHATKA, "2025-02-01 12:00").isoformat()
    user = daily(KAMCHATKA, date(2025, 1, 1), 100, planned_until=planned)
    kept, moved = split_history(user, local(KAMCHATKA, "2025-04-10 12:00"), 40)
    assert dates(kept.history)[0] == "2025-01-28"
    assert dates(moved)[-1] == "2025-01-27"


def test_keep_days_below_the_minimum_is_refused_and_an_empty_history_is_left_alone() -> None:
    user = daily(KAMCHATKA, date(2025, 1, 1), 100)
    with pytest.raises(ValueError):
        split_history(user, local(KAMCHATKA, "2025-04-10 12:00"), MIN_HISTORY_DAYS - 1)
    empty = person(KAMCHATKA)
    assert split_history(empty, local(KAMCHATKA, "2025-04-10 12:00"), 40) == (empty, ())


def test_the_whole_history_has_one_intake_per_dose_the_record_winning_oldest_first() -> None:
    def intake(day: str, time: str, status: Status = "taken", med_id: str = "m1") -> Intake:
        return Intake(DoseRef(med_id, day, time), status, None, "аспирин")

    archived = (intake("2025-01-02", "08:00"), intake("2025-01-01", "20:00"),
                intake("2025-01-01", "08:00", "missed"), intake("2025-01-01", "08:00", "skipped"))
    record = (intake("2025-01-02", "08:00", "missed"), intake("2025-01-02", "08:00", med_id="m2"))
    assert full_history(archived, record) == (
        intake("2025-01-01", "08:00", "skipped"),  # the later archive line
        intake("2025-01-01", "20:00"),
        intake("2025-01-02", "08:00", "missed"),  # the record over the archive
        intake("2025-01-02", "08:00", med_id="m2"),
    )


# --- months of reminders, archived as the actor does it, against the same without -----------


class Twins:
    """Two drivers fed the same instants and presses: one archives after every step (as the
    actor does before each save), the other keeps everything. They must never differ."""

    def __init__(self, user: User, keep_days: int) -> None:
        self.plain = Driver(user, repeat=timedelta(hours=4))
        self.archiving = Driver(user, repeat=timedelta(hours=4))
        self.keep_days = keep_days
        self.archived: list[Intake] = []
        self.longest = 0

    def archive(self, now: datetime) -> None:
        self.archiving.user, moved = split_history(self.archiving.user, now, self.keep_days)
        self.archived.extend(moved)
        self.longest = max(self.longest, len(self.archiving.user.history))

    def step(self, now: datetime, press_taken: bool) -> None:
        plain, archiving = self.plain.step(now), self.archiving.step(now)
        assert (plain.effects, plain.next_wake) == (archiving.effects, archiving.next_wake)
        self.archive(now)
        sent = sends(plain.effects)
        if press_taken and sent:
            data = sent[-1].reply.buttons[0][0].data
            for driver in (self.plain, self.archiving):
                outcome = press(driver.user, data, now)
                driver.user = outcome.user
                driver.apply(now, outcome.effects)
                driver.wake = next_wake(driver.user, now, driver.repeat)
            assert self.plain.wake == self.archiving.wake
            self.archive(now)

    def run_until(self, end: datetime) -> None:
        while self.plain.wake is not None and self.plain.wake <= end:
            now = self.plain.wake
            self.step(now, press_taken=now.day % 3 != 0)


def test_archiving_as_the_actor_does_never_changes_reminders_stats_or_the_history() -> None:
    zone = "America/New_York"  # two DST changes on the way
    user = person(zone, med("m1", "аспирин", ("08:00", "20:00"), "100 мг"),
                  med("m2", "витамин D", ("09:00",)))
    twins = Twins(user, MIN_HISTORY_DAYS)
    start = local(zone, "2025-01-01 07:00")
    twins.step(start, press_taken=False)
    twins.run_until(start + 120 * DAY)

    back = start + 200 * DAY  # 80 days down; a save comes before the first plan
    twins.archive(back)
    twins.step(back, press_taken=False)
    for driver in (twins.plain, twins.archiving):
        driver.user = replace(driver.user, tz="Asia/Tokyo")  # and then they travel
        driver.wake = next_wake(driver.user, back, driver.repeat)
    twins.archive(back)
    twins.run_until(back + 30 * DAY)

    end = back + 30 * DAY
    assert twins.archived and twins.longest <= (MIN_HISTORY_DAYS + 7 + 4) * 3
    whole = full_history(twins.archived, twins.archiving.user.history)
    assert whole == full_history((), twins.plain.user.history)
    assert len(whole) > 600 and {r.status for r in whole} == {"taken", "missed"}
    assert render_stats(twins.archiving.user, end) == render_stats(twins.plain.user, end)
    assert twins.archiving.chat == twins.plain.chat
