"""The `medbot` command line: run, chat, parse, export, agenda, status, check-config.

Each subcommand's work lives in its own module, imported only when that subcommand runs, so
`medbot parse` does not start threads and `medbot status` does not load the parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def _cmd_parse(args: argparse.Namespace) -> int:
    from medbot.core.commands import to_json
    from medbot.core.nlu import parse

    def emit(text: str) -> None:
        sys.stdout.write(json.dumps(to_json(parse(text)), ensure_ascii=False) + "\n")

    if args.jsonl:
        for line in sys.stdin:
            emit(line.rstrip("\r\n"))
            sys.stdout.flush()
        return 0
    text = " ".join(args.text) if args.text else sys.stdin.read()
    emit(text.strip())
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from medbot.runner import run_command

    return run_command(args)


def _cmd_chat(args: argparse.Namespace) -> int:
    from medbot.runner import chat_command

    return chat_command(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from medbot.runner import export_command

    return export_command(args)


def _cmd_report(args: argparse.Namespace) -> int:
    from medbot.runner import report_command

    return report_command(args)


def _cmd_agenda(args: argparse.Namespace) -> int:
    from medbot.runner import agenda_command

    return agenda_command(args)


def _cmd_status(args: argparse.Namespace) -> int:
    from pathlib import Path

    from medbot.shell.control import socket_for_status, status_command
    from medbot.shell.settings import load

    socket = Path(args.socket) if args.socket else socket_for_status(load(args.config).settings.socket_path)
    return status_command(socket, args.json)


def _cmd_check_config(args: argparse.Namespace) -> int:
    import os

    from medbot.shell.check_config import check_config_command

    return check_config_command(args.config, os.environ, env_file=args.env_file)


def _user_id(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive Telegram user id")
    return value


def _report_days(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 366:
        raise argparse.ArgumentTypeError("must be between 1 and 366 days")
    return value


def _days(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 3660:
        raise argparse.ArgumentTypeError("must be a number of days from 1 to 3660")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medbot",
        description="A Telegram bot that keeps medication schedules and reminds of every dose.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = sub.add_parser("parse", help="show what the offline parser understands, as JSON")
    parse.add_argument("text", nargs="*", help="the message (default: standard input)")
    parse.add_argument("--jsonl", action="store_true", help="one text per input line")
    parse.set_defaults(handler=_cmd_parse)

    config_help = "configuration file (default: $MEDBOT_CONFIG, /etc/medbot/medbot.toml, config/medbot.toml)"
    run = sub.add_parser("run", help="run the Telegram bot (the daemon)")
    run.add_argument("--config", help=config_help)
    run.set_defaults(handler=_cmd_run)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal, offline")
    chat.add_argument("--config", help=config_help)
    chat.add_argument("--data-dir", help="where to keep data (default: from the configuration)")
    chat.add_argument("--user", type=_user_id, default=1, help="user id to chat as (default 1)")
    chat.add_argument("--tz", help="time zone for a new user, e.g. Europe/Moscow or +05:00")
    chat.add_argument("--lang", choices=("ru", "en"), default="ru", help="language of a new user")
    chat.add_argument("--json", action="store_true", help="print each bot message as one JSON line")
    chat.set_defaults(handler=_cmd_chat)

    export = sub.add_parser("export", help="print a user's schedule or intake history")
    export.add_argument("--config", help=config_help)
    export.add_argument("--data-dir", help="data directory (default: from the configuration)")
    export.add_argument("--user", type=_user_id, required=True, help="Telegram user id")
    export.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    export.add_argument("--profile", help="a family member whose schedule the user keeps (by name)")
    export.set_defaults(handler=_cmd_export)

    agenda = sub.add_parser("agenda", help="print a user's upcoming doses")
    agenda.add_argument("--config", help=config_help)
    agenda.add_argument("--data-dir", help="data directory (default: from the configuration)")
    agenda.add_argument("--user", type=_user_id, required=True, help="Telegram user id")
    agenda.add_argument("--days", type=_days, default=7, help="how many days, today first (default 7)")
    agenda.add_argument("--profile", help="a family member whose schedule the user keeps (by name)")
    agenda.add_argument("--json", action="store_true", help="one JSON object per dose and line")
    agenda.set_defaults(handler=_cmd_agenda)

    report = sub.add_parser("report", help="write the report for the doctor (PDF)")
    report.add_argument("--config", help=config_help)
    report.add_argument("--data-dir", help="data directory (default: from the configuration)")
    report.add_argument("--user", type=_user_id, required=True, help="Telegram user id")
    report.add_argument("--profile", help="a family member whose schedule the user keeps (by name)")
    report.add_argument("--days", type=_report_days, default=30, help="the period, today included (default 30)")
    report.add_argument("--out", required=True, help="the PDF file to write")
    report.set_defaults(handler=_cmd_report)

    status = sub.add_parser("status", help="ask the running daemon how it is doing")
    status.add_argument("--config", help=config_help)
    status.add_argument("--socket", help="control socket path (default: from the configuration)")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=_cmd_status)

    check = sub.add_parser("check-config", help="validate the configuration and exit 0/1")
    check.add_argument("--config", help=config_help)
    check.add_argument(
        "--env-file", help="the service's environment file too, e.g. /etc/medbot/medbot.env"
    )
    check.set_defaults(handler=_cmd_check_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
