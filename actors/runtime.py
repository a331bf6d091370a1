"""The base actor: one thread reading its handle's mailbox, reporting failures to its parent.

pykka's actor loop empties the mailbox when an actor stops or crashes and keeps it private to
one actor object; medbot needs the opposite (the mailbox outlives each incarnation, see
`actors.mailbox`). So the loop is ours, a few dozen lines, and pykka is used only through its
public futures (`Handle.ask`). Nothing here supervises: supervisors restart (`actors.restarts`).
"""

from __future__ import annotations

import itertools
import logging
import threading
from typing import Any, ClassVar

from actors import drills
from actors.activity import CountingInbox
from actors.mailbox import Envelope, Handle
from actors.messages import ChildFailed, ChildStopped, Ping, Pong, Stop
from medbot.shell.redact import redact

log = logging.getLogger(__name__)
_thread_numbers = itertools.count(1)
_running: set[ActorRef] = set()
_running_lock = threading.Lock()


class ActorRef:
    """One started incarnation: whether it still runs, and a way to wait for its end."""

    def __init__(self, handle: Handle, stopped: threading.Event) -> None:
        self.handle = handle
        self.actor_stopped = stopped

    def __repr__(self) -> str:
        return f"ActorRef({self.handle.name})"

    def is_alive(self) -> bool:
        return not self.actor_stopped.is_set()

    def stop(self) -> None:
        """Ask it to stop once it reaches this request (even if its handle is closed)."""
        self.handle.post(Stop())


def running() -> list[ActorRef]:
    """Every incarnation still running: for a test's clean-up."""
    with _running_lock:
        return list(_running)


class BaseActor:
    """An actor bound to a `Handle`, reporting its failures to its parent.

    Subclasses implement `receive(message)` and optionally `started()`, `stopped()`,
    `crashed()`, `dropped()` and `unhandled()`. Every actor answers `Ping` (liveness through its
    mailbox), obeys `Stop` (leaving what is queued behind it to the next incarnation) and the
    drill messages. `start(...)` takes the constructor's arguments and runs the incarnation on
    its own thread; the constructor runs in the caller's thread, everything else in the actor's.
    """

    use_daemon_thread: ClassVar[bool] = False
    """A daemon thread never holds up the process's exit (for an actor blocked in a long poll)."""

    def __init__(self, handle: Handle, parent: Handle | None = None) -> None:
        self.handle = handle
        self.parent = parent
        self.actor_stopped = threading.Event()
        self._counting = (
            CountingInbox(handle.mailbox, handle.activity) if handle.activity is not None else None
        )
        self._current: Any = None
        if handle.activity is not None:
            handle.activity.begin()  # ended when start-up is over, so start-up counts as busy

    @classmethod
    def start(cls, *args: Any, **kwargs: Any) -> ActorRef:
        actor = cls(*args, **kwargs)
        ref = ActorRef(actor.handle, actor.actor_stopped)
        with _running_lock:
            _running.add(ref)
        thread = threading.Thread(
            target=actor._live, args=(ref,), name=f"{cls.__name__}-{next(_thread_numbers)}",
            daemon=cls.use_daemon_thread,
        )
        thread.start()
        return ref

    def tell_parent(self, message: Any) -> None:
        if self.parent is not None:
            self.parent.tell(message)

    # --- hooks for subclasses -------------------------------------------------------------
    def started(self) -> None:
        """Set-up in the actor's own thread."""

    def receive(self, message: Any) -> Any:
        log.warning("%s ignored unexpected %s", self.handle.name, type(message).__name__)
        return None

    def handled(self) -> None:
        """Called after each message but a `Stop`, while the actor still runs."""

    def stop_requested(self) -> bool:
        """A `Stop` arrived: True to stop now, False to go on for a while (and stop later
        with `stop_now`), as the Telegram actor does to send what it holds."""
        return True

    def stopped(self) -> None:
        """Clean-up after an orderly stop."""

    def crashed(self) -> None:
        """Clean-up after a crash (release threads, sockets); must not raise."""

    def dropped(self, message: Any) -> None:
        """Answer for the message whose handling crashed this incarnation (it is not retried):
        tell the person or the waiting actor, so nobody is left without an answer."""

    def unhandled(self) -> list[Any]:
        """Messages this incarnation took from the mailbox but had not handled yet (a stash);
        on a crash they go back to the head of the mailbox for the next incarnation."""
        return []

    def stop_now(self) -> None:
        """Stop when the current message is handled; what is queued stays for the next one."""
        if self.actor_stopped.is_set():
            return
        self.actor_stopped.set()
        try:
            self.stopped()
        except Exception:  # noqa: BLE001 - the stop goes on; the operator sees why
            log.exception("%s: clean-up after stop failed", self.handle.name)
        finally:
            self.tell_parent(ChildStopped(self.handle.name))

    # --- the loop -------------------------------------------------------------------------
    def _live(self, ref: ActorRef) -> None:
        try:
            if self._start_up():
                self._loop()
        finally:
            if self._counting is not None:
                self._counting.release()
            if self.handle.closed:  # final shutdown: fail whatever asks are left
                self.handle.close()
            with _running_lock:
                _running.discard(ref)

    def _start_up(self) -> bool:
        try:
            self.started()
            return True
        except Exception as error:  # noqa: BLE001 - reported to the parent, which restarts
            log.error("%s failed to start", self.handle.name, exc_info=True)
            self.actor_stopped.set()
            self._report_failure(error, None)
            self._safe_crashed()
            return False
        finally:
            if self.handle.activity is not None:
                self.handle.activity.end()

    def _next(self) -> Envelope:
        return self._counting.get() if self._counting is not None else self.handle.mailbox.get()

    def _loop(self) -> None:
        while not self.actor_stopped.is_set():
            envelope = self._next()
            try:
                answer = self._deliver(envelope.message)
                if envelope.reply_to is not None:
                    envelope.reply_to.set(answer)
            except Exception as error:  # noqa: BLE001 - a crash of this incarnation only
                if envelope.reply_to is not None:  # an ask: the asker gets the error
                    log.info("%s: error returned to the asker", self.handle.name, exc_info=True)
                    envelope.reply_to.set_exception()
                    continue
                log.error("Unhandled exception in %s", self.handle.name, exc_info=True)
                self.actor_stopped.set()
                self._crash(error)
            except BaseException:
                log.error("%s stops on a fatal error", self.handle.name, exc_info=True)
                self.stop_now()
                return

    def _deliver(self, message: Any) -> Any:
        self._current = message
        if isinstance(message, Stop):
            if self.stop_requested():
                self.stop_now()
            return None
        if isinstance(message, Ping):
            message.reply_to.tell(Pong(self.handle.name, message.token))
            answer = None
        elif drills.obey(message):
            answer = None
        else:
            answer = self.receive(message)
        if not self.actor_stopped.is_set():
            self.handled()
        return answer

    def _crash(self, error: BaseException) -> None:
        self._report_failure(error, self._current)
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

    def _report_failure(self, error: BaseException | None, message: Any) -> None:
        self.tell_parent(ChildFailed(self.handle.name, describe_error(error), message))

    def _safe_crashed(self) -> None:
        try:
            self.crashed()
        except Exception:  # noqa: BLE001 - clean-up must never mask the original failure
            log.exception("%s: clean-up after crash failed", self.handle.name)


def describe_error(error: BaseException | None) -> str:
    """A short description for logs and alerts: the type and a clipped, redacted message."""
    if error is None:
        return "unknown error"
    text = redact(str(error)).replace("\n", " ")
    if len(text) > 200:
        text = text[:197] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
