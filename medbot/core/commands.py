"""The command vocabulary: what a person can ask medbot to do, as plain values.

The local parser (and, when it is unsure, the LLM) turns text into one of these; the apply
rules turn a command and a user's state into a new state and a result to show. `to_json`
gives the shape `medbot parse` prints (the contract in DESIGN.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from medbot.core.model import RegimenKind


@dataclass(frozen=True)
class MedName:
    """A medication as named in a message."""

    name: str
    """Dictionary form in the user's casing: "аскорбиновая кислота", "витамин B12"."""
    key: str
    """Matching form: lower case, "ё"→"е", every word in its dictionary form."""
    med_id: str | None = None
    """Set when the command already names one medication of the schedule exactly (an answer
    to a clarifying question, or an LLM answer checked against this user's schedule)."""


@dataclass(frozen=True)
class DateRef:
    """A date as a person says it, resolved against their today by the apply rules.

    "offset": `value` days from today ("завтра" = 1); "weekday": the next such weekday,
    today included (`value` 0 = Monday); "date": day `value` of `month` (of `year`, else the
    next such date from today on).
    """

    kind: Literal["offset", "weekday", "date"]
    value: int
    month: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class StepSpec:
    """One step of a taper: this dosage for `days` days (None: not said)."""

    dosage: str
    days: int | None = None


@dataclass(frozen=True)
class RegimenSpec:
    """The rule a message gives for a medication, before it is pinned to dates.

    `kind` as in `medbot.core.model.Regimen`; "weekdays" with no `weekdays` is "weekly, the day
    not said"; "every_n_hours" takes its first time from the times of the message. A course is
    `days` long from `start` (or from the first dose), or runs `until` a date (inclusive).
    """

    kind: RegimenKind = "daily"
    weekdays: tuple[int, ...] = ()
    interval: int | None = None
    """Days (every_n_days) or hours (every_n_hours)."""
    month_day: int | None = None
    on_days: int | None = None
    off_days: int | None = None
    max_per_day: int | None = None
    start: DateRef | None = None
    """The first day ("с понедельника") or, for "once", the day."""
    days: int | None = None
    """A course's length in days."""
    until: DateRef | None = None
    steps: tuple[StepSpec, ...] = ()
    in_minutes: int | None = None
    """A one-off "in N minutes" ("через полчаса", "in 2 hours")."""
    course: bool = False
    """A course was mentioned ("курс цефиксима") but its length was not said: ask."""


@dataclass(frozen=True)
class AddItem:
    med: MedName
    dosage: str | None
    times: tuple[str, ...]
    regimen: RegimenSpec | None = None
    """None: the message said nothing about days, which means every day."""
    routine: tuple[str, ...] = ()
    """Parts of the person's own day said instead of clock times ("после завтрака" →
    "after_breakfast"); the bot asks once what time each one is and remembers it."""


@dataclass(frozen=True)
class Add:
    items: tuple[AddItem, ...]
    confirmed: bool = False
    """The person already confirmed a reading the safety rules would ask about."""
    routine_times: tuple[tuple[str, str], ...] = ()
    """(slot, "HH:MM") the person just told for their routine ("после завтрака" = 09:00)."""


@dataclass(frozen=True)
class Delete:
    names: tuple[MedName, ...]
    """Empty when the message did not say which medication ("удали лекарство")."""
    times: tuple[str, ...] = ()
    """When given, delete only these times of the named medication."""


@dataclass(frozen=True)
class ListSchedule:
    pass


@dataclass(frozen=True)
class TimeChange:
    name: MedName | None
    new_times: tuple[str, ...]
    old_time: str | None = None


@dataclass(frozen=True)
class DoseChange:
    name: MedName | None
    dosage: str


@dataclass(frozen=True)
class TimezoneChange:
    timezone: str
    """A stored zone string: IANA name or "+HH:MM"."""


@dataclass(frozen=True)
class Done:
    names: tuple[MedName, ...] = ()
    """Empty = whatever doses are awaiting confirmation."""
    part: str | None = None
    """"morning", "afternoon", "evening" or "night": only the awaited doses of that part of the
    day ("выпила утренние" in the evening never marks the evening's dose)."""


@dataclass(frozen=True)
class Stats:
    """How well the person has kept to the schedule ("/stats", "как я принимаю лекарства")."""


@dataclass(frozen=True)
class RegimenChange:
    """A new rule for a medication already in the schedule ("диувер теперь по средам")."""

    name: MedName | None
    regimen: RegimenSpec
    times: tuple[str, ...] = ()
    """New times said with the rule (they replace the old ones); empty keeps the times."""
    confirmed: bool = False


@dataclass(frozen=True)
class Pause:
    """No reminders from `first` to `last` (inclusive), or for `days` days from `first`."""

    names: tuple[MedName, ...]
    """Empty: every medication."""
    first: DateRef
    last: DateRef | None = None
    days: int | None = None
    before: DateRef | None = None
    """"До понедельника": the break ends the day before this date."""


@dataclass(frozen=True)
class Agenda:
    """What is coming up ("что у меня на неделе?")."""

    days: int = 7


@dataclass(frozen=True)
class Undo:
    """"Отмени" / "undo": put back the schedule as it was before the last change."""


@dataclass(frozen=True)
class SetLanguage:
    """"/lang en", "говори по-русски": the language of menus and reminders (None: ask)."""

    lang: Literal["ru", "en"] | None = None


@dataclass(frozen=True)
class StockChange:
    """"у меня 28 таблеток аспирина" (set), "купила 2 упаковки по 30" (add): pills in hand."""

    name: MedName | None
    amount: float
    add: bool = False


@dataclass(frozen=True)
class PastIntake:
    """A dose of the last days put right: "вчера вечером тоже выпила", "я пропустил вчерашний
    конкор", "I took the morning one at 10, not 8"."""

    names: tuple[MedName, ...] = ()
    days_ago: int = 1
    part: str | None = None
    """"morning", "afternoon", "evening" or "night": which of the day's doses."""
    time: str | None = None
    """The scheduled time of the dose meant ("не в 8": the 08:00 one)."""
    status: str = "taken"
    """"taken", or "missed" for a dose not taken after all."""
    at: str | None = None
    """When it was really taken ("в 10"), local HH:MM."""


@dataclass(frozen=True)
class StockQuery:
    """"сколько осталось таблеток?": what is in hand and for how many days."""

    name: MedName | None = None


@dataclass(frozen=True)
class Cancel:
    """"No" to a question: nothing changes."""


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Unknown:
    why: str | None = None
    """What the bot says plainly it cannot do: "advice" (a question for a doctor), "language"
    (one it does not speak), "stock" (pills left in a pack); "thanks" and "hello" need no action;
    None when it simply did not understand."""


Command = (
    Add
    | Delete
    | ListSchedule
    | TimeChange
    | DoseChange
    | TimezoneChange
    | Done
    | Stats
    | RegimenChange
    | Pause
    | Agenda
    | Undo
    | SetLanguage
    | StockChange
    | StockQuery
    | PastIntake
    | Cancel
    | Help
    | Unknown
)

COMMAND_NAMES: dict[type, str] = {
    Add: "add",
    Delete: "delete",
    ListSchedule: "list",
    TimeChange: "time_change",
    DoseChange: "dose_change",
    TimezoneChange: "timezone_change",
    Done: "done",
    Stats: "stats",
    RegimenChange: "regimen_change",
    Pause: "pause",
    Agenda: "agenda",
    Undo: "undo",
    SetLanguage: "language",
    StockChange: "stock",
    StockQuery: "stock_query",
    PastIntake: "past_intake",
    Cancel: "cancel",
    Help: "help",
    Unknown: "unknown",
}


@dataclass(frozen=True)
class ParseResult:
    command: Command
    needs_llm: bool = False
    """True only when the parser is genuinely unsure and an LLM should have a look."""
    lang: Literal["ru", "en"] | None = None
    """The language the message is written in, when it is clear."""
    confirm: bool = False
    """The bot would ask the person to confirm this reading before applying it."""


def command_name(command: Command) -> str:
    return COMMAND_NAMES[type(command)]


def to_json(result: ParseResult) -> dict[str, Any]:
    """The `medbot parse` object: `command`, the fields of that command, and `needs_llm`."""
    command = result.command
    body: dict[str, Any] = {"command": command_name(command)}
    match command:
        case Add(items=items):
            body["medications"] = [_item_json(item) for item in items]
        case Delete(names=names, times=times):
            body["names"] = [med.name for med in names]
            if times:
                body["times"] = list(times)
        case TimeChange(name=name, new_times=new_times, old_time=old_time):
            body["name"] = name.name if name else None
            body["new_times"] = list(new_times)
            body["old_time"] = old_time
        case DoseChange(name=name, dosage=dosage):
            body["name"] = name.name if name else None
            body["dosage"] = dosage
        case TimezoneChange(timezone=zone):
            body["timezone"] = zone
        case Done(names=names, part=part):
            body["names"] = [med.name for med in names]
            if part is not None:
                body["part"] = part
        case RegimenChange(name=name, regimen=regimen, times=times):
            body["name"] = name.name if name else None
            body["regimen"] = regimen_to_json(regimen)
            body["times"] = list(times)
        case Pause(names=names, first=first, last=last, days=days, before=before):
            body["names"] = [med.name for med in names]
            body["first"] = _said(asdict(first))
            body["last"] = _said(asdict(last)) if last else None
            body["days"] = days
            if before is not None:
                body["before"] = _said(asdict(before))
        case Agenda(days=days):
            body["days"] = days
        case SetLanguage(lang=lang):
            body["lang"] = lang
        case StockChange(name=name, amount=amount, add=add):
            body["name"] = name.name if name else None
            body["amount"] = amount
            body["add"] = add
        case StockQuery(name=name):
            body["name"] = name.name if name else None
        case PastIntake(names=names, days_ago=days_ago, part=part, time=time, status=status, at=at):
            body.update(names=[med.name for med in names], days_ago=days_ago, part=part, time=time, status=status,
                        at=at)
        case _:
            pass
    body["needs_llm"] = result.needs_llm
    body["confirm"] = result.confirm
    return body


def _item_json(item: AddItem) -> dict[str, Any]:
    """`name`, `dosage`, `times`, and `regimen` only when the message said something about days
    (so a plain add prints exactly the keys it always printed)."""
    body: dict[str, Any] = {"name": item.med.name, "dosage": item.dosage, "times": list(item.times)}
    if item.regimen is not None:
        body["regimen"] = regimen_to_json(item.regimen)
    if item.routine:
        body["routine"] = list(item.routine)
    return body


def regimen_to_json(spec: RegimenSpec | None) -> dict[str, Any] | None:
    """A rule as `medbot parse` prints it: `kind` and the fields that were said (None: daily,
    nothing said)."""
    if spec is None:
        return None
    body: dict[str, Any] = {"kind": spec.kind}
    for key, value in asdict(spec).items():
        if key != "kind" and value not in (None, (), [], False):
            body[key] = _said(value)
    return body


def _said(value: Any) -> Any:
    """Nested values without their unset (None) fields, tuples as lists."""
    if isinstance(value, dict):
        return {key: _said(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [_said(item) for item in value]
    return value
