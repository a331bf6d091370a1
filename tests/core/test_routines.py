"""Routine words: asked once, remembered, used for every medication said that way."""

from __future__ import annotations

from medbot.core.apply import apply
from medbot.core.commands import Add, AddItem
from medbot.core.nlu.names import med_name
from medbot.core.results import Clarify
from medbot.core.routines import ROUTINES_KEY, known_routines, unknown_slots
from tests.core.test_apply import local, user_with


def routine_add(name: str, *slots: str, told: tuple[tuple[str, str], ...] = ()) -> Add:
    return Add((AddItem(med_name(name), None, (), routine=slots),), routine_times=told)


def test_an_unknown_slot_is_asked_about_and_nothing_is_stored() -> None:
    user = user_with()
    outcome = apply(user, routine_add("аспирин", "after_breakfast"), local("08:00"))
    assert outcome.user is user
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "routine"
    assert outcome.result.reason == "after_breakfast"


def test_a_told_slot_is_remembered_and_used_next_time_without_a_question() -> None:
    told = apply(user_with(), routine_add("аспирин", "after_breakfast", told=(("after_breakfast", "09:30"),)),
                 local("08:00")).user
    assert known_routines(told) == {"after_breakfast": "09:30"}
    assert told.medications[0].times == ("09:30",)
    again = apply(told, routine_add("омега", "after_breakfast"), local("08:01")).user
    assert [med.times for med in again.medications] == [("09:30",), ("09:30",)]


def test_slots_are_asked_in_order_each_once() -> None:
    user = user_with(extra={ROUTINES_KEY: {"morning": "08:00"}})
    command = Add((AddItem(med_name("конкор"), None, (), routine=("morning", "evening")),
                   AddItem(med_name("лозап"), None, (), routine=("evening",))))
    assert unknown_slots(user, command) == ["evening"]


def test_a_bad_stored_routine_is_ignored_not_trusted() -> None:
    user = user_with(extra={ROUTINES_KEY: {"morning": "8", "evening": 7}})
    assert known_routines(user) == {}
