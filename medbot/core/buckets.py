"""Token buckets: the one rate-limiting rule used everywhere (Telegram sends, Groq calls,
a person's messages). Pure: the caller passes the time, so tests need no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """Holds up to `capacity` tokens, refilled continuously at `rate` tokens per second."""

    capacity: float
    rate: float
    tokens: float = field(default=-1.0)
    updated: float = 0.0

    def __post_init__(self) -> None:
        if self.capacity <= 0 or self.rate <= 0:
            raise ValueError("a token bucket needs a positive capacity and rate")
        if self.tokens < 0:
            self.tokens = self.capacity

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def take(self, now: float, amount: float = 1.0) -> bool:
        """Take `amount` tokens if they are there; False (and nothing taken) if not."""
        self._refill(now)
        if self.tokens + 1e-9 >= amount:
            self.tokens -= amount
            return True
        return False

    def wait(self, now: float, amount: float = 1.0) -> float:
        """Seconds until `amount` tokens will be there (0 if they are now)."""
        self._refill(now)
        missing = min(amount, self.capacity) - self.tokens
        return 0.0 if missing <= 1e-9 else missing / self.rate

    def drain(self, now: float, seconds: float) -> None:
        """Empty the bucket and hold it empty for `seconds` (a server said "retry after")."""
        self._refill(now)
        self.tokens = -seconds * self.rate


@dataclass
class DailyQuota:
    """A count per calendar day (the caller says which day it is)."""

    limit: int
    day: str = ""
    used: int = 0

    def take(self, day: str, amount: int = 1) -> bool:
        if day != self.day:
            self.day, self.used = day, 0
        if self.used + amount > self.limit:
            return False
        self.used += amount
        return True

    def left(self, day: str) -> int:
        return self.limit if day != self.day else max(0, self.limit - self.used)
