"""The parser against phrases about days, intervals, courses, cycles, tapers, "as needed",
one-offs, pauses, rule changes and the agenda: the spec for reading schedules, not just times.

corpus_regimens.jsonl holds one {"text": ..., "family": ..., "expect": {...}} per line, checked
like corpus.jsonl (`check_phrase`): every key of "expect" must equal the same key of the
parser's output, and an add's medication without a "regimen" key expects none (every day).
"family" groups the phrases by what they say about the schedule (see FAMILIES).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, get_args

import pytest

from medbot.core.commands import COMMAND_NAMES
from medbot.core.model import RegimenKind
from tests.core.nlu.test_corpus import CASES, REGIMEN_CASES, REGIMEN_CORPUS, check_phrase

FAMILIES = (
    "daily_words",  # "каждый день", "daily", "2 раза в день": no rule (regimen null)
    "weekdays",  # "по четвергам", "пн ср пт", "по будням", "except Sunday"
    "every_n_days",  # "через день", "раз в 3 дня", "every third day"
    "monthly",  # "1-го числа каждого месяца", "on the last day of the month"
    "every_n_hours",  # "каждые 4 часа с 7 утра": the first time only
    "course",  # "в течение 10 дней", "до 1 мая", "с понедельника 14 дней"
    "cycle",  # "21 день пью 7 дней перерыв"
    "taper",  # "первую неделю по 4 таблетки, потом по 3": steps
    "as_needed",  # "при головной боли", "as needed", "не чаще 4 раз в сутки"
    "once",  # "завтра в 9 напомни", "через полчаса напомни"
    "pause",  # "в пятницу не надо", "пауза на неделю" (and a few deletes without a date)
    "regimen_change",  # "диувер теперь по средам и субботам"
    "agenda",  # "что у меня на неделе?"
    "incomplete",  # "раз в неделю" with no day, "курс амоксициллина" with no length: ask
    "unplaceable",  # a word the parser cannot place in the schedule: the LLM, never a guess
)
MIN_PER_FAMILY = 25

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
REGIMEN_KEYS = {
    "kind", "weekdays", "interval", "month_day", "on_days", "off_days", "max_per_day", "start", "days",
    "until", "steps", "in_minutes", "course",
}
DATEREF_KEYS = {"kind", "value", "month", "year"}
IDS = [f"{n + 1}:{case['family']}:{case['text'][:40]}" for n, case in enumerate(REGIMEN_CASES)]
"""Like test_corpus's ids, with the family: `pytest -k taper` runs one family."""


def test_the_regimen_corpus_is_there_and_large() -> None:
    assert REGIMEN_CORPUS.exists()
    assert len(REGIMEN_CASES) >= 450


def test_every_family_has_enough_phrases() -> None:
    counts = Counter(case["family"] for case in REGIMEN_CASES)
    assert set(counts) <= set(FAMILIES), set(counts) - set(FAMILIES)
    thin = {family: counts.get(family, 0) for family in FAMILIES if counts.get(family, 0) < MIN_PER_FAMILY}
    assert not thin, thin


def test_about_a_third_is_english() -> None:
    english = sum(1 for case in REGIMEN_CASES if case["text"].isascii())
    assert 0.25 <= english / len(REGIMEN_CASES) <= 0.45
    for family in FAMILIES:  # every family in both languages
        texts = [case["text"] for case in REGIMEN_CASES if case["family"] == family]
        assert any(text.isascii() for text in texts) and not all(text.isascii() for text in texts), family


def test_phrases_are_unique_and_new() -> None:
    texts = [case["text"] for case in REGIMEN_CASES]
    assert len(texts) == len(set(texts)), [text for text, n in Counter(texts).items() if n > 1]
    assert not set(texts) & {case["text"] for case in CASES}


def _check_dateref(ref: Any) -> None:
    assert isinstance(ref, dict) and set(ref) <= DATEREF_KEYS, ref
    assert ref["kind"] in ("offset", "weekday", "date") and isinstance(ref["value"], int), ref
    if ref["kind"] == "weekday":
        assert 0 <= ref["value"] <= 6 and set(ref) == {"kind", "value"}, ref
    if ref["kind"] == "offset":
        assert ref["value"] >= 0 and set(ref) == {"kind", "value"}, ref
    if ref["kind"] == "date":
        assert 1 <= ref["value"] <= 31 and 1 <= ref["month"] <= 12, ref


def _check_regimen(regimen: Any) -> None:
    assert isinstance(regimen, dict) and set(regimen) <= REGIMEN_KEYS, regimen
    assert regimen["kind"] in get_args(RegimenKind), regimen
    if "weekdays" in regimen:
        days = regimen["weekdays"]
        assert days and days == sorted(set(days)) and all(0 <= day <= 6 for day in days), regimen
    for key in ("start", "until"):
        if key in regimen:
            _check_dateref(regimen[key])
    for step in regimen.get("steps", []):
        assert set(step) <= {"dosage", "days"} and step["dosage"], regimen
    for key in ("interval", "on_days", "off_days", "max_per_day", "days", "in_minutes"):
        if key in regimen:
            assert isinstance(regimen[key], int) and regimen[key] > 0, regimen
    if "month_day" in regimen:
        assert regimen["month_day"] == -1 or 1 <= regimen["month_day"] <= 31, regimen
    if "course" in regimen:
        assert regimen["course"] is True and "days" not in regimen and "until" not in regimen, regimen


@pytest.mark.parametrize("case", REGIMEN_CASES, ids=IDS)
def test_expectations_are_well_formed(case: dict[str, Any]) -> None:
    """The spec itself is consistent: the shape `medbot parse` prints, nothing half-said."""
    assert set(case) - {"xfail"} == {"text", "family", "expect"} and case["family"] in FAMILIES
    expect = case["expect"]
    assert expect["command"] in COMMAND_NAMES.values() and isinstance(expect["needs_llm"], bool)
    if case["family"] == "unplaceable":
        assert expect == {"command": "unknown", "needs_llm": True}
        return
    assert expect["needs_llm"] is False
    for med in expect.get("medications", []):
        assert set(med) <= {"name", "dosage", "times", "regimen"} and med["name"], med
        assert all(HHMM.match(time) for time in med["times"]), med
        if med.get("regimen") is not None:
            _check_regimen(med["regimen"])
            if med["regimen"].get("steps"):
                assert med["dosage"] == med["regimen"]["steps"][0]["dosage"], med
    if expect["command"] == "regimen_change":
        _check_regimen(expect["regimen"])
    if expect["command"] == "pause":
        _check_dateref(expect["first"])
        if expect["last"] is not None:
            _check_dateref(expect["last"])


@pytest.mark.parametrize("case", REGIMEN_CASES, ids=IDS)
def test_regimen_phrase(case: dict[str, Any]) -> None:
    if "xfail" in case:  # a phrasing that needs work outside the schedule words, named in the line
        pytest.xfail(case["xfail"])
    check_phrase(case)


def test_expected_failures_are_few_and_explained() -> None:
    marked = [case for case in REGIMEN_CASES if "xfail" in case]
    assert len(marked) <= 6 and all(case["xfail"].strip() for case in marked)
