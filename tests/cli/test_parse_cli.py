"""`medbot parse` as people and scripts run it: a separate process, text in, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from medbot.core.commands import to_json
from medbot.core.nlu import parse
from tests.core.nlu.test_corpus import CASES

ROOT = Path(__file__).resolve().parents[2]


def run_parse(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medbot.cli", "parse", *args],
        input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
    )


def test_jsonl_answers_a_thousand_lines_in_order_in_one_process() -> None:
    texts = [case["text"].replace("\n", " ").replace("\t", " ") for case in CASES]
    lines = [f"{texts[n % len(texts)]} #{n}" if n % 3 else texts[n % len(texts)] for n in range(1000)]
    lines[500] = ""
    lines[501] = "😀" * 50
    done = run_parse("--jsonl", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert len(out) == 1000
    for text, line in zip(lines, out, strict=True):
        assert json.loads(line) == to_json(parse(text))


def test_jsonl_keeps_a_last_line_without_a_newline_and_windows_line_ends() -> None:
    done = run_parse("--jsonl", stdin="выпил\r\nдобавь аспирин в 9")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["command"] for line in done.stdout.splitlines()] == ["done", "add"]


def test_one_text_prints_one_object() -> None:
    done = run_parse("добавь", "аспирин", "200 мг", "в 10:00")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert json.loads(done.stdout) == {
        "command": "add",
        "medications": [{"name": "аспирин", "dosage": "200 мг", "times": ["10:00"]}],
        "needs_llm": False,
        "confirm": False,
    }


def test_text_from_standard_input_when_no_argument_is_given() -> None:
    done = run_parse(stdin="move the ibuprofen to 9 pm\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "command": "time_change", "name": "ibuprofen", "new_times": ["21:00"], "old_time": None, "needs_llm": False,
        "confirm": False,
    }
