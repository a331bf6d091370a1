"""What medbot knows about a person: their schedule, their intake history, open reminders.

Plain frozen dataclasses, so the domain core can treat a user's state as a value: a change is a
new `User`, never a mutation. `user_from_json` validates everything it reads (through pydantic),
so a damaged or hand-edited record is rejected with a clear reason instead of half-loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, TypeAdapter

from medbot.core.view import Button

SCHEMA_VERSION = 2

CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
"""A local wall-clock time as stored: "HH:MM"."""
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_MED_ID = re.compile(r"^m\d{1,9}$")


def _check(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def validate(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(f"not a valid {what}: {value!r}")
        return value

    return AfterValidator(validate)


def _check_instant(value: str) -> str:
    from datetime import datetime

    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"instant without a time zone: {value!r}")
    return value


def _check_zone(value: str) -> str:
    from medbot.core.tz import zone_or_none

    if zone_or_none(value) is None:
        raise ValueError(f"unknown time zone: {value!r}")
    return value


HHMM = Annotated[str, _check(CLOCK_TIME, "HH:MM time")]
"""A local wall-clock time, always two-digit "HH:MM"."""
LocalDate = Annotated[str, _check(_DATE, "YYYY-MM-DD date")]
"""A date in the user's own time zone."""
MedId = Annotated[str, _check(_MED_ID, "medication id")]
"""A medication id, stable for the life of the medication: "m1", "m2", ..."""
Instant = Annotated[str, AfterValidator(_check_instant)]
"""An absolute instant as ISO-8601 with an offset (we write UTC)."""
Zone = Annotated[str, AfterValidator(_check_zone)]
"""An IANA zone name ("Europe/Moscow") or a fixed offset ("+05:30")."""

Lang = Literal["ru", "en"]
Status = Literal["taken", "skipped", "missed"]


@dataclass(frozen=True)
class Slot:
    """One daily time of a medication, and the first local date on which it is due.

    Each time carries its own start so that "aspirin at 10:00 and 18:00", added at noon,
    starts at 18:00 today and at 10:00 tomorrow.
    """

    time: HHMM
    start: LocalDate


RegimenKind = Literal[
    "daily", "weekdays", "every_n_days", "monthly", "every_n_hours", "cycle", "as_needed", "once"
]
Weekday = Annotated[int, Field(ge=0, le=6)]
"""0 = Monday ... 6 = Sunday (Python's `date.weekday()`)."""


@dataclass(frozen=True)
class Regimen:
    """On which local days a medication is due (its slots say at what times).

    Plain data; `medbot.core.regimen` turns it into RFC 5545 recurrence rules. Only the fields of
    its kind are meaningful: `weekdays` for "weekdays", `interval` (days) and `anchor` for
    "every_n_days", `month_day` for "monthly" (29-31 fall back to a short month's last day,
    -1 is always the last day), `interval` (hours) for "every_n_hours" (the slots hold the
    expanded times), `on_days`/`off_days` and `anchor` for "cycle", `anchor` (the date) for
    "once", `max_per_day` for "as_needed".
    """

    kind: RegimenKind = "daily"
    weekdays: tuple[Weekday, ...] = ()
    interval: Annotated[int, Field(ge=1, le=366)] = 1
    anchor: LocalDate | None = None
    """The first day of the rhythm: every N days and cycles count from it."""
    month_day: Annotated[int, Field(ge=-1, le=31)] | None = None
    on_days: Annotated[int, Field(ge=0, le=366)] = 0
    off_days: Annotated[int, Field(ge=0, le=366)] = 0
    max_per_day: Annotated[int, Field(ge=1, le=48)] | None = None
    """As needed: at most this many intakes per local day (a warning, never a refusal)."""


DAILY = Regimen()


@dataclass(frozen=True)
class DoseStep:
    """From `start` on (until the next step), each dose is `dosage`: a taper."""

    start: LocalDate
    dosage: str


@dataclass(frozen=True)
class Pause:
    """No doses from `first` to `last` (inclusive local dates): a skipped day or a break."""

    first: LocalDate
    last: LocalDate


@dataclass(frozen=True)
class Medication:
    id: MedId
    name: str
    """Display form: the dictionary form in the user's own casing ("витамин B12")."""
    key: str
    """Matching form: lower case, "ё" folded to "е", each word in its dictionary form."""
    dosage: str | None
    slots: tuple[Slot, ...]
    regimen: Regimen = DAILY
    until: LocalDate | None = None
    """A course: the last local date with doses (inclusive); None = no end."""
    steps: tuple[DoseStep, ...] = ()
    """Dose steps in date order; before the first, and without any, `dosage` holds."""
    pauses: tuple[Pause, ...] = ()
    end_noticed: bool = False
    """The person was told that the course ended (told once)."""
    stock: Annotated[float, Field(ge=0, le=100_000)] | None = None
    """Units in hand (tablets, capsules, ml...), shared by every entry of the medication; None: not counted."""
    stock_warned: int | None = None
    """The last refill warning given, in days left (7, 3, 1): each is given once."""

    @property
    def times(self) -> tuple[str, ...]:
        return tuple(slot.time for slot in self.slots)

    @property
    def start(self) -> str:
        """The date the medication starts: its earliest slot start (or its anchor)."""
        return min((slot.start for slot in self.slots), default=self.regimen.anchor or "")

    @property
    def as_needed(self) -> bool:
        return self.regimen.kind == "as_needed"

    @property
    def plain_daily(self) -> bool:
        """Every day at its times, no end and no steps: the entry a plain add extends."""
        return self.regimen == DAILY and not self.until and not self.steps


@dataclass(frozen=True, order=True)
class DoseRef:
    """Which dose: a medication at a scheduled local time on a local date."""

    med_id: MedId
    date: LocalDate
    time: HHMM


@dataclass(frozen=True)
class Intake:
    """How a dose ended. `name`/`dosage` are snapshots so history outlives a deletion."""

    dose: DoseRef
    status: Status
    at: Instant | None
    """When the person answered (UTC); None for a dose recorded as missed."""
    name: str
    dosage: str | None = None
    by: int | None = None
    """Who pressed, when not the person themselves (a relative in a family group chat)."""
    by_name: str = ""


@dataclass(frozen=True)
class Reminder:
    """A reminder message that is still open: some of its doses await an answer."""

    id: int
    doses: tuple[DoseRef, ...]
    """Every dose this message is about; the open ones are those without an intake."""
    sent_at: Instant
    """When the current message of this reminder was sent (or decided to be sent)."""
    repeat_at: Instant
    """When to remind again if nothing is answered by then."""
    message_id: int | None = None
    late: bool = False
    """Sent after downtime, past its scheduled minute."""
    repeats: int = 0
    """How many times the reminder was sent again; the text of a repeat names the due times."""
    refused: bool = False
    """Telegram refused the message (400): the person was told in plain words; never resent."""
    failures: int = 0
    """Sends that failed in a row; the retry waits longer each time (reset once one arrives)."""
    outdated: bool = False
    """The message on its way no longer matches the reminder: edit it as soon as its id is known."""


@dataclass(frozen=True)
class OutboxEntry:
    """A message owed to the person, saved in the same write as the change it confirms and
    removed once Telegram has answered for it: a restart in between sends it then."""

    id: int
    chat_id: int
    kind: Literal["send", "edit", "delete"]
    at: Instant
    """When it was owed (UTC): one owed too long ago is no longer worth sending."""
    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    message_id: int | None = None
    """The message an edit or a delete is about."""
    bulk: bool = False
    """Sent at the priority of reminders (a notice), not of a reply."""


@dataclass(frozen=True)
class CaregiverLink:
    """Someone this person asked to be told of missed doses; held by the patient's record,
    which alone decides what a caregiver may see."""

    user_id: int
    name: str
    since: Instant
    lang: Lang = "ru"
    """The language the caregiver's messages are written in."""
    can_manage: bool = False
    """The patient's second, separate grant: the caregiver may change the schedule too."""
    blocked: bool = False
    """Telegram said the caregiver blocked the bot: the patient was told (once)."""


@dataclass(frozen=True)
class Invite:
    """A one-time link to become this person's caregiver (the part after the person's id)."""

    secret: str
    expires: Instant
    opened_by: int | None = None
    """Who opened the link and was asked to confirm: only they may accept it."""


@dataclass(frozen=True)
class Escalation:
    """Caregivers were told that a dose was still unanswered: never told twice."""

    dose: DoseRef
    at: Instant
    told: tuple[int, ...]
    """The caregivers who got the alert (and hear how it ends)."""
    called_by: int | None = None
    """The caregiver who pressed "I called": the others are told, no one is asked again."""
    outcome_told: bool = False
    """The caregivers were told that the dose was taken (or skipped) after all."""


@dataclass(frozen=True)
class CaredFor:
    """Someone this person looks after: a copy of the link the patient's record holds."""

    user_id: int
    name: str


@dataclass(frozen=True)
class ProfileRef:
    """A family member without Telegram whose schedule this person keeps: their own record,
    under `id` (negative, so never a Telegram user's)."""

    id: int
    name: str
    home_chat: int | None = None
    """A family group chat their reminders go to (None: this person's own chat)."""


@dataclass(frozen=True)
class User:
    id: int
    lang: Lang
    tz: Zone
    medications: tuple[Medication, ...] = ()
    history: tuple[Intake, ...] = ()
    reminders: tuple[Reminder, ...] = ()
    next_med: int = 1
    next_reminder: int = 1
    unreachable: bool = False
    """Telegram said the person blocked the bot: no reminders until they write again."""
    created_at: Instant | None = None
    planned_until: Instant | None = None
    """Up to when the due computation has looked: after downtime it records the doses missed
    since then, however long ago, without scanning the whole history every time."""
    outbox: tuple[OutboxEntry, ...] = ()
    next_outbox: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    """Small per-user settings that do not deserve a schema change (e.g. welcomed)."""
    name: str = ""
    """The person's first name in Telegram: what their caregivers read."""
    caregivers: tuple[CaregiverLink, ...] = ()
    invites: tuple[Invite, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    caring_for: tuple[CaredFor, ...] = ()
    caregiver_minutes: Annotated[int, Field(ge=1, le=1440)] | None = None
    """How long after a dose's time an unanswered dose is reported (None: the setting's)."""
    profiles: tuple[ProfileRef, ...] = ()
    """Family members whose schedules this person keeps."""
    owner: int | None = None
    """Set on a family member's record: the account holder, who alone reads and changes it."""
    home_chat: int | None = None
    """A family member's: the chat their reminders and replies go to (the owner's by default)."""

    def medication(self, med_id: str) -> Medication | None:
        return next((med for med in self.medications if med.id == med_id), None)

    def with_medications(self, medications: tuple[Medication, ...]) -> User:
        return replace(self, medications=medications)


@cache
def _user_adapter() -> TypeAdapter[User]:
    return TypeAdapter(User)


def user_to_json(user: User) -> dict[str, Any]:
    """A JSON-ready dict, tagged with the schema version."""
    data: dict[str, Any] = _user_adapter().dump_python(user, mode="json")
    data["schema"] = SCHEMA_VERSION
    return data


def user_from_json(data: Any) -> User:
    """Validate and build a `User`; raises ValueError naming the first problem."""
    if not isinstance(data, dict):
        raise ValueError("user record is not an object")
    body = {key: value for key, value in data.items() if key != "schema"}
    schema = data.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise ValueError(f"user record has schema {schema!r}, expected {SCHEMA_VERSION}")
    try:
        return _user_adapter().validate_python(body, strict=False)
    except Exception as error:  # pydantic.ValidationError; keep the message short and plain
        raise ValueError(f"invalid user record: {_first_error(error)}") from None


def _first_error(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        items = errors()
        if items:
            first = items[0]
            where = ".".join(str(part) for part in first.get("loc", ()))
            return f"{where}: {first.get('msg', 'invalid')}"
    return type(error).__name__


def new_user(user_id: int, lang: Lang, tz: str, created_at: str | None = None) -> User:
    return User(id=user_id, lang=lang, tz=tz, created_at=created_at)
