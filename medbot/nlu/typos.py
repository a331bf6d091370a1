"""Words one typo away from a word we know: "апирин" is "аспирин", "rminder" is "reminder".

A name word that no dictionary and no medication list knows, but that one edit (a letter
dropped, added, changed, or two swapped) turns into a known medication, is that medication
misspelt; one edit away from an ordinary word, it is probably that word misspelt and not a
name at all. Either way the parser is not sure and asks.
"""

from __future__ import annotations

from functools import lru_cache

from medbot.nlu.lexicon import MED_WORDS
from medbot.nlu.morphology import is_known
from medbot.nlu.names import is_english_word, lemma
from medbot.nlu.normalize import script_of

_RU = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_EN = "abcdefghijklmnopqrstuvwxyz"
_MIN_LENGTH = 4


def _edits(word: str, alphabet: str) -> set[str]:
    splits = [(word[:n], word[n:]) for n in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in alphabet}
    inserts = {a + c + b for a, b in splits for c in alphabet}
    return (deletes | swaps | changes | inserts) - {word}


def known_word(word: str) -> bool:
    """A medication we know, or a word of the Russian or English dictionary."""
    return (word in MED_WORDS or lemma(word) in MED_WORDS or is_known(word)
            or (script_of(word) == "en" and is_english_word(word)))


@lru_cache(maxsize=4096)
def medication_meant(word: str) -> str | None:
    """The known medication an unknown word is one typo away from ("апирин" → "аспирин")."""
    if len(word) < _MIN_LENGTH or word in MED_WORDS or not word.isalpha() or lemma(word) in MED_WORDS:
        return None  # "аспирина" is aspirin in the genitive, not a typo
    for ending in ("а", "у", "е", "ом", "ы", "и", "ой", "ем", "ю", "я"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and (stem in MED_WORDS or stem + "а" in MED_WORDS):
            return None  # "глюкофажа", "ношпы": a case form of a medication we know
    alphabet = _RU if script_of(word) == "ru" else _EN
    bases = {word} | ({word[: -len(e)] for e in ("а", "у", "е", "ом", "ы", "и", "ой") if word.endswith(e)}
                      if alphabet == _RU else set())
    found = sorted({candidate for base in bases if len(base) >= _MIN_LENGTH
                    for candidate in _edits(base, alphabet) if candidate in MED_WORDS})
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=1)
def _russian_grammar_words() -> frozenset[str]:
    """The Russian words commands are made of (verbs, units, times, filler): a brand name is
    often one letter away from some dictionary word, but rarely from one of these."""
    import re

    from medbot.nlu import intents, lexicon
    from medbot.nlu.dosage import RU_FORMS

    sources = [pattern for _, pattern in intents._CUES] + [lexicon.FILLER.pattern]  # noqa: SLF001
    words = {word for source in sources for word in re.findall(r"(?<![\\а-я])[а-я]{4,}(?![а-я\\(])", source)}
    words |= {form for forms in RU_FORMS.values() for form in forms}
    words |= set(intents._TYPO_TARGETS) | lexicon.STOP_WORDS | lexicon.GENERIC_WORDS  # noqa: SLF001
    return frozenset(word for word in words if script_of(word) == "ru" and len(word) >= _MIN_LENGTH)


@lru_cache(maxsize=4096)
def misspelt_word(word: str) -> bool:
    """An unknown word one typo away from an ordinary word ("rminder", "таблеткм", "дзу")."""
    if len(word) < _MIN_LENGTH - 1 or known_word(word) or not word.isalpha():
        return False
    script = script_of(word)
    if script == "en":
        return any(is_english_word(candidate) for candidate in _edits(word, _EN))
    if script == "ru":
        grammar = _russian_grammar_words()
        return any(candidate in grammar for candidate in _edits(word, _RU))
    return False
