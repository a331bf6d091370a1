"""`medbot agenda` over what `medbot chat` stored: the public commands only, as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo


def medbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("MEDBOT_", "GROQ_"))}
    return subprocess.run(
        [sys.executable, "-m", "medbot.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=clean,
    )


def test_a_dose_added_in_chat_is_on_the_agenda(tmp_path: Path) -> None:
    data = tmp_path / "data"
    chat = medbot(
        "chat", "--json", "--data-dir", str(data), "--user", "5", "--tz", "Europe/Moscow",
        stdin="добавь аспирин 100 мг в 23:59\nдобавь витамин D 1000 МЕ в 8:00\n",
    )
    assert chat.returncode == 0, chat.stderr
    replies = [json.loads(line)["text"] for line in chat.stdout.splitlines() if line.strip()]
    assert any("аспирин 100 мг" in text for text in replies), replies

    done = medbot("agenda", "--data-dir", str(data), "--user", "5", "--json")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    aspirin = [row for row in rows if row["name"] == "аспирин"]
    vitamin = [row for row in rows if row["name"] == "витамин D"]
    assert len(aspirin) + len(vitamin) == len(rows)
    assert all((row["time"], row["dosage"]) == ("23:59", "100 мг") for row in aspirin)
    assert all((row["time"], row["dosage"]) == ("08:00", "1000 МЕ") for row in vitamin)
    # 23:59 is never behind the current minute: each of the seven days has its dose (six when
    # the chat added it during Moscow's last minute of a day, so that it starts tomorrow).
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()
    days = [date.fromisoformat(row["date"]) for row in aspirin]
    assert len(days) in (6, 7) and days[-1] == today + timedelta(days=6)
    assert days == [days[0] + timedelta(days=n) for n in range(len(days))]
    assert len(vitamin) in (6, 7)
    assert [(row["date"], row["time"]) for row in rows] == sorted((row["date"], row["time"]) for row in rows)

    text = medbot("agenda", "--data-dir", str(data), "--user", "5", "--days", "1")
    assert text.returncode == 0, text.stderr
    as_text = {f"{row['date']} {row['time']} {row['name']} {row['dosage']}" for row in rows}
    lines = text.stdout.splitlines()
    assert set(lines) <= as_text and len({line[:10] for line in lines}) <= 1
    assert lines or datetime.now(ZoneInfo("Europe/Moscow")).strftime("%H:%M") >= "23:58"
