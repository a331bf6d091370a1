"""What `medbot run`, `medbot chat` and `medbot export` do: the imperative edge of the program.

`run` is the daemon: it refuses to start without a usable token (one line, exit 1), checks the
token with Telegram, starts the actor system, tells systemd it is ready, pings the watchdog only
while every core actor answers through its mailbox, and on SIGTERM/SIGINT shuts down in order
(a second signal exits at once; atomic writes keep the data readable either way).
`chat` is the same actor system with a terminal in place of Telegram, offline.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from medbot.shell import logs
from medbot.shell.settings import Settings, check_for_run, load

if TYPE_CHECKING:
    from medbot.core.model import User

log = logging.getLogger("medbot")


def _fail(line: str) -> int:
    sys.stderr.write(f"medbot: {line}\n")
    return 1


def _settings(args: argparse.Namespace) -> tuple[Settings, tuple[str, ...]]:
    loaded = load(getattr(args, "config", None))
    return loaded.settings, loaded.problems


def warm_up() -> None:
    """Load the dictionaries and indexes now, not when the first person writes."""
    from medbot.core.nlu import parse
    from medbot.core.nlu.cities import index

    index()
    parse("добавь аспирин 100 мг в 9:00")
    parse("add aspirin at 9 am")


# --- medbot run ---------------------------------------------------------------------------


def run_command(args: argparse.Namespace) -> int:
    settings, problems = _settings(args)
    problems = (*problems, *check_for_run(settings))
    if problems:
        for problem in problems:
            sys.stderr.write(f"medbot: {problem}\n")
        return 1
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    logs.configure(settings.log_level, settings.log_user_ids, logs.load_salt(settings.data_dir))
    from medbot.shell import sdnotify
    from medbot.shell.telegram_api import check_bot

    verdict, username = check_bot(settings, waiting=lambda pause: sdnotify.extend_timeout(pause + 30))
    if verdict is not None:
        return _fail(verdict)
    if username:
        settings = replace(settings, bot_username=username)  # Telegram's word over the config's
    warm_up()
    from medbot.app import App

    app = App(settings)
    return serve(app)


def serve(app: Any) -> int:
    """Run the app until a signal or an escalation; returns the process exit code."""
    from medbot.shell import sdnotify
    from medbot.shell.control import ControlServer

    signals = {"count": 0}

    def on_signal(number: int, frame: FrameType | None) -> None:
        signals["count"] += 1
        if signals["count"] > 1:
            os._exit(130)  # the second signal: at once (writes are atomic, nothing is torn)
        app.request_stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    drills = app.drill_commands() if os.environ.get("MEDBOT_DRILLS") == "1" else None
    control = ControlServer(app.settings.socket_path, app.status, commands=drills)
    try:
        app.start()
        control.start()
        app.wait_ready(timeout=30.0)
        sdnotify.ready()
        sdnotify.status(app.status_line())
        interval = sdnotify.watchdog_interval()
        check_every = interval or SELF_CHECK_INTERVAL
        while not app.stop_requested.wait(timeout=check_every):
            if app.healthy() and interval:
                sdnotify.watchdog()
            if app.give_up_if_stuck(STUCK_EXIT):
                break
            sdnotify.status(app.status_line())
        sdnotify.stopping()
        app.stop(timeout=app.stop_timeout())
    finally:
        control.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if app.fatal_reason:
        sys.stderr.write(f"medbot: exiting after an unrecoverable failure: {app.fatal_reason}\n")
    return _leave(app.exit_code)


SELF_CHECK_INTERVAL = float(os.environ.get("MEDBOT_LIVENESS_INTERVAL", "10"))
"""Seconds between liveness rounds when systemd does not ask for watchdog pings."""
STUCK_EXIT = float(os.environ.get("MEDBOT_STUCK_EXIT", "45"))
"""A core actor unanswering for this long ends the process (exit 1) for a clean restart;
under systemd's watchdog (WatchdogSec=60s) the pings have stopped well before."""

EXIT_GRACE = 5.0
"""Seconds the threads left after the stop get to finish before the process exits anyway."""


def _leave(code: int) -> int:
    """The exit code, or - when a thread is still stuck after the stop (a hung core actor,
    whose thread the interpreter would wait for forever) - an immediate exit with it. Every
    acknowledged change is on disk already and writes are atomic, so nothing is torn."""
    deadline = time.monotonic() + EXIT_GRACE
    for thread in threading.enumerate():  # a timer or a worker finishing its last job: let it
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threading.enumerate()
             if thread is not threading.main_thread() and thread.is_alive() and not thread.daemon]
    if not stuck:
        return code
    logs.event(log, logging.ERROR, "exit_with_stuck_threads", threads=",".join(sorted(stuck))[:300])
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 1)


# --- medbot chat --------------------------------------------------------------------------


def chat_command(args: argparse.Namespace) -> int:
    from actors.terminal import TerminalInput
    from medbot.app import App, Frontend
    from medbot.core.tz import zone_or_none

    settings, _problems = _settings(args)  # chat runs offline; Telegram settings do not matter
    if args.tz and zone_or_none(args.tz) is None:
        return _fail(f"--tz {args.tz!r} is not a time zone (try Europe/Moscow or +05:00)")
    changes: dict[str, Any] = {"telegram_token": None}
    if args.data_dir:
        changes["data_dir"] = Path(args.data_dir)
    if args.tz:
        changes["default_tz"] = args.tz
    settings = replace(settings, **changes)
    level = os.environ.get("MEDBOT_LOG_LEVEL", "WARNING")
    logs.configure(level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "WARNING")
    interactive = sys.stdin.isatty() and not args.json
    frontend = Frontend(
        "terminal", out=sys.stdout, user_id=args.user, language_code=args.lang,
        json_mode=args.json,
    )
    app = App(settings, frontend)
    try:
        app.start()
    except Exception as error:  # noqa: BLE001 - one clear line instead of a traceback
        return _fail(f"cannot start: {error}")
    if not app.wait_ready(timeout=30.0):
        app.stop()
        return _fail(app.fatal_reason or "the actor system did not start")
    if interactive:
        sys.stdout.write(
            "medbot chat - write as you would in Telegram; /press DATA presses a button; "
            "Ctrl-D to quit.\n"
        )
    try:
        for text in _typed_lines(interactive):
            if not text.strip():
                continue
            app.terminal_input(TerminalInput(text))
            if interactive:
                app.activity.wait_idle(timeout=30.0)  # let the replies print before the prompt
    except KeyboardInterrupt:
        pass
    app.activity.wait_idle(timeout=120.0)
    app.stop()
    return app.exit_code


def _typed_lines(interactive: bool) -> Iterator[str]:
    """Lines from the person: with a "> " prompt at a terminal, plain lines from a pipe."""
    if not interactive:
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    while True:
        try:
            yield input("> ")
        except EOFError:
            sys.stdout.write("\n")
            return


# --- medbot export ------------------------------------------------------------------------


class _Refused(Exception):
    """A read-only command cannot go on: the one line to print."""


def _stored_user(args: argparse.Namespace) -> tuple[Path, User]:
    """The data directory and the person's record, read without writing (the bot may run);
    `_Refused` says plainly why not. Settings are loaded only when no --data-dir is given."""
    from medbot.storage import read_user

    data_dir = Path(args.data_dir) if args.data_dir else _settings(args)[0].data_dir
    if not data_dir.is_dir():
        raise _Refused(f"no data directory at {data_dir}")
    try:
        user = read_user(data_dir, args.user)
    except Exception as error:  # noqa: BLE001 - unreadable record: say so plainly
        raise _Refused(f"cannot read user {args.user}: {error}") from None
    if user is None:
        raise _Refused(f"no user {args.user} in {data_dir}")
    profile = getattr(args, "profile", None)
    if profile:
        return data_dir, _family_member(data_dir, user, profile)
    return data_dir, user


def _family_member(data_dir: Path, owner: User, name: str) -> User:
    """The record of a family member whose schedule `owner` keeps (`--profile NAME`)."""
    from medbot.core.family.routing import find
    from medbot.storage import read_user

    ref = find(owner.profiles, name)
    if ref is None:
        known = ", ".join(item.name for item in owner.profiles) or "none"
        raise _Refused(f"user {owner.id} keeps no schedule named {name!r} (profiles: {known})")
    member = read_user(data_dir, ref.id)
    if member is None or member.owner != owner.id:
        raise _Refused(f"the schedule {ref.name!r} of user {owner.id} is empty")
    return member


def agenda_command(args: argparse.Namespace) -> int:
    """The person's upcoming doses, one line (or JSON object) each."""
    from medbot.core.export import agenda_line, agenda_rows
    from medbot.core.tz import from_timestamp

    try:
        _, user = _stored_user(args)
    except _Refused as refusal:
        return _fail(str(refusal))
    for row in agenda_rows(user, from_timestamp(time.time()), args.days):
        sys.stdout.write((json.dumps(row, ensure_ascii=False) if args.json else agenda_line(row)) + "\n")
    return 0


def report_command(args: argparse.Namespace) -> int:
    """The report for the doctor as a PDF file (the whole history: record and archive)."""
    from medbot.core.history import full_history
    from medbot.core.report import build_report
    from medbot.core.tz import from_timestamp
    from medbot.shell.pdf_report import render
    from medbot.storage import read_archive

    try:
        data_dir, user = _stored_user(args)
    except _Refused as refusal:
        return _fail(str(refusal))
    try:
        archived = read_archive(data_dir, user.id)
    except Exception as error:  # noqa: BLE001 - never half a history without a word
        return _fail(f"cannot read the archived history of user {user.id}: {error}")
    report = build_report(user, full_history(archived, user.history), from_timestamp(time.time()), args.days)
    _, content = render(report)
    out = Path(args.out)
    try:
        temporary = out.with_name(f".{out.name}.tmp")
        with open(temporary, "wb", opener=lambda path, flags: os.open(path, flags, 0o600)) as file:
            file.write(content)
        os.replace(temporary, out)
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror or error}")
    sys.stdout.write(f"{out}: {len(content)} bytes, {len(report.rows)} medications, {len(report.days)} days\n")
    return 0


def export_command(args: argparse.Namespace) -> int:
    from medbot.core.export import export_csv, export_ics, export_json
    from medbot.core.history import full_history
    from medbot.core.tz import from_timestamp
    from medbot.storage import read_archive

    try:
        data_dir, user = _stored_user(args)
    except _Refused as refusal:
        return _fail(str(refusal))
    if args.format == "json":
        sys.stdout.write(json.dumps(export_json(user), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        try:  # after the record: whatever left it meanwhile is in the archive by now
            archived = read_archive(data_dir, user.id)
        except Exception as error:  # noqa: BLE001 - never half a history without a word
            return _fail(f"cannot read the archived history of user {user.id}: {error}")
        sys.stdout.write(export_csv(user, full_history(archived, user.history)))
    else:  # RFC 5545 wants CRLF: write bytes, so no newline translation can touch them
        sys.stdout.flush()
        sys.stdout.buffer.write(export_ics(user, from_timestamp(time.time())).encode("utf-8"))
        sys.stdout.buffer.flush()
    return 0
