"""A voice message's audio, fetched from the Bot API into memory, within limits.

pyTelegramBotAPI's own `download_file` has no timeout and no size bound, and its calls go
through process-wide settings, so both requests are made here: `getFile`, then the file
itself, streamed and cut off past `max_bytes`. The audio is never written anywhere: it lives in this
call and in the transcription request, and is gone after.
"""

from __future__ import annotations

import requests

from medbot.shell.telegram_api import CONNECT_TIMEOUT, READ_TIMEOUT


class TooBig(Exception):
    """The file is larger than the bot accepts."""


class Unavailable(Exception):
    """Telegram could not give the file (gone, too large for getFile, or unreachable)."""


def download_voice(base_url: str, token: str, file_id: str, max_bytes: int) -> bytes:
    """The file's bytes; `TooBig` past `max_bytes`, `Unavailable` for anything else. Errors
    never carry the URL: it holds the token."""
    base = base_url.rstrip("/")
    with requests.Session() as session:
        session.trust_env = False
        session.proxies.update(_proxies_for(base))
        try:
            answer = session.get(f"{base}/bot{token}/getFile", params={"file_id": file_id},
                                 timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
            info = answer.json().get("result") if answer.status_code == 200 else None
        except (requests.RequestException, ValueError, AttributeError) as error:
            raise Unavailable(type(error).__name__) from None
        if not isinstance(info, dict):
            raise Unavailable(f"getFile HTTP {answer.status_code}")
        size, path = info.get("file_size"), info.get("file_path")
        if isinstance(size, int) and size > max_bytes:
            raise TooBig(str(size))
        if not isinstance(path, str) or not path or ".." in path:
            raise Unavailable("no file path")
        try:
            with session.get(f"{base}/file/bot{token}/{path}", stream=True,
                             timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)) as response:
                if response.status_code != 200:
                    raise Unavailable(f"file HTTP {response.status_code}")
                return _bounded(response, max_bytes)
        except requests.RequestException as error:
            raise Unavailable(type(error).__name__) from None


def _proxies_for(base: str) -> dict[str, str]:
    """The proxy the environment names for the Bot API (NO_PROXY honoured), as for every call."""
    found = requests.utils.get_environ_proxies(base)
    return {scheme: url for scheme, url in found.items() if scheme != "no"}


def _bounded(response: requests.Response, max_bytes: int) -> bytes:
    body = bytearray()
    for chunk in response.iter_content(chunk_size=64 * 1024):
        body.extend(chunk)
        if len(body) > max_bytes:
            raise TooBig(f">{max_bytes}")
    return bytes(body)
