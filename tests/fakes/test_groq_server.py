"""The fake Groq API, proven with the real groq SDK over HTTP."""

from __future__ import annotations

import json
import threading
from typing import Any

import groq
import pytest

from tests.fakes.fixtures import TEST_GROQ_API_KEY, fake_groq  # noqa: F401 - fixture
from tests.fakes.groq_server import (
    DEFAULT_MODEL,
    FakeGroq,
    daily_quota_exhausted,
    groq_duration,
    json_validate_failed,
    model_blocked,
    organization_restricted,
    rate_limited,
    server_error,
)

WAIT = 10.0
SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "command", "strict": True,
        "schema": {"type": "object", "properties": {"command": {"type": "string"}},
                   "required": ["command"], "additionalProperties": False},
    },
}


@pytest.fixture
def client(fake_groq: FakeGroq) -> groq.Groq:
    return groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=fake_groq.base_url, max_retries=0, timeout=WAIT)


def ask(client: groq.Groq, text: str = "добавь аспирин", **options: Any) -> Any:
    return client.chat.completions.create(
        model=DEFAULT_MODEL, messages=[{"role": "system", "content": "Parse."}, {"role": "user", "content": text}],
        **options,
    )


def test_a_json_schema_request_gets_the_scripted_content_in_groqs_shape(
    fake_groq: FakeGroq, client: groq.Groq,
) -> None:
    fake_groq.reply_json({"command": "add"})
    completion = ask(client, response_format=SCHEMA, temperature=0)
    assert json.loads(completion.choices[0].message.content) == {"command": "add"}
    assert completion.object == "chat.completion" and completion.model == DEFAULT_MODEL
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens > 0
    assert completion.x_groq.id.startswith("req_")


def test_every_request_is_recorded_without_the_key(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.reply_json({"command": "list"})
    ask(client, "покажи список", response_format=SCHEMA, temperature=0.2)
    [request] = fake_groq.wait_requests(1, WAIT)
    assert (request.model, request.user_text, request.temperature, request.status) == (
        DEFAULT_MODEL, "покажи список", 0.2, 200)
    assert request.response_format == SCHEMA and request.messages[0]["role"] == "system"
    assert request.headers["authorization"] == "Bearer <redacted>"
    assert request.headers["x-stainless-retry-count"] == "0"
    assert TEST_GROQ_API_KEY not in repr(fake_groq.requests)


def test_queued_replies_come_in_order_then_the_responder_answers(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.reply_text("first")
    fake_groq.reply_json({"n": 2})
    fake_groq.reply_with(lambda request: {"echo": request["messages"][-1]["content"]})
    contents = [ask(client, text).choices[0].message.content for text in ("a", "b", "c")]
    assert contents[:2] == ["first", '{"n": 2}'] and json.loads(contents[2]) == {"echo": "c"}
    assert fake_groq.pending_replies == 0


def test_finish_reason_can_be_scripted(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.reply_text("cut off", finish_reason="length")
    assert ask(client).choices[0].finish_reason == "length"


def test_successful_answers_carry_groqs_rate_limit_headers(client: groq.Groq, fake_groq: FakeGroq) -> None:
    fake_groq.reply_text("ok")
    raw = client.chat.completions.with_raw_response.create(model=DEFAULT_MODEL,
                                                           messages=[{"role": "user", "content": "x"}])
    headers = raw.headers
    assert headers["x-ratelimit-limit-requests"] == "1000" and headers["x-ratelimit-remaining-requests"] == "999"
    assert int(headers["x-ratelimit-remaining-tokens"]) < int(headers["x-ratelimit-limit-tokens"])
    assert headers["x-request-id"].startswith("req_") and "retry-after" not in headers


def test_429_is_a_rate_limit_error_with_retry_after_visible(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.fail_with(rate_limited(retry_after=2))
    fake_groq.reply_text("after the wait")
    with pytest.raises(groq.RateLimitError) as caught:
        ask(client)
    assert caught.value.response.headers["retry-after"] == "2"
    error = caught.value.body["error"]
    assert error["code"] == "rate_limit_exceeded" and "tokens per minute (TPM)" in error["message"]
    assert "Please try again in 2s" in error["message"]
    assert ask(client).choices[0].message.content == "after the wait"  # the fault used no reply
    assert len(fake_groq.completions) == 2  # max_retries=0: the SDK did not retry by itself


def test_an_exhausted_daily_quota_says_requests_per_day(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.fail_with(daily_quota_exhausted(retry_after=5400))
    with pytest.raises(groq.RateLimitError) as caught:
        ask(client)
    assert "requests per day (RPD)" in caught.value.body["error"]["message"]
    assert caught.value.response.headers["retry-after"] == "5400"


def test_the_daily_request_limit_is_enforced_after_that_many_answers() -> None:
    with FakeGroq(TEST_GROQ_API_KEY, daily_request_limit=2) as fake:
        fake.reply_with(lambda request: "ok")
        client = groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=fake.base_url, max_retries=0, timeout=WAIT)
        assert [ask(client).choices[0].message.content for _ in range(2)] == ["ok", "ok"]
        with pytest.raises(groq.RateLimitError) as caught:
            ask(client)
        assert "requests per day" in caught.value.body["error"]["message"]
        assert caught.value.response.headers["x-ratelimit-remaining-requests"] == "0"


def test_a_wrong_key_is_an_authentication_error(fake_groq: FakeGroq) -> None:
    wrong = groq.Groq(api_key="gsk_wrong", base_url=fake_groq.base_url, max_retries=0, timeout=WAIT)
    with pytest.raises(groq.AuthenticationError) as caught:
        ask(wrong)
    assert caught.value.body == {"error": {"message": "Invalid API Key", "type": "invalid_request_error",
                                           "code": "invalid_api_key"}}
    assert fake_groq.requests[-1].authorized is False and "gsk_wrong" not in repr(fake_groq.requests)


def test_a_blocked_model_is_permission_denied(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.fail_with(model_blocked())
    with pytest.raises(groq.PermissionDeniedError) as caught:
        ask(client)
    assert "blocked at the organization level" in caught.value.body["error"]["message"]


def test_a_403_scripted_with_fail_next_is_permission_denied(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.fail_next(403, message="Forbidden", code="permission_denied", type="permissions_error")
    with pytest.raises(groq.PermissionDeniedError) as caught:
        ask(client)
    assert caught.value.body["error"]["code"] == "permission_denied"


def test_a_restricted_organization_is_a_bad_request_as_groq_answers_it(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.fail_with(organization_restricted())
    with pytest.raises(groq.BadRequestError) as caught:
        ask(client)
    assert caught.value.body["error"]["code"] == "organization_restricted"


def test_invalid_json_in_json_mode_is_json_validate_failed(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.reply_text('{"command": "add",')
    with pytest.raises(groq.BadRequestError) as caught:
        ask(client, response_format=SCHEMA)
    assert caught.value.body == json_validate_failed('{"command": "add",').body()


def test_invalid_json_is_delivered_outside_json_mode_or_when_enforcement_is_off(client: groq.Groq,
                                                                                fake_groq: FakeGroq) -> None:
    fake_groq.reply_text("not json")
    assert ask(client).choices[0].message.content == "not json"
    with FakeGroq(TEST_GROQ_API_KEY, enforce_json_mode=False) as lenient:
        lenient.reply_text("not json")
        other = groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=lenient.base_url, max_retries=0, timeout=WAIT)
        assert ask(other, response_format=SCHEMA).choices[0].message.content == "not json"


@pytest.mark.parametrize("response_format", [{"type": "json_schema"}, {"type": "xml"}, "json"])
def test_malformed_requests_are_bad_requests(client: groq.Groq, response_format: Any) -> None:
    with pytest.raises(groq.BadRequestError):
        ask(client, response_format=response_format)


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_internal_server_errors(fake_groq: FakeGroq, client: groq.Groq, status: int) -> None:
    fake_groq.fail_with(server_error(status), count=2)
    for _ in range(2):
        with pytest.raises(groq.InternalServerError) as caught:
            ask(client)
        assert caught.value.status_code == status


def test_a_hung_request_times_out_and_does_not_use_up_the_reply(fake_groq: FakeGroq) -> None:
    fake_groq.hang_next(600)
    fake_groq.reply_text("meant for the retry")
    impatient = groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=fake_groq.base_url, max_retries=0, timeout=0.5)
    with pytest.raises(groq.APITimeoutError):
        ask(impatient)
    assert ask(impatient.with_options(timeout=WAIT)).choices[0].message.content == "meant for the retry"


def test_a_slow_answer_still_arrives_when_the_client_waits(fake_groq: FakeGroq, client: groq.Groq) -> None:
    fake_groq.hang_next(0.3)
    fake_groq.reply_text("slow but sure")
    assert ask(client).choices[0].message.content == "slow but sure"


def test_a_blocking_responder_does_not_block_other_requests(fake_groq: FakeGroq, client: groq.Groq) -> None:
    release = threading.Event()

    def respond(request: Any) -> str:
        if request["messages"][-1]["content"] == "slow":
            release.wait(WAIT)
        return request["messages"][-1]["content"]

    fake_groq.reply_with(respond)
    outcome: dict[str, str] = {}
    slow = threading.Thread(target=lambda: outcome.update(slow=ask(client, "slow").choices[0].message.content))
    slow.start()
    assert fake_groq.wait_for(lambda: len(fake_groq.completions) == 1, WAIT)
    assert ask(client, "fast").choices[0].message.content == "fast"  # served while "slow" is held
    release.set()
    slow.join(WAIT)
    assert outcome == {"slow": "slow"}


def test_unknown_models_are_not_found_when_models_are_listed() -> None:
    with FakeGroq(TEST_GROQ_API_KEY, known_models=[DEFAULT_MODEL]) as fake:
        client = groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=fake.base_url, max_retries=0, timeout=WAIT)
        assert [m.id for m in client.models.list().data] == [DEFAULT_MODEL]
        with pytest.raises(groq.NotFoundError) as caught:
            client.chat.completions.create(model="llama-imaginary", messages=[{"role": "user", "content": "x"}])
        assert caught.value.body["error"]["code"] == "model_not_found"


def test_a_request_with_nothing_scripted_is_reported_as_a_test_bug() -> None:
    with FakeGroq(TEST_GROQ_API_KEY) as fake:
        client = groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=fake.base_url, max_retries=0, timeout=WAIT)
        with pytest.raises(groq.InternalServerError):
            ask(client)
        assert "no scripted reply" in fake.internal_errors[0]


def test_close_cuts_short_a_hung_request() -> None:
    fake = FakeGroq(TEST_GROQ_API_KEY)
    try:
        fake.hang_next(600)
        client = groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=fake.base_url, max_retries=0, timeout=700)
        outcome: dict[str, BaseException] = {}

        def call() -> None:
            try:
                ask(client)
            except groq.APIError as error:
                outcome["error"] = error

        caller = threading.Thread(target=call, daemon=True)
        caller.start()
        assert fake.wait_for(lambda: len(fake.completions) == 1, WAIT)
        closer = threading.Thread(target=fake.close)
        closer.start()
        closer.join(WAIT * 3)  # would take 600 s if close() waited for the hang
        assert not closer.is_alive()
        caller.join(WAIT)
        assert not caller.is_alive() and isinstance(outcome["error"], groq.APIConnectionError)
        assert fake.internal_errors == []
    finally:
        fake.close()


@pytest.mark.parametrize(("seconds", "text"), [(2, "2s"), (4.77, "4.77s"), (86.4, "1m26.4s"), (578.016, "9m38.016s")])
def test_waits_are_written_the_way_groq_writes_them(seconds: float, text: str) -> None:
    assert groq_duration(seconds) == text


# --- speech to text ----------------------------------------------------------------------------


def test_taught_audio_is_transcribed_and_the_request_is_recorded_without_its_bytes(
    fake_groq: FakeGroq, client: groq.Groq,  # noqa: F811
) -> None:
    fake_groq.transcribe_as(b"OggS-1", "аспирин в 9")
    result = client.audio.transcriptions.create(model="whisper-large-v3-turbo", file=("v.ogg", b"OggS-1"),
                                                prompt="лекарства", temperature=0.0)
    assert result.text == "аспирин в 9"
    [request] = fake_groq.transcriptions
    assert request.body == {"model": "whisper-large-v3-turbo", "prompt": "лекарства", "temperature": "0.0",
                            "file": {"filename": "v.ogg", "size": 6}}
    assert fake_groq.completions == []


@pytest.mark.parametrize(("model", "audio", "status"), [
    ("whisper-large-v3", b"unknown", 400),  # audio it cannot decode
    (DEFAULT_MODEL, b"OggS-1", 400),  # a chat model cannot transcribe
])
def test_what_groq_cannot_transcribe_is_refused(
    fake_groq: FakeGroq, client: groq.Groq, model: str, audio: bytes, status: int,  # noqa: F811
) -> None:
    fake_groq.transcribe_as(b"OggS-1", "x")
    with pytest.raises(groq.APIStatusError) as raised:
        client.audio.transcriptions.create(model=model, file=("v.ogg", audio))
    assert raised.value.status_code == status


def test_faults_apply_to_transcriptions_too(fake_groq: FakeGroq, client: groq.Groq) -> None:  # noqa: F811
    fake_groq.transcribe_as(b"OggS-1", "x")
    fake_groq.fail_with(server_error(503))
    with pytest.raises(groq.InternalServerError):
        client.audio.transcriptions.create(model="whisper-large-v3", file=("v.ogg", b"OggS-1"))
    assert client.audio.transcriptions.create(model="whisper-large-v3", file=("v.ogg", b"OggS-1")).text == "x"
