"""Text → command: the offline parser's assembly of cues, dosages, times, zones and names.

The message is read in layers, each claiming the tokens it understands: command words first,
then dosages (so "200 мг" is never an hour), times, time zones and filler ("каждый день",
"после еды"). What nobody claimed, between separators, are the medication names. The intent
then decides which pieces make the command. When the pieces do not fit together (two
commands in one message, a name with a verb in it, a number nobody understood) the result is
`needs_llm`; text that is simply not about medication is `Unknown` without it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from medbot.commands import Add, AddItem, Agenda, Command, DateRef, Delete, DoseChange, Done, Help, ListSchedule, MedName
from medbot.commands import ParseResult, Pause, RegimenChange, RegimenSpec, Stats, TimeChange, TimezoneChange, Unknown
from medbot.nlu.regimen_words import RuleFacts, RuleHit, assemble, find_rules, sounds_like_schedule
from medbot.nlu.dosage import DoseHit, find_doses
from medbot.nlu.intents import Cue, find_cues
from medbot.nlu.lexicon import GENERIC_WORDS, MED_WORDS, NAME_CONTEXT_WORDS, PAUSE_CONTEXT_WORDS, PERIOD_WORDS, STOP_WORDS
from medbot.nlu.morphology import is_known
from medbot.nlu.names import dictionary_form, lemma, has_function_word, has_verb, is_everyday_thing, looks_like_medication
from medbot.nlu.numbers import cardinal
from medbot.nlu.normalize import MAX_TEXT, Token, clean, fold, majority_language, tokenize
from medbot.nlu.timezones import ZoneMatch, find_timezone
from medbot.nlu.times import TimeHit, find_times

log = logging.getLogger(__name__)

_SEPARATOR_WORDS = frozenset({"и", "а", "and", "&", "+", "плюс", "also", "или", "or"})
_PREPOSITIONS = frozenset({"для", "от", "при", "против", "в", "на", "с", "со", "из", "for", "against", "from"})
_NAME_NUMBER_WORDS = frozenset({"омега", "omega", "коэнзим", "coenzyme", "витамин", "vitamin"})
_TZ_FILLER = frozenset({"я", "теперь", "сейчас", "в", "во", "живу", "нахожусь", "now", "i'm", "im", "i", "am",
                        "in", "город", "city", "мой", "my", "а", "уже", "тут", "здесь", "here"})
_MAX_NAME_WORDS = 5
_CHANGE_MODIFIERS = frozenset({"change", "now", "time_word", "dose_word"})

_UNKNOWN = ParseResult(Unknown())


@dataclass
class _Chunk:
    """Unclaimed words between separators: a medication name, or words nobody understood."""

    tokens: list[Token]

    @property
    def generic(self) -> bool:
        return all(t.low in GENERIC_WORDS or t.low in STOP_WORDS for t in self.tokens)


@dataclass
class _Group:
    """One medication of an add, with the dosage and times written next to it."""

    chunk: _Chunk
    dose: DoseHit | None = None
    times: list[TimeHit] = field(default_factory=list)
    times_first: bool = False
    """The times were written before the name ("в 9 аспирин")."""
    rules: list[RuleHit] = field(default_factory=list)
    """Schedule phrases written with this medication ("по средам", "10 дней")."""
    sequence: list[tuple[str, object]] = field(default_factory=list)
    """Dosages and schedule phrases in the order written: a taper's steps are read from it."""


@dataclass
class _Reading:
    """Everything found in one message."""

    text: str
    low: str
    tokens: tuple[Token, ...]
    cues: tuple[Cue, ...]
    doses: tuple[DoseHit, ...]
    times: tuple[TimeHit, ...]
    lang: str | None
    chunks: list[_Chunk] = field(default_factory=list)
    events: list[tuple[str, object]] = field(default_factory=list)
    """Names, dosages, times and separators in the order written (for grouping an add)."""
    zone: ZoneMatch | None = None
    zone_checked: bool = False
    rules: RuleFacts = field(default_factory=RuleFacts)
    """What the message says about days (weekdays, courses, "as needed", pauses...)."""

    def find_zone(self) -> ZoneMatch | None:
        if not self.zone_checked:
            self.zone, self.zone_checked = find_timezone(self.text), True
        return self.zone

    @property
    def names(self) -> list[_Chunk]:
        return [c for c in self.chunks if not c.generic]

    @property
    def bad_time(self) -> bool:
        return any(t.value is None for t in self.times)

    @property
    def relative_time(self) -> bool:
        return any(t.relative for t in self.times)

    def intents(self) -> set[str]:
        return {c.intent for c in self.cues}


def parse(text: str) -> ParseResult:
    """What the message asks for. Never raises: a parser bug gives Unknown, not a crash."""
    try:
        return parse_strict(text)
    except Exception:  # noqa: BLE001 - one bad message must not take the person's bot down
        log.debug("parser failed on a message of %d characters", len(text) if isinstance(text, str) else -1,
                  exc_info=True)
        return _UNKNOWN


def parse_strict(text: str) -> ParseResult:
    """`parse` without the safety net, so tests see the parser's own errors."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return _UNKNOWN
    reading = read(text)
    if reading is None:
        return _UNKNOWN
    command, needs_llm, lang = _decide(reading)
    if needs_llm == _DOUBTFUL and not isinstance(command, Unknown):
        return ParseResult(command, False, lang, confirm=True)  # type: ignore[arg-type]
    if not isinstance(command, Unknown):
        needs_llm = False  # a command read with confidence never goes to the LLM
    return ParseResult(command, bool(needs_llm), lang)  # type: ignore[arg-type]


def read(text: str) -> _Reading | None:
    """Tokens, cues, dosages, times and name chunks of a message (None if it has no words)."""
    cleaned = clean(text)
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
    for hit in times:
        role.update((k, "time") for k in range(hit.start, hit.end))
    if doses and any("then" in hit.facts for hit in rules):
        extra = _taper_amounts(tokens, role, doses, [hit for hit in rules if "then" in hit.facts])
        doses = tuple(sorted((*doses, *extra), key=lambda hit: hit.start))
    reading = _Reading(cleaned, low, tokens, cues, doses, times, majority_language(tokens, low),
                       rules=RuleFacts(list(rules)))
    if any(c.intent == "timezone" for c in cues) or _could_be_bare_zone(tokens, role):
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
    spans: list[tuple[int, int, int, object]] = [(r.end - r.start, 1, r.start, r) for r in rules]
    spans += [(c.end - c.start, 0, c.start, c) for c in cues]
    spans.sort(key=lambda item: (-item[0], -item[1], item[2]))
    taken: list[tuple[int, int]] = []
    kept: set[int] = set()
    for length, _, start, item in spans:
        end = start + length
        if all(end <= first or start >= last for first, last in taken):
            taken.append((start, end))
            kept.add(id(item))
    return (tuple(c for c in cues if id(c) in kept), tuple(r for r in rules if id(r) in kept))


def _taper_amounts(tokens: Sequence[Token], role: dict[int, str], doses: Sequence[DoseHit],
                   thens: Sequence[RuleHit]) -> list[DoseHit]:
    """"...по 4 таблетки, потом по 3, потом по 2": a bare amount after "потом" is the same
    unit as the dosage before it. Claimed as a dosage; anything else stays unclaimed."""
    found: list[DoseHit] = []
    after_then = {n for n, token in enumerate(tokens) for hit in thens if token.start >= hit.end}
    for n, token in enumerate(tokens):
        if n in role or n not in after_then:
            continue
        amount = token.value if token.kind == "num" else cardinal(token.low)
        if amount is None:
            continue
        before = [dose for dose in (*doses, *found) if dose.start < n]
        if not before:
            continue
        unit = before[-1].text.split(" ", 1)[1] if " " in before[-1].text else None
        if unit is None:
            continue
        rewritten = find_doses(tokenize(f"{token.text} {unit}", fold(f"{token.text} {unit}")))
        if len(rewritten) != 1:
            continue
        start = n - 1 if n > 0 and n - 1 not in role and tokens[n - 1].low == "по" else n
        found.append(DoseHit(start, n + 1, rewritten[0].text, start < n))
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


def _collect_names(reading: _Reading, role: dict[int, str]) -> None:
    """Name chunks, stray numbers and the ordered events the add grouping reads."""
    tokens = reading.tokens
    current: list[Token] = []
    events = reading.events
    dose_at = {d.start: d for d in reading.doses}
    time_at = {t.start: t for t in reading.times}
    rule_at = {hit.start: hit for hit in reading.rules.hits}

    def close() -> None:
        chunk = _trimmed(current)
        current.clear()
        if chunk is not None:
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
            continue
        if token.kind in ("punct", "sym") or token.low in _SEPARATOR_WORDS:
            close()
            if token.low in _SEPARATOR_WORDS or token.low in (",", ";", "+"):
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


def _trimmed(tokens: list[Token]) -> _Chunk | None:
    """A chunk without stop words at its edges; numbers that belong to no name become stray."""
    words = list(tokens)
    while words and (words[0].low in STOP_WORDS or _leading_generic(words)):
        words.pop(0)
    while words and words[-1].low in STOP_WORDS:
        if len(words) > 1 and _vitamin_letter(words[-2], words[-1]):
            break
        words.pop()
    if not words:
        return _Chunk(list(tokens)) if tokens else None
    return _Chunk(words)


def _leading_generic(words: list[Token]) -> bool:
    """"лекарство аспирин" → drop "лекарство"; "таблетки от давления" is a name and stays."""
    return words[0].low in GENERIC_WORDS and len(words) > 1 and words[1].low not in _PREPOSITIONS


def _stray_numbers(chunk: _Chunk) -> bool:
    """A number inside a name that is not part of it ("аспирин 100" without a unit)."""
    for n, token in enumerate(chunk.tokens):
        if token.kind in ("num", "clock") or cardinal(token.low) is not None:
            previous = chunk.tokens[n - 1].low if n else ""
            if not (previous in _NAME_NUMBER_WORDS or (0 < len(previous) <= 2 and previous.isalpha())):
                return True
    return False


def _implausible(chunk: _Chunk) -> bool:
    """Words that cannot be one medication's name: a verb, a pronoun, too many words, a stray number."""
    letters = [t for t in chunk.tokens if t.kind == "word"]
    return (not letters or len(chunk.tokens) > _MAX_NAME_WORDS or has_verb(chunk.tokens)
            or has_function_word(chunk.tokens) or _stray_numbers(chunk) or _schedule_word(chunk))


def _schedule_word(chunk: _Chunk) -> bool:
    """A word about days that no schedule pattern placed: never part of a name."""
    return any(t.kind == "word" and sounds_like_schedule(t.low) for t in chunk.tokens)


def _name(chunk: _Chunk, text: str) -> MedName:
    return dictionary_form(chunk.tokens, text)


def _unique_times(hits: Sequence[TimeHit]) -> tuple[str, ...]:
    seen: list[str] = []
    for hit in hits:
        if hit.value is not None and hit.value not in seen:
            seen.append(hit.value)
    return tuple(seen)


# --- deciding the intent ---------------------------------------------------------------------


def _decide(r: _Reading) -> tuple[Command, bool, str | None]:
    strong = [c for c in r.cues if c.strong]
    intents = {c.intent for c in strong}
    lang = strong[0].lang if strong else (_modifier_lang(r) or r.lang)
    lang = lang if lang in ("ru", "en") else r.lang
    if "offtopic" in intents or "not_done" in intents:
        return Unknown(), False, lang
    if "help" in intents and len(intents) > 1:
        intents.discard("help")
    if r.rules.hits:
        ruled = _by_rules(r, intents)
        if ruled is not None:
            return ruled[0], ruled[1], lang
    if len(intents) > 1:
        return Unknown(), True, lang
    if intents:
        intent = intents.pop()
    else:
        intent = _intent_from_modifiers(r)
        if intent is None:
            return _without_command_words(r, lang)
    command, needs_llm = _BUILDERS[intent](r)
    return command, needs_llm, lang


_NEUTRAL_FACTS = frozenset({"then", "daily", "marker"})
_DATE_FACTS = frozenset({"day", "weekdays", "days", "until", "start", "weekend"})
_PERIODIC_FACTS = frozenset({"weekdays", "weekly", "interval", "monthly", "month_day", "hours", "on_days", "prn",
                             "max_per_day", "in_minutes", "days", "until", "start", "course_word", "step_len"})


def _by_rules(r: _Reading, intents: set[str]) -> tuple[Command, bool] | None:
    """Commands that schedule phrases decide: the agenda, a pause, a new rule; and refusing
    a schedule phrase where the command has no place for it. None: the usual path decides."""
    keys = {key for hit in r.rules.hits for key in hit.facts}
    mods = r.intents()
    if keys & {"period", "agenda_word", "day", "days"} and not keys & (_PERIODIC_FACTS - {"days"}) and _asks_agenda(r, intents):
        return Agenda(_agenda_days(r)), False
    if "agenda" in keys and intents <= {"list", "help"}:
        unrelated = [c for c in r.names if not looks_like_medication(c.tokens)]
        return (Agenda(r.rules.first("agenda")), False) if not unrelated else (Unknown(), True)
    day = r.rules.first("day")
    if intents == {"list"} and keys <= {"day"} | _NEUTRAL_FACTS and day is not None and day != _TODAY:
        if any(not looks_like_medication(c.tokens) for c in r.names):
            return Unknown(), False  # "список дел на завтра"
        return (Agenda(day.value + 1), False) if day.kind == "offset" and day.value <= 2 else (Unknown(), True)
    if "pause" in keys and keys & _DATE_FACTS and "on_days" not in keys and intents <= {"delete"}:
        return _build_pause(r)
    if "pause" in keys and not keys & _DATE_FACTS and "stop" in keys and intents <= {"delete"}:
        return _build_delete(r)  # "не напоминай про аспирин", with no day: stop for good
    if "pause" in keys and not keys & _DATE_FACTS and not intents and not r.times:
        return Unknown(), True  # "пауза" with no day: for how long?
    if intents & {"delete", "done", "list", "stats", "dose_change", "timezone", "help"} or (
        intents == {"time_change"} and not keys & _PERIODIC_FACTS
    ):
        return None if not _schedule_said(r) else (Unknown(), True)
    changing = bool(mods & {"change", "now"}) or intents == {"time_change"} or "now" in keys
    if changing and not intents - {"time_change"} and (keys & _PERIODIC_FACTS or "daily" in keys):
        return _build_regimen_change(r)
    return None


_TODAY = DateRef("offset", 0)


_QUESTION_WORDS = frozenset({"что", "што", "какие", "какое", "какой", "what", "which", "whats", "what's"})


def _asks_agenda(r: _Reading, intents: set[str]) -> bool:
    """"Что на этой неделе?", "что мне завтра принимать", "agenda for the week": a question
    about a period with no medication, time or dosage in it."""
    if r.times or r.doses or intents - {"list", "help"}:
        return False
    if any(not c.generic and not all(t.low in _QUESTION_WORDS for t in c.tokens) for c in r.names):
        return False
    asked = ("list" in intents or "show" in r.intents() or r.rules.has("agenda_word")
             or any(t.low in _QUESTION_WORDS for t in r.tokens))
    day = r.rules.first("day")
    period = r.rules.first("period") or r.rules.first("days")
    if period is None and (day is None or day.kind != "offset" or not 1 <= day.value <= 2):
        return False
    return asked


def _agenda_days(r: _Reading) -> int:
    period = r.rules.first("period") or r.rules.first("days")
    if period is not None:
        return max(1, min(int(period), 31))
    return r.rules.first("day").value + 1


def _schedule_said(r: _Reading) -> bool:
    """Anything about days beyond "every day" and "today"."""
    day = r.rules.first("day")
    keys = {key for hit in r.rules.hits for key in hit.facts}
    return not (keys <= _NEUTRAL_FACTS | {"day"} and (day is None or day == _TODAY))


def _build_pause(r: _Reading) -> tuple[Command, bool]:
    names = [c for c in r.names if not all(t.low in PAUSE_CONTEXT_WORDS or t.low in _TZ_FILLER for t in c.tokens)]
    if any(_implausible(c) for c in names) or r.times or r.doses:
        return Unknown(), True
    facts = r.rules
    weekdays = sorted({day for found in facts.all("weekdays") for day in found})
    first = facts.first("start") or facts.first("day")
    last = None
    days = facts.first("days")
    if weekdays:
        if first is not None or len(weekdays) != weekdays[-1] - weekdays[0] + 1:
            return Unknown(), True  # "в понедельник и четверг": two separate breaks
        first = DateRef("weekday", weekdays[0])
        last = DateRef("weekday", weekdays[-1]) if len(weekdays) > 1 else None
    until = facts.first("until")
    if first is None:
        first = DateRef("offset", 0)
    if until is not None and (days is not None or last is not None):
        return Unknown(), True
    if until is not None and facts.first("inclusive"):
        return Pause(tuple(_name(c, r.text) for c in names), first, until, None), False
    if until is not None:
        return Pause(tuple(_name(c, r.text) for c in names), first, None, None, before=until), False
    return Pause(tuple(_name(c, r.text) for c in names), first, last, days), False


def _build_regimen_change(r: _Reading) -> tuple[Command, bool]:
    name, clear = _single_name(r)
    if not clear or r.doses or r.bad_time or r.relative_time or any(t.role == "old" for t in r.times):
        return Unknown(), True
    assembled = assemble(r.rules, remind=False)
    if assembled.unsure:
        return Unknown(), True
    spec = assembled.spec or (RegimenSpec("daily") if assembled.explicit_daily else None)
    if spec is None or spec.kind == "once":
        return Unknown(), True
    return RegimenChange(name, spec, _unique_times(r.times)), False


def _modifier_lang(r: _Reading) -> str | None:
    return next((c.lang for c in r.cues if c.intent != "filler"), None)


def _intent_from_modifiers(r: _Reading) -> str | None:
    """The intent when no command word states it: from "теперь", "измени", "принимаю", "покажи"."""
    mods = r.intents()
    if mods & _CHANGE_MODIFIERS:
        return _what_changes(r, mods)
    if {"take", "remind"} <= mods:
        return "add"  # "напомни мне в 8 выпить таблетку от давления"
    if mods & {"take", "remind"}:
        return "weak_add"
    if "show" in mods:
        return "list"
    return None


def _what_changes(r: _Reading, mods: set[str]) -> str:
    """"теперь" / "измени": a zone, a time or a dose change, by the words and what the message holds."""
    if "now" in mods and not r.times and not r.doses and r.find_zone() is not None:
        return "timezone"  # "я теперь в Красноярске"
    said_time, said_dose = "time_word" in mods, "dose_word" in mods
    if said_time or said_dose:
        return "unsure" if said_time and said_dose else "time_change" if said_time else "dose_change"
    if r.times and not r.doses:
        return "time_change"  # "аспирин теперь в 8 утра"
    if r.doses and not r.times:
        return "dose_change"  # "теперь пью 2 таблетки аспирина"
    if not r.times and mods & {"take", "remind"}:
        return "weak_add"  # "теперь принимаю магний"
    return "unsure"


def _without_command_words(r: _Reading, lang: str | None) -> tuple[Command, bool, str | None]:
    """No command word: a bare zone, or "аспирин 200 мг в 10" (an add), or nothing we know."""
    zone = r.zone  # looked for in short messages only: a zone is never guessed out of a long text
    if zone is not None and _only_zone_words(r, zone):
        return TimezoneChange(zone.zone), False, lang
    if r.bad_time:
        return Unknown(), False, lang
    names = r.names
    if not names:
        return Unknown(), False, lang
    if any(t.role == "old" for t in r.times) and not r.rules.has("hours"):
        command, needs_llm = _build_time_change(r)  # "аспирин в 10 вместо 9"
        return command, needs_llm, lang
    medical = [c for c in names if looks_like_medication(c.tokens) or (_says_when(r) and _brand_like(c))]
    if any(_implausible(c) for c in names) or is_everyday_thing([t for c in names for t in c.tokens]):
        return Unknown(), bool(medical) or _schedule_said(r), lang
    if r.doses or (len(medical) == len(names) and (r.times or _says_when(r))):
        command, needs_llm = _build_add(r)
        return command, needs_llm, lang
    return Unknown(), bool(medical) or _schedule_said(r), lang


def _only_zone_words(r: _Reading, zone: ZoneMatch) -> bool:
    for token in r.tokens:
        inside = token.start < zone.end and token.end > zone.start
        if not inside and token.kind in ("word", "num", "clock") and token.low not in _TZ_FILLER:
            return False
    return True


# --- building each command -------------------------------------------------------------------


def _build_add(r: _Reading, weak: bool = False) -> tuple[Command, bool]:
    if r.bad_time:
        return Unknown(), False
    names = r.names
    if not names:
        return Unknown(), bool(r.times or r.doses or (r.chunks and not weak))
    if weak:
        all_tokens = [t for c in names for t in c.tokens]
        if is_everyday_thing(all_tokens) or any(has_verb(c.tokens) for c in names):
            return Unknown(), False
        if not r.doses and not all(looks_like_medication(c.tokens) or (_says_when(r) and _brand_like(c))
                                   for c in names):
            russian_words = all(is_known(t.low) for t in all_tokens if t.kind == "word")
            return Unknown(), not (r.lang == "ru" and russian_words)
    if r.relative_time or any(_implausible(c) for c in names):
        return Unknown(), True
    if any(t.role == "old" for t in r.times) and not r.rules.has("hours"):
        return Unknown(), True
    lengths = len(r.rules.all("days")) + len(r.rules.all("step_len"))
    taper = len(r.doses) > 1 and (r.rules.has("then") or lengths >= len(r.doses) - 1)
    groups, conflict = _grouped(r.events, taper)
    if conflict or not groups:
        return Unknown(), True
    attached = {id(hit) for group in groups for hit in group.rules}
    if any(id(hit) not in attached and not set(hit.facts) <= _NEUTRAL_FACTS for hit in r.rules.hits):
        return Unknown(), True  # a schedule phrase that belongs to no medication
    remind = _reminding(r)
    items: list[AddItem] = []
    for group in groups:
        steps, clear = _steps(group) if taper else ([], True)
        if not clear:
            return Unknown(), True
        step_words = ("days", "step_len", "then") if steps else ()
        facts = RuleFacts([hit for hit in group.rules if not any(key in hit.facts for key in step_words)])
        assembled = assemble(facts, remind, steps)
        times = _unique_times(group.times)
        spec = assembled.spec
        if assembled.unsure or (spec is not None and spec.kind == "every_n_hours" and len(times) > 1):
            return Unknown(), True
        dosage = steps[0][0] if steps else (group.dose.text if group.dose else None)
        items.append(AddItem(med=_name(group.chunk, r.text), dosage=dosage, times=times, regimen=spec))
    timeless = [group for group, item in zip(groups, items) if not item.times and not _needs_no_time(item.regimen)]
    if len(timeless) < len(items) and any(not looks_like_medication(group.chunk.tokens) for group in timeless):
        return Unknown(), True  # "аспирин в 9, средм": a word after the times that fits nothing
    if any(_doubtful_name(group.chunk) for group in groups) or (
        len(groups) > 1 and not all(looks_like_medication(group.chunk.tokens) for group in groups)
    ):
        return Add(tuple(items)), _DOUBTFUL  # "метформин в 8 и 20 аааа": is "аааа" a medication at 20:00?
    return Add(tuple(items)), False


_DOUBTFUL = "doubtful"
"""A builder's "unsure" that still has a best reading: the person confirms it with one tap."""

def _doubtful_name(chunk: _Chunk) -> bool:
    """A name of several words, one of which belongs to no medication vocabulary ("аааа
    аспирин", "undefine vitamin D", "половин аспирин"): perhaps not all of it is the name.
    One-word names (brands) and names like "рыбий жир" or "eye drops" are not doubted."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    if len(words) < 2 or any(t.low[-1].isdigit() for t in words):
        return False  # "магне б6", "витамин д3": a brand with its code
    scripts = {t.low.isascii() for t in words if len(t.low) >= 3}
    if len(scripts) > 1:
        return True  # Latin and Cyrillic words in one name
    return not all(_belongs_in_a_name(t.low) for t in words)


def _belongs_in_a_name(word: str) -> bool:
    if len(word) <= 2 or word in STOP_WORDS or word in GENERIC_WORDS:
        return True
    return word in MED_WORDS or word in NAME_CONTEXT_WORDS or fold(lemma(word)) in NAME_CONTEXT_WORDS | MED_WORDS


def _needs_no_time(spec: RegimenSpec | None) -> bool:
    return spec is not None and (spec.kind == "as_needed" or spec.in_minutes is not None)


def _reminding(r: _Reading) -> bool:
    """"Напомни" / "remind me": with a day and no rhythm, a one-off."""
    return any("напомн" in r.low[c.start:c.end] or "remind" in r.low[c.start:c.end] for c in r.cues)


_KIND_FACTS = frozenset({"prn", "max_per_day", "in_minutes", "weekdays", "weekly", "interval", "monthly",
                         "month_day", "hours", "on_days", "course_word", "days", "until", "step_len"})


def _says_when(r: _Reading) -> bool:
    """Schedule words about a medication ("раз в неделю", "as needed", "курс"): an add even
    without a clock time (the bot then asks for the time, or needs none)."""
    return any(key in _KIND_FACTS for hit in r.rules.hits for key in hit.facts)


def _brand_like(chunk: _Chunk) -> bool:
    """A short name of words no Russian dictionary knows ("диувер", "линдинет", "yaz"): with a
    schedule phrase beside it, a medication's brand rather than an everyday word."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    return 0 < len(words) <= 2 and all(not is_known(t.low) and len(t.low) >= 3 for t in words)


def _grouped(events: list[tuple[str, object]], taper: bool = False) -> tuple[list[_Group], bool]:
    """Medications with their own dosage, times and schedule phrases, in the order written.

    A dosage, time or schedule phrase goes with the medication before it, unless it stands
    after a separator and right before the next name ("аспирин в 8, в 9 ибупрофен"). A
    medication with no times shares those (and the schedule) of the one after it ("ибупрофен
    и цетиризин в 9"), and a dosage given with "по" is shared the same way. In a taper
    (`taper`: "потом", "then" among the phrases) one medication may have several dosages.
    """
    groups: list[_Group] = []
    pending: list[tuple[str, object]] = []
    conflict = False
    for n, (kind, value) in enumerate(events):
        if kind == "name":
            if groups and not any(kind == "sep" for kind, _ in events[_after_last_name(events, n):n]):
                conflict = True  # two names with no "и" or comma between: not a list of medications
            group = _Group(value)  # type: ignore[arg-type]
            groups.append(group)
            for item in pending:
                conflict |= _attach(group, *item, taper)
            group.times_first = bool(group.times)
            pending = []
            continue
        if kind == "sep":
            if groups:
                groups[-1].sequence.append((kind, value))
            continue
        after_separator = n > 0 and events[n - 1][0] == "sep"
        before_name = n + 1 < len(events) and events[n + 1][0] == "name"
        if not groups or (after_separator and before_name):
            pending.append((kind, value))
        else:
            conflict |= _attach(groups[-1], kind, value, taper)
    if pending:
        if not groups:
            return [], True
        for item in pending:
            conflict |= _attach(groups[-1], *item, taper)
    _share(groups)
    return groups, conflict


def _after_last_name(events: list[tuple[str, object]], n: int) -> int:
    for k in range(n - 1, -1, -1):
        if events[k][0] == "name":
            return k + 1
    return 0


def _attach(group: _Group, kind: str, value: object, taper: bool) -> bool:
    """Give a piece to a medication; True when it clashes with what the medication has."""
    if kind == "dose":
        group.sequence.append((kind, value))
        if group.dose is None:
            group.dose = value  # type: ignore[assignment]
            return False
        return not taper
    if kind == "time":
        group.times.append(value)  # type: ignore[arg-type]
    elif kind == "rule":
        group.rules.append(value)  # type: ignore[arg-type]
        group.sequence.append((kind, value))
    return False


def _joined_segments(segments: list[list[tuple[str, object]]]) -> list[list[tuple[str, object]]]:
    """A segment with a length but no dosage belongs to a neighbour that has a dosage and no
    length ("по 3 таблетки, 4 дня" split at the comma)."""
    joined: list[list[tuple[str, object]]] = []
    for segment in segments:
        has_dose = any(kind == "dose" for kind, _ in segment)
        if joined and not has_dose and not any(kind == "rule" for kind, _ in joined[-1]):
            joined[-1].extend(segment)
        else:
            joined.append(list(segment))
    return joined


def _steps(group: _Group) -> tuple[list[tuple[str, int | None]], bool]:
    """A taper's steps (dosage, days) from the order written; (steps, clear).

    A step ends at "потом" / "then" or a comma, and also where a second dosage or a second
    length would join it ("первую неделю 4 таблетки вторую неделю 3"): each step holds one
    dosage and at most one length.
    """
    segments: list[list[tuple[str, object]]] = [[]]
    for kind, value in group.sequence:
        if kind == "sep" or (kind == "rule" and value.facts.get("then")):  # type: ignore[attr-defined]
            segments.append([])
            continue
        if kind == "rule" and value.facts.get("marker"):  # type: ignore[attr-defined]
            continue
        current = segments[-1]
        if (kind == "dose" and any(k == "dose" for k, _ in current)) or (
            kind == "rule" and any(k == "rule" for k, _ in current)
        ):
            segments.append([])
        segments[-1].append((kind, value))
    segments = _joined_segments([segment for segment in segments if segment])
    steps: list[tuple[str, int | None]] = []
    for segment in segments:
        doses = [value for kind, value in segment if kind == "dose"]
        lengths = [value.facts.get("step_len") or value.facts.get("days")  # type: ignore[attr-defined]
                   for kind, value in segment if kind == "rule"
                   and ("step_len" in value.facts or "days" in value.facts)]  # type: ignore[attr-defined]
        if len(doses) != 1 or len(lengths) > 1:
            return [], False
        steps.append((doses[0].text, lengths[0] if lengths else None))  # type: ignore[attr-defined]
    return steps, len(steps) >= 2


def _share(groups: list[_Group]) -> None:
    """Medications named together share times and a "по" dosage.

    Backwards: "ибупрофен и цетиризин в 9". Forwards, only from times written before the
    name ("в 9 аспирин и ибупрофен") or a "по" dosage ("по таблетке аспирина и ибупрофена").
    """
    for n in range(len(groups) - 2, -1, -1):
        group, following = groups[n], groups[n + 1]
        if not group.times and following.times:
            group.times = list(following.times)
            if not group.rules:
                group.rules = list(following.rules)
        if group.dose is None and following.dose is not None and following.dose.distributive:
            group.dose = following.dose
    for previous, group in zip(groups, groups[1:]):
        if not group.times and previous.times_first:
            group.times, group.times_first = list(previous.times), True
        if group.dose is None and previous.dose is not None and previous.dose.distributive:
            group.dose = previous.dose


def _build_weak_add(r: _Reading) -> tuple[Command, bool]:
    return _build_add(r, weak=True)


def _build_delete(r: _Reading) -> tuple[Command, bool]:
    if r.bad_time:
        return Unknown(), False
    names = r.names
    if any(_implausible(c) for c in names) or r.relative_time:
        return Unknown(), True
    times = _unique_times(r.times)
    if (len(names) > 1 and times) or (names and not times and PERIOD_WORDS.search(r.low)):
        return Unknown(), True
    return Delete(tuple(_name(c, r.text) for c in names), times), False


def _single_name(r: _Reading) -> tuple[MedName | None, bool]:
    """(the one medication named, whether the names were clear)."""
    names = r.names
    if len(names) > 1 or any(_implausible(c) for c in names):
        return None, False
    return (_name(names[0], r.text) if names else None), True


def _build_time_change(r: _Reading) -> tuple[Command, bool]:
    if r.bad_time:
        return Unknown(), False
    name, clear = _single_name(r)
    old = [t for t in r.times if t.role == "old"]
    new = [t for t in r.times if t.role != "old"]
    if not clear or r.relative_time or r.doses or len(old) > 1 or not new:
        return Unknown(), True
    return TimeChange(name, _unique_times(new), old[0].value if old else None), False


def _build_dose_change(r: _Reading) -> tuple[Command, bool]:
    name, clear = _single_name(r)
    if not clear or len(r.doses) != 1 or r.times:
        return Unknown(), True
    return DoseChange(name, r.doses[0].text), False


def _build_timezone(r: _Reading) -> tuple[Command, bool]:
    zone = r.find_zone()
    if zone is None:
        return Unknown(), True
    return TimezoneChange(zone.zone), False


def _build_done(r: _Reading) -> tuple[Command, bool]:
    names = r.names
    if any(_implausible(c) and not _stray_numbers(c) for c in names):
        return Unknown(), True
    return Done(tuple(_name(c, r.text) for c in names if not _stray_numbers(c))), False


def _fixed(command: Command):
    def build(r: _Reading) -> tuple[Command, bool]:
        unrelated = [c for c in r.names if not looks_like_medication(c.tokens)]
        if unrelated:
            return Unknown(), False
        return command, False

    return build


def _build_unsure(r: _Reading) -> tuple[Command, bool]:
    return Unknown(), bool(r.names or r.times or r.doses)


_BUILDERS = {
    "add": _build_add,
    "weak_add": _build_weak_add,
    "delete": _build_delete,
    "time_change": _build_time_change,
    "dose_change": _build_dose_change,
    "timezone": _build_timezone,
    "done": _build_done,
    "list": _fixed(ListSchedule()),
    "stats": _fixed(Stats()),
    "help": _fixed(Help()),
    "unsure": _build_unsure,
}
