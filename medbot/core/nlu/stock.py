"""Messages about how many pills are in hand: "у меня 28 таблеток аспирина", "купила 2 упаковки
по 30 конкора", "add 90 pills of metformin", "сколько осталось таблеток?".

Only these shapes, with one number of pills (or packs times pills) and at most a name: a time, a
second number or a schedule word means the message is about something else ("у меня 2
таблетки аспирина в 9" is an add).
"""

from __future__ import annotations

import re

from medbot.core.commands import MedName, StockChange, StockQuery
from medbot.core.nlu.names import med_name
from medbot.core.nlu.numbers import cardinal

_NUM = r"(?:\d{1,5}(?:[.,]5)?|[а-яё]+|[a-z]+(?:-[a-z]+)?)"
_UNIT = (r"(?:таблет\w*|табл\.?|таб\.?|капсул\w*|капс\.?|шт\.?|штук\w*|пакетик\w*|саше|ампул\w*|драже|доз\w*|мл|ml"
         r"|pills?|tablets?|tabs?|capsules?|caps?|sachets?|doses?|ampoules?)")
_PACK = r"(?:упаков\w*|пач\w*|банк\w*|баноч\w*|флакон\w*|блистер\w*|коробк\w*|packs?|packets?|boxes|box|bottles?|blisters?)"
_NAME = r"(?P<name>[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,2}?)"
_HAVE = r"(?:у\s+меня\s+(?:(?:ещё|еще|есть|всего|только)\s+)*|(?:ещё\s+|еще\s+)?есть\s+)"
"""Said of what is in hand: without it "2,5 таблетки преднизолона" is a dose."""

_I_HAVE = r"^i(?:\s+have|'ve\s+got|\s+got|\s+still\s+have)\s+(?P<n>" + _NUM + r")\s+"
_BOUGHT = r"^(?:i\s+)?(?:bought|got|picked\s+up|add(?:ed)?)\s+(?:another\s+)?"
_SET = [
    re.compile(rf"^{_HAVE}(?:остал\w*\s+)?(?P<n>{_NUM})\s+{_UNIT}\s+{_NAME}(?:\s+остал\w*)?$"),
    re.compile(rf"^(?:у\s+меня\s+)?остал\w*\s+(?P<n>{_NUM})\s+{_UNIT}\s+{_NAME}$"),
    re.compile(rf"^{_NAME}\s+остал\w*\s+(?P<n>{_NUM})\s+{_UNIT}$"),
    re.compile(rf"^остал\w*\s+(?P<n>{_NUM})\s+{_UNIT}(?:\s+{_NAME})?$"),
    re.compile(rf"^(?:у\s+меня\s+)(?P<n>{_NUM})\s+{_UNIT}(?:\s+{_NAME})?\s+остал\w*$"),
    re.compile(rf"{_I_HAVE}{_UNIT}\s+of\s+{_NAME}(?:\s+left)?$"),
    re.compile(rf"{_I_HAVE}{_NAME}\s+{_UNIT}(?:\s+left)?$"),
    re.compile(rf"^(?P<n>{_NUM})\s+{_UNIT}\s+of\s+{_NAME}\s+left$"),
    re.compile(rf"^(?P<n>{_NUM})\s+{_NAME}\s+{_UNIT}\s+left$"),
]
_ADD = [
    re.compile(rf"^(?:я\s+)?(?:купил\w*|докупил\w*|взял\w*|получил\w*|добав\w*)\s+(?:ещё\s+|еще\s+)?(?P<packs>{_NUM})\s+{_PACK}"
               rf"\s+по\s+(?P<n>{_NUM})(?:\s+{_UNIT})?(?:\s+{_NAME})?$"),
    re.compile(rf"^(?:я\s+)?(?:купил\w*|докупил\w*|взял\w*|получил\w*)\s+(?:ещё\s+|еще\s+)?(?P<n>{_NUM})\s+{_UNIT}"
               rf"(?:\s+{_NAME})?$"),
    re.compile(rf"{_BOUGHT}(?P<packs>{_NUM})\s+{_PACK}\s+of\s+(?P<n>{_NUM})(?:\s+{_UNIT})?(?:\s+(?:of\s+)?{_NAME})?$"),
    re.compile(rf"{_BOUGHT}(?P<n>{_NUM})\s+(?:more\s+)?{_UNIT}(?:\s+of\s+{_NAME})?$"),
    re.compile(rf"{_BOUGHT}(?P<n>{_NUM})\s+(?:more\s+)?{_NAME}\s+{_UNIT}$"),
]
_QUERY = re.compile(
    r"^(?:а\s+)?сколько\s+(?:у\s+меня\s+)?(?:ещё\s+|еще\s+)?(?:осталось|остал\w*|есть)\s+(?:\w+\s+){0,2}"
    rf"(?:{_UNIT}|лекарств\w*|пилюл\w*)(?:\s+{_NAME})?$"
    rf"|^(?:а\s+)?сколько\s+(?:{_UNIT}|лекарств\w*)\s+(?:у\s+меня\s+)?(?:ещё\s+|еще\s+)?(?:осталось|остал\w*|есть)"
    r"(?:\s+(?:в\s+упаковк\w*|в\s+пачк\w*))?$"
    rf"|^how\s+many\s+(?:{_UNIT}|meds|medications)\s+(?:of\s+[^\W\d_][\w-]*\s+)?(?:do\s+i\s+have\s+|are\s+|have\s+i\s+got\s+)?left$"
    r"|^(?:сколько\s+(?:мне\s+)?хватит|на\s+сколько\s+(?:дней\s+)?хватит)(?:\s+\w+){0,3}$"
    r"|^how\s+long\s+will\s+(?:my\s+)?(?:pills|meds|tablets)\s+last$"
)
_NOT_A_NAME = frozenset({"в", "на", "по", "утром", "вечером", "днем", "днём", "ночью", "раз", "в день", "день", "день",
                         "ежедневно", "at", "a", "day", "daily", "every", "morning", "evening", "упаковке", "пачке",
                         "осталось", "left", "more", "of"})


def read_stock(low: str) -> StockChange | StockQuery | None:
    """The stock a folded, cleaned message sets, adds or asks about; None for anything else."""
    text = " ".join(low.strip(" .!?").split())
    if not text or len(text) > 120:
        return None
    query = _QUERY.match(text)
    if query is not None:
        asked = query.groupdict().get("name")
        return StockQuery(_name(asked) if asked and _plausible(asked) else None)
    for patterns, add in ((_SET, False), (_ADD, True)):
        for pattern in patterns:
            match = pattern.match(text)
            if match is None:
                continue
            amount = _number(match["n"])
            packs = _number(match["packs"]) if "packs" in match.groupdict() and match["packs"] else 1.0
            name = match.groupdict().get("name")
            if amount is None or packs is None or amount <= 0 or (name and not _plausible(name)):
                continue
            return StockChange(_name(name), amount * packs, add)
    return None


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    if raw[0].isdigit():
        return float(raw.replace(",", "."))
    value = cardinal(raw)
    return float(value) if value is not None else None


def _plausible(name: str) -> bool:
    words = name.split()
    return bool(words) and not any(word in _NOT_A_NAME or word.isdigit() for word in words)


def _name(raw: str | None) -> MedName | None:
    return med_name(raw) if raw else None
