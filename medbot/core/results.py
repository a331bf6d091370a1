"""What applying a command did, as plain values for the replies.

A result carries display data only (names as stored, dosages, local "HH:MM" times), never ids or
internal state, so rendering it in any language cannot leak an internal detail and needs no
access to the schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from medbot.core.commands import Command
from medbot.core.model import DoseStep, Pause, Regimen


@dataclass(frozen=True)
class RuleView:
    """A medication's rule as a person reads it: on which days, until when, which steps."""

    regimen: Regimen
    until: str | None = None
    steps: tuple[DoseStep, ...] = ()
    pauses: tuple[Pause, ...] = ()
    """Breaks that are not over yet."""
    start: str | None = None
    """The first day, when it is after today."""
    finished: bool = False
    """The course (or one-off) is over."""

    @property
    def plain_daily(self) -> bool:
        """Nothing to say beyond the times: every day, no end, no steps, no breaks."""
        return (self.regimen.kind == "daily" and not self.until and not self.steps
                and not self.pauses and not self.start and not self.finished)


@dataclass(frozen=True)
class MedLine:
    """A medication as a person sees it: "аспирин 200 мг — 10:00, 18:00"."""

    name: str
    dosage: str | None = None
    times: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddedLine:
    name: str
    dosage: str | None
    times: tuple[str, ...]
    """The times this message added."""
    tomorrow: tuple[str, ...] = ()
    """Those of them that start tomorrow, because their minute has passed today."""
    all_times: tuple[str, ...] = ()
    """Every time of the entry after the change, when it extended an existing entry."""
    rule: RuleView | None = None


@dataclass(frozen=True)
class AlreadyLine:
    """A dose that was already in the schedule: refused, the stored dosage kept."""

    name: str
    dosage: str | None
    times: tuple[str, ...]
    requested_dosage: str | None = None
    """The dosage the message asked for, when it differs from the one kept."""


@dataclass(frozen=True)
class Added:
    added: tuple[AddedLine, ...]
    already: tuple[AlreadyLine, ...] = ()


@dataclass(frozen=True)
class DeletedLine:
    name: str
    dosage: str | None
    times: tuple[str, ...] = ()
    """The times removed; empty when the whole medication was removed."""
    remaining: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deleted:
    items: tuple[DeletedLine, ...]
    not_found: tuple[str, ...] = ()


@dataclass(frozen=True)
class NotFound:
    """No medication of the schedule fits these names."""

    names: tuple[str, ...]
    have: tuple[MedLine, ...]
    times: tuple[str, ...] = ()
    """Times asked about when no name was given ("удали приём в 15:00")."""


@dataclass(frozen=True)
class TimeNotFound:
    """The medication exists but is not taken at the times the message named."""

    med: MedLine
    asked: tuple[str, ...]


@dataclass(frozen=True)
class TimeChanged:
    name: str
    dosage: str | None
    old_times: tuple[str, ...]
    new_times: tuple[str, ...]
    times: tuple[str, ...]
    """Every time of the medication after the change."""
    tomorrow: tuple[str, ...] = ()
    """New times that start tomorrow (passed today, or today's dose was already answered)."""


@dataclass(frozen=True)
class DoseChanged:
    name: str
    dosage: str
    previous: tuple[str, ...]
    """The dosages it had before (several entries may have had different ones)."""
    times: tuple[str, ...]


@dataclass(frozen=True)
class ZoneChanged:
    zone: str
    local_time: str
    """The wall-clock time in the new zone now, so the person can check it."""


@dataclass(frozen=True)
class ZoneRefused:
    zone: str


@dataclass(frozen=True)
class MarkedLine:
    name: str
    dosage: str | None
    time: str
    """The scheduled time of the dose."""
    at: str
    """The local time it was marked."""


@dataclass(frozen=True)
class NotNow:
    """A named medication with nothing to mark now; `next_time` is its next dose today."""

    name: str
    dosage: str | None
    next_time: str | None = None


@dataclass(frozen=True)
class OverLimit:
    """An as-needed medication taken more often today than its daily maximum."""

    name: str
    count: int
    limit: int


@dataclass(frozen=True)
class Marked:
    items: tuple[MarkedLine, ...]
    not_now: tuple[NotNow, ...] = ()
    not_found: tuple[str, ...] = ()
    over_limit: tuple[OverLimit, ...] = ()


@dataclass(frozen=True)
class RegimenChanged:
    name: str
    dosage: str | None
    times: tuple[str, ...]
    rule: RuleView
    tomorrow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paused:
    names: tuple[str, ...]
    """Empty: every medication."""
    first: str
    last: str


@dataclass(frozen=True)
class AgendaLine:
    date: str
    time: str
    name: str
    dosage: str | None


@dataclass(frozen=True)
class AgendaView:
    lines: tuple[AgendaLine, ...]
    days: int


@dataclass(frozen=True)
class Undone:
    """The last change was reverted: which change, what came back and what went away."""

    what: str
    """The command name of the change that was undone ("add", "delete", ..., "undo")."""
    back: tuple[MedLine, ...] = ()
    """Medications as they are again now."""
    gone: tuple[MedLine, ...] = ()
    """Medications the change had added, removed again."""
    zone: str | None = None
    """The time zone put back, when the change was one of zone."""


@dataclass(frozen=True)
class NothingToUndo:
    pass


@dataclass(frozen=True)
class LanguageSet:
    lang: str


@dataclass(frozen=True)
class Cancelled:
    """"No": nothing changed."""


@dataclass(frozen=True)
class RuleRefused:
    """A rule the bot cannot store as said, and why (the person is told plainly)."""

    reason: Literal["past_date", "end_before_start", "as_needed_time", "too_far", "nothing_left", "steps_unclear"]
    name: str | None = None


@dataclass(frozen=True)
class ScheduleLine:
    name: str
    dosage: str | None
    times: tuple[str, ...]
    tomorrow: tuple[str, ...] = ()
    """Times that have not started yet (they start tomorrow)."""
    rule: RuleView | None = None


@dataclass(frozen=True)
class Schedule:
    lines: tuple[ScheduleLine, ...]
    zone: str


@dataclass(frozen=True)
class NoMedications:
    """The command needs a medication, and the schedule is empty."""


Question = Literal[
    "add_time",  # at what time? (an add without times)
    "add_entry",  # which entry gets the new time? (same name, several dosages)
    "delete_med",  # which medication to delete?
    "time_med",  # which medication to move?
    "time_slot",  # which of its times to move?
    "dose_med",  # which medication gets the new dosage?
    "done_med",  # which medication was taken?
    "done_nothing",  # nothing awaits an answer: did you mean one of today's next doses?
    "course_end",  # a course is over: remove it from the list?
    "confirm",  # is this reading right? (a rule the bot wants checked before it is stored)
    "weekday",  # "once a week": on which day?
    "first_time",  # "every N hours": from what time?
    "regimen_med",  # which medication gets the new rule?
    "pause_med",  # which medication has the break?
    "course_length",  # a course: for how long?
    "language",  # which language?
    "routine",  # what time is "after breakfast" for you?
    "rule_or_new",  # kept on another rule already: a new rule for it, or a second entry?
]


@dataclass(frozen=True)
class Option:
    """One answer to a question: the command it stands for, and what to show for it."""

    command: Command
    name: str | None = None
    """None for a bare time option (its `times` are the label)."""
    dosage: str | None = None
    times: tuple[str, ...] = ()
    answer: Literal["yes", "no"] | None = None
    """A yes/no button ("Да, удалить", "Нет") rather than a medication or a time."""
    label: str | None = None
    """A short label of its own (a weekday), shown instead of the medication."""


@dataclass(frozen=True)
class Clarify:
    """A question instead of a guess. Nothing was changed."""

    question: Question
    options: tuple[Option, ...] = ()
    subject: MedLine | None = None
    """The medication the question is about (time_slot, add_entry)."""
    names: tuple[str, ...] = ()
    """Medications waiting for a time (add_time)."""
    new_times: tuple[str, ...] = ()
    dosage: str | None = None
    upcoming: tuple[MedLine, ...] = ()
    """Today's doses still to come (done_nothing)."""
    template: Command | None = None
    """For add_time: the command a typed time completes."""
    reason: str | None = None
    """For confirm: why the bot asks ("weekly_drug", "taper_steps", "hours_uneven")."""
    reading: tuple[Any, ...] = ()
    """For confirm and course_end: what would be stored, as lines the texts can show."""
    pending_id: str | None = None
    """Set by `medbot.core.pending.remember` once the question is stored: the buttons need it."""


@dataclass(frozen=True)
class ShowStats:
    """Rendered by the stats texts, which need the whole history."""


@dataclass(frozen=True)
class HelpText:
    pass


@dataclass(frozen=True)
class UnknownText:
    why: str | None = None
    """See `commands.Unknown.why`."""


@dataclass(frozen=True)
class PastLine:
    name: str
    dosage: str | None
    day: str
    time: str
    status: str
    at: str | None = None


@dataclass(frozen=True)
class PastRecorded:
    """Past doses put right: each is said back in words."""

    lines: tuple[PastLine, ...]
    days_ago: int


@dataclass(frozen=True)
class PastUnclear:
    """Which past dose? (`choices`: the scheduled times of that day that fit), or none fits, or
    the day is too long ago to change."""

    why: str
    """"which", "none" or "too_old"."""
    days_ago: int
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StockLine:
    name: str
    dosage: str | None
    stock: float | None
    days: int | None
    """Days the stock lasts by the regimen; None for as needed or not counted."""


@dataclass(frozen=True)
class StockSet:
    line: StockLine
    added: float | None = None
    """How much was added (None: the count was set)."""


@dataclass(frozen=True)
class StockReport:
    lines: tuple[StockLine, ...]


Result = (
    Added
    | Deleted
    | NotFound
    | TimeNotFound
    | TimeChanged
    | DoseChanged
    | ZoneChanged
    | ZoneRefused
    | Marked
    | Schedule
    | NoMedications
    | Clarify
    | ShowStats
    | HelpText
    | UnknownText
    | RegimenChanged
    | Paused
    | AgendaView
    | Cancelled
    | RuleRefused
    | Undone
    | NothingToUndo
    | LanguageSet
    | StockSet
    | StockReport
    | PastRecorded
    | PastUnclear
)
