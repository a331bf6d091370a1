"""Clarifying questions: what the bot did not want to guess, the candidates, one button each.

The candidates are numbered in the text as well, so a person can answer by typing "2" or the
name, and the question still makes sense in a client that does not show buttons.
"""

from __future__ import annotations

from medbot.core.inflect import accusative, cap_first
from medbot.core.pending import option_data
from medbot.core.results import Clarify, MedLine, Option
from medbot.core.texts.common import (
    bullets,
    is_en,
    joined,
    med_label,
    one_per_row,
    pick,
    times_text,
    with_times,
)
from medbot.core.texts.rule_questions import answer_label, rule_question
from medbot.core.view import Button, Reply

_MAX_BUTTON_TEXT = 60


def question(result: Clarify, lang: str) -> Reply:
    head = _head(result, lang)
    yes_no = bool(result.options) and all(option.answer is not None for option in result.options)
    if result.question == "done_nothing":
        text = _nothing_awaiting(result, head, lang)
    elif yes_no:
        text = head
    else:
        text = f"{head}\n{_numbered(result.options, lang)}" if result.options else head
    if result.pending_id is None or not result.options:
        return Reply(text)
    hint = pick(lang, "Нажмите на кнопку или напишите номер.", "Tap a button or type its number.")
    if yes_no:
        hint = pick(lang, "Нажмите кнопку или ответьте «да» или «нет».", "Tap a button or answer “yes” or “no”.")
    buttons = one_per_row(
        Button(_short(option_label(option, lang)), option_data(result.pending_id, index))
        for index, option in enumerate(result.options)
    )
    if yes_no:  # side by side: "Да" and "Нет" read as one choice
        buttons = (tuple(row[0] for row in buttons),)
    return Reply(f"{text}\n{hint}", buttons)


def option_label(option: Option, lang: str = "ru") -> str:
    """"Аспирин 200 мг — 10:00, 18:00" for a medication; "10:00" for a time of one; "Да" /
    "Нет" for a yes/no question; a weekday or a course length for those questions."""
    if option.answer is not None or option.label is not None:
        return answer_label(option, lang)
    if option.name is None:
        return times_text(option.times)
    return with_times(cap_first(med_label(option.name, option.dosage)), option.times)


def _numbered(options: tuple[Option, ...], lang: str) -> str:
    return "\n".join(f"{index}. {option_label(option, lang)}" for index, option in enumerate(options, 1))


def _head(result: Clarify, lang: str) -> str:
    new = joined(list(result.new_times), lang)
    match result.question:
        case "add_time":
            return _ask_time(result.names, lang)
        case "add_entry":
            name = result.subject.name if result.subject else ""
            return pick(
                lang,
                f"У вас несколько записей «{name}». К какой добавить {new}?",
                f"You have several entries of “{name}”. Which one gets {new}?",
            )
        case "delete_med":
            return pick(lang, "Какое лекарство удалить?", "Which medication should I delete?")
        case "time_med":
            return pick(
                lang,
                f"Время какого лекарства изменить на {new}?",
                f"Which medication should move to {new}?",
            )
        case "time_slot":
            return _ask_slot(result.subject, new, lang)
        case "dose_med":
            dosage = result.dosage or ""
            return pick(
                lang,
                f"Какому лекарству поставить дозировку {dosage}?",
                f"Which medication should get the dose {dosage}?",
            )
        case "done_med":
            if result.names:  # a name no stored medication has: which of the waiting doses was it?
                said = ", ".join(f"«{name}»" for name in result.names)
                return pick(lang, f"Не нашёл {said} в расписании. Какое лекарство вы приняли?",
                            f"{said} is not in your list. Which medication did you take?")
            return pick(lang, "Какое лекарство вы приняли?", "Which medication did you take?")
        case "language":
            return "На каком языке мне писать? / Which language should I use?"
        case "routine":
            return _ask_routine(result.reason or "", result.names, lang)
        case "done_nothing":
            return pick(
                lang,
                "Сейчас нет приёмов, которые ждут отметки.",
                "No dose is waiting to be marked right now.",
            )
    ruled = rule_question(result, lang)
    if ruled is not None:
        return ruled
    return pick(lang, "Уточните, пожалуйста.", "Could you say which one?")


_ROUTINE_WORDS = {
    "morning": ("утром", "in the morning"), "afternoon": ("днём", "in the afternoon"),
    "evening": ("вечером", "in the evening"), "bedtime": ("перед сном", "at bedtime"),
    "before_breakfast": ("до завтрака", "before breakfast"), "breakfast": ("за завтраком", "with breakfast"),
    "after_breakfast": ("после завтрака", "after breakfast"), "before_lunch": ("до обеда", "before lunch"),
    "lunch": ("за обедом", "with lunch"), "after_lunch": ("после обеда", "after lunch"),
    "before_dinner": ("до ужина", "before dinner"), "dinner": ("за ужином", "with dinner"),
    "after_dinner": ("после ужина", "after dinner"),
}


def routine_words(slot: str, lang: str) -> str:
    ru, en = _ROUTINE_WORDS.get(slot, (slot, slot))
    return pick(lang, ru, en)


def _ask_routine(slot: str, names: tuple[str, ...], lang: str) -> str:
    words = routine_words(slot, lang)
    what = joined(list(names), lang)
    return pick(
        lang,
        f"Во сколько для вас «{words}»? Напишите время, например «9:00» — я запомню его и для других "
        f"лекарств ({what}).",
        f"What time is “{words}” for you? Reply with a time, e.g. “9:00” — I will remember it for other "
        f"medications too ({what}).",
    )


def _ask_time(names: tuple[str, ...], lang: str) -> str:
    example = pick(
        lang,
        " Напишите время, например: «в 9:00» или «в 9 и 21».",
        " Reply with a time, e.g. “9:00” or “9am and 9pm”.",
    )
    if is_en(lang):
        return f"At what time should I remind you to take {joined(list(names), lang)}?{example}"
    forms = [accusative(name) for name in names]
    if all(forms):
        return f"В какое время принимать {joined([f for f in forms if f], lang)}?{example}"
    return f"{cap_first(joined(list(names), lang))}: в какое время напоминать?{example}"


def _ask_slot(subject: MedLine | None, new: str, lang: str) -> str:
    label = med_label(subject.name, subject.dosage) if subject else ""
    at = joined(list(subject.times), lang) if subject else ""
    return pick(
        lang,
        f"У вас {label} в {at}. Какой приём перенести на {new}?",
        f"You take {label} at {at}. Which dose should move to {new}?",
    )


def _nothing_awaiting(result: Clarify, head: str, lang: str) -> str:
    parts = [head]
    offered = {(option.name, option.times) for option in result.options}
    later = [line for line in result.upcoming if (line.name, line.times) not in offered]
    if result.options:
        parts.append(
            pick(lang, "Если вы приняли заранее, выберите:", "If you took one early, choose it:")
        )
        parts.append(_numbered(result.options, lang))
    if later:
        parts.append(pick(lang, "Сегодня ещё:", "Still to come today:"))
        parts.append(bullets(with_times(med_label(m.name, m.dosage), m.times) for m in later))
    if not result.options and not later:
        parts.append(pick(lang, "На сегодня приёмов больше нет.", "No more doses today."))
    return "\n".join(parts)


def _short(text: str) -> str:
    return text if len(text) <= _MAX_BUTTON_TEXT else text[: _MAX_BUTTON_TEXT - 1] + "…"
