"""Phrases about *which days* (weekdays, intervals, months, hours, courses, cycles, "as needed",
one-offs, pauses, "what's coming up"), found in the folded text as claimed spans.

Each pattern yields facts (a plain dict) over a character span; spans compete longest first,
like the command cues. `medbot.core.nlu.schedule_facts.assemble` then turns one message's facts into
a rule, or says they do not fit together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from medbot.core.commands import DateRef
from medbot.core.nlu.first_chars import ByFirstChar
from medbot.core.nlu.lexicon import HEALTH_WORKER
from medbot.core.nlu.numbers import days_in_dnya
from medbot.core.nlu.schedule_vocab import (
    COURSE_STOP,
    DATE,
    DAY_OF_MONTH,
    EN_ORD,
    GENITIVE_WEEKDAY,
    LENGTH,
    LENGTH_UNIT,
    MONTH_EN,
    MONTH_RU,
    NUM,
    PROCEDURE,
    RANGE_SEP,
    RU_DAY_ORDINALS,
    RU_ORD,
    WEEKDAY,
    WEEKDAY_LIST,
    checked_date,
    date_ref,
    day_of_month,
    length_days,
    number,
    ordinal,
    ru_day_ordinal,
    weekdays_in,
)
from medbot.core.nlu.spans import longest_first
from medbot.core.nlu.when_needed import CONDITION, names_a_symptom

Facts = dict[str, Any]

_SYMPTOMS_RU = (r"(?:голова|головы|живот|спина|спину|зуб|зубы|горло|сердце|желудок|суставы|колено|"
                r"поясница|мигрень|температура|давление|сахар)")
_TAKE = (r"(?:пью|пьем|пьет|пьют|пьешь|принимаю|принимаем|принимает|принимают|принимаешь|приема|прием|пить|принимать|таблетки"
         r"|колю|капаю|да"
         r"|on|taking|стоит|ношу|носит)")
_BREAK = r"(?:перерыв\w*|отдых\w*|пауз[аыу]|не пью|не пьем|не принимаю|без таблеток|нет|off|break|rest)"
_BREAK_AFTER = (r"перерыв\w*|отдыха\w*|отдых|пауз[аыу]|не пь[юеёй]\w*|не пить|не принима\w*|без (?:таблеток|лекарств\w*|него|нее|неё|них)"
                r"|off|break|rest|pause")


@dataclass(frozen=True)
class RuleHit:
    start: int
    """Character span in the folded text."""
    end: int
    facts: Facts



# ---------------------------------------------------------------- the patterns


Reader = Callable[[re.Match[str]], Facts | None]
_PATTERNS: list[tuple[str, Reader]] = []
_NEEDS: dict[int, re.Pattern[str]] = {}
"""For a pattern that cannot match without one of a few words, those words: most messages have
none of them, and the pattern is not tried at every word (`find_rules`)."""


def _constant(regex: str, facts: Facts, needs: str | None = None) -> None:
    """A phrase whose facts do not depend on what matched ("через день" → every 2 days)."""
    if needs is not None:
        _NEEDS[len(_PATTERNS)] = re.compile(needs)
    _PATTERNS.append((regex, lambda _match: dict(facts)))


def _pattern(regex: str, needs: str | None = None) -> Callable[[Reader], Reader]:
    def register(reader: Reader) -> Reader:
        if needs is not None:
            _NEEDS[len(_PATTERNS)] = re.compile(needs)
        _PATTERNS.append((regex, reader))
        return reader

    return register


_constant(r"(?:кажд\w+ день|ежедневно|every ?day|daily|each day|день в день)", {"daily": True})


@_pattern(rf"(?:(?:кажд\w+ день,? |все дни,? |ежедневно,? |every day,? |daily,? |all days,? )?(?:кроме|за исключением"
          rf"|except(?: for| on)?|but not(?: on)?) |(?:every day|daily|all week),? but (?:not )?(?:on )?)"
          rf"(?:по )?(?P<days>{WEEKDAY_LIST}|выходных|weekends?)")
def _except(match: re.Match[str]) -> Facts | None:
    text = match.group("days")
    skipped = [5, 6] if text.startswith(("выходн", "weekend")) else weekdays_in(text)[0]
    if not skipped:
        return None
    return {"weekdays": [day for day in range(7) if day not in skipped], "plural": True}


_constant(r"(?:по |в |во |on |during )?(?:будн\w+(?: дн\w+)?|рабоч\w+ дн\w+|weekdays|workdays|week ?days)",
          {"weekdays": [0, 1, 2, 3, 4], "plural": True, "every": True})


_constant(r"(?:в |на |on |at |over |this |next )?(?:the |эти |ближайшие |следующие )?(?:выходн\w+(?: дн\w+)?|weekend)",
          {"weekdays": [5, 6], "plural": True, "weekend": True})
_constant(r"(?:по |on )(?:выходн\w+(?: дн\w+)?|weekends)|weekends",
          {"weekdays": [5, 6], "plural": True, "weekend": True, "every": True})
""""по выходным", "on weekends": every weekend (a break is only ever the coming one: "в выходные")."""


_A_SPAN_OF_DAYS = re.compile(rf"(?:со?|from) {GENITIVE_WEEKDAY} (?:до|until|till) ")
_FROM = re.compile(r"(?:^|\s)(?:со?|from) $")
_UNTIL_DAY = re.compile(rf"{GENITIVE_WEEKDAY} (?:до|until|till) ")


@_pattern(rf"(?:(?:next|this|coming|this coming|в следующ\w+|в эт\w+|в ближайш\w+|следующ\w+|ближайш\w+) )?"
          rf"(?P<every>кажд\w+ |по |every |each |on |в |во )?(?P<days>(?:с |from )?{WEEKDAY}{RANGE_SEP}{WEEKDAY}"
          rf"|{WEEKDAY_LIST})")
def _weekdays(match: re.Match[str]) -> Facts | None:
    days, plural = weekdays_in(match.group("days"))
    if not days:
        return None
    every = (match.group("every") or "").strip()
    before = match.string[max(0, match.start("days") - 5):match.start("days")]
    if not every and _A_SPAN_OF_DAYS.match(match.group("days")) or _FROM.search(before) and _UNTIL_DAY.match(match.group("days")):
        return None  # "со среды до воскресенья": from this Wednesday until Sunday, once
    if every == "по" and not plural and len(days) == 1 and match.group("days").rstrip(".") not in _SHORT_WEEKDAYS:
        return None  # "с завтра по воскресенье": until Sunday ("по воскресеньям", "по вс": every Sunday)
    every_week = plural or every in ("по", "every", "each") or every.startswith("кажд")
    return {"weekdays": days, "plural": every_week or len(days) > 1, "every": every_week}


_constant(r"(?:(?:1|один|одну) )?раз в (?:неделю|нед\.?)|еженедельн\w*|once (?:a|per|every) week|once weekly|weekly|"
          r"every week|each week|кажд\w+ недел\w+|once in (?:a|every|each) week", {"weekly": True})
"""("Раз в 7 дней", "every 7 days" count days from the first: every 7th day, no weekday to ask for.)"""


@_pattern(rf"(?P<n>{NUM}|пару|несколько) раза? в неделю|(?P<en>twice|three times|a few times|a couple of times|(?:{NUM}) times)"
          r" (?:a|per) week")
def _times_a_week(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("en")
    if text in ("несколько", "a few times"):
        return {"unsure": True}
    count = 2 if text in ("twice", "пару", "a couple of times") else 3 if text == "three times" else (
        number(text.replace(" times", "")))
    if count is None or not 1 <= count <= 7:
        return {"unsure": True}  # "в 9 раз в неделю": nine times, or at nine?
    return {"weekly": True, "per_week": count}


@_pattern(rf"через (?P<n>{NUM}) (?:дня|дней|суток) на (?P<m>{RU_ORD}|\d{{1,2}}-?(?:й|ий|ой|ье|ый))", needs=r"через")
def _n_then_one(match: re.Match[str]) -> Facts | None:
    """"через два дня на третий": every third day."""
    n = number(match.group("n"))
    m = ordinal(match.group("m")) or number(re.sub(r"\D", "", match.group("m")) or "x")
    return {"interval": m} if n and m == n + 1 and 2 <= m <= 30 else None


_constant(r"раз в двое суток|через (?:день|сутки|денек|денёк|дневку)|(?:on )?alternate days?|every other day|каждые (?:вторые )?сутки через сутки|eod|qod|q\.o\.d\.?"
          r"|кажд\w+ 2-?(?:й|ой|ые|ое) (?:день|сутки|дня)",
          {"interval": 2})


_constant(rf"через каждые (?:{NUM}) (?:дня|дней|суток)", {"unsure": True})
""""через каждые 2 дня": every second day to some, every third to others; asked."""


@_pattern(rf"(?:(?:1|один) )?раз в (?P<n>{NUM}) (?:дня|дней|суток)|кажд\w+ (?P<n2>{NUM}) (?:дня|дней|суток)"
          rf"|кажд\w+ (?P<ord>{RU_ORD}) (?:день|сутки|дня)|(?:once )?every (?P<n3>{NUM}|{EN_ORD}) days?"
          rf"|раз в (?P<n4>{NUM}) суток|кажд\w+ (?P<n5>\d{{1,2}})-?(?:й|ий|ой|ые|ое) (?:день|сутки|дня)"
          rf"|(?:кажд\w+|раз в) (?P<c>двое|трое|четверо|пятеро) суток")
def _every_n_days(match: re.Match[str]) -> Facts | None:
    if match.group("c"):  # "каждые трое суток": every third day
        return {"interval": {"двое": 2, "трое": 3, "четверо": 4, "пятеро": 5}[match.group("c")]}
    text = match.group("n") or match.group("n2") or match.group("n3") or match.group("n4") or match.group("n5")
    value = (number(text) or ordinal(text)) if text else ordinal(match.group("ord") or "")
    if value is None or not 2 <= value <= 366:
        return None
    return {"interval": value}


@_pattern(rf"(?:(?:1|один) )?раз в (?P<n>{NUM}) недел\w+|кажд\w+ (?P<n2>{NUM}|{RU_ORD}) недел\w+"
          rf"|(?:once )?every (?P<n3>{NUM}|{EN_ORD}) weeks?|(?:once )?every fortnight|fortnightly|раз в полмесяца")
def _every_n_weeks(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2") or match.group("n3")
    weeks = 2 if text is None else (number(text) or ordinal(text))
    if weeks is None or not 2 <= weeks <= 52:
        return None
    return {"interval": weeks * 7, "weeks": True}


_constant(r"(?:(?:1|один) )?раз в (?:месяц|мес\.?)|ежемесячн\w*|кажд\w* (?:месяц|мес\.?)|(?:once )?monthly|every month"
          r"|once (?:a|per|in a|in every|every) month|each month",
          {"monthly": True})


@_pattern(r"(?:кажд\w+ )?(?P<d>\d{1,2})(?:-?(?:го|е|ое|ого))? (?:числ[аоу])(?: (?:кажд\w+ |в |of )?мес(?:яц)?\w*)?"
          r"|по (?P<d2>\d{1,2})-?(?:м|ым|им)? числам(?: кажд\w+ месяц\w*)?")
def _month_day(match: re.Match[str]) -> Facts | None:
    day = int(match.group("d") or match.group("d2"))
    every = "кажд" in match.group(0) or "мес" in match.group(0) or bool(match.group("d2"))  # "по 25-м числам": every month
    return {"month_day": day, "monthly": every} if 1 <= day <= 31 else None  # "25 числа": this month's, or every?


@_pattern(r"(?:кажд\w+ )?(?P<d>\d{1,2})-?(?:го|ого)(?=[ ,.;]|$)(?! (?:тип|степен|класс|поколен|уровн|этаж|курс))"
          r"(?P<every> кажд\w+ месяц\w*)?", needs=r"\dго|\d-го|\dого")
def _day_of_month(match: re.Match[str]) -> Facts | None:
    """"20-го", "каждого 7го", "25-го каждого месяца": a day of the month, every month only when said so."""
    day = int(match.group("d"))
    every = match.group(0).startswith("кажд") or bool(match.group("every"))
    return {"month_day": day, "monthly": every} if 1 <= day <= 31 else None


_EN_DAY_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                    "eighth": 8, "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "last": -1}
_RU_DAY_WORD = "(?:" + "|".join(sorted(RU_DAY_ORDINALS, key=len, reverse=True)) + r")(?:ого|ое|ье|ьего|ий|ый|ой|ье)"


@_pattern(rf"(?:кажд\w+ )?(?P<w>(?:двадцат\w+ |тридцат\w+ )?{_RU_DAY_WORD}) (?:числ[аоу])(?: (?:кажд\w+ |в |of )?мес(?:яц)?\w*)?"
          r"|(?:кажд\w+ )?последн\w+ числ[аоу](?: (?:кажд\w+ )?месяц\w*)?"
          r"|(?:on )?(?:the )?(?P<e>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|fifteenth|twentieth|last)"
          r"(?: day)? of (?:each|every|the) month")
def _month_day_words(match: re.Match[str]) -> Facts | None:
    if match.group("e"):
        return {"month_day": _EN_DAY_ORDINALS[match.group("e")], "monthly": True}
    if match.group("w") is None:
        return {"month_day": -1, "monthly": True}
    day = ru_day_ordinal(match.group("w"))
    return {"month_day": day, "monthly": True} if day else None


@_pattern(r"(?:on )?(?:the )?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?: day)? of (?:each|every|the) month"
          r"|(?:on )?(?:the )?(?P<d3>\d{1,2})(?:st|nd|rd|th) (?:of )?every month|on (?P<d4>\d{1,2})(?:st|nd|rd|th)(?![\w-])"
          r"|(?:on )?the (?P<d2>\d{1,2})(?:st|nd|rd|th)(?![\w-])")
def _month_day_en(match: re.Match[str]) -> Facts | None:
    day = int(match.group("d") or match.group("d2") or match.group("d3") or match.group("d4"))
    if not 1 <= day <= 31:
        return None
    return {"month_day": day, "monthly": bool(match.group("d") or match.group("d3"))}


_constant(r"(?:в )?последн\w+ (?:день|число) (?:кажд\w+ )?мес(?:яца)?|(?:on )?(?:the )?last day of (?:each|every|the) month",
          {"month_day": -1, "monthly": True})
_constant(r"(?:в )?(?:перв\w+|1-?\w?) (?:день|число) (?:кажд\w+ )?мес(?:яца)?", {"month_day": 1, "monthly": True})


@_pattern(rf"(?:через )?кажд\w* (?:(?P<n>{NUM}) ?)?(?:час(?:а|ов)?|ч\.?)|раз в (?P<n2>{NUM} )?(?:час(?:а|ов)?|ч\.?)"
          rf"|(?:every|each) (?:(?P<n3>{NUM}) ?)?(?:hours?|hrs?|h)|q(?P<n4>\d{{1,2}})h"
          rf"|(?:с )?интервал(?:ом)?(?: в)? (?P<n5>{NUM}) ?(?:час(?:а|ов)?|ч\.?)|(?:at |with )?(?:an )?interval of (?P<n6>{NUM}) ?(?:hours?|hrs?|h)"
          rf"|(?P<n7>{NUM})[ -]hourly")
def _every_n_hours(match: re.Match[str]) -> Facts | None:
    text = (match.group("n") or match.group("n2") or match.group("n3") or match.group("n4") or match.group("n5")
            or match.group("n6") or match.group("n7"))
    hours = number(text) if text else 1
    if hours is None or not 1 <= hours <= 12:
        return {"unsure": True}
    return {"hours": hours}


@_pattern(rf"(?:в течени[ие]|на протяжении|курсом(?: на)?|курс(?: на| в)?|на|for|over|during|within|for the next|x|×)"
          rf" (?:следующ\w+ |ближайш\w+ )?(?P<len>{LENGTH})|(?<!\bв )(?<!\bво )(?:(?<!\bи )|(?={NUM} {LENGTH_UNIT} по ))(?P<bare>{NUM} {LENGTH_UNIT})"
          rf"|(?P<week>недел[юи]|a week|недельку|неделя(?= (?:по )?\d))"
          r"|(?:x|х|×) ?(?P<x>\d{1,3}) ?(?P<xunit>d|days?|дн\w*|д|w|wks?|weeks?|нед\w*)"
          r"|(?P<month>месяц)(?= |$|[.,!;])")
def _course_length(match: re.Match[str]) -> Facts | None:
    if match.group("week"):
        return {"days": 7}
    if match.group("month"):
        return {"days": 30}  # "утром месяц": for a month
    if match.group("x"):  # "x5d", "x 3 days", "x2 wks"
        weeks = match.group("xunit").startswith(("w", "нед"))
        days = int(match.group("x")) * (7 if weeks else 1)
        return {"days": days} if 1 <= days <= 366 else None
    bare = match.group("bare")
    if bare and re.fullmatch(r"[2-6] неделя", bare):
        return None  # "2 неделя 3 таблетки": the second week, a step of its own
    if (bare and bare.endswith(" дня") and match.string[max(0, match.start() - 2):match.start()] == ", "
            and not _A_LENGTH_GOES_ON.match(match.string, match.end())
            and _AN_HOUR_BEFORE.search(match.string, 0, match.start() - 2)
            and not (_A_CLOCK_BEFORE.search(match.string, 0, match.start() - 2)
                     and not _MORE_HOURS.match(match.string, match.end()))):
        return None  # "в 8 утра, 2 дня и 8 вечера": 14:00 in a list of hours ("..., 3 дня по 10 мг" is three days)
    days = length_days(match.group("len") or match.group("bare"))
    return {"days": days} if days else None


_AN_HOUR_BEFORE = re.compile(r"(?:\d|утра|вечера|дня|ночи|am|pm)$")
"""A list of hours goes on after one: "в 8 утра, 2 дня и 8 вечера" (not "500 мг, 3 дня, в 10")."""
_A_CLOCK_BEFORE = re.compile(r"\d:\d\d$")
_MORE_HOURS = re.compile(r" (?:и|and) ")
""""в 20:00, три дня": a clock time needs no "дня" to say its half of the day, so after one the
words are the length, unless more hours follow ("в 8:00, 3 дня и 9 вечера")."""
_A_LENGTH_GOES_ON = re.compile(r" (?:по|всего|подряд|курсом)(?![\w-])")


@_pattern(rf"(?P<n>{NUM})[ -](?:day|week)s? course(?: of)?|(?P<n2>\d{{1,3}})-?(?:дневн|недельн)\w* курс\w*",
          needs=r"course|курс")
def _n_day_course(match: re.Match[str]) -> Facts | None:
    """"5-day course", "10-дневный курс": the course's length."""
    count = number(match.group("n") or match.group("n2"))
    days = count * (7 if "week" in match.group(0) or "недельн" in match.group(0) else 1) if count else 0
    return {"days": days} if 1 <= days <= 366 else None


_constant(r"(?:(?:начинаю|начинаем|начнем|начну|начинает|начала?|начали|нужно пройти|надо пройти|пройти|пропить|прохожу|назначили) )?курс(?:ом|ами)?"
          r"|(?:(?:start|starting|begin|on|take|taking) )?(?:a )?course(?: of)?", {"course_word": True})


@_pattern(rf"(?P<prep>до|по|until|till|through|thru|up to|to)(?: the)? (?P<date>{DATE}|{GENITIVE_WEEKDAY}|{WEEKDAY}"
          rf"|{DAY_OF_MONTH})(?P<incl> включительно| inclusive)?")
def _until(match: re.Match[str]) -> Facts | None:
    if match.group("prep") == "по" and (match.group("date").rstrip(".") in _SHORT_WEEKDAYS
                                        or weekdays_in(match.group("date").rstrip("."))[1]):
        return None  # "по вскр", "по пн", "по воскресеньям.": on Sundays, on Mondays (a last day is said "до")
    found = date_ref(match.group("date")) or day_of_month(match.group("date"))
    if found is None or (match.group("prep") == "to" and found.kind != "date"):
        return None
    inclusive = bool(match.group("incl")) or match.group("prep") in ("по", "through", "thru", "to")
    return {"until": found, "inclusive": inclusive}


_AN_EVENT = rf"{PROCEDURE}|удалени\w* зуба|blood (?:test|work|draw)|dental \w+|op"


@_pattern(rf"(?P<prep>до|until|till|up to) (?:(?:my|the|her|his|мо\w+|е[её]|его) )?(?:{_AN_EVENT})(?: \w+)?"
          rf" (?:в |во |on |this |next |(?:on )?the )?(?P<date>{DATE}|{WEEKDAY}|{DAY_OF_MONTH})",
          needs=rf"(?:до|until|till|up to) (?:\w+ )?(?:{_AN_EVENT})")
def _until_an_event(match: re.Match[str]) -> Facts | None:
    """"не напоминай до операции в понедельник", "until my procedure on Thursday": the day of the
    event is the first day it is taken again (the day before is the last one without it)."""
    found = date_ref(match.group("date")) or day_of_month(match.group("date"))
    return {"until": found, "inclusive": False} if found is not None else None


@_pattern(r"(?:с|со) (?P<d1>\d{1,2}) (?:по|до) (?P<d2>\d{1,2})(?= |$|[.,!])",
          needs=r"не напомин|выключ|отключ|пауз|перерыв|пропус|стоп|без напоминаний|никаких напоминаний")
def _bare_date_range(match: re.Match[str]) -> Facts | None:
    """"все напоминания выключи с 20 по 27": with a break said, two bare numbers are days of the month."""
    first, last = int(match.group("d1")), int(match.group("d2"))
    if not (1 <= first <= 31 and 1 <= last <= 31) or first == last:
        return None
    return {"start": DateRef("date", first), "until": DateRef("date", last), "inclusive": True}


@_pattern(rf"(?:(?:с|со|from) )?(?:(?P<m1>{MONTH_EN}) (?P<d1>\d{{1,2}})(?:st|nd|rd|th)? ?- ?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
          rf"|(?:the )?(?P<d3>\d{{1,2}})(?:st|nd|rd|th|-?го)? ?- ?(?P<d4>\d{{1,2}})(?:st|nd|rd|th|-?го|-?е)? (?:of )?"
          rf"(?P<m2>{MONTH_RU}|{MONTH_EN}))(?![\w-])")
def _dashed_date_range(match: re.Match[str]) -> Facts | None:
    """"June 3-10", "3-10 июня", "the 3rd-10th of June": both days of one month, the last included."""
    month = date_ref(f"1 {match.group('m1') or match.group('m2')}")
    first, last = (int(match.group("d1") or match.group("d3")), int(match.group("d2") or match.group("d4")))
    start = checked_date(first, month.month, None) if month is not None else None
    end = checked_date(last, month.month, None) if month is not None else None
    if start is None or end is None or first >= last:
        return None
    return {"start": start, "until": end, "inclusive": True}


@_pattern(rf"(?:с|со|from)(?: the)? (?P<d1>\d{{1,2}})(?:-?(?:го|е)|st|nd|rd|th)? (?P<prep>по|до|to|through|till|until)(?: the)?"
          rf" (?P<date>{DATE}|{DAY_OF_MONTH}|\d{{1,2}}-?е(?: числ[ао])?)")
def _date_range(match: re.Match[str]) -> Facts | None:
    end = date_ref(match.group("date")) or day_of_month(re.sub(r"-?е(?= |$)", "-го", match.group("date")))
    if end is None or end.kind != "date":
        return None
    if end.month is None:  # "с 20-го по 25-е", "from the 10th to the 15th"
        start = DateRef("date", int(match.group("d1"))) if 1 <= int(match.group("d1")) <= 31 else None
        return {"start": start, "until": end, "inclusive": match.group("prep") != "до"} if start else None
    start = checked_date(int(match.group("d1")), end.month, end.year)
    if start is None:
        return None
    return {"start": start, "until": end, "inclusive": match.group("prep") in ("по", "to", "through")}


_constant(r"(?:с|со|начиная со?) (?:второй|третьей|четвертой|\d-?й) недел\w*|from (?:the )?(?:second|third|2nd|3rd) week"
          r"|from week \d", {"then": True}, needs=r"недел|week")


_SHORT_WEEKDAYS = frozenset({"пн", "пон", "вт", "ср", "чт", "пт", "сб", "вс", "вскр", "воскр"})


@_pattern(rf"(?:с|со) {GENITIVE_WEEKDAY} на (?P<new>{WEEKDAY})", needs=r" на ")
def _weekday_moved(match: re.Match[str]) -> Facts | None:
    """"перенести с понедельника на среду": the new day (the old one is what the bot has)."""
    days, _plural = weekdays_in(match.group("new"))
    return {"weekdays": days, "plural": True, "every": True} if days else None


@_pattern(rf"(?:начиная |начать )?(?:с|со|starting(?: on| from)?|from|beginning(?: on)?|start(?:ing)?)"
          rf" (?P<date>{DATE}|{GENITIVE_WEEKDAY}|(?:завтрашнего|сегодняшнего)(?: дня|(?= *(?:[,.!;]|$)))|этой недели|завтра"
          rf"|сегодня|tomorrow|today|{WEEKDAY})")
def _start(match: re.Match[str]) -> Facts | None:
    said = match.group("date")
    found = date_ref(said if said.endswith(" дня") or not said.endswith("его") else f"{said} дня")  # "с завтрашнего"
    if found is not None and said == "этой недели":
        return {"now": True}  # "торасемид с этой недели по понедельникам": a new rule from now on
    return {"start": found} if found else None


@_pattern(rf"(?:on )?(?P<date>{DATE})")
def _date_word(match: re.Match[str]) -> Facts | None:
    found = date_ref(match.group("date"))
    return {"day": found} if found else None


_constant(r"(?:an? |one )?(?:one-off|one off|single|one-time) (?:dose|shot|injection|jab|tablet|pill) of", {"once_word": True})
""""a one-off dose of fluconazole": once, and no dose changed."""
_constant(r"(?<=tomorrow and )(?:the day after|the next day)|(?<=завтра и )на следующий день", {"day": DateRef("offset", 2)})
""""tomorrow and the day after": the day after tomorrow, said after it."""


@_pattern(r"(?:на |в )?(?:сегодня|завтра|послезавтра)|(?:on )?(?:today|tomorrow)"
          r"|(?<!\d )(?<!am )(?<!pm )tonight(?= at| around| about| only|,? just the once|,? (?:only|just) once|,? once only)"
          r"|(?<=pm )tonight(?= to (?:take|use|give|put|apply|inject)\b)"
          r"|(?:just |only )(?:for )?tonight"
          r"|(?:the )?day after tomorrow")
def _day_word(match: re.Match[str]) -> Facts | None:
    word = re.sub(r"^(?:на |в |on |the |just |only |for )+", "", match.group(0)).replace("tonight", "today")
    word = re.sub(r" (?:утром|вечером|днем|ночью)$", "", word)
    found = date_ref(word)
    return {"day": found} if found else None


_CYCLE_SEP = r"(?:\s*[,/;]\s*|\s*[-–—]\s+|\s+)(?:(?:потом|затем|и|а|then|and|and then)\s+)?"
_EN_UNIT = r"(?:days?|weeks?|nights?|wks?|d)"


@_pattern(rf"(?<!в )(?<!at )(?:{_TAKE} )?(?P<on>{NUM}|{LENGTH_UNIT}) ?(?P<onunit>{LENGTH_UNIT})?(?:{_CYCLE_SEP}{_TAKE})?{_CYCLE_SEP}"
          rf"(?P<off>{NUM}(?: {LENGTH_UNIT})?|{LENGTH_UNIT}) {_BREAK}"
          rf"|(?P<on2>{NUM})(?: (?P<u2>{_EN_UNIT}))? on,?(?: and)? (?P<off2>{NUM})(?: (?P<u3>{_EN_UNIT}))? off"
          rf"|on (?:for )?(?P<on12>{NUM}) (?P<u12>{_EN_UNIT}),?(?: and| then)? off (?:for )?(?P<off12>{NUM})(?: (?P<u13>{_EN_UNIT}))?"
          rf"|(?:(?:daily )?for )?(?P<on3>{NUM})[ -]days?,? (?:then|and then|followed by|with) (?:a )?(?P<off3>{NUM})[ -]days?"
          rf" (?:break|pause|off|rest)|(?:(?:daily )?for )?(?P<on9>{NUM}) days?,? (?:then|and then|followed by|with) (?:a |one )?week(?:'s)?"
          rf" (?:break|pause|off|rest)"
          rf"|(?P<on11>{NUM}) (?:days?|дн\w*) (?:every|of every|out of every|каждые|из каждых) (?P<total2>{NUM}) (?:days?|дн\w*)"
          rf"|(?P<on10>{NUM}) (?:дней|дня|день) (?:пью|пьем|принимаю|пьет|принимает),? на (?P<off10>{RU_ORD}|\d{{1,2}}-?(?:й|ой|ий))"
          rf" (?:отдыха\w*|перерыв|не пью|пропуска\w*)"
          rf"|(?P<on4>{NUM}) (?P<u4>{LENGTH_UNIT}) через (?:(?P<off4>{NUM}) (?P<u5>{LENGTH_UNIT})|(?P<off4b>{NUM})|(?P<u5b>недел[юи]|месяц))"
          rf"|(?P<pills>{NUM}) (?:(?:активн\w+|active|hormone|гормональн\w+)(?: (?:таблет\w*|pills?|tablets?|драже))?|таблет\w*|pills?|tablets?|драже),?"
          rf"(?: (?:затем|потом|then|и|and|followed by))? (?:a |an )?(?P<off5>{NUM}|неделя|неделю|a week|one week)"
          rf"(?:[ -](?:дн\w*|days?|day))? (?:{_BREAK}|без\w*|rest|placebo|пустышк\w*)"
          r"|(?P<a>14|21|22|24|26|28|63|84) ?[/+] ?(?P<b>[2-7])|(?P<a2>14|21|24|28) на (?P<b2>7|4|14)"
          rf"|(?:по схеме |схема )?(?P<on6>{NUM}) через (?P<off6>{NUM})(?= |$|[.,:;])"
          rf"|(?:с |days? |дни )1(?:-?(?:го|й|ый))? ?(?:по |to |through |until |till |- ?|– ?)(?P<on13>\d{{1,2}})(?:-?(?:й|ый|ой|е))?"
          rf"(?: (?:день|дни|дня|days?))?,? (?:(?:цикл(?:а)?|cycle)(?: (?:в|of|=|is))? |(?:каждые|every|of (?:a |each |every )?|из) )"
          rf"(?P<total13>\d{{1,2}})(?:[ -](?:дней|дня|день|дневн\w*|days?|day))?(?: (?:цикл\w*|cycles?))?"
          rf"|(?:days? 1 ?- ?)?(?P<on7>\d{{1,2}})(?: (?:дн\w*|день|days?))? (?:из|of a|of) (?P<total>\d{{1,2}})(?:[ -](?:дневн\w*|day))?(?: (?:цикла|cycle))?"
          rf"|(?P<on8>{NUM}) (?P<u8>{LENGTH_UNIT}),? (?:потом |затем |then |and then )?(?:перерыв|break|отдых|пауза|off) (?:на )?(?P<off8>{NUM}) (?P<u9>{LENGTH_UNIT})",
          needs=r"перерыв|отдых|пауз|не пь|не прин|без|нет|off|break|rest|через|из|of|every|кажд|цикл|cycle|\d ?[/+] ?\d|\d на \d|placebo|пустышк")
def _cycle(match: re.Match[str]) -> Facts | None:
    """"21 день пью, 7 перерыв", "14 on 7 off", "5 дней через 2", "21 таблетка, потом неделя без", "24/4"."""
    if match.group("a") or match.group("a2"):
        return {"on_days": int(match.group("a") or match.group("a2")), "off_days": int(match.group("b") or match.group("b2"))}
    if match.group("on11"):  # "5 days every 28 days"
        on, total = number(match.group("on11")), number(match.group("total2"))
        return {"on_days": on, "off_days": total - on} if on and total and 0 < on < total <= 90 else None
    if match.group("on9"):  # "21 days then a week break"
        on = number(match.group("on9"))
        return {"on_days": on, "off_days": 7} if on else None
    if match.group("on10"):  # "6 дней пью, на седьмой отдыхаю"
        on = number(match.group("on10"))
        off_day = ordinal(match.group("off10")) or number(re.sub(r"\D", "", match.group("off10")) or "x")
        return {"on_days": on, "off_days": 1} if on and off_day == on + 1 else None
    if match.group("on6"):  # "21 через 7"
        on, off = number(match.group("on6")), number(match.group("off6"))
        return {"on_days": on, "off_days": off} if on and off and on >= 5 else None
    if match.group("on7") or match.group("on13"):  # "21 день из 28", "days 1-21 of a 28-day cycle", "с 1 по 21 день, цикл 28"
        on, total = int(match.group("on7") or match.group("on13")), int(match.group("total") or match.group("total13"))
        return {"on_days": on, "off_days": total - on} if 1 <= on < total <= 90 else None
    if match.group("on8"):  # "10 дней, потом перерыв 20 дней"
        on = length_days(f"{match.group('on8')} {match.group('u8')}")
        off = length_days(f"{match.group('off8')} {match.group('u9')}")
        return {"on_days": on, "off_days": off} if on and off else None
    if match.group("pills"):
        on, off = number(match.group("pills")), length_days(match.group("off5")) or number(match.group("off5"))
        return {"on_days": on, "off_days": off} if on and off and 7 <= on <= 90 else None
    if match.group("on4"):
        on = length_days(f"{match.group('on4')} {match.group('u4')}")
        off_text = (f"1 {match.group('u5b')}" if match.group("u5b")  # "2 недели через неделю"
                    else (match.group("off4") or match.group("off4b")) + " " + (match.group("u5") or match.group("u4")))
        off = length_days(off_text) if re.fullmatch(rf"{NUM} {LENGTH_UNIT}", off_text) else None
        return {"on_days": on, "off_days": off} if on and off else None
    if match.group("on3"):
        on, off = number(match.group("on3")), number(match.group("off3"))
        return {"on_days": on, "off_days": off} if on and off else None
    if match.group("on2") or match.group("on12"):  # "14 on 7 off", "on for 6 days, off for 1"
        on = number(match.group("on2") or match.group("on12"))
        off = number(match.group("off2") or match.group("off12"))
        if on is None or off is None:
            return None
        on_word = match.group("u2") or match.group("u12") or ""
        unit = 7 if on_word.startswith("w") else 1
        off_unit = 7 if (match.group("u3") or match.group("u13") or on_word).startswith("w") else 1
        return {"on_days": on * unit, "off_days": off * off_unit}
    on_text = match.group("on") + (" " + match.group("onunit") if match.group("onunit") else "")
    if re.fullmatch(NUM, on_text) and re.fullmatch(LENGTH_UNIT, match.group("off")):
        return None  # "2 дня перерыв": a break of two days, not two days on and one off
    if re.fullmatch(NUM, on_text):
        on_text += " дней"  # "14 on 7 off": days
    on = length_days(on_text)
    off_text = match.group("off")
    if re.fullmatch(NUM, off_text) and match.group("onunit"):
        off_text += " " + match.group("onunit")  # "21 день пью 7 перерыв": the same unit
    elif re.fullmatch(NUM, off_text) and re.fullmatch(LENGTH_UNIT, match.group("on")):
        off_text += " " + match.group("on")  # "неделю пью, одну нет"
    elif re.fullmatch(NUM, off_text):
        off_text += " дней"
    off = length_days(off_text)
    if not on or not off:
        return None
    return {"on_days": on, "off_days": off}


@_pattern(rf"(?<!в )(?<!at )(?P<off>(?:{NUM}|a|one) {LENGTH_UNIT}|{LENGTH_UNIT}),? (?:{_BREAK_AFTER})",
          needs=r"перерыв|отдых|не пь|не прин|без|off|break|rest|pause")
def _break_length(match: re.Match[str]) -> Facts | None:
    """"2 дня перерыв", "неделю не пьём", "7 days off": how long a break lasts; with a length of
    taking before it, the two make a cycle (`paired_cycles`)."""
    off = length_days(match.group("off"))
    return {"off_len": off} if off else None


_constant(r"as and when (?:required|needed|necessary)|after each (?:loose stool|episode|attack|bout|loose bowel movement)|после каждого (?:жидкого стула|приступа|эпизода)"
          r"|на случай (?:приступа|боли|температуры)|(?:по|при) (?:необходимости|надобности|потребности|требованию)|если (?:нужно|надо|понадобится|потребуется)"
          r"|когда (?:нужно|надо|понадобится)|по желанию|as needed|if needed|when needed|as required|if necessary"
          r"|when necessary|prn|p\.r\.n\.?|s\.o\.s\.?|sos|on demand|only when needed|only if needed|ситуативно|по ситуации"
          r"|(?:only )?(?:when|if) (?:i|she|he|you|we|they) (?:get|have|need) (?:one|it|them)", {"prn": True})


_constant(rf"(?:когда|если) (?:у меня )?(?:болит|заболит|болят|разболится|заболят|ноет|поднимется|поднимается"
          rf"|повысится|подскочит|скачет|начнется|начинается) {_SYMPTOMS_RU}"
          r"|при (?:сильной )?(?:(?:болях|боли|тяжести|дискомфорте|спазмах|жжении) в (?:сердце|животе|желудке|спине|горле"
          r"|суставах|голове|ухе|зубе|пояснице|груди|мышцах)|головной боли|головных болях|боли|болях|болевом синдроме|(?:высокой |повышенной )?температуре"
          r"|(?:высоком |повышенном )?давлении|повышении давления|мигрени|изжоге|тошноте|аллергии|бессоннице|спазмах"
          r"|простуде|кашле|насморке|запоре|поносе|диарее|одышке|тревоге|волнении|стрессе|приступе|судорогах|отеках|вздутии)"
          r"|если (?:будет|появится|начнется|разболится|заболит|случится|поднимется) \w+"
          r"|(?:for|when i (?:have|get)|if i (?:have|get)|if|in case of) (?:a |an )?(?:bad )?(?:headaches?|pain|fever|migraines?"
          r"|heartburn|nausea|allergies|insomnia|cough|cramps)(?: (?:as|when|if) needed)?", {"prn": True})


@_pattern(CONDITION, needs=r"если|когда|при|в случае|на случай|if|when|at|in case|prn|needed")
def _condition(match: re.Match[str]) -> Facts | None:
    return {"prn": True} if names_a_symptom(match.group(0)) else None


@_pattern(rf"(?:не (?:чаще|более|больше)|max(?:imum)?|up to|no more than|not more than) (?P<n3>{NUM}|once|twice) (?:раз(?:а)?|times)"
          rf"(?=\s*(?:[,.;!]|$))|в (?:сутки|день) не (?:больше|более|чаще) (?P<n4>{NUM})(?=\s*(?:[,.;!]|$))",
          needs=r"чаще|более|больше|max|up to|more than")
def _max_said_alone(match: re.Match[str]) -> Facts | None:
    """"не чаще трёх раз", "в сутки не больше двух": a daily limit said without "a day" or before it."""
    return _max_per_day(match)


@_pattern(rf"(?P<n3>once|twice|{NUM})(?: times)? (?:a|per) day max(?:imum)?", needs=r"day max")
def _max_after(match: re.Match[str]) -> Facts | None:
    """"once a day max": the daily limit said after it."""
    return _max_per_day(match)


@_pattern(rf"(?:не (?:чаще|более|больше|превышать)|максимум|макс\.?|max(?:imum)?|до) (?:(?P<n>{NUM}|дважды|трижды) ?)?(?:x |х |раз\w*|таблет\w*|табл\.?|таб\.?|капсул\w*|доз\w*"
          rf"|пакетик\w*|саше|приема|приемов|times|doses|pills|tablets)?"
          rf" ?(?:в|за|на) (?:день|сутки)|(?:больше|чаще) (?P<n4>{NUM}) раз\w* (?:в|за) (?:день|сутки) нельзя"
          rf"|(?:max(?:imum)?|up to|no more than|not more than|at most|(?:don'?t|do not|never) exceed|не превышать) (?P<n2>{NUM}|once|twice)"
          r"(?: ?x| (?:times|doses?|pills?|tablets?|capsules?|sachets?|puffs?))? ?(?:(?:a|per|in a|in one|in 1|each) day|daily|/ ?(?:day|d|24 ?h(?:rs?|ours)?)"
          r"|in 24 hours|in 24h)")
def _max_per_day(match: re.Match[str]) -> Facts | None:
    groups = match.groupdict()
    text = (groups.get("n") or groups.get("n2") or groups.get("n3") or groups.get("n4")
            or ("1" if re.search(r"\bраза?\b", match.group(0)) else ""))
    count = {"once": 1, "twice": 2, "дважды": 2, "трижды": 3}.get(text) or number(text)
    if count is None or not 1 <= count <= 24:
        return None
    return {"max_per_day": count}


@_pattern(rf"(?:через|in|after) (?:полчаса|half an hour|an hour and a half|полтора часа|час|часик|часок|an hour|one hour"
          rf"|(?P<n>{NUM}) (?P<unit>минут\w*|мин|час\w*|minutes?|mins?|hours?|hrs?))")
def _in_minutes(match: re.Match[str]) -> Facts | None:
    text = match.group(0)
    if match.group("n"):
        count = number(match.group("n"))
        if count is None:
            return None
        minutes = count * (60 if match.group("unit").startswith(("час", "hour", "hr")) else 1)
    elif "полчаса" in text or "half an hour" in text:
        minutes = 30
    elif "полтора" in text or "and a half" in text:
        minutes = 90
    else:
        minutes = 60
    return {"in_minutes": minutes} if 1 <= minutes <= 1440 else None


_constant(r"иногда|время от времени|периодически|по настроению|когда вспомню|по (?:четн|нечетн)\w+(?: (?:дням|числам))?"
          r"(?: месяца)?|now and then|from time to time|sometimes|occasionally|on (?:even|odd) (?:days|dates)|when i remember"
          r"|по лунному\w*(?: календарю)?|every now and again", {"unsure": True})


_constant(r"с этого дня|с этих пор|отныне|from now on|from today on|henceforth|make|(?:the )?doctor changed(?: my)?"
          r"|на (?:новую |другую )?схему|(?:on )?to (?:the |a )?(?:new )?(?:schedule|regimen|scheme)"
          r"|сделай(?:те)?(?= (?:через|кажд|по |раз |только|курс|не каждый))|should (?:now )?be|(?:turn|switch|change)(?= (?:the |my )?\S+ (?:into|to) )|into(?= )"
          r"|switch(?:ed)? (?:it |them )?(?:over )?to(?= (?:every|each|once|twice|alternate|mon|tue|wed|thu|fri|sat|sun|weekly|daily|\d))"
          r"|переводим(?: на)?|перевели(?: на)?|перев[её]л[аи]?(?: на)?|перевести на|переведи на|переходим на|перешли на"
          r"|changed(?: my)?|врач поменял\w*|врач изменил\w*"
          r"|(?:(?:they|he|she|we) )?(?:switched|swapped|cut|reduced|dropped|moved)(?: (?:it|him|her|them))?(?=(?: (?:my|his|her|the) [\w-]+)?"
          r"(?: back| down)? to (?:only|just|every|each|once|twice|alternate|mon|tue|wed|thu|fri|sat|sun|weekly|daily"
          r"|as needed|when|on |\d))", {"now": True})
""""The doctor switched my ibuprofen to only when I need it", "the cardiologist cut it to Mon, Wed
and Fri": the stored medication's rule, changed."""


_constant(r"на (?:прием|приемы)(?= )", {"marker": True})


_constant(rf"через (?:{NUM}) (?:дня|дней|недел\w+)|через (?:{WEEKDAY}|недел\w+)|every other (?:{WEEKDAY})",
          {"unsure": True})  # "через 2 дня", "через вторник": every third day, or in two days? every other Tuesday?


@_pattern(rf"не (?:по |в |во |on )?(?P<old>{WEEKDAY_LIST}),? а (?:по |в |во )?(?P<new>{WEEKDAY_LIST})"
          rf"|(?:по |в |во )?(?P<new2>{WEEKDAY_LIST}),? а не (?:по |в |во )?(?P<old2>{WEEKDAY_LIST})"
          rf"|(?:on )?(?P<new3>{WEEKDAY_LIST})(?: now)?,? (?:instead of|rather than|not) (?:on )?(?P<old3>{WEEKDAY_LIST})"
          rf"|not (?:on )?(?P<old4>{WEEKDAY_LIST}),? but (?:on )?(?P<new4>{WEEKDAY_LIST})",
          needs=r"не |instead|rather|not ")
def _weekdays_instead(match: re.Match[str]) -> Facts | None:
    """"не по средам, а по пятницам", "Fridays instead of Wednesdays": the new days, from now on."""
    new = match.group("new") or match.group("new2") or match.group("new3") or match.group("new4")
    days, _ = weekdays_in(new)
    return {"weekdays": days, "plural": True, "every": True, "now": True} if days else None


_constant(rf"а не (?:по |в |во )?(?:{WEEKDAY_LIST}|выходн\w+|будн\w+)|(?:but |and )?not (?:on )?(?:{WEEKDAY_LIST}|weekends?)"
          , {"unsure": True})
_constant(r"(?:(?:уже )?больше )?не каждый день|not every day(?: any ?more)?", {"not_daily": True, "now": True})  # "по воскресеньям, а не по субботам"


@_pattern(r"не (?:надо|нужно|нужны)(?: (?:напоминать|пить|принимать))?|не (?:пить|принимать|давать|колоть)"
          r"|(?:хватит|прекрати|перестань) (?:мне )?напоминать(?: (?:про|о|об))?|stop reminding me(?: (?:about|of|to take))?|не напоминай\w*(?: мне)?(?: ничего| ни о ч[её]м| ни про что)?(?: (?:про|о|об))?"
          r"|(?<!не )пропусти(?:те|ть)?|пропустим|(?:(?:сделай|сделайте|сделать|поставь|поставьте|дай|дайте) )?пауз[аыу]|(?:сделай |сделать )?перерыв(?: в (?:приеме|напоминаниях))?"
          r"|приостанови\w*|прерв[аиё]\w*|interrupt|останови(?:ть|те)?|отключи(?:те|ть)?(?: (?:все|всё))?(?: напоминани\w*)?|выключи(?:те|ть)?(?: (?:все|всё))?(?: напоминани\w*)?"
          r"|без напоминаний|никаких напоминаний|без таблеток|без лекарств|выходной от (?:таблеток|лекарств|напоминаний)|не присылай(?:те)?(?: (?:мне )?напоминани\w*)?"
          r"|пропускаем|пропускаю|пропущу|mute|silence|turn off(?: (?:the |my |all )?reminders?)?|switch off(?: (?:the |my |all )?reminders?)?"
          r"|стоп(?= |$)|stop(?= (?:all|everything|\w+ for|for))"
          r"|no reminders?(?: (?:for|about))?|skip|pause(?: (?:the |my )?reminders?)?|don'?t remind(?: me)?(?: (?:about|of|to take))?"
          r"|do not remind(?: me)?(?: (?:about|of|to take))?|hold off(?: on)?|hold"
          r"|take a break(?: from(?: the| my)? (?:reminders|pills|meds|medications))?(?: from)?|no(?= \w)")
def _pause_word(match: re.Match[str]) -> Facts:
    text = match.group(0)
    stop = text.startswith(("не напоминай", "don't remind", "стоп", "stop", "dont remind", "do not remind", "no reminders", "хватит",
                            "прекрати", "перестань", "stop reminding"))
    return {"pause": True, "stop": True} if stop else {"pause": True}


@_pattern(r"(?:on |for )?days? (?P<a>\d{1,2})(?: ?- ?(?P<b>\d{1,2}))?(?: ?:)?|(?:in |for |on )?weeks? (?P<wa>\d) ?- ?(?P<wb>\d)|(?:in |for )?(?:the )?(?:1st|2nd|3rd|4th|first|second|third|fourth)"
          r" week|wk ?\d", needs=r"days? \d|wk ?\d|weeks? \d|(?:1st|2nd|3rd|4th|first|second|third|fourth) week")
def _label_step(match: re.Match[str]) -> Facts | None:
    """"Day 1-3: 4 tablets", "6mg days 4-6", "25mg wk1", "600 mg 2nd week": one step of a label's taper."""
    if match.group("wa"):  # "weeks 1-2"
        first, last = int(match.group("wa")), int(match.group("wb"))
        return {"step_len": (last - first + 1) * 7} if 1 <= first <= last <= 12 else None
    if match.group("a") is None:
        return {"step_len": 7}
    first, last = int(match.group("a")), int(match.group("b") or match.group("a"))
    return {"step_len": last - first + 1} if 1 <= first <= last <= 90 else None


_constant(r"(?<![\d.,])[1-6](?:-?(?:я|ая))? неделя(?![\w-])", {"step_len": 7}, needs=r"\d(?:-?(?:я|ая))? неделя")
""""1 неделя 4 таблетки, 2 неделя 3 таблетки": the second week (seven days), never two weeks ("2 недели")."""
_constant(r"from week \d{1,2}", {"marker": True})
_constant(r"(?:a|per) day(?= for| x|,| then)", {"daily": True}, needs=r"(?:a|per) day")  # "30 mg a day for a week"


@_pattern(rf"(?:в )?(?:перв\w+|first|the first|for the first) (?P<len>{LENGTH})|(?:в )?(?:следующ\w+|втор\w+|трет\w+|четверт\w+"
          rf"|next|the next|second|third|fourth|for the next) (?P<len2>{LENGTH})")
def _step_length(match: re.Match[str]) -> Facts | None:
    days = length_days(match.group("len") or match.group("len2"))
    return {"step_len": days} if days else None


@_pattern(rf"(?:(?:only|just|ещ[её]|только|всего) )*(?:for )?(?:another )?(?:(?P<n>{NUM}) (?:more |ещ[её] )?(?P<unit>days?|дн(?:ей|я)|день"
          rf"|недел[иь]|неделю|weeks?)|(?P<week>неделю|одну неделю|a week|one week))"
          rf"(?: (?:more|left|остал\w*))?(?:,? (?:then|and then|and|потом|и|а потом) (?P<stop>{COURSE_STOP}))?",
          needs=r"more|another|left|ещ[её]|остал")
def _more_days(match: re.Match[str]) -> Facts | None:
    """"only 5 more days then stop", "ещё 5 дней и всё": the course ends, the medication stays until then."""
    text = match.group(0)
    if not re.search(r"\b(?:more|another|left|ещ[её]|остал\w*)\b", text):
        return None
    if match.group("week"):  # "ещё неделю и всё" ("ещё неделю тут будем" is a stay, not a course)
        return {"days": 7, "more_days": True} if match.group("stop") else None
    count = number(match.group("n"))
    days = count * (7 if match.group("unit").startswith(("нед", "week")) else 1) if count else None
    return {"days": days, "more_days": True} if days and 1 <= days <= 366 else None


_constant(r"(?:(?:а |и )?потом|then|and then|after that|и|а|and|далее) (?:хватит|стоп|stop|вс[её]|done|бросить|отмена|отменить"
          r"|заканчиваем|посмотрим|we'?ll see|see)(?= |$|[.,!;])"
          r"|до отмены|until stopped|ongoing|indefinitely|(?:и )?дальше так|(?:(?:убираем|снижаем|наращиваем|отменяем|уменьшаем"
          r"|повышаем|увеличиваем|снижать|отменять|увеличивать|повышать|уменьшать|наращивать|титруем|титровать|слезаю|снимаю"
          r"|схема (?:отмены|снижения|титрации)|отмена по схеме)"
          r"(?: постепенно)?|постепенно|step(?:ping)? (?:down|up)|wean(?:ing)? off(?: the)?"
          r"|coming off|tapering(?: off| down| up)?|(?:up-?|down-?)?titrat(?:e|ing|ion)(?: up| down)?|(?:steroid )?taper(?:ing)?(?: off| down| up)?"
          r"|(?:then )?(?:increase|go up|decrease|reduce|drop|step up|step down) to|(?:потом )?(?:увеличить|повысить|снизить|уменьшить) до)"
          r"(?=[ :,.]|$)", {"marker": True},
          needs=r"хватит|стоп|stop|вс[её]|done|брос|отмен|заканчива|посмотрим|see|ongoing|indefinitely|дальше так|убираем|снижа"
          r"|наращива|уменьша|повыша|увеличива|постепенно|step|wean|coming off|taper|titrat|increase|go up|decrease|reduce|титр|слеза|снима"
          r"|drop|увеличить|повысить|снизить|уменьшить")  # "2 недели, потом хватит", "Венлафаксин убираем постепенно: ..."
_constant(r"(?:а |и |, )?(?:потом|затем|далее|дальше|после этого|then|after that|and then)", {"then": True})


_constant(r"(?:(?:моя |мой )?(?:доченька|дочка|доча|дочь|сын|сынок|внучка|внук|муж|жена|врач|врачиха|доктор|медсестра"
          r"|фельдшер|терапевт|кардиолог|невролог)(?: мне)? (?:сказал[аи]?|велел[аи]?|говорит|просил[аи]?|советует"
          r"|назначил[аи]?|прописал[аи]?|спрашивает|выписал[аи]?)|мне (?:сказали|велели|назначили|прописали|выписали))"
          r"(?: что)?(?: мне)?", {"marker": True})  # who said so: not a medication, not a command
_constant(rf"(?:my |the |our )?{HEALTH_WORKER} (?:says|said|wants|thinks)(?: that)?(?= (?:the|my|his|her|it|we|mum'?s|dad'?s) )",
          {"marker": True})
_constant(r"(?:goes|moves|switches|changes) to(?= )", {"now": True})  # "the methotrexate goes to Saturdays"
_constant(r"(?:the )?same time(?: as (?:before|now|usual))?|в то же время|время (?:то же|прежнее|не меняй\w*)(?: самое)?"
          r"|запивать (?:стаканом|полным стаканом|водой)\w*(?: воды)?|with a (?:full |whole )?glass of water|(?:a )?new one"
          r"|(?:день|day) (?:любой|any)|любой день|any day(?: of the week)?|в любой день|each time|every time|каждый раз"
          r"|за (?:один )?раз|per dose|at a time", {"marker": True},
          needs=r"same|то же|прежн|не меняй|запива|glass of water|new one|любой|any day|each time|every time|каждый раз|за раз"
          r"|за один раз|per dose|at a time")
_constant(r"ну я так и пью|я так и пью|так и пью|незабудьте|не забудьте|спасибо большое|заранее спасибо|thank you so much"
          r"|thanks a lot", {"marker": True})


_constant(r"(?:один|1) раз(?! во? )|однократно|разово|just once|once only|one time only|one-time|one time(?= *[.,:;!]| *$)"
          r"|(?:a single|one|single) dose(?: of)?"
          r"|одн(?:у|а) доз[уа]|one-off|one off|одноразово|на один раз|just the once|only once|once(?= *$| *[.,!;])",
          {"once_word": True})
_constant(r"(?:one|1) a day|once (?:a )?daily|once a day|once per day|(?:1|один) раз в (?:день|сутки)|раз в (?:день|сутки)|круглосуточно"
          r"|around the clock|24/7", {"daily": True})
_constant(r"(?:the )?(?:first|second|1st|2nd|final|last) (?:dose|half|portion|sachet|bottle)|перв(?:ая|ую|ый) (?:доз[ау]|порци[юя]|пакет)"
          r"|втор(?:ая|ую|ой) (?:доз[ау]|порци[юя]|пакет)", {"marker": True})


_constant(r"(?:перв(?:ая|ый|ую)(?: доза| прием| таблетка| раз)?|first(?: dose| one| pill)?|начать|начинаем|начнем|стартуем|старт"
          r"|начали|начало|we started|started|we start|start)(?= (?:(?:в|at|с|со|from) )?(?:\d|полдень|полночь|noon|midnight)"
          r"| (?:прием |раз |dose |one )?(?:сегодня |завтра |today |tonight |tomorrow )?(?:в|at|с|from) )"
          r"|taper(?:ing)?:?|repeat(?:ing)?|(?:и )?(?:так )?по кругу|wean(?:ing)?|титрация|titration|начинаю с|начну с"
          r"|start(?:ing)? (?:with|on)|(?:is |are )?due(?= (?:on |the )?\d)"
          r"|сначала|вначале|for starters|at first|(?:начиная|starting|beginning)(?= (?:с|со|at|from|\d))"
          r"|(?:starting|beginning)(?: at| from)?(?= \d)", {"marker": True})


_AGENDA_PERIOD = (rf"(?:эту |этой |ближайшую |следующую |this |the |next )?(?:недел[юие]|week)(?: вперед| ahead)?"
                  rf"|сегодня и (?:на )?завтра|today and tomorrow|завтра|tomorrow"
                  rf"|(?:ближайшие |следующие |next |the next )?{NUM} (?:дн\w+|days|weeks?|недел\w+)(?: вперед| ahead)?")


_constant(r"(?:show me )?my week|the week ahead|(?:this|next) week'?s (?:meds|schedule|plan|pills)"
          r"|what(?:'s| does| is) my week look like",
          {"agenda_word": True, "period": 7})


@_pattern(rf"(?:what'?s on|what is on|what do i (?:need to |have to )?take|what (?:does|do|will) \w+ (?:need to |have to )?take"
          rf"|what'?s due|what is due|anything due|(?:what|which) (?:\w+ )?(?:is|are) due|upcoming doses|weekly schedule"
          rf"|agenda|что будет|план\w*(?: приема)?)"
          rf"(?: (?:(?:for|in|on|over|during) )?(?P<p>{_AGENDA_PERIOD}|today|сегодня))?")
def _agenda_word(match: re.Match[str]) -> Facts | None:
    period = match.group("p")
    if period is None and match.group(0).startswith("what"):
        return None  # "what do I take": the list
    facts: Facts = {"agenda_word": True}
    if period:
        facts["period"] = _period_days(period)
    elif "weekly" in match.group(0):
        facts["period"] = 7
    return facts


@_pattern(rf"(?:на|за|for|in|over|during) (?P<p>{_AGENDA_PERIOD})|(?P<p2>(?:this|next) week)"
          rf"|(?:в )?(?P<p3>(?:ближайшие|следующие) {NUM} (?:дн\w+|недел\w+)|(?:эту|этой|ближайшую|следующую) недел[юие])")
def _agenda_period(match: re.Match[str]) -> Facts | None:
    period = match.group("p") or match.group("p2") or match.group("p3")
    said = re.fullmatch(rf"({NUM}) дня", period)
    if said and not days_in_dnya(number(said.group(1)) or 0):
        return None  # "на 12 дня": noon
    return {"period": _period_days(period)}


def _period_days(text: str) -> int:
    if "завтра" in text or "tomorrow" in text:  # "сегодня и завтра": through tomorrow, two days too
        return 2
    if "сегодня" in text or "today" in text:
        return 1
    count = re.search(NUM + r"(?= (?:дн|day|недел|week))", text)
    if count:
        per = 7 if re.search(r"(?:недел|week)", text) else 1
        return max(1, min((number(count.group(0)) or 1) * per, 31))
    return 7


@_pattern(rf"(?:что|што) (?:у меня )?(?:на|в) (?P<p>{_AGENDA_PERIOD})|(?:планы?|расписание|график)(?: приема| приемов)?"
          rf" (?:на|for) (?P<p2>{_AGENDA_PERIOD})|на (?P<p3>ближайшие {NUM} дн\w+)|(?:what's|what is) (?:coming )?up"
          rf"(?: (?:this|next) week| (?:in |for )?the next (?P<n>{NUM}) days| tomorrow)?|coming up(?: this week)?"
          rf"|(?:my )?(?:schedule|plan|meds) for (?P<p4>{_AGENDA_PERIOD})|for the (?:next )?week")
def _agenda(match: re.Match[str]) -> Facts:
    period = next((match.group(name) for name in ("p", "p2", "p3", "p4") if match.group(name)), None)
    if match.group("n"):
        return {"agenda": number(match.group("n")) or 7}
    return {"agenda": _period_days(period or match.group(0))}


_END = r"(?![\w-]|[:.,/]\d)"
_COMPILED = tuple((re.compile(rf"(?:{regex}){_END}"), reader) for regex, reader in _PATTERNS)
_BY_FIRST_CHAR = ByFirstChar([regex for regex, _ in _PATTERNS])
_WORD_START = re.compile(r"(?<![\w:.,/-])[^\W_]|(?<![\w:.,/-])[0-9]")


def find_rules(low: str) -> tuple[RuleHit, ...]:
    """Non-overlapping schedule phrases in the folded text, longest first where they compete."""
    found: list[RuleHit] = []
    present: dict[int, bool] = {}  # a gated pattern's word, looked for once, when the pattern could first begin
    for word in _WORD_START.finditer(low):
        start = word.start()
        for index in _BY_FIRST_CHAR.candidates_at(low, start):  # only patterns that can begin here
            needs = _NEEDS.get(index)
            if needs is not None:
                if index not in present:
                    present[index] = needs.search(low) is not None
                if not present[index]:
                    continue
            pattern, reader = _COMPILED[index]
            match = pattern.match(low, start)
            if match is None or match.end() == start:
                continue
            facts = reader(match)
            if facts is not None:
                found.append(RuleHit(start, match.end(), facts))
    return _hours_apart(paired_cycles(tuple(longest_first(found))), low)


def _hours_apart(hits: tuple[RuleHit, ...], low: str) -> tuple[RuleHit, ...]:
    """"трижды в сутки, строго через 8 часов": with a number of doses a day that fills the day,
    "через 8 часов" is the interval between them, not a one-off in eight hours."""
    if not any("in_minutes" in hit.facts for hit in hits):
        return hits
    from medbot.core.nlu.hour_lists import doses_a_day

    per_day = doses_a_day(low)
    if per_day is None:
        return hits
    return tuple(RuleHit(hit.start, hit.end, {"hours": per_day_hours}) if (
        (minutes := hit.facts.get("in_minutes")) and minutes % 60 == 0 and (per_day_hours := minutes // 60) * per_day == 24)
        else hit for hit in hits)


def paired_cycles(hits: tuple[RuleHit, ...]) -> tuple[RuleHit, ...]:
    """"5 дней пью детралекс, 2 дня перерыв", "неделю пьём X, неделю не пьём": a length of taking,
    then (a name between) a break's length: one cycle. A break's length alone is a break of
    those days ("2 дня перерыв по всем таблеткам")."""
    if not any("off_len" in hit.facts for hit in hits):
        return hits
    out = list(hits)
    for n, hit in enumerate(out):
        off = hit.facts.get("off_len")
        if off is None:
            continue
        taking = [k for k in range(n) if set(out[k].facts) == {"days"}]
        if taking and not any("on_days" in h.facts for h in out):
            k = taking[-1]
            out[k] = RuleHit(out[k].start, out[k].end, {"on_days": out[k].facts["days"], "off_days": off})
            out[n] = RuleHit(hit.start, hit.end, {"marker": True})
        else:
            out[n] = RuleHit(hit.start, hit.end, {"pause": True, "days": off})
    return tuple(out)
