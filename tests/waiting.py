"""Waiting for a condition in tests without sleeping for a fixed time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], object], timeout: float = 10.0, step: float = 0.01) -> bool:
    """True as soon as `predicate()` is truthy; False if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        pause.wait(step)


def stop_all_actors(timeout: float = 10.0) -> None:
    """Stop every actor a test left running, and wait for them (at most `timeout` seconds)."""
    from actors.runtime import running

    refs = running()
    for ref in refs:
        ref.stop()
    deadline = time.monotonic() + timeout
    for ref in refs:
        ref.actor_stopped.wait(max(0.0, deadline - time.monotonic()))
