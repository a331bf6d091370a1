"""Pinning a rule as said ("с понедельника 14 дней", "в субботу") to the person's dates.

A `RegimenSpec` speaks relative to the day it was said; the schedule stores dates. These pure
functions do the conversion with the person's "today" and clock minute, and say what is
missing (a weekday, a first time, a course length) instead of guessing it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from medbot.core.commands import DateRef, RegimenSpec, StepSpec
from medbot.core.model import DoseStep, Regimen

MAX_AHEAD = timedelta(days=731)
"""A start or end further than this is almost surely a misreading: refused."""


@dataclass(frozen=True)
class Pinned:
    """A rule with dates: what a medication stores."""

    regimen: Regimen
    until: str | None
    steps: tuple[DoseStep, ...]
    first_day: date
    """No dose before this day (a slot whose minute passed today starts the day after)."""
    times: tuple[str, ...]
    """The clock times: as said, expanded (every N hours) or computed (in N minutes)."""


Missing = Literal["weekday", "first_time", "time", "course_length", "steps", "month_day"]


@dataclass(frozen=True)
class Gap:
    """What the rule still needs from the person (asked, never guessed)."""

    missing: Missing


@dataclass(frozen=True)
class Refusal:
    reason: Literal["past_date", "end_before_start", "too_far"]


def resolve_date(ref: DateRef, today: date) -> date | None:
    """The date a `DateRef` names, from `today` on (a weekday: today or the next one)."""
    match ref.kind:
        case "offset":
            return today + timedelta(days=ref.value)
        case "weekday":
            return today + timedelta(days=(ref.value - today.weekday()) % 7)
        case "date":
            if ref.month is None:
                return _next_day_of_month(ref.value, today)
            year = ref.year or today.year
            try:
                found = date(year, ref.month, ref.value)
            except ValueError:
                return None
            if ref.year is None and found < today:
                try:
                    found = date(year + 1, ref.month, ref.value)
                except ValueError:
                    return None
            return found
    return None


def _next_day_of_month(day: int, today: date) -> date | None:
    """"до 15 числа", "20-го": this month's day if it is still ahead (today included), else the
    next month that has it."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def hourly_times(first: str, hours: int) -> tuple[str, ...]:
    """"каждые 4 часа с 07:00" → 07:00, 11:00, 15:00, 19:00, 23:00, 03:00 (one day's worth)."""
    hour, minute = (int(part) for part in first.split(":"))
    start = hour * 60 + minute
    return tuple(
        f"{(start + offset) // 60 % 24:02d}:{(start + offset) % 60:02d}"
        for offset in range(0, 24 * 60, hours * 60)
    )


def filled_steps(steps: tuple[StepSpec, ...]) -> tuple[tuple[StepSpec, ...], bool]:
    """Every step with a length: a step whose length was not said lasts as long as the one
    before it. (steps, whether anything had to be filled in: then the person confirms)."""
    filled: list[StepSpec] = []
    guessed = False
    for step in steps:
        if step.days is None and filled and filled[-1].days is not None:
            filled.append(replace(step, days=filled[-1].days))
            guessed = True
        else:
            filled.append(step)
    return tuple(filled), guessed


def pin(spec: RegimenSpec | None, times: tuple[str, ...], today: date, minute: str,
        local_now: datetime) -> Pinned | Gap | Refusal:
    """The stored form of a rule said today at `minute` (local), or what is missing."""
    if spec is None:
        spec = RegimenSpec()
    kind = spec.kind
    if kind == "as_needed":
        return Pinned(Regimen("as_needed", max_per_day=spec.max_per_day), None, (), today, ())
    if kind == "once" and spec.in_minutes is not None:
        when = (local_now.astimezone(UTC) + timedelta(minutes=spec.in_minutes)).astimezone(local_now.tzinfo)
        at = f"{when.hour:02d}:{when.minute:02d}"
        return Pinned(Regimen("once", anchor=when.date().isoformat()), None, (), when.date(), (at,))
    if kind == "weekdays" and not spec.weekdays:
        return Gap("weekday")
    if kind == "monthly" and spec.month_day is None:
        return Gap("month_day")
    if kind == "every_n_hours":
        if len(times) != 1:
            return Gap("first_time")
        times = hourly_times(times[0], spec.interval or 1)
    if not times:
        return Gap("time")
    if spec.course and not (spec.days or spec.until or spec.steps):
        return Gap("course_length")
    if spec.steps and spec.steps[0].days is None:
        return Gap("steps")  # "20 мг, потом 10 мг": how long the first?
    start = resolve_date(spec.start, today) if spec.start else today
    if start is None or start < today:
        return Refusal("past_date")
    if kind == "once":
        if start == today and all(time <= minute for time in times):
            if spec.start is not None and spec.start.kind == "weekday":
                start += timedelta(days=7)  # "в субботу" said on Saturday after the time
            else:
                return Refusal("past_date")
        if start - today > MAX_AHEAD:
            return Refusal("too_far")
        return Pinned(Regimen("once", anchor=start.isoformat()), None, (), start, times)
    if start == today and all(time <= minute for time in times):
        start += timedelta(days=1)  # nothing left today: the rhythm (and a course) starts tomorrow
    if start - today > MAX_AHEAD:
        return Refusal("too_far")
    regimen = _regimen(spec, start)
    steps: tuple[DoseStep, ...] = ()
    until = None
    if spec.steps:
        filled, _ = filled_steps(spec.steps)
        day = start
        stored: list[DoseStep] = []
        for step in filled:
            stored.append(DoseStep(day.isoformat(), step.dosage))
            if step.days is None:
                break
            day += timedelta(days=step.days)
        steps = tuple(stored)
        if filled[-1].days is not None and not (spec.days or spec.until):
            until = (day - timedelta(days=1)).isoformat()
    if spec.days:
        until = (start + timedelta(days=spec.days - 1)).isoformat()
    if spec.until:
        end = resolve_date(spec.until, start if spec.until.kind == "date" and spec.until.month is None else today)
        if end is None:
            return Refusal("past_date")
        if end < start:
            return Refusal("end_before_start")
        until = end.isoformat()
    if until is not None and until < start.isoformat():
        return Refusal("end_before_start")
    if until is not None and date.fromisoformat(until) - today > MAX_AHEAD:
        return Refusal("too_far")
    return Pinned(regimen, until, steps, start, times)


def _regimen(spec: RegimenSpec, start: date) -> Regimen:
    anchor = start.isoformat()
    match spec.kind:
        case "weekdays":
            return Regimen("weekdays", weekdays=tuple(sorted(set(spec.weekdays))), anchor=anchor)
        case "every_n_days":
            return Regimen("every_n_days", interval=spec.interval or 2, anchor=anchor)
        case "monthly":
            return Regimen("monthly", month_day=spec.month_day, anchor=anchor)
        case "every_n_hours":
            return Regimen("every_n_hours", interval=spec.interval or 1, anchor=anchor)
        case "cycle":
            return Regimen("cycle", on_days=spec.on_days or 0, off_days=spec.off_days or 0, anchor=anchor)
    return Regimen("daily")
