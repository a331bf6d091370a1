"""Assembling the actor system, and taking it down again in dependency order.

`App` builds the supervision tree for either front end - Telegram (`medbot run`) or the
terminal (`medbot chat`) - starts it, and stops it: first no new updates, then the work in
flight is finished, then users, Telegram, the LLM, persistence (which flushes) and the clock.
Reverse start order (what pykka's `stop_all` does, per DESIGN.md) is not the order that keeps
data and replies safe, so each actor is stopped here by name.
"""

from __future__ import annotations

import logging
import os
import queue
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from actors.activity import Activity
from actors.clock import ClockActor, SteadyTime, TimerTable, TimeSource, WallTime, clock_handle
from actors.mailbox import Handle, UrgentFirstQueue
from actors.messages import (
    CheckLiveness,
    Hang,
    Health,
    Ping,
    Pong,
    StatusReport,
    StatusRequest,
    Stop,
)
from actors.supervisor import ChildSpec, Supervisor
from actors.user import UserActor, UserDeps
from actors.users_supervisor import UsersActor, UsersConfig, UsersState
from medbot import __version__
from medbot.shell.logs import event
from medbot.shell.settings import Settings

log = logging.getLogger(__name__)

FLUSH_GRACE = 10.0
"""Seconds persistence always gets to finish writing at shutdown."""


@dataclass
class Frontend:
    """Which front end talks to people: Telegram, or a terminal for `medbot chat`."""

    kind: str = "telegram"
    out: TextIO | None = None
    user_id: int = 1
    language_code: str = "ru"
    json_mode: bool = False


@dataclass
class Liveness:
    """The liveness rounds' verdicts, for `medbot status` and the self-watchdog."""

    last_ok: float
    """Monotonic time of the last healthy verdict (start counts as one)."""
    healthy: bool = True
    unresponsive: list[str] = field(default_factory=list)
    unhealthy_since: float | None = None

    def judged(self, healthy: bool, unresponsive: list[str], now: float) -> None:
        self.healthy, self.unresponsive = healthy, unresponsive
        if healthy:
            self.last_ok, self.unhealthy_since = now, None
        elif self.unhealthy_since is None:
            self.unhealthy_since = now

    def unhealthy_for(self, now: float) -> float:
        return 0.0 if self.unhealthy_since is None else now - self.unhealthy_since

    def report(self, now: float) -> dict[str, Any]:
        return {"healthy": self.healthy, "last_ok_s": round(now - self.last_ok, 1),
                "unresponsive": list(self.unresponsive)}


@dataclass
class App:
    settings: Settings
    frontend: Frontend = field(default_factory=Frontend)
    time_source: TimeSource = field(default_factory=WallTime)
    steady_source: TimeSource = field(default_factory=SteadyTime)
    """The `timers` clock's time: delays that must not move with the wall clock."""
    activity: Activity = field(default_factory=Activity)

    def __post_init__(self) -> None:
        self.exit_code = 0
        self.fatal_reason: str | None = None
        self.stop_requested = threading.Event()
        self._stopped = False
        self.started_at = time.monotonic()
        self.liveness_round = 0
        self.liveness = Liveness(self.started_at)
        self.boot = secrets.token_hex(8)
        """This run of the process: a record saved by another run may hold sends cut short."""
        activity = self.activity
        self.clock = clock_handle(self.time_source, activity)
        self.timers = clock_handle(self.steady_source, activity, "timers")
        self.persistence = Handle("persistence", activity, UrgentFirstQueue())
        self.llm = Handle("llm", activity)
        self.telegram = Handle("telegram" if self.frontend.kind == "telegram" else "terminal", activity)
        self.users = Handle("users", activity, UrgentFirstQueue())
        self.poller = Handle("poller", None)  # always waiting on Telegram: not "work in flight"
        self.root = Handle("supervisor", activity)
        self.users_state: UsersState
        self.specs = self._specs()

    # --- the tree ---------------------------------------------------------------------------
    def _specs(self) -> list[ChildSpec]:
        settings = self.settings
        core = dict(max_restarts=settings.core_max_restarts, within=settings.core_restart_window)
        timers, steady_timers = TimerTable(), TimerTable()
        users_state = self.users_state = UsersState()
        deps = UserDeps(
            telegram=self.telegram,
            persistence=self.persistence,
            llm=self.llm,
            clock=self.clock,
            users=self.users,
            now=self.time_source.now,
            settings=settings,
            boot=self.boot,
        )

        def start_user(handle: Handle, parent: Handle, user_id: int) -> Any:
            return UserActor.start(handle, parent, user_id, deps)

        users_config = UsersConfig(
            max_live=settings.max_live_users,
            max_restarts=settings.user_max_restarts,
            restart_window=settings.user_restart_window,
            park_seconds=settings.park_minutes * 60.0,
            allowed=settings.allowed_users,
        )

        from actors.llm import LLMActor
        from actors.persistence import PersistenceActor

        specs = [
            ChildSpec(
                "clock", self.clock,
                lambda h, p: ClockActor.start(h, p, self.time_source, timers), **core,
            ),
            ChildSpec(
                "timers", self.timers,
                lambda h, p: ClockActor.start(h, p, self.steady_source, steady_timers), **core,
            ),
            ChildSpec(
                "persistence", self.persistence,
                lambda h, p: PersistenceActor.start(
                    h, p, settings.data_dir, alerts=self.root, timers=self.timers,
                ),
                **core,
            ),
            ChildSpec(
                "llm", self.llm, lambda h, p: LLMActor.start(h, p, settings, self.root), **core
            ),
            ChildSpec("telegram", self.telegram, self._start_frontend, **core),
            ChildSpec(
                "users", self.users,
                lambda h, p: UsersActor.start(
                    h, p, start_user=start_user, telegram=self.telegram,
                    persistence=self.persistence, clock=self.clock, now=self.time_source.now,
                    config=users_config, state=users_state, activity=self.activity,
                ),
                **core,
            ),
        ]
        if self.frontend.kind == "telegram":
            from actors.poller import TelegramPoller

            specs.append(
                ChildSpec(
                    "poller", self.poller,
                    lambda h, p: TelegramPoller.start(h, p, settings, self.users, self.persistence),
                    patience=2, **core,
                )
            )
        return specs

    def _start_frontend(self, handle: Handle, parent: Handle) -> Any:
        if self.frontend.kind == "telegram":
            from actors.telegram import TelegramActor

            return TelegramActor.start(handle, parent, self.settings, self.users, timers=self.timers)
        from actors.terminal import TerminalActor

        return TerminalActor.start(
            handle, parent,
            out=self.frontend.out or sys.stdout,
            users=self.users,
            user_id=self.frontend.user_id,
            language_code=self.frontend.language_code,
            json_mode=self.frontend.json_mode,
        )

    # --- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.supervisor_ref = Supervisor.start(
            self.root, self.specs, self.escalate,
            telegram=self.telegram, admin_chat_id=self.settings.admin_chat_id,
        )
        event(log, logging.INFO, "started", frontend=self.frontend.kind)

    def _gather(
        self, handles: list[Handle], request: Callable[[Handle], Any], answer: type, timeout: float
    ) -> dict[str, Any]:
        """Ask each handle through its mailbox and collect the answers (by actor name) on a
        plain probe handle read from this thread: no actor needed, every wait bounded."""
        probe = Handle("probe")
        for handle in handles:
            handle.tell(request(probe))
        answers: dict[str, Any] = {}
        deadline = time.monotonic() + timeout
        while len(answers) < len(handles) and not self.stop_requested.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                message = probe.mailbox.get(timeout=min(remaining, 0.5)).message
            except queue.Empty:
                continue
            if isinstance(message, answer):
                answers[message.name] = message
        return answers

    def wait_ready(self, timeout: float) -> bool:
        """True once every core actor has started and answered a ping through its mailbox, and
        every stored wake-up is armed (READY before that would let a dose due now fire late)."""
        deadline = time.monotonic() + timeout
        handles = [spec.handle for spec in self.specs if spec.name != "poller"]
        if len(self._gather(handles, lambda probe: Ping(probe, 0), Pong, timeout)) != len(handles):
            return False
        while not self.stop_requested.is_set():
            remaining = deadline - time.monotonic()
            report = self._gather([self.users], StatusRequest, StatusReport, max(0.1, min(remaining, 1.0)))
            if report.get("users") is not None and report["users"].fields.get("wake_index_armed"):
                return True
            if remaining <= 0:
                return False
            self.stop_requested.wait(0.02)
        return False

    def healthy(self, timeout: float = 5.0) -> bool:
        """The supervisor's verdict on the last liveness round; then the next round starts.
        A supervisor that cannot answer is itself a reason to stop feeding the watchdog."""
        try:
            verdict = self.root.ask(Health(), timeout=timeout)
        except Exception:  # noqa: BLE001 - a stuck or dead supervisor is unhealthy
            self.liveness.judged(False, ["supervisor"], time.monotonic())
            return False
        self.liveness_round += 1
        self.root.tell(CheckLiveness(self.liveness_round))
        healthy = bool(verdict["healthy"])
        self.liveness.judged(healthy, list(verdict.get("unresponsive", ())), time.monotonic())
        return healthy

    def status(self, timeout: float = 3.0) -> dict[str, Any]:
        """Everything `medbot status` shows, gathered from the actors through their mailboxes."""
        handles = [self.root, *(spec.handle for spec in self.specs)]
        reports = {
            name: report.fields
            for name, report in self._gather(handles, StatusRequest, StatusReport, timeout).items()
        }
        tree = reports.pop("supervisor", {}).get("children")
        if tree is None:  # the supervisor did not answer: describe what we can see
            tree = [
                {"name": spec.name, "alive": spec.alive, "restarts": spec.restarts,
                 "mailbox": spec.handle.pending()}
                for spec in self.specs
            ]
        stuck = set(self.liveness.unresponsive)
        for child in tree:
            child["stuck"] = child.get("name") in stuck
        status: dict[str, Any] = {
            "version": __version__,
            "pid": os.getpid(),
            "uptime_s": round(time.monotonic() - self.started_at, 1),
            "tree": tree,
            "watchdog": self.liveness.report(time.monotonic()),
            **reports,
        }
        if "terminal" in status and "telegram" not in status:
            status["telegram"] = status.pop("terminal")
        return status

    def status_line(self, timeout: float = 1.0) -> str:
        """systemd's STATUS= line, fresh each time; asks only the two actors it quotes (the
        poller, busy in a long poll, would hold up the watchdog loop)."""
        reports = self._gather([self.users, self.telegram], StatusRequest, StatusReport, timeout)
        users = reports["users"].fields.get("live", "?") if "users" in reports else "?"
        sender = reports.get("telegram") or reports.get("terminal")
        reminders = sender.fields.get("reminders_today", "?") if sender else "?"
        return f"active users {users}, reminders sent today {reminders}"

    def stop_timeout(self) -> float:
        # 15 s here plus persistence's FLUSH_GRACE stays inside the unit's TimeoutStopSec=30s.
        return float(os.environ.get("MEDBOT_STOP_TIMEOUT", "15"))

    def drill_commands(self, seconds: float = 600.0) -> dict[str, Callable[[], dict[str, Any]]]:
        """Control-socket drills for operators (only with MEDBOT_DRILLS=1): make one core actor
        unresponsive, to see the watchdog stop and systemd restart the service."""

        def hang(handle: Handle) -> Callable[[], dict[str, Any]]:
            def run() -> dict[str, Any]:
                handle.tell(Hang(seconds))
                return {"ok": True, "hanging": handle.name, "seconds": seconds}

            return run

        return {f"drill-hang {spec.name}": hang(spec.handle) for spec in self.specs}

    def terminal_input(self, message: Any) -> None:
        self.telegram.tell(message)

    def give_up_if_stuck(self, after: float) -> bool:
        """A core actor has not answered its pings for `after` seconds: no restart inside the
        process can free its thread, so stop (flushing what can be flushed) and exit non-zero
        for the service manager to restart the whole service. The same verdict that stops the
        systemd watchdog pings, so it works without systemd too."""
        stuck_for = self.liveness.unhealthy_for(time.monotonic())
        if stuck_for < after:
            return False
        names = ",".join(self.liveness.unresponsive) or "?"
        event(log, logging.CRITICAL, "core_actor_stuck", actors=names, seconds=round(stuck_for, 1))
        self.escalate(f"core actor(s) {names} stuck for {stuck_for:.0f} s")
        return True

    def escalate(self, reason: str) -> None:
        """A core actor kept crashing: exit non-zero so that systemd restarts us cleanly."""
        self.exit_code = 1
        self.fatal_reason = reason
        self.stop_requested.set()

    def request_stop(self) -> None:
        self.stop_requested.set()

    def stop(self, timeout: float = 20.0) -> None:
        """Orderly shutdown within about `timeout` seconds; safe to call twice.

        Persistence is never cut short: whatever time the earlier stages used, it gets at least
        `FLUSH_GRACE` seconds to write what it holds (an acknowledged change is already on disk;
        this is the deferred wake-index catch-up and any last saves)."""
        if self._stopped:
            return
        self._stopped = True
        deadline = time.monotonic() + timeout
        specs = {spec.name: spec for spec in self.specs}

        def left() -> float:
            return max(0.1, deadline - time.monotonic())

        self._stop_one(self.root, getattr(self, "supervisor_ref", None), min(2.0, left()))
        if "poller" in specs:
            self._stop_one(self.poller, specs["poller"].ref, min(2.0, left()))
        # Finish what is in flight: messages being handled, saves, replies being sent.
        self.activity.wait_idle(timeout=max(0.1, (deadline - time.monotonic()) * 0.6))
        for name in ("users", "telegram", "llm"):
            self._stop_one(specs[name].handle, specs[name].ref, left())
        self._stop_one(specs["persistence"].handle, specs["persistence"].ref, max(left(), FLUSH_GRACE))
        self._stop_one(specs["timers"].handle, specs["timers"].ref, left())
        self._stop_one(specs["clock"].handle, specs["clock"].ref, left())
        event(log, logging.INFO, "stopped", exit_code=self.exit_code)

    @staticmethod
    def _stop_one(handle: Handle, ref: Any, timeout: float) -> None:
        handle.tell(Stop())
        if ref is not None:
            ref.actor_stopped.wait(timeout)
        handle.close()
