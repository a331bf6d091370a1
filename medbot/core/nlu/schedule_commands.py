"""Commands that schedule phrases decide: the agenda, a break, a new rule for a medication;
and the refusal of a schedule phrase where the command has no place for it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from medbot.core.commands import Agenda, Command, DateRef, Pause, RegimenChange, RegimenSpec, Unknown
from medbot.core.nlu.asking import explained
from medbot.core.nlu.hour_lists import doses_a_day
from medbot.core.nlu.lexicon import MEDICINE_KIND, PAUSE_CONTEXT_WORDS, STOP_WORDS
from medbot.core.nlu.names import looks_like_medication
from medbot.core.nlu.reading import (
    TZ_FILLER,
    Chunk,
    Reading,
    brand_like,
    doubtful_name,
    implausible,
    misspelt,
    name_of,
    ordinary_words,
    single_name,
    unique_times,
)
from medbot.core.nlu.schedule_facts import RuleFacts, assemble
from medbot.core.nlu.schedule_patterns import RuleHit
from medbot.core.nlu.schedule_vocab import COURSE_STOP, NEXT_WEEK, PROCEDURE, RANGE_SEP, WEEKDAY, weekday_of

NEUTRAL_FACTS = frozenset({"then", "daily", "marker", "now", "more_days"})
_DATE_FACTS = frozenset({"day", "weekdays", "days", "until", "start", "weekend", "period", "step_len", "date"})
_PERIODIC_FACTS = frozenset({"weekdays", "weekly", "interval", "monthly", "month_day", "hours", "on_days", "prn", "not_daily",
                             "max_per_day", "in_minutes", "days", "until", "start", "course_word", "step_len"})


def _keys(r: Reading) -> set[str]:
    """The kinds of fact the schedule phrases hold; beside a break, a day of the month said once
    ("no reminders on the 25th", not "every month on the 25th") is its date."""
    paused = r.rules.has("pause")
    return {("date" if paused and key in ("month_day", "monthly") and _one_date(hit.facts) else key)
            for hit in r.rules.hits for key in hit.facts}


def _one_date(facts: dict[str, object]) -> bool:
    return "month_day" in facts and facts.get("monthly") is False


def stops_for_good(r: Reading, intents: set[str]) -> bool:
    """"Не напоминай про аспирин" with no day: a deletion, not a break; "курс аугментина
    закончила, убери": the word "course" alone, beside a deletion."""
    keys = _keys(r)
    if keys == {"course_word"} and intents == {"delete"}:
        return True
    return "pause" in keys and not keys & _DATE_FACTS and "stop" in keys and intents <= {"delete"}


def by_rules(r: Reading, intents: set[str]) -> tuple[Command, bool] | None:
    """Commands that schedule phrases decide: the agenda, a pause, a new rule; and refusing
    a schedule phrase where the command has no place for it. None: the usual path decides."""
    keys = _keys(r)
    mods = r.intents()
    if (keys & {"period", "agenda_word", "day", "days", "step_len"} and not keys & (_PERIODIC_FACTS - {"days", "step_len"})
            and "pause" not in keys and _asks_agenda(r, intents)):
        if NEXT_WEEK.search(r.low):
            return Unknown(), True  # "что на следующей неделе?": the agenda runs from today, not from next Monday
        return Agenda(_agenda_days(r)), False
    if "agenda" in keys and intents <= {"list", "help"} and "pause" not in keys:
        unrelated = [c for c in r.names if not looks_like_medication(c.tokens)
                     and not all(explained(t.low) for t in c.tokens)]  # "whats my schedule for tomorrow"
        return (Agenda(r.rules.first("agenda")), False) if not unrelated and not NEXT_WEEK.search(r.low) else (Unknown(), True)
    days = r.rules.all("day")
    if intents == {"list"} and keys <= {"day"} | NEUTRAL_FACTS and days and days != [_TODAY]:
        if any(not looks_like_medication(c.tokens) for c in r.names):
            return Unknown(), False  # "список дел на завтра"
        last = max(day.value for day in days) if all(day.kind == "offset" for day in days) else None
        return (Agenda(last + 1), False) if last is not None and last <= 2 else (Unknown(), True)  # "today and tomorrow"
    if "pause" in keys and intents & {"add", "remind"} and keys & _DATE_FACTS:
        return Unknown(), True  # "в выходные не напоминай, а в будни напоминай": a new rule, not a break
    if "pause" in keys and keys & _DATE_FACTS and "on_days" not in keys and (
            intents <= {"delete"} or intents == {"list"} and _REMINDERS.search(r.low)):  # "hold all my reminders for 10 days"
        if any(hit.facts.get("every") and not _one_span(r.low, hit) for hit in r.rules.hits) or mods & {"change", "now"} \
                or keys & _RULE_FACTS:
            return Unknown(), True  # "теперь по будням, а в выходные не надо": a new rule, not a break
        return _build_pause(r)
    if "pause" in keys and not keys & _DATE_FACTS and not intents and not r.times:
        return Unknown(), True  # "пауза" with no day: for how long?
    if intents == {"delete"} and keys & _DATE_FACTS and any(
            r.low.startswith(("не ", "don", "do not"), c.start) for c in r.cues if c.intent == "delete"):
        return _build_pause(r)  # "сегодня не нпоминай про X": "don't remind" with a day is a break, typo or not
    if intents == {"delete"} and keys & {"days", "until"} and not keys & (_PERIODIC_FACTS - {"days", "until", "start"}) and any(
            r.low.startswith(("stop", "hold"), c.start) for c in r.cues if c.intent == "delete"):
        return _build_pause(r)  # "stop the metformin reminders for 3 days from tomorrow": a break with its end
    if intents & {"delete", "done", "list", "stats", "dose_change", "timezone", "help"} or (
        intents == {"time_change"} and not keys & _PERIODIC_FACTS
    ):
        return None if not schedule_said(r) else (Unknown(), True)
    changing = bool(mods & {"change", "now"}) or intents == {"time_change"} or "now" in keys or (
        "more_days" in keys and not intents and (not mods & {"take", "remind"} or _course_ends(r)))  # "prednisone: only 5 more days"
    if changing and not intents - {"time_change"} and (keys & _PERIODIC_FACTS or "daily" in keys):
        return _build_regimen_change(r)
    if not intents and not r.names and not r.doses and keys & _PERIODIC_FACTS and not mods & {"take", "remind"}:
        return _build_regimen_change(r)  # "нет, по пятницам": a new rule for whatever is being talked about
    return None


_TODAY = DateRef("offset", 0)
_STOP_AFTER = re.compile(rf"(?<![\w-]){COURSE_STOP}$")


def _days_joined(r: Reading) -> list[int]:
    """"сегодня и завтра", "tomorrow and the day after": days said together with "и"/"and" (a day
    said elsewhere, "сегодня не пить, завтра зуб рвать", is the reason's, not the break's)."""
    hits = [hit for hit in r.rules.hits if "day" in hit.facts]
    if len(hits) < 2 or any(hit.facts["day"].kind != "offset" for hit in hits) or r.rules.first("start") is not None:
        return []
    if any(r.low[a.end:b.start].strip(" ,") not in ("и", "and") for a, b in zip(hits, hits[1:])):
        return []
    return sorted({hit.facts["day"].value for hit in hits})


def _course_ends(r: Reading) -> bool:
    """"кардиомагнил пить ещё 10 дней и всё": the course of a kept medication ends, said with "пить"."""
    return any("more_days" in hit.facts and _STOP_AFTER.search(r.low, hit.start, hit.end) for hit in r.rules.hits)


_ONE_SPAN = re.compile(rf"(?:(?:с|from) )?{WEEKDAY}{RANGE_SEP}{WEEKDAY}")
_PLURAL_DAY = re.compile(r"(?:ам|ями?|ях|s)\b")


def _one_span(low: str, hit: RuleHit) -> bool:
    """"с пятницы по воскресенье", "Friday to Sunday" in a break: the coming days, once; "по
    будням", "по пятницам-воскресеньям", "Fridays to Sundays" repeat, and no break can."""
    said = low[hit.start:hit.end]
    return _ONE_SPAN.fullmatch(said) is not None and _PLURAL_DAY.search(said) is None


_RULE_FACTS = frozenset({"interval", "hours", "monthly", "month_day", "on_days", "prn", "max_per_day", "weekly"})
"""Facts of a rule of days: beside a break ("через день, но в выходные не пить") the two are a new rule."""


_QUESTION_WORDS = frozenset({"что", "што", "какие", "какое", "какой", "what", "which", "whats", "what's", "anything"})


def _asks_agenda(r: Reading, intents: set[str]) -> bool:
    """"Что на этой неделе?", "что мне завтра принимать", "agenda for the week": a question
    about a period with no medication, time or dosage in it."""
    if r.times or r.doses or intents - {"list", "help", "add"}:
        return False
    if "add" in intents and (r.names or not any(t.low in _QUESTION_WORDS for t in r.tokens)):
        return False  # "какие таблетки завтра надо пить" asks; "завтра надо пить конкор" adds
    if any(not c.generic and not all(t.low in _QUESTION_WORDS or explained(t.low) for t in c.tokens) for c in r.names):
        return False  # "tomorrow plan?", "whats mum got tomorrow": words the question patterns know
    asked = ("list" in intents or "show" in r.intents() or r.rules.has("agenda_word")
             or any(t.low in _QUESTION_WORDS for t in r.tokens)
             or r.low.rstrip().endswith("?") and (sum(t.kind == "word" for t in r.tokens) >= 3
                                                  or any(c.generic for c in r.chunks)))  # "Tomorrow's meds?"
    day = r.rules.first("day")
    period = r.rules.first("period") or r.rules.first("days") or r.rules.first("step_len")
    if period is None and (day is None or day.kind != "offset" or not 0 <= day.value <= 2):
        return False
    if period is None and day.value == 0 and "list" in intents:
        return False  # "что я принимаю сегодня": the list
    return asked


def _agenda_days(r: Reading) -> int:
    period = r.rules.first("period") or r.rules.first("days") or r.rules.first("step_len")  # "the next 7 days"
    through = max((day.value + 1 for day in r.rules.all("day") if day.kind == "offset"), default=1)
    if period is not None:
        return max(1, min(max(int(period), through), 31))
    return through  # "tomorrow and the day after": through the last day said


def schedule_said(r: Reading) -> bool:
    """Anything about days beyond "every day" and "today"."""
    day = r.rules.first("day")
    keys = {key for hit in r.rules.hits for key in hit.facts}
    return not (keys <= NEUTRAL_FACTS | {"day"} and (day is None or day == _TODAY))


_REASON_LEADS = frozenset({"as", "because", "since", "cos", "cuz", "coz", "потому", "поскольку", "they", "i've", "i'm",
                           "ive", "im"})
_REASON_STARTS = frozenset({"перед", "после", "мы", "я", "у", "потому", "так", "пока", "before", "after", "we", "i", "fasting",
                            "because", "while"})


def _taking_then_a_break(hits: Sequence[RuleHit]) -> bool:
    """A length, then "потом", then the break: how long it is taken before the break, never the break's own length."""
    thens = [hit.start for hit in hits if "then" in hit.facts]
    return any(length.end <= then < pause.start for then in thens
               for length in hits if "days" in length.facts for pause in hits if "pause" in pause.facts)


def _build_pause(r: Reading) -> tuple[Command, bool]:
    said = list(r.names)
    reason = next((n for n, c in enumerate(said) if n and c.whole and c.whole[0].low in _REASON_LEADS
                   and any(looks_like_medication(k.tokens) or brand_like(k) for k in said[:n])), None)
    if reason is not None:
        said = said[:reason]  # "as my ankles are swollen", "I've got a procedure and they said no NSAIDs": why
    names = [_without_reason(c) for c in said
             if not all(t.low in PAUSE_CONTEXT_WORDS or t.low in TZ_FILLER for t in c.tokens)]
    names = [c for c in names if not _only_a_reason(c)]
    talk = [c for c in names if ordinary_words(c)]
    if names and _EVERY_ONE.search(r.low) and not any(looks_like_medication(c.tokens) or brand_like(c) for c in names):
        names, talk = [], []  # "завтра не напоминай ничего, я в больнице на процедурах": all, and why
    elif talk and len(talk) < len(names):
        names = [c for c in names if c not in talk]  # "приостанови ксарелто, удаляют зуб"
    if any(implausible(c) or misspelt(c) or doubtful_name(c) for c in names) or r.times or r.doses or talk or (
            len(names) > 1 and not all(looks_like_medication(c.tokens) or brand_like(c) for c in names)):
        return Unknown(), True
    if not names and _A_KIND_OF_MEDICINE.search(r.low):
        return Unknown(), True  # "отключи сердечные на пару дней": which ones are those?
    facts = r.rules
    if _taking_then_a_break(facts.hits):
        return Unknown(), True  # "ноотропил 2 недели, потом перерыв": the weeks are for taking it, then a cycle?
    if _BEFORE_AN_EVENT.search(r.low):
        return Unknown(), True  # "hold the warfarin 5 days before my surgery on the 14th": which days those are is asked
    weekdays = sorted({day for found in facts.all("weekdays") for day in found})
    first = facts.first("start") or facts.first("day") or next(
        (DateRef("date", hit.facts["month_day"]) for hit in facts.hits if _one_date(hit.facts)), None)
    last = None
    joined = _days_joined(r)
    if joined:
        if joined != list(range(joined[0], joined[-1] + 1)):
            return Unknown(), True  # "сегодня и послезавтра": two breaks, not one
        first, last = DateRef("offset", joined[0]), DateRef("offset", joined[-1])  # "сегодня и завтра"
    days = (facts.first("days") or facts.first("period") or facts.first("agenda")  # "skip all meds for 2 days"
            or facts.first("step_len"))  # "следующие 3 дня"
    if weekdays:
        if first is not None or len(weekdays) != weekdays[-1] - weekdays[0] + 1:
            return Unknown(), True  # "в понедельник и четверг": two separate breaks
        first = DateRef("weekday", weekdays[0])
        last = DateRef("weekday", weekdays[-1]) if len(weekdays) > 1 else None
    until = facts.first("until")
    if first is None and days == 7 and last is None and _THIS_WEEK.search(r.low):
        first, last, days = DateRef("offset", 0), DateRef("weekday", 6), None  # "pause it this week": to Sunday
    from_a_date = first is not None and first.kind == "date"
    if first is None:
        first = DateRef("offset", 0)
    if until is not None and (days is not None or last is not None):
        return Unknown(), True
    paused = tuple({name.key: name for name in (name_of(c, r.text) for c in names)}.values())  # "ramipril ... no ramipril reminders"
    if until is not None and facts.first("inclusive"):
        return Pause(paused, first, until, None), False
    if until is not None and until.kind == "date" and from_a_date and _TILL.search(r.low):
        return Unknown(), True  # "on the 12th till the 26th": is the 26th still away, or the day back?
    if until is not None:
        return Pause(paused, first, None, None, before=until), False
    return Pause(paused, first, last, days), False


_TILL = re.compile(r"(?<![\w-])(?:till|until|til)(?![\w-])")
_EVERY_ONE = re.compile(r"(?<![\w-])(?:ничего|ни о ч[её]м|вс[её]|все|everything|all|any)(?![\w-])")
_BEFORE_AN_EVENT = re.compile(r"(?<![\w-])(?:\d{1,2}|one|two|three|four|five|six|seven|ten|a few|a) (?:days?|weeks?)"
                              r" (?:before|prior to)(?![\w-])"
                              r"|(?<![\w-])за (?:(?:\d{1,2}|\w+) )?(?:дн\w*|сут\w*|недел\w*) до(?![\w-])")
_THIS_WEEK = re.compile(r"(?<![\w-])(?:this week|(?:на )?этой неделе|эту неделю)(?![\w-])")
_A_KIND_OF_MEDICINE = re.compile(
    rf"\b(?:{MEDICINE_KIND}|витаминк|витамины|антибиотик"
    r"|от давления|от сердца|heart pills|water pills|blood pressure|painkillers|pain pills|sleeping pills|vitamins"
    r"|antibiotics)\w*")
"""A kind of medicine, not a name ("сердечные", "water pills"): a break for some, but which?"""
_REMINDERS = re.compile(r"\b(?:reminders?|напоминани\w*)\b")
_A_PROCEDURE = re.compile(rf"\b{PROCEDURE}\b")
"""What a break is for ("колоноскопия", "кт с контрастом", "surgery"): never a medication to pause."""


def _only_a_reason(chunk: Chunk) -> bool:
    """"колоноскопия", "кт с контрастом", "I have a procedure": what the break is for, every word of it."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    return any(_A_PROCEDURE.fullmatch(t.low) for t in words) and all(
        _A_PROCEDURE.fullmatch(t.low) or ordinary_words(Chunk([t])) or t.low in TZ_FILLER or t.low in STOP_WORDS
        for t in words)


def _without_reason(chunk: Chunk) -> Chunk:
    """"аспирин перед операцией", "фуросемид мы в дороге": the medication, not why it pauses."""
    for n, token in enumerate(chunk.tokens):
        if n and token.low in _REASON_STARTS:
            return Chunk(chunk.tokens[:n])
    return chunk


def _build_regimen_change(r: Reading) -> tuple[Command, bool]:
    name, clear = single_name(r)
    times = list(r.times)
    if r.rules.has("hours") and len(times) == 1 and times[0].role == "old":
        times = [replace(times[0], role=None)]  # "теперь каждые 12 часов, с 8 утра": where the hours start
    if not clear or r.doses or r.bad_time or r.relative_time or any(t.role == "old" for t in times):
        return Unknown(), True
    if any(doubtful_name(c) for c in r.names):
        return Unknown(), True  # "поменяй то, что от давления, на через день": which medication is that?
    assembled = assemble(_as_a_new_rule(r), remind=False)
    if assembled.unsure:
        return Unknown(), True
    spec = assembled.spec or (RegimenSpec("daily") if assembled.explicit_daily else None)
    if spec is None or spec.kind == "once":
        return Unknown(), True
    if spec.start == _TODAY:
        spec = replace(spec, start=None)  # "сегодня кардиолог поменял схему": a new rule starts from now anyway
    return RegimenChange(name, spec, unique_times(times)), False


def _as_a_new_rule(r: Reading) -> RuleFacts:
    """The facts of a message that changes a stored medication's rule, read as that rule."""
    return _day_moved(r, _month_day_kept(r.rules))


def _month_day_kept(facts: RuleFacts) -> RuleFacts:
    """"бонвиву теперь 10-го числа": a day of the month said as a new rule is every month's."""
    if not facts.has("month_day") or any(facts.all("monthly")) or len(facts.all("month_day")) != 1:
        return facts
    return RuleFacts([RuleHit(hit.start, hit.end, {**hit.facts, "monthly": True}) if "month_day" in hit.facts else hit
                      for hit in facts.hits])


def _day_moved(r: Reading, facts: RuleFacts) -> RuleFacts:
    """"move my Ozempic from Thursday to Saturday": with "move" or "switch", a span of days is the
    old day and the new."""
    if not any(c.intent == "time_change" or c.intent == "change" and r.low.startswith(("switch", "change", "move"), c.start)
               for c in r.cues):
        return facts
    return RuleFacts([RuleHit(hit.start, hit.end, {**hit.facts, "weekdays": _last_said(r.low[hit.start:hit.end])})
                      if "weekdays" in hit.facts and r.low.startswith(("from ", "с ", "со "), hit.start) else
                      RuleHit(hit.start, hit.end, {"month_day": hit.facts["until"].value, "monthly": True})
                      if _to_a_day_of_the_month(r, hit) else hit
                      for hit in facts.hits])


def _last_said(span: str) -> list[int]:
    """"from Sunday to Wednesday": the day said last (not the latest in the week)."""
    said = [weekday_of(found.group()) for found in re.finditer(WEEKDAY, span)]
    return [day for day in said if day is not None][-1:]


def _to_a_day_of_the_month(r: Reading, hit: RuleHit) -> bool:
    """"move my Aimovig to the 12th": the new day of the month, never the last day of a course."""
    until = hit.facts.get("until")
    return isinstance(until, DateRef) and until.kind == "date" and until.month is None and r.low.startswith("to ", hit.start)


def needs_no_time(spec: RegimenSpec | None) -> bool:
    return spec is not None and (spec.kind == "as_needed" or spec.in_minutes is not None)


def reminding(r: Reading) -> bool:
    """"Напомни" / "remind me", or a verb of doing it once ("в субботу в 10 принять флуконазол", "on the
    14th at 7pm take the fluconazole"): with a day and no rhythm, a one-off."""
    return any("напомн" in r.low[c.start:c.end] or "remind" in r.low[c.start:c.end] for c in r.cues) or bool(
        _DONE_ONCE.search(r.low))


_DONE_ONCE = re.compile(r"(?<![\w-])(?:выпить|принять|сделать|поставить|уколоть|наклеить|дать|пропить|съесть"
                        r"|take the|to take|have the)(?![\w-])")
"""Perfective verbs (and "take the"): one act on that day, not a rhythm."""


_KIND_FACTS = frozenset({"prn", "max_per_day", "in_minutes", "weekdays", "weekly", "interval", "monthly",
                         "month_day", "hours", "on_days", "course_word", "days", "until", "step_len"})


def says_when(r: Reading) -> bool:
    """Schedule words about a medication ("раз в неделю", "as needed", "курс", "2 раза в день"): an
    add even without a clock time (the bot then asks for the time, or needs none)."""
    return any(key in _KIND_FACTS for hit in r.rules.hits for key in hit.facts) or doses_a_day(r.low) is not None
