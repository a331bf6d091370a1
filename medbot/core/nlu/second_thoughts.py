"""Second thoughts inside one message: "в 8... хотя нет, в 9", "аторис 20... не, 10 мг на ночь",
"утром, ой не, вечером", "at 8, no wait, 9", "20mg at 8am wait no 10 mg". The value the person
took back goes; the one they settled on stays where they said it.

Only a marker that is itself a change of mind counts: "не," with its comma, "нет", "хотя нет",
"вернее", "no wait", "I mean". "аспирин в 9, не в 10" keeps both words: there "не" means "not".
The value taken back is the last one of the same kind before the marker: a dose for a dose, a
time for a time.
"""

from __future__ import annotations

import re

from medbot.core.nlu.case_blind import case_blind

_PREP = r"(?:(?:в|во|at|к|с|со|from)\s+)"
_HOUR_WORDS = (r"(?:час|два|три|четыре|пять|шесть|семь|восемь|девять|десять|одиннадцать|двенадцать|one|two|three|"
               r"four|five|six|seven|eight|nine|ten|eleven|twelve|часу|двух|тр[её]х|четыр[её]х|пяти|шести|семи|восьми"
               r"|девяти|десяти|одиннадцати|двенадцати)\b")
_TIME = rf"{_PREP}?\d{{1,2}}(?::\d{{2}})?(?:\s*(?:утра|вечера|дня|ночи|am|pm)\b)?"
_DOSE = (r"(?:по\s+)?\d+(?:[.,]\d+)?\s*(?:мг|mg|мкг|mcg|ед|ме|iu|units?|таблет\w*|капсул\w*|капел\w*|капл\w*|"
         r"tablets?|capsules?|drops?|ml|мл)\b")
_DAYPART = (r"(?:утром|вечером|дн[её]м|ночью|на ночь|перед сном|в обед|in the morning|in the evening|at night|"
            r"at bedtime|at noon)\b")
_KINDS = (("dose", re.compile(_DOSE, re.IGNORECASE)), ("daypart", re.compile(_DAYPART, re.IGNORECASE)),
          ("time", re.compile(rf"{_PREP}(?:{_HOUR_WORDS})(?:\s*(?:утра|вечера|дня|ночи|am|pm)\b)?|"
                              rf"{_PREP}\d{{1,2}}(?::\d{{2}})?(?:\s*(?:утра|вечера|дня|ночи|am|pm)\b)?|"
                              rf"\d{{1,2}}:\d{{2}}|\d{{1,2}}\s*(?:am|pm)\b", re.IGNORECASE)),
          ("bare", re.compile(r"\d+(?:[.,]\d+)?(?![\w:]|[.,]\d)", re.IGNORECASE)))
_MARK = re.compile(
    r"\s*(?:\.{2,}|…|,|;|—|-)?\s*(?:(?:ой|ah|oh),?\s+)?"
    r"(?:(?:no,? wait|wait,? no),? make (?:it|that)|не,|нет(?:,?\s+стоп)?,?|стоп,?\s+нет,?|хотя нет,?|хотя не,|ой нет,?|ой,?|вернее,?|точнее,?|no wait,?|"
    r"wait,? no,?|no,|i mean,?|"
    r"or rather,?|sorry,|actually,? no,?(?: make (?:it|that))?|no,? make (?:it|that)"
    r"|(?:no,? wait|wait,? no),? make (?:it|that))(?=\s)\s*(?:(?:давай(?:те)?|лучше|let'?s (?:say|do))\s+)?",
    re.IGNORECASE)
_MARK_WORD = case_blind(r"не,|нет|ой|вернее|точнее|no|wait|mean|rather|sorry|actually")
"""A word every marker contains: a message without one has no second thoughts to settle."""
_NEAR = 40
"""How far back (in characters) a taken-back value may stand."""


def second_thoughts_settled(text: str) -> str:
    """The text with each value the person took back removed, the value they settled on kept."""
    text = _without_said_twice(text)
    if _MARK_WORD.search(text) is None:
        return text
    text = _weekday_swapped(text)
    for mark in _MARK.finditer(text):
        settled = _settled(text, mark)
        if settled is not None:
            return second_thoughts_settled(settled)
    return text


def _settled(text: str, mark: re.Match[str]) -> str | None:
    new_kind, new = _value_at(text, mark.end())
    if new is None:
        return None
    old = _taken_back(text, mark.start(), new_kind)
    if old is None:
        return None
    if re.search(rf"(?<![\w:.,]){re.escape(old.group().strip())}(?![\w:]|[.,]\d)", text[new.end():]):
        return None  # "в 7, точнее в 7:30, в 7 я ещё сплю": the value taken back is said again; left to doubt
    prep = re.match(_PREP, old.group(), re.IGNORECASE)
    keep = prep.group() if prep and not re.match(_PREP, new.group(), re.IGNORECASE) else ""
    between = text[old.end(): mark.start()].rstrip(" ,.;…—-")
    rest = text[mark.end():]
    daypart = _DAYPART_SAID.search(old.group().rstrip()) if new_kind in ("time", "bare") else None
    if daypart is not None and not _DAYPART_SAID.search(new.group()) and not _DAYPART_NEXT.match(text, new.end()):
        rest = text[mark.end(): new.end()] + " " + daypart.group() + text[new.end():]  # "в 10 вечера, нет в 11": 23:00
    return " ".join((text[: old.start()] + keep + between + " " + rest).split())


_DAYPART_SAID = re.compile(r"(?<=[\s\d])(?:утра|вечера|дня|ночи|am|pm)$", re.IGNORECASE)
_DAYPART_NEXT = re.compile(r"\s*(?:утра|вечера|дня|ночи|утром|вечером|дн[её]м|ночью|am|pm|a\.m|p\.m)\b", re.IGNORECASE)


def _value_at(text: str, at: int) -> tuple[str, re.Match[str] | None]:
    for kind, pattern in _KINDS:
        found = pattern.match(text, at)
        if found is not None and (found.end() == len(text) or not text[found.end()].isalnum() or kind == "bare"):
            return kind, found
    time = re.compile(_TIME, re.IGNORECASE).match(text, at)
    return ("time", time) if time else ("", None)


def _taken_back(text: str, end: int, kind: str) -> re.Match[str] | None:
    """The last value before `end` that the new one replaces."""
    start = max(0, end - _NEAR)
    kinds = {"dose": ("dose", "bare"), "time": ("time", "bare"), "daypart": ("daypart",),
             "bare": ("dose", "time", "daypart", "bare")}[kind]
    doses = [(match.start(), match.end()) for match in _KINDS[0][1].finditer(text, start, end)]
    found = [match for name, pattern in _KINDS if name in kinds for match in pattern.finditer(text, start, end)
             if match.end() <= end and (match.start() == 0 or not text[match.start() - 1].isalnum())
             and not (name == "bare" and any(a <= match.start() < b for a, b in doses))  # "200" of "200 мг"
             and not (name == "bare" and kind == "time" and float(match.group().replace(",", ".")) > 24)]  # no hour
    if not found:
        return None
    last = max(found, key=lambda match: (match.end(), -match.start()))
    if kind == "bare" and text[last.end():end].strip(" ,.;…—-"):
        return None  # a bare number replaces only the value said right before the change of mind
    return last


_SAID_TWICE = case_blind(r"(?<![\w-])((?:в|во|at) (\w+)(?::\d{2})? (?:утра|вечера|дня|ночи|am|pm)),? (?:в|во|at) \2(?![\w:])")


def _without_said_twice(text: str) -> str:
    """"в семь вечера в семь": the hour said again to be sure, not a second time of day."""
    if not _SAID_TWICE.search(text):
        return text
    return _SAID_TWICE.sub(lambda m: m.group(1), text)


_WEEKDAY_STEMS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень",
                  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ONE_DAY = r"(?:понедельник\w*|вторник\w*|сред[уаые]\w*|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*|mondays?|tuesdays?|wednesdays?" \
           r"|thursdays?|fridays?|saturdays?|sundays?)"
_SWAP = re.compile(
    rf"[\s,.]*(?:нет,?\s+|ой,?\s+)*не (?:в|во|по) (?P<old>{_ONE_DAY}),? а (?:в|во|по) (?P<new>{_ONE_DAY})(?![\w-])"
    rf"|[\s,.]*no,? not (?:on )?(?P<old2>{_ONE_DAY}),? (?:but )?(?:on )?(?P<new2>{_ONE_DAY})(?![\w-])",
    re.IGNORECASE)


def _stem(word: str) -> str | None:
    low = word.lower()
    return next((stem for stem in _WEEKDAY_STEMS if low.startswith(stem)), None)


def _weekday_swapped(text: str) -> str:
    """"по понедельникам, средам и пятницам, нет не в пятницу а в четверг": the list with Thursday
    in Friday's place; "Mondays at 9, no wait, Tuesdays": the last day said before, replaced. Only
    when the day taken back was said just before."""
    swap = _SWAP.search(text)
    if swap is None:
        return _marked_weekday_swapped(text)
    old, new = swap.group("old") or swap.group("old2"), swap.group("new") or swap.group("new2")
    stem = _stem(old)
    said = [m for m in re.finditer(rf"(?<![\w-]){stem}\w*", text[: swap.start()], re.IGNORECASE)
            if swap.start() - m.end() <= _NEAR] if stem else []
    if not said or _stem(new) == stem:
        return text
    return _day_replaced(text, said[-1], new, swap)


_MARKED_DAY = re.compile(
    rf"[\s,.]*(?:no,? wait|wait,? no|sorry|i mean|oops),?\s+(?:on\s+)?(?P<new>{_ONE_DAY})(?![\w-])", re.IGNORECASE)
_ANY_DAY = re.compile(rf"(?<![\w-]){_ONE_DAY}(?![\w-])", re.IGNORECASE)


def _marked_weekday_swapped(text: str) -> str:
    swap = _MARKED_DAY.search(text)
    if swap is None:
        return text
    said = [m for m in _ANY_DAY.finditer(text, 0, swap.start()) if swap.start() - m.end() <= _NEAR]
    if len(said) != 1 or _stem(said[0].group()) == _stem(swap.group("new")):
        return text  # a list of days before it: which one is taken back is asked
    return _day_replaced(text, said[0], swap.group("new"), swap)


def _day_replaced(text: str, before: re.Match[str], new: str, swap: re.Match[str]) -> str:
    """The day said `before` replaced by `new` in its form, and the words that took it back gone."""
    said = _in_form_of(new, before.group())
    return " ".join((text[: before.start()] + said + text[before.end(): swap.start()] + " " + text[swap.end():]).split())


_PLURAL_DATIVE = dict(zip(_WEEKDAY_STEMS, ("понедельникам", "вторникам", "средам", "четвергам", "пятницам", "субботам",
                                           "воскресеньям")))


def _in_form_of(new: str, old: str) -> str:
    """"четверг" in the place of "пятницам" is "четвергам"; "Thursday" in the place of "Fridays", "Thursdays"."""
    stem = _stem(new)
    if old.lower().endswith("ам") and stem in _PLURAL_DATIVE:
        return _PLURAL_DATIVE[stem]
    if old.lower().endswith("days") and not new.lower().endswith("s"):
        return new + "s"
    return new
