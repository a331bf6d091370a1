"""The Clock: keyed timers fire in order at their instants, with virtual or wall time."""

from __future__ import annotations

import time
from typing import Any

from actors.activity import Activity
from actors.clock import ClockActor, TimerTable, VirtualTime, WallTime, clock_handle
from actors.mailbox import Handle
from actors.messages import CancelTimer, NextTimer, SetTimer
from actors.runtime import BaseActor


class Sink(BaseActor):
    def __init__(self, handle: Handle, seen: list[tuple[float, Any]], now: Any) -> None:
        super().__init__(handle)
        self.seen = seen
        self.now = now

    def receive(self, message: Any) -> None:
        self.seen.append((self.now(), message))


def test_timer_table_replaces_by_key_and_pops_in_order() -> None:
    table, target = TimerTable(), Handle("t")
    table.set("a", 30.0, target, "a")
    table.set("b", 10.0, target, "b")
    table.set("a", 20.0, target, "a2")  # replaces the first "a"
    table.set("c", 40.0, target, "c")
    table.cancel("c")
    assert len(table) == 2 and table.next_at() == 10.0
    assert [timer.message for timer in table.pop_due(25.0)] == ["b", "a2"]
    assert table.pop_due(100.0) == [] and table.next_at() is None


def test_timer_table_memory_stays_proportional_to_live_timers() -> None:
    table, target = TimerTable(), Handle("t")
    for round_ in range(100):
        for key in range(50):
            table.set(key, float(round_ * 100 + key), target, key)
    assert len(table) == 50
    assert len(table._heap) <= 2 * 50 + 64


def test_virtual_clock_fires_each_timer_when_time_reaches_it() -> None:
    activity = Activity()
    virtual = VirtualTime(1000.0)
    sink, seen = Handle("sink", activity), []
    Sink.start(sink, seen, virtual.now)
    clock = clock_handle(virtual, activity)
    ClockActor.start(clock, None, virtual, TimerTable())
    clock.tell(SetTimer("x", 1060.0, sink, "x"))
    clock.tell(SetTimer("y", 1030.0, sink, "y"))
    clock.tell(SetTimer("z", 1090.0, sink, "z"))
    clock.tell(CancelTimer("z"))
    assert activity.wait_idle(5)
    assert clock.ask(NextTimer(), timeout=5) == 1030.0
    virtual.set(1045.0)
    assert activity.wait_idle(5)
    assert seen == [(1045.0, "y")]
    virtual.set(1060.0)
    assert activity.wait_idle(5)
    assert seen[-1] == (1060.0, "x") and len(seen) == 2
    virtual.advance(3600)
    assert activity.wait_idle(5)
    assert len(seen) == 2  # the cancelled timer never fires


def test_timers_survive_a_clock_crash() -> None:
    from actors.messages import Crash

    activity = Activity()
    virtual = VirtualTime(0.0)
    sink, seen = Handle("sink", activity), []
    Sink.start(sink, seen, virtual.now)
    clock, table = clock_handle(virtual, activity), TimerTable()
    first = ClockActor.start(clock, None, virtual, table)
    clock.tell(SetTimer("k", 10.0, sink, "kept"))
    clock.tell(Crash())
    first.actor_stopped.wait(5)
    ClockActor.start(clock, None, virtual, table)
    virtual.set(10.0)
    assert activity.wait_idle(5)
    assert seen == [(10.0, "kept")]


def test_wall_clock_fires_close_to_the_instant() -> None:
    activity = Activity()
    wall = WallTime()
    sink, seen = Handle("sink", activity), []
    Sink.start(sink, seen, wall.now)
    clock = clock_handle(wall, activity)
    ClockActor.start(clock, None, wall, TimerTable())
    due = time.time() + 0.2
    clock.tell(SetTimer("soon", due, sink, "soon"))
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        activity.wait_idle(0.5)
    assert seen and seen[0][1] == "soon"
    assert seen[0][0] >= due  # never early


def test_closing_a_wall_clock_handle_does_not_block() -> None:
    wall = WallTime()
    clock = clock_handle(wall)
    ref = ClockActor.start(clock, None, wall, TimerTable())
    clock.tell(SetTimer("later", time.time() + 3600, Handle("t"), "x"))
    from actors.messages import Stop

    clock.tell(Stop())
    assert ref.actor_stopped.wait(5)
    clock.tell("left over")
    clock.close()  # drains with get_nowait: must return at once, not wait for a deadline
    assert clock.pending() == 0
