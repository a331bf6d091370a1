"""The messages owed to a person, kept in their record until Telegram has answered for them.

A reply that confirms a change is written in the same save as the change (the transactional
outbox): if the process dies after the write and before the send, the next start sends it. An
entry leaves the outbox once Telegram answered for it, delivered or refused; one owed for longer
than `MAX_AGE` (the bot was down for a day) is dropped unsent, as it would only confuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from medbot.core import tz
from medbot.core.model import OutboxEntry, User
from medbot.core.outgoing import DeleteMessage, EditMessage, Priority, SendMessage

MAX_AGE = timedelta(hours=24)
MAX_ENTRIES = 100
"""More than this many owed messages means something keeps failing: the oldest go first."""


def owe(user: User, entries: Iterable[OutboxEntry], now: datetime) -> tuple[User, tuple[OutboxEntry, ...]]:
    """`user` owing `entries` as well (their ids and time assigned here), and those entries."""
    added: list[OutboxEntry] = []
    next_id = user.next_outbox
    for entry in entries:
        added.append(replace(entry, id=next_id, at=tz.utc_iso(now)))
        next_id += 1
    if not added:
        return user, ()
    outbox = (*user.outbox, *added)[-MAX_ENTRIES:]
    return replace(user, outbox=outbox, next_outbox=next_id), tuple(added)


def settle(user: User, entry_id: int) -> User:
    """Telegram has answered for the entry: it is owed no more."""
    if all(entry.id != entry_id for entry in user.outbox):
        return user
    return replace(user, outbox=tuple(entry for entry in user.outbox if entry.id != entry_id))


def still_owed(user: User, now: datetime) -> tuple[User, tuple[OutboxEntry, ...]]:
    """What a new incarnation must send: the outbox less what is too old to be worth it."""
    fresh = tuple(entry for entry in user.outbox if now - tz.from_iso(entry.at) <= MAX_AGE)
    if len(fresh) != len(user.outbox):
        user = replace(user, outbox=fresh)
    return user, fresh


# --- between the record's entries and the messages sent --------------------------------------
# What goes to Telegram is the owed message tagged with its entry, so that Telegram's answer
# (`Sent`/`SendFailed`) strikes the right one off. Button answers are moments and reminder
# sends are tracked by their reminder (they carry a tag of their own): neither is owed.

OUTBOX_TAG = "outbox"


def owing(user: User, outgoing: list[Any], now: datetime) -> tuple[User, list[Any]]:
    """`user` owing the replies among `outgoing`, and `outgoing` with those replies tagged."""
    entries = [_as_entry(message) for message in outgoing]
    user, added = owe(user, (entry for entry in entries if entry is not None), now)
    owed = iter(added)
    then = [message if entry is None else owed_message(next(owed), user.id)
            for message, entry in zip(outgoing, entries, strict=True)]
    return user, then


def owed_message(entry: OutboxEntry, owner: int) -> SendMessage | EditMessage | DeleteMessage:
    """The message for an outbox entry of `owner`'s record, tagged with it (and with the owner
    when the chat is someone else's, so Telegram's answer finds its way back)."""
    priority = Priority.REMINDER if entry.bulk else Priority.REPLY
    tag = (OUTBOX_TAG, entry.id)
    routed = None if entry.chat_id == owner else owner
    if entry.kind == "edit" and entry.message_id is not None:
        return EditMessage(entry.chat_id, entry.message_id, entry.text, entry.buttons, priority, tag=tag, owner=routed)
    if entry.kind == "delete" and entry.message_id is not None:
        return DeleteMessage(entry.chat_id, entry.message_id, priority, tag=tag, owner=routed)
    return SendMessage(entry.chat_id, entry.text, entry.buttons, priority, tag=tag, owner=routed)


def _as_entry(message: Any) -> OutboxEntry | None:
    """The outbox entry for a message that confirms a change; None for what is not owed."""
    bulk = getattr(message, "priority", Priority.REPLY) != Priority.REPLY
    match message:
        case SendMessage(tag=None):
            return OutboxEntry(0, message.chat_id, "send", "", message.text, message.buttons, bulk=bulk)
        case EditMessage(tag=None):
            return OutboxEntry(0, message.chat_id, "edit", "", message.text, message.buttons,
                               message.message_id, bulk=bulk)
        case DeleteMessage(tag=None):
            return OutboxEntry(0, message.chat_id, "delete", "", message_id=message.message_id, bulk=bulk)
    return None
