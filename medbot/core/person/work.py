"""One step's working copy of a person's state, and how a step saves and replies.

A step copies the frozen `PersonState` into a `Work`, lets the flows change it and collect
effects, and freezes it again: the mutation never leaves the step. Saving follows the rule
that nothing is confirmed before it is on disk: a reply that confirms a change rides in the
save (and in the record's outbox); a reply that changes nothing waits for any save still in
flight, so replies never overtake the confirmations before them.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from medbot.core import texts
from medbot.core.buckets import TokenBucket
from medbot.core.care.escalation import earliest, next_alert
from medbot.core.due import next_wake
from medbot.core.handled import note_handled, update_keys
from medbot.core.history import split_history
from medbot.core.language import without_streak
from medbot.core.model import Intake, User
from medbot.core.outbox import owing
from medbot.core.outgoing import AnswerCallback, SendMessage
from medbot.core.person.effects import (
    ArmTimer,
    DisarmTimer,
    Effect,
    Handled,
    Log,
    ReportIdle,
    Save,
    Send,
)
from medbot.core.person.events import IdleCheck, Wake
from medbot.core.person.state import LLMWait, PersonConfig, PersonState
from medbot.core.tz import from_timestamp
from medbot.core.updates import Inbound
from medbot.core.view import Reply

BOOT = "boot"
COMPUTE: Any = object()
"""`commit`'s default: work out the next wake-up from the state."""


class Work:
    """The state of one person during one step, and the effects the step has asked for."""

    def __init__(self, state: PersonState, now: float) -> None:
        self.uid = state.uid
        self.config: PersonConfig = state.config
        self.clock = now
        self.user = state.user
        self.saved = state.saved
        self.loaded = state.loaded
        self.broken = state.broken
        self.stash: deque[Any] = deque(state.stash)
        self.unacked: deque[int] = deque(state.unacked)
        self.quiet: set[int] = set(state.quiet)
        self.unarchived: list[tuple[int, tuple[Intake, ...]]] = list(state.unarchived)
        self.after_save: deque[tuple[int, list[Any]]] = deque((seq, list(out)) for seq, out in state.after_save)
        self.handled_after: dict[int, list[int]] = {seq: list(ids) for seq, ids in state.handled_after}
        self.llm_wait: LLMWait | None = state.llm_wait
        self.reminder_sends: set[int] = set(state.reminder_sends)
        self.owed_retried: set[int] = set(state.owed_retried)
        self.epoch = state.epoch
        per_minute = state.config.messages_per_minute
        self.bucket = TokenBucket(capacity=per_minute, rate=per_minute / 60.0,
                                  tokens=state.tokens, updated=state.tokens_at)
        self.rate_noticed = state.rate_noticed
        self.delete_nonce = state.delete_nonce
        self.passivation_wanted = state.passivation_wanted
        self.next_seq = state.next_seq
        self.next_llm_request = state.next_llm_request
        self.effects: list[Effect] = []
        self.current: Any = None
        """The message being handled: a crash drops this one."""
        self.reply_lang: str | None = None
        """While a typed message is handled: the language it was written in, for the reply."""
        self.handling: Inbound | None = None
        """The update being handled: a save made meanwhile records it as applied."""
        self.handling_saved = False
        self.heard: str | None = None
        """While a voice message's transcript is handled: the transcript (changes are confirmed)."""
        self.pressed_by: tuple[int, str] | None = None
        """While a relative's press in a family group chat is handled: who pressed it."""

    def frozen(self, state: PersonState) -> PersonState:
        return replace(
            state, user=self.user, saved=self.saved, loaded=self.loaded, broken=self.broken,
            stash=tuple(self.stash), unacked=tuple(self.unacked), quiet=frozenset(self.quiet),
            unarchived=tuple(self.unarchived),
            after_save=tuple((seq, tuple(out)) for seq, out in self.after_save),
            handled_after=tuple((seq, tuple(ids)) for seq, ids in self.handled_after.items()),
            llm_wait=self.llm_wait, reminder_sends=frozenset(self.reminder_sends),
            owed_retried=frozenset(self.owed_retried), epoch=self.epoch,
            tokens=self.bucket.tokens, tokens_at=self.bucket.updated,
            rate_noticed=self.rate_noticed, delete_nonce=self.delete_nonce,
            passivation_wanted=self.passivation_wanted, next_seq=self.next_seq,
            next_llm_request=self.next_llm_request,
        )

    # --- small helpers ----------------------------------------------------------------------
    def now(self) -> datetime:
        return from_timestamp(self.clock)

    def lang(self, code: str | None = None) -> str:
        if self.user is not None:
            return self.user.lang
        return texts.lang_for_code(code)

    def reply_language(self) -> str:
        assert self.user is not None
        return self.reply_lang or self.user.lang

    def log(self, level: int, name: str, **fields: Any) -> None:
        self.effects.append(Log(level, name, {"user": self.uid, **fields}))

    def tell(self, message: Any) -> None:
        """A message for Telegram, now."""
        self.effects.append(Send(message))

    def seed(self, purpose: str = "") -> str:
        """What nobody can guess or replay: the incarnation's secret, this person and this moment
        of the step (one-time button data, invitation secrets)."""
        return f"{self.config.secret}:{self.uid}:{purpose}:{self.epoch}:{self.next_seq}"

    def one_time(self) -> str:
        """Button data nobody can guess or replay."""
        return hashlib.blake2s(self.seed().encode(), digest_size=4).hexdigest()

    def take_seq(self) -> int:
        seq = self.next_seq
        self.next_seq += 1
        return seq

    def waits_for_llm(self, message: Inbound) -> bool:
        return self.llm_wait is not None and self.llm_wait.message is message

    def report_handled(self, update_ids: Any) -> None:
        known = tuple(update_id for update_id in update_ids if update_id is not None)
        if known:
            self.effects.append(Handled(known))

    def handle(self, message: Inbound, work: Callable[[], None]) -> None:
        """Do `work` for `message`; a save made meanwhile carries its keys, and it is reported
        handled when that save is on disk (at once when nothing was saved, unless it waits
        for the LLM)."""
        self.handling, self.handling_saved = message, False
        try:
            work()
        finally:
            self.handling = None
        if not self.handling_saved and not self.waits_for_llm(message):
            self.report_handled([message.update_id])

    # --- saving and replying ----------------------------------------------------------------
    def say(self, chat: int, reply: Reply) -> None:
        """A reply that changes nothing: still after any pending confirmation."""
        self.release([send(chat, reply)])

    def say_now(self, chat: int, reply: Reply) -> None:
        self.tell(send(chat, reply))

    def commit(self, user: User, outgoing: list[Any], wake: Any = COMPUTE, *, quiet: bool = False) -> None:
        """Make `user` the state, less the intakes old enough for the archive. If it differs
        from what was last handed to persistence, save it with `outgoing` in its outbox and
        the update being handled as applied, and let `outgoing` go once it is on disk;
        otherwise `outgoing` follows any pending confirmation. The wake-up timer follows the
        state (archiving never changes it: what `plan` looks at stays in the record). A
        `quiet` save only strikes messages off the outbox: later replies do not wait for it."""
        now = self.now()
        user, moved = split_history(user, now, self.config.history_days)
        self.user = user
        unchanged = user == self.saved or self.saved is not None and without_streak(user) == without_streak(self.saved)
        if unchanged and not moved:
            self.release(outgoing)
            if wake is not COMPUTE:
                self.arm_wake(wake)
            return
        if wake is COMPUTE:
            wake = earliest(next_wake(user, now, self.config.repeat),
                            next_alert(user, now, self.config.caregiver_minutes))
        seq = self.take_seq()
        if self.handling is not None and not self.waits_for_llm(self.handling):
            user = note_handled(user, keys(self.handling))
            self.handling_saved = True
            if self.handling.update_id is not None:
                self.handled_after.setdefault(seq, []).append(self.handling.update_id)
        user, then = owing(user, outgoing, now)
        if user.extra.get(BOOT) != self.config.boot:
            user = replace(user, extra={**user.extra, BOOT: self.config.boot})
        self.user = self.saved = user
        self.unacked.append(seq)
        if quiet:
            self.quiet.add(seq)
        if moved:
            self.unarchived.append((seq, moved))
        # While something is owed, the stored wake-up is now: after a crash the person's actor
        # is started at once and sends it.
        stored = wake if not user.outbox else now if wake is None else min(wake, now)
        self.effects.append(Save(
            user, stored.timestamp() if stored is not None else None, seq, tuple(then),
            archive=tuple(intake for _, intakes in self.unarchived for intake in intakes),
            urgent=self.handling is not None,
        ))
        self.arm_wake(wake)

    def release(self, outgoing: list[Any]) -> None:
        if not outgoing:
            return
        confirming = next((seq for seq in reversed(self.unacked) if seq not in self.quiet), None)
        if confirming is not None:
            self.after_save.append((confirming, outgoing))
            return
        for message in outgoing:
            self.tell(message)

    def saved_on_disk(self, seq: int, then: tuple[Any, ...]) -> None:
        # Replies held behind an earlier save go first: one commit may acknowledge several saves.
        while self.after_save and self.after_save[0][0] < seq:
            for message in self.after_save.popleft()[1]:
                self.tell(message)
        for message in then:  # a crashed predecessor's too: this run sends them nowhere else
            self.tell(message)
        if seq in self.unacked:
            while self.unacked[0] != seq:  # acknowledgements come in the order of the writes
                self.quiet.discard(self.unacked.popleft())
            self.quiet.discard(self.unacked.popleft())
            self.unarchived = [entry for entry in self.unarchived if entry[0] > seq]
        self.report_handled(self.handled_after.pop(seq, ()))
        while self.after_save and (not self.unacked or self.after_save[0][0] < self.unacked[0]):
            for message in self.after_save.popleft()[1]:
                self.tell(message)

    # --- timers and idleness ----------------------------------------------------------------
    def arm_wake(self, wake: datetime | None) -> None:
        key = ("wake", self.uid)
        if wake is None:
            self.effects.append(DisarmTimer(key))
        else:
            self.effects.append(ArmTimer(key, wake.timestamp(), Wake(self.uid)))

    def arm_idle(self) -> None:
        self.effects.append(ArmTimer(
            ("idle", self.uid), self.clock + self.config.idle_seconds, IdleCheck(self.uid, self.epoch),
        ))

    def busy(self) -> bool:
        """Sends on their way to Telegram do not count: the record says what is on its way, and
        how it ends comes back through the supervisor, which starts the actor again for it. So
        a burst of reminders waiting for Telegram's rate limit holds no actor slots."""
        return bool(self.unacked or self.llm_wait or self.stash or not self.loaded)

    def report_idle(self) -> None:
        self.passivation_wanted = False
        self.effects.append(DisarmTimer(("idle", self.uid)))
        self.effects.append(ReportIdle(self.epoch))

    def admitted(self, chat: int, code: str | None, callback_id: str | None = None) -> bool:
        """Whether the person's per-minute allowance covers one more message or press. The
        first one over it is told to wait (a press in its answer); the rest get nothing, so a
        flood from one person costs Telegram's limits, and everyone else, nothing."""
        if self.bucket.take(self.clock):
            self.rate_noticed = False
            return True
        if not self.rate_noticed:
            self.rate_noticed = True
            notice = texts.rate_limited(self.lang(code))
            if callback_id is None:
                self.say(chat, notice)
            else:
                self.tell(AnswerCallback(callback_id, notice.text[:190]))
        return False


def send(chat: int, reply: Reply) -> SendMessage:
    return SendMessage(chat, reply.text, reply.buttons)


def keys(message: Inbound) -> tuple[str, ...]:
    """How the person's record knows this update once it has applied it."""
    return update_keys(message.update_id, getattr(message, "callback_id", None))

