"""The UserActor's saves as persistence sees them: a real actor driven through its handles, with
the test in persistence's place, answering each save when it chooses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from actors.mailbox import Handle
from actors.messages import LoadUser, SaveUser, Stop, UserLoaded, UserSaved, Wake
from actors.user import UserActor, UserDeps
from medbot.core.model import DoseRef, Intake
from medbot.shell.settings import Settings
from tests.core.reminder_kit import local, med, person

TIMEOUT = 10.0
MOSCOW = "Europe/Moscow"


def next_of(handle: Handle, kind: type) -> Any:
    """The next message of this kind the actor sent there (others, like timers, skipped)."""
    while True:
        message = handle.mailbox.get(timeout=TIMEOUT).message
        if isinstance(message, kind):
            return message


def test_archived_intakes_ride_along_every_save_until_one_carrying_them_is_acknowledged() -> None:
    """If the save that moved them failed, a later save must not write the record without
    them: so each save carries every intake moved by saves not yet acknowledged."""
    clock = {"now": local(MOSCOW, "2025-05-01 08:30").timestamp()}
    actor, persistence = Handle("user"), Handle("persistence")
    deps = UserDeps(
        telegram=Handle("telegram"), persistence=persistence, llm=Handle("llm"),
        clock=Handle("clock"), users=actor, now=lambda: clock["now"],
        settings=Settings(history_days=40),
    )
    first_day = date(2025, 1, 1)
    user = replace(
        person(MOSCOW, med("m1", "аспирин", ("09:00",), start=first_day.isoformat())),
        history=tuple(
            Intake(DoseRef("m1", (first_day + timedelta(days=n)).isoformat(), "09:00"), "taken",
                   None, "аспирин")
            for n in range(120)  # 1 Jan .. 30 Apr
        ),
        planned_until=local(MOSCOW, "2025-04-30 23:00").isoformat(),
    )
    ref = UserActor.start(actor, None, 42, deps)
    try:
        assert isinstance(next_of(persistence, LoadUser), LoadUser)
        actor.tell(UserLoaded(42, user))
        first = next_of(persistence, SaveUser)  # the catch-up plan at start
        assert [r.dose.date for r in first.archive] == [
            (first_day + timedelta(days=n)).isoformat() for n in range(80)  # before 22 Mar
        ]
        assert first.user.history == user.history[80:]

        clock["now"] += 3600  # 09:30: the day's dose is due; the first save is not answered yet
        actor.tell(Wake(42))
        second = next_of(persistence, SaveUser)
        assert second.archive == first.archive and second.user.history == user.history[80:]

        actor.tell(UserSaved(42, first.seq))  # the archive is on disk now
        clock["now"] += 3600  # 10:30: the reminder is repeated
        actor.tell(Wake(42))
        third = next_of(persistence, SaveUser)
        assert third.archive == () and third.user.history == second.user.history
    finally:
        actor.tell(Stop())
        assert ref.actor_stopped.wait(TIMEOUT)
