"""The TelegramPoller: long polling for updates, each one routed to the users' supervisor.

One poll is one handling of a self-told `_Poll`, so the poller's mailbox stays responsive
between polls (Ping, StatusRequest, Stop), and only this actor's own thread ever blocks on the
network. It runs on a daemon thread: a long poll in progress never holds up process exit.

Delivery is at least once, as Telegram's: an update is confirmed (never delivered again) only
when a later getUpdates carries a higher offset. With an inbox (the PersistenceActor), a batch
is routed at once and written to the inbox meanwhile; the next getUpdates, which confirms it,
waits until it is on disk. A crash before that leaves the batch with Telegram; one after it
leaves it in the inbox. At start the poller first hands out again what the inbox holds
unhandled, and routes only updates newer than the newest it has seen, so Telegram's
redeliveries are not routed twice. (A person's record recognises an update it already
applied, whichever way it came back.) The poller confirms what it routed when it stops or
crashes, and does not route a batch that arrived after a Stop was queued (Telegram will deliver
it again to the next run). While it waits on the network or backs off, it does not count as
activity: a bot waiting for people to write is idle.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from actors.mailbox import Handle
from actors.messages import ReplayInbox, StatusReport, StatusRequest, Stop, StoreUpdates, UpdatesStored
from actors.runtime import BaseActor
from medbot.shell.logs import event
from medbot.shell.redact import register_secret
from medbot.shell.retries import backoff
from medbot.shell.settings import Settings
from medbot.shell.telegram_api import (
    Failure,
    classify_error,
    confirm_updates,
    fetch_updates,
    point_client_at,
    update_to_inbound,
)
from medbot.storage.inbox import update_id_of

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0
FIRST_BACKOFF = 1.0
SLOW_RETRY = 60.0
"""After 401 (token revoked), or after 409s (another instance polling) that go on: retry this rarely."""
CONFLICT_FIRST_RETRY = 2.0
"""The first 409 is retried within this many seconds (between half of it and all of it)."""
CONFLICTS_BEFORE_ERROR = 3
WAIT_SLICE = 0.2
"""Back-off waits look at the mailbox this often, so a Stop is never held up for long."""

T = TypeVar("T")
_incarnations = itertools.count(1)


@dataclass(frozen=True)
class _Poll:
    """Poll once. Tagged with the incarnation that told it, so a crash never leaves two loops."""

    incarnation: int


@dataclass
class _PollCounters:
    polls: int = 0
    updates: int = 0
    """Updates routed to the users' supervisor."""
    ignored: int = 0
    errors: int = 0
    consecutive_errors: int = 0
    last_error: str | None = None
    last_error_at: float | None = None


class TelegramPoller(BaseActor):
    use_daemon_thread = True

    def __init__(
        self, handle: Handle, parent: Handle | None, settings: Settings, users: Handle,
        inbox: Handle | None = None,
    ) -> None:
        super().__init__(handle, parent)
        self.settings = settings
        self.users = users
        self.inbox = inbox
        """Where batches are stored before they are routed (None: route at once)."""
        self.storing: tuple[dict[str, Any], ...] | None = None
        """The batch the inbox is writing; no poll (no confirmation) until it answers."""
        self.high: int | None = None
        """The newest update id seen (routed, or stored by an earlier run)."""
        self.incarnation = next(_incarnations)
        self.offset: int | None = None
        self.confirmed: int | None = None
        self.retry_at = 0.0
        self.counters = _PollCounters()
        self._pause = threading.Event()  # never set: a sleep that Python cannot lose

    @property
    def token(self) -> str:
        assert self.settings.telegram_token
        return self.settings.telegram_token

    def started(self) -> None:
        if not self.settings.telegram_token:
            raise ValueError("no Telegram bot token configured")
        register_secret(self.settings.telegram_token)
        point_client_at(self.settings.telegram_api_url)
        event(log, logging.INFO, "poller_started", poll_timeout=self.settings.poll_timeout)
        if self.inbox is not None:
            self.inbox.tell(ReplayInbox(self.handle))  # the first poll follows its answer
        else:
            self.handle.tell(_Poll(self.incarnation))

    def stopped(self) -> None:
        self._confirm()
        event(log, logging.INFO, "poller_stopped", polls=self.counters.polls,
              updates=self.counters.updates)

    def crashed(self) -> None:
        self._confirm()

    def receive(self, message: Any) -> Any:
        match message:
            case _Poll(incarnation=incarnation):
                if incarnation == self.incarnation and self.storing is None:
                    self._poll()
            case UpdatesStored():
                self._stored(message)
            case StatusRequest(reply_to=reply_to):
                reply_to.tell(StatusReport("poller", self.status()))
            case _:
                return super().receive(message)
        return None

    def status(self) -> dict[str, Any]:
        counters = self.counters
        return {
            "polls": counters.polls,
            "updates": counters.updates,
            "ignored": counters.ignored,
            "errors": counters.errors,
            "last_error": counters.last_error,
            "last_error_at": counters.last_error_at,
            "offset": self.offset,
            "retry_in": round(max(0.0, self.retry_at - time.monotonic()), 1),
        }

    # --- polling ---

    def _poll(self) -> None:
        if time.monotonic() < self.retry_at and not self._idle(self._wait_until, self.retry_at):
            self._again()  # something arrived in the mailbox: handle it, then keep waiting
            return
        offset = self.offset
        try:
            updates = self._idle(fetch_updates, self.token, offset, self.settings.poll_timeout)
        except Exception as error:  # noqa: BLE001 - every failure is classified and waited out
            self._failed(error)
            self._again()
            return
        self.confirmed = offset  # a getUpdates with an offset confirms everything below it
        self.counters.polls += 1
        self.counters.consecutive_errors = 0
        if self._stop_queued():
            return  # not routed, not confirmed: Telegram delivers them again to the next run
        if self.inbox is not None:
            updates = self._news(updates)
            if updates:
                self.storing = tuple(updates)
                self.inbox.tell(StoreUpdates(self.storing, self.handle))  # before anyone handles them
        for update in updates:
            self._route(update)
        if self.storing is None:
            self._again()  # else once the inbox has them on disk

    def _news(self, updates: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The updates newer than any seen: Telegram hands out again what was not confirmed."""
        news = []
        for update in updates:
            update_id = update_id_of(update)
            if update_id is None:
                continue
            if self.high is None or update_id > self.high:
                news.append(update)
                self.high = update_id
            else:
                self.offset = max(self.offset or 0, update_id + 1)  # confirm it all the same
        return news

    def _stored(self, stored: UpdatesStored) -> None:
        """The inbox's answer: at start, what it still holds; after a poll, the batch's news."""
        batch, self.storing = self.storing, None
        if stored.error is not None and batch:
            # Routed but not on disk: not confirmed either, so Telegram hands the batch out
            # again, and it is routed again (a record recognises what it already applied).
            self._failed(OSError(f"the inbox could not store a batch: {stored.error}"))
            first = batch[0]["update_id"]
            self.offset = first if self.offset is None else min(self.offset, first)
            self.high = first - 1
        elif batch is None:  # the answer at start: the last run's leftovers
            if stored.fresh:
                event(log, logging.INFO, "poller_replay", updates=len(stored.fresh))
            if stored.high is not None:
                self.high = stored.high if self.high is None else max(self.high, stored.high)
                self.offset = max(self.offset or 0, stored.high + 1)
            for update in stored.fresh:
                self._route(update)
        if not self._stop_queued():
            self._again()

    def _route(self, update: dict[str, Any]) -> None:
        update_id = update_id_of(update)
        inbound = update_to_inbound(update)
        if inbound is None:
            self.counters.ignored += 1
        else:
            self.counters.updates += 1
            self.users.tell(inbound)
        if update_id is not None:
            self.offset = max(self.offset or 0, update_id + 1)
        event(log, logging.DEBUG, "poller_update", update_id=update_id,
              kind=type(inbound).__name__ if inbound else "ignored")

    def _again(self) -> None:
        self.handle.tell(_Poll(self.incarnation))

    def _failed(self, error: BaseException) -> None:
        kind = classify_error(error)
        counters = self.counters
        counters.errors += 1
        counters.consecutive_errors += 1
        counters.last_error, counters.last_error_at = kind.description, time.time()
        if kind.failure is Failure.RATE_LIMITED:
            delay = kind.retry_after or FIRST_BACKOFF
            level, note = logging.WARNING, "rate limited by Telegram"
        elif kind.failure is Failure.UNAUTHORIZED:
            delay = SLOW_RETRY
            level = logging.ERROR
            note = "Telegram rejected the bot token (revoked or wrong?); check MEDBOT_TELEGRAM_TOKEN"
        elif kind.failure is Failure.CONFLICT:
            # Most often the previous run's long poll, still open for a few seconds after a
            # restart: retry soon, and slow down only if it goes on.
            delay = backoff(counters.consecutive_errors, CONFLICT_FIRST_RETRY, SLOW_RETRY)
            level = logging.WARNING if counters.consecutive_errors < CONFLICTS_BEFORE_ERROR else logging.ERROR
            note = "another process is polling with this bot token, or a webhook is set"
        elif kind.failure is Failure.TRANSIENT:
            delay = backoff(counters.consecutive_errors, FIRST_BACKOFF, MAX_BACKOFF)
            level, note = logging.WARNING, "network or server error"
        else:
            delay = backoff(counters.consecutive_errors, FIRST_BACKOFF, MAX_BACKOFF)
            level, note = logging.ERROR, "unexpected failure of getUpdates"
        self.retry_at = time.monotonic() + delay
        event(log, level, "poller_error", failure=kind.failure.value, note=note,
              retry_in=round(delay, 1), error=kind.description)

    # --- waiting without counting as busy ---

    def _idle(self, wait: Callable[..., T], *args: Any) -> T:
        """Run a wait (a long poll, a back-off) as idle time for the activity count."""
        activity = self.handle.activity
        if activity is not None:
            activity.end()
        try:
            return wait(*args)
        finally:
            if activity is not None:
                activity.begin()

    def _wait_until(self, deadline: float) -> bool:
        """Wait until `deadline`, in slices; False as soon as a message waits in the mailbox."""
        while True:
            if self.handle.pending() > 0:
                return False
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            self._pause.wait(min(WAIT_SLICE, remaining))

    def _stop_queued(self) -> bool:
        mailbox = self.handle.mailbox
        with mailbox.mutex:
            return any(isinstance(envelope.message, Stop) for envelope in mailbox.queue)

    def _confirm(self) -> None:
        """One short getUpdates with the next offset, so routed updates are not delivered again."""
        if self.offset is None or self.offset == self.confirmed or not self.settings.telegram_token:
            return
        try:
            confirm_updates(self.token, self.offset)
            self.confirmed = self.offset
            event(log, logging.DEBUG, "poller_confirmed", offset=self.offset)
        except Exception as error:  # noqa: BLE001 - best effort at stop; Telegram redelivers
            event(log, logging.WARNING, "poller_confirm_failed", error=classify_error(error).description)
