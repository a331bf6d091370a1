"""What every kind of change in `apply` shares: the outcome, the person's local clock, and
finding the medications a command names (asking when a name fits several)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from medbot.core import tz
from medbot.core.apply_rules import (
    Today,
)
from medbot.core.commands import (
    Command,
    Delete,
    Done,
)
from medbot.core.matching import Ambiguous, Found, Missing, exact_name, find, normal_key
from medbot.core.model import Medication, Slot, User
from medbot.core.results import (
    Clarify,
    MedLine,
    NotFound,
    Option,
    Question,
    Result,
)

Groups = list[tuple[Medication, ...]]
"""Medications named in a command: each group is every entry of one medication."""


@dataclass(frozen=True)
class Outcome:
    user: User
    result: Result


@dataclass(frozen=True)
class LocalClock:
    """Now in the person's own zone, at the minute precision the schedule uses."""

    now: datetime
    today: date
    minute: str

    @classmethod
    def of(cls, user: User, now: datetime) -> LocalClock:
        if now.tzinfo is None:
            raise ValueError("apply() needs an aware instant")
        local = tz.local_datetime(user.tz, now)
        return cls(now=now, today=local.date(), minute=tz.hhmm(local))

    @property
    def today_iso(self) -> str:
        return self.today.isoformat()

    @property
    def tomorrow_iso(self) -> str:
        return (self.today + timedelta(days=1)).isoformat()

    def starting_tomorrow(self, slots: Iterable[Slot]) -> tuple[str, ...]:
        return tuple(slot.time for slot in slots if slot.start > self.today_iso)

    def first_day(self, time: str) -> str:
        """Today while the time is still ahead (at 10:00:30 a 10:00 dose is past), else tomorrow."""
        return self.today_iso if time > self.minute else self.tomorrow_iso

    def local(self, zone: str) -> Today:
        return Today.of(zone, self.now)


def in_schedule_order(meds: Iterable[Medication]) -> list[Medication]:
    """Grouped by medication (key), then by first time: how the schedule is shown."""
    return sorted(meds, key=lambda med: (normal_key(med.key), min(med.times, default=""), med.id))


def listed_meds(user: User) -> tuple[MedLine, ...]:
    return tuple(med_line((med,)) for med in in_schedule_order(user.medications))


def med_line(entries: Sequence[Medication]) -> MedLine:
    first = entries[0]
    dosage = first.dosage if all(med.dosage == first.dosage for med in entries) else None
    return MedLine(first.name, dosage, sorted_unique(t for med in entries for t in med.times))


def resolve_names(
    user: User,
    command: Delete | Done,
    question: Question,
    narrow: Callable[[tuple[Medication, ...]], tuple[Medication, ...] | None] = lambda _: None,
) -> tuple[Groups, tuple[str, ...]] | Result:
    """The medications each name means (and the names that mean none), or what to say instead.

    `narrow` may settle an ambiguous name (e.g. to the one medication with a dose to mark);
    otherwise the person is asked.
    """
    groups: Groups = []
    not_found: list[str] = []
    for index, name in enumerate(command.names):
        match find(user.medications, name):
            case Missing():
                not_found.append(name.name)
            case Found(meds=entries):
                groups.append(entries)
            case Ambiguous(candidates=candidates):
                narrowed = narrow(candidates)
                if narrowed is None:
                    return ask_naming(question, command, index, candidates)
                groups.append(narrowed)
    if not groups:
        return NotFound(tuple(not_found), listed_meds(user))
    return groups, tuple(not_found)


def ask_naming(
    question: Question, command: Delete | Done, index: int, candidates: Iterable[Medication]
) -> Clarify:
    """Which medication did the `index`-th name mean? Each option resolves just that name."""
    options = tuple(
        option_for(replace(command, names=replaced_at(command.names, index, exact_name(med))), med)
        for med in in_schedule_order(candidates)
    )
    return Clarify(question, options)


def option_for(command: Command, med: Medication) -> Option:
    return Option(command, med.name, med.dosage, sorted_unique(med.times))


def replaced_at(items: tuple, index: int, value: object) -> tuple:  # type: ignore[type-arg]
    return (*items[:index], value, *items[index + 1 :])


def grouped_by_key(meds: Iterable[Medication]) -> list[tuple[Medication, ...]]:
    groups: dict[str, list[Medication]] = {}
    for med in meds:
        groups.setdefault(normal_key(med.key), []).append(med)
    return [tuple(group) for group in groups.values()]


def ids_of(meds: Iterable[Medication]) -> set[str]:
    return {med.id for med in meds}


def sorted_unique(times: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(times)))


def sorted_slots(slots: Iterable[Slot]) -> tuple[Slot, ...]:
    """One slot per time (the earliest start wins), ordered by time."""
    by_time: dict[str, Slot] = {}
    for slot in slots:
        if slot.time not in by_time or slot.start < by_time[slot.time].start:
            by_time[slot.time] = slot
    return tuple(by_time[time] for time in sorted(by_time))
