"""The runtime: handles keep mailboxes across incarnations; failures reach the parent."""

from __future__ import annotations

import threading
from typing import Any

import pykka
import pytest

from actors.activity import Activity
from actors.mailbox import Handle
from actors.messages import ChildFailed, ChildStopped, Crash, Ping, Pong, Stop
from actors.restarts import RestartIntensity
from actors.runtime import BaseActor


class Recorder(BaseActor):
    def __init__(self, handle: Handle, parent: Handle | None, seen: list[Any]) -> None:
        super().__init__(handle, parent)
        self.seen = seen

    def receive(self, message: Any) -> Any:
        if message == "ask":
            return "answer"
        self.seen.append(message)
        return None


class FailsToStart(BaseActor):
    def started(self) -> None:
        raise RuntimeError("cannot start")


def test_crash_drops_only_the_crashing_message_and_the_next_incarnation_gets_the_rest() -> None:
    activity = Activity()
    parent, events = Handle("parent", activity), []
    Recorder.start(parent, None, events)
    child, seen = Handle("child", activity), []
    first = Recorder.start(child, parent, seen)
    for message in (1, Crash("boom"), 2, 3):
        child.tell(message)
    first.actor_stopped.wait(5)
    assert not first.is_alive()
    Recorder.start(child, parent, seen)
    assert activity.wait_idle(5)
    assert seen == [1, 2, 3]
    failures = [event for event in events if isinstance(event, ChildFailed)]
    assert failures == [ChildFailed("child", "InjectedCrash: boom", Crash("boom"))]


def test_stop_leaves_later_messages_for_the_next_incarnation() -> None:
    activity = Activity()
    parent, events = Handle("parent", activity), []
    Recorder.start(parent, None, events)
    child, seen = Handle("child", activity), []
    first = Recorder.start(child, parent, seen)
    child.tell("a")
    child.tell(Stop())
    child.tell("b")
    first.actor_stopped.wait(5)
    assert seen == ["a"] and child.pending() == 1
    Recorder.start(child, parent, seen)
    assert activity.wait_idle(5)
    assert seen == ["a", "b"]
    assert ChildStopped("child") in events


def test_failure_in_start_is_reported_to_the_parent() -> None:
    activity = Activity()
    parent, events = Handle("parent", activity), []
    Recorder.start(parent, None, events)
    child = Handle("child", activity)
    FailsToStart.start(child, parent)
    assert activity.wait_idle(5)
    assert [type(event) for event in events] == [ChildFailed]
    assert events[0].error == "RuntimeError: cannot start"


def test_ping_is_answered_through_the_mailbox() -> None:
    activity = Activity()
    probe, answers = Handle("probe", activity), []
    Recorder.start(probe, None, answers)
    child = Handle("child", activity)
    Recorder.start(child, None, [])
    child.tell(Ping(probe, 7))
    assert activity.wait_idle(5)
    assert answers == [Pong("child", 7)]


def test_ask_has_a_timeout_and_closed_handles_refuse() -> None:
    child = Handle("child")
    assert child.pending() == 0
    with pytest.raises(pykka.Timeout):
        child.ask("ask", timeout=0.05)  # nobody is reading: the timeout is what saves us
    ref = Recorder.start(child, None, [])
    assert child.ask("ask", timeout=5) == "answer"
    child.tell(Stop())
    ref.actor_stopped.wait(5)
    child.close()
    with pytest.raises(pykka.ActorDeadError):
        child.ask("ask", timeout=1)
    child.tell("dropped quietly")
    assert child.pending() == 0


def test_restart_intensity_counts_restarts_in_a_sliding_window() -> None:
    now = [0.0]
    intensity = RestartIntensity(3, 10.0, now=lambda: now[0])
    assert [intensity.allow() for _ in range(3)] == [True, True, True]
    assert intensity.allow() is False
    now[0] = 10.5
    assert intensity.allow() is True
    assert intensity.recent == 1


def test_activity_waits_for_messages_sent_by_handlers() -> None:
    activity = Activity()
    sink, seen = Handle("sink", activity), []
    Recorder.start(sink, None, seen)

    class Relay(BaseActor):
        def receive(self, message: Any) -> None:
            if message > 0:
                self.handle.tell(message - 1)
            else:
                sink.tell("done")

    relay = Handle("relay", activity)
    Relay.start(relay)
    relay.tell(200)
    assert activity.wait_idle(10)
    assert seen == ["done"]
    assert threading.active_count() >= 2


def test_an_unhandled_stash_goes_back_to_the_head_of_the_mailbox_after_a_crash() -> None:
    class Stasher(BaseActor):
        """Stashes everything until "go", then handles the stash inline, like a user actor
        does after loading; "boom" crashes it."""

        def __init__(self, handle: Handle, seen: list[Any]) -> None:
            super().__init__(handle)
            self.seen = seen
            self.stash: list[Any] = []

        def receive(self, message: Any) -> None:
            if message != "go":
                self.stash.append(message)
                return
            while self.stash:
                item = self.stash.pop(0)
                self._current = item
                if item == "boom":
                    raise RuntimeError("boom")
                self.seen.append(item)

        def unhandled(self) -> list[Any]:
            return list(self.stash)

    activity = Activity()
    actor, seen = Handle("stasher", activity), []
    first = Stasher.start(actor, seen)
    for message in ("a", "boom", "b", "c", "go", "d"):
        actor.tell(message)
    first.actor_stopped.wait(5)
    assert seen == ["a"]
    assert [envelope.message for envelope in list(actor.mailbox.queue)] == ["b", "c", "d"]
    Stasher.start(actor, seen)
    actor.tell("go")
    assert activity.wait_idle(5)
    assert seen == ["a", "b", "c", "d"]  # only "boom" was dropped, the order kept


def test_urgent_messages_overtake_the_queue_each_kind_in_order() -> None:
    from dataclasses import dataclass

    from actors.mailbox import UrgentFirstQueue

    @dataclass(frozen=True)
    class Note:
        n: int
        urgent: bool = False

    handle = Handle("persistence", mailbox=UrgentFirstQueue())
    for n in range(3):
        handle.tell(Note(n))
    handle.tell(Note(10, urgent=True))
    handle.tell(Note(3))
    handle.tell(Note(11, urgent=True))
    handle.requeue_front([Note(-1)])  # a crashed incarnation's leftovers: first of the ordinary ones
    assert handle.pending() == 7
    order = [handle.mailbox.get_nowait().message.n for _ in range(7)]
    assert order == [10, 11, -1, 0, 1, 2, 3]
