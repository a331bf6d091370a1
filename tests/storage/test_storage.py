"""The durable store: real files in tmp dirs, real TinyDB, real I/O failures."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB

from medbot.core.model import SCHEMA_VERSION, DoseRef, Intake, Medication, Slot, User, new_user
from medbot.storage import (
    WAKE_AT_ONCE,
    Change,
    CorruptFile,
    DurableJSONStorage,
    MigrationError,
    Migrations,
    StoreError,
    StoreLocked,
    UnreadableUser,
    UserStore,
    lowered,
    read_user,
    user_path,
)
from medbot.storage.files import WriteBatch, atomic_write, quarantined_copies, remove_temp_files
from medbot.storage.migrations import daily_regimens

SECRET_NAME = "секретин-форте"  # must never reach a log line


def a_user(user_id: int, *, dosage: str = "200 мг", name: str = "аспирин") -> User:
    slot = Slot(time="10:00", start="2025-03-01")
    med = Medication(id="m1", name=name, key=name, dosage=dosage, slots=(slot,))
    intake = Intake(
        dose=DoseRef(med_id="m1", date="2025-03-01", time="10:00"),
        status="taken",
        at="2025-03-01T07:02:00+00:00",
        name=name,
        dosage=dosage,
    )
    return User(
        id=user_id, lang="ru", tz="Europe/Moscow", medications=(med,), history=(intake,), next_med=2
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    with UserStore(tmp_path / "data") as opened:
        yield opened


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# --- the TinyDB storage ---------------------------------------------------------------------


def test_tinydb_over_the_durable_storage_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with TinyDB(path, storage=DurableJSONStorage) as db:
        db.insert({"name": "витамин B12"})
    with TinyDB(path, storage=DurableJSONStorage) as db:
        assert db.all() == [{"name": "витамин B12"}]
    assert "витамин" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"  \n", "empty file"),
        (b'{"_default": {"1": {"name": "asp', "invalid JSON"),
        (b"\xff\xfe\x00garbage", "invalid JSON"),
        (b"[1, 2]", "top level is not an object"),
        (b'{"_default": [1]}', "a table is not an object"),
    ],
)
def test_a_damaged_file_is_never_read_as_an_empty_database(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(content)
    with TinyDB(path, storage=DurableJSONStorage) as db, pytest.raises(CorruptFile) as caught:
        db.all()
    assert reason in caught.value.reason


def test_a_missing_file_is_a_new_database_and_reading_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with TinyDB(path, storage=DurableJSONStorage) as db:
        assert db.all() == []
    assert not path.exists()


def test_a_read_only_storage_refuses_to_write(tmp_path: Path) -> None:
    with TinyDB(tmp_path / "db.json", storage=DurableJSONStorage, read_only=True) as db:
        with pytest.raises(StoreError):
            db.insert({"a": 1})
    assert not (tmp_path / "db.json").exists()


def test_files_are_0600_and_directories_0700_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with UserStore(tmp_path / "data") as opened:
            opened.commit({7: Change(a_user(7), 1000.0)})
    finally:
        os.umask(old)
    root = tmp_path / "data"
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_an_existing_data_directory_is_made_private(tmp_path: Path) -> None:
    root = tmp_path / "data"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    UserStore(root).close()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_a_failed_atomic_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()  # os.replace of a file onto a directory fails: a real I/O error
    (target / "inside").write_text("old")
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert sorted(os.listdir(tmp_path)) == ["target"]
    assert (target / "inside").read_text() == "old"


def test_a_write_batch_commits_each_file_on_its_own(tmp_path: Path) -> None:
    good, blocked, gone = tmp_path / "good.json", tmp_path / "blocked.json", tmp_path / "gone"
    blocked.mkdir()
    gone.write_text("bye")
    durable: list[str] = []
    batch = WriteBatch()
    batch.write(good, b"{}", on_durable=lambda: durable.append("good"))
    batch.write(blocked, b"{}", on_durable=lambda: durable.append("blocked"))
    batch.remove(gone)
    batch.remove(tmp_path / "never-was")
    failed = batch.commit()
    assert set(failed) == {blocked}
    assert durable == ["good"] and good.read_bytes() == b"{}" and not gone.exists()
    assert sorted(os.listdir(tmp_path)) == ["blocked.json", "good.json"]  # no temp file left
    assert batch.bytes_written == 2 and len(batch) == 0


def test_leftover_temp_files_are_removed_when_the_owner_opens(tmp_path: Path) -> None:
    root = tmp_path / "data"
    UserStore(root).close()
    shard = root / "users" / "123"
    shard.mkdir()
    leftovers = [root / ".meta.json.4242.0123abcd.tmp", shard / ".123.json.77.deadbeef.tmp"]
    keep = [shard / "notes.txt", shard / ".hidden"]
    for path in leftovers + keep:
        path.write_text("x")
    UserStore(root, read_only=True).close()
    assert all(path.exists() for path in leftovers)  # a reader never touches the owner's files
    UserStore(root).close()
    assert not any(path.exists() for path in leftovers)
    assert all(path.exists() for path in keep)
    assert remove_temp_files(root) == 0


# --- layout, meta, round trips -------------------------------------------------------------


def test_one_small_tinydb_file_per_user_and_a_meta_file(store: UserStore) -> None:
    report = store.commit({123456: Change(a_user(123456), 1700000000.0)})
    assert report.failed == {}
    path = store.root / "users" / "456" / "123456.json"
    assert user_path(store.root, 123456) == path
    record = json.loads(path.read_text())["user"]["123456"]
    assert record["schema"] == SCHEMA_VERSION
    meta = json.loads((store.root / "meta.json").read_text())
    assert meta["format"] == 1 and meta["wake_shards"] == 1024 and meta["user_dirs"] == 1000
    with TinyDB(path, storage=DurableJSONStorage, read_only=True) as db:
        assert db.table("user").get(doc_id=123456)["tz"] == "Europe/Moscow"


def test_a_saved_user_loads_back_equal_and_a_new_user_is_none(store: UserStore) -> None:
    user = a_user(42)
    store.commit({42: Change(user, None)})
    assert store.load(42) == user
    assert store.load(43) is None
    store.close()
    assert read_user(store.root, 42) == user


def test_a_save_replaces_the_whole_record(store: UserStore) -> None:
    store.commit({5: Change(a_user(5), None)})
    path = store.path_of(5)
    data = json.loads(path.read_text())
    data["user"]["5"]["obsolete_field"] = 1
    atomic_write(path, json.dumps(data).encode())
    store.close()
    with UserStore(store.root) as reopened:
        reopened.commit({5: Change(a_user(5, dosage="1 таблетка"), None)})
        assert "obsolete_field" not in reopened.path_of(5).read_text()
        loaded = reopened.load(5)
    assert loaded is not None and loaded.medications[0].dosage == "1 таблетка"


def test_open_tinydb_instances_stay_bounded(tmp_path: Path) -> None:
    with UserStore(tmp_path / "data", cache_size=4) as bounded:
        for user_id in range(1, 40):
            bounded.commit({user_id: Change(a_user(user_id), float(user_id))})
            assert bounded.open_databases <= 4
        assert all(bounded.load(user_id) == a_user(user_id) for user_id in range(1, 40))
        assert bounded.open_databases == 4
        assert sorted(bounded.user_ids()) == list(range(1, 40))


def test_a_newer_store_format_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    UserStore(root).close()
    meta = json.loads((root / "meta.json").read_text())
    (root / "meta.json").write_text(json.dumps({**meta, "format": 99}))
    with pytest.raises(StoreError, match="newer"):
        UserStore(root)


def test_missing_meta_beside_data_is_refused_not_recreated(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with UserStore(root) as opened:
        opened.commit({1: Change(a_user(1), None)})
    (root / "meta.json").unlink()
    with pytest.raises(StoreError, match="meta.json is missing"):
        UserStore(root)
    assert not (root / "meta.json").exists()


# --- damaged records -----------------------------------------------------------------------


def damaged_records() -> dict[str, bytes]:
    good = {"user": {"77": {**json.loads(json.dumps(_record(a_user(77))))}}}
    bad_zone = json.loads(json.dumps(good))
    bad_zone["user"]["77"]["tz"] = "Mars/Olympus"
    other_id = {"user": {"78": good["user"]["77"]}}
    return {
        "empty": b"",
        "truncated": json.dumps(good, ensure_ascii=False).encode()[:60],
        "not json": b"\x00\x01\x02",
        "invalid record": json.dumps(bad_zone, ensure_ascii=False).encode(),
        "another user's record": json.dumps(other_id, ensure_ascii=False).encode(),
        "no record": b'{"user": {}}',
    }


def _record(user: User) -> dict[str, object]:
    from medbot.core.model import user_to_json

    return user_to_json(user)


@pytest.mark.parametrize("kind", list(damaged_records()))
def test_an_unreadable_record_is_quarantined_and_keeps_failing(
    store: UserStore, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = store.path_of(77)
    path.parent.mkdir(parents=True)
    path.write_bytes(damaged_records()[kind])
    original = path.read_bytes()
    caplog.set_level(logging.DEBUG)

    with pytest.raises(UnreadableUser) as first:
        store.load(77)

    assert first.value.quarantined is not None
    assert not path.exists()
    assert quarantined_copies(path) == [first.value.quarantined]
    assert first.value.quarantined.read_bytes() == original
    assert first.value.quarantined.name.startswith("77.json.corrupt-")
    [incident] = store.drain_incidents()
    assert "user 77" in incident and "quarantined" in incident
    assert any(r.levelno == logging.ERROR and "77" in r.getMessage() for r in caplog.records)
    assert "аспирин" not in caplog.text
    # Not a new user: the next load fails too, until the operator restores or removes the copy.
    with pytest.raises(UnreadableUser, match="quarantined"):
        store.load(77)
    assert store.drain_incidents() == []


def test_log_lines_about_a_damaged_record_carry_no_personal_data(
    store: UserStore, caplog: pytest.LogCaptureFixture
) -> None:
    record = _record(a_user(9, name=SECRET_NAME))
    record["medications"][0]["slots"][0]["time"] = SECRET_NAME  # quoted by the validator
    path = store.path_of(9)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"user": {"9": record}}, ensure_ascii=False))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(UnreadableUser) as caught:
        store.load(9)
    assert SECRET_NAME not in caplog.text
    assert SECRET_NAME not in caught.value.reason
    assert SECRET_NAME not in " ".join(store.drain_incidents())


def test_a_reader_reports_a_damaged_record_without_touching_it(tmp_path: Path) -> None:
    root = tmp_path / "data"
    UserStore(root).close()
    path = user_path(root, 77)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{")
    with pytest.raises(UnreadableUser) as caught:
        read_user(root, 77)
    assert caught.value.quarantined is None
    assert path.read_bytes() == b"{"


@pytest.mark.parametrize(
    "damaged", [b'{"user": {"31": {"id": 3', b'{"user": {"32": {"id": 32}}}'], ids=["cut", "other"]
)
def test_a_save_over_a_damaged_record_keeps_the_damaged_bytes(
    store: UserStore, damaged: bytes
) -> None:
    path = store.path_of(31)
    path.parent.mkdir(parents=True)
    path.write_bytes(damaged)
    report = store.commit({31: Change(a_user(31), None)})
    assert report.failed == {}
    assert store.load(31) == a_user(31)
    assert list(json.loads(path.read_text())["user"]) == ["31"]
    [copy] = quarantined_copies(path)
    assert copy.read_bytes() == damaged
    assert len(store.drain_incidents()) == 1


def test_erasing_removes_the_record_its_quarantined_copies_and_its_wake_entry(
    store: UserStore,
) -> None:
    store.commit({12: Change(a_user(12), 500.0)})
    path = store.path_of(12)
    stale = path.with_name("12.json.corrupt-20250101T000000Z")
    stale.write_text("{")
    store.commit({12: Change(None, None)})
    assert not path.exists() and not stale.exists()
    assert store.load(12) is None
    assert store.wake_entries() == []
    store.commit({12: Change(None, None)})  # erasing twice is harmless


# --- migrations ----------------------------------------------------------------------------


def fake_v0_migrations() -> Migrations:
    """A made-up version 0 where the zone was called "timezone" and meds had "time"."""
    registry = Migrations(target=SCHEMA_VERSION)

    @registry.register(0)
    def _v0_to_v1(record: dict) -> dict:
        record["tz"] = record.pop("timezone")
        record["medications"] = [
            {
                "id": med["id"],
                "name": med["name"],
                "key": med["name"].lower(),
                "dosage": med.get("dosage"),
                "slots": [{"time": med["time"], "start": "2024-01-01"}],
            }
            for med in record.pop("meds")
        ]
        return record

    registry.register(1)(daily_regimens)
    return registry


V0_RECORD = {
    "id": 600,
    "lang": "ru",
    "timezone": "Asia/Yekaterinburg",
    "meds": [{"id": "m1", "name": "Аспирин", "dosage": "100 мг", "time": "09:30"}],
}


def test_an_old_record_is_migrated_on_load_without_being_rewritten(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with UserStore(root, migrations=fake_v0_migrations()) as migrating:
        path = migrating.path_of(600)
        path.parent.mkdir(parents=True)
        raw = json.dumps({"user": {"600": {**V0_RECORD, "schema": 0}}}).encode()
        atomic_write(path, raw)
        user = migrating.load(600)
        assert user is not None
        assert user.tz == "Asia/Yekaterinburg"
        assert user.medications[0].times == ("09:30",)
        assert path.read_bytes() == raw  # loading never writes
        migrating.commit({600: Change(user, None)})
        assert json.loads(path.read_text())["user"]["600"]["schema"] == SCHEMA_VERSION


def test_a_record_without_a_version_counts_as_version_0() -> None:
    migrated = fake_v0_migrations().apply(dict(V0_RECORD))
    assert migrated["schema"] == SCHEMA_VERSION and migrated["tz"] == "Asia/Yekaterinburg"


def test_migrations_refuse_gaps_newer_versions_and_duplicates() -> None:
    registry = Migrations(target=3)
    registry.register(0)(lambda record: record)
    with pytest.raises(MigrationError, match="no migration from schema version 1"):
        registry.apply({"schema": 0})
    with pytest.raises(MigrationError, match="newer"):
        registry.apply({"schema": 4})
    with pytest.raises(ValueError, match="already registered"):
        registry.register(0)(lambda record: record)
    with pytest.raises(ValueError):
        registry.register(3)
    assert registry.apply({"schema": 3, "x": 1}) == {"schema": 3, "x": 1}


# --- the wake index -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, safe",
    [(None, None, None), (None, 5.0, 5.0), (5.0, None, 5.0), (3.0, 5.0, 3.0), (5.0, 3.0, 3.0)],
)
def test_lowered_is_never_later_than_old_or_new(
    old: float | None, new: float | None, safe: float | None
) -> None:
    assert lowered(old, new) == safe


def test_the_wake_index_holds_exact_values_after_a_commit(store: UserStore) -> None:
    store.commit({1: Change(a_user(1), 300.0), 1025: Change(a_user(1025), 100.0)})
    store.commit({1: Change(a_user(1), 200.0), 2: Change(a_user(2), None)})
    assert store.wake_entries() == [(1025, 100.0), (1, 200.0)]
    store.close()
    with UserStore(store.root, read_only=True) as reader:
        assert reader.wake_entries() == [(1025, 100.0), (1, 200.0)]
    assert json.loads((store.root / "wake" / "0001.json").read_text())["wake"] == {
        "1": {"at": 200.0},
        "1025": {"at": 100.0},
    }


def test_raised_entries_wait_for_sync_while_lowered_ones_are_written_first(
    store: UserStore,
) -> None:
    store.commit({1: Change(a_user(1), 500.0), 1025: Change(a_user(1025), 500.0)})
    store.commit({1: Change(a_user(1), 800.0)}, sync_index=False)
    assert store.index.on_disk(1) == 500.0 and store.index.get(1) == 800.0
    assert store.wake_entries() == [(1025, 500.0), (1, 800.0)]  # the owner answers the truth
    # Lowering 1025 (same shard) writes the shard, taking 1's noted raise along.
    store.commit({1025: Change(a_user(1025), 200.0)}, sync_index=False)
    assert store.index.on_disk(1025) == 200.0 and store.index.on_disk(1) == 800.0
    assert store.index_unsynced_since is None
    store.commit({1: Change(None, None)}, sync_index=False)
    assert store.index.on_disk(1) == 800.0 and store.index.get(1) is None
    store.close()  # an orderly close writes what was noted
    with UserStore(store.root, read_only=True) as reader:
        assert reader.wake_entries() == [(1025, 200.0)]


def test_the_index_can_be_brought_up_to_date_a_few_shards_at_a_time(store: UserStore) -> None:
    uids = [1, 2, 3, 4, 5]  # five shards
    store.commit({uid: Change(a_user(uid), 100.0) for uid in uids})
    store.commit({uid: Change(a_user(uid), 900.0) for uid in uids}, sync_index=False)  # raised: noted
    assert store.sync_index(limit=2) is None
    assert sorted(store.index.on_disk(uid) for uid in uids) == [100.0, 100.0, 100.0, 900.0, 900.0]
    assert store.index_unsynced_since is not None  # more to write
    store.sync_index(limit=2)
    store.sync_index(limit=2)
    assert [store.index.on_disk(uid) for uid in uids] == [900.0] * 5
    assert store.index_unsynced_since is None


def block(path: Path) -> None:
    """Make writing `path` fail with a real OSError (a directory stands where the file goes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir()
    (path / "keep").write_text("x")


def test_a_failed_user_write_leaves_the_index_early_never_late(store: UserStore) -> None:
    store.commit({3: Change(a_user(3), 1000.0)})
    block(store.path_of(1003))
    report = store.commit(
        {3: Change(a_user(3, dosage="2"), 400.0), 1003: Change(a_user(1003), 50.0)}
    )
    assert set(report.failed) == {1003}
    assert store.index.get(3) == 400.0
    # 1003's file never got written, but its entry was lowered first: an early wake is harmless.
    assert store.index.on_disk(1003) == 50.0
    assert list(store.user_ids()) == [3]


def test_a_failed_exact_index_write_keeps_the_old_earlier_entry(store: UserStore) -> None:
    store.commit({4: Change(a_user(4), 100.0)})
    shard = store.root / "wake" / "0004.json"
    shard.unlink()
    block(shard)
    # Later than before: lowered == old, so only the exact write touches the shard, and fails.
    report = store.commit({4: Change(a_user(4, dosage="3"), 900.0)})
    assert report.failed == {} and report.index_error is not None
    loaded = store.load(4)
    assert loaded is not None and loaded.medications[0].dosage == "3"
    assert store.index.on_disk(4) == 100.0  # earlier than the truth: a spurious wake at worst
    assert store.index.get(4) == 900.0 and store.index_unsynced_since is not None
    (shard / "keep").unlink()
    shard.rmdir()
    assert store.sync_index() is None
    assert store.index.on_disk(4) == 900.0 and store.index_unsynced_since is None


def test_a_failed_lowering_fails_the_save_before_its_file_is_touched(store: UserStore) -> None:
    store.commit({8: Change(a_user(8), 900.0)})
    shard = store.root / "wake" / "0008.json"
    shard.unlink()
    block(shard)
    report = store.commit({8: Change(a_user(8, dosage="5"), 100.0), 9: Change(a_user(9), None)})
    assert set(report.failed) == {8}
    loaded = store.load(8)
    assert loaded is not None and loaded.medications[0].dosage == "200 мг"
    assert store.load(9) == a_user(9)


def test_a_damaged_wake_shard_is_rebuilt_to_wake_its_users_at_once(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with UserStore(root) as opened:
        opened.commit({uid: Change(a_user(uid), 9e9) for uid in (5, 1029, 2053, 6)})
    (root / "wake" / "0005.json").write_bytes(b'{"wake": {"5": {"at": ')
    with UserStore(root) as reopened:
        entries = dict(reopened.wake_entries())
        assert entries == {5: WAKE_AT_ONCE, 1029: WAKE_AT_ONCE, 2053: WAKE_AT_ONCE, 6: 9e9}
        [incident] = reopened.drain_incidents()
        assert "shard 5" in incident
        assert len(quarantined_copies(root / "wake" / "0005.json")) == 1
    with UserStore(root, read_only=True) as reader:
        assert dict(reader.wake_entries())[1029] == WAKE_AT_ONCE


# --- ownership and readers -----------------------------------------------------------------


def test_a_second_owner_in_the_same_process_is_refused_until_the_first_closes(
    tmp_path: Path,
) -> None:
    root = tmp_path / "data"
    first = UserStore(root)
    with pytest.raises(StoreLocked):
        UserStore(root, lock_timeout=0.05)
    first.close()
    UserStore(root, lock_timeout=0.05).close()


def test_another_process_cannot_own_the_store_while_this_one_does(tmp_path: Path) -> None:
    root = tmp_path / "data"
    script = (
        "import sys; from pathlib import Path; from medbot.storage import UserStore, StoreLocked\n"
        "try:\n    UserStore(Path(sys.argv[1])).close()\nexcept StoreLocked:\n    sys.exit(3)\n"
    )
    with UserStore(root):
        locked = subprocess.run([sys.executable, "-c", script, str(root)], timeout=60)
    assert locked.returncode == 3
    free = subprocess.run([sys.executable, "-c", script, str(root)], timeout=60)
    assert free.returncode == 0


def test_a_reader_works_beside_the_owner_and_never_writes(tmp_path: Path) -> None:
    root = tmp_path / "data"
    assert read_user(root, 1) is None
    assert not root.exists()
    with UserStore(root) as owner:
        owner.commit({1: Change(a_user(1), 60.0)})
        before = files_under(root)
        assert read_user(root, 1) == a_user(1)
        with UserStore(root, read_only=True) as reader:
            assert reader.wake_entries() == [(1, 60.0)]
            with pytest.raises(StoreError):
                reader.commit({1: Change(None, None)})
        assert files_under(root) == before


def test_a_new_user_object_is_stored_as_json_with_its_schema(store: UserStore) -> None:
    store.commit({10: Change(new_user(10, "en", "UTC"), None)})
    assert json.loads(store.path_of(10).read_text())["user"]["10"]["schema"] == SCHEMA_VERSION
