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
incarnation of this actor can finish it. When a bucket is empty, the actor wakes itself with a
real-time timer: rate limits are about Telegram's clock, not the virtual clock of tests.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeGuard, TypeVar

import telebot
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    stop_when_event_set,
    wait_exponential,
    wait_random,
)

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
    Sent,
    StatusReport,
    StatusRequest,
    UserBlocked,
)
from actors.runtime import BaseActor
from actors.workers import WorkerPool
from medbot.core.buckets import TokenBucket
from medbot.core.limits import capped_keyboard, cut_text, text_parts
from medbot.shell.logs import event
from medbot.shell.settings import Settings
from medbot.shell.telegram_api import (
    ErrorKind,
    Failure,
    classify_error,
    describe,
    keyboard_markup,
    make_bot,
    set_commands,
)

log = logging.getLogger(__name__)

URGENT = -1
"""Rank of button answers: Telegram shows a spinner until the bot answers, for seconds only."""
GLOBAL_BURST_SECONDS = 0.2
"""The global bucket holds this many seconds' worth of sends (Telegram allows more)."""
DRAIN_SECONDS = 10.0
"""On Stop, how long the actor keeps sending what it already holds before it gives up."""
SWEEP_SECONDS = 1.0
APOLOGY = (
    "Извините, у меня что-то пошло не так. Пожалуйста, повторите последний запрос.\n"
    "Sorry, something went wrong on my side; please repeat your last request."
)

ChatKey = int | tuple[str, str]
T = TypeVar("T")

_serials = itertools.count(1)
"""Process-wide, so requests of two incarnations never share a serial."""


# --- requests and their scheduling (no threads, the caller passes the time) ---------------


def within_limits(message: Outgoing) -> list[Outgoing]:
    """`message` as requests Telegram accepts: a long text as several messages in order (the
    buttons, and whoever waits for the answer, on the last), an edit cut short, at most 100
    buttons. A refused send would be a message nobody ever reads."""
    match message:
        case SendMessage(text=text, buttons=buttons):
            *first, last = text_parts(text)
            parts: list[Outgoing] = [SendMessage(message.chat_id, part, (), message.priority) for part in first]
            return [*parts, replace(message, text=last, buttons=capped_keyboard(buttons))]
        case EditMessage(text=text, buttons=buttons):
            return [replace(message, text=cut_text(text), buttons=capped_keyboard(buttons))]
    return [message]


@dataclass(frozen=True)
class Request:
    serial: int
    message: Outgoing

    @property
    def chat(self) -> ChatKey:
        """What the per-chat order and limit apply to (a button answer has no chat to wait for)."""
        if isinstance(self.message, AnswerCallback):
            return ("callback", self.message.callback_id)
        return self.message.chat_id

    @property
    def chat_id(self) -> int | None:
        return None if isinstance(self.message, AnswerCallback) else self.message.chat_id

    @property
    def rank(self) -> int:
        if isinstance(self.message, AnswerCallback):
            return URGENT
        return int(self.message.priority)

    @property
    def method(self) -> str:
        return _METHODS[type(self.message)]


_METHODS: dict[type, str] = {
    SendMessage: "sendMessage",
    EditMessage: "editMessageText",
    DeleteMessage: "deleteMessage",
    AnswerCallback: "answerCallbackQuery",
}


@dataclass
class _ChatQueue:
    bucket: TokenBucket | None
    requests: deque[Request] = field(default_factory=deque)
    busy: bool = False
    entry: tuple[int, int, ChatKey] | None = None
    """This chat's live entry in the ready heap: (rank, serial of its first request, chat)."""


class SendScheduler:
    """Which request goes next. Chats that may send sit in a heap ordered by urgency, then age."""

    def __init__(self, global_rate: float, chat_rate: float, chat_burst: int) -> None:
        self.global_bucket = TokenBucket(capacity=max(1.0, global_rate * GLOBAL_BURST_SECONDS),
                                         rate=global_rate)
        self._chat_rate = chat_rate
        self._chat_capacity = float(max(1, chat_burst - 1))
        self._chats: dict[ChatKey, _ChatQueue] = {}
        self._ready: list[tuple[int, int, ChatKey]] = []
        self.queued = 0
        self.blocked_for: float | None = None
        """After `take` found nothing sendable: seconds until a bucket lets something through."""

    def add(self, message: Outgoing) -> Request:
        request = Request(next(_serials), message)
        chat = self._chat(request.chat)
        chat.requests.append(request)
        self.queued += 1
        self._refresh(request.chat, chat)
        return request

    def take(self, now: float) -> Request | None:
        """The next request to send now (its tokens taken, its chat marked busy), or None."""
        self.blocked_for = None
        global_wait = self.global_bucket.wait(now)
        if global_wait > 0:
            self.blocked_for = global_wait if self._ready else None
            return None
        parked: list[tuple[int, int, ChatKey]] = []
        chosen: Request | None = None
        while self._ready:
            entry = heapq.heappop(self._ready)
            chat = self._chats.get(entry[2])
            if chat is None or chat.entry != entry:
                continue  # stale: the chat moved on since this entry was pushed
            if chat.bucket is not None:
                wait = chat.bucket.wait(now)
                if wait > 0:
                    parked.append(entry)
                    self.blocked_for = wait if self.blocked_for is None else min(self.blocked_for, wait)
                    continue
                chat.bucket.take(now)
            self.global_bucket.take(now)
            chosen = chat.requests.popleft()
            self.queued -= 1
            chat.busy, chat.entry = True, None
            break
        for entry in parked:
            heapq.heappush(self._ready, entry)
        if chosen is not None:
            self.blocked_for = None
        return chosen

    def done(self, request: Request, now: float) -> None:
        """The chat's request in flight is over: its next one may go."""
        chat = self._chats.get(request.chat)
        if chat is None:
            return
        chat.busy = False
        self._refresh(request.chat, chat)
        if self._idle(chat, now):
            del self._chats[request.chat]

    def retry_first(self, request: Request, now: float, retry_after: float) -> str:
        """After a 429: the same request goes first for its chat once `retry_after` is over.

        Telegram does not say which limit was hit. A chat that had sent nothing else lately
        cannot have hit its own limit, so then the whole bot waits; otherwise only the chat.
        Returns the scope that waits: "global" or "chat".
        """
        chat = self._chat(request.chat)
        bucket = chat.bucket
        quiet = bucket is None or bucket.wait(now) == 0 and bucket.tokens >= bucket.capacity - 1 - 1e-6
        chat.requests.appendleft(request)
        self.queued += 1
        if bucket is not None:
            _hold(bucket, now, retry_after)
        if quiet:
            _hold(self.global_bucket, now, retry_after)
        self._refresh(request.chat, chat)
        return "global" if quiet else "chat"

    def drop_chat(self, key: ChatKey) -> list[Request]:
        """Remove and return what is queued for one chat (the person blocked the bot)."""
        chat = self._chats.get(key)
        if chat is None:
            return []
        dropped = list(chat.requests)
        chat.requests.clear()
        self.queued -= len(dropped)
        self._refresh(key, chat)
        return dropped

    def drain(self) -> list[Request]:
        """Remove and return everything queued, oldest first (stop or crash)."""
        everything = sorted((r for chat in self._chats.values() for r in chat.requests),
                            key=lambda request: request.serial)
        for chat in self._chats.values():
            chat.requests.clear()
            chat.entry = None
        self._ready.clear()
        self.queued = 0
        return everything

    def sweep(self, now: float) -> None:
        """Forget chats with nothing queued whose bucket is full again (memory stays bounded)."""
        for key in [key for key, chat in self._chats.items() if self._idle(chat, now)]:
            del self._chats[key]

    @property
    def chats(self) -> int:
        return len(self._chats)

    def _chat(self, key: ChatKey) -> _ChatQueue:
        chat = self._chats.get(key)
        if chat is None:
            bucket = None if isinstance(key, tuple) else TokenBucket(self._chat_capacity, self._chat_rate)
            chat = self._chats[key] = _ChatQueue(bucket)
        return chat

    def _refresh(self, key: ChatKey, chat: _ChatQueue) -> None:
        desired = None
        if not chat.busy and chat.requests:
            desired = (min(r.rank for r in chat.requests), chat.requests[0].serial, key)
        if desired != chat.entry:
            chat.entry = desired
            if desired is not None:
                heapq.heappush(self._ready, desired)

    @staticmethod
    def _idle(chat: _ChatQueue, now: float) -> bool:
        if chat.busy or chat.requests:
            return False
        bucket = chat.bucket
        return bucket is None or (bucket.wait(now) == 0 and bucket.tokens >= bucket.capacity - 1e-9)


def _hold(bucket: TokenBucket, now: float, seconds: float) -> None:
    """Make the bucket's next token come exactly `seconds` from now (never sooner than planned)."""
    if bucket.wait(now) < seconds:
        bucket.drain(now, seconds - 1.0 / bucket.rate)


# --- one request, on a pool thread ----------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of 5xx, timeouts and connection errors inside one job (exponential, jittered)."""

    attempts: int = 4
    first_wait: float = 1.0
    max_wait: float = 8.0
    jitter: float = 1.0
    total: float = 30.0


@dataclass(frozen=True)
class Outcome:
    """What one job did: the message id (sendMessage), or the last error; and how many tries."""

    message_id: int | None
    error: BaseException | None
    attempts: int


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


def perform(bot: telebot.TeleBot, request: Request, policy: RetryPolicy,
            closing: threading.Event) -> Outcome:
    """Send one request. A sendMessage that may already have arrived is not resent: a
    duplicate reminder would stay on screen with live buttons that no later repeat removes."""
    message = request.message

    def worth_retrying(error: BaseException) -> bool:
        kind = classify_error(error)
        return kind.retryable and not (kind.maybe_delivered and isinstance(message, SendMessage))

    def on_retry(attempt: int, error: BaseException) -> None:
        event(log, logging.DEBUG, "telegram_retry", method=request.method, user=request.chat_id,
              attempt=attempt, error=describe(error))

    result, error, attempts = call_with_retries(
        lambda: _call(bot, message), worth_retrying, policy, closing, on_retry
    )
    return Outcome(result, error, attempts)


def _call(bot: telebot.TeleBot, message: Outgoing) -> int | None:
    match message:
        case SendMessage(chat_id=chat_id, text=text, buttons=buttons):
            sent = bot.send_message(chat_id, text, reply_markup=keyboard_markup(buttons))
            return int(sent.message_id)
        case EditMessage(chat_id=chat_id, message_id=message_id, text=text, buttons=buttons):
            bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                  reply_markup=keyboard_markup(buttons))
            return message_id
        case DeleteMessage(chat_id=chat_id, message_id=message_id):
            bot.delete_message(chat_id, message_id)
            return None
        case AnswerCallback(callback_id=callback_id, text=text):
            bot.answer_callback_query(callback_id, text=text or None)
            return None
    raise TypeError(f"not a Telegram request: {type(message).__name__}")


# --- waking up on real time -----------------------------------------------------------------


@dataclass(frozen=True)
class _Pump:
    """The actor's note to itself: a bucket has refilled, something may go now."""


@dataclass(frozen=True)
class _CommandsJob:
    """Tag of the setMyCommands job started at start-up."""


class WakeUp:
    """At most one pending real-time timer that tells the handle `_Pump`.

    While it is pending it counts as activity, so a test waiting for a quiet system also waits
    for sends held back by a rate limit. Exactly one of firing or cancelling ends that count.
    """

    def __init__(self, handle: Handle) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._due = float("inf")

    def schedule(self, delay: float) -> None:
        due = time.monotonic() + max(0.0, delay)
        with self._lock:
            if self._timer is not None and self._due <= due:
                return
            self._cancel_locked()
            if self._handle.activity is not None:
                self._handle.activity.begin()
            timer = threading.Timer(max(0.0, delay), self._fire)
            timer.daemon = True
            timer.args = (timer,)
            self._timer, self._due = timer, due
            timer.start()

    def cancel(self) -> None:
        with self._lock:
            self._cancel_locked()

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def _fire(self, timer: threading.Timer) -> None:
        with self._lock:
            if self._timer is not timer:
                return  # cancelled or replaced; that side ended the activity
            self._timer, self._due = None, float("inf")
        try:
            self._handle.tell(_Pump())
        finally:
            if self._handle.activity is not None:
                self._handle.activity.end()

    def _cancel_locked(self) -> None:
        if self._timer is None:
            return
        self._timer.cancel()
        self._timer, self._due = None, float("inf")
        if self._handle.activity is not None:
            self._handle.activity.end()


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
        self.wake = WakeUp(handle)
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
                message.reply_to.tell(SendFailed(message.chat_id, message.tag, "error"))
        self.counters.dropped += len(requests)

    def stop_requested(self) -> bool:
        # An orderly Stop first sends what the actor already holds, for at most drain_seconds.
        if not self._holding_work():
            return True
        if self.draining_until is None:
            self.draining_until = time.monotonic() + self.drain_seconds
            event(log, logging.INFO, "telegram_draining", queued=self.scheduler.queued,
                  in_flight=len(self.in_flight))
            self._pump()
        return False

    def handled(self) -> None:
        if self.draining_until is not None and (
            not self._holding_work() or time.monotonic() >= self.draining_until
        ):
            self.stop_now()

    def _holding_work(self) -> bool:
        return self.scheduler.queued > 0 or bool(self.in_flight)

    # --- messages ---

    def receive(self, message: Any) -> Any:
        match message:
            case SendMessage() | EditMessage() | DeleteMessage() | AnswerCallback():
                self.counters.received += 1
                for request in within_limits(message):
                    self.scheduler.add(request)
            case JobDone(tag=Request() as request):
                self._finished(request, message)
            case JobDone(tag=_CommandsJob()):
                self._commands_done(message)
            case _Pump():
                pass
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
        now = time.monotonic()
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
        now = time.monotonic()
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
            message.reply_to.tell(Sent(message.chat_id, message.tag, message_id or 0))
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
                message.reply_to.tell(SendFailed(chat_id, message.tag, "blocked"))
        self.users.tell(UserBlocked(chat_id))
        event(log, logging.INFO, "telegram_blocked", user=chat_id, method=request.method,
              dropped=len(unsent) - 1)

    def _failed(self, request: Request, kind: ErrorKind, reason: str, attempts: int) -> None:
        self.counters.failed += 1
        self._note_error(kind)
        message = request.message
        if _answered(message):
            message.reply_to.tell(SendFailed(message.chat_id, message.tag, reason))
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


def _answered(message: Outgoing) -> TypeGuard[SendMessage | EditMessage | DeleteMessage]:
    """Whether someone waits to hear how this request ended."""
    return not isinstance(message, AnswerCallback) and message.reply_to is not None


def _lost_reply(message: Outgoing) -> bool:
    """An answer to a person that nobody will hear failed: they deserve an apology instead."""
    return isinstance(message, SendMessage) and message.reply_to is None and message.priority == Priority.REPLY


def _utc_day() -> str:
    return datetime.now(UTC).date().isoformat()
