"""kill -9 against `medbot run` (a real subprocess, the fake Bot API over HTTP): what a person
sent is handled after the restart exactly once, and what they are owed is sent exactly once,
wherever the kill falls."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from medbot.storage import read_user
from tests.e2e.test_daemon import Daemon, confirmed_adds
from tests.fakes.telegram_server import FakeBotAPI
from tests.waiting import wait_until

PERSON = 8301


@pytest.fixture
def runs(tmp_path: Path, fake_telegram: FakeBotAPI) -> Iterator[list[Daemon]]:
    """Successive runs on one data directory; each test starts them with `start(runs, ...)`."""
    started: list[Daemon] = []
    yield started
    for daemon in started:
        daemon.stop()


def start(runs: list[Daemon], tmp: Path, telegram: FakeBotAPI) -> Daemon:
    daemon = Daemon(tmp, telegram, None, run=len(runs))
    runs.append(daemon)
    assert daemon.ready(), daemon.log()[-3000:]
    return daemon


def meds_of(daemon: Daemon, person: int) -> list[tuple[str, tuple[str, ...]]]:
    user = read_user(daemon.data_dir, person)
    return [] if user is None else [(med.name, med.times) for med in user.medications]


@pytest.mark.slow  # real time: a subprocess is killed, and a second answer waited for
def test_a_kill_after_the_inbox_stored_an_update_handles_it_once_after_the_restart(
    runs: list[Daemon], tmp_path: Path, fake_telegram: FakeBotAPI
) -> None:
    first = start(runs, tmp_path, fake_telegram)
    first.control_command("drill-hang users")  # received and stored, never applied
    fake_telegram.push_text(PERSON, "добавь аспирин в 10:00")
    assert fake_telegram.wait_for(lambda: fake_telegram.pending_updates == 0)  # confirmed to Telegram
    first.kill()
    assert meds_of(first, PERSON) == [] and confirmed_adds(fake_telegram, PERSON) == []

    second = start(runs, tmp_path, fake_telegram)
    assert wait_until(lambda: confirmed_adds(fake_telegram, PERSON), timeout=30), second.log()[-3000:]
    time.sleep(1.0)  # room for a second answer, were one coming
    assert len(fake_telegram.sent_texts(PERSON)) == 2  # the welcome and the one confirmation
    assert meds_of(second, PERSON) == [("аспирин", ("10:00",))]


@pytest.mark.slow  # real time: a subprocess is killed, and a second answer waited for
def test_a_kill_before_an_update_was_stored_gets_it_from_telegram_again(
    runs: list[Daemon], tmp_path: Path, fake_telegram: FakeBotAPI
) -> None:
    first = start(runs, tmp_path, fake_telegram)
    first.control_command("drill-hang persistence")  # nothing reaches the disk any more
    fake_telegram.push_text(PERSON, "добавь аспирин в 10:00")
    assert wait_until(lambda: any(call.ok and call.result for call in fake_telegram.calls("getUpdates")))
    first.kill()
    assert fake_telegram.pending_updates == 1  # never confirmed

    second = start(runs, tmp_path, fake_telegram)
    assert wait_until(lambda: confirmed_adds(fake_telegram, PERSON), timeout=30), second.log()[-3000:]
    time.sleep(1.0)
    assert len(confirmed_adds(fake_telegram, PERSON)) == 1
    assert meds_of(second, PERSON) == [("аспирин", ("10:00",))]


@pytest.mark.slow  # real time: a subprocess is killed, and a second answer waited for
def test_a_kill_between_the_save_and_the_send_sends_the_confirmation_once_after_the_restart(
    runs: list[Daemon], tmp_path: Path, fake_telegram: FakeBotAPI
) -> None:
    first = start(runs, tmp_path, fake_telegram)
    fake_telegram.push_text(PERSON, "/start")
    assert wait_until(lambda: fake_telegram.sent_texts(PERSON), timeout=30)
    # The confirmation never leaves, nor does any resend after the client's read timeout (15 s):
    # on a loaded machine the kill below may come later than that.
    fake_telegram.hang_next("sendMessage", 60, count=8, applied=False)
    fake_telegram.push_text(PERSON, "добавь аспирин в 10:00")
    assert wait_until(lambda: meds_of(first, PERSON) == [("аспирин", ("10:00",))], timeout=30)
    first.kill()
    fake_telegram.clear_faults()
    assert confirmed_adds(fake_telegram, PERSON) == [], first.log()[-3000:]

    second = start(runs, tmp_path, fake_telegram)
    assert wait_until(lambda: confirmed_adds(fake_telegram, PERSON), timeout=30), second.log()[-3000:]
    time.sleep(1.0)
    texts = fake_telegram.sent_texts(PERSON)
    assert len(confirmed_adds(fake_telegram, PERSON)) == 1
    assert not any("уже" in text.lower() for text in texts)  # not applied a second time
    assert meds_of(second, PERSON) == [("аспирин", ("10:00",))]


@pytest.mark.slow
def test_kill_9_drill_loses_no_confirmed_change_and_leaves_no_message_unanswered(
    runs: list[Daemon], tmp_path: Path, fake_telegram: FakeBotAPI
) -> None:
    """Dozens of kills at random instants while people write; after the last restart every
    message has its one answer and every confirmed change is on disk."""
    rng = random.Random(20261206)
    people = list(range(8400, 8406))
    fake_telegram.disable_limits()
    pushed: dict[int, int] = dict.fromkeys(people, 0)
    kills = 24
    for kill in range(kills):
        daemon = start(runs, tmp_path, fake_telegram)
        for person in people:
            fake_telegram.push_text(person, f"добавь лекарство{kill} в {kill % 24:02d}:{people.index(person):02d}")
            pushed[person] += 1
        time.sleep(rng.uniform(0.0, 0.4))
        daemon.kill()
    final = start(runs, tmp_path, fake_telegram)

    def answered() -> bool:
        return all(len(confirmed_adds(fake_telegram, p)) >= pushed[p] for p in people)

    assert wait_until(answered, timeout=120), final.log()[-3000:]
    time.sleep(1.0)
    for person in people:
        confirmations = confirmed_adds(fake_telegram, person)
        stored = {(name, times[0]) for name, times in meds_of(final, person)}
        assert len(stored) == pushed[person], person  # each message applied once
        for text in confirmations:
            name, at = text.split(": ", 1)[1].split(" — ")
            assert (name, at[:5]) in stored, (person, text)
        # Exactly once where it could be known; a kill between Telegram's delivery and the
        # record of it may repeat a confirmation, never more than the kills.
        assert len(confirmations) - pushed[person] <= kills


@pytest.mark.slow
def test_a_stuck_core_actor_is_caught_without_systemd_shown_by_status_and_the_process_exits_1(
    tmp_path: Path, fake_telegram: FakeBotAPI
) -> None:
    import json
    import subprocess
    import sys

    daemon = Daemon(tmp_path, fake_telegram, None, WATCHDOG_USEC="", MEDBOT_LIVENESS_INTERVAL="0.5",
                    MEDBOT_STUCK_EXIT="4")
    try:
        assert daemon.ready(), daemon.log()[-3000:]
        fake_telegram.push_text(PERSON, "добавь аспирин в 10:00")
        assert wait_until(lambda: confirmed_adds(fake_telegram, PERSON), timeout=30)
        assert daemon.control_command("drill-hang persistence")["ok"] is True

        def stuck_in_status() -> bool:
            done = subprocess.run(
                [sys.executable, "-m", "medbot.cli", "status", "--json", "--socket", str(daemon.control)],
                capture_output=True, text=True, timeout=30,
            )
            if done.returncode != 0:
                return False
            status = json.loads(done.stdout)
            return status["watchdog"]["healthy"] is False and any(
                child["name"] == "persistence" and child["stuck"] for child in status["tree"])

        assert wait_until(stuck_in_status, timeout=20), daemon.log()[-3000:]
        assert daemon.process.wait(timeout=40) == 1  # given up on, for the service manager to restart
        assert "event=core_actor_stuck actors=persistence" in daemon.log()
    finally:
        daemon.stop()
    again = Daemon(tmp_path, fake_telegram, None, run=1)
    try:
        assert again.ready(), again.log()[-3000:]
        assert meds_of(again, PERSON) == [("аспирин", ("10:00",))]
    finally:
        again.stop()
