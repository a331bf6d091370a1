"""Checking the LLM's answer in code, whole: the command, every time, dosage, time zone, rule of
days and date, and that every medication id it names is one of *this* person's (see
`medbot.core.llm_schema` for what the model is asked). An answer that fails any check is
refused as a whole; nothing is repaired or guessed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from medbot.core.commands import (
    Add,
    AddItem,
    Agenda,
    Command,
    DateRef,
    Delete,
    Done,
    DoseChange,
    Help,
    ListSchedule,
    MedName,
    ParseResult,
    Pause,
    RegimenChange,
    RegimenSpec,
    Stats,
    StepSpec,
    TimeChange,
    TimezoneChange,
    Unknown,
)
from medbot.core.llm_schema import (
    DEFAULT_AGENDA_DAYS,
    MAX_AGENDA_DAYS,
    MAX_DAYS,
    MAX_DOSAGE_CHARS,
    MAX_HOURS_INTERVAL,
    MAX_IN_MINUTES,
    MAX_MEDICATIONS,
    MAX_NAME_CHARS,
    MAX_NAME_WORDS,
    MAX_PER_DAY,
    MAX_STEPS,
    MAX_TIMES,
    MIN_OFFSET_MINUTES,
    WEEKDAY_NAMES,
    YEARS_AHEAD,
    ScheduleEntry,
)
from medbot.core.matching import same_key
from medbot.core.model import CLOCK_TIME
from medbot.core.nlu import med_name
from medbot.core.tz import zone_or_none


class InvalidAnswer(ValueError):
    """The model's answer cannot be used; the message says why (never quoting the person's text)."""


class StepAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    dosage: str
    days: int | None


class RegimenAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal[
        "daily", "weekdays", "every_n_days", "monthly", "every_n_hours", "cycle", "as_needed",
        "once",
    ]
    weekdays: list[int]
    interval: int | None
    month_day: int | None
    on_days: int | None
    off_days: int | None
    max_per_day: int | None
    start: str | None
    days: int | None
    until: str | None
    steps: list[StepAnswer]
    in_minutes: int | None


class MedicationAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str | None
    name: str
    dosage: str | None
    times: list[str]
    regimen: RegimenAnswer | None = None
    """Absent is null: answers shaped by the schema before regimens still read the same."""


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    command: Literal[
        "add", "delete", "list", "time_change", "dose_change", "timezone_change", "done", "stats",
        "regimen_change", "pause", "agenda", "help", "unknown",
    ]
    medications: list[MedicationAnswer]
    old_time: str | None
    timezone: str | None
    first: str | None = None
    last: str | None = None
    days: int | None = None
    """The fields added with regimens may be absent (null), as in answers to the older schema."""
    lang: Literal["ru", "en"]


_NAME = re.compile(r"^\w[\w .,'’()+/-]*$")
_DOSAGE = re.compile(r"^[\w .,/%+()×-]+$")


def to_parse_result(
    answer_text: str, schedule: tuple[ScheduleEntry, ...], today: date | None = None
) -> ParseResult:
    """The command in a model's answer, checked against this person's schedule.

    `today` (the person's local date) bounds the year a date may name: this year to two years
    on. Without it the machine's date stands in, with a day of slack either way for zones.
    """
    try:
        raw = json.loads(answer_text)
    except (TypeError, ValueError):
        raise InvalidAnswer("the answer is not JSON") from None
    try:
        answer = Answer.model_validate(raw)
    except ValidationError as error:
        where = ", ".join(".".join(str(part) for part in item["loc"]) for item in error.errors())
        where = where or "top level"
        raise InvalidAnswer(f"the answer does not fit the schema ({where})") from None
    if len(answer.medications) > MAX_MEDICATIONS:
        raise InvalidAnswer("too many medications in one answer")
    known = {entry.med_id: entry for entry in schedule}
    command = _command(answer, known, _years(today))
    return ParseResult(command, needs_llm=False, lang=answer.lang)


def _years(today: date | None) -> range:
    if today is not None:
        return range(today.year, today.year + YEARS_AHEAD + 1)
    machine = date.today()
    first, last = machine - timedelta(days=1), machine + timedelta(days=1)
    return range(first.year, last.year + YEARS_AHEAD + 1)


def _command(answer: Answer, known: dict[str, ScheduleEntry], years: range) -> Command:
    items = answer.medications
    match answer.command:
        case "add":
            if not items:
                raise InvalidAnswer("add without medications")
            return Add(tuple(_add_item(item, known, years) for item in items))
        case "delete":
            names = _names(items, known)
            with_times = [item for item in items if item.times]
            if with_times and len(items) > 1:
                raise InvalidAnswer("delete with times names several medications")
            return Delete(names, _times(items[0].times) if with_times else ())
        case "time_change":
            item = _single(items, answer.command)
            new_times = _times(item.times) if item else ()
            if not new_times:
                raise InvalidAnswer("time_change without new times")
            old_time = _time(answer.old_time) if answer.old_time is not None else None
            return TimeChange(_optional_name(item, known), new_times, old_time)
        case "dose_change":
            item = _single(items, answer.command)
            dosage = _dosage(item.dosage) if item else None
            if dosage is None:
                raise InvalidAnswer("dose_change without a dosage")
            return DoseChange(_optional_name(item, known), dosage)
        case "timezone_change":
            return TimezoneChange(_timezone(answer.timezone))
        case "done":
            return Done(_names(items, known))
        case "regimen_change":
            item = _single(items, answer.command)
            if item is None or item.regimen is None:
                raise InvalidAnswer("regimen_change without a regimen")
            regimen = _regimen(item.regimen, years)
            return RegimenChange(_optional_name(item, known), regimen, _times(item.times))
        case "pause":
            if answer.first is None:
                raise InvalidAnswer("pause without a first day")
            if answer.last is not None and answer.days is not None:
                raise InvalidAnswer("pause with both a last day and a number of days")
            last = _date(answer.last, years) if answer.last is not None else None
            days = _count(answer.days, 1, MAX_DAYS, "pause days")
            return Pause(_names(items, known), _date(answer.first, years), last, days)
        case "agenda":
            days = _count(answer.days, 1, MAX_AGENDA_DAYS, "agenda days")
            return Agenda(DEFAULT_AGENDA_DAYS if days is None else days)
        case "list":
            return ListSchedule()
        case "stats":
            return Stats()
        case "help":
            return Help()
    return Unknown()


def _add_item(item: MedicationAnswer, known: dict[str, ScheduleEntry], years: range) -> AddItem:
    regimen = _regimen(item.regimen, years) if item.regimen is not None else None
    return AddItem(_name(item, known), _dosage(item.dosage), _times(item.times), regimen)


# Which of the kind-specific fields each kind uses; any other one set is refused.
_KIND_FIELDS: dict[str, frozenset[str]] = {
    "daily": frozenset(),
    "weekdays": frozenset({"weekdays"}),
    "every_n_days": frozenset({"interval"}),
    "monthly": frozenset({"month_day"}),
    "every_n_hours": frozenset({"interval"}),
    "cycle": frozenset({"on_days", "off_days"}),
    "as_needed": frozenset({"max_per_day"}),
    "once": frozenset({"in_minutes"}),
}
_SPECIFIC_FIELDS = frozenset().union(*_KIND_FIELDS.values())
_COURSE_FIELDS = frozenset({"days", "until", "steps"})
"""A course and a taper: for every kind but "once"."""


def _regimen(raw: RegimenAnswer, years: range) -> RegimenSpec:
    """A checked rule: the fields of its kind in range, no field of another kind."""
    kind = raw.kind
    fields = _SPECIFIC_FIELDS | _COURSE_FIELDS
    given = {name for name in fields if getattr(raw, name) not in (None, [])}
    allowed = _KIND_FIELDS[kind] | (_COURSE_FIELDS if kind != "once" else frozenset())
    if given - allowed:
        raise InvalidAnswer(f"a {kind} regimen with fields another kind uses")
    if len(set(raw.weekdays)) != len(raw.weekdays) or not all(0 <= d <= 6 for d in raw.weekdays):
        raise InvalidAnswer("regimen weekdays that are not distinct days 0-6")
    interval = raw.interval
    if kind in ("every_n_days", "every_n_hours"):
        top = MAX_DAYS if kind == "every_n_days" else MAX_HOURS_INTERVAL
        if interval is None:
            raise InvalidAnswer(f"a {kind} regimen without an interval")
        _count(interval, 1, top, "regimen interval")
    if raw.month_day is not None and not (raw.month_day == -1 or 1 <= raw.month_day <= 31):
        raise InvalidAnswer("a regimen month_day that is not 1-31 or -1")
    if kind == "cycle":
        if raw.on_days is None or raw.off_days is None:
            raise InvalidAnswer("a cycle regimen without its days on and off")
        _count(raw.on_days, 1, MAX_DAYS, "regimen on_days")
        _count(raw.off_days, 1, MAX_DAYS, "regimen off_days")
    _count(raw.max_per_day, 1, MAX_PER_DAY, "regimen max_per_day")
    _count(raw.days, 1, MAX_DAYS, "regimen days")
    _count(raw.in_minutes, 1, MAX_IN_MINUTES, "regimen in_minutes")
    if raw.days is not None and raw.until is not None:
        raise InvalidAnswer("a regimen with both a course length and an end date")
    if raw.in_minutes is not None and raw.start is not None:
        raise InvalidAnswer("a once regimen with both a day and a number of minutes")
    if len(raw.steps) > MAX_STEPS:
        raise InvalidAnswer("too many regimen steps")
    return RegimenSpec(
        kind=kind,
        weekdays=tuple(sorted(raw.weekdays)),
        interval=interval,
        month_day=raw.month_day,
        on_days=raw.on_days,
        off_days=raw.off_days,
        max_per_day=raw.max_per_day,
        start=_date(raw.start, years) if raw.start is not None else None,
        days=raw.days,
        until=_date(raw.until, years) if raw.until is not None else None,
        steps=tuple(_step(step) for step in raw.steps),
        in_minutes=raw.in_minutes,
    )


def _step(raw: StepAnswer) -> StepSpec:
    dosage = _dosage(raw.dosage)
    if dosage is None:
        raise InvalidAnswer("a regimen step without a dosage")
    return StepSpec(dosage, _count(raw.days, 1, MAX_DAYS, "regimen step days"))


_OFFSET = re.compile(r"\+([0-9]{1,3})")
_DATE = re.compile(r"(?:([0-9]{4})-)?([0-9]{2})-([0-9]{2})")


def _date(raw: str, years: range) -> DateRef:
    """A date as the model writes it, checked: "+N" (N = 0-366 days from today), "mon".."sun"
    (the next such weekday) or "MM-DD" / "YYYY-MM-DD" (a real day; the year this one to two
    years on). A string, not a {kind, value, month, year} object: four of those in the schema
    cost more tokens than every other field together."""
    if raw in WEEKDAY_NAMES:
        return DateRef("weekday", WEEKDAY_NAMES.index(raw))
    offset = _OFFSET.fullmatch(raw)
    if offset:
        return DateRef("offset", _checked(int(offset[1]), 0, MAX_DAYS, "a date offset"))
    found = _DATE.fullmatch(raw)
    if not found:
        raise InvalidAnswer('a date that is not "+N", a weekday, "MM-DD" or "YYYY-MM-DD"')
    year = int(found[1]) if found[1] else None
    month, day = int(found[2]), int(found[3])
    if year is not None and year not in years:
        raise InvalidAnswer("a date in a year before this one or too far ahead")
    try:
        date(year if year is not None else 2000, month, day)  # no year: 29.02 is a date
    except ValueError:
        raise InvalidAnswer("a date that is not a day of its month") from None
    return DateRef("date", day, month, year)


def _count(value: int | None, low: int, high: int, what: str) -> int | None:
    return None if value is None else _checked(value, low, high, what)


def _checked(value: int, low: int, high: int, what: str) -> int:
    if not low <= value <= high:
        raise InvalidAnswer(f"{what} out of range {low}-{high}")
    return value


def _names(
    items: Sequence[MedicationAnswer], known: dict[str, ScheduleEntry]
) -> tuple[MedName, ...]:
    names = [_name(item, known) for item in items]
    unique = {(name.med_id, name.key): name for name in names}
    return tuple(unique.values())


def _single(items: Sequence[MedicationAnswer], command: str) -> MedicationAnswer | None:
    if len(items) > 1:
        raise InvalidAnswer(f"{command} names several medications")
    return items[0] if items else None


def _optional_name(
    item: MedicationAnswer | None, known: dict[str, ScheduleEntry]
) -> MedName | None:
    """time_change and dose_change may leave the medication unsaid (the bot then asks)."""
    if item is None or (item.id is None and not item.name.strip()):
        return None
    return _name(item, known)


def _name(item: MedicationAnswer, known: dict[str, ScheduleEntry]) -> MedName:
    """A checked name; with an id, the schedule's own entry, which the name must agree with."""
    name = _plain_name(item.name)
    if item.id is None:
        return med_name(name)
    entry = known.get(item.id)
    if entry is None:
        raise InvalidAnswer("the answer names a medication id that is not in this schedule")
    stored = med_name(entry.name)
    said = med_name(name)
    if not (same_key(said.key, stored.key) or same_key(name, entry.name)):
        raise InvalidAnswer("the answer's medication name does not match its id")
    return MedName(stored.name, stored.key, entry.med_id)


def _plain_name(raw: str) -> str:
    if _has_control(raw):
        raise InvalidAnswer("a medication name with control characters")
    name = " ".join(raw.split())
    if not name:
        raise InvalidAnswer("a medication without a name")
    if len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        raise InvalidAnswer("a medication name too long to be one")
    if not _NAME.match(name) or not any(char.isalpha() for char in name):
        raise InvalidAnswer("a medication name with characters a name does not have")
    return name


def _dosage(raw: str | None) -> str | None:
    if raw is None:
        return None
    dosage = " ".join(raw.split())
    if not dosage:
        return None
    if _has_control(raw) or len(dosage) > MAX_DOSAGE_CHARS or not _DOSAGE.match(dosage):
        raise InvalidAnswer("a dosage that is not a short plain text")
    return dosage


def _has_control(text: str) -> bool:
    """Line breaks, tabs, zero-width and direction marks: nothing a name or dosage contains."""
    return any(unicodedata.category(char).startswith("C") for char in text)


def _times(raw: Sequence[str]) -> tuple[str, ...]:
    if len(raw) > MAX_TIMES:
        raise InvalidAnswer("too many times for one medication")
    return tuple(dict.fromkeys(_time(value) for value in raw))


def _time(raw: str) -> str:
    if not CLOCK_TIME.match(raw):
        raise InvalidAnswer("a time that is not HH:MM (00:00-23:59)")
    return raw


def _timezone(raw: str | None) -> str:
    if raw is None or zone_or_none(raw.strip()) is None:
        raise InvalidAnswer("a time zone that is not an IANA name or an offset within -12..+14")
    zone = raw.strip()
    if zone[0] == "-" and _offset_minutes(zone) < MIN_OFFSET_MINUTES:
        raise InvalidAnswer("a time zone that is not an IANA name or an offset within -12..+14")
    return zone


def _offset_minutes(zone: str) -> int:
    hours, minutes = zone[1:].split(":")
    sign = -1 if zone[0] == "-" else 1
    return sign * (int(hours) * 60 + int(minutes))
