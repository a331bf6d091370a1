"""One message read into pieces: cues, schedule phrases, dosages, times, a zone and name chunks.

Each layer claims the tokens it understands, in order: schedule phrases and command words
first, then dosages (so "200 мг" is never an hour), times and time zones. What nobody claimed,
between separators, are the medication names (`Chunk`s), kept with every piece in the order
written (`Reading.events`) for grouping an add. Also here: the checks on a name chunk (a verb
in it, a stray number, a word about days, a word no medication vocabulary explains).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from medbot.core.commands import MedName
from medbot.core.nlu.asides import without_asides
from medbot.core.nlu.day_ordinals import with_day_ordinals_as_digits
from medbot.core.nlu.dosage import (
    DoseHit,
    find_doses,
    format_amount,
    is_bare_amount,
    is_dosage_form,
    is_oblique_dosage_form,
)
from medbot.core.nlu.first_dose import first_dose_as_start
from medbot.core.nlu.forms import only_a_form, with_split_names_joined, without_form_words
from medbot.core.nlu.hour_lists import doses_a_day, listed_hours
from medbot.core.nlu.intents import Cue, find_cues
from medbot.core.nlu.lexicon import GENERIC_WORDS, MED_WORDS, NAME_CONTEXT_WORDS, SEPARATOR_WORDS, SLIP_WORDS, STOP_WORDS
from medbot.core.nlu.measurements import without_readings
from medbot.core.nlu.names import (
    dictionary_form,
    has_function_word,
    has_verb,
    is_english_word,
    lemma,
    looks_like_medication,
    med_name,
    nominative_unsure,
)
from medbot.core.nlu.normalize import (
    Token,
    clean,
    fold,
    majority_language,
    relative_to_noon,
    spelled_out,
    spoken_offsets,
    tokenize,
    unglued,
    without_filler,
)
from medbot.core.nlu.numbers import cardinal
from medbot.core.nlu.old_rule import without_the_old_rule
from medbot.core.nlu.routine import routine_cues, routine_phrases
from medbot.core.nlu.routine import within_day as _within_day
from medbot.core.nlu.russian_words import is_known
from medbot.core.nlu.rx_shorthand import written_out
from medbot.core.nlu.same_time import same_time_spelled
from medbot.core.nlu.schedule_facts import RuleFacts
from medbot.core.nlu.schedule_patterns import RuleHit, find_rules
from medbot.core.nlu.schedule_typos import sounds_like_schedule
from medbot.core.nlu.second_thoughts import second_thoughts_settled
from medbot.core.nlu.spans import longest_first
from medbot.core.nlu.spoken_counts import with_counts_in_digits
from medbot.core.nlu.strengths import NAME_NUMBER_WORDS
from medbot.core.nlu.strengths import strengths as find_strengths
from medbot.core.nlu.talk import leading_verbs, trailing_verbs, whom_for
from medbot.core.nlu.time_typos import with_time_words_fixed
from medbot.core.nlu.times import PART_OF_DAY_WORDS, TimeHit, find_times
from medbot.core.nlu.timezones import ZoneMatch, find_timezone
from medbot.core.nlu.translit import cyrillic_restored
from medbot.core.nlu.typos import medication_meant, misspelt_word, near_medication
from medbot.core.nlu.ukrainian import in_russian_letters

_PREPOSITIONS = frozenset({"для", "от", "при", "против", "в", "на", "с", "со", "из", "for", "against", "from"})
_NAME_NUMBER_WORDS = NAME_NUMBER_WORDS
TZ_FILLER = frozenset({"я", "теперь", "сейчас", "в", "во", "живу", "нахожусь", "now", "i'm", "im", "i", "am",
                        "in", "город", "city", "мой", "my", "а", "уже", "тут", "здесь", "here"}) | frozenset(
    # travel: "прилетел в Новосибирск", "я в командировке в Екатеринбурге", "just landed in Tokyo"
    """прилетел прилетела прилетели приехал приехала приехали улетел улетела улетели уехал уехала уехали
    вернулся вернулась вернулись переехал переехала переехали домой командировке командировку отдыхе отдыхаю
    отпуске гостях гощу у к сыну дочке дочери внукам внуков сестре сестры брату брата детям маме мамы мы
    наконец вчера сегодня пока на до конца месяца ну вот живем живём находимся и уже
    landed arrived flew moved visiting staying just we we're are currently back home trip business
    vacation holiday to at for this the week daughter son mom kids grandkids sister brother my our
    сели село приземлились приземлился приземлилась работе по вахту вахте командировку командировку
    winter summer month last a with relocated conference зиму лето зимовать командировка отдых on меня
    забрал забрала забрали увез увезла увезли отвез отвезла
    себе к себе буду будем будет побуду поживу поживем поживём пока неделю недели недель месяц месяца
    we've i've they're they've have has had been down up over out there see seeing visit
    wk wks weeks days couple few yesterday today til till until next following end of work следующего
    следующей конца работы работу отпуска перелетел перелетела перелетели долетел долетела долетели доехал доехала
    доехали зоне зона поясе пояс got made""".split())
_MAX_NAME_WORDS = 5
_PRESCRIBED = re.compile(r"\b(?:прописал|назначил|выписал|prescribed)\w*")
""""мне прописали тромбо асс 100": a request to add, said as who prescribed it."""
_SHOT_FORMS = frozenset({"shot", "shots", "injection", "injections", "jab", "jabs", "patch", "patches", "укол", "уколы",
                         "инъекция", "инъекции", "пластырь", "пластыри"})
_NOT_WHEN = frozenset({"marker", "then", "now", "daily", "pause", "stop", "day", "agenda", "agenda_word", "period",
                       "unsure", "course_word", "not_daily", "once_word", "more_days"})
"""Schedule facts that do not say when a medication is taken ("каждый день" leaves "аспирин 9" unclear)."""


@dataclass
class Chunk:
    """Unclaimed words between separators: a medication name, or words nobody understood."""

    tokens: list[Token]
    after_dose: bool = False
    """Written right after a dosage ("полторы таблетки глюкофажа"): a genitive."""
    said: list[Token] = field(default_factory=list)
    """Every word between the separators, before the edges were trimmed ("I would kindly like")."""

    @property
    def whole(self) -> list[Token]:
        return self.said or self.tokens

    @property
    def generic(self) -> bool:
        return all(t.low in GENERIC_WORDS or t.low in STOP_WORDS for t in self.tokens)


@dataclass
class Group:
    """One medication of an add, with the dosage and times written next to it."""

    chunk: Chunk
    dose: DoseHit | None = None
    times: list[TimeHit] = field(default_factory=list)
    routine: list[str] = field(default_factory=list)
    """Parts of the person's day said for it ("после завтрака" → "after_breakfast")."""
    routine_first: bool = False
    times_first: bool = False
    """The times were written before the name ("в 9 аспирин")."""
    rules: list[RuleHit] = field(default_factory=list)
    """Schedule phrases written with this medication ("по средам", "10 дней")."""
    rules_first: bool = False
    """The schedule phrases were written before the name ("через день: витамин д и цинк")."""
    sequence: list[tuple[str, object]] = field(default_factory=list)
    """Dosages and schedule phrases in the order written: a taper's steps are read from it."""


@dataclass
class Reading:
    """Everything found in one message."""

    text: str
    low: str
    tokens: tuple[Token, ...]
    cues: tuple[Cue, ...]
    doses: tuple[DoseHit, ...]
    times: tuple[TimeHit, ...]
    lang: str | None
    chunks: list[Chunk] = field(default_factory=list)
    events: list[tuple[str, object]] = field(default_factory=list)
    """Names, dosages, times and separators in the order written (for grouping an add)."""
    zone: ZoneMatch | None = None
    zone_checked: bool = False
    rules: RuleFacts = field(default_factory=RuleFacts)
    """What the message says about days (weekdays, courses, "as needed", pauses...)."""
    unsure_number: bool = False
    """A bare number read as a strength that might have been an hour ("мемантин 10 утром")."""
    routine: list[tuple[int, str]] = field(default_factory=list)
    """(position, slot) of the parts of the day said instead of a clock time ("после завтрака")."""

    def find_zone(self) -> ZoneMatch | None:
        if not self.zone_checked:
            self.zone, self.zone_checked = find_timezone(self.text), True
        return self.zone

    @property
    def names(self) -> list[Chunk]:
        return [c for c in self.chunks if not c.generic]

    @property
    def bad_time(self) -> bool:
        return any(t.value is None for t in self.times)

    @property
    def relative_time(self) -> bool:
        return any(t.relative for t in self.times)

    def intents(self) -> set[str]:
        return {c.intent for c in self.cues}


def prepared(text: str) -> str:
    """The text as every reader sees it (a free message and an answer to a question alike):
    cleaned, without filler, asides or a rule said to be replaced, misheard words of time and split names put right, "в20"
    split, hours around noon and midnight spelled out."""
    text = first_dose_as_start(with_counts_in_digits(spelled_out(written_out(with_day_ordinals_as_digits(
        without_readings(cyrillic_restored(in_russian_letters(clean(text)))))))))
    text = without_the_old_rule(without_filler(second_thoughts_settled(text)))
    text = same_time_spelled(with_time_words_fixed(without_asides(text)))
    return spoken_offsets(relative_to_noon(unglued(with_split_names_joined(text)), cardinal), cardinal)


def read(text: str) -> Reading | None:
    """Tokens, cues, dosages, times and name chunks of a message (None if it has no words)."""
    cleaned = prepared(text)
    low = fold(cleaned)
    tokens = tokenize(cleaned, low)
    if not any(t.kind in ("word", "num", "clock") for t in tokens):
        return None
    cues, rules = _cues_and_rules(low, tokens)
    role: dict[int, str] = {}
    _claim_spans(tokens, role, ((hit.start, hit.end) for hit in rules), "rule")
    _claim_spans(tokens, role, ((c.start, c.end) for c in cues), "cue")
    for n in range(1, len(tokens)):
        if _vitamin_letter(tokens[n - 1], tokens[n]):
            role[n] = "vitamin"
    doses = find_doses(tokens, frozenset(role))
    for dose in doses:
        role.update((k, "dose") for k in range(dose.start, dose.end))
    times = find_times(tokens, frozenset(role))
    phrases = routine_phrases(cues, low)
    ruled = any(set(hit.facts) - _NOT_WHEN or "daily" in hit.facts for hit in rules) or doses_a_day(low) is not None  # "Glycomet 500 twice", "Xarelto 20 once daily"
    adding = any(c.intent in ("add", "take", "remind") for c in cues) or _PRESCRIBED.search(low) is not None
    strengths, times, unsure_number = find_strengths(tokens, role, times, frozenset(c.start for c, _ in phrases), ruled,
                                                     adding)
    if strengths:
        doses = tuple(sorted((*doses, *strengths), key=lambda hit: hit.start))
        for dose in strengths:
            role.update((k, "dose") for k in range(dose.start, dose.end))  # "два с половиной": every word
    bare = sum(1 for n, t in enumerate(tokens) if t.kind == "num" and n not in role)
    listed = listed_hours(tokens, {**role, **{k: "time" for hit in times for k in range(hit.start, hit.end)}}, low) \
        if bare >= 2 else []
    if listed:
        times = tuple(sorted((*times, *listed), key=lambda hit: hit.start))  # "3 раза в день 8 14 22"
    for hit in times:
        role.update((k, "time") for k in range(hit.start, hit.end))
    lengths = [hit for hit in rules if "days" in hit.facts or "step_len" in hit.facts]
    if doses and (any("then" in hit.facts for hit in rules) or len(lengths) >= 2):
        extra = _taper_amounts(tokens, role, doses, [hit for hit in rules if "then" in hit.facts], bool(lengths))
        doses = tuple(sorted((*doses, *extra), key=lambda hit: hit.start))
    reading = Reading(cleaned, low, tokens, cues, doses, times, majority_language(tokens, low),
                       rules=RuleFacts(list(rules)), unsure_number=unsure_number,
                       routine=routine_cues(phrases, tokens, [(t.start, t.end) for t in times]))
    if any(c.intent == "timezone" for c in cues) or (not doses and _could_be_bare_zone(tokens, role)):
        zone = reading.find_zone()
        if zone is not None:
            _claim_spans(tokens, role, [(zone.start, zone.end)], "zone")
    _collect_names(reading, role)
    return reading


def _cues_and_rules(low: str, tokens: Sequence[Token]) -> tuple[tuple[Cue, ...], tuple[RuleHit, ...]]:
    """Command cues and schedule phrases; where they overlap the longer wins (a tie goes to
    the schedule phrase: "не напоминай в пятницу" is a pause, not a deletion)."""
    cues = find_cues(low, tokens)
    rules = find_rules(low)
    if not rules:
        return cues, rules
    kept = longest_first([*cues, *rules], prefer=lambda item: isinstance(item, RuleHit))
    return (tuple(item for item in kept if isinstance(item, Cue)),
            tuple(item for item in kept if isinstance(item, RuleHit)))


def _taper_amounts(tokens: Sequence[Token], role: dict[int, str], doses: Sequence[DoseHit],
                   thens: Sequence[RuleHit], lengths: bool) -> list[DoseHit]:
    """"...по 4 таблетки, потом по 3, потом по 2": a bare amount after "потом" is the same
    unit as the dosage before it; so is one said with "по" in a message of step lengths ("неделю по
    6 таблеток, неделю по 5"), and a bare strength's next step is bare ("эутирокс 25 две недели,
    потом 50"). Claimed as a dosage; anything else stays unclaimed."""
    found: list[DoseHit] = []
    after_then = {n for n, token in enumerate(tokens) for hit in thens if token.start >= hit.end}
    for n, token in enumerate(tokens):
        with_po = lengths and n > 0 and tokens[n - 1].low == "по" and (n - 1) not in role
        if n in role or not (n in after_then or with_po):
            continue
        amount = token.value if token.kind == "num" else cardinal(token.low)
        if amount is None or (n > 0 and tokens[n - 1].low in PART_OF_DAY_WORDS) or (
                n + 1 < len(tokens) and tokens[n + 1].low in PART_OF_DAY_WORDS):
            continue  # "..., at night 10", "..., 8 morning": an hour said with its part of the day
        before = [dose for dose in (*doses, *found) if dose.start < n]
        if not before:
            continue
        unit = before[-1].text.split(" ", 1)[1] if " " in before[-1].text else None
        if unit is None:
            if not is_bare_amount(before[-1].text) or n not in after_then or token.kind != "num":
                continue
            text = format_amount(amount)  # "эутирокс 25 ..., потом 50": bare, like the strength before it
        else:
            rewritten = find_doses(tokenize(f"{token.text} {unit}", fold(f"{token.text} {unit}")))
            if len(rewritten) != 1:
                continue
            text = rewritten[0].text
        start = n - 1 if n > 0 and n - 1 not in role and tokens[n - 1].low == "по" else n
        found.append(DoseHit(start, n + 1, text, start < n))
        role.update((k, "dose") for k in range(start, n + 1))
    return found


def _claim_spans(tokens: Sequence[Token], role: dict[int, str], spans: Iterable[tuple[int, int]], kind: str) -> None:
    """Mark the tokens that overlap any of the character spans, unless already claimed."""
    spans = list(spans)
    if not spans:
        return
    for n, token in enumerate(tokens):
        if n not in role and any(token.start < end and token.end > start for start, end in spans):
            role[n] = kind


def _could_be_bare_zone(tokens: Sequence[Token], role: dict[int, str]) -> bool:
    """A short message with nothing else in it: "+5", "Красноярск", "я в Москве"."""
    free = [t for n, t in enumerate(tokens) if n not in role and t.kind in ("word", "num", "sym", "clock")]
    return 0 < len(free) <= 6


def _collect_names(reading: Reading, role: dict[int, str]) -> None:
    """Name chunks, stray numbers and the ordered events the add grouping reads."""
    tokens = reading.tokens
    current: list[Token] = []
    events = reading.events
    dose_at = {d.start: d for d in reading.doses}
    time_at = {t.start: t for t in reading.times}
    rule_at = {hit.start: hit for hit in reading.rules.hits}
    routine_at: dict[int, list[str]] = {}
    for position, slot in reading.routine:
        routine_at.setdefault(position, []).append(slot)

    def close() -> None:
        chunk = _trimmed(current)
        after_dose = bool(current) and bool(events) and events[-1][0] == "dose" and _is_counted(events[-1][1])
        current.clear()
        if chunk is not None:
            chunk.after_dose = after_dose
            if after_dose and len(chunk.tokens) >= 2 and chunk.tokens[-1].low in _COUNTED_FORMS:
                chunk.tokens = chunk.tokens[:-1]  # "one Plavix tablet": the count before, its unit after
            reading.chunks.append(chunk)
            if not chunk.generic:
                events.append(("name", chunk))

    for n, token in enumerate(tokens):
        if role.get(n) == "vitamin":
            current.append(token)
            continue
        if n in role:
            close()
            if n in dose_at:
                events.append(("dose", dose_at[n]))
            elif n in time_at:
                events.append(("time", time_at[n]))
            elif role[n] == "rule" and token.start in rule_at:
                events.append(("rule", rule_at[token.start]))
            elif role[n] == "cue" and token.start in routine_at:
                slots = _within_day(routine_at[token.start])
                if not (events and events[-1] == ("routine", slots)):  # "on an empty stomach before breakfast"
                    events.append(("routine", slots))
            continue
        if token.low in ("плюс", "plus") and current and (n + 1 == len(tokens) or tokens[n + 1].kind in ("num", "punct")
                                                          or n + 1 in role):
            current.append(token)  # "лозап плюс 50", "Co-Diovan Plus", "нолипрел плюс в 8": the brand's own word
            continue
        if token.kind in ("punct", "sym") or token.low in SEPARATOR_WORDS:
            close()
            if token.low in SEPARATOR_WORDS or token.low in (",", ";", "+", ".", "|", "•", "·"):
                events.append(("sep", token))
            continue
        current.append(token)
    close()


def _vitamin_letter(previous: Token, token: Token) -> bool:
    """"витамин С", "витамин А", "vitamin E": the letter is part of the name, not a word."""
    if not previous.low.startswith(("витамин", "vitamin")) or token.kind != "word":
        return False
    letters = token.low.rstrip("0123456789")
    return len(letters) == 1 and previous.end < token.start


_DESCRIBING = frozenset({"от", "для", "против"})
CONDITIONS = frozenset("""давление сердце желудок голова аллергия сон боль кашель горло нос глаз живот сустав сахар
    температура головной головная
    холестерин память нервы печень почки давления pressure heart stomach sleep pain allergy cough memory sugar
    cholesterol blood""".split())


def a_condition(word: str) -> bool:
    """A word of what a medication is for ("давления", "heart"), in any of its forms."""
    return fold(lemma(word)) in CONDITIONS


_EN_GENERIC = frozenset({"pill", "pills", "medication", "medications", "medicine", "medicines", "med", "meds",
                         "tablet", "tablets", "drug", "drugs", "supplement"})


def _described(words: list[Token]) -> list[Token]:
    """The name after a description: "лекарство от сердца конкор" → "конкор", "от аллергии эриус"
    → "эриус", "blood pressure pill amlodipine" → "amlodipine". A description alone ("капли от
    насморка") is kept: it is all the person called the medication."""
    for n in range(min(2, len(words))):
        if words[n].low in _DESCRIBING and (n == 0 or words[0].low in GENERIC_WORDS) and len(words) > n + 2:
            return words[n + 2:]
    for n, word in enumerate(words[:-1]):
        if word.low in _EN_GENERIC and n <= 3:
            return words[n + 1:]
    for n, word in enumerate(words[1:-1], start=1):
        rest = [t.low for t in words[n + 1:] if t.low not in _WHOSE]
        if (word.low == "for" and 1 <= len(rest) <= 2 and a_condition(rest[-1].rstrip("s"))
                and any(not is_english_word(t.low) for t in words[:n])):
            return words[:n]  # "Panadol Extra for my pain": what it is for, after its name
    return words


_WHOSE = frozenset({"my", "her", "his", "the", "their", "our", "mum's", "dad's", "bad", "chronic"})


def _trimmed(tokens: list[Token]) -> Chunk | None:
    """A chunk without stop words at its edges; numbers that belong to no name become stray."""
    if not tokens:
        return None
    words = list(tokens)
    while len(words) > 1 and words[0].low in STOP_WORDS and words[0].low not in _DESCRIBING:
        words.pop(0)  # "мне лекарство от давления лозап": the description starts after "мне"
    if len(words) > 2 and words[-1].low in STOP_WORDS and words[-2].low in _SHOT_FORMS:
        words.pop()  # "my B12 shots to": the form word is then the last
    words = without_form_words(_described(words))
    words = words[whom_for(words):]
    words = words[leading_verbs(words):]
    words = words[: len(words) - trailing_verbs(words)]
    while words and (words[0].low in STOP_WORDS or _leading_generic(words)):
        words.pop(0)
    while words and words[-1].low in STOP_WORDS:
        if len(words) > 1 and _vitamin_letter(words[-2], words[-1]):
            break
        words.pop()
    if (len(words) >= 2 and not words[0].low.isascii() and words[0].low not in MED_WORDS
            and lemma(words[0].low) in CONDITIONS and lemma(words[1].low) not in GENERIC_WORDS):
        words = words[1:]  # "мне от давления физиотенз": what it is for, then its name
    if not words:
        return Chunk(list(tokens))
    return Chunk(words, said=list(tokens))


def _leading_generic(words: list[Token]) -> bool:
    """"лекарство аспирин" → drop "лекарство"; "таблетки от давления" is a name and stays."""
    return words[0].low in GENERIC_WORDS and len(words) > 1 and words[1].low not in _PREPOSITIONS


_TIME_PREPOSITIONS = frozenset({"в", "во", "к", "на", "по", "с", "до", "at", "to", "by", "on"})


def stray_numbers(chunk: Chunk) -> bool:
    """A number inside a name that is not part of it ("аспирин 100" without a unit)."""
    for n, token in enumerate(chunk.tokens):
        if token.kind in ("num", "clock") or cardinal(token.low) is not None:
            previous = chunk.tokens[n - 1].low if n else ""
            vitamin = n >= 2 and chunk.tokens[n - 2].low in _NAME_NUMBER_WORDS
            if previous in _TIME_PREPOSITIONS and not vitamin:
                return True  # "конкор в 8": an hour left in the name, not "витамин в 12"
            if not (previous in _NAME_NUMBER_WORDS or (0 < len(previous) <= 2 and previous.isalpha())):
                return True
    return False


def implausible(chunk: Chunk) -> bool:
    """Words that cannot be one medication's name: a verb, a pronoun, too many words, a stray number."""
    letters = [t for t in chunk.tokens if t.kind == "word"]
    return (not letters or len(chunk.tokens) > _MAX_NAME_WORDS or has_verb(chunk.tokens)
            or has_function_word(chunk.tokens) or stray_numbers(chunk) or _schedule_word(chunk)
            or only_a_form(list(chunk.tokens), in_schedule=True))


def _schedule_word(chunk: Chunk) -> bool:
    """A word about days that no schedule pattern placed: never part of a name."""
    return any(t.kind == "word" and sounds_like_schedule(t.low) for t in chunk.tokens)


def name_of(chunk: Chunk, text: str) -> MedName:
    return dictionary_form(chunk.tokens, text, genitive=chunk.after_dose)


def corrected_name(chunk: Chunk, text: str) -> MedName:
    """The name with a misspelt medication put right ("апирин" → "аспирин"); as written otherwise.
    Only ever shown in a question, or matched against names already stored."""
    fixed = [medication_meant(t.low) if t.kind == "word" else None for t in chunk.tokens]
    if not any(fixed):
        return name_of(chunk, text)
    words = [(correct.capitalize() if t.text[:1].isupper() else correct) if correct else t.text
             for t, correct in zip(chunk.tokens, fixed)]
    return med_name(" ".join(words))


def misspelt(chunk: Chunk) -> bool:
    """A word in the name is an ordinary word misspelt ("rminder"): perhaps no name at all."""
    return any(t.kind == "word" and misspelt_word(t.low) for t in chunk.tokens)


def _is_counted(dose: object) -> bool:
    """A dosage with a unit word, after which a name takes the genitive ("2 капсулы фосфоглива")."""
    text = getattr(dose, "text", "")
    return " " in text


def unique_times(hits: Sequence[TimeHit]) -> tuple[str, ...]:
    seen: list[str] = []
    for hit in hits:
        if hit.value is not None and hit.value not in seen:
            seen.append(hit.value)
    return tuple(seen)


def single_name(r: Reading) -> tuple[MedName | None, bool]:
    """(the one medication named, whether the names were clear)."""
    names = [c for c in r.names if not all(t.low in SLIP_WORDS for t in c.tokens)]
    if len(names) > 1 or any(implausible(c) or misspelt(c) or ordinary_words(c) for c in names):
        return None, False
    return (corrected_name(names[0], r.text) if names else None), True


def ordinary_words(chunk: Chunk) -> bool:
    """Only dictionary words, none of them about medicine ("имени"): no medication named."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    return bool(words) and all(
        (is_known(t.low) or (t.low.isascii() and is_english_word(t.low))) and not _belongs_in_a_name(t.low)
        and fold(lemma(t.low)) not in GENERIC_WORDS and not looks_like_medication([t])
        for t in words)


def doubtful_name(chunk: Chunk) -> bool:
    """A name of several words, one of which belongs to no medication vocabulary ("аааа
    аспирин", "undefine vitamin D", "половин аспирин"): perhaps not all of it is the name.
    One-word names (brands) and names like "рыбий жир" or "eye drops" are not doubted."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    if any(near_medication(t.low) or misspelt_word(t.low) for t in words):
        return True  # "апирин", "rminder for aspirin": a typo, of a medication or of another word
    if any(t.low in GENERIC_WORDS or t.low in _EN_GENERIC for t in words) and not any(
            t.low in MED_WORDS for t in words):
        return True  # "лекарство от давления", "my heart pill": which medication is that?
    if words and all(a_condition(t.low) for t in words):
        return True  # "от давления, в 9": what it is for, not what it is
    if not chunk.after_dose and words and nominative_unsure(words):
        return True  # "Мирцера 75 мкг": "мирцера", or "мирцер" in the genitive?
    if len(words) < 2 or any(t.low[-1].isdigit() for t in words):
        return False  # "магне б6", "витамин д3": a brand with its code
    if any(is_oblique_dosage_form(t.low) for t in words):
        return True  # "пластыре аспирин": a dosage form no number made a dosage
    if any(is_dosage_form(a.low) and b.low in MED_WORDS for a, b in zip(words, words[1:])):
        return True  # "пластырь аспирин": two names side by side ("капсулы омеги" is one)
    scripts = {t.low.isascii() for t in words if len(t.low) >= 3}
    if len(scripts) > 1:
        return True  # Latin and Cyrillic words in one name
    return not all(_belongs_in_a_name(t.low) for t in words)


_COUNTED_FORMS = frozenset({"tablet", "tablets", "capsule", "capsules", "таблетка", "таблетки", "таблеток", "капсула",
                            "капсулы", "капсул"})


def _belongs_in_a_name(word: str) -> bool:
    if len(word) <= 2 or word in STOP_WORDS or word in GENERIC_WORDS:
        return True
    if word in MED_WORDS or word in NAME_CONTEXT_WORDS:
        return True
    lemmatised = fold(lemma(word))
    return lemmatised in MED_WORDS or lemmatised in NAME_CONTEXT_WORDS


def brand_like(chunk: Chunk) -> bool:
    """A short name of words no Russian dictionary knows ("диувер", "линдинет", "yaz"): with a
    schedule phrase beside it, a medication's brand rather than an everyday word."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    return 0 < len(words) <= 2 and all(not is_known(t.low) and len(t.low) >= 3 for t in words)
