"""Telegram's limits on what one message may hold, kept by construction before a send.

Telegram refuses (400) a text over 4,096 characters - counted in UTF-16 code units, so an
emoji counts twice - and an inline keyboard over 100 buttons. A refused message is a message
nobody reads: long texts are split at line boundaries into several messages, an edit (which
can only be one message) is cut with an ellipsis, and a keyboard is capped.
"""

from __future__ import annotations

from medbot.core.view import Button, Keyboard

MAX_TEXT = 4096
"""UTF-16 code units in one message's text."""
MAX_BUTTONS = 100
"""Buttons in one inline keyboard."""
ELLIPSIS = "…"


def units(text: str) -> int:
    """The length Telegram measures: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def text_parts(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` as messages of at most `limit` units each, split between lines where it can be
    (and inside a line only when that line alone is too long). Never an empty part."""
    if units(text) <= limit:
        return [text]
    parts: list[str] = []
    current, size = "", 0
    for line in text.split("\n"):
        for piece in _line_pieces(line, limit):
            width = units(piece)
            if current and size + 1 + width <= limit:
                current, size = f"{current}\n{piece}", size + 1 + width
                continue
            if not current and width <= limit:
                current, size = piece, width
                continue
            if current.strip():
                parts.append(current)
            current, size = piece, width
    if current.strip():
        parts.append(current)
    return parts or [text[:limit]]


def cut_text(text: str, limit: int = MAX_TEXT) -> str:
    """`text` as one message: what fits, ending at a line where it can, then an ellipsis."""
    if units(text) <= limit:
        return text
    return text_parts(text, limit - 1)[0].rstrip() + ELLIPSIS


def capped_keyboard(keyboard: Keyboard, limit: int = MAX_BUTTONS) -> Keyboard:
    """The first `limit` buttons of `keyboard`, rows kept."""
    rows: list[tuple[Button, ...]] = []
    left = limit
    for row in keyboard:
        if left <= 0:
            break
        rows.append(row[:left])
        left -= len(row[:left])
    return tuple(rows)


def _line_pieces(line: str, limit: int) -> list[str]:
    if units(line) <= limit:
        return [line]
    pieces: list[str] = []
    start, size = 0, 0
    for index, char in enumerate(line):  # code points: a surrogate pair is never cut in two
        width = units(char)
        if size + width > limit:
            pieces.append(line[start:index])
            start, size = index, 0
        size += width
    return [*pieces, line[start:]]
