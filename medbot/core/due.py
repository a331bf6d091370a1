"""What is due for a person at an instant, and when the next thing will be.

`plan(user, now, repeat)` is the whole reminder clock for one person, as a pure function. It
works from the state alone (no "last run" bookkeeping is trusted for correctness), so it gives
the same answer after a restart, a clock jump or days of downtime:

1. Ends. Every unanswered dose has an end: the instant the same medication's next dose comes
   due, or else the end of its local day - but never sooner than one repeat interval after the
   dose was due, so a 23:59 dose still gets its full hour. At its end an unanswered dose is
   recorded missed; one closed by the next dose leaves its message (deleted when nothing in it
   is open), one closed by the end of the day stays in its message, shown as missed.
2. Repeats. An open reminder whose `repeat_at` has come is sent again as a new message with
   its still-open doses (the previous message deleted), `repeat` later again; a failed send is
   retried the same way without counting as a repeat.
3. New doses. A dose that is due, unanswered and in no reminder has never been reminded (a
   reminder leaves the state only once each of its doses ended). Doses due at the same instant
   share one message; doses more than `LATE_AFTER` overdue (downtime, a clock jump, a time-zone
   change that put a time in the past) share one message marked late.

The state returned is what the actor must persist *before* sending, so a crash between the
two can only lose a message (repeated later), never send a dose twice.

Unreachable people get no effects at all, but their doses still end as missed on time; once
they write again, their open reminders and today's unreminded doses are sent at once.

Time-zone change: times stay local and "a dose" is (medication, local date, local time), so a
dose answered before the change is never sent again, and a dose whose time has already passed
in the new zone is sent at once, marked late (or recorded missed if its end passed too).

`next_wake(user, now, repeat)` is the earliest instant after `now` at which `plan` would do
anything: a dose due, a repeat or snooze ending, a dose ending. It is derived from the same
functions `plan` uses, so waking exactly then always finds the work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from medbot.core import tz
from medbot.core.course_end import course_end_question
from medbot.core.doses import answered, doses_on, is_scheduled, scheduled_times
from medbot.core.effects import DeleteReminder, EditReminder, Effect, Effects, SendNotice, SendReminder
from medbot.core.model import DoseRef, Medication, Reminder, User
from medbot.core.regimen import last_dose_day, next_dose_day
from medbot.core.reminders import intake, open_doses_of, put_reminder, settle, with_intakes
from medbot.core.texts.reminders import reminder_reply

LATE_AFTER = timedelta(minutes=2)
"""A dose reminded more than this after its minute is reminded "late" (it says when it was due)."""

LOOKBACK_MARGIN = timedelta(days=2)
"""Extra local days looked at before the last planned one: a time-zone change can move local
dates by up to 26 hours, and those days' doses must still end in the history."""

MAX_LOOKBACK = timedelta(days=366)
"""However long the downtime, doses older than this are not recorded as missed."""


@dataclass(frozen=True)
class Plan:
    user: User
    """The new state: persist it before carrying out the effects."""
    effects: Effects
    next_wake: datetime | None
    """When to call `plan` again (None: nothing is scheduled at all)."""


@dataclass(frozen=True)
class DoseEnd:
    at: datetime
    superseded: bool
    """True when the end is the same medication's next dose (its message goes away)."""


@lru_cache(maxsize=1 << 16)
def _instant(zone: str, day: str, time: str) -> datetime:
    return tz.to_instant(zone, date.fromisoformat(day), time)


def due_at(user: User, dose: DoseRef) -> datetime:
    """The instant a dose is due: its local time in the person's current zone."""
    return _instant(user.tz, dose.date, dose.time)


def dose_end(user: User, dose: DoseRef, repeat: timedelta) -> DoseEnd:
    """When an unanswered dose stops being reminded and counts as missed."""
    due = due_at(user, dose)
    day = date.fromisoformat(dose.date)
    end = max(_instant(user.tz, (day + timedelta(days=1)).isoformat(), "00:00"), due + repeat)
    med = user.medication(dose.med_id)
    following: list[datetime] = []
    if med is not None:
        for other in _days(day, tz.local_date(user.tz, end)):
            instants = (_instant(user.tz, other.isoformat(), t) for t in scheduled_times(med, other))
            following.extend(at for at in instants if due < at <= end)
    return DoseEnd(min(following), True) if following else DoseEnd(end, False)


def plan(user: User, now: datetime, repeat: timedelta) -> Plan:
    """Everything that has to happen for this person at `now` (see the module docstring)."""
    _check(now, repeat)
    effects: list[Effect] = []
    user, step = _close_ended(user, now, repeat)
    effects.extend(step)
    user, step = _announce_ended(user, now)
    effects.extend(step)
    if not user.unreachable:
        user, step = _repeat_due(user, now, repeat)
        effects.extend(step)
        user, step = _send_due(user, now, repeat)
        effects.extend(step)
    user = _planned_through(user, now)
    return Plan(user, _without_wasted_edits(effects), next_wake(user, now, repeat))


def _planned_through(user: User, now: datetime) -> User:
    """Note that planning looked up to `now`. Only the local date counts (`_first_day`), so the
    record changes once a day, not at every message: a question that changes nothing is never
    written to disk."""
    if user.planned_until is None:
        return replace(user, planned_until=tz.utc_iso(now))
    before = tz.from_iso(user.planned_until)
    if now <= before or tz.local_date(user.tz, now) == tz.local_date(user.tz, before):
        return user
    return replace(user, planned_until=tz.utc_iso(now))


def next_wake(user: User, now: datetime, repeat: timedelta) -> datetime | None:
    """The earliest instant after `now` at which `plan` has something to do (`now` itself if
    something is already overdue, e.g. before the first `plan` after start-up)."""
    _check(now, repeat)
    reachable = not user.unreachable
    events: list[datetime] = []
    for reminder in user.reminders:
        pending = open_doses_of(user, reminder)
        events.extend(dose_end(user, dose, repeat).at for dose in pending)
        if pending and reachable:
            events.append(tz.from_iso(reminder.repeat_at))
    today = tz.local_date(user.tz, now)
    days = list(_days(_first_day(user, today), today + timedelta(days=1)))
    later = [found for med in user.medications if (found := next_dose_day(med, days[-1])) is not None]
    if later:
        days.append(min(later))  # a weekly drug, a course that starts later: the next dose day
    if reachable:  # a blocked person is asked once they are back, not marked asked meanwhile
        events.extend(at for _, at in _course_notices(user))
    for dose in _unreminded(user, days):
        events.append(dose_end(user, dose, repeat).at)
        if reachable:
            events.append(due_at(user, dose))
    return max(min(events), now) if events else None


def _without_wasted_edits(effects: list[Effect]) -> Effects:
    """Drop the edit of a message that the same plan deletes (a dose ended as its repeat came)."""
    deleted = {effect.message_id for effect in effects if isinstance(effect, DeleteReminder)}
    return tuple(
        effect
        for effect in effects
        if not (isinstance(effect, EditReminder) and effect.message_id in deleted)
    )


def _check(now: datetime, repeat: timedelta) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if repeat <= timedelta(0):
        raise ValueError(f"repeat interval must be positive, got {repeat}")


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def first_day_looked_at(user: User, now: datetime) -> date:
    """The earliest local date whose doses `plan` may still end or send: history from that day
    on must stay in the record (`medbot.core.history` archives only what lies before it)."""
    return _first_day(user, tz.local_date(user.tz, now))


def _first_day(user: User, today: date) -> date:
    """The earliest local date whose doses may still need an ending: the last planned day,
    less the margin (the same window whether or not a plan ran before, so that planning
    never uncovers older days that were not looked at)."""
    last = today
    if user.planned_until is not None:
        last = min(today, tz.local_date(user.tz, tz.from_iso(user.planned_until)))
    return max(last - LOOKBACK_MARGIN, today - MAX_LOOKBACK)


def _unreminded(user: User, days: Iterable[date]) -> list[DoseRef]:
    """Scheduled doses on these days that are neither answered nor in an open reminder."""
    done = answered(user)
    reminded = {dose for reminder in user.reminders for dose in reminder.doses}
    return [
        dose
        for day in days
        for dose in doses_on(user, day)
        if dose not in done and dose not in reminded
    ]


def _close_ended(user: User, now: datetime, repeat: timedelta) -> tuple[User, Effects]:
    """Record as missed every unanswered dose whose end has come (step 1)."""
    today = tz.local_date(user.tz, now)
    never_reminded = _unreminded(user, _days(_first_day(user, today), today))
    current = with_intakes(
        user,
        (
            intake(user, dose, "missed", None)
            for dose in never_reminded
            if dose_end(user, dose, repeat).at <= now
        ),
    )
    effects: list[Effect] = []
    for old in user.reminders:
        kept: list[DoseRef] = []
        ended: list[DoseRef] = []
        superseded = at_day_end = False
        done = answered(current)
        for dose in old.doses:
            if not is_scheduled(current, dose):
                continue
            end = None if dose in done else dose_end(current, dose, repeat)
            if end is not None and end.at <= now:
                ended.append(dose)
                superseded |= end.superseded
                at_day_end |= not end.superseded
                if end.superseded:
                    continue
            kept.append(dose)
        before = current
        current = with_intakes(current, (intake(current, dose, "missed", None) for dose in ended))
        current, step = settle(
            before,
            current,
            old,
            replace(old, doses=tuple(kept)),
            close_by_delete=superseded and not at_day_end,
            quiet=current.unreachable,
        )
        effects.extend(step)
    return current, tuple(effects)


NOTICE_TIME = "10:00"
"""When a course that ends has no times of its own, the day after it ends is told at this hour."""


def _course_notices(user: User) -> list[tuple[Medication, datetime]]:
    """Courses and one-offs whose end is not yet dealt with, and when to deal with it: the day
    after the last dose day, at the medication's first time (when the person would have
    looked for the next dose)."""
    found: list[tuple[Medication, datetime]] = []
    for med in user.medications:
        last = last_dose_day(med)
        if last is None or med.end_noticed:
            continue
        first_time = min(med.times, default=NOTICE_TIME)
        found.append((med, _instant(user.tz, (last + timedelta(days=1)).isoformat(), first_time)))
    return found


def _announce_ended(user: User, now: datetime) -> tuple[User, Effects]:
    """A finished course: ask once whether to remove it. A finished one-off: remove it quietly
    (kept, marked, while a reminder still shows it)."""
    effects: list[Effect] = []
    for med, at in _course_notices(user):
        if at > now or (user.unreachable and med.regimen.kind != "once"):
            continue
        reminded = any(dose.med_id == med.id for item in user.reminders for dose in item.doses)
        if med.regimen.kind == "once" and not reminded:
            user = user.with_medications(tuple(m for m in user.medications if m.id != med.id))
            continue
        noticed = replace(med, end_noticed=True)
        user = user.with_medications(tuple(noticed if m.id == med.id else m for m in user.medications))
        if med.regimen.kind != "once":
            user, reply = course_end_question(user, med, now)
            effects.append(SendNotice(reply))
    return user, tuple(effects)


def _repeat_due(user: User, now: datetime, repeat: timedelta) -> tuple[User, Effects]:
    """Send again, as a new message, every open reminder whose time to repeat has come (step 2)."""
    effects: list[Effect] = []
    for old in user.reminders:
        pending = open_doses_of(user, old)
        if not pending or tz.from_iso(old.repeat_at) > now:
            continue
        retry = old.failures > 0
        new = replace(
            old,
            doses=tuple(pending),
            sent_at=tz.utc_iso(now),
            repeat_at=tz.utc_iso(now + repeat),
            message_id=None,
            repeats=old.repeats if retry else old.repeats + 1,
            outdated=False,
            refused=False,
        )
        user = put_reminder(user, new, old.id)
        if old.message_id is not None:
            effects.append(DeleteReminder(old.message_id))
        effects.append(SendReminder(old.id, reminder_reply(user, new)))
    return user, tuple(effects)


def _send_due(user: User, now: datetime, repeat: timedelta) -> tuple[User, Effects]:
    """Remind every due dose that was never reminded (step 3)."""
    today = tz.local_date(user.tz, now)
    due = [
        (at, dose)
        for dose in _unreminded(user, _days(_first_day(user, today), today))
        if (at := due_at(user, dose)) <= now
    ]
    late = tuple(dose for at, dose in due if now - at > LATE_AFTER)
    on_time: dict[datetime, list[DoseRef]] = {}
    for at, dose in sorted(due, key=lambda item: item[0]):
        if now - at <= LATE_AFTER:
            on_time.setdefault(at, []).append(dose)
    groups = [(True, late)] if late else []
    groups += [(False, tuple(doses)) for doses in on_time.values()]
    effects: list[Effect] = []
    for is_late, doses in groups:
        reminder = Reminder(
            id=user.next_reminder,
            doses=doses,
            sent_at=tz.utc_iso(now),
            repeat_at=tz.utc_iso(now + repeat),
            late=is_late,
        )
        user = replace(
            user, reminders=(*user.reminders, reminder), next_reminder=user.next_reminder + 1
        )
        effects.append(SendReminder(reminder.id, reminder_reply(user, reminder)))
    return user, tuple(effects)
