"""Russian forms of medication names for replies: "аспирина", "аскорбиновой кислоты", "удалены".

Replies are read by people who notice a broken word at once, and drug names are mostly unknown
to the dictionary (pymorphy3 guesses "ибупрофен" is a short adjective). So a form is produced
only when it can be trusted:

- dictionary words (known nouns and adjectives) are inflected by pymorphy3, and only when every
  nominative reading of the word agrees on the result;
- an unknown word is inflected only when its ending puts it in a regular paradigm (a hard
  consonant: "цетиризин" → "цетиризина"; "-а": "смекта" → "смекты"; "-ия"; "-ей"/"-ай");
- anything else (Latin names, digits, "-о"/"-е" endings like "Ксарелто", short capitals like
  "АЦЦ") gives None, and the caller picks a sentence shape that needs no inflection.

A name is a noun phrase: optional adjectives, the head noun, then words kept as they are
("капли для глаз" → "капель для глаз", "витамин B12" → "витамина B12"). Only the adjectives and
the head change, and the user's casing is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from medbot.core.russian_analyzer import parses

Case = Literal["gent", "accs"]
Agreement = Literal["masc", "femn", "neut", "plur"]

_CYRILLIC_WORD = re.compile(r"^[а-яё]+$")
_HARD_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
_VELARS_AND_HUSHERS = "гкхжшщч"
_ADJ_ENDINGS = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")
_ADJ_GENT_ENDINGS = ("ого", "его", "ой", "ей", "ых", "их")
_ADJ_ACCS_ENDINGS = ("ую", "юю")
_SHORT_CAPITALS = 5
"""An unknown all-capitals word this short is an abbreviation ("АЦЦ"): never inflected."""


def cap_first(text: str) -> str:
    """Capitalise the first letter only, keeping the user's casing elsewhere ("витамин B12")."""
    return text[:1].upper() + text[1:]


def genitive(name: str) -> str | None:
    """"аскорбиновая кислота" → "аскорбиновой кислоты"; None when no form can be trusted."""
    phrase = _phrase(name)
    return phrase.forms["gent"] if phrase else None


def accusative(name: str) -> str | None:
    """"аскорбиновая кислота" → "аскорбиновую кислоту" (drug names are inanimate)."""
    phrase = _phrase(name)
    return phrase.forms["accs"] if phrase else None


def agreement(name: str) -> Agreement | None:
    """Gender (or plural) of the name's head noun, for agreeing words: "Капли ... удалены"."""
    phrase = _phrase(name)
    return phrase.agreement if phrase else None


def agree(name: str, masc: str, femn: str, neut: str, plur: str) -> str | None:
    """The word form that agrees with the name, or None when its gender is not known."""
    found = agreement(name)
    if found is None:
        return None
    return {"masc": masc, "femn": femn, "neut": neut, "plur": plur}[found]


@dataclass(frozen=True)
class _Phrase:
    agreement: Agreement
    forms: dict[str, str]


@dataclass(frozen=True)
class _Head:
    agreement: Agreement
    gent: str
    accs: str


@lru_cache(maxsize=4096)
def _phrase(name: str) -> _Phrase | None:
    words = name.strip().split()
    if not words:
        return None
    head_at = _head_position(words)
    if head_at is None:
        return None
    head = _head_forms(words[head_at])
    if head is None:
        return None
    gent = list(words)
    accs = list(words)
    gent[head_at], accs[head_at] = head.gent, head.accs
    modifiers = list(range(head_at))
    after = head_at + 1
    while after < len(words) and _is_adjective_like(words[after]):
        modifiers.append(after)
        after += 1
    if after < len(words) and _is_unknown_brand_tail(words[head_at], words[after]):
        return None
    for index in modifiers:
        forms = _adjective_forms(words[index], head.agreement)
        if forms is None:
            return None
        gent[index], accs[index] = forms
    return _Phrase(head.agreement, {"gent": " ".join(gent), "accs": " ".join(accs)})


def _is_unknown_brand_tail(head: str, following: str) -> bool:
    """"Тантум Верде": two unknown words are a brand name, which is often left undeclined."""
    head_lower, following_lower = head.lower(), following.lower()
    return (
        _CYRILLIC_WORD.match(following_lower) is not None
        and not _known(following_lower)
        and not _known(head_lower.rpartition("-")[2])
    )


def _head_position(words: list[str]) -> int | None:
    """The first word that is not a leading adjective; the whole phrase is untrusted if none."""
    for index, word in enumerate(words):
        if index + 1 < len(words) and _is_adjective_like(word):
            continue
        return index
    return None


def _is_adjective_like(word: str) -> bool:
    lower = word.lower()
    if not _CYRILLIC_WORD.match(lower):
        return False
    if any(_is_nominative_adjective(parse) for parse in parses(lower) if parse.is_known):
        return True
    return not _known(lower) and lower.endswith(_ADJ_ENDINGS) and any(
        _is_nominative_adjective(parse) for parse in parses(lower)
    )


def _is_nominative_adjective(parse: object) -> bool:
    tag = parse.tag  # type: ignore[attr-defined]
    return ("ADJF" in tag or "PRTF" in tag) and "nomn" in tag and "Fixd" not in tag


def _known(lower: str) -> bool:
    return any(parse.is_known for parse in parses(lower))


def _head_forms(word: str) -> _Head | None:
    if "-" in word:
        prefix, _, last = word.rpartition("-")
        if not prefix or not last:
            return None
        tail = _head_forms(last)
        if tail is None:
            return None
        return _Head(tail.agreement, f"{prefix}-{tail.gent}", f"{prefix}-{tail.accs}")
    lower = word.lower()
    if not _CYRILLIC_WORD.match(lower):
        return None
    found = _known_noun(lower) if _known(lower) else _regular_noun(word, lower)
    if found is None:
        return None
    return _Head(found.agreement, _match_case(word, found.gent), _match_case(word, found.accs))


def _known_noun(lower: str) -> _Head | None:
    """A dictionary noun: trusted only when all its nominative readings agree."""
    readings: set[tuple[Agreement, str, str]] = set()
    for parse in parses(lower):
        tag = parse.tag
        if not parse.is_known or "NOUN" not in tag or "nomn" not in tag:
            continue
        agreement = _agreement_of(tag)
        if agreement is None:
            return None
        number = "plur" if agreement == "plur" else "sing"
        gent = parse.inflect({"gent", number})
        if gent is None:
            return None
        accs = parse.word if agreement != "femn" else _inflected(parse, {"accs", "sing"})
        if accs is None:
            return None
        readings.add((agreement, gent.word, accs))
    if len(readings) != 1:
        return None
    agreement, gent_word, accs_word = readings.pop()
    return _Head(agreement, gent_word, accs_word)


def _inflected(parse: object, grammemes: set[str]) -> str | None:
    found = parse.inflect(grammemes)  # type: ignore[attr-defined]
    return found.word if found is not None else None


def _agreement_of(tag: object) -> Agreement | None:
    if str(tag.number) == "plur":  # type: ignore[attr-defined]
        return "plur"
    gender = str(tag.gender)  # type: ignore[attr-defined]
    if gender == "masc" or gender == "femn" or gender == "neut":
        return gender
    return None


def _regular_noun(original: str, lower: str) -> _Head | None:
    """An unknown word in a paradigm whose endings are certain, else None."""
    if original.isupper() and len(original) <= _SHORT_CAPITALS:
        return None
    if len(lower) < 3:
        return None
    last, before = lower[-1], lower[-2]
    if last in _HARD_CONSONANTS:
        return _Head("masc", lower + "а", lower)
    if last == "й" and before in "еа":
        return _Head("masc", lower[:-1] + "я", lower)
    if lower.endswith("ия"):
        return _Head("femn", lower[:-1] + "и", lower[:-1] + "ю")
    if last == "а" and before in _HARD_CONSONANTS:
        ending = "и" if before in _VELARS_AND_HUSHERS else "ы"
        return _Head("femn", lower[:-1] + ending, lower[:-1] + "у")
    return None


def _adjective_forms(word: str, agreement: Agreement) -> tuple[str, str] | None:
    """(genitive, accusative) of an adjective agreeing with its head, or None if unsure."""
    lower = word.lower()
    results: set[tuple[str, str]] = set()
    for parse in parses(lower):
        tag = parse.tag
        if not _is_nominative_adjective(parse) or _agreement_of(tag) != agreement:
            continue
        if _known(lower) and not parse.is_known:
            continue
        number = {"plur"} if agreement == "plur" else {agreement, "sing"}
        gent = _inflected(parse, {"gent", *number})
        accs = _inflected(parse, {"accs", "femn", "sing"}) if agreement == "femn" else lower
        if gent is None or accs is None or not gent.endswith(_ADJ_GENT_ENDINGS):
            continue
        if agreement == "femn" and not accs.endswith(_ADJ_ACCS_ENDINGS):
            continue
        results.add((gent, accs))
    if len(results) != 1:
        return None
    gent, accs = results.pop()
    return _match_case(word, gent), _match_case(word, accs)


def _match_case(original: str, inflected: str) -> str:
    """Carry the user's casing over: the shared beginning keeps the original letters."""
    if len(original) > 1 and original.isupper():
        return inflected.upper()
    lower_original = original.lower().replace("ё", "е")
    folded = inflected.replace("ё", "е")
    shared = 0
    while (
        shared < min(len(lower_original), len(folded))
        and lower_original[shared] == folded[shared]
    ):
        shared += 1
    return original[:shared] + inflected[shared:]
