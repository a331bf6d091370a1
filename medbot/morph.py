"""One shared pymorphy3 analyzer for Russian word forms.

Loading the dictionaries takes a noticeable fraction of a second and ~15 MB, so every part of
medbot (the parser reading names, the replies inflecting them) shares this one instance.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import pymorphy3

_lock = threading.Lock()
_analyzer: pymorphy3.MorphAnalyzer | None = None


def analyzer() -> pymorphy3.MorphAnalyzer:
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


@lru_cache(maxsize=65536)
def parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """All analyses of a lower-case word, most probable first (cached: words repeat a lot)."""
    return tuple(analyzer().parse(word))
