"""The per-day chart's bars, as plain rectangles: the PDF report and the /stats picture draw
the same chart with two libraries, so the arithmetic lives here once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from medbot.core.report import ReportDay

RGB = tuple[int, int, int]
CHART_COLORS: tuple[RGB, RGB, RGB] = ((67, 160, 71), (251, 192, 45), (229, 57, 53))
"""Taken, skipped, missed: green, yellow, red."""


def busiest(days: Sequence[ReportDay]) -> int:
    """The most doses that ended on one day: the top of the scale."""
    return max((day.taken + day.skipped + day.missed for day in days), default=0)


def stacked_bars(days: Sequence[ReportDay], left: float, base: float, width: float, height: float,
                 narrowest: float) -> Iterator[tuple[float, float, float, float, RGB]]:
    """(x, top, bar width, bar height, colour) of each day's taken, skipped and missed parts,
    stacked up from `base` (y grows downwards, as on a page and in a picture)."""
    most = busiest(days)
    step = width / max(len(days), 1)
    bar = max(step * 0.7, narrowest)
    for n, day in enumerate(days):
        x = left + n * step + (step - bar) / 2
        top = base
        for count, color in zip((day.taken, day.skipped, day.missed), CHART_COLORS, strict=True):
            if count and most:
                size = height * count / most
                yield x, top - size, bar, size, color
                top -= size
