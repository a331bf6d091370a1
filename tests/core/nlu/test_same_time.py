"""A time said by pointing back ("туда же", "at the same time") is the one clock time before it."""

from __future__ import annotations

import pytest

from medbot.core.nlu.same_time import same_time_spelled
from tests.core.nlu.test_people_families_fresh import asks, meds


@pytest.mark.parametrize(("text", "spelled"), [
    ("лозап 50 в 9:00 и кардиомагнил туда же", "лозап 50 в 9:00 и кардиомагнил в 09:00"),
    ("metformin at 19:30, the statin at the same time", "metformin at 19:30, the statin at 19:30"),
    ("аспирин в 8:00, магний в то же время", "аспирин в 8:00, магний в 08:00"),
])
def test_the_phrase_becomes_the_one_time_before_it(text: str, spelled: str) -> None:
    assert same_time_spelled(text) == spelled


@pytest.mark.parametrize("text", [
    "конкор в 8:00 и 20:00, и магний туда же",  # which of the two?
    "магний туда же",  # no time before it
    "туда же в 9:00 лозап",  # the time comes after
])
def test_without_exactly_one_time_before_it_nothing_is_guessed(text: str) -> None:
    assert same_time_spelled(text) == text


def test_both_medications_get_the_time() -> None:
    assert meds("эналаприл 10 мг в 21:00 и аторис 20 мг туда же") == [
        ("эналаприл", "10 мг", ["21:00"], []), ("аторис", "20 мг", ["21:00"], [])]


def test_two_times_before_it_are_asked_about() -> None:
    assert asks("конкор в 8:00 и 20:00, и магний туда же")
