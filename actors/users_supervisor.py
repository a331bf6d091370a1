"""The users sub-supervisor: routes everything addressed to a person to their UserActor.

It starts a user's actor on demand (a message, a button, a due timer), stops it when idle
(passivation), keeps the number of live actors - and so threads - under a cap, restarts a
crashed one (it reloads its state from persistence), and parks one that keeps crashing so
that one person's bad data never costs anyone else their reminders. Everything bound for a
user passes through here, so an actor that was stopped is simply started again, with the
messages that arrived meanwhile still in its handle's mailbox.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from actors.activity import Activity
from actors.mailbox import Handle
from actors.messages import (
    PASSIVATE_NOW,
    Alert,
    AnswerCallback,
    CareLinkChanged,
    CareRequest,
    ChildFailed,
    ChildStopped,
    Heard,
    IdleCheck,
    Inbound,
    InboundCallback,
    InboundOther,
    InboundText,
    InboundVoice,
    LLMAnswer,
    LLMDeadline,
    LoadWakeIndex,
    Passivate,
    ProfileErase,
    ProfileHome,
    ProfilePress,
    ProfileText,
    SaveFailed,
    SendFailed,
    SendMessage,
    Sent,
    SetTimer,
    StatusReport,
    StatusRequest,
    StayAlive,
    Stop,
    UpdatesHandled,
    UserBlocked,
    UserIdle,
    UserLoaded,
    UserSaved,
    Wake,
    WakeIndex,
)
from actors.restarts import RestartIntensity
from actors.runtime import BaseActor
from medbot.core.texts import lang_for_code, not_allowed_text, parked_text
from medbot.shell.logs import event

log = logging.getLogger(__name__)

StartUser = Callable[[Handle, Handle, int], Any]
"""(handle, parent, user_id) -> the started ActorRef of one UserActor incarnation."""

PREFIX = "user:"


def user_of(message: Any) -> int | None:
    """The person a message is about, for routing."""
    match message:
        case (
            InboundText(user_id=uid) | InboundCallback(user_id=uid) | InboundOther(user_id=uid)
            | InboundVoice(user_id=uid) | Heard(user_id=uid)
            | Wake(user_id=uid) | IdleCheck(user_id=uid) | LLMDeadline(user_id=uid)
            | UserLoaded(user_id=uid) | UserSaved(user_id=uid) | SaveFailed(user_id=uid)
            | LLMAnswer(user_id=uid) | UserBlocked(user_id=uid)
            | CareRequest(user_id=uid) | CareLinkChanged(user_id=uid)
            | ProfileText(user_id=uid) | ProfilePress(user_id=uid) | ProfileErase(user_id=uid)
            | ProfileHome(user_id=uid)
        ):
            return uid
        case Sent(owner=owner, chat_id=chat) | SendFailed(owner=owner, chat_id=chat):
            return chat if owner is None else owner  # a caregiver's chat: the patient waits for it
    return None


@dataclass
class _Entry:
    handle: Handle
    intensity: RestartIntensity
    ref: Any = None
    stopping: bool = False
    passivation_asked: bool = False
    restarts: int = 0


@dataclass
class _Parked:
    until: float
    last_apology: float = -1e18


@dataclass
class UsersStats:
    started: int = 0
    passivated: int = 0
    restarts: int = 0
    parked_total: int = 0
    refused: int = 0
    peak_live: int = 0
    wake_index_armed: bool = False
    """Every stored wake-up is on the clock: only then is the service ready (a dose due at start is on time)."""
    waiting_peak: int = 0


class WaitingRoom:
    """Users waiting for a slot under the cap: those a person just wrote to or pressed for go
    before those woken for a reminder, so a burst of reminders never queues people's answers."""

    def __init__(self) -> None:
        self._people: OrderedDict[int, None] = OrderedDict()
        self._bulk: OrderedDict[int, None] = OrderedDict()

    def add(self, uid: int, person: bool) -> None:
        """Queue `uid`, or move it ahead when a person's message comes for a user waiting in bulk."""
        if uid in self._people:
            return
        if person:
            self._bulk.pop(uid, None)
            self._people[uid] = None
        elif uid not in self._bulk:
            self._bulk[uid] = None

    def popleft(self) -> int:
        queue = self._people if self._people else self._bulk
        return queue.popitem(last=False)[0]

    def __contains__(self, uid: object) -> bool:
        return uid in self._people or uid in self._bulk

    def __len__(self) -> int:
        return len(self._people) + len(self._bulk)


@dataclass
class UsersState:
    """Routing state that outlives a crash of the users actor itself (like a mailbox does):
    a new incarnation adopts the live user actors instead of orphaning them."""

    entries: dict[int, _Entry] = field(default_factory=dict)
    live: OrderedDict[int, None] = field(default_factory=OrderedDict)
    """Users with a running actor, least recently active first."""
    waiting: WaitingRoom = field(default_factory=WaitingRoom)
    """Users whose messages wait for a free slot under the cap."""
    parked: dict[int, _Parked] = field(default_factory=dict)
    refused: OrderedDict[int, None] = field(default_factory=OrderedDict)
    stats: UsersStats = field(default_factory=lambda: UsersStats())


@dataclass
class UsersConfig:
    max_live: int = 1000
    max_restarts: int = 3
    restart_window: float = 60.0
    park_seconds: float = 600.0
    allowed: frozenset[int] = frozenset()
    apology_interval: float = 300.0
    refused_memory: int = 10_000


class UsersActor(BaseActor):
    def __init__(
        self,
        handle: Handle,
        parent: Handle | None,
        *,
        start_user: StartUser,
        telegram: Handle,
        persistence: Handle | None,
        clock: Handle,
        now: Callable[[], float],
        config: UsersConfig,
        state: UsersState,
        activity: Activity | None = None,
    ) -> None:
        super().__init__(handle, parent)
        self.start_user = start_user
        self.telegram = telegram
        self.persistence = persistence
        self.clock = clock
        self.now = now
        self.config = config
        self.activity = activity
        self.state = state
        self.entries = state.entries
        self.live = state.live
        self.waiting = state.waiting
        self.parked = state.parked
        self.refused = state.refused
        self.stats = state.stats

    def started(self) -> None:
        if self.persistence is None:
            self.stats.wake_index_armed = True
        elif not self.stats.wake_index_armed:
            self.persistence.tell(LoadWakeIndex(self.handle))

    # --- routing ----------------------------------------------------------------------------
    def receive(self, message: Any) -> Any:
        match message:
            case ChildFailed(name=name, error=error, message=dropped):
                self._child_failed(name, error, dropped)
            case ChildStopped(name=name):
                self._child_stopped(name)
            case UserIdle(user_id=uid, epoch=epoch):
                self._passivate(uid, epoch)
            case StayAlive(user_id=uid):
                self._stays(uid)
            case WakeIndex(entries=entries):
                self._arm(entries)
            case StatusRequest(reply_to=reply_to):
                reply_to.tell(StatusReport("users", self.status()))
            case _:
                uid = user_of(message)
                if uid is None:
                    return super().receive(message)
                self._route(uid, message)
        return None

    def _route(self, uid: int, message: Any) -> None:
        if isinstance(message, Inbound):
            if self.config.allowed and uid not in self.config.allowed:
                self._refuse(uid, message)
                return
        parked = self.parked.get(uid)
        if parked is not None:
            if self.now() < parked.until:
                self._while_parked(uid, parked, message)
                return
            del self.parked[uid]
        entry = self.entries.get(uid)
        if entry is None:
            if isinstance(message, (IdleCheck, LLMDeadline)):
                return  # about an incarnation that is gone: nothing to do
            entry = self._entry(uid)
        entry.handle.tell(message)
        person = isinstance(message, Inbound)
        if uid in self.live:
            self.live.move_to_end(uid)
        elif uid in self.waiting:
            if person:
                self.waiting.add(uid, person=True)  # ahead of the reminders
        elif not entry.stopping:
            self._start_or_wait(uid, person)

    def _entry(self, uid: int) -> _Entry:
        entry = _Entry(
            Handle(f"{PREFIX}{uid}", self.activity),
            RestartIntensity(self.config.max_restarts, self.config.restart_window),
        )
        self.entries[uid] = entry
        return entry

    def _start_or_wait(self, uid: int, person: bool = False) -> None:
        if len(self.live) >= self.config.max_live:
            self.waiting.add(uid, person)
            self.stats.waiting_peak = max(self.stats.waiting_peak, len(self.waiting))
            self._relieve_pressure()
            return
        self._start(uid)

    def _start(self, uid: int) -> None:
        entry = self.entries[uid]
        entry.stopping = False
        entry.passivation_asked = False
        entry.ref = self.start_user(entry.handle, self.handle, uid)
        self.live[uid] = None
        self.stats.started += 1
        self.stats.peak_live = max(self.stats.peak_live, len(self.live))

    def _relieve_pressure(self) -> None:
        """Ask the least recently active actors to stop if they have nothing in hand."""
        wanted = len(self.waiting)
        for uid in self.live:
            if wanted <= 0:
                break
            entry = self.entries[uid]
            if not entry.passivation_asked and not entry.stopping:
                entry.passivation_asked = True
                entry.handle.tell(IdleCheck(uid, PASSIVATE_NOW))
                wanted -= 1

    # --- passivation ------------------------------------------------------------------------
    def _passivate(self, uid: int, epoch: int) -> None:
        entry = self.entries.get(uid)
        if entry is None or entry.stopping or uid not in self.live:
            return
        if entry.handle.pending() > 0:
            self._stays(uid)  # something arrived since it said so: keep it
            return
        entry.stopping = True
        entry.handle.tell(Passivate(uid, epoch))

    def _stays(self, uid: int) -> None:
        entry = self.entries.get(uid)
        if entry is None:
            return
        entry.stopping = False
        entry.passivation_asked = False
        if self.waiting:
            self._relieve_pressure()  # ask someone else for the slot

    def _child_stopped(self, name: str) -> None:
        uid = _uid(name)
        entry = self.entries.get(uid) if uid is not None else None
        if entry is None or uid is None:
            return
        self.live.pop(uid, None)
        entry.stopping = False
        entry.ref = None
        if entry.handle.pending() > 0:
            self._start_or_wait(uid)  # messages arrived after the decision to stop
        else:
            del self.entries[uid]
            self.stats.passivated += 1
        self._admit_waiting()

    def _admit_waiting(self) -> None:
        while self.waiting and len(self.live) < self.config.max_live:
            uid = self.waiting.popleft()
            if uid in self.entries and uid not in self.live:
                self._start(uid)
        if self.waiting:
            self._relieve_pressure()  # the newcomers make room in turn once their work is done

    # --- failures ---------------------------------------------------------------------------
    def _child_failed(self, name: str, error: str, dropped: Any) -> None:
        uid = _uid(name)
        entry = self.entries.get(uid) if uid is not None else None
        if entry is None or uid is None:
            return
        self.live.pop(uid, None)
        entry.ref = None
        entry.stopping = False
        if entry.intensity.allow():
            entry.restarts += 1
            self.stats.restarts += 1
            event(log, logging.ERROR, "user_restart", user=uid, restarts=entry.restarts, error=error)
            self._start_or_wait(uid)
            return
        self._park(uid, error)
        self._admit_waiting()

    def _park(self, uid: int, error: str) -> None:
        until = self.now() + self.config.park_seconds
        parked = _Parked(until)
        self.parked[uid] = parked
        self.stats.parked_total += 1
        entry = self.entries.pop(uid)
        event(log, logging.ERROR, "user_parked", user=uid, error=error)
        self.tell_parent(Alert("user_parked", f"medbot: a user actor kept crashing and was parked ({error})"))
        # What was queued for it is answered (people) or delivered (durable confirmations).
        while entry.handle.pending():
            envelope = entry.handle.mailbox.get_nowait()
            if entry.handle.activity is not None:
                entry.handle.activity.end()
            self._while_parked(uid, parked, envelope.message)
        self.clock.tell(SetTimer(("wake", uid), until, self.handle, Wake(uid)))

    def _while_parked(self, uid: int, parked: _Parked, message: Any) -> None:
        self._answered_here(message)
        match message:
            case UserSaved(then=then):
                for outgoing in then:
                    self.telegram.tell(outgoing)
            case InboundCallback(callback_id=callback_id, language_code=code):
                self.telegram.tell(AnswerCallback(callback_id, parked_text(lang_for_code(code)).text))
            case InboundText(chat_id=chat, language_code=code) | InboundOther(
                chat_id=chat, language_code=code
            ) | InboundVoice(chat_id=chat, language_code=code):
                if self.now() - parked.last_apology >= self.config.apology_interval:
                    parked.last_apology = self.now()
                    self.telegram.tell(SendMessage(chat, parked_text(lang_for_code(code)).text))
            case Wake():
                # The wake-up at the end of parking arrives before `until` only if re-armed
                # early; keep the person's reminders by trying again at the end.
                self.clock.tell(SetTimer(("wake", uid), parked.until, self.handle, Wake(uid)))

    def _answered_here(self, message: Any) -> None:
        """An update answered by this actor, not a person's: the inbox need not keep it."""
        update_id = getattr(message, "update_id", None)
        if update_id is not None and self.persistence is not None:
            self.persistence.tell(UpdatesHandled((update_id,)))

    def _refuse(self, uid: int, message: Any) -> None:
        self.stats.refused += 1
        self._answered_here(message)
        if isinstance(message, InboundCallback):
            self.telegram.tell(AnswerCallback(message.callback_id))
        chat = getattr(message, "chat_id", uid)
        if uid in self.refused or chat != uid:  # told once; never to a whole family group chat
            return
        self.refused[uid] = None
        while len(self.refused) > self.config.refused_memory:
            self.refused.popitem(last=False)
        self.telegram.tell(SendMessage(chat, not_allowed_text(lang_for_code(message.language_code)).text))
        event(log, logging.INFO, "refused", user=uid)

    # --- start-up ---------------------------------------------------------------------------
    def _arm(self, entries: tuple[tuple[int, float], ...]) -> None:
        """Arm every stored next wake-up: passivated users are woken exactly when due."""
        for uid, at in entries:
            self.clock.tell(SetTimer(("wake", uid), at, self.handle, Wake(uid)))
        self.stats.wake_index_armed = True
        event(log, logging.INFO, "wake_index_armed", users=len(entries))

    def status(self) -> dict[str, Any]:
        return {
            "live": len(self.live),
            "waiting": len(self.waiting),
            "parked": sum(1 for parked in self.parked.values() if parked.until > self.now()),
            "started": self.stats.started,
            "passivated": self.stats.passivated,
            "restarts": self.stats.restarts,
            "parked_total": self.stats.parked_total,
            "refused": self.stats.refused,
            "peak_live": self.stats.peak_live,
            "waiting_peak": self.stats.waiting_peak,
            "wake_index_armed": self.stats.wake_index_armed,
        }

    def stopped(self) -> None:
        self.stop_children(timeout=10.0)

    def stop_children(self, timeout: float) -> None:
        """Stop every live user actor and wait for them (orderly shutdown)."""
        refs = [self.entries[uid].ref for uid in list(self.live) if uid in self.entries]
        for uid in list(self.live):
            self.entries[uid].handle.tell(Stop())
        deadline = time.monotonic() + timeout
        for ref in refs:
            if ref is not None:
                ref.actor_stopped.wait(max(0.0, deadline - time.monotonic()))
        self.live.clear()


def _uid(name: str) -> int | None:
    if not name.startswith(PREFIX):
        return None
    try:
        return int(name[len(PREFIX):])
    except ValueError:
        return None

