"""One Groq request, made on a pool thread: the call, its retries within the deadline, the
checked answer, and how a failure is classified (see `actors.llm` for the actor that decides)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import groq

from actors.messages import (
    Heard,
    LLMAnswer,
    LLMRequest,
    TranscribeRequest,
)
from medbot.core.llm_answer import InvalidAnswer, to_parse_result
from medbot.core.llm_schema import response_format
from medbot.core.tz import zone_or_none
from medbot.shell.redact import redact
from medbot.shell.retries import RetryPolicy, call_with_retries
from medbot.shell.settings import Settings

log = logging.getLogger(__name__)


Failure = Literal["unavailable", "rejected", "rate", "daily", "account", "invalid"]
"""Why a call gave no command. "rejected" is any other 4xx (our bug, a wrong model name)."""

_ANSWER_ERROR: dict[str, str] = {
    "unavailable": "unavailable",
    "rejected": "unavailable",
    "rate": "quota",
    "daily": "quota",
    "account": "refused",
    "invalid": "invalid",
}
_ACCOUNT_CODES = frozenset({
    "invalid_api_key", "organization_restricted", "insufficient_quota",
    "billing_hard_limit_reached", "model_permission_blocked_org", "account_deactivated",
    "permission_denied",
})
_ACCOUNT_WORDS = re.compile(
    r"restrict|suspend|disabled|deactivat|insufficient|spend(?:ing)? limit|out of (?:credit|fund)"
    r"|credit balance|billing limit|payment|blocked",
    re.IGNORECASE,
)
_PER_DAY = re.compile(r"per day|\((?:RPD|TPD)\)", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_TRY_AGAIN = re.compile(r"try again in ((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)", re.IGNORECASE)
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True)
class LLMPolicy:
    """How patient and how careful the actor is. Defaults suit Groq's free tier."""

    max_attempts: int = 3
    """HTTP calls for one request, retries included."""
    retry_after_cap: float = 5.0
    """The longest 429 retry-after waited inside a request; a longer one answers "quota"."""
    total_seconds: float | None = None
    """From arrival to answer, queueing included; None: 1.5 × settings.llm_timeout."""
    backoff_first: float = 0.5
    backoff_max: float = 4.0
    breaker_failures: int = 5
    """Consecutive failed requests (timeouts, 5xx, connection) that open the circuit."""
    breaker_cooldown: float = 60.0
    refused_pause: float = 900.0
    """No calls for this long after the key or account was refused."""
    daily_pause: float = 3600.0
    """No calls for this long after Groq's daily quota 429, when it does not say how long."""
    max_completion_tokens: int = 512
    """gpt-oss reasons before it answers: room for both at low effort."""
    max_text_chars: int = 1000
    """A longer message is not sent (it is not a command, and it would eat the token budget)."""
    max_pending: int = 32
    max_voice_bytes: int = 5_000_000
    """Telegram's voice notes are about 2-4 KB a second: this is far beyond any allowed length."""
    audio_seconds_per_hour: int = 7200
    """Groq's free tier allows about this much speech to be transcribed per hour."""

    def total_for(self, settings: Settings) -> float:
        return self.total_seconds if self.total_seconds is not None else settings.llm_timeout * 1.5


def longest_wait(settings: Settings, policy: LLMPolicy | None = None) -> float:
    """The longest the actor takes to answer an LLMRequest: a UserActor's deadline goes beyond."""
    return (policy or LLMPolicy()).total_for(settings) + 1.0


@dataclass(frozen=True)
class CallOutcome:
    """A finished job: the answer to deliver, and what the actor learns for its budgets."""

    request: LLMRequest | TranscribeRequest
    answer: LLMAnswer | Heard
    failure: Failure | None
    attempts: int
    estimate: int = 0
    """The tokens charged before the call; `tokens_used` corrects it."""
    tokens_used: int | None = None
    pause: float | None = None
    """How long Groq asked us to wait (429), in seconds."""
    detail: str = ""
    """HTTP status and Groq's error code ("HTTP 401 invalid_api_key"), or the check that failed;
    never the person's text, never a key."""


@dataclass(frozen=True)
class Call:
    """Everything one job needs; nothing of the actor, so a dead incarnation is not kept alive."""

    client: groq.Groq
    model: str
    chat: list[dict[str, str]]
    request: LLMRequest
    deadline: float
    """time.monotonic() by which the answer must be there."""
    attempt_timeout: float
    policy: LLMPolicy
    estimate: int
    """Tokens charged for the call before it is made."""
    today: date | None = None
    """The person's local date (bounds the years a date in the answer may name)."""


def model_options(model: str) -> dict[str, Any]:
    """Per-model arguments: gpt-oss reasons (keep it short and out of the answer) and is the
    family with strict schema decoding on Groq; other models get best-effort JSON schema."""
    if model.startswith("openai/gpt-oss"):
        return {
            "response_format": response_format(strict=True),
            "reasoning_effort": "low",
            "include_reasoning": False,
        }
    return {"response_format": response_format(strict=False)}


def local_now(zone_name: str | None, wall: float) -> str | None:
    zone = zone_or_none(zone_name) if zone_name else None
    if zone is None:
        return None
    return datetime.fromtimestamp(wall, zone).strftime("%Y-%m-%d %H:%M %a")


def perform(call: Call) -> CallOutcome:
    """One request: the call, its retries within the deadline, the checked answer."""
    request = call.request
    completion, error, attempts = within_deadline(
        call.deadline, call.attempt_timeout, call.policy,
        lambda timeout: call.client.chat.completions.create(
            model=call.model,
            messages=call.chat,  # type: ignore[arg-type]
            max_completion_tokens=call.policy.max_completion_tokens,
            timeout=timeout,
            **model_options(call.model),
        ),
    )
    if error is not None:
        failure, detail, pause = failed_call(error)
        return _failed(call, failure, attempts, detail, pause)
    usage = getattr(completion, "usage", None)
    tokens = getattr(usage, "total_tokens", None) if usage is not None else None
    try:
        content = completion.choices[0].message.content if completion.choices else None
        result = to_parse_result(content, request.schedule, call.today)  # type: ignore[arg-type]
    except InvalidAnswer as error:
        return _failed(call, "invalid", attempts, str(error), tokens=tokens)
    answer = LLMAnswer(request.user_id, request.request_id, result, None)
    return CallOutcome(request, answer, None, attempts, call.estimate, tokens)


def within_deadline(deadline: float, attempt_timeout: float, policy: LLMPolicy,
                    create: Callable[[float], Any]) -> tuple[Any, BaseException | None, int]:
    """`create(timeout)` (one Groq SDK call), retried as the policy allows until `deadline`:
    (its result, the last error, attempts made)."""
    def attempt() -> Any:
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            raise _OutOfTime()
        return create(min(attempt_timeout, remaining))

    retry = RetryPolicy(attempts=policy.max_attempts, first_wait=policy.backoff_first,
                        max_wait=policy.backoff_max, jitter=0.0, total=None)
    return call_with_retries(attempt, lambda error: retryable(error, policy), retry,
                             asked_wait=asked_wait, deadline=deadline, margin=0.2)


def failed_call(error: BaseException) -> tuple[Failure, str, float | None]:
    """(what failed, a detail for logs, how long Groq asked us to wait) for an error of
    `within_deadline`; anything it does not know is raised again (a bug of ours)."""
    if isinstance(error, _OutOfTime):
        return "unavailable", "out of time", None
    if isinstance(error, groq.APIStatusError):
        failure, pause = classify(error)
        return failure, status_detail(error), pause
    if isinstance(error, groq.APIConnectionError):
        return "unavailable", type(error).__name__, None
    raise error


class _OutOfTime(Exception):
    """No time left for another attempt within the request's deadline."""


def _failed(
    call: Call, failure: Failure, attempts: int, detail: str,
    pause: float | None = None, tokens: int | None = None,
) -> CallOutcome:
    request = call.request
    answer = LLMAnswer(request.user_id, request.request_id, None, answer_error(failure))
    return CallOutcome(
        request, answer, failure, attempts, call.estimate, tokens, pause, redact(detail)
    )


def answer_error(failure: Failure) -> str:
    """What the person's step hears about a failed call."""
    return _ANSWER_ERROR[failure]


def classify(error: groq.APIStatusError) -> tuple[Failure, float | None]:
    """What an HTTP error means for us, and how long Groq asked us to wait (if it said)."""
    status = error.status_code
    code, message = _error_fields(error)
    words = _URL.sub("", message)
    if status >= 500:
        return "unavailable", None
    if status == 429 and code == "rate_limit_exceeded":
        pause = retry_after(error)
        return ("daily" if _PER_DAY.search(message) else "rate"), pause
    if status in (401, 402, 403) or code in _ACCOUNT_CODES or _ACCOUNT_WORDS.search(words):
        return "account", None
    if status == 429:
        return "rate", retry_after(error)
    if code == "json_validate_failed":
        return "invalid", None
    return "rejected", None


def retry_after(error: groq.APIStatusError) -> float | None:
    """Groq's wait: the retry-after header, else "Please try again in 1m26.4s" in the message."""
    headers = error.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                pass
    match = _TRY_AGAIN.search(_error_fields(error)[1])
    if match is None:
        return None
    parts = _DURATION_PART.findall(match.group(1))
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def _error_fields(error: groq.APIStatusError) -> tuple[str, str]:
    body = error.body
    inner = body.get("error", body) if isinstance(body, dict) else None
    if isinstance(inner, dict):
        return str(inner.get("code") or ""), str(inner.get("message") or "")
    return "", ""


def status_detail(error: groq.APIStatusError) -> str:
    """For logs and status: never the message (a failed generation may quote the person)."""
    code, _ = _error_fields(error)
    return f"HTTP {error.status_code} {code}".strip()


def retryable(error: BaseException, policy: LLMPolicy) -> bool:
    if isinstance(error, groq.APIConnectionError):  # timeouts included
        return True
    if not isinstance(error, groq.APIStatusError):
        return False
    failure, pause = classify(error)
    if failure == "unavailable":
        return True
    return failure == "rate" and (pause is None or pause <= policy.retry_after_cap)


def asked_wait(error: BaseException) -> float | None:
    """Groq's own wait for a 429 (a longer one than we wait for is not retried at all)."""
    if isinstance(error, groq.APIStatusError) and error.status_code == 429:
        return retry_after(error)
    return None

