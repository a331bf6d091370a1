"""Bare hours listed after "how many times a day": "2 раза в день, 8 и 20", "три раза в день 8 14 22",
"twice a day, 8 and 8pm" → the hours of those doses.

A bare number is an hour only here: where the message has said how many doses a day there are
and the list holds exactly that many whole hours, rising through the day; or where the list
rises into the afternoon on a 24-hour clock, set apart from the name ("..., отдыха 7 дней, 8 и 20"). Anything else (a
count that does not match, "8 и 8", "20 и 8") stays unread, and the parser asks as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from medbot.core.nlu.normalize import Token
from medbot.core.nlu.times import TimeHit

_PER_DAY = re.compile(
    r"(?<![\w-])(?:(?P<n>[2-6]|два|две|три|четыре|пять|шесть|two|three|four|five|six) ?(?:раза|раз|times|x)"
    r" ?(?:в|a|per|за) ?(?:день|сутки|day)|(?P<d>[2-6]) ?(?:р/д|р/сут|x daily|times daily)"
    r"|(?P<two>twice|дважды|bid|b\.i\.d\.?)|(?P<three>thrice|трижды|tid|t\.i\.d\.?)"
    r"|(?P<pair>утром и вечером|morning and (?:evening|night)|am and pm))(?![\w-])")
_COUNTS = {"два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "two": 2, "three": 3, "four": 4,
           "five": 5, "six": 6}
_JOINERS = frozenset({",", "и", "and", "&", "/", ";"})


@lru_cache(maxsize=256)
def doses_a_day(low: str) -> int | None:
    """How many doses a day the message says ("три раза в день", "bid", "утром и вечером")."""
    found = _PER_DAY.search(low)
    if found is None:
        return None
    if found.group("two") or found.group("pair"):
        return 2
    if found.group("three"):
        return 3
    text = found.group("n") or found.group("d")
    return int(text) if text.isdigit() else _COUNTS[text]


def listed_hours(tokens: Sequence[Token], role: dict[int, str], low: str) -> list[TimeHit]:
    """The one run of bare whole hours that matches the doses a day, as clock times."""
    count = doses_a_day(low)
    runs: list[list[int]] = []
    current: list[int] = []
    joiner = False
    for n, token in enumerate(tokens):
        if n not in role and _bare_hour(token):
            current.append(n)
            joiner = False
        elif current and n not in role and token.low in _JOINERS and not joiner:
            joiner = True  # "8, 14 и 22"
        elif current:
            runs.append(current)
            current, joiner = [], False
    if current:
        runs.append(current)
    matching = [run for run in runs if len(run) == count or count is None and len(run) >= 2]
    if len(matching) != 1:
        return []
    hours = [int(tokens[n].value or 0) for n in matching[0]]
    if any(later <= earlier for earlier, later in zip(hours, hours[1:])):
        return []  # "8 и 8", "20 и 8": not a day's hours in order
    first = matching[0][0]
    after_a_word = first > 0 and tokens[first - 1].kind == "word" and (first - 1) not in role
    if count is None and (hours[-1] < 13 or after_a_word):
        return []  # "8 и 10", "конкор 8 и 20": hours, or a strength and an hour? asked (the best guess is offered)
    return [TimeHit(n, n + 1, f"{hour:02d}:00") for n, hour in zip(matching[0], hours)]


def _bare_hour(token: Token) -> bool:
    return (token.kind == "num" and token.value is not None and token.value == int(token.value)
            and 0 <= token.value <= 23 and token.low.isdigit())
