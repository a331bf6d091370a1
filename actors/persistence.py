"""PersistenceActor: the only owner of the store in the process, writing in group commits.

A save is acknowledged only once its data is on disk. Saves are batched without waiting for
a timer: the first save of a batch queues a `Flush` behind whatever is already in the
mailbox, so every save that arrived before it shares one commit (last write per user wins,
each file written once), and then every writer is answered in arrival order. Under load the
batches grow by themselves; when idle a save is written at once.

A save that carries `archive` (old intakes leaving the record) appends them to the person's
archive before the record is written, in the same commit, and is acknowledged only once both
are durable; if the append fails, the save fails and the record file is left as it was. Within
a batch the last record of a person wins, but the archive receives what every one of their
saves moved out.

A load of a user whose save is still pending first writes the batch, so a load never returns
data that is not on disk. Wake index entries that move later are written `index_delay`
seconds after (one shard write then carries many users); entries that move earlier are
written before the users' files (see `medbot.storage.wake`).

It also keeps the durable inbox (`medbot.storage.inbox`): the poller's batches are written
before they are confirmed to Telegram, and what the users' actors report handled is struck off, lazily (at
most `inbox_delay` seconds later, with the next batch, or at stop).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from actors.clock import Delay
from actors.mailbox import Handle
from actors.messages import (
    Alert,
    Flush,
    LoadUser,
    LoadWakeIndex,
    ReplayInbox,
    SaveFailed,
    SaveUser,
    StatusReport,
    StatusRequest,
    StoreUpdates,
    UpdatesHandled,
    UpdatesStored,
    UserLoaded,
    UserSaved,
    WakeIndex,
)
from actors.runtime import BaseActor, describe_error
from medbot.core.model import Intake
from medbot.storage import USER_MIGRATIONS, Change, Migrations, UnreadableUser, UserStore
from medbot.storage.inbox import Inbox

log = logging.getLogger(__name__)


class PersistenceActor(BaseActor):
    """Sole owner of the data directory: LoadUser, SaveUser, LoadWakeIndex, StatusRequest."""

    def __init__(
        self,
        handle: Handle,
        parent: Handle | None,
        data_dir: Path,
        alerts: Handle | None = None,
        *,
        timers: Handle,
        cache_size: int = 256,
        migrations: Migrations = USER_MIGRATIONS,
        index_delay: float = 5.0,
        inbox_delay: float = 1.0,
    ) -> None:
        super().__init__(handle, parent)
        self._data_dir = Path(data_dir)
        self._alerts = alerts
        self._cache_size = cache_size
        self._migrations = migrations
        self._index_delay = index_delay
        self._inbox_delay = inbox_delay
        self._later_flush = Delay(timers, handle, ("persistence", "flush"), Flush())
        """Deferred writes (inbox removals, the wake index) come due on the `timers` clock."""
        self._store: UserStore | None = None
        self._inbox: Inbox | None = None
        self._inbox_written = 0.0
        self._replayed = False
        self._pending: list[SaveUser] = []
        self._pending_users: set[int] = set()
        self._in_flight: list[SaveUser] = []
        self._flush_scheduled = False
        self._urgent_flush_scheduled = False
        self._counters: dict[str, Any] = {
            "saves": 0,
            "failed_saves": 0,
            "batches": 0,
            "largest_batch": 0,
            "loads": 0,
            "last_error": None,
        }

    # --- lifecycle --------------------------------------------------------------------------
    def started(self) -> None:
        self._store = UserStore(
            self._data_dir, cache_size=self._cache_size, migrations=self._migrations
        )
        self._inbox = Inbox(self._data_dir)
        if self._inbox.incident is not None:
            self._alert(self._inbox.incident)
        self._report_incidents()

    def stopped(self) -> None:
        try:
            self._flush()
            self._sync_inbox(force=True)
        finally:
            self._close_store()

    def crashed(self) -> None:
        """Write what was accepted but not yet written; answer every writer either way."""
        salvage, self._in_flight, self._pending = self._in_flight + self._pending, [], []
        try:
            if salvage and self._store is not None:
                self._commit(salvage)
            else:
                self._fail(salvage, "persistence is unavailable")
        except Exception as error:  # noqa: BLE001 - the writers must hear something
            log.exception("persistence: could not write %d save(s) after a crash", len(salvage))
            self._fail(salvage, f"persistence crashed: {describe_error(error)}")
        finally:
            try:
                self._sync_inbox(force=True)
            except Exception:  # noqa: BLE001 - the store must be let go whatever happens
                log.exception("persistence: could not write the inbox after a crash")
            self._close_store()

    # --- messages ---------------------------------------------------------------------------
    def receive(self, message: Any) -> Any:
        if isinstance(message, SaveUser):
            return self._enqueue(message)
        if isinstance(message, Flush):
            self._later_flush.fired()
            return self._flush()
        if isinstance(message, LoadUser):
            return self._load(message)
        if isinstance(message, LoadWakeIndex):
            answer = WakeIndex(tuple(self._owned_store().wake_entries()))
            self._report_incidents()
            message.reply_to.tell(answer)
            return answer
        if isinstance(message, StoreUpdates):
            return self._store_updates(message)
        if isinstance(message, UpdatesHandled):
            self._owned_inbox().handled(message.update_ids)
            self._sync_inbox()
            return None
        if isinstance(message, ReplayInbox):
            # Only the first poller of this store's life gets the leftovers: a restarted
            # poller would otherwise route again what is still being handled.
            inbox = self._owned_inbox()
            leftovers = () if self._replayed else tuple(inbox.unhandled())
            self._replayed = True
            answer = UpdatesStored(leftovers, inbox.high)
            message.reply_to.tell(answer)
            return answer
        if isinstance(message, StatusRequest):
            report = StatusReport("persistence", self.status())
            message.reply_to.tell(report)
            return report
        return super().receive(message)

    def _enqueue(self, save: SaveUser) -> None:
        problem = _invalid_save(save)
        if problem is not None:
            log.error("persistence: rejected a save for user %s: %s", save.user_id, problem)
            self._fail([save], problem)
            return
        self._pending.append(save)
        self._pending_users.add(save.user_id)
        if save.urgent and not self._urgent_flush_scheduled:
            # With an urgent mailbox this Flush overtakes the queue: the person's save (and
            # whatever is pending with it) is written now, not behind a burst's messages.
            self._urgent_flush_scheduled = self._flush_scheduled = True
            self.handle.tell(Flush(urgent=True))
        elif not self._flush_scheduled:
            self._flush_scheduled = True
            self.handle.tell(Flush())

    def _flush(self) -> None:
        self._flush_scheduled = self._urgent_flush_scheduled = False
        batch, self._pending = _next_batch(self._pending)
        self._pending_users = {save.user_id for save in self._pending}
        if self._pending:
            self._flush_scheduled = True
            self.handle.tell(Flush())  # the rest, after what waits in the mailbox meanwhile
        if batch:
            self._in_flight = batch
            self._commit(batch)
            self._in_flight = []
        self._sync_index_when_due()
        self._sync_inbox()

    # --- the inbox --------------------------------------------------------------------------
    def _store_updates(self, request: StoreUpdates) -> UpdatesStored:
        inbox = self._owned_inbox()
        try:
            fresh = inbox.accept(request.updates)
            if fresh:
                self._inbox_written = time.monotonic()
            answer = UpdatesStored(tuple(fresh), inbox.high)
        except (OSError, ValueError, TypeError) as error:
            reason = describe_error(error)
            self._counters["last_error"] = reason
            log.error("persistence: cannot write the inbox: %s", reason)
            self._alert(f"cannot write the inbox: {reason}")
            answer = UpdatesStored((), inbox.high, error=reason)
        request.reply_to.tell(answer)
        return answer

    def _sync_inbox(self, force: bool = False) -> None:
        """Write the inbox's removals `inbox_delay` seconds after the last write at the
        earliest: they are never on a reply's path, and one write carries many."""
        inbox = self._inbox
        if inbox is None or not inbox.dirty:
            return
        wait = self._inbox_delay - (time.monotonic() - self._inbox_written)
        if wait > 0 and not force:
            self._later(wait)
            return
        try:
            inbox.sync()
            self._inbox_written = time.monotonic()
        except (OSError, ValueError, TypeError) as error:
            self._counters["last_error"] = describe_error(error)
            log.warning("persistence: inbox removals not written (they are handed out again "
                        "after a crash, and recognised): %s", describe_error(error))

    def _owned_inbox(self) -> Inbox:
        if self._inbox is None:
            raise RuntimeError("the store is not open")
        return self._inbox

    def _later(self, wait: float) -> None:
        """A `Flush` to this actor in `wait` seconds (one pending at a time)."""
        self._later_flush.schedule(wait + 0.01)

    def _sync_index_when_due(self) -> None:
        """Write the exact wake entries `index_delay` seconds after the first was noted.

        They are never on an acknowledgement's path, and waiting lets one write of a shard
        carry many users' changes. Until written, the index on disk is earlier than the
        users' files, which after a crash can only cause a spurious wake.
        """
        store = self._store
        if store is None or store.index_unsynced_since is None:
            return
        wait = self._index_delay - (time.monotonic() - store.index_unsynced_since)
        if wait <= 0:
            error = store.sync_index(INDEX_SHARDS_PER_FLUSH)
            if error is not None:
                self._counters["last_error"] = error
            elif store.index_unsynced_since is not None:
                self.handle.tell(Flush())  # the next slice, after what waits meanwhile
        else:
            self._later(wait)

    def _commit(self, batch: list[SaveUser]) -> None:
        changes: dict[int, Change] = {}
        for save in batch:
            changes[save.user_id] = _change(changes.get(save.user_id), save)
        report = self._owned_store().commit(changes, sync_index=False)
        self._counters["batches"] += 1
        self._counters["largest_batch"] = max(self._counters["largest_batch"], len(batch))
        for save in batch:
            error = report.failed.get(save.user_id)
            if error is None:
                self._counters["saves"] += 1
                _reply(save, UserSaved(save.user_id, save.seq, save.then, urgent=save.urgent))
            else:
                self._fail([save], error)
        if report.failed:
            first = next(iter(report.failed.values()))
            log.error("persistence: %d user record(s) not saved: %s", len(report.failed), first)
            self._alert(f"could not save {len(report.failed)} user record(s): {first}")
        self._report_incidents()

    def _load(self, request: LoadUser) -> UserLoaded:
        while request.user_id in self._pending_users:
            self._flush()  # answer with what is on disk, never with what may yet fail
        self._counters["loads"] += 1
        try:
            answer = UserLoaded(request.user_id, self._owned_store().load(request.user_id))
        except UnreadableUser as error:
            answer = UserLoaded(request.user_id, None, failed=error.reason)
        except OSError as error:
            reason = describe_error(error)
            self._counters["last_error"] = reason
            log.error("persistence: cannot read user %d: %s", request.user_id, reason)
            self._alert(f"cannot read user {request.user_id}: {reason}")
            answer = UserLoaded(request.user_id, None, failed=f"read error: {reason}")
        self._report_incidents()
        if request.urgent:
            answer = replace(answer, urgent=True)
        request.reply_to.tell(answer)
        return answer

    # --- helpers ----------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        store = self._store
        fields = dict(self._counters)
        fields["pending"] = len(self._pending)
        if store is not None:
            fields.update(
                writes=store.files_written,
                index_writes=store.index.files_written,
                removes=store.files_removed,
                archive_appends=store.archive_appends,
                bytes=store.bytes_written + store.index.bytes_written,
                quarantined=store.quarantined,
                open_databases=store.open_databases,
            )
        if self._inbox is not None:
            fields.update(inbox_pending=len(self._inbox.pending), inbox_writes=self._inbox.writes)
        return fields

    def _owned_store(self) -> UserStore:
        if self._store is None:
            raise RuntimeError("the store is not open")
        return self._store

    def _fail(self, saves: list[SaveUser], error: str) -> None:
        self._counters["failed_saves"] += len(saves)
        self._counters["last_error"] = error
        for save in saves:
            _reply(save, SaveFailed(save.user_id, save.seq, error, save.then))

    def _report_incidents(self) -> None:
        if self._store is None:
            return
        for incident in self._store.drain_incidents():
            self._counters["last_error"] = incident
            self._alert(incident)

    def _alert(self, text: str) -> None:
        if self._alerts is not None:
            self._alerts.tell(Alert("storage", text))

    def _close_store(self) -> None:
        """Let go of the store; closing it writes the wake entries still only noted."""
        self._later_flush.cancel()
        if self._store is not None:
            self._store.close()
            self._store = None


INDEX_SHARDS_PER_FLUSH = 32
"""Wake index shards written at a time: a burst's hundreds of shards never hold up, for long,
a person's save or the poller's inbox write waiting behind them."""
MAX_BATCH = 256
"""Saves written in one commit at most (each person's urgent saves always with it): a burst's
commit never keeps a person's save, or the poller's inbox write, waiting for long."""


def _next_batch(pending: list[SaveUser]) -> tuple[list[SaveUser], list[SaveUser]]:
    """The saves to write now and those left: every save of a person with an urgent one, then
    the oldest others up to `MAX_BATCH`. A person's saves keep their order across batches."""
    urgent = {save.user_id for save in pending if save.urgent}
    batch: list[SaveUser] = []
    rest: list[SaveUser] = []
    for save in pending:
        if save.user_id in urgent or (len(batch) < MAX_BATCH and not rest):
            batch.append(save)
        else:
            rest.append(save)
    return batch, rest


def _reply(save: SaveUser, answer: UserSaved | SaveFailed) -> None:
    if save.reply_to is not None:
        save.reply_to.tell(answer)


def _change(earlier: Change | None, save: SaveUser) -> Change:
    """A person's change in a batch so far, followed by one more of their saves: the later
    record wins, the archive keeps what each save moved out (an erase drops all before it)."""
    if save.user is None:
        return Change(None, save.next_wake)
    if earlier is None:
        return Change(save.user, save.next_wake, save.archive)
    archive = {intake.dose: intake for intake in (*earlier.archive, *save.archive)}
    return Change(
        save.user,
        save.next_wake,
        tuple(archive.values()),
        drop_archive=earlier.user is None or earlier.drop_archive,
    )


def _invalid_save(save: SaveUser) -> str | None:
    if not isinstance(save.user_id, int) or isinstance(save.user_id, bool):
        return "user id is not an integer"
    if save.user is not None and save.user.id != save.user_id:
        return "the record belongs to another user id"
    wake = save.next_wake
    if wake is not None and (isinstance(wake, bool) or not isinstance(wake, int | float)):
        return "next wake is not a number"
    if wake is not None and not math.isfinite(wake):
        return "next wake is not finite"
    if not isinstance(save.archive, tuple) or not all(isinstance(x, Intake) for x in save.archive):
        return "the archive is not a tuple of intakes"
    if save.archive and save.user is None:
        return "an erase cannot archive intakes"
    return None
