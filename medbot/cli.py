"""The `medbot` command line: run, chat, parse, export, status, check-config.

Each subcommand's work lives in its own module, imported only when that subcommand runs, so
`medbot parse` does not start threads and `medbot status` does not load the parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def _cmd_parse(args: argparse.Namespace) -> int:
    from medbot.commands import to_json
    from medbot.nlu import parse

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
