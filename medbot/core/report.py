"""The report for the doctor, as plain data: the medications with their regimens, and how each
was kept to over a period (share taken, skipped, missed, average delay), day by day. Pure.

Only doses that ended count, as in /stats. The shell draws it as a PDF (`medbot.shell.pdf_report`):
`/report` in the bot and `medbot report` on the command line give the same document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from medbot.core import tz
from medbot.core.apply import apply
from medbot.core.commands import ListSchedule
from medbot.core.inflect import cap_first
from medbot.core.model import Intake, User
from medbot.core.results import Schedule
from medbot.core.stats import Adherence, adherence
from medbot.core.texts.rules import med_rule_line

DEFAULT_DAYS = 30
MAX_DAYS = 366
_ASKED = re.compile(
    r"^(?:/report(?:@\w+)?|(?:(?:сделай|пришли|скинь|дай|нужен|хочу|покажи)\s+)?(?:мне\s+)?(?:отч[её]т|сводк\w*|выписк\w*)"
    r"(?:\s+(?:для|врачу|доктору|к)\s*(?:врача|врачу|доктора|доктору|терапевта|кардиолога)?)?(?:\s+в\s+pdf)?"
    r"|(?:(?:send|make|give|get)\s+(?:me\s+)?)?(?:a\s+|the\s+|my\s+)?report(?:\s+for\s+(?:my\s+|the\s+)?doctor)?"
    r"(?:\s+as\s+(?:a\s+)?pdf)?)(?P<period>\s+(?:за|for)\s+.+)?\s*[?!.]*$",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"(?P<n>\d{1,3})?\s*(?P<unit>дн|day|недел|week|месяц|month|год|year)", re.IGNORECASE)
_UNIT_DAYS = {"дн": 1, "day": 1, "недел": 7, "week": 7, "месяц": 30, "month": 30, "год": 365, "year": 365}


def asked_days(text: str) -> int | None:
    """Days of a report asked for: "/report", "отчёт для врача", "report for my doctor for 2 weeks"
    (30 when no period is said); None when the message asks for something else."""
    match = _ASKED.match(" ".join(text.split()))
    if match is None:
        return None
    period = match["period"]
    if not period:
        return DEFAULT_DAYS
    found = _PERIOD.search(period)
    if found is None:
        return None
    return max(1, min(MAX_DAYS, int(found["n"] or 1) * _UNIT_DAYS[found["unit"].lower()]))


@dataclass(frozen=True)
class ReportRow:
    name: str
    dosage: str | None
    figures: Adherence
    as_needed: bool = False


@dataclass(frozen=True)
class ReportDay:
    day: date
    taken: int
    skipped: int
    missed: int


@dataclass(frozen=True)
class Report:
    lang: str
    person: str
    zone: str
    first: date
    last: date
    made_at: datetime
    """Local time the report was made."""
    schedule: tuple[str, ...]
    """The medications as /list shows them: name, dosage, regimen, times."""
    rows: tuple[ReportRow, ...]
    days: tuple[ReportDay, ...]

    @property
    def total(self) -> Adherence:
        rows = [row.figures for row in self.rows if not row.as_needed]
        return Adherence(sum(r.taken for r in rows), sum(r.skipped for r in rows), sum(r.missed for r in rows), None)


def build_report(user: User, history: Iterable[Intake], now: datetime, days: int = DEFAULT_DAYS) -> Report:
    """The report of the last `days` local days, today included (the whole history may be longer
    than the record's: the command line reads the archive too)."""
    days = max(1, min(days, MAX_DAYS))
    local_now = tz.local_datetime(user.tz, now)
    last = local_now.date()
    first = last - timedelta(days=days - 1)
    inside = [record for record in history if first.isoformat() <= record.dose.date <= last.isoformat()]
    by_med: dict[str, list[Intake]] = {}
    for record in inside:
        by_med.setdefault(record.dose.med_id, []).append(record)
    rows: list[ReportRow] = []
    for med in user.medications:
        if med.id in by_med or not med.as_needed:
            rows.append(ReportRow(med.name, med.dosage, adherence(user, by_med.get(med.id, []), last, days),
                                  med.as_needed))
    for med_id, records in by_med.items():
        if user.medication(med_id) is None:  # deleted since: still part of the period
            latest = max(records, key=lambda record: (record.dose.date, record.dose.time))
            rows.append(ReportRow(latest.name, latest.dosage, adherence(user, records, last, days)))
    counted = Counter((record.dose.date, record.status) for record in inside)
    per_day = [
        ReportDay(day, *(counted[day.isoformat(), status] for status in ("taken", "skipped", "missed")))
        for day in (first + timedelta(days=n) for n in range(days))
    ]
    return Report(user.lang, user.name, user.tz, first, last, local_now, _schedule(user, now), tuple(rows),
                  tuple(per_day))


def _schedule(user: User, now: datetime) -> tuple[str, ...]:
    listed = apply(user, ListSchedule(), now).result
    if not isinstance(listed, Schedule):
        return ()
    return tuple(cap_first(med_rule_line(line.name, line.dosage, line.times, line.rule, user.lang, line.tomorrow))
                 for line in listed.lines)
