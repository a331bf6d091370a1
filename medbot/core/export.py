"""A person's data in portable formats: the schedule as JSON or iCalendar, the history as CSV.

iCalendar choice: every IANA zone gets a real VTIMEZONE, built from the zone's current rule
(the POSIX TZ string at the end of its tzdata file), because RFC 5545 requires one for each
TZID and Outlook ignores a TZID it cannot find; DST-observing zones get STANDARD/DAYLIGHT
observances with yearly RRULEs, so the events stay at the same local time across DST changes
for as long as the rule holds. A zone whose rule cannot be written as an iCalendar RRULE (at
the time of writing only Africa/Cairo, whose autumn change can fall on the 1st of the next
month) keeps TZID with the IANA name and no VTIMEZONE, which Google, Apple and Thunderbird
resolve by name. A fixed offset ("+05:30") never changes, so its events are written in UTC
(days of the week moved when a dose's UTC date is the next or previous day); only a monthly
rule whose UTC date differs from the local one is written in a VTIMEZONE of the offset
("UTC+0530"), because "the day after the 31st or the last" has no BYMONTHDAY.

Regimens: each time of a medication is one VEVENT per RFC 5545 rule of its regimen
(`medbot.core.regimen.rrule_texts`, the same rules the reminders follow; a cycle of N days on is N
rules, so N events), whose DTSTART is the rule's first real dose at or after the time's start.
A course ends with UNTIL, written in UTC as RFC 5545 requires next to a DTSTART with TZID (the
last second of the course's last local day); days inside a pause are EXDATEs at the dose's
time. As-needed medications have no scheduled doses and no events.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.rrule import rrulestr

from medbot.core import tz
from medbot.core.model import Intake, Medication, Slot, User
from medbot.core.regimen import WEEKDAY_CODES, agenda, rrule_texts, rule_start
from medbot.core.texts.common import med_label
from medbot.core.vtimezone import escape_text, observance, posix_rule, utc_offset, vtimezone

CSV_COLUMNS = (
    "date",
    "time",
    "medication",
    "dosage",
    "status",
    "confirmed_at_local",
    "confirmed_at_utc",
)

EVENT_DURATION = "PT15M"
_MAX_LINE_OCTETS = 75
_CALENDAR_NAME = {"ru": "Приём лекарств", "en": "Medications"}
"""POSIX numbers weekdays from Sunday = 0."""


def export_json(user: User) -> dict[str, Any]:
    """The schedule, in the shape `medbot export --format json` promises (DESIGN.md, README)."""
    family = {"profile": user.name, "owner_id": user.owner} if user.owner is not None else {}
    return {
        "user_id": user.id,
        **family,
        "timezone": user.tz,
        "medications": [
            {
                "name": med.name,
                "dosage": med.dosage,
                "times": list(med.times),
                "regimen": regimen_json(med),
                "as_needed": med.as_needed,
                "stock": med.stock,  # units in hand (null: not counted)
            }
            for med in user.medications
        ],
    }


def regimen_json(med: Medication) -> dict[str, Any]:
    """The medication's regimen as documented in the README: the fields of its kind, then
    `until`, `steps`, `pauses` and `rrule` (the RFC 5545 rules of its days, without DTSTART:
    a rule starts at the anchor, or at the first time's start; rule i of a cycle starts on
    anchor + i days) for every kind."""
    regimen = med.regimen
    out: dict[str, Any] = {"kind": regimen.kind}
    anchor = regimen.anchor or (rule_start(med).isoformat() if med.slots else None)
    match regimen.kind:
        case "weekdays":
            out["weekdays"] = [WEEKDAY_CODES[day] for day in sorted(set(regimen.weekdays))]
        case "every_n_days":
            out["interval"] = regimen.interval
            out["anchor"] = anchor
        case "every_n_hours":
            out["interval"] = regimen.interval
        case "monthly":
            month_day = regimen.month_day
            if month_day is None and anchor is not None:
                month_day = date.fromisoformat(anchor).day
            out["month_day"] = month_day
        case "cycle":
            out["on_days"] = regimen.on_days
            out["off_days"] = regimen.off_days
            out["anchor"] = anchor
        case "once":
            out["anchor"] = anchor
        case "as_needed":
            out["max_per_day"] = regimen.max_per_day
    out["until"] = med.until
    out["steps"] = [{"from": step.start, "dosage": step.dosage} for step in med.steps]
    out["pauses"] = [{"from": pause.first, "to": pause.last} for pause in med.pauses]
    out["rrule"] = [text for _, text in rrule_texts(med)]
    return out


def agenda_rows(user: User, now: datetime, days: int) -> list[dict[str, str | None]]:
    """`medbot agenda`: the doses from the current local minute through today + days - 1, in
    the person's zone, as {"date", "time", "name", "dosage"} in time order."""
    local_now = tz.local_datetime(user.tz, now)
    today = local_now.date()
    items = agenda(user, today, today + timedelta(days=days - 1), tz.hhmm(local_now))
    return [
        {"date": item.day.isoformat(), "time": item.time, "name": item.name, "dosage": item.dosage}
        for item in items
    ]


def agenda_line(row: dict[str, str | None]) -> str:
    """One agenda row as text: "YYYY-MM-DD HH:MM name dosage" (no dosage, no trailing space)."""
    parts = [row["date"], row["time"], row["name"], row["dosage"]]
    return " ".join(part for part in parts if part)


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): a leading =, +, -, @,
    tab or carriage return is neutralised with an apostrophe, which spreadsheets hide."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(user: User, history: Iterable[Intake] | None = None) -> str:
    """The intake history, one row per dose, oldest first (RFC 4180: CRLF, quoted as needed).

    `history` is the whole history when part of it lives in the person's archive
    (`medbot.core.history.full_history`); by default, the record's own.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    records = sorted(
        user.history if history is None else history,
        key=lambda record: (record.dose.date, record.dose.time, record.name),
    )
    for record in records:
        at = tz.from_iso(record.at) if record.at is not None else None
        writer.writerow(
            (
                record.dose.date,
                record.dose.time,
                spreadsheet_safe(record.name),
                spreadsheet_safe(record.dosage or ""),
                record.status,
                tz.local_datetime(user.tz, at).isoformat() if at is not None else "",
                tz.utc_iso(at) if at is not None else "",
            )
        )
    return out.getvalue()


def export_ics(user: User, now: datetime) -> str:
    """The schedule as recurring events (RFC 5545), one per medication, time and rule."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//medbot//medication schedule//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(_CALENDAR_NAME[user.lang])}",
    ]
    fixed = _fixed_offset(user.tz)
    rule = None if fixed is not None else posix_rule(user.tz)
    if fixed is None:
        lines.append(f"X-WR-TIMEZONE:{user.tz}")
    if rule is not None:
        lines.extend(vtimezone(user.tz, rule))
    stamp = _utc_stamp(now)
    events: list[str] = []
    fixed_zone_used = False
    for med in user.medications:
        rules = _rules(med)
        for slot in med.slots:
            for index, (first, text) in enumerate(rules):
                uid = event_uid(user, med, slot, index if len(rules) > 1 else None)
                tzid: str | None = user.tz
                shift = 0
                if fixed is not None:
                    tzid, shift = _fixed_zone_choice(fixed, slot.time, text)
                    fixed_zone_used = fixed_zone_used or tzid is not None
                events += _event(user, med, slot, (first, text), uid, stamp, tzid, shift)
    if fixed is not None and fixed_zone_used:
        seconds = fixed * 60
        lines += ["BEGIN:VTIMEZONE", f"TZID:{_fixed_tzid(fixed)}"]
        lines += observance("STANDARD", seconds, seconds, None, "19700101T000000", None)
        lines.append("END:VTIMEZONE")
    lines += events
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def event_uid(user: User, med: Medication, slot: Slot, rule: int | None = None) -> str:
    """Stable for a medication and time (and rule of a cycle), so re-importing updates instead
    of duplicating."""
    part = "" if rule is None else f"-r{rule + 1}"
    return f"medbot-{user.id}-{med.id}-{slot.time.replace(':', '')}{part}@medbot"


def _rules(med: Medication) -> list[tuple[date, str]]:
    """The medication's rules without the course end (written per event, in UTC)."""
    return [
        (first, ";".join(part for part in text.split(";") if not part.startswith("UNTIL=")))
        for first, text in rrule_texts(med)
    ]


def _fixed_tzid(minutes: int) -> str:
    return "UTC" + utc_offset(minutes * 60)


def _fixed_zone_choice(minutes: int, time: str, rule_text: str) -> tuple[str | None, int]:
    """How to write an event of a fixed-offset zone: (TZID or None for UTC, days to move BYDAY).

    In UTC a rule counts UTC dates, so a dose whose UTC date is not its local date (23:30 at
    -08:00) moves its weekdays by that day; a day of the month cannot always be moved (the day
    after "the 31st or the last"), so such a rule is written in a VTIMEZONE of the offset.
    """
    hours, mins = (int(part) for part in time.split(":"))
    shift = (hours * 60 + mins - minutes) // (24 * 60)
    if shift == 0 or "BYMONTHDAY=" not in rule_text:
        return None, shift
    return _fixed_tzid(minutes), 0


def _shift_weekdays(rule_text: str, shift: int) -> str:
    """A rule's BYDAY moved by `shift` days (the weekdays of UTC dates one day off)."""
    if shift == 0:
        return rule_text
    parts = []
    for part in rule_text.split(";"):
        if part.startswith("BYDAY="):
            moved = [(WEEKDAY_CODES.index(code) + shift) % 7 for code in part[6:].split(",")]
            codes = [WEEKDAY_CODES[day] for day in sorted(moved)]
            part = "BYDAY=" + ",".join(codes)
        parts.append(part)
    return ";".join(parts)


def _event(
    user: User,
    med: Medication,
    slot: Slot,
    rule_of: tuple[date, str],
    uid: str,
    stamp: str,
    tzid: str | None,
    shift: int,
) -> list[str]:
    """One VEVENT: a time of a medication under one rule; none when the rule has no dose left.

    Times are local with `tzid`, or UTC when it is None (a fixed offset; `shift` is how many
    days the UTC date of a dose is after its local date)."""
    first, rule_text = rule_of
    rule = rrulestr(rule_text, dtstart=datetime.combine(first, datetime.min.time()))
    until = date.fromisoformat(med.until) if med.until else None
    paused = [(date.fromisoformat(p.first), date.fromisoformat(p.last)) for p in med.pauses]
    begin = max(first, date.fromisoformat(slot.start))
    start_day: date | None = None
    for found in rule.xafter(datetime.combine(begin, datetime.min.time()), inc=True):
        day = found.date()
        if until is not None and day > until:
            break
        if not any(low <= day <= high for low, high in paused):
            start_day = day
            break
    if start_day is None:
        return []
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        _when(user, "DTSTART", [start_day], slot.time, tzid),
        f"DURATION:{EVENT_DURATION}",
    ]
    written = rule_text if tzid is not None else _shift_weekdays(rule_text, shift)
    if until is not None and "COUNT=" not in rule_text:
        last = tz.day_end(user.tz, until) - timedelta(seconds=1)
        written += f";UNTIL={_utc_stamp(last)}"
    lines.append(f"RRULE:{written}")
    skipped: list[date] = []
    for low, high in paused:
        low = max(low, start_day)
        high = min(high, until) if until is not None else high
        if low > high:
            continue
        found_days = rule.between(
            datetime.combine(low, datetime.min.time()),
            datetime.combine(high, datetime.min.time()),
            inc=True,
        )
        skipped.extend(day.date() for day in found_days)
    if skipped:
        lines.append(_when(user, "EXDATE", sorted(set(skipped)), slot.time, tzid))
    lines += [
        f"SUMMARY:{escape_text(med_label(med.name, med.dosage))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return lines


def _when(user: User, name: str, days: list[date], time: str, tzid: str | None) -> str:
    """DTSTART or EXDATE at `time` on `days`: local with TZID, or in UTC without one."""
    if tzid is None:
        return f"{name}:" + ",".join(_utc_stamp(tz.to_instant(user.tz, day, time)) for day in days)
    clock = time.replace(":", "") + "00"
    return f"{name};TZID={tzid}:" + ",".join(f"{day:%Y%m%d}T{clock}" for day in days)


def _utc_stamp(instant: datetime) -> str:
    return instant.astimezone(tz.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fixed_offset(zone_name: str) -> int | None:
    """Minutes east of UTC for a "+HH:MM" zone; None for an IANA name."""
    found = tz.zone(zone_name)
    if isinstance(found, zoneinfo.ZoneInfo):
        return None
    offset = found.utcoffset(None)
    return int(offset.total_seconds() // 60) if offset is not None else 0


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a character."""
    pieces: list[str] = []
    current, size, limit = "", 0, _MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, _MAX_LINE_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)
