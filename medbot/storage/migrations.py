"""Upgrading stored user records, one schema version at a time, as they are read.

A record carries its version in `"schema"` (`medbot.core.model.SCHEMA_VERSION` when written; a
record without one predates versioning and counts as version 0). When the model changes, bump
`SCHEMA_VERSION` and register the step from the old version:

    @USER_MIGRATIONS.register(1)
    def _split_dosage(record: dict) -> dict:   # version 1 -> version 2
        ...

Steps are pure functions on JSON dicts. Loading never writes: the record is stored in the
new version the next time the user's state is saved, so `medbot export` can read old data too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medbot.core.model import SCHEMA_VERSION

Record = dict[str, Any]
Step = Callable[[Record], Record]


class MigrationError(ValueError):
    """A record's version cannot be brought to the current one."""


class Migrations:
    """A registry of steps `version -> version + 1`, up to `target`."""

    def __init__(self, target: int, key: str = "schema") -> None:
        self.target = target
        self.key = key
        self._steps: dict[int, Step] = {}

    def register(self, from_version: int) -> Callable[[Step], Step]:
        """Decorator: `step` turns a `from_version` record into a `from_version + 1` one."""
        if not 0 <= from_version < self.target:
            raise ValueError(f"no step can start at version {from_version} (target {self.target})")

        def add(step: Step) -> Step:
            if from_version in self._steps:
                raise ValueError(f"a step from version {from_version} is already registered")
            self._steps[from_version] = step
            return step

        return add

    def version_of(self, record: Record) -> int:
        version = record.get(self.key, 0)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise MigrationError(f"record has an invalid {self.key} version: {version!r}")
        return version

    def apply(self, record: Record) -> Record:
        """The record at the target version (the same dict when it already is)."""
        version = self.version_of(record)
        if version > self.target:
            raise MigrationError(
                f"record has {self.key} version {version}, newer than this medbot ({self.target})"
            )
        while version < self.target:
            step = self._steps.get(version)
            if step is None:
                raise MigrationError(f"no migration from {self.key} version {version}")
            record = dict(step(dict(record)))
            version += 1
            record[self.key] = version
        return record


USER_MIGRATIONS = Migrations(SCHEMA_VERSION)
"""The project's registry for user records."""


@USER_MIGRATIONS.register(1)
def daily_regimens(record: Record) -> Record:
    """Version 1 knew only "these times, every day": say so for each medication (version 2)."""
    medications = record.get("medications")
    if isinstance(medications, list):
        record["medications"] = [
            {**med, "regimen": med.get("regimen", {"kind": "daily"})} if isinstance(med, dict) else med
            for med in medications
        ]
    return record
