"""sd_notify: real datagrams to a real AF_UNIX socket standing in for systemd's."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from medbot.shell import sdnotify


def receive(sock: socket.socket) -> str:
    sock.settimeout(10.0)
    return sock.recv(4096).decode("utf-8")


@pytest.fixture
def systemd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    """A notify socket on a path, as systemd sets it up, named in $NOTIFY_SOCKET."""
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        yield sock


def test_ready_status_watchdog_and_stopping_arrive_as_systemd_expects(
    systemd: socket.socket,
) -> None:
    assert sdnotify.ready() is True
    assert receive(systemd) == "READY=1"
    assert sdnotify.status("active users 3, reminders sent today 4") is True
    assert receive(systemd) == "STATUS=active users 3, reminders sent today 4"
    assert sdnotify.watchdog() is True
    assert receive(systemd) == "WATCHDOG=1"
    assert sdnotify.stopping() is True
    assert receive(systemd) == "STOPPING=1"


def test_a_status_with_line_breaks_stays_one_assignment(systemd: socket.socket) -> None:
    """A newline would start a new KEY=VALUE: "READY=1" smuggled into a status must not count."""
    assert sdnotify.status("waiting\nREADY=1")
    assert receive(systemd) == "STATUS=waiting READY=1"


def test_status_text_is_sent_as_utf8(systemd: socket.socket) -> None:
    assert sdnotify.status("активных пользователей: 3")
    assert receive(systemd) == "STATUS=активных пользователей: 3"


def test_extend_timeout_asks_for_microseconds(systemd: socket.socket) -> None:
    assert sdnotify.extend_timeout(90)
    assert receive(systemd) == "EXTEND_TIMEOUT_USEC=90000000"
    assert sdnotify.extend_timeout(0) is False


def test_abstract_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"medbot-test-{secrets.token_hex(8)}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        assert sdnotify.ready() is True
        assert receive(sock) == "READY=1"


def test_an_explicit_environment_is_used_instead_of_the_process_one(tmp_path: Path) -> None:
    path = tmp_path / "other"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        assert sdnotify.notify("WATCHDOG=1", env={"NOTIFY_SOCKET": str(path)}) is True
        assert receive(sock) == "WATCHDOG=1"


def test_outside_systemd_every_call_is_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert [sdnotify.ready(), sdnotify.watchdog(), sdnotify.status("x"), sdnotify.stopping()] == [
        False, False, False, False,
    ]


@pytest.mark.parametrize("value", ["", "relative/path", "vsock:2:1234", "@"])
def test_addresses_we_cannot_use_are_false(value: str) -> None:
    assert sdnotify.notify("READY=1", env={"NOTIFY_SOCKET": value}) is False


def test_a_socket_that_is_gone_is_false_not_an_exception(tmp_path: Path) -> None:
    assert sdnotify.notify("READY=1", env={"NOTIFY_SOCKET": str(tmp_path / "missing")}) is False
    stream = tmp_path / "stream"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(stream))  # wrong socket type: connect fails
        assert sdnotify.notify("READY=1", env={"NOTIFY_SOCKET": str(stream)}) is False


def test_unencodable_text_is_false_not_an_exception(systemd: socket.socket) -> None:
    assert sdnotify.notify("STATUS=\udcff") is False
    assert sdnotify.notify("") is False


def test_a_full_queue_gives_false_instead_of_blocking_forever(systemd: socket.socket) -> None:
    """systemd not reading (hung or busy) must not hang the watchdog loop: once the socket's
    queue is full, a ping gives up after SEND_TIMEOUT."""
    results = []
    while len(results) < 1000 and False not in results:
        results.append(sdnotify.watchdog())
    assert results[0] is True
    assert results[-1] is False


# --- the watchdog interval ------------------------------------------------------------------


def test_watchdog_interval_is_half_of_watchdog_usec() -> None:
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "60000000"}) == 30.0
    pid = str(os.getpid())
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "1000000", "WATCHDOG_PID": pid}) == 0.5


def test_watchdog_meant_for_another_process_is_none() -> None:
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"}) is None


@pytest.mark.parametrize(
    "env",
    [{}, {"WATCHDOG_USEC": ""}, {"WATCHDOG_USEC": "0"}, {"WATCHDOG_USEC": "-5"},
     {"WATCHDOG_USEC": "soon"}, {"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "me"}],
)
def test_no_or_nonsensical_watchdog_is_none(env: dict[str, str]) -> None:
    assert sdnotify.watchdog_interval(env) is None


def test_watchdog_interval_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "20000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert sdnotify.watchdog_interval() == 10.0
