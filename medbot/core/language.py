"""Which language the bot writes in: the person's chosen one for menus and reminders, and the
language of each message for the reply to it.

The chosen language starts as Telegram's language_code. It changes when the person picks one
(/lang) or, until they have picked, when they keep writing in the other language (two messages
in a row): one English message in a Russian conversation is answered in English, and nothing
else changes.
"""

from __future__ import annotations

from dataclasses import replace

from medbot.core.commands import SetLanguage
from medbot.core.model import User
from medbot.core.results import Clarify, LanguageSet, Option

CHOSEN_KEY = "lang_chosen"
_STREAK_KEY = "lang_streak"
_STREAK = 2


def set_language(user: User, command: SetLanguage) -> tuple[User, Clarify | LanguageSet]:
    if command.lang is None:
        options = (Option(SetLanguage("ru"), label="Русский"), Option(SetLanguage("en"), label="English"))
        return user, Clarify("language", options)
    user = without_streak(user)
    return replace(user, lang=command.lang, extra={**user.extra, CHOSEN_KEY: True}), LanguageSet(command.lang)


def reply_language(user: User, written: str | None) -> str:
    """The reply to a message is in the language it was written in, when that is clear."""
    return written if written in ("ru", "en") else user.lang


def follow_writing(user: User, written: str | None) -> User:
    """Before any choice, the chosen language follows what the person keeps writing in."""
    if written not in ("ru", "en") or user.extra.get(CHOSEN_KEY):
        return user
    if written == user.lang:
        return without_streak(user)
    streak = user.extra.get(_STREAK_KEY)
    count = streak.get("count", 0) + 1 if isinstance(streak, dict) and streak.get("lang") == written else 1
    if count >= _STREAK:
        return replace(without_streak(user), lang=written)  # type: ignore[arg-type]
    return replace(user, extra={**user.extra, _STREAK_KEY: {"lang": written, "count": count}})


def without_streak(user: User) -> User:
    """The record less the streak of messages in another language: soft state, worth no write of
    its own (losing it in a crash only delays a switch by a message), saved with the next change."""
    if _STREAK_KEY not in user.extra:
        return user
    return replace(user, extra={k: v for k, v in user.extra.items() if k != _STREAK_KEY})
