"""The report for the doctor drawn as a PDF (fpdf2), with a font that covers Cyrillic.

The font (Roboto) comes from the `font-roboto` package and is embedded (subset) in the file,
so the PDF reads the same on any computer. The words are the core's
(`medbot.core.texts.report`): this module only lays them out and draws the per-day chart.
"""

from __future__ import annotations

from functools import cache

import font_roboto
from fontTools.ttLib import TTFont
from fpdf import FPDF

from medbot.core.report import Report
from medbot.core.texts.report import ReportText, report_text
from medbot.shell.day_bars import CHART_COLORS, stacked_bars

_GREY = (224, 224, 224)
_COLUMNS = (70.0, 20.0, 20.0, 22.0, 22.0, 26.0)
"""Widths (mm) of the adherence table's columns: 180 mm on an A4 page with 15 mm margins."""


@cache
def _glyphs() -> frozenset[int]:
    return frozenset(TTFont(font_roboto.Roboto).getBestCmap())


def _printable(text: str) -> str:
    """Characters the font has; anything else (an emoji in a name) becomes a plain mark."""
    known = _glyphs()
    return "".join(ch if ord(ch) in known or ch in "\n" else "·" for ch in text)


def render(report: Report) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the report."""
    words = report_text(report)
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("Roboto", "", font_roboto.Roboto)
    pdf.add_font("Roboto", "B", font_roboto.RobotoBold)
    pdf.set_title(_printable(words.title))
    pdf.set_creator("medbot")
    pdf.add_page()
    _heading(pdf, words)
    _schedule(pdf, words)
    _table(pdf, words)
    _chart(pdf, report, words)
    pdf.ln(4)
    pdf.set_font("Roboto", "", 8)
    pdf.set_text_color(110, 110, 110)
    pdf.multi_cell(0, 4, _printable(words.note))
    return words.filename, bytes(pdf.output())


def _heading(pdf: FPDF, words: ReportText) -> None:
    pdf.set_font("Roboto", "B", 16)
    pdf.cell(0, 9, _printable(words.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Roboto", "", 10)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 5, _printable(words.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)


def _section(pdf: FPDF, title: str) -> None:
    pdf.set_font("Roboto", "B", 12)
    pdf.cell(0, 8, _printable(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Roboto", "", 10)


def _schedule(pdf: FPDF, words: ReportText) -> None:
    _section(pdf, words.schedule_title)
    for line in words.schedule:
        pdf.multi_cell(0, 5.5, _printable(f"• {line}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: FPDF, words: ReportText) -> None:
    _section(pdf, words.table_title)
    if not words.rows:
        return
    pdf.set_font("Roboto", "B", 9)
    pdf.set_fill_color(*_GREY)
    for width, cell in zip(_COLUMNS, words.header, strict=True):
        pdf.cell(width, 7, _printable(cell), border=1, fill=True, align="C")
    pdf.ln()
    for n, row in enumerate(words.rows):
        pdf.set_font("Roboto", "B" if n == len(words.rows) - 1 else "", 9)
        for column, (width, cell) in enumerate(zip(_COLUMNS, row, strict=True)):
            text = _printable(cell)
            while column == 0 and len(text) > 1 and pdf.get_string_width(text) > width - 2:
                text = text[:-2] + "…"
            pdf.cell(width, 6.5, text, border=1, align="L" if column == 0 else "C")
        pdf.ln()
    pdf.ln(4)


def _chart(pdf: FPDF, report: Report, words: ReportText) -> None:
    """One stacked bar per day: taken, skipped, missed doses."""
    _section(pdf, words.chart_title)
    days = report.days
    height, width = 40.0, 180.0
    if pdf.get_y() + height + 20 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top, left = pdf.get_y() + 2, pdf.l_margin
    pdf.set_draw_color(180, 180, 180)
    pdf.line(left, top + height, left + width, top + height)
    step = width / max(len(days), 1)
    for x, y, bar, size, color in stacked_bars(days, left, top + height, width, height, narrowest=0.4):
        pdf.set_fill_color(*color)
        pdf.rect(x, y, bar, size, style="F")
    pdf.set_font("Roboto", "", 7)
    pdf.set_text_color(90, 90, 90)
    every = max(1, len(days) // 10)
    for n, day in enumerate(days):
        if n % every == 0 or n == len(days) - 1:
            pdf.text(left + n * step, top + height + 4, f"{day.day:%d.%m}")
    pdf.set_y(top + height + 7)
    pdf.set_font("Roboto", "", 8)
    for label, color in zip(words.legend, CHART_COLORS, strict=True):
        pdf.set_fill_color(*color)
        pdf.rect(pdf.get_x(), pdf.get_y() + 1, 3, 3, style="F")
        pdf.set_x(pdf.get_x() + 4)
        pdf.cell(pdf.get_string_width(label) + 6, 5, _printable(label))
    pdf.ln(6)
    pdf.set_text_color(0, 0, 0)
