"""Everything medbot's actors say to each other: one module of frozen dataclasses.

Actors share nothing but these values. A message that expects an answer names where to send
it (`reply_to`, an `Address`: an actor's handle), so no actor ever blocks waiting on another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from medbot.core.llm_schema import ScheduleEntry as ScheduleEntry

# What a person sends, what the bot sends, and what happens to a person are core data (the
# person's `step` reads and writes them); the protocol carries them as they are.
from medbot.core.outgoing import AnswerCallback as AnswerCallback
from medbot.core.outgoing import DeleteMessage as DeleteMessage
from medbot.core.outgoing import EditMessage as EditMessage
from medbot.core.outgoing import Outgoing as Outgoing
from medbot.core.outgoing import Priority as Priority
from medbot.core.outgoing import SendMessage as SendMessage
from medbot.core.outgoing import SendReport as SendReport
from medbot.core.person.events import PASSIVATE_NOW as PASSIVATE_NOW
from medbot.core.person.events import CareLinkChanged as CareLinkChanged
from medbot.core.person.events import CareRequest as CareRequest
from medbot.core.person.events import Heard as Heard
from medbot.core.person.events import IdleCheck as IdleCheck
from medbot.core.person.events import LLMAnswer as LLMAnswer
from medbot.core.person.events import LLMDeadline as LLMDeadline
from medbot.core.person.events import Passivate as Passivate
from medbot.core.person.events import ProfileErase as ProfileErase
from medbot.core.person.events import ProfileHome as ProfileHome
from medbot.core.person.events import ProfilePress as ProfilePress
from medbot.core.person.events import ProfileText as ProfileText
from medbot.core.person.events import SaveFailed as SaveFailed
from medbot.core.person.events import SendFailed as SendFailed
from medbot.core.person.events import Sent as Sent
from medbot.core.person.events import UserBlocked as UserBlocked
from medbot.core.person.events import UserLoaded as UserLoaded
from medbot.core.person.events import UserSaved as UserSaved
from medbot.core.person.events import Wake as Wake
from medbot.core.updates import Inbound as Inbound
from medbot.core.updates import InboundCallback as InboundCallback
from medbot.core.updates import InboundOther as InboundOther
from medbot.core.updates import InboundText as InboundText
from medbot.core.updates import InboundVoice as InboundVoice

if TYPE_CHECKING:
    from medbot.core.model import User


class Address(Protocol):
    """Where a message can be sent: an actor's handle (`actors.mailbox.Handle`)."""

    def tell(self, message: Any) -> None: ...


# --- runtime and supervision --------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """Stop this incarnation now; what is queued behind waits for the next one."""


@dataclass(frozen=True)
class Ping:
    """Liveness through the mailbox: the actor answers `Pong` when it reaches this."""

    reply_to: Address
    token: int


@dataclass(frozen=True)
class Pong:
    name: str
    token: int


@dataclass(frozen=True)
class Crash:
    """Raise inside the handler (fault injection for tests and drills)."""

    reason: str = "injected"


@dataclass(frozen=True)
class Hang:
    """Block inside the handler for `seconds` (fault injection: an unresponsive actor)."""

    seconds: float
    urgent: ClassVar[bool] = True
    """A drill takes effect at once: in an urgent-first mailbox nothing queued overtakes it."""


@dataclass(frozen=True)
class CheckLiveness:
    """The supervisor's round of liveness pings: judge the last round, start round `token`."""

    token: int


@dataclass(frozen=True)
class Health:
    """Ask the supervisor whether every core actor answered the previous liveness round."""


@dataclass(frozen=True)
class ChildFailed:
    name: str
    error: str
    """Type and redacted message of the exception."""
    message: Any
    """The message whose handling crashed the child (dropped), or None."""


@dataclass(frozen=True)
class ChildStopped:
    name: str


@dataclass(frozen=True)
class JobDone:
    """A blocking job an actor handed to its worker pool has finished."""

    tag: Any
    result: Any
    error: BaseException | None


@dataclass(frozen=True)
class Alert:
    """Something the operator must know; sent to the admin chat at most once per hour per kind."""

    kind: str
    text: str


# --- Telegram: what comes in: `Inbound` (medbot.core.updates) ----------------------------


# --- Telegram: what goes out: `Outgoing` (medbot.core.outgoing); its answers, `Sent`,
# `SendFailed` and `UserBlocked`, are the person's events (medbot.core.person.events) --------


# --- persistence --------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadUser:
    user_id: int
    reply_to: Address
    urgent: bool = False
    """A person waits for it: it overtakes the loads and saves of a reminder burst."""


@dataclass(frozen=True)
class SaveUser:
    """Write a user's state durably; `user=None` erases the person's data."""

    user_id: int
    user: User | None
    next_wake: float | None
    """When this user next needs waking (epoch seconds), kept in the wake index."""
    seq: int
    reply_to: Address | None
    then: tuple[Any, ...] = ()
    """Messages for the writer to send once the data is on disk (confirmations)."""
    archive: tuple[Any, ...] = ()
    """Intakes (`medbot.core.model.Intake`) that left `user.history`: appended to the person's
    archive, durably, before the record is written; acknowledged once both are on disk."""
    urgent: bool = False
    """A person waits for it (a reply rides on it): it overtakes a reminder burst's saves."""


@dataclass(frozen=True)
class LoadWakeIndex:
    reply_to: Address


@dataclass(frozen=True)
class WakeIndex:
    entries: tuple[tuple[int, float], ...]
    """(user id, next wake in epoch seconds) for every user who needs waking."""


@dataclass(frozen=True)
class Flush:
    """Persistence's note to itself: write everything pending now (group commit)."""

    urgent: bool = False


@dataclass(frozen=True)
class StoreUpdates:
    """The poller's batch from getUpdates, to be on disk (the durable inbox) before it is
    confirmed to Telegram; `reply_to` hears `UpdatesStored`."""

    updates: tuple[dict[str, Any], ...]
    reply_to: Address
    urgent: bool = True
    """The poller waits for it before its next poll."""


@dataclass(frozen=True)
class ReplayInbox:
    """At start: hand out the updates stored but never handled (`UpdatesStored`)."""

    reply_to: Address
    urgent: bool = True


@dataclass(frozen=True)
class UpdatesStored:
    fresh: tuple[dict[str, Any], ...]
    """Those of the batch never stored before; on replay, those stored and not yet handled."""
    high: int | None
    """The highest update id ever stored: the next getUpdates starts after it."""
    error: str | None = None
    """The batch could not be written: it is not confirmed, so Telegram hands it out again."""


@dataclass(frozen=True)
class UpdatesHandled:
    """A person's actor is done with these updates (their change is on disk, or there was
    none): the inbox need not hand them out again."""

    update_ids: tuple[int, ...]


# --- LLM ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LLMRequest:
    user_id: int
    request_id: int
    text: str
    lang: str
    schedule: tuple[ScheduleEntry, ...]
    reply_to: Address
    timezone: str | None = None
    """The person's stored zone: the model sees their local date and time ("in an hour")."""


@dataclass(frozen=True)
class TranscribeRequest:
    """A voice message to turn into text: downloaded from Telegram and sent to Groq's
    speech-to-text by the LLM actor, under the same budgets as a chat request. Answered with
    `Heard`."""

    user_id: int
    request_id: int
    file_id: str
    duration: int
    lang: str
    """The person's language: a hint for the model."""
    reply_to: Address


# --- clock --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetTimer:
    """Deliver `message` to `target` at `at` (epoch seconds); replaces a timer with this key."""

    key: Any
    at: float
    target: Address
    message: Any


@dataclass(frozen=True)
class CancelTimer:
    key: Any


@dataclass(frozen=True)
class Tick:
    """The clock's note to itself: time moved, fire what is due."""


@dataclass(frozen=True)
class NextTimer:
    """Ask the clock when its next timer is due (epoch seconds or None): for tests and status."""


# --- users --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserIdle:
    """A user actor has nothing to do: its supervisor may ask it to stop."""

    user_id: int
    epoch: int = 0
    """How many messages it had handled when it said so."""


@dataclass(frozen=True)
class StayAlive:
    """A user actor's answer to Passivate: something came up, it keeps running."""

    user_id: int


@dataclass(frozen=True)
class StatusRequest:
    reply_to: Address


@dataclass(frozen=True)
class StatusReport:
    name: str
    fields: dict[str, Any] = field(default_factory=dict)
