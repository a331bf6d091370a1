"""Durable updates per second: our store through the PersistenceActor vs TinyDB's default.

    python -m bench.storage_bench [--users 10000] [--seconds 3] [--writers 1 10 100]

Both sides hold the same users (~2.6 KB each, like real schedules with a month of history).
Ours: 1, 10 and 100 concurrent writers, each waiting for `UserSaved` (on disk) before its
next save; group commit batches whatever arrives together. Each save also moves the user's
wake-up, once to random instants, once always later. Baseline, measured in the same run:
one TinyDB file with TinyDB's `JSONStorage` (it rewrites the whole file and fsyncs it, in
place), a few updates only because each costs a rewrite of every user.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from actors.clock import start_timers
from actors.mailbox import Handle
from actors.messages import ChildStopped, SaveUser, StatusRequest, Stop, UserSaved
from actors.persistence import PersistenceActor
from medbot.core.model import DoseRef, Intake, Medication, Slot, User, user_to_json
from medbot.storage import Change, UserStore

WAKE_BASE = 1_750_000_000.0


def sample_user(user_id: int) -> User:
    names = ("аспирин", "метформин", "витамин D3")
    meds = tuple(
        Medication(
            id=f"m{n + 1}",
            name=name,
            key=name,
            dosage="1 таблетка",
            slots=(Slot(time="08:00", start="2025-01-01"), Slot(time="20:00", start="2025-01-01")),
        )
        for n, name in enumerate(names)
    )
    history = tuple(
        Intake(
            dose=DoseRef(med_id=f"m{day % 3 + 1}", date=f"2025-01-{day:02d}", time="08:00"),
            status="taken",
            at=f"2025-01-{day:02d}T05:0{day % 10}:00+00:00",
            name=names[day % 3],
            dosage="1 таблетка",
        )
        for day in range(1, 14)
    )
    return User(id=user_id, lang="ru", tz="Europe/Moscow", medications=meds, history=history)


def prefill(root: Path, users: int) -> float:
    """Write `users` users through the store in big commits; returns the mean record size."""
    with UserStore(root) as store:
        for start in range(1, users + 1, 1000):
            ids = range(start, min(start + 1000, users + 1))
            store.commit({uid: Change(sample_user(uid), WAKE_BASE + uid) for uid in ids})
        return store.bytes_written / max(1, store.files_written)


def measure_actor(
    root: Path, users: int, writers: int, seconds: float, later: bool
) -> tuple[float, float]:
    """Acknowledged durable updates per second with `writers` concurrent writers; mean batch.

    `later`: every save moves the user's wake later (the common case: a reminder went out,
    a dose was taken), else to a random instant (half of them earlier: the index must be
    lowered on disk before the user's file is written)."""
    persistence, parent = Handle("persistence"), Handle("bench")
    PersistenceActor.start(persistence, parent, root, timers=start_timers())
    done = [0] * writers
    stop_at = time.monotonic() + seconds
    start_line = threading.Barrier(writers + 1)

    def writer(index: int) -> None:
        rng = random.Random(index)
        replies = Handle(f"writer-{index}")
        start_line.wait()
        seq = 0
        while time.monotonic() < stop_at:
            seq += 1
            user_id = rng.randint(1, users)
            user = replace(sample_user(user_id), next_med=seq)
            wake = WAKE_BASE + (10**6 + time.monotonic() if later else rng.randint(0, 86_400))
            persistence.tell(SaveUser(user_id, user, wake, seq, replies))
            answer = replies.mailbox.get(timeout=60).message
            assert isinstance(answer, UserSaved), answer
            done[index] += 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    fields = persistence.ask(StatusRequest(Handle("status")), timeout=60).fields
    persistence.tell(Stop())
    assert isinstance(parent.mailbox.get(timeout=60).message, ChildStopped)
    return sum(done) / elapsed, fields["saves"] / max(1, fields["batches"])


def measure_tinydb_default(root: Path, users: int, updates: int) -> float:
    """Durable updates per second with TinyDB's JSONStorage on one file holding every user."""
    path = root / "all-users.json"
    with TinyDB(path, storage=JSONStorage) as db:
        everyone = (user_to_json(sample_user(uid)) for uid in range(1, users + 1))
        db.table("users").insert_multiple(everyone)
    rng = random.Random(0)
    with TinyDB(path, storage=JSONStorage) as db:
        table = db.table("users")
        began = time.monotonic()
        for seq in range(updates):
            uid = rng.randint(1, users)
            table.update(user_to_json(replace(sample_user(uid), next_med=seq)), doc_ids=[uid])
        return updates / (time.monotonic() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--baseline-updates", type=int, default=3)
    parser.add_argument(
        "--dir", type=Path, default=Path.cwd(), help="where to put the stores (not a tmpfs)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="medbot-bench-", dir=args.dir) as tmp:
        root = Path(tmp) / "data"
        began = time.monotonic()
        size = prefill(root, args.users)
        print(f"store: {args.users} users, ~{size:,.0f} bytes each, prefilled in "
              f"{time.monotonic() - began:.1f} s")
        began = time.monotonic()
        baseline = measure_tinydb_default(Path(tmp), args.users, args.baseline_updates)
        print(f"baseline  TinyDB JSONStorage, one file: {baseline:10.2f} updates/s "
              f"({1 / baseline:.2f} s each; {args.baseline_updates} updates, "
              f"{time.monotonic() - began:.1f} s with the fill)")
        for later in (False, True):
            wakes = "wake later " if later else "wake random"
            for writers in args.writers:
                rate, batch = measure_actor(root, args.users, writers, args.seconds, later)
                print(f"ours      {writers:3d} writer(s), {wakes}: {rate:10.0f} updates/s "
                      f"(mean batch {batch:5.1f})  x{rate / baseline:,.0f} the baseline")


if __name__ == "__main__":
    main()
