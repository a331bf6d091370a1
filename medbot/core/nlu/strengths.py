"""Strengths: a bare number right after a medication's name is its dose or brand strength,
never a time ("эналаприл 10 в 8", "конкор 2,5 утром", "витамин С 500", "метопролол двадцать
пять в семь") - unless nothing else in the message says when, as in "аспирин 9"."""

from __future__ import annotations

from collections.abc import Sequence

from medbot.core.nlu.dosage import DoseHit, amount_at, format_amount
from medbot.core.nlu.lexicon import MED_WORDS, SEPARATOR_WORDS, STOP_WORDS
from medbot.core.nlu.normalize import Token
from medbot.core.nlu.numbers import cardinal, read_number
from medbot.core.nlu.times import TimeHit

NAME_NUMBER_WORDS = frozenset({"омега", "омегу", "омеги", "омегой", "omega", "коэнзим", "coenzyme", "витамин", "vitamin"})
"""Words a number belongs to as part of the name ("омега 3", "витамин B 12")."""

_DAYPARTS = frozenset({"утром", "вечером", "днем", "ночью"})
_DAYPART_WORDS = _DAYPARTS | {"in", "the", "morning", "evening", "afternoon", "at", "night"}
_NOT_AFTER_STRENGTH = frozenset({"лет", "года", "год", "дней", "дня", "день", "раз", "раза", "недель", "недели",
                                 "месяцев", "месяца", "years", "year", "days", "day", "times", "weeks", "months",
                                 "%", "процентов", "минут", "minutes", "часов", "hours"})
_ALSO = frozenset({"тоже", "также", "вместе", "also", "too"})
_ROUTINE_OPENERS = frozenset({"за", "перед", "после", "до", "к", "натощак", "во", "with", "before", "after", "на"})
_NOT_A_NAME_WORD = frozenset({"в", "во", "к", "at", "by", "по", "и", "а", "на", "с", "со", "from", "to", "до", "после",
                              "около", "and", "or", "или", "until", "ровно", "примерно", "about", "around", "each",
                              "every", "каждые", "через", "за", "in", "не", "not", "вместо", "instead", "of",
                              "no", "нет", "номер", "номере", "комната", "комнате", "палата", "палате", "кабинет", "room",
                              "квартира", "кв", "дом", "этаж", "floor", "flat", "apt", "ward", "bed"})


def strengths(tokens: Sequence[Token], role: dict[int, str], times: tuple[TimeHit, ...],
              routine_starts: frozenset[int] = frozenset(), ruled: bool = False, adding: bool = False,
              ) -> tuple[list[DoseHit], tuple[TimeHit, ...], bool]:
    """A bare number right after a name is its strength, never a time: "эналаприл 10 в 8",
    "конкор 2,5 утром", "аторвастатин 20 вечером". Only when the message says when in some
    other way too (`ruled`: a rule of days, "при боли", "через день"), a time of day follows the
    number, or no hour could be the number in a request to add (`adding`: "add metformin 500"):
    "аспирин 9" or "аспирин 100" alone stays unclear, and
    "мемантин 10 утром" (10 mg in the morning, or at 10?) is read as a strength but asked about."""
    found: list[DoseHit] = []
    unsure = False
    starts = {hit.start: hit for hit in times}
    for n in range(1, len(tokens)):
        token, before = tokens[n], tokens[n - 1]
        if any(dose.start <= n < dose.end for dose in found):
            continue
        if token.kind == "word":
            worded = _worded_strength(tokens, n, role, before, times, routine_starts)
            if worded is not None:
                found.append(worded)
            elif _worded_hour_or_strength(tokens, n, role, before, starts.get(n)):
                unsure = True  # "jardiance ten in the morning": ten o'clock, or 10 mg in the morning?
            continue
        if token.kind != "num" or token.value is None or token.value <= 0 or "/" in token.low and token.value >= 1:
            continue  # "фуросемид 1/4 в 7": a part of a tablet is a strength too
        start = n
        if before.low == "по" and n >= 2 and (n - 1) not in role and _after_a_name(tokens, n - 1, role):
            start, before = n - 1, tokens[n - 2]  # "конкор по 5 в 8", "бисопролол по 0,5 утром": each dose
        letter_strength = (len(before.low) == 1 and n >= 2 and before.kind == "word"
                           and (token.value >= 50 and tokens[n - 2].low in NAME_NUMBER_WORDS  # "витамин С 500"
                                or token.value >= 5 and tokens[n - 2].low in MED_WORDS and before.low not in _NOT_A_NAME_WORD
                                and tokens[n - 2].low not in NAME_NUMBER_WORDS))  # "лориста Н 50"
        if not letter_strength and (before.kind != "word" or before.low in _NOT_A_NAME_WORD or (start - 1) in role):
            continue
        if not letter_strength and (before.low in NAME_NUMBER_WORDS or len(before.low) == 1 or before.low in STOP_WORDS):
            continue  # "омега 3", "витамин B 12": part of the name; "мне 78": no name at all
        hit = starts.get(n)
        after = tokens[n + 1].low if n + 1 < len(tokens) else ""
        following = tokens[n + 2] if n + 2 < len(tokens) else None
        if (after in SEPARATOR_WORDS or after in (",", "-")) and following is not None and following.kind == "num":
            continue  # "аспирин 8 и 20": a list of hours
        if (after in _NOT_AFTER_STRENGTH and (n + 1) not in role) or after == "+":  # "50000 раз в неделю": a rule
            continue  # "78 лет", "3 дня", "Центрум 50+"
        others = [other for other in times if other.start != n and other.value is not None]
        daypart = hit is not None and hit.end > n + 1 and all(
            t.low in _DAYPART_WORDS for t in tokens[n + 1:hit.end])  # "10 утром", "5 in the morning"
        if hit is not None and hit.end > n + 1 and not daypart:
            continue  # "carvedilol 8am": a time said with its own "am", "утра", "ч"
        step = 2 if after in _ALSO and n + 2 < len(tokens) else 1  # "зокор 20 тоже на ночь"
        routine_next = (tokens[n + step].low if n + step < len(tokens) else "") in _ROUTINE_OPENERS or (
            n + step < len(tokens) and tokens[n + step].start in routine_starts)
        said_when = others or ruled or (routine_starts and n == len(tokens) - 1)  # "...вечером зопиклон 7,5"
        never_an_hour = token.value > 24 or token.value != int(token.value)
        alone = n + 1 == len(tokens) and before.low in MED_WORDS and sum(t.kind == "word" for t in tokens) <= 3
        said_when = said_when or (never_an_hour and not hit and (adding or alone))  # "add metformin 500", "Пантопразол 40"
        last_word = n + 1 == len(tokens) or after in (",", ".", ";")
        known_strength = (adding and not said_when and not others and last_word and before.low in MED_WORDS
                          and (n + 1) not in role and token.value >= 13)  # "добавь ксарелто 20": its strength
        # (asked: or at 20:00?); "добавь аспирин 9" stays unclear: nine o'clock is the likelier
        said_when = said_when or known_strength
        by_routine = not said_when and bool(routine_starts) and (n + 1 == len(tokens) or after == ",")
        said_when = said_when or (routine_starts and never_an_hour) or by_routine  # "утром эутирокс 50, в обед ..."
        if n in role or not (said_when or daypart or routine_next):
            continue
        if hit is None and any(other.start < n < other.end for other in times):
            continue
        found.append(DoseHit(start, n + 1, format_amount(token.value), start < n))
        unsure |= (daypart and not others or by_routine and not never_an_hour  # "утром конкор 5,": 5 mg, or at 5?
                   or known_strength and not never_an_hour or alone and not adding and not others)
    if not found and (not times or _dose_to_a_number(tokens, times)):
        found = _changed_strength(tokens, role)  # "поменяй дозу варфарина на 5": 5 is the dose, not 05:00
    claimed = {k for dose in found for k in range(dose.start, dose.end)}
    kept = [hit for hit in times if not any(k in claimed for k in range(hit.start, hit.end))]
    return found, tuple(kept), unsure


def _dose_to_a_number(tokens: Sequence[Token], times: tuple[TimeHit, ...]) -> bool:
    """"дозу ... на 5", "dose ... to 2": the only time is a bare number after "на"/"to", and the
    message says it is about the dose."""
    return (len(times) == 1 and times[0].end - times[0].start == 2 and tokens[times[0].start].low in ("на", "to")
            and tokens[times[0].start + 1].kind == "num" and _about_the_dose(tokens[:times[0].start]))


def _about_the_dose(tokens: Sequence[Token]) -> bool:
    """"дозу", "dosage": the message says its number is a dose."""
    return any(t.kind == "word" and t.low.startswith(("доз", "dose")) for t in tokens)


_NOW = frozenset({"теперь", "now", "по", "сейчас"})
_NOW_WORDS = frozenset({"теперь", "now", "сейчас", "исправь", "исправьте", "поменяй", "поменяйте", "измени",
                        "измените"})


def _after_a_name(tokens: Sequence[Token], n: int, role: dict[int, str]) -> bool:
    """"врач сказал теперь аторис 40 пить": a number right after a name, in a message about now."""
    before = tokens[n - 1]
    return (before.kind == "word" and (n - 1) not in role and before.low not in STOP_WORDS
            and before.low not in _NOT_A_NAME_WORD and len(before.low) > 2)


def _changed_strength(tokens: Sequence[Token], role: dict[int, str]) -> list[DoseHit]:
    """"эутирокс теперь по 100", "бисогамма теперь два с половиной", "eliquis is now 2.5": with no
    time anywhere, a bare number after "теперь" / "now" is the medication's new strength."""
    said_now = any(t.kind == "word" and t.low in _NOW_WORDS for t in tokens)
    dose_said = _about_the_dose(tokens)
    for n in range(2, len(tokens)):
        is_now = (tokens[n - 1].low in ("is", "=") and tokens[n - 2].kind == "word" and (n - 2) not in role
                  or tokens[n - 1].low in ("it's", "its") or dose_said and tokens[n - 1].low in ("на", "to"))
        if not (said_now or dose_said) or n in role or not (tokens[n - 1].low in _NOW or is_now
                                                            or _after_a_name(tokens, n, role)):
            continue
        amount = amount_at(tokens, n)
        if amount is None or amount[0] <= 0 or any(k in role for k in range(n, amount[1])):
            continue
        end = amount[1]
        if tokens[n - 1].low != "по" and not is_now and amount[0] == int(amount[0]) and amount[0] <= 24:
            continue  # "аспирин теперь 9": nine o'clock or 9 mg? asked ("lisinopril is 20 now" is no hour)
        if end < len(tokens) and tokens[end].kind == "word" and tokens[end].low not in STOP_WORDS and end not in role:
            continue  # "теперь по 2 таблетки" is a dosage with its unit, read as one already
        return [DoseHit(n, end, format_amount(amount[0]), False)]
    return []


def _worded_hour_or_strength(tokens: Sequence[Token], n: int, role: dict[int, str], before: Token,
                             hit: TimeHit | None) -> bool:
    """A number word right after a name and then only a part of the day: as unclear as "10 утром"."""
    if hit is None or before.kind != "word" or before.low in _NOT_A_NAME_WORD or before.low in STOP_WORDS:
        return False
    if (n - 1) in role or cardinal(tokens[n].low) is None:
        return False
    return hit.end > n + 1 and all(t.low in _DAYPART_WORDS for t in tokens[n + 1:hit.end])


def _worded_strength(tokens: Sequence[Token], n: int, role: dict[int, str], before: Token,
                     times: tuple[TimeHit, ...], routine_starts: frozenset[int] = frozenset()) -> DoseHit | None:
    """"эналаприл десять в восемь", "амлодипин пять в половине девятого": a strength in words,
    right after a name and right before a time said with "в" / "at"; "лозап пятьдесят утром",
    "тромбоасс сто в обед": a number no hour can be, before a part of the day."""
    if before.kind != "word" or before.low in _NOT_A_NAME_WORD or before.low in STOP_WORDS or (n - 1) in role:
        return None
    if n in role or any(hit.start <= n < hit.end for hit in times):
        return None
    number = read_number(tokens, n)
    if number is None:
        return None
    value, end = number[0], number[1]
    if value <= 0 or end >= len(tokens) or any(k in role for k in range(n, end)):
        return None
    no_hour = value > 24 and (tokens[end].start in routine_starts or tokens[end].low in _DAYPARTS)
    if not no_hour and (tokens[end].low not in ("в", "во", "at") or not any(hit.start == end for hit in times)):
        return None
    return DoseHit(n, end, format_amount(value), False)
