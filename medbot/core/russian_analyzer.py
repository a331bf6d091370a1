"""One shared pymorphy3 analyzer for Russian word forms.

Loading the dictionaries takes a noticeable fraction of a second and ~15 MB, so every part of
medbot (the parser reading names, the replies inflecting them) shares this one instance.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pymorphy3


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """Built on first use; the daemon builds it before any thread asks (`warm_up`)."""
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=65536)
def parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """All analyses of a lower-case word, most probable first (cached: words repeat a lot)."""
    return tuple(analyzer().parse(word))
