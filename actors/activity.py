"""How many messages and jobs are still in flight, so tests can wait for a quiet system.

Tests drive time with a virtual clock; after moving it they wait here until every message
that move caused has been handled, instead of sleeping.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any


class Activity:
    """Counts messages and jobs not yet finished."""

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


class CountingInbox:
    """One incarnation's view of its handle's mailbox, counting each envelope as done only
    when the next one is fetched: by then whatever the handler (or the crash handling) sent is
    itself counted, so the activity count never touches zero in between."""

    def __init__(self, mailbox: queue.Queue[Any], activity: Activity) -> None:
        self._mailbox = mailbox
        self._activity = activity
        self._in_hand = False

    def get(self) -> Any:
        self.release()
        envelope = self._mailbox.get()
        self._in_hand = True
        return envelope

    def release(self) -> None:
        if self._in_hand:
            self._in_hand = False
            self._activity.end()
