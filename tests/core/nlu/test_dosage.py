from __future__ import annotations

import pytest

from medbot.core.nlu.dosage import find_doses, format_amount, ru_count_form
from medbot.core.nlu.normalize import clean, fold, tokenize


def doses(text: str) -> list[str]:
    cleaned = clean(text)
    return [dose.text for dose in find_doses(tokenize(cleaned, fold(cleaned)))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200 мг", "200 мг"), ("200мг", "200 мг"), ("200 миллиграммов", "200 мг"), ("0,5 мг", "0.5 мг"),
        ("0.5 мг", "0.5 мг"), ("12.50 мг", "12.5 мг"), ("50 мкг", "50 мкг"), ("50 микрограмм", "50 мкг"),
        ("1 г", "1 г"), ("5 мл", "5 мл"), ("10 ед", "10 ед"), ("10 единиц", "10 ед"), ("2000 МЕ", "2000 МЕ"),
        ("2000 ме", "2000 МЕ"), ("500 mg", "500 mg"), ("500mg", "500 mg"), ("50 mcg", "50 mcg"),
        ("50 µg", "50 mcg"), ("1 g", "1 g"), ("5 ml", "5 ml"), ("1000 IU", "1000 IU"), ("1000 iu", "1000 IU"),
        ("10 units", "10 units"), ("1 unit", "1 unit"),
        ("1 таблетка", "1 таблетка"), ("одну таблетку", "1 таблетка"), ("2 таблетки", "2 таблетки"),
        ("две таблетки", "2 таблетки"), ("5 таблеток", "5 таблеток"), ("21 таблетку", "21 таблетка"),
        ("12 таблеток", "12 таблеток"), ("пол таблетки", "0.5 таблетки"), ("полтаблетки", "0.5 таблетки"),
        ("половину таблетки", "0.5 таблетки"), ("1/2 таблетки", "0.5 таблетки"), ("½ таблетки", "0.5 таблетки"),
        ("полторы таблетки", "1.5 таблетки"), ("две с половиной таблетки", "2.5 таблетки"),
        ("1 капсула", "1 капсула"), ("3 капсулы", "3 капсулы"), ("5 капель", "5 капель"), ("2 капли", "2 капли"),
        ("ложку", None), ("2 чайные ложки", "2 чайные ложки"), ("2 впрыска", "2 впрыска"), ("2 вдоха", "2 вдоха"),
        ("2 pills", "2 pills"), ("one pill", "1 pill"), ("a pill", "1 pill"), ("half a pill", "0.5 pill"),
        ("two tablets", "2 tablets"), ("1 capsule", "1 capsule"), ("2 drops", "2 drops"), ("2 puffs", "2 puffs"),
        ("1.5 tablets", "1.5 tablets"), ("2 teaspoons", "2 teaspoons"), ("two and a half pills", "2.5 pills"),
    ],
)
def test_dosage_forms(text: str, expected: str | None) -> None:
    assert doses(text) == ([expected] if expected else [])


def test_a_bare_dosage_form_before_a_name_is_one_of_it() -> None:
    assert doses("таблетку аспирина") == ["1 таблетка"]
    assert doses("по таблетке") == ["1 таблетка"]
    assert doses("ложку сиропа") == ["1 ложка"]


@pytest.mark.parametrize("text", ["таблетки от давления", "капли для глаз", "таблетку от давления", "дозу аспирина",
                                  "в 9", "2024 г", "3 раза", "витамин B12", "Омега-3", "a mg"])
def test_not_dosages(text: str) -> None:
    assert doses(text) == []


def test_po_marks_a_dosage_shared_by_every_medication() -> None:
    cleaned = "по 200 мг"
    (dose,) = find_doses(tokenize(cleaned, fold(cleaned)))
    assert dose.distributive and (dose.start, dose.end) == (0, 3)


@pytest.mark.parametrize(
    ("amount", "form"),
    [(1, "таблетка"), (2, "таблетки"), (4, "таблетки"), (5, "таблеток"), (11, "таблеток"), (12, "таблеток"),
     (21, "таблетка"), (22, "таблетки"), (111, "таблеток"), (0.5, "таблетки"), (1.5, "таблетки")],
)
def test_russian_count_agreement(amount: float, form: str) -> None:
    assert ru_count_form(amount, ("таблетка", "таблетки", "таблеток")) == form


@pytest.mark.parametrize(("amount", "text"), [(2.0, "2"), (0.5, "0.5"), (12.5, "12.5"), (0.125, "0.125"), (1000.0, "1000")])
def test_amounts_use_a_decimal_point_and_no_trailing_zeros(amount: float, text: str) -> None:
    assert format_amount(amount) == text
