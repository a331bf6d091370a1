"""Days of the month said as Russian ordinals, written as the digits the date patterns read.

"третьего декабря", "с десятого по двадцатое", "до двадцать пятого", "пятнадцатого в полдень":
an elderly person dictating says the date in words. Only where the ordinal can be nothing but a
date is it rewritten: before a month's name, in a range "с … по …", after "до", or opening a
clause and followed by "в" (a time or a place on that day). "второго приёма" stays as it is.
"""

from __future__ import annotations

import re

from medbot.core.nlu.case_blind import case_blind
from medbot.core.nlu.schedule_vocab import MONTH_RU, RU_DAY_ORDINALS, ru_day_ordinal

_STEM = "|".join(sorted(RU_DAY_ORDINALS, key=len, reverse=True))
_ORDINAL = rf"(?:(?:двадцать|тридцать) )?(?:{_STEM})(?:ьего|ого|ое|ье)"
_DAY = re.compile(
    rf"(?<![\w-])(?P<range>(?:с|со) )(?P<a>{_ORDINAL}) (?P<prep>по|до) (?P<b>{_ORDINAL})(?![\w-])"
    rf"|(?<![\w-])(?P<w>{_ORDINAL})(?= {MONTH_RU}(?![\w-]))"
    rf"|(?<![\w-])(?P<until>до )(?P<u>{_ORDINAL})(?![\w-])"
    rf"|(?:^|(?<=[,.;:!?] ))(?P<lead>{_ORDINAL})(?= в )",
    re.IGNORECASE)
_HINT = case_blind(rf"(?:{_STEM})(?:ьего|ого|ое|ье)")


def _digits(word: str, ending: str) -> str | None:
    value = ru_day_ordinal(word)
    return None if value is None else f"{value}{ending}"


def _rewrite(match: re.Match[str]) -> str:
    if match.group("range"):
        first = _digits(match.group("a"), "-го")
        last = _digits(match.group("b"), "-е" if match.group("b").lower().endswith("е") else "-го")
        if first is None or last is None:
            return match.group()
        return f"{match.group('range')}{first} {match.group('prep')} {last}"
    if match.group("until"):
        day = _digits(match.group("u"), "-го")
        return match.group() if day is None else match.group("until") + day
    word = match.group("w") or match.group("lead")
    day = _digits(word, "" if match.group("w") else "-го")
    return match.group() if day is None else day


def with_day_ordinals_as_digits(text: str) -> str:
    """The text with the days of the month it says in ordinal words written in digits."""
    if not _HINT.search(text):
        return text
    return _DAY.sub(_rewrite, text)
