"""Messages owed to a person, between the protocol and the record's outbox.

A save that confirms a change carries its replies in the person's outbox (`medbot.core.outbox`);
what goes to Telegram is the same messages tagged with their entry, so that Telegram's answer
(`Sent`/`SendFailed`, routed back through the users' supervisor) strikes the right one off.
Button answers are moments and reminder sends are tracked by their reminder: neither is owed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from actors.mailbox import Handle
from actors.messages import DeleteMessage, EditMessage, Priority, SendMessage
from medbot.core.model import OutboxEntry, User
from medbot.core.outbox import owe

OUTBOX_TAG = "outbox"


def owing(user: User, outgoing: list[Any], now: datetime, answer_to: Handle) -> tuple[User, list[Any]]:
    """`user` owing the replies among `outgoing`, and `outgoing` with those replies tagged."""
    entries = [_as_entry(message) for message in outgoing]
    user, added = owe(user, (entry for entry in entries if entry is not None), now)
    owed = iter(added)
    then = [message if entry is None else owed_message(next(owed), answer_to)
            for message, entry in zip(outgoing, entries, strict=True)]
    return user, then


def owed_message(entry: OutboxEntry, answer_to: Handle) -> SendMessage | EditMessage | DeleteMessage:
    """The message for an outbox entry, its answer going to `answer_to`."""
    priority = Priority.REMINDER if entry.bulk else Priority.REPLY
    tag = (OUTBOX_TAG, entry.id)
    if entry.kind == "edit" and entry.message_id is not None:
        return EditMessage(entry.chat_id, entry.message_id, entry.text, entry.buttons, priority, answer_to, tag)
    if entry.kind == "delete" and entry.message_id is not None:
        return DeleteMessage(entry.chat_id, entry.message_id, priority, answer_to, tag)
    return SendMessage(entry.chat_id, entry.text, entry.buttons, priority, answer_to, tag)


def _as_entry(message: Any) -> OutboxEntry | None:
    """The outbox entry for a message that confirms a change; None for what is not owed."""
    bulk = getattr(message, "priority", Priority.REPLY) != Priority.REPLY
    match message:
        case SendMessage(reply_to=None):
            return OutboxEntry(0, message.chat_id, "send", "", message.text, message.buttons, bulk=bulk)
        case EditMessage(reply_to=None):
            return OutboxEntry(0, message.chat_id, "edit", "", message.text, message.buttons,
                               message.message_id, bulk=bulk)
        case DeleteMessage(reply_to=None):
            return OutboxEntry(0, message.chat_id, "delete", "", message_id=message.message_id, bulk=bulk)
    return None
