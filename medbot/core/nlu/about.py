"""Whether a message the parser could not read is still about the person's medicines.

Such a message goes to the LLM (when one is configured) instead of a plain "не понял": "я в
командировке", "пью две таблетки утром и одну вечером", "не, не так" each need a question back,
not a shrug. Small talk, thanks, questions for a doctor, prompt injection and reminders about
anything but medicines stay where they are: the LLM would have nothing to add.
"""

from __future__ import annotations

import re

from medbot.core.nlu.names import has_verb, is_everyday_thing, looks_like_medication
from medbot.core.nlu.reading import Reading, brand_like

_MEDICINE_WORDS = re.compile(
    r"\b(?:таблет\w*|табл|лекарств\w*|капсул\w*|капл\w*|пилюл\w*|препарат\w*|ингалятор\w*|укол\w*|"
    r"витамин\w*|дозу?|дозиров\w*|pills?|tablets?|meds?|medicines?|medications?|capsules?|drops?|"
    r"doses?|vitamins?|inhaler|injections?)\b")
_TRAVEL_WORDS = re.compile(
    r"\b(?:приле\w+|приеха\w*|улете\w*|уеха\w*|переех\w*|перееза\w*|командировк\w*|в отпуск\w*|"
    r"на отдых\w*|часов\w* пояс\w*|time ?zone|flew|flying|landed|moved|moving|travell?ing|trip|"
    r"abroad|vacation|holiday)\b")
_CORRECTION_WORDS = re.compile(
    r"\b(?:не так|не то|ошиб\w*|переделай\w*|исправ\w*|поменяй\w*|измени\w*|wrong|fix|mistake|"
    r"change it|not right|i meant|я имел\w* в виду)\b")
_TAKING_WORDS = re.compile(r"\b(?:пь[юёе]\w*|пил[аи]?|выпи\w+|приня\w+|принима\w+|take|takes|taking|took)\b")


def about_medicines(r: Reading) -> bool:
    """Words, numbers or names that only make sense about taking medicines."""
    if {c.intent for c in r.cues if c.strong} & {"offtopic", "not_done"} or (r.bad_time and not r.doses):
        return False  # a question for a doctor, an injection, "не выпил": answered as they are
    tokens = [t for c in r.names for t in c.tokens]
    if tokens and (is_everyday_thing(tokens) or has_verb(tokens) and "remind" in r.intents()):
        return False  # "пью кофе в 8", "напомни позвонить маме"
    low = r.low
    if _MEDICINE_WORDS.search(low) or _TRAVEL_WORDS.search(low) or _CORRECTION_WORDS.search(low):
        return True
    if r.doses or r.routine or r.find_zone() is not None:
        return True  # a place: "мама в Москве, а я в Новосибирске" needs one question back
    medical = any(looks_like_medication(c.tokens) or brand_like(c) for c in r.names)
    return medical and bool(r.times or _TAKING_WORDS.search(low))
