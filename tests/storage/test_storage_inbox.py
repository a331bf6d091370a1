"""The durable inbox on disk: batches stored before they are confirmed to Telegram, Telegram's
redeliveries recognised, handled updates struck off, damage never taken for "empty"."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from medbot.storage.inbox import INBOX, MAX_PENDING, Inbox


def update(update_id: int, text: str = "добавь аспирин в 10:00") -> dict:
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 1, "text": text,
                                                 "chat": {"id": 7, "type": "private"},
                                                 "from": {"id": 7, "is_bot": False, "first_name": "A"}}}


def test_a_batch_is_on_disk_before_it_is_handed_back_and_a_new_inbox_sees_it(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    assert inbox.accept([update(10), update(11)]) == [update(10), update(11)]
    assert stat.S_IMODE((tmp_path / INBOX).stat().st_mode) == 0o600
    again = Inbox(tmp_path)  # what a restart after kill -9 finds
    assert again.high == 11 and again.unhandled() == [update(10), update(11)]


def test_telegrams_redelivery_of_a_stored_batch_is_recognised(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    inbox.accept([update(10), update(11)])
    writes = inbox.writes
    assert inbox.accept([update(10), update(11)]) == []
    assert inbox.writes == writes  # nothing new: no write
    assert inbox.accept([update(11), update(12)]) == [update(12)]


def test_handled_updates_leave_lazily_and_for_good_once_synced(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    inbox.accept([update(1), update(2), update(3)])
    inbox.handled([1, 3, 99])
    assert inbox.dirty and [u["update_id"] for u in inbox.unhandled()] == [2]
    assert [u["update_id"] for u in Inbox(tmp_path).unhandled()] == [1, 2, 3]  # not yet written
    inbox.sync()
    reopened = Inbox(tmp_path)
    assert [u["update_id"] for u in reopened.unhandled()] == [2] and reopened.high == 3
    inbox.handled([2])
    inbox.accept([update(4)])  # a new batch carries the removals along
    assert [u["update_id"] for u in Inbox(tmp_path).unhandled()] == [4]


def test_the_order_of_updates_survives_ids_of_different_lengths(tmp_path: Path) -> None:
    Inbox(tmp_path).accept([update(9), update(10), update(100)])
    assert [u["update_id"] for u in Inbox(tmp_path).unhandled()] == [9, 10, 100]


def test_lone_surrogates_of_a_forged_update_are_stored_well_formed(tmp_path: Path) -> None:
    forged = update(5, "a\ud800b")
    [stored] = Inbox(tmp_path).accept([forged])
    assert stored["message"]["text"] == "a?b"
    assert Inbox(tmp_path).unhandled()[0]["message"]["text"] == "a?b"


def test_updates_without_an_id_are_not_stored(tmp_path: Path) -> None:
    assert Inbox(tmp_path).accept([{"message": {}}, {"update_id": True}]) == []
    assert not (tmp_path / INBOX).exists()


def test_a_failed_write_leaves_the_inbox_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = Inbox(tmp_path)
    inbox.accept([update(1)])

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(inbox, "_write", refuse)
    with pytest.raises(OSError):
        inbox.accept([update(2)])
    assert inbox.high == 1 and [u["update_id"] for u in inbox.unhandled()] == [1]


def test_a_damaged_inbox_is_set_aside_and_reported_never_read_as_empty(tmp_path: Path) -> None:
    (tmp_path / INBOX).write_bytes(b'{"updates": {"1": {"update_')
    inbox = Inbox(tmp_path)
    assert inbox.incident is not None and "set aside" in inbox.incident
    assert inbox.unhandled() == [] and inbox.high is None
    assert list(tmp_path.glob(INBOX + ".corrupt-*"))
    assert inbox.accept([update(1)]) == [update(1)]
    assert json.loads((tmp_path / INBOX).read_text())["inbox"]["1"]["high"] == 1


def test_the_inbox_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("medbot.storage.inbox.MAX_PENDING", 3)
    inbox = Inbox(tmp_path)
    inbox.accept([update(n) for n in range(1, 6)])
    assert [u["update_id"] for u in inbox.unhandled()] == [3, 4, 5] and inbox.high == 5
    assert MAX_PENDING >= 1000
