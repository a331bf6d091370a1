"""The TelegramPoller with the real pyTelegramBotAPI against the fake Bot API over HTTP."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from actors.activity import Activity
from actors.clock import start_timers
from actors.mailbox import Handle
from actors.messages import InboundCallback, InboundOther, InboundText, StatusReport, StatusRequest, Stop
from actors.poller import CONFLICT_FIRST_RETRY, FIRST_BACKOFF, MAX_BACKOFF, SLOW_RETRY, TelegramPoller
from medbot.shell.retries import backoff
from medbot.shell.settings import Settings
from tests.actors.test_telegram import Recorder, recorder
from tests.fakes.fixtures import TEST_BOT_TOKEN, fake_telegram  # noqa: F401 - the fixture
from tests.fakes.telegram_server import FakeBotAPI
from tests.shell.test_telegram_api import restore_apihelper  # noqa: F401 - autouse fixture
from tests.waiting import wait_until


@dataclass
class PollRig:
    fake: FakeBotAPI
    activity: Activity
    settings: Settings
    poller: Handle
    users: Handle
    seen: list[Any]

    def start(self) -> Any:
        return TelegramPoller.start(self.poller, None, self.settings, self.users)

    def inbound(self) -> list[Any]:
        return [m for m in self.seen if isinstance(m, (InboundText, InboundCallback, InboundOther))]

    def stop(self, ref: Any) -> None:
        self.poller.tell(Stop())
        assert ref.actor_stopped.wait(10), "the poller did not stop promptly"

    def status(self) -> dict[str, Any]:
        box, answers = Handle("status-box"), []
        Recorder.start(box, answers)
        self.poller.tell(StatusRequest(box))
        assert wait_until(lambda: answers)
        report = answers[0]
        assert isinstance(report, StatusReport) and report.name == "poller"
        return report.fields


@pytest.fixture
def rig(fake_telegram: FakeBotAPI) -> Iterator[PollRig]:  # noqa: F811
    activity = Activity()
    settings = Settings(telegram_token=TEST_BOT_TOKEN, telegram_api_url=fake_telegram.base_url, poll_timeout=1)
    users, seen = recorder("users", activity)
    rig = PollRig(fake_telegram, activity, settings, Handle("poller", activity), users, seen)
    yield rig
    rig.poller.close()


def test_routes_text_callbacks_and_stickers_and_advances_the_offset(rig: PollRig) -> None:
    ref = rig.start()
    text = rig.fake.push_text(11, "Добавь аспирин в 10:00", language_code="ru")
    rig.fake.push_sticker(11)
    press = rig.fake.push_callback(11, "take:1", text["message"]["message_id"], require_button=False,
                                   language_code="en")
    assert wait_until(lambda: len(rig.inbound()) == 3)
    assert rig.inbound() == [
        InboundText(11, 11, "Добавь аспирин в 10:00", text["message"]["message_id"], "ru",
                    float(text["message"]["date"]), update_id=text["update_id"], first_name="User 11"),
        InboundOther(11, 11, "sticker", "ru", update_id=text["update_id"] + 1),
        InboundCallback(11, 11, press["callback_query"]["id"], "take:1", text["message"]["message_id"], "en",
                        update_id=press["update_id"], first_name="User 11"),
    ]
    assert rig.fake.wait_for(lambda: rig.fake.pending_updates == 0)  # confirmed by the next poll
    last_id = press["update_id"]
    assert any(call.params.get("offset") == last_id + 1 for call in rig.fake.calls("getUpdates"))
    fields = rig.status()
    assert fields["updates"] == 3 and fields["offset"] == last_id + 1 and fields["errors"] == 0
    rig.stop(ref)


def test_survives_a_bad_gateway(rig: PollRig, caplog: pytest.LogCaptureFixture) -> None:
    rig.fake.fail_next("getUpdates", 502)
    ref = rig.start()
    assert rig.fake.wait_for(lambda: len(rig.fake.calls("getUpdates", ok=False)) == 1)
    rig.fake.push_text(12, "ещё здесь?")
    assert wait_until(lambda: len(rig.inbound()) == 1)
    fields = rig.status()
    assert fields["errors"] == 1 and "502" in fields["last_error"] and TEST_BOT_TOKEN not in fields["last_error"]
    assert "event=poller_error failure=transient" in caplog.text
    rig.stop(ref)


def test_a_first_conflict_is_retried_within_seconds(rig: PollRig, caplog: pytest.LogCaptureFixture) -> None:
    rig.fake.fail_next("getUpdates", 409)  # the previous run's long poll, still open
    ref = rig.start()
    assert wait_until(lambda: "another process is polling with this bot token" in caplog.text)
    assert 0 < rig.status()["retry_in"] <= CONFLICT_FIRST_RETRY
    rig.fake.push_text(14, "я здесь")
    assert wait_until(lambda: len(rig.inbound()) == 1, timeout=10)
    assert TEST_BOT_TOKEN not in caplog.text
    rig.stop(ref)


def test_conflicts_that_go_on_slow_down_to_the_slow_retry() -> None:
    waits = [backoff(n, first=CONFLICT_FIRST_RETRY, cap=SLOW_RETRY) for n in range(1, 12)]
    assert waits[0] <= CONFLICT_FIRST_RETRY and all(w <= SLOW_RETRY for w in waits)
    assert waits[-1] >= SLOW_RETRY / 2


def test_a_revoked_token_is_logged_clearly_and_retried_slowly(
    rig: PollRig, caplog: pytest.LogCaptureFixture,
) -> None:
    rig.fake.fail_next("getUpdates", 401)
    ref = rig.start()
    assert wait_until(lambda: "Telegram rejected the bot token" in caplog.text)
    errors = [r for r in caplog.records if r.name == "actors.poller" and r.levelno == logging.ERROR]
    assert errors and all(TEST_BOT_TOKEN not in r.getMessage() for r in errors)
    assert rig.status()["retry_in"] > 30
    assert len(rig.fake.calls("getUpdates")) == 1  # not hammering Telegram
    rig.stop(ref)  # a long back-off never holds up a stop


def test_a_poll_that_ends_after_stop_was_queued_is_not_routed(rig: PollRig) -> None:
    rig.settings = Settings(telegram_token=TEST_BOT_TOKEN, telegram_api_url=rig.fake.base_url, poll_timeout=5)
    ref = rig.start()
    assert rig.fake.wait_for(lambda: rig.fake.polls_waiting == 1)
    rig.poller.tell(Stop())
    rig.fake.push_text(13, "первое")
    assert ref.actor_stopped.wait(10)
    assert rig.inbound() == [] and rig.fake.pending_updates == 1  # Telegram keeps it for the next run
    again = rig.start()
    assert wait_until(lambda: len(rig.inbound()) == 1)
    assert rig.inbound()[0].text == "первое"
    rig.stop(again)


def test_nothing_is_delivered_twice_across_a_restart(rig: PollRig) -> None:
    class StopOnFirst(Recorder):
        def receive(self, message: Any) -> None:
            super().receive(message)
            if isinstance(message, InboundText) and message.text == "1":
                rig.poller.tell(Stop())

    rig.users = Handle("users-stopping", rig.activity)
    StopOnFirst.start(rig.users, rig.seen)
    rig.fake.push_text(14, "1")
    rig.fake.push_text(14, "2")
    ref = rig.start()
    assert ref.actor_stopped.wait(10)
    again = rig.start()
    rig.fake.push_text(14, "3")
    assert wait_until(lambda: [m.text for m in rig.inbound()][-1:] == ["3"])
    assert [m.text for m in rig.inbound()] == ["1", "2", "3"]
    rig.stop(again)


def test_waiting_for_people_is_idle_time(rig: PollRig) -> None:
    ref = rig.start()
    rig.fake.push_text(15, "hi")
    assert wait_until(lambda: len(rig.inbound()) == 1)
    assert rig.activity.wait_idle(10)  # the poller is in a long poll right now, yet the system is quiet
    poller_threads = [t for t in threading.enumerate() if t.name.startswith("TelegramPoller")]
    assert poller_threads and all(t.daemon for t in poller_threads)
    rig.stop(ref)


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    for failures, ceiling in ((1, 1.0), (2, 2.0), (4, 8.0), (10, 60.0), (50, 60.0)):
        samples = [backoff(failures, FIRST_BACKOFF, MAX_BACKOFF) for _ in range(50)]
        assert all(ceiling / 2 <= s <= ceiling for s in samples)
        assert len(set(samples)) > 1


# --- the durable inbox ---------------------------------------------------------------------


@pytest.fixture
def stored(rig: PollRig, tmp_path: Any) -> Iterator[tuple[Handle, Any]]:
    """A real PersistenceActor keeping the inbox in a temp data directory."""
    from actors.persistence import PersistenceActor

    handle = Handle("persistence", rig.activity)
    ref = PersistenceActor.start(handle, None, tmp_path, inbox_delay=0.0, timers=start_timers())
    yield handle, tmp_path
    handle.tell(Stop())
    assert ref.actor_stopped.wait(10)


def with_inbox(rig: PollRig, inbox: Handle) -> Any:
    return TelegramPoller.start(rig.poller, None, rig.settings, rig.users, inbox)


def test_a_batch_is_on_disk_before_it_is_confirmed_and_struck_off_once_handled(
    rig: PollRig, stored: tuple[Handle, Any]
) -> None:
    from actors.messages import UpdatesHandled
    from medbot.storage.inbox import Inbox

    persistence, data_dir = stored
    ref = with_inbox(rig, persistence)
    sent = rig.fake.push_text(11, "добавь аспирин в 10:00")
    assert wait_until(lambda: len(rig.inbound()) == 1)
    assert rig.inbound()[0].update_id == sent["update_id"]
    assert rig.fake.wait_for(lambda: rig.fake.pending_updates == 0)  # confirmed to Telegram ...
    assert [u["update_id"] for u in Inbox(data_dir).unhandled()] == [sent["update_id"]]  # ... once on disk
    persistence.tell(UpdatesHandled((sent["update_id"],)))
    assert wait_until(lambda: Inbox(data_dir).unhandled() == [])
    rig.stop(ref)


def test_at_start_what_the_inbox_holds_is_routed_once_and_telegrams_redelivery_dropped(
    rig: PollRig, tmp_path: Any
) -> None:
    from actors.persistence import PersistenceActor
    from medbot.storage.inbox import Inbox

    # The last run stored this batch, routed it, and was killed before anyone handled it or
    # the next getUpdates confirmed it: Telegram hands it out again too.
    left = rig.fake.push_text(11, "добавь аспирин в 10:00")
    Inbox(tmp_path).accept([dict(left)])
    persistence = Handle("persistence", rig.activity)
    store = PersistenceActor.start(persistence, None, tmp_path, timers=start_timers())
    ref = with_inbox(rig, persistence)
    later = rig.fake.push_text(12, "что я принимаю?")
    assert wait_until(lambda: len(rig.inbound()) == 2)
    assert [m.update_id for m in rig.inbound()] == [left["update_id"], later["update_id"]]
    assert rig.fake.wait_for(lambda: rig.fake.pending_updates == 0)
    assert len(rig.inbound()) == 2
    rig.stop(ref)
    # A restarted poller in the same run does not route the leftovers again.
    again = with_inbox(rig, persistence)
    assert wait_until(lambda: rig.status()["polls"] >= 1)
    assert len(rig.inbound()) == 2
    rig.stop(again)
    persistence.tell(Stop())
    assert store.actor_stopped.wait(10)


def test_a_batch_the_inbox_cannot_write_is_not_confirmed_and_comes_back(
    rig: PollRig, stored: tuple[Handle, Any]
) -> None:
    persistence, data_dir = stored
    ref = with_inbox(rig, persistence)
    assert wait_until(lambda: rig.status()["polls"] >= 1)
    blocker = data_dir / "inbox.json"
    blocker.mkdir()  # the inbox cannot be replaced: every write fails
    try:
        rig.fake.push_text(11, "добавь аспирин в 10:00")
        assert wait_until(lambda: rig.status()["errors"] >= 1)
        assert len(rig.inbound()) == 1 and rig.fake.pending_updates == 1  # handled, but kept by Telegram
    finally:
        blocker.rmdir()
    # After the back-off Telegram hands it out again: stored this time, and confirmed. (Routed
    # again too: the person's record recognises a change it already applied.)
    assert rig.fake.wait_for(lambda: rig.fake.pending_updates == 0, timeout=15)
    assert len(rig.inbound()) == 2 and rig.inbound()[0] == rig.inbound()[1]
    rig.stop(ref)
