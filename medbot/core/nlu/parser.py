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
    Agenda,
    Command,
    Delete,
    Done,
    Help,
    ListSchedule,
    ParseResult,
    RegimenChange,
    SetLanguage,
    Stats,
    TimezoneChange,
    Undo,
    Unknown,
)
from medbot.core.nlu.about import about_medicines
from medbot.core.nlu.asking import explained, past_dose_asked, question_about_schedule
from medbot.core.nlu.builders import (
    BUILDERS,
    CANCELS,
    DOUBTFUL,
    build_add,
    build_delete,
    build_time_change,
    old_amount_only,
)
from medbot.core.nlu.cannot import asks_what_to_take_for, why_not
from medbot.core.nlu.corrections import read_correction
from medbot.core.nlu.doubts import (
    TWO_OF_US,
    doubted,
    for_two_people,
    mind_changed,
    more_than_the_last_change,
)
from medbot.core.nlu.language_asked import enough_of_a_language
from medbot.core.nlu.layout import retyped_in_russian
from medbot.core.nlu.leftovers import set_aside
from medbot.core.nlu.lexicon import PAUSE_CONTEXT_WORDS
from medbot.core.nlu.names import (
    is_everyday_thing,
    looks_like_medication,
)
from medbot.core.nlu.normalize import MAX_TEXT, clean, fold, script_of
from medbot.core.nlu.past import read_past
from medbot.core.nlu.reading import (
    Reading,
    brand_like,
    implausible,
    read,
)
from medbot.core.nlu.schedule_commands import (
    by_rules,
    says_when,
    schedule_said,
    stops_for_good,
)
from medbot.core.nlu.sentences import one_request
from medbot.core.nlu.stock import read_stock
from medbot.core.nlu.travel import travel_zone
from medbot.core.nlu.typos import command_word_meant, misspelt_word

log = logging.getLogger(__name__)


_CHANGE_MODIFIERS = frozenset({"change", "now", "time_word", "dose_word"})
_NEW_RULE_FACTS = frozenset({"on_days", "weekdays", "interval", "hours", "month_day", "monthly", "weekly", "days", "prn"})

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
    low = fold(clean(text))
    stock = read_stock(low)
    if stock is not None:  # "у меня 28 таблеток аспирина", "сколько осталось таблеток?"
        return ParseResult(stock, False, script_of(text))
    past = read_past(low)
    if past is not None:  # "вчера вечером тоже выпила", "I took the morning one at 10, not 8"
        return ParseResult(past, False, script_of(text))
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
    retyped = _retyped(reading) if isinstance(command, Unknown) or needs_llm == DOUBTFUL else None
    if retyped is not None:
        retried = _decide(_read(retyped) or reading)  # "shwo my meds": read as "show my meds"
        if isinstance(retried[0], _READ_ONLY) and not retried[1]:
            return ParseResult(retried[0], False, retried[2])
        if not isinstance(retried[0], Unknown) and not retried[1]:
            return ParseResult(retried[0], False, retried[2], confirm=True)  # "chnage warfarin to 6pm": asked first
    if isinstance(command, Unknown):
        russian = retyped_in_russian(text)
        if russian is not None:
            meant = parse_strict(russian)  # "cgbcjr": "список" typed in the English layout
            if isinstance(meant.command, _READ_ONLY + (Add,)) and not meant.needs_llm:
                return replace(meant, confirm=isinstance(meant.command, Add))
    if isinstance(command, (Undo, Delete)) and more_than_the_last_change(reading.low) and CANCELS.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "отмени всё, что я вчера наделала": which changes?
    if not isinstance(command, Unknown) and _HOW_MUCH_MORE.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "сколько мне ещё можно парацетамола?": a question, never a dose to add
    if isinstance(command, (Add, RegimenChange)) and _OTHER_DAYS_OTHER_DOSE.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "пн, ср, пт по 1 таблетке, в остальные дни по полторы": two doses by day
    if not isinstance(command, Unknown) and _SAFE_TOGETHER.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "can I take ibuprofen today with the warfarin": a question, never the agenda
    if isinstance(command, Delete) and _FOR_NOW.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "stop the Coartem for now": a break without an end, or for good?
    if isinstance(command, Delete) and _REMIND_TO_STOP.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "remind me to stop the Xarelto before my procedure": a reminder, later
    if isinstance(command, Undo) and _WHICH_FORGOTTEN.search(reading.low):
        return ParseResult(Unknown(), True, lang)  # "отключи что-то, не помню что врач сказал отменить": not the last change
    if isinstance(command, Undo) and _undo_taken_back(reading):
        return ParseResult(Unknown(), True, lang)  # "undo… actually no wait, don't": which is it?
    if not isinstance(command, (Unknown, Undo, *_READ_ONLY)) and doubted(reading.low):
        return ParseResult(Unknown(), True, lang)  # "не помню, выпила ли я конкор": ask, never mark
    if not isinstance(command, (Unknown, Undo, SetLanguage)) and mind_changed(reading.low):
        return ParseResult(Unknown(), True, lang)  # "про трамадол... нет, про тразодон": which one stands?
    if needs_llm == DOUBTFUL and not isinstance(command, Unknown):
        return ParseResult(command, False, lang, confirm=True)  # type: ignore[arg-type]
    marked_twice = isinstance(command, Done) and sum(
        c.intent == "done" and not reading.low.startswith(("отмет", "mark"), c.start) for c in reading.cues) > 1
    if (isinstance(command, (Agenda, ListSchedule)) or marked_twice or isinstance(command, Unknown)
            and _QUESTION.match(reading.low) or isinstance(command, Done) and TWO_OF_US.search(fold(text))) and for_two_people(text):
        return ParseResult(Unknown(), True, lang)  # "что мне пить сегодня и что мужу": whose list?
    if isinstance(command, Add) and for_two_people(text):
        return ParseResult(command, False, lang, confirm=True)  # "сыну нурофен в 8": whose schedule is this?
    if not isinstance(command, Unknown):
        needs_llm = False  # a command read with confidence never goes to the LLM
    elif not needs_llm and about_medicines(reading):
        needs_llm = True  # unread, but about medicines: the LLM (or a plain question) should see it
    if isinstance(command, Unknown) and not needs_llm:
        command = Unknown(why_not(text.lower()))  # a question for a doctor, another language, thanks
    return ParseResult(command, bool(needs_llm), lang)  # type: ignore[arg-type]


_WHICH_FORGOTTEN = re.compile(r"\bне (?:помню|знаю|уверен\w*) (?:что|какой|какую|какие|как (?:он |оно |она )?называ\w*|названи\w*|which|what)\b"
                              r"|\b(?:forgot|can'?t remember|don'?t remember) (?:the |its )?name\b|\bwhat it'?s called\b"
                              r"|\b(?:don'?t|do not) (?:remember|know) (?:which|what)\b|\bnot sure (?:which|what)\b")
_OTHER_DAYS_OTHER_DOSE = re.compile(
    r"\b(?:в остальные дни|в другие дни|в прочие дни|остальные дни|on (?:the )?other days|(?:the )?rest of the (?:days|week)"
    r"|remaining days|other days)\b[^.;]{0,30}(?:\d|полтор|половин|\bпол\b|half|\bone\b|\btwo\b|одн|\bдве\b|\bдва\b|\bтри\b)")
"""A dose for some days and another for the rest (warfarin): a schedule the bot cannot keep as one entry."""
_FOR_NOW = re.compile(r"\b(?:for now|for the time being|until further notice|for a while|пока что|до поры|на время"
                      r"|until (?:i|we) (?:say|tell)|resume|возобнов\w*|пока не скажу|пока врач не)\b")
_HOW_MUCH_MORE = re.compile(r"\bсколько (?:мне |ей |ему |еще |ещ[её] )*(?:можно|нужно|надо)\b|\bhow (?:many|much) more\b"
                            r"|\bcan i (?:still )?(?:take|have) (?:another|more|one more)\b")
_REMIND_TO_STOP = re.compile(r"\bremind (?:me|her|him|us) to (?:stop|quit|cancel|come off)\b"
                             r"|\bнапомни(?:те)? (?:мне |ей |ему )?(?:не забыть )?(?:отменить|прекратить|перестать|бросить|остановить)")
_TODAYS = re.compile(r"\s*(?:(?:what'?s|what is|show(?: me)?|send(?: me)?|tell me|give me|my) )?(?:the )?(?:today'?s? (?:schedule|list|meds|pills|plan)"
                     r"|(?:the )?(?:schedule|list|plan) for today|(?:расписание|список|план) на сегодня"
                     r"|сегодняшн\w* (?:расписание|список|план))\s*[?!.]*\s*$")
_WHOSE_LIST = r"(?:my |the |her |his |our |\w+'s )?list\b"
_PUT_ON_THE_LIST = re.compile(rf"^\s*(?:please |pls |can you |could you )?(?:put|pop|stick|get|place)\b.*\b(?:on|onto|in|into) {_WHOSE_LIST}")
_SAFE_TOGETHER = re.compile(
    r"\b(?:can|may|should|could) (?:i|she|he|we|they|my \w+) (?:still )?(?:take|have|give|use)\b[^.?!]*"
    r"\b(?:with|together|or not|alongside|while (?:on|taking)|on top of)\b"
    r"|\bis it (?:ok|okay|safe|fine|alright|all right) to (?:take|have|give|mix|combine)\b"
    r"|\bможно ли\b|\bне опасно ли\b|\bсовместим\w*\b|\bсочета\w* ли\b"
    r"|\bможно (?:ли )?(?:его |их |ее |её |это |мне )?(?:чередовать|совмещать|сочетать|запивать|(?:пить|принимать) (?:вместе|одновременно))"
    r"|\b(?:can|may|should|do) i (?:still )?(?:take|have|skip)\b[^.?!]*\bif\b[^.!]*\?")
"""Whether a medication is safe to take (with another): a question for a doctor or pharmacist, never a dose."""
_MY_REMINDERS = re.compile(r"\b(?:adjust|change|switch|set|update|move|fix) (?:my |the |all )?reminders\b"
                           r"|\b(?:поменяй|измени|переставь|настрой|перенастрой|переведи)\w* (?:мне )?(?:мои |все )?напоминани\w*")
_OFF_THE_LIST = re.compile(r"\b(?:off|from) (?:my |the |her |his |our )?list\b"
                           r"|\b(?:из|со|с) (?:моего |своего |этого )?(?:списка|расписания)\b")
_ONTO_THE_LIST = re.compile(rf"\b(?:on|onto|to|in|into) {_WHOSE_LIST}"
                            r"|\b(?:в|на) (?:мой |свой |этот )?список\b")


# --- deciding the intent ---------------------------------------------------------------------


_DONE_WITH = re.compile(r"(?<![\w-])(?:done|finished) with (?:it|them|those|that|these)(?![\w-])")


def _decide(r: Reading) -> tuple[Command, bool, str | None]:
    if (switched := enough_of_a_language(r.low)) is not None:
        return switched, False, switched.lang  # "no more russian please": the other language
    strong = [c for c in r.cues if c.strong]
    intents = {c.intent for c in strong}
    lang = strong[0].lang if strong else (_modifier_lang(r) or r.lang)
    lang = lang if lang in ("ru", "en") else r.lang
    if asks_what_to_take_for(r.low):
        return Unknown("advice"), False, lang  # "что мне пить от головной боли, если я на варфарине?": a doctor's question
    if past_dose_asked(r.low):
        return Unknown(), True, lang  # "did I take my Concor this morning?": a past dose, not what is still to come
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
    if {"delete", "done"} <= intents and _DONE_WITH.search(r.low):
        intents.discard("done")  # "delete vitamin C and zinc, done with those": finished with them, not taken
    if "timezone" in intents and (any("pause" in hit.facts for hit in r.rules.hits) or (
            "delete" in intents and (r.rules.has("until") or r.rules.has("days")))) and r.find_zone() is None and all(
            (r.low[c.end:].split() or [""])[0].strip(",.!") in PAUSE_CONTEXT_WORDS for c in r.cues if c.intent == "timezone"):
        intents.discard("timezone")  # "pause everything for a week, I'm in hospital": where, not a time zone
    if intents <= {"list"} and _PUT_ON_THE_LIST.search(r.low) and r.names:
        intents = {"add"}  # "put Zoloft on my list": the list is where it goes
    if {"undo", "delete"} <= intents and _DELETION_SAID.search(r.low):
        intents.discard("delete")  # "oops, undo the delete", "нажал удалить, восстанови как было": what is undone
    if intents == {"list"} and not (r.names or r.times or r.doses) and all(set(hit.facts) <= {"now"} for hit in r.rules.hits) \
            and ("change" in r.intents() or r.rules.hits):
        return Unknown(), True, lang  # "change my schedule": what to change is asked, not the list shown
    if intents == {"list"} and _TODAYS.match(r.low) and not any(looks_like_medication(c.tokens) for c in r.names):
        return Agenda(1), False, lang  # "today's schedule?": what is due today, not every medication kept
    if _only_asking(r, intents):
        asked = question_about_schedule(r.low, listed="list" in intents)
        if asked is not None:
            return asked, False, lang
    if not intents - {"time_change", "dose_change"} and not any(set(h.facts) - {"now"} for h in r.rules.hits
                                                                if not _from_today(h.facts)):
        fixed = read_correction(r)
        if fixed is not None and not (isinstance(fixed[0], Unknown) and r.doses and r.times and old_amount_only(r)):
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
    command, needs_llm = BUILDERS[intent](r)
    return command, needs_llm, lang


_QUESTION = re.compile(r"\s*(?:что|чё|че|чо|какие|какое|какая|какой|когда|сколько|скока|есть ли|anything|what|which|is there|do i|did i|have i)\b"
                       r"|.*\?\s*$")
_ASKING_START = re.compile(r"\s*(?:что|какие|какое|чего|what|which|did|have)\b")


_DELETION_SAID = re.compile(r"\b(?:удалил[аи]?|удалено|удалени[ея]|нажал[аи]? (?:на )?(?:удалить|удаление)|случайно удалил\w*"
                            r"|the (?:delete|deletion|removal)|deleted|removed)\b")


_NEVER_MIND = re.compile(r"\b(?:no wait|wait|actually no|actually,? don'?t|don'?t|dont|never ?mind|не надо|не отменяй\w*"
                         r"|нет,? не|хотя нет|отставить|стоп|keep it|leave it|оставь(?: как есть)?)\b")


def _undo_taken_back(r: Reading) -> bool:
    """Words after the undo that call it off."""
    ends = [c.end for c in r.cues if c.intent in ("undo", "delete")]  # a bare "отмени." reads as either
    return bool(ends) and _NEVER_MIND.search(r.low, max(ends)) is not None


def _from_today(facts: dict[str, object]) -> bool:
    """"с сегодняшнего дня", "starting today": said of a correction, it is just "from now on"."""
    start = facts.get("start")
    return set(facts) == {"start"} and getattr(start, "kind", None) == "offset" and getattr(start, "value", None) == 0


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
    if intents == {"list"} and _AT_PRESENT.search(r.low):
        return "change" not in r.intents()  # "what am I on right now": the list as it stands
    return not (r.intents() & {"change", "now"})


_AT_PRESENT = re.compile(r"\b(?:right now|at the moment|currently|на данный момент|на сегодняшний день)\b")


_WEEK_ASKED = re.compile(r"\b(?:на (?:всю |эту |текущую )?неделю|for the week|this week|weekly (?:plan|schedule|agenda|overview)"
                         r"|week'?s (?:plan|schedule)|week(?:ly)? overview)\b")


def _modifier_lang(r: Reading) -> str | None:
    return next((c.lang for c in r.cues if c.intent != "filler"), None)


def _intent_from_modifiers(r: Reading) -> str | None:
    """The intent when no command word states it: from "теперь", "измени", "принимаю", "покажи"
    (and "the doctor changed", read as a schedule phrase meaning "from now on")."""
    mods = r.intents() | ({"now"} if any(set(h.facts) == {"now"} for h in r.rules.hits) else set())
    if mods & _CHANGE_MODIFIERS == {"time_word"} and any(set(h.facts) & _NEW_RULE_FACTS for h in r.rules.hits):
        mods = mods - {"time_word"}  # "Ярина: 21 день пью, 7 перерыв. Время 22:00": a label, not a time moved
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
    if "take" in mods and not (said_time or said_dose) and _ALSO.search(r.low) and (r.times or r.routine):
        return "add"  # "теперь пью ещё магне б6 в 13:00", "now also taking X at 9": one more, nothing changed
    if said_time or said_dose:
        return "unsure" if said_time and said_dose else "time_change" if said_time else "dose_change"
    if r.times and _only_set(r, mods) and not any(t.role == "new" for t in r.times):
        return "add"  # "set my Coumadin for 5:30": a reminder set up, not one moved ("set it to 9")
    if r.times and not r.doses:
        return "time_change"  # "аспирин теперь в 8 утра"
    if r.doses and (not r.times or old_amount_only(r)):
        return "dose_change"  # "теперь пью 2 таблетки аспирина", "лантус теперь 16 ЕД вместо 14"
    if not r.times and mods & {"take", "remind"}:
        return "weak_add"  # "теперь принимаю магний"
    return "unsure"


_ALSO = re.compile(r"\b(?:ещ[её]|также|тоже|дополнительно|в дополнение|also|too|as well|additionally|in addition)\b")


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
        command, needs_llm = build_time_change(r)  # "аспирин в 10 вместо 9"
        return command, needs_llm, lang
    when = says_when(r) or bool(r.routine) or r.rules.has("daily")  # "омега 3 каждый день": an add, its time asked
    medical = [c for c in names if looks_like_medication(c.tokens) or ((when or r.rules.has("day")) and brand_like(c))]
    if any(implausible(c) for c in names) or is_everyday_thing([t for c in names for t in c.tokens]):
        return Unknown(), bool(medical) or schedule_said(r), lang
    if r.doses or (len(medical) == len(names) and (r.times or when)):
        command, needs_llm = build_add(r)
        return command, needs_llm, lang
    if (r.times or when) and all(brand_like(c) or looks_like_medication(c.tokens) for c in names):
        command, needs_llm = build_add(r)  # "нольпазу в 8": a name no list knows, said with a time
        if isinstance(command, Add):
            return command, DOUBTFUL, lang  # the best reading, asked with one tap
    return Unknown(), bool(medical) or schedule_said(r) or bool(r.times and r.doses), lang
