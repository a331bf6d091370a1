"""What a person's messages, presses and wake-ups do: parse, apply, plan, render, save.

Each flow works on one step's `Work` (`medbot.core.person.work`) and leaves effects there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from medbot.core import texts
from medbot.core.apply import apply
from medbot.core.apply_rules import Today, confirm_question
from medbot.core.care.buttons import is_care_data
from medbot.core.care.escalation import earliest, follow_up, next_alert
from medbot.core.care.phrases import care_ask, care_view
from medbot.core.commands import (
    Add,
    Agenda,
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
from medbot.core.due import plan
from medbot.core.effects import DeleteReminder, EditReminder, SendNotice, SendReminder
from medbot.core.language import follow_writing, reply_language
from medbot.core.llm_schema import ScheduleEntry
from medbot.core.model import User, new_user
from medbot.core.nlu import parse
from medbot.core.nlu.guess import best_guess
from medbot.core.nlu.normalize import script_of
from medbot.core.outgoing import AnswerCallback, DeleteMessage, EditMessage, Priority, SendMessage, SendReport
from medbot.core.pending import is_option_data, remember, take_press, take_text
from medbot.core.person import care, family, voice
from medbot.core.person.effects import ArmTimer, AskLLM, DisarmTimer, Save
from medbot.core.person.events import LLMAnswer, LLMDeadline
from medbot.core.person.family import is_owner_data
from medbot.core.person.preview import previewed
from medbot.core.person.state import LLMWait
from medbot.core.person.work import Work, send
from medbot.core.reminders import press, reconcile
from medbot.core.report import DEFAULT_DAYS, asked_days, build_report
from medbot.core.results import Result
from medbot.core.stock import after_intakes
from medbot.core.texts.stats import render_stats
from medbot.core.texts.stock import refill
from medbot.core.tz import hhmm, local_datetime, utc_iso
from medbot.core.updates import InboundCallback, InboundText
from medbot.core.view import Reply

REMINDER_TAG = "reminder"
DELETE_ME_YES = "dm:yes:"
DELETE_ME_NO = "dm:no"
SLASH_COMMANDS: dict[str, Command] = {
    "/help": Help(),
    "/list": ListSchedule(),
    "/stats": Stats(),
}


# --- text -----------------------------------------------------------------------------------
def text(w: Work, message: InboundText, family_routing: bool = True) -> None:
    """A typed message. `family_routing` False: the sender said it is their own, not a family
    member's ("Нет, это моё")."""
    if w.broken:
        w.say(message.chat_id, texts.record_unreadable(w.lang(message.language_code)))
        return
    if w.admitted(message.chat_id, message.language_code):
        read(w, message, family_routing)


def read(w: Work, message: InboundText, family_routing: bool = True) -> None:
    """A typed message (or a voice message's transcript) once it was admitted."""
    now = w.now()
    chat = message.chat_id
    if chat != message.user_id:
        family.group_text(w, message)  # a family group chat
        return
    welcome: list[Any] = []
    if w.user is None:
        w.user = new_user(w.uid, w.lang(message.language_code), w.config.default_tz,  # type: ignore[arg-type]
                          utc_iso(now))
        welcome = [send(chat, _welcome(w, now))]
        w.log(logging.INFO, "user_created")
    elif w.user.unreachable:
        w.user = replace(w.user, unreachable=False)
        w.log(logging.INFO, "user_reachable")
        care.back(w)  # a caregiver who had blocked the bot gets alerts again
    if message.first_name and message.first_name != w.user.name:
        w.user = replace(w.user, name=message.first_name)  # what their caregivers read
    typed = message.text.strip()
    head = typed.split(maxsplit=1)[0].lower() if typed else ""
    head = head.split("@", 1)[0]
    if head == "/start":
        argument = typed.split(maxsplit=1)[1] if " " in typed else ""
        if argument and care.start_link(w, message, argument):
            return  # an invitation link: the invitation is the greeting
        w.commit(w.user, welcome or [send(chat, _welcome(w, now))])
        return
    if head == "/delete_me":
        _ask_delete(w, chat, welcome)
        return
    if head in SLASH_COMMANDS:
        execute(w, SLASH_COMMANDS[head], chat, now, welcome)
        return
    report_days = asked_days(typed)
    if report_days is not None:  # "/report", "отчёт для врача": the PDF, drawn by the shell
        days = min(report_days, w.config.history_days)
        w.log(logging.INFO, "report", days=days)
        w.commit(w.user, [*welcome, SendReport(chat, build_report(w.user, w.user.history, now, days))])
        return
    if family_routing and family.for_member(w, message, typed, welcome):
        return
    parsed = parse(typed)
    asked = None
    if w.user.owner is None:  # a family member's record has no caregivers of its own
        asked = care_ask(typed) or (care_view(typed, w.user.caring_for) if _asks_only(parsed, typed) else None)
    if asked is not None:
        w.reply_lang = reply_language(w.user, None if head.startswith("/") else script_of(typed))
        try:
            care.asked(w, message, asked, welcome)
        finally:
            w.reply_lang = None
        return
    if head.startswith("/") and not isinstance(parsed.command, (SetLanguage, Undo)):
        execute(w, Unknown(), chat, now, welcome)
        return
    if not isinstance(parsed.command, Unknown):
        w.user = follow_writing(w.user, parsed.lang)
    w.reply_lang = reply_language(w.user, parsed.lang)
    try:
        _take_text(w, message, parsed, typed, now, welcome)
    finally:
        w.reply_lang = None


def _asks_only(parsed: ParseResult, typed: str) -> bool:
    """A question about a schedule, never a change someone asked for ("мама пьёт таблетки
    утром" is not read here, even unread)."""
    if isinstance(parsed.command, Unknown):
        return typed.rstrip().endswith("?") and not parsed.needs_llm
    return isinstance(parsed.command, (ListSchedule, Agenda, Stats))


def _take_text(w: Work, message: InboundText, parsed: ParseResult, typed: str, now: datetime,
               welcome: list[Any]) -> None:
    assert w.user is not None
    chat = message.chat_id
    w.user, command = take_text(w.user, parsed, now, typed)
    answered_question = command is not parsed.command
    if parsed.needs_llm and not answered_question and llm_allowed(w, now):
        _ask_llm(w, message, parsed, welcome)
        return
    if parsed.confirm and not answered_question and isinstance(command, Add):
        _ask_to_confirm(w, command, chat, now, welcome)
        return
    if parsed.confirm and not answered_question and previewed(w, command, chat, now, welcome, "unsure"):
        return  # "поменяй аспирин на 10": ten o'clock or ten milligrams? shown, then asked
    guess = best_guess(typed) if parsed.needs_llm and not answered_question else None
    if guess is not None:
        _ask_to_confirm(w, guess, chat, now, welcome)  # offline: propose, never "not understood"
        return
    execute(w, command, chat, now, welcome)


def _ask_to_confirm(w: Work, command: Add, chat: int, now: datetime, before: list[Any]) -> None:
    """A reading the parser is not sure of: ask before applying it."""
    assert w.user is not None
    question = confirm_question(w.user, command, Today.of(w.user.tz, now))
    w.user, result = remember(w.user, question, now)
    w.commit(w.user, [*before, send(chat, texts.render(result, w.reply_language()))])


def _welcome(w: Work, now: datetime) -> Reply:
    assert w.user is not None
    local = hhmm(local_datetime(w.user.tz, now))
    return texts.welcome(w.user.lang, w.user.tz, local)


def execute(w: Work, command: Command, chat: int, now: datetime, before: list[Any]) -> None:
    assert w.user is not None
    if isinstance(command, Stats):
        chart = build_report(w.user, w.user.history, now, DEFAULT_DAYS)
        pictured = [SendReport(chat, chart, as_chart=True)] if chart.total.total else []  # nothing ended: no chart
        w.commit(w.user, [*before, send(chat, render_stats(w.user, now)), *pictured])
        return
    if voice.confirm_first(w, command, chat, now, before):
        return
    user, result, following, wake = applied(w, w.user, command, now)
    user, result = remember(user, result, now)
    chosen = isinstance(command, SetLanguage) and command.lang is not None
    reply = texts.render(result, user.lang if chosen else w.reply_lang or user.lang)
    outgoing = [*before, send(chat, reply), *following]
    w.log(logging.INFO, "command", command=type(command).__name__)
    w.commit(user, outgoing, wake)


def applied(w: Work, user: User, command: Command, now: datetime) -> tuple[User, Result, list[Any], datetime | None]:
    """A command applied to `user` and planned after: the new state, the result to show, the
    messages it calls for (reminders brought in line, the reminder clock's, caregivers'), and
    when to look again."""
    outcome = apply(user, command, now)
    user, effects = reconcile(user, outcome.user)
    user, following, wake = planned(w, user, now)
    return user, outcome.result, [*reminder_messages(w, effects), *following], wake


# --- buttons --------------------------------------------------------------------------------
def callback(w: Work, message: InboundCallback) -> None:
    if not w.admitted(message.chat_id, message.language_code, message.callback_id):
        return
    now = w.now()
    data = message.data
    answer = AnswerCallback(message.callback_id)
    if message.chat_id != message.user_id:
        family.group_press(w, message)  # a family group chat: the presser may have no record at all
        return
    if w.user is None or w.broken:
        w.tell(AnswerCallback(message.callback_id, texts.stale_button(w.lang(message.language_code))))
        return
    if data.startswith(DELETE_ME_YES) or data == DELETE_ME_NO:
        _delete_me(w, message)
        return
    if is_care_data(data):
        care.press(w, message)
        return
    if is_owner_data(data) and w.user.owner is None:
        family.owner_press(w, message, own_text)
        return
    if is_course_end_data(data):
        command = course_end_press(w.user, data, now)
        if command is None:
            w.commit(w.user, [AnswerCallback(message.callback_id, texts.stale_button(w.user.lang))])
        else:
            execute(w, command, message.chat_id, now, [answer])
        return
    if is_option_data(data):
        w.user, chosen = take_press(w.user, data, now)
        if chosen is None:
            w.commit(w.user, [AnswerCallback(message.callback_id, texts.stale_button(w.user.lang))])
            return
        execute(w, chosen, message.chat_id, now, [answer])
        return
    outcome = press(w.user, data, now, w.pressed_by)
    user, following, wake = planned(w, outcome.user, now)
    outgoing = [
        AnswerCallback(message.callback_id, outcome.answer_text[:190]),
        *reminder_messages(w, outcome.effects),
        *following,
    ]
    w.commit(user, outgoing, wake)


def own_text(w: Work, message: InboundText) -> None:
    """A message the person confirmed is about their own schedule."""
    text(w, message, family_routing=False)


# --- /delete_me -----------------------------------------------------------------------------
def _ask_delete(w: Work, chat: int, before: list[Any]) -> None:
    assert w.user is not None
    w.delete_nonce = w.one_time()
    question = texts.delete_me_confirm(w.user.lang, DELETE_ME_YES + w.delete_nonce, DELETE_ME_NO)
    w.commit(w.user, [*before, send(chat, question)])


def _delete_me(w: Work, message: InboundCallback) -> None:
    assert w.user is not None
    lang = w.user.lang
    nonce = message.data[len(DELETE_ME_YES):] if message.data.startswith(DELETE_ME_YES) else None
    if nonce is None or nonce != w.delete_nonce:
        w.delete_nonce = None
        w.commit(w.user, [
            AnswerCallback(message.callback_id),
            send(message.chat_id, texts.delete_me_cancelled(lang)),
        ])
        return
    w.delete_nonce = None
    to_others, events = care.erased(w)
    w.effects.extend(events)
    w.effects.extend(family.erased(w))
    erase(w, message.update_id, (AnswerCallback(message.callback_id),),
          (send(message.chat_id, texts.delete_me_done(lang)), *to_others))


def erase(w: Work, update_id: int | None, first: tuple[Any, ...], then: tuple[Any, ...]) -> None:
    """Erase the person's record (and archive); `first`, the reminders' messages and `then`
    go once it is done."""
    assert w.user is not None
    stale_messages = [
        DeleteMessage(w.uid, reminder.message_id)
        for reminder in w.user.reminders if reminder.message_id is not None
    ]
    w.log(logging.INFO, "user_erased")
    w.user = w.saved = None
    w.unarchived = []  # the erase removes the archive as well
    w.effects.append(DisarmTimer(("wake", w.uid)))
    seq = w.take_seq()
    w.unacked.append(seq)
    w.handling_saved = True
    w.handled_after[seq] = [update_id] if update_id is not None else []
    w.effects.append(Save(None, None, seq, urgent=True, then=(*first, *stale_messages, *then)))


# --- the LLM --------------------------------------------------------------------------------
def llm_allowed(w: Work, now: datetime) -> bool:
    if not w.config.llm_configured or w.user is None:
        return False
    day = local_datetime(w.user.tz, now).date().isoformat()
    usage = w.user.extra.get("llm", {})
    used = usage.get("count", 0) if usage.get("day") == day else 0
    if used >= w.config.llm_per_day:
        return False
    w.user = replace(w.user, extra={**w.user.extra, "llm": {"day": day, "count": used + 1}})
    return True


def _ask_llm(w: Work, message: InboundText, parsed: ParseResult, before: list[Any]) -> None:
    assert w.user is not None
    request_id = w.next_llm_request
    w.next_llm_request += 1
    w.llm_wait = LLMWait(request_id, message, parsed, w.reply_lang, w.heard)
    if before:
        w.commit(w.user, before)
    schedule = tuple(
        ScheduleEntry(med.id, med.name, med.dosage, med.times) for med in w.user.medications
    )
    w.effects.append(AskLLM(request_id, message.text, w.user.lang, schedule, w.user.tz))
    # A safety net only: the LLM actor always answers within its longest wait.
    deadline = w.clock + w.config.llm_deadline_seconds
    w.effects.append(ArmTimer(("llm", w.uid), deadline, LLMDeadline(w.uid, request_id)))


def llm_done(w: Work, message: LLMAnswer | LLMDeadline) -> None:
    wait = w.llm_wait
    assert wait is not None
    if message.request_id != wait.request_id:
        return
    w.llm_wait = None
    w.effects.append(DisarmTimer(("llm", w.uid)))
    now = w.now()
    chat = wait.message.chat_id
    w.reply_lang, w.heard = wait.reply_lang, wait.heard
    try:
        w.handle(wait.message, lambda: _after_llm(w, message, wait, chat, now))
    finally:
        w.reply_lang, w.heard = None, None


def _after_llm(w: Work, message: LLMAnswer | LLMDeadline, wait: LLMWait, chat: int, now: datetime) -> None:
    if isinstance(message, LLMAnswer) and message.result is not None:
        w.log(logging.INFO, "llm_answer")
        execute(w, message.result.command, chat, now, [])
        return
    error = message.error if isinstance(message, LLMAnswer) else "timeout"
    w.log(logging.INFO, "llm_fallback", reason=error)
    assert wait.local is not None
    if not isinstance(wait.local.command, Unknown):
        execute(w, wait.local.command, chat, now, [])
    else:
        assert w.user is not None
        w.commit(w.user, [send(chat, texts.rephrase(w.reply_language()))])


# --- reminders ------------------------------------------------------------------------------
def wake(w: Work) -> None:
    if w.user is None or w.broken:
        return
    user, outgoing, wake_at = planned(w, w.user, w.now())
    w.commit(user, outgoing, wake_at)


def planned(w: Work, user: User, now: datetime) -> tuple[User, list[Any], datetime | None]:
    """The reminder clock and the caregivers' alerts at `now`: the new state, the messages it
    calls for, and when to look again."""
    user, refills = after_intakes(w.saved, user, local_datetime(user.tz, now).date())  # pills counted off
    plan_now = plan(user, now, w.config.repeat)
    user, notes = follow_up(plan_now.user, now, w.config.caregiver_minutes)
    wake_at = earliest(plan_now.next_wake, next_alert(user, now, w.config.caregiver_minutes))
    warned = [send(w.uid, refill(user.lang, warning)) for warning in refills]
    return user, [*reminder_messages(w, plan_now.effects), *warned,
                  *(care.to_caregiver(chat, reply) for chat, reply in notes)], wake_at


def reminder_messages(w: Work, effects: Iterable[Any]) -> list[Any]:
    messages: list[Any] = []
    for effect in effects:
        match effect:
            case SendReminder(reminder_id=reminder_id, reply=reply):
                w.reminder_sends.add(reminder_id)
                messages.append(SendMessage(
                    w.uid, reply.text, reply.buttons, Priority.REMINDER, tag=(REMINDER_TAG, reminder_id),
                ))
            case EditReminder(message_id=message_id, reply=reply):
                messages.append(EditMessage(w.uid, message_id, reply.text, reply.buttons))
            case DeleteReminder(message_id=message_id):
                messages.append(DeleteMessage(w.uid, message_id))
            case SendNotice(reply=reply):
                messages.append(SendMessage(w.uid, reply.text, reply.buttons, Priority.REMINDER))
    return messages

