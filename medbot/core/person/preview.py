"""Asking before a change the bot is not sure it heard or read right: it shows what it would
do, and "Да" applies exactly that command; "Нет" changes nothing.

Used for a spoken change (the transcript may be wrong) and for a typed change the parser read
with doubt ("поменяй аспирин на 10": ten o'clock, or ten milligrams?).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from medbot.core import texts
from medbot.core.apply import apply
from medbot.core.commands import (
    Add,
    Cancel,
    Command,
    Delete,
    Done,
    DoseChange,
    PastIntake,
    Pause,
    RegimenChange,
    SetLanguage,
    StockChange,
    TimeChange,
    TimezoneChange,
    Undo,
)
from medbot.core.pending import remember
from medbot.core.person.work import Work, send
from medbot.core.results import Clarify, Option

CHANGES = (Add, Delete, TimeChange, DoseChange, TimezoneChange, Done, RegimenChange, Pause, Undo,
           SetLanguage, StockChange, PastIntake)
"""Commands that change the record."""


def previewed(w: Work, command: Command, chat: int, now: Any, before: list[Any],
              reason: Literal["heard", "unsure"]) -> bool:
    """Ask "Сделать так?" with what the command would do, and return True; False for anything
    that would change nothing or asks its own question (then it is simply carried out)."""
    assert w.user is not None
    if not isinstance(command, CHANGES):
        return False
    outcome = apply(w.user, command, now)
    if outcome.user == w.user or isinstance(outcome.result, Clarify):
        return False
    lang = w.reply_language()
    preview = texts.render(outcome.result, lang).text
    question = Clarify("confirm", (Option(command, "", answer="yes"), Option(Cancel(), "", answer="no")),
                       reason=reason, reading=(preview,))
    w.user, asked = remember(w.user, question, now)
    w.log(logging.INFO, "confirm_first", command=type(command).__name__, why=reason)
    w.commit(w.user, [*before, send(chat, texts.render(asked, lang))])
    return True
