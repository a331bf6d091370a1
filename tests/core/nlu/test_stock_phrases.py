"""Stock in words: a count in hand, a purchase, a question; never a dose or a time."""

from __future__ import annotations

import pytest

from medbot.core.commands import StockChange, StockQuery
from medbot.core.nlu import parse


@pytest.mark.parametrize(("text", "name", "amount", "add"), [
    ("у меня 28 таблеток аспирина", "аспирин", 28, False),
    ("У меня есть 30 капсул омепразола", "омепразол", 30, False),
    ("у меня двадцать таблеток конкора", "конкор", 20, False),
    ("осталось 10 таблеток", None, 10, False),
    ("аспирина осталось 12 таблеток", "аспирин", 12, False),
    ("у меня осталось 5 таблеток эналаприла", "эналаприл", 5, False),
    ("купила 2 упаковки по 30 конкора", "конкор", 60, True),
    ("купил ещё 3 пачки по 20 таблеток", None, 60, True),
    ("купила 50 таблеток глицина", "глицин", 50, True),
    ("купил 60 капсул омега-3", "омега-3", 60, True),
    ("add 90 pills of metformin", "metformin", 90, True),
    ("I have 28 aspirin tablets left", "aspirin", 28, False),
    ("I've got 60 capsules of omega left", "omega", 60, False),
    ("bought 2 packs of 30 metformin", "metformin", 60, True),
    ("got 30 more tablets", None, 30, True),
    ("14 tablets of lisinopril left", "lisinopril", 14, False),
])
def test_a_count_in_hand_or_bought(text: str, name: str | None, amount: float, add: bool) -> None:
    result = parse(text)
    assert isinstance(result.command, StockChange) and not result.needs_llm and not result.confirm
    command = result.command
    assert (command.name.name if command.name else None, command.amount, command.add) == (name, amount, add)


@pytest.mark.parametrize(("text", "name"), [
    ("сколько осталось таблеток?", None), ("сколько у меня осталось таблеток в упаковке?", None),
    ("сколько осталось таблеток конкора", "конкор"), ("а сколько таблеток осталось", None),
    ("how many pills are left?", None), ("how many pills do I have left", None),
    ("how long will my pills last", None),
])
def test_asking_what_is_left(text: str, name: str | None) -> None:
    command = parse(text).command
    assert isinstance(command, StockQuery) and (command.name.name if command.name else None) == name


@pytest.mark.parametrize("text", [
    "у меня 2 таблетки аспирина в 9", "2,5 таблетки преднизолона после завтрака", "1 таблетка аспирина утром",
    "add 2 pills of aspirin at 9am", "у меня давление 140 на 90", "купила аспирин", "take 2 tablets of ibuprofen",
    "у меня 28 таблеток аспирина в день", "сколько таблеток мне пить?",
])
def test_doses_times_and_other_counts_are_not_stock(text: str) -> None:
    assert not isinstance(parse(text).command, (StockChange, StockQuery))
