"""The worker pool: results and errors come back as messages; activity covers the job."""

from __future__ import annotations

import threading
from typing import Any

from actors.activity import Activity
from actors.mailbox import Handle
from actors.messages import JobDone
from actors.runtime import BaseActor
from actors.workers import WorkerPool


class Owner(BaseActor):
    def __init__(self, handle: Handle, seen: list[Any]) -> None:
        super().__init__(handle)
        self.seen = seen

    def receive(self, message: Any) -> None:
        self.seen.append(message)


def test_results_and_errors_come_back_as_job_done() -> None:
    activity = Activity()
    owner, seen = Handle("owner", activity), []
    Owner.start(owner, seen)
    pool = WorkerPool("test", 2, owner)
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "slow"

    def broken() -> None:
        raise ValueError("nope")

    pool.submit("a", slow)
    pool.submit("b", broken)
    assert not activity.wait_idle(0.05)  # the slow job is still work in flight
    release.set()
    assert activity.wait_idle(5)
    results = {message.tag: message for message in seen}
    assert results["a"] == JobDone("a", "slow", None)
    assert isinstance(results["b"].error, ValueError)
    pool.shutdown(wait=True)
