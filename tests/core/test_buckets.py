"""Token buckets and daily quotas: the arithmetic every rate limit relies on."""

from __future__ import annotations

import pytest

from medbot.core.buckets import DailyQuota, TokenBucket


def test_bucket_allows_a_burst_then_the_refill_rate() -> None:
    bucket = TokenBucket(capacity=3, rate=1.0, updated=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.wait(0.0) == pytest.approx(1.0)
    assert bucket.take(0.5) is False
    assert bucket.take(1.0) is True
    assert bucket.take(10.0, amount=3) is True  # refills to capacity, never beyond


def test_drain_holds_the_bucket_empty_for_retry_after() -> None:
    bucket = TokenBucket(capacity=30, rate=30.0, updated=0.0)
    bucket.drain(0.0, seconds=5)
    assert bucket.take(4.9) is False
    assert bucket.wait(4.9) == pytest.approx(0.1 + 1 / 30, abs=1e-6)
    assert bucket.take(5.1) is True


def test_bucket_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        TokenBucket(capacity=0, rate=1)


def test_daily_quota_resets_each_day() -> None:
    quota = DailyQuota(limit=2)
    assert [quota.take("2026-11-26") for _ in range(3)] == [True, True, False]
    assert quota.left("2026-11-26") == 0
    assert quota.take("2026-11-27") is True and quota.left("2026-11-27") == 1
