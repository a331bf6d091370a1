"""The per-day chart of /stats as a PNG picture (Pillow), in the person's language.

The same days and colours as the report's chart (`medbot.shell.pdf_report`): one stacked bar a
day, doses taken, skipped and missed, with the dates under it and a legend. The words are the
core's (`medbot.core.texts.report`); the font is the report's Roboto, so Cyrillic draws right.
"""

from __future__ import annotations

import io
from functools import cache

import font_roboto
from PIL import Image, ImageDraw, ImageFont

from medbot.core.report import Report
from medbot.core.texts.report import report_text
from medbot.shell.day_bars import CHART_COLORS, busiest, stacked_bars

_WIDTH, _HEIGHT = 960, 540
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 24, 72, 110
_INK, _FAINT, _GRID = (33, 33, 33), (110, 110, 110), (225, 225, 225)


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_roboto.RobotoBold if bold else font_roboto.Roboto, size)


def render_png(report: Report) -> bytes:
    """The chart as PNG bytes (about 20-40 KB): small enough for any connection."""
    words = report_text(report)
    image = Image.new("RGB", (_WIDTH, _HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title = f"{words.chart_title} · {report.first:%d.%m} – {report.last:%d.%m.%Y}"
    draw.text((_LEFT, 22), title, fill=_INK, font=_font(26, bold=True))
    _bars(draw, report)
    _legend(draw, words.legend)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _bars(draw: ImageDraw.ImageDraw, report: Report) -> None:
    days = report.days
    most = busiest(days)
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    base = _TOP + plot_h
    for level in range(1, most + 1) if most <= 8 else range(0, most + 1, max(1, most // 4)):
        y = base - plot_h * level / most
        draw.line((_LEFT, y, _LEFT + plot_w, y), fill=_GRID)
        draw.text((_LEFT - 10, y), str(level), fill=_FAINT, font=_font(16), anchor="rm")
    draw.line((_LEFT, base, _LEFT + plot_w, base), fill=_FAINT, width=2)
    step = plot_w / max(len(days), 1)
    for x, y, bar, size, color in stacked_bars(days, _LEFT, base, plot_w, plot_h, narrowest=1.0):
        draw.rectangle((x, y, x + bar, y + size), fill=color)
    every = max(1, round(len(days) / 8))
    for n, day in enumerate(days):
        if n == len(days) - 1 or n % every == 0 and len(days) - 1 - n >= max(1, every // 2):  # no two overlap
            draw.text((_LEFT + n * step + step / 2, base + 10), f"{day.day:%d.%m}", fill=_FAINT,
                      font=_font(16), anchor="ma")


def _legend(draw: ImageDraw.ImageDraw, labels: tuple[str, str, str]) -> None:
    x, y = float(_LEFT), float(_HEIGHT - 48)
    for label, color in zip(labels, CHART_COLORS, strict=True):
        draw.rectangle((x, y + 4, x + 18, y + 22), fill=color)
        draw.text((x + 26, y), label, fill=_INK, font=_font(20))
        x += 26 + draw.textlength(label, font=_font(20)) + 36
