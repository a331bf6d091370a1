"""Medication names: the dictionary form people expect to see, and a key to match on.

"аскорбиновую кислоту" → "аскорбиновая кислота", "рыбьего жира" → "рыбий жир", "капель для глаз"
→ "капли для глаз", "цетиризина" → "цетиризин". A name is a noun phrase: adjectives, then the
head noun, then words that depend on it ("для глаз", "B12"), which are kept as written. The
head goes to the nominative (keeping its number), adjectives agree with it. Drug names the
dictionary does not know are treated as masculine nouns when their ending says so, and are
otherwise kept as written rather than damaged by a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pymorphy3.analyzer import Parse

from medbot.core.commands import MedName
from medbot.core.nlu.lexicon import ENGLISH_VERBS, MED_SUFFIXES, MED_WORDS, NON_MED_WORDS
from medbot.core.nlu.normalize import Token, clean, fold, script_of, tokenize
from medbot.core.nlu.russian_words import is_known, is_russian
from medbot.core.nlu.russian_words import readings as russian_readings

_PLURAL_NAMES = frozenset({"капля", "таблетка", "свеча", "капсула", "витамины"})
"""Head nouns a medication is usually named with in the plural ("капли для глаз")."""

_MED_LEMMAS = frozenset({
    "капля", "таблетка", "капсула", "свеча", "спрей", "сироп", "мазь", "крем", "гель", "раствор", "масло",
    "порошок", "омега", "кислота", "витамин", "жир", "уголь", "железо", "настойка", "отвар", "пластырь", "драже",
})
"""Nouns that name medications: preferred over a rarer reading ("капель" is also "dripping")."""

_IRREGULAR: dict[str, str] = {
    "но-шпу": "но-шпа", "но-шпы": "но-шпа", "но-шпой": "но-шпа", "но-шпе": "но-шпа",
    "ношпу": "ношпа", "ношпы": "ношпа", "ношпой": "ношпа", "магне": "магне",
}
_VOWELS = frozenset("аеёиоуыэюя")
_CONSONANT_CLUSTERS = ("кс", "кт", "нт", "ст", "рт", "рм", "рд", "нд", "мп", "лт", "рс", "фт", "пт")
"""Masculine stems ending in two consonants ("эутирокс"); "-лк"/"-рк" are left out: "-лка" is feminine."""
_DIGIT_SUFFIX = re.compile(r"-?[0-9]+$")
_VERBAL = frozenset({"VERB", "INFN", "GRND", "PRTS"})
_MODIFIERS = frozenset({"ADJF", "PRTF"})
_PERSON_NAME = frozenset({"Name", "Surn", "Patr"})
"""pymorphy3 guesses unknown drug names to be surnames ("цетиризин"): such readings are ignored."""
_FUNCTION_POS = frozenset({"ADVB", "NPRO", "CONJ", "PRCL", "PRED", "INTJ", "COMP"})


def _cased_like(original: str, new: str) -> str:
    """`new` in the casing of `original` ("АСПИРИНА" → "АСПИРИН", "Аспирина" → "Аспирин")."""
    if original == new:
        return new
    if len(original) > 1 and original.isupper():
        return new.upper()
    prefix = 0
    while prefix < min(len(original), len(new)) and original[prefix].lower() == new[prefix].lower():
        prefix += 1
    cased = original[:prefix] + new[prefix:].lower()
    if "ё" not in original.lower():
        cased = cased.replace("ё", "е").replace("Ё", "Е")
    return cased


_MASCULINE_DRUG_ENDINGS = ("ин", "ол", "ам", "ид", "ат", "он", "ен", "ил", "екс", "окс", "ум", "ус", "ан", "ир", "ет",
                           "ит", "ал", "ак", "ор", "ер", "ур", "ев", "ов", "ег", "ед", "оз", "из", "ем", "им", "ом",
                           "ел", "ек", "ик", "ок", "ун", "ес", "ис", "ос", "ас", "ул", "ль", "ф", "ав", "ап", "ит")
"""("-аз" is not among them: "нольпазу", "лидазу" are feminine.)"""
"""Endings of masculine drug names: "аспирина" is the genitive of "аспирин", "смекта" is itself."""


def _known_medication_form(word: str) -> str | None:
    """The nominative of a case form when exactly one candidate is a medication we know."""
    if word in MED_WORDS:
        return word
    found = {candidate for ending in ("а", "у", "е", "ом", "ой", "ы", "и", "ю", "я", "ем")
             if word.endswith(ending) and len(word) - len(ending) >= 3
             for candidate in (word[: -len(ending)], word[: -len(ending)] + "а", word[: -len(ending)] + "я",
                               word[: -len(ending)] + "й", word[: -len(ending)] + "ь")
             if candidate in MED_WORDS}
    return found.pop() if len(found) == 1 else None


def nominative_unsure(words: Sequence[Token], accusative: bool = False) -> bool:
    """A name whose head is an unknown Russian word with an ending that does not tell its
    nominative: "Мирцера" may be a feminine brand or a masculine one's genitive ("Элигарда" of
    "Элигард"), "Ксгеву" a feminine one's accusative or a masculine one's dative, "нормазе" an
    indeclinable brand or a prepositional. Only a medication we know, or
    a dosage before it (after which a name is a genitive), settles it. `accusative`: the name is
    what is being added, so "-у" is in doubt too (after "про" it is a plain feminine accusative)."""
    word = words[_head_at(words)].low
    if (len(word) < 5 or not word.endswith(("а", "е", "у") if accusative else ("а", "е")) or word[-2] in _VOWELS or word[-2] in "йьъ-"
            or not is_russian(word) or word in _IRREGULAR or _known_medication_form(word) is not None):
        return False
    if is_known(word):  # "концерта": an everyday word's genitive ("концерт"), or the brand Концерта?
        readings = _noun_readings(word)
        return len(words) == 1 and bool(readings) and not any(r.tag.case == "nomn" for r in readings) and all(
            r.normal_form not in _MED_LEMMAS for r in readings)
    return True


def _genitive_base(word: str) -> str | None:
    """The nominative of an unknown name in the genitive ("полторы таблетки глюкофажа"):
    "-а" is a masculine ending there ("глюкофаж"), "-ы"/"-и" a feminine one ("ношпы" → "ношпа")."""
    base = word[:-1]
    if len(base) < 3 or base[-1] in _VOWELS or base[-1] in "йьъ-":
        return None
    if word.endswith("а"):
        return base
    if word.endswith("ы") or (word.endswith("и") and base[-1] in "кгхжшчщ"):
        return base + "а"
    return None


def _unknown_base(word: str, genitive: bool = False) -> str:
    """The nominative of a drug name the dictionary does not know: "цетиризина" → "цетиризин".

    A consonant stem that ends like a masculine noun ("-ин", "-ол", "-кс") loses a masculine
    case ending ("-а", "-у", "-е", "-ом"); other stems take feminine ones back to "-а"
    ("ринзу" → "ринза"); "спрея" → "спрей". Anything else is kept as written.
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    known = _known_medication_form(word)
    if known is not None:
        return known  # "ярину" → "ярина", "ибупрофену" → "ибупрофен": the form a medication list has
    if genitive:
        found = _genitive_base(word)
        if found is not None:
            return found
    for ending in ("ом", "ой", "ем", "а", "у", "ы", "е", "я", "ю"):
        if not word.endswith(ending):
            continue
        base = word[: -len(ending)]
        if len(base) < 3 or base[-1] in "йьъ-":
            return word
        if base[-1] in _VOWELS:
            return base + "й" if ending in ("я", "ю", "е", "ем") else word
        masculine = base[-2] in _VOWELS or base.endswith(_CONSONANT_CLUSTERS)
        if ending in ("а", "у") and not base.endswith(_MASCULINE_DRUG_ENDINGS):
            # "смекта", "нольпазу": a feminine brand ("-у" is a feminine accusative; a masculine name
            # in "-а" is a genitive and ends like "-ин", "-ол", "-ат")
            return base + "а"
        if masculine and ending in ("ом", "а", "у", "е"):
            return base
        if not masculine and ending in ("ой", "у", "ы", "е"):
            return base + "а"
        return word
    return word


def _unknown_gender(base: str) -> tuple[str, str] | None:
    """(number, gender) of a head the dictionary does not know, for adjectives to agree with."""
    if base[-1] not in _VOWELS:
        return "sing", "masc"
    if base.endswith("а"):
        return "sing", "femn"
    return None


@lru_cache(maxsize=1 << 14)
def _noun_readings(word: str) -> tuple[Parse, ...]:
    """Noun readings, only the medical ones when there are any ("капель" → капля, not капель)."""
    readings = tuple(p for p in russian_readings(word) if p.tag.POS == "NOUN" and not _PERSON_NAME & p.tag.grammemes)
    medical = tuple(p for p in readings if p.normal_form in _MED_LEMMAS)
    return medical or readings


@lru_cache(maxsize=1 << 14)
def _head_reading(word: str, genitive: bool = False) -> tuple[str, Parse | None]:
    """(nominative form, the reading it came from) for the head noun of a name."""
    if word in _IRREGULAR or not is_known(word):
        return _unknown_base(word, genitive), None
    readings = _noun_readings(word)
    if not readings:
        return _unknown_base(word, genitive), None  # "ярину": only a person's name to the dictionary
    plural_first = readings[0].normal_form in _PLURAL_NAMES
    for number in (("plur", "sing") if plural_first else ("sing", "plur")):
        for reading in readings:
            if reading.tag.number == number and reading.tag.case == "nomn":
                return word, reading
        for reading in readings:
            if reading.tag.number == number:
                inflected = reading.inflect({"nomn", number})
                if inflected is not None:
                    return inflected.word, inflected
    return word, readings[0]


@lru_cache(maxsize=1 << 14)
def _agreeing(word: str, agreement: tuple[str, str | None] | None) -> str:
    """An adjective before the head in the head's number, gender and the nominative."""
    if agreement is None:
        return word
    number, gender = agreement
    for reading in russian_readings(word):
        if reading.tag.POS not in _MODIFIERS:
            continue
        wanted = {"nomn", number}
        if number != "plur" and gender:
            wanted.add(gender)
        inflected = reading.inflect(wanted)
        if inflected is not None:
            return inflected.word
    return word


@lru_cache(maxsize=1 << 14)
def _is_modifier(word: str) -> bool:
    readings = russian_readings(word)
    if not readings or readings[0].tag.POS not in _MODIFIERS:
        return False
    return is_known(word) or word.endswith(_ADJECTIVE_ENDINGS)  # "ибандроновую кислоту": an adjective no dictionary lists


_ADJECTIVE_ENDINGS = ("овую", "евую", "овая", "евая", "овой", "евой", "овый", "евый", "овое", "евое", "овые", "евые")
"""Endings of the adjectives in generic names ("золедроновая кислота"), which no dictionary lists."""


def lemma(word: str) -> str:
    """The dictionary form of one word (nouns preferred); unknown words as they are."""
    return _lemma(word)


@lru_cache(maxsize=1 << 14)
def _lemma(word: str) -> str:
    """The dictionary form of one word for the key (nouns preferred); unknown words as they are."""
    if not is_known(word):
        return russian_readings(word)[0].normal_form if _is_modifier(word) else word  # "ибандроновую" → "ибандроновый"
    readings = russian_readings(word)
    nouns = _noun_readings(word)
    return (nouns[0] if nouns else readings[0]).normal_form


def _split_affixes(word: str) -> tuple[str, str, str]:
    """"l-карнитина" → ("l-", "карнитина", ""), "омеги-3" → ("", "омеги", "-3")."""
    suffix = ""
    digits = _DIGIT_SUFFIX.search(word)
    if digits and digits.start() >= 3:
        word, suffix = word[: digits.start()], digits.group()
    if "-" in word and word not in _IRREGULAR:
        prefix, _, last = word.rpartition("-")
        if len(last) >= 3 and is_russian(last) and not is_russian(prefix):
            return prefix + "-", last, suffix
    return "", word, suffix


def _head_at(words: Sequence[Token]) -> int:
    """The head noun: the first word that is not an adjective in front of another word."""
    for n, token in enumerate(words[:-1]):
        if not _is_modifier(token.low):
            return n
    return len(words) - 1


def _head_forms(head: Token, genitive: bool = False) -> tuple[str, str, tuple[str, str | None] | None]:
    """(display form, key, (number, gender) for adjectives) of the head word."""
    prefix, body, suffix = _split_affixes(head.low)
    if not is_russian(body) or suffix and (not is_known(body) or not _noun_readings(body)):
        return head.text, head.low, None  # "Диане-35": a brand with its number is said as it is written
    form, reading = _head_reading(body, genitive)
    plain = undiminished(form)
    if plain != form:
        form, reading = plain, None  # "валерьяночку" → "валерьянка", "мезимчик" → "мезим"
    written = head.text[len(prefix): len(prefix) + len(body)]
    shown = head.text[: len(prefix)] + _cased_like(written, form) + head.text[len(head.text) - len(suffix):]
    if reading is None:
        return shown, prefix + fold(form) + suffix, _unknown_gender(form)
    return shown, prefix + fold(reading.normal_form) + suffix, (reading.tag.number or "sing", reading.tag.gender)


_DIMINUTIVE = (("очка", "ка"), ("ечка", "ка"), ("очки", "ки"), ("очка", "а"), ("ечка", "а"), ("онька", "а"),
               ("енька", "а"), ("чик", ""), ("ик", ""), ("ка", ""), ("ок", ""))


def undiminished(word: str) -> str:
    """The medication a pet name stands for, when the vocabulary knows it ("мезимчик" → "мезим")."""
    low = fold(word)
    if low in MED_WORDS:
        return word
    for ending, plain in _DIMINUTIVE:
        base = low[: -len(ending)] + plain
        if low.endswith(ending) and len(base) >= 4 and base in MED_WORDS:
            return base
    return word


def dictionary_form(words: Sequence[Token], text: str, genitive: bool = False) -> MedName:
    """The display name and matching key of a name given as (non-empty) tokens of `text`;
    `genitive`: the name follows a dosage ("таблетки глюкофажа"), so it is in the genitive."""
    head_at = _head_at(words)
    head_shown, head_key, agreement = _head_forms(words[head_at], genitive)
    shown: list[str] = []
    keys: list[str] = []
    for n, token in enumerate(words):
        if n == head_at:
            shown.append(head_shown)
            keys.append(head_key)
            continue
        adjective = _agreeing(token.low, agreement) if n < head_at else token.low
        shown.append(_cased_like(token.text, adjective) if adjective != token.low else token.text)
        keys.append(fold(_lemma(token.low)))
    return MedName(name=_joined(words, shown, text), key=_joined(words, keys, text))


def _joined(words: Sequence[Token], parts: Sequence[str], text: str) -> str:
    """Parts joined the way their tokens were: "5-HTP" stays "5-HTP", other gaps become one space."""
    out = [parts[0]] if parts else []
    for n in range(1, len(parts)):
        out.append("-" if text[words[n - 1].end:words[n].start] == "-" else " ")
        out.append(parts[n])
    return "".join(out)


def med_name(raw: str) -> MedName:
    """A MedName from a raw name, in any case form: "аскорбиновую кислоту" → "аскорбиновая кислота".

    The key is the same for every case form and casing of the same name, so the apply rules,
    the LLM path and the parser all match medications through it.
    """
    text = clean(raw)
    words = [t for t in tokenize(text, fold(text)) if t.kind in ("word", "num")]
    if not words:
        stripped = " ".join(text.split())
        return MedName(name=stripped, key=fold(stripped))
    return dictionary_form(words, text)


def _drug_like(word: str) -> bool:
    """A word the dictionary does not know that ends like a drug name ("цетиризин", "nurofen")."""
    base = _unknown_base(word) if is_russian(word) else word
    return len(base) >= 4 and base.endswith(MED_SUFFIXES)


def looks_like_medication(words: Sequence[Token]) -> bool:
    """Whether a name reads as a medication even without a command word around it."""
    for token in words:
        low = token.low
        _, body, _ = _split_affixes(low)
        if low in MED_WORDS or body in MED_WORDS or _lemma(body) in MED_WORDS:
            return True
        if any(ch.isdigit() for ch in low) and any(ch.isalpha() for ch in low):
            return True  # "B12", "Омега-3", "Q10"
        if is_russian(body) and not is_known(body) and _drug_like(body):
            return True
        if script_of(low) == "en" and _drug_like(low) and low not in NON_MED_WORDS and not is_english_word(low):
            return True  # "nurofen"; "school", "control", "plan" end like one and are words of the language
    return False


def is_everyday_thing(words: Sequence[Token]) -> bool:
    """"кофе", "душ", "the bus": what else people take or drink at a time."""
    return any(t.low in NON_MED_WORDS or _lemma(t.low) in NON_MED_WORDS for t in words)


_ENGLISH_FUNCTION_WORDS = frozenset({
    "i", "he", "she", "we", "they", "it", "you", "me", "him", "them", "us", "his", "their", "our", "your", "this",
    "that", "these", "those", "is", "are", "was", "were", "be", "been", "am", "does", "did", "has", "have", "had",
    "will", "would", "should", "could", "might", "must", "needs", "wants", "which", "who", "because", "so",
})
"""Pronouns and auxiliaries: "She needs Adcal-D3" is a sentence, not a name."""


def has_function_word(words: Sequence[Token]) -> bool:
    """Pronouns, adverbs, conjunctions: "аспирин который", "врач вчера", "she needs" are not names."""
    for token in words:
        low = token.low
        if low in _ENGLISH_FUNCTION_WORDS:
            return True
        if len(low) > 2 and is_russian(low) and is_known(low) and low not in MED_WORDS:
            top = russian_readings(low)[0]
            if top.tag.POS in _FUNCTION_POS or "Apro" in top.tag.grammemes:
                return True
    return False


def has_verb(words: Sequence[Token]) -> bool:
    """A verb inside a name means the words are not a name ("позвонить маме", "call mom")."""
    for token in words:
        low = token.low
        if low in ENGLISH_VERBS:
            return True
        if is_russian(low) and is_known(low) and low not in MED_WORDS:
            top = russian_readings(low)[0]
            if top.tag.POS in _VERBAL and not _noun_readings(low):
                return True
    return False


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2"], lower=True, alpha=True))


@lru_cache(maxsize=1 << 14)
def plain_word(word: str) -> bool:
    """A word of the language (Russian or English) that no medication is called."""
    if word in MED_WORDS:
        return False
    return is_english_word(word) if word.isascii() else is_known(word)


def is_english_word(word: str) -> bool:
    """A word of an English dictionary (plurals and "-ed" forms included): not gibberish."""
    words = _english_words()
    if word in words:
        return True
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("lled", "l"), ("ing", ""),
                         ("ing", "e"), ("lling", "l")):
        if word.endswith(suffix) and word[: -len(suffix)] + repl in words:
            return True
    for suffix in ("ed", "ing"):  # "swapped", "stopping": the consonant doubled
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem[-1] == stem[-2] and stem[:-1] in words:
            return True
    return False
