"""How well a person keeps to the schedule, computed from the intake history alone.

Only doses that have ended count (taken, skipped or missed): today's doses still awaiting an
answer are neither good nor bad yet. Windows are the person's local dates ending today. History
records keep the name and dosage a medication had, so a deleted medication still shows up for
the days it was taken.

Lateness is the answer time minus the scheduled instant, with the scheduled instant taken in
the person's *current* zone (the history keeps local date and time, not the zone they were in),
so after travel the figure for doses taken in the old zone is off by the zone difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from medbot.core import tz
from medbot.core.model import Intake, User

Mark = Literal["taken", "skipped", "missed", "none"]

WINDOWS = (7, 30)
STRIP_DAYS = 14
_WORST_FIRST: tuple[Mark, ...] = ("missed", "skipped", "taken")


@dataclass(frozen=True)
class Adherence:
    taken: int
    skipped: int
    missed: int
    mean_delay: timedelta | None
    """Average of (answered - scheduled) over taken doses; negative when taken early."""

    @property
    def total(self) -> int:
        return self.taken + self.skipped + self.missed

    @property
    def share(self) -> float | None:
        """Share of ended doses that were taken; None when none ended in the window."""
        return self.taken / self.total if self.total else None


@dataclass(frozen=True)
class MedicationStats:
    med_id: str
    name: str
    dosage: str | None
    windows: tuple[tuple[int, Adherence], ...]
    """(days, figures) for each of `WINDOWS`."""
    strip: tuple[Mark, ...]
    """One mark per local day, oldest first, ending today: the worst ending that day."""
    as_needed: bool = False
    """Taken when needed: nothing was due, so the figures are counts, not shares."""


def medication_stats(user: User, now: datetime) -> tuple[MedicationStats, ...]:
    """Figures for every current medication, then for deleted ones with recent history."""
    today = tz.local_date(user.tz, now)
    oldest = today - timedelta(days=max(WINDOWS + (STRIP_DAYS,)) - 1)
    by_med: dict[str, list[Intake]] = {}
    for record in user.history:
        if oldest.isoformat() <= record.dose.date <= today.isoformat():
            by_med.setdefault(record.dose.med_id, []).append(record)
    current = [med.id for med in user.medications]
    gone = sorted(
        (med_id for med_id in by_med if user.medication(med_id) is None),
        key=lambda med_id: _latest(by_med[med_id]).name.casefold(),
    )
    return tuple(
        _stats_for(user, med_id, by_med.get(med_id, []), today) for med_id in current + gone
    )


def _latest(records: list[Intake]) -> Intake:
    return max(records, key=lambda record: (record.dose.date, record.dose.time))


def _stats_for(user: User, med_id: str, records: list[Intake], today: date) -> MedicationStats:
    med = user.medication(med_id)
    if med is not None:
        name, dosage = med.name, med.dosage
    else:
        latest = _latest(records)
        name, dosage = latest.name, latest.dosage
    windows = tuple((days, adherence(user, records, today, days)) for days in WINDOWS)
    strip = tuple(
        _day_mark(records, today - timedelta(days=back)) for back in range(STRIP_DAYS - 1, -1, -1)
    )
    return MedicationStats(med_id, name, dosage, windows, strip, med is not None and med.as_needed)


def adherence(user: User, records: list[Intake], today: date, days: int) -> Adherence:
    """Figures of the doses in `records` that fall in the `days` local days ending `today`."""
    first = (today - timedelta(days=days - 1)).isoformat()
    inside = [record for record in records if record.dose.date >= first]
    delays = [
        tz.from_iso(record.at)
        - tz.to_instant(user.tz, date.fromisoformat(record.dose.date), record.dose.time)
        for record in inside
        if record.status == "taken" and record.at is not None
    ]
    return Adherence(
        taken=sum(record.status == "taken" for record in inside),
        skipped=sum(record.status == "skipped" for record in inside),
        missed=sum(record.status == "missed" for record in inside),
        mean_delay=sum(delays, timedelta()) / len(delays) if delays else None,
    )


def _day_mark(records: list[Intake], day: date) -> Mark:
    statuses = {record.status for record in records if record.dose.date == day.isoformat()}
    return next((mark for mark in _WORST_FIRST if mark in statuses), "none")
