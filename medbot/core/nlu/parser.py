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
import re
from dataclasses import replace

from medbot.core.commands import (
    Add,
    AddItem,
    Agenda,
    Command,
    Delete,
    Done,
    DoseChange,
    Help,
    ListSchedule,
    ParseResult,
    SetLanguage,
    Stats,
    TimeChange,
    TimezoneChange,
    Undo,
    Unknown,
)
from medbot.core.nlu.about import about_medicines
from medbot.core.nlu.asking import explained, question_about_schedule
from medbot.core.nlu.cannot import why_not
from medbot.core.nlu.corrections import read_correction
from medbot.core.nlu.dosage import is_bare_amount
from medbot.core.nlu.doubts import (
    doubted,
    either_of_two,
    for_two_people,
    mind_changed,
    more_than_the_last_change,
)
from medbot.core.nlu.forms import only_a_form, without_dose_word
from medbot.core.nlu.grouping import grouped, steps_of
from medbot.core.nlu.language_asked import build_language
from medbot.core.nlu.layout import retyped_in_russian
from medbot.core.nlu.leftovers import set_aside
from medbot.core.nlu.lexicon import MED_WORDS, PERIOD_WORDS
from medbot.core.nlu.morphology import is_known
from medbot.core.nlu.names import (
    has_verb,
    is_english_word,
    is_everyday_thing,
    lemma,
    looks_like_medication,
    plain_word,
)
from medbot.core.nlu.normalize import MAX_TEXT
from medbot.core.nlu.numbers import cardinal
from medbot.core.nlu.reading import (
    Chunk,
    Reading,
    brand_like,
    corrected_name,
    doubtful_name,
    implausible,
    misspelt,
    ordinary_words,
    read,
    single_name,
    stray_numbers,
    unique_times,
)
from medbot.core.nlu.routine import not_placing_times, within_day
from medbot.core.nlu.schedule_commands import (
    NEUTRAL_FACTS,
    by_rules,
    needs_no_time,
    reminding,
    says_when,
    schedule_said,
    stops_for_good,
)
from medbot.core.nlu.schedule_facts import RuleFacts, assemble
from medbot.core.nlu.sentences import one_request
from medbot.core.nlu.travel import company_word, travel_zone
from medbot.core.nlu.typos import command_word_meant, misspelt_word

log = logging.getLogger(__name__)


_CHANGE_MODIFIERS = frozenset({"change", "now", "time_word", "dose_word"})

_UNKNOWN = ParseResult(Unknown())
_READ_ONLY = (ListSchedule, Agenda, Help, Stats, SetLanguage, TimezoneChange)
"""Commands a typo-corrected reading may run without asking: they show, or are undone in a word."""


def _retyped(r: Reading) -> str | None:
    """The text with each misspelt command word put right, when there is one to put right."""
    fixed = {t.start: command_word_meant(t.low) for t in r.tokens if t.kind == "word"}
    fixed = {start: word for start, word in fixed.items() if word}
    if not fixed:
        return None
    parts, last = [], 0
    for token in r.tokens:
        if token.start in fixed:
            parts += [r.text[last:token.start], fixed[token.start]]
            last = token.end
    return "".join(parts) + r.text[last:]


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
    whole = _parse_whole(text)
    if isinstance(whole.command, Unknown) or whole.needs_llm or whole.confirm:
        return one_request(text, _parse_whole) or whole  # "Здравствуйте! ... конкор 5 мг утром. Спасибо!"
    return whole


def _read(text: str) -> Reading | None:
    reading = read(text)
    return set_aside(reading) if reading is not None else None


def _parse_whole(text: str) -> ParseResult:
    reading = _read(text)
    if reading is None:
        return ParseResult(Unknown(why_not(text.lower())))  # "спасибо!", "👍": nothing to read
    command, needs_llm, lang = _decide(reading)
    retyped = _retyped(reading) if isinstance(command, Unknown) or needs_llm == _DOUBTFUL else None
    if retyped is not None:
        retried = _decide(_read(retyped) or reading)  # "shwo my meds": read as "show my meds"
        if isinstance(retried[0], _READ_ONLY) and not retried[1]:
            return ParseResult(retried[0], False, retried[2])
        if isinstance(retried[0], Add) and not retried[1]:
            return ParseResult(retried[0], False, retried[2], confirm=True)
    if isinstance(command, Unknown):
        russian = retyped_in_russian(text)
        if russian is not None:
            meant = parse_strict(russian)  # "cgbcjr": "список" typed in the English layout
            if isinstance(meant.command, _READ_ONLY + (Add,)) and not meant.needs_llm:
                return replace(meant, confirm=isinstance(meant.command, Add))
    if isinstance(command, (Undo, Delete)) and more_than_the_last_change(reading.low) and _CANCELS.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "отмени всё, что я вчера наделала": which changes?
    if not isinstance(command, (Unknown, Undo, *_READ_ONLY)) and doubted(reading.low):
        return ParseResult(Unknown(), True, lang)  # "не помню, выпила ли я конкор": ask, never mark
    if not isinstance(command, (Unknown, Undo)) and mind_changed(reading.low):
        return ParseResult(Unknown(), True, lang)  # "про трамадол... нет, про тразодон": which one stands?
    if needs_llm == _DOUBTFUL and not isinstance(command, Unknown):
        return ParseResult(command, False, lang, confirm=True)  # type: ignore[arg-type]
    if isinstance(command, Add) and for_two_people(text):
        return ParseResult(command, False, lang, confirm=True)  # "сыну нурофен в 8": whose schedule is this?
    if not isinstance(command, Unknown):
        needs_llm = False  # a command read with confidence never goes to the LLM
    elif not needs_llm and about_medicines(reading):
        needs_llm = True  # unread, but about medicines: the LLM (or a plain question) should see it
    if isinstance(command, Unknown) and not needs_llm:
        command = Unknown(why_not(text.lower()))  # a question for a doctor, another language, thanks
    return ParseResult(command, bool(needs_llm), lang)  # type: ignore[arg-type]


_MY_REMINDERS = re.compile(r"\b(?:adjust|change|switch|set|update|move|fix) (?:my |the |all )?reminders\b"
                           r"|\b(?:поменяй|измени|переставь|настрой|перенастрой|переведи)\w* (?:мне )?(?:мои |все )?напоминани\w*")
_OFF_THE_LIST = re.compile(r"\b(?:off|from) (?:my |the |her |his |our )?list\b|\b(?:из|со|с) (?:моего |своего |этого )?списка\b")
_ONTO_THE_LIST = re.compile(r"\b(?:on|onto|to|in|into) (?:my |the |her |his |our |\w+'s )?list\b"
                            r"|\b(?:в|на) (?:мой |свой |этот )?список\b")


# --- deciding the intent ---------------------------------------------------------------------


def _decide(r: Reading) -> tuple[Command, bool, str | None]:
    strong = [c for c in r.cues if c.strong]
    intents = {c.intent for c in strong}
    lang = strong[0].lang if strong else (_modifier_lang(r) or r.lang)
    lang = lang if lang in ("ru", "en") else r.lang
    if "not_done" in intents and "offtopic" not in intents and _only_asking(r, intents):
        asked = question_about_schedule(r.low)  # "что я ещё не приняла?"
        if asked is not None:
            return asked, False, lang
    if "offtopic" in intents or "not_done" in intents:
        return Unknown(), False, lang
    if "help" in intents and len(intents) > 1:
        intents.discard("help")
    if {"language", "add"} <= intents and not (r.times or r.doses or r.routine):
        intents.discard("add")  # "in english plz, my grandson set this up in russian"
    if {"delete", "list"} <= intents and _OFF_THE_LIST.search(r.low):
        intents.discard("list")  # "take it off my list": the list is where it goes from
    if "list" in intents and _ONTO_THE_LIST.search(r.low) and (r.doses or r.times or r.routine):
        intents.discard("list")  # "pop Senna two tablets at bedtime on my nan's list": where it goes
    if _only_asking(r, intents):
        asked = question_about_schedule(r.low, listed="list" in intents)
        if asked is not None:
            return asked, False, lang
    if not intents - {"time_change", "dose_change"} and not any(set(h.facts) - {"now"} for h in r.rules.hits):
        fixed = read_correction(r)
        if fixed is not None and not (isinstance(fixed[0], Unknown) and r.doses and r.times and _old_amount_only(r)):
            return fixed[0], fixed[1], lang
    if "list" in intents and _MY_REMINDERS.search(r.low) and not intents - {"list", "timezone", "time_change"}:
        intents.discard("list")  # "just landed in Tokyo, adjust my reminders": the reminders move with the person
    if not intents - {"timezone", "time_change"} and (zone := travel_zone(r)) is not None:
        return TimezoneChange(zone.zone), False, lang  # "в Праге на неделю", "переехала в Омск, поставь их время"
    if r.rules.hits and stops_for_good(r, intents):
        command, needs_llm = build_delete(r)
        return command, needs_llm, lang
    if r.rules.hits:
        ruled = by_rules(r, intents)
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


_QUESTION = re.compile(r"\s*(?:что|чё|че|чо|какие|какое|какая|какой|когда|сколько|скока|есть ли|anything|what|which|is there|do i|did i|have i)\b"
                       r"|.*\?\s*$")
_ASKING_START = re.compile(r"\s*(?:что|какие|какое|чего|what|which|did|have)\b")


def _only_asking(r: Reading, intents: set[str]) -> bool:
    """No time, dosage, rule or zone, and no command word that would change the schedule."""
    if r.times or (r.doses and not (_QUESTION.match(r.low) and all(d.text.startswith("1 ") for d in r.doses))):
        return False  # "какая следующая таблетка у меня": the tablet asked about is no dose
    if r.routine and any(looks_like_medication(c.tokens) or brand_like(c) for c in r.names) or travel_zone(r):
        return False  # "vitamin D with lunch, would you remind me?", "we relocated to Sydney, ...?"
    if intents - {"list", "help", "done", "not_done"} and not (intents <= {"add", "list", "help"} and _QUESTION.match(r.low)
                                                               and not any(looks_like_medication(c.tokens) for c in r.names)):
        return False  # "anything else I need to take today?" asks; "I need to take X", "remind me of X?" add
    if intents & {"list", "help"} and any(not explained(t.low) for c in r.names for t in c.tokens):
        return False  # "очисти список": a word the list cue does not explain
    if any(t.kind == "word" and misspelt_word(t.low) for t in r.tokens):
        return False  # "I have tken my pills": a typo of something else
    for hit in r.rules.hits:
        day = hit.facts.get("day")
        if (hit.facts.get("days") == 7 or hit.facts.get("weekly")) and _WEEK_ASKED.search(r.low):
            continue  # "что у меня на всю неделю": the week's agenda
        if set(hit.facts) - {"day", "then"} or (day is not None and getattr(day, "value", None) != 0):
            return False  # "завтра", "по средам": the agenda of those days, read by the rules
    if intents & {"done", "not_done"} and not r.low.rstrip().endswith("?") and not _ASKING_START.match(r.low):
        return False  # "всё выпила" is a mark; "я всё на сегодня выпила?" a question
    return not (r.intents() & {"change", "now"})


_WEEK_ASKED = re.compile(r"\b(?:на (?:всю |эту |текущую )?неделю|for the week|this week|weekly (?:plan|schedule|agenda|overview)"
                         r"|week'?s (?:plan|schedule)|week(?:ly)? overview)\b")


def _modifier_lang(r: Reading) -> str | None:
    return next((c.lang for c in r.cues if c.intent != "filler"), None)


def _intent_from_modifiers(r: Reading) -> str | None:
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


def _what_changes(r: Reading, mods: set[str]) -> str:
    """"теперь" / "измени": a zone, a time or a dose change, by the words and what the message holds."""
    if "now" in mods and not r.times and not r.doses and r.find_zone() is not None:
        return "timezone"  # "я теперь в Красноярске"
    said_time, said_dose = "time_word" in mods, "dose_word" in mods
    if said_time or said_dose:
        return "unsure" if said_time and said_dose else "time_change" if said_time else "dose_change"
    if r.times and _only_set(r, mods) and not any(t.role == "new" for t in r.times):
        return "add"  # "set my Coumadin for 5:30": a reminder set up, not one moved ("set it to 9")
    if r.times and not r.doses:
        return "time_change"  # "аспирин теперь в 8 утра"
    if r.doses and (not r.times or _old_amount_only(r)):
        return "dose_change"  # "теперь пью 2 таблетки аспирина", "лантус теперь 16 ЕД вместо 14"
    if not r.times and mods & {"take", "remind"}:
        return "weak_add"  # "теперь принимаю магний"
    return "unsure"


def _old_amount_only(r: Reading) -> bool:
    """"вместо 14" beside a dosage: the amount it was, not an hour."""
    return bool(r.times) and all(
        t.role == "old" and r.tokens[t.end - 1].kind == "num" and "." not in r.tokens[t.end - 1].low
        and all(token.kind == "word" for token in r.tokens[t.start:t.end - 1]) for t in r.times)


def _only_set(r: Reading, mods: set[str]) -> bool:
    return mods & _CHANGE_MODIFIERS == {"change"} and all(
        r.low[c.start:c.end] == "set" for c in r.cues if c.intent == "change")


def _without_command_words(r: Reading, lang: str | None) -> tuple[Command, bool, str | None]:
    """No command word: a bare zone, or "аспирин 200 мг в 10" (an add), or nothing we know."""
    zone = travel_zone(r)
    if zone is not None:
        return TimezoneChange(zone.zone), False, lang
    if r.bad_time:
        return Unknown(), False, lang
    names = r.names
    if not names:
        return Unknown(), bool(r.times and r.doses), lang  # "половинку в 9": of what? ask
    if any(t.role == "old" for t in r.times) and not r.rules.has("hours"):
        command, needs_llm = _build_time_change(r)  # "аспирин в 10 вместо 9"
        return command, needs_llm, lang
    when = says_when(r) or bool(r.routine)
    medical = [c for c in names if looks_like_medication(c.tokens) or ((when or r.rules.has("day")) and brand_like(c))]
    if any(implausible(c) for c in names) or is_everyday_thing([t for c in names for t in c.tokens]):
        return Unknown(), bool(medical) or schedule_said(r), lang
    if r.doses or (len(medical) == len(names) and (r.times or when)):
        command, needs_llm = _build_add(r)
        return command, needs_llm, lang
    if (r.times or when) and all(brand_like(c) or looks_like_medication(c.tokens) for c in names):
        command, needs_llm = _build_add(r)  # "нольпазу в 8": a name no list knows, said with a time
        if isinstance(command, Add):
            return command, _DOUBTFUL, lang  # the best reading, asked with one tap
    return Unknown(), bool(medical) or schedule_said(r) or bool(r.times and r.doses), lang


# --- building each command -------------------------------------------------------------------


def _build_add(r: Reading, weak: bool = False) -> tuple[Command, bool]:
    doubt = False
    if r.bad_time:
        return Unknown(), False
    names = r.names
    if not names:
        return Unknown(), bool(r.times or r.doses or (r.chunks and not weak))
    if weak:
        all_tokens = [t for c in names for t in c.tokens]
        if is_everyday_thing(all_tokens) or any(has_verb(c.tokens) for c in names):
            return Unknown(), schedule_said(r)  # "пью кофе в 8": not medication, unless days were said
        if not r.doses and not all(looks_like_medication(c.tokens) or (says_when(r) and brand_like(c))
                                   for c in names):
            russian_words = all(is_known(t.low) for t in all_tokens if t.kind == "word")
            if not (r.times or r.routine) or (r.lang == "ru" and russian_words):
                return Unknown(), not (r.lang == "ru" and russian_words) or schedule_said(r)
            doubt = True  # "я пью нольпазу в 8": an unknown word, but said as a medication with a time
    if r.relative_time or any(implausible(c) for c in names):
        return Unknown(), True
    if either_of_two(r.low):
        return Unknown(), True  # "в 7 или в 8": which one?
    if _PAST.search(r.low) or _NOT_ROUTINE.search(r.low):
        return Unknown(), True  # "в 9 вчера": a typo of "вечера"; "не утром, а вечером": a correction
    doubt = doubt if weak else False
    if any(t.role == "old" for t in r.times) and not r.rules.has("hours"):
        return _build_time_change(r)  # "поставь кардиомагнил вместо 8 утра на 9 вечера"
    lengths = len(r.rules.all("days")) + len(r.rules.all("step_len"))
    taper = len(r.doses) > 1 and (r.rules.has("then") or lengths >= len(r.doses) - 1)
    groups, conflict = grouped(r.events, taper)
    if conflict or not groups:
        return Unknown(), True
    if any({"period", "agenda", "agenda_word"} & set(hit.facts) for hit in r.rules.hits):
        return Unknown(), True  # "на 5 днй": an agenda's "for N days" inside an add is a course misread
    attached = {id(hit) for group in groups for hit in group.rules}
    if any(id(hit) not in attached and not set(hit.facts) <= NEUTRAL_FACTS for hit in r.rules.hits):
        return Unknown(), True  # a schedule phrase that belongs to no medication
    remind = reminding(r)
    items: list[AddItem] = []
    doubtful_rule = False
    for group in groups:
        steps, clear = steps_of(group) if taper else ([], True)
        if not clear:
            return Unknown(), True
        step_words = ("days", "step_len", "then") if steps else ()
        facts = RuleFacts([hit for hit in group.rules if not any(key in hit.facts for key in step_words)])
        assembled = assemble(facts, remind, steps)
        times = unique_times(group.times)
        spec = assembled.spec
        if assembled.unsure or (spec is not None and spec.kind == "every_n_hours" and len(times) > 1):
            return Unknown(), True
        if spec is not None and spec.in_minutes is not None and times:
            return Unknown(), True  # "в 6, а через час, в 7": "in an hour" here is no one-off
        doubtful_rule |= assembled.doubtful
        dosage = steps[0][0] if steps else (group.dose.text if group.dose else None)
        items.append(AddItem(med=corrected_name(group.chunk, r.text), dosage=dosage, times=times, regimen=spec))
    timeless = [group for group, item in zip(groups, items) if not item.times and not needs_no_time(item.regimen)]
    if len(timeless) < len(items) and any(not looks_like_medication(group.chunk.tokens) for group in timeless):
        return Unknown(), True  # "аспирин в 9, средм": a word after the times that fits nothing
    items = [replace(item, routine=tuple(not_placing_times(within_day(group.routine), item.times)))
             if group.routine else item for item, group in zip(items, groups)]
    unknown_strength = any(group.dose is not None and is_bare_amount(group.dose.text)
                           and not any(t.low in MED_WORDS or lemma(t.low) in MED_WORDS for t in group.chunk.tokens)
                           for group in groups)  # "и aaaam 20": a name we do not know, with a bare number
    if doubt or unknown_strength or r.unsure_number or doubtful_rule or any(doubtful_name(group.chunk) for group in groups) or (
        len(groups) > 1 and not all(looks_like_medication(group.chunk.tokens) for group in groups)
    ):
        return Add(tuple(items)), _DOUBTFUL  # "метформин в 8 и 20 аааа": is "аааа" a medication at 20:00?
    return Add(tuple(items)), False


_PAST = re.compile(r"\bвчера\b|\byesterday\b")
_NOT_ROUTINE = re.compile(r"\bне (?:утром|вечером|днем|на ночь|перед сном|после|до|перед|за|в обед|в завтрак|в ужин|к обеду|с утра)\b|\bnot (?:in the|at|with|after|before)\b")

_DOUBTFUL = "doubtful"
"""A builder's "unsure" that still has a best reading: the person confirms it with one tap."""


def _build_weak_add(r: Reading) -> tuple[Command, bool]:
    return _build_add(r, weak=True)


def _cancels_the_slip(r: Reading) -> bool:
    said = [r.low[c.start:c.end] for c in r.cues if c.intent == "delete"]
    if said and not r.times and not r.doses and r.names and all(
            t.low in _THE_LAST or _about_the_slip(t.low) for c in r.names for t in c.tokens) and any(
            t.low in _THE_LAST for c in r.names for t in c.tokens):
        return True  # "убери последнее, что ты сделал": the last change, not a medication called "последнее"
    chunks = [c for c in r.chunks if c.tokens]
    return (bool(said) and all(word.startswith(("отмен", "отмн", "cancel")) for word in said) and bool(chunks)
            and not r.times and not r.doses and all(_about_the_slip(t.low) for c in chunks for t in c.whole))


_THE_LAST = frozenset({"последнее", "последний", "последнюю", "последняя", "предыдущее", "предыдущий", "last",
                       "previous"})


def _about_the_slip(word: str) -> bool:
    return bool(_UNDO_CONTEXT.fullmatch(word) or company_word(word) or plain_word(word) and word not in _NOT_A_SLIP)


_NOT_A_SLIP = frozenset({"все", "всё", "all", "everything", "напоминания", "reminders", "reminder", "напоминание"})


def _medications_only(names: list[Chunk]) -> list[Chunk]:
    """"the kids had their vitamin D", "stop the Plavix, doctor cancelled it": beside a
    medication, words of people or of plain language are no second medication."""
    medical = [c for c in names if looks_like_medication(c.tokens) or brand_like(c) and not all(
        t.low.isascii() and is_english_word(t.low) for t in c.tokens if t.kind == "word")]
    if not medical or len(medical) == len(names):
        return names
    return [c for c in names if c in medical or not (
        ordinary_words(c) and (all(t.low.isascii() for t in c.tokens) or has_verb(c.tokens))  # "экватор" may be a brand
        or all(company_word(t.low) for t in c.tokens if t.kind == "word"))]


_BECAUSE = re.compile(r"(?<![\w-])(?:а то|потому что|так как|because|since|as i)(?![\w-])")
_CANCELS = re.compile(r"(?<![\w-])(?:отмен\w*|отмн\w*|undo|cancel|верн\w*|revert)(?![\w-])")
_KEEP = re.compile(r"(?<![\w-])(?:оставь\w*|оставить|остав[ья]те|не (?:трогай|удаляй|убирай)\w*|кроме|except|keep\w*"
                   r"|leave|but not|не надо удалять)(?![\w-])")
"""A deletion that also names what stays is asked about, so nothing kept is deleted by mistake
("delete the 2pm paracetamol, keep the others" names nothing that stays)."""


def build_delete(r: Reading) -> tuple[Command, bool]:
    if r.bad_time:
        return Unknown(), False
    if _cancels_the_slip(r):
        return Undo(), False  # "внучек отмени это я ошиблась": no medication named, the last change
    names = _medications_only(r.names)
    if any(implausible(c) for c in names) or r.relative_time:
        return Unknown(), True
    keep = _KEEP.search(r.low)
    if keep and any(c.tokens[-1].end > keep.start() for c in names):
        return Unknown(), True  # "убери сальбутамол и беродуал, оставь только симбикорт": a name said to stay
    times = unique_times(r.times)
    if (len(names) > 1 and times) or (names and not times and PERIOD_WORDS.search(r.low)):
        return Unknown(), True
    if any(misspelt(c) for c in names):
        return Unknown(), True
    return Delete(tuple(corrected_name(c, r.text) for c in names), times), False


def _build_time_change(r: Reading) -> tuple[Command, bool]:
    if r.bad_time:
        return Unknown(), False
    name, clear = single_name(r)
    old = [t for t in r.times if t.role == "old"]
    new = [t for t in r.times if t.role != "old"]
    if not old and len(new) == 2 and new[0].role is None and new[1].role == "new":
        old, new = new[:1], new[1:]  # "move the 8pm lipitor to 10pm": the time it is moved from
    if not clear or r.relative_time or r.doses or len(old) > 1 or not new:
        return Unknown(), True
    between = r.text[r.tokens[new[0].start].start:r.tokens[new[-1].end - 1].end] if len(new) > 1 else ""
    if between and (re.search(r"[.!?]\s", between) or _BECAUSE.search(between)):
        return Unknown(), True  # "to 21:00 please? 8pm is too early", "на 21:00, а то в 20 я на работе"
    return TimeChange(name, unique_times(new), old[0].value if old else None), False


def _build_dose_change(r: Reading) -> tuple[Command, bool]:
    name, clear = single_name(r)
    if not clear or len(r.doses) != 1 or (r.times and not _old_amount_only(r)):
        return Unknown(), True
    return DoseChange(name, r.doses[0].text), False


def _build_timezone(r: Reading) -> tuple[Command, bool]:
    zone = r.find_zone()
    if zone is None:
        return Unknown(), True
    outside = [hit for hit in r.times if not (zone.start <= r.tokens[hit.start].start < zone.end)]
    if outside or r.doses:
        return Unknown(), True  # "живу в Самаре. Пью престариум 5 мг в 8": two things at once
    return TimezoneChange(zone.zone), False


def _build_done(r: Reading) -> tuple[Command, bool]:
    if r.times and any(r.low[c.start:c.end] in _GAVE for c in r.cues if c.intent == "done"):
        return Unknown(), True  # "врач дал диклофенак — в 10 и 22": prescribed, not given
    if _PARTLY.search(r.low) or (r.names and all(_only_a_count(c) for c in r.names)):
        return Unknown(), True  # "выпила, но не все", "took one": which ones?
    names = [Chunk(without_dose_word(list(c.tokens)), c.after_dose)
             for c in map(_without_count, _medications_only(r.names))]
    names = [c for c in names if not only_a_form(list(c.tokens))]  # "капли закапала": no name said
    if any(implausible(c) and not stray_numbers(c) for c in names):
        return Unknown(), True
    if any(misspelt(c) or ordinary_words(c) for c in names):
        return Unknown(), True  # "taken, tanks": no medication is called that
    kept = [_without_numbers(c) if stray_numbers(c) else c for c in names]
    if any(c is None for c in kept):
        return Unknown(), True  # a number and nothing to name: never "whatever is pending"
    return Done(tuple(corrected_name(c, r.text) for c in kept if c is not None)), False


def _without_numbers(chunk: Chunk) -> Chunk | None:
    """"уколола лантус 20": the units said after the name are not part of it."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    if not words or any(cardinal(t.low) is not None for t in words):
        return None
    return Chunk(words, chunk.after_dose)


_PARTLY = re.compile(r"\bне (?:все|всё|обе|оба|всю)\b|\bnot (?:all|both|every)\b|\bone of\b|\bsome of\b|\bчасть\b"
                     r"|\bодн[уа] из\b|\bполовину из\b|\b(?:took|taken|выпил\w*|принял\w*) (?:only )?(?:one|одну|одна)$")
_GAVE = frozenset({"дал", "дала", "дали", "gave"})
_TIMES_WORDS = frozenset({"раз", "раза", "times", "time"})


def _only_a_count(chunk: Chunk) -> bool:
    """"took 2": a number of pills and no name."""
    return not any(t.kind == "word" and cardinal(t.low) is None for t in _without_count(chunk).tokens)


def _without_count(chunk: Chunk) -> Chunk:
    """"took 2 tylenol", "попшикала беродуала два раза": how many were taken is not the name."""
    tokens = chunk.tokens
    if len(tokens) > 1 and tokens[0].kind == "num" and tokens[1].kind == "word":
        return Chunk(tokens[1:], chunk.after_dose)
    if len(tokens) > 2 and tokens[-1].low in _TIMES_WORDS and (tokens[-2].kind == "num" or cardinal(tokens[-2].low)):
        return Chunk(tokens[:-2], chunk.after_dose)
    return chunk


def _fixed(command: Command):
    def build(r: Reading) -> tuple[Command, bool]:
        if r.times and r.names and isinstance(command, ListSchedule):
            return _build_add(r, weak=True)  # "эти мои таблетки от давления лозап в 9": an add
        if isinstance(command, ListSchedule) and (r.doses or r.routine) and r.names:
            return Unknown(), True  # "Senna two tablets at bedtime on my nan's list": not a question
        if isinstance(command, Help) and (r.doses or r.times or r.routine) and r.names:
            return Unknown(), True  # "Trileptal 300 mg at 8 am, can you help me keep track?"
        unrelated = [c for c in r.names if not looks_like_medication(c.tokens)]
        if unrelated and _only_context(r, command):
            return command, False  # "а ты чего умеешь то вообще": only shows something, changes nothing
        if unrelated:
            return Unknown(), False
        return command, False

    return build


_ASKER = re.compile(r"(?:спрашива|интересу|хоч|хотел|знать|посмотр|глян|увидеть|ask|want|wonder|know|see|check)\w*")


def _only_context(r: Reading, command: Command) -> bool:
    """Help asked among words that are not a medication ("а ты чего умеешь то вообще"); the list
    asked for by someone ("дочка спрашивает, что я пью"). Both only show, so they need no certainty
    about the other words; "очисти список" is not a request to see it."""
    if r.times or r.doses:
        return False
    words = [t.low for c in r.names for t in c.tokens if t.kind == "word"]
    if isinstance(command, Help):
        return not any(brand_like(c) for c in r.names) and not MED_WORDS.intersection(words)
    return isinstance(command, ListSchedule) and all(company_word(w) or _ASKER.fullmatch(w) for w in words)


def _build_undo(r: Reading) -> tuple[Command, bool]:
    medical = [c for c in r.names if not ordinary_words(c) and not all(
        explained(t.low) or _UNDO_CONTEXT.fullmatch(t.low) or company_word(t.low) or plain_word(t.low)
        for t in c.tokens)]  # "внучек отмени это я ошиблась": words about the slip
    if medical or r.times or r.doses:
        return Unknown(), True  # "отмени аспирин в 9" is not an undo of the last change
    if _UNDO_SCOPE.search(r.low):
        return Unknown(), True  # "undo everything I did today": more than the last change
    return Undo(), False


_UNDO_CONTEXT = re.compile(r"last|one|it|that|this|msg|message|thing|wrong|pressed|tapped|clicked|forget|mistake|entry"
                           r"|ч(?:его|то)-?то|куда-?то|не|туда|то|я"
                           r"|change|action|previous|just|did|made|sent|нажал\w*|не туда|случайно|сообщени\w*|последн\w*"
                           r"|no|didn'?t|mean|meant|wanted|want|oops|hmm|wait")
_UNDO_SCOPE = re.compile(r"\b(?:everything|all|всё|все|вчера\w*|yesterday|today|сегодня\w*|last (?:week|monday|tuesday|"
                         r"wednesday|thursday|friday|saturday|sunday)|from last|за (?:неделю|день)|two|three|несколько|"
                         r"several|few|два|две|три)\b")


def _build_unsure(r: Reading) -> tuple[Command, bool]:
    return Unknown(), bool(r.names or r.times or r.doses)


_BUILDERS = {
    "add": _build_add,
    "weak_add": _build_weak_add,
    "delete": build_delete,
    "time_change": _build_time_change,
    "dose_change": _build_dose_change,
    "timezone": _build_timezone,
    "done": _build_done,
    "list": _fixed(ListSchedule()),
    "stats": _fixed(Stats()),
    "help": _fixed(Help()),
    "unsure": _build_unsure,
    "undo": _build_undo,
    "language": build_language,
}