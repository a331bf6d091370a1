from __future__ import annotations

import pytest

from medbot.core.nlu.normalize import clean, fold, majority_language, number_value, script_of, tokenize


def tokens_of(text: str):
    cleaned = clean(text)
    return tokenize(cleaned, fold(cleaned))


@pytest.mark.parametrize("text", ["Ёлка İstanbul ß", "ПРИВЕТ — «мир»", "a.m. P.M.", "ǅ ﬁ", "x\u00a0y\tz\nw"])
def test_fold_keeps_the_length_so_spans_map_back(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_fold_lowers_and_unifies_letters_dashes_quotes_and_meridiem() -> None:
    assert fold("Ёж") == "еж"
    assert fold("9 — 10") == "9 - 10"
    assert fold("«Нурофен»") == '"нурофен"'
    assert fold("8 p.m.").split() == ["8", "pm"]
    assert fold("8 A.M").split() == ["8", "am"]


def test_clean_composes_letters_and_blanks_out_control_characters() -> None:
    assert clean("и\u0306од") == "йод"
    assert clean("a\x00b\u200bc\ud800d") == "a b c d"


def test_units_are_split_from_numbers_but_names_keep_their_digits() -> None:
    kinds = [(t.kind, t.text) for t in tokens_of("20мг B12 Омега-3 L-карнитин 8am")]
    assert kinds == [
        ("num", "20"), ("word", "мг"), ("word", "B12"), ("word", "Омега-3"), ("word", "L-карнитин"),
        ("num", "8"), ("word", "am"),
    ]


@pytest.mark.parametrize("text", ["21ч15", "21 ч 15", "9:30", "23:59"])
def test_clock_readings_are_one_token(text: str) -> None:
    (token,) = tokens_of(text)
    assert token.kind == "clock"


@pytest.mark.parametrize(("raw", "value"), [("0,5", 0.5), ("1.25", 1.25), ("1/2", 0.5), ("½", 0.5), ("1/0", None)])
def test_number_values(raw: str, value: float | None) -> None:
    assert number_value(raw) == value


def test_tokens_keep_the_persons_text_and_its_position() -> None:
    text = "Добавь  АСПИРИН"
    token = tokens_of(text)[1]
    assert (token.text, token.low, text[token.start:token.end]) == ("АСПИРИН", "аспирин", "АСПИРИН")


@pytest.mark.parametrize(
    ("text", "lang"),
    [("добавь аспирин", "ru"), ("add aspirin", "en"), ("добавь Nurofen в 9", "ru"), ("12345", None),
     ("/list", None), ("/help@medbot", None), ("ok да", None)],
)
def test_majority_language(text: str, lang: str | None) -> None:
    cleaned = clean(text)
    assert majority_language(tokens_of(text), fold(cleaned)) == lang


def test_script_of_a_word() -> None:
    assert (script_of("аспирин"), script_of("aspirin"), script_of("12")) == ("ru", "en", None)
