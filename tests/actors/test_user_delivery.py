"""The UserActor's side of "nothing acknowledged is lost": replies ride in the outbox of the
save they confirm, an update the record already reflects is not applied twice, and each update
is reported handled to the inbox only once its change is on disk. A real actor driven through
its handles, with the test in persistence's and Telegram's place."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from actors.mailbox import Handle
from actors.messages import (
    AnswerCallback,
    InboundCallback,
    InboundText,
    LoadUser,
    SaveUser,
    SendMessage,
    Sent,
    Stop,
    UpdatesHandled,
    UserLoaded,
    UserSaved,
)
from actors.user import UserActor, UserDeps
from medbot.core.model import User
from medbot.core.outbox import OUTBOX_TAG
from medbot.shell.settings import Settings
from tests.core.reminder_kit import local, med, person

TIMEOUT = 10.0
MOSCOW = "Europe/Moscow"
UID = 42


def next_of(handle: Handle, kind: type) -> Any:
    while True:
        message = handle.mailbox.get(timeout=TIMEOUT).message
        if isinstance(message, kind):
            return message


def nothing_of(handle: Handle, kind: type, wait: float = 0.3) -> bool:
    """No message of this kind arrives within `wait` (what a stray one would take at most)."""
    import queue

    try:
        while True:
            if isinstance(handle.mailbox.get(timeout=wait).message, kind):
                return False
    except queue.Empty:
        return True


@dataclass
class Rig:
    actor: Handle
    persistence: Handle
    telegram: Handle
    clock: dict[str, float]
    users: Handle = field(default_factory=lambda: Handle("users"))
    """The supervisor's place: what the actor tells it (UserIdle) waits here."""
    ref: Any = None

    def start(self, user: User | None, boot: str = "run-1") -> None:
        deps = UserDeps(
            telegram=self.telegram, persistence=self.persistence, llm=Handle("llm"), clock=Handle("clock"),
            users=self.users, now=lambda: self.clock["now"], settings=Settings(), boot=boot,
        )
        self.ref = UserActor.start(self.actor, None, UID, deps)
        assert isinstance(next_of(self.persistence, LoadUser), LoadUser)
        self.actor.tell(UserLoaded(UID, user))

    def stop(self) -> None:
        if self.ref is not None:
            self.actor.tell(Stop())
            assert self.ref.actor_stopped.wait(TIMEOUT)
            self.ref = None

    def text(self, text: str, update_id: int) -> None:
        self.actor.tell(InboundText(UID, UID, text, update_id=update_id))


@pytest.fixture
def rig() -> Iterator[Rig]:
    made = Rig(Handle("user"), Handle("persistence"), Handle("telegram"),
               {"now": local(MOSCOW, "2026-03-01 08:30").timestamp()})
    yield made
    made.stop()


def started(rig: Rig) -> User:
    """A person with nothing yet, loaded; returns the record."""
    user = person(MOSCOW, planned_until="2026-03-01T05:00:00+00:00")
    rig.start(user)
    return user


def test_a_change_saves_its_reply_in_the_outbox_and_is_reported_handled_once_on_disk(rig: Rig) -> None:
    started(rig)
    rig.text("добавь аспирин в 10:00", update_id=700)
    save = next_of(rig.persistence, SaveUser)
    [owed] = save.user.outbox
    assert owed.text.startswith("Добавлено") and "u700" in save.user.extra["seen"]
    assert save.next_wake is not None and save.next_wake <= rig.clock["now"]  # woken at once after a crash
    assert nothing_of(rig.telegram, SendMessage)  # not before the save is on disk
    rig.actor.tell(UserSaved(UID, save.seq, save.then))
    reply = next_of(rig.telegram, SendMessage)
    assert reply.text == owed.text and reply.tag == (OUTBOX_TAG, owed.id)
    assert next_of(rig.persistence, UpdatesHandled).update_ids == (700,)
    # Telegram delivered it: struck off in a save no reply waits for.
    rig.actor.tell(Sent(UID, reply.tag, 9001))
    quiet = next_of(rig.persistence, SaveUser)
    assert quiet.user.outbox == () and len(quiet.user.medications) == 1
    rig.text("что я принимаю?", update_id=701)  # read-only: answered before that save is acknowledged
    answer = next_of(rig.telegram, SendMessage)
    assert "аспирин" in answer.text.lower() and answer.tag is None
    assert next_of(rig.persistence, UpdatesHandled).update_ids == (701,)


def test_after_a_crash_the_owed_reply_is_sent_once_and_the_redelivered_update_not_applied(rig: Rig) -> None:
    started(rig)
    rig.text("добавь аспирин в 10:00", update_id=700)
    save = next_of(rig.persistence, SaveUser)
    rig.stop()  # the process died after the write, before the send

    rig.start(save.user, boot="run-2")  # the next run loads what is on disk ...
    resent = next_of(rig.telegram, SendMessage)
    assert resent.text.startswith("Добавлено") and resent.tag == (OUTBOX_TAG, save.user.outbox[0].id)
    rig.text("добавь аспирин в 10:00", update_id=700)  # ... and the inbox hands the update out again
    assert next_of(rig.persistence, UpdatesHandled).update_ids == (700,)
    assert nothing_of(rig.telegram, SendMessage)  # no "already there", no second confirmation
    rig.text("добавь аспирин в 10:00", update_id=702)  # the person really writing it again is answered
    answer = next_of(rig.telegram, SendMessage)
    assert answer.tag is None and not answer.text.startswith("Добавлено")  # "already there"


def test_the_same_press_in_another_update_is_answered_without_being_applied(rig: Rig) -> None:
    rig.start(person(MOSCOW, med("m1", "аспирин", ("08:00",), start="2026-03-01"),
                     planned_until="2026-03-01T04:00:00+00:00"))
    planned = next_of(rig.persistence, SaveUser)  # 08:00 is due: the reminder goes out once saved
    rig.actor.tell(UserSaved(UID, planned.seq, planned.then))
    reminder = next_of(rig.telegram, SendMessage)
    rig.actor.tell(Sent(UID, reminder.tag, 5001))
    taken = next(button.data for row in reminder.buttons for button in row if button.data.startswith("t"))
    rig.actor.tell(InboundCallback(UID, UID, "cb-1", taken, 5001, update_id=800))
    save = next_of(rig.persistence, SaveUser)
    while not save.user.history:
        save = next_of(rig.persistence, SaveUser)
    assert {"u800", "ccb-1"} <= set(save.user.extra["seen"])
    rig.actor.tell(UserSaved(UID, save.seq, save.then))
    assert next_of(rig.persistence, UpdatesHandled).update_ids == (800,)
    assert next_of(rig.telegram, AnswerCallback).text.startswith("Отмечено")
    rig.actor.tell(InboundCallback(UID, UID, "cb-1", taken, 5001, update_id=801))
    assert next_of(rig.telegram, AnswerCallback) == AnswerCallback("cb-1")
    assert next_of(rig.persistence, UpdatesHandled).update_ids == (801,)
    assert nothing_of(rig.persistence, SaveUser)


def test_within_one_run_a_reload_sends_nothing_again_and_sends_in_flight_hold_no_slot(rig: Rig) -> None:
    """Passivated while its confirmation waits for Telegram: the actor is idle (its slot can go
    to someone else); started again in the same run, it sends nothing twice, and when Telegram's
    answer comes it strikes the entry off."""
    from actors.messages import IdleCheck, UserIdle

    started(rig)
    rig.text("добавь аспирин в 10:00", update_id=700)
    save = next_of(rig.persistence, SaveUser)
    rig.actor.tell(UserSaved(UID, save.seq, save.then))
    reply = next_of(rig.telegram, SendMessage)
    rig.actor.tell(IdleCheck(UID, -1))  # the supervisor needs the slot
    assert next_of(rig.users, UserIdle).user_id == UID  # not held back by the send on its way
    rig.stop()

    rig.start(save.user)  # same run: Telegram's answer for the reply starts it again
    rig.actor.tell(Sent(UID, reply.tag, 9001))
    settled = next_of(rig.persistence, SaveUser)
    assert settled.user.outbox == ()
    assert nothing_of(rig.telegram, SendMessage)


def test_a_save_acknowledged_before_an_earlier_one_lets_the_replies_held_behind_that_go_first(rig: Rig) -> None:
    """Persistence writes a person's urgent save ahead of an earlier one in its queue, and the
    later state holds the earlier: a reply held behind the earlier save goes before the later
    save's own reply, in the order the person asked."""
    started(rig)
    rig.text("добавь аспирин в 10:00", update_id=710)
    first = next_of(rig.persistence, SaveUser)
    rig.text("что я принимаю?", update_id=711)  # held behind the first save
    rig.text("добавь конкор в 20:00", update_id=712)
    second = next_of(rig.persistence, SaveUser)
    assert nothing_of(rig.telegram, SendMessage)
    rig.actor.tell(UserSaved(UID, second.seq, second.then))
    listed, added = next_of(rig.telegram, SendMessage).text, next_of(rig.telegram, SendMessage).text
    assert "аспирин" in listed.lower() and "конкор" not in listed.lower()  # the list as it was asked
    assert "конкор" in added.lower()
    rig.actor.tell(UserSaved(UID, first.seq, first.then))
    assert next_of(rig.telegram, SendMessage).text == first.user.outbox[0].text
