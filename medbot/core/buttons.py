"""Callback data of reminder buttons: short, and read back strictly.

Anyone can send a callback with any data, so `decode` accepts only the exact shapes `encode`
writes and returns None for everything else; whether the reminder and the dose belong to this
person and are still open is checked against the state in `medbot.core.reminders.press`.

    t:<reminder_id>:<med_id>   taken: one medication of the reminder
    a:<reminder_id>            all open doses of the reminder taken
    z:<reminder_id>            snooze: remind again in 15 minutes
    s:<reminder_id>            skip the open doses of the reminder
    p:<reminder_id>:<page>     show another page of a reminder too long for one screen

Prefix "c:" belongs to clarification buttons and is never a reminder button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from medbot.core.view import MAX_CALLBACK_DATA

Action = Literal["taken", "all", "snooze", "skip", "page"]

SNOOZE = timedelta(minutes=15)
"""How long "⏰ 15 min" postpones the next reminder."""

_CODES: dict[Action, str] = {"taken": "t", "all": "a", "snooze": "z", "skip": "s", "page": "p"}
_ACTIONS: dict[str, Action] = {code: action for action, code in _CODES.items()}
_ID = r"[1-9][0-9]{0,11}"
_DATA = re.compile(
    rf"(?P<code>[azs]):(?P<rid>{_ID})|t:(?P<trid>{_ID}):(?P<med>m[0-9]{{1,9}})"
    rf"|p:(?P<prid>{_ID}):(?P<page>0|[1-9][0-9]{{0,3}})",
    re.ASCII,
)


@dataclass(frozen=True)
class ButtonPress:
    action: Action
    reminder_id: int
    med_id: str | None = None
    """Only for "taken": which medication of the reminder."""
    page: int = 0
    """Only for "page": which page to show (from 0)."""


def encode(press: ButtonPress) -> str:
    code = _CODES[press.action]
    if press.action == "taken":
        return f"{code}:{press.reminder_id}:{press.med_id}"
    if press.action == "page":
        return f"{code}:{press.reminder_id}:{press.page}"
    return f"{code}:{press.reminder_id}"


def decode(data: object) -> ButtonPress | None:
    """The press these data stand for, or None when they are not exactly what we write."""
    if not isinstance(data, str) or len(data.encode("utf-8")) > MAX_CALLBACK_DATA:
        return None
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    if match["code"] is not None:
        return ButtonPress(_ACTIONS[match["code"]], int(match["rid"]))
    if match["prid"] is not None:
        return ButtonPress("page", int(match["prid"]), page=int(match["page"]))
    return ButtonPress("taken", int(match["trid"]), match["med"])


def is_reminder_data(data: str) -> bool:
    """Whether a callback is meant for reminders (the actor routes "c:" elsewhere)."""
    return data[:2] in {f"{code}:" for code in _CODES.values()}
