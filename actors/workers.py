"""Blocking I/O off an actor's thread: the job runs on a small pool, its result comes back to
the actor as a `JobDone` message.

An actor must never block on a slow HTTP call (one slow Groq answer would hold up everyone's
messages), yet its state must only be touched by its own thread. So the actor decides, a pool
thread waits on the network, and the outcome is just another message in the actor's mailbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from actors.mailbox import Handle
from actors.messages import JobDone

log = logging.getLogger(__name__)


class WorkerPool:
    def __init__(self, name: str, size: int, reply_to: Handle) -> None:
        self.reply_to = reply_to
        self.in_flight = 0
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix=name)

    def submit(self, tag: Any, job: Callable[[], Any]) -> None:
        """Run `job()` on the pool; the actor later receives `JobDone(tag, result, error)`."""
        activity = self.reply_to.activity
        if activity is not None:
            activity.begin()  # the job is work in flight until its JobDone is queued
        self.in_flight += 1

        def run() -> None:
            try:
                try:
                    done = JobDone(tag, job(), None)
                except BaseException as error:  # noqa: BLE001 - every outcome goes back
                    done = JobDone(tag, None, error)
                self.reply_to.tell(done)
            finally:
                if activity is not None:
                    activity.end()

        self._executor.submit(run)

    def finished(self) -> None:
        """Called by the actor for each JobDone it handles (keeps `in_flight` honest)."""
        self.in_flight = max(0, self.in_flight - 1)

    def shutdown(self, wait: bool = False) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=True)
