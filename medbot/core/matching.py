"""Which medications of a schedule a name in a message means.

People write names in any case form, with typos, or by one word of a longer name. The tiers
below go from certain to less certain, and the first tier that finds anything decides:

1. the medication id, when the command carries one (an answered question, a checked LLM answer);
2. the same key ("ибупрофена" and "Ибупрофен" share the key "ибупрофен"), also with
   Cyrillic/Latin look-alike letters in short tokens ("витамин в12" = "витамин b12") and with
   spaces and hyphens ignored ("ношпа" = "но-шпа");
3. a small edit distance per word, scaled with the word's length, so "парацетомол" finds
   парацетамол but "витамин e" never finds "витамин d" and "нош" never finds "но-шпа";
4. one word of a multi-word name ("витамин" when there is exactly one "витамин ...").

Several entries with the same key (aspirin 100 mg in the morning, 200 mg at night) are one
medication: they are `Found` together and the caller decides whether to ask which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from medbot.core.commands import MedName
from medbot.core.model import Medication

_STOP_WORDS = frozenset({"для", "от", "с", "со", "в", "во", "на", "из", "по", "и", "при", "for"})
_LOOKALIKES = str.maketrans(
    {"а": "a", "в": "b", "б": "b", "с": "c", "д": "d", "е": "e", "к": "k", "р": "p"}
)


@dataclass(frozen=True)
class Found:
    """One medication: every entry of the schedule that shares its key."""

    meds: tuple[Medication, ...]


@dataclass(frozen=True)
class Ambiguous:
    """The name fits several different medications: ask, never guess."""

    candidates: tuple[Medication, ...]


@dataclass(frozen=True)
class Missing:
    pass


Match = Found | Ambiguous | Missing


def find(medications: Sequence[Medication], name: MedName) -> Match:
    if name.med_id is not None:
        exact = [med for med in medications if med.id == name.med_id]
        return Found(tuple(exact)) if exact else Missing()
    queries = _query_forms(name)
    for tier in (_same_key, _close_key, _word_of_name):
        keys = tier(queries, _distinct_keys(medications))
        if keys:
            return _decide(medications, keys)
    return Missing()


def exact_name(med: Medication) -> MedName:
    """A name that means exactly this entry (its id), for options and confirmed commands."""
    return MedName(med.name, med.key, med.id)


def normal_key(text: str) -> str:
    """Lower case, "ё" folded, single spaces: how keys compare."""
    return " ".join(text.lower().replace("ё", "е").split())


def same_key(first: str, second: str) -> bool:
    return _canonical(normal_key(first)) == _canonical(normal_key(second))


def _query_forms(name: MedName) -> tuple[str, ...]:
    forms = [normal_key(name.key), normal_key(name.name)]
    return tuple(dict.fromkeys(form for form in forms if form))


def _distinct_keys(medications: Sequence[Medication]) -> list[str]:
    return list(dict.fromkeys(normal_key(med.key) for med in medications))


def _decide(medications: Sequence[Medication], keys: list[str]) -> Match:
    chosen = {_canonical(key) for key in keys}
    meds = tuple(med for med in medications if _canonical(normal_key(med.key)) in chosen)
    return Found(meds) if len(chosen) == 1 else Ambiguous(meds)


def _canonical(key: str) -> str:
    """Spaces and hyphens ignored; short tokens with digits or single letters latinised;
    "вит"/"vit" written out ("вит д" is "витамин д")."""
    return "".join(_latinised(_ABBREVIATED.get(word, word)) for word in key.replace("-", " ").split())


_ABBREVIATED = {"вит": "витамин", "вит.": "витамин", "vit": "vitamin", "vit.": "vitamin"}


def _latinised(word: str) -> str:
    if len(word) == 1 or (len(word) <= 4 and any(char.isdigit() for char in word)):
        return word.translate(_LOOKALIKES)
    return word


def _same_key(queries: tuple[str, ...], keys: list[str]) -> list[str]:
    wanted = {_canonical(query) for query in queries}
    return [key for key in keys if _canonical(key) in wanted]


def _close_key(queries: tuple[str, ...], keys: list[str]) -> list[str]:
    """The keys nearest to the query, if within the allowed distance of every word."""
    best: dict[str, int] = {}
    for key in keys:
        distances = [_phrase_distance(query, key) for query in queries]
        found = [distance for distance in distances if distance is not None]
        if found:
            best[key] = min(found)
    if not best:
        return []
    nearest = min(best.values())
    return [key for key, distance in best.items() if distance == nearest]


def _phrase_distance(query: str, key: str) -> int | None:
    query_words, key_words = _words(query), _words(key)
    if len(query_words) != len(key_words):
        return None
    total = 0
    for typed, stored in zip(query_words, key_words, strict=True):
        distance = _word_distance(typed, stored)
        if distance is None:
            return None
        total += distance
    return total


def _word_of_name(queries: tuple[str, ...], keys: list[str]) -> list[str]:
    """Keys of which the query names only some words ("витамин" of "витамин d")."""
    found: list[str] = []
    for key in keys:
        key_words = [part for word in _words(key) if word not in _STOP_WORDS for part in _parts(word)]
        for query in queries:
            query_words = [word for word in _words(query) if word not in _STOP_WORDS]
            if query_words and len(query_words) < len(key_words) and _covers(
                key_words, query_words
            ):
                found.append(key)
                break
    return found


def _covers(key_words: list[str], query_words: list[str]) -> bool:
    """Every query word matches a different word of the key."""
    free = list(key_words)
    for typed in query_words:
        match = next((word for word in free if _word_distance(typed, word) is not None), None)
        if match is None:
            return False
        free.remove(match)
    return True


def _words(text: str) -> list[str]:
    return text.split()


def _parts(word: str) -> list[str]:
    """The parts of a hyphenated word, so "омега" names "омега-3 форте" by one word of it."""
    parts = [part for part in word.split("-") if part]
    if len(parts) < 2 or any(len(part) < 4 and not part.isdigit() for part in parts):
        return [word]  # "но-шпа" stays whole: "шпа" alone names nothing
    return parts


def allowed_typos(length: int) -> int:
    """How many edits a word of this length may differ by and still be the same word."""
    if length <= 4:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


def _word_distance(typed: str, stored: str) -> int | None:
    typed_form, stored_form = _latinised(typed), _latinised(stored)
    if typed_form == stored_form:
        return 0
    limit = allowed_typos(min(len(typed_form), len(stored_form)))
    if limit == 0 or abs(len(typed_form) - len(stored_form)) > limit:
        return None
    distance = edit_distance(typed_form, stored_form, limit)
    return distance if distance <= limit else None


def edit_distance(first: str, second: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one typo), capped at limit + 1."""
    return OSA.distance(first, second, score_cutoff=limit)
