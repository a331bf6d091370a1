"""Where a family member's messages go: the owner's chat, labelled with the member's name,
with every button wrapped so that a press comes back to the member's record.

The member's step writes its messages as anyone's, to its own id as the chat; `at_home` is
the one place that turns them into messages for the real chat. It is applied to everything
the step sends, including what the outbox sends again after a restart.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from medbot.core.outgoing import DeleteMessage, EditMessage, SendMessage, SendReport
from medbot.core.view import MAX_CALLBACK_DATA, Button, Keyboard

_WRAPPED = re.compile(r"f:(?P<profile>-[1-9][0-9]{0,17}):(?P<data>.+)", re.ASCII | re.DOTALL)


def wrap(profile: int, data: str) -> str:
    return f"f:{profile}:{data}"


def unwrap(data: str) -> tuple[int, str] | None:
    """(member's id, the member's own button data) of a wrapped press, or None."""
    match = _WRAPPED.fullmatch(data)
    return (int(match["profile"]), match["data"]) if match else None


def label(name: str, text: str) -> str:
    return f"👤 {name}\n{text}"


def _buttons(profile: int, buttons: Keyboard) -> Keyboard:
    rows = []
    for row in buttons:
        kept = tuple(button if button.url else Button(button.text, wrap(profile, button.data))
                     for button in row if button.url or len(wrap(profile, button.data).encode()) <= MAX_CALLBACK_DATA)
        if kept:
            rows.append(kept)
    return tuple(rows)


def at_home(message: Any, profile: int, chat: int, name: str) -> Any:
    """A message the member's step addressed to the member, for the chat it really goes to."""
    match message:
        case SendMessage(chat_id=target) if target == profile:
            return replace(message, chat_id=chat, text=label(name, message.text),
                           buttons=_buttons(profile, message.buttons), owner=profile)
        case EditMessage(chat_id=target) if target == profile:
            return replace(message, chat_id=chat, text=label(name, message.text),
                           buttons=_buttons(profile, message.buttons), owner=profile)
        case DeleteMessage(chat_id=target) | SendReport(chat_id=target) if target == profile:
            return replace(message, chat_id=chat, owner=profile)
    return message
