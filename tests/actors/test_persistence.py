"""The PersistenceActor, running for real on real files, driven only through handles."""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from actors.activity import Activity
from actors.clock import start_timers
from actors.mailbox import Handle
from actors.messages import (
    Alert,
    ChildFailed,
    ChildStopped,
    Crash,
    Flush,
    LoadUser,
    LoadWakeIndex,
    SaveFailed,
    SaveUser,
    StatusReport,
    StatusRequest,
    Stop,
    UserLoaded,
    UserSaved,
    WakeIndex,
)
from actors.persistence import PersistenceActor
from actors.runtime import ActorRef
from medbot.core.model import DoseRef, Intake, Medication, Slot, User
from medbot.storage import UserStore, archive_path, read_archive, read_user, user_path

TIMEOUT = 10.0


def a_user(user_id: int, dosage: str = "1 таблетка") -> User:
    med = Medication(
        id="m1",
        name="ибупрофен",
        key="ибупрофен",
        dosage=dosage,
        slots=(Slot(time="21:00", start="2025-01-01"),),
    )
    return User(id=user_id, lang="ru", tz="Asia/Tokyo", medications=(med,), next_med=2)


@dataclass
class Harness:
    data_dir: Path
    handle: Handle
    parent: Handle
    alerts: Handle
    replies: Handle
    activity: Activity
    refs: list[ActorRef] = field(default_factory=list)

    def create_store(self) -> None:
        """An empty store on disk, for tests that damage it before the actor starts."""
        UserStore(self.data_dir).close()

    def start(self, index_delay: float = 0.0) -> None:
        ref = PersistenceActor.start(
            self.handle, self.parent, self.data_dir, self.alerts, index_delay=index_delay,
            timers=start_timers(),
        )
        self.refs.append(ref)

    def stop(self) -> None:
        self.handle.tell(Stop())
        assert isinstance(self.next(self.parent), ChildStopped)

    def save(
        self,
        user_id: int,
        user: User | None,
        seq: int,
        wake: float | None = None,
        archive: tuple[Intake, ...] = (),
    ) -> None:
        self.handle.tell(SaveUser(
            user_id, user, wake, seq, self.replies, then=(f"ok-{seq}",), archive=archive
        ))

    def next(self, handle: Handle | None = None) -> Any:
        return (handle or self.replies).mailbox.get(timeout=TIMEOUT).message

    def drain(self, handle: Handle) -> list[Any]:
        found = []
        while True:
            try:
                found.append(handle.mailbox.get_nowait().message)
            except queue.Empty:
                return found

    def idle(self) -> None:
        assert self.activity.wait_idle(TIMEOUT)

    def status(self) -> dict[str, Any]:
        report = self.handle.ask(StatusRequest(self.replies), timeout=TIMEOUT)
        assert self.next() == report
        assert isinstance(report, StatusReport) and report.name == "persistence"
        return report.fields


@pytest.fixture
def system(tmp_path: Path) -> Iterator[Harness]:
    activity = Activity()
    harness = Harness(
        data_dir=tmp_path / "data",
        handle=Handle("persistence", activity),
        parent=Handle("supervisor"),
        alerts=Handle("alerts"),
        replies=Handle("replies"),
        activity=activity,
    )
    yield harness
    for ref in harness.refs:  # a test that failed half-way must not leave a thread behind
        if ref.is_alive():
            harness.handle.tell(Stop())
            ref.actor_stopped.wait(TIMEOUT)
    harness.handle.close()


def test_a_save_is_acknowledged_with_its_seq_and_then_and_loads_back(system: Harness) -> None:
    system.start()
    system.save(7, a_user(7), seq=1, wake=1_800_000_000.0)
    assert system.next() == UserSaved(7, 1, ("ok-1",))
    system.handle.tell(LoadUser(7, system.replies))
    assert system.next() == UserLoaded(7, a_user(7))
    system.handle.tell(LoadUser(8, system.replies))
    assert system.next() == UserLoaded(8, None)
    system.stop()


def test_every_acknowledged_write_is_already_on_disk(system: Harness) -> None:
    system.start()
    for seq in range(1, 31):
        system.save(3, a_user(3, dosage=f"{seq} мг"), seq=seq)
    for seq in range(1, 31):
        ack = system.next()
        assert ack == UserSaved(3, seq, (f"ok-{seq}",))
        on_disk = read_user(system.data_dir, 3)
        assert on_disk is not None
        assert int(on_disk.medications[0].dosage.split()[0]) >= seq  # this write or a later one
    system.stop()


def test_saves_that_arrive_together_share_one_commit(system: Harness) -> None:
    # Queued before the actor runs: all of them are in the mailbox ahead of the first Flush.
    arrivals = [(1, "a"), (2, "b"), (1, "c"), (3, "d"), (2, "e"), (1, "f")]
    for seq, (user_id, dosage) in enumerate(arrivals, start=1):
        system.save(user_id, a_user(user_id, dosage), seq=seq, wake=float(seq))
    system.start()
    acks = [system.next() for _ in arrivals]
    assert acks == [UserSaved(uid, seq, (f"ok-{seq}",)) for seq, (uid, _) in enumerate(arrivals, 1)]
    fields = system.status()
    assert fields["batches"] == 1 and fields["writes"] == 3 and fields["saves"] == 6
    assert fields["largest_batch"] == 6 and fields["bytes"] > 0
    # Last write per user wins, in the records and in the wake index.
    for user_id, dosage in ((1, "f"), (2, "e"), (3, "d")):
        assert read_user(system.data_dir, user_id) == a_user(user_id, dosage)
    index = system.handle.ask(LoadWakeIndex(system.replies), timeout=TIMEOUT)
    assert index == WakeIndex(((3, 4.0), (2, 5.0), (1, 6.0)))
    system.stop()


def test_a_load_behind_a_pending_save_sees_the_saved_data(system: Harness) -> None:
    system.start()
    system.save(5, a_user(5), seq=1)
    assert isinstance(system.next(), UserSaved)
    system.stop()
    # Now the save is pending (its Flush queued behind the load) when the load is handled.
    system.save(5, a_user(5, "новая доза"), seq=2)
    system.handle.tell(LoadUser(5, system.replies))
    system.start()
    assert system.next() == UserSaved(5, 2, ("ok-2",))  # written (and acknowledged) first
    assert system.next() == UserLoaded(5, a_user(5, "новая доза"))
    system.stop()


def test_an_orderly_stop_writes_what_is_pending(system: Harness) -> None:
    system.save(1, a_user(1), seq=1)
    system.save(2, a_user(2), seq=2)
    system.handle.tell(Stop())
    system.start()
    assert isinstance(system.next(system.parent), ChildStopped)
    assert [system.next(), system.next()] == [
        UserSaved(1, 1, ("ok-1",)),
        UserSaved(2, 2, ("ok-2",)),
    ]
    assert read_user(system.data_dir, 2) == a_user(2)


def test_a_crash_answers_pending_writers_and_the_next_incarnation_takes_over(
    system: Harness,
) -> None:
    system.save(1, a_user(1), seq=1, wake=100.0)
    system.save(2, a_user(2), seq=2)
    system.handle.tell(Crash("drill"))
    system.save(3, a_user(3), seq=3)  # queued behind the crash: for the next incarnation
    system.start()
    failure = system.next(system.parent)
    assert isinstance(failure, ChildFailed) and failure.message == Crash("drill")
    assert [system.next(), system.next()] == [
        UserSaved(1, 1, ("ok-1",)),
        UserSaved(2, 2, ("ok-2",)),
    ]
    system.start()  # waits for the crashed incarnation to let go of the store
    assert system.next() == UserSaved(3, 3, ("ok-3",))
    for user_id in (1, 2, 3):
        assert read_user(system.data_dir, user_id) == a_user(user_id)
    index = system.handle.ask(LoadWakeIndex(system.replies), timeout=TIMEOUT)
    assert index.entries == ((1, 100.0),)
    system.stop()


def test_an_unreadable_record_answers_failed_and_alerts_the_admin(system: Harness) -> None:
    system.create_store()
    path = user_path(system.data_dir, 44)
    path.parent.mkdir(parents=True, mode=0o700)
    path.write_bytes(b'{"user": {"44": {"id": 44, "lang": "ru", "tz": "Eur')
    system.start()
    system.handle.tell(LoadUser(44, system.replies))
    loaded = system.next()
    assert isinstance(loaded, UserLoaded) and loaded.user is None
    assert loaded.failed is not None and "invalid JSON" in loaded.failed
    alert = system.next(system.alerts)
    assert isinstance(alert, Alert) and alert.kind == "storage" and "user 44" in alert.text
    assert not path.exists() and len(list(path.parent.glob("44.json.corrupt-*"))) == 1
    system.handle.tell(LoadUser(44, system.replies))  # still not mistaken for a new user
    assert system.next().failed is not None
    assert system.status()["quarantined"] == 1
    system.stop()


def test_an_io_error_fails_only_its_writers_and_alerts_the_admin(system: Harness) -> None:
    system.create_store()
    blocked = user_path(system.data_dir, 2002)
    blocked.mkdir(parents=True)  # a directory where the file must go: a real OSError
    system.save(2002, a_user(2002), seq=1)
    system.save(9, a_user(9), seq=2)
    system.save(2002, a_user(2002, "x"), seq=3)
    system.start()
    first, second, third = system.next(), system.next(), system.next()
    assert isinstance(first, SaveFailed) and (first.user_id, first.seq) == (2002, 1)
    assert first.then == ("ok-1",)
    assert second == UserSaved(9, 2, ("ok-2",))
    assert isinstance(third, SaveFailed) and third.seq == 3
    alert = system.next(system.alerts)
    assert alert.kind == "storage" and "could not save 1 user record" in alert.text
    fields = system.status()
    assert fields["failed_saves"] == 2 and fields["last_error"]
    system.stop()


def test_erasing_a_user_removes_the_record_and_the_wake_entry(system: Harness) -> None:
    system.start()
    system.save(11, a_user(11), seq=1, wake=60.0)
    system.save(12, a_user(12), seq=2, wake=30.0)
    assert [type(system.next()), type(system.next())] == [UserSaved, UserSaved]
    system.save(11, None, seq=3)
    assert system.next() == UserSaved(11, 3, ("ok-3",))
    assert not user_path(system.data_dir, 11).exists()
    system.idle()  # when nothing waits, the exact wake entries reach the disk too
    with UserStore(system.data_dir, read_only=True) as reader:
        assert reader.wake_entries() == [(12, 30.0)]
    system.handle.tell(LoadWakeIndex(system.replies))
    assert system.next() == WakeIndex(((12, 30.0),))
    system.handle.tell(LoadUser(11, system.replies))
    assert system.next() == UserLoaded(11, None)
    system.stop()


def taken(day: int) -> Intake:
    return Intake(DoseRef("m1", f"2025-01-{day:02d}", "21:00"), "taken", None, "ибупрофен")


def with_history(user: User, days: range) -> User:
    return replace(user, history=tuple(taken(day) for day in days))


def test_old_intakes_reach_the_archive_in_the_same_commit_and_the_ack_follows_both(
    system: Harness,
) -> None:
    system.save(1, with_history(a_user(1), range(5, 9)), seq=1, archive=(taken(1), taken(2)))
    system.save(2, with_history(a_user(2), range(3, 4)), seq=2, archive=(taken(2),))
    later = with_history(a_user(1), range(6, 9))
    system.save(1, later, seq=3, archive=(taken(3), taken(4), taken(5)))
    system.save(1, later, seq=4, archive=(taken(5),))  # carried again: seq 3 is not acked yet
    system.start()
    assert system.next() == UserSaved(1, 1, ("ok-1",))
    # Acknowledged: both files are already on disk, whatever comes later.
    assert read_archive(system.data_dir, 1) == tuple(taken(day) for day in range(1, 6))
    assert read_user(system.data_dir, 1) == with_history(a_user(1), range(6, 9))
    assert [system.next() for _ in range(3)] == [
        UserSaved(2, 2, ("ok-2",)), UserSaved(1, 3, ("ok-3",)), UserSaved(1, 4, ("ok-4",))
    ]
    assert read_archive(system.data_dir, 2) == (taken(2),)
    fields = system.status()
    assert fields["batches"] == 1 and fields["archive_appends"] == 2 and fields["writes"] == 2
    assert archive_path(system.data_dir, 1, 1000).read_bytes().count(b"\n") == 5  # once each
    system.stop()


def test_a_failed_append_fails_the_save_and_leaves_the_record_as_it_was(system: Harness) -> None:
    system.start()
    system.save(3, with_history(a_user(3), range(1, 9)), seq=1)
    assert isinstance(system.next(), UserSaved)
    archive_path(system.data_dir, 3, 1000).mkdir(parents=True)  # a real OSError on open
    system.save(3, with_history(a_user(3, "2"), range(4, 9)), seq=2, archive=(taken(1), taken(2)))
    failed = system.next()
    assert isinstance(failed, SaveFailed) and failed.seq == 2 and "archive" in failed.error
    assert failed.then == ("ok-2",)
    assert read_user(system.data_dir, 3) == with_history(a_user(3), range(1, 9))
    assert isinstance(system.next(system.alerts), Alert)
    system.stop()


def test_erasing_a_user_removes_their_archive_even_behind_saves_that_archive(
    system: Harness,
) -> None:
    system.start()
    system.save(15, with_history(a_user(15), range(3, 5)), seq=1, archive=(taken(1),))
    assert isinstance(system.next(), UserSaved)
    system.stop()
    system.save(15, with_history(a_user(15), range(4, 5)), seq=2, archive=(taken(3),))
    system.save(15, None, seq=3)
    system.save(15, a_user(15), seq=4)  # someone new under the same id, in the same batch
    system.start()
    assert [system.next() for _ in range(3)] == [
        UserSaved(15, seq, (f"ok-{seq}",)) for seq in (2, 3, 4)
    ]
    assert not archive_path(system.data_dir, 15, 1000).exists()
    assert read_archive(system.data_dir, 15) == ()
    assert read_user(system.data_dir, 15) == a_user(15)
    system.save(15, None, seq=5)
    assert system.next() == UserSaved(15, 5, ("ok-5",))
    assert not user_path(system.data_dir, 15).exists()
    system.stop()


def test_raised_wake_entries_reach_the_disk_later_and_at_stop(system: Harness) -> None:
    system.start(index_delay=3600.0)
    system.save(21, a_user(21), seq=1, wake=500.0)
    assert isinstance(system.next(), UserSaved)
    system.save(21, a_user(21, "2"), seq=2, wake=900.0)  # later: not on the ack's path
    assert isinstance(system.next(), UserSaved)
    system.save(22, a_user(22), seq=3, wake=100.0)  # new: lowered on disk before the ack
    assert isinstance(system.next(), UserSaved)
    system.handle.tell(LoadWakeIndex(system.replies))
    assert system.next() == WakeIndex(((22, 100.0), (21, 900.0)))  # the owner knows the truth
    with UserStore(system.data_dir, read_only=True) as reader:
        assert reader.wake_entries() == [(22, 100.0), (21, 500.0)]  # early on disk: safe
    system.stop()
    with UserStore(system.data_dir, read_only=True) as reader:
        assert reader.wake_entries() == [(22, 100.0), (21, 900.0)]


@pytest.mark.parametrize(
    "save, why",
    [
        (SaveUser(1, a_user(2), None, 1, None), "another user id"),
        (SaveUser(1, a_user(1), float("nan"), 1, None), "not finite"),
        (SaveUser(1, a_user(1), None, 1, None, archive=("m1",)), "not a tuple of intakes"),
        (SaveUser(1, None, None, 1, None, archive=(taken(1),)), "erase cannot archive"),
    ],
)
def test_a_malformed_save_is_refused_at_once(system: Harness, save: SaveUser, why: str) -> None:
    system.start()
    system.handle.tell(replace(save, reply_to=system.replies))
    failed = system.next()
    assert isinstance(failed, SaveFailed) and why in failed.error
    assert read_user(system.data_dir, 1) is None
    system.stop()


def test_open_databases_stay_bounded_under_many_users(tmp_path: Path) -> None:
    activity = Activity()
    handle, replies = Handle("persistence", activity), Handle("replies")
    ref = PersistenceActor.start(handle, None, tmp_path / "data", cache_size=8, timers=start_timers())
    try:
        for user_id in range(1, 101):
            handle.tell(SaveUser(user_id, a_user(user_id), float(user_id), user_id, replies))
            handle.tell(LoadUser(user_id, replies))
        assert activity.wait_idle(TIMEOUT)
        report = handle.ask(StatusRequest(replies), timeout=TIMEOUT)
        assert report.fields["open_databases"] <= 8 and report.fields["saves"] == 100
        handle.ask(Flush(), timeout=TIMEOUT)
        index = handle.ask(LoadWakeIndex(replies), timeout=TIMEOUT)
        assert [uid for uid, _ in index.entries] == list(range(1, 101))
    finally:
        handle.tell(Stop())
        assert ref.actor_stopped.wait(TIMEOUT)
    assert json.loads((tmp_path / "data" / "meta.json").read_text())["format"] == 1


def test_a_batch_is_capped_but_takes_every_save_of_a_person_who_waits_and_keeps_each_persons_order() -> None:
    from actors.mailbox import Handle as AnyHandle
    from actors.persistence import MAX_BATCH, _next_batch

    box = AnyHandle("box")

    def save(uid: int, seq: int, urgent: bool = False) -> SaveUser:
        return SaveUser(uid, None, None, seq, box, urgent=urgent)

    bulk = [save(uid, uid) for uid in range(1000, 1000 + MAX_BATCH + 50)]
    pending = [save(7, 1), *bulk, save(7, 2, urgent=True), save(8, 3)]
    batch, rest = _next_batch(pending)
    assert [s.seq for s in batch if s.user_id == 7] == [1, 2]  # the person's both saves, in order
    assert len(batch) == MAX_BATCH + 1 and batch[1:MAX_BATCH] == bulk[:MAX_BATCH - 1]
    assert rest == [*bulk[MAX_BATCH - 1:], save(8, 3)]
    assert _next_batch(rest[:3]) == (rest[:3], [])
