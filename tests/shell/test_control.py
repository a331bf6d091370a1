"""The control socket: a real server on a real Unix socket, real clients, real threads."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medbot import __version__
from medbot.shell.control import (
    ControlError,
    ControlServer,
    query,
    render_status,
    socket_for_status,
    status_command,
)
from medbot.shell.redact import register_secret

FULL_STATUS: dict[str, Any] = {
    "version": "0.1.0",
    "uptime_s": 3723.4,
    "pid": 4242,
    "tree": [
        {"name": "clock", "alive": True, "restarts": 0, "mailbox": 0},
        {"name": "persistence", "alive": True, "restarts": 2, "mailbox": 7},
        {"name": "telegram", "alive": False, "restarts": 5, "mailbox": 31},
        {"name": "users", "alive": True, "restarts": 0, "mailbox": 1},
    ],
    "users": {"live": 3, "waiting": 0, "parked": 1, "restarts": 4},
    "telegram": {"queue": 12, "in_flight": 2, "sent_total": 10, "reminders_today": 4,
                 "last_error": "429 Too Many Requests: retry after 3"},
    "llm": {"configured": True, "model": "openai/gpt-oss-20b", "calls_today": 2,
            "requests_left_today": 998, "breaker": "closed", "last_error": None},
    "persistence": {"writes": 12, "batches": 9, "last_error": None},
    "clock": {"timers": 5, "fired": 40},
    "watchdog": {"healthy": True, "last_ok_s": 0.5},
}


def ask_raw(path: Path, request: bytes, timeout: float = 10.0) -> bytes:
    """Send bytes, read to EOF: exactly what the server put on the wire. (A server that closes
    with unread input resets the connection after its answer: that counts as EOF.)"""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(str(path))
        client.sendall(request)
        chunks = []
        try:
            while chunk := client.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    return b"".join(chunks)


@pytest.fixture
def sock_path(tmp_path: Path) -> Path:
    return tmp_path / "run" / "medbot.sock"


@pytest.fixture
def server(sock_path: Path) -> Iterator[ControlServer]:
    with ControlServer(sock_path, lambda: dict(FULL_STATUS)) as running:
        yield running


def leave_stale_socket(path: Path) -> None:
    """What a killed daemon leaves: a socket file nobody listens on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()


# --- the server -----------------------------------------------------------------------------


def test_socket_is_private_to_its_owner(server: ControlServer, sock_path: Path) -> None:
    mode = os.stat(sock_path).st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o600


def test_socket_is_never_left_in_a_world_accessible_state(tmp_path: Path) -> None:
    """Bound in a private directory and renamed into place: nothing else appears beside it."""
    before = set(tmp_path.iterdir())
    with ControlServer(tmp_path / "medbot.sock", dict):
        assert set(tmp_path.iterdir()) - before == {tmp_path / "medbot.sock"}


def test_one_json_document_per_connection(server: ControlServer, sock_path: Path) -> None:
    for _ in range(3):  # and the server keeps serving
        raw = ask_raw(sock_path, b"status\n")
        assert raw.endswith(b"\n") and raw.count(b"\n") == 1
        assert json.loads(raw) == FULL_STATUS


def test_the_answer_always_carries_a_version(tmp_path: Path) -> None:
    with ControlServer(tmp_path / "s.sock", lambda: {"pid": 1}):
        assert query(tmp_path / "s.sock") == {"pid": 1, "version": __version__}


def test_unknown_command_answers_an_error_and_lists_the_commands(
    server: ControlServer, sock_path: Path
) -> None:
    answer = json.loads(ask_raw(sock_path, b"reboot\n"))
    assert "unknown command 'reboot'" in answer["error"]
    assert answer["commands"] == ["status"]
    with pytest.raises(ControlError, match="unknown command"):
        query(sock_path, command="reboot")


def test_more_commands_can_be_registered(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with ControlServer(path, dict, commands={"users": lambda: {"live": 7}}):
        assert query(path, command="users")["live"] == 7


def test_a_provider_that_fails_is_reported_and_the_server_keeps_serving(tmp_path: Path) -> None:
    calls = []

    def flaky() -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("supervisor did not answer")
        return {"ok": True}

    path = tmp_path / "s.sock"
    with ControlServer(path, flaky):
        with pytest.raises(ControlError, match="status failed: RuntimeError: supervisor"):
            query(path)
        assert query(path)["ok"] is True


def test_secrets_in_the_status_never_leave_the_socket(tmp_path: Path) -> None:
    token = "987654321:AAF" + "x" * 32
    key = "gsk_" + "k" * 40
    register_secret(token)
    error = f"ConnectionError: https://api.telegram.org/bot{token}/sendMessage; key {key}"
    path = tmp_path / "s.sock"
    with ControlServer(path, lambda: {"telegram": {"last_error": error}}):
        raw = ask_raw(path, b"status\n").decode()
    assert token not in raw and key not in raw
    assert "[REDACTED]" in json.loads(raw)["telegram"]["last_error"]


def test_a_silent_client_does_not_block_others(server: ControlServer, sock_path: Path) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.connect(str(sock_path))  # connects, says nothing, holds on
        assert query(sock_path) == FULL_STATUS
        assert query(sock_path) == FULL_STATUS


def test_a_client_that_never_reads_does_not_block_others(
    server: ControlServer, sock_path: Path
) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as lazy:
        lazy.connect(str(sock_path))
        lazy.sendall(b"status\n")  # and never reads the answer
        assert query(sock_path) == FULL_STATUS


def test_a_silent_client_is_disconnected_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with ControlServer(path, dict, client_timeout=0.2):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
            silent.settimeout(30.0)
            silent.connect(str(path))
            assert silent.recv(100) == b""  # closed by the server, nothing answered


def test_when_every_slot_is_taken_a_client_is_told_busy_at_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with ControlServer(path, dict, max_clients=1, client_timeout=30.0):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as hog:
            hog.connect(str(path))
            with pytest.raises(ControlError, match="busy"):
                query(path)


def test_a_flood_without_newline_is_cut_off(server: ControlServer, sock_path: Path) -> None:
    answer = json.loads(ask_raw(sock_path, b"x" * 100_000))
    assert answer["error"].startswith("unknown command")
    assert len(answer["error"]) < 100
    assert query(sock_path) == FULL_STATUS


def test_a_stale_socket_is_replaced_at_start(sock_path: Path) -> None:
    leave_stale_socket(sock_path)
    with ControlServer(sock_path, lambda: {"fresh": True}):
        assert query(sock_path)["fresh"] is True
        assert stat.S_IMODE(os.stat(sock_path).st_mode) == 0o600


def test_a_live_socket_is_not_stolen_by_a_second_daemon(
    server: ControlServer, sock_path: Path
) -> None:
    second = ControlServer(sock_path, lambda: {"second": True})
    with pytest.raises(ControlError, match="already running"):
        second.start()
    assert query(sock_path) == FULL_STATUS


def test_something_that_is_not_a_socket_is_left_alone(sock_path: Path) -> None:
    sock_path.parent.mkdir(parents=True)
    sock_path.write_text("operator's notes")
    with pytest.raises(ControlError, match="not a socket"):
        ControlServer(sock_path, dict).start()
    assert sock_path.read_text() == "operator's notes"


def test_close_removes_the_socket_and_can_be_called_twice(sock_path: Path) -> None:
    control = ControlServer(sock_path, dict)
    control.start()
    assert sock_path.exists()
    control.close()
    control.close()
    assert not sock_path.exists()
    with pytest.raises(ControlError, match="not running"):
        query(sock_path)


def test_close_leaves_a_newer_daemons_socket_in_place(sock_path: Path) -> None:
    old = ControlServer(sock_path, lambda: {"who": "old"})
    old.start()
    os.unlink(sock_path)  # e.g. an operator cleaned up; a new daemon took over the path
    with ControlServer(sock_path, lambda: {"who": "new"}):
        old.close()
        assert query(sock_path)["who"] == "new"


def test_the_parent_directory_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "medbot.sock"
    with ControlServer(path, dict):
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_many_clients_at_once_all_get_their_answer(server: ControlServer, sock_path: Path) -> None:
    answers: list[dict[str, Any]] = []
    lock = threading.Lock()

    def ask() -> None:
        for _ in range(10):
            try:
                answer = query(sock_path)
            except ControlError as error:  # "busy" is a fair answer under load
                answer = {"error": str(error)}
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 80
    assert all(a == FULL_STATUS or "busy" in a["error"] for a in answers)
    assert any(a == FULL_STATUS for a in answers)


# --- the client and `medbot status` -----------------------------------------------------------


def test_status_json_prints_the_document(
    server: ControlServer, sock_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert status_command(sock_path, as_json=True) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == FULL_STATUS
    assert captured.err == ""


def test_status_prints_the_rendered_tree(
    server: ControlServer, sock_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert status_command(sock_path, as_json=False) == 0
    assert capsys.readouterr().out == render_status(FULL_STATUS) + "\n"


def test_unreachable_daemon_exits_1_with_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "medbot.sock"
    assert status_command(missing, as_json=True) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"medbot status: medbot is not running (no control socket at {missing})\n"


def test_a_stale_socket_reads_as_not_running(
    sock_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leave_stale_socket(sock_path)
    assert status_command(sock_path, as_json=False) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not running" in err and "stale" in err


def test_permission_denied_is_said_plainly(server: ControlServer, sock_path: Path) -> None:
    """As another user (the socket is 0600). Root reads through modes, so drop to nobody in
    a child process for the attempt."""
    if os.geteuid() != 0:
        os.chmod(sock_path, 0o000)
        with pytest.raises(ControlError, match="permission denied"):
            query(sock_path)
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become nobody, try, report, leave
        message = "no error"
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            query(sock_path)
        except ControlError as error:
            message = str(error)
        except BaseException as error:  # noqa: BLE001 - report anything to the parent
            message = f"unexpected {error!r}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        message = reader.read().decode()
    os.waitpid(pid, 0)
    assert message.startswith(f"permission denied on {sock_path}")


def test_a_daemon_that_accepts_but_never_answers_times_out(tmp_path: Path) -> None:
    path = tmp_path / "mute.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as mute:
        mute.bind(str(path))
        mute.listen(1)
        with pytest.raises(ControlError, match="did not answer within 0.3 s"):
            query(path, timeout=0.3)


def test_a_garbled_answer_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "odd.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as odd:
        odd.bind(str(path))
        odd.listen(1)

        def answer_nonsense() -> None:
            connection, _ = odd.accept()
            with connection:
                connection.recv(100)
                connection.sendall(b"<html>")

        helper = threading.Thread(target=answer_nonsense)
        helper.start()
        with pytest.raises(ControlError, match="not valid JSON"):
            query(path)
        helper.join(timeout=10)


def test_status_falls_back_to_the_systemd_socket_only_when_the_configured_one_is_absent(
    tmp_path: Path,
) -> None:
    present = tmp_path / "present.sock"
    present.touch()
    assert socket_for_status(present) == present
    absent = tmp_path / "absent.sock"
    assert socket_for_status(absent) in (absent, Path("/run/medbot/medbot.sock"))
    if not Path("/run/medbot/medbot.sock").exists():
        assert socket_for_status(absent) == absent


# --- rendering ------------------------------------------------------------------------------


def test_render_full_status_shows_everything_an_operator_asked_for() -> None:
    text = render_status(FULL_STATUS)
    lines = text.splitlines()
    assert lines[0].startswith("medbot 0.1.0, pid 4242, up 1h 02m, watchdog healthy")
    table = lines[2:2 + 1 + len(FULL_STATUS["tree"])]
    assert table[0].split() == ["actor", "alive", "restarts", "mailbox"]
    assert [row.split() for row in table[1:]] == [
        ["clock", "yes", "0", "0"],
        ["persistence", "yes", "2", "7"],
        ["telegram", "NO", "5", "31"],  # the dead actor stands out
        ["users", "yes", "0", "1"],
    ]
    assert "users        active 3, waiting 0, parked 1, restarts 4" in lines
    assert any(line.startswith("telegram") and "queue 12" in line and "reminders today 4" in line
               for line in lines)
    assert any("last error: 429 Too Many Requests: retry after 3" in line for line in lines)
    assert any(line.startswith("llm") and "calls today 2" in line
               and "quota left today 998" in line and "breaker closed" in line for line in lines)
    assert any(line.startswith("persistence") and "writes 12" in line for line in lines)


def test_render_sparse_status_does_not_fail() -> None:
    assert render_status({}) == "medbot ?"
    text = render_status({"version": "0.2.0", "tree": [{"name": "clock"}, "junk"],
                          "users": {"live": 1}, "llm": {"configured": False}})
    assert "clock  ?" in text
    assert "active 1" in text
    assert "not configured" in text


def test_render_tolerates_values_of_the_wrong_shape() -> None:
    text = render_status({"tree": "oops", "users": 5, "uptime_s": "long", "watchdog": [],
                          "telegram": {"queue": None, "nested": {"x": 1}}})
    assert text.startswith("medbot ?")
    assert "queue none" in text


def test_render_shows_unknown_sections_and_fields_as_they_come() -> None:
    text = render_status({"alerts": {"sent_today": 2}, "users": {"live": 1, "evicted": 3}})
    assert "alerts" in text and "sent today 2" in text
    assert "evicted 3" in text


def test_render_says_when_the_watchdog_is_unhappy() -> None:
    text = render_status({"watchdog": {"healthy": False, "last_ok_s": 95.0}})
    assert "watchdog UNHEALTHY (last liveness check passed 95.0 s ago)" in text


def test_render_names_a_stuck_actor_in_the_header_and_the_tree() -> None:
    text = render_status({
        "watchdog": {"healthy": False, "last_ok_s": 31.0, "unresponsive": ["persistence"]},
        "tree": [{"name": "clock", "alive": True, "restarts": 0, "mailbox": 0, "stuck": False},
                 {"name": "persistence", "alive": True, "restarts": 0, "mailbox": 40, "stuck": True}],
    })
    assert "watchdog UNHEALTHY (last liveness check passed 31.0 s ago), stuck: persistence" in text
    rows = [line.split() for line in text.splitlines() if line.startswith(("clock", "persistence"))]
    assert rows == [["clock", "yes", "0", "0"], ["persistence", "STUCK", "0", "40"]]
