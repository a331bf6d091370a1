"""What people read, in Russian and English: replies to commands, questions, fixed texts.

`render(result, lang)` turns a result of `medbot.core.apply` into a `Reply`; the fixed texts
(help, welcome, errors) are functions of the language. Reminder and statistics texts live in
their own modules of this package and share `medbot.core.texts.common`.
"""

from __future__ import annotations

from medbot.core.texts.common import lang_for_code
from medbot.core.texts.fixed import (
    DELETE_ME_NO,
    DELETE_ME_YES,
    delete_me_cancelled,
    delete_me_confirm,
    delete_me_done,
    empty_schedule_text,
    help_text,
    internal_error,
    non_text,
    not_allowed_text,
    parked_text,
    rate_limited,
    record_unreadable,
    rephrase,
    save_failed,
    stale_button,
    unknown_text,
    welcome,
)
from medbot.core.texts.render import render

__all__ = [
    "DELETE_ME_NO",
    "DELETE_ME_YES",
    "delete_me_cancelled",
    "delete_me_confirm",
    "delete_me_done",
    "empty_schedule_text",
    "help_text",
    "internal_error",
    "lang_for_code",
    "non_text",
    "not_allowed_text",
    "parked_text",
    "rate_limited",
    "record_unreadable",
    "render",
    "rephrase",
    "save_failed",
    "stale_button",
    "unknown_text",
    "welcome",
]
