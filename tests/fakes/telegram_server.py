"""A fake Telegram Bot API server for end-to-end tests, spoken to over real HTTP on 127.0.0.1.

medbot tests "real parts, not mocks": the real pyTelegramBotAPI client talks to this server exactly
as it talks to api.telegram.org (``telebot.apihelper.API_URL = fake.api_url``). The fake keeps what
each person would see in their chat, so a test asserts on the person's screen rather than on calls.

What it does like Telegram (the behaviours a bot gets wrong):

- ``/bot<token>/<method>``; another token -> 401 "Unauthorized"; an unknown method -> 404 "Not Found";
  errors in the Bot API shape ``{"ok": false, "error_code", "description"[, "parameters"]}``.
- Parameters from the query string (where pyTelegramBotAPI puts them, even for POST), a form body,
  a JSON body or multipart; ``reply_markup``/``commands``/``scope``/``allowed_updates`` as JSON strings.
- getUpdates long polling: held until an update is queued or ``timeout`` s pass; ``offset``
  confirms (forgets) earlier updates, a negative offset keeps only the last -offset; ``limit``;
  ``allowed_updates`` persists between calls like Telegram's; a second concurrent getUpdates ends
  the first with 409 "Conflict: terminated by other getUpdates request"; getUpdates while a
  webhook is set -> 409.
- sendMessage: text 1..4096 characters after markup is parsed (``parse_mode`` HTML, MarkdownV2,
  Markdown; bad markup -> 400 "can't parse entities"); inline keyboards validated (callback_data
  1..64 bytes -> else 400 "BUTTON_DATA_INVALID"); answers a full Message with a per-chat increasing
  message_id shared with the person's own messages, as in a private chat.
- editMessageText / editMessageReplyMarkup: unknown message -> 400 "message to edit not found";
  same text, entities and keyboard -> 400 "message is not modified..."; an edit *without*
  ``reply_markup`` removes the inline keyboard (as Telegram does); the person's own messages
  -> 400 "message can't be edited". deleteMessage: unknown/already deleted -> 400
  "message to delete not found".
- answerCallbackQuery: unknown or already answered id -> 400 "query is too old and response timeout
  expired or query ID is invalid".
- A blocked user (``block_user``): sendMessage, sendChatAction and edits to them -> 403 "Forbidden:
  bot was blocked by the user"; a ``my_chat_member`` update ("kicked"/"member") is queued like
  Telegram's unless ``notify=False``. A message pushed from a blocked user unblocks first (the app
  makes people unblock before they can write), queueing the "member" update before the message.
- Optional rate limits (``enforce_limits``): token buckets per chat and overall; a refused send gets
  429 "Too Many Requests: retry after N" with ``parameters.retry_after``, and sending again to that
  chat before the N seconds are over is refused again (and counted) as Telegram does.

- Voice messages (``push_voice``) keep their audio: getFile answers its ``file_path`` (unknown id ->
  400 "invalid file_id"; over 20 MB -> 400 "file is too big") and ``/file/bot<token>/<file_path>``
  serves the bytes.

Simplifications: setWebhook stores the URL but delivers nothing; no inline mode or 48-hour edit
windows. Methods not listed in
``_HANDLERS`` answer 404 as an unknown method would.

Everything test-side is thread-safe; ``wait_for``/``wait_calls`` wake on each change (no sleeps).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as default_email_policy
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import parse_qsl

from tests.fakes._http import FakeHttpServer, HttpReply, IncomingRequest, Queued, json_reply, use_queued
from tests.fakes.telegram_limits import TelegramLimits
from tests.fakes.telegram_text import MarkupError, render, utf16_len

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request", 401: "Unauthorized", 403: BLOCKED, 404: "Not Found", 409: "Conflict",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}
# What nginx in front of the Bot API answers when the backend is down: HTML, not the JSON error shape.
_GATEWAY_STATUSES = frozenset({502, 503, 504})
_GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
)
# Update types Telegram sends when allowed_updates is empty or was never set.
_NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_TO_THE_PERSON = frozenset({"sendMessage", "sendChatAction", "editMessageText", "editMessageReplyMarkup"})
_RATE_LIMITED_BY_DEFAULT = ("sendMessage", "editMessageText", "editMessageReplyMarkup")
_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
_BUTTON_ACTIONS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_PATH = re.compile(r"/bot([^/]*)/([A-Za-z]+)")
_FILE_PATH = re.compile(r"/file/bot([^/]*)/(.+)")
MAX_DOWNLOAD = 20 * 1024 * 1024
"""getFile refuses larger files, as Telegram's does."""
_JSON_FIELDS = frozenset({
    "reply_markup", "commands", "scope", "allowed_updates", "entities", "link_preview_options",
    "reply_parameters", "caption_entities",
})
_INT_FIELDS = frozenset({"message_id", "offset", "limit", "timeout", "cache_time", "max_connections", "user_id"})
_BOOL_FIELDS = frozenset({
    "disable_notification", "protect_content", "show_alert", "drop_pending_updates",
    "disable_web_page_preview", "allow_sending_without_reply",
})


# --- what tests read ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made. ``params`` are normalised: ints, bools, JSON fields decoded.

    ``status`` is None while the answer is not decided yet (a held long poll) and for a request the
    fake dropped without answering (``hang_next(..., applied=False)``).
    """

    method: str
    params: Mapping[str, Any]
    at: float  # time.monotonic() on arrival
    status: int | None = None
    result: Any = None
    description: str | None = None
    retry_after: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int) else None

    @property
    def text(self) -> str | None:
        return self.params.get("text")

    @property
    def reply_markup(self) -> Mapping[str, Any] | None:
        return self.params.get("reply_markup")


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ChatMessage:
    """A message as the person sees it now: after every edit, with its inline buttons (rows)."""

    message_id: int
    chat_id: int
    from_bot: bool
    kind: str  # "text", "sticker", "photo", "voice"
    text: str | None  # visible text (markup removed); a photo's caption
    buttons: tuple[tuple[Button, ...], ...] = ()
    parse_mode: str | None = None
    edited: bool = False
    date: int = 0

    @property
    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [button.callback_data for row in self.buttons for button in row if button.callback_data is not None]

    def button(self, text: str) -> Button:
        for row in self.buttons:
            for button in row:
                if button.text == text:
                    return button
        raise LookupError(f"no button {text!r} on message {self.message_id}; buttons: {self.button_texts}")


@dataclass(frozen=True)
class AnsweredCallback:
    callback_query_id: str
    chat_id: int
    message_id: int | None
    data: str | None
    text: str | None
    show_alert: bool


# --- internal state ----------------------------------------------------------------------------


class _ApiError(Exception):
    def __init__(self, status: int, description: str, *, retry_after: int | None = None, html: bool = False):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.html = html

    def reply(self) -> HttpReply:
        if self.html:
            page = _GATEWAY_PAGE.format(status=self.status, reason=_DEFAULT_DESCRIPTIONS[self.status])
            return HttpReply(self.status, page.encode(), content_type="text/html")
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return json_reply(self.status, body)


def _too_many(retry_after: int) -> _ApiError:
    return _ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


@dataclass
class _Message:
    message_id: int
    chat_id: int
    from_bot: bool
    kind: str
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    media: dict[str, Any] = field(default_factory=dict)  # the sticker/photo/voice fields of the JSON
    edit_date: int | None = None
    deleted: bool = False
    sender_id: int | None = None  # in a group chat: the member who wrote it


@dataclass
class _Chat:
    chat_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    wrote_to_bot: bool = False
    last_message_id: int = 0
    messages: dict[int, _Message] = field(default_factory=dict)
    sent_texts: list[str] = field(default_factory=list)
    group_title: str | None = None  # set for a group chat (negative id)

    def add(self, **fields: Any) -> _Message:
        self.last_message_id += 1
        message = _Message(message_id=self.last_message_id, chat_id=self.chat_id, **fields)
        self.messages[message.message_id] = message
        return message

    def user_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.chat_id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_json(self) -> dict[str, Any]:
        if self.group_title is not None:
            return {"id": self.chat_id, "title": self.group_title, "type": "supergroup"}
        chat: dict[str, Any] = {"id": self.chat_id, "first_name": self.first_name, "type": "private"}
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class _Fault:
    method: str
    status: int
    description: str
    retry_after: int | None
    chat_id: int | None
    html: bool


@dataclass(frozen=True)
class _Hang:
    method: str
    seconds: float
    applied: bool


# --- the server --------------------------------------------------------------------------------


class FakeBotAPI(FakeHttpServer):
    """The fake Bot API. Construct it (it serves at once), use it, ``close()`` it (or ``with``)."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str = "medbot_test_bot",
        bot_first_name: str = "MedBot",
        require_known_chats: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``require_known_chats``: sending to someone who never wrote to the bot -> 400 "chat not found"
        (Telegram's rule; off by default so tests may message an admin chat without a setup step).
        ``clock`` gives the ``date`` of messages (Unix seconds)."""
        self._token = token
        self._require_known_chats = require_known_chats
        self._clock = clock
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1
        self._bot_user = {
            "id": bot_id, "is_bot": True, "first_name": bot_first_name, "username": bot_username,
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False,
        }
        self._chats: dict[int, _Chat] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)  # callback query ids, file ids
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._polls_waiting = 0
        self._open_callbacks: dict[str, tuple[int, int | None, str | None]] = {}
        self._answered: list[AnsweredCallback] = []
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._webhook_url = ""
        self._faults: list[Queued[_Fault]] = []
        self._hangs: list[Queued[_Hang]] = []
        self._blocked: set[int] = set()
        self._documents: dict[int, list[Upload]] = {}
        self._photos: dict[int, list[Upload]] = {}
        self._files: dict[str, _File] = {}
        self._downloaded: list[str] = []
        self._limits: TelegramLimits | None = None
        self._violations = 0
        super().__init__()

    # --- addresses ---

    @property
    def api_url(self) -> str:
        """The format string pyTelegramBotAPI wants in ``apihelper.API_URL``."""
        return self.base_url + "/bot{0}/{1}"

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self._bot_user)

    # --- what people do ---

    def push_text(
        self, user_id: int, text: str, *, language_code: str | None = "ru",
        first_name: str | None = None, username: str | None = None,
    ) -> dict[str, Any]:
        """The person sends ``text``; returns the queued update (a ``/command`` gets its entity)."""
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}]
        return self._push_message(user_id, language_code, first_name, username,
                                  kind="text", text=text, entities=entities)

    def push_group_text(self, group_id: int, user_id: int, text: str, *, first_name: str | None = None,
                        language_code: str | None = "ru") -> dict[str, Any]:
        """A member writes in a group chat the bot is in (`group_id` negative)."""
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}]
        with self._cond:
            self._person(user_id, language_code, first_name, None)
            group = self._group(group_id)
            message = group.add(from_bot=False, date=int(self._clock()), kind="text", text=text, entities=entities,
                                sender_id=user_id)
            return self._enqueue({"message": self._message_json(message)})

    def push_group_callback(self, group_id: int, user_id: int, data: str, message_id: int, *,
                            first_name: str | None = None, language_code: str | None = "ru") -> dict[str, Any]:
        """A member presses the button with ``data`` under the bot's message in a group chat."""
        with self._cond:
            member = self._person(user_id, language_code, first_name, None)
            group = self._group(group_id)
            message = group.messages.get(message_id)
            if message is None or message.deleted or data not in self._snapshot(message).callback_data:
                raise LookupError(f"no button with data {data!r} on message {message_id} of group {group_id}")
            query_id = str(next(self._ids) * 7919 + 4_000_000_000)
            query = {"id": query_id, "from": member.user_json(), "chat_instance": str(group_id * 31 - 7),
                     "data": data, "message": self._message_json(message)}
            self._open_callbacks[query_id] = (user_id, message_id, data)
            return self._enqueue({"callback_query": query})

    def _group(self, group_id: int) -> _Chat:
        if group_id >= 0:
            raise ValueError("a group chat's id is negative")
        group = self._chats.setdefault(group_id, _Chat(group_id, "", group_title=f"Group {group_id}"))
        group.wrote_to_bot = True
        return group

    def push_sticker(self, user_id: int, *, emoji: str = "👍", language_code: str | None = "ru") -> dict[str, Any]:
        file_id = self._file_id("sticker")
        sticker = {"file_id": file_id, "file_unique_id": file_id + "u", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": emoji}
        return self._push_message(user_id, language_code, None, None, kind="sticker", media={"sticker": sticker})

    def push_photo(
        self, user_id: int, *, caption: str | None = None, language_code: str | None = "ru",
    ) -> dict[str, Any]:
        file_id = self._file_id("photo")
        sizes = [{"file_id": f"{file_id}-{side}", "file_unique_id": f"{file_id}-{side}u", "width": side,
                  "height": side, "file_size": side * 40} for side in (90, 320, 800)]
        media: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            media["caption"] = caption
        return self._push_message(user_id, language_code, None, None, kind="photo", text=caption, media=media)

    def push_voice(
        self, user_id: int, *, audio: bytes | None = None, duration: int = 3, language_code: str | None = "ru",
        file_size: int | None = None,
    ) -> dict[str, Any]:
        """A voice message whose file (``audio``, default some bytes) can then be fetched with getFile
        and downloaded from ``/file/bot<token>/<file_path>``, as from Telegram. ``file_size`` overrides
        the size the update and getFile report (a forged or huge file)."""
        file_id = self._file_id("voice")
        content = audio if audio is not None else b"OggS" + bytes(duration * 2000)
        size = len(content) if file_size is None else file_size
        voice = {"file_id": file_id, "file_unique_id": file_id + "u", "duration": duration,
                 "mime_type": "audio/ogg", "file_size": size}
        with self._cond:
            self._files[file_id] = _File(f"voice/file_{len(self._files)}.oga", content, size)
        return self._push_message(user_id, language_code, None, None, kind="voice", media={"voice": voice})

    def forget_file(self, file_id: str) -> None:
        """The file is gone from Telegram's servers (getFile then answers 400)."""
        with self._cond:
            self._files.pop(file_id, None)

    @property
    def downloads(self) -> list[str]:
        """The file paths downloaded, in order."""
        with self._cond:
            return list(self._downloaded)

    def push_callback(
        self, user_id: int, data: str, message_id: int, *, language_code: str | None = "ru",
        first_name: str | None = None, require_button: bool = True,
    ) -> dict[str, Any]:
        """The person presses the button with ``data`` under message ``message_id``.

        By default the button must be on screen now (a person cannot press what is not there);
        ``require_button=False`` simulates a press racing an edit or a deletion.
        """
        with self._cond:
            chat = self._person(user_id, language_code, first_name, None)
            message = chat.messages.get(message_id)
            visible = message is not None and not message.deleted
            if require_button and not (visible and data in self._snapshot(message).callback_data):
                shown = self._snapshot(message).callback_data if visible else "message not visible"
                raise LookupError(f"no button with data {data!r} on message {message_id} (shown: {shown})")
            query_id = str(next(self._ids) * 7919 + 4_000_000_000)
            query: dict[str, Any] = {
                "id": query_id, "from": chat.user_json(), "chat_instance": str(-user_id * 31 - 7), "data": data,
                "message": (self._message_json(message) if visible
                            else {"chat": chat.chat_json(), "message_id": message_id, "date": 0}),
            }
            self._open_callbacks[query_id] = (user_id, message_id, data)
            return self._enqueue({"callback_query": query})

    def press(self, user_id: int, button_text: str, *, message_id: int | None = None) -> dict[str, Any]:
        """Press the button labelled ``button_text`` on the newest bot message showing it."""
        with self._cond:
            for message in reversed(self.chat(user_id)):
                if message.from_bot and (message_id is None or message.message_id == message_id):
                    button = next((b for row in message.buttons for b in row if b.text == button_text), None)
                    if button is not None and button.callback_data is not None:
                        return self.push_callback(user_id, button.callback_data, message.message_id)
            shown = [m.button_texts for m in self.chat(user_id) if m.buttons]
            raise LookupError(f"no button {button_text!r} visible in chat {user_id}; buttons shown: {shown}")

    def push_update(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Queue any other update as given (``update_id`` is added), e.g. an edited_message."""
        with self._cond:
            return self._enqueue(dict(body))

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a later getUpdates offset."""
        with self._cond:
            return len(self._updates)

    @property
    def polls_waiting(self) -> int:
        """getUpdates requests being held right now (the bot is listening)."""
        with self._cond:
            return self._polls_waiting

    # --- what the bot did ---

    @property
    def requests(self) -> list[ApiCall]:
        """Every request in arrival order, wrong-token ones included (never with the token)."""
        return self._logged()

    def calls(self, method: str, *, chat_id: int | None = None, ok: bool | None = None) -> list[ApiCall]:
        """Recorded calls of ``method`` (optionally to one chat, optionally only (un)successful ones)."""
        with self._cond:
            return [call for call in self._logged() if call.method == method
                    and (chat_id is None or call.chat_id == chat_id) and (ok is None or call.ok == ok)]

    def wait_calls(
        self, method: str, n: int = 1, timeout: float = 10.0, *, chat_id: int | None = None, ok: bool | None = None,
    ) -> list[ApiCall]:
        """Wait until at least ``n`` matching calls were answered; returns them all.

        Raises AssertionError (listing what did arrive) after ``timeout``, so a test fails with a story.
        """
        def answered() -> list[ApiCall]:
            return [c for c in self.calls(method, chat_id=chat_id, ok=ok) if c.status is not None]

        if not self.wait_for(lambda: len(answered()) >= n, timeout):
            seen = [(c.method, c.status, c.params.get("chat_id"), c.params.get("text")) for c in self.requests]
            raise AssertionError(f"expected {n} answered {method} call(s) within {timeout}s; calls so far: {seen}")
        return answered()

    def chat(self, chat_id: int) -> list[ChatMessage]:
        """What the person sees now: their and the bot's messages, oldest first, deleted ones gone."""
        with self._cond:
            chat = self._chats.get(chat_id)
            if chat is None:
                return []
            return [self._snapshot(m) for m in chat.messages.values() if not m.deleted]

    def use_clock(self, clock: Callable[[], float]) -> None:
        """Date messages by another clock (e.g. a test's virtual time) from now on."""
        with self._cond:
            self._clock = clock

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        return [message for message in self.chat(chat_id) if message.from_bot]

    def last_bot_message(self, chat_id: int) -> ChatMessage | None:
        messages = self.bot_messages(chat_id)
        return messages[-1] if messages else None

    def sent_texts(self, chat_id: int) -> list[str]:
        """Every text the bot successfully sent to the chat, in order, including later-deleted ones."""
        with self._cond:
            chat = self._chats.get(chat_id)
            return list(chat.sent_texts) if chat else []

    @property
    def answered_callbacks(self) -> list[AnsweredCallback]:
        with self._cond:
            return list(self._answered)

    def my_commands(self, *, scope: Mapping[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        """The command menu set for this scope and language (what getMyCommands would answer)."""
        with self._cond:
            return [dict(c) for c in self._commands.get((_scope_key(scope), language_code), [])]

    @property
    def webhook_url(self) -> str:
        with self._cond:
            return self._webhook_url

    @property
    def violations(self) -> int:
        """Sends refused by ``enforce_limits`` (each one a 429 the bot should have avoided)."""
        with self._cond:
            return self._violations

    # --- faults ---

    def fail_next(
        self, method: str, status: int, *, description: str | None = None, retry_after: int | None = None,
        count: int = 1, chat_id: int | None = None, html: bool | None = None,
    ) -> None:
        """The next ``count`` calls of ``method`` (to ``chat_id``, if given) fail with ``status``.

        Descriptions default to Telegram's (403 -> "Forbidden: bot was blocked by the user", 429 ->
        "Too Many Requests: retry after N" with ``parameters.retry_after``, default 1 s).
        502/503/504 answer nginx's HTML page like the real gateway does (pyTelegramBotAPI then raises
        ApiHTTPException, not ApiTelegramException); ``html=False`` forces the JSON shape.
        Call more than once to queue different faults; they are used in order.
        """
        if status == 429:
            retry_after = 1 if retry_after is None else retry_after
            description = description or f"Too Many Requests: retry after {retry_after}"
        with self._cond:
            self._faults.append(Queued(_Fault(
                method=method, status=status, description=description or _DEFAULT_DESCRIPTIONS.get(status, "Error"),
                retry_after=retry_after, chat_id=chat_id, html=status in _GATEWAY_STATUSES if html is None else html,
            ), count))

    def hang_next(self, method: str, seconds: float, *, count: int = 1, applied: bool = True) -> None:
        """The next ``count`` calls of ``method`` answer only after ``seconds`` (close() cuts it short).

        ``applied=True``: Telegram acts at once and only the answer is late, so after a client
        timeout the message exists anyway (a blind resend duplicates it). ``applied=False``: the
        request is lost: nothing happens and the connection closes without an answer.
        """
        with self._cond:
            self._hangs.append(Queued(_Hang(method=method, seconds=seconds, applied=applied), count))

    def clear_faults(self) -> None:
        """Forget queued fail_next/hang_next faults that were not used yet."""
        with self._cond:
            self._faults.clear()
            self._hangs.clear()

    def block_user(self, chat_id: int, *, notify: bool = True) -> None:
        """The person blocks the bot: every send or edit to them answers 403 until unblocked."""
        with self._cond:
            self._blocked.add(chat_id)
            if notify:
                self._enqueue(self._member_update(chat_id, "member", "kicked"))

    def unblock_user(self, chat_id: int, *, notify: bool = True) -> None:
        with self._cond:
            self._blocked.discard(chat_id)
            if notify:
                self._enqueue(self._member_update(chat_id, "kicked", "member"))

    def enforce_limits(
        self, per_chat_per_second: float = 1.0, global_per_second: float = 30.0, *, per_chat_burst: int = 3,
        global_burst: int = 30, methods: Iterable[str] = _RATE_LIMITED_BY_DEFAULT,
    ) -> None:
        """Refuse sends beyond Telegram's limits with 429 + retry_after, counting ``violations``.

        Each chat may send ``per_chat_burst`` at once, then ``per_chat_per_second``; all chats
        together ``global_burst`` at once, then ``global_per_second``. Only ``methods`` count.
        """
        with self._cond:
            self._limits = TelegramLimits(per_chat_per_second, global_per_second, per_chat_burst, global_burst,
                                   frozenset(methods))

    def disable_limits(self) -> None:
        with self._cond:
            self._limits = None

    # --- HTTP ---

    def _handle(self, request: IncomingRequest) -> HttpReply | None:
        download = _FILE_PATH.fullmatch(request.path)
        if download is not None:
            return self._download(*download.groups())
        path = _PATH.fullmatch(request.path)
        if path is None:
            return _ApiError(404, "Not Found").reply()
        token, name = path.groups()
        method = _CANONICAL.get(name.lower(), name)
        arrived = time.monotonic()
        if token != self._token:
            return self._answer_error(self._record(ApiCall(method, {}, arrived)), _ApiError(401, "Unauthorized"))
        try:
            params = _normalize(_read_params(request))
        except _ApiError as error:
            return self._answer_error(self._record(ApiCall(method, {}, arrived)), error)
        index = self._record(ApiCall(method, params, arrived))
        with self._cond:
            hang = use_queued(self._hangs, lambda h: h.method == method)
        if hang is not None and not hang.applied:
            self._hold(hang.seconds)
            return None
        reply = self._execute(method, params, index)
        if hang is not None and (not self._hold(hang.seconds) or request.client_gone()):
            return None
        return reply

    def _execute(self, method: str, params: dict[str, Any], index: int) -> HttpReply:
        handler = _HANDLERS.get(method)
        try:
            if handler is None:
                raise _ApiError(404, "Not Found")
            if method == "getUpdates":
                result = handler(self, params)  # takes the lock itself: it waits on it
            else:
                with self._cond:
                    self._gatekeep(method, params)
                    result = handler(self, params)
                    self._changed()
        except _ApiError as error:
            return self._answer_error(index, error)
        self._finish(index, status=200, result=result)
        return json_reply(200, {"ok": True, "result": result})

    def _gatekeep(self, method: str, params: Mapping[str, Any]) -> None:
        """Injected faults, then blocked users, then rate limits (under the lock)."""
        chat_id = params.get("chat_id")
        fault = use_queued(self._faults, lambda f: f.method == method and f.chat_id in (None, chat_id))
        if fault is not None:
            raise _ApiError(fault.status, fault.description, retry_after=fault.retry_after, html=fault.html)
        if method in _TO_THE_PERSON and chat_id in self._blocked:
            raise _ApiError(403, BLOCKED)
        if self._limits is not None and method in self._limits.methods:
            retry_after = self._limits.admit(chat_id if isinstance(chat_id, int) else None, time.monotonic())
            if retry_after is not None:
                self._violations += 1
                raise _too_many(retry_after)

    def _answer_error(self, index: int, error: _ApiError) -> HttpReply:
        self._finish(index, status=error.status, description=error.description, retry_after=error.retry_after)
        return error.reply()

    # --- updates ---

    def _enqueue(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **body}
        self._updates.append(update)
        self._changed()
        return json.loads(json.dumps(update))  # the caller's copy cannot alter the queue

    def _get_updates(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        with self._cond:
            self._gatekeep("getUpdates", params)
            if self._webhook_url:
                raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                     "use deleteWebhook to delete the webhook first")
            if "allowed_updates" in params:
                self._allowed_updates = frozenset(params["allowed_updates"] or ()) or None
            self._confirm(params.get("offset"))
            limit = min(max(params.get("limit") or 100, 1), 100)
            deadline = time.monotonic() + max(params.get("timeout") or 0, 0)
            self._poll_generation += 1
            generation = self._poll_generation
            self._polls_waiting += 1
            self._changed()
            try:
                while True:
                    ready = self._deliverable()[:limit]
                    remaining = deadline - time.monotonic()
                    if ready or remaining <= 0 or self._closed:
                        return json.loads(json.dumps(ready))
                    if self._poll_generation != generation:
                        raise _ApiError(409, "Conflict: terminated by other getUpdates request; "
                                             "make sure that only one bot instance is running")
                    self._cond.wait(remaining)
            finally:
                self._polls_waiting -= 1
                self._changed()

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            del self._updates[:offset]
        else:
            self._updates = [update for update in self._updates if update["update_id"] >= offset]

    def _deliverable(self) -> list[dict[str, Any]]:
        """Pending updates the bot asked for; the others are dropped, as Telegram never queues them."""
        def wanted(update: Mapping[str, Any]) -> bool:
            kind = next(key for key in update if key != "update_id")
            if self._allowed_updates is None:
                return kind not in _NOT_SENT_BY_DEFAULT
            return kind in self._allowed_updates

        self._updates = [update for update in self._updates if wanted(update)]
        return list(self._updates)

    # --- chats and messages ---

    def _person(self, user_id: int, language_code: str | None, first_name: str | None,
                username: str | None) -> _Chat:
        chat = self._chats.setdefault(user_id, _Chat(user_id, first_name or f"User {user_id}"))
        chat.wrote_to_bot = True
        chat.first_name = first_name or chat.first_name
        chat.username = username or chat.username
        chat.language_code = language_code
        return chat

    def _push_message(self, user_id: int, language_code: str | None, first_name: str | None,
                      username: str | None, **fields: Any) -> dict[str, Any]:
        with self._cond:
            if user_id in self._blocked:  # a Telegram client makes a person unblock before writing
                self.unblock_user(user_id)
            chat = self._person(user_id, language_code, first_name, username)
            message = chat.add(from_bot=False, date=int(self._clock()), **fields)
            return self._enqueue({"message": self._message_json(message)})

    def _member_update(self, chat_id: int, old: str, new: str) -> dict[str, Any]:
        chat = self._chats.setdefault(chat_id, _Chat(chat_id, f"User {chat_id}"))
        def member(status: str) -> dict[str, Any]:
            return {"user": self._bot_user, "status": status, **({"until_date": 0} if status == "kicked" else {})}
        return {"my_chat_member": {"chat": chat.chat_json(), "from": chat.user_json(), "date": int(self._clock()),
                                   "old_chat_member": member(old), "new_chat_member": member(new)}}

    def _file_id(self, kind: str) -> str:
        return f"fake-{kind}-{next(self._ids)}"

    def _message_json(self, message: _Message) -> dict[str, Any]:
        chat = self._chats[message.chat_id]
        sender = self._chats.get(message.sender_id) if message.sender_id is not None else chat
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "from": dict(self._bot_user) if message.from_bot else (sender or chat).user_json(),
            "chat": chat.chat_json(),
            "date": message.date,
        }
        if message.edit_date is not None:
            body["edit_date"] = message.edit_date
        if message.kind == "text":
            body["text"] = message.text
            if message.entities:
                body["entities"] = message.entities
        body.update(message.media)
        if message.reply_markup is not None:
            body["reply_markup"] = message.reply_markup
        return json.loads(json.dumps(body))

    @staticmethod
    def _snapshot(message: _Message) -> ChatMessage:
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        buttons = tuple(tuple(Button(b["text"], b.get("callback_data"), b.get("url")) for b in row) for row in rows)
        return ChatMessage(message.message_id, message.chat_id, message.from_bot, message.kind, message.text,
                           buttons, message.parse_mode, message.edit_date is not None, message.date)

    def _target_chat(self, params: Mapping[str, Any]) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _bad("chat_id is empty")
        if not isinstance(chat_id, int):
            raise _bad("chat not found")
        chat = self._chats.get(chat_id)
        if self._require_known_chats and (chat is None or not chat.wrote_to_bot):
            raise _bad("chat not found")
        return chat or self._chats.setdefault(chat_id, _Chat(chat_id, f"User {chat_id}"))

    def _existing(self, params: Mapping[str, Any], verb: str) -> _Message:
        if "inline_message_id" in params:
            raise _bad("MESSAGE_ID_INVALID")  # inline messages are not modelled
        chat = self._target_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise _bad(f"message to {verb} not found")
        return message

    def _editable(self, params: Mapping[str, Any]) -> _Message:
        message = self._existing(params, "edit")
        if not message.from_bot:
            raise _bad("message can't be edited")
        return message

    # --- Bot API methods (called with the lock held) ---

    def _get_me(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self._bot_user)

    def _send_message(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        text, entities = _visible_text(params)
        markup = _validated_markup(params.get("reply_markup"))
        message = chat.add(from_bot=True, kind="text", date=int(self._clock()), text=text, entities=entities,
                           parse_mode=params.get("parse_mode"), reply_markup=_inline_only(markup))
        chat.sent_texts.append(text)
        return self._message_json(message)

    def _send_document(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        document = params.get("document")
        if not isinstance(document, Upload) or not document.content:
            raise _bad("there is no document in the request")
        file_id = self._file_id("document")
        media: dict[str, Any] = {"document": {"file_id": file_id, "file_unique_id": file_id + "u",
                                              "file_name": document.filename, "file_size": len(document.content)}}
        caption = params.get("caption")
        if isinstance(caption, str) and caption:
            media["caption"] = caption
        message = chat.add(from_bot=True, kind="document", date=int(self._clock()), media=media)
        self._documents.setdefault(chat.chat_id, []).append(document)
        return self._message_json(message)

    def _send_photo(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """A picture sent as a file (multipart): kept like a document, shown as a photo."""
        chat = self._target_chat(params)
        photo = params.get("photo")
        if not isinstance(photo, Upload) or not photo.content:
            raise _bad("there is no photo in the request")
        file_id = self._file_id("photo")
        media: dict[str, Any] = {"photo": [{"file_id": file_id, "file_unique_id": file_id + "u", "width": 960,
                                            "height": 540, "file_size": len(photo.content)}]}
        caption = params.get("caption")
        if isinstance(caption, str) and caption:
            media["caption"] = caption
        message = chat.add(from_bot=True, kind="photo", date=int(self._clock()), media=media,
                           text=media.get("caption"))  # what the person sees under the picture
        self._photos.setdefault(chat.chat_id, []).append(photo)
        return self._message_json(message)

    def _get_file(self, params: Mapping[str, Any]) -> dict[str, Any]:
        file_id = params.get("file_id")
        stored = self._files.get(file_id) if isinstance(file_id, str) else None
        if stored is None:
            raise _bad("invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {"file_id": file_id, "file_unique_id": f"{file_id}u", "file_size": stored.size,
                "file_path": stored.path}

    def _download(self, token: str, path: str) -> HttpReply:
        with self._cond:
            stored = next((f for f in self._files.values() if f.path == path), None)
            if token != self._token or stored is None:
                return HttpReply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
            self._downloaded.append(path)
            self._changed()
        return HttpReply(200, stored.content, content_type="application/octet-stream")

    def photos(self, chat_id: int) -> list[Upload]:
        """Every picture the bot sent to the chat (name and bytes), in order."""
        with self._cond:
            return list(self._photos.get(chat_id, []))

    def documents(self, chat_id: int) -> list[Upload]:
        """Every document the bot sent to the chat (name and bytes), in order."""
        with self._cond:
            return list(self._documents.get(chat_id, []))

    def _edit_message_text(self, params: Mapping[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if message.kind != "text":
            raise _bad("there is no text in the message to edit")
        text, entities = _visible_text(params)
        markup = _inline_only(_validated_markup(params.get("reply_markup")))
        if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise _ApiError(400, NOT_MODIFIED)
        message.text, message.entities, message.reply_markup = text, entities, markup
        message.parse_mode = params.get("parse_mode")
        message.edit_date = int(self._clock())
        return self._message_json(message)

    def _edit_message_reply_markup(self, params: Mapping[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        markup = _inline_only(_validated_markup(params.get("reply_markup")))
        if markup == message.reply_markup:
            raise _ApiError(400, NOT_MODIFIED)
        message.reply_markup = markup
        message.edit_date = int(self._clock())
        return self._message_json(message)

    def _delete_message(self, params: Mapping[str, Any]) -> bool:
        self._existing(params, "delete").deleted = True
        return True

    def _answer_callback_query(self, params: Mapping[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_callbacks:
            raise _ApiError(400, QUERY_INVALID)
        text = params.get("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad("MESSAGE_TOO_LONG")
        chat_id, message_id, data = self._open_callbacks.pop(query_id)
        self._answered.append(AnsweredCallback(query_id, chat_id, message_id, data, text,
                                               bool(params.get("show_alert", False))))
        return True

    def _set_my_commands(self, params: Mapping[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("command description must be non-empty")
        key = self._commands_key(params)
        self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    def _get_my_commands(self, params: Mapping[str, Any]) -> list[dict[str, str]]:
        return [dict(c) for c in self._commands.get(self._commands_key(params), [])]

    def _delete_my_commands(self, params: Mapping[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
        language_code = params.get("language_code") or ""
        if language_code and not _LANGUAGE.fullmatch(language_code):
            raise _bad("invalid language code specified")
        return _scope_key(params.get("scope")), language_code

    def _delete_webhook(self, params: Mapping[str, Any]) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, params: Mapping[str, Any]) -> bool:
        self._webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: Mapping[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {"url": self._webhook_url, "has_custom_certificate": False,
                                "pending_update_count": len(self._updates)}
        if self._webhook_url:
            info["max_connections"] = 40
        return info

    def _send_chat_action(self, params: Mapping[str, Any]) -> bool:
        self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True


_HANDLERS: dict[str, Callable[[FakeBotAPI, Mapping[str, Any]], Any]] = {
    "getMe": FakeBotAPI._get_me,
    "getUpdates": FakeBotAPI._get_updates,
    "sendMessage": FakeBotAPI._send_message,
    "sendDocument": FakeBotAPI._send_document,
    "sendPhoto": FakeBotAPI._send_photo,
    "getFile": FakeBotAPI._get_file,
    "editMessageText": FakeBotAPI._edit_message_text,
    "editMessageReplyMarkup": FakeBotAPI._edit_message_reply_markup,
    "deleteMessage": FakeBotAPI._delete_message,
    "answerCallbackQuery": FakeBotAPI._answer_callback_query,
    "setMyCommands": FakeBotAPI._set_my_commands,
    "getMyCommands": FakeBotAPI._get_my_commands,
    "deleteMyCommands": FakeBotAPI._delete_my_commands,
    "deleteWebhook": FakeBotAPI._delete_webhook,
    "setWebhook": FakeBotAPI._set_webhook,
    "getWebhookInfo": FakeBotAPI._get_webhook_info,
    "sendChatAction": FakeBotAPI._send_chat_action,
}
_CANONICAL = {name.lower(): name for name in _HANDLERS}  # Bot API method names are case-insensitive


# --- parameters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _File:
    """A file a person sent (a voice note): where getFile says it is, and its bytes."""

    path: str
    content: bytes
    size: int


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request (sendDocument): its name and bytes."""

    filename: str
    content: bytes

    def __str__(self) -> str:
        return f"<file {self.filename}>"


def _read_params(request: IncomingRequest) -> dict[str, Any]:
    """Query string first, then whatever body the client chose; the Bot API accepts all of them."""
    params: dict[str, Any] = dict(request.query)
    content_type = request.headers.get("content-type", "")
    if not request.body:
        return params
    if content_type.startswith("application/json"):
        try:
            body = json.loads(request.body)
        except ValueError:
            raise _bad("can't parse JSON encoded request") from None
        if isinstance(body, dict):
            params.update(body)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    elif content_type.startswith("multipart/form-data"):
        envelope = f"Content-Type: {content_type}\r\n\r\n".encode() + request.body
        for part in BytesParser(policy=default_email_policy).parsebytes(envelope).iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            params[name] = Upload(part.get_filename(), payload) if part.get_filename() else payload.decode("utf-8")
    return params


def _normalize(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Type the string parameters the way the Bot API reads them, so tests compare real values."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key in _JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError:
                    what = "reply keyboard markup" if key == "reply_markup" else key
                    raise _bad(f"can't parse {what} JSON object") from None
            elif key == "chat_id" and re.fullmatch(r"-?\d+", value):
                value = int(value)
            elif key in _INT_FIELDS:
                try:
                    value = int(value)
                except ValueError:
                    raise _bad(f"invalid {key} specified") from None
            elif key in _BOOL_FIELDS:
                value = value.lower() in ("true", "1")
        params[key] = value
    return params


def _visible_text(params: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    raw = params.get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise _bad("message text is empty")
    try:
        text, entities = render(raw, params.get("parse_mode"))
    except MarkupError as error:
        raise _bad(str(error)) from None
    if not params.get("parse_mode") and isinstance(params.get("entities"), list):
        entities = params["entities"]
    if not text.strip():
        raise _bad("message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise _bad("message is too long")
    return text, entities


def _validated_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
            return markup
        raise _bad("can't parse reply keyboard markup JSON object")
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    buttons = [button for row in rows for button in row]
    if len(buttons) > 100:
        raise _bad("reply markup is too long")
    for button in buttons:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
        if not any(action in button for action in _BUTTON_ACTIONS):
            raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if "callback_data" in button and (
            not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise _bad("BUTTON_DATA_INVALID")
    return markup


def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only inline keyboards belong to a message (Telegram echoes no other markup back)."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def _scope_key(scope: Mapping[str, Any] | None) -> str:
    if not scope or scope.get("type") == "default":
        return "default"
    return json.dumps(scope, sort_keys=True)
