"""Prescription shorthand written out as people say it.

A discharge letter or a pharmacy label pasted into the chat says "Nitrofurantoin 100mg BD x5d",
"Co-amoxiclav 625mg 8-hourly", "Quetiapine 25mg nocte", "Dolo 650 SOS", "for 7/7",
"1 р/3 нед", "в/м 1 раз в 2 нед.", "ежедн.". Each abbreviation is the words the rest of the
parser reads ("twice a day", "every 8 hours", "at night", "as needed", "for 7 days", "1 раз в 3
недели"), so a label reads like the same thing said in full. Only a whole word counts, and
"OD" beside eye drops is the right eye, not "once a day".
"""

from __future__ import annotations

import re

from medbot.core.nlu.case_blind import case_blind

_TIMES = {"od": "once a day", "o.d.": "once a day", "q.d.": "once a day", "bd": "twice a day", "b.d.": "twice a day",
          "b.i.d.": "twice a day", "tds": "three times a day", "t.d.s.": "three times a day",
          "t.i.d.": "three times a day", "qds": "four times a day", "q.d.s.": "four times a day",
          "q.i.d.": "four times a day", "nocte": "at bedtime", "mane": "in the morning", "sos": "as needed",
          "ежедн.": "ежедневно", "ежедн": "ежедневно"}
"""Beside the plain "bid", "qhs", "qd" that `normalize.spelled_out` already knows."""
_WORD = re.compile(r"(?<![\w.])(?:" + "|".join(sorted(map(re.escape, _TIMES), key=len, reverse=True)) + r")(?![\w])\.?",
                   re.IGNORECASE)
_HOURLY = re.compile(r"(?<![\w.])(\d{1,2})[- ]?(?:hourly|hrly)(?![\w-])", re.IGNORECASE)
_OVER_SEVEN = re.compile(r"(?<=\bfor )(\d{1,2})/(7|52|12)(?![\w/])|(?<=\bx)(\d{1,2})/(7|52|12)(?![\w/])", re.IGNORECASE)
"""UK notation after "for": "for 7/7" (days), "for 2/52" (weeks); a bare "21/7" is a pill cycle."""
_SEVENS = {"7": "days", "52": "weeks", "12": "months"}
_EVERY_ABBREVIATED = re.compile(r"(?<![\w.])кажд\.\s*(?=\d)", re.IGNORECASE)
""""кажд. 2 дня": every two days, as a label abbreviates it."""
_AFTER_FREQUENCY = re.compile(r"((?:once|twice|three times|four times) a day|at bedtime|in the morning|daily) (\d{1,2})/(7|52|12)(?![\w/])",
                              re.IGNORECASE)
""""QDS 5/7" (once written out, "four times a day 5/7"): five days, as after "for"."""
_EVERY_N_PERIODS = re.compile(r"(?<![\w.])(\d)\s*р(?:аз\w*)?\s*/\s*(\d{1,2})\s*(сут(?:ки|ок)?|нед(?:ел\w*)?|мес(?:яц\w*)?|дн\w*)\.?(?![\w-])",
                              re.IGNORECASE)
_SHORT_UNIT = re.compile(r"(?<![\w.])(\d{1,2}) (нед|мес|дн|сут)\.?(?![\w-])", re.IGNORECASE)
_FORM_PREFIX = re.compile(r"(?:^|(?<=[,;\n] )|(?<=\d\. ))(?:tab|tabs|cap|caps|inj|syp|syr|susp)\.\s*", re.IGNORECASE)
_ROUTE = re.compile(r"(?<![\w.])(?:IM|IV|SC|SL|PO)(?![\w])")
"""A route in capitals ("1000mcg IM"): how it is given; lower-case "im" may be "I'm"."""
_COUNT_TIMES = re.compile(r"(?<![\w.:])(\d{1,2}) ?[xх×] (?!(?:daily|a day|per day|day|weekly|a week|per week|в день|в сутки"
                          r"|в неделю|раз|р/д|ежедневно|в д)(?![\w-]))(?=[^\W\d_]{3,})", re.IGNORECASE)
""""2 x Senna": two of them, never 2 o'clock and "x Senna"."""
_EYE = re.compile(r"drop|капл|eye|глаз", re.IGNORECASE)
_HINT = case_blind(r"(?<![\w.])(?:od|o\.d|q\.d|bd|b\.d|b\.i\.d|tds|t\.d\.s|t\.i\.d|qds|q\.d\.s|q\.i\.d|nocte|mane|sos"
                   r"|ежедн|кажд\.|tab|tabs|cap|caps|inj|syp|syr|susp|im|iv|sc|sl|po)(?![\w])|hourly|hrly|\d/(?:7|52|12)\b|р\s*/\s*\d|\d (?:нед|мес|дн|сут)\b|\d ?[xх×] ")


def _plural(count: int, one: str, few: str, many: str) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return one
    return few if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else many


_UNIT_FORMS = {"сут": ("сутки", "суток", "суток"), "нед": ("неделю", "недели", "недель"),
               "мес": ("месяц", "месяца", "месяцев"), "дн": ("день", "дня", "дней")}


def _unit(count: int, abbreviation: str) -> str:
    return _plural(count, *_UNIT_FORMS[abbreviation.lower()[:3] if not abbreviation.lower().startswith("дн") else "дн"])


def _times(match: re.Match[str]) -> str:
    word = match.group().lower()
    return _TIMES.get(word) or _TIMES.get(word.rstrip(".")) or match.group()


def written_out(text: str) -> str:
    """The text with prescription shorthand in words."""
    if not _HINT.search(text):
        return text
    text = _COUNT_TIMES.sub(r"\1 ", text)
    eye = _EYE.search(text) is not None
    text = _WORD.sub(lambda m: m.group() if eye and m.group().lower().startswith("od") else _times(m), text)
    text = _HOURLY.sub(r"every \1 hours", text)
    text = _EVERY_ABBREVIATED.sub("каждые ", text)
    text = _OVER_SEVEN.sub(lambda m: f"{m.group(1) or m.group(3)} {_SEVENS[m.group(2) or m.group(4)]}", text)
    text = _AFTER_FREQUENCY.sub(lambda m: f"{m.group(1)} for {m.group(2)} {_SEVENS[m.group(3)]}", text)
    text = _EVERY_N_PERIODS.sub(lambda m: f"{m.group(1)} {'раз' if m.group(1) == '1' else 'раза'} в {m.group(2)} "
                                f"{_unit(int(m.group(2)), m.group(3))}", text)
    text = _SHORT_UNIT.sub(lambda m: f"{m.group(1)} {_unit(int(m.group(1)), m.group(2))}", text)
    return _ROUTE.sub(" ", _FORM_PREFIX.sub("", text))
