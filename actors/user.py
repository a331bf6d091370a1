"""The UserActor: one person's state and timers, and the only place that changes them.

A thin shell around the domain core. It receives a message, asks the domain what it means
(parse, apply, reconcile reminders, plan what is due), hands the new state to persistence, and
only when persistence says the data is on disk does it let the confirmation go out (the
replies travel inside the save as `then`, so even a crash between the write and the reply
cannot lose an acknowledged change's confirmation). It never blocks: loading, saving and the
LLM are all messages, and what arrives while it waits is stashed and handled in order.

A save that confirms a change also carries the replies to it, in the person's outbox
(`medbot.core.outbox`), and the keys of the updates it applied (`medbot.core.handled`): after a crash the
next incarnation sends what is still owed, and an update handed out again by the durable inbox
is recognised instead of applied twice. Each update is reported handled to the inbox once its
change is on disk (or at once, when it changed nothing).

Old intakes leave the state for the person's archive as it is saved (`medbot.core.history`). Until
persistence acknowledges the save that moved them, every later save carries them again: a save
that failed to archive them must not be overtaken by one that writes the record without them.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from actors.llm import longest_wait
from actors.mailbox import Handle
from actors.messages import (
    PASSIVATE_NOW,
    AnswerCallback,
    CancelTimer,
    DeleteMessage,
    EditMessage,
    IdleCheck,
    Inbound,
    InboundCallback,
    InboundOther,
    InboundText,
    LLMAnswer,
    LLMDeadline,
    LLMRequest,
    LoadUser,
    Passivate,
    Priority,
    SaveFailed,
    SaveUser,
    ScheduleEntry,
    SendFailed,
    SendMessage,
    Sent,
    SetTimer,
    StayAlive,
    UpdatesHandled,
    UserBlocked,
    UserIdle,
    UserLoaded,
    UserSaved,
    Wake,
)
from actors.owed import OUTBOX_TAG, owed_message, owing
from actors.runtime import BaseActor
from medbot.core import texts
from medbot.core.apply import apply
from medbot.core.apply_rules import Today, confirm_question
from medbot.core.buckets import TokenBucket
from medbot.core.commands import (
    Add,
    Command,
    Help,
    ListSchedule,
    ParseResult,
    SetLanguage,
    Stats,
    Undo,
    Unknown,
)
from medbot.core.course_end import course_end_press, is_course_end_data
from medbot.core.due import next_wake, plan
from medbot.core.effects import DeleteReminder, EditReminder, SendNotice, SendReminder
from medbot.core.handled import already_handled, note_handled, update_keys
from medbot.core.history import split_history
from medbot.core.language import follow_writing, reply_language, without_streak
from medbot.core.model import Intake, User, new_user
from medbot.core.nlu import parse
from medbot.core.nlu.guess import best_guess
from medbot.core.outbox import settle, still_owed
from medbot.core.pending import is_option_data, remember, take_press, take_text
from medbot.core.reminders import on_send_failed, on_send_refused, on_sent, press, reconcile, resume_unsent
from medbot.core.reply import Reply
from medbot.core.texts.stats import render_stats
from medbot.core.tz import from_timestamp, hhmm, local_datetime, utc_iso
from medbot.shell.logs import event
from medbot.shell.settings import Settings

log = logging.getLogger(__name__)

_save_numbers = itertools.count(1)
"""Save sequence numbers, unique in the process, so a new incarnation never mistakes the
acknowledgement of its predecessor's write for one of its own."""

REMINDER_TAG = "reminder"
BOOT = "boot"
DELETE_ME_YES = "dm:yes:"
DELETE_ME_NO = "dm:no"
SLASH_COMMANDS: dict[str, Command] = {
    "/help": Help(),
    "/list": ListSchedule(),
    "/stats": Stats(),
}


_COMPUTE: Any = object()
"""`_commit`'s default: work out the next wake-up from the state."""


@dataclass(frozen=True)
class _Deferred:
    """Replies a crashed incarnation held back behind a save: its successor sends them."""

    outgoing: tuple[Any, ...]


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
    """This run of the process, noted in every save: a record last saved by another run may
    hold a reminder or a reply that was on its way when that run ended."""


@dataclass
class _LLMWait:
    request_id: int
    message: InboundText
    local: ParseResult
    reply_lang: str | None = None
    """The language the message was written in: the answer comes back in it."""


class UserActor(BaseActor):
    def __init__(self, handle: Handle, parent: Handle | None, user_id: int, deps: UserDeps):
        super().__init__(handle, parent)
        self.uid = user_id
        self.deps = deps
        self.settings = deps.settings
        self.repeat = timedelta(minutes=deps.settings.repeat_minutes)
        self.user: User | None = None
        self.reply_lang: str | None = None
        """While a typed message is handled: the language it was written in, for the reply."""
        self.saved: User | None = None
        """The state last handed to persistence (or loaded from it)."""
        self.loaded = False
        self.broken: str | None = None
        self.stash: deque[Any] = deque()
        self.unacked: deque[int] = deque()
        self.unarchived: list[tuple[int, tuple[Intake, ...]]] = []
        """(seq of the save that moved them, intakes) not yet acknowledged as archived."""
        self.after_save: deque[tuple[int, list[Any]]] = deque()
        self.llm_wait: _LLMWait | None = None
        self.llm_requests = itertools.count(1)
        self.reminder_sends: set[int] = set()
        self.epoch = 0
        per_minute = deps.settings.user_messages_per_minute
        self.bucket = TokenBucket(capacity=per_minute, rate=per_minute / 60.0, updated=deps.now())
        self.rate_noticed = False
        self.delete_nonce: str | None = None
        self.passivation_wanted = False
        """The supervisor needs this slot: report idle as soon as nothing is in hand."""
        self.handling: Inbound | None = None
        """The update being handled: a save made meanwhile records it as applied."""
        self.handling_saved = False
        self.handled_after: dict[int, list[int]] = {}
        """Save seq -> the update ids it applied: reported handled once it is acknowledged."""
        self.quiet: set[int] = set()
        """Saves that only strike messages off the outbox: no reply waits for them."""
        self.owed_retried: set[int] = set()

    # --- life cycle -------------------------------------------------------------------------
    def started(self) -> None:
        self.deps.persistence.tell(LoadUser(self.uid, self.deps.users, urgent=self._person_waits()))

    def _person_waits(self) -> bool:
        """Whether a person's message is among what this actor was started for."""
        mailbox = self.handle.mailbox
        with mailbox.mutex:
            return any(
                isinstance(envelope.message, Inbound) for envelope in list(mailbox.queue)
            )

    def receive(self, message: Any) -> Any:
        match message:
            case UserLoaded():
                if not self.loaded:
                    self._loaded(message)
                    self._drain()
            case UserSaved(seq=seq, then=then):
                self._saved(seq, then)
            case SaveFailed():
                self._save_failed(message)
            case IdleCheck(epoch=epoch):
                self._idle_check(epoch)
            case Passivate(epoch=epoch):
                self._passivate(epoch)
            case LLMAnswer() | LLMDeadline() if self.llm_wait is not None:
                self._llm_done(message)
                self._drain()
            case LLMAnswer() | LLMDeadline():
                pass  # an answer nobody waits for any more (a fallback already answered)
            case Sent() | SendFailed() if self.loaded:
                self._dispatch(message)  # never behind the stash: a stashed press may wait for it
                self._drain()
            case _ if self.stash or self._must_wait(message):
                self.stash.append(message)
            case _:
                self._dispatch(message)
        if self.passivation_wanted and not self._busy():
            self._report_idle()
        return None

    def _must_wait(self, message: Any) -> bool:
        """Messages that cannot be handled yet: anything before the state is loaded or while
        the LLM is being asked; and a button press while a reminder is still on its way, since
        until Telegram says which message it is, the press could not update it in place."""
        if not self.loaded or self.llm_wait is not None:
            return True
        return isinstance(message, InboundCallback) and bool(self.reminder_sends)

    def _drain(self) -> None:
        while self.stash and not self._must_wait(self.stash[0]):
            self._dispatch(self.stash.popleft())

    def _dispatch(self, message: Any) -> None:
        self._current = message  # a stashed message that crashes us is the one dropped
        self.epoch += 1
        if isinstance(message, Inbound):
            self._inbound(message)
        else:
            self._internal(message)
        self._arm_idle()

    def _inbound(self, message: Inbound) -> None:
        """A person's update, once: one the record already reflects is not applied again."""
        if already_handled(self.user, _keys(message)):
            event(log, logging.INFO, "update_duplicate", user=self.uid, update=message.update_id)
            if isinstance(message, InboundCallback):
                self.deps.telegram.tell(AnswerCallback(message.callback_id))
            self._report_handled([message.update_id])
            return
        self._handle(message, lambda: self._internal(message))

    def _handle(self, message: Inbound, work: Callable[[], None]) -> None:
        """Do `work` for `message`; a save made meanwhile carries its keys, and it is reported
        handled when that save is on disk (at once when nothing was saved, unless it waits
        for the LLM)."""
        self.handling, self.handling_saved = message, False
        try:
            work()
        finally:
            self.handling = None
        if not self.handling_saved and not self._waits_for_llm(message):
            self._report_handled([message.update_id])

    def _waits_for_llm(self, message: Inbound) -> bool:
        return self.llm_wait is not None and self.llm_wait.message is message

    def _report_handled(self, update_ids: Iterable[int | None]) -> None:
        known = tuple(update_id for update_id in update_ids if update_id is not None)
        if known:
            self.deps.persistence.tell(UpdatesHandled(known))

    def _internal(self, message: Any) -> None:
        match message:
            case InboundText():
                self._text(message)
            case InboundCallback():
                self._callback(message)
            case InboundOther(chat_id=chat, language_code=code):
                if self._admitted(chat, code):
                    self._say(chat, texts.non_text(self._lang(code)))
            case Wake():
                self._wake()
            case Sent(tag=(tag, reminder_id), message_id=message_id) if tag == REMINDER_TAG:
                self.reminder_sends.discard(reminder_id)
                event(log, logging.INFO, "reminder_sent", user=self.uid, reminder=reminder_id)
                if self.user is not None:
                    user, effects = on_sent(self.user, reminder_id, message_id)
                    self._commit(user, self._effects(effects))
            case SendFailed(tag=(tag, reminder_id), reason=reason) if tag == REMINDER_TAG:
                self.reminder_sends.discard(reminder_id)
                if self.user is not None and reason == "bad_request":
                    event(log, logging.ERROR, "reminder_refused", user=self.uid, reminder=reminder_id)
                    user, effects = on_send_refused(self.user, reminder_id, self._now())
                    self._commit(user, self._effects(effects))
                elif self.user is not None and reason != "blocked":
                    self._commit(on_send_failed(self.user, reminder_id, self._now()), [])
            case Sent(tag=(tag, entry_id)) if tag == OUTBOX_TAG:
                self._delivered(entry_id)
            case SendFailed(tag=(tag, entry_id), reason=reason) if tag == OUTBOX_TAG:
                self._not_delivered(entry_id, reason)
            case UserBlocked():
                if self.user is not None and not self.user.unreachable:
                    event(log, logging.INFO, "user_unreachable", user=self.uid)
                    self._commit(replace(self.user, unreachable=True), [])
            case _Deferred(outgoing=outgoing):
                self._release(list(outgoing))
            case Sent() | SendFailed():
                pass
            case _:
                log.warning("user actor ignored %s", type(message).__name__)

    def _loaded(self, message: UserLoaded) -> None:
        self.loaded = True
        if message.failed:
            self.broken = message.failed
            event(log, logging.ERROR, "user_unreadable", user=self.uid)
            return
        self.user = self.saved = message.user
        if self.user is None:
            return
        if self.user.extra.get(BOOT) != self.deps.boot:
            self._after_restart()
        self._wake()  # catch up on whatever came due while this user was not in memory

    def _after_restart(self) -> None:
        """The record was last saved by another run of the process: what was on its way then
        (a reminder, the replies in the outbox) may never have left, so it goes now. (Within
        one run, an actor passivated with a send in flight hears how it ended when it is
        started again, so nothing is sent twice.)"""
        assert self.user is not None
        now = self._now()
        self.user, owed = still_owed(resume_unsent(self.user, now), now)
        for entry in owed:
            self.deps.telegram.tell(owed_message(entry, self.deps.users))
        if owed:
            event(log, logging.INFO, "outbox_resent", user=self.uid, messages=len(owed))

    def unhandled(self) -> list[Any]:
        held = [_Deferred(tuple(outgoing)) for _, outgoing in self.after_save]
        return [*held, *self.stash]

    def dropped(self, message: Any) -> None:
        if isinstance(message, Inbound):
            self._report_handled([message.update_id])  # a message that crashes us is not retried
        match message:
            case InboundText(chat_id=chat, language_code=code) | InboundOther(
                chat_id=chat, language_code=code
            ):
                self._say_now(chat, texts.internal_error(self._lang(code)))
            case InboundCallback(callback_id=callback_id, language_code=code):
                self.deps.telegram.tell(
                    AnswerCallback(callback_id, texts.internal_error(self._lang(code)).text[:190])
                )

    # --- time -------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return from_timestamp(self.deps.now())

    def _lang(self, code: str | None = None) -> str:
        if self.user is not None:
            return self.user.lang
        return texts.lang_for_code(code)

    # --- text -------------------------------------------------------------------------------
    def _text(self, message: InboundText) -> None:
        now = self._now()
        chat = message.chat_id
        if self.broken:
            self._say(chat, texts.record_unreadable(self._lang(message.language_code)))
            return
        if not self._admitted(chat, message.language_code):
            return
        welcome: list[Any] = []
        if self.user is None:
            self.user = self._new_user(message, now)
            welcome = [self._send(chat, self._welcome(now))]
            event(log, logging.INFO, "user_created", user=self.uid)
        elif self.user.unreachable:
            self.user = replace(self.user, unreachable=False)
            event(log, logging.INFO, "user_reachable", user=self.uid)
        text = message.text.strip()
        head = text.split(maxsplit=1)[0].lower() if text else ""
        head = head.split("@", 1)[0]
        if head == "/start":
            self._commit(self.user, welcome or [self._send(chat, self._welcome(now))])
            return
        if head == "/delete_me":
            self._ask_delete(chat, welcome)
            return
        if head in SLASH_COMMANDS:
            self._execute(SLASH_COMMANDS[head], chat, now, welcome)
            return
        parsed = parse(text)
        if head.startswith("/") and not isinstance(parsed.command, (SetLanguage, Undo)):
            self._execute(Unknown(), chat, now, welcome)
            return
        if not isinstance(parsed.command, Unknown):
            self.user = follow_writing(self.user, parsed.lang)
        self.reply_lang = reply_language(self.user, parsed.lang)
        try:
            self._take_text(message, parsed, text, now, welcome)
        finally:
            self.reply_lang = None

    def _take_text(self, message: InboundText, parsed: ParseResult, text: str, now: datetime,
                   welcome: list[Any]) -> None:
        assert self.user is not None
        chat = message.chat_id
        self.user, command = take_text(self.user, parsed, now, text)
        answered_question = command is not parsed.command
        if parsed.needs_llm and not answered_question and self._llm_allowed(now):
            self._ask_llm(message, parsed, now, welcome)
            return
        if parsed.confirm and not answered_question and isinstance(command, Add):
            self._ask_to_confirm(command, chat, now, welcome)
            return
        guess = best_guess(text) if parsed.needs_llm and not answered_question else None
        if guess is not None:
            self._ask_to_confirm(guess, chat, now, welcome)  # offline: propose, never "not understood"
            return
        self._execute(command, chat, now, welcome)

    def _ask_to_confirm(self, command: Add, chat: int, now: datetime, before: list[Any]) -> None:
        """A reading the parser is not sure of: ask before applying it."""
        assert self.user is not None
        question = confirm_question(self.user, command, Today.of(self.user.tz, now))
        self.user, result = remember(self.user, question, now)
        self._commit(self.user, [*before, self._send(chat, texts.render(result, self._reply_lang()))])

    def _reply_lang(self) -> str:
        assert self.user is not None
        return self.reply_lang or self.user.lang

    def _new_user(self, message: InboundText, now: datetime) -> User:
        lang = self._lang(message.language_code)
        return new_user(self.uid, lang, self.settings.default_tz, utc_iso(now))  # type: ignore[arg-type]

    def _welcome(self, now: datetime) -> Reply:
        assert self.user is not None
        local = hhmm(local_datetime(self.user.tz, now))
        return texts.welcome(self.user.lang, self.user.tz, local)

    def _execute(self, command: Command, chat: int, now: datetime, before: list[Any]) -> None:
        assert self.user is not None
        if isinstance(command, Stats):
            self._commit(self.user, [*before, self._send(chat, render_stats(self.user, now))])
            return
        outcome = apply(self.user, command, now)
        user, effects = reconcile(self.user, outcome.user)
        planned = plan(user, now, self.repeat)
        user, result = remember(planned.user, outcome.result, now)
        planned = replace(planned, user=user)
        chosen = isinstance(command, SetLanguage) and command.lang is not None
        reply = texts.render(result, user.lang if chosen else self.reply_lang or user.lang)
        outgoing = [*before, self._send(chat, reply), *self._effects(effects), *self._effects(planned.effects)]
        event(log, logging.INFO, "command", user=self.uid, command=type(command).__name__)
        self._commit(planned.user, outgoing, planned.next_wake)

    # --- buttons ----------------------------------------------------------------------------
    def _admitted(self, chat: int, code: str | None, callback_id: str | None = None) -> bool:
        """Whether the person's per-minute allowance covers one more message or press. The
        first one over it is told to wait (a press in its answer); the rest get nothing, so a
        flood from one person costs Telegram's limits, and everyone else, nothing."""
        if self.bucket.take(self.deps.now()):
            self.rate_noticed = False
            return True
        if not self.rate_noticed:
            self.rate_noticed = True
            notice = texts.rate_limited(self._lang(code))
            if callback_id is None:
                self._say(chat, notice)
            else:
                self.deps.telegram.tell(AnswerCallback(callback_id, notice.text[:190]))
        return False

    def _callback(self, message: InboundCallback) -> None:
        if not self._admitted(message.chat_id, message.language_code, message.callback_id):
            return
        now = self._now()
        data = message.data
        answer = AnswerCallback(message.callback_id)
        if self.user is None or self.broken:
            self.deps.telegram.tell(
                AnswerCallback(message.callback_id, texts.stale_button(self._lang(message.language_code)))
            )
            return
        if data.startswith(DELETE_ME_YES) or data == DELETE_ME_NO:
            self._delete_me(message, now)
            return
        if is_course_end_data(data):
            command = course_end_press(self.user, data, now)
            if command is None:
                self._commit(self.user, [AnswerCallback(message.callback_id, texts.stale_button(self.user.lang))])
            else:
                self._execute(command, message.chat_id, now, [answer])
            return
        if is_option_data(data):
            self.user, command = take_press(self.user, data, now)
            if command is None:
                self._commit(self.user, [
                    AnswerCallback(message.callback_id, texts.stale_button(self.user.lang))
                ])
                return
            self._execute(command, message.chat_id, now, [answer])
            return
        outcome = press(self.user, data, now)
        planned = plan(outcome.user, now, self.repeat)
        outgoing = [
            AnswerCallback(message.callback_id, outcome.answer_text[:190]),
            *self._effects(outcome.effects),
            *self._effects(planned.effects),
        ]
        self._commit(planned.user, outgoing, planned.next_wake)

    # --- /delete_me -------------------------------------------------------------------------
    def _ask_delete(self, chat: int, before: list[Any]) -> None:
        assert self.user is not None
        self.delete_nonce = secrets.token_hex(4)
        question = texts.delete_me_confirm(
            self.user.lang, DELETE_ME_YES + self.delete_nonce, DELETE_ME_NO
        )
        self._commit(self.user, [*before, self._send(chat, question)])

    def _delete_me(self, message: InboundCallback, now: datetime) -> None:
        assert self.user is not None
        lang = self.user.lang
        nonce = message.data[len(DELETE_ME_YES):] if message.data.startswith(DELETE_ME_YES) else None
        if nonce is None or nonce != self.delete_nonce:
            self.delete_nonce = None
            self._commit(self.user, [
                AnswerCallback(message.callback_id),
                self._send(message.chat_id, texts.delete_me_cancelled(lang)),
            ])
            return
        self.delete_nonce = None
        stale_messages = [
            DeleteMessage(self.uid, reminder.message_id)
            for reminder in self.user.reminders if reminder.message_id is not None
        ]
        event(log, logging.INFO, "user_erased", user=self.uid)
        self.user = self.saved = None
        self.unarchived = []  # the erase removes the archive as well
        self.deps.clock.tell(CancelTimer(("wake", self.uid)))
        seq = next(_save_numbers)
        self.unacked.append(seq)
        self.handling_saved = True
        self.handled_after[seq] = [message.update_id] if message.update_id is not None else []
        self.deps.persistence.tell(SaveUser(
            self.uid, None, None, seq, self.deps.users, urgent=True,
            then=(
                AnswerCallback(message.callback_id),
                *stale_messages,
                self._send(message.chat_id, texts.delete_me_done(lang)),
            ),
        ))

    # --- LLM --------------------------------------------------------------------------------
    def _llm_allowed(self, now: datetime) -> bool:
        if not self.settings.llm_configured or self.user is None:
            return False
        day = local_datetime(self.user.tz, now).date().isoformat()
        usage = self.user.extra.get("llm", {})
        used = usage.get("count", 0) if usage.get("day") == day else 0
        if used >= self.settings.llm_per_user_per_day:
            return False
        self.user = replace(self.user, extra={**self.user.extra, "llm": {"day": day, "count": used + 1}})
        return True

    def _ask_llm(self, message: InboundText, parsed: ParseResult, now: datetime, before: list[Any]) -> None:
        assert self.user is not None
        request_id = next(self.llm_requests)
        self.llm_wait = _LLMWait(request_id, message, parsed, self.reply_lang)
        if before:
            self._commit(self.user, before)
        schedule = tuple(
            ScheduleEntry(med.id, med.name, med.dosage, med.times) for med in self.user.medications
        )
        self.deps.llm.tell(LLMRequest(
            self.uid, request_id, message.text, self.user.lang, schedule, self.deps.users,
            timezone=self.user.tz,
        ))
        # A safety net only: the LLM actor always answers within longest_wait.
        deadline = self.deps.now() + longest_wait(self.settings) + 10
        self.deps.clock.tell(SetTimer(
            ("llm", self.uid), deadline, self.deps.users, LLMDeadline(self.uid, request_id)
        ))

    def _llm_done(self, message: LLMAnswer | LLMDeadline) -> None:
        wait = self.llm_wait
        assert wait is not None
        if message.request_id != wait.request_id:
            return
        self.llm_wait = None
        self.deps.clock.tell(CancelTimer(("llm", self.uid)))
        now = self._now()
        chat = wait.message.chat_id
        self.reply_lang = wait.reply_lang
        try:
            self._handle(wait.message, lambda: self._after_llm(message, wait, chat, now))
        finally:
            self.reply_lang = None

    def _after_llm(self, message: LLMAnswer | LLMDeadline, wait: _LLMWait, chat: int, now: datetime) -> None:
        if isinstance(message, LLMAnswer) and message.result is not None:
            event(log, logging.INFO, "llm_answer", user=self.uid)
            self._execute(message.result.command, chat, now, [])
            return
        error = message.error if isinstance(message, LLMAnswer) else "timeout"
        event(log, logging.INFO, "llm_fallback", user=self.uid, reason=error)
        if not isinstance(wait.local.command, Unknown):
            self._execute(wait.local.command, chat, now, [])
        else:
            assert self.user is not None
            self._commit(self.user, [self._send(chat, texts.rephrase(self._reply_lang()))])

    # --- reminders --------------------------------------------------------------------------
    def _wake(self) -> None:
        if self.user is None or self.broken:
            return
        planned = plan(self.user, self._now(), self.repeat)
        self._commit(planned.user, self._effects(planned.effects), planned.next_wake)

    def _effects(self, effects: Iterable[Any]) -> list[Any]:
        messages: list[Any] = []
        for effect in effects:
            match effect:
                case SendReminder(reminder_id=reminder_id, reply=reply):
                    self.reminder_sends.add(reminder_id)
                    messages.append(SendMessage(
                        self.uid, reply.text, reply.buttons, Priority.REMINDER,
                        self.deps.users, (REMINDER_TAG, reminder_id),
                    ))
                case EditReminder(message_id=message_id, reply=reply):
                    messages.append(EditMessage(self.uid, message_id, reply.text, reply.buttons))
                case DeleteReminder(message_id=message_id):
                    messages.append(DeleteMessage(self.uid, message_id))
                case SendNotice(reply=reply):
                    messages.append(SendMessage(self.uid, reply.text, reply.buttons, Priority.REMINDER))
        return messages

    # --- saving and replying ----------------------------------------------------------------
    def _send(self, chat: int, reply: Reply) -> SendMessage:
        return SendMessage(chat, reply.text, reply.buttons)

    def _say(self, chat: int, reply: Reply) -> None:
        """A reply that changes nothing: still after any pending confirmation."""
        self._release([self._send(chat, reply)])

    def _say_now(self, chat: int, reply: Reply) -> None:
        self.deps.telegram.tell(self._send(chat, reply))

    def _commit(self, user: User, outgoing: list[Any], wake: Any = _COMPUTE, *, quiet: bool = False) -> None:
        """Make `user` the state, less the intakes old enough for the archive. If it differs
        from what was last handed to persistence, save it with `outgoing` in its outbox and
        the update being handled as applied, and let `outgoing` go once it is on disk;
        otherwise `outgoing` follows any pending confirmation. The wake-up timer follows the
        state (archiving never changes it: what `plan` looks at stays in the record). A
        `quiet` save only strikes messages off the outbox: later replies do not wait for it."""
        now = self._now()
        user, moved = split_history(user, now, self.settings.history_days)
        self.user = user
        unchanged = user == self.saved or self.saved is not None and without_streak(user) == without_streak(self.saved)
        if unchanged and not moved:
            self._release(outgoing)
            if wake is not _COMPUTE:
                self._arm_wake(wake)
            return
        if wake is _COMPUTE:
            wake = next_wake(user, now, self.repeat)
        seq = next(_save_numbers)
        if self.handling is not None and not self._waits_for_llm(self.handling):
            user = note_handled(user, _keys(self.handling))
            self.handling_saved = True
            if self.handling.update_id is not None:
                self.handled_after.setdefault(seq, []).append(self.handling.update_id)
        user, then = owing(user, outgoing, now, self.deps.users)
        if user.extra.get(BOOT) != self.deps.boot:
            user = replace(user, extra={**user.extra, BOOT: self.deps.boot})
        self.user = self.saved = user
        self.unacked.append(seq)
        if quiet:
            self.quiet.add(seq)
        if moved:
            self.unarchived.append((seq, moved))
        # While something is owed, the stored wake-up is now: after a crash the person's actor
        # is started at once and sends it.
        stored = wake if not user.outbox else now if wake is None else min(wake, now)
        self.deps.persistence.tell(SaveUser(
            self.uid, user, stored.timestamp() if stored is not None else None,
            seq, self.deps.users, then=tuple(then),
            archive=tuple(intake for _, intakes in self.unarchived for intake in intakes),
            urgent=self.handling is not None,
        ))
        self._arm_wake(wake)

    def _release(self, outgoing: list[Any]) -> None:
        if not outgoing:
            return
        confirming = next((seq for seq in reversed(self.unacked) if seq not in self.quiet), None)
        if confirming is not None:
            self.after_save.append((confirming, outgoing))
            return
        for message in outgoing:
            self.deps.telegram.tell(message)

    def _saved(self, seq: int, then: tuple[Any, ...]) -> None:
        # Replies held behind an earlier save go first: one commit may acknowledge several saves.
        while self.after_save and self.after_save[0][0] < seq:
            for message in self.after_save.popleft()[1]:
                self.deps.telegram.tell(message)
        for message in then:  # a crashed predecessor's too: this run sends them nowhere else
            self.deps.telegram.tell(message)
        if seq in self.unacked:
            while self.unacked[0] != seq:  # acknowledgements come in the order of the writes
                self.quiet.discard(self.unacked.popleft())
            self.quiet.discard(self.unacked.popleft())
            self.unarchived = [entry for entry in self.unarchived if entry[0] > seq]
        self._report_handled(self.handled_after.pop(seq, ()))
        while self.after_save and (not self.unacked or self.after_save[0][0] < self.unacked[0]):
            for message in self.after_save.popleft()[1]:
                self.deps.telegram.tell(message)

    # --- the outbox -------------------------------------------------------------------------
    def _delivered(self, entry_id: int) -> None:
        self.owed_retried.discard(entry_id)
        if self.user is not None:
            self._commit(settle(self.user, entry_id), [], quiet=True)

    def _not_delivered(self, entry_id: int, reason: str) -> None:
        """Telegram refused it, or the person blocked the bot: owed no more. Anything else
        (the Telegram actor crashed with it queued) is tried once more."""
        entry = next((e for e in self.user.outbox if e.id == entry_id), None) if self.user else None
        if entry is not None and reason == "error" and entry_id not in self.owed_retried:
            self.owed_retried.add(entry_id)
            self.deps.telegram.tell(owed_message(entry, self.deps.users))
            return
        self._delivered(entry_id)

    def _save_failed(self, message: SaveFailed) -> None:
        if message.seq not in self.unacked:
            return  # a predecessor's write: it restarted from disk already
        lang = self._lang()
        for outgoing in message.then:
            if isinstance(outgoing, SendMessage) and outgoing.priority == Priority.REPLY:
                self._say_now(outgoing.chat_id, texts.save_failed(lang))
                break
            if isinstance(outgoing, AnswerCallback):
                self.deps.telegram.tell(AnswerCallback(outgoing.callback_id, texts.save_failed(lang).text[:190]))
        raise StorageUnavailable(message.error)

    # --- timers and idleness ----------------------------------------------------------------
    def _arm_wake(self, wake: datetime | None) -> None:
        key = ("wake", self.uid)
        if wake is None:
            self.deps.clock.tell(CancelTimer(key))
        else:
            self.deps.clock.tell(SetTimer(key, wake.timestamp(), self.deps.users, Wake(self.uid)))

    def _arm_idle(self) -> None:
        self.deps.clock.tell(SetTimer(
            ("idle", self.uid), self.deps.now() + self.settings.user_idle_seconds,
            self.deps.users, IdleCheck(self.uid, self.epoch),
        ))

    def _busy(self) -> bool:
        """Sends on their way to Telegram do not count: the record says what is on its way, and
        how it ends comes back through the supervisor, which starts the actor again for it. So
        a burst of reminders waiting for Telegram's rate limit holds no actor slots."""
        return bool(self.unacked or self.llm_wait or self.stash or not self.loaded)

    def _idle_check(self, epoch: int) -> None:
        if epoch == PASSIVATE_NOW:
            self.passivation_wanted = True  # reported by `receive` once nothing is in hand
        elif epoch == self.epoch and not self._busy():
            self._report_idle()

    def _report_idle(self) -> None:
        self.passivation_wanted = False
        self.deps.clock.tell(CancelTimer(("idle", self.uid)))
        self.deps.users.tell(UserIdle(self.uid, self.epoch))

    def _passivate(self, epoch: int) -> None:
        """Stop only if nothing happened since we said we were idle: a Wake or a message may
        have slipped in between, and stopping with a save or a send in flight would lose track
        of it."""
        if epoch == self.epoch and not self._busy() and self.handle.pending() == 0:
            self.stop_now()
        else:
            self.deps.users.tell(StayAlive(self.uid))


def _keys(message: Inbound) -> tuple[str, ...]:
    """How the person's record knows this update once it has applied it."""
    return update_keys(message.update_id, getattr(message, "callback_id", None))
