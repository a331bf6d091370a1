"""Words about *which days*: weekdays, intervals, months, hours, courses, cycles, "as needed",
one-offs, pauses and "what's coming up", found in the folded text as claimed spans.

Each pattern yields facts (plain dicts) over a character span; spans compete longest first,
like the command cues. `assemble` turns the facts of one message into a `RegimenSpec`, or
says the facts do not fit together (then the parser asks instead of guessing). A word that
sounds like a schedule but fits no pattern is caught by `sounds_like_schedule`, so it never
becomes part of a medication's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from medbot.commands import DateRef, RegimenSpec
from medbot.nlu.numbers import CARDINALS, cardinal

Facts = dict[str, Any]

# ---------------------------------------------------------------- vocabulary

_NUMBER_WORDS = "|".join(sorted((re.escape(word) for word in CARDINALS), key=len, reverse=True))
NUM = rf"(?:\d{{1,3}}|(?:{_NUMBER_WORDS})(?:[ -](?:{_NUMBER_WORDS}))?)"
"""A count written in digits or words ("10", "десять", "двадцать один", "twenty-one")."""

_RU_ORDINALS = {"втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
                "девят": 9, "десят": 10}
_EN_ORDINALS = {"other": 2, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8,
                "ninth": 9, "tenth": 10}
RU_ORD = r"(?:втор|трет|четверт|пят|шест|седьм|восьм|девят|десят)(?:ой|ий|ый|ая|ое|ье|ью|ие|ые|ьи|ого|ого)"
EN_ORD = r"(?:other|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|5th|6th|7th)"

_WEEKDAYS_RU = (
    r"понедельник(?:ам|ами|ах|а|у|ом|е|и)?|пн|пон",
    r"вторник(?:ам|ами|ах|а|у|ом|е|и)?|вт",
    r"сред(?:ам|ами|ах|а|у|ы|е)|ср",
    r"четверг(?:ам|ами|ах|а|у|ом|е|и)?|чт",
    r"пятниц(?:ам|ами|ах|а|у|ы|е)|пт",
    r"суббот(?:ам|ами|ах|а|у|ы|е)|сб",
    r"воскресень(?:ям|ями|ях|е|я|ю|ем)|воскресенье|вс|вскр|воскр",
)
_WEEKDAYS_EN = (
    r"mondays?|mon", r"tuesdays?|tues|tue", r"wednesdays?|wed", r"thursdays?|thurs|thur|thu",
    r"fridays?|fri", r"saturdays?|sat", r"sundays?|sun",
)
_ONE_WEEKDAY = "|".join(f"(?:{ru}|{en})" for ru, en in zip(_WEEKDAYS_RU, _WEEKDAYS_EN))
WEEKDAY = rf"(?:{_ONE_WEEKDAY})\.?"
_WD_SEP = r"(?:\s*(?:,|;|/|\+|&)\s*(?:и |and |а также )?|\s+(?:и|and|а также|or|или)\s+|\s+)"
WEEKDAY_LIST = rf"{WEEKDAY}(?:{_WD_SEP}{WEEKDAY})*"
_RANGE_SEP = r"\s*(?:-|до|по|to|through|thru|till|until)\s*"

_MONTHS_RU = ("январ", "феврал", "март", "апрел", "ма[йяю]", "июн", "июл", "август", "сентябр",
              "октябр", "ноябр", "декабр")
_MONTHS_EN = ("jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?",
              "aug(?:ust)?", "sep(?:t(?:ember)?)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?")
MONTH_RU = "(?:" + "|".join(f"{stem}[а-я]*" for stem in _MONTHS_RU) + ")"
MONTH_EN = "(?:" + "|".join(_MONTHS_EN) + r")\.?"
DATE = (
    rf"(?:\d{{1,2}}(?:-?(?:го|е|ое|ого))? {MONTH_RU}|\d{{1,2}}\.\d{{2}}(?:\.\d{{2,4}})?"
    rf"|{MONTH_EN} \d{{1,2}}(?:st|nd|rd|th)?|(?:the )?\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH_EN})"
)
_GENITIVE_WEEKDAY = r"(?:понедельника|вторника|среды|четверга|пятницы|субботы|воскресенья)"
_LENGTH_UNIT = (r"(?:дн(?:ей|я|ь)|день|сут(?:ок|ки)|недел(?:ь|ю|и|я)|месяц(?:а|ев)?|days?|weeks?|months?"
                r"|fortnight)")
LENGTH = rf"(?:(?:{NUM}|пару|a|one|a couple of) )?{_LENGTH_UNIT}"
_SYMPTOMS_RU = (r"(?:голова|головы|живот|спина|спину|зуб|зубы|горло|сердце|желудок|суставы|колено|"
                r"поясница|мигрень|температура|давление|сахар)")
_TAKE = r"(?:пью|принимаю|приема|прием|пить|принимать|таблетки|колю|капаю|on|taking)"
_BREAK = r"(?:перерыв\w*|отдых\w*|пауз[аыу]|не пью|не принимаю|без таблеток|off|break)"


@dataclass(frozen=True)
class RuleHit:
    start: int
    """Character span in the folded text."""
    end: int
    facts: Facts


@dataclass
class RuleFacts:
    """Everything one message says about days, merged; `conflict` when it does not fit."""

    hits: list[RuleHit] = field(default_factory=list)

    def all(self, key: str) -> list[Any]:
        return [hit.facts[key] for hit in self.hits if key in hit.facts]

    def has(self, key: str) -> bool:
        return any(key in hit.facts for hit in self.hits)

    def first(self, key: str) -> Any:
        found = self.all(key)
        return found[0] if found else None


# ---------------------------------------------------------------- reading numbers and dates


def number(text: str) -> int | None:
    """"10", "десять", "двадцать один", "twenty one", "пару" → the value."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text in ("пару", "a couple of"):
        return 2
    if text in ("a", "one", "одну", "один", "одна"):
        return 1
    total = 0
    for word in re.split(r"[ -]", text):
        value = cardinal(word)
        if value is None:
            return None
        total += value
    return total


def ordinal(text: str) -> int | None:
    for stem, value in _RU_ORDINALS.items():
        if text.startswith(stem):
            return value
    return _EN_ORDINALS.get(text)


@lru_cache(maxsize=64)
def _weekday_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"^(?:{ru}|{en})\.?$") for ru, en in zip(_WEEKDAYS_RU, _WEEKDAYS_EN))


def weekday_of(word: str) -> int | None:
    for index, pattern in enumerate(_weekday_patterns()):
        if pattern.match(word):
            return index
    return None


_WEEKDAY_TOKEN = re.compile(WEEKDAY)


def weekdays_in(text: str) -> tuple[list[int], bool]:
    """The weekdays named in a list or a range ("пн-пт"), and whether any is plural or in
    the dative ("по средам", "on Wednesdays"): a repeating day rather than one date."""
    range_match = re.fullmatch(rf"(?:с |from )?({WEEKDAY}){_RANGE_SEP}({WEEKDAY})", text)
    if range_match:
        first, last = weekday_of(range_match.group(1)), weekday_of(range_match.group(2))
        if first is not None and last is not None and first < last:
            return list(range(first, last + 1)), True
    days: list[int] = []
    plural = False
    for found in _WEEKDAY_TOKEN.finditer(text):
        word = found.group(0)
        if found.start() and text[found.start() - 1].isalpha():
            continue
        if found.end() < len(text) and text[found.end()].isalpha():
            continue
        day = weekday_of(word)
        if day is not None and day not in days:
            days.append(day)
        plural |= word.endswith(("ам", "ами", "ах", "ям", "ями", "ях", "s"))
    return sorted(days), plural


def _month_number(word: str) -> int | None:
    for index, stem in enumerate(_MONTHS_RU):
        if re.match(stem, word):
            return index + 1
    for index, stem in enumerate(_MONTHS_EN):
        if re.fullmatch(stem + r"\.?", word):
            return index + 1
    return None


def date_ref(text: str) -> DateRef | None:
    """"1 мая", "01.05", "1.05.2027", "may 1st", "the 1st of may", "понедельника",
    "завтра", "tomorrow" → a `DateRef`."""
    text = text.strip()
    offsets = {"сегодня": 0, "сегодняшнего дня": 0, "today": 0, "tonight": 0, "завтра": 1,
               "завтрашнего дня": 1, "tomorrow": 1, "послезавтра": 2, "day after tomorrow": 2,
               "the day after tomorrow": 2}
    if text in offsets:
        return DateRef("offset", offsets[text])
    day = weekday_of(text)
    if day is None and re.fullmatch(_GENITIVE_WEEKDAY, text):
        day = weekday_of({"среды": "среда", "пятницы": "пятница", "субботы": "суббота",
                          "воскресенья": "воскресенье"}.get(text, text))
    if day is not None:
        return DateRef("weekday", day)
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{2,4}))?", text)
    if dotted:
        year = int(dotted.group(3)) if dotted.group(3) else None
        if year is not None and year < 100:
            year += 2000
        return _checked(int(dotted.group(1)), int(dotted.group(2)), year)
    worded = re.fullmatch(r"(?:the )?(\d{1,2})(?:-?(?:го|е|ое|ого)|st|nd|rd|th)? (?:of )?([a-zа-я]+\.?)", text)
    if worded:
        month = _month_number(worded.group(2))
        return _checked(int(worded.group(1)), month, None) if month else None
    english = re.fullmatch(r"([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?", text)
    if english:
        month = _month_number(english.group(1))
        return _checked(int(english.group(2)), month, None) if month else None
    return None


def _checked(day: int, month: int | None, year: int | None) -> DateRef | None:
    if month is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return DateRef("date", day, month, year)


def length_days(text: str) -> int | None:
    """"10 дней" → 10, "две недели" → 14, "неделю" → 7, "a month" → 30, "fortnight" → 14."""
    found = re.fullmatch(rf"(?:({NUM}|пару|a|one|a couple of) )?({_LENGTH_UNIT})", text.strip())
    if not found:
        return None
    count = number(found.group(1)) if found.group(1) else 1
    if count is None or count <= 0:
        return None
    unit = found.group(2)
    if unit.startswith("fortnight"):
        per = 14
    elif unit.startswith(("недел", "week")):
        per = 7
    elif unit.startswith(("месяц", "month")):
        per = 30
    else:
        per = 1
    days = count * per
    return days if days <= 366 else None


# ---------------------------------------------------------------- the patterns


Reader = Callable[[re.Match[str]], Facts | None]
_PATTERNS: list[tuple[str, Reader]] = []


def _pattern(regex: str) -> Callable[[Reader], Reader]:
    def register(reader: Reader) -> Reader:
        _PATTERNS.append((regex, reader))
        return reader

    return register


@_pattern(r"(?:кажд\w+ день|ежедневно|every ?day|daily|each day|день в день)")
def _daily(match: re.Match[str]) -> Facts:
    return {"daily": True}


@_pattern(rf"(?:кажд\w+ день,? |все дни,? |ежедневно,? |every day,? |daily,? |all days,? )?(?:кроме|за исключением"
          rf"|except(?: for| on)?|but not(?: on)?) "
          rf"(?:по )?(?P<days>{WEEKDAY_LIST}|выходных|weekends?)")
def _except(match: re.Match[str]) -> Facts | None:
    text = match.group("days")
    skipped = [5, 6] if text.startswith(("выходн", "weekend")) else weekdays_in(text)[0]
    if not skipped:
        return None
    return {"weekdays": [day for day in range(7) if day not in skipped], "plural": True}


@_pattern(r"(?:по |в |во |on |during )?(?:будн\w+(?: дн\w+)?|рабоч\w+ дн\w+|weekdays|workdays|week ?days)")
def _workdays(match: re.Match[str]) -> Facts:
    return {"weekdays": [0, 1, 2, 3, 4], "plural": True}


@_pattern(r"(?:по |в |на |on |at |over |this |next )?(?:the |эти |ближайшие |следующие )?(?:выходн\w+(?: дн\w+)?|weekends?)")
def _weekends(match: re.Match[str]) -> Facts:
    return {"weekdays": [5, 6], "plural": True, "weekend": True}


@_pattern(rf"(?P<every>кажд\w+ |по |every |each |on |в |во )?(?P<days>(?:с |from )?{WEEKDAY}{_RANGE_SEP}{WEEKDAY}"
          rf"|{WEEKDAY_LIST})")
def _weekdays(match: re.Match[str]) -> Facts | None:
    days, plural = weekdays_in(match.group("days"))
    if not days:
        return None
    every = (match.group("every") or "").strip()
    repeating = plural or every in ("по", "every", "each") or every.startswith("кажд") or len(days) > 1
    return {"weekdays": days, "plural": repeating}


@_pattern(r"(?:(?:1|один|одну) )?раз в неделю|еженедельно|once (?:a|per|every) week|once weekly|weekly|"
          r"every week|each week|кажд\w+ недел\w+|раз в 7 дней|every 7 days|каждые 7 дней")
def _weekly(match: re.Match[str]) -> Facts:
    return {"weekly": True}


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


@_pattern(r"через (?:день|сутки)|(?:on )?alternate days|every other day|каждые (?:вторые )?сутки через сутки")
def _every_other_day(match: re.Match[str]) -> Facts:
    return {"interval": 2}


@_pattern(rf"(?:(?:1|один) )?раз в (?P<n>{NUM}) (?:дня|дней|суток)|кажд\w+ (?P<n2>{NUM}) (?:дня|дней|суток)"
          rf"|кажд\w+ (?P<ord>{RU_ORD}) (?:день|сутки|дня)|every (?P<n3>{NUM}|{EN_ORD}) days?"
          rf"|раз в (?P<n4>{NUM}) суток")
def _every_n_days(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2") or match.group("n3") or match.group("n4")
    value = (number(text) or ordinal(text)) if text else ordinal(match.group("ord") or "")
    if value is None or not 2 <= value <= 366:
        return None
    return {"interval": value}


@_pattern(rf"(?:(?:1|один) )?раз в (?P<n>{NUM}) недел\w+|кажд\w+ (?P<n2>{NUM}|{RU_ORD}) недел\w+"
          rf"|every (?P<n3>{NUM}|{EN_ORD}) weeks?|every fortnight|fortnightly|раз в полмесяца")
def _every_n_weeks(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2") or match.group("n3")
    weeks = 2 if text is None else (number(text) or ordinal(text))
    if weeks is None or not 2 <= weeks <= 52:
        return None
    return {"interval": weeks * 7, "weeks": True}


@_pattern(r"(?:(?:1|один) )?раз в месяц|ежемесячно|кажд\w+ месяц|monthly|every month|once (?:a|per) month|each month")
def _monthly(match: re.Match[str]) -> Facts:
    return {"monthly": True}


@_pattern(r"(?:кажд\w+ )?(?P<d>\d{1,2})(?:-?(?:го|е|ое|ого))? (?:числ[аоу])(?: (?:кажд\w+ |в |of )?месяц\w*)?")
def _month_day(match: re.Match[str]) -> Facts | None:
    day = int(match.group("d"))
    return {"month_day": day, "monthly": True} if 1 <= day <= 31 else None


_RU_DAY_ORDINALS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8, "девят": 9,
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
}
_EN_DAY_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                    "eighth": 8, "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "last": -1}
_RU_DAY_WORD = "(?:" + "|".join(sorted(_RU_DAY_ORDINALS, key=len, reverse=True)) + r")(?:ого|ое|ье|ьего|ий|ый|ой|ье)"


def _ru_day_ordinal(text: str) -> int | None:
    words = text.split()
    total = 0
    for word in words:
        stem = next((stem for stem in sorted(_RU_DAY_ORDINALS, key=len, reverse=True) if word.startswith(stem)), None)
        if stem is None:
            return None
        total += _RU_DAY_ORDINALS[stem]
    return total if 1 <= total <= 31 else None


@_pattern(rf"(?:кажд\w+ )?(?P<w>(?:двадцат\w+ |тридцат\w+ )?{_RU_DAY_WORD}) (?:числ[аоу])(?: (?:кажд\w+ |в |of )?месяц\w*)?"
          r"|(?:кажд\w+ )?последн\w+ числ[аоу](?: (?:кажд\w+ )?месяц\w*)?"
          r"|(?:on )?the (?P<e>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|fifteenth|twentieth|last)"
          r"(?: day)? of (?:each|every|the) month")
def _month_day_words(match: re.Match[str]) -> Facts | None:
    if match.group("e"):
        return {"month_day": _EN_DAY_ORDINALS[match.group("e")], "monthly": True}
    if match.group("w") is None:
        return {"month_day": -1, "monthly": True}
    day = _ru_day_ordinal(match.group("w"))
    return {"month_day": day, "monthly": True} if day else None


@_pattern(r"(?:on )?the (?P<d>\d{1,2})(?:st|nd|rd|th)?(?: day)? of (?:each|every|the) month"
          r"|(?:on )?the (?P<d2>\d{1,2})(?:st|nd|rd|th)(?= |$)")
def _month_day_en(match: re.Match[str]) -> Facts | None:
    day = int(match.group("d") or match.group("d2"))
    if not 1 <= day <= 31:
        return None
    return {"month_day": day, "monthly": bool(match.group("d"))}


@_pattern(r"(?:в )?последн\w+ (?:день|число) (?:кажд\w+ )?месяца|(?:on )?the last day of (?:each|every|the) month")
def _last_day(match: re.Match[str]) -> Facts:
    return {"month_day": -1, "monthly": True}


@_pattern(rf"(?:через )?кажд\w+ (?P<n>{NUM} )?(?:час(?:а|ов)?|ч\.?)|раз в (?P<n2>{NUM} )?час(?:а|ов)?"
          rf"|every (?P<n3>{NUM} )?(?:hours?|hrs?|h)|q(?P<n4>\d{{1,2}})h")
def _every_n_hours(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2") or match.group("n3") or match.group("n4")
    hours = number(text) if text else 1
    if hours is None or not 1 <= hours <= 12:
        return {"unsure": True}
    return {"hours": hours}


@_pattern(rf"(?:в течени[ие]|на протяжении|курсом(?: на)?|курс(?: на| в)?|на|for|over|during|within|for the next)"
          rf" (?:следующ\w+ |ближайш\w+ )?(?P<len>{LENGTH})|(?<!\bв )(?<!\bво )(?<!, )(?<!\bи )(?P<bare>{NUM} {_LENGTH_UNIT})|(?P<week>недел[юи]|a week)")
def _course_length(match: re.Match[str]) -> Facts | None:
    if match.group("week"):
        return {"days": 7}
    days = length_days(match.group("len") or match.group("bare"))
    return {"days": days} if days else None


@_pattern(r"(?:(?:начинаю|начала?|начали|нужно пройти|надо пройти|пройти|пропить|прохожу|назначили) )?курс(?:ом)?"
          r"|(?:(?:start|starting|begin|on|take|taking) )?(?:a )?course(?: of)?")
def _course_word(match: re.Match[str]) -> Facts:
    return {"course_word": True}


@_pattern(rf"(?P<prep>до|по|until|till|through|thru|up to|to)(?: the)? (?P<date>{DATE}|{_GENITIVE_WEEKDAY}|{WEEKDAY})"
          rf"(?P<incl> включительно| inclusive)?")
def _until(match: re.Match[str]) -> Facts | None:
    found = date_ref(match.group("date"))
    if found is None or (match.group("prep") == "to" and found.kind != "date"):
        return None
    inclusive = bool(match.group("incl")) or match.group("prep") in ("по", "through", "thru", "to")
    return {"until": found, "inclusive": inclusive}


@_pattern(rf"(?:с|from) (?P<d1>\d{{1,2}})(?:-?(?:го|е))? (?P<prep>по|до|to|through|till|until) (?P<date>{DATE})")
def _date_range(match: re.Match[str]) -> Facts | None:
    end = date_ref(match.group("date"))
    if end is None or end.kind != "date":
        return None
    start = _checked(int(match.group("d1")), end.month, end.year)
    if start is None:
        return None
    return {"start": start, "until": end, "inclusive": match.group("prep") in ("по", "to", "through")}


@_pattern(rf"(?:начиная |начать )?(?:с|со|starting(?: on| from)?|from|beginning(?: on)?|start(?:ing)?)"
          rf" (?P<date>{DATE}|{_GENITIVE_WEEKDAY}|завтрашнего дня|сегодняшнего дня|завтра|сегодня|tomorrow|today"
          rf"|{WEEKDAY})")
def _start(match: re.Match[str]) -> Facts | None:
    found = date_ref(match.group("date"))
    return {"start": found} if found else None


@_pattern(r"(?:на |в )?(?:сегодня|завтра|послезавтра)(?: (?:утром|вечером|днем|ночью))?|(?:on )?(?:today|tomorrow)"
          r"|(?<!\d )(?<!am )(?<!pm )tonight(?= at| around| about)"
          r"|(?:the )?day after tomorrow")
def _day_word(match: re.Match[str]) -> Facts | None:
    word = re.sub(r"^(?:на |в |on |the )", "", match.group(0)).replace("tonight", "today")
    word = re.sub(r" (?:утром|вечером|днем|ночью)$", "", word)
    found = date_ref(word)
    return {"day": found} if found else None


@_pattern(rf"(?P<on>{NUM}|{_LENGTH_UNIT}) ?(?P<onunit>{_LENGTH_UNIT})? (?:{_TAKE} )?(?:,\s*|потом |затем |и |then |, then )?"
          rf"(?P<off>{NUM}(?: {_LENGTH_UNIT})?|{_LENGTH_UNIT}) {_BREAK}"
          rf"|(?P<on2>{NUM}) (?:days?|weeks?) on,? (?P<off2>{NUM}) (?:days?|weeks?) off"
          rf"|(?:for )?(?P<on3>{NUM}) days?,? (?:then|and then|followed by|with) (?:a )?(?P<off3>{NUM})[ -]days? (?:break|pause|off)")
def _cycle(match: re.Match[str]) -> Facts | None:
    if match.group("on3"):
        on, off = number(match.group("on3")), number(match.group("off3"))
        return {"on_days": on, "off_days": off} if on and off else None
    if match.group("on2"):
        text = match.group(0)
        unit = 7 if "week" in text.split(" on")[0] else 1
        on = number(match.group("on2"))
        off_unit = 7 if "week" in text.split(" on")[-1] else 1
        off = number(match.group("off2"))
        if on is None or off is None:
            return None
        return {"on_days": on * unit, "off_days": off * off_unit}
    on_text = match.group("on") + (" " + match.group("onunit") if match.group("onunit") else "")
    on = length_days(on_text)
    off_text = match.group("off")
    if re.fullmatch(NUM, off_text) and match.group("onunit"):
        off_text += " " + match.group("onunit")  # "21 день пью 7 перерыв": the same unit
    off = length_days(off_text)
    if not on or not off:
        return None
    return {"on_days": on, "off_days": off}


@_pattern(r"(?:по|при) (?:необходимости|надобности|потребности|требованию)|если (?:нужно|надо|понадобится|потребуется)"
          r"|когда (?:нужно|надо|понадобится)|по желанию|as needed|if needed|when needed|as required|if necessary"
          r"|when necessary|prn|p\.r\.n\.?|on demand|only when needed|only if needed")
def _as_needed(match: re.Match[str]) -> Facts:
    return {"prn": True}


@_pattern(rf"(?:когда|если) (?:у меня )?(?:болит|заболит|болят|разболится|заболят|ноет|поднимется|поднимается"
          rf"|повысится|подскочит|скачет|начнется|начинается) {_SYMPTOMS_RU}"
          r"|при (?:сильной )?(?:(?:болях|боли|тяжести|дискомфорте|спазмах|жжении) в (?:сердце|животе|желудке|спине|горле"
          r"|суставах|голове|ухе|зубе|пояснице|груди|мышцах)|головной боли|головных болях|боли|болях|болевом синдроме|(?:высокой |повышенной )?температуре"
          r"|(?:высоком |повышенном )?давлении|повышении давления|мигрени|изжоге|тошноте|аллергии|бессоннице|спазмах"
          r"|простуде|кашле|насморке|запоре|поносе|диарее|одышке|тревоге|волнении|стрессе|приступе|судорогах|отеках|вздутии)"
          r"|если (?:будет|появится|начнется|разболится|заболит|случится|поднимется) \w+"
          r"|(?:for|when i (?:have|get)|if i (?:have|get)|in case of) (?:a |an )?(?:bad )?(?:headaches?|pain|fever|migraines?"
          r"|heartburn|nausea|allergies|insomnia|cough|cramps)(?: (?:as|when|if) needed)?")
def _when_symptom(match: re.Match[str]) -> Facts:
    return {"prn": True}


@_pattern(rf"(?:не (?:чаще|более|больше)|максимум|макс\.?|до) (?P<n>{NUM}) (?:раз\w*|таблет\w*|капсул\w*|доз\w*|приема|приемов)?"
          rf" ?(?:в|за) (?:день|сутки)|(?:max(?:imum)?|up to|no more than|not more than|at most) (?P<n2>{NUM}|once|twice)"
          r" (?:times|doses|pills|tablets|capsules)? ?(?:a|per|in a|each) day")
def _max_per_day(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2")
    count = {"once": 1, "twice": 2}.get(text) or number(text)
    if count is None or not 1 <= count <= 24:
        return None
    return {"max_per_day": count}


@_pattern(rf"(?:через|in) (?:полчаса|half an hour|час|an hour|one hour|полтора часа|an hour and a half"
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


@_pattern(r"иногда|время от времени|периодически|по настроению|когда вспомню|по (?:четн|нечетн)\w+(?: (?:дням|числам))?"
          r"(?: месяца)?|now and then|from time to time|sometimes|occasionally|on (?:even|odd) (?:days|dates)|when i remember"
          r"|по лунному\w*(?: календарю)?|every now and again")
def _vague(match: re.Match[str]) -> Facts:
    return {"unsure": True}


@_pattern(r"с этого дня|с этих пор|отныне|from now on|from today on|henceforth")
def _from_now(match: re.Match[str]) -> Facts:
    return {"now": True}


@_pattern(r"на (?:прием|приемы)(?= )")
def _on_intake(match: re.Match[str]) -> Facts:
    return {"marker": True}


@_pattern(rf"через (?:{NUM}) (?:дня|дней|недел\w+)")
def _after_days(match: re.Match[str]) -> Facts:
    return {"unsure": True}  # "через 2 дня": every third day, or starting in two days?


@_pattern(r"не (?:надо|нужно|нужны)(?: (?:напоминать|пить|принимать))?|не напоминай\w*(?: мне)?(?: ничего)?(?: (?:про|о|об))?"
          r"|пропусти(?:те|ть)?|пропустим|пауз[аыу]|(?:сделай |сделать )?перерыв(?: в (?:приеме|напоминаниях))?"
          r"|приостанови\w*|отключи напоминани\w*|без напоминаний"
          r"|no reminders?(?: (?:for|about))?|skip|pause(?: (?:the |my )?reminders?)?|don'?t remind(?: me)?(?: (?:about|of|to take))?"
          r"|do not remind(?: me)?(?: (?:about|of|to take))?|hold off(?: on)?"
          r"|take a break(?: from(?: the| my)? (?:reminders|pills|meds|medications))?|no(?= \w)")
def _pause_word(match: re.Match[str]) -> Facts:
    text = match.group(0)
    stop = text.startswith(("не напоминай", "don't remind", "dont remind", "do not remind", "no reminders"))
    return {"pause": True, "stop": True} if stop else {"pause": True}


@_pattern(rf"(?:в )?(?:перв\w+|first|the first|for the first) (?P<len>{LENGTH})|(?:в )?(?:следующ\w+|втор\w+|трет\w+|четверт\w+"
          rf"|next|the next|second|third|fourth|for the next) (?P<len2>{LENGTH})")
def _step_length(match: re.Match[str]) -> Facts | None:
    days = length_days(match.group("len") or match.group("len2"))
    return {"step_len": days} if days else None


@_pattern(r"(?:а |и |, )?(?:потом|затем|далее|дальше|после этого|then|after that|and then)")
def _then(match: re.Match[str]) -> Facts:
    return {"then": True}


@_pattern(r"сначала|вначале|for starters|at first|(?:начиная|starting|beginning)(?= (?:с|со|at|from|\d))"
          r"|(?:starting|beginning)(?: at| from)?(?= \d)")
def _marker(match: re.Match[str]) -> Facts:
    return {"marker": True}


_AGENDA_PERIOD = (rf"(?:эту |этой |ближайшую |следующую |this |the |next )?(?:недел[юие]|week)(?: вперед| ahead)?|завтра|tomorrow"
                  rf"|(?:ближайшие |следующие |next |the next )?{NUM} (?:дн\w+|days)")


@_pattern(r"(?:show me )?my week|the week ahead|(?:this|next) week'?s (?:meds|schedule|plan|pills)")
def _my_week(match: re.Match[str]) -> Facts:
    return {"agenda_word": True, "period": 7}


@_pattern(rf"(?:what'?s on|what is on|what do i (?:need to |have to )?take|weekly schedule|agenda|что будет|план\w*(?: приема)?)"
          rf"(?: (?:(?:for|in|on|over|during) )?(?P<p>{_AGENDA_PERIOD}))?")
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
          rf"|в (?P<p3>(?:ближайшие|следующие) {NUM} дн\w+|(?:эту|этой|ближайшую|следующую) недел[юие])")
def _agenda_period(match: re.Match[str]) -> Facts:
    return {"period": _period_days(match.group("p") or match.group("p2") or match.group("p3"))}


def _period_days(text: str) -> int:
    if "завтра" in text or "tomorrow" in text:
        return 2
    count = re.search(NUM + r"(?= (?:дн|day))", text)
    if count:
        return max(1, min(number(count.group(0)) or 7, 31))
    return 7


@_pattern(rf"(?:что|што) (?:у меня )?(?:на|в) (?P<p>{_AGENDA_PERIOD})|(?:планы?|расписание|график)(?: приема| приемов)?"
          rf" (?:на|for) (?P<p2>{_AGENDA_PERIOD})|на (?P<p3>ближайшие {NUM} дн\w+)|(?:what's|what is) (?:coming )?up"
          rf"(?: (?:this|next) week| (?:in |for )?the next (?P<n>{NUM}) days| tomorrow)?|coming up(?: this week)?"
          rf"|(?:my )?(?:schedule|plan|meds) for (?P<p4>{_AGENDA_PERIOD})|for the (?:next )?week")
def _agenda(match: re.Match[str]) -> Facts:
    period = next((match.group(name) for name in ("p", "p2", "p3", "p4") if match.group(name)), None)
    if match.group("n"):
        return {"agenda": number(match.group("n")) or 7}
    text = period or match.group(0)
    if "завтра" in text or "tomorrow" in text:
        return {"agenda": 2}
    count = re.search(NUM + r"(?= (?:дн|day))", text)
    if count:
        return {"agenda": max(1, min(number(count.group(0)) or 7, 31))}
    return {"agenda": 7}


_START = r"(?<![\w:.,/-])"
_END = r"(?![\w-]|[:.,/]\d)"
_COMPILED = tuple((re.compile(rf"(?:{regex}){_END}"), reader) for regex, reader in _PATTERNS)
_ANY_RULE = re.compile(
    _START + "".join(f"(?=({re.sub(r'[(][?]P<[a-z0-9]+>', '(?:', regex)}){_END})?" for regex, _ in _PATTERNS)
)
"""Every pattern as an optional lookahead: one match per word start says which patterns begin
there (the cheap pass); only those are then matched again for their own groups."""
_WORD_START = re.compile(r"(?<![\w:.,/-])[^\W_]|(?<![\w:.,/-])[0-9]")


def find_rules(low: str) -> tuple[RuleHit, ...]:
    """Non-overlapping schedule phrases in the folded text, longest first where they compete."""
    found: list[RuleHit] = []
    for word in _WORD_START.finditer(low):
        start = word.start()
        detected = _ANY_RULE.match(low, start)
        if detected is None or detected.lastindex is None:
            continue
        for index, (pattern, reader) in enumerate(_COMPILED, start=1):
            if detected.group(index) is None:
                continue
            match = pattern.match(low, start)
            if match is None or match.end() == start:
                continue
            facts = reader(match)
            if facts is not None:
                found.append(RuleHit(start, match.end(), facts))
    found.sort(key=lambda hit: (-(hit.end - hit.start), hit.start))
    chosen: list[RuleHit] = []
    for hit in found:
        if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
            chosen.append(hit)
    chosen.sort(key=lambda hit: hit.start)
    return tuple(chosen)


# ---------------------------------------------------------------- words that sound like a schedule

_SCHEDULE_STEMS = re.compile(
    r"^(?:понедельн|вторн|сред[аыуе]|четверг|пятниц|суббот|воскрес|будн|выходн|недел|месяц|числ|ежедн|еженед|ежемес"
    r"|кажд|сутк|суток|курс|цикл|перерыв|пауз|раз|дня|дней|день|дни|через|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|weekly|weekend|weekday|fortnight|month|week|days?$|daily|every|alternate|course|cycle|hours?$"
    r"|часа|часов|other$|until|till|through|except|кроме|когда|если|нужно|надо|необходим|needed|prn|once|twice"
    r"|times$|январ|феврал|март|апрел|мая$|июн|июл|август|сентябр|октябр|ноябр|декабр)"
)


_DAY_WORDS = ("понедельник", "вторник", "среда", "средам", "четверг", "четвергам", "пятница", "пятницам", "суббота",
              "субботам", "воскресенье", "воскресеньям", "monday", "mondays", "tuesday", "tuesdays", "wednesday",
              "wednesdays", "thursday", "thursdays", "friday", "fridays", "saturday", "saturdays", "sunday", "sundays",
              "неделю", "недели", "месяц", "ежедневно", "weekly", "monthly", "weekend", "weekends")


def _skeleton(word: str) -> str:
    return re.sub(r"[аеёиоуыэюяьъйaeiouy]", "", word)


@lru_cache(maxsize=1 << 14)
def sounds_like_schedule(word: str) -> bool:
    """A word about days or frequency that no pattern placed, typos included ("четвергм",
    "средм", "пнд", "wensdays"): never part of a medication's name."""
    if _SCHEDULE_STEMS.match(word):
        return True
    if len(word) < 3 or not word.isalpha():
        return False
    from medbot.nlu.intents import close_enough
    from medbot.nlu.lexicon import MED_WORDS

    if word in MED_WORDS:
        return False
    skeleton = _skeleton(word)
    for target in _DAY_WORDS:
        if len(word) >= 5 and close_enough(word, target):
            return True
        target_skeleton = _skeleton(target)
        if len(skeleton) >= 3 and (skeleton == target_skeleton or (
                target_skeleton.startswith(skeleton) and len(word) <= 6)):
            return True
        if len(skeleton) >= 5 and close_enough(skeleton, target_skeleton):
            return True
    return False


# ---------------------------------------------------------------- assembling one rule


@dataclass(frozen=True)
class Assembled:
    spec: RegimenSpec | None
    """None: nothing was said about days (every day, the default)."""
    unsure: bool = False
    """The facts do not fit together: ask rather than guess."""
    explicit_daily: bool = False


def assemble(facts: RuleFacts, remind: bool, dosage_steps: Sequence[tuple[str, int | None]] = ()) -> Assembled:
    """One `RegimenSpec` from the facts of a message (see the module docstring)."""
    if facts.has("unsure") or facts.has("pause") or facts.has("agenda") or facts.has("step_len"):
        return Assembled(None, unsure=True)
    weekdays = sorted({day for found in facts.all("weekdays") for day in found})
    plural = any(facts.all("plural"))
    intervals = facts.all("interval")
    hours = facts.all("hours")
    cycle = [hit.facts for hit in facts.hits if "on_days" in hit.facts]
    prn = facts.has("prn") or facts.has("max_per_day")
    monthly = facts.has("monthly")
    weekly = facts.has("weekly")
    in_minutes = facts.first("in_minutes")
    day = facts.first("day")
    start = facts.first("start")
    until = facts.first("until")
    days = facts.first("days")
    if len(facts.all("days")) > 1 or len(facts.all("until")) > 1 or len(facts.all("start")) > 1:
        return Assembled(None, unsure=True)
    kinds = [
        name
        for name, present in (
            ("weekdays", bool(weekdays) or weekly),
            ("every_n_days", bool(intervals)),
            ("monthly", monthly),
            ("every_n_hours", bool(hours)),
            ("cycle", bool(cycle)),
            ("as_needed", prn),
            ("once", in_minutes is not None),
        )
        if present
    ]
    if len(kinds) > 1 or len(intervals) > 1 or len(hours) > 1 or len(cycle) > 1:
        return Assembled(None, unsure=True)
    kind = kinds[0] if kinds else None
    extra: dict[str, Any] = {}
    if kind == "weekdays":
        per_week = facts.first("per_week")
        if facts.has("weekly") and per_week is None and len(weekdays) > 1:
            return Assembled(None, unsure=True)  # "once a week on Monday and Thursday"
        if per_week is not None and per_week > 1 and len(weekdays) != per_week:
            return Assembled(None, unsure=True)  # "twice a week" without (the right) days
        if weekdays and not plural and not weekly and remind and not (days or until):
            kind, start = "once", DateRef("weekday", weekdays[0])  # "в субботу напомни"
            if len(weekdays) > 1 or day is not None:
                return Assembled(None, unsure=True)
        else:
            extra["weekdays"] = tuple(weekdays)
    if kind == "every_n_days" and any(hit.facts.get("weeks") for hit in facts.hits) and weekdays:
        return Assembled(None, unsure=True)  # "every other Monday": not yet
    if kind == "every_n_days":
        extra["interval"] = intervals[0]
    if kind == "every_n_hours":
        extra["interval"] = hours[0]
    if kind == "monthly":
        month_days = facts.all("month_day")
        if len(set(month_days)) > 1:
            return Assembled(None, unsure=True)
        if month_days:
            extra["month_day"] = month_days[0]
    elif facts.has("month_day"):
        if any(hit.facts.get("monthly") is False for hit in facts.hits if "month_day" in hit.facts):
            return Assembled(None, unsure=True)  # "on the 15th": of this month, or every month?
    if kind == "cycle":
        extra["on_days"], extra["off_days"] = cycle[0]["on_days"], cycle[0]["off_days"]
        if days is not None:
            return Assembled(None, unsure=True)
    if kind == "as_needed":
        if days or until or start or day or dosage_steps:
            return Assembled(None, unsure=True)
        extra["max_per_day"] = facts.first("max_per_day")
    if kind == "once" and in_minutes is not None:
        if day is not None or start is not None or days or until:
            return Assembled(None, unsure=True)
        extra["in_minutes"] = in_minutes
    if day is not None:
        if start is not None:
            return Assembled(None, unsure=True)
        if kind is None and remind and not (days or until or dosage_steps):
            kind, start = "once", day  # "завтра в 9 напомни"
        else:
            start = day  # "с завтра" said without "с": the first day
    if kind != "once" and kind is not None and facts.has("pause"):
        return Assembled(None, unsure=True)
    steps = tuple(dosage_steps)
    said_anything = kind is not None or days or until or start or steps or facts.has("course_word")
    explicit_daily = facts.has("daily")
    if not said_anything:
        return Assembled(None, explicit_daily=explicit_daily)
    if explicit_daily and kind not in (None, "every_n_hours"):
        if not (kind == "weekdays" and facts.has("daily") and len(weekdays) == 6):
            return Assembled(None, unsure=True)  # "every day on Mondays"
    from medbot.commands import StepSpec  # local: keeps the import list short

    spec = RegimenSpec(
        kind=kind or "daily",  # type: ignore[arg-type]
        start=start,
        days=days,
        until=until,
        steps=tuple(StepSpec(dosage, length) for dosage, length in steps),
        course=facts.has("course_word") and not (days or until or steps),
        **{key: value for key, value in extra.items() if value is not None},
    )
    if spec.days and spec.until:
        return Assembled(None, unsure=True)
    return Assembled(spec, explicit_daily=explicit_daily)
