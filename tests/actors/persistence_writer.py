"""Writes through a real PersistenceActor until it is killed; says what was acknowledged.

Run by tests/actors/test_persistence_kill.py:  python persistence_writer.py DATA_DIR SEED SEQ_BASE

Every line on stdout is flushed at once, so what the killer reads after SIGKILL is exactly
what the writer had said:
    ready                          the actor has opened the store
    S <user> <seq> save <wake|->   a save was sent (the record carries seq and wake in `extra`)
    S <user> <seq> erase           an erase was sent
    A <user> <seq>                 UserSaved arrived: that write is on disk
    F <user> <seq> <error>         SaveFailed arrived (never expected here)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from actors.messages import SaveFailed, SaveUser, Stop, UserSaved
from actors.persistence import PersistenceActor
from actors.runtime import Handle
from medbot.model import Medication, Slot, User

USERS = (1, 2, 3, 1025, 2049, 3073, 1001, 2001, 1024, 2048, 7, 1031, 500, 1500, 999, 2023)
"""Users sharing wake shards (1, 1025, 2049... of 1024) and directories (1, 1001, 2001...)."""
IN_FLIGHT = 8
GIVE_UP_AFTER = 120.0  # seconds; the test kills the writer long before


def record(user_id: int, seq: int, wake: float | None) -> User:
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
    PersistenceActor.start(persistence, None, data_dir, index_delay=rng.choice((0.0, 0.02, 5.0)))
    say("ready")
    in_flight = 0
    deadline = time.monotonic() + GIVE_UP_AFTER
    while time.monotonic() < deadline:
        while in_flight < IN_FLIGHT:
            seq += 1
            user_id = rng.choice(USERS)
            if rng.random() < 0.05:
                say(f"S {user_id} {seq} erase")
                persistence.tell(SaveUser(user_id, None, None, seq, replies))
            else:
                wake = None if rng.random() < 0.1 else 1.7e9 + rng.randint(0, 10**6)
                say(f"S {user_id} {seq} save {'-' if wake is None else repr(wake)}")
                persistence.tell(SaveUser(user_id, record(user_id, seq, wake), wake, seq, replies))
            in_flight += 1
        answer = replies.mailbox.get(timeout=30).message
        in_flight -= 1
        if isinstance(answer, UserSaved):
            say(f"A {answer.user_id} {answer.seq}")
        elif isinstance(answer, SaveFailed):
            say(f"F {answer.user_id} {answer.seq} {answer.error}")
    persistence.tell(Stop())
    return 0


if __name__ == "__main__":
    sys.exit(main())
