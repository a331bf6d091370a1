"""Russian typed with the English keyboard layout on: "cgbcjr" is "список", "rjyrjh d 8" is
"конкор в 8". Such text is Latin letters that make no English words; read through the keyboard
it becomes the Russian the person typed."""

from __future__ import annotations

import re

_LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьбюё"
_TO_CYRILLIC = str.maketrans(_LATIN + _LATIN.upper(), _CYRILLIC + _CYRILLIC.upper())
_WORD = re.compile(r"[a-z\[\];',.`]+", re.IGNORECASE)
_LETTERS = re.compile(r"[a-z]", re.IGNORECASE)


def retyped_in_russian(text: str) -> str | None:
    """The Russian the person meant, when the text reads as Russian typed in the wrong layout."""
    if re.search(r"[а-яё]", text, re.IGNORECASE) or not _LETTERS.search(text):
        return None
    words = [w.strip(",.;'") for w in _WORD.findall(text)]
    words = [w for w in words if len(w) >= 2]
    if not words or any(_english(w.lower()) for w in words):
        return None
    converted = _WORD.sub(lambda m: m.group().translate(_TO_CYRILLIC), text)
    russian = [w for w in re.findall(r"[а-яё]+", converted.lower()) if len(w) >= 2]
    return converted if russian and all(_russian(w) for w in russian) else None


def _english(word: str) -> bool:
    from medbot.core.nlu.lexicon import MED_WORDS
    from medbot.core.nlu.names import is_english_word

    return word in MED_WORDS or is_english_word(word)


def _russian(word: str) -> bool:
    from medbot.core.nlu.lexicon import MED_WORDS
    from medbot.core.nlu.russian_words import is_known

    return word in MED_WORDS or is_known(word)
