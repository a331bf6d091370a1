"""An iCalendar VTIMEZONE for a zone, built from its POSIX TZ rule (the tail of its TZif file):
calendar programs then show each dose at the person's local time, DST included."""

from __future__ import annotations

import importlib.resources
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from medbot.core import tz

WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
"""RFC 5545 weekday names, in the order of `date.isoweekday() % 7`."""


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma, newline."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


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
    weekday = WEEKDAYS[(change.weekday + shift) % 7]
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


def utc_offset(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def vtimezone(zone_name: str, rule: PosixRule) -> list[str]:
    """A VTIMEZONE with the zone's current rule, observed since 1970."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone_name}"]
    if rule.dst_start is None or rule.dst_end is None or rule.dst_offset is None:
        lines += observance(
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
            lines += observance(kind, before, after, name, onset, _rrule(change))
    lines.append("END:VTIMEZONE")
    return lines


def observance(
    kind: str, before: int, after: int, name: str | None, onset: str, rrule: str | None
) -> list[str]:
    lines = [
        f"BEGIN:{kind}",
        f"TZOFFSETFROM:{utc_offset(before)}",
        f"TZOFFSETTO:{utc_offset(after)}",
    ]
    if name and name[0] not in "+-":
        lines.append(f"TZNAME:{escape_text(name)}")
    lines.append(f"DTSTART:{onset}")
    if rrule is not None:
        lines.append(f"RRULE:{rrule}")
    lines.append(f"END:{kind}")
    return lines
