"""Words one typo away from a word we know: "апирин" is "аспирин", "rminder" is "reminder".

A name word that no dictionary and no medication list knows, but that one edit (a letter
dropped, added, changed, or two swapped) turns into a known medication, is that medication
misspelt; one edit away from an ordinary word, it is probably that word misspelt and not a
name at all. Either way the parser is not sure and asks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from medbot.core.nlu.lexicon import GENERIC_WORDS, MED_WORDS, NAME_CONTEXT_WORDS, STOP_WORDS
from medbot.core.nlu.names import is_english_word, lemma
from medbot.core.nlu.normalize import script_of
from medbot.core.nlu.russian_words import is_known

_RU = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_EN = "abcdefghijklmnopqrstuvwxyz"
_MIN_LENGTH = 4
_MAX_LENGTH = 30
_NAME_WORDS = NAME_CONTEXT_WORDS | GENERIC_WORDS


def _edits(word: str, alphabet: str) -> set[str]:
    if len(word) > _MAX_LENGTH:
        return set()  # no medication or command word is this long: a wall of letters costs nothing
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
    """The known medication an unknown word is one typo away from ("апирин" → "аспирин"); of
    several, the one that starts with the same letter, if only one does."""
    if len(word) < _MIN_LENGTH:
        return None  # "оез": too short to put right, though close enough to doubt
    fond = _undiminished(word)
    if fond is not None:
        return fond
    found = {candidate for candidate in _medications_near(word) if len(candidate) >= _MIN_LENGTH}
    if len(found) > 1:
        found = {candidate for candidate in found if candidate[:1] == word[:1]}
    return min(found) if len(found) == 1 else None


_DIMINUTIVE = re.compile(r"(?P<stem>[а-яё]{4,}?)(?:ьчик|чик|очк|ечк|ик|к)(?:а|у|е|ом|и|ой|ами|ах)?")


def _undiminished(word: str) -> str | None:
    """"корвалольчик" → "корвалол", "ношпочку" → "ношпа", "валерьяночка" → "валерьянка": a known
    medication said fondly. Only when the word itself is neither a medication nor a dictionary word."""
    found = _DIMINUTIVE.fullmatch(word)
    if found is None or word in MED_WORDS or lemma(word) in MED_WORDS or is_known(word):
        return None
    stem = found.group("stem")
    for candidate in (stem, stem + "ка", stem + "а", stem + "ь"):
        if candidate in MED_WORDS:
            return candidate
    return None


def near_medication(word: str) -> bool:
    """One typo away from some known medication (perhaps from several)."""
    return bool(_medications_near(word))


@lru_cache(maxsize=4096)
def _medications_near(word: str) -> frozenset[str]:
    if (len(word) < _MIN_LENGTH - 1 or not word.isalpha() or word in MED_WORDS or lemma(word) in MED_WORDS
            or word in _NAME_WORDS or lemma(word) in _NAME_WORDS or word in STOP_WORDS
            or (script_of(word) == "en" and is_english_word(word))):
        return frozenset()  # "аспирина" is aspirin in the genitive, "кардио" a word of its own: no typo
    for ending in ("а", "у", "е", "ом", "ы", "и", "ой", "ем", "ю", "я"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and (stem in MED_WORDS or stem + "а" in MED_WORDS):
            return frozenset()  # "глюкофажа", "ношпы": a case form of a medication we know
    alphabet = _RU if script_of(word) == "ru" else _EN
    bases = {word} | ({word[: -len(e)] for e in ("а", "у", "е", "ом", "ы", "и", "ой", "я", "ю", "ем") if word.endswith(e)}
                      if alphabet == _RU else set())
    found = {candidate for base in bases if len(base) >= _MIN_LENGTH - 1
             for candidate in _edits(base, alphabet) if candidate in MED_WORDS or candidate in NAME_CONTEXT_WORDS}
    if alphabet == _RU:  # a case form one typo away ("магня" → "магния", of магний)
        found |= {lemma(candidate) for candidate in _edits(word, _RU)
                  if is_known(candidate) and lemma(candidate) in MED_WORDS}
    return frozenset(found)


@lru_cache(maxsize=1)
def _pattern_sources() -> tuple[str, ...]:
    """The text of the command and filler patterns, the vocabulary typos are measured against."""
    from medbot.core.nlu import intents, lexicon

    return (*(pattern for _, pattern in intents._CUES), lexicon.FILLER.pattern)  # noqa: SLF001


@lru_cache(maxsize=1)
def _russian_grammar_words() -> frozenset[str]:
    """The Russian words commands are made of (verbs, units, times, filler): a brand name is
    often one letter away from some dictionary word, but rarely from one of these."""
    from medbot.core.nlu import intents, lexicon
    from medbot.core.nlu.dosage import RU_FORMS

    sources = _pattern_sources()
    words = {word for source in sources for word in re.findall(r"(?<![\\а-я])[а-я]{4,}(?![а-я\\])", source)}
    words |= {form for forms in RU_FORMS.values() for form in forms}
    words |= set(intents._TYPO_TARGETS) | lexicon.STOP_WORDS | lexicon.GENERIC_WORDS  # noqa: SLF001
    return frozenset(word for word in words if script_of(word) == "ru" and len(word) >= _MIN_LENGTH)


@lru_cache(maxsize=1)
def _english_grammar_words() -> frozenset[str]:
    """English words of the command patterns ("anymore", "reminder") the dictionary may lack."""
    sources = _pattern_sources()
    found = {word for source in sources for word in re.findall(r"(?<![\\a-z])[a-z]{4,}(?![a-z])", source)}
    return frozenset(found | {"anymore", "reminder", "reminders", "tablet", "tablets", "capsule", "capsules"})


@lru_cache(maxsize=1)
def _russian_grammar_stems() -> tuple[str, ...]:
    """Stems the command patterns end with "\\w*" ("напоминани", "утренн"): any ending counts."""
    sources = _pattern_sources()
    stems = {stem for source in sources for stem in re.findall(r"(?<![\\а-я])([а-я]{5,})(?=[|)]*\\w\*)", source)}
    stems |= {"утренн", "вечерн", "дневн", "ночн", "таблет", "капсул", "напомин", "лекарств", "препарат"}
    return tuple(sorted(stems))


@lru_cache(maxsize=4096)
def misspelt_word(word: str) -> bool:
    """An unknown word one typo away from an ordinary word ("rminder", "таблеткм", "дзу")."""
    if len(word) < _MIN_LENGTH - 1 or known_word(word) or not word.isalpha():
        return False
    script = script_of(word)
    if script == "en":
        grammar = _english_grammar_words()  # the dictionary is too big: "yarina" is one letter from "marina"
        return any(candidate in grammar for candidate in _edits(word, _EN))
    if script == "ru":
        grammar = _russian_grammar_words()
        stems = _russian_grammar_stems()
        for candidate in _edits(word, _RU):
            if candidate in grammar or candidate.startswith(stems):
                return True
            if is_known(candidate) and lemma(candidate) in _NAME_WORDS:
                return True  # "акорбиновую" → "аскорбиновую"
    return False



@lru_cache(maxsize=4096)
def command_word_meant(word: str) -> str | None:
    """The one command word an unknown word is a typo of ("shwo" → "show", "тепрь" → "теперь")."""
    if len(word) < _MIN_LENGTH or known_word(word) or not word.isalpha():
        return None
    script = script_of(word)
    if script == "en":
        grammar = _english_grammar_words() | _ENGLISH_EXTRA
        found = {candidate for candidate in _edits(word, _EN) if candidate in grammar}
    elif script == "ru":
        grammar = _russian_grammar_words() | _RUSSIAN_EXTRA
        found = {candidate for candidate in _edits(word, _RU) if candidate in grammar}
    else:
        return None
    if len(found) > 1:  # "waht": "what" (two letters swapped, the commonest slip) rather than "want";
        swapped = {candidate for candidate in found if sorted(candidate) == sorted(word)}
        doubled = {candidate for candidate in found  # "addd": "add" (a key held down) rather than "adds"
                   if any(word[n] == word[n - 1] and word[:n] + word[n + 1:] == candidate for n in range(1, len(word)))}
        found = swapped or doubled
    return found.pop() if len(found) == 1 else None


_ENGLISH_EXTRA = frozenset({"show", "what", "taking", "take", "meds", "medications", "list", "help", "today", "tomorrow",
                            "week", "else", "left", "schedule", "undo", "russian", "english", "switch", "reminding",
                            "remind", "remove", "delete", "tomorrow", "morning", "evening", "change", "move",
                            "took", "taken", "add", "reschedule", "pause", "skip", "stop", "mute", "reminders"})
_RUSSIAN_EXTRA = frozenset({"теперь", "покажи", "лекарства", "таблетки", "список", "сегодня", "завтра", "неделю",
                            "осталось", "отмени", "умеешь", "помощь", "расписание", "выпила", "выпил", "приняла",
                            "принял", "добавь", "удали", "перенеси", "английски", "русски", "поменяй", "измени",
                            "запиши", "убери", "вколол", "вколола", "пропусти", "пропускаю", "напомни", "напоминай",
                            "отключи", "выключи", "приостанови"})
