"""Questions about rules: which weekday, from what time, for how long, "is this right?",
and the one-time "the course is over" question, with their button labels."""

from __future__ import annotations

from medbot.core.inflect import cap_first, genitive
from medbot.core.results import AddedLine, Clarify, Option
from medbot.core.texts.common import med_label, pick
from medbot.core.texts.rules import EN_WEEKDAYS, RU_WEEKDAYS, days_text, med_rule_line
from medbot.core.texts.voice import heard_confirm


def answer_label(option: Option, lang: str) -> str:
    if option.answer == "yes":
        return pick(lang, "Да", "Yes")
    if option.answer == "no":
        return pick(lang, "Нет", "No")
    label = option.label or ""
    kind, _, value = label.partition(":")
    if kind == "weekday" and value.isdigit() and 0 <= int(value) <= 6:
        return (EN_WEEKDAYS if lang == "en" else RU_WEEKDAYS)[int(value)].capitalize()
    if kind == "choice":
        return {"replace": pick(lang, "Заменить расписание", "Replace its schedule"),
                "separate": pick(lang, "Добавить отдельно", "Add separately")}.get(value, label)
    if kind == "days":
        return pick(lang, "Без срока", "No end date") if value == "open" else days_text(int(value), lang)
    return label


def _reading_line(line: AddedLine, lang: str) -> str:
    """What would be stored, the rule said out loud even when it is "every day": a person who
    wrote a weekday the bot could not read sees at once that it would be daily."""
    if (line.rule is None or line.rule.plain_daily) and line.times:
        every = pick(lang, "каждый день в", "every day at")
        return cap_first(f"{med_label(line.name, line.dosage)} — {every} {', '.join(sorted(line.times))}")
    return cap_first(med_rule_line(line.name, line.dosage, line.times, line.rule, lang))


def rule_question(result: Clarify, lang: str) -> str | None:
    subject = result.subject
    name = subject.name if subject else (result.names[0] if result.names else "")
    label = med_label(name, subject.dosage if subject else None)
    match result.question:
        case "course_end":
            return pick(
                lang,
                f"Курс {genitive(name) or name} закончился. Удалить его из списка?",
                f"The course of {name} has ended. Remove it from your list?",
            )
        case "weekday":
            return pick(lang, f"В какой день недели принимать {label}?",
                        f"On which day of the week do you take {label}?")
        case "first_time":
            return pick(
                lang,
                f"С какого времени считать приёмы {genitive(name) or name}? Напишите время первого приёма, "
                "например «с 7:00».",
                f"From what time should I count the doses of {name}? Write the first dose time, e.g. “7:00”.",
            )
        case "course_length":
            return pick(lang, f"Сколько дней длится курс {genitive(name) or name}?",
                        f"How many days is the course of {name}?")
        case "regimen_med":
            return pick(lang, "Для какого лекарства изменить расписание?", "Which medication gets the new schedule?")
        case "pause_med":
            return pick(lang, "Для какого лекарства сделать перерыв?", "Which medication should pause?")
        case "confirm":
            return _confirm(result, label, lang)
        case "rule_or_new":
            kept = "\n".join(_reading_line(line, lang) for line in result.reading if isinstance(line, AddedLine))
            return pick(
                lang,
                f"{cap_first(name)} уже есть в расписании:\n{kept}\nЗаменить его расписание на новое "
                "или добавить отдельной записью?",
                f"{cap_first(name)} is already in your schedule:\n{kept}\nReplace its schedule with the new one, "
                "or add it as a separate entry?",
            )
    return None


def _confirm(result: Clarify, label: str, lang: str) -> str:
    reading = "\n".join(_reading_line(line, lang) for line in result.reading if isinstance(line, AddedLine))
    match result.reason:
        case "weekly_drug":
            return pick(
                lang,
                f"{cap_first(label)} обычно принимают раз в неделю или реже: ежедневный приём может быть опасен. "
                "Врач точно назначил чаще, чем раз в неделю?",
                f"{cap_first(label)} is usually taken once a week or less often: taking it daily can be dangerous. "
                "Did your doctor really prescribe it more often than weekly?",
            )
        case "taper_steps":
            return pick(
                lang,
                f"Понял так (где срок не был сказан, беру как у предыдущего шага):\n{reading}\nВерно?",
                f"Here is how I read it (a step without a length lasts as long as the one before):\n{reading}\n"
                "Is that right?",
            )
        case "reading":
            return pick(lang, f"Правильно ли я понял? Добавить:\n{reading}", f"Did I get this right? Add:\n{reading}")
        case "heard" | "unsure":
            preview = result.reading[0] if result.reading and isinstance(result.reading[0], str) else label
            return heard_confirm(preview, lang)
        case "other_half":
            said, there = (str(item) for item in result.reading[:2])
            new = ", ".join(result.new_times)
            return pick(
                lang,
                f"В {said} {genitive(label) or label} в расписании нет, есть в {there}. "
                f"Перенести приём {there} на {new}?",
                f"{cap_first(label)} is not at {said}, it is at {there}. Move the {there} dose to {new}?",
            )
        case "month_day":
            day = result.reading[0] if result.reading else ""
            return pick(lang, f"Раз в месяц — {day}-го числа, как сегодня?",
                        f"Once a month — on day {day}, like today?")
    return pick(lang, f"Всё верно: {label}?", f"Is this right: {label}?")
