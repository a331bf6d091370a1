"""The user store: one small TinyDB file per user, the wake index, and group commits.

Layout under the data directory (directories 0700, files 0600):

    meta.json                       store format, layout parameters (written once)
    lock                            flock'ed by the owning process
    users/<id % 1000 as 3 digits>/<id>.json   a TinyDB file: {"user": {"<id>": record}}
    wake/<id % 1024 as 4 digits>.json         a TinyDB file: {"wake": {"<id>": {"at": t}}}
    archive/<id % 1000 as 3 digits>/<id>.jsonl  old intakes, appended (`medbot.storage.archive`)

One file per user keeps a durable update at the size of one record (~3 KB) however many
users there are: measured here, a single TinyDB file of 100k users costs ~13 s per durable
update. 1,000 directories keep each directory small (~100 entries at 100k users). Old intakes
leave the record for the person's archive (appended before the record is written, in the same
commit), so the record stays that size however long someone uses the bot.

Only the owning process writes (`UserStore(root)` takes the directory lock); any other process
may read at any time with `UserStore(root, read_only=True)` (and `read_archive`), because every
file is replaced atomically, or, for archives, appended to and read up to its last whole line.
A record that cannot be read is never taken for "no data": the owner moves it aside
(`<name>.corrupt-<timestamp>`) and the load fails until the operator restores or removes the
quarantined copy.
"""

from __future__ import annotations

import logging
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from medbot.core.model import Intake, User, user_from_json, user_to_json
from medbot.storage.archive import ARCHIVE_DIR, append_intakes, archive_path, read_intakes
from medbot.storage.durable import CorruptFile, DurableJSONStorage, encode
from medbot.storage.files import (
    DIR_MODE,
    OwnerLock,
    StoreError,
    WriteBatch,
    atomic_write,
    ensure_private_dir,
    fsync_path,
    quarantine,
    quarantined_copies,
    remove_temp_files,
)
from medbot.storage.meta import META, USER_DIRS, has_entries, new_meta, read_meta
from medbot.storage.migrations import USER_MIGRATIONS, Migrations
from medbot.storage.wake import Wake, WakeIndex, lowered

log = logging.getLogger(__name__)

USER_TABLE = "user"


class UnreadableUser(StoreError):
    """A user's record exists but cannot be read; it must not be overwritten blindly."""

    def __init__(self, user_id: int, reason: str, quarantined: Path | None) -> None:
        super().__init__(f"user {user_id}: {reason}")
        self.user_id = user_id
        self.reason = reason
        self.quarantined = quarantined


@dataclass(frozen=True)
class Change:
    """One user's new state in a commit; `user=None` erases the person's data (archive too)."""

    user: User | None
    next_wake: Wake
    archive: tuple[Intake, ...] = ()
    """Intakes leaving the record: appended to the person's archive, durably, before the record
    is written, so that a kill in between leaves them in both places, never in neither."""
    drop_archive: bool = False
    """The person was erased earlier in this commit: their old archive goes first."""


@dataclass
class CommitReport:
    failed: dict[int, str] = field(default_factory=dict)
    """Users whose change is not on disk, with a short reason (no personal data)."""
    index_error: str | None = None
    """The exact wake entries could not be written; the index stays safely early."""


def user_path(root: Path, user_id: int, user_dirs: int = USER_DIRS) -> Path:
    return root / "users" / f"{user_id % user_dirs:03d}" / f"{user_id}.json"


def user_document(tables: dict[str, Any], user_id: int, path: Path) -> dict[str, Any]:
    """The user's raw record in a TinyDB file's tables, which must hold that and nothing else."""
    table = tables.get(USER_TABLE) or {}
    if set(table) != {str(user_id)}:
        raise CorruptFile(path, "the file does not hold exactly this user's record")
    document: dict[str, Any] = table[str(user_id)]
    return document


def decode_user(tables: dict[str, Any], user_id: int, migrations: Migrations, path: Path) -> User:
    """The user in a TinyDB file's tables; raises CorruptFile/ValueError for anything else."""
    user = user_from_json(migrations.apply(user_document(tables, user_id, path)))
    if user.id != user_id:
        raise ValueError("the record belongs to another user id")
    return user


def _replace_document(record: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """A TinyDB update that replaces the whole document (its plain update merges fields)."""

    def replace(document: dict[str, Any]) -> None:
        document.clear()
        document.update(record)

    return replace


class UserStore:
    """The store's owner (or a read-only reader). Not thread-safe: one thread uses it."""

    def __init__(
        self,
        root: Path,
        *,
        read_only: bool = False,
        cache_size: int = 256,
        migrations: Migrations = USER_MIGRATIONS,
        lock_timeout: float = 30.0,
    ) -> None:
        self.root = Path(root)
        self.read_only = read_only
        self.migrations = migrations
        self.cache_size = max(1, cache_size)
        self._dbs: OrderedDict[int, TinyDB] = OrderedDict()
        self._incidents: list[str] = []
        self._lock: OwnerLock | None = None
        self.files_written = 0
        self.files_removed = 0
        self.bytes_written = 0
        self.archive_appends = 0
        self.quarantined = 0
        if read_only:
            meta = read_meta(self.root) or new_meta()
        else:
            meta = self._open_for_writing(lock_timeout)
        self.user_dirs = int(meta["user_dirs"])
        self.index = WakeIndex(
            self.root / "wake",
            int(meta["wake_shards"]),
            read_only=read_only,
            users_of_shard=self._users_of_shard,
            report=self._incident,
        )

    def _open_for_writing(self, lock_timeout: float) -> dict[str, Any]:
        ensure_private_dir(self.root)
        os.chmod(self.root, DIR_MODE)
        self._lock = OwnerLock(self.root, timeout=lock_timeout)
        try:
            remove_temp_files(self.root)
            meta = read_meta(self.root)
            if meta is None:
                if any(has_entries(self.root / name) for name in ("users", "wake", ARCHIVE_DIR)):
                    raise StoreError(
                        f"{self.root / META} is missing but the store holds data; "
                        "restore meta.json from a backup before starting"
                    )
                meta = new_meta()
                atomic_write(self.root / META, encode(meta))
            for name in ("users", "wake"):
                ensure_private_dir(self.root / name)
                os.chmod(self.root / name, DIR_MODE)
            return meta
        except BaseException:
            self._lock.release()
            self._lock = None
            raise

    # --- reading ----------------------------------------------------------------------------
    def load(self, user_id: int) -> User | None:
        """The user's state; None for someone new (or erased).

        Raises `UnreadableUser` for a record that exists but cannot be read. The owner moves
        such a file aside first, and later loads keep failing while only quarantined copies
        of the record exist, so nobody mistakes it for a new user.
        """
        path = self.path_of(user_id)
        storage = self._db(user_id).storage
        try:
            tables = storage.read()
            if tables is None:
                copies = quarantined_copies(path)
                if copies:
                    raise UnreadableUser(
                        user_id,
                        f"record quarantined as {copies[-1].name}; restore or remove it",
                        None,
                    )
                return None
            return decode_user(tables, user_id, self.migrations, path)
        except (CorruptFile, ValueError) as error:
            reason = _reason(error)
            if self.read_only:
                raise UnreadableUser(user_id, reason, None) from None
            moved = self._quarantine_user(user_id, reason)
            raise UnreadableUser(user_id, reason, moved) from None

    def path_of(self, user_id: int) -> Path:
        return user_path(self.root, user_id, self.user_dirs)

    def archive_path_of(self, user_id: int) -> Path:
        return archive_path(self.root, user_id, self.user_dirs)

    def user_ids(self) -> Iterator[int]:
        """Every user with a live record, by directory listing only (no file is read)."""
        users = self.root / "users"
        try:
            directories = sorted(entry.name for entry in os.scandir(users) if entry.is_dir())
        except FileNotFoundError:
            return
        for directory in directories:
            with os.scandir(users / directory) as entries:
                found = [
                    int(stem)
                    for entry in entries
                    for stem, _, suffix in [entry.name.partition(".")]
                    if suffix == "json" and stem.lstrip("-").isdigit() and entry.is_file()
                ]
            yield from sorted(found)

    def wake_entries(self) -> list[tuple[int, float]]:
        """(user id, next wake) for every user who needs waking, soonest first."""
        return self.index.entries()

    def drain_incidents(self) -> list[str]:
        """What the operator must hear about (quarantined files), each reported once."""
        incidents, self._incidents = self._incidents, []
        return incidents

    @property
    def open_databases(self) -> int:
        return len(self._dbs)

    # --- writing ----------------------------------------------------------------------------
    def commit(self, changes: Mapping[int, Change], *, sync_index: bool = True) -> CommitReport:
        """Write a batch durably: lowered wake entries, then the archive appends, then every
        user file, then (unless `sync_index` is False, when `sync_index()` is the caller's job)
        the exact entries. A user whose archive append fails keeps their old record file.

        Each file is written once, all of them durable together. Failures are per user: an
        I/O error on one file fails only the users it concerns.
        """
        if self.read_only:
            raise StoreError("the store is opened read-only")
        report = CommitReport()
        records: dict[int, dict[str, Any]] = {}
        for user_id, change in changes.items():
            if change.user is None:
                continue
            try:
                records[user_id] = user_to_json(change.user)
            except (TypeError, ValueError) as error:
                report.failed[user_id] = f"cannot serialise the record: {_reason(error)}"
        wanted = {uid: change for uid, change in changes.items() if uid not in report.failed}
        report.failed.update(self.index.lower({uid: c.next_wake for uid, c in wanted.items()}))
        for user_id, change in wanted.items():
            if user_id not in report.failed and change.user is not None:
                try:
                    self._archive(user_id, change)
                except (OSError, TypeError, ValueError) as error:
                    report.failed[user_id] = f"cannot archive old intakes: {_reason(error)}"

        batch = WriteBatch()
        touched: dict[int, list[Path]] = {}
        for user_id, change in wanted.items():
            if user_id in report.failed:
                continue
            try:
                if change.user is None:
                    touched[user_id] = self._stage_erase(batch, user_id)
                else:
                    touched[user_id] = self._stage_user(batch, user_id, records[user_id])
            except (OSError, TypeError, ValueError) as error:
                report.failed[user_id] = _reason(error)
        errors = batch.commit()
        self.bytes_written += batch.bytes_written

        truths: dict[int, Wake] = {}
        for user_id, paths in touched.items():
            change = wanted[user_id]
            error = next((errors[path] for path in paths if path in errors), None)
            if error is not None:
                report.failed[user_id] = _reason(error)
                # The file may hold either version now: note the earlier wake of the two.
                truths[user_id] = lowered(self.index.get(user_id), change.next_wake)
                continue
            truths[user_id] = change.next_wake
            if change.user is None:
                self.files_removed += len(paths)
            else:
                self.files_written += 1
        self.index.settle(truths)
        if sync_index:
            report.index_error = self.sync_index()
        return report

    def sync_index(self, limit: int | None = None) -> str | None:
        """Write the exact wake entries noted by commits (at most `limit` shards); an error
        leaves them safely early."""
        error = self.index.sync(limit)
        if error is not None:
            log.warning("wake index not brought up to date (entries stay early): %s", error)
        return error

    @property
    def index_unsynced_since(self) -> float | None:
        """When (monotonic) the oldest exact wake entry not yet on disk was noted."""
        return self.index.unsynced_since

    def _archive(self, user_id: int, change: Change) -> None:
        """Make the change's archive part durable (the record is written after this)."""
        path = self.archive_path_of(user_id)
        if change.drop_archive and path.exists():
            os.unlink(path)
            fsync_path(path.parent)
            self.files_removed += 1
        if change.archive:
            self.bytes_written += append_intakes(path, change.archive)
            self.archive_appends += 1

    def _stage_user(self, batch: WriteBatch, user_id: int, record: dict[str, Any]) -> list[Path]:
        table = self._db(user_id).table(USER_TABLE)
        storage = table.storage
        assert isinstance(storage, DurableJSONStorage)
        path = self.path_of(user_id)
        try:
            tables = storage.read()
            if tables is not None:
                user_document(tables, user_id, path)
        except CorruptFile as error:
            # The new record replaces the whole state; keep the damaged bytes for the operator.
            self._quarantine_user(user_id, error.reason)
            tables = None
        exists = tables is not None
        ensure_private_dir(path.parent)
        with storage.staged(batch):
            if exists:
                table.update(_replace_document(record), doc_ids=[user_id])
            else:
                table.insert(Document(record, doc_id=user_id))
        return [path]

    def _stage_erase(self, batch: WriteBatch, user_id: int) -> list[Path]:
        """Remove the person's record, every quarantined copy of it and their archive."""
        db = self._dbs.pop(user_id, None)
        if db is not None:
            db.close()
        path = self.path_of(user_id)
        every = (path, *quarantined_copies(path), self.archive_path_of(user_id))
        targets = [target for target in every if target.exists()]
        for target in targets:
            batch.remove(target)
        return targets

    def _quarantine_user(self, user_id: int, reason: str) -> Path:
        path = self.path_of(user_id)
        moved = quarantine(path)
        storage = self._db(user_id).storage
        assert isinstance(storage, DurableJSONStorage)
        storage.forget()
        self.quarantined += 1
        log.error("user %d: record unreadable (%s); quarantined as %s", user_id, reason, moved.name)
        self._incident(f"user {user_id}: record unreadable ({reason}); quarantined as {moved.name}")
        return moved

    # --- plumbing ---------------------------------------------------------------------------
    def _db(self, user_id: int) -> TinyDB:
        """The user's TinyDB, from a bounded LRU: 100k users never mean 100k open objects."""
        db = self._dbs.get(user_id)
        if db is not None:
            self._dbs.move_to_end(user_id)
            return db
        db = TinyDB(self.path_of(user_id), storage=DurableJSONStorage, read_only=self.read_only)
        self._dbs[user_id] = db
        while len(self._dbs) > self.cache_size:
            _, oldest = self._dbs.popitem(last=False)
            oldest.close()
        return db

    def _users_of_shard(self, shard: int) -> list[int]:
        return [uid for uid in self.user_ids() if self.index.shard_of(uid) == shard]

    def _incident(self, text: str) -> None:
        self._incidents.append(text)

    def close(self) -> None:
        """Write the noted wake entries, then let go of the databases and the lock."""
        try:
            if not self.read_only and self._lock is not None:
                self.sync_index()
        finally:
            while self._dbs:
                _, db = self._dbs.popitem()
                db.close()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> UserStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def read_user(root: Path, user_id: int, migrations: Migrations = USER_MIGRATIONS) -> User | None:
    """One user's state for another process (`medbot export`): never writes, never locks."""
    with UserStore(root, read_only=True, cache_size=1, migrations=migrations) as store:
        return store.load(user_id)


def read_archive(root: Path, user_id: int) -> tuple[Intake, ...]:
    """One user's archived intakes for another process, one per dose: never writes, never
    locks. Call it after `read_user`: an intake that moves from the record to the archive in
    between is then found in the archive (the archive is appended before the record changes).
    """
    meta = read_meta(Path(root)) or new_meta()
    return read_intakes(archive_path(Path(root), user_id, int(meta["user_dirs"])))


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _reason(error: BaseException) -> str:
    """A short reason for logs and alerts: what went wrong, not what the record said.

    Validation messages quote the offending value (a medication name where a time should be),
    so quoted text is cut from everything but I/O errors, whose quotes hold our own paths.
    """
    if isinstance(error, CorruptFile):
        return error.reason
    text = str(error).replace("\n", " ") or type(error).__name__
    if not isinstance(error, OSError):
        text = _QUOTED.sub("'…'", text)
    return text if len(text) <= 200 else text[:197] + "..."
