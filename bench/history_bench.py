"""A person's record after a year of three doses a day: with the history archive and without.

    python -m bench.history_bench [--days 365] [--saves 200]

Baseline, measured in the same run: the record holding the whole year of intakes, as it did
before old intakes moved to the archive. Figures: record bytes, durable saves per second
through `UserStore.commit` (what the PersistenceActor does several times per dose), and loads
per second (parse and validate). Ours: the record right after `split_history` with the default
62 days (the most it holds is 62 + 7 days, just before the weekly move), and the archive.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from medbot.core.history import HYSTERESIS, split_history
from medbot.core.model import DoseRef, Intake, Medication, Slot, User
from medbot.shell.settings import Settings
from medbot.storage import Change, UserStore, read_archive, read_user

TIMES = ("08:00", "14:00", "20:00")
NAMES = ("аспирин", "метформин", "витамин D3")


def year_user(days: int, first: date) -> User:
    meds = tuple(
        Medication(f"m{n + 1}", name, name, "1 таблетка", (Slot(time_, first.isoformat()),))
        for n, (name, time_) in enumerate(zip(NAMES, TIMES, strict=True))
    )
    history = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for n, time_ in enumerate(TIMES):
            dose = DoseRef(f"m{n + 1}", day.isoformat(), time_)
            if (offset + n) % 10 == 0:
                history.append(Intake(dose, "missed", None, NAMES[n], "1 таблетка"))
            else:
                at = f"{day.isoformat()}T{int(time_[:2]) - 3:02d}:0{n}:00+00:00"
                history.append(Intake(dose, "taken", at, NAMES[n], "1 таблетка"))
    return User(id=4242, lang="ru", tz="Europe/Moscow", medications=meds, history=tuple(history))


def measure(user: User, archive: tuple[Intake, ...], saves: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with UserStore(root) as store:
            store.commit({user.id: Change(user, None, archive)})
            size = store.path_of(user.id).stat().st_size
            archived = store.archive_path_of(user.id)
            archive_size = archived.stat().st_size if archived.exists() else 0
            began = time.perf_counter()
            for n in range(saves):
                store.commit({user.id: Change(user, 1.8e9 + n, ())})
            save_rate = saves / (time.perf_counter() - began)
        began = time.perf_counter()
        for _ in range(saves):
            read_user(root, user.id)
        load_rate = saves / (time.perf_counter() - began)
        assert len(read_archive(root, user.id)) == len(archive)
    return {"record": size, "archive": archive_size, "saves/s": save_rate, "loads/s": load_rate}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args(argv)
    first = date(2025, 1, 1)
    full = year_user(args.days, first)
    now = datetime.combine(first + timedelta(days=args.days), datetime.min.time(), timezone.utc)
    keep = Settings().history_days
    kept, moved = split_history(full, now, keep)
    before = measure(full, (), args.saves)
    after = measure(kept, moved, args.saves)
    most, _ = split_history(full, now - HYSTERESIS + timedelta(hours=12), keep)
    print(f"{args.days} days x 3 doses: {len(full.history)} intakes")
    print(f"  whole history in the record: {before['record'] / 1024:7.1f} KB, "
          f"{before['saves/s']:6.0f} durable saves/s, {before['loads/s']:6.0f} loads/s")
    print(f"  last {keep} days in the record: {after['record'] / 1024:7.1f} KB "
          f"({len(kept.history)} intakes; at most {len(most.history)} before a weekly move), "
          f"{after['saves/s']:6.0f} durable saves/s, {after['loads/s']:6.0f} loads/s; "
          f"archive {after['archive'] / 1024:.1f} KB")
    print(f"  ratio: record {before['record'] / after['record']:.1f}x smaller, "
          f"saves {after['saves/s'] / before['saves/s']:.1f}x, "
          f"loads {after['loads/s'] / before['loads/s']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
