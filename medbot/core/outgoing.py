"""What the bot sends through Telegram, as plain values: replies, edits, deletions, button answers.

The core builds them (replies, reminders, the outbox's owed messages); the Telegram actor sends
them. A message that wants to hear how it went carries a `tag`, and the shell adds the address
(`reply_to`) that Telegram's answer (`Sent`/`SendFailed`, in `medbot.core.person.events`) goes to.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from medbot.core.view import Keyboard


class Priority(IntEnum):
    """Lower goes first: answers to people before bulk reminders."""

    REPLY = 0
    REMINDER = 1
    ALERT = 2


@dataclass(frozen=True)
class SendMessage:
    chat_id: int
    text: str
    buttons: Keyboard = ()
    priority: Priority = Priority.REPLY
    reply_to: Any = None
    """Told `Sent`/`SendFailed` with `tag` when done: an actor's address, which the shell fills in
    (the core leaves it None)."""
    tag: Any = None
    owner: int | None = None
    """The person whose actor hears how it went, when the chat is someone else's (a caregiver's)."""


@dataclass(frozen=True)
class EditMessage:
    chat_id: int
    message_id: int
    text: str
    buttons: Keyboard = ()
    priority: Priority = Priority.REPLY
    reply_to: Any = None
    """Told `Sent`/`SendFailed` with `tag` when done: an actor's address, which the shell fills in
    (the core leaves it None)."""
    tag: Any = None
    owner: int | None = None
    """The person whose actor hears how it went, when the chat is someone else's (a caregiver's)."""


@dataclass(frozen=True)
class DeleteMessage:
    chat_id: int
    message_id: int
    priority: Priority = Priority.REPLY
    reply_to: Any = None
    """Told `Sent`/`SendFailed` with `tag` when done: an actor's address, which the shell fills in
    (the core leaves it None)."""
    tag: Any = None
    owner: int | None = None
    """The person whose actor hears how it went, when the chat is someone else's (a caregiver's)."""


@dataclass(frozen=True)
class SendReport:
    """The report for the doctor as a PDF document, or (`as_chart`) its per-day chart as a
    picture after /stats: the shell draws either from the data (the core reads no font files)."""

    chat_id: int
    report: Any
    """A `medbot.core.report.Report`."""
    as_chart: bool = False
    priority: Priority = Priority.REPLY
    reply_to: Any = None
    tag: Any = None
    owner: int | None = None


@dataclass(frozen=True)
class AnswerCallback:
    callback_id: str
    text: str = ""


Outgoing = SendMessage | EditMessage | DeleteMessage | SendReport | AnswerCallback
