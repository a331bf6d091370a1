"""Each person's archive of old intakes: an append-only file of JSON lines beside their record.

    archive/<id % 1000 as 3 digits>/<id>.jsonl    one intake per line, shaped as in the record

Intakes come here from the record (`medbot.core.history`) and never change again, so the file is
only ever appended to: rewriting it whole at each move would bring back the cost the archive
exists to remove. The owner appends in the same group commit as the record's write and before
it: append, fsync (and fsync the directory when the file is new), and only then replace the
record without those intakes. A kill between the two leaves an intake in both places, never in
neither; `medbot.core.history.full_history` keeps one per dose.

A kill during an append leaves an unterminated last line. Its intakes are still in the record
(written only once the append is durable), so readers ignore it, and the next append first
cuts it off so that it never glues onto a later line. Any other line that is not an intake is
damage: reading fails with `CorruptArchive` naming the line, rather than quietly leaving a gap
in someone's history.

A reader in another process reads the record first and the archive second: the archive then
holds everything the record had given up by the time it was read.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from medbot.core.model import DoseRef, Intake
from medbot.storage.durable import encode
from medbot.storage.files import FILE_MODE, StoreError, ensure_private_dir, fsync_path

log = logging.getLogger(__name__)

ARCHIVE_DIR = "archive"
_TAIL_CHUNK = 4096


class CorruptArchive(StoreError):
    """A line of an archive, other than an interrupted last one, is not an intake."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


@cache
def _intake_adapter() -> TypeAdapter[Intake]:
    return TypeAdapter(Intake)


def archive_path(root: Path, user_id: int, user_dirs: int) -> Path:
    return root / ARCHIVE_DIR / f"{user_id % user_dirs:03d}" / f"{user_id}.jsonl"


def encode_intakes(intakes: Iterable[Intake]) -> bytes:
    adapter = _intake_adapter()
    return b"".join(encode(adapter.dump_python(intake, mode="json")) + b"\n" for intake in intakes)


def append_intakes(path: Path, intakes: Iterable[Intake]) -> int:
    """Append intakes durably (file 0600 in 0700 directories); returns the bytes appended.

    On an error the file is cut back to where the append began, so a failed append never
    leaves a partial line for the next one to follow.
    """
    data = encode_intakes(intakes)
    if not data:
        return 0
    ensure_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
        created = True
    except FileExistsError:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        created = False
    try:
        os.fchmod(fd, FILE_MODE)
        start = _cut_interrupted_append(fd, path)
        try:
            _write_at(fd, data, start)
            os.fsync(fd)
        except OSError:
            _truncate_quietly(fd, start)
            raise
    finally:
        os.close(fd)
    if created:
        fsync_path(path.parent)
    return len(data)


def _cut_interrupted_append(fd: int, path: Path) -> int:
    """Drop an unterminated last line (an append a kill interrupted); returns the new size."""
    size = os.fstat(fd).st_size
    end = size
    while end > 0:
        begin = max(0, end - _TAIL_CHUNK)
        newline = os.pread(fd, end - begin, begin).rfind(b"\n")
        if newline >= 0:
            end = begin + newline + 1
            break
        end = begin
    if end != size:
        os.ftruncate(fd, end)
        log.warning("%s: cut off an interrupted append (%d bytes)", path.name, size - end)
    return end


def _write_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _truncate_quietly(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)
    except OSError:
        pass  # the next append cuts an unterminated tail off anyway


def read_intakes(path: Path) -> tuple[Intake, ...]:
    """The archived intakes, one per dose (the later line wins); () when there is no archive.

    Raises `CorruptArchive` for a damaged line; an unterminated last line is ignored.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ()
    found: dict[DoseRef, Intake] = {}
    for number, line in enumerate(raw.split(b"\n")[:-1], start=1):
        intake = _decode_line(path, number, line)
        found.pop(intake.dose, None)
        found[intake.dose] = intake
    return tuple(found.values())


def _decode_line(path: Path, number: int, line: bytes) -> Intake:
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, ValueError):
        raise CorruptArchive(path, f"line {number} is not JSON") from None
    if not isinstance(data, dict):
        raise CorruptArchive(path, f"line {number} is not an intake")
    try:
        return _intake_adapter().validate_python(data, strict=False)
    except ValidationError as error:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ())) or "record"
        raise CorruptArchive(path, f"line {number} is not an intake (bad {where})") from None
