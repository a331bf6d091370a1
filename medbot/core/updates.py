"""What a person sends the bot, as plain values: the events the core reads.

The Telegram adapter builds them from Bot API updates; the actors carry them to the person's
actor. They live in the core because the domain reads them, and so the adapter and the actors
share them without depending on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class InboundText:
    user_id: int
    chat_id: int
    text: str
    message_id: int = 0
    language_code: str | None = None
    received_at: float = 0.0
    update_id: int | None = None
    """Telegram's id of the update, to recognise it when it is handed out again."""
    first_name: str = ""
    """The sender's first name in Telegram: what their caregivers or patients read."""
    urgent: ClassVar[bool] = True
    """A person's: it overtakes reminder work in the users' supervisor's mailbox."""


@dataclass(frozen=True)
class InboundCallback:
    """A press on an inline button."""

    user_id: int
    chat_id: int
    callback_id: str
    data: str
    message_id: int | None = None
    language_code: str | None = None
    update_id: int | None = None
    first_name: str = ""
    urgent: ClassVar[bool] = True
    """A person's: it overtakes reminder work in the users' supervisor's mailbox."""


@dataclass(frozen=True)
class InboundOther:
    """A sticker, photo, voice note... anything that is not text."""

    user_id: int
    chat_id: int
    kind: str
    language_code: str | None = None
    update_id: int | None = None
    urgent: ClassVar[bool] = True
    """A person's: it overtakes reminder work in the users' supervisor's mailbox."""


@dataclass(frozen=True)
class InboundVoice:
    """A voice message: what it says is known only once the LLM actor has transcribed it."""

    user_id: int
    chat_id: int
    file_id: str
    duration: int
    """Seconds, as Telegram reports them."""
    file_size: int | None = None
    message_id: int = 0
    language_code: str | None = None
    received_at: float = 0.0
    update_id: int | None = None
    first_name: str = ""
    urgent: ClassVar[bool] = True
    """A person's: it overtakes reminder work in the users' supervisor's mailbox."""


Inbound = InboundText | InboundCallback | InboundOther | InboundVoice
