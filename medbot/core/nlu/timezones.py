"""Time zones in free Russian/English text: offsets, IANA names and city names.

The result is a stored zone string (see medbot.core.tz): an IANA name whenever the text names a place
or a zone (DST-correct), a fixed "+HH:MM" only when the person gave an offset. A wrong zone
moves every reminder, so the recogniser would rather miss than guess: a bare number is an offset
only with a sign and not before a unit ("+5 таблеток", "-5 градусов"), and a city name that is
also an ordinary word ("Находка", "Nice") counts only in a city context.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from medbot.core.nlu import cities
from medbot.core.nlu.case_blind import case_blind
from medbot.core.tz import MAX_OFFSET_MINUTES, iana_names, offset_name

MIN_OFFSET_MINUTES = -12 * 60
MOSCOW_OFFSET_MINUTES = 3 * 60  # Moscow has kept UTC+3 all year since 2014
MOSCOW = "Europe/Moscow"
ALLOWED_MINUTES = frozenset({0, 30, 45})


@dataclass(frozen=True)
class ZoneMatch:
    start: int
    end: int
    zone: str


@dataclass(frozen=True)
class _Candidate(ZoneMatch):
    fixed: bool = False
    """A fixed offset: loses to a place or IANA name elsewhere in the text (those know DST)."""


# --- offsets ----------------------------------------------------------------------------------

_SIGN = r"(?:(?P<sign>[+\-\u2212\u2013])|(?P<sign_word>плюс|минус|plus|minus)\s*)"
_NUMBER = r"(?P<hours>\d{1,2})(?:[:.]?(?P<minutes>\d{2})|[.,](?P<fraction>5|75))?(?![\d])"
_UTC = r"utc|gmt|по\s+гринвичу|гринвич"
_MSK = (  # "Москва +4" is how Russians write MSK+4; "Москва, +3" stays a city and an offset
    r"мск|msk|moscow(?:\s+time)?|москва|по\s+москве|от\s+москвы|московское(?:\s+время)?"
    r"|(?:по\s+)?московскому\s+времени"
)
_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"

_PREFIXED = case_blind(
    rf"{_LETTER_BEFORE}(?:(?P<utc>{_UTC})|(?P<msk>{_MSK})){_LETTER_AFTER}\s*{_SIGN}\s*{_NUMBER}",
)
_ALONE = case_blind(
    rf"{_LETTER_BEFORE}(?:(?P<utc>utc|gmt|по\s+гринвичу)|(?P<msk>мск|msk)){_LETTER_AFTER}"
    r"(?!\s*(?:[+\-\u2212\u2013\d]|плюс|минус|plus|minus))",  # "UTC 5", "UTC+": unclear
)
# "+4 к Москве", "+4 часа от мск": an offset from Moscow time.
_FROM_MOSCOW = case_blind(
    rf"(?<![\w+\-\u2212.,:/]){_SIGN}\s*{_NUMBER}\s*(?:ч\.?|час(?:а|ов)?|h|hours?)?\s*"
    r"(?:к|от|по|относительно|to|from)\s+(?:мск|msk|москв[еыа]|moscow|московскому(?:\s+времени)?)"
    rf"{_LETTER_AFTER}",
)
# "часовой пояс плюс 5": a spelled-out sign counts after a word that announces a zone.
_ANNOUNCED = case_blind(
    rf"{_LETTER_BEFORE}(?:пояс|зона|zone|timezone)(?:\s+(?:на|to))?[\s:=]*"
    rf"(?P<sign_word>плюс|минус|plus|minus)\s*{_NUMBER}",
)
# A signed number on its own: "+5", "-3", "+05:30" (not "омега-3", "10-12", "+7 999 ...").
_BARE = re.compile(
    r"(?<![\w+\-\u2212.,:/])(?P<sign>[+\-\u2212])(?P<hours>\d{1,2})"
    r"(?:[:.]?(?P<minutes>\d{2})|[.,](?P<fraction>5|75))?(?![\d:.,]?\d)(?![%°])"
    r"(?!\s*\(?\d)(?P<after>\s*[^\W\d_]*)",
)
_UNIT_WORDS = frozenset({
    "г", "гр", "л", "ч", "м", "с", "р", "g", "h", "l", "m", "s", "x", "х", "мг", "мкг", "мл",
    "ед", "ме", "кг", "см", "мм", "шт", "mg", "mcg", "ml", "iu", "kg", "cm", "mm", "hr", "hrs",
    "ккал", "kcal", "лет", "год", "года", "сут", "pcs",
})
_UNIT_PREFIXES = (
    "грам", "килогр", "миллиг", "микрог", "литр", "милли", "таблет", "табл", "капсул", "капл",
    "капел", "ложк", "ложе", "доз", "пакет", "саше", "ампул", "укол", "инъекц", "впрыс", "вдох",
    "пшик", "спре", "свеч", "порош", "градус", "процент", "раз", "час", "минут", "мин", "секунд",
    "сек", "дн", "ден", "сутк", "недел", "месяц", "году", "годам", "рубл", "балл", "пункт",
    "единиц", "штук", "кило", "калор", "этаж", "человек", "pill", "tab", "capsule", "cap", "drop",
    "puff", "spray", "unit", "gram", "milligram", "microgram", "liter", "litre", "dose", "degree",
    "percent", "time", "hour", "minute", "min", "sec", "day", "week", "month", "year", "kilo",
    "point", "people", "person", "piece",
)


def _offset_minutes(match: re.Match[str]) -> int | None:
    """Signed minutes east of the reference, or None unless whole hours, :30 or :45."""
    hours = int(match.group("hours"))
    fraction = match.groupdict().get("fraction")
    if match.group("minutes") is not None:
        minutes = int(match.group("minutes"))
    else:
        minutes = {"5": 30, "75": 45}.get(fraction or "", 0)
    if minutes not in ALLOWED_MINUTES or hours > 14:
        return None
    sign = match.groupdict().get("sign")
    sign_word = (match.groupdict().get("sign_word") or "").lower()
    negative = sign in ("-", "\u2212", "\u2013") or sign_word in ("минус", "minus")
    total = hours * 60 + minutes
    return -total if negative else total


def _offset_candidate(start: int, end: int, minutes: int | None) -> _Candidate | None:
    if minutes is None or not MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        return None
    return _Candidate(start, end, offset_name(minutes), fixed=True)


def _is_unit(word: str) -> bool:
    word = cities.fold(word)
    return word in _UNIT_WORDS or word.startswith(_UNIT_PREFIXES)


def _offsets(text: str) -> list[_Candidate]:
    found: list[_Candidate | None] = []
    for match in _PREFIXED.finditer(text):
        minutes = _offset_minutes(match)
        if minutes is not None and match.group("msk"):
            minutes += MOSCOW_OFFSET_MINUTES
        found.append(_offset_candidate(match.start(), match.end(), minutes))
    for match in _FROM_MOSCOW.finditer(text):
        minutes = _offset_minutes(match)
        moscow = None if minutes is None else minutes + MOSCOW_OFFSET_MINUTES
        found.append(_offset_candidate(match.start(), match.end(), moscow))
    for match in _ANNOUNCED.finditer(text):
        minutes = _offset_minutes(match)
        found.append(_offset_candidate(match.start("sign_word"), match.end(), minutes))
    for match in _ALONE.finditer(text):
        found.append(_Candidate(match.start(), match.end(),
                                MOSCOW if match.group("msk") else "UTC", fixed=False))
    for match in _BARE.finditer(text):
        if _is_unit(match.group("after").strip()):
            continue
        number_end = max(match.end("hours"), match.end("minutes"), match.end("fraction"))
        found.append(_offset_candidate(match.start(), number_end, _offset_minutes(match)))
    return [candidate for candidate in found if candidate is not None]


# --- IANA names ---------------------------------------------------------------------------------

_IANA_SEPARATOR = re.compile(r"[\s_]+|\s*/\s*")
_IANA_PIECE = re.compile(r"[A-Za-z0-9+\-']+")
_IANA_MAX_PIECES = 4
_ABBREVIATIONS = {  # upper case only: what people mean by them, with DST
    "EST": "America/New_York", "EDT": "America/New_York",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin",
}
_ABBREVIATION = re.compile(r"(?<![\w/])(" + "|".join(_ABBREVIATIONS) + r")(?![\w/+\-])")


def _iana_key(text: str) -> str:
    """"America/New_York", "america/new york", "America/NewYork" → one key."""
    lowered = text.lower().replace("_", "").replace(" ", "")
    return re.sub(r"(?<=[a-z])-(?=[a-z])", "", lowered)


def _build_iana() -> tuple[dict[str, str], re.Pattern[str]]:
    names = sorted(name for name in iana_names() if "/" in name)
    by_key = {_iana_key(name): name for name in names}
    areas = sorted({name.split("/")[0] for name in names}, key=len, reverse=True)
    area = re.compile(r"(?<![\w/])(" + "|".join(areas) + r")\s*/\s*", re.IGNORECASE)
    return by_key, area


_IANA_BY_KEY, _IANA_AREA = _build_iana()


def _iana(text: str) -> list[_Candidate]:
    found = []
    for area in _IANA_AREA.finditer(text):
        pieces: list[tuple[str, int]] = []  # (key so far, end) after each piece
        key, position = _iana_key(area.group(1)) + "/", area.end()
        while len(pieces) < _IANA_MAX_PIECES:
            piece = _IANA_PIECE.match(text, position)
            if piece is None:
                break
            key += _iana_key(piece.group())
            pieces.append((key, piece.end()))
            separator = _IANA_SEPARATOR.match(text, piece.end())
            if separator is None:
                break
            key += "/" if "/" in separator.group() else ""
            position = separator.end()
        for key, end in reversed(pieces):
            name = _IANA_BY_KEY.get(key)
            if name is not None:
                found.append(_Candidate(area.start(), end, name, fixed=False))
                break
    for match in _ABBREVIATION.finditer(text):
        found.append(_Candidate(match.start(), match.end(), _ABBREVIATIONS[match.group()]))
    return found


# --- cities -----------------------------------------------------------------------------------

_CITY_WORDS = frozenset({
    "город", "города", "городе", "городом", "городу", "г", "гор", "city", "town",
})
_PLACE_PREPOSITIONS = frozenset({
    "в", "во", "из", "изо", "на", "до", "под", "около", "возле", "близ", "над", "через",
    "in", "to", "from", "at", "near", "around", "into",
})
# What may surround a zone in a text that is "just a zone": "в Иркутске", "город Омск".
_FILLER_WORDS = _CITY_WORDS | frozenset({
    "в", "во", "на", "из", "по", "in", "to", "at", "from",
    "часовой", "пояс", "time", "zone", "timezone",
})
_NOT_TEXT = re.compile(r"[\W_]*")
_DIGIT = re.compile(r"\d")


_WORD_GAP = re.compile(r"[\s.]+")


def _words_before(text_words: list[cities.Word], start: int) -> list[cities.Word]:
    return text_words[:bisect.bisect_right(text_words, start, key=lambda word: word.end)]


def _word_before(text: str, text_words: list[cities.Word], start: int) -> str | None:
    """The word right before a position, if only spaces (or "г.") lie between them."""
    before = _words_before(text_words, start)
    if not before or _WORD_GAP.fullmatch(text, before[-1].end, start) is None:
        return None
    return before[-1].key


def _only_filler(
    text: str, text_words: list[cities.Word], start: int, end: int, fillers: frozenset[str]
) -> bool:
    """Is everything outside [start, end) punctuation or filler words ("город", "в")?"""
    if _NOT_TEXT.fullmatch(text, end) is None or _DIGIT.search(text, 0, start):
        return False
    return all(word.key in fillers for word in _words_before(text_words, start))


def _in_city_context(
    text: str, text_words: list[cities.Word], mention: cities.CityMention
) -> bool:
    """An ambiguous name counts only when it is all the text says ("Находка", "город Находка"),
    after "город", or after a place preposition when written with a capital ("в Находке",
    "in Nice"; "в вену" is about a vein)."""
    if _only_filler(text, text_words, mention.start, mention.end, _CITY_WORDS):
        return True
    previous = _word_before(text, text_words, mention.start)
    if previous in _CITY_WORDS:
        return True
    return previous in _PLACE_PREPOSITIONS and text[mention.start].isupper()


def _cities(text: str, text_words: list[cities.Word]) -> list[_Candidate]:
    return [
        _Candidate(mention.start, mention.end, mention.city.zone, fixed=False)
        for mention in cities.mentions(text, text_words)
        if not mention.ambiguous or _in_city_context(text, text_words, mention)
    ]


# --- choosing ----------------------------------------------------------------------------------

# A zone right after these is the one being left: "из Москвы в Новосибирск", "с +3 на +5".
_SOURCE_WORDS = frozenset({"из", "изо", "с", "со", "вместо", "from", "не", "not"})


def _candidates(text: str) -> tuple[list[_Candidate], list[cities.Word]]:
    text_words = cities.words(text)
    found = _offsets(text) + _iana(text) + _cities(text, text_words)
    found.sort(key=lambda candidate: (candidate.start, -candidate.end))
    kept: list[_Candidate] = []
    for candidate in found:  # leftmost-longest: "Москва +4" beats "Москва" inside it
        if not kept or candidate.start >= kept[-1].end:
            kept.append(candidate)
    return kept, text_words


def _best(text: str) -> _Candidate | None:
    kept, text_words = _candidates(text)
    if not kept:
        return None

    def rank(candidate: _Candidate) -> tuple[bool, bool, int]:
        source = _word_before(text, text_words, candidate.start) in _SOURCE_WORDS
        return source, candidate.fixed, candidate.start

    return min(kept, key=rank)


def find_timezone(text: str) -> ZoneMatch | None:
    """The time zone a message names, or None.

    A zone the person moves away from ("из Москвы") loses to the other one; a place (DST-correct)
    beats a fixed offset given with it ("Нью-Йорк, UTC-5" → America/New_York).
    """
    if not isinstance(text, str) or not text:
        return None
    best = _best(text)
    if best is None:
        return None
    return ZoneMatch(best.start, best.end, best.zone)


def parse_zone(text: str) -> str | None:
    """The zone when the whole text is just a zone ("+5", "Иркутск", "UTC+5:30", "в Иркутске")."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped:
        return None
    kept, text_words = _candidates(stripped)
    for candidate in kept:
        if _only_filler(stripped, text_words, candidate.start, candidate.end, _FILLER_WORDS):
            return candidate.zone
    return None
