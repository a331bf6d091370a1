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

from medbot.core import tz
from medbot.core.model import OutboxEntry, User

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
