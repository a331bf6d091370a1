"""Replies about voice messages: what was heard, why nothing was, and "shall I do it?"."""

from __future__ import annotations

from medbot.core.texts.common import pick
from medbot.core.view import Reply

_MAX_SHOWN = 300
"""The transcript is shown at most this long (a whole long message is read, not echoed)."""


def heard(text: str, lang: str) -> Reply:
    shown = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN].rstrip() + "…"
    return Reply(pick(lang, f"🎤 Я услышал: «{shown}»", f"🎤 I heard: “{shown}”"))


def heard_confirm(preview: str, lang: str) -> str:
    """The head of the yes/no question asked before a spoken change is made."""
    return pick(lang, f"Сделать так?\n\n{preview}", f"Shall I do this?\n\n{preview}")


def voice_unavailable(lang: str) -> Reply:
    """No speech-to-text here (no LLM key): say so, and how to write instead."""
    return Reply(pick(
        lang,
        "Голосовые сообщения я пока не разбираю. Напишите, пожалуйста, текстом — например: "
        "«аспирин в 10:00». Можно надиктовать текст кнопкой микрофона на клавиатуре. Подсказки: /help",
        "I can't listen to voice messages here. Please write instead, e.g. “aspirin at 10:00” "
        "(your keyboard's microphone button can type what you say). Tips: /help",
    ))


def voice_too_long(max_seconds: int, lang: str) -> Reply:
    return Reply(pick(
        lang,
        f"Это голосовое слишком длинное для меня (можно до {max_seconds} секунд). Скажите, "
        "пожалуйста, короче — одно лекарство или одна просьба за раз — или напишите текстом.",
        f"That voice message is too long for me (up to {max_seconds} seconds). Please say it "
        "more briefly, one medication or one request at a time, or write it.",
    ))


def not_heard(error: str | None, lang: str) -> Reply:
    """No transcript: nothing was changed, and the person knows whether to try again."""
    if error == "invalid":
        return Reply(pick(
            lang,
            "Не разобрал слов в этом голосовом. Скажите, пожалуйста, ещё раз погромче и почётче "
            "или напишите текстом.",
            "I couldn't make out any words in that voice message. Please say it again, a bit "
            "louder and clearer, or write it.",
        ))
    if error == "too_long":
        return Reply(pick(
            lang,
            "Это голосовое слишком большое для меня. Скажите, пожалуйста, короче или напишите текстом.",
            "That voice message is too large for me. Please say it more briefly or write it.",
        ))
    if error == "quota":
        return Reply(pick(
            lang,
            "Сейчас не могу расшифровать голосовое: на сегодня лимит исчерпан. Напишите, "
            "пожалуйста, текстом — так всё работает как обычно.",
            "I can't transcribe voice messages right now: today's limit is used up. Please "
            "write instead; that works as usual.",
        ))
    return Reply(pick(
        lang,
        "Не получилось расшифровать голосовое — ничего не изменено. Попробуйте ещё раз чуть "
        "позже или напишите текстом.",
        "I couldn't transcribe that voice message; nothing was changed. Please try again a "
        "little later or write it.",
    ))


def manage_typed(lang: str) -> Reply:
    """A caregiver's spoken change to the record of the person they help: only typed words do that."""
    return Reply(pick(
        lang,
        "Менять расписание близкого человека можно только текстом — напишите, пожалуйста, то же "
        "самое сообщением. Так ничего не изменится из-за ослышки.",
        "Changes to the schedule of the person you help are made from typed messages only: please "
        "write the same thing. That way a misheard word changes nothing.",
    ))
