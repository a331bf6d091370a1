"""How people ask for caregiver features in words: "добавь помощника", "пусть дочь видит мои
лекарства", "invite a caregiver", "сообщай дочери через 30 минут", "расписание мамы".

Read before the schedule parser, and only these narrow shapes: a phrase about a relative with a
word of seeing or telling. "Дочь принимает аспирин" is not one, and neither is a time without a
relative ("напомни через 30 минут").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from medbot.core.model import CaredFor

_RELATIVE = (r"(?:доч(?:ь|ери|ке|ку|ка|урке|енька)|сын(?:у|а|ок|ишке)?|внук(?:у|а)?|внучк(?:а|е|у)|жен(?:а|е|у)|муж(?:у|а)?"
             r"|мам(?:а|е|у|ы)|пап(?:а|е|у|ы)|сестр(?:а|е|у)|брат(?:у|а)?|помощник(?:у|ам|а|ов|и)?|опекун(?:у|а)?"
             r"|сиделк(?:а|е|у)|родн(?:ые|ым|ых)|близк(?:ие|им|их)|семь(?:я|е|ю)|родственник(?:у|ам|и)?"
             r"|daughter|son|wife|husband|mom|mum|mother|dad|father|grandson|granddaughter|sister|brother"
             r"|caregivers?|carers?|family|helpers?|guardian)")
_MY = r"(?:(?:моей|моему|моя|мой|моим|моих|мои|my|our)\s+)?"
_INVITE = re.compile(
    r"^/caregivers?(?:@\w+)?$"
    r"|\b(?:добав|пригла|подключ|назнач|invite|add|set\s+up|connect)\w*\s+(?:мне\s+|a\s+|an\s+|my\s+)?"
    r"(?:помощник|опекун|сиделк|родственник|caregiver|carer|helper|guardian|family\s+member)"
    rf"|\bпусть\s+{_MY}{_RELATIVE}\s+(?:тоже\s+|то(?:ж|же)\s+)?(?:видит|видят|знает|знают|следит|следят|смотрит|получает|получают)"
    rf"|\bчтобы?\s+{_MY}{_RELATIVE}\s+(?:тоже\s+)?(?:видел|видела|видели|знал|знала|знали|следил|следила|получал|получала)"
    rf"|\b(?:let|allow)\s+{_MY}{_RELATIVE}\s+(?:to\s+)?(?:see|know|follow|watch|get|keep\s+an\s+eye)"
    r"|^(?:мои\s+)?(?:помощник(?:и)?|опекуны?)\s*[?!.]*$|^(?:my\s+)?caregivers?\s*[?!.]*$",
    re.IGNORECASE,
)
_TELL = r"(?:сообщ|предупрежд|пиш|напиш|оповещ|извещ|уведомл|notify|tell|alert|message|text|let)\w*"
_AMOUNT = (r"(?P<amount>\d{1,4}|полчаса|пол\s*часа|полтора\s+часа|час|два\s+часа|три\s+часа|half\s+an\s+hour|an\s+hour"
           r"|one\s+hour|two\s+hours|an\s+hour\s+and\s+a\s+half)")
_MINUTES = re.compile(
    rf"\b{_TELL}\b.{{0,40}}?\b{_RELATIVE}\b.{{0,40}}?\b(?:через|спустя|после|after|within|in)\s+{_AMOUNT}"
    r"(?:\s*(?P<unit>мин\w*|м\b|час\w*|ч\b|min\w*|hours?|hrs?|h\b))?",
    re.IGNORECASE,
)
_WORD_AMOUNTS = {"полчаса": 30, "пол часа": 30, "полтора часа": 90, "час": 60, "два часа": 120, "три часа": 180,
                 "half an hour": 30, "an hour": 60, "one hour": 60, "two hours": 120, "an hour and a half": 90}
MAX_MINUTES = 24 * 60

_SEE = re.compile(r"\b(?:расписани\w*|график\w*|лекарств\w*|таблетк\w*|что\s+(?:принимает|пьет|пьёт)|как\s+дела"
                  r"|сегодня|принял\w*\s+ли|выпил\w*\s+ли|schedule|meds|medications|medicines|pills|what\s+does"
                  r"|today|did\s+(?:she|he))\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:сегодня|как\s+дела|принял\w*\s+ли|выпил\w*\s+ли|today|did\s+(?:she|he))\b", re.IGNORECASE)
_KIN = re.compile(r"\b(?:мам\w*|пап\w*|бабушк\w*|дедушк\w*|бабул\w*|дедул\w*|mom'?s?|mum'?s?|mother'?s?|dad'?s?"
                  r"|father'?s?|grandma'?s?|grandpa'?s?|nan'?s?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CareAsk:
    kind: Literal["invite", "minutes", "view", "which"]
    minutes: int = 0
    patient: int = 0
    what: Literal["schedule", "today"] = "schedule"


def care_ask(text: str) -> CareAsk | None:
    """An invitation or a caregiver delay asked for in words, or None."""
    typed = " ".join(text.split())
    if len(typed) > 200:
        return None
    minutes = _minutes(typed)
    if minutes is not None:
        return CareAsk("minutes", minutes=minutes)
    if _INVITE.search(typed):
        return CareAsk("invite")
    return None


def care_view(text: str, caring_for: tuple[CaredFor, ...]) -> CareAsk | None:
    """A caregiver asking about the person they help ("какие у мамы лекарства?", "did mum take
    her pills today?"). Only for a message the parser reads as a question (the caller checks),
    with no number in it: "запиши маме таблетки в девять" is the sender's own schedule."""
    typed = " ".join(text.split())
    if not caring_for or len(typed) > 200 or any(ch.isdigit() for ch in typed) or not _SEE.search(typed):
        return None
    what: Literal["schedule", "today"] = "today" if _TODAY.search(typed) else "schedule"
    named = [item for item in caring_for if names(typed, item.name)]
    if len(named) == 1:
        return CareAsk("view", patient=named[0].user_id, what=what)
    if not named and _KIN.search(typed):
        if len(caring_for) == 1:
            return CareAsk("view", patient=caring_for[0].user_id, what=what)
        return CareAsk("which", what=what)
    return None


def _minutes(text: str) -> int | None:
    match = _MINUTES.search(text)
    if match is None:
        return None
    amount = " ".join(match["amount"].lower().split())
    if amount.isdigit():
        unit = (match["unit"] or "").lower()
        value = int(amount) * (60 if unit.startswith(("час", "ч", "h")) else 1)
    else:
        value = _WORD_AMOUNTS.get(amount, 0)
    return value if 1 <= value <= MAX_MINUTES else None


def names(text: str, name: str) -> bool:
    """Whether the text names this person (their first name, in any ending: "Люды", "Людмилы")."""
    word = name.split()[0].lower() if name.split() else ""
    if len(word) < 3:
        return False
    stem = word[: max(3, len(word) - 2)]
    return re.search(rf"\b{re.escape(stem)}\w*", text.lower()) is not None
