"""End-to-end fixtures: a running bot (real actors, real TinyDB files) against the fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import Bot, utc
from tests.fakes.groq_server import FakeGroq
from tests.fakes.telegram_server import FakeBotAPI
from tests.waiting import stop_all_actors

DEFAULT_START = utc(2026, 11, 26, 6, 0)  # 09:00 in Moscow


@pytest.fixture
def make_bot(
    fake_telegram: FakeBotAPI, tmp_path: Path
) -> Iterator[Callable[..., Bot]]:
    """Start bots on demand (several in one test share the data dir, like restarts do)."""
    started: list[Bot] = []

    def make(
        start: datetime = DEFAULT_START, groq: FakeGroq | None = None, **overrides: Any
    ) -> Bot:
        bot = Bot(fake_telegram, tmp_path / "data", start, groq, **overrides)
        started.append(bot)
        return bot.start()

    yield make
    for bot in started:
        bot.stop()
    stop_all_actors()


@pytest.fixture
def bot(make_bot: Callable[..., Bot]) -> Bot:
    return make_bot()
