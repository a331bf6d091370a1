"""The command-line contracts (DESIGN.md): `medbot chat`, `medbot export` and `medbot agenda`,
as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest


def medbot(*args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 120):
    """Run `medbot ARGS` in a fresh process, offline (no token, no key in the environment)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("MEDBOT_", "GROQ_"))}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "medbot.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=timeout, env=clean,
    )


def chat_json(data_dir: Path, lines: list[str], *extra: str) -> list[dict]:
    done = medbot(
        "chat", "--json", "--data-dir", str(data_dir), "--user", "42", *extra,
        stdin="".join(line + "\n" for line in lines),
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_chat_json_answers_a_scripted_conversation(tmp_path: Path) -> None:
    data = tmp_path / "data"
    replies = chat_json(data, [
        "добавь аспирин 200 мг в 10:00 и 18:00",
        "что я принимаю?",
        "перенеси аспирин на 11",
        "/press c:1:1",
        "измени дозу аспирина на 100 мг",
    ], "--tz", "Asia/Tokyo")
    for reply in replies:
        assert set(reply) >= {"text", "buttons"}
        assert all(set(button) == {"text", "data"} for button in reply["buttons"])
    texts = [reply["text"] for reply in replies]
    assert "Asia/Tokyo" in texts[0]  # the welcome names the assumed zone
    assert texts[1].startswith("Добавлено: аспирин 200 мг")
    assert "10:00" in texts[2] and "18:00" in texts[2]
    assert [button["data"] for button in replies[3]["buttons"]] == ["c:1:0", "c:1:1"]
    assert "11:00" in texts[4] and "18:00" not in texts[4].split("Теперь")[-1]
    assert "100 мг" in texts[5]

    exported = medbot("export", "--data-dir", str(data), "--user", "42", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    exported_json = json.loads(exported.stdout)
    [aspirin] = exported_json["medications"]
    assert exported_json == {
        "user_id": 42,
        "timezone": "Asia/Tokyo",
        "medications": [
            {
                "name": "аспирин",
                "dosage": "100 мг",
                "times": ["10:00", "11:00"],
                "regimen": {
                    "kind": "daily", "until": None, "steps": [], "pauses": [], "rrule": ["FREQ=DAILY"],
                },
                "as_needed": False,
                "stock": None,
            }
        ],
    }
    assert aspirin["regimen"]["kind"] == "daily"


def test_chat_keeps_data_between_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    chat_json(data, ["add ibuprofen 400 mg at 9 pm"], "--lang", "en")
    replies = chat_json(data, ["what do I take?"], "--lang", "en")
    assert "ibuprofen 400 mg" in replies[-1]["text"].lower()


def test_chat_without_json_prints_plain_text_and_buttons(tmp_path: Path) -> None:
    done = medbot("chat", "--data-dir", str(tmp_path / "d"), stdin="удали лекарство\n/help\n")
    assert done.returncode == 0
    assert "/help" in done.stdout or "Пример" in done.stdout or "пример" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("text", ["", "\x00\x01\x02", "🙂" * 500, "x" * 10000, "/press", "/press nope"])
def test_chat_survives_hostile_input(tmp_path: Path, text: str) -> None:
    done = medbot("chat", "--json", "--data-dir", str(tmp_path / "d"), stdin=text + "\nчто я принимаю\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines and "расписани" in lines[-1]["text"].lower()


def test_export_csv_and_ics(tmp_path: Path) -> None:
    data = tmp_path / "data"
    chat_json(data, ["добавь витамин D 1000 МЕ в 9:00"])
    csv_out = medbot("export", "--data-dir", str(data), "--user", "42", "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout.splitlines()[0].count(",") >= 4
    ics = subprocess.run(
        [sys.executable, "-m", "medbot.cli", "export", "--data-dir", str(data), "--user", "42",
         "--format", "ics"], capture_output=True, timeout=60,
    )
    assert ics.returncode == 0
    body = ics.stdout.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "RRULE:FREQ=DAILY" in body
    assert "витамин D" in body and "\n" not in body.replace("\r\n", "")


def test_export_csv_of_a_damaged_archive_fails_in_one_line_rather_than_leave_a_gap(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    chat_json(data, ["добавь витамин D 1000 МЕ в 9:00"])
    archive = data / "archive" / "042" / "42.jsonl"
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"{broken\n")
    done = medbot("export", "--data-dir", str(data), "--user", "42", "--format", "csv")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0
    assert "archived history of user 42" in done.stderr and "line 1" in done.stderr
    archive.write_bytes(b"{broken")  # only an append interrupted by a kill: nothing lost
    done = medbot("export", "--data-dir", str(data), "--user", "42", "--format", "csv")
    assert done.returncode == 0, done.stderr


def test_export_of_an_unknown_user_says_so_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    chat_json(data, ["привет"])
    done = medbot("export", "--data-dir", str(data), "--user", "7")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "no user 7" in done.stderr


# --- medbot agenda ---------------------------------------------------------------------------

AGENDA_ZONE = "Asia/Tokyo"
WRITTEN_FOR: dict[Path, date] = {}


def write_agenda_user(data_dir: Path, today: date) -> None:
    """A person with doses today and later, and medications that must not appear."""
    from medbot.core.model import DoseStep, Medication, Pause, Regimen, Slot, User
    from medbot.storage import Change, UserStore

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    def med(med_id: str, name: str, dosage: str | None, times: tuple[str, ...], **fields: object) -> Medication:
        slots = tuple(Slot(time, day(-1)) for time in times)
        return Medication(id=med_id, name=name, key=name.lower(), dosage=dosage, slots=slots, **fields)

    meds = (
        med("m1", "аспирин", "100 мг", ("00:00", "23:59"), steps=(DoseStep(day(1), "50 мг"),)),
        med("m2", "витамин D", None, ("23:59",)),
        med("m3", "нурофен", "400 мг", (), regimen=Regimen("as_needed", max_per_day=3)),
        med("m4", "ярина", None, ("12:00",), pauses=(Pause(day(-1), day(10)),)),
        med("m5", "амоксициллин", "500 мг", ("12:00",), until=day(-1)),
        med(
            "m6", "метотрексат", "15 мг", ("08:00",),
            regimen=Regimen("weekdays", weekdays=((today.weekday() + 1) % 7,)),
        ),
    )
    user = User(id=5, lang="ru", tz=AGENDA_ZONE, medications=meds, next_med=7)
    WRITTEN_FOR[data_dir] = today
    with UserStore(data_dir) as store:
        assert not store.commit({5: Change(user, None)}).failed


def expected_agenda(now: datetime) -> list[dict[str, str | None]]:
    local_now = now.astimezone(ZoneInfo(AGENDA_ZONE))
    today, minute = local_now.date(), local_now.strftime("%H:%M")

    def row(offset: int, time: str, name: str, dosage: str | None) -> dict[str, str | None]:
        return {"date": (today + timedelta(days=offset)).isoformat(), "time": time, "name": name, "dosage": dosage}

    rows = [row(0, "00:00", "аспирин", "100 мг")] if minute == "00:00" else []
    rows += [row(0, "23:59", "аспирин", "100 мг"), row(0, "23:59", "витамин D", None)]
    for offset in (1, 2):
        rows.append(row(offset, "00:00", "аспирин", "50 мг"))
        if offset == 1:
            rows.append(row(offset, "08:00", "метотрексат", "15 мг"))
        rows += [row(offset, "23:59", "аспирин", "50 мг"), row(offset, "23:59", "витамин D", None)]
    return rows


def run_agenda(data_dir: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], list[list[dict]]]:
    """Run `medbot agenda`; also what it should print if run at the start or at the end."""
    before = datetime.now(timezone.utc)
    done = medbot("agenda", "--data-dir", str(data_dir), "--user", "5", *extra)
    after = datetime.now(timezone.utc)
    if after.astimezone(ZoneInfo(AGENDA_ZONE)).date() != WRITTEN_FOR[data_dir]:
        pytest.skip("the day changed in the person's zone while the test ran")
    return done, [expected_agenda(before), expected_agenda(after)]


def file_states(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
    }


def test_agenda_prints_upcoming_doses_as_text_and_json_and_never_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_agenda_user(data, datetime.now(ZoneInfo(AGENDA_ZONE)).date())
    files = file_states(data)

    done, expected = run_agenda(data, "--days", "3")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    texts = [
        [" ".join(part for part in (r["date"], r["time"], r["name"], r["dosage"]) if part) for r in rows]
        for rows in expected
    ]
    assert done.stdout.splitlines() in texts
    assert not any(line != line.strip() for line in done.stdout.splitlines())  # no trailing space
    assert " 23:59 витамин D\n" in done.stdout

    done, expected = run_agenda(data, "--days", "3", "--json")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows in expected
    assert all(list(row) == ["date", "time", "name", "dosage"] for row in rows)
    assert "витамин D" in done.stdout  # not \u-escaped

    done, _ = run_agenda(data, "--json")  # seven days by default
    assert done.returncode == 0, done.stderr
    dates = sorted({json.loads(line)["date"] for line in done.stdout.splitlines()})
    assert len(dates) == 7 and all(
        date.fromisoformat(b) - date.fromisoformat(a) == timedelta(days=1) for a, b in zip(dates, dates[1:])
    )
    assert file_states(data) == files


def test_agenda_of_an_unknown_user_or_a_missing_directory_says_so_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_agenda_user(data, date.today())
    done = medbot("agenda", "--data-dir", str(data), "--user", "7")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.strip().count("\n") == 0 and "no user 7" in done.stderr
    done = medbot("agenda", "--data-dir", str(tmp_path / "nowhere"), "--user", "5", "--json")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("medbot: no data directory") and done.stderr.count("\n") == 1
    done = medbot("agenda", "--data-dir", str(data), "--user", "5", "--days", "0")
    assert done.returncode == 2 and "--days" in done.stderr


def test_run_without_a_token_exits_with_one_line(tmp_path: Path) -> None:
    done = medbot("run", env={"MEDBOT_DATA_DIR": str(tmp_path / "d")})
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "medbot: MEDBOT_TELEGRAM_TOKEN is not set (create a bot with @BotFather and set its token)"
    ]


def test_run_with_a_malformed_token_never_echoes_it(tmp_path: Path) -> None:
    done = medbot("run", env={"MEDBOT_TELEGRAM_TOKEN": "not-a-token-SECRET", "MEDBOT_DATA_DIR": str(tmp_path)})
    assert done.returncode != 0
    assert "SECRET" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
