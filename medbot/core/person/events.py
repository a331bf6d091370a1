"""What happens to a person, besides what they send (`medbot.core.updates`): the answers of
storage, Telegram and the LLM, and the timers they set. The events `step` reads.

They travel between actors as they are (the protocol module re-exports them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medbot.core.commands import ParseResult
    from medbot.core.model import User


# --- Telegram's answers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    chat_id: int
    tag: Any
    message_id: int
    owner: int | None = None
    """The person the message was sent for, when the chat is not theirs (see `SendMessage.owner`)."""


@dataclass(frozen=True)
class SendFailed:
    chat_id: int
    tag: Any
    reason: str
    """"blocked" (the person blocked the bot), "bad_request" or "error"."""
    owner: int | None = None


@dataclass(frozen=True)
class UserBlocked:
    """Telegram answered 403 for this chat: stop reminding until the person writes again."""

    user_id: int


# --- storage's answers ------------------------------------------------------------------------


@dataclass(frozen=True)
class UserLoaded:
    user_id: int
    user: User | None
    """None when the person is new (or erased)."""
    failed: str | None = None
    """Set when the record exists but cannot be read: the actor must not overwrite it."""
    urgent: bool = False
    """The answer to an urgent load: it overtakes a burst in the users' supervisor too."""


@dataclass(frozen=True)
class UserSaved:
    user_id: int
    seq: int
    then: tuple[Any, ...] = ()
    urgent: bool = False


@dataclass(frozen=True)
class SaveFailed:
    user_id: int
    seq: int
    error: str
    then: tuple[Any, ...] = ()


# --- the LLM's answer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LLMAnswer:
    user_id: int
    request_id: int
    result: ParseResult | None
    """The command the LLM understood, validated; None when there is no usable answer."""
    error: str | None = None
    """Why not: "unconfigured", "quota", "unavailable", "invalid", "refused"."""


@dataclass(frozen=True)
class Heard:
    """What a voice message said, transcribed; or why there is no text."""

    user_id: int
    request_id: int
    text: str | None
    error: str | None = None
    """"unconfigured", "quota", "unavailable", "refused", "too_long", "invalid" (nothing usable)."""


# --- timers and the supervisor's questions ------------------------------------------------------


@dataclass(frozen=True)
class Wake:
    """A user's next wake-up came: work out what is due (reminders, repeats, missed doses)."""

    user_id: int


PASSIVATE_NOW = -1
"""IdleCheck epoch meaning "stop as soon as nothing is in hand" (the live-actor cap is full)."""


@dataclass(frozen=True)
class IdleCheck:
    """Passivate the user's actor if nothing happened since `epoch`."""

    user_id: int
    epoch: int


@dataclass(frozen=True)
class LLMDeadline:
    user_id: int
    request_id: int


@dataclass(frozen=True)
class Passivate:
    """The supervisor's question: stop now if nothing happened since `epoch` and nothing is in
    hand. Only the actor can know that for sure, so it decides."""

    user_id: int
    epoch: int


@dataclass(frozen=True)
class Deferred:
    """Replies a crashed incarnation held back behind a save: its successor sends them."""

    outgoing: tuple[Any, ...]


# --- between a patient and their caregivers -----------------------------------------------------


@dataclass(frozen=True)
class CareRequest:
    """From someone's actor to a patient's: open or answer an invitation, or a caregiver's press
    or question. The patient's step checks that `from_user` may ask it; nothing else does."""

    user_id: int
    """The patient: the person this request is routed to."""
    from_user: int
    action: str
    """"open", "accept", "decline", "remind", "called", "schedule", "today", "leave", "erased", "back"."""
    arg: str = ""
    name: str = ""
    """The asker's first name."""
    lang: str = "ru"
    """The asker's language: the answer is written in it."""
    callback_id: str | None = None
    """The asker's button press, answered by the patient's step."""


@dataclass(frozen=True)
class CareLinkChanged:
    """The patient's record made or ended a link: the caregiver's copy follows."""

    user_id: int
    """The caregiver: the person this is routed to."""
    patient: int
    patient_name: str
    linked: bool


# --- a family member's record and its owner ------------------------------------------------------


@dataclass(frozen=True)
class ProfileText:
    """The owner wrote something for a family member ("для мамы: ..."): the member's step reads
    it as if the member had written it. The member's record is made on the first one."""

    user_id: int
    """The family member's record: the person this is routed to."""
    owner: int
    text: str
    name: str
    lang: str
    tz: str
    spoken: bool = False
    """The owner said it in a voice message: a change is confirmed before it is made."""


@dataclass(frozen=True)
class ProfilePress:
    """A press on a family member's button (in the owner's chat), passed on by the presser's actor."""

    user_id: int
    presser: int
    chat_id: int
    callback_id: str
    data: str
    """The member's own button data (unwrapped)."""
    message_id: int | None = None
    presser_name: str = ""


@dataclass(frozen=True)
class ProfileHome:
    """The owner chose where the family member's reminders go: a family group chat, or back to
    the owner's own chat (`chat` None)."""

    user_id: int
    owner: int
    chat: int | None


@dataclass(frozen=True)
class ProfileErase:
    """The owner removed the family member, or erased their own data."""

    user_id: int
    owner: int
    quiet: bool = False
    """The owner erased everything: no word about it."""
