"""The core's tests run without threads, sockets, subprocesses or files of their own.

Each test here is held to that: starting a thread, opening a socket, running a program or
opening a file for writing fails the test. Reading files stays allowed (the corpora, the
dictionaries and the time-zone data are read).
"""

from __future__ import annotations

import builtins
import io
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import pytest


class ShellInTheCore(AssertionError):
    """A core test reached for the shell: a thread, a socket, a program or a written file."""


def _refuse(what: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ShellInTheCore(f"a core test must not {what}")
    return refuse


_WRITING = set("wax+")


def _reading_only(opener: Any) -> Any:
    def open_for_reading(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if _WRITING & set(mode):
            raise ShellInTheCore(f"a core test must not write a file ({file!r}, mode {mode!r})")
        return opener(file, mode, *args, **kwargs)
    return open_for_reading


@pytest.fixture(autouse=True)
def pure_core(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(threading.Thread, "start", _refuse("start a thread"))
    monkeypatch.setattr(socket.socket, "__init__", _refuse("open a socket"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("run a program"))
    monkeypatch.setattr(os, "fork", _refuse("fork"))
    monkeypatch.setattr(builtins, "open", _reading_only(builtins.open))
    monkeypatch.setattr(io, "open", _reading_only(io.open))
    yield

