"""The parser against a corpus of phrases people write, in both languages.

corpus.jsonl holds one {"text": ..., "expect": {...}} per line. Every key of "expect" must
equal the same key of `to_json(parse(text))`; a key expected as null must be absent or null
(a delete without times has no "times" key). Keys not in "expect" are not checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medbot.core.commands import COMMAND_NAMES, to_json
from medbot.core.nlu import parse

CORPUS = Path(__file__).with_name("corpus.jsonl")
REGIMEN_CORPUS = Path(__file__).with_name("corpus_regimens.jsonl")
"""Phrases about days, intervals, courses, cycles, "as needed", one-offs and pauses."""


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


CASES = load_corpus()
REGIMEN_CASES = load_corpus(REGIMEN_CORPUS) if REGIMEN_CORPUS.exists() else []


def test_the_corpus_is_large_and_covers_every_command() -> None:
    assert len(CASES) >= 400
    seen = {case["expect"]["command"] for case in CASES + REGIMEN_CASES}
    assert seen >= set(COMMAND_NAMES.values()) - {"cancel"}  # "no" is a button, never typed
    assert any(case["expect"].get("needs_llm") for case in CASES)
    assert sum(1 for case in CASES if any("а" <= ch <= "я" for ch in case["text"].lower())) >= 200
    assert sum(1 for case in CASES if case["text"].isascii()) >= 150


def test_the_corpus_has_no_duplicate_phrases() -> None:
    texts = [case["text"] for case in CASES]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("case", CASES, ids=[f"{n + 1}:{case['text'][:40]}" for n, case in enumerate(CASES)])
def test_phrase(case: dict[str, Any]) -> None:
    check_phrase(case)


def check_phrase(case: dict[str, Any]) -> None:
    got = to_json(parse(case["text"]))
    expected = case["expect"]
    wrong = {key: {"expected": value, "got": got.get(key)} for key, value in expected.items() if got.get(key) != value}
    assert not wrong, f"{case['text']!r} → {json.dumps(got, ensure_ascii=False)}"
