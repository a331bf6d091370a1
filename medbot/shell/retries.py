"""Retrying a call on tenacity: one policy shape for every retry in the shell.

A retry waits exponentially with jitter, gives up after a number of attempts or a total time,
and stops at once when the caller is closing (a stop must never wait out a back-off).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    stop_when_event_set,
    wait_exponential,
    wait_random,
)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry (exponential waits with jitter)."""

    attempts: int = 4
    first_wait: float = 1.0
    max_wait: float = 8.0
    jitter: float = 1.0
    total: float = 30.0


def call_with_retries(
    call: Callable[[], T],
    worth_retrying: Callable[[BaseException], bool],
    policy: RetryPolicy,
    closing: threading.Event,
    on_retry: Callable[[int, BaseException], None] = lambda attempt, error: None,
) -> tuple[T | None, BaseException | None, int]:
    """Run `call`, retrying what `worth_retrying` allows, within `policy`; stops early when
    `closing` is set. Returns (result, last error, attempts) and never raises."""
    attempts = 0

    def once() -> T:
        nonlocal attempts
        attempts += 1
        return call()

    def before_sleep(state: Any) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        if error is not None:
            on_retry(state.attempt_number, error)

    retrying = Retrying(
        retry=retry_if_exception(worth_retrying),
        wait=wait_exponential(multiplier=policy.first_wait, max=policy.max_wait)
        + wait_random(0, policy.jitter),
        stop=(stop_after_attempt(policy.attempts) | stop_after_delay(policy.total)
              | stop_when_event_set(closing)),
        sleep=closing.wait,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(once), None, attempts
    except Exception as error:  # noqa: BLE001 - every outcome goes back to the actor
        return None, error, attempts
