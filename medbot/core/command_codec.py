"""Commands as JSON, for the bot's open questions kept in the record: one pydantic TypeAdapter per
command type, and a check that what is read back is a command the schedule can take."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from medbot.core.commands import (
    COMMAND_NAMES,
    Add,
    Command,
    Delete,
    DoseChange,
    MedName,
    TimeChange,
    command_name,
)
from medbot.core.model import CLOCK_TIME

_MED_ID = re.compile(r"^m\d{1,9}$")


@cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def command_to_dict(command: Command) -> dict[str, Any]:
    """`{"command": name, ...fields}`: the command's own fields, as pydantic dumps them."""
    body: dict[str, Any] = _adapter(type(command)).dump_python(command, mode="json")
    return {"command": command_name(command), **body}


def command_from_dict(data: Any) -> Command:
    """The command back from `command_to_dict`; ValueError on anything malformed (times are
    checked to be HH:MM and medication ids to look like ids, as the schedule needs)."""
    if not isinstance(data, dict):
        raise ValueError("command is not an object")
    kinds = {name: kind for kind, name in COMMAND_NAMES.items()}
    kind = kinds.get(data.get("command"))  # type: ignore[arg-type]
    if kind is None:
        raise ValueError("unknown command")
    body = {key: value for key, value in data.items() if key != "command"}
    try:
        command = _adapter(kind).validate_python(body)
    except ValidationError as error:
        raise ValueError(f"malformed {data.get('command')} command") from error
    _check_command(command)
    return command  # type: ignore[no-any-return]


def _check_command(command: Command) -> None:
    times: list[str] = []
    names: list[MedName | None] = []
    match command:
        case Add(items=items):
            times = [time for item in items for time in item.times]
            names = [item.med for item in items]
        case Delete(names=found, times=found_times):
            names, times = list(found), list(found_times)
        case TimeChange(name=name, new_times=new_times, old_time=old_time):
            names, times = [name], [*new_times, *([old_time] if old_time else [])]
        case DoseChange(name=name):
            names = [name]
    for time in times:
        if not isinstance(time, str) or not CLOCK_TIME.fullmatch(time):
            raise ValueError("not HH:MM times")
    for name in names:
        if name is not None and name.med_id is not None and not _MED_ID.fullmatch(name.med_id):
            raise ValueError("bad medication id")
        if name is not None and (len(name.name) > 200 or len(name.key) > 200):
            raise ValueError("not a short string")
