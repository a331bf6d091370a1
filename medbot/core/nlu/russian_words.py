"""The parser's door to pymorphy3: Russian words only, every answer cached.

pymorphy3 raises on some characters (letters without a Unicode name), and its guesses for
Latin or mixed words are of no use here, so only plain Cyrillic words are ever asked about.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pymorphy3.analyzer import Parse

from medbot.core.russian_analyzer import analyzer, parses

_RUSSIAN_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*")


@lru_cache(maxsize=16384)
def is_russian(word: str) -> bool:
    """A lower-case word of Cyrillic letters (with inner hyphens): "аспирин", "но-шпа"."""
    return _RUSSIAN_WORD.fullmatch(word) is not None


def readings(word: str) -> tuple[Parse, ...]:
    """pymorphy3's analyses of a Russian word, most probable first; () for any other word."""
    return parses(word) if is_russian(word) else ()


@lru_cache(maxsize=16384)
def is_known(word: str) -> bool:
    """Whether the dictionary knows the word (rather than guessing from its ending)."""
    return is_russian(word) and bool(analyzer().word_is_known(word))


@lru_cache(maxsize=4096)
def asks_to_do(word: str) -> bool:
    """A word the dictionary takes first for an imperative ("исправь", "убирай"): a request of its own."""
    found = readings(word)
    return bool(found) and {"VERB", "impr"} <= set(found[0].tag.grammemes)


@lru_cache(maxsize=4096)
def guessed_command(word: str) -> bool:
    """An unknown word pymorphy3 takes for an imperative with confidence ("павиняй", "пириниси"
    would be "поменяй", "перенеси" misspelt): a request, never a medication's name."""
    if is_known(word):
        return False
    found = readings(word)
    return bool(found) and found[0].score >= 0.7 and {"VERB", "impr"} <= set(found[0].tag.grammemes)
