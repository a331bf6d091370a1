"""Tell systemd how the daemon is doing: the sd_notify protocol, without libsystemd.

The protocol is one datagram of `KEY=VALUE` lines to the AF_UNIX socket named in
$NOTIFY_SOCKET (a path, or "@name" for an abstract socket). Outside systemd the variable is
unset and every call is a cheap no-op returning False. Nothing here raises: a daemon must
never crash because its supervisor could not be told something.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

SEND_TIMEOUT = 1.0
"""Seconds to wait when systemd's receive queue is full; the caller is usually a watchdog loop."""


def _address(raw: str) -> str | None:
    """The socket address systemd gave us; None for kinds we do not speak (e.g. vsock:)."""
    if raw.startswith("@") and len(raw) > 1:
        return "\0" + raw[1:]
    if raw.startswith("/"):
        return raw
    return None


def notify(state: str, env: Mapping[str, str] | None = None) -> bool:
    """Send `state` (e.g. "READY=1"); True if systemd's socket took it."""
    env = os.environ if env is None else env
    address = _address(env.get("NOTIFY_SOCKET", ""))
    if address is None or not state:
        return False
    try:
        payload = state.encode("utf-8")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.settimeout(SEND_TIMEOUT)
            sock.connect(address)
            sock.sendall(payload)
    except (OSError, ValueError):
        return False
    return True


def ready() -> bool:
    """Start-up is complete: systemd starts the watchdog clock and ordering proceeds."""
    return notify("READY=1")


def stopping() -> bool:
    """Shutdown has begun, so a slow stop is not mistaken for a hang."""
    return notify("STOPPING=1")


def status(text: str) -> bool:
    """One line for `systemctl status medbot`; newlines would start new assignments."""
    line = " ".join(text.split())
    return notify(f"STATUS={line}")


def watchdog() -> bool:
    """Proof of life; send only when the daemon has checked that it is actually working."""
    return notify("WATCHDOG=1")


def extend_timeout(seconds: float) -> bool:
    """Ask for `seconds` more before systemd gives up on a start or stop still in progress
    (e.g. while retrying Telegram's getMe during a network outage at boot)."""
    microseconds = int(seconds * 1_000_000)
    if microseconds <= 0:
        return False
    return notify(f"EXTEND_TIMEOUT_USEC={microseconds}")


def watchdog_interval(env: Mapping[str, str] | None = None) -> float | None:
    """Seconds between WATCHDOG=1 pings (half of WatchdogSec=), or None when no watchdog
    is set for this process - including when $WATCHDOG_PID names another process."""
    env = os.environ if env is None else env
    try:
        microseconds = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if microseconds <= 0:
        return None
    pid = env.get("WATCHDOG_PID")
    if pid:
        try:
            if int(pid) != os.getpid():
                return None
        except ValueError:
            return None
    return microseconds / 1_000_000 / 2
