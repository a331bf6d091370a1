"""What caregiver features do in a person's step, on both sides of a link.

On the patient's side: /caregiver makes an invitation, a caregiver's requests are checked
against the patient's own links and answered, and a caregiver who blocked the bot is reported
once. On the caregiver's side: an invitation link, a button or a question is passed on to the
patient's actor (`ToPerson`), and the copy of the links follows the patient's word. A request
never changes the asker's record, and only the patient's record says what may be seen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from medbot.core.apply import apply
from medbot.core.care import links
from medbot.core.care.buttons import decode, granted, removed_caregiver
from medbot.core.care.escalation import alert_minutes, called, remind_again
from medbot.core.care.phrases import CareAsk
from medbot.core.commands import (
    Add,
    Agenda,
    Command,
    Delete,
    Done,
    DoseChange,
    ListSchedule,
    RegimenChange,
    TimeChange,
    TimezoneChange,
)
from medbot.core.commands import Pause as PauseCommand
from medbot.core.model import CaregiverLink, User
from medbot.core.nlu import parse
from medbot.core.outgoing import AnswerCallback, Priority, SendMessage
from medbot.core.person.effects import ToPerson
from medbot.core.person.events import CareLinkChanged, CareRequest
from medbot.core.person.work import Work, send
from medbot.core.results import Clarify, Result
from medbot.core.texts import care as texts
from medbot.core.texts import render
from medbot.core.texts.fixed import stale_button
from medbot.core.texts.stats import render_stats
from medbot.core.updates import InboundCallback, InboundText
from medbot.core.view import Reply

Planner = Callable[[Work, User, datetime], tuple[User, list[Any], datetime | None]]
"""flows' `planned`: the state after planning, the messages it calls for (reminders and
caregivers'), the next wake-up. Passed in, so this module does not import the flows that
import it."""


Applier = Callable[[Work, User, Command, datetime], tuple[User, Result, list[Any], datetime | None]]
"""flows' `applied`: a command applied and planned after, as a person's own command is."""
_MANAGED = (Add, Delete, TimeChange, DoseChange, RegimenChange, PauseCommand, Done, TimezoneChange, ListSchedule, Agenda)
"""What a caregiver with the grant may ask of the patient's schedule (no undo, no language)."""


def to_caregiver(chat: int, reply: Reply) -> SendMessage:
    """A message for a caregiver's chat: at reminder priority, owed until delivered."""
    return SendMessage(chat, reply.text, reply.buttons, Priority.REMINDER)


# --- the caregiver's side: what is passed on ------------------------------------------------------


def start_link(w: Work, message: InboundText, argument: str) -> bool:
    """"/start c1a2_..." from an invitation link: ask the patient's actor. False when the
    argument is no invitation (then it is a plain /start)."""
    assert w.user is not None
    found = links.read_token(argument)
    if found is None:
        return False
    patient, secret = found
    if patient == w.uid:
        w.commit(w.user, [send(message.chat_id, texts.invite_problem(w.user.lang, "self"))])
        return True
    w.commit(w.user, [])
    w.effects.append(ToPerson(CareRequest(patient, w.uid, "open", secret, w.user.name, w.user.lang)))
    w.log(logging.INFO, "care_invite_opened")
    return True


def press(w: Work, message: InboundCallback) -> None:
    """A caregiver button: the patient's own "remove" or grant, or anything else, passed to the patient."""
    assert w.user is not None
    removed = removed_caregiver(message.data)
    if removed is not None:
        _remove(w, removed, message.callback_id)
        return
    grant = granted(message.data)
    if grant is not None:
        _grant(w, *grant, message.callback_id)
        return
    pressed = decode(message.data)
    if pressed is None:
        w.commit(w.user, [AnswerCallback(message.callback_id, stale_button(w.user.lang))])
        return
    name = message.first_name or w.user.name
    w.effects.append(ToPerson(CareRequest(pressed.patient, w.uid, pressed.action, pressed.arg, name, w.user.lang,
                                          message.callback_id)))


def asked(w: Work, message: InboundText, ask: CareAsk, before: list[Any]) -> None:
    """A caregiver feature asked for in words."""
    assert w.user is not None
    chat = message.chat_id
    if ask.kind == "invite":
        invite(w, chat, before)
    elif ask.kind == "minutes":
        w.user = replace(w.user, caregiver_minutes=ask.minutes)
        w.commit(w.user, [*before, send(chat, texts.minutes_set(w.reply_language(), ask.minutes,
                                                                 bool(w.user.caregivers)))])
    elif ask.kind == "which":
        w.commit(w.user, [*before, send(chat, texts.whom(w.reply_language(), w.user.caring_for))])
    else:
        w.commit(w.user, before)
        w.effects.append(ToPerson(CareRequest(ask.patient, w.uid, ask.what, "", w.user.name, w.reply_language())))


def invite(w: Work, chat: int, before: list[Any]) -> None:
    """/caregiver: a fresh one-time link, the caregivers and the people this person helps."""
    assert w.user is not None
    now = w.now()
    secret = links.new_secret(w.seed("invite"))
    w.user = links.invited(w.user, secret, now)
    lang = w.reply_language()
    url = links.link(w.config.bot_username, w.uid, secret)
    share = links.share_url(url, texts.share_text(lang))
    minutes = alert_minutes(w.user, w.config.caregiver_minutes)
    reply = texts.invitation(lang, url, share, w.user.caregivers, w.user.caring_for, minutes)
    w.log(logging.INFO, "care_invite_made")
    w.commit(w.user, [*before, send(chat, reply)])


def back(w: Work) -> None:
    """This person wrote again after blocking the bot: the people they help hear it."""
    assert w.user is not None
    for item in w.user.caring_for:
        w.effects.append(ToPerson(CareRequest(item.user_id, w.uid, "back", "", w.user.name, w.user.lang)))


def link_changed(w: Work, change: CareLinkChanged) -> None:
    """The patient's record made or ended a link: this caregiver's copy follows."""
    if w.user is None or w.broken:
        return
    w.commit(links.caring_for(w.user, links.LinkChange(change.patient, change.patient_name, change.linked)), [])


# --- the patient's side: requests checked and answered -------------------------------------------


def request(w: Work, asked_for: CareRequest, planned: Planner, applied: Applier) -> None:
    user, lang, now = w.user, asked_for.lang, w.now()
    if user is None or w.broken:
        _refuse(w, asked_for)
        return
    if asked_for.action in ("open", "accept", "decline"):
        _invitation(w, asked_for, now)
        return
    link = links.caregiver(user, asked_for.from_user)
    if link is None:
        _refuse(w, asked_for)
        return
    if link.blocked:
        user = links.with_caregiver(user, replace(link, blocked=False))  # they are back
    answer = _answer(asked_for)
    match asked_for.action:
        case "remind":
            user, status = remind_again(user, asked_for.arg, now)
            user, outgoing, wake = planned(w, user, now)
            w.log(logging.INFO, "care_remind_again", status=status)
            w.commit(user, [*answer(texts.remind_answer(lang, status)), *outgoing], wake)
        case "called":
            user, others = called(user, asked_for.arg, asked_for.from_user)
            told = [to_caregiver(other.user_id, texts.someone_called(other.lang, link.name, user, asked_for.arg))
                    for who in others if (other := links.caregiver(user, who)) is not None]
            w.commit(user, [*answer(texts.called_answer(lang)), *told])
        case "schedule":
            body = render(apply(user, ListSchedule(), now).result, lang).text
            w.commit(user, [*answer(""), send(asked_for.from_user, Reply(texts.schedule_view(lang, user, body).text,
                                                                          texts.view_keyboard(lang, user)))])
        case "today":
            adherence = render_stats(replace(user, lang="en" if lang == "en" else "ru"), now).text
            w.commit(user, [*answer(""), send(asked_for.from_user, Reply(
                texts.today_view(lang, user, now, adherence).text, texts.view_keyboard(lang, user)))])
        case "back":
            w.commit(user, [])  # the link is unblocked above: alerts reach them again
        case "manage":
            w.user = user
            manage(w, asked_for, link, applied)
        case "leave" | "erased":
            by_caregiver = asked_for.action == "leave"
            user = links.unlinked(user, asked_for.from_user)
            to_them = [send(asked_for.from_user, texts.unlinked_caregiver(lang, user.name, True))] if by_caregiver else []
            told = (texts.unlinked_patient(user.lang, link.name, True) if by_caregiver
                    else texts.caregiver_erased(user.lang, link.name))
            w.log(logging.INFO, "care_link_ended", by="caregiver")
            w.commit(user, [*answer(""), *to_them, send(w.uid, told)])
            if by_caregiver:
                w.effects.append(ToPerson(CareLinkChanged(asked_for.from_user, w.uid, user.name, False)))
        case _:
            _refuse(w, asked_for)


def _answer(asked_for: CareRequest) -> Any:
    def answer(text: str) -> list[Any]:
        return [AnswerCallback(asked_for.callback_id, text[:190])] if asked_for.callback_id else []
    return answer


def _refuse(w: Work, asked_for: CareRequest) -> None:
    """No link (any more): a toast or a short reply, and the asker's copy of the link goes."""
    lang = asked_for.lang
    if asked_for.action in ("open", "accept", "decline"):
        reply = texts.invite_problem(lang, "unknown")
        if asked_for.callback_id:
            w.tell(AnswerCallback(asked_for.callback_id, reply.text[:190]))
        else:
            w.tell(send(asked_for.from_user, reply))
        return
    silent = asked_for.action in ("erased", "back")  # nobody asked to see anything
    if asked_for.callback_id:
        w.tell(AnswerCallback(asked_for.callback_id, texts.no_access(lang)))
    elif not silent:
        w.tell(send(asked_for.from_user, Reply(texts.no_access(lang))))
    if asked_for.action != "erased":
        name = w.user.name if w.user is not None else ""
        w.effects.append(ToPerson(CareLinkChanged(asked_for.from_user, w.uid, name, False)))
    w.log(logging.INFO, "care_refused", action=asked_for.action)


def _invitation(w: Work, asked_for: CareRequest, now: datetime) -> None:
    user = w.user
    assert user is not None
    who, lang, secret = asked_for.from_user, asked_for.lang, asked_for.arg
    answer = _answer(asked_for)
    if asked_for.action == "decline":
        invite = next((item for item in user.invites if item.secret == secret and item.opened_by == who), None)
        if invite is None:
            w.commit(user, answer(stale_button(lang)))
            return
        w.commit(links.without_invite(user, secret), [
            *answer(""), send(who, texts.declined_caregiver(lang)),
            send(w.uid, texts.declined_patient(user.lang, asked_for.name)),
        ])
        return
    opening = asked_for.action == "open"
    check = links.check_invite(user, secret, who, now, opening)
    if check != "ok":
        reply = texts.invite_problem(lang, check)
        w.log(logging.INFO, "care_invite_refused", reason=check)
        if asked_for.callback_id:
            w.commit(user, answer(reply.text))
        else:
            w.say(who, reply)
        return
    if opening:
        w.commit(links.opened(user, secret, who), [send(who, texts.invite_question(lang, user, secret))])
        return
    user = links.linked(user, secret, who, asked_for.name, lang, now)
    w.log(logging.INFO, "care_linked")
    w.commit(user, [*answer(""), send(who, texts.accepted_caregiver(lang, user)),
                    send(w.uid, texts.accepted_patient(user.lang, asked_for.name))])
    w.effects.append(ToPerson(CareLinkChanged(who, w.uid, user.name, True)))


def _own_link(w: Work, caregiver: int, callback_id: str) -> tuple[User, CaregiverLink] | None:
    """The patient's link to `caregiver` for one of the patient's own buttons (a stale press is told so)."""
    user = w.user
    assert user is not None
    link = links.caregiver(user, caregiver)
    if link is None:
        w.commit(user, [AnswerCallback(callback_id, stale_button(user.lang))])
        return None
    return user, link


def _remove(w: Work, caregiver: int, callback_id: str) -> None:
    """The patient removes a caregiver: both are told, and the caregiver's copy goes."""
    found = _own_link(w, caregiver, callback_id)
    if found is None:
        return
    user, link = found
    user = links.unlinked(user, caregiver)
    w.log(logging.INFO, "care_link_ended", by="patient")
    w.commit(user, [AnswerCallback(callback_id), send(w.uid, texts.unlinked_patient(user.lang, link.name, False)),
                    to_caregiver(caregiver, texts.unlinked_caregiver(link.lang, user.name, False))])
    w.effects.append(ToPerson(CareLinkChanged(caregiver, w.uid, user.name, False)))


def _grant(w: Work, caregiver: int, allow: bool, callback_id: str) -> None:
    """The patient's second, separate grant: the caregiver may (no longer) change the schedule."""
    found = _own_link(w, caregiver, callback_id)
    if found is None:
        return
    user, link = found
    w.log(logging.INFO, "care_grant", allowed=allow)
    w.commit(links.with_caregiver(user, replace(link, can_manage=allow)), [
        AnswerCallback(callback_id), send(w.uid, texts.grant_answer(user.lang, link.name, allow)),
        to_caregiver(caregiver, texts.grant_told(link.lang, user.name, allow))])


def manage(w: Work, asked_for: CareRequest, link: CaregiverLink, applied: Applier) -> None:
    """A caregiver with the patient's grant changes the schedule: only a request read with
    confidence, never a question or a guess; the caregiver gets the answer, and the patient is
    told what was said and what it did."""
    user = w.user
    assert user is not None
    lang, now, said = asked_for.lang, w.now(), asked_for.arg
    if not link.can_manage:
        w.say(asked_for.from_user, texts.manage_refused(lang, user.name))
        return
    parsed = parse(said)
    command = parsed.command
    if parsed.needs_llm or parsed.confirm or not isinstance(command, _MANAGED):
        w.say(asked_for.from_user, texts.manage_unclear(lang))
        return
    changed, result, following, wake = applied(w, user, command, now)
    if isinstance(result, Clarify):  # a question for someone else's schedule: ask for an exact request
        w.say(asked_for.from_user, texts.manage_unclear(lang, render(result, lang).text))
        return
    to_them = texts.done_for(lang, user.name, render(result, lang).text)
    told = [send(w.uid, texts.changed_by(user.lang, link.name, said, render(result, user.lang).text))]
    w.log(logging.INFO, "care_managed", command=type(command).__name__)
    w.commit(changed, [send(asked_for.from_user, to_them), *(told if changed != user else []), *following], wake)


def caregiver_blocked(w: Work, chat: int) -> None:
    """Telegram refused a message to a caregiver's chat (403): the patient is told, once."""
    user = w.user
    link = links.caregiver(user, chat) if user is not None else None
    if user is None or link is None or link.blocked:
        return
    w.log(logging.INFO, "care_caregiver_blocked")
    w.commit(links.with_caregiver(user, replace(link, blocked=True)), [send(w.uid, texts.caregiver_blocked(user.lang,
                                                                                                         link.name))])


def erased(w: Work) -> tuple[list[Any], list[ToPerson]]:
    """/delete_me: every link ends both ways. (messages to send once the erase is on disk,
    events for the other people's actors)"""
    user = w.user
    assert user is not None
    messages = [to_caregiver(link.user_id, texts.patient_erased(link.lang, user.name)) for link in user.caregivers]
    events = [ToPerson(CareLinkChanged(link.user_id, w.uid, user.name, False)) for link in user.caregivers]
    events += [ToPerson(CareRequest(item.user_id, w.uid, "erased", "", user.name, user.lang)) for item in user.caring_for]
    return messages, events
