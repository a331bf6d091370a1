"""Whatever people send, the parser answers with a valid result and never raises."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbot.core.commands import COMMAND_NAMES, Add, Delete, ParseResult, TimeChange, to_json
from medbot.core.nlu.parser import parse_strict
from tests.core.nlu.test_corpus import CASES

HHMM = re.compile(r"^\d\d:\d\d$")
FRAGMENTS = sorted({word for case in CASES for word in case["text"].split()})
SYMBOLS = list(" ,.;:!?+-/½\n\tи") + ["в", "at", "мг", "pm", "утра", "и в", "😀"]


def assert_valid(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    assert type(result.command) in COMMAND_NAMES
    assert result.lang in ("ru", "en", None)
    assert isinstance(result.needs_llm, bool)
    times: list[str] = []
    match result.command:
        case Add(items=items):
            assert items
            times = [t for item in items for t in item.times]
            assert all(item.med.name.strip() and item.med.key == item.med.key.lower() for item in items)
        case Delete(times=deleted):
            times = list(deleted)
        case TimeChange(new_times=new, old_time=old):
            times = list(new) + ([old] if old else [])
    for value in times:
        assert HHMM.match(value), value
        hours, minutes = map(int, value.split(":"))
        assert hours < 24 and minutes < 60
    body = to_json(result)
    assert body["needs_llm"] is result.needs_llm
    json.dumps(body, ensure_ascii=False).encode("utf-8")


def relaxed(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@relaxed(300)
@given(st.text(max_size=10_000))
def test_arbitrary_unicode(text: str) -> None:
    assert_valid(parse_strict(text))


@relaxed(300)
@given(st.text(max_size=1_000))
def test_arbitrary_unicode_short_enough_to_be_read(text: str) -> None:
    assert_valid(parse_strict(text))


@relaxed(500)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.sampled_from(SYMBOLS), max_size=40))
def test_random_concatenations_of_corpus_fragments(parts: list[str]) -> None:
    assert_valid(parse_strict(" ".join(parts)))


@relaxed(300)
@given(st.lists(st.sampled_from([case["text"] for case in CASES]), min_size=1, max_size=4), st.sampled_from([" ", ", ", " и ", ". ", "\n"]))
def test_whole_corpus_phrases_run_together(phrases: list[str], glue: str) -> None:
    assert_valid(parse_strict(glue.join(phrases)))


@relaxed(300)
@given(st.text(alphabet=st.sampled_from(list("0123456789:.,/½ чмгвиаtpm+-")), max_size=60))
def test_digit_soup(text: str) -> None:
    assert_valid(parse_strict(text))
