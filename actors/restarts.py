"""Restart policy shared by both supervisors: OTP's restart intensity."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class RestartIntensity:
    """At most `max_restarts` within `within` seconds; one more means escalate."""

    max_restarts: int
    within: float
    now: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._times: deque[float] = deque()

    def allow(self) -> bool:
        """Record a restart; False when this one would exceed the intensity."""
        now = self.now()
        while self._times and now - self._times[0] > self.within:
            self._times.popleft()
        if len(self._times) >= self.max_restarts:
            return False
        self._times.append(now)
        return True

    @property
    def recent(self) -> int:
        return len(self._times)
