"""The seam between medbot and pyTelegramBotAPI: a client, updates in, keyboards out, errors sorted.

Pure helpers, no actors. Three library facts shape this module:
- pyTelegramBotAPI keeps its configuration in module globals (`apihelper.API_URL`, timeouts),
  so pointing it at a server is process-wide.
- It never retries a 429 and raises three different exception types for one failed call
  (the JSON error shape, an HTML gateway page, a requests error); `classify_error` turns them
  into one decision.
- `str()` of its connection errors quotes the request URL, which carries the bot token and,
  because it puts parameters in the query string even for POST, the message text. `describe`
  is the only text of an error that may reach a log.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import requests
import telebot
from telebot import apihelper, types
from urllib3.exceptions import MaxRetryError, NewConnectionError

from medbot.core.updates import Inbound, InboundCallback, InboundOther, InboundText, InboundVoice
from medbot.core.view import Keyboard
from medbot.shell.redact import RedactingFilter, redact, register_secret
from medbot.shell.retries import RetryPolicy, call_with_retries

CONNECT_TIMEOUT = 5.0
"""Seconds to open a connection to the Bot API: longer means the network is down, retry later."""
READ_TIMEOUT = 15.0
"""Seconds to wait for an answer to a send. Generous on purpose: after a read timeout a message
may have been delivered, and a blind resend would duplicate it."""
CONFIRM_TIMEOUT = 5.0
"""Read timeout of the one getUpdates call that confirms processed updates at stop."""
MAX_INBOUND_TEXT = 4096
MAX_FILE_ID = 256
"""Telegram's file ids are well under this; a longer one is forged and is cut, never stored."""
ALLOWED_UPDATES = ("message", "callback_query")

log = logging.getLogger(__name__)


# --- the client -----------------------------------------------------------------------------


_sessions = threading.local()
_proxies: dict[str, str] = {}


def _request(
    method: str, url: str, params: Any = None, files: Any = None, timeout: Any = None, proxies: Any = None,
) -> requests.Response:
    """pyTelegramBotAPI's HTTP calls, each thread on its own session that does not consult the
    environment at every call: requests would look up the proxy variables and stat ~/.netrc
    for each message (about a millisecond of the hot path here). The proxy the environment
    names for the Bot API is read once, in `point_client_at`."""
    session: requests.Session | None = getattr(_sessions, "session", None)
    if session is None:
        session = requests.Session()
        session.trust_env = False
        session.proxies.update(_proxies)
        _sessions.session = session
    return session.request(method, url, params=params, files=files, timeout=timeout, proxies=proxies)


def point_client_at(base_url: str) -> None:
    """Point pyTelegramBotAPI (process-wide) at a Bot API server and set its timeouts."""
    base = base_url.rstrip("/")
    _proxies.clear()
    found = requests.utils.get_environ_proxies(base)  # honours NO_PROXY for this server
    _proxies.update({scheme: url for scheme, url in found.items() if scheme != "no"})
    apihelper.CUSTOM_REQUEST_SENDER = _request
    apihelper.API_URL = f"{base}/bot{{0}}/{{1}}"
    apihelper.FILE_URL = f"{base}/file/bot{{0}}/{{1}}"
    apihelper.CONNECT_TIMEOUT = CONNECT_TIMEOUT
    apihelper.READ_TIMEOUT = READ_TIMEOUT
    apihelper.RETRY_ON_ERROR = False  # we decide what is retried, and how
    # The library logs through its own stderr handler as well as ours: redact that one too.
    for handler in telebot.logger.handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(RedactingFilter())


def make_bot(token: str, base_url: str) -> telebot.TeleBot:
    """A synchronous client (threaded=False: our actors and pools do the threading)."""
    register_secret(token)
    point_client_at(base_url)
    return telebot.TeleBot(token, threaded=False)


def fetch_updates(token: str, offset: int | None, poll_timeout: int) -> list[dict[str, Any]]:
    """One long poll, as raw dicts: converting them one by one means a single update the
    library cannot parse is skipped instead of failing every poll forever."""
    result = apihelper.get_updates(
        token,
        offset=offset,
        allowed_updates=list(ALLOWED_UPDATES),
        long_polling_timeout=poll_timeout,
    )
    return [update for update in result or [] if isinstance(update, dict)]


def confirm_updates(token: str, offset: int) -> None:
    """Tell Telegram that everything below `offset` was handled, without holding a long poll.

    `get_updates(timeout=0)` is not expressible through pyTelegramBotAPI: it turns a zero long
    polling timeout into its default (10 s). Without the parameter the Bot API answers at once.
    """
    apihelper._make_request(  # noqa: SLF001 - see above
        token, "getUpdates", params={"offset": offset, "limit": 1, "timeout": CONFIRM_TIMEOUT}
    )


GET_ME_RETRIES = RetryPolicy(attempts=None, first_wait=1.0, max_wait=30.0, jitter=0.0, total=None)
"""A network that is down at start is waited for: 1, 2, 4 ... 30 s between tries."""


def check_bot(
    settings: Any,
    patience: float | None = None,
    waiting: Callable[[float], None] | None = None,
) -> tuple[str | None, str]:
    """Ask Telegram who we are before starting: (None, the bot's username) when the token
    works, else (one line saying why, "").

    A rejected token is final (exit at once, say why). A network that is down is retried with
    backoff - for ever by default, since a daemon often starts before the network is up and
    exiting would only burn systemd's start limit; `waiting(seconds)` is told each pause (the
    daemon uses it to ask systemd for more start-up time).
    """
    bot = make_bot(settings.telegram_token, settings.telegram_api_url)
    deadline = None if patience is None else time.monotonic() + patience

    def pausing(attempt: int, error: BaseException, pause: float) -> None:
        log.warning("getMe failed, retrying in %.0f s: %s", pause, describe(error))
        if waiting is not None:
            waiting(pause)

    me, error, _ = call_with_retries(
        bot.get_me, lambda error: classify_error(error).retryable, GET_ME_RETRIES, on_retry=pausing,
        deadline=deadline,
    )
    if error is None:
        username = getattr(me, "username", None)
        return None, username if isinstance(username, str) else ""
    kind = classify_error(error)
    if kind.failure is Failure.UNAUTHORIZED:
        return "Telegram rejected the bot token (401 Unauthorized): check MEDBOT_TELEGRAM_TOKEN", ""
    if not kind.retryable:
        return f"the Telegram Bot API refused getMe: {describe(error)}", ""
    return f"cannot reach the Telegram Bot API: {describe(error)}", ""


def keyboard_markup(buttons: Keyboard) -> types.InlineKeyboardMarkup | None:
    """Inline buttons for Telegram; None when there are none (an edit then removes them)."""
    rows = [
        [types.InlineKeyboardButton(text=button.text, url=button.url) if button.url
         else types.InlineKeyboardButton(text=button.text, callback_data=button.data) for button in row]
        for row in buttons
        if row
    ]
    return types.InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


# --- commands menu --------------------------------------------------------------------------

COMMANDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "ru": (
        ("start", "Начать и узнать, что я умею"),
        ("help", "Как со мной разговаривать"),
        ("list", "Мои лекарства и время приёма"),
        ("stats", "Сколько доз принято"),
        ("report", "Отчёт для врача (PDF)"),
        ("caregiver", "Помощник: близкий узнает о пропусках"),
        ("delete_me", "Удалить все мои данные"),
    ),
    "en": (
        ("start", "Start and see what I can do"),
        ("help", "How to talk to me"),
        ("list", "My medications and times"),
        ("stats", "How many doses were taken"),
        ("report", "A report for the doctor (PDF)"),
        ("caregiver", "A caregiver hears of missed doses"),
        ("delete_me", "Erase all my data"),
    ),
}
DEFAULT_COMMANDS_LANGUAGE = "en"
"""Shown to people whose app language is neither Russian nor English."""


def set_commands(bot: telebot.TeleBot) -> None:
    """The command menu in Russian and English (and English for every other language)."""
    scope = types.BotCommandScopeDefault()
    for language, commands in COMMANDS.items():
        menu = [types.BotCommand(name, description) for name, description in commands]
        bot.set_my_commands(menu, scope=scope, language_code=language)
    default = [types.BotCommand(n, d) for n, d in COMMANDS[DEFAULT_COMMANDS_LANGUAGE]]
    bot.set_my_commands(default, scope=scope)


# --- updates in -----------------------------------------------------------------------------


def update_to_inbound(
    update: types.Update | Mapping[str, Any], now: float | None = None
) -> Inbound | None:
    """What a person did, or None for anything medbot does not answer.

    Private chats only; edited messages, service messages, other bots and other chat types are
    ignored. Never raises: an update the library cannot read is dropped (and logged at DEBUG).
    `received_at` is when the person sent the message (Telegram's date), else `now`.
    """
    try:
        if not isinstance(update, types.Update):
            update = types.Update.de_json(dict(update))
        inbound: Inbound | None = None
        if update.message is not None:
            inbound = _message_to_inbound(update.message, now)
        elif update.callback_query is not None:
            inbound = _callback_to_inbound(update.callback_query)
        update_id = update.update_id
        if inbound is not None and isinstance(update_id, int) and not isinstance(update_id, bool):
            inbound = replace(inbound, update_id=update_id)
        return inbound
    except Exception as error:  # noqa: BLE001 - one odd update must never stop the bot
        log.debug("ignored an update that could not be read: %s", type(error).__name__)
    return None


def well_formed(text: str) -> str:
    """`text` with lone UTF-16 surrogates replaced: JSON may carry them, nothing can write them."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _person(user: types.User | None) -> tuple[int, str | None] | None:
    if user is None or getattr(user, "is_bot", False) or not isinstance(user.id, int):
        return None
    return user.id, getattr(user, "language_code", None) or None


MAX_NAME = 64


def _first_name(user: types.User | None) -> str:
    """The sender's first name, cleaned and bounded: their caregivers or patients read it."""
    name = getattr(user, "first_name", None)
    if not isinstance(name, str):
        return ""
    return " ".join(well_formed(name).split())[:MAX_NAME]


def _private_chat_id(chat: Any) -> int | None:
    if chat is None or getattr(chat, "type", None) != "private" or not isinstance(chat.id, int):
        return None
    return int(chat.id)


def _group_chat_id(chat: Any) -> int | None:
    """A family group chat's id (always negative), for its commands and button presses."""
    if chat is None or getattr(chat, "type", None) not in ("group", "supergroup") or not isinstance(chat.id, int):
        return None
    return int(chat.id) if chat.id < 0 else None


def _chat_of(user_id: int, chat: Any) -> int | None:
    """The sender's private chat, or a group chat; None for anything else (a channel, or a
    private chat that is not the sender's: Telegram never sends one, so it is forged)."""
    private = _private_chat_id(chat)
    if private is not None:
        if private != user_id:
            log.debug("ignored an update from a private chat that is not its sender's")
            return None
        return private
    return _group_chat_id(chat)


def _message_to_inbound(message: types.Message, now: float | None) -> Inbound | None:
    person = _person(message.from_user)
    if person is None:
        return None
    user_id, language = person
    chat_id = _chat_of(user_id, message.chat)
    if chat_id is None:
        return None
    kind = message.content_type or "unknown"
    if kind in telebot.util.content_type_service:
        return None
    if chat_id != user_id and not (kind == "text" and isinstance(message.text, str) and message.text.startswith("/")):
        return None  # in a group chat only commands are for the bot: the family's talk is not
    if kind == "text" and isinstance(message.text, str):
        sent_at = float(message.date) if isinstance(message.date, int) and message.date > 0 else None
        received = sent_at if sent_at is not None else (time.time() if now is None else now)
        return InboundText(
            user_id=user_id,
            chat_id=chat_id,
            text=well_formed(message.text[:MAX_INBOUND_TEXT]),
            message_id=int(message.message_id or 0),
            language_code=language,
            received_at=received,
            first_name=_first_name(message.from_user),
        )
    voice = message.voice if kind == "voice" else None
    if voice is not None and isinstance(voice.file_id, str) and voice.file_id:
        sent_at = float(message.date) if isinstance(message.date, int) and message.date > 0 else None
        return InboundVoice(
            user_id=user_id,
            chat_id=chat_id,
            file_id=voice.file_id[:MAX_FILE_ID],
            duration=voice.duration if isinstance(voice.duration, int) and voice.duration >= 0 else 0,
            file_size=voice.file_size if isinstance(voice.file_size, int) and voice.file_size >= 0 else None,
            message_id=int(message.message_id or 0),
            language_code=language,
            received_at=sent_at if sent_at is not None else (time.time() if now is None else now),
            first_name=_first_name(message.from_user),
        )
    return InboundOther(user_id=user_id, chat_id=chat_id, kind=kind, language_code=language)


def _callback_to_inbound(query: types.CallbackQuery) -> InboundCallback | None:
    person = _person(query.from_user)
    if person is None or not query.id or query.data is None:
        return None  # game callbacks carry no data; medbot has no games
    user_id, language = person
    message = query.message
    if message is not None:
        chat_id = _chat_of(user_id, message.chat)
        if chat_id is None:
            return None
        message_id: int | None = int(message.message_id)
    else:
        chat_id, message_id = user_id, None  # a button under an inline-mode message
    return InboundCallback(
        user_id=user_id,
        chat_id=chat_id,
        callback_id=str(query.id),
        data=well_formed(str(query.data)[:MAX_INBOUND_TEXT]),
        message_id=message_id,
        language_code=language,
        first_name=_first_name(query.from_user),
    )


# --- errors ---------------------------------------------------------------------------------


class Failure(StrEnum):
    RATE_LIMITED = "rate_limited"
    """429: wait `retry_after` seconds, then send the same request again."""
    BLOCKED = "blocked"
    """403: the person blocked the bot (or deleted their account); never retried."""
    BAD_REQUEST = "bad_request"
    """400 and other refusals: resending the same request cannot help."""
    NOT_MODIFIED = "not_modified"
    """An edit to what is already shown: as good as success."""
    GONE = "gone"
    """The message to edit or delete, or the button press to answer, is no longer there: done."""
    TRANSIENT = "transient"
    """5xx, timeouts, connection errors: worth retrying."""
    UNAUTHORIZED = "unauthorized"
    """401/404: the token was revoked or is wrong."""
    CONFLICT = "conflict"
    """409: another instance is polling with this token, or a webhook is set."""
    UNKNOWN = "unknown"
    """Not an error from talking to Telegram: a bug or a configuration problem."""


@dataclass(frozen=True)
class ErrorKind:
    failure: Failure
    status: int | None
    """The HTTP status (or Bot API error_code), when there was an answer."""
    retry_after: float | None
    description: str
    """For logs: redacted, without query strings or message texts, clipped."""
    maybe_delivered: bool = False
    """The request may have reached Telegram (e.g. a read timeout): resending could duplicate."""

    @property
    def retryable(self) -> bool:
        return self.failure is Failure.TRANSIENT

    @property
    def done(self) -> bool:
        """Nothing left to do: the outcome counts as success."""
        return self.failure in (Failure.NOT_MODIFIED, Failure.GONE)


_GONE = (
    "message to edit not found",
    "message to delete not found",
    "message can't be deleted",
    "query is too old",
    "message_id_invalid",
)
_QUERY = re.compile(r"\?[^\s'\")\]]*")
_MAX_DESCRIPTION = 200


def describe(error: BaseException) -> str:
    """An error as one safe log line: no token, no query string (message texts), no newlines."""
    text = _QUERY.sub("?…", str(error))
    text = redact(text).replace("\n", " ").replace("\r", " ")
    if len(text) > _MAX_DESCRIPTION:
        text = text[: _MAX_DESCRIPTION - 3] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def classify_error(error: BaseException) -> ErrorKind:
    """What a failed Bot API call means for the caller (see `Failure`)."""
    description = describe(error)
    if isinstance(error, apihelper.ApiTelegramException):
        body = error.result_json if isinstance(error.result_json, dict) else {}
        status = _int_or_none(body.get("error_code")) or _status_of(error)
        return _by_status(status, str(body.get("description") or ""), _retry_after(body, error),
                          description)
    if isinstance(error, apihelper.ApiHTTPException):
        status = _status_of(error)
        return _by_status(status, "", _retry_after({}, error), description)
    if isinstance(error, apihelper.ApiInvalidJSONException):
        return ErrorKind(Failure.TRANSIENT, _status_of(error), None, description, maybe_delivered=True)
    if isinstance(error, requests.exceptions.RequestException):
        if isinstance(error, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
            return ErrorKind(Failure.TRANSIENT, None, None, description)
        if isinstance(error, requests.exceptions.ConnectionError) and _never_connected(error):
            return ErrorKind(Failure.TRANSIENT, None, None, description)
        if isinstance(error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                              requests.exceptions.ChunkedEncodingError,
                              requests.exceptions.ContentDecodingError)):
            return ErrorKind(Failure.TRANSIENT, None, None, description, maybe_delivered=True)
    return ErrorKind(Failure.UNKNOWN, None, None, description)


def _by_status(status: int | None, telegram_text: str, retry_after: float | None,
               description: str) -> ErrorKind:
    lowered = telegram_text.lower()
    if status == 429:
        return ErrorKind(Failure.RATE_LIMITED, status, retry_after or 1.0, description)
    if status == 403:
        return ErrorKind(Failure.BLOCKED, status, None, description)
    if status in (401, 404):
        return ErrorKind(Failure.UNAUTHORIZED, status, None, description)
    if status == 409:
        return ErrorKind(Failure.CONFLICT, status, None, description)
    if status is not None and status >= 500:
        # A gateway timeout may come after Telegram acted; a 500/502/503 means it did not.
        return ErrorKind(Failure.TRANSIENT, status, None, description, maybe_delivered=status == 504)
    if "message is not modified" in lowered:
        return ErrorKind(Failure.NOT_MODIFIED, status, None, description)
    if any(marker in lowered for marker in _GONE):
        return ErrorKind(Failure.GONE, status, None, description)
    return ErrorKind(Failure.BAD_REQUEST, status, None, description)


def _status_of(error: apihelper.ApiException) -> int | None:
    return _int_or_none(getattr(getattr(error, "result", None), "status_code", None))


def _retry_after(body: Mapping[str, Any], error: apihelper.ApiException) -> float | None:
    parameters = body.get("parameters")
    if isinstance(parameters, dict):
        seconds = _int_or_none(parameters.get("retry_after"))
        if seconds is not None:
            return float(max(seconds, 0))
    headers = getattr(getattr(error, "result", None), "headers", None) or {}
    seconds = _int_or_none(headers.get("Retry-After"))
    return float(max(seconds, 0)) if seconds is not None else None


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _never_connected(error: requests.exceptions.ConnectionError) -> bool:
    """True when the connection was refused or the name did not resolve: nothing was sent."""
    reason = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError)
