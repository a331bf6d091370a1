"""Rewrites of the text before it is read: filler, glued prepositions, hours around noon."""

from __future__ import annotations

import pytest

from medbot.core.nlu.normalize import fold, relative_to_noon, unglued, without_filler
from medbot.core.nlu.numbers import cardinal


@pytest.mark.parametrize(("text", "kept"), [
    ("ну добавь пожалуйста аспирин в 9", "добавь аспирин в 9"),
    ("Доброе утро, дорогой бот! добавь аспирин", "добавь аспирин"),
    ("add eliquis 5 mg at 9 am thanks a lot", "add eliquis 5 mg at 9 am"),
    ("напоминай пить эутирокс в 6 утра, а то я забываю", "напоминай пить эутирокс в 6 утра"),
    ("Hello, my name is Margaret and I need to add Synthroid", "add Synthroid"),  # "I need to" before the command is filler too
    ("vitamin D as well", "vitamin D as well"),
])
def test_filler_greetings_and_thanks_go(text: str, kept: str) -> None:
    assert without_filler(text) == kept


@pytest.mark.parametrize(("text", "split"), [("в20", "в 20"), ("at9pm", "at 9pm"), ("витамин в12", "витамин в12"),
                                              ("vitamin b12", "vitamin b12")])
def test_a_preposition_glued_to_an_hour_is_split(text: str, split: str) -> None:
    assert unglued(text) == split


@pytest.mark.parametrize(("text", "rewritten"), [
    ("через два часа после полудня", "в 2 после полудня"),
    ("за час до полуночи", "в 23:00"),
    ("an hour before midnight", "at 23:00"),
    ("через два часа", "через два часа"),
])
def test_hours_around_noon_and_midnight(text: str, rewritten: str) -> None:
    assert relative_to_noon(text, cardinal) == rewritten


def test_the_letter_o_typed_for_a_zero_is_a_zero_and_keeps_the_length() -> None:
    assert fold("в 2о и 5о мг") == "в 20 и 50 мг"
    assert fold("омега 3") == "омега 3"
