"""Clock times in Russian and English, found in tokens: "в 9 утра", "21ч15", "eight fifteen pm".

A bare hour is a 24-hour reading ("в 11" is 11:00, "at 9" is 09:00). Words like "утром" or
"перед сном" without a clock time are not times. An impossible time ("25:00", "в 13 утра") is
still found, so that it is not read as part of a name, but has no value: the caller refuses
the message rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import OSA

from medbot.core.nlu.normalize import Token
from medbot.core.nlu.numbers import RU_HOUR_ORDINALS, cardinal, days_in_dnya, read_number

Role = Literal["old", "new"]

PREFIXES: dict[str, Role | None] = {
    "в": None, "во": None, "к": None, "около": None, "примерно": None, "приблизительно": None,
    "где-то": None, "ровно": None, "at": None, "around": None, "about": None, "approximately": None,
    "approx": None, "by": None, "@": None, "~": None, "с": "old", "со": "old", "from": "old",
    "вместо": "old", "из": "old", "на": "new", "to": "new",
}
"""Words that may precede a time; "с 9 на 10" / "from 9 to 10" mark the old and the new one."""

_WAS = frozenset({"был", "была", "было", "были", "стоял", "стояла", "стояло", "was", "were"})

_PERIODS: dict[str, str] = {
    "утра": "morning", "утром": "morning", "дня": "afternoon", "днем": "afternoon",
    "вечера": "evening", "вечером": "evening", "ночи": "night", "ночью": "night",
    "am": "am", "pm": "pm", "tonight": "evening", "noon": "noon", "midnight": "midnight",
}
_PERIOD_PHRASES: dict[tuple[str, ...], str] = {
    ("in", "the", "morning"): "morning", ("in", "the", "afternoon"): "afternoon",
    ("in", "the", "evening"): "evening", ("at", "night"): "night", ("in", "evening"): "evening",
    ("in", "morning"): "morning", ("in", "afternoon"): "afternoon", ("at", "evening"): "evening",
    ("at", "morning"): "morning", ("in", "night"): "night",
    ("после", "полудня"): "pm", ("пополудни",): "pm", ("после", "полуночи"): "am", ("after", "noon"): "pm",
}
_PHRASES_BY_FIRST_WORD: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    first: tuple((phrase, period) for phrase, period in _PERIOD_PHRASES.items() if phrase[0] == first)
    for first in {phrase[0] for phrase in _PERIOD_PHRASES}
}
_LEADING_PERIODS: dict[str, str] = {"утром": "morning", "днем": "afternoon", "вечером": "evening",
                                    "ночью": "night", "tonight": "evening"}
"""A time of day just before a time: "вечером в 9" is 21:00."""
_HOUR_WORDS = frozenset({"час", "часа", "часов", "ч", "h", "hr", "hrs", "o'clock", "oclock"})
_MINUTE_WORDS = frozenset({"минут", "минуты", "минуту", "мин", "м", "min", "mins", "minute", "minutes"})
_NAMED_MINUTES = {"четверти": 15, "quarter": 15, "half": 30}
_RELATIVE = frozenset({"позже", "раньше", "попозже", "пораньше", "later", "earlier", "вперед", "назад"})
_NOT_AFTER_NUMBER = frozenset({
    "минут", "минуты", "минуту", "мин", "дней", "дни", "неделю", "недели", "недель", "месяц", "месяца",
    "месяцев", "лет", "год", "года", "раз", "раза", "times", "time", "days", "day", "weeks", "week",
    "months", "month", "years", "year", "minutes", "mins", "hours", "числа", "число", "%",
})
_NOT_BEFORE_TIME = frozenset({"через", "за", "in", "within", "every", "каждые", "каждый"})
_SEPARATORS = frozenset({",", "и", "and", "&", "а", "/", "+", "или", "or"})
_HALF = frozenset({"половина", "половине", "половину", "пол"})
_CLOCK_DIGITS = re.compile(r"[0-9]+")
_DOTTED = re.compile(r"[0-9]{1,2}\.[0-9]{2}")
_COMMA = re.compile(r"[0-9]{1,2},[0-9]{2}")


@dataclass(frozen=True, slots=True)
class TimeHit:
    start: int
    end: int
    """Token indices [start, end) of the whole expression, prefix and suffix included."""
    value: str | None
    """"HH:MM", or None when the time is impossible."""
    role: Role | None = None
    relative: bool = False
    """Followed by "позже"/"later": a shift, not a clock time."""
    guessed: bool = False
    """A bare hour of a list read as the afternoon's ("в 9 и 3" → 15:00): worth one tap to confirm."""


@dataclass(frozen=True, slots=True)
class _Core:
    hour: int
    minute: int
    end: int
    explicit: bool
    """Unmistakably a time on its own (a clock, "полдень", "без четверти девять")."""
    periodless: bool = False
    """"полдень"/"noon": no "утра"/"pm" may follow."""


def _word(tokens: Sequence[Token], k: int) -> str:
    return tokens[k].low if 0 <= k < len(tokens) else ""


def _hour_number(tokens: Sequence[Token], k: int) -> tuple[int, int] | None:
    """An hour named by a number or number word ("девять", "9", "час"): (hour, index after)."""
    if _word(tokens, k) == "час":
        return 1, k + 1
    number = read_number(tokens, k)
    if number is None or number[0] != int(number[0]):
        return None
    return int(number[0]), number[1]


def _before_hour(hour: int, minutes_before: int, end: int) -> _Core:
    """"без четверти девять" / "quarter to nine": the hour before, 60 - minutes."""
    previous = hour - 1 if hour > 1 else 12
    return _Core(previous, 60 - minutes_before, end, explicit=True)


def _minute_count(tokens: Sequence[Token], k: int) -> tuple[int, int, bool] | None:
    """Minutes before or past an hour ("четверти", "десяти", "20 минут", "half"): (minutes,
    index after, unmistakably minutes - a word, or a number followed by "минут")."""
    if _word(tokens, k) in _NAMED_MINUTES:
        return _NAMED_MINUTES[_word(tokens, k)], k + 1, True
    number = read_number(tokens, k)
    if number is None or number[0] != int(number[0]) or not 1 <= number[0] <= 30:
        return None
    minutes, k = int(number[0]), number[1]
    if _word(tokens, k) in _MINUTE_WORDS:
        return minutes, k + 1, True
    return minutes, k, number[2]


def _russian_special(tokens: Sequence[Token], j: int) -> _Core | None:
    word = _word(tokens, j)
    if word in ("полдень", "noon", "полудня", "полуднем", "midday") and (word in ("полдень", "noon", "midday") or j):
        if word != "полдень" and word not in ("noon", "midday") and _word(tokens, j - 1) not in ("с", "к", "до"):
            return None  # "полудня" only after "с", "к", "до" ("в час после полудня" is 13:00)
        return _Core(12, 0, j + 1, explicit=True, periodless=True)
    if word in ("полночь", "midnight", "полуночи") and (word != "полуночи" or _word(tokens, j - 1) in ("с", "к", "до")):
        return _Core(0, 0, j + 1, explicit=True, periodless=True)
    glued = word[3:].lstrip("-") if word.startswith("пол") else ""
    if glued in RU_HOUR_ORDINALS:
        return _before_hour(RU_HOUR_ORDINALS[glued], 30, j + 1)
    if word in _HALF or word == "четверть":
        minutes = 15 if word == "четверть" else 30
        nxt = _word(tokens, j + 1)
        if nxt in RU_HOUR_ORDINALS:
            return _before_hour(RU_HOUR_ORDINALS[nxt], 60 - minutes, j + 2)
        if word in _HALF and tokens[j + 1:j + 2] and tokens[j + 1].kind == "num":
            value = tokens[j + 1].value
            if value is not None and value == int(value) and 1 <= value <= 12:
                return _before_hour(int(value), 30, j + 2)
        return None
    counted = _minute_count(tokens, j) if word not in ("без", "полдень") else None
    if counted is not None and counted[2] and _word(tokens, counted[1] - 1) in _MINUTE_WORDS:
        ordinal = RU_HOUR_ORDINALS.get(_word(tokens, counted[1]))
        if ordinal is not None:  # "пять минут девятого": five minutes into the ninth hour, 08:05
            return _before_hour(ordinal, 60 - counted[0], counted[1] + 1)
    if word == "без":
        counted = _minute_count(tokens, j + 1)
        if counted is None:
            return None
        minutes, k, _ = counted
        hour = _hour_number(tokens, k)
        if hour is None or not 1 <= hour[0] <= 12:
            return None
        return _before_hour(hour[0], minutes, hour[1])
    return None


def _english_special(tokens: Sequence[Token], j: int) -> _Core | None:
    """"quarter past 8", "half past seven", "ten to nine", "twenty past 8"."""
    counted = _minute_count(tokens, j + 1 if _word(tokens, j) == "a" else j)
    if counted is None:
        return None
    minutes, k, certain = counted
    if not certain or _word(tokens, j - 1) in ("from", "between"):
        return None  # "from 9 to 10" is two times, not 09:51
    if minutes % 5 and _word(tokens, k - 1) not in _MINUTE_WORDS:
        return None  # "the 8 o'clock one to 9": a clock says "five to", "ten past", never "one to"
    direction = _word(tokens, k)
    if direction not in ("past", "after", "to", "till", "before"):
        return None
    if minutes == 30 and direction not in ("past", "after"):
        return None
    hour = _hour_number(tokens, k + 1)
    if hour is None or not 0 <= hour[0] <= 23:
        return None
    if direction in ("past", "after"):
        return _Core(hour[0], minutes, hour[1], explicit=True)
    return _before_hour(hour[0], minutes, hour[1])


def _minutes_after(tokens: Sequence[Token], k: int, in_words: bool, hour_word: bool) -> tuple[int, int] | None:
    """Minutes following an hour: "девять часов тридцать минут", "семь тридцать", "seven oh five"."""
    word = _word(tokens, k)
    if word in ("ноль-ноль", "нольноль", "zero-zero", "hundred"):
        return 0, k + 1  # "девятнадцать ноль-ноль", "nineteen hundred"
    if in_words and word in ("ноль", "oh", "o"):
        digit = cardinal(_word(tokens, k + 1))
        if digit is not None and 0 <= digit <= 9:
            return digit, k + 2
        return None
    number = read_number(tokens, k)
    if number is None or number[0] != int(number[0]):
        return None
    minutes, after, number_in_words = int(number[0]), number[1], number[2]
    minute_word = _word(tokens, after) in _MINUTE_WORDS
    if hour_word and _word(tokens, k - 1) in ("o'clock", "oclock"):
        return None  # "the 8 o'clock one": nothing follows o'clock as minutes
    if hour_word and minutes < 10 and not minute_word:
        return None  # "в 8 часов одну таблетку": one tablet, not 08:01
    if hour_word or (in_words and number_in_words and 10 <= minutes <= 59):
        return minutes, after + 1 if minute_word else after
    return None


_MILITARY = re.compile(r"(?:[01][0-9]|2[0-3])[0-5][0-9]")
_COMPACT = re.compile(r"(?:[01]?[0-9]|2[0-3])[0-5][0-9]")
_NUMBERED_NAMES = frozenset("""омега омегу омеги омегой омеге коэнзим коэнзима коэнзимом q омега-3 omega
    coenzyme""".split())
_AT = frozenset({"в", "во", "к", "at", "by", "около", "around"})
"""Hours and minutes run together: "845pm", "в 2030". Not "на 1000" or "to 850", doses as often
as times; and not "в 2100", which could be 2100 units as well as 21:00."""
_YEAR_WORDS = frozenset({"год", "году", "года", "г", "year", "годы"})
""""в 2024 году" is a year; "at 0700", "2100 hrs" are clock times."""


def _core(tokens: Sequence[Token], j: int, has_prefix: bool, listed: bool) -> _Core | None:
    token = tokens[j]
    if token.kind == "clock":
        hour, minute = (int(part) for part in _CLOCK_DIGITS.findall(token.low)[:2])
        if re.search(r":[0-9](?![0-9])", token.low):
            minute = 99  # "7:3": a minute of one digit is a slip; asked about, never guessed
        end = j + 2 if "ч" in token.low and _word(tokens, j + 1) in _MINUTE_WORDS else j + 1
        return _Core(hour, minute, end, explicit=True)
    dotted = _DOTTED.fullmatch(token.low) and (has_prefix or listed or token.low[-2:] in ("00", "15", "30", "45")
                                                 or _period_at(tokens, j + 1) is not None)
    if token.kind == "num" and (dotted or (has_prefix and _COMMA.fullmatch(token.low))):  # "carvedilol 6.25": a dose
        hour, minute = (int(part) for part in re.split(r"[.,]", token.low))
        return _Core(hour, minute, j + 1, explicit=True)
    if token.kind == "num" and _MILITARY.fullmatch(token.low) and _word(tokens, j + 1) not in _YEAR_WORDS and (
            token.low[0] == "0" or listed or _word(tokens, j - 1) == "at" or _word(tokens, j + 1) in ("hrs", "h", "hours")):
        end = j + 2 if _word(tokens, j + 1) in ("hrs", "h", "hours") else j + 1
        return _Core(int(token.low[:2]), int(token.low[2:]), end, explicit=True)  # "at 0700", "2100 hrs"
    if token.kind == "num" and _COMPACT.fullmatch(token.low) and (_word(tokens, j + 1) in ("am", "pm") or (
            len(token.low) == 4 and token.low[2:] != "00" and _word(tokens, j - 1) in _AT
            and _word(tokens, j + 1) not in _YEAR_WORDS)):
        return _Core(int(token.low[:-2]), int(token.low[-2:]), j + 1, explicit=True)  # "845pm", "в 2030"
    special = _russian_special(tokens, j) or _english_special(tokens, j)
    if special is not None:
        return special
    if token.low == "час" and has_prefix:
        return _Core(1, 0, j + 1, explicit=False)
    number = read_number(tokens, j)
    if number is None or number[0] != int(number[0]) or number[0] > 99:
        return None
    hour, k, in_words = int(number[0]), number[1], number[2]
    hour_word = _word(tokens, k) in _HOUR_WORDS
    if hour_word:
        k += 1
    elif _word(tokens, k) == "o" and _word(tokens, k + 1) == "clock":
        hour_word, k = True, k + 2
    minute = 0
    minutes = _minutes_after(tokens, k, in_words, hour_word)
    if minutes is not None:
        minute, k = minutes
    if not (has_prefix or listed or hour_word or minutes is not None or _period_at(tokens, k)):
        return None
    if not hour_word and minutes is None and _word(tokens, k) in _NOT_AFTER_NUMBER:
        return None
    if not hour_word and minutes is None and not _period_at(tokens, k) and hour > 24:
        return None
    return _Core(hour, minute, k, explicit=hour_word or minutes is not None)


def _period_at(tokens: Sequence[Token], k: int) -> tuple[str, int] | None:
    word = _word(tokens, k)
    if word in _PERIODS:
        return _PERIODS[word], k + 1
    misspelt = _misspelt_period(word)
    if misspelt is not None:
        return misspelt, k + 1
    for phrase, period in _PHRASES_BY_FIRST_WORD.get(word, ()):
        if tuple(_word(tokens, k + n) for n in range(len(phrase))) == phrase:
            return period, k + len(phrase)
    return None


@lru_cache(maxsize=2048)
def _misspelt_period(word: str) -> str | None:
    """"утрм", "вечра", "утар": a Russian time of day with one typo, after an hour."""
    if len(word) < 4 or not word.isalpha() or not ("а" <= word[0] <= "я"):
        return None
    found = {period for written, period in _PERIODS.items()
             if len(written) >= 4 and OSA.distance(word, written, score_cutoff=1) <= 1}
    return found.pop() if len(found) == 1 else None


_LEADING_EN = {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night",
               "tonight": "evening"}
PART_OF_DAY_WORDS = frozenset(_PERIODS) | frozenset(_LEADING_EN) | {"днём"}
"""Words that say the part of the day of an hour, before or after it ("в 9 вечера", "at night 10")."""


def _leading_period(tokens: Sequence[Token], i: int) -> str | None:
    """"вечером в 9", "in the evening at 8", "every evening at 9", "tonight at 10"."""
    word = _word(tokens, i - 1)
    back = i - 1
    while back > 0 and _word(tokens, back) in ("мне", "ей", "ему", "я", ","):
        back -= 1  # "вечером мне, в 9"
    word = _word(tokens, back)
    if word in _LEADING_PERIODS:
        listed = any(_word(tokens, k) in ("и", ",", "and") and k + 1 < len(tokens) and tokens[k + 1].kind == "num"
                     for k in (i + 1, i + 2))
        if listed and _word(tokens, back - 1) in ("и", ",", "или") and _word(tokens, back - 2) in _LEADING_PERIODS:
            return None  # "утром и вечером в 9 и 21": the parts of the day, then their hours in order
        return _LEADING_PERIODS[word]
    if word in _LEADING_EN and _word(tokens, i) in ("at", "around", "about", "by"):
        before = _word(tokens, i - 2)
        if before in ("the", "every", "each", "this", "at") or word == "tonight":
            return _LEADING_EN[word]
    return None


def apply_period(hour: int, period: str | None) -> int | None:
    """The 24-hour hour for an hour said with "утра"/"дня"/"вечера"/"ночи"/am/pm, or None."""
    match period:
        case None:
            return hour
        case "am":
            return 0 if hour == 12 else hour if 0 <= hour <= 11 else None
        case "pm":
            return 12 if hour == 12 else hour + 12 if 1 <= hour <= 11 else None
        case "morning":
            return hour if 0 <= hour <= 11 else None
        case "afternoon":
            return hour + 12 if 1 <= hour <= 6 else hour if 11 <= hour <= 18 else None
        case "evening":
            return hour + 12 if 4 <= hour <= 11 else hour if 16 <= hour <= 23 else None
        case "night":
            if hour == 12:
                return 0
            return hour if 0 <= hour <= 5 or 21 <= hour <= 23 else hour + 12 if 6 <= hour <= 11 else None
        case "noon":
            return 12 if hour == 12 else None
        case "midnight":
            return 0 if hour == 12 else None
    return None


def _read(tokens: Sequence[Token], i: int, taken: frozenset[int], listed: bool) -> TimeHit | None:
    j, role, has_prefix = i, None, False
    while j < len(tokens) and tokens[j].low in PREFIXES and j not in taken:
        if j + 1 < len(tokens) and tokens[j].low == "на" and tokens[j + 1].low in ("ночь",):
            return None
        role = PREFIXES[tokens[j].low] or role
        has_prefix, j = True, j + 1
    if j >= len(tokens) or j in taken:
        return None
    if role is None and has_prefix and _word(tokens, i - 1) in _WAS:
        role = "old"  # "сдвинь на 8, был в 7", "it was at 7"
    if not has_prefix and i > 0 and tokens[i - 1].low == ":" and tokens[j].kind == "num":
        has_prefix = True  # "три раза: 8, 14, 20", "twice: 8 and 20"
    if not has_prefix and not listed and _word(tokens, i - 1) in _NOT_BEFORE_TIME:
        return None
    if not has_prefix and _word(tokens, j - 1) in _NUMBERED_NAMES:
        return None  # "omega 3 in the morning": the number is the name's
    core = _core(tokens, j, has_prefix, listed)
    if core is None or any(k in taken for k in range(j, core.end)):
        return None
    end, hour = core.end, core.hour
    if role == "new" and (_word(tokens, end) in _STAYING or _word(tokens, end) == "и" and _word(tokens, end + 1) in _STAYING):
        return None  # "потом 8 мг — на 8 остаёмся": the dose stays at 8, no hour
    period = None if core.periodless else _period_at(tokens, end)
    if period is not None:
        if role == "new" and tokens[j - 1].low == "на" and tokens[end].low == "дня" and days_in_dnya(core.hour):
            return None  # "на 3 дня": three days ("на 12 дня" is noon)
        if (not has_prefix and tokens[end].low == "дня" and days_in_dnya(core.hour)
                and (_word(tokens, end + 1) in _AFTER_A_LENGTH or _after_no_hour(tokens, i))):
            return None  # "3 дня по 20 мг", "три дня всего", "500 мг, 3 дня, в 10": three days, not 15:00
        hour, end = apply_period(core.hour, period[0]), period[1]
    elif not core.periodless and _leading_period(tokens, i) is not None:
        hour = apply_period(core.hour, _leading_period(tokens, i))
        hour = core.hour if hour is None else hour  # "утром в 21:00": the clock wins
    relative = _word(tokens, end) in _RELATIVE
    if relative:
        end += 1
    valid = hour is not None and 0 <= hour <= 23 and 0 <= core.minute <= 59
    if not valid and not has_prefix and not core.explicit and core.hour > 24:
        return None  # "лозап пятьдесят утром": fifty is no hour; a strength, read as one elsewhere
    value = f"{hour:02d}:{core.minute:02d}" if valid else None
    return TimeHit(i, end, value, role, relative)


_STAYING = frozenset({"остаёмся", "остаемся", "остаться", "остаюсь", "остаётся", "остается", "оставляем", "оставить"})
_AFTER_A_LENGTH = frozenset({"по", "всего", "подряд", "курсом", "пить", "принимать", "пьем", "пьём", "пью", "колоть",
                             "затем", "потом", "перерыв", "отдыха"})
"""Words after "3 дня" that make it a number of days: a time of day is "в 3 дня"."""


def _after_no_hour(tokens: Sequence[Token], i: int) -> bool:
    """"..., 3 дня" after something that is no hour ("500 мг, 3 дня"): a length; in a list of hours
    ("в 8 утра, 2 дня и 8 вечера") the word before the comma is an hour or its part of the day."""
    if i < 2 or tokens[i - 1].low != ",":
        return False
    before = tokens[i - 2]
    if before.kind == "clock" and ":" in before.low and _word(tokens, i + 2) not in ("и", "and", ","):
        return True  # "в 20:00, три дня": a clock time says its half of the day; "три дня" after it is the length
    return not (before.kind in ("num", "clock") or before.low in _PERIODS)


def _approximate_start(tokens: Sequence[Token], i: int) -> int:
    """"часов в 9" / "где то в 9": the approximating words belong to the time."""
    if _word(tokens, i) == "часов" and _word(tokens, i + 1) in ("в", "к", "около"):
        return i + 1
    if _word(tokens, i) == "где" and _word(tokens, i + 1) == "то":
        return i + 2
    return i


def _bare_hour_follows(tokens: Sequence[Token], last: TimeHit, k: int, taken: frozenset[int]) -> bool:
    """"в 8 14 и 20": hours listed with spaces only, after an hour written as a bare number."""
    token = tokens[k]
    previous = tokens[last.end - 1]
    return (k not in taken and token.kind == "num" and previous.kind == "num" and token.value is not None
            and token.value == int(token.value) and 0 <= token.value <= 24 and "." not in token.low
            and "," not in token.low and (k + 1 >= len(tokens) or tokens[k + 1].low in _SEPARATORS
                                          or tokens[k + 1].kind in ("num", "punct") or (k + 1) in taken))


_COUNTED = ("dose", "tablet", "pill", "capsule", "таблет", "капсул", "доз", "раз", "time", "unit", "ед", "мг", "mg",
            "puff", "вдох", "капл", "drop", "ml", "мл", "sachet", "пакет", "ампул", "укол", "shot", "injection")


def _a_count_after_am_pm(tokens: Sequence[Token], last: TimeHit, listed: TimeHit) -> bool:
    """"at 7am, 2 Senna": after an hour said with its am/pm, a bare number before a word is how
    many ("at 7am, 3pm" and "at 7am, 3 and 9pm" still list hours)."""
    said_am_pm = any(t.low in ("am", "pm", "a.m.", "p.m.", "a.m", "p.m") for t in tokens[last.start:last.end])
    bare = listed.end - listed.start == 1 and tokens[listed.start].kind == "num"
    word_after = listed.end < len(tokens) and tokens[listed.end].kind == "word" \
        and tokens[listed.end].low not in _SEPARATORS and _period_at(tokens, listed.end) is None
    return said_am_pm and bare and word_after


def _counted(tokens: Sequence[Token], end: int) -> bool:
    return end < len(tokens) and tokens[end].kind == "word" and tokens[end].low.startswith(_COUNTED)


def find_times(tokens: Sequence[Token], taken: frozenset[int] = frozenset()) -> tuple[TimeHit, ...]:
    """Every time in the tokens, left to right; "в 9 и 21" and "at 7, 3pm" give one hit per time."""
    hits: list[TimeHit] = []
    i = 0
    while i < len(tokens):
        if i in taken:
            i += 1
            continue
        start = _approximate_start(tokens, i)
        hit = _read(tokens, start, taken, listed=False)
        if hit is None:
            i += 1
            continue
        hits.append(TimeHit(i, hit.end, hit.value, hit.role, hit.relative))
        i = hit.end
        while True:
            k = i
            while k < len(tokens) and tokens[k].low in _SEPARATORS and k not in taken:
                k += 1
            if k >= len(tokens) or (k == i and not _bare_hour_follows(tokens, hits[-1], k, taken)):
                break
            listed = _read(tokens, k, taken, listed=True)
            if listed is None or _counted(tokens, listed.end) or _a_count_after_am_pm(tokens, hits[-1], listed):
                break  # "at noon, one dose of ...": a count of doses, not one o'clock
            role = listed.role or hits[-1].role
            hits.append(_after_the_one_before(tokens, hits[-1], TimeHit(k, listed.end, listed.value, role, listed.relative)))
            i = listed.end
    return _same_hour_twice(tokens, hits)


def _after_the_one_before(tokens: Sequence[Token], before: TimeHit, listed: TimeHit) -> TimeHit:
    """"в 9 и 3", "at 8, 2 and 8pm": people list a day's hours in order, so a bare hour below the
    one before it is the afternoon's, unless it is a night hour after a late one ("в 22 и 6")."""
    if before.value is None or listed.value is None or not _bare(tokens, listed.start, listed.end) \
            or listed.role != before.role or any(t.low in ("а", "или", "or") for t in tokens[before.end:listed.start]):
        return listed
    hour, previous = int(listed.value[:2]), int(before.value[:2])
    if not 1 <= hour <= 11 or not hour < previous < hour + 12:
        return listed
    return replace(listed, value=f"{hour + 12:02d}{listed.value[2:]}", guessed=True)


def _same_hour_twice(tokens: Sequence[Token], hits: list[TimeHit]) -> tuple[TimeHit, ...]:
    """"twice a day, 8 and 8", "в 9 и в 9": the same bare hour twice is the morning's and the evening's."""
    if len(hits) == 2 and hits[0].value == hits[1].value and hits[1].value is not None and int(hits[1].value[:2]) < 12 \
            and hits[0].role == hits[1].role and all(_bare(tokens, hit.start, hit.end) for hit in hits) \
            and [t.low for t in tokens[hits[0].end:hits[1].start]] in (["и"], ["and"], [",", "и"], [",", "and"]):
        first, second = hits
        return first, TimeHit(second.start, second.end, f"{int(second.value[:2]) + 12:02d}{second.value[2:]}",
                              second.role, second.relative)
    return tuple(hits)


def _bare(tokens: Sequence[Token], start: int, end: int) -> bool:
    """An hour said as a number alone ("8", "в 8"): no minutes, no part of the day."""
    return [t.kind for t in tokens[start:end] if t.low not in ("в", "at", "во")] == ["num"]
