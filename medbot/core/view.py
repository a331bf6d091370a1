"""What medbot shows a person: text and, optionally, rows of inline buttons.

Domain code produces these; the Telegram and terminal actors only transport them.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CALLBACK_DATA = 64
"""Telegram's limit on a button's callback data, in bytes."""


@dataclass(frozen=True)
class Button:
    text: str
    data: str
    url: str = ""
    """A link button (opens `url`, sends no callback; `data` is then empty)."""

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > MAX_CALLBACK_DATA:
            raise ValueError(f"callback data longer than {MAX_CALLBACK_DATA} bytes: {self.data!r}")


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Keyboard = ()
