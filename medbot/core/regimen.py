"""On which local days a medication is due, what dose a day calls for, and when a course ends.

Recurrence is RFC 5545's (python-dateutil's `rrule`), so what the bot reminds and what the ICS
export says come from the same rules. A rule here is over *dates* (midnight, naive): the
clock times are the medication's slots, and a date is a date in the person's own zone, so a
time-zone change mid-course keeps "Thursdays at 09:00" on Thursdays at 09:00 local.

Membership is asked many times per decision (each plan looks at a few days per medication),
so answers are cached per (rule, date); a rule is a frozen value and makes a good key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rruleset, weekday

from medbot.core.model import Medication, Regimen, User

_EPOCH = date(2000, 1, 3)
"""A Monday long ago: the start of rules that have no rhythm of their own (weekdays, monthly)."""
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LOOKAHEAD_DAYS = 400
"""How far ahead `next_dose_day` looks (a monthly or yearly rhythm always fits)."""


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _month_days(month_day: int) -> tuple[tuple[int, ...], int | None]:
    """BYMONTHDAY and BYSETPOS for "the Nth of each month": the 30th falls back to the 29th or
    28th in a short month (RFC 5545 would skip the month: a missed dose)."""
    if month_day == -1 or month_day <= 28:
        return (month_day,), None
    return tuple(range(28, month_day + 1)), -1


DayRule = tuple[date, rrule]
"""A rule and the date it starts (its DTSTART)."""


def day_rules(regimen: Regimen, start: date) -> tuple[DayRule, ...]:
    """The regimen's days as RFC 5545 rules starting at `start` (none for "as needed").

    A cycle of N days on and M off is N rules, one per day of the "on" part, each repeating
    every N+M days: RFC 5545 has no single rule for it.
    """
    anchor = date.fromisoformat(regimen.anchor) if regimen.anchor else start
    begin = _midnight(anchor)
    match regimen.kind:
        case "daily" | "every_n_hours":
            return ((anchor, rrule(DAILY, dtstart=begin)),)
        case "weekdays":
            days = tuple(weekday(n) for n in sorted(set(regimen.weekdays)))
            return ((anchor, rrule(WEEKLY, dtstart=begin, byweekday=days)),) if days else ()
        case "every_n_days":
            return ((anchor, rrule(DAILY, dtstart=begin, interval=regimen.interval)),)
        case "monthly":
            month_days, setpos = _month_days(regimen.month_day or anchor.day)
            return ((anchor, rrule(MONTHLY, dtstart=begin, bymonthday=month_days, bysetpos=setpos)),)
        case "cycle":
            period = regimen.on_days + regimen.off_days
            if period <= 0 or regimen.on_days <= 0:
                return ()
            firsts = [anchor + timedelta(days=offset) for offset in range(regimen.on_days)]
            return tuple((day, rrule(DAILY, dtstart=_midnight(day), interval=period)) for day in firsts)
        case "once":
            return ((anchor, rrule(DAILY, dtstart=begin, count=1)),)
    return ()


@lru_cache(maxsize=4096)
def _rule_set(regimen: Regimen, start: date) -> rruleset | None:
    rules = day_rules(regimen, start)
    if not rules:
        return None
    combined = rruleset(cache=True)
    for _, rule in rules:
        combined.rrule(rule)
    return combined


@lru_cache(maxsize=1 << 16)
def _on_rule(regimen: Regimen, start: date, day: date) -> bool:
    if regimen.kind in ("daily", "every_n_hours"):
        return day >= start  # the same answer as the rule, without walking it
    combined = _rule_set(regimen, start)
    if combined is None:
        return False
    found = combined.after(_midnight(day) - timedelta(seconds=1))
    return found is not None and found.date() == day


def rule_start(med: Medication) -> date:
    """Where the medication's rhythm starts: its anchor, else its first slot, else long ago."""
    if med.regimen.anchor:
        return date.fromisoformat(med.regimen.anchor)
    starts = [date.fromisoformat(slot.start) for slot in med.slots]
    return min(starts) if starts else _EPOCH


def paused(med: Medication, day: date) -> bool:
    iso = day.isoformat()
    return any(pause.first <= iso <= pause.last for pause in med.pauses)


def occurs_on(med: Medication, day: date) -> bool:
    """Whether the medication has doses on this local date (its slots may still start later)."""
    if med.regimen.kind == "as_needed":
        return False
    if med.until is not None and day.isoformat() > med.until:
        return False
    if paused(med, day):
        return False
    return _on_rule(med.regimen, rule_start(med), day)


def dosage_on(med: Medication, day: date | str) -> str | None:
    """The dose a date calls for: the step in force that day, else the medication's dosage."""
    iso = day if isinstance(day, str) else day.isoformat()
    current = med.dosage
    for step in med.steps:
        if step.start <= iso:
            current = step.dosage
    return current


def next_dose_day(med: Medication, after: date, limit: int = LOOKAHEAD_DAYS) -> date | None:
    """The first local date after `after` with a dose of this medication (None within `limit`)."""
    if med.regimen.kind == "as_needed" or not med.slots:
        return None
    first_slot = min(date.fromisoformat(slot.start) for slot in med.slots)
    day = max(after + timedelta(days=1), first_slot)
    last = after + timedelta(days=limit)
    if med.until is not None:
        last = min(last, date.fromisoformat(med.until))
    while day <= last:
        if occurs_on(med, day):
            return day
        day += timedelta(days=1)
    return None


def last_dose_day(med: Medication) -> date | None:
    """The last date with a dose: the course's end, or a one-off's day (None: no end)."""
    if med.regimen.kind == "once" and med.regimen.anchor:
        return date.fromisoformat(med.regimen.anchor)
    return date.fromisoformat(med.until) if med.until else None


def finished(med: Medication, today: date) -> bool:
    """A course or one-off whose last day is behind us."""
    last = last_dose_day(med)
    return last is not None and today > last


def is_weekly_like(regimen: Regimen) -> bool:
    """Doses at most once a week: what weekly drugs are expected to have."""
    match regimen.kind:
        case "weekdays":
            return len(set(regimen.weekdays)) <= 1
        case "every_n_days":
            return regimen.interval >= 7
        case "monthly" | "once" | "as_needed":
            return True
    return False


# ---------------------------------------------------------------- the agenda


@dataclass(frozen=True)
class AgendaItem:
    day: date
    time: str
    med_id: str
    name: str
    dosage: str | None


def agenda(user: User, first: date, last: date, not_before: str = "") -> list[AgendaItem]:
    """Every dose from `first` to `last` (local dates), in time order; on `first`, only those
    at or after `not_before` ("HH:MM"). As-needed medications, skipped days and finished
    courses have no doses, so they do not appear."""
    items: list[AgendaItem] = []
    for day in _days(first, last):
        iso = day.isoformat()
        for med in user.medications:
            if not occurs_on(med, day):
                continue
            for slot in med.slots:
                if slot.start > iso or (day == first and slot.time < not_before):
                    continue
                items.append(AgendaItem(day, slot.time, med.id, med.name, dosage_on(med, day)))
    items.sort(key=lambda item: (item.day, item.time, item.name.casefold()))
    return items


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


# ---------------------------------------------------------------- RFC 5545 text


def rrule_texts(med: Medication) -> tuple[tuple[date, str], ...]:
    """(first date, RRULE value such as "FREQ=WEEKLY;BYDAY=TH") for each rule of the
    medication, with UNTIL for a course. Empty for "as needed"."""
    rules = day_rules(med.regimen, rule_start(med))
    texts: list[tuple[date, str]] = []
    for first, rule in rules:
        text = str(rule).partition("RRULE:")[2].split("\n")[0]
        if med.until and "COUNT=" not in text:
            text += f";UNTIL={med.until.replace('-', '')}T235959"
        texts.append((first, text))
    return tuple(texts)
