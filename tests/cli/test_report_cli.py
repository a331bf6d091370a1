"""`medbot report`: a valid PDF for a generated 30-day history; plain one-line failures."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from medbot.core import tz
from medbot.core.model import DoseRef, Intake
from medbot.storage import Change, UserStore
from tests.core.reminder_kit import med, person

ZONE = "Europe/Moscow"


def thirty_days(root: Path) -> dict[str, int]:
    """A person with 30 days of intakes, some late, skipped or missed; the figures expected."""
    today = tz.local_date(ZONE, tz.from_timestamp(time.time()))
    user = person(ZONE, med("m1", "аспирин", ("08:00", "20:00"), "100 мг"), med("m2", "конкор", ("09:00",), "5 мг"),
                  name="Людмила")
    rng = random.Random(30)
    history: list[Intake] = []
    counts = {"taken": 0, "skipped": 0, "missed": 0}
    for back in range(29, 0, -1):
        day = today - timedelta(days=back)
        for med_id, time_of, name in (("m1", "08:00", "аспирин"), ("m1", "20:00", "аспирин"), ("m2", "09:00", "конкор")):
            status = rng.choices(("taken", "skipped", "missed"), (8, 1, 1))[0]
            due = tz.to_instant(ZONE, day, time_of)
            at = tz.utc_iso(due + timedelta(minutes=rng.randint(0, 60))) if status != "missed" else None
            history.append(Intake(DoseRef(med_id, day.isoformat(), time_of), status, at, name))  # type: ignore[arg-type]
            counts[status] += 1
    with UserStore(root) as store:
        assert not store.commit({user.id: Change(replace(user, history=tuple(history)), None)}).failed
    return counts


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "medbot.cli", "report", *args], capture_output=True, text=True,
                          timeout=120)


def test_the_report_of_a_30_day_history_is_a_valid_pdf(tmp_path: Path) -> None:
    root = tmp_path / "data"
    counts = thirty_days(root)
    out = tmp_path / "report.pdf"
    done = run("--data-dir", str(root), "--user", "42", "--days", "30", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o077 == 0  # health data: the owner's only
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    share = round(counts["taken"] * 100 / sum(counts.values()))
    for expected in ("Людмила", "Аспирин 100 мг — 08:00, 20:00", "Конкор 5 мг — 09:00", f"{share}%",
                     str(counts["taken"]), str(counts["missed"])):
        assert expected in text, (expected, text)


def test_failures_are_one_plain_line(tmp_path: Path) -> None:
    root = tmp_path / "data"
    thirty_days(root)
    missing = run("--data-dir", str(root), "--user", "7", "--out", str(tmp_path / "x.pdf"))
    assert missing.returncode == 1 and "no user 7" in missing.stderr and "Traceback" not in missing.stderr
    nowhere = run("--data-dir", str(root), "--user", "42", "--out", str(tmp_path / "no" / "such" / "x.pdf"))
    assert nowhere.returncode == 1 and "cannot write" in nowhere.stderr and "Traceback" not in nowhere.stderr
    bad = run("--data-dir", str(root), "--user", "42", "--days", "0", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "between 1 and 366" in bad.stderr
