"""The one retry helper: what is retried, how long it waits, and when it gives up."""

from __future__ import annotations

import threading
import time

from medbot.shell.retries import RetryPolicy, backoff, call_with_retries

QUICK = RetryPolicy(attempts=4, first_wait=0.01, max_wait=0.02, jitter=0.0, total=None)


class Flaky:
    def __init__(self, failures: int, error: type[Exception] = ConnectionError) -> None:
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error("down")
        return "ok"


def test_what_is_worth_it_is_retried_until_it_works() -> None:
    call = Flaky(2)
    seen: list[tuple[int, float]] = []
    result, error, attempts = call_with_retries(
        call, lambda e: isinstance(e, ConnectionError), QUICK,
        on_retry=lambda attempt, error, pause: seen.append((attempt, pause)),
    )
    assert (result, error, attempts) == ("ok", None, 3)
    assert [attempt for attempt, _ in seen] == [1, 2]


def test_what_is_not_worth_it_is_given_back_at_once_and_nothing_raises() -> None:
    call = Flaky(5, ValueError)
    result, error, attempts = call_with_retries(call, lambda e: isinstance(e, ConnectionError), QUICK)
    assert result is None and isinstance(error, ValueError) and attempts == 1


def test_attempts_run_out() -> None:
    call = Flaky(10)
    _, error, attempts = call_with_retries(call, lambda e: True, QUICK)
    assert isinstance(error, ConnectionError) and attempts == 4


def test_the_servers_own_wait_replaces_the_back_off() -> None:
    pauses: list[float] = []
    call_with_retries(Flaky(1), lambda e: True, QUICK, asked_wait=lambda error: 0.03,
                      on_retry=lambda attempt, error, pause: pauses.append(pause))
    assert pauses == [0.03]


def test_a_deadline_ends_the_retries_before_a_wait_would_pass_it() -> None:
    policy = RetryPolicy(attempts=None, first_wait=5.0, max_wait=5.0, jitter=0.0, total=None)
    started = time.monotonic()
    _, error, attempts = call_with_retries(Flaky(100), lambda e: True, policy, deadline=started + 1.0)
    assert isinstance(error, ConnectionError) and attempts == 1
    assert time.monotonic() - started < 1.0  # it never slept 5 s


def test_closing_ends_the_retries_at_once() -> None:
    closing = threading.Event()
    closing.set()
    policy = RetryPolicy(attempts=None, first_wait=5.0, max_wait=5.0, jitter=0.0, total=None)
    _, error, attempts = call_with_retries(Flaky(100), lambda e: True, policy, closing)
    assert isinstance(error, ConnectionError) and attempts == 1


def test_backoff_for_message_driven_retries_grows_with_jitter_and_is_capped() -> None:
    for failures, ceiling in ((1, 2.0), (3, 8.0), (20, 30.0)):
        samples = [backoff(failures, 2.0, 30.0) for _ in range(50)]
        assert all(ceiling / 2 <= s <= ceiling for s in samples) and len(set(samples)) > 1
