"""A TinyDB storage that survives kill -9 and power cuts, and never mistakes damage for "empty".

TinyDB's own `JSONStorage` rewrites its file in place (a kill mid-write leaves it unreadable)
and reads an empty file as an empty database (a truncated file silently becomes "no data").
This one writes each state as a new file and renames it over the old one, and refuses to read
anything that is not a whole TinyDB document.

TinyDB reads the storage before every operation, including before each write, and mutates the
structure `read()` returned. So this storage keeps the bytes last known to be on disk (it is
the only writer) and hands out a fresh parse each time: no disk read per operation, and a
failed write can never leave unsaved data in the cache.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from medbot.storage.files import StoreError, WriteBatch, atomic_write


class CorruptFile(StoreError):
    """The file exists but is not a whole TinyDB document (empty, truncated, not JSON...)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


def encode(data: Any) -> bytes:
    """Compact UTF-8 JSON (Cyrillic names stay two bytes a letter); NaN is refused."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def decode_tables(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """Parse a TinyDB file's bytes, raising `CorruptFile` for anything but tables of documents."""
    if not raw.strip():
        raise CorruptFile(path, "empty file")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise CorruptFile(path, f"invalid JSON ({type(error).__name__})") from None
    if not isinstance(data, dict):
        raise CorruptFile(path, "not a TinyDB document: top level is not an object")
    for table in data.values():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise CorruptFile(path, "not a TinyDB document: a table is not an object of objects")
    return data


class DurableJSONStorage(Storage):
    """TinyDB storage: atomic, durable writes (mode 0600); loud failure on damaged files.

    Inside `staged(batch)` a write is only staged in a `WriteBatch`, so a group commit can
    make many databases durable together; the cache takes the new bytes once they are on disk.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._on_disk: bytes | None = None
        self._batch: WriteBatch | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The database, or None when the file does not exist (a new database)."""
        if self._on_disk is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return None
            tables = decode_tables(self.path, raw)
            if not self.read_only:
                self._on_disk = raw
            return tables
        return decode_tables(self.path, self._on_disk)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            raise StoreError(f"{self.path.name} is opened read-only")
        raw = encode(data)
        self._on_disk = None  # until the rename has happened, the disk is the truth
        if self._batch is not None:
            self._batch.write(self.path, raw, on_durable=lambda: self._durable(raw))
        else:
            atomic_write(self.path, raw)
            self._durable(raw)

    @contextmanager
    def staged(self, batch: WriteBatch) -> Iterator[None]:
        self._batch = batch
        try:
            yield
        finally:
            self._batch = None

    def _durable(self, raw: bytes) -> None:
        self._on_disk = raw

    def forget(self) -> None:
        """Drop the cached bytes (the file was moved or removed behind TinyDB's back)."""
        self._on_disk = None

    def close(self) -> None:
        self._on_disk = None
