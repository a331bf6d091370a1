"""Choosing among overlapping finds (command cues, schedule phrases): the longest wins."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


def longest_first(found: Iterable[S], prefer: Callable[[S], int] = lambda _: 0) -> list[S]:
    """Non-overlapping finds in text order: longest first, then `prefer`red, then leftmost."""
    ordered = sorted(found, key=lambda item: (-(item.end - item.start), -prefer(item), item.start))
    chosen: list[S] = []
    for item in ordered:
        if all(item.end <= other.start or item.start >= other.end for other in chosen):
            chosen.append(item)
    chosen.sort(key=lambda item: item.start)
    return chosen
