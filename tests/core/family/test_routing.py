"""Which family member a message is for: explicit shapes only, never a guess."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medbot.core.family.routing import (
    MAX_PROFILES,
    addressed,
    asked_about,
    display_name,
    free_slot,
    profile_id,
)
from medbot.core.model import ProfileRef

OWNER = 50
KNOWN = (ProfileRef(profile_id(OWNER, 1), "Мама"), ProfileRef(profile_id(OWNER, 2), "Петя"))


@pytest.mark.parametrize(("text", "name", "rest"), [
    ("для мамы: эналаприл 5 мг в 8", "Мама", "эналаприл 5 мг в 8"),
    ("Для папы, аспирин в 9", "Папа", "аспирин в 9"),
    ("для бабушки — капли в 21:00", "Бабушка", "капли в 21:00"),
    ("маме: выпила", "Мама", "выпила"),
    ("for mom: aspirin at 9", "Mom", "aspirin at 9"),
    ("for my dad: remove aspirin", "Dad", "remove aspirin"),
    ("для Вани: нурофен при температуре", "Ваня", "нурофен при температуре"),
    ("для Кати: витамин D в 9", "Катя", "витамин D в 9"),
])
def test_a_new_family_member_is_named_in_the_nominative(text: str, name: str, rest: str) -> None:
    found = addressed(text, ())
    assert found is not None and (found.name, found.text, found.profile) == (name, rest, None)


@pytest.mark.parametrize(("text", "who", "rest"), [
    ("для Пети аспирин в 9", "Петя", "аспирин в 9"),
    ("Пете: нурофен", "Петя", "нурофен"),
    ("для мамы удали конкор", "Мама", "удали конкор"),
    ("МАМЕ: выпила", "Мама", "выпила"),
])
def test_a_known_family_member_is_found_in_any_case(text: str, who: str, rest: str) -> None:
    found = addressed(text, KNOWN)
    assert found is not None and found.profile is not None and (found.profile.name, found.text) == (who, rest)


@pytest.mark.parametrize("text", [
    "добавь маме аспирин в 9", "для мамы аспирин в 9", "аспирин: 100 мг в 9", "Напоминание: аспирин в 9",
    "в 9:00 аспирин", "/list", "для: аспирин", "для давления: лозартан 50 мг", "мама пьёт аспирин",
    "от давления: лозартан в 9",
])
def test_everything_else_is_the_senders_own(text: str) -> None:
    assert addressed(text, ()) is None


def test_only_explicitly_addressed_corpus_phrases_are_taken_for_a_family_member() -> None:
    """"для папы: метопролол 50 мг в 8" is asked about (one tap: a schedule of his own, or the
    sender's); "добавь папе метопролол" and every other phrase stay the sender's own."""
    here = Path(__file__).parents[1] / "nlu"
    texts = [json.loads(line)["text"] for path in sorted(here.glob("corpus*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = [text for text in texts if addressed(text, ()) is not None]
    explicit = re.compile(r"^\s*(?:(?:для|for)\s+(?:my\s+)?[^\W\d_]+(?:\s+[^\W\d_]+)?\s*[:,—–-]|(?:my\s+)?[^\W\d_]+\s*:)",
                          re.IGNORECASE)
    assert found and all(explicit.match(text) for text in found)
    assert len(found) <= len(texts) // 200


@pytest.mark.parametrize(("text", "who", "what"), [
    ("что принимает Петя?", "Петя", "/list"), ("расписание мамы", "Мама", "/list"),
    ("статистика Пети", "Петя", "/stats"), ("что у мамы на неделе по таблеткам", "Мама", "agenda"),
    ("mom's meds", None, None), ("какие у меня лекарства", None, None), ("мама пьёт таблетки в 9", None, None),
])
def test_questions_about_a_known_family_member(text: str, who: str | None, what: str | None) -> None:
    found = asked_about(text, KNOWN)
    assert (found[0].name, found[1]) == (who, what) if who else found is None


def test_ids_are_negative_distinct_and_limited() -> None:
    ids = {profile_id(OWNER, slot) for slot in range(1, 64)}
    assert len(ids) == 63 and all(pid < 0 for pid in ids)
    assert profile_id(OWNER, 1) != profile_id(OWNER + 1, 1)
    assert free_slot(OWNER, KNOWN) == 3
    many = tuple(ProfileRef(profile_id(OWNER, slot), str(slot)) for slot in range(1, MAX_PROFILES + 1))
    assert free_slot(OWNER, many) is None


def test_display_names() -> None:
    assert display_name("мамы") == "Мама" and display_name("Пети") == "Петя" and display_name("mom's") == "Mom"
