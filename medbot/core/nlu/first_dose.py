"""The first dose of an every-N-hours schedule, said as where it starts.

"Клексан каждые 12 часов, первый укол в 9 вечера", "every 8 hours, first dose at 7",
"интервал 12 ч, начать в 20:00", "every 12 hours, start by 7am": the hour is the first of the
series, as "с 9 вечера" / "from 7" would say. Only in a message that names such an interval:
elsewhere "первый приём в 8, второй в 20" lists two hours of a day.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medbot.core.nlu.case_blind import case_blind

_EVERY_FEW_HOURS = case_blind(
    r"(?:каждые|через каждые|раз в|через|every|each|q|интервал(?:ом)?|interval)\s*\d*\s*(?:\d+|двенадцать|восемь|шесть|четыре"
    r"|eight|six|twelve|four)?\s*(?:-?\s*)?(?:час\w*|ч\b|h\b|hrs?\b|hours?\b|hourly)|\bq\d{1,2}h\b|\b\d{1,2}\s*ч(?:ас\w*)?\s*:")
_RU_FIRST = re.compile(
    r"(?:,\s*|\s+|^)(?:(?:первый|первая|первое|первую|1-?й|1-?я)(?:\s+(?:укол|доз[аую]|при[её]м|таблетк[аую]|раз"
    r"|инъекци[яю]|капсул[аую]|капельниц[аую]|ингаляци[яю]))?|начать|начну|начни|начните|начинаю|начинаем|начиная|стартуем|стартую)"
    r"\s+(?:в|с|со|от)\s+(?=\d|пол|час|восьм|восем|девят|сем|шест|пят|десят|одиннад|двенад|полу)",
    re.IGNORECASE)
_EN_FIRST = re.compile(
    r"(?:,\s*|\s+|^)(?:(?:the\s+)?first(?:\s+(?:dose|one|shot|injection|tablet|pill|capsule|jab|puff))?\s+(?:(?:at|by|from|@)\s+)?"
    r"|(?:start|begin)\s+(?:at|by|from|@)\s+|(?:(?:we|i|she|he|they)\s+)?started(?:\s+(?:it|them|the first one))?\s+(?:at|@)\s+)(?=\d)",
    re.IGNORECASE)
_EN_FIRST_AFTER = re.compile(r"(?<![\w:])(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s+first\b", re.IGNORECASE)
""""5 am first": the hour, then the word."""


def _said_as(word: str) -> Callable[[re.Match[str]], str]:
    """The words of the first dose replaced by `word`, keeping the comma before them."""
    return lambda match: (", " if match.group().startswith(",") else " ") + word + " "


_FIRST_DAY = re.compile(
    r"(?:(?<=,)|(?<=\s)|^)(?:первый|первая|первое|первую|1-?й|1-?я)(?:\s+(?:укол|доз[аую]|при[её]м|таблетк[аую]|раз"
    r"|инъекци[яю]|капсул[аую]))?\s+(сегодня|завтра|послезавтра)(?![\w-])"
    r"|(?:(?<=,)|(?<=\s)|^)(?:the\s+)?first(?:\s+(?:dose|one|shot|injection|tablet|pill|capsule|jab))?\s+(today|tomorrow)(?![\w-])",
    re.IGNORECASE)
""""через день, первый сегодня", "every other day, first one tomorrow": the day the rhythm starts."""


def first_dose_as_start(text: str) -> str:
    """"..., первый укол в 9 вечера" → "..., с 9 вечера" where the message names an interval of hours;
    "..., первый сегодня" → "..., начиная с сегодня" for any rhythm."""
    low = text.lower()
    if "перв" in low or "first" in low or "1-" in low or "1й" in low or "1я" in low:
        text = _FIRST_DAY.sub(lambda m: f"начиная с {m.group(1).lower()}" if m.group(1) else f"starting {m.group(2).lower()}",
                              text)
    if not _EVERY_FEW_HOURS.search(text):
        return text
    text = _RU_FIRST.sub(_said_as("с"), text)
    text = _EN_FIRST.sub(_said_as("from"), text)
    text = _EN_FIRST_AFTER.sub(r"from \1", text)
    return " ".join(text.split())
