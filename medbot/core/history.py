"""Keeping a person's record small for years: old intakes leave it for their archive.

The record is rewritten durably several times per dose, so a history that only grows makes
every save and every load slower the longer someone uses the bot (three doses a day reach
~1,100 intakes, ~165 KB, in a year). Nothing in the running bot needs old intakes: /stats
looks 30 local days back, `done` and the apply rules look at today, and the due computation
looks back from the last day it planned (`medbot.core.due.first_day_looked_at`). So intakes older
than `keep_days` move to the person's append-only archive (`medbot.storage.archive`), which
only `medbot export` reads. Nothing is ever dropped.

They move in bulk, and only once the oldest movable one is a week past the limit, so a person's
archive grows about once a week instead of on every save.

Never moved, however old:
- an intake whose dose is in an open reminder: the message shows it, and without it the dose
  would look unanswered again;
- an intake from a day the due computation may still look at (after downtime it records the
  missed doses from the last planned day on, less a margin), with two more days for a later
  time-zone change that moves local dates: without it a taken dose could be recorded missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from medbot.core import tz
from medbot.core.due import first_day_looked_at
from medbot.core.model import DoseRef, Intake, User

MIN_HISTORY_DAYS = 35
"""The least history kept in the record: /stats looks 30 local days back; the rest is room
for a time-zone change shifting dates."""

HYSTERESIS = timedelta(days=7)
"""Intakes move only once the oldest movable one is this far past the limit."""

ZONE_SHIFT = timedelta(days=2)
"""How far a time-zone change can move a local date (UTC-12 to UTC+14, rounded up)."""


def split_history(user: User, now: datetime, keep_days: int) -> tuple[User, tuple[Intake, ...]]:
    """The record without its old intakes, and those intakes (in history order).

    Gives back `user` itself and () when nothing is due to move, which is almost always.
    """
    if keep_days < MIN_HISTORY_DAYS:
        raise ValueError(f"keep_days must be at least {MIN_HISTORY_DAYS}, got {keep_days}")
    if not user.history:
        return user, ()
    today = tz.local_date(user.tz, now)
    limit = min(today - timedelta(days=keep_days), first_day_looked_at(user, now) - ZONE_SHIFT)
    before, overdue = limit.isoformat(), (limit - HYSTERESIS).isoformat()
    shown = {dose for reminder in user.reminders for dose in reminder.doses}
    movable = [
        record for record in user.history if record.dose.date < before and record.dose not in shown
    ]
    if not any(record.dose.date < overdue for record in movable):
        return user, ()
    leaving = {id(record) for record in movable}
    kept = tuple(record for record in user.history if id(record) not in leaving)
    return replace(user, history=kept), tuple(movable)


def full_history(archived: Iterable[Intake], history: Iterable[Intake]) -> tuple[Intake, ...]:
    """A person's whole history from their archive and their record, one intake per dose.

    A kill between the archive append and the record write leaves an intake in both places,
    and a save retried after a failure appends it twice: the later one wins (the record's
    over the archive's). Oldest first, by local date, time and medication.
    """
    by_dose: dict[DoseRef, Intake] = {}
    for record in (*archived, *history):
        by_dose[record.dose] = record
    return tuple(
        sorted(by_dose.values(), key=lambda r: (r.dose.date, r.dose.time, r.dose.med_id))
    )
