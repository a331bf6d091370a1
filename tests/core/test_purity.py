"""The guard of tests/core/conftest.py holds: a core test cannot reach for the shell."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.core.conftest import ShellInTheCore


def test_a_core_test_cannot_start_a_thread() -> None:
    with pytest.raises(ShellInTheCore):
        threading.Thread(target=print).start()


def test_a_core_test_cannot_open_a_socket_or_run_a_program() -> None:
    with pytest.raises(ShellInTheCore):
        socket.socket()
    with pytest.raises(ShellInTheCore):
        subprocess.run([sys.executable, "-c", "pass"], check=False)


def test_a_core_test_cannot_write_a_file_but_may_read_one() -> None:
    with pytest.raises(ShellInTheCore):
        open(os.devnull, "w")
    with pytest.raises(ShellInTheCore):
        Path(os.devnull).write_text("x")
    assert Path(__file__).read_text(encoding="utf-8").startswith('"""The guard')
