"""The store's meta.json: its format version and layout, read and checked before anything else."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from medbot.storage.files import StoreError

STORE_FORMAT = 1
USER_DIRS = 1000
WAKE_SHARDS = 1024
META = "meta.json"


def new_meta() -> dict[str, Any]:
    return {
        "format": STORE_FORMAT,
        "user_dirs": USER_DIRS,
        "wake_shards": WAKE_SHARDS,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def read_meta(root: Path) -> dict[str, Any] | None:
    """The store's meta.json, checked; None when there is none yet."""
    path = root / META
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        meta = json.loads(raw)
        fmt, dirs, shards = meta["format"], meta["user_dirs"], meta["wake_shards"]
        if not all(isinstance(value, int) and value > 0 for value in (fmt, dirs, shards)):
            raise ValueError("bad values")
    except (ValueError, TypeError, KeyError):
        raise StoreError(f"{path} is unreadable; restore it from a backup") from None
    if fmt > STORE_FORMAT:
        raise StoreError(f"{path}: store format {fmt} is newer than this medbot ({STORE_FORMAT})")
    if fmt < STORE_FORMAT:
        raise StoreError(f"{path}: no migration from store format {fmt} to {STORE_FORMAT}")
    return dict(meta)


def has_entries(directory: Path) -> bool:
    try:
        with os.scandir(directory) as entries:
            return any(True for _ in entries)
    except FileNotFoundError:
        return False
