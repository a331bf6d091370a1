"""Configuration: `medbot.toml`, overridden by environment variables, validated in one pass.

Every mistake is reported as one plain line (which setting, what is wrong, what is expected),
all at once, so an operator fixes the file in one go instead of one restart per typo. Secrets
(the bot token, the Groq key) are registered with the redactor the moment they are read.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from medbot.core.history import MIN_HISTORY_DAYS
from medbot.core.tz import zone_or_none
from medbot.shell.redact import register_secret

DEFAULT_CONFIG_PATHS = (Path("/etc/medbot/medbot.toml"), Path("config/medbot.toml"))
TOKEN_SHAPE = re.compile(r"^\d{5,16}:[A-Za-z0-9_-]{30,}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class Settings:
    # Telegram
    telegram_token: str | None = field(default=None, repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    poll_timeout: int = 25
    send_workers: int = 4
    global_rate: float = 30.0
    chat_rate: float = 1.0
    chat_burst: int = 3
    bot_username: str = ""
    """The bot's @username for invitation links; `medbot run` learns it from getMe."""
    # Storage
    data_dir: Path = Path("data")
    history_days: int = 62
    """Days of intake history kept in a person's record; older intakes go to their archive."""
    # LLM (Groq)
    groq_api_key: str | None = field(default=None, repr=False)
    groq_base_url: str | None = None
    groq_model: str = "openai/gpt-oss-20b"
    llm_timeout: float = 20.0
    llm_requests_per_minute: int = 30
    llm_tokens_per_minute: int = 8000
    llm_requests_per_day: int = 1000
    llm_workers: int = 2
    llm_per_user_per_day: int = 30
    voice_model: str = "whisper-large-v3-turbo"
    """Groq's speech-to-text model for voice messages."""
    voice_max_seconds: int = 120
    """A longer voice message is not transcribed: the person is asked to write or say less."""
    # Behaviour
    default_tz: str = "Europe/Moscow"
    repeat_minutes: int = 60
    caregiver_minutes: int = 60
    """How long after a dose's time an unanswered dose is reported to the person's caregivers."""
    allowed_users: frozenset[int] = frozenset()
    admin_chat_id: int | None = None
    user_messages_per_minute: int = 20
    # Runtime
    user_idle_seconds: float = 600.0
    max_live_users: int = 1000
    core_max_restarts: int = 5
    core_restart_window: float = 60.0
    user_max_restarts: int = 3
    user_restart_window: float = 60.0
    park_minutes: int = 10
    control_socket: Path | None = None
    # Logging
    log_level: str = "INFO"
    log_user_ids: str = "hash"

    @property
    def llm_configured(self) -> bool:
        return bool(self.groq_api_key)

    @property
    def socket_path(self) -> Path:
        if self.control_socket is not None:
            return self.control_socket
        runtime = os.environ.get("RUNTIME_DIRECTORY")
        base = Path(runtime.split(":")[0]) if runtime else self.data_dir
        return base / "medbot.sock"


@dataclass(frozen=True)
class _Option:
    name: str
    """Attribute of Settings."""
    env: str
    toml: tuple[str, str]
    """(section, key) in medbot.toml."""
    convert: Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value.strip()


def _optional_text(value: Any) -> str | None:
    text = _text(value)
    return text or None


def _positive_int(value: Any) -> int:
    number = int(str(value).strip()) if not isinstance(value, int) else value
    if isinstance(value, bool) or number <= 0:
        raise ValueError("must be a positive whole number")
    return number


def _positive_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("must be a positive number")
    number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    if number <= 0:
        raise ValueError("must be a positive number")
    return number


def _chat_id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError("must be a Telegram chat id (a whole number)")
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError("must be a Telegram chat id (a whole number)") from None


def _user_ids(value: Any) -> frozenset[int]:
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    ids: set[int] = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not re.fullmatch(r"\d{1,16}", text):
            raise ValueError(f"must be Telegram user ids separated by commas, not {text!r}")
        ids.add(int(text))
    return frozenset(ids)


def _url(value: Any) -> str:
    text = _text(value).rstrip("/")
    if not re.match(r"^https?://[^\s/]+", text):
        raise ValueError("must be an http(s) URL such as https://api.telegram.org")
    return text


def _optional_url(value: Any) -> str | None:
    return _url(value) if _text(value) else None


def _path(value: Any) -> Path:
    text = _text(value)
    if not text:
        raise ValueError("must be a directory path")
    return Path(text).expanduser()


def _optional_path(value: Any) -> Path | None:
    return _path(value) if _text(value) else None


def _zone(value: Any) -> str:
    text = _text(value)
    if zone_or_none(text) is None:
        raise ValueError("must be an IANA time zone such as Europe/Moscow, or an offset like +05:00")
    return text


def _minutes(value: Any) -> int:
    number = _positive_int(value)
    if number < 5 or number > 24 * 60:
        raise ValueError("must be between 5 and 1440 minutes")
    return number


def _caregiver_minutes(value: Any) -> int:
    number = _positive_int(value)
    if number > 24 * 60:
        raise ValueError("must be between 1 and 1440 minutes")
    return number


def _voice_seconds(value: Any) -> int:
    number = _positive_int(value)
    if number > 600:
        raise ValueError("must be between 1 and 600 seconds")
    return number


def _username(value: Any) -> str:
    text = _text(value).lstrip("@")
    if text and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", text):
        raise ValueError("must be a Telegram bot username such as medication_reminder_bot")
    return text


def _history_days(value: Any) -> int:
    number = _positive_int(value)
    if number < MIN_HISTORY_DAYS:
        raise ValueError(f"must be at least {MIN_HISTORY_DAYS} days (/stats looks 30 days back)")
    return number


def _log_level(value: Any) -> str:
    text = _text(value).upper()
    if text not in LOG_LEVELS:
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
    return text


def _id_mode(value: Any) -> str:
    text = _text(value).lower()
    if text not in ("hash", "plain"):
        raise ValueError('must be "hash" or "plain"')
    return text


OPTIONS: tuple[_Option, ...] = (
    _Option("telegram_token", "MEDBOT_TELEGRAM_TOKEN", ("telegram", "token"), _optional_text),
    _Option("telegram_api_url", "MEDBOT_TELEGRAM_API_URL", ("telegram", "api_url"), _url),
    _Option("poll_timeout", "MEDBOT_POLL_TIMEOUT", ("telegram", "poll_timeout"), _positive_int),
    _Option("send_workers", "MEDBOT_SEND_WORKERS", ("telegram", "send_workers"), _positive_int),
    _Option("global_rate", "MEDBOT_GLOBAL_RATE", ("telegram", "global_rate"), _positive_float),
    _Option("chat_rate", "MEDBOT_CHAT_RATE", ("telegram", "chat_rate"), _positive_float),
    _Option("chat_burst", "MEDBOT_CHAT_BURST", ("telegram", "chat_burst"), _positive_int),
    _Option("bot_username", "MEDBOT_BOT_USERNAME", ("telegram", "bot_username"), _username),
    _Option("data_dir", "MEDBOT_DATA_DIR", ("storage", "data_dir"), _path),
    _Option("history_days", "MEDBOT_HISTORY_DAYS", ("storage", "history_days"), _history_days),
    _Option("groq_api_key", "GROQ_API_KEY", ("llm", "api_key"), _optional_text),
    _Option("groq_base_url", "MEDBOT_GROQ_BASE_URL", ("llm", "base_url"), _optional_url),
    _Option("groq_model", "MEDBOT_GROQ_MODEL", ("llm", "model"), _text),
    _Option("llm_timeout", "MEDBOT_LLM_TIMEOUT", ("llm", "timeout"), _positive_float),
    _Option(
        "llm_requests_per_minute", "MEDBOT_LLM_RPM", ("llm", "requests_per_minute"), _positive_int
    ),
    _Option("llm_tokens_per_minute", "MEDBOT_LLM_TPM", ("llm", "tokens_per_minute"), _positive_int),
    _Option("llm_requests_per_day", "MEDBOT_LLM_RPD", ("llm", "requests_per_day"), _positive_int),
    _Option("llm_workers", "MEDBOT_LLM_WORKERS", ("llm", "workers"), _positive_int),
    _Option(
        "llm_per_user_per_day", "MEDBOT_LLM_PER_USER_PER_DAY", ("llm", "per_user_per_day"),
        _positive_int,
    ),
    _Option("voice_model", "MEDBOT_VOICE_MODEL", ("llm", "voice_model"), _text),
    _Option("voice_max_seconds", "MEDBOT_VOICE_MAX_SECONDS", ("llm", "voice_max_seconds"), _voice_seconds),
    _Option("default_tz", "MEDBOT_DEFAULT_TZ", ("reminders", "default_tz"), _zone),
    _Option("repeat_minutes", "MEDBOT_REPEAT_MINUTES", ("reminders", "repeat_minutes"), _minutes),
    _Option(
        "caregiver_minutes", "MEDBOT_CAREGIVER_MINUTES", ("reminders", "caregiver_minutes"),
        _caregiver_minutes,
    ),
    _Option("allowed_users", "MEDBOT_ALLOWED_USERS", ("access", "allowed_users"), _user_ids),
    _Option("admin_chat_id", "MEDBOT_ADMIN_CHAT_ID", ("access", "admin_chat_id"), _chat_id),
    _Option(
        "user_messages_per_minute", "MEDBOT_USER_MESSAGES_PER_MINUTE",
        ("access", "user_messages_per_minute"), _positive_int,
    ),
    _Option(
        "user_idle_seconds", "MEDBOT_USER_IDLE_SECONDS", ("runtime", "user_idle_seconds"),
        _positive_float,
    ),
    _Option("max_live_users", "MEDBOT_MAX_LIVE_USERS", ("runtime", "max_live_users"), _positive_int),
    _Option(
        "core_max_restarts", "MEDBOT_CORE_MAX_RESTARTS", ("runtime", "core_max_restarts"),
        _positive_int,
    ),
    _Option(
        "core_restart_window", "MEDBOT_CORE_RESTART_WINDOW", ("runtime", "core_restart_window"),
        _positive_float,
    ),
    _Option(
        "user_max_restarts", "MEDBOT_USER_MAX_RESTARTS", ("runtime", "user_max_restarts"),
        _positive_int,
    ),
    _Option(
        "user_restart_window", "MEDBOT_USER_RESTART_WINDOW", ("runtime", "user_restart_window"),
        _positive_float,
    ),
    _Option("park_minutes", "MEDBOT_PARK_MINUTES", ("runtime", "park_minutes"), _positive_int),
    _Option(
        "control_socket", "MEDBOT_CONTROL_SOCKET", ("runtime", "control_socket"), _optional_path
    ),
    _Option("log_level", "MEDBOT_LOG_LEVEL", ("logging", "level"), _log_level),
    _Option("log_user_ids", "MEDBOT_LOG_USER_IDS", ("logging", "user_ids"), _id_mode),
)

_KNOWN_KEYS = {option.toml for option in OPTIONS}


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    problems: tuple[str, ...]
    source: Path | None
    """The configuration file that was read, if any."""


def find_config(explicit: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    """The file to read: --config, then $MEDBOT_CONFIG, then the first default that exists."""
    if explicit:
        return Path(explicit)
    if env.get("MEDBOT_CONFIG"):
        return Path(env["MEDBOT_CONFIG"])
    return next((path for path in DEFAULT_CONFIG_PATHS if path.is_file()), None)


def load(
    config_path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Loaded:
    """Read the file and the environment; never raises for a bad value, it reports it."""
    env = os.environ if env is None else env
    problems: list[str] = []
    path = find_config(config_path, env)
    table: dict[str, Any] = {}
    if path is not None:
        try:
            with open(path, "rb") as handle:
                table = tomllib.load(handle)
        except FileNotFoundError:
            problems.append(f"config file {path}: not found")
        except PermissionError:
            problems.append(f"config file {path}: not readable by this user")
        except tomllib.TOMLDecodeError as error:
            problems.append(f"config file {path}: not valid TOML ({error})")
    problems.extend(_unknown_keys(table))

    values: dict[str, Any] = {}
    if "STATE_DIRECTORY" in env and "MEDBOT_DATA_DIR" not in env:
        values["data_dir"] = Path(env["STATE_DIRECTORY"].split(":")[0])
    for option in OPTIONS:
        section, key = option.toml
        raw: Any = None
        where = ""
        if option.env in env:
            raw, where = env[option.env], option.env
        elif isinstance(table.get(section), dict) and key in table[section]:
            raw, where = table[section][key], f"[{section}] {key}"
        if where:
            try:
                values[option.name] = option.convert(raw)
            except (ValueError, TypeError) as error:
                problems.append(f"{where}: {error}")

    settings = replace(Settings(), **values)
    register_secret(settings.telegram_token)
    register_secret(settings.groq_api_key)
    return Loaded(settings, tuple(problems), path)


def _unknown_keys(table: dict[str, Any]) -> list[str]:
    problems = []
    sections = {section for section, _ in _KNOWN_KEYS}
    for section, body in table.items():
        if section not in sections:
            problems.append(f"config file: unknown section [{section}]")
            continue
        if not isinstance(body, dict):
            problems.append(f"config file: [{section}] must be a table")
            continue
        for key in body:
            if (section, key) not in _KNOWN_KEYS:
                problems.append(f"config file: unknown setting [{section}] {key}")
    return problems


def check_token(token: str | None) -> str | None:
    """A problem with the token's shape, or None. Never echoes the token itself."""
    if not token:
        return "MEDBOT_TELEGRAM_TOKEN is not set (create a bot with @BotFather and set its token)"
    if not TOKEN_SHAPE.match(token):
        return (
            "MEDBOT_TELEGRAM_TOKEN does not look like a bot token "
            "(expected digits, a colon and 30+ letters, digits, '_' or '-')"
        )
    return None


def check_for_run(settings: Settings) -> list[str]:
    """Problems that stop `medbot run` (beyond those found while loading)."""
    problems = []
    token_problem = check_token(settings.telegram_token)
    if token_problem:
        problems.append(token_problem)
    return problems
