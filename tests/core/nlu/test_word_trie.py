"""A word list as a trie matches exactly what the same words as a longest-first alternation match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbot.core.nlu.word_trie import trie_source

_WORDS = st.lists(st.text(alphabet="абвгab .-", min_size=1, max_size=6), min_size=1, max_size=25)
_TEXT = st.text(alphabet="абвгab .-,x", max_size=40)


def _both(words: list[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    plain = "(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")"
    around = r"(?<![\w-]){}(?![\w-])"
    return re.compile(around.format(trie_source(words))), re.compile(around.format(plain))


@settings(max_examples=300, deadline=None)
@given(_WORDS, _TEXT)
def test_same_matches_as_the_alternation(words: list[str], text: str) -> None:
    trie, plain = _both(words)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_longer_word_wins_where_both_fit() -> None:
    trie, _ = _both(["tab", "tabs", "пред сном", "пред"])
    assert [m.group() for m in trie.finditer("2 tabs пред сном, tab пред")] == ["tabs", "пред сном", "tab", "пред"]


def test_special_characters_are_literal() -> None:
    assert re.fullmatch(trie_source(["a.b", "c+"]), "a.b")
    assert re.fullmatch(trie_source(["a.b", "c+"]), "axb") is None


def test_an_empty_word_is_refused() -> None:
    with pytest.raises(ValueError):
        trie_source(["", "a"])
