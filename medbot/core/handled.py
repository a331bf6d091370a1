"""Which Telegram updates a person's record already reflects, so a redelivered one is not
applied twice.

Updates reach the bot at least once (the durable inbox hands them out again after a crash).
The keys of the updates whose change a save carries are written in that same save; an update
whose key is in the record was applied, and its confirmation is in the outbox. Only saves
carry keys: a question that changed nothing is simply answered again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from medbot.core.model import User

KEEP = 64
"""Keys kept per person: far more than a crash can leave unconfirmed for one person."""
SEEN = "seen"


def update_keys(update_id: int | None, callback_id: str | None = None) -> tuple[str, ...]:
    """The keys of one update: its id and, for a button press, the press's own id."""
    keys: list[str] = []
    if update_id is not None:
        keys.append(f"u{update_id}")
    if callback_id:
        keys.append(f"c{callback_id}")
    return tuple(keys)


def already_handled(user: User | None, keys: Iterable[str]) -> bool:
    if user is None:
        return False
    seen = user.extra.get(SEEN, ())
    return any(key in seen for key in keys)


def note_handled(user: User, keys: Iterable[str]) -> User:
    """`user` remembering `keys` (the oldest forgotten beyond `KEEP`)."""
    new = [key for key in keys if key not in user.extra.get(SEEN, ())]
    if not new:
        return user
    seen = [*user.extra.get(SEEN, ()), *new][-KEEP:]
    return replace(user, extra={**user.extra, SEEN: seen})
