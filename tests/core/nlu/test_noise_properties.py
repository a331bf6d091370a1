"""Filler words and typos added to phrases the parser reads with confidence never produce a
different confident reading: the parser reads the same thing, or asks (issue 9)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus_eval import REGIMEN_FILES, judge
from medbot.core.commands import Unknown, to_json
from medbot.core.nlu import parse
from medbot.core.nlu.normalize import script_of
from medbot.core.nlu.numbers import cardinal
from medbot.core.nlu.typos import known_word
from tests.core.nlu.test_corpus import CASES, load_corpus

FILLER = ("ну", "пожалуйста", "слушай", "значит", "короче", "ой", "вот", "мне", "так", "please", "so", "um",
          "ok so", "hey", "well", "спасибо", "thanks", "блин", "кстати")


def confident(text: str) -> dict | None:  # type: ignore[type-arg]
    result = parse(text)
    if result.needs_llm or result.confirm or isinstance(result.command, Unknown):
        return None
    body = to_json(result)
    body.pop("confirm")
    return body


def _numeric(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or cardinal(word.lower().strip(",.")) is not None


def _name_words(text: str) -> set[str]:
    body = confident(text) or {}
    names = [m["name"] for m in body.get("medications", [])] + list(body.get("names", []))
    names += [body["name"]] if body.get("name") else []
    return {word.lower() for name in names for word in name.split()} | {
        word.lower().strip(",.") for word in text.split() if any(ch.isdigit() for ch in word) and word[:1].isalpha()}


CLEAN = [case["text"] for case in CASES
         if case["expect"].get("command") in ("add", "delete", "time_change", "dose_change", "done")
         and confident(case["text"]) is not None]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CLEAN), st.sampled_from(FILLER), st.integers(min_value=0, max_value=40),
       st.sampled_from(["", ",", " ,"]))
def test_a_filler_word_never_changes_a_confident_reading(text: str, filler: str, where: int, comma: str) -> None:
    if script_of(filler) != script_of(text.split()[0].lower()) and script_of(text.split()[-1].lower()) != script_of(filler):
        filler = "ну" if script_of(filler) == "en" else "please"  # filler in the language of the phrase
    words = text.split()
    at = where % (len(words) + 1)
    named = {word[:3] for word in _name_words(text)}
    if 0 < at < len(words) and words[at - 1].lower()[:3] in named and words[at].lower().strip(",.")[:3] in named:
        at = 0  # people put filler between words, not inside a medication's name
    if (at < len(words) and _numeric(words[at])) or (0 < at and _numeric(words[at - 1])):
        at = 0  # nor between a number and its preposition or unit ("в ну 9", "12 ну am")
    noisy = " ".join([*words[:at], filler + comma, *words[at:]])
    got = confident(noisy)
    assert got is None or got == confident(text), (noisy, got)


def _typo(word: str, kind: int, at: int) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    at = 1 + at % (len(word) - 2)
    match kind:
        case 0:  # a letter dropped
            return word[:at] + word[at + 1:]
        case 1:  # two neighbours swapped
            return word[:at] + word[at + 1] + word[at] + word[at + 2:]
        case _:  # a letter doubled
            return word[:at] + word[at] + word[at:]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CLEAN), st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=2),
       st.integers(min_value=0, max_value=40))
def test_a_typo_never_changes_a_confident_reading(text: str, which: int, kind: int, at: int) -> None:
    words = text.split()
    n = which % len(words)
    typo = _typo(words[n], kind, at)
    if known_word(typo.lower().strip(",.!?")):
        return  # "глаз" → "газ": a typo that makes another real word makes another message
    noisy = " ".join([*words[:n], typo, *words[n + 1:]])
    got = confident(noisy)
    assert got is None or got == confident(text), (noisy, got)


SCHEDULES = [case["text"] for path in REGIMEN_FILES for case in load_corpus(path)
             if case["expect"].get("command") in ("add", "pause", "regimen_change")
             and confident(case["text"]) is not None and judge(case) == "right"]
"""Phrases with a rule of days (weekly, courses, as needed, cycles, breaks) read right with confidence."""


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SCHEDULES), st.sampled_from(FILLER), st.integers(min_value=0, max_value=40),
       st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=40))
def test_noise_never_changes_a_confident_schedule(text: str, filler: str, which: int, kind: int, at: int) -> None:
    """A filler word at the start, or a typo in a word other than the name, of a schedule phrase: the
    same reading, or a question (a typo that makes another real word makes another message, and an
    unknown brand misspelt is another unknown brand)."""
    if script_of(filler) != script_of(text.split()[0].lower()):
        filler = "ну" if script_of(filler) == "en" else "please"
    words = text.split()
    n = which % len(words)
    typo = _typo(words[n], kind, at)
    variants = [" ".join([filler + ",", *words])]
    named = {word[:3] for word in _name_words(text)}
    if not known_word(typo.lower().strip(",.!?:;")) and words[n].lower()[:3] not in named:
        variants.append(" ".join([*words[:n], typo, *words[n + 1:]]))  # a typo in a word about the schedule
    for noisy in variants:
        got = confident(noisy)
        assert got is None or got == confident(text), (noisy, got)
