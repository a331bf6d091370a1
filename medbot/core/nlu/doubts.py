"""Signs that a reading would be a guess: doubt, a change of mind left unsettled, a choice of
two times, an undo of more than the last change, two people in one add.

The parser reads what a message says; these say when it must not act on that reading alone and
asks instead (the LLM, or one tap), because a wrong schedule costs health and a question costs a tap.
"""

from __future__ import annotations

import re

from medbot.core.nlu.lexicon import HEALTH_WORKER, MED_WORDS
from medbot.core.nlu.russian_words import is_known, readings
from medbot.core.nlu.schedule_vocab import WEEKDAY

_UNSURE = re.compile(
    r"\bне (?:помню|помнит|уверен\w*|знаю|знает|понимаю|соображу)\b(?!,? (?:как|куда|что тут|how))|\bзабыл\w* ли\b|\bили нет\b|\bили не\b"
    r"|\b(?:can'?t|cannot|don'?t|do not|doesn'?t) (?:remember|recall)\b|\bnot sure\b(?! how)|\bdunno\b|\bor not\b"
    r"|\bi (?:don'?t|do not) know\b(?! how)|\bi think i (?:took|had|'ve)\b|\bi (?:might|may) have\b|\bby accident\b|\bслучайно\b"
    r"|\bкажется\b|\bвроде бы\b|\bпо-моему\b|\bor is it\b|\bor (?:maybe|mabye|mayb|perhaps) not\b"
    r"|\bили (?:может|мб|можт)(?:,? и)? нет\b|\bили вс[её]-?таки\b|\bне (?:помю|помн|пмню|понмю|помнб)\b"
    r"|\bи так далее\b|\bи т\. ?[дп]\b|\band so on\b|\betc\b|\bи тому подобное\b"
    r"|\bсколько\b[^.?!]{0,40}\b(?:скажет|скажут|решит|решат|назначит)\b|\bhow (?:long|many|much)\b[^.?!]{0,40}\b(?:will )?(?:decide|say|tell)\b"
    r"|\b(?:выпил\w*|выпл\w*|принял\w*|пила|пил) ли\b|\bнепомн\w*|\bнезна\w*|\bили н[иі]т\b|\bили неа\b"
    rf"|\bкак (?:(?:мне |нам )?(?:скажет|скажут|решит|решат|назначит|назначат|распишет) {HEALTH_WORKER}|{HEALTH_WORKER} (?:скажет|скажут|решит|решат|назначит|распишет))\b"
    rf"|\bas (?:(?:my |the )?{HEALTH_WORKER} (?:says|decides|directs|advises|tells)|directed)\b"
    r"|\bпо (?:результатам|анализам) (?:анализ\w*|крови|мно)\b|\bdepending on\b|\bв зависимости от\b|\bсмотря (?:по|как)\b"
    r"|\b(?:reduce|lower|cut|decrease|increase|raise|taper|up|drop)\w*(?: \S+){0,3} by (?:\d|half|a half|a quarter)"
    r"|\b(?:уменьш|сниж|сниз|увелич|повыш|повыс|прибав|убав)\w*"
    r"(?: \S+){0,3} на (?:\d+(?:[.,]\d+)? ?(?:мг|mg|мкг|mcg|ед|units?|таб\w*|%)|пол\w*|по пол\w*|половин\w*|четверт\w*)"
    r"|\b(?:в остальные дни|в другие дни|а остальные дни),? (?:по )?(?:\d|цел\w*|одн\w*|полов\w*|пол\w*|две|два|три)"
    r"|\b(?:on )?the (?:other|rest of the) days,? (?:take )?(?:\d|one|two|a whole|whole|half)")
"""Doubt about the facts ("не помню, выпила ли"), a dose left to someone else ("уменьшать, как
ревматолог скажет", "as directed"), a taper said as its rule ("снижать на полтаблетки каждые 3
дня") or doses taking turns ("через день половинку, в остальные дни целую"): a change read from
it would be a guess."""

_MANY_CHANGES = re.compile(r"\b(?:вс[её],? что|everything (?:i|we|you|he|she|they)\b|whatever (?:he|she|they|my \w+)\b|all (?:the|my|of my) changes|вс[её] за"
                           r"|вчерашн\w*|yesterday'?s?|за вчера|сегодняшн\w*)")
"""Undo takes back the last change; "all I did yesterday" is more than that."""

_SOMEONE_ELSE = re.compile(
    r"(?<![\w-])(?:ему|ей|мам[еу]|мамочк[еу]|мамул[еи]|пап[еу]|папочк[еу]|сыну|сыночку|дочк[еу]|дочери|доченьк[еу]|мужу|жене|"
    r"бабушк[еу]|бабул[еи]|дедушк[еу]|деду|ребенку|ребёнку|внуку|внучк[еу]|свекрови|тёще|теще|свекру|пациент\w*|"
    r"у (?:мамы|мамочки|папы|мужа|жены|сына|дочки|дочери|бабушки|дедушки|ребенка|ребёнка)|мамин\w*|папин\w*|"
    r"(?:mum|mom|dad|mother|father|husband|wife|nan|gran|grandma|grandpa)'s|"
    r"(?:my|his|her|our) (?:mum|mom|mother|dad|father|husband|wife|son|daughter|nan|gran|granny|grandma|grandpa|"
    r"kid|child|baby|patient)(?:'s)?|for (?:mum|mom|dad|him|her|my (?:mum|mom|dad|husband|wife|son|daughter|nan|gran)))"
    r"(?![\w-])")

TWO_OF_US = re.compile(
    r"(?<![\w-])(?:нам|мы|нас) с (?:мужем|женой|мамой|папой|сыном|дочкой|дочерью|бабушкой|дедушкой|братом|сестрой)(?![\w-])"
    r"|(?<![\w-])(?:me and my|my (?:husband|wife|mum|mom|dad|son|daughter) and (?:i|me))(?![\w-])"
    r"|(?<![\w-])(?:и|а) (?:мама|папа|муж|жена|сын|дочка|дочь|бабушка|дедушка) (?:тоже|свои|свою|сво[её])(?![\w-])"
    r"|(?<![\w-])and (?:my )?(?:mum|mom|dad|husband|wife|nan|gran) (?:too|took|has|had)(?![\w-])")
_MYSELF = re.compile(r"(?<![\w-])(?:мне|себе|я|меня|мои|мой|мою|me|myself|i|my|mine)(?![\w-])")
"""Another person the medication is for, beside the writer ("мне конкор в 8, а мужу лозап в 9"):
whose schedule is this one? Proposed with one tap, never stored unasked. A carer writing for one
person ("запиши мамочке комбилипен") keeps that person's schedule here: read as said."""

_MIND_CHANGED = re.compile(r"(?:\.{2,}|…|[,;—?-])\s*(?:нет|хотя нет|ой нет|точнее|вернее|no wait|wait no|i mean|or rather)\b[,!]?\s+\S"
                           r"|\S\s+(?:вернее|точнее|i mean|or rather)[.!]?\s*$"
                           r"|\b(?:ой,? нет|хотя нет|no,? wait|wait,? no|no,? sorry|sorry,? no|or rather)\b[,!]?\s+\S")
"""A change of mind the reading could not settle (second_thoughts settles values it can)."""

_EITHER_TIME = re.compile(r"\b(?:в |at |around )?\d{1,2}(?:[:.]\d{2})?(?: ?(?:am|pm|утра|вечера))?(?:\.\.\.|…|[,?!])? (?:или|либо|or) (?:в |at |around )?\d"
                          r"|\b(?:утром|вечером|дн[её]м|на ночь|перед сном|morning|evening|night|bedtime|завтрак\w*"
                          r"|обед\w*|ужин\w*|breakfast|lunch|dinner) (?:или|либо|or) ")


def doubted(low: str) -> bool:
    """"не помню, выпила ли я конкор", "I think I took it twice": a fact the person is unsure of."""
    return _UNSURE.search(low) is not None


def more_than_the_last_change(low: str) -> bool:
    """"отмени всё, что я вчера наделала": undo takes back one change."""
    return _MANY_CHANGES.search(low) is not None


def for_two_people(text: str) -> bool:
    """"мне конкор в 8, а мужу лозап в 9": whose schedule is each of them on?"""
    folded = text.lower().replace("ё", "е")
    if TWO_OF_US.search(folded):
        return True  # "что нам с мужем сегодня пить?": two people's pills
    named = {found.group().lower() for found in _CAPITALISED.finditer(text) if someone_named(found.group().lower())}
    if named and (len(named) > 1 or _SOMEONE_ELSE.search(folded) or _MYSELF.search(folded)):
        return True  # "запиши мне омез в 7, а Коле его аторис на 22"
    if _SOMEONE_ELSE.search(folded) is None:
        return False
    if len({_who(found.group()) for found in _SOMEONE_ELSE.finditer(folded)}) > 1:
        return True  # "маме эналаприл в 8, а папе амлодипин в 9": two people, two schedules
    rest = _SOMEONE_ELSE.sub(" ", folded)  # "my" of "my wife's" is not the writer's own
    return _MYSELF.search(rest) is not None


_CAPITALISED = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]{2,}(?![\w-])")


def someone_named(word: str) -> bool:
    """A first name in the dative ("Коле", "Сереже"): whom a medication is for."""
    return word not in MED_WORDS and is_known(word) and any("Name" in reading.tag and reading.tag.case == "datv" for reading in readings(word))


_KIN = (("мам", "mother"), ("mum", "mother"), ("mom", "mother"), ("mother", "mother"), ("пап", "father"),
        ("dad", "father"), ("father", "father"), ("муж", "husband"), ("husband", "husband"), ("жен", "wife"),
        ("wife", "wife"), ("сын", "son"), ("son", "son"), ("доч", "daughter"), ("daughter", "daughter"),
        ("бабу", "grandmother"), ("nan", "grandmother"), ("gran", "grandmother"), ("дед", "grandfather"),
        ("grandpa", "grandfather"), ("внук", "grandson"), ("внучк", "granddaughter"), ("him", "him"), ("her", "her"))


_KIN_LONGEST_FIRST = sorted(_KIN, key=lambda pair: -len(pair[0]))


def _who(said: str) -> str:
    """Which relative a phrase names ("мамочке", "my mum's", "for mom" are one), for telling two apart."""
    words = said.replace("'s", "").split()
    last = words[-1] if words else said
    for stem, who in _KIN_LONGEST_FIRST:
        if last.startswith(stem) or (stem in ("him", "her") and last == stem):
            return who
    return last


def mind_changed(low: str) -> bool:
    """"про трамадол... нет, про тразодон": a change of mind the reading did not settle."""
    return _MIND_CHANGED.search(low) is not None


_SAID_OTHERWISE = re.compile(
    rf"\d[^.]*?(?:[,;.]|\s[—–-])\s*(?:но |а |but )?(?:the |my )?{HEALTH_WORKER}\s+(?:сказал\w*|велел\w*|говорит|said|says|told me)\b[^.]*\d")


def either_of_two(low: str) -> bool:
    """"в 7 или в 8", "утром или вечером", "в 8, врач сказал в 10": the person has not chosen;
    "то 1 таблетку, то 1.5", "alternating 5 and 7.5 mg": doses that take turns (no rule stores that)."""
    return (_EITHER_TIME.search(low) is not None or _SAID_OTHERWISE.search(low) is not None
            or _TAKING_TURNS.search(low) is not None or _DAYPART_SAID_OTHERWISE.search(low) is not None
            or _EITHER_LENGTH.search(low) is not None or _EITHER_DAY.search(low) is not None or asks_how(low))


_EITHER_DAY = re.compile(rf"(?<![\w-])(?:{WEEKDAY})s?,? (?:или|либо|or)(?: was it| is it| maybe| может| это)? (?:(?:в|во|on) )?(?:{WEEKDAY})(?![\w-])")
""""в пятницу или субботу выпить вермокс", "Thursdays, or was it Tuesdays?": the day is not chosen yet."""


_EITHER_LENGTH = re.compile(r"(?<![\w-])(?:на |for )?\d{1,2} (?:или|либо|or) (?:на |for )?\d{1,2} (?:дн|сут|недел|day|week)")
""""на 5 или на 7 дней": which length is not chosen yet."""
_ASKING_HOW = re.compile(
    r"(?<![\w-])(?:это как|как это(?! (?:записать|сделать|написать|добавить|отметить|ввести))|как быть|как правильно|что ставить|что мне ставить|сколько (?:дней )?обычно"
    r"|how (?:do|should) i|what should i (?:put|set)|is that every)(?![\w-])[^.!]*\?")
""""5 раз в день — это как, каждые 4 часа даже ночью?", "как быть с напоминанием?": the person asks
how to take it; what they said is not yet the schedule."""


def asks_how(low: str) -> bool:
    """A question about how to take it or set it up ("сколько дней обычно колют?")."""
    return _ASKING_HOW.search(low) is not None


_DAYPART_SAID_OTHERWISE = re.compile(
    rf"\d[^.]*?(?:[,;.]|\s[—–-])\s*(?:но |а |but )?(?:the |my )?{HEALTH_WORKER}\s+(?:сказал\w*|велел\w*|говорит|said|says|told me)"
    r"(?: \w+){0,3}? (?:утр\w*|вечер\w*|ноч\w*|днем|днём|in the (?:morning|evening)|mornings?|evenings?|at night)\b")
""""амлодипин в 9 вечера. врач сказал утром лучше": the hour said, or the part of the day the doctor said?"""


_TAKING_TURNS = re.compile(r"(?<![\w-])то (?:по )?(?:\d|полов|четверт|одн|две|два|треть)[^,;.]{0,20},? то (?:по )?(?:\d|полов|четверт|одн|две|два|треть)"
                           r"|\balternat\w* (?:between |doses? (?:of )?)?\d|\bчереду\w* (?:по )?\d")


SLOT_HOURS: dict[str, frozenset[int]] = {
    "morning": frozenset(range(4, 13)),
    "afternoon": frozenset(range(11, 19)),
    "evening": frozenset(range(16, 24)),
}
"""The clock hours a part of the day said beside a time can mean ("вечером в 8" is 20:00)."""


def daypart_against_clock(slots: list[str | None], times: list[str]) -> bool:
    """"конкор утром в 9 вечера": a part of the day (the routine slot of a phrase said beside
    the time) that none of the clock times falls in. Which one did the person mean? ("утром в 8
    и вечером в 20" is two parts of the day, each with its time.)"""
    hours = {int(time[:2]) for time in times}
    return bool(hours) and any(
        slot in SLOT_HOURS and not hours & SLOT_HOURS[slot] for slot in slots
    )
