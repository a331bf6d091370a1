"""Case-blind patterns that stay fast.

Python's `re` drops its literal-prefix and first-character scans for a pattern compiled with
IGNORECASE, so a case-blind alternation of a few hundred words costs five times what the same
pattern costs on lowercased text. Most messages hold no match at all; a `CaseBlind` pattern
first looks for one in the lowercased text with a case-sensitive twin and only runs the
case-blind pattern (on the text as written, so replacements keep the person's casing) when
there is one. Two equal in every way that matters here: the twin misses only matches that need
Unicode's rarer case equivalences ("ſ" for "s", the Kelvin sign for "k").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_ESCAPES = re.compile(r"\\[A-Za-z]|\\[Uu][0-9A-Fa-f]{4,8}|\(\?[A-Za-z]+[:)]|\(\?P[<=]")

Replacement = str | Callable[[re.Match[str]], str]


@dataclass(frozen=True, slots=True)
class CaseBlind:
    pattern: re.Pattern[str]
    """The pattern with IGNORECASE, run on the text as written."""
    lowered: re.Pattern[str]
    """The same pattern without IGNORECASE: the quick test on the lowercased text."""

    def in_text(self, text: str) -> bool:
        return self.lowered.search(text.lower()) is not None

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.in_text(text) else None

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(text) if self.lowered.match(text.lower()) is not None else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.in_text(text) else iter(())

    def sub(self, replacement: Replacement, text: str, count: int = 0) -> str:
        return self.pattern.sub(replacement, text, count=count) if self.in_text(text) else text


def case_blind(source: str, flags: int = 0) -> CaseBlind:
    """`re.compile(source, flags | IGNORECASE)`, fast on messages without a match. The source
    must spell its letters in lower case (an upper-case literal would never meet lowered text)."""
    letters = _ESCAPES.sub("", source)
    if any(ch.isupper() for ch in letters):
        raise ValueError("a case-blind pattern spells its letters in lower case")
    return CaseBlind(re.compile(source, flags | re.IGNORECASE), re.compile(source, flags & ~re.IGNORECASE))
