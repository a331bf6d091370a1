"""A medication's rule in plain words: "по средам и субботам в 07:00", "09:00, до 12 декабря".

Every confirmation and `/list` says the rule this way, so what the bot stored is always what
the person reads back: a weekly drug can never silently become a daily one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from medbot.core.model import Regimen
from medbot.core.results import RuleView
from medbot.core.texts.common import DASH, is_en, joined, med_label, pick

_RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
RU_WEEKDAYS_DATIVE = ("понедельникам", "вторникам", "средам", "четвергам", "пятницам", "субботам",
                      "воскресеньям")
RU_WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
RU_WEEKDAYS_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_WEEKDAYS_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def date_text(iso: str, lang: str) -> str:
    """"12 декабря" / "December 12"."""
    day = date.fromisoformat(iso)
    if is_en(lang):
        return f"{_EN_MONTHS[day.month - 1]} {day.day}"
    return f"{day.day} {_RU_MONTHS[day.month - 1]}"


def weekday_date_text(iso: str, lang: str) -> str:
    """"пт, 11 декабря" / "Fri, December 11"."""
    day = date.fromisoformat(iso)
    short = EN_WEEKDAYS_SHORT if is_en(lang) else RU_WEEKDAYS_SHORT
    return f"{short[day.weekday()]}, {date_text(iso, lang)}"


def _plural_ru(count: int, one: str, few: str, many: str) -> str:
    tail = count % 100
    if 11 <= tail <= 14:
        return many
    return one if count % 10 == 1 else few if 2 <= count % 10 <= 4 else many


def times_text_count(count: int, lang: str) -> str:
    """"1 раз", "2 раза", "5 раз" / "once", "2 times"."""
    if is_en(lang):
        return "once" if count == 1 else f"{count} times"
    return f"{count} {_plural_ru(count, 'раз', 'раза', 'раз')}"


def days_text(count: int, lang: str) -> str:
    if is_en(lang):
        return f"{count} day" + ("" if count == 1 else "s")
    return f"{count} {_plural_ru(count, 'день', 'дня', 'дней')}"


def _weekdays(days: Sequence[int], lang: str) -> str:
    days = sorted(set(days))
    if days == [0, 1, 2, 3, 4]:
        return pick(lang, "по будням", "on weekdays")
    if days == [5, 6]:
        return pick(lang, "по выходным", "on weekends")
    if len(days) == 6:
        missing = next(day for day in range(7) if day not in days)
        if is_en(lang):
            return f"every day except {EN_WEEKDAYS[missing]}"
        genitive = ("понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья")
        return f"каждый день, кроме {genitive[missing]}"
    if is_en(lang):
        return "on " + joined([EN_WEEKDAYS[day] + "s" for day in days], lang)
    return "по " + joined([RU_WEEKDAYS_DATIVE[day] for day in days], lang)


def _every_n_days(count: int, lang: str) -> str:
    if count == 2:
        return pick(lang, "через день", "every other day")
    if is_en(lang):
        return f"every {count} days"
    return f"раз в {count} {_plural_ru(count, 'день', 'дня', 'дней')}"


def _month_day(day: int | None, lang: str) -> str:
    if day == -1:
        return pick(lang, "в последний день месяца", "on the last day of each month")
    if day is None:
        return pick(lang, "раз в месяц", "once a month")
    if is_en(lang):
        suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"on the {day}{suffix} of each month"
    return f"{day}-го числа каждого месяца"


def regimen_text(regimen: Regimen, lang: str) -> str:
    """The days part alone: "по четвергам", "через день", "по необходимости" ("" for daily)."""
    match regimen.kind:
        case "weekdays":
            return _weekdays(regimen.weekdays, lang)
        case "every_n_days":
            return _every_n_days(regimen.interval, lang)
        case "monthly":
            return _month_day(regimen.month_day, lang)
        case "every_n_hours":
            hours = regimen.interval
            if is_en(lang):
                return f"every {hours} hour" + ("" if hours == 1 else "s")
            return "каждый час" if hours == 1 else f"каждые {hours} {_plural_ru(hours, 'час', 'часа', 'часов')}"
        case "cycle":
            on, off = days_text(regimen.on_days, lang), days_text(regimen.off_days, lang)
            return pick(lang, f"{on} приёма, {off} перерыв", f"{on} on, {off} off")
        case "as_needed":
            text = pick(lang, "по необходимости", "as needed")
            if regimen.max_per_day:
                limit = regimen.max_per_day
                text += pick(
                    lang,
                    f", не чаще {limit} {_plural_ru(limit, 'раза', 'раз', 'раз')} в сутки",
                    f", at most {limit} time{'s' if limit != 1 else ''} a day",
                )
            return text
        case "once":
            when = date_text(regimen.anchor, lang) if regimen.anchor else ""
            return pick(lang, f"один раз, {when}", f"once, on {when}")
    return ""


def rule_text(rule: RuleView, times: Sequence[str], lang: str, tomorrow: Sequence[str] = ()) -> str:
    """"по средам и субботам в 07:00", "09:00, до 12 декабря", "по необходимости"."""
    days = regimen_text(rule.regimen, lang)
    if rule.regimen.kind not in ("daily", "every_n_hours"):
        tomorrow = ()  # "по пятницам в 09:00 (с завтра)" would mislead: the rule says which day
    clock = ", ".join(
        f"{time} ({pick(lang, 'с завтра', 'from tomorrow')})" if time in tomorrow else time
        for time in sorted(times)
    )
    if rule.regimen.kind == "as_needed":
        text = days
    elif rule.regimen.kind == "every_n_hours" and clock:
        text = f"{days}: {clock}"
    elif days and clock:
        joint = ", " if rule.regimen.kind == "cycle" else " "
        text = f"{days}{joint}{pick(lang, 'в', 'at')} {clock}"
    else:
        text = days or clock
    extras: list[str] = []
    if rule.start:
        extras.append(pick(lang, f"с {date_text(rule.start, lang)}", f"from {date_text(rule.start, lang)}"))
    if rule.steps:
        extras.append(_steps_text(rule, lang))
    if rule.until and rule.regimen.kind != "once":
        extras.append(pick(lang, f"до {date_text(rule.until, lang)} включительно",
                           f"until {date_text(rule.until, lang)}"))
    for pause in rule.pauses:
        if pause.first == pause.last:
            extras.append(pick(lang, f"пропуск {date_text(pause.first, lang)}", f"skipping {date_text(pause.first, lang)}"))
        else:
            extras.append(pick(lang, f"перерыв {date_text(pause.first, lang)}{DASH}{date_text(pause.last, lang)}",
                               f"break {date_text(pause.first, lang)}{DASH}{date_text(pause.last, lang)}"))
    if rule.finished:
        extras.append(pick(lang, "курс закончен", "course finished"))
    return ", ".join([text, *extras]) if text else ", ".join(extras)


def _steps_text(rule: RuleView, lang: str) -> str:
    parts: list[str] = []
    for index, step in enumerate(rule.steps):
        following = rule.steps[index + 1].start if index + 1 < len(rule.steps) else None
        if following is not None:
            last = date.fromordinal(date.fromisoformat(following).toordinal() - 1).isoformat()
            span = f"{date_text(step.start, lang)}{DASH}{date_text(last, lang)}"
        else:
            span = pick(lang, f"с {date_text(step.start, lang)}", f"from {date_text(step.start, lang)}")
        parts.append(f"{step.dosage} ({span})")
    return pick(lang, "по шагам: ", "in steps: ") + "; ".join(parts)


def med_rule_line(name: str, dosage: str | None, times: Sequence[str], rule: RuleView | None, lang: str,
                  tomorrow: Sequence[str] = ()) -> str:
    """"диувер 5 мг — по средам и субботам в 07:00"."""
    label = med_label(name, dosage)
    if rule is None or rule.plain_daily:
        clock = ", ".join(
            f"{time} ({pick(lang, 'с завтра', 'from tomorrow')})" if time in tomorrow else time
            for time in sorted(times)
        )
        return f"{label} {DASH} {clock}" if clock else label
    return f"{label} {DASH} {rule_text(rule, times, lang, tomorrow)}"
