"""Durability under kill -9: a writer process is SIGKILLed at random moments, over and over.

After every kill the store must reopen, every file must parse, every acknowledged write must
be there (that value or a later one), and the wake index must never be later than a record.
Some saves move old intakes to the person's archive: every intake an acknowledged save added
must be found, once, in the record or the archive (a kill mid-append leaves a torn last line,
which the next append cuts off; anything else unreadable in an archive fails the test).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from medbot.core.history import full_history
from medbot.storage import UserStore, read_archive, read_user
from medbot.storage.durable import decode_tables
from tests.actors.persistence_writer import intake_for, seq_of

WRITER = Path(__file__).with_name("persistence_writer.py")
ROUNDS = 60
SEQ_STRIDE = 10_000_000
TEMP_NAME = re.compile(r"^\..+\.\d+\.[0-9a-f]{8}\.tmp$")


@dataclass(frozen=True)
class Op:
    seq: int
    erase: bool
    wake: float | None


@dataclass
class Ledger:
    """What the writers said, across every round: sent operations and acknowledged ones."""

    sent: dict[int, list[Op]] = field(default_factory=dict)
    acked: dict[int, int] = field(default_factory=dict)
    """user -> seq of the latest acknowledged operation."""
    acked_seqs: dict[int, set[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    acks: int = 0
    archived: int = 0
    """Archived intakes seen by the checks (the test means something only if some were)."""

    def read(self, line: str) -> None:
        parts = line.split()
        if parts[:1] == ["S"]:
            user, seq = int(parts[1]), int(parts[2])
            wake = None if parts[3] == "erase" or parts[4] == "-" else float(parts[4])
            self.sent.setdefault(user, []).append(Op(seq, parts[3] == "erase", wake))
        elif parts[:1] == ["A"]:
            user, seq = int(parts[1]), int(parts[2])
            self.acked[user] = max(seq, self.acked.get(user, 0))
            self.acked_seqs.setdefault(user, set()).add(seq)
            self.acks += 1
        elif parts[:1] == ["F"]:
            self.failures.append(line)

    def op(self, user: int, seq: int) -> Op:
        return next(op for op in self.sent[user] if op.seq == seq)

    def durable_intakes(self, user: int) -> set[int]:
        """Seqs of the intakes that must be stored: added by an acknowledged save and erased
        by no erase sent later (one not acknowledged may or may not have happened)."""
        ops = self.sent.get(user, [])
        last_erase = max((op.seq for op in ops if op.erase), default=0)
        saves = {op.seq for op in ops if not op.erase}
        return {seq for seq in self.acked_seqs.get(user, set()) & saves if seq > last_erase}


class Writer:
    """One run of the writer script, its stdout read to the end by a thread."""

    def __init__(self, data_dir: Path, seed: int, seq_base: int, log: Path) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._acked = threading.Condition()
        self._acks = 0
        self._ended = False
        with open(log, "ab") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(WRITER), str(data_dir), str(seed), str(seq_base)],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.rstrip("\n")
            if line == "ready":
                self.ready.set()
            elif line:
                self.lines.append(line)
                if line.startswith("A "):
                    with self._acked:
                        self._acks += 1
                        self._acked.notify_all()
        self.ready.set()  # died: nobody waits any longer
        with self._acked:
            self._ended = True
            self._acked.notify_all()

    def wait_for_acks(self, count: int, timeout: float) -> bool:
        with self._acked:
            return self._acked.wait_for(lambda: self._acks >= count or self._ended, timeout)

    def kill(self) -> int:
        self.process.send_signal(signal.SIGKILL)
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=60)
        assert not self._reader.is_alive()
        return code


def check_store(data_dir: Path, ledger: Ledger) -> None:
    if not data_dir.exists():
        return
    for path in data_dir.rglob("*"):
        if path.is_dir() or path.name == "lock" or TEMP_NAME.match(path.name):
            continue
        assert ".corrupt-" not in path.name, f"something was quarantined: {path}"
        if path.suffix == ".jsonl":
            continue  # archives: read below, line by line
        if path.name == "meta.json":
            assert json.loads(path.read_bytes())["format"] == 1
        else:
            decode_tables(path, path.read_bytes())  # every file is a whole TinyDB document
    with UserStore(data_dir, read_only=True) as reader:
        index = dict(reader.wake_entries())
    for user, ops in ledger.sent.items():
        stored = read_user(data_dir, user)
        check_history(user, stored.history if stored else (), read_archive(data_dir, user), ledger)
        sent_seqs = {op.seq for op in ops}
        acked = ledger.acked.get(user)
        if stored is None:
            erased_later = any(op.erase and op.seq >= (acked or 0) for op in ops)
            assert acked is None or erased_later, f"user {user}: acknowledged {acked} is lost"
            continue
        seq = stored.extra["seq"]
        assert seq in sent_seqs, f"user {user}: a record nobody sent ({seq})"
        if acked is not None:
            assert seq >= acked, f"user {user}: has {seq}, but {acked} was acknowledged"
        wake = ledger.op(user, seq).wake
        assert stored.extra["wake"] == wake
        if wake is not None:
            assert user in index, f"user {user}: record wakes at {wake}, index has nothing"
            assert index[user] <= wake, f"user {user}: index {index[user]} later than {wake}"
    # The owner reopens it (taking the lock, clearing leftovers) and no temp file remains.
    UserStore(data_dir).close()
    assert not [p for p in data_dir.rglob("*") if TEMP_NAME.match(p.name)]


def check_history(user: int, record: tuple, archived: tuple, ledger: Ledger) -> None:
    """Every acknowledged intake is in the record or the archive; nothing else is, and what is
    there is exactly what was sent, once per dose."""
    assert len({item.dose for item in record}) == len(record), f"user {user}: record repeats a dose"
    whole = full_history(archived, record)
    found = {seq_of(item): item for item in whole}
    assert len(found) == len(whole)
    saves = {op.seq for op in ledger.sent[user] if not op.erase}
    assert set(found) <= saves, f"user {user}: intakes nobody sent: {set(found) - saves}"
    assert all(item == intake_for(seq) for seq, item in found.items())
    missing = ledger.durable_intakes(user) - set(found)
    assert not missing, f"user {user}: acknowledged intakes lost: {sorted(missing)}"
    ledger.archived += len(archived)


def test_kill_minus_9_at_random_moments_never_loses_an_acknowledged_write(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(int(os.environ.get("MEDBOT_KILL_SEED", "20250301")))
    ledger = Ledger()
    rounds_with_acks = 0
    for round_no in range(ROUNDS):
        seq_base = (round_no + 1) * SEQ_STRIDE
        writer = Writer(data_dir, rng.randrange(2**31), seq_base, tmp_path / "w.log")
        if round_no % 6 == 0:
            delay = rng.uniform(0.0, 0.4)  # from spawn: may land while the store is opening
        else:
            # Among acknowledged writes, however slow the machine: after a random number of
            # them, then a random instant (mid-batch, between the index and the files...).
            assert writer.wait_for_acks(rng.randint(1, 60), timeout=60), "the writer is stuck"
            delay = rng.uniform(0.0, 0.03)
        threading.Event().wait(delay)  # the random moment itself, not a wait for an outcome
        code = writer.kill()
        assert code == -signal.SIGKILL, (tmp_path / "w.log").read_text()[-2000:]
        acks_before = ledger.acks
        for line in writer.lines:
            ledger.read(line)
        rounds_with_acks += ledger.acks > acks_before
        check_store(data_dir, ledger)
    assert ledger.failures == []
    # The test means something only if the kills landed among acknowledged writes.
    assert rounds_with_acks >= ROUNDS * 2 // 3 and ledger.acks > 10 * ROUNDS
    assert ledger.archived > 10 * ROUNDS
