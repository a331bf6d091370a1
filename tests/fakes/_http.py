"""The HTTP plumbing both fakes share: a threaded server on 127.0.0.1 that a test can stop at once.

Why not plain ``ThreadingHTTPServer``: its handler threads for keep-alive connections (requests and
httpx both keep connections open) sit in ``readline`` until the *client* hangs up, so a server that
must stop "now" has to shut those sockets itself; and its default request log would print request
lines, which carry the bot token. This module owns those two problems so the fakes only decide
what to answer.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import traceback
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from typing import Any, Callable, Generic, Mapping, Self, TypeVar
from urllib.parse import parse_qsl, urlsplit

T = TypeVar("T")

# Close must not wait long for anything: a handler that ignores the closing flag for this long is a bug.
_JOIN_SECONDS = 2.0


@dataclass(frozen=True)
class HttpReply:
    """What a fake answers; ``None`` in its place means "close the connection without an answer"."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


def json_reply(status: int, payload: object, headers: Mapping[str, str] | None = None) -> HttpReply:
    try:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as a forged update may carry: escape it
        body = json.dumps(payload).encode("ascii")
    return HttpReply(status, body, headers=headers or {})


@dataclass(frozen=True)
class IncomingRequest:
    """One HTTP request as the fakes see it: already read off the socket, headers lower-cased."""

    verb: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes
    _sock: socket.socket = field(repr=False)

    def client_gone(self) -> bool:
        """True once the client hung up (e.g. its read timeout fired): answering would be pointless."""
        try:
            readable, _, _ = select.select([self._sock], [], [], 0)
            return bool(readable) and self._sock.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True


@dataclass
class Queued(Generic[T]):
    """A scripted fault (or hang) and how many more requests it applies to."""

    value: T
    remaining: int


def use_queued(queue: list[Queued[T]], matches: Callable[[T], bool] = lambda _: True) -> T | None:
    """The first queued value that ``matches``, counting one use of it; None when there is none."""
    for entry in queue:
        if matches(entry.value):
            entry.remaining -= 1
            if entry.remaining <= 0:
                queue.remove(entry)
            return entry.value
    return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real servers do
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this, 40 ms stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature is the stdlib's
        """Silent on purpose: request lines carry the bot token, and message texts in the query."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        request = IncomingRequest(
            verb=self.command,
            path=parts.path,
            query=tuple(parse_qsl(parts.query, keep_blank_values=True)),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=self._read_body(),
            _sock=self.connection,
        )
        reply = self.server.owner._answer(request)
        if reply is None:
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


class _Server(HTTPServer):
    """One thread per connection, each tracked so that close() can cut and join them all."""

    allow_reuse_address = True

    def __init__(self, owner: FakeHttpServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection, args=(request, client_address), daemon=True,
            name=f"{type(self.owner).__name__}-conn",
        )
        with self._connections_lock:
            self._connections[request] = thread
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - reported through handle_error, never printed
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._connections_lock:
                self._connections.pop(request, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up is normal (timeouts, close); anything else is a bug in the fake."""
        error = traceback.format_exc()
        if not any(name in error for name in ("BrokenPipeError", "ConnectionResetError", "ConnectionAbortedError")):
            self.owner._internal_error(error)

    def cut_connections(self) -> None:
        with self._connections_lock:
            sockets = list(self._connections)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def join_connections(self, timeout: float) -> list[threading.Thread]:
        with self._connections_lock:
            threads = list(self._connections.values())
        for thread in threads:
            thread.join(timeout)
        return [thread for thread in threads if thread.is_alive()]


class FakeHttpServer:
    """Base of the fakes: serves on 127.0.0.1 on an OS-chosen port from the moment it is constructed.

    Subclasses implement ``_handle(request) -> HttpReply | None`` and keep their state under
    ``self._cond`` (a Condition over an RLock), calling ``self._changed()`` after each change so that
    ``wait_for`` and long-held requests wake up. Long waits inside a handler go through
    ``self._hold(seconds)`` or ``self._cond.wait`` so that ``close()`` cuts them short.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.RLock())
        self._closing = threading.Event()
        self._errors: list[str] = []
        self._log: list[Any] = []  # one frozen record per request, replaced when answered
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            daemon=True, name=f"{type(self).__name__}-accept",
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, without a trailing slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def internal_errors(self) -> list[str]:
        """Tracebacks of bugs inside the fake itself (never a client's mistake); should stay empty."""
        with self._cond:
            return list(self._errors)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Block until ``predicate()`` is true (re-checked on every change); False after ``timeout``.

        The predicate runs with the fake's lock held, so it may call the fake's own accessors.
        """
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    def close(self) -> None:
        """Stop serving, wake every held request, cut open connections and join all threads."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._changed()
        self._server.shutdown()
        self._server.server_close()
        self._server.cut_connections()
        self._thread.join(_JOIN_SECONDS)
        stuck = self._server.join_connections(_JOIN_SECONDS)
        if stuck:
            self._internal_error(f"{len(stuck)} connection thread(s) still running after close()")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- for subclasses -------------------------------------------------------------------

    def _handle(self, request: IncomingRequest) -> HttpReply | None:
        raise NotImplementedError

    def _changed(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _record(self, entry: Any) -> int:
        """Log a request on arrival; the index lets ``_finish`` fill in the answer later."""
        with self._cond:
            self._log.append(entry)
            self._changed()
            return len(self._log) - 1

    def _finish(self, index: int, **answer: Any) -> None:
        with self._cond:
            self._log[index] = replace(self._log[index], **answer)
            self._changed()

    def _logged(self) -> list[Any]:
        with self._cond:
            return list(self._log)

    def _hold(self, seconds: float) -> bool:
        """Wait ``seconds`` unless the fake closes first; True when the full time passed."""
        return not self._closing.wait(seconds)

    @property
    def _closed(self) -> bool:
        return self._closing.is_set()

    def _internal_error(self, text: str) -> None:
        with self._cond:
            self._errors.append(text)
            self._cond.notify_all()

    def _answer(self, request: IncomingRequest) -> HttpReply | None:
        try:
            return self._handle(request)
        except Exception:  # noqa: BLE001 - a bug in the fake must surface in the test, not kill the thread
            self._internal_error(traceback.format_exc())
            return json_reply(500, {"error": "fake server bug; see internal_errors"})
