"""A person's state between two steps: their record and what is in flight for them.

Plain frozen values, so `step` is a pure function: the shell keeps the state it was given back
and passes it to the next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from medbot.core.commands import ParseResult
from medbot.core.model import Intake, User
from medbot.core.updates import InboundText, InboundVoice


@dataclass(frozen=True)
class PersonConfig:
    """What the settings say about every person, and who this incarnation is."""

    repeat: timedelta
    history_days: int
    messages_per_minute: int
    llm_configured: bool
    llm_per_day: int
    default_tz: str
    idle_seconds: float
    llm_deadline_seconds: float
    """How long an LLM answer is waited for at most (a safety net: the LLM actor always answers)."""
    boot: str = ""
    """This run of the process, noted in every save: a record last saved by another run may
    hold a reminder or a reply that was on its way when that run ended."""
    secret: str = ""
    """Drawn by the shell for each incarnation: one-time button data is made from it."""
    caregiver_minutes: int = 60
    """An unanswered dose is reported to caregivers this long after its time (unless the person
    set their own)."""
    bot_username: str = ""
    """For invitation links: https://t.me/<bot_username>?start=<token>."""
    voice_max_seconds: int = 120
    """A longer voice message is not transcribed."""


@dataclass(frozen=True)
class LLMWait:
    """A message waiting for the LLM actor: a typed one for its reading (`local` is the offline
    parser's, the fallback), or a voice message for its transcript (`local` None)."""

    request_id: int
    message: InboundText | InboundVoice
    local: ParseResult | None
    reply_lang: str | None = None
    """The language the message was written in: the answer comes back in it."""
    heard: str | None = None
    """For a transcript's reading: what the voice message said (its changes are confirmed)."""


@dataclass(frozen=True)
class PersonState:
    uid: int
    config: PersonConfig
    user: User | None = None
    saved: User | None = None
    """The state last handed to persistence (or loaded from it)."""
    loaded: bool = False
    broken: str | None = None
    stash: tuple[Any, ...] = ()
    """What arrived while the person's actor could not handle it yet, in order."""
    unacked: tuple[int, ...] = ()
    """Saves handed to persistence and not yet acknowledged, in order."""
    quiet: frozenset[int] = frozenset()
    """Saves that only strike messages off the outbox: no reply waits for them."""
    unarchived: tuple[tuple[int, tuple[Intake, ...]], ...] = ()
    """(seq of the save that moved them, intakes) not yet acknowledged as archived."""
    after_save: tuple[tuple[int, tuple[Any, ...]], ...] = ()
    """(seq, replies) held until that save is on disk."""
    handled_after: tuple[tuple[int, tuple[int, ...]], ...] = ()
    """(save seq, the update ids it applied): reported handled once it is acknowledged."""
    llm_wait: LLMWait | None = None
    reminder_sends: frozenset[int] = frozenset()
    """Reminders on their way to Telegram: a press waits until it is known which message."""
    owed_retried: frozenset[int] = frozenset()
    epoch: int = 0
    """How many messages this incarnation has handled (idleness is judged by it)."""
    tokens: float = -1.0
    tokens_at: float = 0.0
    """The person's per-minute allowance: tokens left and when (-1: full)."""
    rate_noticed: bool = False
    delete_nonce: str | None = None
    passivation_wanted: bool = False
    """The supervisor needs this slot: report idle as soon as nothing is in hand."""
    next_seq: int = 1
    """Save numbers: the shell starts each incarnation in a block of its own, so an
    acknowledgement of a predecessor's write is never taken for one of this incarnation's."""
    next_llm_request: int = 1
