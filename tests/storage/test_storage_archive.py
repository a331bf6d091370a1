"""The history archive on real files: appended durably and privately, before the record; kills
mid-append tolerated; damage reported; erased with the person."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from medbot.core.history import full_history
from medbot.core.model import DoseRef, Intake, Medication, Slot, Status, User, user_to_json
from medbot.storage import (
    Change,
    CorruptArchive,
    UserStore,
    archive_path,
    read_archive,
    read_user,
)
from medbot.storage.archive import append_intakes, read_intakes

SECRET_NAME = "секретин-форте"  # must never reach an error message


def intake(day: int, status: Status = "taken", name: str = "аспирин") -> Intake:
    dose = DoseRef("m1", f"2025-01-{day:02d}", "10:00")
    at = f"2025-01-{day:02d}T07:02:00+00:00" if status != "missed" else None
    return Intake(dose, status, at, name, "200 мг")


def a_user(user_id: int, days: range) -> User:
    slot = Slot("10:00", "2025-01-01")
    med = Medication("m1", "аспирин", "аспирин", "200 мг", (slot,))
    history = tuple(intake(day) for day in days)
    return User(id=user_id, lang="ru", tz="Europe/Moscow", medications=(med,), history=history)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    with UserStore(tmp_path / "data") as opened:
        yield opened


def block(path: Path) -> None:
    """Make opening `path` for writing fail with a real OSError (a directory stands there)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.mkdir()


def test_an_append_is_one_json_line_per_intake_shaped_as_in_the_record_and_private(
    tmp_path: Path,
) -> None:
    root = tmp_path / "data"
    full = a_user(1007, range(1, 11))
    old = os.umask(0)
    try:
        with UserStore(root) as opened:
            kept = replace(full, history=full.history[4:])
            opened.commit({1007: Change(kept, 5.0, full.history[:4])})
    finally:
        os.umask(old)
    path = root / "archive" / "007" / "1007.jsonl"
    assert path == archive_path(root, 1007, 1000)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 5
    assert [json.loads(line) for line in lines[:-1]] == user_to_json(full)["history"][:4]
    for item in (root / "archive", path.parent, path):
        mode = stat.S_IMODE(item.stat().st_mode)
        assert mode == (0o700 if item.is_dir() else 0o600), item
    assert read_archive(root, 1007) == full.history[:4]
    assert read_user(root, 1007).history == full.history[4:]


def test_appends_accumulate_and_a_person_without_an_archive_has_an_empty_one(
    store: UserStore,
) -> None:
    full = a_user(3, range(1, 21))
    store.commit({3: Change(replace(full, history=full.history[5:]), None, full.history[:5])})
    store.commit({3: Change(replace(full, history=full.history[12:]), None, full.history[5:12])})
    assert store.archive_appends == 2
    assert read_archive(store.root, 3) == full.history[:12]
    assert read_archive(store.root, 4) == ()
    assert read_archive(store.root.parent / "nothing-here", 3) == ()


def test_an_interrupted_last_line_is_ignored_then_cut_off_by_the_next_append(
    store: UserStore,
) -> None:
    full = a_user(5, range(1, 21))
    store.commit({5: Change(a_user(5, range(3, 21)), None, full.history[:2])})
    path = store.archive_path_of(5)
    whole = path.read_bytes()
    torn = json.dumps(user_to_json(full)["history"][2], ensure_ascii=False).encode()[:-9]
    path.write_bytes(whole + torn)  # a kill in the middle of the next append
    assert read_archive(store.root, 5) == full.history[:2]

    store.commit({5: Change(a_user(5, range(5, 21)), None, full.history[2:4])})
    assert path.read_bytes().startswith(whole)
    assert read_archive(store.root, 5) == full.history[:4]  # no line glued to the torn one
    assert path.read_bytes().count(b"\n") == 4


def test_a_file_holding_only_an_interrupted_line_reads_empty_and_is_cut_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a" / "9.jsonl"
    path.parent.mkdir()
    path.write_bytes(b'{"dose": {"med_id": "m1", "da')
    assert read_intakes(path) == ()
    append_intakes(path, [intake(1)])
    assert read_intakes(path) == (intake(1),)
    assert path.read_bytes().startswith(b'{"dose":{"med_id":"m1","date":"2025-01-01"')


@pytest.mark.parametrize(
    ("damage", "line"),
    [
        (b"not json at all\n", 2),
        (b'{"dose": "' + SECRET_NAME.encode() + b'"}\n', 2),
        (b"[1, 2]\n", 2),
        (b"\n", 2),
    ],
)
def test_a_damaged_line_before_the_last_is_reported_with_its_number_and_no_content(
    store: UserStore, damage: bytes, line: int
) -> None:
    full = a_user(6, range(1, 10))
    store.commit({6: Change(a_user(6, range(4, 10)), None, full.history[:1])})
    path = store.archive_path_of(6)
    path.write_bytes(path.read_bytes() + damage)
    store.commit({6: Change(a_user(6, range(5, 10)), None, full.history[1:3])})
    with pytest.raises(CorruptArchive) as raised:
        read_archive(store.root, 6)
    assert f"line {line}" in str(raised.value)
    assert SECRET_NAME not in str(raised.value) and "аспирин" not in str(raised.value)


def test_a_dose_archived_twice_reads_once_and_the_record_wins_over_the_archive(
    store: UserStore,
) -> None:
    """A kill between the append and the record write, then the same move again: the intakes
    are in the archive twice and in the record; the person's history holds each dose once."""
    full = a_user(8, range(1, 11))
    store.commit({8: Change(full, None, full.history[:3])})  # appended; the record kept them
    corrected = replace(full.history[2], status="skipped")
    record = a_user(8, range(4, 11))
    store.commit({8: Change(record, None, (*full.history[:2], corrected))})
    assert store.archive_path_of(8).read_bytes().count(b"\n") == 6
    archived = read_archive(store.root, 8)
    assert archived == (*full.history[:2], corrected)
    assert full_history(archived, full.history) == full.history


def test_a_failed_append_fails_that_save_only_and_leaves_its_record_alone(
    store: UserStore,
) -> None:
    store.commit({
        11: Change(a_user(11, range(1, 11)), 100.0), 12: Change(a_user(12, range(1, 3)), 1.0)
    })
    block(store.archive_path_of(11))
    report = store.commit({
        11: Change(a_user(11, range(4, 11)), 100.0, a_user(11, range(1, 4)).history),
        12: Change(a_user(12, range(2, 3)), 1.0, a_user(12, range(1, 2)).history),
    })
    assert set(report.failed) == {11} and "archive" in report.failed[11]
    assert store.load(11) == a_user(11, range(1, 11))
    assert store.load(12) == a_user(12, range(2, 3))


def test_an_append_cut_short_by_an_io_error_leaves_no_partial_line(tmp_path: Path) -> None:
    """A real short write: the file size limit stops the append half-way (EFBIG)."""
    path = tmp_path / "a" / "1.jsonl"
    append_intakes(path, [intake(1)])
    before = path.read_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 40, hard))
    try:
        with pytest.raises(OSError):
            append_intakes(path, [intake(2), intake(3)])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert path.read_bytes() == before
    append_intakes(path, [intake(2)])
    assert read_intakes(path) == (intake(1), intake(2))


def test_erasing_removes_the_archive_and_an_erase_then_a_new_record_starts_afresh(
    store: UserStore,
) -> None:
    full = a_user(13, range(1, 11))
    store.commit({13: Change(a_user(13, range(5, 11)), 10.0, full.history[:4])})
    path = store.archive_path_of(13)
    assert path.exists()
    store.commit({13: Change(None, None)})
    assert not path.exists() and store.load(13) is None
    assert read_archive(store.root, 13) == ()

    store.commit({13: Change(a_user(13, range(5, 11)), 10.0, full.history[:4])})
    store.commit({13: Change(a_user(13, range(9, 11)), 10.0, full.history[7:8], drop_archive=True)})
    assert read_archive(store.root, 13) == full.history[7:8]
