"""Local wall-clock time in a person's own time zone, and the instants it maps to.

A zone is stored as an IANA name ("Europe/Berlin", DST-correct) or a fixed offset ("+05:30").
Everything here is pure; instants are aware `datetime`s in UTC.

DST rules that reminders rely on:
- a local time that does not exist that day (spring forward) maps to the first instant after
  the gap, i.e. the transition itself;
- a local time that occurs twice (fall back) maps to its first occurrence only.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC = timezone.utc
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")
MAX_OFFSET_MINUTES = 14 * 60


@lru_cache(maxsize=1)
def iana_names() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=4096)
def zone_or_none(name: str) -> tzinfo | None:
    """The tzinfo for a stored zone string, or None when it is not one we accept."""
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    match = _OFFSET.match(name)
    if match:
        sign, hours, minutes = match.groups()
        total = int(hours) * 60 + int(minutes)
        if int(minutes) >= 60 or total > MAX_OFFSET_MINUTES:
            return None
        return timezone(timedelta(minutes=total if sign == "+" else -total))
    if name not in iana_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone(name: str) -> tzinfo:
    found = zone_or_none(name)
    if found is None:
        raise ValueError(f"unknown time zone: {name!r}")
    return found


def offset_name(minutes: int) -> str:
    """Canonical fixed-offset zone string: 330 → "+05:30", -180 → "-03:00"."""
    if abs(minutes) > MAX_OFFSET_MINUTES:
        raise ValueError(f"offset out of range: {minutes} minutes")
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def local_datetime(zone_name: str, instant: datetime) -> datetime:
    """The wall-clock reading in the zone at an instant."""
    return instant.astimezone(zone(zone_name))


def local_date(zone_name: str, instant: datetime) -> date:
    return local_datetime(zone_name, instant).date()


def hhmm(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_hhmm(text: str) -> tuple[int, int]:
    hours, minutes = text.split(":")
    return int(hours), int(minutes)


def to_instant(zone_name: str, day: date, time_hhmm: str) -> datetime:
    """The UTC instant at which a local date and "HH:MM" happens (see the DST rules above)."""
    tz = zone(zone_name)
    hours, minutes = parse_hhmm(time_hhmm)
    wall = datetime(day.year, day.month, day.day, hours, minutes)
    first = wall.replace(tzinfo=tz, fold=0)
    as_utc = first.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) == wall:
        return as_utc  # exists (for a repeated time, fold=0 is the first occurrence)
    return _gap_end(tz, wall)


def _gap_end(tz: tzinfo, wall: datetime) -> datetime:
    """For a wall time inside a DST gap: the first instant after the gap."""
    early = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    late = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    low, high = min(early, late), max(early, late)
    after_offset = high.astimezone(tz).utcoffset()
    # Binary search in whole seconds for the transition: the first instant with the new offset.
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def day_start(zone_name: str, day: date) -> datetime:
    """The first instant of a local date (midnight, or the end of a gap at midnight)."""
    return to_instant(zone_name, day, "00:00")


def day_end(zone_name: str, day: date) -> datetime:
    """The first instant of the next local date: when that day is over."""
    return day_start(zone_name, day + timedelta(days=1))


def utc_iso(instant: datetime) -> str:
    """The instant as stored: ISO-8601 in UTC, second precision."""
    return instant.astimezone(UTC).replace(microsecond=0).isoformat()


def from_iso(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"instant without a time zone: {text!r}")
    return parsed.astimezone(UTC)


def from_timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
