"""Builders and a virtual-clock driver shared by the reminder domain tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from medbot.core import tz
from medbot.core.due import Plan, plan
from medbot.core.effects import DeleteReminder, EditReminder, Effect, SendReminder
from medbot.core.model import DAILY, DoseRef, Intake, Lang, Medication, Regimen, Slot, Status, User
from medbot.core.reminders import on_sent

HOUR = timedelta(hours=1)


def med(
    med_id: str,
    name: str,
    times: tuple[str, ...],
    dosage: str | None = None,
    start: str = "2025-01-01",
) -> Medication:
    return ruled_med(DAILY, times, start, med_id=med_id, name=name, dosage=dosage)


MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def ruled_med(
    regimen: Regimen = DAILY,
    times: tuple[str, ...] = ("09:00",),
    start: str = "2026-01-01",
    *,
    med_id: str = "m1",
    name: str = "аспирин",
    dosage: str | None = None,
    **fields: object,
) -> Medication:
    """A medication with a regimen (and, through `fields`, a course end, steps or pauses)."""
    return Medication(
        id=med_id,
        name=name,
        key=name.lower(),
        dosage=dosage,
        slots=tuple(Slot(time, start) for time in times),
        regimen=regimen,
        **fields,  # type: ignore[arg-type]
    )


def person(zone: str, *meds: Medication, lang: Lang = "ru", **fields: Any) -> User:
    return User(id=42, lang=lang, tz=zone, medications=meds, next_med=len(meds) + 1, **fields)


def local(zone: str, when: str) -> datetime:
    """The instant of a local wall-clock reading "YYYY-MM-DD HH:MM[:SS]" (a repeated one: the
    first time it occurs)."""
    naive = datetime.fromisoformat(when)
    return naive.replace(tzinfo=tz.zone(zone)).astimezone(tz.UTC)


def dose(med_id: str, day: str, time: str) -> DoseRef:
    return DoseRef(med_id, day, time)


def sends(effects: tuple[Effect, ...]) -> list[SendReminder]:
    return [effect for effect in effects if isinstance(effect, SendReminder)]


def edits(effects: tuple[Effect, ...]) -> list[EditReminder]:
    return [effect for effect in effects if isinstance(effect, EditReminder)]


def deletes(effects: tuple[Effect, ...]) -> list[DeleteReminder]:
    return [effect for effect in effects if isinstance(effect, DeleteReminder)]


@dataclass
class Chat:
    """What a person's chat looks like after the actor carried out the effects (a fake Bot API)."""

    live: dict[int, str] = field(default_factory=dict)
    """message id -> current text."""
    sent: list[tuple[datetime, int, SendReminder]] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    next_id: int = 1000


@dataclass
class Driver:
    """Runs `plan` the way the actor does: persist, send, then report each message id back."""

    user: User
    repeat: timedelta = HOUR
    chat: Chat = field(default_factory=Chat)
    wake: datetime | None = None
    steps: list[tuple[datetime, Plan]] = field(default_factory=list)
    first_sent: dict[DoseRef, list[datetime]] = field(default_factory=dict)
    """Each dose -> when a message reminded it for the first time (repeats not counted)."""

    def step(self, now: datetime, deliver: bool = True) -> Plan:
        reminded = {item for reminder in self.user.reminders for item in reminder.doses}
        result = plan(self.user, now, self.repeat)
        self.steps.append((now, result))
        self.user = result.user
        self.wake = result.next_wake
        for effect in sends(result.effects):
            reminder = next(r for r in result.user.reminders if r.id == effect.reminder_id)
            for item in set(reminder.doses) - reminded:
                self.first_sent.setdefault(item, []).append(now)
        self.apply(now, result.effects, deliver)
        return result

    def apply(self, now: datetime, effects: tuple[Effect, ...], deliver: bool = True) -> None:
        for effect in effects:
            match effect:
                case SendReminder():
                    self.chat.next_id += 1
                    self.chat.sent.append((now, self.chat.next_id, effect))
                    if deliver:
                        self.chat.live[self.chat.next_id] = effect.reply.text
                        self.user, more = on_sent(self.user, effect.reminder_id, self.chat.next_id)
                        self.apply(now, more, deliver)
                case EditReminder(message_id=message_id, reply=reply):
                    assert message_id in self.chat.live, "edit of a message that is not there"
                    self.chat.live[message_id] = reply.text
                case DeleteReminder(message_id=message_id):
                    assert message_id in self.chat.live, "delete of a message that is not there"
                    del self.chat.live[message_id]
                    self.chat.deleted.append(message_id)

    def run_until(self, end: datetime) -> None:
        """Step from wake to wake, as the Clock would, until `end`."""
        while self.wake is not None and self.wake <= end:
            self.step(self.wake)


# --- a generated month of history -------------------------------------------------------------

BERLIN = "Europe/Berlin"
MONTH_NOW = local(BERLIN, "2025-06-30 21:00")
"""June 2025 in Berlin, "now" is 30 June 21:00 local; day i is 2025-06-i. `month_user` has:
- аспирин 200 мг, 08:00: taken 10 min late, missed on days 10, 20, 30;
  20:00: taken 30 min late, skipped on days 7, 14, 21, 28;
- витамин D, 09:00: taken on the minute, missed on days 5, 10, 15, 20, 25, 30;
- магний 400 мг (deleted since), 07:00: taken 5 min early on days 10..20;
- омега, added today: no ended dose yet;
- and missed aspirin doses from 20-31 May, outside every window."""


_ASPIRIN = ("m1", "аспирин", "200 мг")
_VITAMIN = ("m2", "витамин D", None)
_MAGNESIUM = ("m3", "магний", "400 мг")


def _record(
    what: tuple[str, str, str | None], day: date, time: str, status: Status, minutes_late: int
) -> Intake:
    med_id, name, dosage = what
    due = tz.to_instant(BERLIN, day, time)
    at = tz.utc_iso(due + timedelta(minutes=minutes_late)) if status != "missed" else None
    return Intake(DoseRef(med_id, day.isoformat(), time), status, at, name, dosage)


def _history() -> tuple[Intake, ...]:
    records = []
    for i in range(1, 31):
        day = date(2025, 6, i)
        records.append(_record(_ASPIRIN, day, "08:00", "missed" if i % 10 == 0 else "taken", 10))
        records.append(_record(_ASPIRIN, day, "20:00", "skipped" if i % 7 == 0 else "taken", 30))
        records.append(_record(_VITAMIN, day, "09:00", "missed" if i % 5 == 0 else "taken", 0))
        if 10 <= i <= 20:
            records.append(_record(_MAGNESIUM, day, "07:00", "taken", -5))
    for i in range(20, 32):
        records.append(_record(_ASPIRIN, date(2025, 5, i), "08:00", "missed", 0))
    return tuple(records)


def month_user(lang: str = "ru") -> User:
    return replace(
        person(
            BERLIN,
            med("m1", "аспирин", ("08:00", "20:00"), "200 мг"),
            med("m2", "витамин D", ("09:00",)),
            med("m4", "омега", ("22:00",), start="2025-06-30"),
            lang=lang,
        ),
        history=_history(),
    )
