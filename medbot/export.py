"""A person's data in portable formats: the schedule as JSON or iCalendar, the history as CSV.

iCalendar choice: every IANA zone gets a real VTIMEZONE, built from the zone's current rule
(the POSIX TZ string at the end of its tzdata file), because RFC 5545 requires one for each
TZID and Outlook ignores a TZID it cannot find; DST-observing zones get STANDARD/DAYLIGHT
observances with yearly RRULEs, so the events stay at the same local time across DST changes
for as long as the rule holds. A zone whose rule cannot be written as an iCalendar RRULE (at
the time of writing only Africa/Cairo, whose autumn change can fall on the 1st of the next
month) keeps TZID with the IANA name and no VTIMEZONE, which Google, Apple and Thunderbird
resolve by name. A fixed offset ("+05:30") never changes, so its events are written in UTC.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from medbot import tz
from medbot.model import Intake, Medication, Slot, User
from medbot.texts.common import med_label

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
_WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
"""POSIX numbers weekdays from Sunday = 0."""


def export_json(user: User) -> dict[str, Any]:
    """The schedule, in the shape `medbot export --format json` promises (DESIGN.md)."""
    return {
        "user_id": user.id,
        "timezone": user.tz,
        "medications": [
            {"name": med.name, "dosage": med.dosage, "times": list(med.times)}
            for med in user.medications
        ],
    }


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): a leading =, +, -, @,
    tab or carriage return is neutralised with an apostrophe, which spreadsheets hide."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(user: User, history: Iterable[Intake] | None = None) -> str:
    """The intake history, one row per dose, oldest first (RFC 4180: CRLF, quoted as needed).

    `history` is the whole history when part of it lives in the person's archive
    (`medbot.history.full_history`); by default, the record's own.
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
    """The schedule as daily recurring events (RFC 5545), one per medication and time."""
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
    for med in user.medications:
        for slot in med.slots:
            lines.extend(_event(user, med, slot, stamp, utc=fixed is not None))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def event_uid(user: User, med: Medication, slot: Slot) -> str:
    """Stable for a medication and time, so re-importing updates instead of duplicating."""
    return f"medbot-{user.id}-{med.id}-{slot.time.replace(':', '')}@medbot"


def _event(user: User, med: Medication, slot: Slot, stamp: str, *, utc: bool) -> list[str]:
    start_day = date.fromisoformat(slot.start)
    if utc:
        start = f"DTSTART:{_utc_stamp(tz.to_instant(user.tz, start_day, slot.time))}"
    else:
        start = f"DTSTART;TZID={user.tz}:{start_day:%Y%m%d}T{slot.time.replace(':', '')}00"
    summary = med_label(med.name, med.dosage)
    return [
        "BEGIN:VEVENT",
        f"UID:{event_uid(user, med, slot)}",
        f"DTSTAMP:{stamp}",
        start,
        f"DURATION:{EVENT_DURATION}",
        "RRULE:FREQ=DAILY",
        f"SUMMARY:{escape_text(summary)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _utc_stamp(instant: datetime) -> str:
    return instant.astimezone(tz.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fixed_offset(zone_name: str) -> int | None:
    """Minutes east of UTC for a "+HH:MM" zone; None for an IANA name."""
    found = tz.zone(zone_name)
    if isinstance(found, zoneinfo.ZoneInfo):
        return None
    offset = found.utcoffset(None)
    return int(offset.total_seconds() // 60) if offset is not None else 0


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma, newline."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


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


# --- VTIMEZONE from the zone's POSIX TZ rule -----------------------------------------------


@dataclass(frozen=True)
class Transition:
    """A yearly change "month, week (5 = last), weekday (0 = Sunday) at local time"."""

    month: int
    week: int
    weekday: int
    seconds: int
    """Local time of the change in seconds after midnight; may be negative or past 24 h."""


@dataclass(frozen=True)
class PosixRule:
    std_name: str
    std_offset: int
    """Seconds east of UTC (POSIX writes west-positive; this is already flipped)."""
    dst_name: str | None = None
    dst_offset: int | None = None
    dst_start: Transition | None = None
    dst_end: Transition | None = None


_NAME = r"(?:[A-Za-z]{3,}|<[A-Za-z0-9+\-]+>)"
_OFFSET = r"[+-]?\d{1,3}(?::\d{2}){0,2}"
_RULE = rf"M(\d{{1,2}})\.([1-5])\.([0-6])(?:/({_OFFSET}))?"
_POSIX = re.compile(rf"({_NAME})({_OFFSET})(?:({_NAME})({_OFFSET})?,{_RULE},{_RULE})?")


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")]
    parts += [0] * (3 - len(parts))
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def parse_posix(text: str) -> PosixRule | None:
    """Read a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3"); None for forms we do not write."""
    match = _POSIX.fullmatch(text)
    if match is None:
        return None
    std_name, std_off, dst_name, dst_off = match.group(1, 2, 3, 4)
    std_offset = -_seconds(std_off)
    if dst_name is None:
        return PosixRule(std_name.strip("<>"), std_offset)
    groups = match.groups()

    def transition(first: int) -> Transition:
        month, week, weekday, at = groups[first : first + 4]
        return Transition(int(month), int(week), int(weekday), _seconds(at) if at else 7200)

    return PosixRule(
        std_name=std_name.strip("<>"),
        std_offset=std_offset,
        dst_name=dst_name.strip("<>"),
        dst_offset=-_seconds(dst_off) if dst_off else std_offset + 3600,
        dst_start=transition(4),
        dst_end=transition(8),
    )


@lru_cache(maxsize=512)
def posix_rule(zone_name: str) -> PosixRule | None:
    """The current rule of an IANA zone, when it can be written as a VTIMEZONE."""
    if zone_name not in tz.iana_names():
        return None
    data = _tzif_bytes(zone_name)
    if data is None or not data.startswith(b"TZif"):
        return None
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii", "replace")
    rule = parse_posix(footer)
    if rule is None or rule.dst_start is None or rule.dst_end is None:
        return rule
    if _rrule(rule.dst_start) is None or _rrule(rule.dst_end) is None:
        return None
    return rule


def _tzif_bytes(zone_name: str) -> bytes | None:
    """The zone's TZif file, from where `zoneinfo` reads it (system paths, then tzdata)."""
    for root in zoneinfo.TZPATH:
        candidate = Path(root, *zone_name.split("/"))
        if candidate.is_file():
            return candidate.read_bytes()
    try:
        package = importlib.resources.files("tzdata.zoneinfo")
        return package.joinpath(*zone_name.split("/")).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _rrule(change: Transition) -> str | None:
    """The yearly RRULE for a change, or None when it cannot be written within one month."""
    shift = change.seconds // 86400
    weekday = _WEEKDAYS[(change.weekday + shift) % 7]
    if shift == 0:
        nth = -1 if change.week == 5 else change.week
        return f"FREQ=YEARLY;BYMONTH={change.month};BYDAY={nth}{weekday}"
    if change.week == 5:
        if shift > 0:
            return None
        days = range(-7 + shift, shift)
    else:
        days = range(7 * (change.week - 1) + 1 + shift, 7 * change.week + 1 + shift)
        if days[0] < 1 or days[-1] > _MONTH_DAYS[change.month - 1]:
            return None
    monthdays = ",".join(str(day) for day in days)
    return f"FREQ=YEARLY;BYMONTH={change.month};BYMONTHDAY={monthdays};BYDAY={weekday}"


def change_date(change: Transition, year: int) -> date:
    """The local date a change happens in a year (the rule's own definition, shift included)."""
    first = date(year, change.month, 1)
    offset = (change.weekday - (first.weekday() + 1) % 7) % 7
    day = first + timedelta(days=offset + 7 * (change.week - 1))
    while day.month != change.month:
        day -= timedelta(days=7)
    return day + timedelta(days=change.seconds // 86400)


def _utc_offset(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def vtimezone(zone_name: str, rule: PosixRule) -> list[str]:
    """A VTIMEZONE with the zone's current rule, observed since 1970."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone_name}"]
    if rule.dst_start is None or rule.dst_end is None or rule.dst_offset is None:
        lines += _observance(
            "STANDARD", rule.std_offset, rule.std_offset, rule.std_name, "19700101T000000", None
        )
    else:
        for kind, change, before, after, name in (
            ("DAYLIGHT", rule.dst_start, rule.std_offset, rule.dst_offset, rule.dst_name),
            ("STANDARD", rule.dst_end, rule.dst_offset, rule.std_offset, rule.std_name),
        ):
            at = change.seconds % 86400
            clock = f"{at // 3600:02d}{at % 3600 // 60:02d}{at % 60:02d}"
            onset = f"{change_date(change, 1970):%Y%m%d}T{clock}"
            lines += _observance(kind, before, after, name, onset, _rrule(change))
    lines.append("END:VTIMEZONE")
    return lines


def _observance(
    kind: str, before: int, after: int, name: str | None, onset: str, rrule: str | None
) -> list[str]:
    lines = [
        f"BEGIN:{kind}",
        f"TZOFFSETFROM:{_utc_offset(before)}",
        f"TZOFFSETTO:{_utc_offset(after)}",
    ]
    if name and name[0] not in "+-":
        lines.append(f"TZNAME:{escape_text(name)}")
    lines.append(f"DTSTART:{onset}")
    if rrule is not None:
        lines.append(f"RRULE:{rrule}")
    lines.append(f"END:{kind}")
    return lines
