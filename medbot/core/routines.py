"""The times of a person's own day ("после завтрака" is 09:00 for this person): asked once,
remembered, and used for every medication said that way afterwards."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from medbot.core.commands import Add
from medbot.core.model import User
from medbot.core.results import Clarify

ROUTINES_KEY = "routines"
_HHMM_LENGTH = 5


def known_routines(user: User) -> dict[str, str]:
    stored: Any = user.extra.get(ROUTINES_KEY)
    if not isinstance(stored, dict):
        return {}
    return {str(slot): time for slot, time in stored.items() if isinstance(time, str) and len(time) == _HHMM_LENGTH}


def unknown_slots(user: User, command: Add) -> list[str]:
    """Slots of the add with no time yet, in the order said (each once)."""
    known = known_routines(user) | dict(command.routine_times)
    missing: list[str] = []
    for item in command.items:
        missing += [slot for slot in item.routine if slot not in known and slot not in missing]
    return missing


def resolve_routines(user: User, command: Add) -> tuple[User, Add | Clarify]:
    """The add with clock times for its routine slots, and the state remembering newly told
    ones; or the question for the first slot nobody has told the time of."""
    if not any(item.routine for item in command.items) and not command.routine_times:
        return user, command
    missing = unknown_slots(user, command)
    if missing:
        names = tuple(item.med.name for item in command.items if missing[0] in item.routine)
        return user, Clarify("routine", names=names, template=command, reason=missing[0])
    told = dict(command.routine_times)
    known = known_routines(user) | told
    if told:
        user = replace(user, extra={**user.extra, ROUTINES_KEY: known})
    items = tuple(
        replace(item, times=tuple(sorted({*item.times, *(known[slot] for slot in item.routine)})), routine=())
        for item in command.items
    )
    return user, replace(command, items=items, routine_times=())
