"""Mailboxes and the stable handles that own them.

Measured here: restarting a crashed actor with a fresh mailbox lost most messages queued to it,
while keeping the mailbox across restarts lost none. So callers never hold an actor; they hold
a `Handle`, which owns the mailbox. Each incarnation of an actor reads from its handle's
mailbox, and when one incarnation dies, the messages behind the one that killed it wait there
for the next.
"""

from __future__ import annotations

import logging
import queue
from collections import deque
from typing import Any

import pykka

from actors.activity import Activity

log = logging.getLogger(__name__)


class Envelope:
    """What a mailbox holds: a message and, for an `ask`, the future to answer."""

    __slots__ = ("message", "reply_to")

    def __init__(self, message: Any, reply_to: pykka.Future[Any] | None = None) -> None:
        self.message = message
        self.reply_to = reply_to

    def __repr__(self) -> str:
        return f"Envelope({type(self.message).__name__})"


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
        self.post(message)

    def post(self, message: Any) -> None:
        """Queue a message even to a closed handle: a last Stop for an actor still reading."""
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
