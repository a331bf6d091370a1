"""How an open reminder changes: delivered, failed, a button pressed, the schedule edited.

Every function is pure: it takes the user's state (and the instant, where it matters) and gives
back the new state and the Telegram effects that bring the chat in line with it. One rule,
`settle`, decides what a changed reminder's message must become, so a press, a "done" typed as
text, a deleted medication and a dose that ends as missed all look the same in the chat:
- the message is rewritten in place (an edit) whenever what it shows changed;
- a reminder with no open dose left leaves `user.reminders` (its edited message stays);
- a reminder with nothing left in it, or one closed by the next dose, has its message deleted.
A message still on its way (no message id yet) cannot be edited: the reminder is marked
`outdated` and `on_sent` edits it the moment its id arrives; if the reminder is gone by then,
the message is deleted on arrival.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from medbot.core import tz
from medbot.core.buttons import SNOOZE, decode
from medbot.core.doses import answered, is_scheduled
from medbot.core.effects import DeleteReminder, EditReminder, Effect, Effects, SendNotice
from medbot.core.model import DoseRef, Intake, Reminder, Status, User
from medbot.core.regimen import dosage_on
from medbot.core.texts.reminders import medication_name, press_answer, refused_notice, reminder_reply

RETRY_FIRST = timedelta(minutes=1)
"""A reminder whose send failed is tried again this soon, then twice as late each time..."""
RETRY_MAX = timedelta(minutes=30)
"""...but never later than this."""
NO_REPEAT = timedelta(days=2)
"""A refused reminder's next repeat: later than any of its doses can stay open."""


@dataclass(frozen=True)
class PressOutcome:
    user: User
    answer_text: str
    """The callback answer (a short toast); always set, even when nothing changed."""
    effects: Effects


def find_reminder(user: User, reminder_id: int) -> Reminder | None:
    return next((item for item in user.reminders if item.id == reminder_id), None)


def open_doses_of(user: User, reminder: Reminder) -> list[DoseRef]:
    """The doses of a reminder that still await an answer (in the reminder's order)."""
    done = answered(user)
    return [dose for dose in reminder.doses if dose not in done and is_scheduled(user, dose)]


def intake(user: User, dose: DoseRef, status: Status, at: datetime | None) -> Intake:
    """How a dose ended, with the name and dosage it had then (history outlives deletion)."""
    med = user.medication(dose.med_id)
    return Intake(
        dose=dose,
        status=status,
        at=tz.utc_iso(at) if at is not None else None,
        name=med.name if med is not None else dose.med_id,
        dosage=dosage_on(med, dose.date) if med is not None else None,
    )


def with_intakes(user: User, records: Iterable[Intake]) -> User:
    """Record several endings at once (one pass over the history, not one per dose)."""
    new = {record.dose: record for record in records}
    if not new:
        return user
    kept = tuple(record for record in user.history if record.dose not in new)
    return replace(user, history=(*kept, *new.values()))


def put_reminder(user: User, reminder: Reminder | None, reminder_id: int) -> User:
    """Replace (or, with None, remove) the reminder with this id, keeping the order."""
    items: list[Reminder] = []
    for item in user.reminders:
        if item.id != reminder_id:
            items.append(item)
        elif reminder is not None:
            items.append(reminder)
    return replace(user, reminders=tuple(items))


def settle(
    before: User,
    after: User,
    old: Reminder,
    new: Reminder,
    *,
    close_by_delete: bool = False,
    quiet: bool = False,
) -> tuple[User, Effects]:
    """Put `new` in place of `old` in `after` and say what its message must become.

    `before` is the state the message was last shown from. `close_by_delete`: when no open
    dose is left, delete the message instead of showing the final state. `quiet`: the person
    cannot be reached, change the state only.
    """
    effects: list[Effect] = []
    message_id = None if quiet else new.message_id
    if not new.doses or (close_by_delete and not open_doses_of(after, new)):
        if message_id is not None:
            effects.append(DeleteReminder(message_id))
        return put_reminder(after, None, old.id), tuple(effects)
    shown = reminder_reply(after, new)
    changed = shown != reminder_reply(before, old)
    if changed and message_id is not None:
        effects.append(EditReminder(new.id, message_id, shown))
    elif changed and new.message_id is None:
        new = replace(new, outdated=True)
    still_open = bool(open_doses_of(after, new))
    return put_reminder(after, new if still_open else None, old.id), tuple(effects)


def on_sent(user: User, reminder_id: int, message_id: int) -> tuple[User, Effects]:
    """Telegram delivered a reminder message: remember its id (to edit and delete it later).

    If the reminder changed while the message was on its way, the message is edited now; if
    the reminder is gone (everything answered or removed meanwhile), the message is deleted.
    An older message of the same reminder that arrives after a newer one was asked for is
    deleted too, so the chat never holds two live messages for one reminder.
    """
    reminder = find_reminder(user, reminder_id)
    if reminder is None:
        return user, (DeleteReminder(message_id),)
    effects: list[Effect] = []
    if reminder.message_id is not None and reminder.message_id != message_id:
        effects.append(DeleteReminder(reminder.message_id))
    updated = replace(reminder, message_id=message_id, failures=0, outdated=False)
    if reminder.outdated:
        effects.append(EditReminder(reminder_id, message_id, reminder_reply(user, updated)))
    return put_reminder(user, updated, reminder_id), tuple(effects)


def on_send_refused(user: User, reminder_id: int, now: datetime) -> tuple[User, Effects]:
    """Telegram refused a reminder (400): the same message would be refused again, so it is not
    retried; the person is told what is due in a plain message instead, and the doses end as
    usual (taken when the person says so, missed otherwise)."""
    reminder = find_reminder(user, reminder_id)
    if reminder is None:
        return user, ()
    updated = replace(
        reminder, failures=0, repeat_at=tz.utc_iso(now + NO_REPEAT), outdated=False, refused=True
    )
    return put_reminder(user, updated, reminder_id), (SendNotice(refused_notice(user, reminder)),)


def resume_unsent(user: User, now: datetime) -> User:
    """A record just loaded: a reminder whose message was on its way when the process stopped
    (no message id, not refused, not waiting for a retry) is sent again now, as a retry.

    Telegram may have delivered it just before the stop, and its id was never recorded: then
    the chat shows it twice. A missed reminder would be worse than a second one.
    """
    resumed = [
        replace(reminder, repeat_at=tz.utc_iso(now), failures=1)
        for reminder in user.reminders
        if reminder.message_id is None and not reminder.refused and reminder.failures == 0
        and tz.from_iso(reminder.repeat_at) > now
    ]
    for reminder in resumed:
        user = put_reminder(user, reminder, reminder.id)
    return user


def on_send_failed(user: User, reminder_id: int, now: datetime) -> User:
    """A reminder message could not be sent: try again soon (1, 2, 4... minutes, at most 30).

    The retry is carried out by `due.plan` at the reminder's `repeat_at`, like a repeat; a
    person who blocked the bot is marked unreachable by the actor, and then nothing is sent.
    """
    reminder = find_reminder(user, reminder_id)
    if reminder is None:
        return user
    delay = min(RETRY_FIRST * (2 ** min(reminder.failures, 16)), RETRY_MAX)
    updated = replace(
        reminder, failures=reminder.failures + 1, repeat_at=tz.utc_iso(now + delay), outdated=False
    )
    return put_reminder(user, updated, reminder_id)


def press(user: User, data: str, now: datetime, by: tuple[int, str] | None = None) -> PressOutcome:
    """A button under a reminder was pressed at `now` (`by`: (id, name) of a relative who
    pressed it in a family group chat, recorded with the intake).

    Anything that does not name an open dose of one of this person's open reminders (forged or
    malformed data, another person's medication, a reminder already closed, a dose already
    answered) changes nothing and gets a polite answer saying so.
    """
    lang = user.lang
    parsed = decode(data)
    reminder = find_reminder(user, parsed.reminder_id) if parsed is not None else None
    if parsed is None or reminder is None:
        known = parsed is not None and 0 < parsed.reminder_id < user.next_reminder
        return PressOutcome(user, press_answer(lang, "closed" if known else "invalid"), ())
    if parsed.action == "page":
        shown = reminder_reply(user, reminder, parsed.page)
        turn = () if reminder.message_id is None else (EditReminder(reminder.id, reminder.message_id, shown),)
        return PressOutcome(user, press_answer(lang, "page", page=parsed.page), turn)
    if parsed.action == "taken" and all(dose.med_id != parsed.med_id for dose in reminder.doses):
        return PressOutcome(user, press_answer(lang, "invalid"), ())
    pending = open_doses_of(user, reminder)
    if parsed.action == "taken":
        pending = [dose for dose in pending if dose.med_id == parsed.med_id][:1]
    if not pending:
        return PressOutcome(user, press_answer(lang, "already"), ())
    if parsed.action == "snooze":
        until = now + SNOOZE
        snoozed = replace(reminder, repeat_at=tz.utc_iso(until))
        answer = press_answer(lang, "snoozed", time=tz.hhmm(tz.local_datetime(user.tz, until)))
        return PressOutcome(put_reminder(user, snoozed, reminder.id), answer, ())
    status: Status = "skipped" if parsed.action == "skip" else "taken"
    records = (intake(user, dose, status, now) for dose in pending)
    if by is not None:
        records = (replace(record, by=by[0], by_name=by[1]) for record in records)
    recorded = with_intakes(user, records)
    updated, effects = settle(user, recorded, reminder, reminder)
    if parsed.action == "taken":
        answer = press_answer(lang, "taken", name=medication_name(user, pending[0].med_id))
    else:
        answer = press_answer(lang, "skipped" if status == "skipped" else "all_taken")
    return PressOutcome(updated, answer, effects)


def reconcile(before: User, after: User) -> tuple[User, Effects]:
    """Bring open reminders in line with a command the apply rules just carried out.

    A dose whose medication was deleted or whose time was changed leaves its reminder (the
    message is deleted when nothing of it is left open, else edited); a changed dose or name
    edits the text; doses the command marked taken ("выпил ибупрофен", "done") update their
    messages exactly as a button press would.
    """
    user = after
    effects: list[Effect] = []
    newly_answered = answered(after).keys() - answered(before).keys()
    for old in after.reminders:
        kept = tuple(dose for dose in old.doses if is_scheduled(after, dose))
        answered_now = any(dose in newly_answered for dose in kept)
        user, step = settle(
            before, user, old, replace(old, doses=kept), close_by_delete=not answered_now
        )
        effects.extend(step)
    return user, tuple(effects)
