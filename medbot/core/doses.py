"""Which doses exist on a day, and which of them are still awaiting an answer.

Shared by the apply rules (marking doses taken) and the due computation (sending reminders),
so both agree on what "a dose" is: a medication's slot on a local date at or after the slot's
start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from medbot.core.model import DoseRef, Intake, Medication, User
from medbot.core.regimen import occurs_on


def scheduled_times(med: Medication, day: date) -> tuple[str, ...]:
    """The medication's times on a local date: none on a day its regimen has no dose."""
    if not med.slots or not occurs_on(med, day):
        return ()
    iso = day.isoformat()
    return tuple(slot.time for slot in med.slots if slot.start <= iso)


def doses_on(user: User, day: date) -> list[DoseRef]:
    """Every dose scheduled on a local date, ordered by time, then by medication id order."""
    iso = day.isoformat()
    found = [
        DoseRef(med.id, iso, time) for med in user.medications for time in scheduled_times(med, day)
    ]
    found.sort(key=lambda dose: (dose.time, _id_number(dose.med_id)))
    return found


def _id_number(med_id: str) -> int:
    return int(med_id[1:]) if med_id[1:].isdigit() else 0


def is_scheduled(user: User, dose: DoseRef) -> bool:
    med = user.medication(dose.med_id)
    return med is not None and dose.time in scheduled_times(med, date.fromisoformat(dose.date))


def intake_index(user: User) -> dict[DoseRef, Intake]:
    return {record.dose: record for record in user.history}


_recent: tuple[tuple[Intake, ...], Mapping[DoseRef, Intake]] | None = None


def answered(user: User) -> Mapping[DoseRef, Intake]:
    """`intake_index`, remembered for the history last asked about (read-only).

    The due computation asks about the same history many times per decision; rebuilding the
    index each time cost ~4 ms per ask for three years of history.
    """
    global _recent
    cached = _recent  # one read: a pair set by another thread is still a matching pair
    if cached is not None and cached[0] is user.history:
        return cached[1]
    index = intake_index(user)
    _recent = (user.history, index)
    return index


def intake_of(user: User, dose: DoseRef) -> Intake | None:
    for record in reversed(user.history):
        if record.dose == dose:
            return record
    return None


def open_doses(user: User) -> tuple[DoseRef, ...]:
    """Doses in open reminders that nobody has answered yet: what a bare "done" refers to."""
    answered = intake_index(user)
    seen: set[DoseRef] = set()
    result: list[DoseRef] = []
    for reminder in user.reminders:
        for dose in reminder.doses:
            if dose not in answered and dose not in seen and is_scheduled(user, dose):
                seen.add(dose)
                result.append(dose)
    return tuple(result)


def with_intake(user: User, intake: Intake) -> User:
    """Record how a dose ended, replacing an earlier record of the same dose."""
    kept = tuple(record for record in user.history if record.dose != intake.dose)
    return replace(user, history=(*kept, intake))
