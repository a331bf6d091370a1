"""The local control socket behind `medbot status`, its client, and the status renderer.

The daemon listens on a Unix stream socket (mode 0600: only its own user, and root, may ask).
A client writes one command line ("status\\n") and reads one JSON document; the connection
then closes. The server lives in its own threads, so a client that connects and says nothing,
or never reads, costs at most `client_timeout` seconds of one handler thread and never holds
up the actors or other clients. Every answer passes through the redactor on its way out.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from medbot import __version__
from medbot.shell.redact import redact

Provider = Callable[[], dict[str, Any]]

MAX_REQUEST = 256
"""Bytes of a command line; anything longer is not a command of ours."""
MAX_ANSWER = 4 * 1024 * 1024
"""Bytes the client reads at most: a status document is a few kilobytes."""
SYSTEMD_SOCKET = Path("/run/medbot/medbot.sock")
"""Where medbot.service puts the socket (RuntimeDirectory=medbot)."""


class ControlError(RuntimeError):
    """The daemon could not be asked: not running, no permission, or no sensible answer."""


class ControlServer:
    """Serve `provider()` (and future commands) on a Unix socket at `path`."""

    def __init__(
        self,
        path: Path,
        provider: Provider,
        *,
        commands: Mapping[str, Provider] | None = None,
        client_timeout: float = 2.0,
        max_clients: int = 4,
    ) -> None:
        self.path = Path(path)
        self._commands: dict[str, Provider] = {"status": provider, **(commands or {})}
        self._client_timeout = client_timeout
        self._slots = threading.BoundedSemaphore(max_clients)
        self._provider_lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._identity: tuple[int, int] | None = None
        self._closing = threading.Event()

    # --- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Bind (replacing a stale socket file), listen, and serve in a daemon thread.

        Raises ControlError if another live process already answers on `path`, or if
        something that is not a socket is in the way."""
        if self._listener is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _refuse_if_taken(self.path)
        listener = _bind_private(self.path)
        self._listener = listener
        info = os.stat(self.path)
        self._identity = (info.st_dev, info.st_ino)
        self._closing.clear()
        self._thread = threading.Thread(
            target=self._accept_loop, name="control-socket", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving and remove the socket file (only if it is still ours)."""
        listener, self._listener = self._listener, None
        if listener is None:
            return
        self._closing.set()
        try:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        except OSError:
            pass
        listener.close()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self._remove_own_socket()

    def __enter__(self) -> ControlServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _remove_own_socket(self) -> None:
        try:
            info = os.stat(self.path)
            if (info.st_dev, info.st_ino) == self._identity:
                os.unlink(self.path)
        except OSError:
            pass

    # --- serving ----------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        listener = self._listener
        while listener is not None and not self._closing.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                if self._closing.wait(0.1):  # closed; or out of descriptors: do not spin
                    return
                continue
            if not self._slots.acquire(blocking=False):
                self._refuse_busy(connection)
                continue
            try:
                threading.Thread(
                    target=self._serve_one, args=(connection,), name="control-client",
                    daemon=True,
                ).start()
            except RuntimeError:  # no thread to spare: drop this client, keep serving
                self._slots.release()
                connection.close()

    def _refuse_busy(self, connection: socket.socket) -> None:
        with connection:
            connection.setblocking(False)
            try:
                connection.send(_encode({"error": "busy: too many clients, try again"}))
            except OSError:
                pass

    def _serve_one(self, connection: socket.socket) -> None:
        try:
            with connection:
                deadline = time.monotonic() + self._client_timeout
                command = _read_command(connection, deadline)
                if command is None:
                    return  # said nothing in time, or hung up: nothing to answer
                answer = _encode(self._answer(command))
                connection.settimeout(max(0.05, deadline - time.monotonic()))
                connection.sendall(answer)
        except OSError:
            pass  # the client went away or stopped reading: its problem, not the daemon's
        finally:
            self._slots.release()

    def _answer(self, command: str) -> dict[str, Any]:
        handler = self._commands.get(command)
        if handler is None:
            shown = command if len(command) <= 40 else command[:40] + "..."
            return {
                "error": f"unknown command {shown!r}",
                "commands": sorted(self._commands),
                "version": __version__,
            }
        try:
            with self._provider_lock:
                result = dict(handler())
        except Exception as error:  # noqa: BLE001 - report it to the client, keep serving
            return {"error": f"{command} failed: {type(error).__name__}: {error}",
                    "version": __version__}
        result.setdefault("version", __version__)
        return result


def _encode(document: Mapping[str, Any]) -> bytes:
    text = json.dumps(document, ensure_ascii=False, default=str)
    return (redact(text) + "\n").encode("utf-8")


def _read_command(connection: socket.socket, deadline: float) -> str | None:
    """The first line the client sends (at most MAX_REQUEST bytes are read), or None when it
    sends nothing in time or hangs up without a word."""
    received = b""
    while b"\n" not in received and len(received) < MAX_REQUEST:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        connection.settimeout(remaining)
        try:
            chunk = connection.recv(MAX_REQUEST - len(received))
        except TimeoutError:
            return None
        if not chunk:
            break
        received += chunk
    if not received:
        return None
    return received.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()


def _refuse_if_taken(path: Path) -> None:
    """A live socket means a second daemon: refuse. A dead one is stale: it will be replaced."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(mode):
        raise ControlError(f"{path} exists and is not a socket; remove it or set control_socket")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(str(path))
    except OSError:
        return  # refused or unreachable: left behind by a process that is gone
    finally:
        probe.close()
    raise ControlError(f"another medbot is already running (it answers on {path})")


def _bind_private(path: Path) -> socket.socket:
    """Bind inside a fresh 0700 directory, chmod 0600, then rename into place: the socket is
    never reachable by others, not even for an instant, and a stale file is replaced
    atomically. (Changing the umask instead would race with other threads.)"""
    workdir = tempfile.mkdtemp(prefix=".", dir=path.parent)
    temporary = os.path.join(workdir, "s")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    try:
        listener.bind(temporary)
        os.chmod(temporary, 0o600)
        listener.listen(16)
        os.rename(temporary, path)
    except OSError as error:
        listener.close()
        reason = error.strerror or str(error)
        raise ControlError(f"cannot create the control socket {path}: {reason}") from None
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        os.rmdir(workdir)
    return listener


# --- the client -----------------------------------------------------------------------------


def query(path: Path, command: str = "status", timeout: float = 5.0) -> dict[str, Any]:
    """Ask the daemon one command; raises ControlError with a sentence an operator can act on."""
    path = Path(path)
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC) as client:
        client.settimeout(timeout)
        try:
            client.connect(str(path))
        except FileNotFoundError:
            raise ControlError(f"medbot is not running (no control socket at {path})") from None
        except ConnectionRefusedError:
            raise ControlError(
                f"medbot is not running (nothing listens on {path}; a stale socket)"
            ) from None
        except PermissionError:
            raise ControlError(
                f"permission denied on {path}: run as root or as the service's user"
            ) from None
        except TimeoutError:
            raise ControlError(f"medbot did not accept a connection within {timeout:g} s") from None
        except OSError as error:
            raise ControlError(f"cannot reach medbot at {path}: {error.strerror or error}") from None
        try:
            client.sendall(command.encode("utf-8") + b"\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # it answered (e.g. "busy") and hung up before reading: the answer waits
        try:
            raw = _read_answer(client, deadline)
        except TimeoutError:
            raise ControlError(f"medbot did not answer within {timeout:g} s") from None
        except OSError as error:
            raise ControlError(f"the connection to medbot failed: {error.strerror or error}") from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise ControlError("medbot's answer is not valid JSON") from None
    if not isinstance(answer, dict):
        raise ControlError("medbot's answer is not a JSON object")
    if "error" in answer:
        raise ControlError(f"medbot answered: {answer['error']}")
    return answer


def _read_answer(client: socket.socket, deadline: float) -> bytes:
    """Up to the newline that ends the one JSON document (the server may reset the connection
    right after it, when it did not read all we sent)."""
    received = b""
    while not received.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        client.settimeout(remaining)
        chunk = client.recv(65536)
        if not chunk:
            break
        received += chunk
        if len(received) > MAX_ANSWER:
            raise ControlError("medbot's answer is too large")
    if not received:
        raise ControlError("medbot closed the connection without answering")
    return received


def socket_for_status(configured: Path) -> Path:
    """The socket `medbot status` should ask: the configured one if it exists, else the one
    medbot.service uses (an operator's shell has no $RUNTIME_DIRECTORY to point there)."""
    if not configured.exists() and SYSTEMD_SOCKET.exists():
        return SYSTEMD_SOCKET
    return configured


def status_command(socket_path: Path, as_json: bool) -> int:
    """`medbot status [--json]`: 0 with the status on stdout, 1 with one line on stderr."""
    try:
        status = query(socket_path)
    except ControlError as error:
        sys.stderr.write(f"medbot status: {error}\n")
        return 1
    if as_json:
        sys.stdout.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_status(status) + "\n")
    return 0


# --- rendering ------------------------------------------------------------------------------

_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("users", ("live", "waiting", "parked", "restarts")),
    ("telegram", ("queue", "in_flight", "sent_total", "reminders_today")),
    ("llm", ("configured", "model", "calls_today", "requests_left_today", "breaker")),
    ("persistence", ("writes", "batches")),
    ("clock", ("timers", "fired")),
)
"""Sections in the order shown, each with its best-known fields first; others follow."""
_LABELS = {
    "live": "active",
    "sent_total": "sent in total",
    "requests_left_today": "quota left today",
    "calls_today": "calls today",
    "reminders_today": "reminders today",
    "in_flight": "in flight",
}
_HEADER_KEYS = {"version", "pid", "uptime_s", "tree", "watchdog"}
_ERROR_KEYS = ("last_error",)


def render_status(status: Mapping[str, Any]) -> str:
    """`medbot status` for people: header, supervision tree, one line per subsystem.
    Missing keys are skipped or shown as "?", unknown ones are shown as they come."""
    lines = [_header(status)]
    tree = status.get("tree")
    if isinstance(tree, list) and tree:
        lines += ["", *_tree_table(tree)]
    known = dict(_SECTIONS)
    sections = [*known] + sorted(
        key for key, value in status.items()
        if isinstance(value, Mapping) and key not in _HEADER_KEYS and key not in known
    )
    width = max(len(name) for name in sections) + 2
    body = [
        line
        for name in sections
        if isinstance(status.get(name), Mapping)
        for line in _section(name, status[name], known.get(name, ()), width)
    ]
    if body:
        lines += ["", *body]
    return "\n".join(redact(line) for line in lines)


def _header(status: Mapping[str, Any]) -> str:
    parts = [f"medbot {status.get('version', '?')}"]
    if "pid" in status:
        parts.append(f"pid {status['pid']}")
    if isinstance(status.get("uptime_s"), (int, float)):
        parts.append(f"up {_duration(float(status['uptime_s']))}")
    watchdog = status.get("watchdog")
    if isinstance(watchdog, Mapping) and "healthy" in watchdog:
        verdict = "watchdog " + ("healthy" if watchdog["healthy"] else "UNHEALTHY")
        last_ok = watchdog.get("last_ok_s")
        if isinstance(last_ok, (int, float)):
            verdict += f" (last liveness check passed {last_ok:.1f} s ago)"
        stuck = watchdog.get("unresponsive")
        if not watchdog["healthy"] and isinstance(stuck, list) and stuck:
            verdict += f", stuck: {', '.join(str(name) for name in stuck)}"
        parts.append(verdict)
    return ", ".join(parts)


def _tree_table(tree: list[Any]) -> list[str]:
    rows = [("actor", "alive", "restarts", "mailbox")]
    for child in tree:
        if not isinstance(child, Mapping):
            continue
        alive = child.get("alive")
        rows.append((
            str(child.get("name", "?")),
            "STUCK" if child.get("stuck") else "?" if alive is None else ("yes" if alive else "NO"),
            _value(child.get("restarts", "?")),
            _value(child.get("mailbox", "?")),
        ))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return [
        "  ".join((row[0].ljust(widths[0]), row[1].ljust(widths[1]),
                   row[2].rjust(widths[2]), row[3].rjust(widths[3]))).rstrip()
        for row in rows
    ]


def _section(name: str, fields: Mapping[str, Any], order: tuple[str, ...], width: int) -> list[str]:
    if name == "llm" and fields.get("configured") is False:
        first = "not configured (no GROQ_API_KEY)"
    else:
        keys = [key for key in order if key in fields] + [
            key for key in fields
            if key not in order and key not in _ERROR_KEYS and not isinstance(fields[key], (Mapping, list))
        ]
        first = ", ".join(f"{_LABELS.get(key, key.replace('_', ' '))} {_value(fields[key])}"
                          for key in keys) or "-"
    lines = [name.ljust(width) + first]
    for key in _ERROR_KEYS:
        if key in fields:
            lines.append(" " * width + f"{key.replace('_', ' ')}: {_value(fields[key])}")
    return lines


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}" if not value.is_integer() else str(int(value))
    return " ".join(str(value).split())


def _duration(seconds: float) -> str:
    total = int(seconds)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h {minutes:02d}m"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{seconds:.1f}s"
