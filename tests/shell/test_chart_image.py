"""The /stats picture: a PNG any phone shows, with one bar a day in the report's colours."""

from __future__ import annotations

import io

from PIL import Image

from medbot.core.report import build_report
from medbot.shell.chart_image import render_png
from medbot.shell.day_bars import CHART_COLORS
from tests.core.reminder_kit import local, med, person
from tests.core.test_report import ended, taken

ZONE = "Europe/Moscow"
NOW = local(ZONE, "2026-12-07 12:00")
TAKEN, SKIPPED, MISSED = CHART_COLORS


LEGEND_SQUARE = 19 * 19
"""Pixels of each colour the legend itself draws: more than that is a bar."""


def colors(content: bytes) -> set[tuple[int, int, int]]:
    """The colours with a bar in the picture (beyond the legend's squares)."""
    with Image.open(io.BytesIO(content)) as image:
        assert (image.format, image.size) == ("PNG", (960, 540))
        counts = image.convert("RGB").getcolors(maxcolors=1 << 18) or []
    return {color for count, color in counts if count > LEGEND_SQUARE}


def test_each_kind_of_day_has_its_colour() -> None:
    user = person(ZONE, med("m1", "аспирин", ("08:00",), "100 мг"))
    history = [taken("m1", "2026-12-05", "08:00", 10), ended("m1", "2026-12-06", "08:00", "missed")]
    assert {TAKEN, MISSED} <= colors(render_png(build_report(user, history, NOW, 30)))
    history.append(ended("m1", "2026-12-04", "08:00", "skipped"))
    assert {TAKEN, SKIPPED, MISSED} <= colors(render_png(build_report(user, history, NOW, 30)))


def test_a_day_without_doses_draws_no_bar_and_a_whole_year_still_fits() -> None:
    user = person(ZONE, med("m1", "metformin", ("08:00",), "500 mg"), lang="en")
    assert not {TAKEN, SKIPPED, MISSED} & colors(render_png(build_report(user, [], NOW, 30)))
    history = [taken("m1", f"2026-{month:02d}-{day:02d}", "08:00", 5, "metformin")
               for month in range(1, 13) for day in (1, 15)]
    content = render_png(build_report(user, history, NOW, 366))
    assert TAKEN in colors(content) and len(content) < 200_000  # small enough for a slow phone
