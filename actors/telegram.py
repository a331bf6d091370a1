"""The TelegramActor: every request to the Bot API leaves through here, in order and within limits.

Telegram allows about 30 messages a second overall and about one a second per chat, answers
429 with `retry_after` when a bot goes faster, and pyTelegramBotAPI retries nothing. So sends
are queued and a scheduler decides what goes next:

- at most one request in flight per chat, so a person's messages arrive in the order written;
- a global token bucket and one per chat, both holding fewer tokens than Telegram's, so that
  network jitter cannot bunch our sends into a violation;
- across chats the most urgent first (button answers, then replies to people, then bulk
  reminders, then admin alerts), then arrival order. A chat is as urgent as the most urgent
  request it holds, so a reply queued behind a reminder for the same person is not starved.

The HTTP calls run on a small worker pool (a slow Telegram never blocks this actor's mailbox);
each outcome comes back as `JobDone`, whose tag carries the whole request so that even a later
incarnation of this actor can finish it. When a bucket is empty, the actor wakes itself through
the `timers` clock, on steady time: rate limits are about Telegram's clock, never our wall clock
(a test may run them on virtual time).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

import telebot

from actors.clock import Delay, time_of
from actors.mailbox import Handle
from actors.messages import (
    Alert,
    AnswerCallback,
    DeleteMessage,
    EditMessage,
    JobDone,
    Outgoing,
    Priority,
    SendFailed,
    SendMessage,
    SendReport,
    Sent,
    StatusReport,
    StatusRequest,
    UserBlocked,
)
from actors.runtime import BaseActor
from actors.send_scheduler import Request, SendScheduler, within_limits
from actors.telegram_calls import Outcome, perform
from actors.workers import WorkerPool
from medbot.shell.logs import event
from medbot.shell.retries import RetryPolicy, call_with_retries
from medbot.shell.settings import Settings
from medbot.shell.telegram_api import (
    ErrorKind,
    Failure,
    classify_error,
    make_bot,
    set_commands,
)

log = logging.getLogger(__name__)

DRAIN_SECONDS = 10.0
"""On Stop, how long the actor keeps sending what it already holds before it gives up."""
SWEEP_SECONDS = 1.0
APOLOGY = (
    "Извините, у меня что-то пошло не так. Пожалуйста, повторите последний запрос.\n"
    "Sorry, something went wrong on my side; please repeat your last request."
)


# --- waking up: a delay on the `timers` clock (steady time) --------------------------------


@dataclass(frozen=True)
class _Pump:
    """The actor's note to itself: a bucket has refilled, something may go now."""


@dataclass(frozen=True)
class _CommandsJob:
    """Tag of the setMyCommands job started at start-up."""


# --- the actor ------------------------------------------------------------------------------


@dataclass
class _Counters:
    received: int = 0
    sent: int = 0
    """Successful sendMessage calls."""
    done: int = 0
    """Successful requests of every kind (edits, deletions and button answers included)."""
    reminders_day: str = ""
    reminders_today: int = 0
    rate_limited: int = 0
    retries: int = 0
    failed: int = 0
    blocked: int = 0
    dropped: int = 0
    last_error: str | None = None
    last_error_at: float | None = None


class TelegramActor(BaseActor):
    """Bot API sends: queued, rate limited, retried where that is safe, answered to `reply_to`."""

    def __init__(
        self,
        handle: Handle,
        parent: Handle | None,
        settings: Settings,
        users: Handle,
        *,
        timers: Handle,
        retry: RetryPolicy = RetryPolicy(),
        drain_seconds: float = DRAIN_SECONDS,
    ) -> None:
        super().__init__(handle, parent)
        self.settings = settings
        self.users = users
        self.retry = retry
        self.drain_seconds = drain_seconds
        self.workers = max(1, settings.send_workers)
        self.scheduler = SendScheduler(settings.global_rate, settings.chat_rate, settings.chat_burst)
        self.counters = _Counters()
        self.in_flight: dict[int, Request] = {}
        self.now = time_of(timers)
        """Steady time: Telegram's limits are about its clock, never our wall clock."""
        self.wake = Delay(timers, handle, ("telegram", "pump"), _Pump(), counted=True)
        self.closing = threading.Event()
        self.bot: telebot.TeleBot | None = None
        self.pool: WorkerPool | None = None
        self.draining_until: float | None = None
        self._swept = 0.0

    # --- lifecycle ---

    def started(self) -> None:
        token = self.settings.telegram_token
        if not token:
            raise ValueError("no Telegram bot token configured")
        self.bot = make_bot(token, self.settings.telegram_api_url)
        self.pool = WorkerPool("telegram-send", self.workers, self.handle)
        bot, policy, closing = self.bot, self.retry, self.closing
        self.pool.submit(_CommandsJob(), lambda: call_with_retries(
            lambda: set_commands(bot), lambda e: classify_error(e).retryable, policy, closing))
        event(log, logging.INFO, "telegram_started", workers=self.workers,
              global_rate=self.settings.global_rate, chat_rate=self.settings.chat_rate)

    def stopped(self) -> None:
        self.closing.set()
        self.wake.cancel()
        leftovers = self.scheduler.drain()
        self._abandon(leftovers)
        if self.pool is not None:
            self.pool.shutdown(wait=False)
        event(log, logging.INFO, "telegram_stopped", sent=self.counters.sent,
              in_flight=len(self.in_flight), dropped=len(leftovers))

    def crashed(self) -> None:
        """Nothing the actor held may vanish silently: requests in flight finish on the pool and
        come back to the next incarnation (their tag is the whole request); queued ones are
        answered with SendFailed; the person whose send crashed the actor, and anyone whose
        untagged reply is lost, gets an apology (sent by the next incarnation)."""
        self.wake.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=False)
        leftovers = self.scheduler.drain()
        sorry = {r.message.chat_id for r in leftovers if _lost_reply(r.message)}
        current = self._current
        in_flight = any(r.message is current for r in self.in_flight.values())
        if isinstance(current, SendMessage) and not in_flight:  # in flight: it will still arrive
            if not any(r.message is current for r in leftovers):
                leftovers.append(Request(0, current))
            if current.priority == Priority.REPLY:
                sorry.add(current.chat_id)
        self._abandon(leftovers)
        apologies = sorted(chat for chat in sorry if isinstance(chat, int) and not isinstance(chat, bool))
        for chat_id in apologies:
            self.handle.tell(SendMessage(chat_id, APOLOGY))
        event(log, logging.ERROR, "telegram_crash_cleanup", failed=len(leftovers),
              apologies=len(apologies), in_flight=len(self.in_flight))

    def _abandon(self, requests: list[Request]) -> None:
        """Answer what will not be sent: SendFailed("error") to whoever waits for it."""
        for request in requests:
            message = request.message
            if _answered(message):
                message.reply_to.tell(SendFailed(message.chat_id, message.tag, "error", message.owner))
        self.counters.dropped += len(requests)

    def stop_requested(self) -> bool:
        # An orderly Stop first sends what the actor already holds, for at most drain_seconds.
        if not self._holding_work():
            return True
        if self.draining_until is None:
            self.draining_until = self.now() + self.drain_seconds
            event(log, logging.INFO, "telegram_draining", queued=self.scheduler.queued,
                  in_flight=len(self.in_flight))
            self._pump()
        return False

    def handled(self) -> None:
        if self.draining_until is not None and (
            not self._holding_work() or self.now() >= self.draining_until
        ):
            self.stop_now()

    def _holding_work(self) -> bool:
        return self.scheduler.queued > 0 or bool(self.in_flight)

    # --- messages ---

    def receive(self, message: Any) -> Any:
        match message:
            case SendMessage() | EditMessage() | DeleteMessage() | SendReport() | AnswerCallback():
                self.counters.received += 1
                for request in within_limits(message):
                    self.scheduler.add(request)
            case JobDone(tag=Request() as request):
                self._finished(request, message)
            case JobDone(tag=_CommandsJob()):
                self._commands_done(message)
            case _Pump():
                self.wake.fired()
            case StatusRequest(reply_to=reply_to):
                reply_to.tell(StatusReport("telegram", self.status()))
                return None
            case _:
                return super().receive(message)
        self._pump()
        return None

    def status(self) -> dict[str, Any]:
        counters = self.counters
        return {
            "queue": self.scheduler.queued,
            "in_flight": len(self.in_flight),
            "received": counters.received,
            "sent": counters.sent,
            "requests_done": counters.done,
            "reminders_today": counters.reminders_today if counters.reminders_day == _utc_day() else 0,
            "rate_limited": counters.rate_limited,
            "retries": counters.retries,
            "failed": counters.failed,
            "blocked": counters.blocked,
            "dropped": counters.dropped,
            "last_error": counters.last_error,
            "last_error_at": counters.last_error_at,
            "draining": self.draining_until is not None,
        }

    # --- scheduling ---

    def _pump(self) -> None:
        now = self.now()
        if now - self._swept >= SWEEP_SECONDS:
            self.scheduler.sweep(now)
            self._swept = now
        while len(self.in_flight) < self.workers and not self.actor_stopped.is_set():
            request = self.scheduler.take(now)
            if request is None:
                break
            self._dispatch(request)
        wake_in = self.scheduler.blocked_for if len(self.in_flight) < self.workers else None
        if self.draining_until is not None:
            until_deadline = self.draining_until - now
            if until_deadline <= 0:
                return  # about to stop: nothing to wake up for
            wake_in = until_deadline if wake_in is None else min(wake_in, until_deadline)
        if wake_in is not None:
            self.wake.schedule(wake_in)

    def _dispatch(self, request: Request) -> None:
        assert self.pool is not None and self.bot is not None
        self.in_flight[request.serial] = request
        bot, policy, closing = self.bot, self.retry, self.closing
        self.pool.submit(request, lambda: perform(bot, request, policy, closing))
        event(log, logging.DEBUG, "telegram_dispatch", method=request.method, user=request.chat_id,
              rank=request.rank)

    def _finished(self, request: Request, done: JobDone) -> None:
        now = self.now()
        if self.pool is not None:
            self.pool.finished()
        if self.in_flight.pop(request.serial, None) is not None:
            self.scheduler.done(request, now)
        outcome = done.result if isinstance(done.result, Outcome) else Outcome(
            None, done.error or RuntimeError("the job returned no outcome"), 1)
        self.counters.retries += max(0, outcome.attempts - 1)
        if outcome.error is None:
            self._succeeded(request, outcome.message_id)
            return
        kind = classify_error(outcome.error)
        if kind.done:
            self._succeeded(request, outcome.message_id)
        elif kind.failure is Failure.RATE_LIMITED:
            self._rate_limited(request, kind, now)
        elif kind.failure is Failure.BLOCKED and request.chat_id is not None:
            self._blocked(request, kind)
        else:
            reason = "bad_request" if kind.failure is Failure.BAD_REQUEST else "error"
            self._failed(request, kind, reason, outcome.attempts)

    def _succeeded(self, request: Request, message_id: int | None) -> None:
        message = request.message
        self.counters.done += 1
        if isinstance(message, SendMessage):
            self.counters.sent += 1
            if message.priority == Priority.REMINDER:
                day = _utc_day()
                if day != self.counters.reminders_day:
                    self.counters.reminders_day, self.counters.reminders_today = day, 0
                self.counters.reminders_today += 1
        if _answered(message):
            message.reply_to.tell(Sent(message.chat_id, message.tag, message_id or 0, message.owner))
        event(log, logging.DEBUG, "telegram_done", method=request.method, user=request.chat_id)

    def _rate_limited(self, request: Request, kind: ErrorKind, now: float) -> None:
        self.counters.rate_limited += 1
        retry_after = kind.retry_after or 1.0
        scope = self.scheduler.retry_first(request, now, retry_after)
        self._note_error(kind)
        event(log, logging.WARNING, "telegram_rate_limited", method=request.method,
              user=request.chat_id, retry_after=retry_after, scope=scope)

    def _blocked(self, request: Request, kind: ErrorKind) -> None:
        chat_id = request.chat_id
        assert chat_id is not None
        self.counters.blocked += 1
        unsent = [request, *self.scheduler.drop_chat(chat_id)]
        for item in unsent:
            message = item.message
            if _answered(message):
                message.reply_to.tell(SendFailed(chat_id, message.tag, "blocked", message.owner))
        if chat_id > 0:  # a person; a group chat (negative id) is nobody's record
            self.users.tell(UserBlocked(chat_id))
        event(log, logging.INFO, "telegram_blocked", user=chat_id, method=request.method,
              dropped=len(unsent) - 1)

    def _failed(self, request: Request, kind: ErrorKind, reason: str, attempts: int) -> None:
        self.counters.failed += 1
        self._note_error(kind)
        message = request.message
        if _answered(message):
            message.reply_to.tell(SendFailed(message.chat_id, message.tag, reason, message.owner))
        if isinstance(message, SendMessage) and message.priority == Priority.REMINDER and reason == "bad_request":
            self.tell_parent(Alert("reminder_refused", "medbot: Telegram refused a reminder (400): "
                                   f"{kind.description}; the person was told in a plain message"))
        event(log, logging.INFO, "telegram_send_failed", method=request.method, user=request.chat_id,
              reason=reason, attempts=attempts, error=kind.description)

    def _note_error(self, kind: ErrorKind) -> None:
        self.counters.last_error = kind.description
        self.counters.last_error_at = time.time()

    def _commands_done(self, done: JobDone) -> None:
        if self.pool is not None:
            self.pool.finished()
        result = done.result if isinstance(done.result, tuple) else (None, done.error, 1)
        error = result[1]
        if error is None:
            event(log, logging.INFO, "telegram_commands_set", languages="ru,en")
            return
        kind = classify_error(error)
        self._note_error(kind)
        event(log, logging.WARNING, "telegram_commands_failed", error=kind.description)


def _answered(message: Outgoing) -> TypeGuard[SendMessage | EditMessage | DeleteMessage | SendReport]:
    """Whether someone waits to hear how this request ended."""
    return not isinstance(message, AnswerCallback) and message.reply_to is not None


def _lost_reply(message: Outgoing) -> bool:
    """An answer to a person that nobody will hear failed: they deserve an apology instead."""
    return isinstance(message, SendMessage) and message.reply_to is None and message.priority == Priority.REPLY


def _utc_day() -> str:
    return datetime.now(UTC).date().isoformat()

