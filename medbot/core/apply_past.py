"""Putting a dose of the last days right: taken after all, not taken after all, or taken at
another time. Only the last `PAST_DAYS` days, only doses the schedule had, and only when it is
clear which: otherwise the person is asked (with the times that fit).

The intake replaces whatever was recorded for that dose. So the 14-day strip, /stats, the CSV
export and the caregivers' view (all read from the history) follow at once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from medbot.core import tz
from medbot.core.apply_common import LocalClock, Outcome
from medbot.core.commands import PastIntake
from medbot.core.doses import doses_on
from medbot.core.matching import Found, find
from medbot.core.model import DoseRef, User
from medbot.core.reminders import intake, with_intakes
from medbot.core.results import NoMedications, PastLine, PastRecorded, PastUnclear

PAST_DAYS = 7
_PARTS = {"morning": ("04:00", "12:00"), "afternoon": ("11:00", "17:00"), "evening": ("16:00", "23:00"),
          "night": ("20:00", "04:00")}


def in_part(time: str, part: str) -> bool:
    first, last = _PARTS[part]
    return first <= time < last if first < last else time >= first or time < last


def past_intake(user: User, command: PastIntake, clock: LocalClock) -> Outcome:
    if not user.medications:
        return Outcome(user, NoMedications())
    now = clock.now
    today = tz.local_date(user.tz, now)
    if command.days_ago > PAST_DAYS:
        return Outcome(user, PastUnclear("too_old", command.days_ago))
    day = today - timedelta(days=command.days_ago)
    candidates = _candidates(user, command, day, now)
    if candidates is None or not candidates:
        return Outcome(user, PastUnclear("none", command.days_ago))
    times = sorted({dose.time for dose in candidates})
    if len(times) > 1 and not (command.names and len(candidates) == len(command.names)):
        return Outcome(user, PastUnclear("which", command.days_ago, tuple(times)))
    records = []
    for dose in candidates:
        status = command.status
        at = _at(user, day, command.at or dose.time) if status == "taken" else None
        records.append(intake(user, dose, status, at))  # type: ignore[arg-type]
    changed = with_intakes(user, records)
    lines = tuple(PastLine(record.name, record.dosage, record.dose.date, record.dose.time, record.status,
                           command.at if record.status == "taken" and command.at else None) for record in records)
    return Outcome(changed, PastRecorded(lines, command.days_ago))


def _candidates(user: User, command: PastIntake, day: date, now: datetime) -> list[DoseRef] | None:
    """The doses of `day` the message can mean (None: a name it gave is not in the schedule)."""
    doses = [dose for dose in doses_on(user, day) if tz.to_instant(user.tz, day, dose.time) <= now]
    if command.names:
        ids: set[str] = set()
        for name in command.names:
            found = find(user.medications, name)
            if not isinstance(found, Found):
                return None
            ids |= {med.id for med in found.meds}
        doses = [dose for dose in doses if dose.med_id in ids]
    if command.time is not None:
        doses = [dose for dose in doses if dose.time == command.time]
    if command.part is not None:
        doses = [dose for dose in doses if in_part(dose.time, command.part)]
    return doses


def _at(user: User, day: date, time: str) -> datetime:
    return tz.to_instant(user.tz, day, time)

