"""Typos of medications and of command words."""

from __future__ import annotations

import pytest

from medbot.core.nlu.typos import medication_meant, misspelt_word, near_medication


@pytest.mark.parametrize(("typed", "meant"), [("апирин", "аспирин"), ("aspirn", "aspirin"), ("конкорр", "конкор"),
                                              ("апирина", "аспирин")])
def test_a_misspelt_medication_is_put_right(typed: str, meant: str) -> None:
    assert medication_meant(typed) == meant


@pytest.mark.parametrize("word", ["аспирина", "ношпы", "глюкофажа", "кардио", "аспирин", "yarina", "нольпазу"])
def test_case_forms_and_words_of_their_own_are_no_typos(word: str) -> None:
    assert medication_meant(word) is None


def test_several_candidates_keep_the_one_with_the_same_first_letter() -> None:
    assert medication_meant("виамин") == "витамин"  # not "тиамин"
    assert medication_meant("магня") is None and near_medication("магня")  # магний or магне: ask
    assert near_medication("оез")  # too short to put right, close enough to doubt
    assert medication_meant("оез") is None


@pytest.mark.parametrize("word", ["rminder", "добавт", "таблеткм", "нпоминание", "aynmore", "дзу"])
def test_a_misspelt_command_word_is_recognised(word: str) -> None:
    assert misspelt_word(word)


@pytest.mark.parametrize("word", ["нольпазу", "креону", "yarina", "wellbutrin", "беталок"])
def test_a_brand_name_is_not_taken_for_a_misspelt_word(word: str) -> None:
    assert not misspelt_word(word)


@pytest.mark.parametrize(("text", "command"), [("shwo my meds", "list"), ("покаж мои лекартсва", "list"),
                                               ("что ты умешь", "help"), ("я тепрь в калининграде", "timezone_change")])
def test_a_misspelt_command_word_is_read_as_meant_when_that_only_shows_something(text: str, command: str) -> None:
    from medbot.core.commands import to_json
    from medbot.core.nlu import parse

    body = to_json(parse(text))
    assert body["command"] == command and not body["needs_llm"] and not body["confirm"]

