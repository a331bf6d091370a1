"""The offline best reading of a message the parser is unsure of."""

from __future__ import annotations

import pytest

from medbot.core.nlu import parse
from medbot.core.nlu.guess import best_guess


@pytest.mark.parametrize(("text", "times"), [("аспирин 9", ("09:00",)), ("конкор 8 и 20", ("08:00", "20:00")),
                                              ("aspirin 21", ("21:00",))])
def test_bare_hours_after_a_name_are_proposed_as_times(text: str, times: tuple[str, ...]) -> None:
    assert parse(text).needs_llm
    guess = best_guess(text)
    assert guess is not None and guess.items[0].times == times


@pytest.mark.parametrize("text", ["аспирин", "аспирин 9 мг", "в 9", "аспирин 31", "", "😀"])
def test_nothing_is_proposed_without_a_clear_reading(text: str) -> None:
    assert best_guess(text) is None
