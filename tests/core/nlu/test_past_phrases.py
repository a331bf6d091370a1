"""Past doses in words: read only with a day in the past or a "taken at X, not Y"; never a
question, never a change of the schedule's time."""

from __future__ import annotations

import pytest

from medbot.core.commands import PastIntake
from medbot.core.nlu import parse


@pytest.mark.parametrize(("text", "days_ago", "part", "time", "status", "at", "names"), [
    ("вчера вечером тоже выпила", 1, "evening", None, "taken", None, []),
    ("я пропустил вчерашний конкор", 1, None, None, "missed", None, ["конкор"]),
    ("позавчера утром не пила аспирин", 2, "morning", None, "missed", None, ["аспирин"]),
    ("вчера на ночь забыла", 1, "night", None, "missed", None, []),
    ("вчера в 20:00 выпила эналаприл", 1, None, "20:00", "taken", None, ["эналаприл"]),
    ("утреннюю выпила в 10, а не в 8", 0, "morning", "08:00", "taken", "10:00", []),
    ("выпила не в 8, а в 9", 0, None, "08:00", "taken", "09:00", []),
    ("I took the morning one at 10, not 8", 0, "morning", "08:00", "taken", "10:00", []),
    ("yesterday I forgot my evening pills", 1, "evening", None, "missed", None, []),
    ("I took my metformin yesterday", 1, None, None, "taken", None, ["metformin"]),
    ("2 дня назад забыла омепразол", 2, None, None, "missed", None, ["омепразол"]),
    ("missed my lisinopril the day before yesterday", 2, None, None, "missed", None, ["lisinopril"]),
    ("didn't take my evening pill last night", 1, "night", None, "missed", None, []),
])
def test_a_past_dose_put_right(text: str, days_ago: int, part: str | None, time: str | None, status: str,
                               at: str | None, names: list[str]) -> None:
    result = parse(text)
    command = result.command
    assert isinstance(command, PastIntake) and not result.needs_llm, result
    assert (command.days_ago, command.part, command.time, command.status, command.at) == (days_ago, part, time, status, at)
    assert [name.name for name in command.names] == names


@pytest.mark.parametrize("text", [
    "выпила аспирин", "поставь не в 9, а в 10", "вчера добавила аспирин в 9", "выпила а вчера вечером забыла, что теперь делать?",
    "вчера вечером выпила?", "took my aspirin", "переставь аспирин на 10, а не на 8", "вчера врач сказал пить аспирин",
    "10 дней назад забыла аспирин",
])
def test_not_a_past_dose(text: str) -> None:
    assert not isinstance(parse(text).command, PastIntake)
