"""The small runtime medbot's actors stand on: stable handles, a base actor, restart intensity.

pykka gives us threads and mailboxes but neither supervision nor restarts. Measured here:
restarting a crashed actor as a fresh ref lost most messages queued to it, while keeping the
child's mailbox across restarts lost none. So callers never hold a raw `ActorRef`; they hold
a `Handle`, which owns the mailbox. Each incarnation of an actor reads from its handle's
mailbox, and when one incarnation dies, the messages behind the one that killed it wait there
for the next.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pykka

from actors.messages import ChildFailed, ChildStopped, Crash, Hang, Ping, Pong, Stop

log = logging.getLogger(__name__)


class InjectedCrash(RuntimeError):
    """Raised by an actor told `Crash`: how tests kill an actor from inside its handler."""


class Envelope:
    """What a mailbox holds; the pykka actor loop reads `message` and `reply_to`."""

    __slots__ = ("message", "reply_to")

    def __init__(self, message: Any, reply_to: pykka.Future[Any] | None = None) -> None:
        self.message = message
        self.reply_to = reply_to

    def __repr__(self) -> str:
        return f"Envelope({type(self.message).__name__})"


class Activity:
    """Counts messages and jobs not yet finished, so tests can wait for a quiet system.

    Tests drive time with a virtual clock; after moving it they wait here until every message
    that move caused has been handled, instead of sleeping.
    """

    def __init__(self) -> None:
        self._busy = 0
        self._condition = threading.Condition()

    def begin(self) -> None:
        with self._condition:
            self._busy += 1

    def end(self) -> None:
        with self._condition:
            self._busy -= 1
            if self._busy <= 0:
                self._condition.notify_all()

    @property
    def busy(self) -> int:
        return self._busy

    def wait_idle(self, timeout: float, settle: float = 0.0) -> bool:
        """Wait until nothing is in flight (and stays so for `settle` seconds)."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                while self._busy > 0:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._condition.wait(remaining)
                if settle <= 0:
                    return True
                self._condition.wait(settle)
                if self._busy <= 0:
                    return True


class UrgentFirstQueue(queue.Queue):  # type: ignore[type-arg]
    """A mailbox in which messages marked `urgent` overtake the others (each kind in order).

    For an actor many wait on, such as persistence: the loads and saves behind a person's
    message, and the poller's inbox writes, are not queued behind a burst of reminders' saves.
    """

    def _init(self, maxsize: int) -> None:
        super()._init(maxsize)
        self.urgent: deque[Any] = deque()

    def _qsize(self) -> int:
        return len(self.queue) + len(self.urgent)

    def _put(self, item: Any) -> None:
        if getattr(getattr(item, "message", None), "urgent", False):
            self.urgent.append(item)
        else:
            self.queue.append(item)

    def _get(self) -> Any:
        return self.urgent.popleft() if self.urgent else self.queue.popleft()


class Handle:
    """A stable address for an actor: its name and its mailbox, across every incarnation."""

    def __init__(
        self,
        name: str,
        activity: Activity | None = None,
        mailbox: queue.Queue[Envelope] | None = None,
    ) -> None:
        self.name = name
        self.mailbox: queue.Queue[Envelope] = mailbox if mailbox is not None else queue.Queue()
        self.activity = activity
        self.closed = False

    def __repr__(self) -> str:
        return f"Handle({self.name})"

    def tell(self, message: Any) -> None:
        """Queue a message; it is handled by whichever incarnation is (or will be) alive."""
        if self.closed:
            log.debug("dropped %s to closed %s", type(message).__name__, self.name)
            return
        if self.activity is not None:
            self.activity.begin()
        self.mailbox.put(Envelope(message))

    def ask(self, message: Any, *, timeout: float) -> Any:
        """Ask and wait for the answer. For the edges only (CLI, tests, start-up)."""
        future: pykka.ThreadingFuture[Any] = pykka.ThreadingFuture()
        if self.closed:
            raise pykka.ActorDeadError(f"{self.name} is stopped")
        if self.activity is not None:
            self.activity.begin()
        self.mailbox.put(Envelope(message, reply_to=future))
        return future.get(timeout=timeout)

    def pending(self) -> int:
        return self.mailbox.qsize()

    def requeue_front(self, messages: list[Any]) -> None:
        """Put messages back at the head of the mailbox, in order: what a crashed incarnation
        had accepted but not yet handled goes to the next one before anything newer."""
        if not messages or self.closed:
            return
        mailbox = self.mailbox
        with mailbox.mutex:
            for message in reversed(messages):
                if self.activity is not None:
                    self.activity.begin()
                mailbox.queue.appendleft(Envelope(message))  # type: ignore[attr-defined]
                mailbox.unfinished_tasks += 1
            mailbox.not_empty.notify()

    def close(self) -> None:
        """Stop for good: later tells are dropped, queued asks fail."""
        self.closed = True
        while True:
            try:
                envelope = self.mailbox.get_nowait()
            except queue.Empty:
                return
            if self.activity is not None:
                self.activity.end()
            if envelope.reply_to is not None:
                dead = pykka.ActorDeadError(f"{self.name} stopped before handling the message")
                envelope.reply_to.set_exception((pykka.ActorDeadError, dead, None))


class BaseActor(pykka.ThreadingActor):
    """A pykka actor bound to a `Handle`, reporting its failures to its parent.

    Subclasses implement `receive(message)` and optionally `started()`, `stopped()` and
    `crashed()`. Every actor answers `Ping` (liveness through its mailbox), obeys `Stop`
    (leaving what is queued behind it to the next incarnation) and `Crash`.
    """

    def __init__(self, handle: Handle, parent: Handle | None = None) -> None:
        super().__init__()
        self.handle = handle
        self.parent = parent
        # Read the handle's mailbox instead of a private one, so it outlives this incarnation.
        inbox: Any = handle.mailbox
        if handle.activity is not None:
            inbox = _CountingInbox(handle.mailbox, handle.activity)
        self.actor_inbox = inbox
        self.actor_ref.actor_inbox = handle.mailbox
        self._current: Any = None
        if handle.activity is not None:
            handle.activity.begin()  # ended when on_start is over, so start-up counts as busy

    def tell_parent(self, message: Any) -> None:
        if self.parent is not None:
            self.parent.tell(message)

    # --- hooks for subclasses -------------------------------------------------------------
    def started(self) -> None:
        """Set-up in the actor's own thread."""

    def receive(self, message: Any) -> Any:
        log.warning("%s ignored unexpected %s", self.handle.name, type(message).__name__)
        return None

    def stopped(self) -> None:
        """Clean-up after an orderly stop."""

    def crashed(self) -> None:
        """Clean-up after a crash (release threads, sockets); must not raise."""

    def dropped(self, message: Any) -> None:
        """Answer for the message whose handling crashed this incarnation (it is not retried):
        tell the person or the waiting actor, so nobody is left without an answer."""

    def stop_now(self) -> None:
        """Stop when the current message is handled; what is queued stays for the next one."""
        self._stop()

    def unhandled(self) -> list[Any]:
        """Messages this incarnation took from the mailbox but had not handled yet (a stash);
        on a crash they go back to the head of the mailbox for the next incarnation."""
        return []

    # --- pykka plumbing -------------------------------------------------------------------
    def on_start(self) -> None:
        try:
            self.started()
        except Exception as error:
            # pykka calls neither on_failure nor on_stop for a failed on_start: report it here.
            self._report_failure(error, None)
            self._safe_crashed()
            raise
        finally:
            if self.handle.activity is not None:
                self.handle.activity.end()

    def _handle_receive(self, message: Any) -> Any:
        self._current = message
        if isinstance(message, Stop):
            return self._stop()
        if isinstance(message, Ping):
            message.reply_to.tell(Pong(self.handle.name, message.token))
            return None
        if isinstance(message, Crash):
            raise InjectedCrash(message.reason)
        if isinstance(message, Hang):
            threading.Event().wait(message.seconds)
            return None
        return super()._handle_receive(message)

    def on_receive(self, message: Any) -> Any:
        return self.receive(message)

    def _actor_loop_teardown(self) -> None:
        # Keep the mailbox: the next incarnation handles what is queued. A closed handle
        # (final shutdown) fails whatever asks are left.
        if isinstance(self.actor_inbox, _CountingInbox):
            self.actor_inbox.release()
        if self.handle.closed:
            self.handle.close()

    def on_failure(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self._report_failure(exc_value, self._current)
        if self._current is not None:
            try:
                self.dropped(self._current)
            except Exception:  # noqa: BLE001 - must not mask the original failure
                log.exception("%s: answering the dropped message failed", self.handle.name)
        try:
            self.handle.requeue_front(self.unhandled())
        except Exception:  # noqa: BLE001
            log.exception("%s: handing over unhandled messages failed", self.handle.name)
        self._safe_crashed()

    def on_stop(self) -> None:
        try:
            self.stopped()
        finally:
            if self.parent is not None:
                self.parent.tell(ChildStopped(self.handle.name))

    def _report_failure(self, error: BaseException | None, message: Any) -> None:
        if self.parent is not None:
            self.parent.tell(ChildFailed(self.handle.name, describe_error(error), message))

    def _safe_crashed(self) -> None:
        try:
            self.crashed()
        except Exception:  # noqa: BLE001 - clean-up must never mask the original failure
            log.exception("%s: clean-up after crash failed", self.handle.name)


class _CountingInbox:
    """One incarnation's view of its handle's mailbox, counting each envelope as done only
    when the next one is fetched: by then whatever the handler (or `on_failure`) sent is
    itself counted, so the activity count never touches zero in between."""

    def __init__(self, mailbox: queue.Queue[Envelope], activity: Activity) -> None:
        self._mailbox = mailbox
        self._activity = activity
        self._in_hand = False

    def get(self) -> Envelope:
        self.release()
        envelope = self._mailbox.get()
        self._in_hand = True
        return envelope

    def put(self, envelope: Envelope) -> None:
        self._mailbox.put(envelope)

    def empty(self) -> bool:
        return self._mailbox.empty()

    def release(self) -> None:
        if self._in_hand:
            self._in_hand = False
            self._activity.end()


def describe_error(error: BaseException | None) -> str:
    """A short description for logs and alerts: the type and a clipped, redacted message."""
    if error is None:
        return "unknown error"
    from medbot.shell.redact import redact

    text = redact(str(error)).replace("\n", " ")
    if len(text) > 200:
        text = text[:197] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@dataclass
class RestartIntensity:
    """OTP's restart intensity: at most `max_restarts` within `within` seconds."""

    max_restarts: int
    within: float
    now: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._times: deque[float] = deque()

    def allow(self) -> bool:
        """Record a restart; False when this one would exceed the intensity."""
        now = self.now()
        while self._times and now - self._times[0] > self.within:
            self._times.popleft()
        if len(self._times) >= self.max_restarts:
            return False
        self._times.append(now)
        return True

    @property
    def recent(self) -> int:
        return len(self._times)
