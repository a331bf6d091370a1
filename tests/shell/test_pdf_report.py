"""The PDF itself: readable by a PDF library, Cyrillic text intact, every medication and figure in it."""

from __future__ import annotations

import io

from pypdf import PdfReader

from medbot.core.report import build_report
from medbot.shell.pdf_report import render
from tests.core.reminder_kit import local, med, person
from tests.core.test_report import ended, taken

ZONE = "Europe/Moscow"
NOW = local(ZONE, "2026-12-07 12:00")


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_russian_report_is_a_pdf_with_its_words_and_figures() -> None:
    user = person(ZONE, med("m1", "аспирин", ("08:00",), "100 мг"), med("m2", "Ёлка-форте 💊", ("09:00",)),
                  name="Людмила Петровна")
    history = [taken("m1", "2026-12-05", "08:00", 10), ended("m1", "2026-12-06", "08:00", "missed"),
               ended("m2", "2026-12-06", "09:00", "skipped", "Ёлка-форте 💊")]
    name, content = render(build_report(user, history, NOW, 30))
    assert name.endswith(".pdf") and content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    text = text_of(content)
    for expected in ("Отчёт о приёме лекарств", "Людмила Петровна", "Аспирин 100 мг — 08:00", "аспирин 100 мг", "50%",
                     "Ёлка-форте", "По дням"):
        assert expected in text, (expected, text)


def test_an_english_report_and_a_long_period_fit() -> None:
    user = person(ZONE, *(med(f"m{n}", f"medication number {n} with a rather long name", ("08:00",), "10 mg")
                          for n in range(1, 15)), lang="en", name="Mary")
    history = [taken(f"m{n}", f"2026-{month:02d}-{day:02d}", "08:00", 5, f"medication number {n} with a rather long name")
               for n in range(1, 15) for month, day in ((11, 20), (12, 1), (12, 6))]
    _, content = render(build_report(user, history, NOW, 366))
    text = text_of(content)
    assert "Medication report" in text and "Adherence (366 days)" in text and "Mary" in text
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1
