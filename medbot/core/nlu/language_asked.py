"""Which language a request to switch languages asks for: "говори по-английски", "не понимаю
по-английски" (the other one), "на русском, а не на английском" (not the one complained about),
"I set it to russian by accident" (back to English).
"""

from __future__ import annotations

import re

from medbot.core.commands import Command, SetLanguage
from medbot.core.nlu.reading import Reading

_ENGLISH = re.compile(r"англ|english|\ben\b|инглиш")
_RUSSIAN = re.compile(r"русск|russian|\bru\b|нашему|нашем")


_NOT_THIS = re.compile(r"\b(?:хватит|не надо|довольно|прекрати\w*|перестань\w*|enough|stop|no more) (?:уже |мне |со мной )?(?:на |по[- ]?|in |with )?(англ|русск|english|russian)"
                       r"|\bне (?:понима\w*|зна\w*|чита\w*|говор\w*) (?:по[- ]?)?(англ|русск)|\bпо[- ]?(англ|русск)\w* (?:ни слова |ничего |совсем |вообще )?не (?:понима|зна|чита)|\b(?:don'?t|do not|can'?t|cannot"
                       r"|doesn'?t|does not|am not|i'?m not|not) (?:read|speak|understand|understanding|speaking|reading) (english|russian)")


_NOT_THAT_ONE = re.compile(
    r"\b(?:а |но )?не (?:на |по[- ]?)?(?:англ|русск)\w*|\bnot (?:in )?(?:english|russian)\b|\binstead of (?:english|russian)\b"
    r"|\bвместо (?:англ|русск)\w*|\bа то (?:вс[её] |он |ты |бот )?(?:на |по[- ]?)?(?:англ|русск)\w*(?: \w+)?"
    r"|\b(?:set|put|has|had|got) (?:this |it |me |everything )?(?:up )?in (?:russian|english)\b")


_ENOUGH_OF = re.compile(
    r"\s*(?:please |pls |бот |bot )?(?:no more|stop|enough(?: with)?|quit|хватит|не надо|перестань|прекрати)"
    r"(?: (?:speaking|talking|writing|answering|replying|using|говорить|писать|отвечать))?(?: (?:in|with|the|на|по))?"
    r"[ -](russian|english|русск\w*|английск\w*|англ\w*)(?: (?:please|pls|пожалуйста))?[\s.!]*$")


def enough_of_a_language(low: str) -> SetLanguage | None:
    """"no more russian please", "хватит по-английски": the other language, never a medication stopped."""
    found = _ENOUGH_OF.match(low)
    if found is None:
        return None
    return SetLanguage("ru" if found.group(1).startswith(("англ", "english")) else "en")


def build_language(r: Reading) -> tuple[Command, bool]:
    """The language asked for; "не понимаю по-английски" asks for the other one."""
    refused = _NOT_THIS.search(r.low)
    low = r.low[: refused.start()] + r.low[refused.end():] if refused else r.low
    if refused is None:
        low = _NOT_THAT_ONE.sub(" ", low)  # "на русском, а не на английском": the one said not to use
    english, russian = bool(_ENGLISH.search(low)), bool(_RUSSIAN.search(low))
    if refused and not (english or russian):
        said = next(group for group in refused.groups() if group)
        return SetLanguage("ru" if said.startswith(("англ", "english")) else "en"), False
    if english and russian and (accident := _BY_ACCIDENT.search(low)):
        before, after = low[: accident.start()], low[accident.start():]
        clause = _CLAUSE_BREAK.split(before)[-1] + _CLAUSE_BREAK.split(after)[0]  # "...set it to russian by accident"
        wrong_english, wrong_russian = bool(_ENGLISH.search(clause)), bool(_RUSSIAN.search(clause))
        if wrong_english != wrong_russian:
            return SetLanguage("ru" if wrong_english else "en"), False
    if english and russian:
        said = [c for c in r.cues if c.intent == "language"]
        asked = [c for c in said if _ASKING.search(r.low[c.start:c.end])]
        cue = (asked or said)[-1] if said else None  # the last one asked for ("верни русский, всё на английском")
        inside = r.low[cue.start:cue.end] if cue else ""
        english, russian = bool(_ENGLISH.search(inside)), bool(_RUSSIAN.search(inside))
        if english == russian:
            return SetLanguage(None), False
    return SetLanguage("en" if english else "ru" if russian else None), False


_ASKING = re.compile(r"\b(?:верни|хочу|включи|сделай|поставь|переключи|перейди|говори|пиши|отвечай|давай|смени|поменяй"
                     r"|switch|change|set|use|speak|talk|write|reply|answer|back to|обратно|можно|лучше|please)")
_CLAUSE_BREAK = re.compile(r"[,.;!?]|\b(?:but|а|но)\b")
_BY_ACCIDENT = re.compile(r"\b(?:by accident|by mistake|accidentally|случайно|по ошибке|нечаянно)\b")
