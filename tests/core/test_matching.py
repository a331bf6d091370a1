"""Resolving a name from a message to medications of the schedule."""

from __future__ import annotations

import pytest

from medbot.core.commands import MedName
from medbot.core.matching import (
    Ambiguous,
    Found,
    Missing,
    allowed_typos,
    edit_distance,
    find,
    normal_key,
)
from medbot.core.model import Medication, Slot


def med(med_id: str, name: str, key: str | None = None, dosage: str | None = None) -> Medication:
    return Medication(med_id, name, key or normal_key(name), dosage, (Slot("10:00", "2026-01-01"),))


def ask(text: str, key: str | None = None, med_id: str | None = None) -> MedName:
    return MedName(text, key if key is not None else normal_key(text), med_id)


SCHEDULE = (
    med("m1", "парацетамол"),
    med("m2", "ибупрофен"),
    med("m3", "но-шпа"),
    med("m4", "витамин D", "витамин d"),
    med("m5", "витамин B12", "витамин b12"),
    med("m6", "капли для глаз", "капля для глаз"),
    med("m7", "аскорбиновая кислота", "аскорбиновый кислота"),
)


def ids(match: object) -> list[str]:
    if isinstance(match, Found):
        return [m.id for m in match.meds]
    if isinstance(match, Ambiguous):
        return [m.id for m in match.candidates]
    return []


@pytest.mark.parametrize(
    ("typed", "key", "expected"),
    [
        ("парацетамол", None, "m1"),
        ("Парацетамол", None, "m1"),
        ("ПАРАЦЕТАМОЛА", "парацетамол", "m1"),  # the parser's key of an inflected form
        ("парацетомол", None, "m1"),  # a typo
        ("парацитамол", None, "m1"),
        ("ибупрафен", None, "m2"),
        ("ибупрофена", "ибупрофена", "m2"),  # key the parser could not reduce: still one typo off
        ("ибупорфен", None, "m2"),  # swapped neighbours count as one typo
        ("ношпа", None, "m3"),
        ("Но-шпу", "но-шпа", "m3"),
        ("витамин в12", None, "m5"),  # Cyrillic "в" for Latin "B"
        ("витамин Д", None, "m4"),
        ("капель для глаз", "капля для глаз", "m6"),
        ("аскорбинку", "аскорбинка", None),
        ("аскорбиновую кислоту", "аскорбиновый кислота", "m7"),
        ("кислота", None, "m7"),  # one word of a longer name
        ("капли", "капля", "m6"),
    ],
)
def test_names_find_their_medication(typed: str, key: str | None, expected: str | None) -> None:
    match = find(SCHEDULE, ask(typed, key))
    if expected is None:
        assert isinstance(match, Missing)
    else:
        assert isinstance(match, Found) and ids(match) == [expected]


@pytest.mark.parametrize(
    "typed",
    [
        "нош",  # short: never fuzzy
        "шпа",
        "витамин e",  # a different vitamin, one letter off
        "витамин c",
        "аспирин",
        "парацетамол ибупрофен",
        "для",
        "",
    ],
)
def test_unrelated_names_find_nothing(typed: str) -> None:
    assert isinstance(find(SCHEDULE, ask(typed)), Missing)


def test_one_word_of_several_multi_word_names_is_ambiguous() -> None:
    match = find(SCHEDULE, ask("витамин"))
    assert isinstance(match, Ambiguous) and ids(match) == ["m4", "m5"]


def test_one_word_naming_exactly_one_multi_word_medication() -> None:
    schedule = (med("m1", "витамин D", "витамин d"), med("m2", "аспирин"))
    assert ids(find(schedule, ask("витамин"))) == ["m1"]


def test_an_exact_key_wins_over_a_longer_name() -> None:
    schedule = (med("m1", "витамин"), med("m2", "витамин D", "витамин d"))
    assert ids(find(schedule, ask("витамина", "витамин"))) == ["m1"]


def test_entries_sharing_a_key_are_found_together() -> None:
    schedule = (
        med("m1", "аспирин", dosage="100 мг"),
        med("m2", "ибупрофен"),
        med("m3", "Аспирин", "аспирин", "200 мг"),
    )
    match = find(schedule, ask("аспирин"))
    assert isinstance(match, Found) and ids(match) == ["m1", "m3"]


def test_two_equally_close_typos_are_ambiguous() -> None:
    schedule = (med("m1", "кардиол"), med("m2", "кордиал"))
    assert isinstance(find(schedule, ask("кардиал")), Ambiguous)


def test_the_closer_of_two_typos_wins() -> None:
    schedule = (med("m1", "метопролол"), med("m2", "бисопролол"))
    assert ids(find(schedule, ask("метапролол"))) == ["m1"]


def test_a_medication_id_names_the_entry_exactly_and_ignores_the_text() -> None:
    assert ids(find(SCHEDULE, ask("что угодно", med_id="m2"))) == ["m2"]
    assert isinstance(find(SCHEDULE, ask("ибупрофен", med_id="m99")), Missing)


def test_yo_and_spacing_do_not_matter() -> None:
    schedule = (med("m1", "зелёнка", "зеленка"),)
    assert ids(find(schedule, ask("  ЗЕЛЁНКА ", "зелёнка"))) == ["m1"]


def test_allowed_typos_grow_with_length() -> None:
    assert [allowed_typos(length) for length in (3, 4, 5, 7, 8, 11, 12, 20)] == [0, 0, 1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [("abc", "abc", 0), ("abc", "acb", 1), ("kitten", "sitting", 3), ("", "abc", 3)],
)
def test_edit_distance(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second, 10) == distance


def test_edit_distance_stops_past_the_limit() -> None:
    assert edit_distance("abcdefgh", "zyxwvuts", 2) == 3
