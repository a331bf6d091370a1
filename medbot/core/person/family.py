"""What family profiles do in a person's step, on the owner's side and on the member's.

The owner's step recognises a message or a press for a family member and passes it on
(`ToPerson`). The member's step checks that it comes from the member's owner and then reads
it as its own. Everything the member's step sends is turned into messages for the owner's
chat at the end of the step (`medbot.core.family.home`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from medbot.core.buttons import is_reminder_data
from medbot.core.care.phrases import names
from medbot.core.family import routing
from medbot.core.family.home import unwrap
from medbot.core.model import CaredFor, ProfileRef, User, new_user
from medbot.core.outgoing import AnswerCallback
from medbot.core.person.effects import ToPerson
from medbot.core.person.events import CareRequest, ProfileErase, ProfileHome, ProfilePress, ProfileText
from medbot.core.person.work import Work, send
from medbot.core.texts import family as texts
from medbot.core.texts.fixed import stale_button
from medbot.core.texts.voice import manage_typed
from medbot.core.updates import InboundCallback, InboundText

ASK = "family_ask"
"""extra key: the message waiting for "keep a schedule for X?" ({"name", "text", "raw", "nonce", "spoken"})."""
_OWNER_DATA = re.compile(r"pf:(?P<code>[nolsxyk])(?::(?P<arg>[0-9a-f]{1,8}|[1-9][0-9]?))?(?::(?P<nonce>[0-9a-f]{8}))?",
                         re.ASCII)
_LIST = re.compile(r"^(?:/profiles?(?:@\w+)?|/family(?:@\w+)?|профили|мои профили|моя семья|семья|расписания близких"
                   r"|my family|family|profiles)\s*[?!.]*$", re.IGNORECASE)

_GROUP_DATA = re.compile(r"pf:(?P<code>[gu]):(?P<slot>[1-9][0-9]?):(?P<owner>[1-9][0-9]{0,15})", re.ASCII)
_GROUP_COMMANDS = frozenset({"/family", "/profiles", "/profile"})

Reader = Callable[[Work, InboundText], None]


def is_owner_data(data: str) -> bool:
    return data.startswith(("pf:", "f:"))


# --- the owner's side -----------------------------------------------------------------------------


def for_member(w: Work, message: InboundText, typed: str, before: list[Any]) -> bool:
    """A message for a family member (or about their list): handled here. False: the sender's own."""
    user = w.user
    assert user is not None
    if user.owner is not None:
        return False  # a family member has no family of their own
    if _LIST.match(typed):
        _list(w, message.chat_id, before)
        return True
    asked = routing.asked_about(typed, user.profiles)
    if asked is not None:
        profile, what = asked
        text = what if what != "agenda" else ("что у меня на неделе?" if user.lang != "en" else "what's coming up this week")
        _pass_text(w, profile, text, before)
        return True
    found = routing.addressed(typed, user.profiles)
    if found is None:
        return False
    if found.profile is not None:
        _pass_text(w, found.profile, found.text, before)
        return True
    helped = _helped(user.caring_for, found.name)
    if helped is not None and w.heard is not None:  # another person's record is changed from typed words only
        w.commit(user, [*before, send(message.chat_id, manage_typed(w.reply_language()))])
        return True
    if helped is not None:  # a caregiver writing for the person they help: that person's record decides
        w.commit(user, before)
        w.effects.append(ToPerson(CareRequest(helped.user_id, w.uid, "manage", found.text, user.name,
                                              w.reply_language())))
        return True
    nonce = w.one_time()
    w.user = replace(user, extra={**user.extra, ASK: {"name": found.name, "text": found.text, "raw": typed,
                                                      "nonce": nonce, "spoken": w.heard is not None}})
    w.commit(w.user, [*before, send(message.chat_id, texts.ask_create(w.reply_language(), found.name, f"pf:n:{nonce}",
                                                                       f"pf:o:{nonce}"))])
    return True


def _helped(caring_for: tuple[CaredFor, ...], name: str) -> CaredFor | None:
    """The person this caregiver helps whom `name` means: by their name, or "мама" when there
    is only one."""
    named = [item for item in caring_for if names(name, item.name)]
    if len(named) == 1:
        return named[0]
    if not named and len(caring_for) == 1 and name.lower() in routing.KIN:
        return caring_for[0]
    return None


def _pass_text(w: Work, profile: ProfileRef, text: str, before: list[Any]) -> None:
    user = w.user
    assert user is not None
    w.commit(user, before)
    w.effects.append(ToPerson(ProfileText(profile.id, w.uid, text, profile.name, user.lang, user.tz,
                                          spoken=w.heard is not None)))
    w.log(logging.INFO, "family_text")


def _list(w: Work, chat: int, before: list[Any]) -> None:
    user = w.user
    assert user is not None
    slots = [routing.slot_of(w.uid, ref.id) for ref in user.profiles]
    reply = texts.profiles_list(w.reply_language(), user.profiles, [f"pf:l:{slot}" for slot in slots],
                                [f"pf:s:{slot}" for slot in slots], [f"pf:x:{slot}" for slot in slots])
    w.commit(user, [*before, send(chat, reply)])


def _by_slot(w: Work, slot: str | None) -> ProfileRef | None:
    user = w.user
    if user is None or slot is None or not slot.isdigit():
        return None
    return next((ref for ref in user.profiles if routing.slot_of(w.uid, ref.id) == int(slot)), None)


def owner_press(w: Work, message: InboundCallback, own_text: Reader) -> None:
    """A press on the owner's family buttons, or on a family member's (wrapped) button."""
    user = w.user
    assert user is not None
    lang, callback = user.lang, message.callback_id
    wrapped = unwrap(message.data)
    if wrapped is not None:
        profile, inner = wrapped
        if all(ref.id != profile for ref in user.profiles):
            w.commit(user, [AnswerCallback(callback, texts.not_yours(lang))])
            return
        w.effects.append(ToPerson(ProfilePress(profile, w.uid, message.chat_id, callback, inner, message.message_id)))
        return
    match = _OWNER_DATA.fullmatch(message.data)
    if match is None:
        w.commit(user, [AnswerCallback(callback, stale_button(lang))])
        return
    code, arg, nonce = match["code"], match["arg"], match["nonce"]
    if code in ("n", "o"):
        _answer_ask(w, message, code == "n", arg, own_text)
        return
    if code == "k":
        w.commit(user, [AnswerCallback(callback, texts.kept(lang))])
        return
    profile = _by_slot(w, arg)
    if profile is None:
        w.commit(user, [AnswerCallback(callback, stale_button(lang))])
        return
    if code in ("l", "s"):
        w.commit(user, [AnswerCallback(callback)])
        w.effects.append(ToPerson(ProfileText(profile.id, w.uid, "/list" if code == "l" else "/stats", profile.name,
                                              user.lang, user.tz)))
    elif code == "x":
        w.delete_nonce = w.one_time()
        w.commit(user, [AnswerCallback(callback), send(message.chat_id, texts.remove_confirm(
            lang, profile.name, f"pf:y:{arg}:{w.delete_nonce}", "pf:k"))])
    elif code == "y" and nonce is not None and nonce == w.delete_nonce:
        w.delete_nonce = None
        w.log(logging.INFO, "family_removed")
        w.commit(replace(user, profiles=tuple(ref for ref in user.profiles if ref.id != profile.id)),
                 [AnswerCallback(callback)])
        w.effects.append(ToPerson(ProfileErase(profile.id, w.uid)))
    else:
        w.commit(user, [AnswerCallback(callback, stale_button(lang))])


def _answer_ask(w: Work, message: InboundCallback, create: bool, nonce: str | None, own_text: Reader) -> None:
    user = w.user
    assert user is not None
    asked = user.extra.get(ASK)
    if not isinstance(asked, dict) or asked.get("nonce") != nonce:
        w.commit(user, [AnswerCallback(message.callback_id, stale_button(user.lang))])
        return
    user = replace(user, extra={key: value for key, value in user.extra.items() if key != ASK})
    name, text = str(asked.get("name", "")), str(asked.get("text", ""))
    spoken = asked.get("spoken") is True  # said in a voice message: its change is still confirmed
    if not create:  # "no, it is mine": the whole message, read as the sender's own
        w.user = user
        w.tell(AnswerCallback(message.callback_id))
        raw = str(asked.get("raw", text))
        w.heard = raw if spoken else None
        try:
            own_text(w, InboundText(w.uid, message.chat_id, raw, language_code=message.language_code))
        finally:
            w.heard = None
        return
    slot = routing.free_slot(w.uid, user.profiles)
    if slot is None:
        w.commit(user, [AnswerCallback(message.callback_id), send(message.chat_id, texts.full(user.lang))])
        return
    profile = ProfileRef(routing.profile_id(w.uid, slot), name)
    w.log(logging.INFO, "family_created")
    w.commit(replace(user, profiles=(*user.profiles, profile)), [AnswerCallback(message.callback_id)])
    w.effects.append(ToPerson(ProfileText(profile.id, w.uid, text, name, user.lang, user.tz, spoken=spoken)))


# --- a family group chat ---------------------------------------------------------------------------


def group_text(w: Work, message: InboundText) -> None:
    """A command in a family group chat: /family lets the owner send a family member's reminders
    here. Nothing else said in a group is for the bot (no record is made, nothing is answered)."""
    head = message.text.strip().split(maxsplit=1)[0].split("@", 1)[0].lower() if message.text.strip() else ""
    if head not in _GROUP_COMMANDS:
        w.log(logging.INFO, "group_ignored")
        return
    user = w.user
    lang = user.lang if user is not None else "en" if message.language_code and not message.language_code.startswith(
        ("ru", "uk", "be", "kk")) else "ru"
    if user is None or user.owner is not None or not user.profiles:
        w.say(message.chat_id, texts.group_nothing(lang))
        return
    slots = [routing.slot_of(w.uid, ref.id) for ref in user.profiles]
    here = [ref.home_chat == message.chat_id for ref in user.profiles]
    data = [f"pf:{'u' if there else 'g'}:{slot}:{w.uid}" for slot, there in zip(slots, here, strict=True)]
    w.commit(user, [send(message.chat_id, texts.group_choice(lang, user.profiles, here, data))])


def group_press(w: Work, message: InboundCallback) -> None:
    """A press in a family group chat: a family member's reminder button (anyone in the group),
    or the owner choosing what is posted here."""
    wrapped = unwrap(message.data)
    if wrapped is not None:
        profile, inner = wrapped
        w.effects.append(ToPerson(ProfilePress(profile, w.uid, message.chat_id, message.callback_id, inner,
                                               message.message_id, message.first_name)))
        return
    lang = w.user.lang if w.user is not None else "ru"
    match = _GROUP_DATA.fullmatch(message.data)
    if match is None:
        w.tell(AnswerCallback(message.callback_id, stale_button(lang)))
        return
    if int(match["owner"]) != w.uid or w.user is None:
        w.tell(AnswerCallback(message.callback_id, texts.owner_only(lang)))
        return
    profile = _by_slot(w, match["slot"])
    if profile is None:
        w.commit(w.user, [AnswerCallback(message.callback_id, stale_button(lang))])
        return
    home = message.chat_id if match["code"] == "g" else None
    moved = replace(profile, home_chat=home)
    w.commit(replace(w.user, profiles=tuple(moved if ref.id == profile.id else ref for ref in w.user.profiles)),
             [AnswerCallback(message.callback_id)])
    w.effects.append(ToPerson(ProfileHome(profile.id, w.uid, home)))
    w.log(logging.INFO, "family_home", group=home is not None)


def erased(w: Work) -> list[ToPerson]:
    """The owner erases their data: every family member's record goes too, quietly."""
    user = w.user
    assert user is not None
    return [ToPerson(ProfileErase(ref.id, w.uid, quiet=True)) for ref in user.profiles]


# --- the family member's side ---------------------------------------------------------------------


def member_text(w: Work, message: ProfileText, read: Reader) -> None:
    """The owner wrote for this family member: read it as the member's own message."""
    if w.broken:
        return
    if w.user is None:
        w.user = _made(message)
    elif w.user.owner != message.owner:
        w.log(logging.WARNING, "family_refused", reason="owner")
        return
    w.heard = message.text if message.spoken else None  # said by voice: a change is confirmed first
    try:
        read(w, InboundText(w.uid, w.uid, message.text, language_code=message.lang))
    finally:
        w.heard = None


def _made(message: ProfileText) -> User:
    lang = "en" if message.lang == "en" else "ru"
    made = new_user(message.user_id, lang, message.tz)
    return replace(made, owner=message.owner, home_chat=message.owner, name=message.name)


def member_press(w: Work, message: ProfilePress, press: Callable[[Work, InboundCallback], None]) -> None:
    """The owner may press anything of the member's, in their own chat or the family group; anyone
    else in the family group only the reminder's buttons (taken, all, later, skip, page), and
    the intake records who it was."""
    user = w.user
    if user is None or w.broken:
        w.tell(AnswerCallback(message.callback_id, texts.not_yours("ru")))
        return
    home = user.home_chat or user.owner
    owner = message.presser == user.owner and message.chat_id in (user.owner, home)
    relative = message.chat_id == home and home != user.owner and is_reminder_data(message.data)
    if not (owner or relative):
        w.tell(AnswerCallback(message.callback_id, texts.not_yours(user.lang)))
        w.log(logging.INFO, "family_refused", reason="press")
        return
    w.pressed_by = None if message.presser == user.owner else (message.presser, message.presser_name)
    try:
        press(w, InboundCallback(w.uid, w.uid, message.callback_id, message.data, message.message_id))
    finally:
        w.pressed_by = None


def in_group(user: User) -> bool:
    return user.owner is not None and user.home_chat is not None and user.home_chat != user.owner


def group_lost(w: Work, reminder_id: int, failed: Callable[[User, int, Any], User]) -> None:
    """Telegram refused the family group chat (the bot was removed): the member's reminders go
    back to the owner's chat, the owner is told there, and the reminder is tried again."""
    user = w.user
    assert user is not None
    w.log(logging.INFO, "family_group_lost")
    w.user = failed(replace(user, home_chat=None), reminder_id, w.now())
    w.commit(w.user, [send(w.uid, texts.group_lost(user.lang))])


def member_home(w: Work, message: ProfileHome) -> None:
    """The owner moved the member's reminders to a family group chat, or back."""
    user = w.user
    if user is None or w.broken or message.owner != user.owner:
        return
    w.user = replace(user, home_chat=message.chat)
    w.commit(w.user, [send(w.uid, texts.home_moved(user.lang, message.chat is not None))])


def member_erase(w: Work, message: ProfileErase,
                 erase: Callable[[Work, int | None, tuple[Any, ...], tuple[Any, ...]], None]) -> None:
    user = w.user
    if user is None or message.owner != user.owner:
        return
    erase(w, None, (), () if message.quiet else (send(w.uid, texts.removed(user.lang)),))
