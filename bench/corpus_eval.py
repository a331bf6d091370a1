"""How often the offline parser is right, asks, or is confidently wrong, per family of phrases.

    python -m bench.corpus_eval [FILE.jsonl ...]

Each line of a corpus is {"text", "family", "expect"}. Right: every expected key equals the
parser's. Asked: not right, but the parser deferred (needs_llm) or would ask to confirm.
Confidently wrong: neither. For the "unplaceable" family (a schedule the bot must not guess)
anything but a deferral or a confirmation is confidently wrong. The default files are the
schedule corpus the parser was built with, and three written later without looking at it or at
the parser (general, terse English and Russian, elderly and voice-typed Russian); each was
scored blind first, then its failures were worked on (the closing notes keep both figures).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from medbot.commands import to_json
from medbot.nlu import parse

NLU_TESTS = Path(__file__).resolve().parents[1] / "tests" / "medbot" / "nlu"
DEFAULT_FILES = tuple(
    NLU_TESTS / f"corpus_regimens{suffix}.jsonl" for suffix in ("", "_heldout", "_terse", "_elderly")
)


def judge(case: dict) -> str:  # type: ignore[type-arg]
    got = to_json(parse(case["text"]))
    expect = case["expect"]
    asked = got.get("needs_llm") or got.get("confirm")
    if case.get("family") == "unplaceable":
        return "right" if got.get("needs_llm") else "asked" if got.get("confirm") else "wrong"
    if all(got.get(key) == value for key, value in expect.items()):
        return "right"
    return "asked" if asked else "wrong"


def report(path: Path) -> dict[str, Counter[str]]:
    by_family: dict[str, Counter[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                case = json.loads(line)
                by_family.setdefault(case.get("family", "-"), Counter())[judge(case)] += 1
    total: Counter[str] = Counter()
    print(f"{path.name}")
    print(f"  {'family':<16}{'n':>5}{'right':>9}{'asked':>9}{'wrong':>9}")
    for family, counts in sorted(by_family.items()):
        total.update(counts)
        _row(family, counts)
    _row("all", total)
    return by_family


def _row(name: str, counts: Counter[str]) -> None:
    n = sum(counts.values())
    shares = "".join(f"{counts[kind] / n:>9.1%}" for kind in ("right", "asked", "wrong"))
    print(f"  {name:<16}{n:>5}{shares}")


def main(argv: Sequence[str] | None = None) -> int:
    files = [Path(arg) for arg in (argv if argv is not None else sys.argv[1:])] or list(DEFAULT_FILES)
    for path in files:
        if path.exists():
            report(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
