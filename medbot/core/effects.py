"""What the reminder domain asks the actor to do on Telegram, as plain values.

The pure functions in `medbot.core.due` and `medbot.core.reminders` never talk to Telegram: they return a
new `User` and a tuple of these, in the order they must be carried out. The actor persists the
new state first, then performs them, so a crash can never make a dose be reminded twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from medbot.core.view import Reply


@dataclass(frozen=True)
class SendReminder:
    """Send a new reminder message; report its id back through `reminders.on_sent` (or
    `reminders.on_send_failed`) with this `reminder_id`."""

    reminder_id: int
    reply: Reply


@dataclass(frozen=True)
class EditReminder:
    """Rewrite a reminder message in place (an edit does not notify the phone)."""

    reminder_id: int
    message_id: int
    reply: Reply


@dataclass(frozen=True)
class DeleteReminder:
    """Remove a reminder message from the chat (superseded by a repeat or nothing left)."""

    message_id: int


@dataclass(frozen=True)
class SendNotice:
    """Tell the person something the schedule itself decided ("the course has ended")."""

    reply: Reply


Effect = SendReminder | EditReminder | DeleteReminder | SendNotice
Effects = tuple[Effect, ...]
