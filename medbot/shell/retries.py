"""Retrying, in one place: `call_with_retries` (on tenacity) for a call retried where it is
made, and `backoff` for an actor that retries by messages to itself (the poller, which must
keep reading its mailbox while it waits).

A retry waits exponentially (with jitter where many callers might retry together), or as long as
the server asked; it gives up after a number of attempts, a total time or at a deadline, and at
once when the caller is closing (a stop never waits out a back-off).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    stop_never,
    stop_when_event_set,
    wait_exponential,
    wait_random,
)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry (exponential waits with jitter)."""

    attempts: int | None = 4
    """None: for ever (until the deadline, the total or the caller's closing)."""
    first_wait: float = 1.0
    max_wait: float = 8.0
    jitter: float = 1.0
    total: float | None = 30.0


def call_with_retries(
    call: Callable[[], T],
    worth_retrying: Callable[[BaseException], bool],
    policy: RetryPolicy,
    closing: threading.Event | None = None,
    on_retry: Callable[[int, BaseException, float], None] = lambda attempt, error, pause: None,
    *,
    asked_wait: Callable[[BaseException], float | None] = lambda error: None,
    deadline: float | None = None,
    margin: float = 0.0,
) -> tuple[T | None, BaseException | None, int]:
    """Run `call`, retrying what `worth_retrying` allows, within `policy`. Returns (result,
    last error, attempts) and never raises.

    `asked_wait(error)` is the server's own wait for that error (a 429's retry-after), which
    replaces the back-off; `deadline` (monotonic) ends the retries when the next attempt could
    not start `margin` seconds before it; `closing` ends them at once; `on_retry(attempt,
    error, pause)` hears of each retry before its pause.
    """
    attempts = 0

    def once() -> T:
        nonlocal attempts
        attempts += 1
        return call()

    backoff = wait_exponential(multiplier=policy.first_wait, max=policy.max_wait)
    if policy.jitter > 0:
        backoff = backoff + wait_random(0, policy.jitter)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        asked = asked_wait(error) if error is not None else None
        return asked if asked is not None else backoff(state)

    def past_deadline(state: RetryCallState) -> bool:
        return deadline is not None and time.monotonic() + state.upcoming_sleep + margin >= deadline

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        if error is not None:
            on_retry(state.attempt_number, error, state.upcoming_sleep)

    stop: Any = stop_never if policy.attempts is None else stop_after_attempt(policy.attempts)
    if policy.total is not None:
        stop = stop | stop_after_delay(policy.total)
    if closing is not None:
        stop = stop | stop_when_event_set(closing)
    retrying = Retrying(
        retry=retry_if_exception(worth_retrying),
        wait=wait,
        stop=stop | past_deadline,
        sleep=closing.wait if closing is not None else time.sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(once), None, attempts
    except Exception as error:  # noqa: BLE001 - every outcome goes back to the caller
        return None, error, attempts


def backoff(failures: int, first: float, cap: float) -> float:
    """Exponential back-off with jitter: between half and all of first * 2^(failures-1), capped."""
    ceiling = min(cap, first * 2 ** max(0, failures - 1))
    return random.uniform(ceiling / 2, ceiling)
