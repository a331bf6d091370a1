"""The report for the doctor as data: per medication and per day, over exactly the period asked."""

from __future__ import annotations

from datetime import date, timedelta

from medbot.core import tz
from medbot.core.model import DoseRef, Intake, Regimen
from medbot.core.report import build_report
from medbot.core.texts.report import delay, report_text
from tests.core.reminder_kit import local, med, person, ruled_med

ZONE = "Europe/Moscow"
NOW = local(ZONE, "2026-12-07 12:00")


def taken(med_id: str, day: str, time: str, minutes_late: int, name: str = "аспирин") -> Intake:
    due = tz.to_instant(ZONE, date.fromisoformat(day), time)
    return Intake(DoseRef(med_id, day, time), "taken", tz.utc_iso(due + timedelta(minutes=minutes_late)), name, "100 мг")


def ended(med_id: str, day: str, time: str, status: str, name: str = "аспирин") -> Intake:
    return Intake(DoseRef(med_id, day, time), status, None, name)  # type: ignore[arg-type]


def test_figures_per_medication_and_per_day_within_the_period() -> None:
    user = person(ZONE, med("m1", "аспирин", ("08:00",), "100 мг"),
                  ruled_med(Regimen(kind="as_needed"), (), med_id="m2", name="нурофен"), name="Людмила")
    history = [
        taken("m1", "2026-11-07", "08:00", 0),  # a day before a 30-day period: left out
        taken("m1", "2026-12-05", "08:00", 10), taken("m1", "2026-12-06", "08:00", 30),
        ended("m1", "2026-12-07", "08:00", "missed"), ended("m1", "2026-12-04", "08:00", "skipped"),
        taken("m2", "2026-12-06", "14:00", 0, "нурофен"),
        taken("m9", "2026-12-01", "09:00", 0, "анальгин"),  # deleted since
    ]
    report = build_report(user, history, NOW, days=30)
    assert (report.first, report.last, len(report.days)) == (date(2026, 11, 8), date(2026, 12, 7), 30)
    rows = {row.name: row for row in report.rows}
    aspirin = rows["аспирин"].figures
    assert (aspirin.taken, aspirin.skipped, aspirin.missed, aspirin.mean_delay) == (2, 1, 1, timedelta(minutes=20))
    assert rows["нурофен"].as_needed and rows["нурофен"].figures.taken == 1 and "анальгин" in rows
    assert [(d.day.day, d.taken, d.skipped, d.missed) for d in report.days[-4:]] == [
        (4, 0, 1, 0), (5, 1, 0, 0), (6, 2, 0, 0), (7, 0, 0, 1)]
    assert report.total.taken == 3  # as needed counted apart: it was never due
    assert report.schedule and report.schedule[0].startswith("Аспирин 100 мг")


def test_the_words_follow_the_persons_language() -> None:
    user = person(ZONE, med("m1", "aspirin", ("08:00",), "100 mg"), lang="en", name="Mary")
    words = report_text(build_report(user, [taken("m1", "2026-12-06", "08:00", 90, "aspirin")], NOW, 7))
    assert words.title == "Medication report" and "Mary" in words.subtitle
    assert words.rows[0] == ("aspirin 100 mg", "100%", "1", "0", "0", "1.5 h") and words.rows[-1][0] == "All"
    assert words.filename == "medication-report-2026-12-07.pdf"
    ru = report_text(build_report(person(ZONE), [], NOW, 7))
    assert ru.rows == () and ru.schedule == ("Расписание пусто.",)


def test_delays_read_naturally() -> None:
    assert delay(None, "ru") == "—" and delay(timedelta(minutes=-5), "en") == "-5 min"
    assert delay(timedelta(minutes=150), "ru") == "2,5 ч"
