"""`python -m bench`: every benchmark, one after the other, each printing its figures and its
ratio to a baseline measured in the same run. Figures, never pass/fail limits: this machine is
shared and noisy."""

from __future__ import annotations

import sys

from bench import corpus_eval, delivery_bench, history_bench, parse_bench, reminder_bench, storage_bench


def main() -> int:
    print("== parser: messages/second and the share sent to the LLM ==", flush=True)
    failures = parse_bench.main([])
    print("\n== parser: right, asked, confidently wrong, per family of schedule phrases ==", flush=True)
    failures |= corpus_eval.main([])
    print("\n== storage: durable updates/second against TinyDB's default storage ==", flush=True)
    sys.argv = [sys.argv[0], "--seconds", "2"]
    storage_bench.main()
    print("\n== reminders: fan-out through the actors against the seed's minute scan ==", flush=True)
    failures |= reminder_bench.main([])
    print("\n== history: a year of intakes, archived against kept in the record ==", flush=True)
    failures |= history_bench.main([])
    print("\n== delivery: a person's answer during a reminder burst, read-only latency at 200/s ==", flush=True)
    failures |= delivery_bench.main([])
    return failures


if __name__ == "__main__":
    raise SystemExit(main())
