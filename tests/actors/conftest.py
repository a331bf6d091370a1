"""Actor tests: every actor a test starts is stopped when it ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.waiting import stop_all_actors


@pytest.fixture(autouse=True)
def stop_actors() -> Iterator[None]:
    yield
    stop_all_actors()
