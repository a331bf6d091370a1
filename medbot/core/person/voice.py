"""Voice messages: transcribed by the LLM actor, then read exactly like the same words typed.

The person sees what was heard first ("🎤 Я услышал: «…»"). A spoken change is never made on
the strength of a transcript alone: the bot shows what it would do and asks, and "Да" applies
exactly that. Questions ("что мне сегодня пить?") are answered at once. Without the LLM, or
past the person's daily share, a voice message gets a short answer and changes nothing. The
audio never reaches the core: only its file id and length.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from medbot.core import texts
from medbot.core.commands import Command
from medbot.core.person.effects import ArmTimer, DisarmTimer, Transcribe
from medbot.core.person.events import Heard, LLMDeadline
from medbot.core.person.preview import previewed
from medbot.core.person.state import LLMWait
from medbot.core.person.work import Work
from medbot.core.texts.voice import heard, not_heard, voice_too_long, voice_unavailable
from medbot.core.updates import InboundText, InboundVoice

LlmAllowed = Callable[[Work, Any], bool]


def voice(w: Work, message: InboundVoice, llm_allowed: LlmAllowed) -> None:
    chat, code = message.chat_id, message.language_code
    if w.broken:
        w.say(chat, texts.record_unreadable(w.lang(code)))
        return
    if not w.admitted(chat, code) or chat != message.user_id:
        return  # (a group's voice never comes here: the adapter passes only commands)
    lang = w.lang(code)
    if not w.config.llm_configured:
        w.say(chat, voice_unavailable(lang))
        return
    if message.duration > w.config.voice_max_seconds:
        w.say(chat, voice_too_long(w.config.voice_max_seconds, lang))
        return
    if w.user is not None and not llm_allowed(w, w.now()):
        w.say(chat, not_heard("quota", lang))
        return
    request_id = w.next_llm_request
    w.next_llm_request += 1
    w.llm_wait = LLMWait(request_id, message, None)
    w.log(logging.INFO, "voice", seconds=message.duration)
    w.effects.append(Transcribe(request_id, message.file_id, message.duration, lang))
    deadline = w.clock + w.config.llm_deadline_seconds  # a safety net: the LLM actor always answers
    w.effects.append(ArmTimer(("llm", w.uid), deadline, LLMDeadline(w.uid, request_id)))


def transcribed(w: Work, answer: Heard | LLMDeadline, read: Callable[[Work, InboundText], None]) -> None:
    """The transcript came (or the wait ended): read it as the same words typed, with `read`."""
    wait = w.llm_wait
    assert wait is not None and isinstance(wait.message, InboundVoice)
    if answer.request_id != wait.request_id:
        return
    w.llm_wait = None
    w.effects.append(DisarmTimer(("llm", w.uid)))
    spoken = wait.message
    text = answer.text if isinstance(answer, Heard) else None
    if text is None:
        error = answer.error if isinstance(answer, Heard) else "unavailable"
        w.log(logging.INFO, "voice_unheard", reason=error)
        w.handle(spoken, lambda: w.say(spoken.chat_id, not_heard(error, w.lang(spoken.language_code))))
        return
    typed = InboundText(
        user_id=spoken.user_id, chat_id=spoken.chat_id, text=text, message_id=spoken.message_id,
        language_code=spoken.language_code, received_at=spoken.received_at,
        update_id=spoken.update_id, first_name=spoken.first_name,
    )
    w.say(spoken.chat_id, heard(text, w.lang(spoken.language_code)))
    w.heard = text
    try:
        w.handle(typed, lambda: read(w, typed))
    finally:
        w.heard = None


def confirm_first(w: Work, command: Command, chat: int, now: Any, before: list[Any]) -> bool:
    """For a spoken change: ask "Сделать так?" with what it would do (see `preview`)."""
    return w.heard is not None and previewed(w, command, chat, now, before, "heard")
