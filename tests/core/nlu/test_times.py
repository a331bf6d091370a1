from __future__ import annotations

import pytest

from medbot.core.nlu.dosage import find_doses
from medbot.core.nlu.normalize import clean, fold, tokenize
from medbot.core.nlu.times import TimeHit, apply_period, find_times


def hits(text: str) -> tuple[TimeHit, ...]:
    """Times the way the parser finds them: after dosages have taken their numbers."""
    cleaned = clean(text)
    tokens = tokenize(cleaned, fold(cleaned))
    taken = frozenset(k for dose in find_doses(tokens) for k in range(dose.start, dose.end))
    return find_times(tokens, taken)


def times(text: str) -> list[str | None]:
    return [hit.value for hit in hits(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00", ["10:00"]), ("в 10.00", ["10:00"]), ("в 9", ["09:00"]), ("в 11", ["11:00"]),
        ("в 9 утра", ["09:00"]), ("в 9 вечера", ["21:00"]), ("в 3 дня", ["15:00"]), ("в 2 ночи", ["02:00"]),
        ("в 11 ночи", ["23:00"]), ("в 12 ночи", ["00:00"]), ("в 3 часа дня", ["15:00"]),
        ("в час дня", ["13:00"]), ("в полдень", ["12:00"]), ("в полночь", ["00:00"]),
        ("в половине восьмого", ["07:30"]), ("в полвосьмого", ["07:30"]), ("в половине 8", ["07:30"]),
        ("в половине первого", ["12:30"]), ("в половине девятого вечера", ["20:30"]),
        ("без четверти девять", ["08:45"]), ("без десяти восемь", ["07:50"]), ("без 5 минут 10", ["09:55"]),
        ("в четверть девятого", ["08:15"]), ("21ч15", ["21:15"]), ("в 21 ч 15", ["21:15"]),
        ("в 9 часов 30 минут", ["09:30"]), ("в 9 ч 30 мин", ["09:30"]),
        ("в десять", ["10:00"]), ("в семь тридцать", ["07:30"]), ("в двадцать один тридцать", ["21:30"]),
        ("в двадцать два ноль ноль", ["22:00"]), ("около девяти вечера", ["21:00"]), ("около 9", ["09:00"]),
        ("часов в 9", ["09:00"]), ("где-то в 10", ["10:00"]), ("примерно в 10", ["10:00"]),
        ("вечером в 9", ["21:00"]), ("утром в 21:00", ["21:00"]),
        ("8am", ["08:00"]), ("8 pm", ["20:00"]), ("8 p.m.", ["20:00"]), ("at 10:30 pm", ["22:30"]),
        ("at 9", ["09:00"]), ("noon", ["12:00"]), ("at midnight", ["00:00"]), ("12 am", ["00:00"]),
        ("12 pm", ["12:00"]), ("quarter past 8", ["08:15"]), ("a quarter to nine", ["08:45"]),
        ("half past seven", ["07:30"]), ("ten to nine", ["08:50"]), ("twenty past 8", ["08:20"]),
        ("eight fifteen pm", ["20:15"]), ("seven oh five pm", ["19:05"]), ("around 9pm", ["21:00"]),
        ("at 9 o'clock", ["09:00"]), ("at 9 in the evening", ["21:00"]), ("at 10 at night", ["22:00"]),
        ("в 7:00, 15:00 и 23:00", ["07:00", "15:00", "23:00"]), ("в 8, 14 и 20", ["08:00", "14:00", "20:00"]),
        ("at 7am, 3pm and 11pm", ["07:00", "15:00", "23:00"]), ("в 7 утра и в 7 вечера", ["07:00", "19:00"]),
        ("at 8 and 20", ["08:00", "20:00"]),
    ],
)
def test_time_forms(text: str, expected: list[str]) -> None:
    assert times(text) == expected


@pytest.mark.parametrize("text", ["25:00", "в 13 утра", "в 24:30", "13 pm", "at 9:75", "в 9 дня"])
def test_impossible_times_are_found_but_have_no_value(text: str) -> None:
    assert times(text) == [None]


@pytest.mark.parametrize(
    "text",
    ["утром", "вечером перед сном", "на ночь", "через 2 часа", "на 5 дней", "3 раза в день", "каждые 8 часов",
     "в 2024 году", "в 30 лет", "9", "two pills", "in 2 hours", "в 5 числа", "аспирин 200 мг", "0.5 мг"],
)
def test_words_and_numbers_that_are_not_clock_times(text: str) -> None:
    assert times(text) == []


def test_dosage_numbers_are_never_hours() -> None:
    assert times("аспирин 200 мг в 10") == ["10:00"]
    assert times("добавь аспирин 9 мг в 9") == ["09:00"]
    assert times("две таблетки в девять") == ["09:00"]


def test_from_and_to_mark_the_old_and_the_new_time() -> None:
    found = hits("перенеси с 9 на 10 и 22")
    assert [(h.value, h.role) for h in found] == [("09:00", "old"), ("10:00", "new"), ("22:00", "new")]
    found = hits("change aspirin time from 9 to 10")
    assert [(h.value, h.role) for h in found] == [("09:00", "old"), ("10:00", "new")]
    assert [h.role for h in hits("в 10 вместо 9")] == [None, "old"]


def test_a_shift_is_marked_relative() -> None:
    assert [h.relative for h in hits("на 2 часа позже")] == [True]
    assert [h.relative for h in hits("в 9")] == [False]


def test_a_hit_spans_its_prefix_and_suffix() -> None:
    (hit,) = hits("аспирин около 9 вечера")
    assert (hit.start, hit.end) == (1, 4)


@pytest.mark.parametrize(
    ("hour", "period", "expected"),
    [(12, "am", 0), (11, "am", 11), (13, "am", None), (12, "pm", 12), (1, "pm", 13), (13, "pm", None),
     (9, "morning", 9), (13, "morning", None), (3, "afternoon", 15), (11, "afternoon", 11), (9, "afternoon", None),
     (9, "evening", 21), (21, "evening", 21), (2, "evening", None), (12, "night", 0), (2, "night", 2),
     (11, "night", 23), (15, "night", None), (12, "noon", 12), (12, "midnight", 0), (9, None, 9)],
)
def test_apply_period(hour: int, period: str | None, expected: int | None) -> None:
    assert apply_period(hour, period) == expected
