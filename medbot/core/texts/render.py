"""Replies to what a person asked for: confirmations, the schedule, refusals.

Russian sentences put a name in the form the grammar needs ("Время приёма аспирина изменено",
"Аскорбиновая кислота удалена") only when `medbot.core.inflect` trusts the form; otherwise they use a
shape that needs none ("Ксарелто: время приёма изменено на 11:00"), so a person never reads a
broken word.
"""

from __future__ import annotations

from collections.abc import Sequence

from medbot.core.inflect import agree, cap_first, genitive
from medbot.core.results import (
    Added,
    AddedLine,
    AgendaView,
    AlreadyLine,
    Cancelled,
    Clarify,
    Deleted,
    DeletedLine,
    DoseChanged,
    HelpText,
    LanguageSet,
    Marked,
    MarkedLine,
    MedLine,
    NoMedications,
    NotFound,
    NothingToUndo,
    NotNow,
    PastRecorded,
    PastUnclear,
    Paused,
    RegimenChanged,
    Result,
    RuleRefused,
    Schedule,
    ShowStats,
    StockReport,
    StockSet,
    TimeChanged,
    TimeNotFound,
    Undone,
    UnknownText,
    ZoneChanged,
    ZoneRefused,
)
from medbot.core.texts.common import (
    DASH,
    bullets,
    is_en,
    joined,
    med_label,
    pick,
    times_text,
    with_times,
    zone_label,
)
from medbot.core.texts.conversation import conversation_reply
from medbot.core.texts.fixed import empty_schedule_text, help_text, unknown_text
from medbot.core.texts.past import past_recorded, past_unclear
from medbot.core.texts.questions import question
from medbot.core.texts.rule_replies import over_limit_text, rule_reply
from medbot.core.texts.rules import med_rule_line
from medbot.core.texts.stock import stock_report, stock_set
from medbot.core.view import Reply

_MAX_ECHO = 40
"""Text the person typed is echoed at most this long (a zone name they got wrong)."""


def render(result: Result, lang: str) -> Reply:
    match result:
        case Clarify():
            return question(result, lang)
        case HelpText():
            return help_text(lang)
        case UnknownText(why=why):
            return unknown_text(lang, why)
        case _:
            return Reply(_text(result, lang))


def _text(result: Result, lang: str) -> str:
    match result:
        case Added():
            return _added(result, lang)
        case Deleted():
            return _deleted(result, lang)
        case NotFound():
            return _not_found(result, lang)
        case TimeNotFound():
            return _time_not_found(result, lang)
        case TimeChanged():
            return _time_changed(result, lang)
        case DoseChanged():
            return _dose_changed(result, lang)
        case ZoneChanged(zone=zone, local_time=local_time):
            return pick(
                lang,
                f"Часовой пояс: {zone_label(zone)} (сейчас там {local_time}). "
                "Время приёма остаётся прежним по местным часам.",
                f"Time zone: {zone_label(zone)} (it is {local_time} there now). "
                "Your dose times stay the same on the local clock.",
            )
        case ZoneRefused(zone=zone):
            shown = zone[:_MAX_ECHO]
            return pick(
                lang,
                f"Не знаю часового пояса «{shown}». Напишите город (например, «часовой пояс "
                "Новосибирск») или смещение («UTC+7»).",
                f"I don't know the time zone “{shown}”. Write a city (e.g. “time zone London”) "
                "or an offset (“UTC+2”).",
            )
        case Marked():
            return _marked(result, lang)
        case Schedule():
            return _schedule(result, lang)
        case NoMedications():
            return empty_schedule_text(lang)
        case ShowStats():
            return pick(
                lang,
                "Статистика приёма пока недоступна. Попробуйте позже.",
                "Statistics are not available right now. Please try again later.",
            )
        case RegimenChanged() | Paused() | AgendaView() | Cancelled() | RuleRefused():
            return rule_reply(result, lang)
        case Undone() | NothingToUndo() | LanguageSet():
            return conversation_reply(result, lang)
        case PastRecorded():
            return past_recorded(result, lang)
        case PastUnclear():
            return past_unclear(result, lang)
        case StockSet():
            return stock_set(result, lang)
        case StockReport():
            return stock_report(result, lang)
    return unknown_text(lang).text


# ---------------------------------------------------------------- add


def _added(result: Added, lang: str) -> str:
    parts: list[str] = []
    lines = [_added_line(line, lang) for line in result.added]
    if lines:
        parts.append(_block(pick(lang, "Добавлено", "Added"), lines))
    if result.already:
        already = [_already_line(line, lang) for line in result.already]
        title = pick(lang, "Уже есть в расписании", "Already in your schedule")
        if not lines:
            title = pick(
                lang,
                "Это уже есть в расписании, ничего не изменилось",
                "This is already in your schedule, nothing changed",
            )
        parts.append(_block(title, already))
    return "\n".join(parts)


def _added_line(line: AddedLine, lang: str) -> str:
    if line.rule is not None and not line.rule.plain_daily:
        return med_rule_line(line.name, line.dosage, line.times, line.rule, lang, line.tomorrow)
    label = med_label(line.name, line.dosage)
    text = f"{label} {DASH} {_marked_times(line.times, line.tomorrow, lang)}"
    if line.all_times and tuple(line.all_times) != tuple(line.times):
        every = times_text(line.all_times)
        text += pick(lang, f"; теперь всего: {every}", f"; all times now: {every}")
    return text


def _already_line(line: AlreadyLine, lang: str) -> str:
    text = with_times(med_label(line.name, line.dosage), line.times)
    if line.requested_dosage:
        if line.dosage:
            text += pick(
                lang,
                f" (дозировка оставлена прежней: {line.dosage})",
                f" (kept the dosage: {line.dosage})",
            )
        else:
            text += pick(lang, " (дозировка не изменена)", " (dosage not changed)")
    return text


def _marked_times(times: Sequence[str], tomorrow: Sequence[str], lang: str) -> str:
    """"10:00 (с завтра), 18:00": a time whose minute has passed today starts tomorrow."""
    note = pick(lang, "с завтра", "from tomorrow")
    return ", ".join(f"{time} ({note})" if time in tomorrow else time for time in sorted(times))


def _block(title: str, lines: Sequence[str]) -> str:
    """"Title: line" for one line, a bulleted list under "Title:" for several."""
    if len(lines) == 1:
        return f"{title}: {lines[0]}"
    return f"{title}:\n{bullets(lines)}"


# ---------------------------------------------------------------- delete


def _deleted(result: Deleted, lang: str) -> str:
    if len(result.items) == 1:
        text = _deleted_one(result.items[0], lang)
    else:
        lines = [_deleted_line(item, lang) for item in result.items]
        text = _block(pick(lang, "Удалено из расписания", "Deleted from your schedule"), lines)
    return text + _not_in_schedule(result.not_found, lang)


def _deleted_one(item: DeletedLine, lang: str) -> str:
    label = med_label(item.name, item.dosage)
    if not item.times:
        if is_en(lang):
            return f"{cap_first(label)} deleted from your schedule."
        participle = agree(item.name, "удалён", "удалена", "удалено", "удалены")
        if participle:
            return f"{cap_first(label)} {participle} из расписания."
        return f"Удалено из расписания: {label}."
    at = joined(item.times, lang)
    if is_en(lang):
        text = f"Removed {label} at {at}."
    else:
        several = len(item.times) > 1
        removed = "Удалены приёмы" if several else "Удалён приём"
        name = genitive(item.name)
        if name:
            text = f"{removed} {med_label(name, item.dosage)} в {at}."
        else:
            text = f"{cap_first(label)}: {removed.lower()} в {at}."
    if item.remaining:
        text += pick(
            lang,
            f" Остаётся: {times_text(item.remaining)}.",
            f" Still scheduled: {times_text(item.remaining)}.",
        )
    return text


def _deleted_line(item: DeletedLine, lang: str) -> str:
    label = med_label(item.name, item.dosage)
    if not item.times:
        return label
    text = f"{label} {DASH} {times_text(item.times)}"
    if item.remaining:
        text += pick(
            lang,
            f" (остаётся {times_text(item.remaining)})",
            f" (still at {times_text(item.remaining)})",
        )
    return text


def _not_in_schedule(names: Sequence[str], lang: str) -> str:
    if not names:
        return ""
    shown = joined([_quoted(name, lang) for name in names], lang)
    return pick(lang, f"\nНе нашёл в расписании: {shown}.", f"\nNot in your schedule: {shown}.")


def _quoted(text: str, lang: str) -> str:
    shown = text[:_MAX_ECHO]
    return pick(lang, f"«{shown}»", f"“{shown}”")


# ---------------------------------------------------------------- not found


def _not_found(result: NotFound, lang: str) -> str:
    if result.names:
        shown = joined([_quoted(name, lang) for name in result.names], lang)
        head = pick(
            lang,
            f"Не нашёл {shown} в вашем расписании.",
            f"I couldn't find {shown} in your schedule.",
        )
    elif result.times:
        at = joined(list(result.times), lang)
        head = pick(
            lang, f"В {at} у вас ничего не запланировано.", f"Nothing is scheduled at {at}."
        )
    else:
        head = pick(lang, "Не нашёл такого лекарства.", "I couldn't find that medication.")
    return f"{head}\n{_have(result.have, lang)}"


def _have(have: Sequence[MedLine], lang: str) -> str:
    if not have:
        return pick(lang, "Ваше расписание пока пусто.", "Your schedule is empty.")
    lines = [with_times(cap_first(med_label(med.name, med.dosage)), med.times) for med in have]
    return pick(lang, "Сейчас в расписании:\n", "Your schedule:\n") + bullets(lines)


def _time_not_found(result: TimeNotFound, lang: str) -> str:
    med = result.med
    label = med_label(med.name, med.dosage)
    at = joined(list(result.asked), lang)
    if is_en(lang):
        head = f"{cap_first(label)} is not scheduled at {at}."
    else:
        name = genitive(med.name)
        head = (
            f"У вас нет приёма {med_label(name, med.dosage)} в {at}."
            if name
            else f"{cap_first(label)}: приёма в {at} нет."
        )
    times = times_text(med.times)
    return head + pick(lang, f" Время приёма: {times}.", f" Its times: {times}.")


# ---------------------------------------------------------------- time and dose


def _time_changed(result: TimeChanged, lang: str) -> str:
    label = med_label(result.name, result.dosage)
    new = times_text(result.new_times)
    if set(result.old_times) == set(result.new_times):
        return pick(
            lang,
            f"{cap_first(label)}: время приёма уже {new}.",
            f"{cap_first(label)} is already at {new}.",
        )
    was = times_text(result.old_times)
    if is_en(lang):
        text = f"Time for {label} changed to {new}" + (f" (was {was})." if was else ".")
    else:
        name = genitive(result.name)
        tail = f"изменено на {new}" + (f" (было {was})." if was else ".")
        text = (
            f"Время приёма {med_label(name, result.dosage)} {tail}"
            if name
            else f"{cap_first(label)}: время приёма {tail}"
        )
    if set(result.times) != set(result.new_times):
        every = times_text(result.times)
        text += pick(lang, f" Теперь: {every}.", f" Now: {every}.")
    if result.tomorrow:
        later = joined(list(result.tomorrow), lang)
        text += pick(
            lang,
            f" Напоминать в {later} начну с завтра.",
            f" Reminders at {later} start tomorrow.",
        )
    return text


def _dose_changed(result: DoseChanged, lang: str) -> str:
    times = times_text(result.times)
    if result.previous == (result.dosage,):
        return pick(
            lang,
            f"{cap_first(result.name)}: дозировка уже {result.dosage}.",
            f"{cap_first(result.name)}: the dose is already {result.dosage}.",
        )
    was = joined(list(result.previous), lang)
    if is_en(lang):
        text = f"Dose of {result.name} changed to {result.dosage}" + (
            f" (was {was})." if was else "."
        )
    else:
        name = genitive(result.name)
        tail = f"изменена на {result.dosage}" + (f" (было {was})." if was else ".")
        text = (
            f"Дозировка {name} {tail}" if name else f"{cap_first(result.name)}: дозировка {tail}"
        )
    return text + pick(lang, f" Время приёма: {times}.", f" Times: {times}.")


# ---------------------------------------------------------------- done


def _marked(result: Marked, lang: str) -> str:
    parts: list[str] = []
    if result.items:
        lines = [_marked_line(item, lang) for item in result.items]
        parts.append(_block(pick(lang, "Отмечено", "Marked"), lines))
    parts.extend(_not_now(item, lang) for item in result.not_now)
    parts.extend(over_limit_text(item, lang) for item in result.over_limit)
    text = "\n".join(parts) or pick(lang, "Нечего отмечать.", "Nothing to mark.")
    return text + _not_in_schedule(result.not_found, lang)


def _marked_line(item: MarkedLine, lang: str) -> str:
    label = med_label(item.name, item.dosage)
    if item.time != item.at:  # an as-needed intake has no scheduled time of its own
        label = f"{label} ({item.time})"
    if is_en(lang):
        return f"{label} {DASH} taken at {item.at}"
    participle = agree(item.name, "принят", "принята", "принято", "приняты")
    taken = f"{participle} в" if participle else "в"
    return f"{label} {DASH} {taken} {item.at}"


def _not_now(item: NotNow, lang: str) -> str:
    label = cap_first(med_label(item.name, item.dosage))
    if is_en(lang):
        later = f"next dose at {item.next_time}" if item.next_time else "no more doses today"
        return f"{label}: nothing to mark right now {DASH} {later}."
    later = f"следующий в {item.next_time}" if item.next_time else "на сегодня приёмов больше нет"
    return f"{label}: сейчас нет приёма, который нужно отметить {DASH} {later}."


# ---------------------------------------------------------------- schedule


def _schedule(result: Schedule, lang: str) -> str:
    zone = pick(lang, "Часовой пояс", "Time zone") + f": {zone_label(result.zone)}"
    if not result.lines:
        return f"{empty_schedule_text(lang)}\n{zone}"
    lines = [
        cap_first(med_rule_line(line.name, line.dosage, line.times, line.rule, lang, line.tomorrow))
        for line in result.lines
    ]
    title = pick(lang, "Ваше расписание:", "Your schedule:")
    return f"{title}\n{bullets(lines)}\n{zone}"
