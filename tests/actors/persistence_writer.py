"""Writes through a real PersistenceActor until it is killed; says what was acknowledged.

Run by tests/actors/test_persistence_kill.py:  python persistence_writer.py DATA_DIR SEED SEQ_BASE

Every line on stdout is flushed at once, so what the killer reads after SIGKILL is exactly
what the writer had said:
    ready                          the actor has opened the store and loaded every user
    S <user> <seq> save <wake|->   a save was sent (the record carries seq and wake in `extra`)
    S <user> <seq> erase           an erase was sent
    A <user> <seq>                 UserSaved arrived: that write is on disk
    F <user> <seq> <error>         SaveFailed arrived (never expected here)

Like a UserActor, the writer starts from what is on disk (it loads every user) and each save
adds one intake to the person's history, `intake_for(seq)`, so the killer knows which intakes
an acknowledged save made durable. Now and then a save moves the oldest intakes out of the
record into `archive=`, carrying again those moved by its saves not yet acknowledged.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from actors.clock import start_timers
from actors.mailbox import Handle
from actors.messages import LoadUser, SaveFailed, SaveUser, Stop, UserLoaded, UserSaved
from actors.persistence import PersistenceActor
from medbot.core.model import DoseRef, Intake, Medication, Slot, User

USERS = (1, 2, 3, 1025, 2049, 3073, 1001, 2001, 1024, 2048, 7, 1031, 500, 1500, 999, 2023)
"""Users sharing wake shards (1, 1025, 2049... of 1024) and directories (1, 1001, 2001...)."""
IN_FLIGHT = 8
GIVE_UP_AFTER = 120.0  # seconds; the test kills the writer long before
EPOCH = date(2000, 1, 1)


def intake_for(seq: int) -> Intake:
    """The intake the save number `seq` adds: its dose (date, minute) spells the number."""
    day, minute = divmod(seq, 1440)
    when = (EPOCH + timedelta(days=day)).isoformat(), f"{minute // 60:02d}:{minute % 60:02d}"
    dose = DoseRef("m1", *when)
    return Intake(dose, "taken", None, "метформин", f"{seq % 1000} мг")


def seq_of(intake: Intake) -> int:
    hours, minutes = intake.dose.time.split(":")
    days = (date.fromisoformat(intake.dose.date) - EPOCH).days
    return days * 1440 + int(hours) * 60 + int(minutes)


def record(user_id: int, seq: int, wake: float | None, history: list[Intake]) -> User:
    med = Medication(
        id="m1",
        name="метформин",
        key="метформин",
        dosage=f"{seq % 1000} мг",
        slots=(Slot(time="08:00", start="2025-01-01"), Slot(time="20:00", start="2025-01-01")),
    )
    return User(
        id=user_id,
        lang="ru",
        tz="Europe/Berlin",
        medications=(med,),
        history=tuple(history),
        next_med=2,
        extra={"seq": seq, "wake": wake},
    )


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    data_dir, seed, seq = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    persistence, replies = Handle("persistence"), Handle("writer")
    # Exact wake entries written at once, soon, or only at stop: kills land in every phase.
    PersistenceActor.start(persistence, None, data_dir, index_delay=rng.choice((0.0, 0.02, 5.0)),
                           timers=start_timers())
    history: dict[int, list[Intake]] = {}
    unarchived: dict[int, list[tuple[int, tuple[Intake, ...]]]] = {uid: [] for uid in USERS}
    for user_id in USERS:
        persistence.tell(LoadUser(user_id, replies))
        loaded = replies.mailbox.get(timeout=30).message
        assert isinstance(loaded, UserLoaded) and loaded.failed is None, loaded
        history[user_id] = list(loaded.user.history) if loaded.user is not None else []
    say("ready")
    in_flight = 0
    deadline = time.monotonic() + GIVE_UP_AFTER
    while time.monotonic() < deadline:
        while in_flight < IN_FLIGHT:
            seq += 1
            user_id = rng.choice(USERS)
            if rng.random() < 0.05:
                history[user_id], unarchived[user_id] = [], []
                say(f"S {user_id} {seq} erase")
                persistence.tell(SaveUser(user_id, None, None, seq, replies))
            else:
                wake = None if rng.random() < 0.1 else 1.7e9 + rng.randint(0, 10**6)
                kept = [*history[user_id], intake_for(seq)]
                if len(kept) > 6 and rng.random() < 0.3:
                    cut = rng.randint(1, len(kept) - 2)
                    unarchived[user_id].append((seq, tuple(kept[:cut])))
                    kept = kept[cut:]
                history[user_id] = kept
                archive = tuple(item for _, moved in unarchived[user_id] for item in moved)
                say(f"S {user_id} {seq} save {'-' if wake is None else repr(wake)}")
                persistence.tell(SaveUser(
                    user_id, record(user_id, seq, wake, kept), wake, seq, replies, archive=archive
                ))
            in_flight += 1
        answer = replies.mailbox.get(timeout=30).message
        in_flight -= 1
        if isinstance(answer, UserSaved):
            say(f"A {answer.user_id} {answer.seq}")
            pending = unarchived[answer.user_id]
            unarchived[answer.user_id] = [entry for entry in pending if entry[0] > answer.seq]
        elif isinstance(answer, SaveFailed):
            say(f"F {answer.user_id} {answer.seq} {answer.error}")
    persistence.tell(Stop())
    return 0


if __name__ == "__main__":
    sys.exit(main())
