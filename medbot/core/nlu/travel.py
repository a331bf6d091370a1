"""A message that only says where the person now is: "прилетела в Иркутск", "в Праге на неделю",
"я в Израиле у внуков, в Хайфе", "Сын забрал меня в Иркутск".

Every word around the place must be a word of travel, of company, of time or another place;
anything else (a medication, a time of day, a verb we do not know) and the message is not a move.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from medbot.core.nlu.cities import misspelt_city
from medbot.core.nlu.names import plain_word
from medbot.core.nlu.normalize import Token
from medbot.core.nlu.reading import TZ_FILLER, Reading
from medbot.core.nlu.schedule_typos import sounds_like_schedule
from medbot.core.nlu.timezones import ZoneMatch, find_timezone

_COMPANY = re.compile(
    r"(?:сын|доч|внук|внуч|мам|пап|сестр|брат|друз|друг|подруг|дет|родн|родител|муж|жен|т[её]т|дяд|бабушк|баб|"
    r"дед|семь|коллег|son|daughter|grand|mom|mum|dad|sister|brother|friend|kid|famil|parent|husband|wife|"
    r"aunt|uncle|colleague)\w*")
_TRAVEL = re.compile(
    r"(?:прилет|приех|улет|уех|верн|переех|перебрал|приземл|прибыл|поселил|живу|живем|живём|гощ|отдых|"
    r"командиров|отпуск|вахт|санатор|поездк|путешеств|курорт|land|arriv|flew|fly|mov|relocat|stay|visit|"
    r"travel|trip|vacation|holiday|conferenc|business|spend|отпуск|санатор|гост|приех|переезж|adjust|work|flown|"
    r"flight|забра|увез|отвез|перевез)\w*")
_SETTING = re.compile(r"(?:постав|установ|выстав|смени|сменить|помен|измени|переключ|перевед|перестав|напомина|set|"
                      r"change|switch|use|adjust|remind|часов|пояс|время|времени|time|zone|timezone|please|"
                      r"пожалуйста|плиз|мск|по|местн|ихн|local)\w*")
_DURATION_FACTS = frozenset({"days", "until", "inclusive", "period", "step_len"})
_TYPO_FREE_LENGTH = 6
_UNTIL = re.compile(r"(?:until|til|till|for|до|на|for the)\s*$")


def travel_zone(r: Reading) -> ZoneMatch | None:
    """The zone of a message that says nothing but where the person is (and for how long)."""
    if r.doses or r.routine:
        return None
    if any(set(hit.facts) - _DURATION_FACTS for hit in r.rules.hits):
        return None  # "в Праге по средам": a schedule, not a trip
    zone = r.find_zone() or _misspelt_place(r)
    if zone is None:
        return None
    if any(not zone.start <= r.tokens[hit.start].start < zone.end for hit in r.times):
        return None  # a clock time beside the place ("+05:30" is the place itself)
    if any("step_len" in hit.facts and not _UNTIL.search(r.low[:hit.start]) for hit in r.rules.hits):
        return None  # "flying to Berlin next month": not there yet (but "until next month", "на месяц")
    spans = [(zone.start, zone.end)] + [(hit.start, hit.end) for hit in r.rules.hits]
    words = [t for t in r.tokens if t.kind in ("word", "num", "clock")
             and not any(s < t.end and t.start < e for s, e in spans)]
    moving = any(_TRAVEL.fullmatch(t.low) or _SETTING.fullmatch(t.low) for t in words)
    if _someone_else(words):
        return None  # "сын прилетел в Москву": the son's trip, not the person's
    if _someone_stays(words):
        return None  # "я в командировке в Иркутске, а мама дома": whose clock do the reminders keep?
    for token in words:
        if not _about_the_trip(token.low, zone) and not (moving and _plain(token)):
            return None
    return zone


_ME = frozenset({"я", "мы", "меня", "нас", "мне", "нам", "i", "we", "me", "us", "i'm", "we're", "im", "my", "our"})


def _someone_else(words: list[Token]) -> bool:
    """Someone close is the one who travels, and the person does not say they came too."""
    first_verb = next((n for n, t in enumerate(words) if _TRAVEL.fullmatch(t.low)), None)
    if first_verb is None or any(t.low in _ME for t in words):
        return False
    return any(company_word(t.low) for t in words[:first_verb])


def _someone_stays(words: list[Token]) -> bool:
    """Someone close set against the traveller ("а мама дома", "but mum stays home")."""
    return any(word.low in _BUT and any(company_word(t.low) for t in words[n + 1:n + 3])
               for n, word in enumerate(words))


_BUT = frozenset({"а", "но", "but", "while", "whereas"})


def _plain(token: Token) -> bool:
    """Beside a word of travel, any word of the language that names no medication and no time:
    "прилетела в Омск к сестре на юбилей", "we have arrived safely in London"."""
    low = token.low
    if token.kind != "word":
        return token.kind == "num"
    return not sounds_like_schedule(low) and plain_word(low)


_INTO = frozenset({"в", "во", "in", "to", "into", "at"})


def _misspelt_place(r: Reading) -> ZoneMatch | None:
    """"Im in Sydeny", "я теперь в Екатеренбурге": a city one typo away, right after "в" / "in"."""
    for previous, token in zip(r.tokens, r.tokens[1:]):
        if previous.low in _INTO and token.kind == "word" and not plain_word(token.low):
            zone = misspelt_city(token.text)
            if zone is not None:
                return ZoneMatch(token.start, token.end, zone)
    return None


def company_word(word: str) -> bool:
    """The people around the person: "сын", "дочке", "grandkids"."""
    return _COMPANY.fullmatch(word) is not None


def _about_the_trip(word: str, zone: ZoneMatch) -> bool:
    if word in TZ_FILLER or any(p.fullmatch(word) for p in (_COMPANY, _TRAVEL, _SETTING)):
        return True
    if len(word) >= _TYPO_FREE_LENGTH and any(
            OSA.distance(word, known) <= 1 for known in TZ_FILLER if len(known) >= _TYPO_FREE_LENGTH):
        return True  # "прилител"
    other = find_timezone(word)  # "в Турции, в Анталье": the same place named twice; two places: ask
    return other is not None and other.start == 0 and other.zone == zone.zone
