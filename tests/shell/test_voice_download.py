"""Fetching a voice message's audio from the (fake) Bot API: bounded, and the token never shown."""

from __future__ import annotations

import pytest

from medbot.shell.voice_download import TooBig, Unavailable, download_voice
from tests.fakes.fixtures import TEST_BOT_TOKEN, fake_telegram  # noqa: F401 - the fixture
from tests.fakes.telegram_server import FakeBotAPI


def file_of(fake: FakeBotAPI, **kwargs: object) -> str:
    return str(fake.push_voice(5, **kwargs)["message"]["voice"]["file_id"])  # type: ignore[arg-type]


def test_the_audio_is_fetched_with_get_file_then_downloaded(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    file_id = file_of(fake_telegram, audio=b"OggS-1234")
    assert download_voice(fake_telegram.base_url, TEST_BOT_TOKEN, file_id, 1000) == b"OggS-1234"
    assert [call.params["file_id"] for call in fake_telegram.calls("getFile")] == [file_id]
    assert len(fake_telegram.downloads) == 1


def test_a_file_getfile_calls_too_big_is_not_downloaded(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    file_id = file_of(fake_telegram, audio=b"x" * 10)
    with pytest.raises(TooBig):
        download_voice(fake_telegram.base_url, TEST_BOT_TOKEN, file_id, 5)
    assert fake_telegram.downloads == []


def test_a_download_is_cut_off_past_the_bound_even_when_getfile_understated_it(
    fake_telegram: FakeBotAPI,  # noqa: F811
) -> None:
    file_id = file_of(fake_telegram, audio=b"x" * 300_000, file_size=10)
    with pytest.raises(TooBig):
        download_voice(fake_telegram.base_url, TEST_BOT_TOKEN, file_id, 100_000)


@pytest.mark.parametrize("token", [TEST_BOT_TOKEN, "123:wrong"])
def test_a_missing_file_or_a_wrong_token_is_unavailable_and_the_error_shows_no_token(
    fake_telegram: FakeBotAPI, token: str,  # noqa: F811
) -> None:
    file_id = file_of(fake_telegram) if token != TEST_BOT_TOKEN else "no-such-file"
    with pytest.raises(Unavailable) as raised:
        download_voice(fake_telegram.base_url, token, file_id, 1000)
    assert token not in str(raised.value) and token not in repr(raised.value)


def test_an_unreachable_bot_api_is_unavailable() -> None:
    with pytest.raises(Unavailable) as raised:
        download_voice("http://127.0.0.1:9", TEST_BOT_TOKEN, "f", 1000)
    assert TEST_BOT_TOKEN not in str(raised.value)
