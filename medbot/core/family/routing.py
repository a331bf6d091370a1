"""Which family member a message is for, and what it asks about them. Pure.

    "для мамы: добавь эналаприл 5 мг в 8"   -> the profile "Мама", "добавь эналаприл 5 мг в 8"
    "маме: аспирин в 9", "for mom: ..."      -> the same, for a kinship word or a known profile
    "для Пети аспирин в 9"                    -> only when "Петя" is already a profile
    "что принимает Петя?", "статистика мамы"  -> a question about a known profile

A message without one of these shapes is the person's own, as before: "добавь маме аспирин"
stays the sender's schedule unless they keep a profile for her.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from medbot.core.model import ProfileRef
from medbot.core.nlu.russian_words import readings

MAX_PROFILES = 10
_SLOTS = 64
KIN = frozenset("""мама папа бабушка дедушка бабуля дедуля сын дочь дочка муж жена внук внучка брат сестра тётя тетя
    дядя свекровь свёкор свекор тёща теща тесть mom mum mother dad father grandma granny grandpa son daughter husband
    wife grandson granddaughter brother sister aunt uncle""".split())
_FOR = re.compile(r"^\s*(?:для|for)\s+(?:(?:my|our|моей|моего|нашей|нашего)\s+)?(?P<name>[^\W\d_]+(?:['’]s)?(?:\s+[^\W\d_]+)?)\s*[:,—–-]\s*(?P<rest>\S.*)$",
                  re.IGNORECASE | re.DOTALL)
_COLON = re.compile(r"^\s*(?:(?:my|our|моей|моему|моим|нашей|нашему)\s+)?(?P<name>[^\W\d_]+)\s*:\s*(?P<rest>\S.*)$", re.DOTALL)
_FOR_BARE = re.compile(r"^\s*(?:для|for)\s+(?P<name>[^\W\d_]+)\s+(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)
_ASK = re.compile(r"\b(?:что\s+(?:принимает|пьет|пьёт)|расписани\w*|график\w*|лекарств\w*|таблетк\w*|статистик\w*"
                  r"|schedule|meds|medications|pills|stats|what\s+does)\b", re.IGNORECASE)
_STATS = re.compile(r"\b(?:статистик\w*|stats|statistics|как\s+принимает|adherence)\b", re.IGNORECASE)
_WEEK = re.compile(r"\b(?:недел\w*|week|завтра|tomorrow)\b", re.IGNORECASE)


def profile_id(owner: int, slot: int) -> int:
    """A family member's record id: negative (no Telegram user has one), one per owner's slot."""
    return -(owner * _SLOTS + slot)


def slot_of(owner: int, profile: int) -> int:
    """The owner's slot a family member's record id stands for (`profile_id` backwards)."""
    return -profile - owner * _SLOTS


def free_slot(owner: int, profiles: tuple[ProfileRef, ...]) -> int | None:
    taken = {slot_of(owner, ref.id) for ref in profiles}
    if len(profiles) >= MAX_PROFILES:
        return None
    return next(slot for slot in range(1, _SLOTS) if slot not in taken)


def display_name(word: str) -> str:
    """"мамы" -> "Мама", "Пети" -> "Петя", "mom's" -> "Mom": how the profile is shown."""
    words = word.strip().split()
    shown = [_nominative(item) for item in words]
    return " ".join(shown)[:40].capitalize() if shown else ""


def _nominative(word: str) -> str:
    low = re.sub(r"['’]s$", "", word.lower())
    for reading in readings(low):
        if "anim" in reading.tag:
            return reading.normal_form
    return low


def _key(name: str) -> str:
    return " ".join(_nominative(word) for word in name.split()).replace("ё", "е")


def find(profiles: tuple[ProfileRef, ...], name: str) -> ProfileRef | None:
    key = _key(name)
    return next((ref for ref in profiles if _key(ref.name) == key), None)


@dataclass(frozen=True)
class ForProfile:
    name: str
    """As shown: "Мама"."""
    text: str
    """What to do for them, as they would say it of themselves."""
    profile: ProfileRef | None
    """None: no such profile yet (the person is asked whether to keep one)."""


def addressed(text: str, profiles: tuple[ProfileRef, ...]) -> ForProfile | None:
    """A message for a family member, or None when it is the sender's own."""
    typed = text.strip()
    if typed.startswith("/") or len(typed) > 1000:
        return None
    for pattern, known_only, kin_ok in ((_FOR, False, True), (_COLON, False, False), (_FOR_BARE, True, False)):
        match = pattern.match(typed)
        if match is None:
            continue
        name, rest = match["name"], match["rest"].strip()
        profile = find(profiles, name)
        if profile is not None:
            return ForProfile(profile.name, rest, profile)
        if known_only:
            continue
        key = _key(name)
        if key in KIN or (kin_ok and _is_person(name)):
            return ForProfile(display_name(name), rest, None)
    return None


def _is_person(name: str) -> bool:
    """A first name ("Пети", "Вани") or a kinship word: something that names a person."""
    return all(any("anim" in reading.tag for reading in readings(word.lower())) or word.lower() in KIN
               for word in name.split())


Asked = Literal["/list", "/stats", "agenda"]


def asked_about(text: str, profiles: tuple[ProfileRef, ...]) -> tuple[ProfileRef, Asked] | None:
    """A question about a known family member's schedule: "что принимает Петя?"."""
    typed = " ".join(text.split())
    if not profiles or len(typed) > 200 or any(ch.isdigit() for ch in typed) or not _ASK.search(typed):
        return None
    named = [ref for ref in profiles
             if any(_key(word) == _key(ref.name) for word in re.findall(r"[^\W\d_]+", typed))]
    if len(named) != 1:
        return None
    what: Asked = "/stats" if _STATS.search(typed) else "agenda" if _WEEK.search(typed) else "/list"
    return named[0], what
