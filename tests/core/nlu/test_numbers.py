from __future__ import annotations

import pytest

from medbot.core.nlu.normalize import clean, fold, tokenize
from medbot.core.nlu.numbers import cardinal, read_number


def numbers_in(text: str) -> list[float]:
    """Every number read left to right, the way the time and dosage readers see them."""
    cleaned = clean(text)
    tokens = tokenize(cleaned, fold(cleaned))
    found, i = [], 0
    while i < len(tokens):
        number = read_number(tokens, i)
        if number is None:
            i += 1
            continue
        found.append(number[0])
        i = number[1]
    return found


@pytest.mark.parametrize(
    ("word", "value"),
    [("девять", 9), ("девяти", 9), ("одну", 1), ("две", 2), ("двух", 2), ("восьми", 8), ("трех", 3),
     ("одиннадцати", 11), ("двадцатью", 20), ("пятидесяти", 50), ("сорока", 40), ("ноль", 0),
     ("seven", 7), ("twelve", 12), ("twenty-one", 21), ("forty-five", 45)],
)
def test_number_words_in_any_case_form(word: str, value: int) -> None:
    assert cardinal(word) == value


@pytest.mark.parametrize("word", ["аспирин", "девятый", "twenty-", "-one", "hundred-one"])
def test_other_words_are_not_numbers(word: str) -> None:
    assert cardinal(word) is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("двадцать один", [21]),
        ("сто пятьдесят", [150]),
        ("двести пятьдесят", [250]),
        ("две тысячи", [2000]),
        ("тысяча двести", [1200]),
        ("two hundred and fifty", [250]),
        ("twenty one", [21]),
        ("семь тридцать", [7, 30]),  # an hour and its minutes, not 37
        ("eight fifteen", [8, 15]),
        ("десяти восемь", [10, 8]),  # "без десяти восемь": not eighteen
        ("двадцать один тридцать", [21, 30]),
        ("20 мг 0,5", [20, 0.5]),
    ],
)
def test_read_number_joins_only_words_that_make_one_number(text: str, values: list[float]) -> None:
    assert numbers_in(text) == values


def test_read_number_reports_whether_it_read_words() -> None:
    cleaned = "девять 9"
    tokens = tokenize(cleaned, fold(cleaned))
    assert read_number(tokens, 0) == (9.0, 1, True)
    assert read_number(tokens, 1) == (9.0, 2, False)
    assert read_number(tokens, 2) is None
