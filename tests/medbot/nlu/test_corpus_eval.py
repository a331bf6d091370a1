"""The parser's figures on the schedule corpora: it may ask, but it is almost never confidently
wrong (the issue's bar: at most 1%), and it reads most phrases right."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.corpus_eval import DEFAULT_FILES, judge
from tests.medbot.nlu.test_corpus import load_corpus


@pytest.mark.parametrize("path", DEFAULT_FILES, ids=lambda path: path.stem)
def test_confidently_wrong_at_most_one_percent_and_mostly_right(path) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(judge(case) for case in load_corpus(path))
    total = sum(counts.values())
    assert total >= 300
    assert counts["wrong"] / total <= 0.01, counts
    assert counts["right"] / total >= 0.85, counts
