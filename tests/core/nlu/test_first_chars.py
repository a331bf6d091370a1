"""The first-character filter may keep a pattern it need not try, but must never drop one that
matches: a dropped pattern is a schedule phrase or a command silently not read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbot.core.nlu import intents, schedule_patterns
from medbot.core.nlu.first_chars import ANY, ByFirstChar, starts_of
from medbot.core.nlu.normalize import clean, fold

HERE = Path(__file__).parent


@pytest.mark.parametrize(("regex", "admitted", "refused"), [
    (r"\bаспирин", "а", "бa1 "),
    (r"(?:\d+|два|two)\s*раза", "7дt٣", "аx "),
    (r"x?y", "xy", "z"),
    (r"(?=при)приём|(?<!\w)курс", "пк", "аz"),
    (r"[а-в]+ка", "абв", "гz"),
    (r"(?:по )?\w+", "абzQ_5", " -"),
    (r"(?:ab|)c", "ac", "b"),
])
def test_what_a_pattern_begins_with(regex: str, admitted: str, refused: str) -> None:
    starts = starts_of(regex)
    assert all(starts.admits(char) for char in admitted)
    assert not any(starts.admits(char) for char in refused)


@pytest.mark.parametrize("regex", [r"(?i)abc", r"a*", r"[^a]b", r".b", r"(?:x|)", r"[\s]x", r"(?i:ab)"])
def test_what_it_cannot_tell_may_begin_anywhere(regex: str) -> None:
    assert starts_of(regex).anything


def test_an_unparseable_pattern_may_begin_anywhere() -> None:
    assert starts_of("(") == ANY


def _corpus_texts() -> list[str]:
    texts = []
    for path in sorted(HERE.glob("corpus*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(fold(clean(json.loads(line)["text"])))
    return texts[::5]  # every fifth phrase of every corpus: some thousands of texts


_SCHEDULE = [regex for regex, _ in schedule_patterns._PATTERNS]
_CUES = [regex for _, regex in intents._ALL_CUES]
_SCHEDULE_BY_FIRST_CHAR = ByFirstChar(_SCHEDULE)
_SCHEDULE_COMPILED = [re.compile(regex) for regex in _SCHEDULE]


@pytest.mark.parametrize(("name", "regexes"), [("schedule phrases", _SCHEDULE), ("command cues", _CUES)])
def test_no_pattern_matching_in_the_corpora_is_ever_filtered_out(name: str, regexes: list[str]) -> None:
    by_first_char = ByFirstChar(regexes)
    compiled = [re.compile(regex) for regex in regexes]
    checked = 0
    for text in _corpus_texts():
        for start in range(len(text)):
            if start and text[start - 1].isalnum():
                continue  # the scans try word starts only
            kept = set(by_first_char.candidates(text[start]))
            for index, pattern in enumerate(compiled):
                match = pattern.match(text, start)
                if match is not None and match.end() > start:
                    checked += 1
                    assert index in kept, (name, regexes[index][:60], text, start)
    assert checked > 300


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="абвгдеклмнопрстуxyz0123 .,:-", max_size=30))
def test_a_random_text_finds_the_same_phrases_as_trying_every_pattern(text: str) -> None:
    for start in range(len(text)):
        kept = set(_SCHEDULE_BY_FIRST_CHAR.candidates(text[start]))
        for index, pattern in enumerate(_SCHEDULE_COMPILED):
            match = pattern.match(text, start)
            if match is not None and match.end() > start:
                assert index in kept
