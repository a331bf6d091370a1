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

from medbot.commands import Add, AddItem, Command, Delete, DoseChange, Done, Help, ListSchedule, MedName
from medbot.commands import ParseResult, Stats, TimeChange, TimezoneChange, Unknown
from medbot.nlu.dosage import DoseHit, find_doses
from medbot.nlu.intents import Cue, find_cues
from medbot.nlu.lexicon import GENERIC_WORDS, PERIOD_WORDS, STOP_WORDS
from medbot.nlu.morphology import is_known
from medbot.nlu.names import dictionary_form, has_function_word, has_verb, is_everyday_thing, looks_like_medication
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
    if not isinstance(command, Unknown):
        needs_llm = False  # a command read with confidence never goes to the LLM
    return ParseResult(command, needs_llm, lang)  # type: ignore[arg-type]


def read(text: str) -> _Reading | None:
    """Tokens, cues, dosages, times and name chunks of a message (None if it has no words)."""
    cleaned = clean(text)
    low = fold(cleaned)
    tokens = tokenize(cleaned, low)
    if not any(t.kind in ("word", "num", "clock") for t in tokens):
        return None
    cues = find_cues(low, tokens)
    role: dict[int, str] = {}
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
    reading = _Reading(cleaned, low, tokens, cues, doses, times, majority_language(tokens, low))
    if any(c.intent == "timezone" for c in cues) or _could_be_bare_zone(tokens, role):
        zone = reading.find_zone()
        if zone is not None:
            _claim_spans(tokens, role, [(zone.start, zone.end)], "zone")
    _collect_names(reading, role)
    return reading


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
            or has_function_word(chunk.tokens) or _stray_numbers(chunk))


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
    if any(t.role == "old" for t in r.times):
        command, needs_llm = _build_time_change(r)  # "аспирин в 10 вместо 9"
        return command, needs_llm, lang
    medical = [c for c in names if looks_like_medication(c.tokens)]
    if any(_implausible(c) for c in names) or is_everyday_thing([t for c in names for t in c.tokens]):
        return Unknown(), bool(medical), lang
    if r.doses or (len(medical) == len(names) and r.times):
        command, needs_llm = _build_add(r)
        return command, needs_llm, lang
    return Unknown(), bool(medical), lang


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
        if not r.doses and not all(looks_like_medication(c.tokens) for c in names):
            russian_words = all(is_known(t.low) for t in all_tokens if t.kind == "word")
            return Unknown(), not (r.lang == "ru" and russian_words)
    if r.relative_time or any(_implausible(c) for c in names):
        return Unknown(), True
    groups, conflict = _grouped(r.events)
    if conflict or not groups:
        return Unknown(), True
    items = tuple(
        AddItem(med=_name(g.chunk, r.text), dosage=g.dose.text if g.dose else None, times=_unique_times(g.times))
        for g in groups
    )
    return Add(items), False


def _grouped(events: list[tuple[str, object]]) -> tuple[list[_Group], bool]:
    """Medications with their own dosage and times, in the order written.

    A dosage or time goes with the medication before it, unless it stands after a separator
    and right before the next name ("аспирин в 8, в 9 ибупрофен"). A medication with no
    times shares those of the one after it ("ибупрофен и цетиризин в 9"), and a dosage given
    with "по" is shared the same way.
    """
    groups: list[_Group] = []
    pending_dose: DoseHit | None = None
    pending_times: list[TimeHit] = []
    conflict = False
    for n, (kind, value) in enumerate(events):
        if kind == "name":
            groups.append(_Group(value, pending_dose, pending_times, times_first=bool(pending_times)))  # type: ignore[arg-type]
            pending_dose, pending_times = None, []
            continue
        if kind == "sep":
            continue
        after_separator = n > 0 and events[n - 1][0] == "sep"
        before_name = n + 1 < len(events) and events[n + 1][0] == "name"
        to_next = not groups or (after_separator and before_name)
        if kind == "dose":
            if to_next:
                conflict = conflict or pending_dose is not None
                pending_dose = value  # type: ignore[assignment]
            elif groups[-1].dose is None:
                groups[-1].dose = value  # type: ignore[assignment]
            else:
                conflict = True
        elif kind == "time":
            if to_next:
                pending_times.append(value)  # type: ignore[arg-type]
            else:
                groups[-1].times.append(value)  # type: ignore[arg-type]
    if pending_dose is not None or pending_times:
        if not groups:
            return [], True
        conflict = conflict or (pending_dose is not None and groups[-1].dose is not None)
        groups[-1].dose = groups[-1].dose or pending_dose
        groups[-1].times.extend(pending_times)
    _share(groups)
    return groups, conflict


def _share(groups: list[_Group]) -> None:
    """Medications named together share times and a "по" dosage.

    Backwards: "ибупрофен и цетиризин в 9". Forwards, only from times written before the
    name ("в 9 аспирин и ибупрофен") or a "по" dosage ("по таблетке аспирина и ибупрофена").
    """
    for n in range(len(groups) - 2, -1, -1):
        group, following = groups[n], groups[n + 1]
        if not group.times and following.times:
            group.times = list(following.times)
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
