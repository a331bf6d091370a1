"""Parts of a person's own day said instead of a clock time: "после завтрака", "at bedtime".

Each phrase names one slot of the day; the bot asks once what time that is for this person and
remembers it. A phrase right next to a clock time only qualifies it ("утром в 8", "9 at night")
and is no slot. "После еды" / "with food" say how to take a medicine, not when: no slot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medbot.core.nlu.intents import Cue
from medbot.core.nlu.normalize import Token

SLOTS = ("morning", "afternoon", "evening", "bedtime", "before_breakfast", "breakfast", "after_breakfast",
         "before_lunch", "lunch", "after_lunch", "before_dinner", "dinner", "after_dinner")

_MEALS = {"breakfast": r"завтрак\w*|breakfast", "lunch": r"обед\w*|lunch",
          "dinner": r"ужин\w*|dinner|supper"}
_WHOSE = r"(?:(?:my|his|her|the|our|their|your) )?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = []
for _meal, _words in _MEALS.items():
    _PATTERNS += [
        (f"before_{_meal}", re.compile(rf"(?:за (?:полчаса|час|\d+ минут|\w+ минут) |(?:half an hour|an hour|\d+ min\w*) )?"
                                       rf"(?:до|перед|before) {_WHOSE}(?:{_words})")),
        (f"after_{_meal}", re.compile(rf"(?:после|after) {_WHOSE}(?:{_words})")),
        (_meal, re.compile(rf"(?:за|во время|при|с|к|в|with|during|at|for) {_WHOSE}(?:{_words})(?: ?time)?"
                           rf"|(?:{_words}) ?time")),
    ]
_PATTERNS += [
    ("before_breakfast", re.compile(r"натощак|на тощак|на голодный желудок|(?:(?:on|in|with) )?(?:an? )?empty stomach")),
    ("bedtime", re.compile(r"на ночь|перед сном|at bedtime|before (?:bed|bedtime|sleep)|bedtime|at night|ночью|по ночам")),
    ("morning", re.compile(r"утром|с утра|на утро|по утрам|кажд\w+ утро|first thing(?: in the morning)?|in the morning|(?:every|each) morning|mornings?")),
    ("afternoon", re.compile(r"днем|в обед|in the afternoon|afternoon|in afternoon(?: time)?")),
    ("evening", re.compile(r"вечером|на вечер|по вечерам|кажд\w+ вечер|in the evening|(?:every|each) evening|evenings?")),
]
_LUNCHTIME = "lunch"


_MEAL_LIST = re.compile(r"(до|перед|после|за|во время|с|при|before|after|with|during|at) (.+)")
_MEAL_WORD = re.compile(r"завтрак\w*|обед\w*|ужин\w*|breakfast|lunch|dinner|supper")
_RELATION = {"до": "before_", "перед": "before_", "before": "before_", "после": "after_", "after": "after_"}
_MEAL_OF = {"завтрак": "breakfast", "обед": "lunch", "ужин": "dinner", "breakfast": "breakfast", "lunch": "lunch",
            "dinner": "dinner", "supper": "dinner"}


def slot_of(phrase: str) -> str | None:
    """The slot a filler phrase names ("после завтрака" → "after_breakfast"), if any."""
    for slot, pattern in _PATTERNS:
        if pattern.fullmatch(phrase):
            return _LUNCHTIME if phrase == "в обед" else slot
    return None


def slots_of(phrase: str) -> list[str]:
    """Every slot a phrase names: "за завтраком и ужином" → ["breakfast", "dinner"]."""
    single = slot_of(phrase)
    if single is not None:
        return [single]
    match = _MEAL_LIST.fullmatch(phrase)
    if match is None:
        return []
    prefix = _RELATION.get(match.group(1), "")
    meals = [_MEAL_OF[next(k for k in _MEAL_OF if word.startswith(k))] for word in _MEAL_WORD.findall(match.group(2))]
    return [prefix + meal for meal in dict.fromkeys(meals)]


def routine_phrases(cues: Sequence[Cue], low: str) -> list[tuple[Cue, list[str]]]:
    """The filler phrases that name parts of the day, with their slots; "вечером натощак" is one
    evening dose on an empty stomach, never a second one before breakfast."""
    found = [(cue, slots_of(low[cue.start:cue.end])) for cue in cues if cue.intent == "filler"]
    found = [(cue, slots) for cue, slots in found if slots]
    later = [cue for cue, slots in found if set(slots) & _LATER_IN_THE_DAY]
    return [(cue, slots) for cue, slots in found
            if not (slots == ["before_breakfast"] and _EMPTY_STOMACH.search(low[cue.start:cue.end])
                    and any(abs(cue.start - other.end) <= 3 or abs(other.start - cue.end) <= 3 for other in later))]


_LATER_IN_THE_DAY = frozenset({"afternoon", "evening", "bedtime", "lunch", "before_lunch", "dinner", "before_dinner"})
_EMPTY_STOMACH = re.compile(r"натощак|на тощак|голодный желудок|empty stomach")


def routine_cues(phrases: Sequence[tuple[Cue, list[str]]], tokens: Sequence[Token],
                 times: Sequence[tuple[int, int]]) -> list[tuple[int, str]]:
    """(character position, slot) of each routine phrase not right next to a clock time."""
    return [(cue.start, slot) for cue, slots in phrases if not _next_to_time(cue, tokens, times) for slot in slots]


def _next_to_time(cue: Cue, tokens: Sequence[Token], times: Sequence[tuple[int, int]]) -> bool:
    """"утром в 8", "в 8 утром", "9 at night": the phrase qualifies a clock time."""
    positions = [n for n, t in enumerate(tokens) if t.start >= cue.start and t.end <= cue.end]
    if not positions:
        return False
    first, last = positions[0], positions[-1]
    while last + 1 < len(tokens) and tokens[last + 1].low in _SMALL_WORDS:
        last += 1  # "по утрам мне в 8"
    for start, end in times:
        if start == last + 1 or end == first or (start <= last and end > first):
            return True
        if start == last + 2 and tokens[last + 1].kind == "punct":
            return True  # "утром, в 8"
    return False


_SMALL_WORDS = frozenset({"мне", "я", "ей", "ему", "примерно", "где-то", "около", "часов", "обычно", "usually", "around",
                          "about", "me", "i"})

_DAYPART_OF = {"morning": ("before_breakfast", "breakfast", "after_breakfast"),
               "afternoon": ("before_lunch", "lunch", "after_lunch"),
               "evening": ("before_dinner", "dinner", "after_dinner", "bedtime")}


def within_day(slots: list[str]) -> list[str]:
    """"Утром натощак" is one dose before breakfast, "вечером перед сном" one at bedtime: a part
    of the day said next to a meal or bedtime in it only narrows that down; one said twice
    ("on an empty stomach before breakfast") is one dose."""
    slots = list(dict.fromkeys(slots))
    return [slot for slot in slots if not any(other in _DAYPART_OF.get(slot, ()) for other in slots)]


_HOURS_OF = {"morning": range(4, 12), "before_breakfast": range(4, 12), "breakfast": range(4, 12),
             "after_breakfast": range(4, 13), "afternoon": range(12, 17), "before_lunch": range(11, 16),
             "lunch": range(11, 16), "after_lunch": range(11, 17), "evening": range(17, 24),
             "before_dinner": range(16, 23), "dinner": range(16, 23), "after_dinner": range(16, 24),
             "bedtime": (20, 21, 22, 23, 0, 1, 2)}


def not_placing_times(slots: list[str], times: tuple[str, ...]) -> list[str]:
    """"Утром эутирокс в 6:30": the morning only says when 6:30 is, it is not a second dose at
    the person's usual morning time. A part of the day that holds one of the clock times goes."""
    hours = {int(time[:2]) for time in times}
    return [slot for slot in slots if not hours & set(_HOURS_OF.get(slot, ()))]
