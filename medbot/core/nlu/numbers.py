"""Numbers written as words, in Russian (any case form) and English.

People write "в десять", "около девяти", "две таблетки", "eight fifteen pm", "twenty-one": the
time and dosage readers see these as numbers through `read_number`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from medbot.core.nlu.normalize import Token


def _soft_forms(base: str) -> list[str]:
    """Case forms of a numeral ending in a soft sign: пять → пять, пяти, пятью."""
    stem = base[:-1]
    return [base, stem + "и", stem + "ью"]


def _russian_cardinals() -> dict[str, int]:
    forms: dict[str, int] = {
        "ноль": 0, "нуль": 0, "ноля": 0, "нуля": 0,
        "один": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "одному": 1, "одну": 1,
        "одним": 1, "одном": 1,
        "два": 2, "две": 2, "двух": 2, "двум": 2, "двумя": 2,
        "три": 3, "трех": 3, "трем": 3, "тремя": 3,
        "четыре": 4, "четырех": 4, "четырем": 4, "четырьмя": 4,
        "восемь": 8, "восьми": 8, "восемью": 8, "восьмью": 8,
        "сорок": 40, "сорока": 40,
        "девяносто": 90, "девяноста": 90,
        "сто": 100, "ста": 100,
        "двести": 200, "двухсот": 200, "триста": 300, "трехсот": 300,
        "четыреста": 400, "четырехсот": 400,
        "пятьсот": 500, "пятисот": 500, "шестьсот": 600, "шестисот": 600,
        "семьсот": 700, "семисот": 700, "восемьсот": 800, "восьмисот": 800,
        "девятьсот": 900, "девятисот": 900,
        "тысяча": 1000, "тысячу": 1000, "тысячи": 1000, "тысяч": 1000,
    }
    soft = {
        "пять": 5, "шесть": 6, "семь": 7, "девять": 9, "десять": 10,
        "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
        "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18,
        "девятнадцать": 19, "двадцать": 20, "тридцать": 30,
    }
    for base, value in soft.items():
        for form in _soft_forms(base):
            forms[form] = value
    for base, value in {"пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80}.items():
        forms[base] = value
        forms[base.replace("ьдесят", "идесяти")] = value
    return forms


RU_CARDINALS: dict[str, int] = _russian_cardinals()

EN_CARDINALS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}

RU_HOUR_ORDINALS: dict[str, int] = {
    "первого": 1, "второго": 2, "третьего": 3, "четвертого": 4, "пятого": 5, "шестого": 6,
    "седьмого": 7, "восьмого": 8, "девятого": 9, "десятого": 10, "одиннадцатого": 11,
    "двенадцатого": 12,
}
"""Genitive ordinals that name the hour being approached: "в половине восьмого" = 07:30."""

FRACTION_WORDS: dict[str, float] = {
    "полторы": 1.5, "полтора": 1.5, "полутора": 1.5,
    "половина": 0.5, "половину": 0.5, "половине": 0.5, "половинка": 0.5, "половинку": 0.5, "половинки": 0.5,
    "половинке": 0.5,
    "пол": 0.5, "четверть": 0.25, "четвертинку": 0.25, "четвертинка": 0.25, "четвертинки": 0.25,
    "четвертинке": 0.25, "четвертушка": 0.25, "четвертушку": 0.25, "четвертушки": 0.25, "четвертушке": 0.25,
    "целую": 1.0, "целая": 1.0, "целой": 1.0,
    "half": 0.5, "quarter": 0.25,
}
"""Amounts that only make sense before a dosage form ("пол таблетки", "half a pill")."""

CARDINALS: dict[str, int] = {**RU_CARDINALS, **EN_CARDINALS}


@lru_cache(maxsize=4096)
def cardinal(word: str) -> int | None:
    """The value of one number word ("девяти" → 9, "twenty-one" → 21), or None."""
    if word in CARDINALS:
        return CARDINALS[word]
    if "-" in word:
        tens, _, unit = word.partition("-")
        if EN_CARDINALS.get(tens, 0) in (20, 30, 40, 50, 60, 70, 80, 90) and 0 < EN_CARDINALS.get(unit, 0) < 10:
            return EN_CARDINALS[tens] + EN_CARDINALS[unit]
    return None


def _fits(total: int, part: int) -> bool:
    """Whether `part` can extend the number `total` read so far ("двадцать" + "один")."""
    if total <= 0:
        return False
    if part >= 100:
        return total % 1000 == 0
    if part >= 10:
        return total % 100 == 0
    return total % 10 == 0 and (total % 100 >= 20 or total % 100 == 0)


def read_number(tokens: Sequence[Token], i: int) -> tuple[float, int, bool] | None:
    """The number starting at token i: (value, index after it, written as words?).

    Word numbers are read greedily while each word can extend the previous ones, so
    "двадцать один" is 21 but "семь тридцать" is 7 followed by 30 (a time's minutes).
    """
    if i >= len(tokens):
        return None
    token = tokens[i]
    if token.kind == "num":
        if token.value is None:
            return None
        return token.value, i + 1, False
    if token.kind != "word":
        return None
    first = cardinal(token.low)
    if first is None:
        return None
    total, j = first, i + 1
    if total == 100 and token.low == "hundred":
        return None
    while j < len(tokens) and tokens[j].kind == "word":
        low = tokens[j].low
        if low == "and" and j + 1 < len(tokens) and cardinal(tokens[j + 1].low) is not None and total >= 100:
            j += 1
            continue
        part = cardinal(low)
        if part is None:
            break
        if part in (100, 1000) and 0 < total < 10 and low in ("hundred", "thousand", "тысячи", "тысяч", "тысячу"):
            total, j = total * part, j + 1
            continue
        if not _fits(total, part):
            break
        total, j = total + part, j + 1
    return float(total), j, True


def days_in_dnya(count: int) -> bool:
    """"2 дня", "23 дня" count days; after 1, 5–20 or 12 "дня" is "of the day" ("в 12 дня", "на 3 дня" is three days)."""
    return count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14)
