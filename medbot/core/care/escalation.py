"""When a dose is still unanswered some minutes after its time, the patient's caregivers are
told once. When it is taken (or skipped) after all, they are told that too.

The alert time is the dose's local time in the patient's zone plus the minutes (the patient's
own, or the setting's), so it moves with daylight saving just as the dose does. "Unanswered"
means not taken and not skipped: a dose already recorded missed (its reminder ended sooner) is
reported as well. The alert is recorded in the same write as the messages to the caregivers.
So it is never sent twice, and the outbox sends it after a crash. After downtime, alerts
older than `ALERT_WINDOW` are no longer worth sending.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

from medbot.core import tz
from medbot.core.care.links import caregiver
from medbot.core.doses import answered, doses_on
from medbot.core.due import due_at
from medbot.core.model import CaregiverLink, DoseRef, Escalation, User
from medbot.core.reminders import open_doses_of
from medbot.core.texts import care as texts
from medbot.core.view import Reply

ALERT_WINDOW = timedelta(hours=12)
KEEP_DAYS = 3
"""Days an escalation is remembered (to tell its outcome, and never to alert twice)."""

Note = tuple[int, Reply]
"""A message for a caregiver's chat."""


def earliest(*instants: datetime | None) -> datetime | None:
    return min((at for at in instants if at is not None), default=None)


def alert_minutes(user: User, default_minutes: int) -> int:
    """How long after a dose's time it is reported: the person's own minutes, or the setting's."""
    return user.caregiver_minutes or default_minutes


def alert_after(user: User, default_minutes: int) -> timedelta:
    return timedelta(minutes=alert_minutes(user, default_minutes))


def _settled(user: User, dose: DoseRef) -> bool:
    record = answered(user).get(dose)
    return record is not None and record.status in ("taken", "skipped")


def _candidates(user: User, days: list[date], after: timedelta) -> Iterator[tuple[DoseRef, datetime]]:
    """Scheduled doses on these days with the instant their alert is due."""
    escalated = {item.dose for item in user.escalations}
    for day in days:
        for dose in doses_on(user, day):
            if dose not in escalated and not _settled(user, dose):
                yield dose, due_at(user, dose) + after


def _told(user: User, at: datetime) -> tuple[CaregiverLink, ...]:
    return tuple(link for link in user.caregivers if not link.blocked and tz.from_iso(link.since) <= at)


def next_alert(user: User, now: datetime, default_minutes: int) -> datetime | None:
    """The first instant after `now` at which `follow_up` would alert someone."""
    if not user.caregivers:
        return None
    after = alert_after(user, default_minutes)
    today = tz.local_date(user.tz, now)
    days = [today + timedelta(days=offset) for offset in (-1, 0, 1, 2)]
    found = [at for _, at in _candidates(user, days, after) if at > now]
    return min(found, default=None)


def follow_up(user: User, now: datetime, default_minutes: int) -> tuple[User, list[Note]]:
    """Alerts that came due, and outcomes of earlier alerts, for the caregivers' chats."""
    user = _forgotten(user, now)
    if not user.caregivers:
        return user, []
    user, alerts = _alerts(user, now, alert_minutes(user, default_minutes))
    user, outcomes = _outcomes(user)
    return user, [*alerts, *outcomes]


def _forgotten(user: User, now: datetime) -> User:
    oldest = (tz.local_date(user.tz, now) - timedelta(days=KEEP_DAYS)).isoformat()
    kept = tuple(item for item in user.escalations if item.dose.date >= oldest)
    return user if len(kept) == len(user.escalations) else replace(user, escalations=kept)


def _alerts(user: User, now: datetime, minutes: int) -> tuple[User, list[Note]]:
    after = timedelta(minutes=minutes)
    today = tz.local_date(user.tz, now)
    due: dict[tuple[str, str], list[DoseRef]] = {}
    for dose, at in _candidates(user, [today - timedelta(days=1), today], after):
        if at <= now and now - at <= ALERT_WINDOW and _told(user, at):
            due.setdefault((dose.date, dose.time), []).append(dose)
    notes: list[Note] = []
    for (day, time), doses in sorted(due.items()):
        at = due_at(user, doses[0]) + after
        told = _told(user, at)
        user = replace(user, escalations=(*user.escalations, *(
            Escalation(dose, tz.utc_iso(now), tuple(link.user_id for link in told)) for dose in doses)))
        for link in told:
            notes.append((link.user_id, texts.alert(link.lang, user, doses, f"{day} {time}", minutes, now)))
    return user, notes


def _outcomes(user: User) -> tuple[User, list[Note]]:
    """Doses taken or skipped after their alert: each caregiver who was told hears how it ended."""
    ended = [item for item in user.escalations if not item.outcome_told and _settled(user, item.dose)]
    if not ended:
        return user, []
    records = answered(user)
    by_time: dict[tuple[str, str], list[Escalation]] = {}
    for item in ended:
        by_time.setdefault((item.dose.date, item.dose.time), []).append(item)
    notes: list[Note] = []
    for items in by_time.values():
        told = sorted({who for item in items for who in item.told})
        for who in told:
            link = caregiver(user, who)
            if link is None or link.blocked:
                continue
            mine = [records[item.dose] for item in items if who in item.told]
            notes.append((who, texts.outcome(link.lang, user, mine)))
    done = {item.dose for item in ended}
    user = replace(user, escalations=tuple(replace(item, outcome_told=True) if item.dose in done else item
                                           for item in user.escalations))
    return user, notes


def doses_at(user: User, when: str) -> list[DoseRef]:
    """The escalated doses due at a local "YYYY-MM-DD HH:MM"."""
    day, _, time = when.partition(" ")
    return [item.dose for item in user.escalations if item.dose.date == day and item.dose.time == time]


def called(user: User, when: str, who: int) -> tuple[User, list[int]]:
    """`who` called the patient about the doses due `when`: recorded, and the other caregivers
    who were told of them (to be told that someone called)."""
    items = [item for item in user.escalations if (item.dose.date, item.dose.time) == tuple(when.split(" "))
             and who in item.told]
    if not items or any(item.called_by is not None for item in items):
        return user, []
    ours = {item.dose for item in items}
    others = sorted({c for item in items for c in item.told if c != who})
    user = replace(user, escalations=tuple(replace(item, called_by=who) if item.dose in ours else item
                                           for item in user.escalations))
    return user, others


def remind_again(user: User, when: str, now: datetime) -> tuple[User, str]:
    """The patient's open reminder of the doses due `when`, due to be sent again now: "sent";
    "answered" when they were all taken or skipped meanwhile; "closed" when they ended unanswered."""
    day, _, time = when.partition(" ")
    hits = [reminder for reminder in user.reminders
            if any(dose.date == day and dose.time == time for dose in open_doses_of(user, reminder))]
    if hits:
        chosen = {reminder.id for reminder in hits}
        moved = tuple(replace(reminder, repeat_at=tz.utc_iso(now)) if reminder.id in chosen else reminder
                      for reminder in user.reminders)
        return replace(user, reminders=moved), "sent"
    doses = doses_at(user, when)
    if doses and all(_settled(user, dose) for dose in doses):
        return user, "answered"
    return user, "closed"
