"""Corrections: "не в 9, а в 10", "ой, не 50 а 25", "поменяй 9 на 10", "10 instead of 9".

A correction names an old value and a new one, both times or both amounts, with at most one
medication and words that only say "I made a mistake". The old value is the one after "не" /
"not" / "instead of" / "вместо" / "с", or before "на" / "to" after a change verb. Bare numbers up
to 24 are hours (an amount needs a unit, a bigger number, or a name right before it): a time
change with an old time that is not in the schedule changes nothing, so this reading is never
harmful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medbot.core.commands import Command, DoseChange, TimeChange, Unknown
from medbot.core.nlu.dosage import format_amount, unit_of, with_unit
from medbot.core.nlu.lexicon import MED_WORDS, STOP_WORDS
from medbot.core.nlu.names import is_english_word, looks_like_medication
from medbot.core.nlu.normalize import Token
from medbot.core.nlu.numbers import cardinal
from medbot.core.nlu.reading import Chunk, Reading, brand_like, corrected_name, misspelt
from medbot.core.nlu.russian_words import guessed_command, is_known

_SORRY = frozenset({
    "ой", "ой-ой", "упс", "блин", "ах", "нет", "неа", "не-не", "нене", "извини", "извините", "прости",
    "простите", "ошиблась", "ошибся", "ошиблись", "ошибка", "опечатка", "опечаталась", "опечатался",
    "поправка", "точнее", "вернее", "неправильно", "написала", "написал", "я", "мне", "пожалуйста",
    "исправь", "исправьте", "поменяй", "поменяйте", "замени", "замените", "измени", "измените",
    "переправь", "время", "дозу", "дозировку", "доза", "нужно", "надо", "должно", "быть", "будет",
    "конечно", "же", "ну", "вот", "так", "это", "там", "у", "меня", "сорри", "пардон",
    "sorry", "oops", "no", "nope", "wait", "i", "meant", "mean", "actually", "correction", "typo", "my",
    "bad", "it", "should", "be", "make", "please", "change", "replace", "fix", "the", "time", "dose",
    "dosage", "oh", "uh", "wrong", "that's", "thats", "sorry,", "ah", "hmm", "mistake", "made", "a",
    "put", "set", "is", "was", "of", "take", "taking", "принимать", "пить", "принимаю", "пью", "выпить",
    "принять", "давай", "лучше", "let's", "lets",
})
_CHANGE_WORDS = frozenset({"поменяй", "поменяйте", "замени", "замените", "исправь", "исправьте", "измени",
                           "измените", "переправь", "change", "replace", "fix", "make", "switch"})
_OLD_BEFORE = frozenset({"не", "not", "вместо", "instead", "с", "со", "from"})
_NEW_BEFORE = frozenset({"на", "to", "with"})
_PREFIXES = frozenset({"в", "во", "к", "at", "by", "of", "на", "to", "with", "с", "со", "from"})
_MAX_HOUR = 24
_WORD_AMOUNTS = {"полторы": 1.5, "полтора": 1.5, "целую": 1, "целиком": 1, "целая": 1}
""""не две таблетки, а полторы", "не целую, а половинку": amounts that are not numbers."""


@dataclass(frozen=True)
class _Value:
    kind: str  # "time" | "amount"
    text: str
    start: int
    end: int
    """Token span, a leading "в"/"at" included."""
    bare: bool = False
    prefixed: bool = False
    """Written with "в" / "at": an hour, not an amount."""


def read_correction(r: Reading) -> tuple[Command, bool] | None:
    """(the change, unsure?) when the message is a correction; None when it is not one."""
    tokens = r.tokens
    values = _values(r)
    if len(values) == 1 and values[0].kind == "time" and r.routine:
        return _from_a_routine(r, values[0])
    if len(values) != 2:
        return None
    first, second = values
    if first.kind != second.kind and not (first.bare or second.bare):
        return None
    order = _old_and_new(tokens, first, second)
    if order is None:
        return None
    old, new = order
    said = [(c.start, c.end) for c in r.cues]
    rest = [n for n, t in enumerate(tokens)
            if not any(v.start <= n < v.end for v in values) and t.kind in ("word", "num", "clock")
            and not any(start <= t.start < end for start, end in said)]
    if _ALSO_THE_OTHER.search(r.low):
        return Unknown(), True  # "поменяй 9 на 10 и дозу тоже": the dose to what?
    words = [tokens[n] for n in rest if tokens[n].low not in _SORRY | _OLD_BEFORE | _NEW_BEFORE | {"а", "but", "a"}]
    if any(t.kind != "word" for t in words):
        return None
    words = _name_words(words)
    if words and misspelt(Chunk(words)):
        return Unknown(), True
    name = corrected_name(Chunk(words), r.text) if words else None
    if len(words) > 3 or (words and not _contiguous(tokens, words)):
        return None
    kind = _kind(old, new)
    if kind == "time" and old.bare and new.bare and not (old.prefixed or new.prefixed):
        strength = bool(words) and tokens.index(words[-1]) + 1 == min(old.start, new.start)
        if strength and old.kind == new.kind == "amount" or (strength and _all_numbers(old, new)):
            kind = "amount"  # "престариум 5, не 10": a bare number after a name is its strength
        elif words or not _a_slip_of_the_hour(old, new):
            return Unknown(), True  # "тирозол не 10 а 5", "не 10 а 20", "not 2, 3": hours or milligrams? ask
        # "not 9, make it 10", "oops, 8 not 7": hours, as people say them; an old time the
        # schedule does not hold changes nothing, so this reading is never harmful
    if kind is None:
        return None
    if kind == "time":
        old_time = _same_half_of_day_old(_as_time(old), _as_time(new), old)
        new_time = _same_half_of_day(_as_time(new), old_time, new)
        if old_time == new_time:
            old_time = _as_time(old)  # "не 8, а 20:00": the 8 was the morning's, not the same 20:00
        return TimeChange(name, (new_time,), old_time), False
    if new.bare and not old.bare:
        return DoseChange(name, with_unit(new.text, unit_of(old.text)) or new.text), False
    return DoseChange(name, new.text), False


def _from_a_routine(r: Reading, new: _Value) -> tuple[Command, bool] | None:
    """"кардиомагнил не утром, а в 13:00", "not with dinner but at 9pm": the old time was a part
    of the day (whatever its clock time is), the new one a clock time."""
    tokens = r.tokens
    words = [t.low for t in tokens[:new.start]]
    if words and words[-1] in ("не", "not") or words[-2:] in (["instead", "of"],) or words[-1:] == ["вместо"]:
        return Unknown(), True  # "аспирин утром, а не в 9": the new time is a part of the day: ask when
    after = [t.low for t in tokens[new.end:]]
    if after[:2] == ["instead", "of"] or after[:1] == ["вместо"]:
        dropped = set(range(new.end, len(tokens)))  # "switch vitamin d to 8pm instead of the morning"
    else:
        nots = [n for n, word in enumerate(words) if word in ("не", "not")]
        buts = [n for n, word in enumerate(words) if word in ("а", "but")]
        if not nots or not buts or buts[-1] < nots[0] or any(t.kind != "word" for t in tokens[buts[-1] + 1:new.start]):
            return None
        dropped = set(range(nots[0], new.start))  # "не утром, а (вечером) в 21": the old part of the day
    kept = [t for n, t in enumerate(tokens) if n not in dropped and not new.start <= n < new.end
            and t.kind == "word" and t.low not in _SORRY | _OLD_BEFORE | _NEW_BEFORE | _PREFIXES | _MOVE_WORDS]
    names = _name_words(kept)
    if len(names) != len(kept) or len(names) > 3 or (names and misspelt(Chunk(names))):
        return None
    return TimeChange(corrected_name(Chunk(names), r.text) if names else None, (_as_time(new),), None), False


def _values(r: Reading) -> list[_Value]:
    tokens = r.tokens
    found: list[_Value] = []
    for hit in r.times:
        if hit.value is None or hit.relative:
            return []
        start = hit.start - 1 if hit.start and tokens[hit.start - 1].low in _PREFIXES else hit.start
        core = [t for t in tokens[hit.start:hit.end] if t.low not in _PREFIXES and t.low not in _OLD_BEFORE]
        bare = len(core) == 1 and (core[0].kind == "num" or cardinal(core[0].low) is not None)
        found.append(_Value("time", hit.value, start, hit.end, bare, start < hit.start or hit.start < hit.end - 1
                            and tokens[hit.start].low in _PREFIXES))
    for dose in r.doses:
        found.append(_Value("amount", dose.text, dose.start, dose.end))
    claimed = {n for v in found for n in range(v.start, v.end)}
    for n, token in enumerate(tokens):
        worded = (cardinal(token.low) or _WORD_AMOUNTS.get(token.low)) if token.kind == "word" and n not in claimed \
            and not token.low.isascii() else None
        if worded is not None and (0 < worded <= 10 or worded > _MAX_HOUR):  # "не две таблетки, а одну", "не тысяча"
            found.append(_Value("amount", format_amount(worded), n, n + 1, bare=True))
            continue
        if token.kind == "num" and n not in claimed and token.value is not None:
            start = n - 1 if n and tokens[n - 1].low in _PREFIXES else n
            found.append(_Value("amount", format_amount(token.value), start, n + 1, bare=True, prefixed=start < n))
    return sorted(found, key=lambda v: v.start)


def _old_and_new(tokens: tuple[Token, ...], first: _Value, second: _Value) -> tuple[_Value, _Value] | None:
    def before(value: _Value) -> str:
        n = value.start - 1
        while n >= 0 and tokens[n].kind == "punct":
            n -= 1
        low = tokens[n].low if n >= 0 else ""
        if low == "of" and n > 0 and tokens[n - 1].low == "instead":
            return "instead"
        if low in ("с", "c") and n > 0 and tokens[n - 1].low.startswith(("витамин", "vitamin")):
            return ""  # "витамин С 500 мг": the vitamin's letter, not "from"
        return low

    def prefix(value: _Value) -> str:
        return tokens[value.start].low

    a, b = before(first), before(second)
    if a in _OLD_BEFORE or prefix(first) in ("с", "со", "from"):
        return first, second  # "не в 9, а в 10", "с 9 на 10"
    if b in _OLD_BEFORE or prefix(second) in ("вместо", "instead") and first.kind == "amount" and not first.bare:
        return second, first  # "в 10, а не в 9", "10 instead of 9", "10 мг вместо 5"
    if b in _NEW_SAID and _but_before(tokens, second):
        return first, second  # "в семь, а надо в восемь", "at 7 but it should be 8"
    change = any(t.low in _CHANGE_WORDS for t in tokens[: first.start])
    if change and prefix(second) in _NEW_BEFORE:
        return first, second  # "поменяй 9 на 10"
    return None


_ALSO_THE_OTHER = re.compile(r"\b(?:и|and) (?:the |my )?(?:доз\w*|dose|dosage|время|time)\b(?: \S+)? (?:тоже|too|also|as well)\b")
_MOVE_WORDS = frozenset({"switch", "move", "change", "put", "перенеси", "переставь", "сдвинь", "поставь", "переведи"})
_NEW_SAID = frozenset({"надо", "нужно", "нужна", "правильно", "должно", "should", "supposed"})


def _but_before(tokens: tuple[Token, ...], value: _Value) -> bool:
    """"а надо", "а должно быть", "but it should be": the word before the value's cue says "but"."""
    words = [t.low for t in tokens[max(0, value.start - 5):value.start] if t.kind == "word"]
    return any(word in ("а", "но", "but") for word in words[-4:])


def _kind(old: _Value, new: _Value) -> str | None:
    """Both times, or both amounts; a bare number is an hour unless one of them cannot be."""
    if old.kind == new.kind == "amount" and not (_hour_like(old) and _hour_like(new)):
        return "amount"
    if {old.kind, new.kind} == {"amount", "time"} and any(v.kind == "amount" and not v.bare for v in (old, new)) \
            and all(v.bare for v in (old, new) if v.kind == "time"):
        return "amount"  # "престариум 10 мг вместо 5": the bare 5 is the old amount, not five o'clock
    if all(v.kind == "time" or _hour_like(v) for v in (old, new)):
        return "time"
    return None


def _as_time(value: _Value) -> str:
    return value.text if value.kind == "time" else f"{int(float(value.text)) % 24:02d}:00"


def _name_words(words: list[Token]) -> list[Token]:
    """The words that can name a medication: "ошибочка вышла", "туда", "мама пьёт" cannot."""
    words = [t for t in words if t.low not in STOP_WORDS and t.low not in ("one", "the", "that", "this", "it", "it's",
                                                                          "its", "that's", "thats")]
    if words and guessed_command(words[0].low) and not looks_like_medication(words[:1]):
        words = words[1:]  # "павиняй не в 9 а в 10": "поменяй", misspelt
    kept = [t for n, t in enumerate(words) if looks_like_medication([t]) or (n and len(t.low) == 1 and t.low.isalpha())
            or (brand_like(Chunk([t])) or not is_known(t.low)) and not _english_word(t.low)]  # "витамин Д"
    return kept if kept else []


def _english_word(word: str) -> bool:
    """"its", "we", "do" in "actually its 10mg not 5mg": English words, no medication's name."""
    return word.isascii() and word not in MED_WORDS and is_english_word(word)


def _same_half_of_day_old(old: str, new: str, value: _Value) -> str:
    """"в полдевятого вечера, а не в восемь": the bare old hour is in the evening as well."""
    hour = int(old[:2])
    if value.bare and new >= "13:00" and 1 <= hour <= 11 and f"{hour + 12:02d}{old[2:]}" <= new:
        return f"{hour + 12:02d}{old[2:]}"
    return old


def _same_half_of_day(new: str, old: str, value: _Value) -> str:
    """"Не в 10 вечера, а в 11": a bare hour after an evening time stays in the evening."""
    hour = int(new[:2])
    if value.bare and old >= "13:00" and 1 <= hour <= 11 and f"{hour + 12:02d}{new[2:]}" > old[:5] >= "13:00":
        return f"{hour + 12:02d}{new[2:]}"
    return new


def _a_slip_of_the_hour(old: _Value, new: _Value) -> bool:
    """Two waking hours close together ("not 9, 10", "7.30 not 7"): a time put right, not a dose."""
    hours = [int(_as_time(value)[:2]) + int(_as_time(value)[3:]) / 60 for value in (old, new)]
    return all(5 <= hour <= 23 for hour in hours) and abs(hours[0] - hours[1]) <= 3


def _all_numbers(*values: _Value) -> bool:
    return all(_number(v.text) is not None or v.text.endswith(":00") for v in values)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _hour_like(value: _Value) -> bool:
    try:
        number = float(value.text)
    except ValueError:
        return False
    return value.bare and number == int(number) and 0 <= number <= _MAX_HOUR


def _contiguous(tokens: tuple[Token, ...], words: list[Token]) -> bool:
    positions = [tokens.index(t) for t in words]
    return positions == list(range(positions[0], positions[0] + len(positions)))
