"""Keep secrets out of every text a person or a log could see.

Connection errors from requests quote the URL, and Telegram's URL carries the bot token; SDK
errors may echo an API key. Every log record and every error description passes through
`redact`, which removes the configured secrets and anything shaped like a token or key.
"""

from __future__ import annotations

import logging
import re
import threading

_BOT_TOKEN = re.compile(r"\d{5,16}:[A-Za-z0-9_-]{20,}")
_BOT_PATH = re.compile(r"/bot[^/\s]+/")
_GROQ_KEY = re.compile(r"gsk_[A-Za-z0-9]{8,}")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")

_lock = threading.Lock()
_secrets: tuple[str, ...] = ()


def register_secret(secret: str | None) -> None:
    """Remember a secret (token, key) so that it is cut from every text, whatever its shape."""
    global _secrets
    if not secret or len(secret) < 6:
        return
    with _lock:
        if secret not in _secrets:
            _secrets = tuple(sorted((*_secrets, secret), key=len, reverse=True))


def redact(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, "[REDACTED]")
    text = _BOT_PATH.sub("/bot[REDACTED]/", text)
    text = _BOT_TOKEN.sub("[REDACTED]", text)
    text = _GROQ_KEY.sub("[REDACTED]", text)
    return _BEARER.sub(r"\1[REDACTED]", text)


class RedactingFilter(logging.Filter):
    """A handler filter: formats the record once and redacts the result, traceback included."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not kill logging
            message = str(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None if record.exc_text else record.exc_info
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
