"""The reading's leftovers set aside: clauses of talk beside a request, and words said beside
the names in a mark or a deletion.

`read` keeps every stretch of unclaimed words as a name chunk; here the ones that are plain talk
(see `talk`) go, so "тут такое дело, мне выписали грандаксин, 1 таблетка в 9" is read as the add
it asks for, "took my synthroid already fyi" marks synthroid alone, and "выпила конкор лозап и
кардиомагнил" marks three medications, not two. A word of days said inside a clause of talk goes
with it ("я сегодня была у кардиолога": that "today" is the visit's).
"""

from __future__ import annotations

import re

from medbot.core.nlu.forms import only_a_form
from medbot.core.nlu.lexicon import GENERIC_WORDS, MED_WORDS, STOP_WORDS
from medbot.core.nlu.names import lemma, looks_like_medication
from medbot.core.nlu.normalize import Token
from medbot.core.nlu.reading import CONDITIONS, Chunk, Reading, a_condition, brand_like
from medbot.core.nlu.russian_words import is_known
from medbot.core.nlu.schedule_facts import RuleFacts
from medbot.core.nlu.talk import (
    ENDED,
    beside_a_name,
    name_core,
    only_form_and_place,
    ordinary_or_article,
    talk,
)
from medbot.core.nlu.typos import near_medication


def set_aside(reading: Reading) -> Reading:
    """The reading without the chunks of talk in it."""
    _drop_talk(reading)
    _drop_kinds_named_after(reading)
    _drop_purposes(reading)
    return reading


_ANOTHER = re.compile(r"(?<![\w-])(?:и|ещ[её]|а также|тоже|плюс|and|also|plus|too)(?![\w-])")
"""Before a purpose, a word that adds a medication: "и ещё то, что от давления" is a second one."""


def _drop_purposes(reading: Reading) -> None:
    """What a medication is for, said apart from its name ("от давления по вторникам лозап 50"), when
    a medication is named beside it."""
    purposes = [c for c in reading.chunks if only_what_it_is_for(c, reading.low)
                and not _ANOTHER.search(reading.low[:c.whole[0].start])]
    if not purposes or not any(looks_like_medication(c.tokens) or brand_like(c)
                               for c in reading.chunks if c not in purposes and not c.generic):
        return
    reading.chunks[:] = [c for c in reading.chunks if c not in purposes]
    reading.events[:] = [e for e in reading.events if not (e[0] == "name" and e[1] in purposes)]


_FOR_A_REASON = re.compile(r"(?<!\bи )(?<!\band )(?<!, )\b(?:от|for)(?: [\w-]+)?\s*$")


def only_what_it_is_for(chunk: Chunk, low: str) -> bool:
    """"цитрамон выпила от головы", "нурофен выпил от зубной боли": what it was for, not a second
    medication ("конкор и от давления" names a second one, by what it is for); "от давления по
    вторникам лозап 50": what the medication named beside it is for."""
    words = [t for t in chunk.tokens if t.kind == "word"]
    return (bool(words) and a_condition(words[-1].low)
            and all(is_known(t.low) and not looks_like_medication([t]) for t in words)
            and _FOR_A_REASON.search(low[:words[0].start]) is not None)




_KINDS = frozenset("""eye ear nasal drops drop probiotic probiotics antibiotic antibiotics supplement inhaler spray
    cream ointment vitamins глазные ушные капли капельки пробиотик антибиотик спрей мазь крем ингалятор витамины
    new another новое новый новая новые""".split())


def _drop_kinds_named_after(reading: Reading) -> None:
    """"my eye drops, Xalatan, one drop at 9", "a probiotic, Culturelle, at noon", "eye drops:
    Xalatan at 9pm": the kind of medication, then (after a comma or a colon) its name. The kind
    goes, with the comma after it; the name takes what was said."""
    events = reading.events
    names = [(n, item) for n, (kind, item) in enumerate(events) if kind == "name"]
    gone = [first for (n, first), (m, second) in zip(names, names[1:])
            if _apposed(reading, events[n + 1:m], first, second) and only_a_kind(first)  # type: ignore[arg-type]
            and (looks_like_medication(second.tokens) or brand_like(second))]  # type: ignore[attr-defined]
    if gone:
        reading.chunks[:] = [c for c in reading.chunks if c not in gone]
        events[:] = [e for n, e in enumerate(events) if not (e[0] == "name" and e[1] in gone)
                     and not (n and events[n - 1][0] == "name" and events[n - 1][1] in gone and e[0] == "sep")]


def _apposed(reading: Reading, between: list[tuple[str, object]], first: object, second: object) -> bool:
    """Nothing but a comma or a colon between the two names (a colon makes no separator event)."""
    if len(between) == 1:
        kind, mark = between[0]
        return kind == "sep" and getattr(mark, "low", "") in (",", ":")
    end, start = first.tokens[-1].end, second.tokens[0].start  # type: ignore[attr-defined]
    gap = reading.text[end:start]
    return not between and (":" in gap or gap.strip() in ("-", "–", "—"))  # "eye drops - chloramphenicol"


def only_a_kind(chunk: Chunk) -> bool:
    """Words for a kind of medication only ("eye drops", "inhaler"): no name of one."""
    return all(t.low in _KINDS or t.low in GENERIC_WORDS or t.low in STOP_WORDS for t in chunk.tokens if t.kind == "word")


def _names_only(reading: Reading) -> None:
    """A mark or a deletion keeps only what names medications when some chunk does: "took my
    synthroid already fyi", "remove the ibuprofen, my knee's a lot better now"."""
    named = _names_a_medication
    for chunk in reading.chunks:
        start, end = name_core(chunk.tokens)
        core = Chunk(chunk.tokens[start:end])
        if (start, end) != (0, len(chunk.tokens)) and named(core) and not only_a_form(core.tokens) and all(
                beside_a_name(part) and not only_form_and_place(part)
                for part in (chunk.tokens[:start], chunk.tokens[end:]) if part):
            chunk.tokens = core.tokens
    if any(named(c) for c in reading.names):
        _drop(reading, [c for c in reading.names if not named(c) and beside_a_name(c.tokens)])
    for chunk in list(reading.chunks):
        words = [t for t in chunk.tokens if t.kind == "word"]
        if len(words) == len(chunk.tokens) >= 2 and all(_a_whole_medication(t.low) for t in words):
            _split(reading, chunk)  # "выпила конкор лозап и кардиомагнил": three, not two


def _names_a_medication(chunk: Chunk) -> bool:
    plain = all(ordinary_or_article(t) for t in chunk.tokens if t.kind == "word")
    return looks_like_medication(chunk.tokens) or brand_like(chunk) and not plain or misspelt_medication(chunk)


_COMBINING = frozenset("""витамин витамина витамины омега омегу омеги магний магния кальций кальция калий калия
    железо железа цинк цинка йод йода коэнзим инсулин инсулина рыбий vitamin omega magnesium calcium iron zinc
    potassium insulin fish""".split())


def _a_whole_medication(word: str) -> bool:
    """A word that names a medication on its own (never a part of a longer name, like "витамин")."""
    return len(word) >= 5 and word not in _COMBINING and (word in MED_WORDS or lemma(word) in MED_WORDS)


def _split(reading: Reading, chunk: Chunk) -> None:
    parts = [Chunk([token], chunk.after_dose) for token in chunk.tokens]
    at = reading.chunks.index(chunk)
    reading.chunks[at:at + 1] = parts
    for n, (kind, item) in enumerate(reading.events):
        if kind == "name" and item is chunk:
            reading.events[n:n + 1] = [("name", part) for part in parts]
            break


_NAMELESS = frozenset({"undo", "help", "language", "list"})
"""Commands that take no medication's name: talk beside them ("бро, отмени") goes too."""


def _drop_talk(reading: Reading) -> None:
    """Clauses of plain talk go when a medication is named beside them (see `talk`)."""
    strong = {c.intent for c in reading.cues if c.strong}
    if strong and strong <= {"done", "delete"}:
        _names_only(reading)
    nameless = bool(strong) and strong <= _NAMELESS and not (
        reading.times or reading.doses or reading.rules.hits or reading.find_zone() is not None)
    said = [c for c in reading.chunks if not c.generic and (talk(_talk_span(c)) or nameless and beside_a_name(c.whole)
                                                            and not _about_a_condition(c))]
    if not said or not (reading.cues or reading.doses or reading.times or reading.routine):
        return
    kept = [c for c in reading.chunks if c not in said and not c.generic]
    if not nameless and not any(looks_like_medication(c.tokens) or brand_like(c) or misspelt_medication(c) for c in kept):
        return
    _drop(reading, said)


def _about_a_condition(chunk: Chunk) -> bool:
    """"что мне пить от головы": a question for a doctor, never a list asked for with talk around it."""
    return any(a_condition(t.low) or t.low in CONDITIONS for t in chunk.whole if t.kind == "word")


def _talk_span(chunk: Chunk) -> list[Token]:
    """What is judged as talk: the trimmed words, or all of them when one word was left ("I would
    kindly like" → "like")."""
    return chunk.whole if len(chunk.tokens) == 1 else chunk.tokens


def _drop(reading: Reading, said: list[Chunk]) -> None:
    """The chunks go, with any word of days said inside their clause ("я сегодня была у
    кардиолога": that "today" is the visit's, not the medication's)."""
    events = reading.events
    gone: set[int] = set()
    a_break = any("pause" in hit.facts for hit in reading.rules.hits)  # "завтра, ну как тут писать, не напоминай": the break's day
    dayless = any("weekly" in hit.facts for hit in reading.rules.hits) and sum(
        "weekdays" in hit.facts for hit in reading.rules.hits) == 1  # "once weekly. Mondays suit me best": the day of it
    for n, (kind, item) in enumerate(events):
        if kind == "name" and item in said and (len(item.tokens) > 1 or item.tokens[0].low in ENDED) and not a_break:
            for step in (-1, 1):
                k = n + step
                run = []
                while 0 <= k < len(events) and events[k][0] == "rule":
                    if not (dayless and "weekdays" in events[k][1].facts):
                        run.append(events[k][1])
                    k += step
                continues = step < 0 and 0 <= k and events[k][0] in ("name", "dose") and events[k][1] not in said
                announced = step > 0 and run and ":" in reading.low[item.tokens[-1].end:run[0].start]
                gone.update(id(hit) for hit in run if not (continues or announced) or _one_day(hit.facts))
    reading.chunks[:] = [c for c in reading.chunks if c not in said]
    events[:] = [e for e in events if not (e[0] == "name" and e[1] in said) and id(e[1]) not in gone]
    if gone:
        reading.rules = RuleFacts([hit for hit in reading.rules.hits if id(hit) not in gone])


def _one_day(facts: dict[str, object]) -> bool:
    """A single day ("сегодня", "в понедельник") that the talk may have been about; "every Monday
    for 6 weeks" right after the medication's name or dose is the medication's, whatever the talk
    after it ("... as per the GP")."""
    return set(facts) <= {"day"} or (set(facts) <= {"weekdays", "plural", "every"} and not facts.get("plural")
                                     and not facts.get("every"))


def misspelt_medication(chunk: Chunk) -> bool:
    """A word one typo from a known medication that is no dictionary word ("глазки" is one)."""
    return any(t.kind == "word" and near_medication(t.low) and not is_known(t.low) for t in chunk.tokens)


