"""Undo and corrections after an add, as pure functions over a person's state."""

from __future__ import annotations

from datetime import timedelta

from medbot.core.apply import apply
from medbot.core.commands import Add, AddItem, Delete, DoseChange, TimeChange, TimezoneChange, Undo
from medbot.core.nlu.names import med_name
from medbot.core.results import NothingToUndo, Undone
from medbot.core.undo import RECENT, recently_touched
from tests.core.test_apply import MOSCOW, local, user_with


def add(name: str, dosage: str | None, *times: str) -> Add:
    return Add((AddItem(med_name(name), dosage, times),))


def test_undo_of_an_add_removes_it_and_names_it() -> None:
    user = apply(user_with(), add("аспирин", "50 мг", "09:00"), local("08:00")).user
    undone = apply(user, Undo(), local("08:01"))
    assert undone.user.medications == ()
    assert undone.result == Undone("add", (), undone.result.gone)  # type: ignore[union-attr]
    assert [line.name for line in undone.result.gone] == ["аспирин"]  # type: ignore[union-attr]


def test_undo_twice_puts_the_change_back() -> None:
    user = apply(user_with(), add("аспирин", "50 мг", "09:00"), local("08:00")).user
    again = apply(apply(user, Undo(), local("08:01")).user, Undo(), local("08:02"))
    assert [(med.name, med.times) for med in again.user.medications] == [("аспирин", ("09:00",))]
    assert again.result.what == "undo"  # type: ignore[union-attr]


def test_undo_of_a_delete_and_of_a_zone_change() -> None:
    user = apply(user_with(), add("аспирин", None, "09:00"), local("08:00")).user
    deleted = apply(user, Delete((med_name("аспирин"),)), local("08:01")).user
    assert apply(deleted, Undo(), local("08:02")).user.medications == user.medications
    moved = apply(user, TimezoneChange("Asia/Tokyo"), local("08:03")).user
    back = apply(moved, Undo(), local("08:04"))
    assert back.user.tz == MOSCOW and back.result.zone == MOSCOW  # type: ignore[union-attr]


def test_nothing_to_undo_returns_the_same_state() -> None:
    user = user_with()
    outcome = apply(user, Undo(), local("08:00"))
    assert outcome.user is user and outcome.result == NothingToUndo()


def test_a_refused_change_leaves_the_undo_point_alone() -> None:
    user = apply(user_with(), add("аспирин", None, "09:00"), local("08:00")).user
    refused = apply(user, Delete((med_name("конкор"),)), local("08:01"))
    assert refused.user is user


def test_a_nameless_correction_goes_to_the_medication_just_added() -> None:
    user = apply(user_with(), add("конкор", "5 мг", "09:00"), local("08:00")).user
    user = apply(user, add("аспирин", "50 мг", "09:00"), local("08:01")).user
    fixed = apply(user, DoseChange(None, "25"), local("08:02")).user
    assert {med.name: med.dosage for med in fixed.medications} == {"конкор": "5 мг", "аспирин": "25 мг"}
    moved = apply(fixed, TimeChange(None, ("10:00",), "09:00"), local("08:03")).user
    assert {med.name: med.times for med in moved.medications} == {"конкор": ("09:00",), "аспирин": ("10:00",)}


def test_a_nameless_correction_long_after_the_add_asks_which() -> None:
    user = apply(user_with(), add("конкор", "5 мг", "09:00"), local("08:00")).user
    user = apply(user, add("аспирин", "50 мг", "09:00"), local("08:01")).user
    later = local("08:01") + RECENT + timedelta(minutes=1)
    assert recently_touched(user, later) == frozenset()
    outcome = apply(user, TimeChange(None, ("10:00",), "09:00"), later)
    assert outcome.user is user  # a question, not a guess


def test_a_bare_number_keeps_the_unit_and_its_word_agrees() -> None:
    user = apply(user_with(), add("конкор", "2 таблетки", "09:00"), local("08:00")).user
    fixed = apply(user, DoseChange(None, "1"), local("08:01")).user
    assert fixed.medications[0].dosage == "1 таблетка"
