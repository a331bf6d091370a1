"""Reminder fan-out through the real actor system, against the seed's once-a-minute scan.

N people each have a dose at the same minute. The bench starts medbot on a virtual clock (the
terminal front end stands in for Telegram, writing to /dev/null, so Telegram's real-time send
limits do not hide our own cost), moves the clock to that minute and measures how long it takes
until every reminder is sent and its state written. The baseline, measured in the same run, is
what the seed's bot does every minute: read every user's file and decide who is due.

    python -m bench.reminder_bench [--users 2000]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from actors.clock import VirtualTime
from medbot.app import App, Frontend
from medbot.core.due import next_wake
from medbot.core.model import Medication, Slot, new_user
from medbot.core.tz import to_instant
from medbot.shell.settings import Settings
from medbot.storage import Change, UserStore, read_user

ZONE = "Europe/Moscow"
DAY = date(2026, 11, 26)
DUE = to_instant(ZONE, DAY, "09:00")


def prefill(
    root: Path, users: int, *, zone: str = ZONE, at: str = "09:00", day: date = DAY,
    before: datetime = datetime(2026, 11, 26, 5, 0, tzinfo=timezone.utc),
) -> None:
    """`users` people, each with one dose a day at `at` (local) from `day`, planned up to `before`."""
    with UserStore(root) as store:
        batch = {}
        for uid in range(1, users + 1):
            med = Medication("m1", "аспирин", "аспирин", "100 мг", (Slot(at, day.isoformat()),))
            user = new_user(uid, "ru", zone).with_medications((med,))
            wake = next_wake(user, before, timedelta(minutes=60))
            batch[uid] = Change(user, wake.timestamp() if wake else None)
            if len(batch) == 500:
                store.commit(batch)
                batch = {}
        if batch:
            store.commit(batch)


def scan_baseline(root: Path, users: int, rounds: int = 3) -> float:
    """The seed's minute: load every user's file and check whether a dose is due."""
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        due = 0
        for uid in range(1, users + 1):
            user = read_user(root, uid)
            if user and any("09:00" in med.times for med in user.medications):
                due += 1
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def fan_out(root: Path, users: int) -> dict[str, float]:
    clock = VirtualTime(DUE.timestamp() - 60)
    settings = Settings(data_dir=root, max_live_users=1000)
    with open(os.devnull, "w") as sink:
        app = App(settings, Frontend("terminal", out=sink, user_id=0), time_source=clock)
        started = time.perf_counter()
        app.start()
        assert app.wait_ready(60)
        app.activity.wait_idle(120)
        startup = time.perf_counter() - started
        live_at_start = app.users_state.stats.started
        threads_before = threading.active_count()
        peak_threads = threads_before
        started = time.perf_counter()
        clock.set(DUE.timestamp())
        while not app.activity.wait_idle(0.05):
            peak_threads = max(peak_threads, threading.active_count())
        fan_out_seconds = time.perf_counter() - started
        sent = app.status()["telegram"]["sent"]
        peak_live = app.users_state.stats.peak_live
        app.stop()
    return {
        "startup": startup,
        "live_at_start": live_at_start,
        "fan_out": fan_out_seconds,
        "sent": sent,
        "peak_threads": peak_threads,
        "peak_live": peak_live,
    }


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--users", type=int, default=2000)
    options.add_argument("--dir", default=None, help="where to put the temporary store")
    args = options.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="medbot-reminder-bench-", dir=args.dir))
    try:
        data = root / "data"
        started = time.perf_counter()
        prefill(data, args.users)
        print(f"prefilled {args.users} users in {time.perf_counter() - started:.1f} s")
        baseline = scan_baseline(data, args.users)
        result = fan_out(data, args.users)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"start-up (wake index armed, actors started): {result['startup']:.2f} s, "
              f"user actors started at start-up: {result['live_at_start']:.0f}")
        print(f"baseline, one minute of the seed's scan (read {args.users} files): {baseline:.2f} s")
        print("a quiet minute here: 0 files read (the wake index says nobody is due)")
        print(f"a busy minute here: {result['sent']:.0f} reminders sent and saved in "
              f"{result['fan_out']:.2f} s = {result['sent'] / result['fan_out']:.0f} reminders/s "
              f"(ratio to one baseline scan: {result['fan_out'] / baseline:.2f})")
        print(f"peak live user actors: {result['peak_live']:.0f} (cap 1000), "
              f"peak threads: {result['peak_threads']:.0f}, max RSS: {rss_mb:.0f} MB")
        if result["sent"] != args.users:
            print(f"WARNING: expected {args.users} reminders, saw {result['sent']:.0f}")
            return 1
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
