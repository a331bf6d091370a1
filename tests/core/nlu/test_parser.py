"""Behaviour of the whole parser that the corpus does not show one phrase at a time."""

from __future__ import annotations

import pytest

from medbot.core.commands import (
    Add,
    AddItem,
    Delete,
    Done,
    MedName,
    ParseResult,
    TimeChange,
    TimezoneChange,
    Unknown,
)
from medbot.core.nlu import med_name, parse
from medbot.core.nlu.parser import parse_strict


def test_an_add_carries_med_names_with_keys_that_match_med_name() -> None:
    result = parse("добавь аскорбиновую кислоту 500 мг в 9 и рыбьего жира 2 капсулы в 21")
    assert result == ParseResult(
        Add((
            AddItem(MedName("аскорбиновая кислота", "аскорбиновый кислота"), "500 мг", ("09:00",)),
            AddItem(MedName("рыбий жир", "рыбий жир"), "2 капсулы", ("21:00",)),
        )),
        needs_llm=False,
        lang="ru",
    )
    assert result.command.items[1].med == med_name("рыбий жир")


def test_names_in_other_commands_have_the_same_keys() -> None:
    added = parse("добавь ибупрофен в 9").command
    assert isinstance(added, Add)
    key = added.items[0].med.key
    deleted = parse("удали ибупрофена").command
    moved = parse("перенеси Ибупрофен на 10").command
    taken = parse("выпил ибупрофен").command
    assert isinstance(deleted, Delete) and isinstance(moved, TimeChange) and isinstance(taken, Done)
    assert deleted.names[0].key == moved.name.key == taken.names[0].key == key  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("добавь аспирин в 9", "ru"), ("add aspirin at 9", "en"), ("добавь Nurofen", "ru"), ("remove аспирин", "en"),
     ("/list", None), ("12345", None), ("😀", None), ("привет", "ru"), ("hello", "en")],
)
def test_language_of_the_message(text: str, lang: str | None) -> None:
    assert parse(text).lang == lang


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t", "😀", "12345", "...", "\x00\x01\x02", "\ufeff", "a" * 10_000, "добавь аспирин в 9 " * 60,
     "в" * 999 + " 9"],
)
def test_empty_garbage_and_huge_texts_are_unknown_and_not_for_the_llm(text: str) -> None:
    assert parse(text) == ParseResult(Unknown(), needs_llm=False, lang=parse(text).lang)
    assert parse(text).needs_llm is False


def test_texts_over_a_thousand_characters_are_not_read() -> None:
    text = "добавь аспирин в 9" + " " * 1000
    assert isinstance(parse(text).command, Unknown)
    assert isinstance(parse(text.strip()).command, Add)


def test_anything_that_is_not_a_string_is_unknown() -> None:
    assert parse(None) == ParseResult(Unknown())  # type: ignore[arg-type]
    assert parse(b"add aspirin") == ParseResult(Unknown())  # type: ignore[arg-type]


def test_a_confident_command_never_asks_the_llm() -> None:
    for text in ["добавь аспирин", "удали", "выпил", "покажи", "перенеси на 10", "+5"]:
        result = parse(text)
        assert not isinstance(result.command, Unknown)
        assert result.needs_llm is False


def test_two_commands_in_one_message_go_to_the_llm() -> None:
    assert parse("удали аспирин и добавь ибупрофен в 9") == ParseResult(Unknown(), needs_llm=True, lang="ru")


def test_a_bare_zone_and_a_zone_after_a_command_word() -> None:
    assert parse("Иркутск").command == TimezoneChange("Asia/Irkutsk")
    assert parse("часовой пояс UTC+5:30").command == TimezoneChange("+05:30")
    assert parse("я теперь в Красноярске").command == TimezoneChange("Asia/Krasnoyarsk")


def test_a_zone_is_never_taken_from_a_medication_message() -> None:
    aspirin = MedName("аспирин", "аспирин")
    assert parse("аспирин +5 мг в 9").command == Add((AddItem(aspirin, "5 мг", ("09:00",)),))
    assert parse("добавь аспирин в 9 в Москве").command == Add((AddItem(aspirin, None, ("09:00",)),))


def test_times_keep_the_order_written_and_never_repeat() -> None:
    command = parse("добавь аспирин в 21:00, 9:00 и 21:00").command
    assert isinstance(command, Add)
    assert command.items[0].times == ("21:00", "09:00")


def test_parse_is_parse_strict_with_a_safety_net() -> None:
    for text in ["добавь аспирин в 9", "удали", "😀", ""]:
        assert parse(text) == parse_strict(text)


def test_newlines_and_tabs_separate_words() -> None:
    command = parse("добавь аспирин\nв 9\tи 21").command
    assert command == Add((AddItem(MedName("аспирин", "аспирин"), None, ("09:00", "21:00")),))
