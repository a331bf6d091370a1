"""Offline parser throughput on the test corpus, against the cheapest possible pass.

    python -m bench.parse_bench [--repeat 7] [--min-seconds 0.3]

Parser: `medbot.core.nlu.parse` on every corpus phrase, after a warm-up pass (dictionaries loaded,
caches filled), repeated; the median run is reported in messages per second. Baseline,
measured in the same run on the same texts: only cleaning, folding and tokenising (one
regex scan) - what any parser has to do before it understands a single word. The ratio
says how many times that minimum the full parser costs. Also printed: the share of corpus
messages the parser would hand to the LLM (needs_llm) and the cold first call.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from medbot.core.nlu.normalize import clean, fold, tokenize

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "core" / "nlu" / "corpus.jsonl"
REGIMEN_CORPUS = CORPUS.with_name("corpus_regimens.jsonl")
"""Messages about days, courses, pauses: the schedule-words layer does most of its work here."""


def load_texts(path: Path = CORPUS) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def messages_per_second(work: Callable[[str], object], texts: Sequence[str], repeat: int, min_seconds: float) -> float:
    """Median throughput over `repeat` runs; each run loops the texts for at least `min_seconds`."""
    rates: list[float] = []
    for _ in range(repeat):
        done, started = 0, time.perf_counter()
        while True:
            for text in texts:
                work(text)
            done += len(texts)
            elapsed = time.perf_counter() - started
            if elapsed >= min_seconds:
                break
        rates.append(done / elapsed)
    return statistics.median(rates)


def baseline(text: str) -> object:
    cleaned = clean(text)
    return tokenize(cleaned, fold(cleaned))


def main(argv: Sequence[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=7, help="runs per measurement (median reported)")
    options.add_argument("--min-seconds", type=float, default=0.3, help="minimum length of one run")
    args = options.parse_args(argv)

    texts = load_texts()
    started = time.perf_counter()
    from medbot.core.nlu import parse

    parse("добавь аспирин 200 мг в 10:00")
    cold = time.perf_counter() - started
    results = [parse(text) for text in texts]  # warm-up: every word of the corpus seen once
    for text in texts:
        baseline(text)

    parser_rate = messages_per_second(parse, texts, args.repeat, args.min_seconds)
    baseline_rate = messages_per_second(baseline, texts, args.repeat, args.min_seconds)
    for_llm = sum(result.needs_llm for result in results)

    print(f"corpus:            {len(texts)} messages ({CORPUS.name})")
    print(f"cold first parse:  {cold * 1000:.0f} ms (import, dictionaries)")
    print(f"parser:            {parser_rate:,.0f} messages/s (median of {args.repeat})")
    print(f"baseline:          {baseline_rate:,.0f} messages/s (clean + fold + tokenise only)")
    print(f"ratio:             {baseline_rate / parser_rate:.1f}x the baseline's cost per message")
    print(f"needs_llm:         {for_llm} of {len(texts)} = {for_llm / len(texts):.1%}")
    if REGIMEN_CORPUS.exists():
        regimen_texts = load_texts(REGIMEN_CORPUS)
        answers = [parse(text) for text in regimen_texts]
        rate = messages_per_second(parse, regimen_texts, args.repeat, args.min_seconds)
        base = messages_per_second(baseline, regimen_texts, args.repeat, args.min_seconds)
        asked = sum(answer.needs_llm or answer.confirm for answer in answers)
        print(f"schedule phrases:  {rate:,.0f} messages/s on {len(regimen_texts)} ({REGIMEN_CORPUS.name}),"
              f" {base / rate:.1f}x the baseline; asked (LLM or confirm): {asked / len(answers):.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
