"""Deleting a medication, or some of its times (asking which when a name fits several).

Part of `apply`: the same pure shape, (state, command) -> Outcome.
"""

from __future__ import annotations

from dataclasses import replace

from medbot.core.apply_common import (
    Groups,
    Outcome,
    in_schedule_order,
    listed_meds,
    med_line,
    option_for,
    resolve_names,
    sorted_unique,
)
from medbot.core.commands import (
    Delete,
)
from medbot.core.matching import exact_name
from medbot.core.model import Medication, User
from medbot.core.results import (
    Clarify,
    Deleted,
    DeletedLine,
    NoMedications,
    NotFound,
    Result,
    TimeNotFound,
)


def delete(user: User, command: Delete) -> Outcome:
    meds = user.medications
    if not meds:
        return Outcome(user, NoMedications())
    if not command.names:
        return Outcome(user, _ask_what_to_delete(user, command))
    resolved = resolve_names(user, command, "delete_med")
    if not isinstance(resolved, tuple):
        return Outcome(user, resolved)
    groups, not_found = resolved
    if command.times:
        return _delete_times(user, groups, command.times, not_found)
    doomed = {med.id for entries in groups for med in entries}
    items = [_med_deleted(med) for med in meds if med.id in doomed]
    kept = tuple(med for med in meds if med.id not in doomed)
    return Outcome(user.with_medications(kept), Deleted(tuple(items), not_found))


def _ask_what_to_delete(user: User, command: Delete) -> Result:
    """No name: always ask, even with one medication; deleting is not undone."""
    asked = set(command.times)
    candidates = [med for med in user.medications if not asked or asked & set(med.times)]
    if not candidates:
        return NotFound((), listed_meds(user), sorted_unique(command.times))
    options = tuple(
        option_for(
            Delete((exact_name(med),), sorted_unique(t for t in med.times if t in asked)),
            med,
        )
        for med in in_schedule_order(candidates)
    )
    return Clarify("delete_med", options)


def _delete_times(
    user: User,
    groups: Groups,
    times: tuple[str, ...],
    not_found: tuple[str, ...],
) -> Outcome:
    asked = set(times)
    hit = {med.id for entries in groups for med in entries if asked & set(med.times)}
    unmatched = [entries for entries in groups if not any(med.id in hit for med in entries)]
    if not hit:
        return Outcome(user, TimeNotFound(med_line(unmatched[0]), sorted_unique(times)))
    kept: list[Medication] = []
    items: list[DeletedLine] = []
    for med in user.medications:
        left = tuple(slot for slot in med.slots if slot.time not in asked)
        if med.id not in hit:
            kept.append(med)
        elif left:
            kept.append(replace(med, slots=left))
            removed = sorted_unique(time for time in med.times if time in asked)
            remaining = sorted_unique(slot.time for slot in left)
            items.append(DeletedLine(med.name, med.dosage, removed, remaining))
        else:
            items.append(_med_deleted(med))
    missing = (*not_found, *dict.fromkeys(entries[0].name for entries in unmatched))
    return Outcome(user.with_medications(tuple(kept)), Deleted(tuple(items), missing))


def _med_deleted(med: Medication) -> DeletedLine:
    return DeletedLine(med.name, med.dosage)
