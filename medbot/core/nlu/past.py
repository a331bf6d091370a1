"""Doses of the last days put right in words:

    "вчера вечером тоже выпила"              -> yesterday's evening dose(s) taken
    "я пропустил вчерашний конкор"            -> yesterday's concor missed
    "позавчера утром не пила аспирин"         -> missed, two days ago, in the morning
    "I took the morning one at 10, not 8"     -> today's 08:00 dose, taken at 10:00
    "утреннюю выпила в 10, а не в 8"          -> the same in Russian

Only messages with a day in the past ("вчера", "позавчера", "2 дня назад", "yesterday") or with
a correction of when a dose was taken ("в 10, а не в 8" beside "выпила"/"took") are read here.
"выпила аспирин" about today's reminder stays the ordinary done. A time correction without a
word of taking ("поставь не в 9, а в 10") moves the schedule, not a dose.
"""

from __future__ import annotations

import re

from medbot.core.commands import PastIntake
from medbot.core.nlu.names import med_name
from medbot.core.nlu.numbers import cardinal

_DAYS = (
    (re.compile(r"\b(?:позавчера|позавчерашн\w*|day\s+before\s+yesterday)\b"), 2),
    (re.compile(r"\b(?:вчера|вчерашн\w*|yesterday(?:'s)?|last\s+night)\b"), 1),
)
_DAYS_AGO = re.compile(r"\b(?P<n>\d|один|два|две|три|четыре|пять|шесть|семь|one|two|three|four|five|six|seven)\s+"
                       r"(?:дн\w*|day\w*)\s+(?:назад|ago)\b")
_PARTS = (
    ("night", re.compile(r"\b(?:на\s+ночь|ночью|ночн\w*|перед\s+сном|last\s+night|at\s+night|bedtime|night)\b")),
    ("morning", re.compile(r"\b(?:утр\w*|утрен\w*|morning)\b")),
    ("afternoon", re.compile(r"\b(?:днем|днём|дневн\w*|в\s+обед|обеденн\w*|afternoon|lunch\w*)\b")),
    ("evening", re.compile(r"\b(?:вечер\w*|evening|tonight)\b")),
)


def part_said(text: str) -> str | None:
    """The one part of the day the text names ("утренние", "the evening ones"), if just one."""
    parts = [name for name, pattern in _PARTS if pattern.search(text)]
    return parts[0] if len(parts) == 1 else None


_MISSED = re.compile(r"\b(?:пропустил\w*|забыл\w*|не\s+(?:выпил\w*|пил\w*|принял\w*|принимал\w*)|missed|forgot"
                     r"|didn'?t\s+take|did\s+not\s+take|skipped)\b")
_TAKEN = re.compile(r"\b(?:выпил\w*|пил\w*|принял\w*|принимал\w*|took|taken|have\s+taken|had)\b")
_HOUR = r"(?P<{}>\d{{1,2}}(?::\d{{2}})?)"
_MOVED = [
    re.compile(rf"\b(?:в|at)\s+{_HOUR.format('at')}\s*(?:утра|вечера|am|pm)?\s*,?\s*(?:а\s+не|not|instead\s+of)\s+"
               rf"(?:в\s+|at\s+)?{_HOUR.format('was')}"),
    re.compile(rf"\bне\s+в\s+{_HOUR.format('was')}\s*,?\s*а\s+в\s+{_HOUR.format('at')}"),
]
_SCHEDULED = re.compile(r"\b(?:в|at)\s+(?P<t>\d{1,2}(?::\d{2})?)(?!\s*(?:мг|mg|мл|ml|шт))\b")
_FILLER = re.compile(
    r"\b(?:я|i|тоже|too|also|все|всё|обе|оба|both|all|my|мой|мою|мои|свой|свою|свои|the|one|ones|pill|pills|tablet|"
    r"tablets|таблетк\w*|лекарств\w*|доз\w*|прием\w*|приём\w*|а|и|and|но|but|же|уже|already|ведь|ну|вообще|"
    r"таки|не|not|утром|вечером|днем|днём|ночью|на|ночь|перед|сном|в|at|обед|dose|doses|morning|evening|night|"
    r"afternoon|one's|of|it|them|that)\b")


_NOT_NAMES = frozenset("""что как теперь делать можно надо нужно если когда потом сейчас сегодня завтра what how
    should now if when then today tomorrow""".split())


def read_past(low: str) -> PastIntake | None:
    """A past dose put right, from a folded message; None for anything else."""
    if "?" in low:
        return None  # "вчера забыла, что теперь делать?": a question, never a record
    text = " ".join(low.strip(" .!").split())
    if not text or len(text) > 160:
        return None
    days_ago = _days_ago(text)
    moved = next((match for pattern in _MOVED if (match := pattern.search(text))), None)
    missed = _MISSED.search(text) is not None
    taken = _TAKEN.search(text) is not None
    if moved is not None and not taken:
        return None  # "не в 9, а в 10" without a word of taking: the schedule's time, not a dose
    if days_ago is None and moved is None:
        return None
    if not (taken or missed):
        return None
    part = next((name for name, pattern in _PARTS if pattern.search(text)), None)
    if moved is not None:
        at, time = _hhmm(moved["at"]), _hhmm(moved["was"])
        if at is None or time is None:
            return None
    else:
        scheduled = _SCHEDULED.search(text)
        at, time = None, _hhmm(scheduled["t"]) if scheduled is not None else None
        if scheduled is not None and time is None:
            return None  # "в 25": no time of the day
    rest = text
    for pattern in (*(p for p, _ in _DAYS), _DAYS_AGO, *(p for _, p in _PARTS), _MISSED, _TAKEN, *_MOVED, _SCHEDULED):
        rest = pattern.sub(" ", rest)
    words = [word for word in _FILLER.sub(" ", re.sub(r"[,;:—-]", " ", rest)).split() if not word.isdigit()]
    if len(words) > 3 or any(word in _NOT_NAMES for word in words):
        return None  # more than a name is left: not a correction this reader understands
    names = (med_name(" ".join(words)),) if words else ()
    return PastIntake(names, days_ago or 0, part, time, "missed" if missed and not moved else "taken", at)


def _days_ago(text: str) -> int | None:
    for pattern, days in _DAYS:
        if pattern.search(text):
            return days
    match = _DAYS_AGO.search(text)
    if match is None:
        return None
    raw = match["n"]
    value = int(raw) if raw.isdigit() else cardinal(raw)
    return value if value is not None and 0 < value <= 7 else None


def _hhmm(raw: str | None) -> str | None:
    if raw is None:
        return None
    hour, _, minute = raw.partition(":")
    h, m = int(hour), int(minute or 0)
    return f"{h:02d}:{m:02d}" if h < 24 and m < 60 else None

