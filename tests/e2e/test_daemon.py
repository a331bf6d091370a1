"""`medbot run` as systemd runs it: a real subprocess against the fake Bot API and fake Groq,
with NOTIFY_SOCKET pointing at a datagram socket this test reads."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from medbot.storage import read_user
from tests.fakes.fixtures import TEST_BOT_TOKEN, TEST_GROQ_API_KEY
from tests.fakes.groq_server import FakeGroq
from tests.fakes.telegram_server import FakeBotAPI
from tests.waiting import wait_until


class Notifications:
    """The systemd side of sd_notify: a datagram socket collecting what the daemon says."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.received: list[tuple[float, str]] = []
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while self.running:
            try:
                data = self.sock.recv(4096)
            except (TimeoutError, OSError):
                continue
            for line in data.decode().splitlines():
                self.received.append((time.monotonic(), line))

    def lines(self, prefix: str) -> list[tuple[float, str]]:
        return [(at, line) for at, line in self.received if line.startswith(prefix)]

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


class Daemon:
    def __init__(self, tmp: Path, telegram: FakeBotAPI, groq: FakeGroq | None, run: int = 0, **env: str) -> None:
        """`run` > 0: a later run on the same data directory (its own sockets and log)."""
        suffix = f"-{run}" if run else ""
        self.data_dir = tmp / "data"
        self.control = tmp / f"control{suffix}.sock"
        self.notify = Notifications(tmp / f"notify{suffix}.sock")
        self.stderr_path = tmp / f"stderr{suffix}.log"
        environment = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("MEDBOT_", "GROQ_", "NOTIFY_", "WATCHDOG_"))
        }
        environment.update({
            "MEDBOT_TELEGRAM_TOKEN": TEST_BOT_TOKEN,
            "MEDBOT_TELEGRAM_API_URL": telegram.base_url,
            "MEDBOT_DATA_DIR": str(self.data_dir),
            "MEDBOT_CONTROL_SOCKET": str(self.control),
            "MEDBOT_POLL_TIMEOUT": "1",
            "MEDBOT_LOG_LEVEL": "DEBUG",
            "NOTIFY_SOCKET": str(self.notify.path),
            "WATCHDOG_USEC": "2000000",
            "MEDBOT_DRILLS": "1",
            "MEDBOT_CONFIG": str(tmp / "absent.toml"),
        })
        if groq is not None:
            environment.update({"GROQ_API_KEY": TEST_GROQ_API_KEY, "MEDBOT_GROQ_BASE_URL": groq.base_url})
        environment.update(env)
        (tmp / "absent.toml").write_text("")
        self.stderr = open(self.stderr_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "medbot.cli", "run"],
            env=environment, stdout=subprocess.DEVNULL, stderr=self.stderr,
        )

    def ready(self, timeout: float = 60) -> bool:
        return wait_until(lambda: self.notify.lines("READY=1") or self.process.poll() is not None,
                          timeout) and bool(self.notify.lines("READY=1"))

    def status(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "medbot.cli", "status", "--socket", str(self.control), *args],
            capture_output=True, text=True, timeout=30,
        )

    def control_command(self, command: str) -> dict:
        from medbot.shell.control import query

        return query(self.control, command)

    def log(self) -> str:
        if not self.stderr.closed:
            self.stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9: no handler runs, nothing is flushed; only what is on disk is left."""
        self.process.kill()
        self.process.wait()
        self.notify.close()
        self.stderr.close()

    def stop(self) -> int:
        if self.stderr.closed:
            return self.process.returncode
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.notify.close()
        self.stderr.close()
        return code


@pytest.fixture
def daemon(tmp_path: Path, fake_telegram: FakeBotAPI, fake_groq: FakeGroq) -> Iterator[Daemon]:
    running = Daemon(tmp_path, fake_telegram, fake_groq)
    yield running
    running.stop()


def confirmed_adds(telegram: FakeBotAPI, person: int) -> list[str]:
    return [text for text in telegram.sent_texts(person) if text.startswith(("Добавлено", "Added"))]


def test_ready_after_getme_then_watchdog_pings_and_status(daemon: Daemon, fake_telegram: FakeBotAPI) -> None:
    assert daemon.ready(), daemon.log()[-3000:]
    ready_at = daemon.notify.lines("READY=1")[0][0]
    get_me = fake_telegram.calls("getMe")
    assert get_me and get_me[0].at < ready_at  # READY=1 only after Telegram answered getMe
    assert wait_until(lambda: len(daemon.notify.lines("WATCHDOG=1")) >= 3, timeout=20)
    assert any("active users" in line for _, line in daemon.notify.lines("STATUS="))

    fake_telegram.push_text(8001, "добавь аспирин в 9:00")
    assert wait_until(lambda: confirmed_adds(fake_telegram, 8001), timeout=30)

    done = daemon.status("--json")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    names = [child["name"] for child in status["tree"]]
    assert names == ["clock", "timers", "persistence", "llm", "telegram", "users", "poller"]
    assert all(child["alive"] for child in status["tree"])
    assert status["users"]["live"] >= 1
    human = daemon.status()
    assert human.returncode == 0 and "persistence" in human.stdout


def test_watchdog_pings_stop_when_a_core_actor_hangs(
    daemon: Daemon, fake_telegram: FakeBotAPI
) -> None:
    assert daemon.ready(), daemon.log()[-3000:]
    fake_telegram.push_text(8401, "добавь аспирин в 9:00")
    assert wait_until(lambda: confirmed_adds(fake_telegram, 8401), timeout=30)
    assert wait_until(lambda: len(daemon.notify.lines("WATCHDOG=1")) >= 2, timeout=20)
    assert daemon.control_command("drill-hang persistence")["ok"] is True
    hung_at = time.monotonic()
    # One interval may still be judged healthy; after that the pings must stop.
    wait_until(lambda: False, timeout=6)
    late = [at for at, _ in daemon.notify.lines("WATCHDOG=1") if at > hung_at + 3.5]
    assert late == []
    assert "unresponsive" in daemon.log()
    # A stuck daemon cannot stop in order; one SIGTERM still ends it within the unit's
    # TimeoutStopSec (30 s), not at systemd's SIGKILL, and the data is intact.
    signalled = time.monotonic()
    daemon.process.send_signal(signal.SIGTERM)
    assert daemon.process.wait(timeout=35) != 0
    assert time.monotonic() - signalled < 30
    assert "exit_with_stuck_threads" in daemon.log()
    assert read_user(daemon.data_dir, 8401).medications[0].name == "аспирин"


def test_sigterm_during_traffic_exits_zero_with_every_acknowledged_change_on_disk(
    daemon: Daemon, fake_telegram: FakeBotAPI
) -> None:
    assert daemon.ready(), daemon.log()[-3000:]
    people = range(8100, 8110)
    for round_ in range(5):
        for person in people:
            fake_telegram.push_text(person, f"добавь лекарство{round_} в {8 + round_}:00")
    assert wait_until(lambda: sum(len(confirmed_adds(fake_telegram, p)) for p in people) >= 10, timeout=30)
    daemon.process.send_signal(signal.SIGTERM)  # while the rest is still flowing
    assert daemon.process.wait(timeout=40) == 0, daemon.log()[-3000:]
    assert daemon.notify.lines("STOPPING=1")
    for person in people:
        confirmed = confirmed_adds(fake_telegram, person)
        user = read_user(daemon.data_dir, person)
        stored = set() if user is None else {med.name for med in user.medications}
        for text in confirmed:
            name = text.split(": ", 1)[1].split(" — ")[0]
            assert name in stored, (person, text)


def test_a_debug_log_holds_neither_the_token_nor_the_groq_key(
    daemon: Daemon, fake_telegram: FakeBotAPI, fake_groq: FakeGroq
) -> None:
    assert daemon.ready(), daemon.log()[-3000:]
    fake_groq.reply_json({"command": "unknown", "medications": [], "old_time": None,
                          "timezone": None, "lang": "en"})
    fake_telegram.push_text(8201, "remind me to take two ibuprofen at 8", language_code="en")
    fake_telegram.push_text(8202, "добавь аспирин в 9:00")
    assert wait_until(lambda: fake_groq.requests and confirmed_adds(fake_telegram, 8202), timeout=30)
    fake_telegram.fail_next("sendMessage", 502)  # an error path that quotes URLs
    fake_telegram.push_text(8202, "что я принимаю?")
    assert wait_until(lambda: len(fake_telegram.sent_texts(8202)) >= 3, timeout=30)
    assert daemon.stop() == 0
    log = daemon.log()
    assert "DEBUG" in log and "getUpdates" in log  # it really was a DEBUG log
    assert TEST_BOT_TOKEN not in log
    assert TEST_BOT_TOKEN.split(":")[1] not in log
    assert TEST_GROQ_API_KEY not in log
    assert "аспирин" not in "\n".join(line for line in log.splitlines() if line.startswith(("INFO", "WARNING", "ERROR")))
