"""A person's step: `step(state, event, now) -> (state, effects)`, pure.

The user actor keeps a `PersonState`, hands every event it receives to `step` with the time,
and performs the effects it gets back (`medbot.core.person.effects`). What arrives before the
record is loaded, while the LLM is asked, or (for a press) while a reminder is on its way is
stashed in the state and handled, in order, when it can be.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from medbot.core import texts
from medbot.core.family.home import at_home
from medbot.core.handled import already_handled
from medbot.core.model import User
from medbot.core.outbox import OUTBOX_TAG, owed_message, settle, still_owed
from medbot.core.outgoing import AnswerCallback, Priority, SendMessage
from medbot.core.person import care, family, flows, voice
from medbot.core.person.effects import Effect, Fail, Save, Send, StayAlive, StopIfNothingQueued
from medbot.core.person.events import (
    PASSIVATE_NOW,
    CareLinkChanged,
    CareRequest,
    Deferred,
    Heard,
    IdleCheck,
    LLMAnswer,
    LLMDeadline,
    Passivate,
    ProfileErase,
    ProfileHome,
    ProfilePress,
    ProfileText,
    SaveFailed,
    SendFailed,
    Sent,
    UserBlocked,
    UserLoaded,
    UserSaved,
    Wake,
)
from medbot.core.person.state import PersonState
from medbot.core.person.work import BOOT, Work, keys
from medbot.core.reminders import on_send_failed, on_send_refused, on_sent, resume_unsent
from medbot.core.updates import Inbound, InboundCallback, InboundOther, InboundText, InboundVoice


class StepCrashed(Exception):
    """A step failed on `message`: the state and effects as they were when it did, so the shell
    can perform what was already decided and drop exactly that message (`__cause__` says why)."""

    def __init__(self, message: Any, state: PersonState, effects: tuple[Effect, ...]) -> None:
        super().__init__(f"step failed on {type(message).__name__}")
        self.message = message
        self.state = state
        self.effects = effects


class _StorageFailed(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def step(state: PersonState, event: Any, now: float) -> tuple[PersonState, tuple[Effect, ...]]:
    """The next state and what to do, for one event at `now` (epoch seconds)."""
    w = Work(state, now)
    w.current = event
    try:
        _receive(w, event)
    except _StorageFailed as failed:
        w.effects.append(Fail(failed.error))
    except Exception as error:
        raise StepCrashed(w.current, w.frozen(state), _homed(w.effects, w.user or state.user)) from error
    return w.frozen(state), _homed(w.effects, w.user or state.user)


def _homed(effects: list[Effect], user: User | None) -> tuple[Effect, ...]:
    """A family member's messages, for the chat they really go to (see `medbot.core.family.home`)."""
    if user is None or user.owner is None:
        return tuple(effects)
    chat, name = user.home_chat or user.owner, user.name

    def homed(message: Any) -> Any:
        return at_home(message, user.id, chat, name)

    out: list[Effect] = []
    for effect in effects:
        match effect:
            case Send(message=message):
                out.append(Send(homed(message)))
            case Save(then=then):
                out.append(replace(effect, then=tuple(homed(message) for message in then)))
            case _:
                out.append(effect)
    return tuple(out)


def unhandled(state: PersonState) -> list[Any]:
    """What a crashed incarnation leaves its successor: replies it held back, then its stash."""
    held = [Deferred(tuple(outgoing)) for _, outgoing in state.after_save]
    return [*held, *state.stash]


def dropped(state: PersonState, message: Any) -> tuple[Effect, ...]:
    """The answer for a message whose handling crashed the step (it is not retried)."""
    w = Work(state, 0.0)
    if isinstance(message, Inbound):
        w.report_handled([message.update_id])
    match message:
        case InboundText(chat_id=chat, language_code=code) | InboundOther(chat_id=chat, language_code=code) \
                | InboundVoice(chat_id=chat, language_code=code):
            w.say_now(chat, texts.internal_error(w.lang(code)))
        case InboundCallback(callback_id=callback_id, language_code=code):
            w.tell(AnswerCallback(callback_id, texts.internal_error(w.lang(code)).text[:190]))
        case ProfilePress(callback_id=callback_id):
            w.tell(AnswerCallback(callback_id, texts.internal_error(w.lang()).text[:190]))
    return _homed(w.effects, state.user)


def _receive(w: Work, message: Any) -> None:
    match message:
        case UserLoaded():
            if not w.loaded:
                _loaded(w, message)
                _drain(w)
        case UserSaved(seq=seq, then=then):
            w.saved_on_disk(seq, then)
        case SaveFailed():
            _save_failed(w, message)
        case IdleCheck(epoch=epoch):
            _idle_check(w, epoch)
        case Passivate(epoch=epoch):
            _passivate(w, epoch)
        case Heard() | LLMDeadline() if w.llm_wait is not None and isinstance(w.llm_wait.message, InboundVoice):
            voice.transcribed(w, message, flows.read)
            _drain(w)
        case LLMAnswer() | LLMDeadline() if w.llm_wait is not None and isinstance(w.llm_wait.message, InboundText):
            flows.llm_done(w, message)
            _drain(w)
        case LLMAnswer() | LLMDeadline() | Heard():
            pass  # an answer nobody waits for any more (a fallback already answered)
        case Sent() | SendFailed() if w.loaded:
            _dispatch(w, message)  # never behind the stash: a stashed press may wait for it
            _drain(w)
        case _ if w.stash or _must_wait(w, message):
            w.stash.append(message)
        case _:
            _dispatch(w, message)
    if w.passivation_wanted and not w.busy():
        w.report_idle()


def _must_wait(w: Work, message: Any) -> bool:
    """Messages that cannot be handled yet: anything before the state is loaded or while the
    LLM is being asked; and a button press while a reminder is still on its way, since until
    Telegram says which message it is, the press could not update it in place."""
    if not w.loaded or w.llm_wait is not None:
        return True
    return isinstance(message, (InboundCallback, ProfilePress)) and bool(w.reminder_sends)


def _drain(w: Work) -> None:
    while w.stash and not _must_wait(w, w.stash[0]):
        _dispatch(w, w.stash.popleft())


def _dispatch(w: Work, message: Any) -> None:
    w.current = message  # a stashed message that crashes the step is the one dropped
    w.epoch += 1
    if isinstance(message, Inbound):
        _inbound(w, message)
    else:
        _internal(w, message)
    w.arm_idle()


def _inbound(w: Work, message: Inbound) -> None:
    """A person's update, once: one the record already reflects is not applied again."""
    if already_handled(w.user, keys(message)):
        w.log(logging.INFO, "update_duplicate", update=message.update_id)
        if isinstance(message, InboundCallback):
            w.tell(AnswerCallback(message.callback_id))
        w.report_handled([message.update_id])
        return
    w.handle(message, lambda: _internal(w, message))


def _internal(w: Work, message: Any) -> None:
    match message:
        case InboundText():
            flows.text(w, message)
        case InboundCallback():
            flows.callback(w, message)
        case InboundOther(chat_id=chat, language_code=code):
            if w.admitted(chat, code):
                w.say(chat, texts.non_text(w.lang(code)))
        case InboundVoice():
            voice.voice(w, message, flows.llm_allowed)
        case Wake():
            flows.wake(w)
        case Sent(tag=(tag, reminder_id), message_id=message_id) if tag == flows.REMINDER_TAG:
            w.reminder_sends.discard(reminder_id)
            w.log(logging.INFO, "reminder_sent", reminder=reminder_id)
            if w.user is not None:
                user, effects = on_sent(w.user, reminder_id, message_id)
                w.commit(user, flows.reminder_messages(w, effects))
        case SendFailed(tag=(tag, reminder_id), reason=reason) if tag == flows.REMINDER_TAG:
            w.reminder_sends.discard(reminder_id)
            if w.user is not None and reason == "bad_request":
                w.log(logging.ERROR, "reminder_refused", reminder=reminder_id)
                user, effects = on_send_refused(w.user, reminder_id, w.now())
                w.commit(user, flows.reminder_messages(w, effects))
            elif w.user is not None and reason != "blocked":
                w.commit(on_send_failed(w.user, reminder_id, w.now()), [])
            elif w.user is not None and family.in_group(w.user):
                family.group_lost(w, reminder_id, on_send_failed)  # the bot was removed from the family chat
        case Sent(tag=(tag, entry_id)) if tag == OUTBOX_TAG:
            _delivered(w, entry_id)
        case SendFailed(tag=(tag, entry_id), reason=reason) if tag == OUTBOX_TAG:
            _not_delivered(w, entry_id, reason)
        case UserBlocked():
            if w.user is not None and not w.user.unreachable:
                w.log(logging.INFO, "user_unreachable")
                w.commit(replace(w.user, unreachable=True), [])
        case Deferred(outgoing=outgoing):
            w.release(list(outgoing))
        case CareRequest():
            care.request(w, message, flows.planned, flows.applied)
        case CareLinkChanged():
            care.link_changed(w, message)
        case ProfileText():
            family.member_text(w, message, flows.text)
        case ProfilePress():
            family.member_press(w, message, flows.callback)
        case ProfileErase():
            family.member_erase(w, message, flows.erase)
        case ProfileHome():
            family.member_home(w, message)
        case Sent() | SendFailed():
            pass
        case _:
            w.log(logging.WARNING, "user_ignored", message=type(message).__name__)


def _loaded(w: Work, message: UserLoaded) -> None:
    w.loaded = True
    if message.failed:
        w.broken = message.failed
        w.log(logging.ERROR, "user_unreadable")
        return
    w.user = w.saved = message.user
    if w.user is None:
        return
    if w.user.extra.get(BOOT) != w.config.boot:
        _after_restart(w)
    flows.wake(w)  # catch up on whatever came due while this person was not in memory


def _after_restart(w: Work) -> None:
    """The record was last saved by another run of the process: what was on its way then (a
    reminder, the replies in the outbox) may never have left, so it goes now. (Within one run,
    an actor passivated with a send in flight hears how it ended when it is started again, so
    nothing is sent twice.)"""
    assert w.user is not None
    now = w.now()
    w.user, owed = still_owed(resume_unsent(w.user, now), now)
    for entry in owed:
        w.tell(owed_message(entry, w.uid))
    if owed:
        w.log(logging.INFO, "outbox_resent", messages=len(owed))


# --- the outbox -----------------------------------------------------------------------------
def _delivered(w: Work, entry_id: int) -> None:
    w.owed_retried.discard(entry_id)
    if w.user is not None:
        w.commit(settle(w.user, entry_id), [], quiet=True)


def _not_delivered(w: Work, entry_id: int, reason: str) -> None:
    """Telegram refused it, or the person blocked the bot: owed no more. Anything else (the
    Telegram actor crashed with it queued) is tried once more."""
    entry = next((e for e in w.user.outbox if e.id == entry_id), None) if w.user else None
    if entry is not None and reason == "blocked" and entry.chat_id != w.uid:
        care.caregiver_blocked(w, entry.chat_id)  # a caregiver blocked the bot: the patient hears of it
    if entry is not None and reason == "error" and entry_id not in w.owed_retried:
        w.owed_retried.add(entry_id)
        w.tell(owed_message(entry, w.uid))
        return
    _delivered(w, entry_id)


def _save_failed(w: Work, message: SaveFailed) -> None:
    if message.seq not in w.unacked:
        return  # a predecessor's write: it restarted from disk already
    lang = w.lang()
    for outgoing in message.then:
        if isinstance(outgoing, SendMessage) and outgoing.priority == Priority.REPLY:
            w.say_now(outgoing.chat_id, texts.save_failed(lang))
            break
        if isinstance(outgoing, AnswerCallback):
            w.tell(AnswerCallback(outgoing.callback_id, texts.save_failed(lang).text[:190]))
    raise _StorageFailed(message.error)


# --- idleness -------------------------------------------------------------------------------
def _idle_check(w: Work, epoch: int) -> None:
    if epoch == PASSIVATE_NOW:
        w.passivation_wanted = True  # reported at the end of the step once nothing is in hand
    elif epoch == w.epoch and not w.busy():
        w.report_idle()


def _passivate(w: Work, epoch: int) -> None:
    """Stop only if nothing happened since we said we were idle: a Wake or a message may have
    slipped in between, and stopping with a save or a send in flight would lose track of it.
    (The shell also checks that no message waits in the mailbox.)"""
    if epoch == w.epoch and not w.busy():
        w.effects.append(StopIfNothingQueued())
    else:
        w.effects.append(StayAlive())


