"""The durable inbox: Telegram updates on disk before Telegram is told they arrived.

getUpdates hands an update out until a later call confirms it (a higher offset), and then
never again. So each batch is written here (one atomic, durable write) while it is routed, and
confirmed only once it is on disk; an update leaves the inbox when the person's actor is done
with it. After
a crash, what is still here is handed out again, and `high` (the highest update id ever stored)
recognises Telegram's own redeliveries of a batch that was stored but not yet confirmed.

File: `inbox.json` in the data directory, a TinyDB document
`{"inbox": {"1": {"high": N}}, "updates": {"<update id>": update, ...}}`, mode 0600.
Removals are written lazily (with the next batch, or by `sync`): losing one only means an
update is handed out again, and the person's record recognises what it already applied.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medbot.storage.durable import CorruptFile, DurableJSONStorage
from medbot.storage.files import quarantine

log = logging.getLogger(__name__)

INBOX = "inbox.json"
MAX_PENDING = 10_000
"""Updates kept unhandled at most; beyond, the oldest are given up (and logged)."""


def update_id_of(update: Any) -> int | None:
    value = update.get("update_id") if isinstance(update, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class Inbox:
    """Not thread-safe: the PersistenceActor's thread owns it."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / INBOX
        self._storage = DurableJSONStorage(self.path)
        self.high: int | None = None
        self.pending: dict[int, dict[str, Any]] = {}
        self.dirty = False
        self.writes = 0
        self.incident: str | None = None
        """Something the operator must hear about (a damaged inbox file set aside)."""
        self._load()

    def _load(self) -> None:
        try:
            tables = self._storage.read()
        except CorruptFile as error:
            moved = quarantine(self.path)
            self._storage.forget()
            self.incident = f"inbox unreadable ({error.reason}); set aside as {moved.name}"
            log.error("%s", self.incident)
            return
        if not tables:
            return
        meta = tables.get("inbox", {}).get("1", {})
        high = meta.get("high")
        self.high = high if isinstance(high, int) and not isinstance(high, bool) else None
        for key, update in sorted(tables.get("updates", {}).items(), key=lambda item: _number(item[0])):
            update_id = update_id_of(update)
            if update_id is not None and str(update_id) == key:
                self.pending[update_id] = update

    def accept(self, updates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store the updates never seen before, durably, and return them in order.

        Raises (OSError, or ValueError for what cannot be encoded) when the write fails: then
        the batch must not be confirmed, so that Telegram hands it out again.
        """
        fresh: list[dict[str, Any]] = []
        high = self.high
        for update in updates:
            update_id = update_id_of(update)
            if update_id is None or (high is not None and update_id <= high):
                continue
            fresh.append(update)
            high = update_id
        if not fresh:
            return []
        before = dict(self.pending), self.high
        fresh = [_well_formed(update) for update in fresh]
        for update in fresh:
            self.pending[update["update_id"]] = update
        self.high = high
        self._trim()
        try:
            self._write()
        except (OSError, ValueError, TypeError):
            self.pending, self.high = before
            raise
        return fresh

    def handled(self, update_ids: Iterable[int]) -> None:
        for update_id in update_ids:
            if self.pending.pop(update_id, None) is not None:
                self.dirty = True

    def sync(self) -> None:
        """Write the removals noted since the last write (raises OSError on failure)."""
        if self.dirty:
            self._write()

    def unhandled(self) -> list[dict[str, Any]]:
        return list(self.pending.values())

    def _trim(self) -> None:
        excess = len(self.pending) - MAX_PENDING
        if excess > 0:
            for update_id in list(self.pending)[:excess]:
                del self.pending[update_id]
            log.error("inbox: %d unhandled update(s) given up (more than %d waiting)", excess, MAX_PENDING)

    def _write(self) -> None:
        self._storage.write({
            "inbox": {"1": {"high": self.high}},
            "updates": {str(update_id): update for update_id, update in self.pending.items()},
        })
        self.dirty = False
        self.writes += 1


def _well_formed(value: Any) -> Any:
    """`value` with lone UTF-16 surrogates replaced in every string: JSON may carry them (a
    forged button payload), UTF-8 cannot, and the update must be stored to be handled."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_well_formed(key): _well_formed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_well_formed(item) for item in value]
    return value


def _number(key: str) -> int:
    return int(key) if key.lstrip("-").isdigit() else 0
