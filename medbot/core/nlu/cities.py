"""City names mapped to IANA time zones, matched in free Russian or English text.

The table is data (medbot/data/cities.tsv): one city per line, its zone and its names. A person
writes "в Красноярске", "из Нижнего Новгорода" or "St. Petersburg", so every Russian name is
expanded into its case forms once, with pymorphy3, and every spelling is reduced to a tuple of
folded words (lower case, "ё" → "е", Latin accents dropped; hyphens, dots and spaces between
words are interchangeable). Lookup then costs one dict hit per word of the text.

Which mention actually names the person's zone (context, ambiguity) is decided by the caller,
medbot.core.nlu.timezones; this module only knows names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from medbot.core import russian_analyzer

AMBIGUOUS_FLAG = "?"
LITERAL_FLAG = "="

Spelling = tuple[str, ...]
"""A name as folded words: "Ростове-на-Дону" → ("ростове", "на", "дону")."""


@dataclass(frozen=True)
class CityName:
    text: str
    ambiguous: bool
    """Also an ordinary word or a person's name ("Находка", "Nice"): needs a city context."""
    literal: bool
    """Matched only as written: no case forms (abbreviations, explicit forms, Ukrainian)."""


@dataclass(frozen=True)
class City:
    zone: str
    country: str
    names: tuple[CityName, ...]

    @property
    def name(self) -> str:
        return self.names[0].text


class Word(NamedTuple):
    start: int
    end: int
    key: str
    """The folded spelling that the index is keyed by."""


@dataclass(frozen=True)
class CityMention:
    start: int
    end: int
    city: City
    ambiguous: bool
    first_word: int
    """Index, in `words(text)`, of the mention's first word (for looking at the word before)."""


# --- folding and words -------------------------------------------------------------------

# Letters, each optionally followed by combining marks (stress accents, decomposed letters).
_WORD = re.compile(r"(?:[^\W\d_][\u0300-\u036f]*)+")
# What may separate the words of one name: "Нью-Йорк", "Нью Йорк", "St. Petersburg", "Xi'an".
_NAME_GAP = re.compile(r"[\s\-\u2010\u2011\u2012\u2013.'\u2019]{1,3}")
_COMBINING = re.compile(r"[\u0300-\u036f]")


def _latin_fold_table() -> dict[int, str]:
    """Accented Latin letters → their base letter ("São" → "Sao"); Cyrillic is left alone."""
    table: dict[int, str] = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        base = _COMBINING.sub("", unicodedata.normalize("NFKD", chr(code)))
        if base.isascii() and base.isalpha() and base != chr(code):
            table[code] = base.lower()
    table.update({ord("ß"): "ss", ord("ø"): "o", ord("æ"): "ae", ord("ł"): "l", ord("đ"): "d"})
    return table


_LATIN_FOLD = _latin_fold_table()


@lru_cache(maxsize=1 << 14)
def fold(word: str) -> str:
    """The spelling used for matching: lower case, "ё" → "е", no accents or stress marks."""
    word = unicodedata.normalize("NFC", word).lower()
    if word.isascii():
        return word
    word = word.replace("ё", "е").translate(_LATIN_FOLD)
    return _COMBINING.sub("", word)


def words(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


def name_key(text: str) -> Spelling:
    return tuple(word.key for word in words(text))


# --- the table -----------------------------------------------------------------------------


def _parse_name(raw: str) -> CityName:
    text = raw.rstrip(AMBIGUOUS_FLAG + LITERAL_FLAG)
    flags = raw[len(text):]
    return CityName(text.strip(), AMBIGUOUS_FLAG in flags, LITERAL_FLAG in flags)


def parse_table(lines: Iterable[str]) -> tuple[City, ...]:
    """Cities from the table's lines ("zone<TAB>country<TAB>name|name?|name="); # = comment."""
    cities = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[2]:
            raise ValueError(f"cities table line {number}: expected zone, country, names")
        names = tuple(_parse_name(raw) for raw in fields[2].split("|"))
        cities.append(City(fields[0], fields[1], names))
    return tuple(cities)


_table: tuple[City, ...] | None = None
IndexEntry = tuple[Spelling, City, bool]
"""A spelling, its city, and whether that spelling needs a city context."""
Index = dict[str, tuple[IndexEntry, ...]]
_index: Index | None = None
_conflicts: tuple[tuple[Spelling, frozenset[str]], ...] = ()


def cities() -> tuple[City, ...]:
    global _table
    if _table is None:
        text = resources.files("medbot").joinpath("data", "cities.tsv").read_text("utf-8")
        _table = parse_table(text.splitlines())
    return _table


# --- Russian case forms ---------------------------------------------------------------------

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# "Ростов-на-Дону": only the part before "на" inflects ("в Ростове-на-Дону"); foreign links
# ("Шарм-эль-Шейх", "Рио-де-Жанейро") follow the general rule: only the last part inflects.
_HEAD_LINK = "на"
_INDECLINABLE_ENDINGS = tuple("оеиуюэё") + ("иа", "оа", "уа", "еа")
_SIBILANTS = tuple("жшчщц")
_ADJECTIVE_ENDINGS = tuple(stem + end for stem in ("ск", "цк") for end in ("ий", "ое", "ая", "ие"))
_VELARS_SIBILANTS = tuple("гкхжшчщ")

CaseForms = dict[str, frozenset[str]]


def _suffixed(stem: str, endings: dict[str, tuple[str, ...]]) -> CaseForms:
    return {case: frozenset(stem + ending for ending in endings[case]) for case in endings}


def _by_ending(word: str) -> CaseForms:
    """Case forms of a place name pymorphy3 does not know, from its ending (noun rules)."""
    same = {case: frozenset({word}) for case in CASES}
    if word.endswith(_INDECLINABLE_ENDINGS) or len(word) < 3:
        return same  # "Токио", "Сочи", "Гоа": foreign names in a vowel do not decline
    stem, last = word[:-1], word[-1]
    if word.endswith("ия"):
        return _suffixed(word[:-2], {"nomn": ("ия",), "gent": ("ии",), "datv": ("ии",),
                                     "accs": ("ию",), "ablt": ("ией",), "loct": ("ии",)})
    if last == "я":
        return _suffixed(stem, {"nomn": ("я",), "gent": ("и",), "datv": ("е",),
                                "accs": ("ю",), "ablt": ("ей",), "loct": ("е",)})
    if last == "а":
        gent = "и" if stem.endswith(_VELARS_SIBILANTS) else "ы"
        ablt = ("ой", "ей") if stem.endswith(_SIBILANTS) else ("ой",)
        return _suffixed(stem, {"nomn": ("а",), "gent": (gent,), "datv": ("е",),
                                "accs": ("у",), "ablt": ablt, "loct": ("е",)})
    if last == "ь":  # masculine ("Брюссель") or feminine ("Тверь"): accept both
        return _suffixed(stem, {"nomn": ("ь",), "gent": ("я", "и"), "datv": ("ю", "и"),
                                "accs": ("ь",), "ablt": ("ем", "ью"), "loct": ("е", "и")})
    if last == "й":
        return _suffixed(stem, {"nomn": ("й",), "gent": ("я",), "datv": ("ю",),
                                "accs": ("й",), "ablt": ("ем",), "loct": ("е",)})
    ablt = ("ом", "ем") if word.endswith(_SIBILANTS) else ("ом",)
    return _suffixed(word, {"nomn": ("",), "gent": ("а",), "datv": ("у",),
                            "accs": ("",), "ablt": ablt, "loct": ("е",)})


def _lexeme_forms(parses: Iterable[object]) -> CaseForms:
    forms: dict[str, set[str]] = {case: set() for case in CASES}
    for parse in parses:
        for case in CASES:
            inflected = _inflect(parse, case)
            if inflected is not None:
                forms[case].add(inflected.word)
    return {case: frozenset(found) for case, found in forms.items() if found}


def _inflect(parse: Any, case: str) -> Any:
    if case == "accs" and not {"femn", "neut"} & parse.tag.grammemes:
        # A place is inanimate: "в Нижний Новгород", not "в Нижнего Новгород".
        return parse.inflect({case, "inan"}) or parse.inflect({case})
    return parse.inflect({case})


_PERSON = frozenset({"Name", "Surn", "Patr"})


def _noun_forms(word: str, in_compound: bool = False) -> CaseForms:
    """Case forms of one word used as the noun of a place name.

    pymorphy3's own place names first; then an adjective it knows ("Нижний", "Рудный"), or, in
    a compound name, an ordinary noun ("Великие Луки", "Белая Церковь"); otherwise the rules
    for the word's ending (a person's name would decline like "Корсаковым", not "Корсаковом").
    """
    nominative = [p for p in russian_analyzer.parses(word) if p.tag.case == "nomn"]
    places = [p for p in nominative if "Geox" in p.tag]
    if places:
        if any("Fixd" in p.tag for p in places):
            declinable = [p for p in places if "Fixd" not in p.tag]
            return _merge(_unchanged(word), _lexeme_forms(declinable))  # "Кемерово" both ways
        return _lexeme_forms(places)
    adjective = _adjective_forms(word)
    if adjective is not None:
        return adjective
    nouns = [
        p for p in nominative
        if in_compound and p.tag.POS == "NOUN" and p.is_known
        and not _PERSON & p.tag.grammemes and "Fixd" not in p.tag
    ]
    if nouns:
        return _lexeme_forms(nouns[:1])
    if word.endswith(_ADJECTIVE_ENDINGS):  # "Кропивницкий", unknown to the dictionary
        return _adjective_forms(word, known_only=False) or _by_ending(word)
    return _by_ending(word)


def _adjective_forms(word: str, known_only: bool = True) -> CaseForms | None:
    """Case forms of a word that is an adjective in its nominative ("Нижний", "Камчатский")."""
    adjectives = [
        p for p in russian_analyzer.parses(word)
        if p.tag.POS == "ADJF" and p.tag.case == "nomn" and "Poss" not in p.tag
        and (p.is_known or not known_only)
    ]
    return _lexeme_forms(adjectives[:1]) if adjectives else None


def _merge(*many: CaseForms) -> CaseForms:
    merged: dict[str, set[str]] = {}
    for forms in many:
        for case, found in forms.items():
            merged.setdefault(case, set()).update(found)
    return {case: frozenset(found) for case, found in merged.items()}


def _unchanged(word: str) -> CaseForms:
    return {case: frozenset({word}) for case in CASES}


def _joined(parts: list[CaseForms], separator: str) -> CaseForms:
    """Forms of a compound whose parts stand in the same case: "нижнем" + "новгороде"."""
    joined: dict[str, frozenset[str]] = {}
    for case in CASES:
        combos = {""}
        for index, part in enumerate(parts):
            options = part.get(case) or (part.get("loct") if case == "loc2" else None)
            if not options:
                break
            glue = separator if index else ""
            combos = {done + glue + option for done in combos for option in options}
        else:
            joined[case] = frozenset(combos)
    return joined


def _hyphenated_forms(word: str, in_compound: bool) -> CaseForms:
    parts = word.split("-")
    if len(parts) == 1:
        return _noun_forms(word, in_compound)
    if _HEAD_LINK in parts[1:-1]:  # "Ростов-на-Дону": only the head inflects
        return _joined([_noun_forms(parts[0], True)] + [_unchanged(p) for p in parts[1:]], "-")
    last_adjective = _adjective_forms(parts[-1])
    if last_adjective is not None:  # "Петропавловск-Камчатский": both parts inflect
        heads = [_noun_forms(p, True) for p in parts[:-1]]
        return _joined(heads + [last_adjective], "-")
    # "Южно-Сахалинск", "Нью-Йорк", "Улан-Удэ": only the last part can inflect
    return _joined([_unchanged(p) for p in parts[:-1]] + [_noun_forms(parts[-1], True)], "-")


def russian_forms(name: str) -> frozenset[str]:
    """Every case form of a Russian place name in lower case ("нижнем новгороде", ...).

    Words agree in case: adjectives and the last word inflect, other words stay as they are.
    """
    lowered = name.lower().split()
    if not lowered:
        return frozenset()
    parts = []
    for index, word in enumerate(lowered):
        adjective = _adjective_forms(word) if index < len(lowered) - 1 and "-" not in word else None
        if adjective is not None:
            parts.append(adjective)
        elif index == len(lowered) - 1:
            parts.append(_hyphenated_forms(word, in_compound=len(lowered) > 1))
        else:
            parts.append(_unchanged(word))
    forms = _joined(parts, " ")
    return frozenset(form for found in forms.values() for form in found) | {name.lower()}


def spellings(name: CityName) -> frozenset[str]:
    """All spellings of a name that count as a mention (case forms for Russian names)."""
    if name.literal or not _CYRILLIC.search(name.text) or _LATIN.search(name.text):
        return frozenset({name.text})
    return russian_forms(name.text)


# --- the index ------------------------------------------------------------------------------


def _build_index() -> None:
    global _index, _conflicts
    entries: dict[Spelling, tuple[City, bool]] = {}
    zones: dict[Spelling, set[str]] = {}
    for city in cities():
        for name in city.names:
            for spelling in spellings(name):
                key = name_key(spelling)
                if not key:
                    continue
                zones.setdefault(key, set()).add(city.zone)
                known = entries.get(key)
                ambiguous = name.ambiguous or (known is not None and known[1])
                entries[key] = (known[0] if known else city, ambiguous)
    clashes = {key: frozenset(found) for key, found in zones.items() if len(found) > 1}
    by_first: dict[str, list[IndexEntry]] = {}
    for key, (city, ambiguous) in entries.items():
        if key not in clashes:  # one spelling, two zones: never guess
            by_first.setdefault(key[0], []).append((key, city, ambiguous))
    _index = {
        first: tuple(sorted(found, key=lambda entry: -len(entry[0])))
        for first, found in by_first.items()
    }
    _conflicts = tuple(sorted(clashes.items()))


def index() -> Index:
    """First word of a spelling → (spelling, city, ambiguous), longest spellings first."""
    if _index is None:  # built once; the daemon builds it before any thread asks (warm_up)
        _build_index()
    assert _index is not None
    return _index


def conflicts() -> tuple[tuple[Spelling, frozenset[str]], ...]:
    """Spellings shared by cities in different zones (left out of the index)."""
    index()
    return _conflicts


def _same_name_gaps(text: str, found: list[Word]) -> bool:
    return all(
        _NAME_GAP.fullmatch(text, before.end, after.start) is not None
        for before, after in zip(found, found[1:])
    )


def mentions(text: str, text_words: list[Word] | None = None) -> list[CityMention]:
    """Every city name in the text, leftmost-longest, not overlapping."""
    table = index()
    found_words = words(text) if text_words is None else text_words
    result: list[CityMention] = []
    position = 0
    while position < len(found_words):
        matched = 0
        for key, city, ambiguous in table.get(found_words[position].key, ()):
            candidate = found_words[position:position + len(key)]
            if len(candidate) == len(key) and all(
                word.key == part for word, part in zip(candidate, key)
            ) and _same_name_gaps(text, candidate):
                result.append(CityMention(
                    candidate[0].start, candidate[-1].end, city, ambiguous, position,
                ))
                matched = len(key)
                break
        position += matched or 1
    return result


def lookup(name: str) -> City | None:
    """The city whose name (in any case form) is exactly this text, or None."""
    name = name.strip()
    found = mentions(name)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(name):
        return found[0].city
    return None


_one_word: dict[str, str] | None = None


def _one_word_spellings() -> dict[str, str]:
    """Every one-word spelling (case forms included) → its zone; spellings shared by zones left out."""
    global _one_word
    if _one_word is None:
        found: dict[str, str | None] = {}
        for entries in index().values():
            for key, city, ambiguous in entries:
                if len(key) == 1 and not ambiguous and len(key[0]) >= 5:
                    zone = found.get(key[0], city.zone)
                    found[key[0]] = city.zone if zone == city.zone else None
        _one_word = {spelling: zone for spelling, zone in found.items() if zone is not None}
    return _one_word


def misspelt_city(word: str) -> str | None:
    """The zone of the one city a word is a single typo away from ("Sydeny", "Екатеренбурге")."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    key = fold(word)
    spellings = _one_word_spellings()
    if len(key) < 6 or key in spellings:
        return None
    close = process.extract(key, spellings.keys(), scorer=OSA.distance, score_cutoff=1, limit=5)
    zones = {spellings[spelling] for spelling, _, _ in close}
    return zones.pop() if len(zones) == 1 else None
