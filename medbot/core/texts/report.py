"""The words of the report for the doctor, in the person's language: the shell only draws them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from medbot.core.report import Report, ReportRow
from medbot.core.stats import Adherence
from medbot.core.texts.common import med_label, pick, zone_label


@dataclass(frozen=True)
class ReportText:
    title: str
    subtitle: str
    schedule_title: str
    schedule: tuple[str, ...]
    table_title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart_title: str
    legend: tuple[str, str, str]
    """Taken, skipped, missed."""
    note: str
    filename: str
    caption: str
    chart_caption: str
    """Under the /stats picture."""


def percent(figures: Adherence) -> str:
    share = figures.share
    return "—" if share is None else f"{round(share * 100)}%"


def delay(value: timedelta | None, lang: str) -> str:
    if value is None:
        return "—"
    minutes = round(value.total_seconds() / 60)
    if abs(minutes) < 60:
        return pick(lang, f"{minutes} мин", f"{minutes} min")
    hours = minutes / 60
    return pick(lang, f"{hours:.1f} ч", f"{hours:.1f} h").replace(".", "," if lang != "en" else ".")


def _row(row: ReportRow, lang: str) -> tuple[str, ...]:
    figures = row.figures
    label = med_label(row.name, row.dosage)
    if row.as_needed:
        return (label + pick(lang, " (по необходимости)", " (as needed)"), "—", str(figures.taken), "—", "—", "—")
    return (label, percent(figures), str(figures.taken), str(figures.skipped), str(figures.missed),
            delay(figures.mean_delay, lang))


def report_text(report: Report) -> ReportText:
    lang = report.lang
    period = f"{report.first:%d.%m.%Y} — {report.last:%d.%m.%Y}"
    person = report.person or pick(lang, "пациент", "patient")
    total = report.total
    rows = tuple(_row(row, lang) for row in report.rows)
    all_row = (pick(lang, "Всего", "All"), percent(total), str(total.taken), str(total.skipped), str(total.missed), "")
    return ReportText(
        title=pick(lang, "Отчёт о приёме лекарств", "Medication report"),
        subtitle=pick(lang, f"{person} · {period} · часовой пояс {zone_label(report.zone)}",
                      f"{person} · {period} · time zone {zone_label(report.zone)}"),
        schedule_title=pick(lang, "Назначения сейчас", "Current medications"),
        schedule=report.schedule or (pick(lang, "Расписание пусто.", "The schedule is empty."),),
        table_title=pick(lang, f"Как соблюдался приём ({(report.last - report.first).days + 1} дн.)",
                         f"Adherence ({(report.last - report.first).days + 1} days)"),
        header=(pick(lang, "Лекарство", "Medication"), pick(lang, "Принято, %", "Taken, %"), pick(lang, "Принято", "Taken"),
                pick(lang, "Пропущено", "Skipped"), pick(lang, "Не принято", "Missed"),
                pick(lang, "Задержка", "Avg delay")),
        rows=(*rows, all_row) if rows else (),
        chart_title=pick(lang, "По дням", "Day by day"),
        legend=(pick(lang, "принято", "taken"), pick(lang, "пропущено", "skipped"), pick(lang, "не принято", "missed")),
        note=pick(lang, f"Составлено ботом-напоминалкой {report.made_at:%d.%m.%Y %H:%M}. «Принято» — доля доз, "
                        "отмеченных принятыми, среди закончившихся; задержка — среднее время от назначенного до отметки.",
                  f"Made by the medication reminder bot on {report.made_at:%Y-%m-%d %H:%M}. “Taken” is the share of "
                  "ended doses marked taken; the delay is the average time from the scheduled minute to the mark."),
        filename=f"medication-report-{report.last:%Y-%m-%d}.pdf",
        caption=pick(lang, f"Отчёт для врача: {period}", f"Report for the doctor: {period}"),
        chart_caption=pick(lang, f"📊 Приёмы по дням, {period}: принято {percent(total)} закончившихся доз",
                           f"📊 Doses day by day, {period}: {percent(total)} of ended doses taken"),
    )
