"""Counts said aloud, written as the digits the dose and time readers know.

"оземпик ноль двадцать пять" is 0.25 (never 00:25), "витамин д пятьдесят тысяч единиц" is 50000
(never 1000), "метронидазол по пятьсот" is 500 each time. The values come from `numbers.cardinal`;
the words listed here are only those that may stand in such a count.
"""

from __future__ import annotations

import re

from medbot.core.nlu.numbers import cardinal

_TENS_WORDS = r"(?:двадцать|тридцать|сорок|пятьдесят|шестьдесят|семьдесят|восемьдесят|девяносто)"
_UNIT_WORDS = r"(?:один|одна|два|две|три|четыре|пять|шесть|семь|восемь|девять)"
_SPOKEN_DECIMAL = re.compile(
    rf"(?<![\w-])(?<!в )(?<!во )(?<!at )ноль(?: целых)?,? (?P<digits>{_TENS_WORDS}(?: {_UNIT_WORDS})?|{_UNIT_WORDS}|десять)"
    r"(?! (?:час|минут|утра|вечера|ночи|дня))(?![\w-])", re.IGNORECASE)
""""ноль двадцать пять", "ноль целых пять": a dose read aloud as its digits (not "в ноль двадцать")."""
_COUNT_WORD = (r"(?:сто|двести|триста|четыреста|пятьсот|шестьсот|семьсот|восемьсот|девятьсот|десять|одиннадцать|двенадцать"
               r"|тринадцать|четырнадцать|пятнадцать|шестнадцать|семнадцать|восемнадцать|девятнадцать|двадцать|тридцать|сорок"
               r"|пятьдесят|шестьдесят|семьдесят|восемьдесят|девяносто|один|одна|одну|два|две|три|четыре|пять|шесть|семь"
               r"|восемь|девять|ten|twenty-five|twenty|thirty|forty|fifty|sixty|hundred|one|two|three|four|five|six|seven"
               r"|eight|nine|twelve|fifteen)")
_SPOKEN_THOUSANDS = re.compile(rf"(?<![\w-])({_COUNT_WORD}(?: {_COUNT_WORD}){{0,2}}) (?:тысяч[аи]?|thousand)(?![\w-])",
                               re.IGNORECASE)
_SPOKEN_EACH = re.compile(rf"(?<![\w-])по ({_COUNT_WORD}(?: {_COUNT_WORD}){{0,2}})(?![\w-])"
                          r"(?! (?:таблет|капсул|капел|капл|драже|пакет|ампул|вдох|пшик|ложк|штук|раз|день|дня|дней|недел|час))",
                          re.IGNORECASE)


def with_counts_in_digits(text: str) -> str:
    """The text with each count said aloud as a dose written in digits."""
    low = text.lower()
    if "ноль" in low:
        text = _SPOKEN_DECIMAL.sub(_decimal, text)
    if "тысяч" in low or "thousand" in low:
        text = _SPOKEN_THOUSANDS.sub(_thousands, text)
    if "по " in low:
        text = _SPOKEN_EACH.sub(_each, text)
    return text


def _count_value(words: str) -> int | None:
    """"пятьдесят" → 50, "сто пятьдесят" → 150; None unless the words go from larger to smaller."""
    values = [cardinal(word) for word in words.lower().split()]
    if None in values or any(later >= earlier or earlier < 10  # type: ignore[operator]
                             for earlier, later in zip(values, values[1:])):
        return None  # "две пять": two counts side by side
    return sum(values)  # type: ignore[arg-type]


def _thousands(match: re.Match[str]) -> str:
    value = _count_value(match.group(1))
    return match.group() if value is None else str(value * 1000)


def _each(match: re.Match[str]) -> str:
    value = _count_value(match.group(1))
    return match.group() if value is None or value < 10 else f"по {value}"


def _decimal(match: re.Match[str]) -> str:
    words = match.group("digits").lower().split()
    value = sum(cardinal(word) or 0 for word in words)
    if len(words) == 1 and value < 10:
        return f"0.{value}"  # "ноль пять": 0.5
    return f"0.{value:02d}"
