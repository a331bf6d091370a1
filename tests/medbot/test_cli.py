"""The command-line contracts (DESIGN.md): `medbot chat` and `medbot export`, as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
    assert json.loads(exported.stdout) == {
        "user_id": 42,
        "timezone": "Asia/Tokyo",
        "medications": [{"name": "аспирин", "dosage": "100 мг", "times": ["10:00", "11:00"]}],
    }


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
