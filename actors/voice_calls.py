"""One voice message, transcribed on an LLM pool thread: the audio fetched from Telegram, sent
to Groq's speech-to-text, retried and classified as a chat call is (`actors.llm_calls`).

The audio stays in this call's memory: it is never written to disk, logged or kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import groq

from actors.llm_calls import CallOutcome, Failure, LLMPolicy, answer_error, failed_call, within_deadline
from actors.messages import Heard, TranscribeRequest
from medbot.core.transcript import clean_transcript
from medbot.shell.redact import redact
from medbot.shell.voice_download import TooBig, Unavailable, download_voice

PROMPTS = {
    "ru": "Лекарства и время приёма: аспирин 100 мг в 8:00, конкор 5 мг утром, выпила таблетки.",
    "en": "Medications and times: aspirin 100 mg at 8:00, metformin 500 mg with dinner, took my pills.",
}
"""A hint of vocabulary and style (digits, "8:00") in the person's language. The language itself
is not fixed: Whisper told "ru" writes English speech in Russian, and people switch."""


@dataclass(frozen=True)
class VoiceCall:
    """Everything one job needs; nothing of the actor, so a dead incarnation is not kept alive."""

    client: groq.Groq
    telegram_url: str
    telegram_token: str
    model: str
    request: TranscribeRequest
    deadline: float
    """time.monotonic() by which the answer must be there."""
    attempt_timeout: float
    policy: LLMPolicy


def transcribe(call: VoiceCall) -> CallOutcome:
    """Download, transcribe, check: a `Heard` with the text, or with why there is none."""
    request = call.request
    try:
        audio = download_voice(call.telegram_url, call.telegram_token, request.file_id, call.policy.max_voice_bytes)
    except TooBig:
        return _outcome(call, None, "too_long", None, 0, "file too big")
    except Unavailable as error:
        return _outcome(call, None, "unavailable", None, 0, f"download: {error}")

    result, error, attempts = within_deadline(
        call.deadline, call.attempt_timeout, call.policy,
        lambda timeout: call.client.audio.transcriptions.create(
            model=call.model,
            file=("voice.ogg", audio),
            prompt=PROMPTS.get(request.lang, PROMPTS["en"]),
            response_format="json",
            temperature=0.0,
            timeout=timeout,
        ),
    )
    if error is not None:
        failure, detail, pause = failed_call(error)
        if isinstance(error, groq.APIStatusError) and error.status_code == 400 and failure in ("invalid", "rejected"):
            failure = "invalid"  # not audio it can read: nothing heard, and no fault of the service
        return _outcome(call, None, answer_error(failure), failure, attempts, detail, pause)
    text = clean_transcript(getattr(result, "text", None))
    if text is None:
        return _outcome(call, None, "invalid", None, attempts, "nothing heard")
    return _outcome(call, text, None, None, attempts, "")


def _outcome(call: VoiceCall, text: str | None, error: str | None, failure: Failure | None,
             attempts: int, detail: str, pause: float | None = None) -> CallOutcome:
    request = call.request
    heard = Heard(request.user_id, request.request_id, text, error)
    return CallOutcome(request, heard, failure, attempts, 0, None, pause, redact(detail))
