"""Telegram's sending limits as the fake Bot API enforces them: token buckets per chat and overall.

Telegram documents "about 1 message per second per chat, about 30 per second overall", allows short
bursts, and answers 429 with ``retry_after``; sending again before that time has passed is refused
again. This module is only the arithmetic; the server decides which calls count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class Bucket:
    """A token bucket: ``capacity`` sends at once, refilled at ``rate`` per second."""

    rate: float
    capacity: float
    tokens: float
    updated: float

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class TelegramLimits:
    """Whether a send may go now; the caller serialises calls (the fake holds its lock)."""

    per_chat_per_second: float
    global_per_second: float
    per_chat_burst: int
    global_burst: int
    methods: frozenset[str]
    chats: dict[int | None, Bucket] = field(default_factory=dict)
    overall: Bucket | None = None
    chat_refused_until: dict[int | None, float] = field(default_factory=dict)
    overall_refused_until: float = 0.0

    def admit(self, chat_id: int | None, now: float) -> int | None:
        """None when the send may go; otherwise the retry_after Telegram would answer."""
        penalty = max(self.chat_refused_until.get(chat_id, 0.0), self.overall_refused_until) - now
        if penalty > 0:
            return max(1, math.ceil(penalty))
        if self.overall is None:
            self.overall = Bucket(self.global_per_second, self.global_burst, self.global_burst, now)
        chat = self.chats.setdefault(
            chat_id, Bucket(self.per_chat_per_second, self.per_chat_burst, self.per_chat_burst, now)
        )
        chat_wait, overall_wait = chat.wait(now), self.overall.wait(now)
        if chat_wait == 0 and overall_wait == 0:
            chat.tokens -= 1
            self.overall.tokens -= 1
            return None
        retry_after = max(1, math.ceil(max(chat_wait, overall_wait)))
        if chat_wait > 0:
            self.chat_refused_until[chat_id] = now + retry_after
        if overall_wait > 0:
            self.overall_refused_until = now + retry_after
        return retry_after
