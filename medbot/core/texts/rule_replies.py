"""Replies about rules: a changed rule, a break, the agenda, "no", and what cannot be stored."""

from __future__ import annotations

from itertools import groupby

from medbot.core.inflect import accusative, cap_first, genitive
from medbot.core.results import AgendaView, Cancelled, OverLimit, Paused, RegimenChanged, Result, RuleRefused
from medbot.core.texts.common import DASH, bullets, joined, med_label, pick
from medbot.core.texts.rules import days_text, med_rule_line, weekday_date_text


def rule_reply(result: Result, lang: str) -> str:
    match result:
        case RegimenChanged():
            line = cap_first(med_rule_line(result.name, result.dosage, result.times, result.rule, lang,
                                           result.tomorrow))
            return pick(lang, f"Готово, теперь: {line}", f"Done. Now: {line}")
        case Paused():
            return _paused(result, lang)
        case AgendaView():
            return _agenda(result, lang)
        case Cancelled():
            return pick(lang, "Хорошо, ничего не меняю.", "OK, nothing changed.")
        case RuleRefused():
            return _refused(result, lang)
    return ""


def _paused(result: Paused, lang: str) -> str:
    when = (weekday_date_text(result.first, lang) if result.first == result.last
            else f"{weekday_date_text(result.first, lang)} {DASH} {weekday_date_text(result.last, lang)}")
    if result.names:
        what = joined(list(result.names), lang)
        if lang == "en":
            return f"OK: no reminders for {what} on {when}. Nothing was deleted."
        names = joined([accusative(name) or name for name in result.names], lang)
        return f"Хорошо: {when} напоминаний про {names} не будет. Ничего не удалено."
    return pick(lang, f"Хорошо: {when} напоминаний не будет. Расписание сохранено.",
                f"OK: no reminders on {when}. Your schedule is kept.")


def _agenda(result: AgendaView, lang: str) -> str:
    period = days_text(result.days, lang)
    if not result.lines:
        return pick(lang, f"На ближайшие {period} приёмов нет.", f"Nothing scheduled in the next {period}.")
    title = pick(lang, f"Ближайшие {period}:", f"The next {period}:")
    blocks = [title]
    for day, lines in groupby(result.lines, key=lambda line: line.date):
        items = [f"{line.time} {med_label(line.name, line.dosage)}" for line in lines]
        blocks.append(f"{cap_first(weekday_date_text(day, lang))}\n{bullets(items)}")
    return "\n".join(blocks)


def _refused(result: RuleRefused, lang: str) -> str:
    name = result.name or ""
    match result.reason:
        case "past_date":
            return pick(lang, "Эта дата или время уже прошли. Напишите, когда напомнить.",
                        "That date or time has already passed. Tell me when to remind you.")
        case "end_before_start":
            return pick(lang, "Дата окончания раньше начала. Проверьте даты, пожалуйста.",
                        "The end date is before the start. Please check the dates.")
        case "too_far":
            return pick(lang, "Так далеко вперёд я не планирую (не больше двух лет).",
                        "I don't plan that far ahead (two years at most).")
        case "as_needed_time":
            return pick(
                lang,
                f"{cap_first(name)} принимается по необходимости, без времени. Чтобы я напоминал, "
                f"напишите расписание, например «{name} каждый день в 9».",
                f"{cap_first(name)} is taken as needed, with no time. For reminders, write a schedule, "
                f"e.g. “{name} every day at 9”.",
            )
        case "steps_unclear":
            return pick(
                lang,
                "Сколько дней принимать каждую дозировку? Напишите, например: «неделю по 4 таблетки, "
                "потом неделю по 3».",
                "How many days for each dose? Write, for example: “4 tablets for a week, then 3 for a week”.",
            )
        case "nothing_left":
            return pick(lang, "В расписании нет приёмов, которые можно пропустить.",
                        "There are no scheduled doses to skip.")
    return ""


def over_limit_text(item: OverLimit, lang: str) -> str:
    return pick(
        lang,
        f"⚠️ Это уже {item.count}-й приём {genitive(item.name) or item.name} за сутки, "
        f"а максимум — {item.limit}. Если что-то не так, посоветуйтесь с врачом.",
        f"⚠️ You have taken {item.name} {item.count} times today; the maximum is {item.limit}. "
        "If something is wrong, please talk to a doctor.",
    )
