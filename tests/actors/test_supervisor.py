"""The root supervisor: one-for-one restarts, restart intensity, escalation, alerts."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

import pytest

from actors.activity import Activity
from actors.mailbox import Handle
from actors.messages import Alert, Crash, Priority, SendMessage, StatusReport, StatusRequest
from actors.runtime import BaseActor
from actors.supervisor import AlertGate, ChildSpec, Supervisor
from tests.waiting import wait_until


@dataclass(frozen=True)
class Work:
    sender: int
    seq: int
    crash: bool = False


class Worker(BaseActor):
    """Records work in order; crashes on the messages marked to crash."""

    def __init__(self, handle: Handle, parent: Handle, log: list[tuple[int, int]]) -> None:
        super().__init__(handle, parent)
        self.log = log

    def receive(self, message: Any) -> None:
        if isinstance(message, Work):
            if message.crash:
                raise RuntimeError(f"poison {message.sender}/{message.seq}")
            self.log.append((message.sender, message.seq))


class Collector(BaseActor):
    def __init__(self, handle: Handle, seen: list[Any]) -> None:
        super().__init__(handle)
        self.seen = seen

    def receive(self, message: Any) -> None:
        self.seen.append(message)


def start_tree(
    activity: Activity, log: list[tuple[int, int]], *, max_restarts: int, within: float = 60.0
) -> tuple[Handle, Handle, list[str], list[Any]]:
    telegram, outbox = Handle("telegram", activity), []
    Collector.start(telegram, outbox)
    worker = Handle("worker", activity)
    spec = ChildSpec(
        "worker", worker, lambda handle, parent: Worker.start(handle, parent, log),
        max_restarts=max_restarts, within=within,
    )
    escalations: list[str] = []
    root = Handle("supervisor", activity)
    Supervisor.start(
        root, [spec], escalations.append, telegram=telegram, admin_chat_id=42,
        alert_gate=AlertGate(interval=3600),
    )
    return root, worker, escalations, outbox


def test_a_crashed_child_is_restarted_and_the_admin_alerted_once_per_hour() -> None:
    activity, log = Activity(), []
    root, worker, escalations, outbox = start_tree(activity, log, max_restarts=5)
    worker.tell(Work(1, 1))
    worker.tell(Work(1, 2, crash=True))
    worker.tell(Work(1, 3))
    worker.tell(Crash())
    worker.tell(Work(1, 4))
    assert activity.wait_idle(10)
    assert log == [(1, 1), (1, 3), (1, 4)]
    assert escalations == []
    alerts = [message for message in outbox if isinstance(message, SendMessage)]
    assert len(alerts) == 1  # two crashes, one alert of that kind within the hour
    assert alerts[0].chat_id == 42 and alerts[0].priority == Priority.ALERT
    assert "worker" in alerts[0].text


def test_a_child_crashing_beyond_its_intensity_escalates_once() -> None:
    activity, log = Activity(), []
    root, worker, escalations, _ = start_tree(activity, log, max_restarts=3)
    for seq in range(6):
        worker.tell(Work(1, seq, crash=True))
    # Three restarts are allowed; the fourth crash escalates and the child stays down.
    assert wait_until(lambda: escalations)
    assert len(escalations) == 1
    assert "worker crashed more than 3 times" in escalations[0]
    report = []
    probe = Handle("probe")
    Collector.start(probe, report)
    root.tell(StatusRequest(probe))
    assert wait_until(lambda: report)
    tree = report[0].fields["children"]
    assert tree == [{"name": "worker", "alive": False, "restarts": 3, "mailbox": 2}]


def test_alerts_from_other_actors_are_gated_per_kind() -> None:
    activity, log = Activity(), []
    root, _, _, outbox = start_tree(activity, log, max_restarts=5)
    for _ in range(3):
        root.tell(Alert("storage", "disk full"))
    root.tell(Alert("llm_funds", "out of funds"))
    assert activity.wait_idle(10)
    texts = [message.text for message in outbox if isinstance(message, SendMessage)]
    assert texts == ["disk full", "out of funds"]


def test_status_reports_the_tree() -> None:
    activity, log = Activity(), []
    root, worker, _, _ = start_tree(activity, log, max_restarts=5)
    seen: list[Any] = []
    probe = Handle("probe", activity)
    Collector.start(probe, seen)
    root.tell(StatusRequest(probe))
    assert activity.wait_idle(10)
    assert seen == [
        StatusReport("supervisor", {
            "children": [{"name": "worker", "alive": True, "restarts": 0, "mailbox": 0}],
            "alerts_suppressed": 0,
        })
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_stress_crash_every_fiftieth_message_loses_nothing_and_keeps_order(seed: int) -> None:
    """Several senders; the worker dies on ~1 message in 50; hundreds of restarts later every
    other message was handled exactly once, in each sender's order."""
    activity, log = Activity(), []
    _, worker, escalations, _ = start_tree(activity, log, max_restarts=100_000)
    rng = random.Random(seed)
    senders, per_sender = 4, 2500
    plans = {
        sender: [rng.random() < 0.02 for _ in range(per_sender)] for sender in range(senders)
    }

    def send(sender: int) -> None:
        for seq, crash in enumerate(plans[sender]):
            worker.tell(Work(sender, seq, crash))

    threads = [threading.Thread(target=send, args=(sender,)) for sender in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert activity.wait_idle(120)
    crashes = sum(sum(plan) for plan in plans.values())
    assert crashes > 150  # hundreds of restarts in all
    assert escalations == []
    for sender in range(senders):
        handled = [seq for who, seq in log if who == sender]
        expected = [seq for seq, crash in enumerate(plans[sender]) if not crash]
        assert handled == expected
