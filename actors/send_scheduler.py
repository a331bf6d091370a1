"""Which Bot API request goes next: per-chat order, Telegram's rate limits, urgency first.

No threads and no clock of its own: the caller passes the time. See `actors.telegram`.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from dataclasses import dataclass, field, replace

from actors.messages import AnswerCallback, DeleteMessage, EditMessage, Outgoing, SendMessage, SendReport
from medbot.core.buckets import TokenBucket
from medbot.core.limits import capped_keyboard, cut_text, text_parts

URGENT = -1
"""Rank of button answers: Telegram shows a spinner until the bot answers, for seconds only."""
GLOBAL_BURST_SECONDS = 0.2
"""The global bucket holds this many seconds' worth of sends (Telegram allows more)."""

ChatKey = int | tuple[str, str]

_serials = itertools.count(1)
"""Process-wide, so requests of two incarnations never share a serial."""


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
        if isinstance(self.message, SendReport) and self.message.as_chart:
            return "sendPhoto"
        return _METHODS[type(self.message)]


_METHODS: dict[type, str] = {
    SendMessage: "sendMessage",
    EditMessage: "editMessageText",
    DeleteMessage: "deleteMessage",
    SendReport: "sendDocument",
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
