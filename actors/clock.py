"""The Clock: one timer service - a heap and one thread - delivering messages at instants.

Timers are keyed: setting a timer with a key already in use replaces it, which is how a user's
single "next wake-up" timer moves as their schedule changes. The heap lives in a `TimerTable`
that outlives a crashed incarnation of the actor (like its mailbox), so a clock crash loses no
reminder.

Time comes from a `TimeSource`. `WallTime` is the real clock: the actor's mailbox wakes it at
the next deadline, and at least once a second, so a wall-clock jump (NTP, suspend) is noticed
within a second. `VirtualTime` is for tests: time moves only when the test says so.

The app runs two instances of this one mechanism: `clock` on wall time, for what is due at a
local hour (reminders, idleness, the LLM's deadline), and `timers` on `SteadyTime`, for delays
that must not move with the wall clock (a rate limit's wake-up, a deferred write): a wall-clock
step back must never hold Telegram sends up.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from actors.activity import Activity
from actors.mailbox import Envelope, Handle
from actors.messages import CancelTimer, NextTimer, SetTimer, StatusReport, StatusRequest, Tick
from actors.runtime import BaseActor

MAX_WAIT = 1.0
"""Longest the clock sleeps without looking at the wall clock again (seconds)."""


class TimeSource(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class WallTime:
    real = True

    def now(self) -> float:
        return time.time()


class SteadyTime:
    """The monotonic clock: for delays, never for dates."""

    real = True

    def now(self) -> float:
        return time.monotonic()


class VirtualTime:
    """Time that moves only when a test moves it; listeners (the clock) are told each move."""

    real = False

    def __init__(self, start: float) -> None:
        self._now = start
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        return self._now

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def set(self, instant: float) -> None:
        with self._lock:
            if instant < self._now:
                raise ValueError("virtual time never goes backwards")
            self._now = instant
        for listener in list(self._listeners):
            listener()

    def advance(self, seconds: float) -> None:
        self.set(self._now + seconds)


@dataclass(frozen=True)
class _Timer:
    at: float
    target: Handle
    message: Any


class TimerTable:
    """Keyed timers in a heap with lazy deletion: O(log n) set, cancel and pop."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Any]] = []
        self._live: dict[Any, tuple[int, _Timer]] = {}
        self._counter = itertools.count()

    def __len__(self) -> int:
        return len(self._live)

    def set(self, key: Any, at: float, target: Handle, message: Any) -> None:
        serial = next(self._counter)
        self._live[key] = (serial, _Timer(at, target, message))
        heapq.heappush(self._heap, (at, serial, key))
        self._compact()

    def cancel(self, key: Any) -> None:
        self._live.pop(key, None)
        self._compact()

    def next_at(self) -> float | None:
        self._drop_stale_head()
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float) -> list[_Timer]:
        """Remove and return every timer due at `now`, earliest first."""
        due: list[_Timer] = []
        while True:
            self._drop_stale_head()
            if not self._heap or self._heap[0][0] > now:
                return due
            _, _, key = heapq.heappop(self._heap)
            due.append(self._live.pop(key)[1])

    def _drop_stale_head(self) -> None:
        while self._heap:
            _, serial, key = self._heap[0]
            live = self._live.get(key)
            if live is not None and live[0] == serial:
                return
            heapq.heappop(self._heap)

    def _compact(self) -> None:
        # Replaced and cancelled entries stay in the heap until popped; rebuild when they
        # outnumber the live ones, so memory stays proportional to live timers.
        if len(self._heap) > 64 and len(self._heap) > 2 * len(self._live):
            self._heap = [(timer.at, serial, key) for key, (serial, timer) in self._live.items()]
            heapq.heapify(self._heap)


class ClockMailbox(queue.Queue[Envelope]):
    """The clock's mailbox: `get` also returns a `Tick` when the next deadline comes.

    This is what lets one thread both take `SetTimer` messages and sleep until the next timer.
    """

    def __init__(self, time_source: TimeSource) -> None:
        super().__init__()
        self.time_source = time_source
        self.deadline: float | None = None
        self.activity: Activity | None = None

    def get(self, block: bool = True, timeout: float | None = None) -> Envelope:
        if not block or timeout is not None or not getattr(self.time_source, "real", False):
            return super().get(block, timeout)
        while True:
            wait = MAX_WAIT
            if self.deadline is not None:
                wait = min(wait, self.deadline - self.time_source.now())
                if wait <= 0:
                    return self._tick()
            try:
                return super().get(True, wait)
            except queue.Empty:
                continue

    def _tick(self) -> Envelope:
        if self.activity is not None:
            self.activity.begin()
        return Envelope(Tick())


def clock_handle(time_source: TimeSource, activity: Activity | None = None, name: str = "clock") -> Handle:
    """The clock's handle, with the mailbox that wakes it at deadlines."""
    mailbox = ClockMailbox(time_source)
    mailbox.activity = activity
    handle = Handle(name, activity, mailbox=mailbox)
    if isinstance(time_source, VirtualTime):
        time_source.subscribe(lambda: handle.tell(Tick()))
    return handle


class ClockActor(BaseActor):
    def __init__(
        self,
        handle: Handle,
        parent: Handle | None,
        time_source: TimeSource,
        table: TimerTable,
    ) -> None:
        super().__init__(handle, parent)
        self.time_source = time_source
        self.table = table
        self.fired = 0

    def started(self) -> None:
        self._fire_due()

    def receive(self, message: Any) -> Any:
        match message:
            case SetTimer(key=key, at=at, target=target, message=payload):
                self.table.set(key, at, target, payload)
            case CancelTimer(key=key):
                self.table.cancel(key)
            case Tick():
                pass
            case NextTimer():
                return self.table.next_at()
            case StatusRequest(reply_to=reply_to):
                reply_to.tell(
                    StatusReport(self.handle.name, {"timers": len(self.table), "fired": self.fired})
                )
            case _:
                return super().receive(message)
        self._fire_due()
        return None

    def _fire_due(self) -> None:
        for timer in self.table.pop_due(self.time_source.now()):
            self.fired += 1
            timer.target.tell(timer.message)
        mailbox = self.handle.mailbox
        if isinstance(mailbox, ClockMailbox):
            mailbox.deadline = self.table.next_at()


def start_timers(activity: Activity | None = None, time_source: TimeSource | None = None) -> Handle:
    """A running `timers` clock (steady time unless told otherwise), for actors' delays."""
    source = time_source if time_source is not None else SteadyTime()
    handle = clock_handle(source, activity, "timers")
    ClockActor.start(handle, None, source, TimerTable())
    return handle


class Delay:
    """At most one pending delayed message from an actor to itself, through a clock.

    Owned by one actor and used from its thread only. A later `schedule` never postpones an
    earlier pending one. With `counted`, a pending delay counts as activity, so a test waiting
    for a quiet system also waits for work held back by it (the send scheduler's rate limits).
    """

    def __init__(
        self, timers: Handle, target: Handle, key: Any, message: Any, *, counted: bool = False
    ) -> None:
        self._timers = timers
        self._target = target
        self._key = key
        self._message = message
        self._activity = target.activity if counted else None
        self._now = time_of(timers)
        self.due: float | None = None

    @property
    def pending(self) -> bool:
        return self.due is not None

    def schedule(self, delay: float) -> None:
        due = self._now() + max(0.0, delay)
        if self.due is not None and self.due <= due:
            return
        if self.due is None and self._activity is not None:
            self._activity.begin()
        self.due = due
        self._timers.tell(SetTimer(self._key, due, self._target, self._message))

    def fired(self) -> None:
        """The message arrived: the delay is over (a message sent otherwise leaves it be)."""
        if self.due is not None and self.due <= self._now():
            self._over()

    def cancel(self) -> None:
        if self.due is not None:
            self._timers.tell(CancelTimer(self._key))
            self._over()

    def _over(self) -> None:
        self.due = None
        if self._activity is not None:
            self._activity.end()


def time_of(timers: Handle) -> Callable[[], float]:
    """The time a clock keeps (its time source's `now`)."""
    mailbox = timers.mailbox
    if not isinstance(mailbox, ClockMailbox):
        raise TypeError("a Delay needs a clock's handle (made by clock_handle)")
    return mailbox.time_source.now
