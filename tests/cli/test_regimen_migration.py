"""A data directory written by the previous medbot (user records at schema 1, no regimens)
upgrades without loss: loading reads it as "every day" and rewrites nothing, the next save
writes schema 2, and `medbot export`, `medbot agenda` and `medbot chat` work on it as it is.

The directory is written here byte for byte the way the previous version's store wrote it
(`meta.json`, `users/<id % 1000>/<id>.json` holding `{"user": {"<id>": record}}` as compact
UTF-8 JSON, the wake shard `wake/<id % 1024>.json`, files 0600, directories 0700), from raw
dicts in the previous model's shape (every field, in its field order, `"schema": 1` last), not
through the current code's writer. Dates are relative to the person's today so that the
intakes are recent (nothing moves to the archive) and the pending question has not expired.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from medbot.core.model import DoseRef, Intake, Regimen, Reminder, Slot
from medbot.core.pending import current
from medbot.storage import USER_MIGRATIONS, Change, UserStore, read_user

UID = 1234
ZONE = "Europe/Moscow"
MEDS = ("аспирин", "vitamin D", "магний", "L-тироксин")


# ---------------------------------------------------------------- the old directory


def _instant(day: date, hhmm: str, *, minutes: int = 0) -> str:
    """A local wall-clock time as the UTC instant the old code wrote ("...+00:00")."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(ZONE))
    return (local + timedelta(minutes=minutes)).astimezone(timezone.utc).isoformat(timespec="seconds")


def _med(med_id: str, name: str, key: str, dosage: str | None, slots: list[tuple[str, date]]) -> dict[str, Any]:
    return {
        "id": med_id, "name": name, "key": key, "dosage": dosage,
        "slots": [{"time": time, "start": start.isoformat()} for time, start in slots],
    }


def _intake(med_id: str, day: date, time: str, status: str, name: str, dosage: str | None) -> dict[str, Any]:
    at = None if status == "missed" else _instant(day, time, minutes=4)
    return {
        "dose": {"med_id": med_id, "date": day.isoformat(), "time": time},
        "status": status, "at": at, "name": name, "dosage": dosage,
    }


def _reminder(rid: int, doses: list[tuple[str, date, str]], repeats: int, message_id: int) -> dict[str, Any]:
    _, day, time = doses[0]
    return {
        "id": rid,
        "doses": [{"med_id": med_id, "date": d.isoformat(), "time": t} for med_id, d, t in doses],
        "sent_at": _instant(day, time, minutes=60 * repeats),
        "repeat_at": _instant(day, time, minutes=60 * (repeats + 1)),
        "message_id": message_id, "late": False, "repeats": repeats, "failures": 0, "outdated": False,
    }


def _delete_question(now: datetime) -> dict[str, Any]:
    """"удали лекарство" asked "which one?" (the previous version's stored form)."""
    def option(med_id: str, name: str, key: str, times: list[str]) -> dict[str, Any]:
        return {
            "command": {"command": "delete", "names": [{"name": name, "key": key, "med_id": med_id}], "times": []},
            "times": times,
        }

    return {
        "id": "3",
        "question": "delete_med",
        "options": [
            option("m5", "L-тироксин", "l-тироксин", ["07:00"]),
            option("m2", "vitamin D", "vitamin d", ["08:00"]),
            option("m1", "аспирин", "аспирин", ["09:00", "21:00"]),
            option("m3", "магний", "магний", ["22:00"]),
        ],
        "template": None,
        "expires": (now + timedelta(minutes=25)).astimezone(timezone.utc).isoformat(timespec="seconds"),
    }


def _time_question(now: datetime) -> dict[str, Any]:
    """"добавь цинк 25 мг" asked "at what time?" (the previous version's stored form)."""
    return {
        "id": "3",
        "question": "add_time",
        "options": [],
        "template": {
            "command": "add",
            "items": [{"med": {"name": "цинк", "key": "цинк", "med_id": None}, "dosage": "25 мг", "times": []}],
        },
        "expires": (now + timedelta(minutes=25)).astimezone(timezone.utc).isoformat(timespec="seconds"),
    }


def old_record(now: datetime, pending: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 user record: four medications (one starting tomorrow), three days of
    history (taken, skipped, missed, and a deleted medication's intake), two open reminders
    from yesterday evening, and a pending question."""
    today = now.date()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    long_ago = today - timedelta(days=10)
    return {
        "id": UID,
        "lang": "ru",
        "tz": ZONE,
        "medications": [
            _med("m1", "аспирин", "аспирин", "100 мг", [("09:00", long_ago), ("21:00", long_ago)]),
            _med("m2", "vitamin D", "vitamin d", "1000 IU", [("08:00", long_ago)]),
            _med("m3", "магний", "магний", None, [("22:00", before)]),
            _med("m5", "L-тироксин", "l-тироксин", "50 мкг", [("07:00", today + timedelta(days=1))]),
        ],
        "history": [
            _intake("m2", before, "08:00", "missed", "vitamin D", "1000 IU"),
            _intake("m1", before, "09:00", "taken", "аспирин", "100 мг"),
            _intake("m4", before, "12:00", "taken", "ибупрофен", "400 мг"),
            _intake("m1", before, "21:00", "skipped", "аспирин", "100 мг"),
            _intake("m3", before, "22:00", "taken", "магний", None),
            _intake("m2", yesterday, "08:00", "taken", "vitamin D", "1000 IU"),
            _intake("m1", yesterday, "09:00", "taken", "аспирин", "100 мг"),
        ],
        "reminders": [
            _reminder(7, [("m1", yesterday, "21:00")], 1, 57),
            _reminder(8, [("m3", yesterday, "22:00")], 0, 58),
        ],
        "next_med": 6,
        "next_reminder": 9,
        "unreachable": False,
        "created_at": _instant(long_ago, "12:00"),
        "planned_until": _instant(yesterday, "23:00"),
        "extra": {"pending": pending, "pending_seq": 3},
        "schema": 1,
    }


def _encode(data: Any) -> bytes:
    """The previous store's encoding: compact UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _write_private(path: Path, raw: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(raw)
    os.chmod(path, 0o600)


def write_old_directory(root: Path, record: dict[str, Any]) -> None:
    root.mkdir(mode=0o700, parents=True)
    _write_private(root / "meta.json", _encode(
        {"format": 1, "user_dirs": 1000, "wake_shards": 1024, "created_at": "2026-01-05T10:00:00Z"}
    ))
    _write_private(root / "lock", b"")
    _write_private(root / "users" / f"{UID % 1000:03d}" / f"{UID}.json", _encode({"user": {str(UID): record}}))
    wake = datetime.now(timezone.utc).timestamp() - 60  # the old bot was due to wake (reminders open)
    _write_private(root / "wake" / f"{UID % 1024:04d}.json", _encode({"wake": {str(UID): {"at": wake}}}))
    for directory in (root, root / "users", root / "users" / f"{UID % 1000:03d}", root / "wake"):
        os.chmod(directory, 0o700)


def user_file(root: Path) -> Path:
    return root / "users" / f"{UID % 1000:03d}" / f"{UID}.json"


def file_states(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time (the lock file aside: opening takes it)."""
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "lock"
    }


def local_now() -> datetime:
    return datetime.now(ZoneInfo(ZONE))


@pytest.fixture
def old(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    now = local_now()
    if now.strftime("%H:%M") >= "23:50":
        pytest.skip("too close to midnight in the person's zone for day-relative data")
    record = old_record(now, _delete_question(now))
    root = tmp_path / "data"
    write_old_directory(root, record)
    return root, record


def medbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("MEDBOT_", "GROQ_"))}
    return subprocess.run(
        [sys.executable, "-m", "medbot.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=clean,
    )


# ---------------------------------------------------------------- loading


def _expected_slots(raw: dict[str, Any]) -> tuple[Slot, ...]:
    return tuple(Slot(slot["time"], slot["start"]) for slot in raw["slots"])


def _expected_history(record: dict[str, Any]) -> tuple[Intake, ...]:
    return tuple(
        Intake(DoseRef(**item["dose"]), item["status"], item["at"], item["name"], item["dosage"])
        for item in record["history"]
    )


def _expected_reminders(record: dict[str, Any]) -> tuple[Reminder, ...]:
    return tuple(
        Reminder(**{**item, "doses": tuple(DoseRef(**dose) for dose in item["doses"])})
        for item in record["reminders"]
    )


@pytest.mark.parametrize("read_only", [False, True])
def test_load_reads_every_medication_as_daily_and_keeps_everything(
    old: tuple[Path, dict[str, Any]], read_only: bool
) -> None:
    root, record = old
    with UserStore(root, read_only=read_only) as store:
        user = store.load(UID)
    assert user is not None

    assert [med.id for med in user.medications] == ["m1", "m2", "m3", "m5"]
    for med, raw in zip(user.medications, record["medications"], strict=True):
        assert (med.name, med.key, med.dosage) == (raw["name"], raw["key"], raw["dosage"])
        assert med.slots == _expected_slots(raw)
        assert med.regimen == Regimen() and med.regimen.kind == "daily"
        assert (med.until, med.steps, med.pauses, med.end_noticed) == (None, (), (), False)
        assert not med.as_needed
    assert user.history == _expected_history(record)
    assert user.reminders == _expected_reminders(record)
    assert (user.id, user.lang, user.tz, user.next_med, user.next_reminder, user.unreachable) == (
        UID, "ru", ZONE, 6, 9, False
    )
    assert (user.created_at, user.planned_until) == (record["created_at"], record["planned_until"])
    assert user.extra == record["extra"]

    # The open question of the previous version is still a question this version can answer.
    pending = current(user, datetime.now(timezone.utc))
    assert pending is not None and pending.question == "delete_med"
    assert [option.names[0].med_id for option in pending.options] == ["m5", "m2", "m1", "m3"]  # type: ignore[union-attr]
    assert read_user(root, UID) == user


def test_loading_rewrites_nothing(old: tuple[Path, dict[str, Any]]) -> None:
    root, _ = old
    before = file_states(root)
    with UserStore(root) as store:
        assert store.load(UID) is not None
        assert store.load(UID) is not None
    assert read_user(root, UID) is not None
    assert file_states(root) == before
    assert json.loads(user_file(root).read_bytes())["user"][str(UID)]["schema"] == 1


def test_the_next_save_writes_schema_2_with_a_regimen_and_loses_nothing(old: tuple[Path, dict[str, Any]]) -> None:
    root, record = old
    wake = json.loads((root / "wake" / f"{UID % 1024:04d}.json").read_bytes())["wake"][str(UID)]["at"]
    with UserStore(root) as store:
        user = store.load(UID)
        assert user is not None
        report = store.commit({UID: Change(user, wake)})
        assert not report.failed, report.failed

    saved = json.loads(user_file(root).read_bytes())["user"][str(UID)]
    assert saved["schema"] == 2
    for med, raw in zip(saved["medications"], record["medications"], strict=True):
        assert {key: med[key] for key in raw} == raw  # every old field as it was
        assert med["regimen"]["kind"] == "daily"
        assert (med["until"], med["steps"], med["pauses"], med["end_noticed"]) == (None, [], [], False)
    unchanged = {key: value for key, value in record.items()
                 if key not in ("medications", "reminders", "history", "schema")}
    assert {key: saved[key] for key in unchanged} == unchanged
    assert [_as_old(intake, raw) for intake, raw in zip(saved["history"], record["history"], strict=True)] == \
        record["history"]  # every old field as it was (later fields, e.g. who pressed, only added)
    for reminder, raw in zip(saved["reminders"], record["reminders"], strict=True):
        assert {key: reminder[key] for key in raw} == raw and reminder["refused"] is False
    with UserStore(root, read_only=True) as store:
        assert store.load(UID) == user


def _as_old(saved: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    return {key: saved[key] for key in raw}


def test_a_record_written_twice_by_the_new_version_stays_schema_2(old: tuple[Path, dict[str, Any]]) -> None:
    """Migrating is once: a schema-2 record is read as it is (a regimen other than daily kept)."""
    root, _ = old
    with UserStore(root) as store:
        user = store.load(UID)
        assert user is not None
        weekly = tuple(
            replace(med, regimen=Regimen("weekdays", weekdays=(2,))) if med.id == "m3" else med
            for med in user.medications
        )
        assert not store.commit({UID: Change(user.with_medications(weekly), None)}).failed
    with UserStore(root) as store:
        again = store.load(UID)
    assert again is not None
    assert [med.regimen.kind for med in again.medications] == ["daily", "daily", "weekdays", "daily"]


# ---------------------------------------------------------------- the commands on the untouched directory

DAILY = {"kind": "daily", "until": None, "steps": [], "pauses": [], "rrule": ["FREQ=DAILY"]}


def test_export_and_agenda_read_the_old_directory_without_writing(old: tuple[Path, dict[str, Any]]) -> None:
    root, record = old
    before = file_states(root)

    exported = medbot("export", "--data-dir", str(root), "--user", str(UID), "--format", "json")
    assert exported.returncode == 0, exported.stderr
    schedule = json.loads(exported.stdout)
    assert schedule["timezone"] == ZONE
    assert [
        (med["name"], med["dosage"], med["times"], med["regimen"], med["as_needed"])
        for med in schedule["medications"]
    ] == [
        ("аспирин", "100 мг", ["09:00", "21:00"], DAILY, False),
        ("vitamin D", "1000 IU", ["08:00"], DAILY, False),
        ("магний", None, ["22:00"], DAILY, False),
        ("L-тироксин", "50 мкг", ["07:00"], DAILY, False),
    ]

    history = medbot("export", "--data-dir", str(root), "--user", str(UID), "--format", "csv")
    assert history.returncode == 0, history.stderr
    rows = list(csv.DictReader(io.StringIO(history.stdout)))
    assert sorted((row["date"], row["time"], row["medication"], row["status"]) for row in rows) == sorted(
        (item["dose"]["date"], item["dose"]["time"], item["name"], item["status"]) for item in record["history"]
    )

    ics = medbot("export", "--data-dir", str(root), "--user", str(UID), "--format", "ics")
    assert ics.returncode == 0, ics.stderr
    assert ics.stdout.count("RRULE:FREQ=DAILY") == 5  # one event per medication time

    start = local_now()
    agenda = medbot("agenda", "--data-dir", str(root), "--user", str(UID), "--days", "3", "--json")
    end = local_now()
    assert agenda.returncode == 0, agenda.stderr
    if start.date() != end.date():
        pytest.skip("midnight passed while the agenda ran")
    doses = [(row["date"], row["time"], row["name"], row["dosage"]) for row in map(json.loads, agenda.stdout.splitlines())]
    every_day = [
        ("07:00", "L-тироксин", "50 мкг"), ("08:00", "vitamin D", "1000 IU"), ("09:00", "аспирин", "100 мг"),
        ("21:00", "аспирин", "100 мг"), ("22:00", "магний", None),
    ]
    today = start.date()
    for offset in (1, 2):
        day = (today + timedelta(days=offset)).isoformat()
        assert [dose[1:] for dose in doses if dose[0] == day] == every_day
    later_today = [dose[1:] for dose in doses if dose[0] == today.isoformat()]
    assert set(later_today) <= set(every_day[1:])  # L-тироксин starts tomorrow
    assert all(time >= start.strftime("%H:%M") for time, _, _ in later_today)
    assert {dose for dose in every_day[1:] if dose[0] > end.strftime("%H:%M")} <= set(later_today)

    assert file_states(root) == before  # export and agenda never write


# ---------------------------------------------------------------- chatting on the old directory


def _chat(root: Path, *lines: str) -> list[dict[str, Any]]:
    done = medbot(
        "chat", "--json", "--data-dir", str(root), "--user", str(UID), "--tz", "Asia/Tokyo",
        stdin="".join(line + "\n" for line in lines),
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    # Reminders (reminder buttons) and edits of old reminder messages may come first: the
    # bot wakes up with yesterday's reminders still open. Keep the answers to what was typed.
    return [
        record for record in records
        if not record.get("edited") and not record.get("toast")
        and all(button["data"].startswith("c:") for button in record["buttons"])
    ]


def _saved(root: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(user_file(root).read_bytes())["user"][str(UID)]
    return record


def test_chat_continues_the_old_conversation(old: tuple[Path, dict[str, Any]]) -> None:
    root, record = old
    listed, deleted, listed_again = _chat(root, "/list", "/press c:3:3", "что я принимаю")

    assert not listed["text"].startswith("Здравствуйте"), listed  # a known person: no welcome
    for line in ("Аспирин 100 мг — 09:00, 21:00", "Vitamin D 1000 IU — 08:00", "Магний — 22:00",
                 "L-тироксин 50 мкг — 07:00"):
        assert line in listed["text"], listed["text"]
    assert "Europe/Moscow" in listed["text"]  # the stored zone, not the --tz of a new person
    assert "магний" in deleted["text"].lower(), deleted["text"]  # the old question's answer
    assert "Магний" not in listed_again["text"] and "Аспирин 100 мг" in listed_again["text"]

    saved = _saved(root)
    assert saved["schema"] == 2
    assert [med["name"] for med in saved["medications"]] == ["аспирин", "vitamin D", "L-тироксин"]
    assert all(med["regimen"]["kind"] == "daily" for med in saved["medications"])
    assert saved["tz"] == ZONE and saved["next_med"] == 6
    old_keys = set(record["history"][0])
    kept = [as_old for intake in saved["history"] if (as_old := {key: intake[key] for key in old_keys})
            in record["history"]]
    assert kept == record["history"]  # every old intake (new ones, e.g. missed doses, may follow)
    assert "pending" not in saved["extra"]


def test_chat_answers_an_old_what_time_question(tmp_path: Path) -> None:
    now = local_now()
    if now.strftime("%H:%M") >= "23:50":
        pytest.skip("too close to midnight in the person's zone for day-relative data")
    root = tmp_path / "data"
    write_old_directory(root, old_record(now, _time_question(now)))

    [added] = _chat(root, "в 20")
    assert added["text"].startswith("Добавлено: цинк 25 мг"), added["text"]
    assert "20:00" in added["text"]
    zinc = [med for med in _saved(root)["medications"] if med["name"] == "цинк"]
    assert len(zinc) == 1 and [slot["time"] for slot in zinc[0]["slots"]] == ["20:00"]
    assert zinc[0]["regimen"]["kind"] == "daily" and zinc[0]["dosage"] == "25 мг"


def test_the_migration_step_leaves_the_record_it_read_as_it_was() -> None:
    """The step is pure: the dict read from disk is not changed (the old bytes stay the truth)."""
    now = local_now()
    record = old_record(now, _delete_question(now))
    for med in record["medications"]:
        assert set(med) == {"id", "name", "key", "dosage", "slots"}  # the previous shape
    pristine = json.loads(json.dumps(record))
    upgraded = USER_MIGRATIONS.apply(record)
    assert record == pristine
    assert upgraded["schema"] == 2
    assert [med["regimen"] for med in upgraded["medications"]] == [{"kind": "daily"}] * 4
    assert {key: value for key, value in upgraded.items() if key not in ("medications", "schema")} == {
        key: value for key, value in pristine.items() if key not in ("medications", "schema")
    }
