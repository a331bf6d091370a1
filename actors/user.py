"""The UserActor: one person's state and timers, and the only place that changes them.

A thin shell around the core's pure step (`medbot.core.person.step`): it receives a message,
hands it to `step` with the time, keeps the state it gets back and performs the effects (save,
send, arm or disarm a timer, ask the LLM, report idleness), sending each to the actor that
does it. The protocol's answers to its requests come back through the users' supervisor.

What `step` guarantees is described there and in `medbot.core.person.work`: a confirmation
rides inside the save of the change it confirms (and in the record's outbox), so even a crash
between the write and the reply cannot lose it; an update is reported handled once its change
is on disk; old intakes leave the state for the archive as it is saved.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from actors.llm_calls import longest_wait
from actors.mailbox import Handle
from actors.messages import (
    CancelTimer,
    DeleteMessage,
    EditMessage,
    Inbound,
    LLMRequest,
    LoadUser,
    SaveUser,
    SendMessage,
    SetTimer,
    TranscribeRequest,
    UpdatesHandled,
    UserIdle,
)
from actors.messages import StayAlive as StayAliveMessage
from actors.runtime import BaseActor
from medbot.core.person.effects import (
    ArmTimer,
    AskLLM,
    DisarmTimer,
    Effect,
    Fail,
    Handled,
    Log,
    ReportIdle,
    Save,
    Send,
    StayAlive,
    StopIfNothingQueued,
    ToPerson,
    Transcribe,
)
from medbot.core.person.state import PersonConfig, PersonState
from medbot.core.person.step import StepCrashed, dropped, step, unhandled
from medbot.shell.logs import event
from medbot.shell.settings import Settings

log = logging.getLogger(__name__)

_incarnations = itertools.count(1)
SEQ_BLOCK = 1 << 40
"""Each incarnation numbers its saves in a block of its own: an acknowledgement of a
predecessor's write is never taken for one of its own."""


class StorageUnavailable(RuntimeError):
    """A write failed: restart from what is really on disk rather than trust memory."""


@dataclass(frozen=True)
class UserDeps:
    telegram: Handle
    persistence: Handle
    llm: Handle
    clock: Handle
    users: Handle
    """The users sub-supervisor: every reply to this actor is routed through it."""
    now: Callable[[], float]
    settings: Settings
    boot: str = ""
    """This run of the process, noted in every save."""


def person_config(settings: Settings, boot: str) -> PersonConfig:
    return PersonConfig(
        repeat=timedelta(minutes=settings.repeat_minutes),
        history_days=settings.history_days,
        messages_per_minute=settings.user_messages_per_minute,
        llm_configured=settings.llm_configured,
        llm_per_day=settings.llm_per_user_per_day,
        default_tz=settings.default_tz,
        idle_seconds=settings.user_idle_seconds,
        llm_deadline_seconds=longest_wait(settings) + 10,
        boot=boot,
        secret=secrets.token_hex(16),
        caregiver_minutes=settings.caregiver_minutes,
        bot_username=settings.bot_username,
        voice_max_seconds=settings.voice_max_seconds,
    )


class UserActor(BaseActor):
    def __init__(self, handle: Handle, parent: Handle | None, user_id: int, deps: UserDeps):
        super().__init__(handle, parent)
        self.uid = user_id
        self.deps = deps
        self.state = PersonState(
            user_id, person_config(deps.settings, deps.boot),
            next_seq=next(_incarnations) * SEQ_BLOCK,
        )

    def started(self) -> None:
        self.deps.persistence.tell(LoadUser(self.uid, self.deps.users, urgent=self._person_waits()))

    def _person_waits(self) -> bool:
        """Whether a person's message is among what this actor was started for."""
        mailbox = self.handle.mailbox
        with mailbox.mutex:
            return any(isinstance(envelope.message, Inbound) for envelope in list(mailbox.queue))

    def receive(self, message: Any) -> Any:
        try:
            self.state, effects = step(self.state, message, self.deps.now())
        except StepCrashed as crashed:
            self.state = crashed.state
            self._current = crashed.message  # the message dropped: the one the step failed on
            self._perform(crashed.effects)
            raise crashed.__cause__ or crashed from None
        self._perform(effects)
        return None

    def unhandled(self) -> list[Any]:
        return unhandled(self.state)

    def dropped(self, message: Any) -> None:
        self._perform(dropped(self.state, message))

    # --- effects ----------------------------------------------------------------------------
    def _perform(self, effects: tuple[Effect, ...]) -> None:
        deps, uid = self.deps, self.uid
        for effect in effects:
            match effect:
                case Send(message=message):
                    deps.telegram.tell(self._addressed(message))
                case Save(user=user, next_wake=wake, seq=seq, then=then, archive=archive, urgent=urgent):
                    deps.persistence.tell(SaveUser(
                        uid, user, wake, seq, deps.users,
                        then=tuple(self._addressed(message) for message in then),
                        archive=archive, urgent=urgent,
                    ))
                case Handled(update_ids=ids):
                    deps.persistence.tell(UpdatesHandled(ids))
                case ArmTimer(key=key, at=at, event=wake_event):
                    deps.clock.tell(SetTimer(key, at, deps.users, wake_event))
                case DisarmTimer(key=key):
                    deps.clock.tell(CancelTimer(key))
                case AskLLM(request_id=request_id, text=text, lang=lang, schedule=schedule, timezone=zone):
                    deps.llm.tell(LLMRequest(uid, request_id, text, lang, schedule, deps.users, timezone=zone))
                case Transcribe(request_id=request_id, file_id=file_id, duration=duration, lang=lang):
                    deps.llm.tell(TranscribeRequest(uid, request_id, file_id, duration, lang, deps.users))
                case ReportIdle(epoch=epoch):
                    deps.users.tell(UserIdle(uid, epoch))
                case StayAlive():
                    deps.users.tell(StayAliveMessage(uid))
                case StopIfNothingQueued():
                    if self.handle.pending() == 0:
                        self.stop_now()
                    else:
                        deps.users.tell(StayAliveMessage(uid))
                case Log(level=level, name=name, fields=fields):
                    event(log, level, name, **fields)
                case ToPerson(event=other):
                    deps.users.tell(other)  # routed to that person's actor, started if need be
                case Fail(error=error):
                    raise StorageUnavailable(error)

    def _addressed(self, message: Any) -> Any:
        """A message that wants to hear how it went (it has a tag) is answered through the
        users' supervisor, which routes the answer back here."""
        if isinstance(message, SendMessage | EditMessage | DeleteMessage) and message.tag is not None \
                and message.reply_to is None:
            return replace(message, reply_to=self.deps.users)
        return message
