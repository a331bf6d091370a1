"""The root Supervisor: starts the core actors, restarts them one for one, escalates.

OTP's rules, explicitly: a child that crashes is restarted at once as a new incarnation on the
same handle (so nothing queued to it is lost); a child that crashes more than `max_restarts`
times within `within` seconds is not restarted again: the supervisor escalates, and the process
exits non-zero so that systemd restarts it from a clean slate. Operators hear of every core
restart through an admin alert (at most once per hour per kind).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from actors.mailbox import Handle
from actors.messages import (
    Alert,
    CheckLiveness,
    ChildFailed,
    ChildStopped,
    Health,
    Ping,
    Pong,
    Priority,
    SendMessage,
    StatusReport,
    StatusRequest,
)
from actors.restarts import RestartIntensity
from actors.runtime import BaseActor
from medbot.shell.logs import event

log = logging.getLogger(__name__)

ALERT_INTERVAL = 3600.0


@dataclass
class ChildSpec:
    """How to start one incarnation of a child on its stable handle."""

    name: str
    handle: Handle
    start: Callable[[Handle, Handle], Any]
    """(handle, parent) -> the started incarnation's ActorRef."""
    max_restarts: int = 5
    within: float = 60.0
    patience: int = 1
    """Liveness rounds a child may miss before it counts as stuck (a long poll needs 2)."""
    ref: Any = None
    restarts: int = 0
    intensity: RestartIntensity = field(init=False)

    def __post_init__(self) -> None:
        self.intensity = RestartIntensity(self.max_restarts, self.within)

    @property
    def alive(self) -> bool:
        return self.ref is not None and self.ref.is_alive()


class AlertGate:
    """At most one alert per kind per interval: an operator wants to know, not to be flooded."""

    def __init__(self, interval: float = ALERT_INTERVAL, now: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.now = now
        self._last: dict[str, float] = {}
        self.suppressed = 0

    def allow(self, kind: str) -> bool:
        now = self.now()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            self.suppressed += 1
            return False
        self._last[kind] = now
        return True


class Supervisor(BaseActor):
    def __init__(
        self,
        handle: Handle,
        children: list[ChildSpec],
        escalate: Callable[[str], None],
        *,
        telegram: Handle | None = None,
        admin_chat_id: int | None = None,
        alert_gate: AlertGate | None = None,
    ) -> None:
        super().__init__(handle, None)
        self.children = {spec.name: spec for spec in children}
        self.order = [spec.name for spec in children]
        self.escalate = escalate
        self.telegram = telegram
        self.admin_chat_id = admin_chat_id
        self.alert_gate = alert_gate or AlertGate()
        self.escalated = False
        self.answered: set[str] = set()
        self.round = 0
        self.missed: dict[str, int] = {}
        self.healthy = True
        self.unresponsive: list[str] = []

    def started(self) -> None:
        for name in self.order:
            self._start(self.children[name])

    def receive(self, message: Any) -> Any:
        match message:
            case ChildFailed(name=name, error=error):
                self._child_failed(name, error)
            case ChildStopped():
                pass
            case Alert(kind=kind, text=text):
                self._alert(kind, text)
            case Pong(name=name):
                self.answered.add(name)
            case CheckLiveness(token=token):
                self._check_liveness(token)
            case Health():
                return {"healthy": self.healthy and not self.escalated, "unresponsive": self.unresponsive}
            case StatusRequest(reply_to=reply_to):
                reply_to.tell(StatusReport("supervisor", {
                    "children": self.tree(), "alerts_suppressed": self.alert_gate.suppressed,
                }))
            case _:
                return super().receive(message)
        return None

    def _check_liveness(self, token: int) -> None:
        """Judge the previous round (did every child answer its ping through its mailbox?),
        then start the next one. The watchdog is fed only while this says healthy."""
        if self.round:
            for name in self.order:
                answered = name in self.answered  # any ping of any round counts as alive
                self.missed[name] = 0 if answered else self.missed.get(name, 0) + 1
            self.unresponsive = [
                name for name in self.order
                if self.missed[name] >= self.children[name].patience
            ]
            self.healthy = not self.unresponsive
            if self.unresponsive:
                event(log, logging.ERROR, "unresponsive", actors=",".join(self.unresponsive))
        self.answered.clear()
        self.round = token
        for name in self.order:
            self.children[name].handle.tell(Ping(self.handle, token))

    def tree(self) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "alive": self.children[name].alive,
                "restarts": self.children[name].restarts,
                "mailbox": self.children[name].handle.pending(),
            }
            for name in self.order
        ]

    def _start(self, spec: ChildSpec) -> None:
        spec.ref = spec.start(spec.handle, self.handle)

    def _child_failed(self, name: str, error: str) -> None:
        spec = self.children.get(name)
        if spec is None or self.escalated:
            return
        if not spec.intensity.allow():
            self.escalated = True
            reason = (
                f"{name} crashed more than {spec.max_restarts} times in {spec.within:g} s "
                f"(last: {error})"
            )
            event(log, logging.CRITICAL, "escalate", actor=name, reason=reason)
            self.escalate(reason)
            return
        spec.restarts += 1
        event(log, logging.ERROR, "restart", actor=name, restarts=spec.restarts, error=error)
        self._alert(f"restart:{name}", f"medbot: core actor {name} crashed and was restarted ({error})")
        try:
            self._start(spec)
        except Exception as failure:  # noqa: BLE001 - a failed start counts as another crash
            self._child_failed(name, f"restart failed: {type(failure).__name__}")

    def _alert(self, kind: str, text: str) -> None:
        event(log, logging.WARNING, "alert", kind=kind)
        if self.admin_chat_id is None or self.telegram is None:
            return
        if not self.alert_gate.allow(kind):
            return
        self.telegram.tell(SendMessage(self.admin_chat_id, text[:3500], priority=Priority.ALERT))
