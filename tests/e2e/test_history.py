"""Months of one person's doses through the whole bot: the record stays small, the archive
holds the rest, `medbot export` still lists every day once, and /stats is unchanged."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta

from medbot.storage import read_archive, read_user
from tests.e2e.harness import Bot, utc

ANNA = 2001
DAY = timedelta(days=1)
DAYS = 120
FIRST = date(2026, 1, 1)


def missed_on(day: int) -> bool:
    return day % 4 == 3


def export_csv(data_dir: os.PathLike[str], user_id: int) -> list[dict[str, str]]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MEDBOT_", "GROQ_"))}
    done = subprocess.run(
        [sys.executable, "-m", "medbot.cli", "export", "--data-dir", str(data_dir),
         "--user", str(user_id), "--format", "csv"],
        capture_output=True, text=True, timeout=120, env=clean,
    )
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout, newline="")))


def test_four_months_of_a_daily_dose_keep_the_record_small_and_lose_no_day(
    make_bot: Callable[..., Bot],
) -> None:
    start = utc(2026, 1, 1, 5, 0)  # 08:00 in Moscow
    # One reminder a day and no repeats: the next day's dose closes an unanswered one.
    bot = make_bot(start=start, repeat_minutes=1440)
    bot.say(ANNA, "добавь аспирин в 9:00")
    for day in range(DAYS):
        bot.advance_to(start + day * DAY + timedelta(hours=1))  # 09:00 in Moscow
        if not missed_on(day):
            buttons = bot.telegram.bot_messages(ANNA)[-1].callback_data
            bot.press(ANNA, next(data for data in buttons if data.startswith("t:")))
    bot.advance_to(start + DAYS * DAY + timedelta(hours=1))  # day 120's dose ends day 119's

    record = read_user(bot.settings.data_dir, ANNA).history
    archived = read_archive(bot.settings.data_dir, ANNA)
    assert len(record) <= 70 and len(archived) >= 50
    assert {r.dose for r in record}.isdisjoint({r.dose for r in archived})
    assert sorted(r.dose.date for r in (*archived, *record)) == [
        (FIRST + n * DAY).isoformat() for n in range(DAYS)
    ]

    bot.say(ANNA, "/stats")
    stats = bot.sent(ANNA)[-1]  # the text; the chart picture follows it
    window = range(DAYS - 29, DAYS)  # 30 local days ending today, whose dose is still open
    taken = sum(not missed_on(day) for day in window)
    assert f"30 дней: {round(100 * taken / 29)}% ({taken} из 29)" in stats
    strip = "".join("❌" if missed_on(day) else "✅" for day in range(DAYS - 13, DAYS)) + "➖"
    assert f"14 дней: {strip}" in stats
    bot.stop()

    rows = export_csv(bot.settings.data_dir, ANNA)
    assert [row["date"] for row in rows] == [(FIRST + n * DAY).isoformat() for n in range(DAYS)]
    assert [row["status"] for row in rows] == [
        "missed" if missed_on(day) else "taken" for day in range(DAYS)
    ]
    assert all(row["medication"] == "аспирин" and row["time"] == "09:00" for row in rows)
