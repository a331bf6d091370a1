"""What a person's `step` asks the shell to do, as plain values; the user actor performs them.

Messages for Telegram are `medbot.core.outgoing` values inside `Send`. Nothing here names an
actor: the shell knows where each effect goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from medbot.core.llm_schema import ScheduleEntry
from medbot.core.model import Intake, User
from medbot.core.outgoing import Outgoing
from medbot.core.person.events import (
    CareLinkChanged,
    CareRequest,
    IdleCheck,
    LLMDeadline,
    ProfileErase,
    ProfileHome,
    ProfilePress,
    ProfileText,
    Wake,
)


@dataclass(frozen=True)
class Send:
    """Hand a message to Telegram now."""

    message: Outgoing


@dataclass(frozen=True)
class Save:
    """Write the person's record durably (`user=None` erases it); then send `then`."""

    user: User | None
    next_wake: float | None
    """When this person next needs waking (epoch seconds), for the wake index."""
    seq: int
    then: tuple[Outgoing, ...] = ()
    archive: tuple[Intake, ...] = ()
    urgent: bool = False


@dataclass(frozen=True)
class Handled:
    """These updates are done with (their change is on disk, or there was none)."""

    update_ids: tuple[int, ...]


@dataclass(frozen=True)
class AskLLM:
    request_id: int
    text: str
    lang: str
    schedule: tuple[ScheduleEntry, ...]
    timezone: str | None


@dataclass(frozen=True)
class Transcribe:
    """Ask the LLM actor what a voice message says (answered with `Heard`)."""

    request_id: int
    file_id: str
    duration: int
    lang: str


@dataclass(frozen=True)
class ArmTimer:
    """Deliver `event` back to this person at `at` (epoch seconds); replaces the timer `key`."""

    key: tuple[str, int]
    at: float
    event: Wake | IdleCheck | LLMDeadline


@dataclass(frozen=True)
class DisarmTimer:
    key: tuple[str, int]


@dataclass(frozen=True)
class ReportIdle:
    """Tell the supervisor this person has nothing in hand (it may ask to passivate)."""

    epoch: int


@dataclass(frozen=True)
class StayAlive:
    """Answer the supervisor's passivation question: something came up."""


@dataclass(frozen=True)
class StopIfNothingQueued:
    """Passivate now, unless the shell still holds a message for this person (then stay)."""


@dataclass(frozen=True)
class Log:
    level: int
    name: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ToPerson:
    """Hand an event to another person's actor (started if need be): a caregiver's request to
    their patient, a patient's word to a caregiver, an owner's message for a family member.
    Lost if that actor crashes on it; the person then asks again, so nothing depends on it."""

    event: CareRequest | CareLinkChanged | ProfileText | ProfilePress | ProfileErase | ProfileHome


@dataclass(frozen=True)
class Fail:
    """Storage failed: this incarnation must end and restart from what is really on disk."""

    error: str


Effect = (
    Send | Save | Handled | AskLLM | Transcribe | ArmTimer | DisarmTimer | ReportIdle | StayAlive
    | StopIfNothingQueued | Log | Fail | ToPerson
)
