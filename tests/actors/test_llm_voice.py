"""The LLMActor transcribing voice messages: the audio fetched from the fake Bot API with
getFile, sent by the real groq SDK to the fake Groq's speech-to-text, under the chat budgets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from actors.llm_calls import LLMPolicy
from actors.messages import Heard, TranscribeRequest
from medbot.shell.settings import Settings
from tests.actors.test_llm import ADD_ASPIRIN, Rig
from tests.fakes.fixtures import TEST_BOT_TOKEN, TEST_GROQ_API_KEY, fake_groq, fake_telegram  # noqa: F401
from tests.fakes.groq_server import FakeGroq, daily_quota_exhausted, invalid_api_key, server_error
from tests.fakes.telegram_server import FakeBotAPI
from tests.waiting import wait_until

AUDIO = b"OggS\x00\x02voice: konkor five at eight"


class VoiceRig(Rig):
    def speak(self, file_id: str, duration: int = 3, user_id: int = 7, lang: str = "ru") -> Heard:
        request_id = next(self._ids)
        self.llm.tell(TranscribeRequest(user_id, request_id, file_id, duration, lang, self.user))

        def found() -> Heard | None:
            return next((a for a in self.answers if isinstance(a, Heard) and a.request_id == request_id), None)

        assert wait_until(lambda: found() is not None, 10.0), f"no answer to {request_id}"
        heard = found()
        assert heard is not None
        return heard


@pytest.fixture
def rig_for(fake_groq: FakeGroq, fake_telegram: FakeBotAPI) -> Iterator[Any]:  # noqa: F811
    def make(policy: LLMPolicy | None = None, **changes: Any) -> VoiceRig:
        settings = Settings(groq_api_key=TEST_GROQ_API_KEY, groq_base_url=fake_groq.base_url, llm_timeout=5.0,
                            telegram_token=TEST_BOT_TOKEN, telegram_api_url=fake_telegram.base_url)
        return VoiceRig(replace(settings, **changes), policy or LLMPolicy(backoff_first=0.01, backoff_max=0.02))

    yield make


def voice(fake: FakeBotAPI, audio: bytes = AUDIO, **kwargs: Any) -> str:
    update = fake.push_voice(7, audio=audio, **kwargs)
    return str(update["message"]["voice"]["file_id"])


def test_a_voice_message_is_fetched_transcribed_and_answered_with_the_text(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any, caplog: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    caplog.set_level(logging.INFO)
    fake_groq.transcribe_as(AUDIO, "  Конкор 5 мг в 8.  ")
    rig = rig_for()
    heard = rig.speak(voice(fake_telegram))
    assert (heard.text, heard.error, heard.user_id) == ("Конкор 5 мг в 8.", None, 7)
    assert fake_telegram.downloads == ["voice/file_0.oga"]
    [call] = fake_groq.transcriptions
    assert call.body["model"] == "whisper-large-v3-turbo" and call.body["file"]["size"] == len(AUDIO)
    assert "language" not in call.body and "мг" in call.body["prompt"]  # a hint, not a forced language
    assert call.authorized and rig.status()["calls_today"] == 1
    assert "Конкор" not in caplog.text and TEST_BOT_TOKEN not in caplog.text  # (urllib3 logs at WARNING)


def test_the_model_is_configurable(fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any) -> None:  # noqa: F811
    fake_groq.transcribe_as(AUDIO, "аспирин")
    rig_for(voice_model="whisper-large-v3").speak(voice(fake_telegram))
    assert fake_groq.transcriptions[-1].body["model"] == "whisper-large-v3"


def test_silence_that_whisper_fills_with_film_credits_is_nothing_heard(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any,  # noqa: F811
) -> None:
    fake_groq.transcribe_as(AUDIO, "Продолжение следует...")
    assert rig_for().speak(voice(fake_telegram)) == Heard(7, 1, None, "invalid")


def test_audio_groq_cannot_read_is_nothing_heard_and_does_not_trip_the_breaker(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any,  # noqa: F811
) -> None:
    rig = rig_for()
    for _ in range(6):
        assert rig.speak(voice(fake_telegram, audio=b"not audio")).error == "invalid"
    assert rig.status()["breaker"] == "closed"


def test_a_file_over_the_size_bound_is_never_sent_to_groq(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any,  # noqa: F811
) -> None:
    rig = rig_for(LLMPolicy(max_voice_bytes=100))
    assert rig.speak(voice(fake_telegram, file_size=10_000_000)).error == "too_long"  # getFile says so
    assert rig.speak(voice(fake_telegram, audio=b"x" * 5000, file_size=50)).error == "too_long"  # it lied
    assert fake_groq.transcriptions == []


def test_a_message_longer_than_allowed_is_refused_without_a_download(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any,  # noqa: F811
) -> None:
    rig = rig_for(voice_max_seconds=30)
    assert rig.speak(voice(fake_telegram), duration=31).error == "too_long"
    assert fake_telegram.downloads == [] and fake_groq.transcriptions == []


def test_a_file_telegram_no_longer_has_is_unavailable_and_costs_no_groq_call(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any,  # noqa: F811
) -> None:
    rig = rig_for()
    file_id = voice(fake_telegram)
    fake_telegram.forget_file(file_id)
    assert rig.speak(file_id).error == "unavailable"
    assert fake_groq.transcriptions == [] and rig.status()["breaker"] == "closed"


def test_voice_shares_the_chat_budgets(fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any) -> None:  # noqa: F811
    fake_groq.transcribe_as(AUDIO, "аспирин")
    rig = rig_for(llm_requests_per_minute=2)
    file_id = voice(fake_telegram)
    fake_groq.reply_json(ADD_ASPIRIN)
    assert rig.speak(file_id).text == "аспирин"
    assert rig.ask("запиши аспирин").error is None  # a chat request uses the same minute
    assert rig.speak(file_id).error == "quota"
    assert len(fake_groq.transcriptions) == 1


def test_speech_seconds_per_hour_are_a_budget_of_their_own(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any,  # noqa: F811
) -> None:
    fake_groq.transcribe_as(AUDIO, "аспирин")
    rig = rig_for(LLMPolicy(audio_seconds_per_hour=100))
    file_id = voice(fake_telegram)
    assert rig.speak(file_id, duration=60).text == "аспирин"
    assert rig.speak(file_id, duration=60).error == "quota"
    assert rig.speak(file_id, duration=30).text == "аспирин"


@pytest.mark.parametrize(("fault", "error"), [
    (daily_quota_exhausted(model="whisper-large-v3-turbo"), "quota"),
    (invalid_api_key(), "refused"),
])
def test_groq_refusals_answer_as_for_chat(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any, fault: Any, error: str,  # noqa: F811
) -> None:
    fake_groq.fail_with(fault)
    assert rig_for().speak(voice(fake_telegram)).error == error


def test_a_server_error_is_retried_and_then_transcribed(
    fake_groq: FakeGroq, fake_telegram: FakeBotAPI, rig_for: Any,  # noqa: F811
) -> None:
    fake_groq.transcribe_as(AUDIO, "аспирин")
    fake_groq.fail_with(server_error(503))
    assert rig_for().speak(voice(fake_telegram)).text == "аспирин"
    assert [r.status for r in fake_groq.transcriptions] == [503, 200]


def test_without_a_key_voice_is_unconfigured(fake_telegram: FakeBotAPI, rig_for: Any) -> None:  # noqa: F811
    assert rig_for(groq_api_key=None).speak(voice(fake_telegram)).error == "unconfigured"
    assert fake_telegram.downloads == []
