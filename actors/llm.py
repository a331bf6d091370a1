"""The LLMActor: at most one Groq call per request, within budgets, never blocking anyone.

The actor itself only decides: is there a client, is the account usable, is the circuit
closed, is there budget left (requests/minute, tokens/minute, requests/day). The HTTP call,
its tenacity retries and the validation of the answer run on a small worker pool, so a slow
call for one person never delays another (`actors.llm_calls`). Each job returns
a `CallOutcome` that holds the finished `LLMAnswer` and where it goes: whichever incarnation
of the actor receives the `JobDone` can deliver it, even one started after a crash.

Failures are sorted by what helps the person and the operator:
- "unavailable": timeouts, connection errors, 5xx (retried briefly; they trip the breaker);
- "quota": a budget of ours or Groq's 429 (a short retry-after is waited for, a long one is not);
- "refused": the key or the account is refused (401, 403, organisation restricted, billing);
  the admin is alerted once and calls pause for a while;
- "invalid": the model answered, but not something `to_parse_result` accepts.
The UserActor falls back to its local parse, or asks the person to rephrase.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import groq

from actors.llm_calls import (
    Call,
    CallOutcome,
    LLMPolicy,
    local_now,
    perform,
)
from actors.mailbox import Handle
from actors.messages import (
    Alert,
    Heard,
    JobDone,
    LLMAnswer,
    LLMRequest,
    StatusReport,
    StatusRequest,
    TranscribeRequest,
)
from actors.runtime import BaseActor, describe_error
from actors.voice_calls import VoiceCall, transcribe
from actors.workers import WorkerPool
from medbot.core.buckets import DailyQuota, TokenBucket
from medbot.core.llm_schema import estimate_tokens, messages
from medbot.shell.logs import event
from medbot.shell.redact import redact
from medbot.shell.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.groq.com"
MIN_USEFUL_SECONDS = 1.0
"""A request with less time than this left is not worth a call any more."""

_BREAKER_FAILURES = frozenset({"unavailable", "rejected"})
@dataclass
class _Breaker:
    """Closed → open after N consecutive failures → half-open after the cooldown (one trial)."""

    failures_to_open: int
    cooldown: float
    state: Literal["closed", "open", "half_open"] = "closed"
    failures: int = 0
    opened_at: float = 0.0
    trial: tuple[int, int] | None = None

    def admits(self, now: float) -> bool:
        if self.state == "open" and now - self.opened_at >= self.cooldown:
            self.state = "half_open"
        if self.state == "half_open":
            return self.trial is None
        return self.state == "closed"

    def record(self, failed: bool, now: float, key: tuple[int, int]) -> None:
        if key == self.trial:
            self.trial = None
        if not failed:
            self.state, self.failures = "closed", 0
            return
        self.failures += 1
        if self.state == "half_open" or self.failures >= self.failures_to_open:
            self.state, self.opened_at = "open", now


Request = LLMRequest | TranscribeRequest


@dataclass
class _Pending:
    request: Request
    arrived: float
    """time.monotonic() at arrival: the request's total time counts from here."""


@dataclass
class _Budget:
    """Groq's limits as we count them (a person's own daily share is the UserActor's)."""

    minute: TokenBucket
    tokens: TokenBucket
    day: DailyQuota
    audio: TokenBucket
    """Seconds of speech per hour (Groq counts transcription by the audio's length)."""


class LLMActor(BaseActor):
    def __init__(
        self,
        handle: Handle,
        parent: Handle | None,
        settings: Settings,
        alerts: Handle | None,
        *,
        policy: LLMPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(handle, parent)
        self.settings = settings
        self.alerts = alerts
        self.policy = policy or LLMPolicy()
        self.clock = clock
        self.wall = wall
        self._client: groq.Groq | None = None
        self._pool: WorkerPool | None = None
        self._in_flight: dict[tuple[int, int], Request] = {}
        self._pending: deque[_Pending] = deque()
        self._breaker = _Breaker(self.policy.breaker_failures, self.policy.breaker_cooldown)
        self._budget = _Budget(
            TokenBucket(settings.llm_requests_per_minute, settings.llm_requests_per_minute / 60),
            TokenBucket(settings.llm_tokens_per_minute, settings.llm_tokens_per_minute / 60),
            DailyQuota(settings.llm_requests_per_day),
            TokenBucket(self.policy.audio_seconds_per_hour, self.policy.audio_seconds_per_hour / 3600),
        )
        self._refused_until = 0.0
        self._daily_until = 0.0
        self._account_alerted = False
        self._quota_alerted_day = ""
        self._last_error: str | None = None
        self._answered_current = False
        self._dropped_answered = False

    # --- lifecycle ----------------------------------------------------------------------------

    def started(self) -> None:
        if not self.settings.groq_api_key:
            event(log, logging.INFO, "llm_unconfigured")
            return
        self._client = groq.Groq(
            api_key=self.settings.groq_api_key,
            base_url=sdk_base_url(self.settings.groq_base_url),
            max_retries=0,
            timeout=self.settings.llm_timeout,
        )
        self._pool = WorkerPool("llm", self.settings.llm_workers, self.handle)

    def stopped(self) -> None:
        self._fail_pending("unavailable")
        self._release_pool()

    def dropped(self, message: Any) -> None:
        self._dropped_answered = True
        self._answer_lost(message)

    def crashed(self) -> None:
        if not self._dropped_answered:
            self._answer_lost(self._current)
        self._fail_pending("unavailable")
        self._release_pool()

    def _answer_lost(self, message: Any) -> None:
        """The message that crashed us: its person still gets an answer (unless already done)."""
        if self._answered_current:
            return
        if isinstance(message, Request):
            self._reply(message, None, "unavailable")
        elif isinstance(message, JobDone) and isinstance(message.tag, Request):
            self._reply(message.tag, None, "unavailable")

    def _release_pool(self) -> None:
        """Running jobs finish and report to the handle (the next incarnation answers them);
        with none running, the threads go now."""
        if self._pool is not None and self._pool.in_flight == 0:
            self._pool.shutdown(wait=False)

    # --- messages -----------------------------------------------------------------------------

    def receive(self, message: Any) -> Any:
        self._answered_current = False
        match message:
            case LLMRequest() | TranscribeRequest():
                self._on_request(message)
            case JobDone():
                self._on_job_done(message)
            case StatusRequest(reply_to=reply_to):
                reply_to.tell(StatusReport("llm", self.status()))
            case _:
                return super().receive(message)
        return None

    def _on_request(self, request: Request) -> None:
        if self._client is None or self._pool is None:
            self._reply(request, None, "unconfigured")
            return
        too_long = self._too_long(request)
        if too_long is not None:
            event(log, logging.INFO, "llm_skipped", user=request.user_id, reason="too_long")
            self._reply(request, None, too_long)
            return
        arrived = time.monotonic()
        if len(self._in_flight) < self.settings.llm_workers:
            self._start(_Pending(request, arrived))
            return
        blocked = self._blocked(self.clock())
        if blocked is not None:
            self._reply(request, None, blocked)
        elif len(self._pending) >= self.policy.max_pending:
            event(log, logging.WARNING, "llm_overloaded", pending=len(self._pending))
            self._reply(request, None, "unavailable")
        else:
            self._pending.append(_Pending(request, arrived))

    def _too_long(self, request: Request) -> str | None:
        """A message too long to be worth a call: the answer to give instead."""
        if isinstance(request, TranscribeRequest):
            return "too_long" if request.duration > self.settings.voice_max_seconds else None
        return "invalid" if len(request.text) > self.policy.max_text_chars else None

    def _start(self, pending: _Pending) -> None:
        """Admit the request against every budget and hand it to a worker, or answer at once."""
        assert self._client is not None and self._pool is not None
        request = pending.request
        deadline = pending.arrived + self.policy.total_for(self.settings)
        if deadline - time.monotonic() < MIN_USEFUL_SECONDS:
            self._reply(request, None, "unavailable")  # waited too long for a worker
            return
        if isinstance(request, TranscribeRequest):
            self._start_voice(request, deadline)
            return
        wall_time = local_now(request.timezone, self.wall())
        chat = messages(request.text, request.lang, request.schedule, request.timezone, wall_time)
        estimate = estimate_tokens(chat) + self.policy.max_completion_tokens
        refusal = self._admit(request, estimate)
        if refusal is not None:
            self._reply(request, None, refusal)
            return
        call = Call(
            self._client, self.settings.groq_model, chat, request, deadline,
            self.settings.llm_timeout, self.policy, estimate,
            date.fromisoformat(wall_time[:10]) if wall_time else None,
        )
        key = (request.user_id, request.request_id)
        self._in_flight[key] = request
        self._pool.submit(request, lambda: perform(call))

    def _start_voice(self, request: TranscribeRequest, deadline: float) -> None:
        assert self._client is not None and self._pool is not None
        refusal = self._admit(request, 0, audio=max(1, request.duration))
        if refusal is not None:
            self._reply(request, None, refusal)
            return
        call = VoiceCall(
            self._client, self.settings.telegram_api_url, self.settings.telegram_token or "",
            self.settings.voice_model, request, deadline, self.settings.llm_timeout, self.policy,
        )
        self._in_flight[(request.user_id, request.request_id)] = request
        self._pool.submit(request, lambda: transcribe(call))

    def _blocked(self, now: float) -> str | None:
        """An answer due without any call: the account, Groq's daily quota, the circuit."""
        if now < self._refused_until:
            return "refused"
        if now < self._daily_until:
            return "quota"
        if not self._breaker.admits(now):
            return "unavailable"
        return None

    def _admit(self, request: Request, estimate: int, audio: int = 0) -> str | None:
        now = self.clock()
        blocked = self._blocked(now)
        if blocked is not None:
            return blocked
        budget, day = self._budget, self._day()
        if budget.day.left(day) <= 0:
            self._alert_quota(f"the daily budget of {budget.day.limit} Groq requests is used up")
            return "quota"
        if estimate > budget.tokens.capacity:
            return "invalid"  # this prompt can never fit a minute's tokens
        if audio > budget.audio.capacity:
            return "too_long"
        if budget.minute.wait(now) > 0 or budget.tokens.wait(now, estimate) > 0 or budget.audio.wait(now, audio) > 0:
            return "quota"
        budget.minute.take(now)
        budget.tokens.take(now, estimate)
        budget.audio.take(now, audio)
        budget.day.take(day)
        if self._breaker.state == "half_open":
            self._breaker.trial = (request.user_id, request.request_id)
        return None

    def _on_job_done(self, done: JobDone) -> None:
        request = done.tag
        if not isinstance(request, Request):
            event(log, logging.WARNING, "llm_unknown_job")
            return
        if isinstance(done.result, CallOutcome):
            outcome = done.result
        else:
            detail = describe_error(done.error)
            outcome = CallOutcome(request, _answer(request, "unavailable"), "unavailable", attempts=1, detail=detail)
        outcome.request.reply_to.tell(outcome.answer)
        self._answered_current = True
        key = (request.user_id, request.request_id)
        ours = self._in_flight.pop(key, None) is not None
        if ours and self._pool is not None:
            self._pool.finished()
        self._learn(outcome, key)
        self._start_next()

    def _start_next(self) -> None:
        while self._pending and len(self._in_flight) < self.settings.llm_workers:
            self._start(self._pending.popleft())

    def _fail_pending(self, error: str) -> None:
        while self._pending:
            self._reply(self._pending.popleft().request, None, error)

    # --- learning from an outcome -------------------------------------------------------------

    def _learn(self, outcome: CallOutcome, key: tuple[int, int]) -> None:
        now = self.clock()
        if outcome.attempts == 0:  # no call was made (the voice file could not be fetched)
            if key == self._breaker.trial:
                self._breaker.trial = None  # the half-open trial is still to be made
            event(log, logging.INFO, "llm_call", user=outcome.request.user_id, outcome="no_call",
                  detail=outcome.detail or None)
            return
        self._charge(outcome, now)
        self._breaker.record(outcome.failure in _BREAKER_FAILURES, now, key)
        if outcome.failure in (None, "invalid"):
            self._account_alerted = False  # the account works: a later refusal is news again
        else:
            self._last_error = f"{outcome.failure} {outcome.detail}".strip()
        match outcome.failure:
            case "account":
                self._refused_until = now + self.policy.refused_pause
                if not self._account_alerted:
                    self._account_alerted = True
                    self._alert("llm_account", _refused_text(outcome.detail, self.policy))
            case "daily":
                pause = outcome.pause if outcome.pause is not None else self.policy.daily_pause
                self._daily_until = now + pause
                self._alert_quota(
                    f"Groq's daily quota is used up (calls resume in {pause / 60:.0f} min)"
                )
            case "rate" if outcome.pause:
                self._budget.minute.drain(now, outcome.pause)
        quiet = outcome.failure in (None, "invalid", "rate", "daily")
        event(
            log, logging.INFO if quiet else logging.WARNING, "llm_call",
            user=outcome.request.user_id, outcome=outcome.failure or "ok",
            attempts=outcome.attempts, tokens=outcome.tokens_used, detail=outcome.detail or None,
        )

    def _charge(self, outcome: CallOutcome, now: float) -> None:
        """Budgets were charged one request and an estimate of tokens; settle the real cost."""
        budget, day = self._budget, self._day()
        extra = max(0, outcome.attempts - 1)
        if extra:  # retries are requests too, for Groq's per-minute and per-day counts
            budget.minute.tokens -= extra
            budget.day.take(day, 0)  # (rolls the count over at midnight)
            budget.day.used += extra
        if outcome.tokens_used is not None and outcome.estimate:
            budget.tokens.take(now, 0)  # (refills up to now before the correction)
            refund = outcome.estimate - outcome.tokens_used
            budget.tokens.tokens = min(budget.tokens.capacity, budget.tokens.tokens + refund)

    def _alert_quota(self, what: str) -> None:
        day = self._day()
        if self._quota_alerted_day == day:
            return
        self._quota_alerted_day = day
        self._alert(
            "llm_quota",
            f"medbot: {what}. People get the local parser until it is back; raise "
            "MEDBOT_LLM_RPD or the Groq plan if this happens often.",
        )

    def _alert(self, kind: str, text: str) -> None:
        event(log, logging.WARNING, "llm_alert", kind=kind)
        if self.alerts is not None:
            self.alerts.tell(Alert(kind, redact(text)))

    # --- answers and status -------------------------------------------------------------------

    def _reply(self, request: Request, result: Any, error: str | None) -> None:
        if isinstance(request, TranscribeRequest):
            request.reply_to.tell(Heard(request.user_id, request.request_id, None, error))
        else:
            request.reply_to.tell(LLMAnswer(request.user_id, request.request_id, result, error))
        if request is self._current:
            self._answered_current = True
        if error is not None:
            event(log, logging.INFO, "llm_answer", user=request.user_id, error=error)

    def _day(self) -> str:
        return time.strftime("%Y-%m-%d", time.gmtime(self.wall()))

    def status(self) -> dict[str, Any]:
        day, now = self._day(), self.clock()
        self._breaker.admits(now)  # an expired cooldown shows as half-open
        paused = None
        if now < self._refused_until:
            paused = "refused"
        elif now < self._daily_until:
            paused = "quota"
        return {
            "configured": self._client is not None,
            "model": self.settings.groq_model,
            "calls_today": self._budget.day.used if self._budget.day.day == day else 0,
            "requests_left_today": self._budget.day.left(day),
            "breaker": self._breaker.state,
            "paused": paused,
            "in_flight": len(self._in_flight),
            "pending": len(self._pending),
            "last_error": redact(self._last_error) if self._last_error else None,
        }


def _answer(request: Request, error: str) -> LLMAnswer | Heard:
    if isinstance(request, TranscribeRequest):
        return Heard(request.user_id, request.request_id, None, error)
    return LLMAnswer(request.user_id, request.request_id, None, error)


def _refused_text(detail: str, policy: LLMPolicy) -> str:
    return (
        f"medbot: Groq refused the key or the account ({detail}). LLM calls are paused for "
        f"{policy.refused_pause / 60:.0f} min; people get the local parser meanwhile. "
        "Check the key, the organisation and billing at console.groq.com."
    )


def sdk_base_url(configured: str | None) -> str:
    """The SDK adds "/openai/v1" itself; people often configure the OpenAI-style URL with it."""
    url = (configured or DEFAULT_BASE_URL).rstrip("/")
    return url.removesuffix("/openai/v1")

