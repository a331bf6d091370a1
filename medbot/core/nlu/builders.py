"""From a reading to a command, one builder per intent: add, delete, time and dose changes, the
time zone, done, undo. Each says whether the command is weak (it needs a question or the LLM).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from medbot.core.commands import (
    Add,
    AddItem,
    Command,
    Delete,
    Done,
    DoseChange,
    Help,
    ListSchedule,
    Stats,
    TimeChange,
    TimezoneChange,
    Undo,
    Unknown,
)
from medbot.core.nlu.asking import explained
from medbot.core.nlu.dosage import DoseHit, is_bare_amount, unit_stem
from medbot.core.nlu.doubts import (
    daypart_against_clock,
    either_of_two,
)
from medbot.core.nlu.forms import only_a_form, without_dose_word
from medbot.core.nlu.grouping import grouped, steps_of
from medbot.core.nlu.hour_lists import doses_a_day
from medbot.core.nlu.language_asked import build_language
from medbot.core.nlu.leftovers import only_a_kind, only_what_it_is_for
from medbot.core.nlu.lexicon import HEALTH_WORKER, MED_WORDS, PERIOD_WORDS
from medbot.core.nlu.names import (
    has_verb,
    is_english_word,
    is_everyday_thing,
    lemma,
    looks_like_medication,
    nominative_unsure,
    plain_word,
)
from medbot.core.nlu.numbers import cardinal
from medbot.core.nlu.past import part_said
from medbot.core.nlu.reading import (
    Chunk,
    Reading,
    brand_like,
    corrected_name,
    doubtful_name,
    implausible,
    misspelt,
    ordinary_words,
    single_name,
    stray_numbers,
    unique_times,
)
from medbot.core.nlu.routine import not_placing_times, slot_of, within_day
from medbot.core.nlu.russian_words import is_known
from medbot.core.nlu.schedule_commands import (
    NEUTRAL_FACTS,
    needs_no_time,
    reminding,
    says_when,
    schedule_said,
)
from medbot.core.nlu.schedule_facts import RuleFacts, assemble
from medbot.core.nlu.strengths import NAME_NUMBER_WORDS
from medbot.core.nlu.times import PREFIXES, TimeHit
from medbot.core.nlu.travel import company_word
from medbot.core.nlu.typos import command_word_meant

log = logging.getLogger(__name__)


def _two_hours_made_one(r: Reading) -> bool:
    """Two different hours said for one medication that came out as one clock time."""
    if len(r.names) != 1:
        return False  # "Brilinta at 21, Lipitor at 9pm": each medication its own hours
    said: dict[str, set[str]] = {}
    for hit in r.times:
        if hit.value is not None and hit.role != "old":
            numbers = tuple(t.text for t in r.tokens[hit.start:hit.end] if t.kind in ("num", "clock"))
            said.setdefault(hit.value, set()).add(" ".join(numbers))
    return any(len(numbers) > 1 for numbers in said.values())


def build_add(r: Reading, weak: bool = False) -> tuple[Command, bool]:
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
    if len({tuple(days) for days in r.rules.all("weekdays")}) > 1 and _CORRECTED.search(r.low):
        return Unknown(), True  # "по пн, ср, пт в 19:00. ой нет, вт, чт и сб": which days, never both
    if any(len(c.tokens) == 1 and command_word_meant(c.tokens[0].low) is not None and not looks_like_medication(c.tokens)
           for c in names):
        return Unknown(), True  # "прпусти выходные": a command mistyped, never a medication called "прпусти"
    if either_of_two(r.low):
        return Unknown(), True  # "в 7 или в 8": which one?
    if _two_hours_made_one(r):
        return Unknown(), True  # "утром и вечером в 8 и в 20": both read as 20:00, a dose would be lost
    clock = [t.value for t in r.times if t.value is not None and t.role != "old"]
    said = [slot_of(r.low[c.start:c.end]) for c in r.cues if c.intent == "filler"]
    if not r.routine and daypart_against_clock(said, clock):
        return Unknown(), True  # "конкор утром в 9 вечера": the morning, or 21:00?
    if _PAST.search(r.low) or _NOT_ROUTINE.search(r.low) or _EXTENDED.search(r.low) \
            or _ALREADY_ON.search(r.low):
        return Unknown(), True  # "в 9 вчера": a typo of "вечера"; "не утром, а вечером": a correction
    doubt = doubt if weak else False
    if any(t.role == "old" for t in r.times) and not r.rules.has("hours"):
        return build_time_change(r)  # "поставь кардиомагнил вместо 8 утра на 9 вечера"
    lengths = len(r.rules.all("days")) + len(r.rules.all("step_len"))
    taper = len(r.doses) > 1 and (r.rules.has("then") or lengths >= len(r.doses) - 1 and _one_unit(r.doses))
    if taper and len(set(_PER_DAY_COUNT.findall(r.low))) > 1:
        return Unknown(), True  # "15 мг 2 р/д 21 день, потом 20 мг 1 р/д": the times change with the step
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
        if spec is not None and spec.kind == "as_needed" and times:
            return Unknown(), True  # "нурофен при температуре ..., називин с 8 утра": as needed has no clock time
        if spec is not None and spec.in_minutes is not None and (times or group.routine):
            return Unknown(), True  # "в 6, а через час, в 7", "ночью пишу, через полчаса напомни": "in an hour" and a clock?
        doubtful_rule |= assembled.doubtful
        dosage = steps[0][0] if steps else (group.dose.text if group.dose else None)
        counted = _COURSE_OF.fullmatch(dosage or "")
        if counted and spec is not None and spec.kind != "daily":
            return Unknown(), True  # "курс Актовегина, 10 уколов через день": ten injections, or ten a day?
        if spec is not None and spec.course and counted and len(times) <= 1:
            spec, dosage = replace(spec, days=int(counted.group(1)), course=False), None  # "курс 10 уколов"
        items.append(AddItem(med=corrected_name(group.chunk, r.text), dosage=dosage, times=times, regimen=spec))
    timeless = [group for group, item in zip(groups, items) if not item.times and not needs_no_time(item.regimen)]
    if len(timeless) < len(items) and any(not looks_like_medication(group.chunk.tokens) for group in timeless):
        return Unknown(), True  # "аспирин в 9, средм": a word after the times that fits nothing
    items = [replace(item, routine=tuple(not_placing_times(within_day(group.routine), item.times)))
             if group.routine else item for item, group in zip(items, groups)]
    unknown_strength = any(group.dose is not None and is_bare_amount(group.dose.text)
                           and not any(t.low in MED_WORDS or lemma(t.low) in MED_WORDS for t in group.chunk.tokens)
                           for group in groups)  # "и aaaam 20": a name we do not know, with a bare number
    items = _same_medication_joined(items)
    numbered = any(item.med.name.lower() in NAME_NUMBER_WORDS and item.dosage and item.dosage[:1].isdigit()
                   for item in items)  # "omega 3 capsules": Omega-3, or three capsules of omega?
    a_kind_and_a_name = len(groups) > 1 and any(only_a_kind(g.chunk) or _A_KIND.fullmatch(" ".join(t.low for t in g.chunk.tokens))
                                                for g in groups)  # "Железо месяц пить, месяц нет, сорбифер в 12": one, or two?
    guessed = any(hit.guessed for hit in r.times)  # "в 9 и 3": 15:00, most likely
    pointed_at = _DESCRIBED_ONE.search(r.low) is not None  # "тот антибиотик, который врач сказал"
    a_class = any(_A_CLASS.fullmatch(item.med.key) and not (item.regimen and item.regimen.kind == "once")
                  for item in items)  # "каждые 8 часов антибиотик": which one? (a one-off reminder may say so)
    if doubt or unknown_strength or numbered or r.unsure_number or guessed or pointed_at or a_class or doubtful_rule or a_kind_and_a_name or any(
            doubtful_name(group.chunk) or not group.chunk.after_dose and nominative_unsure(group.chunk.tokens, accusative=True)
            for group in groups) or (
        len(groups) > 1 and not all(looks_like_medication(group.chunk.tokens) for group in groups)
    ):
        return Add(tuple(items)), DOUBTFUL  # "метформин в 8 и 20 аааа": is "аааа" a medication at 20:00?
    return Add(tuple(items)), False


_A_KIND = re.compile(r"железо|витамины|витаминки|гормоны|антибиотики?|пробиотики?|iron|vitamins|antibiotics?|probiotics?"
                     r"|hormones|мочегонное|мочегонные|обезболивающее|снотворное")
_DESCRIBED_ONE = re.compile(r"(?<![\w-])(?:тот|ту|те|та|that) \w+,? (?:который|которую|которые|которое|что|that|which|the) ")
""""тот антибиотик, который врач сказал": a medication pointed at, not named; its reading is confirmed."""
_A_CLASS = re.compile(r"(?:(?:мой|моя|мои|my|the) )?(?:антибиотик\w*|обезболивающ\w*|снотворн\w*|мочегонн\w*|жаропонижающ\w*"
                      r"|успокоительн\w*|antibiotics?|painkillers?|pain (?:pills?|meds?|medicine)|sleeping pills?"
                      r"|water pills?|sedatives?|antibiotic pills?)")
"""A class of medicines, not one: a person on an antibiotic is asked which before it is kept."""
_PER_DAY_COUNT = re.compile(r"(?<![\w-])(\d|один|одн\w*|два|две|три|once|twice|thrice|one|two|three) ?(?:раза?|р|x|times)?"
                            r" ?(?:/|в|a|per) ?(?:день|сутки|д|сут|day|daily)(?![\w-])")


def _one_unit(doses: Sequence[DoseHit]) -> bool:
    """"1 capsule twice daily for 10 days — doxycycline 100mg": two amounts in two units are a
    count and a strength, not the steps of a taper."""
    return len({unit_stem(dose.text) for dose in doses}) == 1


_COURSE_OF = re.compile(r"(\d{1,2}) (?:укол\w*|инъекци\w*|ампул\w*|капельниц\w*|injections?|shots?|infusions?)")
""""Курс Комбилипена 10 уколов, каждый день": a course counted in injections, one a day, is its length in days."""


def _same_medication_joined(items: list[AddItem]) -> list[AddItem]:
    """"в 9 утра ксарелто, в 9 вечера ксарелто и розувастатин": one medication said twice with its
    times, the same dosage and rule, is one entry at both times."""
    joined: list[AddItem] = []
    for item in items:
        same = next((n for n, kept in enumerate(joined) if kept.med.key == item.med.key and kept.dosage == item.dosage
                     and kept.regimen == item.regimen and not kept.routine and not item.routine
                     and kept.times and item.times), None)
        if same is None:
            joined.append(item)
        else:
            kept = joined[same]
            joined[same] = replace(kept, times=tuple(sorted(set(kept.times) | set(item.times))))
    return joined


_PAST = re.compile(r"\bвчера\b(?!(?: \w+)?,? (?:врач|доктор|терапевт|кардиолог|эндокринолог|невролог|назначил\w*|прописал\w*"
                   r"|выписал\w*|порекомендовал\w*))|\byesterday\b(?!(?: \w+)? (?:doctor|gp|nurse|prescribed|started))")
""""в 9 вчера" (a typo of "вечера"), "вчера выпила": never an add; but "вчера врач назначил" is how one came."""
_EXTENDED = re.compile(r"(?<![\w-])(?:продлил\w*|продлен\w*|продлён\w*|продлев\w*|продлит\w*|extended|extending|prolonged)(?![\w-])")
""""продлили флемоксин ещё на 3 дня": more days of a course already kept, never a new three-day one."""
_ALREADY_ON = re.compile(r"(?<![\w-])(?:уже|сейчас|already|currently|now) (?:на|on|at|down to) \d[^.!?]*[.!?:]?\s*"
                         r"(?:дальше|далее|потом|затем|then|next|after that)(?![\w-])")
""""Преднизолон уже на 2 таблетках. Дальше: 1.5 ...": where the taper stands now is no step to take again."""
_NOT_ROUTINE = re.compile(r"\bне (?:утром|вечером|днем|на ночь|перед сном|после|до|перед|за|в обед|в завтрак|в ужин|к обеду|с утра|на утро|на вечер|на день|утро|вечер)\b|\bnot (?:in the|at|with|after|before)\b")

DOUBTFUL = "doubtful"
_CORRECTED = re.compile(r"(?<![\w-])(?:ой|нет|точнее|вернее|перепутал\w*|ошиб\w*|no wait|oops|sorry|i mean|actually)(?![\w-])")
"""A builder's "unsure" that still has a best reading: the person confirms it with one tap."""


def build_weak_add(r: Reading) -> tuple[Command, bool]:
    return build_add(r, weak=True)


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


def _only_the_last(r: Reading) -> bool:
    """"последнее", "the last one": the medication added last (the change reads it so), not a name."""
    words = [t.low for c in r.names for t in c.tokens if t.kind == "word"]
    return bool(words) and all(word in _THE_LAST or word in ("one", "the", "что", "я", "добавила", "добавил") for word in words) \
        and any(word in _THE_LAST for word in words)


def _about_the_slip(word: str) -> bool:
    return bool(_UNDO_CONTEXT.fullmatch(word) or company_word(word) or plain_word(word) and word not in _NOT_A_SLIP)


_NOT_A_SLIP = frozenset({"все", "всё", "all", "everything", "напоминания", "reminders", "reminder", "напоминание"})


def _medications_only(names: list[Chunk]) -> list[Chunk]:
    """"the kids had their vitamin D", "stop the Plavix, doctor cancelled it": beside a
    medication, words of people or of plain language are no second medication."""
    people = [c for c in names if _A_HEALTH_WORKER.fullmatch(" ".join(t.low for t in c.tokens if t.kind == "word"))]
    if people and len(people) < len(names):
        names = [c for c in names if c not in people]  # "удали омез, гастроэнтеролог отменил": who, not what
    medical = [c for c in names if looks_like_medication(c.tokens) or brand_like(c) and not all(
        t.low.isascii() and is_english_word(t.low) for t in c.tokens if t.kind == "word")]
    if not medical or len(medical) == len(names):
        return names
    return [c for c in names if c in medical or not (
        ordinary_words(c) and (all(t.low.isascii() for t in c.tokens) or has_verb(c.tokens))  # "экватор" may be a brand
        or all(company_word(t.low) for t in c.tokens if t.kind == "word"))]


_NOT_YET = re.compile(r"\s*(?:(?:ещё|еще|пока|тоже|also|still)\s+)?(?:нет|не\b(?! только)|not yet|not\b|no\b)"
                      r"|\s*(?:(?:потом|позже|вечером|утром|днем|днём|на ночь|later|tonight)\s+)?(?:выпью|приму|приму его"
                      r"|will take|i'?ll take)\b")
""""аспирин ещё нет", "the aspirin not yet": a name said as not taken."""
_NOT_YET_INSIDE = re.compile(r"(?:^|\s)(?:(?:ещё|еще|пока|still)\s+)?(?:нет|not yet|not)$")


def _not_yet(chunk: Chunk, low: str) -> bool:
    words = " ".join(t.low for t in chunk.tokens)
    return bool(_NOT_YET.match(low, chunk.tokens[-1].end) or _NOT_YET_INSIDE.search(words)
                or _FORGOT_BEFORE.search(low, 0, chunk.tokens[0].start))


_FORGOT_BEFORE = re.compile(
    r"(?:forgot|forgotten|missed|skipped|haven'?t (?:taken|had)|didn'?t take|still (?:need|have) to take|yet to take"
    r"|забыл\w*|пропустил\w*|не (?:выпил\w*|принял\w*|успел\w*))(?: (?:about|to take|the|my|her|his|про|о|об|выпить))*\s*$")
""""took X and Y, forgot the aspirin", "выпила конкор, забыла про аспирин": that one is not taken."""


_BECAUSE = re.compile(r"(?<![\w-])(?:а то|потому что|так как|because|since|as i)(?![\w-])")
CANCELS = re.compile(r"(?<![\w-])(?:отмен\w*|отмн\w*|undo|cancel|верн\w*|revert)(?![\w-])")
_KEEP = re.compile(r"(?<![\w-])(?:оставь\w*|оставить|остав[ья]те|не (?:трогай|удаляй|убирай)\w*|кроме|except|keep\w*"
                   r"|leave|but not|не надо удалять)(?![\w-])")
"""A deletion that also names what stays is asked about, so nothing kept is deleted by mistake
("delete the 2pm paracetamol, keep the others" names nothing that stays)."""


def build_delete(r: Reading) -> tuple[Command, bool]:
    if r.bad_time:
        return Unknown(), False
    if _cancels_the_slip(r):
        if _UNDO_SCOPE.search(r.low):
            return Unknown(), True  # "отмени не последнее, а то, что утром": not the last change
        return Undo(), False  # "внучек отмени это я ошиблась": no medication named, the last change
    names = _medications_only(r.names)
    if _THE_ONE_ADDED.search(r.low) or any(only_what_it_is_for(c, r.low) or _A_KIND.fullmatch(c.tokens[-1].low)
                                               and _ALL_OF.search(r.low) for c in names):
        return Delete((), unique_times(r.times)), False  # "убери то, что от давления": the bot asks which, with buttons
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


_A_HEALTH_WORKER = re.compile(rf"(?:(?:my|the|мой|моя|наш|наша) )?{HEALTH_WORKER}")
_ALL_OF = re.compile(r"(?<![\w-])(?:все|всё|all|every)(?![\w-])")
_THE_ONE_ADDED = re.compile(
    r"(?<![\w-])(?:the one|the ones|that one|those|the thing|what|whatever) (?:i|we|you|she|he) (?:just |recently |have |had )?"
    r"(?:added|put in|entered|set up|saved)(?![\w-])"
    r"|(?<![\w-])(?:то|тот|те|та|ту|что),? (?:что|которое|который|которые|которую) (?:я |мы |ты |она |он )?"
    r"(?:только что |вчера |недавно |сегодня )?(?:добавил\w*|внес\w*|внёс\w*|записал\w*)")
""""remove the one I added yesterday": which one is meant is asked, never a medication called "added"."""


def build_time_change(r: Reading) -> tuple[Command, bool]:
    if r.bad_time:
        return Unknown(), False
    if doses_a_day(r.low) is not None:
        return Unknown(), True  # "перевели с 20 на 15 и теперь 2 раза в день": milligrams, hours, and a new rhythm?
    name, clear = single_name(r) if not _only_the_last(r) else (None, True)  # "последнее перенеси на 19:30"
    old = [t for t in r.times if t.role == "old"]
    new = [t for t in r.times if t.role != "old"]
    if not old and len(new) == 2 and new[0].role is None and new[1].role == "new":
        old, new = new[:1], new[1:]  # "move the 8pm lipitor to 10pm": the time it is moved from
    if not old and len(new) == 2 and new[0].role is None is new[1].role and _SHOULD_BE.search(
            r.text[r.tokens[new[0].end - 1].end:r.tokens[new[1].start].start].lower()):
        old, new = new[:1], new[1:]  # "the 9 o'clock one should be at 9:30"
    if not clear or r.relative_time or r.doses or len(old) > 1 or not new:
        return Unknown(), True
    between = r.text[r.tokens[new[0].start].start:r.tokens[new[-1].end - 1].end] if len(new) > 1 else ""
    if between and (re.search(r"[.!?]\s", between) or _BECAUSE.search(between)):
        return Unknown(), True  # "to 21:00 please? 8pm is too early", "на 21:00, а то в 20 я на работе"
    command = TimeChange(name, unique_times(new), old[0].value if old else None)
    moving = any(cue.intent == "time_change" and cue.strong for cue in r.cues)
    if not moving and not old and all(_bare_number(r, hit) for hit in new) or any(hit.guessed for hit in new):
        return command, DOUBTFUL  # "поменяй аспирин на 10": 10:00, or 10 mg? asked with one tap
    return command, False


_SHOULD_BE = re.compile(r"\b(?:should be|needs to be|must be|has to be|надо|нужно|должен быть|должна быть)\b")


def _bare_number(r: Reading, hit: TimeHit) -> bool:
    """A time said as nothing but a whole number after "на"/"to": a dose as much as an hour."""
    words = [token for token in r.tokens[hit.start:hit.end] if PREFIXES.get(token.low) != "new"]
    return len(words) == 1 and words[0].kind == "num" and words[0].low.isdigit() and int(words[0].low) <= 24


def build_dose_change(r: Reading) -> tuple[Command, bool]:
    name, clear = single_name(r)
    if not clear or len(r.doses) != 1 or (r.times and not old_amount_only(r)):
        return Unknown(), True
    return DoseChange(name, r.doses[0].text), False


def build_timezone(r: Reading) -> tuple[Command, bool]:
    zone = r.find_zone()
    if zone is None:
        return Unknown(), True
    outside = [hit for hit in r.times if not (zone.start <= r.tokens[hit.start].start < zone.end)]
    if outside or r.doses:
        return Unknown(), True  # "живу в Самаре. Пью престариум 5 мг в 8": two things at once
    return TimezoneChange(zone.zone), False


def build_done(r: Reading) -> tuple[Command, bool]:
    gave = any(r.low[c.start:c.end] in _GAVE for c in r.cues if c.intent == "done")
    if gave and (r.times or r.routine or _PRESCRIBER.search(r.low)):
        return Unknown(), True  # "врач дал диклофенак — в 10 и 22", "the doctor gave me X": prescribed
    if _PARTLY.search(r.low) or (r.names and all(_only_a_count(c) for c in r.names)):
        return Unknown(), True  # "выпила, но не все", "took one": which ones?
    names = [Chunk(without_dose_word(list(c.tokens)), c.after_dose)
             for c in map(_without_count, _medications_only(r.names))]
    if len(names) > 1:
        names = [c for c in names if not only_what_it_is_for(c, r.low)] or names
    if any(_not_yet(c, r.low) for c in names):
        names = [c for c in names if not _not_yet(c, r.low)]  # "..., аспирин ещё нет"
        if not names:
            return Unknown(), True
    names = [c for c in names if not only_a_form(list(c.tokens))]  # "капли закапала": no name said
    if len(names) > 1 and not all(only_a_kind(c) for c in names):
        names = [c for c in names if not only_a_kind(c)]  # "inhaler done, 2 puffs of symbicort"
    if any(implausible(c) and not stray_numbers(c) for c in names):
        return Unknown(), True
    if any(misspelt(c) or ordinary_words(c) for c in names):
        return Unknown(), True  # "taken, tanks": no medication is called that
    kept = [_without_numbers(c) if stray_numbers(c) else c for c in names]
    if any(c is None for c in kept):
        return Unknown(), True  # a number and nothing to name: never "whatever is pending"
    return Done(tuple(corrected_name(c, r.text) for c in kept if c is not None),
                part=None if kept else part_said(r.low)), False


def _without_numbers(chunk: Chunk) -> Chunk | None:
    """"уколола лантус 20": the units said after the name are not part of it."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    if not words or any(cardinal(t.low) is not None for t in words):
        return None
    return Chunk(words, chunk.after_dose)


_PARTLY = re.compile(r"\bне (?:все|всё|обе|оба|всю)\b|\bnot (?:all|both|every)\b|\bone of\b|\bsome of\b|\bчасть\b"
                     r"|\bодн[уа] из\b|\bполовину из\b|\b(?:took|taken|выпил\w*|принял\w*) (?:only )?(?:one|одну|одна)$")
_GAVE = frozenset({"дал", "дала", "дали", "gave"})
_PRESCRIBER = re.compile(r"(?<![\w-])(?:врач\w*|доктор\w*|doctor|dr|gp|physician|терапевт\w*|кардиолог\w*"
                         r"|невролог\w*|эндокринолог\w*|участков\w*|специалист\w*)(?![\w-])")
"""Who gives a medication by prescribing it: "the doctor gave me zopiclone" is no dose taken."""
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
            return build_add(r, weak=True)  # "эти мои таблетки от давления лозап в 9": an add
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


def build_undo(r: Reading) -> tuple[Command, bool]:
    medical = [c for c in r.names if not ordinary_words(c) and not all(
        explained(t.low) or _UNDO_CONTEXT.fullmatch(t.low) or company_word(t.low) or plain_word(t.low)
        for t in c.tokens)]  # "внучек отмени это я ошиблась": words about the slip
    doses = [dose for dose in r.doses if not _THAT_PILL.search(r.low)]
    if medical or r.times or doses:
        return Unknown(), True  # "отмени аспирин в 9" is not an undo of the last change
    undo_said = [(c.start, c.end) for c in r.cues if c.intent == "undo"]
    outside = "".join(" " if any(start <= n < end for start, end in undo_said) else ch for n, ch in enumerate(r.low))
    if _UNDO_SCOPE.search(outside) or _KEEP.search(outside):  # "верни всё как было" is the last change
        # said as people say it; "undo the dose change but keep the new time" is a part of one
        return Unknown(), True  # "undo everything I did today": more than the last change
    return Undo(), False


_THAT_PILL = re.compile(r"\b(?:не )?(?:ту|эту|that|the wrong) (?:таблетк\w*|лекарств\w*|pill|med\w*)\b")
""""не ту таблетку записала, отмени": the pill that was the slip, no dosage."""
_UNDO_CONTEXT = re.compile(r"last|one|it|that|this|msg|message|thing|wrong|pressed|tapped|clicked|forget|mistake|entry"
                           r"|записал\w*|добавил\w*|написал\w*|ошибл\w*|нет(?:-нет)*|nevermind|never|mind|how|was|back|как|было"
                           r"|ч(?:его|то)-?то|куда-?то|не|туда|то|я"
                           r"|change|action|previous|just|did|made|sent|нажал\w*|не туда|случайно|сообщени\w*|последн\w*"
                           r"|no|didn'?t|mean|meant|wanted|want|oops|hmm|wait")
_UNDO_SCOPE = re.compile(r"\b(?:не последн\w*|not the last|everything|all|всё|все|вчера\w*|yesterday|today|сегодня\w*|last (?:week|monday|tuesday|"
                         r"wednesday|thursday|friday|saturday|sunday)|from last|за (?:неделю|день)|two|three|несколько|"
                         r"several|few|два|две|три)\b")


def build_unsure(r: Reading) -> tuple[Command, bool]:
    return Unknown(), bool(r.names or r.times or r.doses)


BUILDERS = {
    "add": build_add,
    "weak_add": build_weak_add,
    "delete": build_delete,
    "time_change": build_time_change,
    "dose_change": build_dose_change,
    "timezone": build_timezone,
    "done": build_done,
    "list": _fixed(ListSchedule()),
    "stats": _fixed(Stats()),
    "help": _fixed(Help()),
    "unsure": build_unsure,
    "undo": build_undo,
    "language": build_language,
}


def old_amount_only(r: Reading) -> bool:
    """"вместо 14" beside a dosage: the amount it was, not an hour."""
    return bool(r.times) and all(
        t.role == "old" and r.tokens[t.end - 1].kind == "num" and "." not in r.tokens[t.end - 1].low
        and all(token.kind == "word" for token in r.tokens[t.start:t.end - 1]) for t in r.times)
