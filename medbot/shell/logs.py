"""One line per event, key=value, on stderr; journald adds the timestamp.

Every line passes through the redactor (tokens and keys never reach the journal, not even in
third-party DEBUG output or exception text). User ids are hashed with a per-installation salt
unless the operator asks for plain ids; message contents are never logged at INFO or above.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Any, TextIO

from medbot.shell.redact import RedactingFilter

_salt: bytes = secrets.token_bytes(16)
_plain_ids = False


def user_ref(user_id: int) -> str:
    """How a user appears in logs: a short salted hash, or the id when configured plain."""
    if _plain_ids:
        return str(user_id)
    digest = hmac.new(_salt, str(user_id).encode(), hashlib.sha256).hexdigest()
    return "u" + digest[:10]


def _quote(value: Any) -> str:
    text = str(value)
    if not text or any(char in text for char in ' "=\n\t'):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    return text


def event(logger: logging.Logger, level: int, name: str, **fields: Any) -> None:
    """Log one event as `event=name key=value ...`; `user=` ints are turned into user refs."""
    if not logger.isEnabledFor(level):
        return
    parts = [f"event={name}"]
    for key, value in fields.items():
        if value is None:
            continue
        if key == "user" and isinstance(value, int):
            value = user_ref(value)
        parts.append(f"{key}={_quote(value)}")
    logger.log(level, " ".join(parts))


def load_salt(data_dir: Path) -> bytes:
    """The installation's salt for hashing user ids, created (0600) on first use."""
    path = data_dir / ".log-salt"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    salt = secrets.token_bytes(16)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, salt)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return salt


def configure(
    level: str = "INFO",
    user_ids: str = "hash",
    salt: bytes | None = None,
    stream: TextIO | None = None,
) -> logging.Handler:
    """Install the one handler medbot logs through (replacing earlier ones of ours)."""
    global _salt, _plain_ids
    if salt is not None:
        _salt = salt
    _plain_ids = user_ids == "plain"
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_medbot", False):
            root.removeHandler(existing)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._medbot = True  # type: ignore[attr-defined]
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    # HTTP libraries log each connection at DEBUG; keep it unless the operator wants everything.
    if level.upper() != "DEBUG":
        logging.getLogger("urllib3").setLevel(logging.WARNING)
        logging.getLogger("httpx").setLevel(logging.WARNING)
    return handler
