"""Case-blind patterns: the quick lowercased test never hides a match the case-blind pattern finds."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest

import medbot.core.nlu as nlu
from medbot.core.nlu.case_blind import CaseBlind, case_blind

_HERE = Path(__file__).parent


def _all_case_blind() -> dict[str, CaseBlind]:
    found: dict[str, CaseBlind] = {}
    for module in pkgutil.iter_modules(nlu.__path__):
        loaded = importlib.import_module(f"medbot.core.nlu.{module.name}")
        found.update({f"{module.name}.{name}": value for name, value in vars(loaded).items()
                      if isinstance(value, CaseBlind)})
    return found


def _texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(_HERE.glob("corpus*.jsonl"))[:6]:
        with path.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    shouted = [text.upper() for text in texts[::5]]  # caps lock on: the case-blind pattern still matches
    titled = [text.title() for text in texts[::7]]
    return texts + shouted + titled + ["Пожалуйста, ДОЧЕНЬКА, запиши", "Thanks Dear", "UTC+3", "МСК+4", "Qhs"]


def test_the_parser_uses_case_blind_patterns() -> None:
    assert len(_all_case_blind()) >= 20


@pytest.mark.parametrize("name", sorted(_all_case_blind()))
def test_the_quick_test_never_hides_a_match(name: str) -> None:
    blind = _all_case_blind()[name]
    for text in _texts():
        assert (blind.search(text) is None) == (blind.pattern.search(text) is None), text
        assert blind.sub("<>", text) == blind.pattern.sub("<>", text), text


def test_matches_and_replaces_as_written() -> None:
    pattern = case_blind(r"(?<!\w)(?:please|пожалуйста)(?!\w)")
    assert pattern.sub("", "PLEASE add Aspirin") == " add Aspirin"
    assert pattern.search("Пожалуйста").group() == "Пожалуйста"
    assert pattern.match("add it please") is None
    assert [m.group() for m in pattern.finditer("Please, please")] == ["Please", "please"]
    assert pattern.sub("", "Aspirin 100") == "Aspirin 100"


def test_an_upper_case_literal_is_refused() -> None:
    with pytest.raises(ValueError):
        case_blind(r"Aspirin|\d+")
    assert case_blind(r"(?P<n>\d+)\s*\w").search("10 MG") is not None  # escapes and group names are not letters

