"""`medbot check-config`: everything wrong with the configuration, one line each, at once.

Beyond what loading reports (unknown keys, bad values), it checks what only shows up later
in a running service: the token's shape, a data directory the daemon could not create or
write, a control socket path too long for AF_UNIX, plain http to a remote host (the token
would cross the network in clear), a config or environment file other users can read.
Lines starting with "warning:" are advice and do not fail the check. No line contains a
secret: lines name settings rather than quote values (a URL shows its host only), and every
line passes through the redactor, which knows the configured token and key.
"""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from medbot.core.tz import zone_or_none
from medbot.shell.redact import redact
from medbot.shell.settings import Settings, check_token, load

WARNING = "warning: "
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SECRET_VARIABLES = ("MEDBOT_TELEGRAM_TOKEN", "GROQ_API_KEY")
MAX_SOCKET_PATH = 107
"""Bytes in an AF_UNIX socket path on Linux (sun_path is 108, NUL-terminated)."""
MAX_CHAT_ID = 2**53
"""Telegram ids fit in 52 bits; group and channel ids are negative (-100...)."""


def check_config(config_path: str | None, env: Mapping[str, str]) -> list[str]:
    """Every problem with the configuration `medbot run` would see; [] when all is well."""
    loaded = load(config_path, env)
    settings = loaded.settings
    problems = list(loaded.problems)
    token_problem = check_token(settings.telegram_token)
    if token_problem:
        problems.append(token_problem)
    problems += _key_problems(settings)
    problems += _url_problems(
        settings.telegram_api_url, "MEDBOT_TELEGRAM_API_URL ([telegram] api_url)"
    )
    if settings.groq_base_url:
        problems += _url_problems(settings.groq_base_url, "MEDBOT_GROQ_BASE_URL ([llm] base_url)")
    problems += _chat_id_problems(settings.admin_chat_id)
    if zone_or_none(settings.default_tz) is None:
        problems.append(
            "MEDBOT_DEFAULT_TZ ([reminders] default_tz): not a time zone this system knows"
        )
    problems += _data_dir_problems(settings.data_dir)
    problems += _socket_problems(settings.socket_path)
    if loaded.source is not None:
        problems += _config_file_problems(loaded.source)
    return [redact(line) for line in problems]


def check_config_command(
    config_path: str | None,
    env: Mapping[str, str],
    env_file: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Print "ok" (after any warnings) and return 0, or print the problems and return 1.

    `env_file` is the service's EnvironmentFile (e.g. /etc/medbot/medbot.env): its values
    override `env`, as they do for the service, so root can check what systemd will pass."""
    out = out or sys.stdout
    lines: list[str] = []
    if env_file:
        values, file_problems = read_env_file(Path(env_file))
        env = {**env, **values}
        lines += file_problems
    lines += check_config(config_path, env)
    for line in lines:
        out.write(line + "\n")
    if any(not line.startswith(WARNING) for line in lines):
        return 1
    out.write("ok\n")
    return 0


def read_env_file(path: Path) -> tuple[dict[str, str], list[str]]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments, blank lines,
    optional quotes), and the problems found; values are never part of a problem line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, [f"environment file {path}: not found"]
    except PermissionError:
        return {}, [f"environment file {path}: not readable by this user (try as root)"]
    except (OSError, UnicodeDecodeError) as error:
        return {}, [f"environment file {path}: cannot be read ({type(error).__name__})"]
    values: dict[str, str] = {}
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.replace("_", "").isalnum():
            problems.append(f"environment file {path}, line {number}: not a KEY=VALUE line")
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    holds_secrets = any(values.get(name) for name in SECRET_VARIABLES)
    problems += _exposure_problems(path, "environment file", holds_secrets=holds_secrets)
    return values, problems


# --- the individual checks ------------------------------------------------------------------


def _key_problems(settings: Settings) -> list[str]:
    key = settings.groq_api_key
    if key and not key.startswith("gsk_"):
        return [WARNING + "GROQ_API_KEY does not look like a Groq key (they start with gsk_)"]
    if settings.groq_base_url and not key:
        return [WARNING + "MEDBOT_GROQ_BASE_URL is set but GROQ_API_KEY is not: the LLM is off"]
    return []


def _url_problems(url: str, name: str) -> list[str]:
    """The URL carries the token (Telegram) or the key (Groq) on every request."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return [f"{name}: not a valid URL"]
    if parts.scheme not in ("http", "https") or not host:
        return [f"{name}: must be an http(s) URL with a host name"]
    if parts.username or parts.password:
        return [f"{name}: must not contain a user name or password"]
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        return [
            f"{name}: plain http to {host} would send credentials unencrypted; use https "
            "(http is only for 127.0.0.1 or localhost)"
        ]
    return []


def _chat_id_problems(chat_id: int | None) -> list[str]:
    if chat_id is None:
        return []
    if chat_id == 0 or abs(chat_id) >= MAX_CHAT_ID:
        return [
            "MEDBOT_ADMIN_CHAT_ID ([access] admin_chat_id): not a Telegram chat id "
            "(a person's id is a positive number, a group's a negative one)"
        ]
    return []


def _data_dir_problems(data_dir: Path) -> list[str]:
    """The daemon creates the directory (with parents) on start: check it could, without
    creating anything here."""
    name = f"data directory {data_dir}"
    if data_dir.exists():
        if not data_dir.is_dir():
            return [f"{name}: exists but is not a directory"]
        if not os.access(data_dir, os.W_OK | os.X_OK):
            return [f"{name}: not writable by this user"]
        if stat.S_IMODE(data_dir.stat().st_mode) & 0o007:
            return [WARNING + f"{name}: other users can enter it (health data!); chmod 0700"]
        return []
    ancestor = _nearest_existing(data_dir)
    if not ancestor.is_dir():
        return [f"{name}: cannot be created, {ancestor} is not a directory"]
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return [f"{name}: does not exist and cannot be created ({ancestor} is not writable)"]
    return []


def _socket_problems(socket_path: Path) -> list[str]:
    if len(os.fsencode(socket_path)) > MAX_SOCKET_PATH:
        return [
            f"control socket {socket_path}: longer than {MAX_SOCKET_PATH} bytes, "
            "too long for a Unix socket; set MEDBOT_CONTROL_SOCKET to a shorter path"
        ]
    return []


def _config_file_problems(path: Path) -> list[str]:
    return _exposure_problems(path, "config file", holds_secrets=_toml_holds_secrets(path))


def _exposure_problems(path: Path, what: str, *, holds_secrets: bool) -> list[str]:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return []  # unreadable or gone: loading has said so already
    if not mode & 0o004:
        return []
    if holds_secrets:
        return [f"{what} {path}: holds secrets and every user can read it; chmod 0600 {path}"]
    return [WARNING + f"{what} {path}: every user can read it (mode {mode:04o}); chmod 0600 {path}"]


def _toml_holds_secrets(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return False
    sections = (("telegram", "token"), ("llm", "api_key"))
    return any(
        isinstance(table.get(section), dict) and bool(table[section].get(key))
        for section, key in sections
    )


def _nearest_existing(path: Path) -> Path:
    current = path.absolute()
    while not current.exists() and current != current.parent:
        current = current.parent
    return current
