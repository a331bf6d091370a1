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
from medbot.core.nlu.first_chars import ANY, ByFirstChar, pairs_of, prefixes_of, starts_of
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


@pytest.mark.parametrize(("regex", "pairs"), [
    (r"\bаспирин", {"ас"}),
    (r"(?:по )?раз\b", {"по", "ра"}),
    (r"x?y", {"xy", "y"}),
    (r"[аб]в", {"ав", "бв"}),
    (r"\d+ раз", {f"{d}{e}" for d in "0123456789" for e in "0123456789 "}),
    (r"(?=ка)к(?:а|о)", {"ка", "ко"}),
    (r"a{2,}b", {"aa"}),
])
def test_the_two_characters_a_pattern_begins_with(regex: str, pairs: set[str]) -> None:
    assert pairs_of(regex) == pairs


@pytest.mark.parametrize("regex", [r"(?i)ab", r"\w+ раз", r"a.", r"[^a]b", r"x*", r"(?:x|)"])
def test_what_it_cannot_tell_in_two_characters_is_judged_by_the_first(regex: str) -> None:
    assert pairs_of(regex) is None


def test_a_pair_filter_keeps_fewer_patterns_than_the_first_character_alone() -> None:
    by_first_char = ByFirstChar([r"по\b", r"прием", r"\w+ка"])
    assert by_first_char.candidates("п") == (0, 1, 2)
    assert by_first_char.candidates_at("это прием", 4) == (1, 2)
    assert by_first_char.candidates_at("по", 0) == (0, 2)
    assert by_first_char.candidates_at("п", 0) == (2,)


def test_three_characters_tell_apart_patterns_that_share_their_first_two() -> None:
    assert prefixes_of(r"раз в (?:день|сутки)", 3) == {"раз"}
    assert prefixes_of(r"ра(?:з|на)", 3) == {"раз", "ран"}
    assert prefixes_of(r"по\b", 3) == {"по"}  # shorter: the pattern may end there
    by_first_char = ByFirstChar([r"раз\b", r"ранитидин", r"ра\w*"])
    assert by_first_char.candidates_at("раз в день", 0) == (0, 2)
    assert by_first_char.candidates_at("ранитидин", 0) == (1, 2)
    assert by_first_char.candidates_at("ра", 0) == (2,)  # the text ends: only what may end by then


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
            kept_by_pair = set(by_first_char.candidates_at(text, start))
            assert kept_by_pair <= kept
            for index, pattern in enumerate(compiled):
                match = pattern.match(text, start)
                if match is not None and match.end() > start:
                    checked += 1
                    assert index in kept_by_pair, (name, regexes[index][:60], text, start)
    assert checked > 300


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="абвгдеклмнопрстуxyz0123٣ .,:-", max_size=30))
def test_a_random_text_finds_the_same_phrases_as_trying_every_pattern(text: str) -> None:
    for start in range(len(text)):
        kept = set(_SCHEDULE_BY_FIRST_CHAR.candidates_at(text, start))
        for index, pattern in enumerate(_SCHEDULE_COMPILED):
            match = pattern.match(text, start)
            if match is not None and match.end() > start:
                assert index in kept
