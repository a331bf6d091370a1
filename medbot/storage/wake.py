"""The wake index: every user's next wake-up instant, readable without loading any user.

Start-up arms one Clock timer per entry instead of starting an actor per user. The index is
sharded by user id (`wake/<id % shards>.json`, each a small TinyDB file); its owner keeps
what is on disk in memory, plus the entries not written yet.

A kill can fall between a user's file and the index. An entry EARLIER than the user's file
only causes a spurious wake (the user's actor recomputes and goes back to sleep); a LATER one
would silently lose a reminder. So the rule is: on disk, an entry is never later than its
user's file.
- Before user files change (`lower`), every entry that is later than its user's new wake is
  lowered to it, durably. Only then are the user files replaced.
- After (`settle`), the exact new values are only noted; `sync` writes them later (the owner
  does it when idle, or after a short delay under load). Until then the disk holds earlier
  entries, which is safe, so raising an entry never delays an acknowledgement.
A damaged shard is quarantined and rebuilt with "wake at once" (0.0) for each of its users,
which is early for everyone and therefore safe.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from medbot.storage.durable import CorruptFile, DurableJSONStorage
from medbot.storage.files import WriteBatch, ensure_private_dir, quarantine

TABLE = "wake"
WAKE_AT_ONCE = 0.0
"""The entry a rebuilt shard gives each user: an instant long past, so it fires at start-up."""

Wake = float | None
"""Epoch seconds, or None when the user needs no wake-up at all."""


def lowered(old: Wake, new: Wake) -> Wake:
    """A value not later than either (None is "never"): safe while a file is being replaced."""
    if new is None:
        return old
    if old is None:
        return new
    return min(old, new)


def is_later(entry: Wake, truth: Wake) -> bool:
    """Would `entry` on disk wake the user after `truth` says it must (losing a wake)?"""
    return truth is not None and (entry is None or entry > truth)


class WakeIndex:
    """The sharded index, owned by one thread (`read_only` for other processes)."""

    def __init__(
        self,
        directory: Path,
        shards: int,
        *,
        read_only: bool = False,
        users_of_shard: Callable[[int], Iterable[int]] | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.directory = directory
        self.shards = shards
        self.read_only = read_only
        self._users_of_shard = users_of_shard
        self._report = report
        self._disk: dict[int, dict[int, float]] = {}
        self._unsynced: dict[int, dict[int, Wake]] = defaultdict(dict)
        self._storages: dict[int, DurableJSONStorage] = {}
        self.unsynced_since: float | None = None
        """When (monotonic) the oldest entry not yet on disk was noted; None when in sync."""
        self.files_written = 0
        self.bytes_written = 0

    def shard_of(self, user_id: int) -> int:
        return user_id % self.shards

    def path_of(self, shard: int) -> Path:
        return self.directory / f"{shard:0{len(str(self.shards - 1))}d}.json"

    def get(self, user_id: int) -> Wake:
        """The user's wake as their stored file says (noted, even if not on disk yet)."""
        shard = self.shard_of(user_id)
        unsynced = self._unsynced.get(shard, {})
        if user_id in unsynced:
            return unsynced[user_id]
        return self._shard(shard).get(user_id)

    def on_disk(self, user_id: int) -> Wake:
        return self._shard(self.shard_of(user_id)).get(user_id)

    def entries(self) -> list[tuple[int, float]]:
        """Every (user id, next wake), soonest first."""
        found = [item for shard in range(self.shards) for item in self._wanted(shard).items()]
        return sorted(found, key=lambda item: (item[1], item[0]))

    def lower(self, new_wakes: Mapping[int, Wake]) -> dict[int, str]:
        """Before these users' files change: no entry on disk may stay later than its new wake.

        The shards written also take every unsynced entry of users not in `new_wakes` (their
        files are already written). Returns the users whose lowering failed, with the error:
        their files must not be written.
        """
        needs = {uid: wake for uid, wake in new_wakes.items() if is_later(self.on_disk(uid), wake)}
        shards = {self.shard_of(uid) for uid in needs}
        contents: dict[int, dict[int, float]] = {}
        for shard in shards:
            content = self._wanted(shard)
            for uid in new_wakes:
                if self.shard_of(uid) == shard:
                    _put(content, uid, needs[uid] if uid in needs else self.on_disk(uid))
            contents[shard] = content
        errors = self._write(contents, keep_unsynced=set(new_wakes))
        return {uid: error for uid in needs if (error := errors.get(self.shard_of(uid)))}

    def settle(self, truths: Mapping[int, Wake]) -> None:
        """After the files changed: note each user's wake as their file now says it."""
        for uid, wake in truths.items():
            shard = self.shard_of(uid)
            if wake == self.on_disk(uid):
                self._unsynced[shard].pop(uid, None)
            else:
                self._unsynced[shard][uid] = wake
                if self.unsynced_since is None:
                    self.unsynced_since = time.monotonic()
        if not any(self._unsynced.values()):
            self.unsynced_since = None

    def sync(self, limit: int | None = None) -> str | None:
        """Write the noted entries (each shard once; at most `limit` shards, the rest stay
        noted for the next call); returns an error, None when all written went."""
        noted = [shard for shard, entries in self._unsynced.items() if entries][:limit]
        contents = {shard: self._wanted(shard) for shard in noted}
        errors = self._write(contents, keep_unsynced=set())
        if not any(self._unsynced.values()):
            self.unsynced_since = None
        return next(iter(errors.values()), None)

    # --- shards -----------------------------------------------------------------------------
    def _wanted(self, shard: int) -> dict[int, float]:
        content = dict(self._shard(shard))
        for uid, wake in self._unsynced.get(shard, {}).items():
            _put(content, uid, wake)
        return content

    def _write(
        self, contents: dict[int, dict[int, float]], keep_unsynced: set[int]
    ) -> dict[int, str]:
        """Write whole shards durably together; a written shard's unsynced entries are done,
        except those of `keep_unsynced` (users whose files are about to change)."""
        batch = WriteBatch()
        contents = {shard: c for shard, c in contents.items() if c != self._shard(shard)}
        for shard, content in contents.items():
            ensure_private_dir(self.directory)
            with self._storage(shard).staged(batch):
                self._write_now(shard, content)
        errors = batch.commit() if contents else {}
        self.bytes_written += batch.bytes_written
        failed: dict[int, str] = {}
        for shard, content in contents.items():
            error = errors.get(self.path_of(shard))
            if error is not None:
                failed[shard] = f"wake index: {error}"
                continue
            self._disk[shard] = content
            self.files_written += 1
            unsynced = self._unsynced.get(shard, {})
            for uid in [uid for uid in unsynced if uid not in keep_unsynced]:
                del unsynced[uid]
        return failed

    def _write_now(self, shard: int, content: dict[int, float]) -> None:
        table = {str(user_id): {"at": at} for user_id, at in sorted(content.items())}
        self._storage(shard).write({TABLE: table})

    def _storage(self, shard: int) -> DurableJSONStorage:
        storage = self._storages.get(shard)
        if storage is None:
            storage = DurableJSONStorage(self.path_of(shard), read_only=self.read_only)
            self._storages[shard] = storage
        return storage

    def _shard(self, shard: int) -> dict[int, float]:
        """The shard as it is on disk (loaded once, then mirrored)."""
        content = self._disk.get(shard)
        if content is None:
            storage = self._storage(shard)
            try:
                content = _decode_shard(storage)
            except CorruptFile as error:
                if self.read_only:
                    raise
                content = self._rebuild(shard, error)
            if not self.read_only:
                self._disk[shard] = content
        return content

    def _rebuild(self, shard: int, error: CorruptFile) -> dict[int, float]:
        moved = quarantine(error.path)
        self._storage(shard).forget()
        users = self._users_of_shard(shard) if self._users_of_shard is not None else ()
        content = {user_id: WAKE_AT_ONCE for user_id in users}
        ensure_private_dir(self.directory)
        self._write_now(shard, content)
        if self._report is not None:
            self._report(
                f"wake index shard {shard} was unreadable ({error.reason}); quarantined as "
                f"{moved.name} and rebuilt: its {len(content)} user(s) wake at start-up"
            )
        return content


def _put(content: dict[int, float], user_id: int, wake: Wake) -> None:
    if wake is None:
        content.pop(user_id, None)
    else:
        content[user_id] = wake


def _decode_shard(storage: DurableJSONStorage) -> dict[int, float]:
    tables = storage.read() or {}
    entries: dict[int, float] = {}
    for key, doc in tables.get(TABLE, {}).items():
        at = doc.get("at")
        valid_at = isinstance(at, int | float) and not isinstance(at, bool) and math.isfinite(at)
        if not key.lstrip("-").isdigit() or not valid_at:
            raise CorruptFile(storage.path, "not a wake index: bad entry")
        entries[int(key)] = float(at)
    return entries
