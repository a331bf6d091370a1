"""The command vocabulary: what a person can ask medbot to do, as plain values.

The local parser (and, when it is unsure, the LLM) turns text into one of these; the apply
rules turn a command and a user's state into a new state and a result to show. `to_json`
gives the shape `medbot parse` prints (the contract in DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class MedName:
    """A medication as named in a message."""

    name: str
    """Dictionary form in the user's casing: "аскорбиновая кислота", "витамин B12"."""
    key: str
    """Matching form: lower case, "ё"→"е", every word in its dictionary form."""
    med_id: str | None = None
    """Set when the command already names one medication of the schedule exactly (an answer
    to a clarifying question, or an LLM answer checked against this user's schedule)."""


@dataclass(frozen=True)
class AddItem:
    med: MedName
    dosage: str | None
    times: tuple[str, ...]


@dataclass(frozen=True)
class Add:
    items: tuple[AddItem, ...]


@dataclass(frozen=True)
class Delete:
    names: tuple[MedName, ...]
    """Empty when the message did not say which medication ("удали лекарство")."""
    times: tuple[str, ...] = ()
    """When given, delete only these times of the named medication."""


@dataclass(frozen=True)
class ListSchedule:
    pass


@dataclass(frozen=True)
class TimeChange:
    name: MedName | None
    new_times: tuple[str, ...]
    old_time: str | None = None


@dataclass(frozen=True)
class DoseChange:
    name: MedName | None
    dosage: str


@dataclass(frozen=True)
class TimezoneChange:
    timezone: str
    """A stored zone string: IANA name or "+HH:MM"."""


@dataclass(frozen=True)
class Done:
    names: tuple[MedName, ...] = ()
    """Empty = whatever doses are awaiting confirmation."""


@dataclass(frozen=True)
class Stats:
    """How well the person has kept to the schedule ("/stats", "как я принимаю лекарства")."""


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Unknown:
    pass


Command = (
    Add
    | Delete
    | ListSchedule
    | TimeChange
    | DoseChange
    | TimezoneChange
    | Done
    | Stats
    | Help
    | Unknown
)

COMMAND_NAMES: dict[type, str] = {
    Add: "add",
    Delete: "delete",
    ListSchedule: "list",
    TimeChange: "time_change",
    DoseChange: "dose_change",
    TimezoneChange: "timezone_change",
    Done: "done",
    Stats: "stats",
    Help: "help",
    Unknown: "unknown",
}


@dataclass(frozen=True)
class ParseResult:
    command: Command
    needs_llm: bool = False
    """True only when the parser is genuinely unsure and an LLM should have a look."""
    lang: Literal["ru", "en"] | None = None
    """The language the message is written in, when it is clear."""


def command_name(command: Command) -> str:
    return COMMAND_NAMES[type(command)]


def to_json(result: ParseResult) -> dict[str, Any]:
    """The `medbot parse` object: `command`, the fields of that command, and `needs_llm`."""
    command = result.command
    body: dict[str, Any] = {"command": command_name(command)}
    match command:
        case Add(items=items):
            body["medications"] = [
                {"name": item.med.name, "dosage": item.dosage, "times": list(item.times)}
                for item in items
            ]
        case Delete(names=names, times=times):
            body["names"] = [med.name for med in names]
            if times:
                body["times"] = list(times)
        case TimeChange(name=name, new_times=new_times, old_time=old_time):
            body["name"] = name.name if name else None
            body["new_times"] = list(new_times)
            body["old_time"] = old_time
        case DoseChange(name=name, dosage=dosage):
            body["name"] = name.name if name else None
            body["dosage"] = dosage
        case TimezoneChange(timezone=zone):
            body["timezone"] = zone
        case Done(names=names):
            body["names"] = [med.name for med in names]
        case _:
            pass
    body["needs_llm"] = result.needs_llm
    return body
