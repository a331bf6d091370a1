"""Short answers to the bot's questions: "2", "второй", "the last one", "в 9", "с 8:30"."""

from __future__ import annotations

import re

_ORDINAL = re.compile(
    r"^(перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят)"
    r"(ый|ой|ий|ая|яя|ья|ое|ее|ье|ую|юю|ью|ого|его|ьего)$"
)
_ORDINAL_VALUES = {
    "перв": 1, "втор": 2, "трет": 3, "четвёрт": 4, "четверт": 4, "пят": 5, "шест": 6,
    "седьм": 7, "восьм": 8, "девят": 9, "десят": 10,
}
_ENGLISH_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3,
}
_LAST = ("последн", "last")
_FILLER = frozenset({"the", "one", "option", "number", "вариант", "номер", "пункт"})
_NUMBER = re.compile(r"^(?:№|#)?(\d{1,2})(?:-?(?:й|я|е|ой|ий|ая|ое|th))?\.?$")


def option_number(text: str, count: int) -> int | None:
    """A zero-based option index from "2", "№2", "второй", "the second one"; None otherwise."""
    if count == 0:
        return None
    words = re.sub(r"[!?,;()«»\"]", " ", text.lower()).split()
    meaningful = [word for word in words if word not in _FILLER]
    if words == ["one"]:
        meaningful = ["1"]
    if len(meaningful) != 1:
        return None
    value = _ordinal_value(meaningful[0].rstrip("."), count)
    return value - 1 if 1 <= value <= count else None


def _ordinal_value(word: str, count: int) -> int:
    number = _NUMBER.match(word)
    if number:
        return int(number.group(1))
    if word.startswith(_LAST):
        return count
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return _ORDINAL_VALUES[ordinal.group(1)]
    return _ENGLISH_ORDINALS.get(word, 0)


_TIME_ONLY_WORDS = frozenset({"с", "со", "начиная", "from", "starting", "start", "в", "во", "at", "к", "около",
                              "around", "by", "и", "and", ",", ";", "."})


def bare_times(text: str) -> tuple[str, ...]:
    """Times of a reply that is nothing but times ("15:00", "в 9", "9 и 21", "с 7", "8pm"),
    sorted; () when anything else is in it. Read by the parser's own time reader, so an answer
    and a message agree on what a time is."""
    from medbot.core.nlu.normalize import MAX_TEXT, fold, tokenize
    from medbot.core.nlu.reading import prepared
    from medbot.core.nlu.times import find_times

    if not text or len(text) > MAX_TEXT:
        return ()
    cleaned = prepared(text)
    tokens = tokenize(cleaned, fold(cleaned))
    hits = find_times(tokens)
    covered = {n for hit in hits for n in range(hit.start, hit.end)}
    leftover = [t for n, t in enumerate(tokens) if n not in covered and t.low not in _TIME_ONLY_WORDS]
    if not hits or leftover or any(hit.value is None or hit.relative for hit in hits):
        return ()
    return tuple(sorted({hit.value for hit in hits if hit.value is not None}))
