""""Отмени" / "undo": the schedule as it was before the last change, and what that change was.

Every change to the schedule or the time zone keeps one snapshot of the state before it in
`user.extra`; undoing swaps the two, so a second "undo" puts the change back. The snapshot also
says which medications the change touched and when, so a correction sent right after an add
("ой, не 50 а 25") can find the medication it is about without naming it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from medbot.core import tz
from medbot.core.model import Medication, User
from medbot.core.results import MedLine, NothingToUndo, Undone

UNDO_KEY = "undo"
RECENT = timedelta(minutes=15)
"""How long after a change a correction without a name still means that change."""


@cache
def _meds_adapter() -> TypeAdapter[tuple[Medication, ...]]:
    return TypeAdapter(tuple[Medication, ...])


def remember_change(before: User, after: User, what: str, now: datetime) -> User:
    """`after`, carrying what `before` was, when the command changed the schedule or the zone."""
    if after is before or (after.medications == before.medications and after.tz == before.tz):
        return after
    snapshot = {
        "what": what,
        "medications": _meds_adapter().dump_python(before.medications, mode="json"),
        "tz": before.tz,
        "touched": sorted(_touched(before.medications, after.medications)),
        "at": tz.utc_iso(now),
    }
    return replace(after, extra={**after.extra, UNDO_KEY: snapshot})


def undo(user: User, now: datetime) -> tuple[User, NothingToUndo | Undone]:
    """The state before the last change (keeping the change, so undo again redoes it)."""
    snapshot = _snapshot(user)
    if snapshot is None:
        return user, NothingToUndo()
    earlier, zone, what = snapshot
    restored = replace(user, medications=earlier, tz=zone)
    restored = remember_change(user, restored, "undo", now)
    back = _lines(med for med in earlier if med not in user.medications)
    earlier_ids = {med.id for med in earlier}
    gone = _lines(med for med in user.medications if med.id not in earlier_ids)
    result = Undone(what, back, gone, zone if zone != user.tz else None)
    return restored, result


def recently_touched(user: User, now: datetime) -> frozenset[str]:
    """Ids of the medications the last change touched, if it was a few minutes ago."""
    stored = user.extra.get(UNDO_KEY)
    if not isinstance(stored, dict):
        return frozenset()
    try:
        at = tz.from_iso(stored["at"])
        touched = frozenset(str(med_id) for med_id in stored["touched"])
    except (KeyError, TypeError, ValueError):
        return frozenset()
    return touched if timedelta(0) <= now - at <= RECENT else frozenset()


def _snapshot(user: User) -> tuple[tuple[Medication, ...], str, str] | None:
    stored: Any = user.extra.get(UNDO_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        meds = _meds_adapter().validate_python(stored["medications"])
        zone, what = str(stored["tz"]), str(stored["what"])
    except (KeyError, TypeError, ValidationError):
        return None
    return meds, zone, what


def _touched(before: tuple[Medication, ...], after: tuple[Medication, ...]) -> set[str]:
    old = {med.id: med for med in before}
    new = {med.id: med for med in after}
    return {med_id for med_id in old.keys() | new.keys() if old.get(med_id) != new.get(med_id)}


def _lines(meds: Any) -> tuple[MedLine, ...]:
    return tuple(MedLine(med.name, med.dosage, med.times) for med in meds)
