"""pytest fixtures for the fake Telegram and Groq servers; the top-level conftest imports them.

    from tests.fakes.fixtures import fake_groq, fake_telegram  # noqa: F401 (in conftest.py)

Both fixtures stop their server at teardown and fail the test if the fake itself hit a bug
(``internal_errors``), so a broken fake never hides behind a confusing test failure.
"""

from __future__ import annotations

from typing import Iterator

import pytest
from telebot import apihelper

from tests.fakes.groq_server import FakeGroq
from tests.fakes.telegram_server import FakeBotAPI

# Shaped like real credentials (bot id, colon, 35 characters; "gsk_" and 52 characters), so that
# format checks such as `medbot check-config` accept them. They open nothing anywhere.
TEST_BOT_TOKEN = "123456789:" + "AAHfakeTokenForMedbotTests".ljust(35, "0")
TEST_GROQ_API_KEY = "gsk_" + "fakeGroqKeyForMedbotTests".ljust(52, "0")


@pytest.fixture
def fake_telegram() -> Iterator[FakeBotAPI]:
    """A running FakeBotAPI for TEST_BOT_TOKEN, with pyTelegramBotAPI pointed at it for the test."""
    previous_url = apihelper.API_URL
    with FakeBotAPI(TEST_BOT_TOKEN) as fake:
        apihelper.API_URL = fake.api_url
        try:
            yield fake
        finally:
            apihelper.API_URL = previous_url
    assert not fake.internal_errors, "\n".join(fake.internal_errors)


@pytest.fixture
def fake_groq() -> Iterator[FakeGroq]:
    """A running FakeGroq accepting TEST_GROQ_API_KEY (pass ``fake_groq.base_url`` to the client)."""
    with FakeGroq(TEST_GROQ_API_KEY) as fake:
        yield fake
    assert not fake.internal_errors, "\n".join(fake.internal_errors)
