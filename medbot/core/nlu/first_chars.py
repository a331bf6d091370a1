"""Which characters a pattern can begin with, so a scan over word starts tries at each one only
the patterns that could match there instead of all of them.

The answer over-approximates and never under-approximates. Zero-width items (\\b, lookarounds)
are stepped over as if they always held. Anything not understood counts as "any character". A
pattern kept by mistake costs one failed match; a pattern dropped by mistake would lose a
reading. The stdlib's own regex parser reads the pattern. If it ever changes shape, every
pattern counts as "any character" and the scan is as slow and as right as before.

The first two and three characters are worked out the same way where the pattern lists them
("раз", "по ", "\\d+ "): at a word start only the patterns whose pairs and triples include the
text's next characters are tried, about a third as many as by the first character alone with
pairs, and less than half of those again with triples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

try:  # the stdlib's parser of regular expressions (sre_parse before 3.11)
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - a Python without it: every pattern may start anywhere
    _sre_parser = _sre_constants = None

_WIDEST_RANGE = 4096
"""A character class wider than this counts as "any character" rather than being listed."""


@dataclass(frozen=True)
class Starts:
    """The characters a pattern may begin with: listed ones, any digit, any word character, or any."""

    chars: frozenset[str] = frozenset()
    digit: bool = False
    word: bool = False
    anything: bool = False

    def __or__(self, other: Starts) -> Starts:
        return Starts(self.chars | other.chars, self.digit or other.digit, self.word or other.word,
                      self.anything or other.anything)

    def admits(self, char: str) -> bool:
        return (self.anything or char in self.chars or (self.word and (char.isalnum() or char == "_"))
                or (self.digit and char.isdecimal()))


ANY = Starts(anything=True)
_NOTHING = Starts()


def _parsed(regex: str) -> list[tuple[object, object]] | None:
    """The stdlib's reading of `regex`, or None when there is none to trust (no parser, a
    case-insensitive pattern, or one it cannot read)."""
    if _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(regex)
    except Exception:  # noqa: BLE001 - any surprise from a private parser means "don't know"
        return None
    return None if parsed.state.flags & re.IGNORECASE else list(parsed)


def starts_of(regex: str) -> Starts:
    """What `regex` can begin with (ANY when that cannot be worked out)."""
    items = _parsed(regex)
    if items is None:
        return ANY
    try:
        starts, nullable = _sequence(items)
    except Exception:  # noqa: BLE001 - a shape the walk does not know: "may begin anywhere"
        return ANY
    return ANY if nullable else starts


def _sequence(items: Sequence[tuple[object, object]]) -> tuple[Starts, bool]:
    """The first characters of a run of items, and whether the whole run can match nothing."""
    found = _NOTHING
    for op, argument in items:
        starts, nullable = _item(op, argument)
        found |= starts
        if not nullable:
            return found, False
    return found, True


def _item(op: object, argument: object) -> tuple[Starts, bool]:
    c = _sre_constants
    if op is c.LITERAL:
        return Starts(frozenset({chr(argument)})), False  # type: ignore[arg-type]
    if op is c.IN:
        return _char_class(argument), False  # type: ignore[arg-type]
    if op is c.BRANCH:
        found, nullable = _NOTHING, False
        for branch in argument[1]:  # type: ignore[index]
            starts, empty = _sequence(list(branch))
            found, nullable = found | starts, nullable or empty
        return found, nullable
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, body = argument  # type: ignore[misc]
        return (ANY, False) if add_flags & re.IGNORECASE else _sequence(list(body))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, body = argument  # type: ignore[misc]
        starts, nullable = _sequence(list(body))
        return starts, nullable or low == 0
    if op is c.ATOMIC_GROUP:
        return _sequence(list(argument))  # type: ignore[arg-type]
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _NOTHING, True  # zero width: as if it held
    if op in (c.NOT_LITERAL, c.ANY):
        return ANY, False
    return ANY, True  # group references, anything new: may begin anywhere, or be empty


def _char_class(members: Sequence[tuple[object, object]]) -> Starts:
    c = _sre_constants
    chars: set[str] = set()
    digit = word = False
    for op, argument in members:
        if op is c.LITERAL:
            chars.add(chr(argument))  # type: ignore[arg-type]
        elif op is c.RANGE and argument[1] - argument[0] <= _WIDEST_RANGE:  # type: ignore[index,operator]
            chars.update(chr(code) for code in range(argument[0], argument[1] + 1))  # type: ignore[index]
        elif op is c.CATEGORY and argument is c.CATEGORY_DIGIT:
            digit = True
        elif op is c.CATEGORY and argument is c.CATEGORY_WORD:
            word = True
        else:  # NEGATE, wide ranges, \s, \D, \W ...
            return ANY
    return Starts(frozenset(chars), digit, word)


_ASCII_DIGITS = "0123456789"
_MOST_PAIRS = 4096
"""A pattern that may begin with more two-character strings than this is filtered by its first one."""


def pairs_of(regex: str) -> frozenset[str] | None:
    """The strings of two characters `regex` can begin with, or None when that cannot be worked
    out. A string shorter than two means the pattern may end there (whatever follows then)."""
    return prefixes_of(regex, 2)


def prefixes_of(regex: str, length: int) -> frozenset[str] | None:
    """The strings of `length` characters `regex` can begin with (shorter: it may end there), or
    None when that cannot be worked out."""
    items = _parsed(regex)
    if items is None:
        return None
    try:
        found = _strings(items, length)
    except Exception:  # noqa: BLE001 - a shape the walk does not know: filtered by the first character
        return None
    return None if found is None or "" in found else frozenset(found)


def _strings(items: Sequence[tuple[object, object]], most: int) -> set[str] | None:
    """Every way a run of items can begin, cut at `most` characters (shorter: the run may end there)."""
    found = {""}
    for op, argument in items:
        longer: set[str] = {s for s in found if len(s) == most}
        for begun in found - longer:
            tails = _item_strings(op, argument, most - len(begun))
            if tails is None:
                return None
            longer.update(begun + tail for tail in tails)
        if len(longer) > _MOST_PAIRS:
            return None
        found = longer
        if all(len(s) == most for s in found):
            break
    return found


def _item_strings(op: object, argument: object, most: int) -> set[str] | None:
    c = _sre_constants
    if op is c.LITERAL:
        return {chr(argument)}  # type: ignore[arg-type]
    if op is c.IN:
        chars = _char_class(argument)  # type: ignore[arg-type]
        if chars.anything or chars.word:
            return None
        return set(chars.chars) | (set(_ASCII_DIGITS) if chars.digit else set())
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in argument[1]:  # type: ignore[index]
            strings = _strings(list(branch), most)
            if strings is None:
                return None
            found |= strings
        return found
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, body = argument  # type: ignore[misc]
        return None if add_flags & re.IGNORECASE else _strings(list(body), most)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _repeated(argument, most)  # type: ignore[arg-type]
    if op is c.ATOMIC_GROUP:
        return _strings(list(argument), most)  # type: ignore[arg-type]
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {""}  # zero width: as if it held
    return None  # any character, a category, a group reference, anything new


def _repeated(argument: tuple[int, int, object], most: int) -> set[str] | None:
    """`body{low,high}` cut at `most` characters: each further copy lengthens what is not yet long enough."""
    low, high, body = argument
    done: set[str] = {""} if low == 0 else set()
    level = {""}
    for count in range(1, min(high, most + low) + 1):
        grown: set[str] = set()
        for begun in level:
            if len(begun) == most:
                grown.add(begun)
                continue
            tails = _strings(list(body), most - len(begun))  # type: ignore[arg-type]
            if tails is None:
                return None
            grown.update(begun + tail for tail in tails)
        level = grown
        if count >= low:
            done |= level
        if len(done) > _MOST_PAIRS:
            return None
    return done | {s for s in level if len(s) == most}


class ByFirstChar:
    """The indexes of the patterns that may begin at a place in a text, judged by its first one or
    two characters and remembered per pair."""

    def __init__(self, regexes: Sequence[str]) -> None:
        self._starts = tuple(starts_of(regex) for regex in regexes)
        self._prefixes = tuple(_longest_prefixes(regex) for regex in regexes)
        self.candidates = lru_cache(maxsize=4096)(self._candidates)
        self._at_prefix = lru_cache(maxsize=32768)(self._candidates_at_prefix)

    def _candidates(self, char: str) -> tuple[int, ...]:
        return tuple(index for index, starts in enumerate(self._starts) if starts.admits(char))

    def candidates_at(self, text: str, start: int) -> tuple[int, ...]:
        """The patterns that may match at `start`: fewer than `candidates` of its first character."""
        return self._at_prefix(text[start:start + 3])

    def _candidates_at_prefix(self, prefix: str) -> tuple[int, ...]:
        if any(char.isdecimal() and not char.isascii() for char in prefix):
            return self._candidates(prefix[0])  # a digit class was listed as its ASCII digits only
        return tuple(index for index in self._candidates(prefix[0])
                     if _begins(self._prefixes[index], prefix))


def _longest_prefixes(regex: str) -> frozenset[str] | None:
    """Three characters where they can be worked out, else two (three imply the two)."""
    triples = prefixes_of(regex, 3)
    return triples if triples is not None else pairs_of(regex)


def _begins(prefixes: frozenset[str] | None, text: str) -> bool:
    """`text` (the next characters) may start a match: it has one of the prefixes, or a shorter
    one after which the pattern may end."""
    return prefixes is None or any(text[:size] in prefixes for size in range(len(text), 0, -1))
