"""A fake Groq API server for tests, spoken to by the real ``groq`` SDK over HTTP on 127.0.0.1.

    with FakeGroq(api_key) as fake:
        client = groq.Groq(api_key=api_key, base_url=fake.base_url, max_retries=0)
        fake.reply_json({"command": "add", ...})
        client.chat.completions.create(model=..., messages=[...], response_format={...})

What it does like Groq:

- POST ``/openai/v1/chat/completions`` answers the OpenAI-shaped completion Groq sends (id, object,
  created, model, choices[0].message.content, finish_reason, usage with token counts and timings,
  system_fingerprint, x_groq.id); GET ``/openai/v1/models`` lists models; any other URL -> 404.
- POST ``/openai/v1/audio/transcriptions`` (multipart: ``file``, ``model``, optional ``language``,
  ``prompt``, ``response_format``, ``temperature``) answers ``{"text", "x_groq"}`` for audio the test
  taught it (``transcribe_as(audio, text)``); other audio -> 400 as Groq answers a file it cannot
  decode; a model that is not Whisper -> 400; over 25 MB -> 413. Faults and hangs apply as to
  completions. ``transcriptions`` lists these requests (form fields, the file's size, never bytes).
- ``Authorization: Bearer <key>``: anything else -> 401 ``invalid_api_key`` worded as Groq does.
- Every answer carries Groq's ``x-ratelimit-*`` headers (limit/remaining/reset for requests per day
  and tokens per minute) and ``x-request-id``; a 429 adds ``retry-after`` (whole seconds).
- In JSON modes (``response_format`` json_object or json_schema) content that is not valid JSON is
  never delivered: Groq answers 400 ``json_validate_failed`` with the text in ``failed_generation``.
  Scripted *valid* JSON that breaks the schema is delivered (the code must validate it anyway);
  ``enforce_json_mode=False`` delivers broken JSON too.
- Error bodies are ``{"error": {"message", "type", "code"}}``. The builders below (``rate_limited``,
  ``daily_quota_exhausted``, ``organization_restricted``, ...) word them like Groq's real answers as
  reported publicly; note that "organization restricted" came back as HTTP **400**, not 403, and that
  running out of the daily quota is the same 429 ``rate_limit_exceeded`` as a per-minute limit: only
  the message ("requests per day (RPD)") and the long retry-after tell them apart.

Scripting: queued replies are used in order, one per successful request; ``reply_with`` answers
when the queue is empty; faults (``fail_next``/``fail_with``) take precedence and do not use up a
reply; ``hang_next`` holds a request and then answers it normally only if the client still waits.
Streaming is not supported (400). Nothing records the API key: headers are kept with it redacted.
"""

from __future__ import annotations

import itertools
import json
import math
import secrets
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as default_email_policy
from typing import Any, Callable, Iterable, Mapping

from tests.fakes._http import FakeHttpServer, HttpReply, IncomingRequest, Queued, json_reply, use_queued

DEFAULT_MODEL = "openai/gpt-oss-20b"
COMPLETIONS_PATH = "/openai/v1/chat/completions"
MODELS_PATH = "/openai/v1/models"
TRANSCRIPTIONS_PATH = "/openai/v1/audio/transcriptions"
WHISPER_MODELS = frozenset({"whisper-large-v3", "whisper-large-v3-turbo"})
MAX_AUDIO_BYTES = 25 * 1024 * 1024
FAKE_ORGANIZATION = "org_01fakeorganization000000000"
_JSON_MODES = frozenset({"json_object", "json_schema"})
_ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
_UPGRADE = "Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing"


# --- errors, worded like Groq's -----------------------------------------------------------------


@dataclass(frozen=True)
class GroqFault:
    """One error answer: HTTP ``status``, the ``error`` object's fields, extra response headers."""

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)  # more fields of "error", e.g. failed_generation

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.code is not None:
            error["code"] = self.code
        return {"error": {**error, **self.extra}}


def groq_duration(seconds: float) -> str:
    """Groq's way of writing a wait: "4.77s", "1m26.4s", "9m38.016s"."""
    minutes, rest = divmod(max(seconds, 0.0), 60)
    text = f"{rest:.3f}".rstrip("0").rstrip(".") + "s"
    return f"{int(minutes)}m{text}" if minutes else text


def _limit_fault(retry_after: float, *, model: str, window: str, type_: str, limit: int, used: int,
                 requested: int) -> GroqFault:
    message = (
        f"Rate limit reached for model `{model}` in organization `{FAKE_ORGANIZATION}` service tier "
        f"`on_demand` on {window}: Limit {limit}, Used {used}, Requested {requested}. Please try again in "
        f"{groq_duration(retry_after)}. {_UPGRADE}"
    )
    return GroqFault(429, message, type_, "rate_limit_exceeded", {"retry-after": str(math.ceil(retry_after))})


def rate_limited(retry_after: float = 2.0, *, model: str = DEFAULT_MODEL, limit: int = 8000, used: int = 7900,
                 requested: int = 500) -> GroqFault:
    """429 for tokens per minute, the commonest Groq limit."""
    return _limit_fault(retry_after, model=model, window="tokens per minute (TPM)", type_="tokens",
                        limit=limit, used=used, requested=requested)


def requests_per_minute_exceeded(retry_after: float = 2.0, *, model: str = DEFAULT_MODEL,
                                 limit: int = 30) -> GroqFault:
    return _limit_fault(retry_after, model=model, window="requests per minute (RPM)", type_="requests",
                        limit=limit, used=limit, requested=1)


def daily_quota_exhausted(retry_after: float = 3600.0, *, model: str = DEFAULT_MODEL,
                          limit: int = 1000) -> GroqFault:
    """429 once the requests-per-day quota is gone (same code as per-minute limits; see module doc)."""
    return _limit_fault(retry_after, model=model, window="requests per day (RPD)", type_="requests",
                        limit=limit, used=limit, requested=1)


def invalid_api_key() -> GroqFault:
    return GroqFault(401, "Invalid API Key", "invalid_request_error", "invalid_api_key")


def organization_restricted(status: int = 400) -> GroqFault:
    """The account is blocked. Groq was seen answering this with 400 (BadRequestError in the SDK)."""
    return GroqFault(status, "Organization has been restricted. Please reach out to support if you believe "
                             "this was in error.", "invalid_request_error", "organization_restricted")


def model_blocked(model: str = DEFAULT_MODEL) -> GroqFault:
    """403 when the organization's model permissions block ``model``."""
    return GroqFault(403, f"The model `{model}` is blocked at the organization level. Please have the org "
                          "admin enable this model in the org settings at https://console.groq.com/settings/limits",
                     "permissions_error", "model_permission_blocked_org")


def json_validate_failed(failed_generation: str) -> GroqFault:
    return GroqFault(400, "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more "
                          "details.", "invalid_request_error", "json_validate_failed",
                     extra={"failed_generation": failed_generation})


def server_error(status: int = 500) -> GroqFault:
    """5xx. The exact wording of Groq's bodies here is not confirmed; the shape and status are what count."""
    message = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Error")
    return GroqFault(status, message, "internal_server_error")


def _model_not_found(model: str) -> GroqFault:
    return GroqFault(404, f"The model `{model}` does not exist or you do not have access to it.",
                     "invalid_request_error", "model_not_found")


def _bad_request(message: str) -> GroqFault:
    return GroqFault(400, message, "invalid_request_error")


# --- what tests read ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroqRequest:
    """One request as received. ``status`` is None until answered, and stays None if never answered."""

    at: float  # time.monotonic() on arrival
    verb: str
    path: str
    headers: Mapping[str, str]  # lower-case names; the Authorization value redacted
    body: Any  # decoded JSON, or None
    authorized: bool
    status: int | None = None
    content: str | None = None  # what the "model" answered (200 only)

    @property
    def model(self) -> str | None:
        return self._field("model")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self._field("messages") or []

    @property
    def response_format(self) -> dict[str, Any] | None:
        return self._field("response_format")

    @property
    def temperature(self) -> float | None:
        return self._field("temperature")

    @property
    def user_text(self) -> str | None:
        """The last user message's content: usually what the person wrote."""
        users = [m.get("content") for m in self.messages if isinstance(m, dict) and m.get("role") == "user"]
        return users[-1] if users else None

    def _field(self, name: str) -> Any:
        return self.body.get(name) if isinstance(self.body, dict) else None


@dataclass(frozen=True)
class _Reply:
    content: str
    finish_reason: str


Responder = Callable[[Mapping[str, Any]], Any]


# --- the server --------------------------------------------------------------------------------


class FakeGroq(FakeHttpServer):
    """The fake Groq API. Construct it (it serves at once), script it, ``close()`` it (or ``with``)."""

    def __init__(
        self,
        api_key: str,
        *,
        requests_per_day: int = 1000,
        tokens_per_minute: int = 8000,
        daily_request_limit: int | None = None,
        known_models: Iterable[str] | None = None,
        enforce_json_mode: bool = True,
    ) -> None:
        """``requests_per_day``/``tokens_per_minute`` feed the x-ratelimit headers only;
        ``daily_request_limit`` makes every request after that many successful ones a
        ``daily_quota_exhausted`` 429; ``known_models`` (default: any) -> others get 404
        ``model_not_found``."""
        self._api_key = api_key
        self._requests_per_day = requests_per_day
        self._tokens_per_minute = tokens_per_minute
        self._daily_request_limit = daily_request_limit
        self._known_models = frozenset(known_models) if known_models is not None else None
        self._enforce_json_mode = enforce_json_mode
        self._replies: deque[_Reply] = deque()
        self._responder: Responder | None = None
        self._faults: list[Queued[GroqFault]] = []
        self._hangs: list[Queued[float]] = []  # seconds to hold
        self._served = 0
        self._tokens: deque[tuple[float, int]] = deque()  # (monotonic, tokens) within the last minute
        self._created = itertools.count(int(time.time()))
        self._speech: dict[bytes, str] = {}
        super().__init__()

    # --- scripting ---

    def reply_json(self, payload: object, *, finish_reason: str = "stop") -> None:
        """Queue an answer whose content is ``payload`` as JSON text."""
        self.reply_text(json.dumps(payload, ensure_ascii=False), finish_reason=finish_reason)

    def reply_text(self, content: str, *, finish_reason: str = "stop") -> None:
        """Queue an answer whose content is exactly ``content`` (what the model "wrote")."""
        with self._cond:
            self._replies.append(_Reply(content, finish_reason))

    def transcribe_as(self, audio: bytes, text: str) -> None:
        """Audio with exactly these bytes is "heard" as ``text`` (every time it is sent)."""
        with self._cond:
            self._speech[audio] = text

    def reply_with(self, responder: Responder | None) -> None:
        """Answer with ``responder(request_json)`` when no queued reply is left (a str is the content,
        anything else is sent as JSON). It runs outside the fake's lock: it may block, e.g. on an Event."""
        with self._cond:
            self._responder = responder

    def fail_next(
        self, status: int, *, message: str | None = None, code: str | None = None,
        type: str = "invalid_request_error", headers: Mapping[str, str] | None = None,  # noqa: A002 - Groq's field
        count: int = 1, extra: Mapping[str, Any] | None = None,
    ) -> None:
        """The next ``count`` completion requests fail with this error (see the builders for Groq's words)."""
        self.fail_with(GroqFault(status, message or f"Error {status}", type, code, dict(headers or {}),
                                 dict(extra or {})), count=count)

    def fail_with(self, fault: GroqFault, *, count: int = 1) -> None:
        with self._cond:
            self._faults.append(Queued(fault, count))

    def hang_next(self, seconds: float, *, count: int = 1) -> None:
        """Hold the next ``count`` requests for ``seconds``; then answer only if the client still waits
        (so a client that timed out does not use up a scripted reply). close() cuts the wait short."""
        with self._cond:
            self._hangs.append(Queued(seconds, count))

    def clear_script(self) -> None:
        """Drop queued replies, faults and hangs (the responder stays)."""
        with self._cond:
            self._replies.clear()
            self._faults.clear()
            self._hangs.clear()

    @property
    def pending_replies(self) -> int:
        with self._cond:
            return len(self._replies)

    # --- observation ---

    @property
    def requests(self) -> list[GroqRequest]:
        """Every request in arrival order, unauthorized ones included."""
        return self._logged()

    @property
    def transcriptions(self) -> list[GroqRequest]:
        """The speech-to-text requests only (``body``: the form fields, ``file`` as its size)."""
        return [r for r in self.requests if r.path == TRANSCRIPTIONS_PATH]

    @property
    def completions(self) -> list[GroqRequest]:
        """The chat-completion requests only."""
        return [r for r in self.requests if r.path == COMPLETIONS_PATH]

    def wait_requests(self, n: int = 1, timeout: float = 10.0) -> list[GroqRequest]:
        """Wait until ``n`` completion requests were answered; AssertionError with a summary otherwise."""
        def answered() -> list[GroqRequest]:
            return [r for r in self.completions if r.status is not None]

        if not self.wait_for(lambda: len(answered()) >= n, timeout):
            seen = [(r.status, r.user_text) for r in self.completions]
            raise AssertionError(f"expected {n} answered completion(s) within {timeout}s; got {seen}")
        return answered()

    # --- HTTP ---

    def _handle(self, request: IncomingRequest) -> HttpReply | None:
        authorized = request.headers.get("authorization") == f"Bearer {self._api_key}"
        audio: bytes | None = None
        if request.path == TRANSCRIPTIONS_PATH:
            body, audio = _form(request)
        else:
            try:
                body = json.loads(request.body) if request.body else None
            except ValueError:
                body = None
        headers = {k: ("Bearer <redacted>" if k == "authorization" else v) for k, v in request.headers.items()}
        index = self._record(GroqRequest(time.monotonic(), request.verb, request.path, headers, body, authorized))
        if not authorized:
            return self._fail(index, invalid_api_key())
        if request.verb == "GET" and request.path == MODELS_PATH:
            return self._models(index)
        if request.verb == "POST" and request.path == TRANSCRIPTIONS_PATH:
            with self._cond:
                hang = use_queued(self._hangs)
            if hang is not None and (not self._hold(hang) or request.client_gone()):
                return None
            return self._transcribe(index, body, audio)
        if request.verb != "POST" or request.path != COMPLETIONS_PATH:
            return self._fail(index, GroqFault(
                404, f"Unknown request URL: {request.verb} {request.path}. Please check the URL for typos, "
                     "or see the docs at https://console.groq.com/docs/", "invalid_request_error", "unknown_url"))
        with self._cond:
            hang = use_queued(self._hangs)
        if hang is not None and (not self._hold(hang) or request.client_gone()):
            return None
        return self._complete(index, body)

    def _complete(self, index: int, body: Any) -> HttpReply:
        with self._cond:
            problem = self._refusal(body)
            if problem is not None:
                return self._fail(index, problem)
            scripted = self._replies.popleft() if self._replies else None
            responder = self._responder
        if scripted is None:
            if responder is None:
                self._internal_error("FakeGroq got a completion request with no scripted reply and no reply_with")
                return self._fail(index, server_error(500))
            try:
                answer = responder(body)
            except Exception:  # noqa: BLE001 - the test's responder is broken: say so, answer 500
                self._internal_error("reply_with responder raised:\n" + traceback.format_exc())
                return self._fail(index, server_error(500))
            scripted = _Reply(answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False), "stop")
        if self._enforce_json_mode and (body.get("response_format") or {}).get("type") in _JSON_MODES:
            try:
                json.loads(scripted.content)
            except ValueError:
                return self._fail(index, json_validate_failed(scripted.content))
        return self._succeed(index, body, scripted)

    def _refusal(self, body: Any) -> GroqFault | None:
        """Why this request fails before any "generation" (under the lock), or None."""
        fault = use_queued(self._faults)
        if fault is not None:
            return fault
        if self._daily_request_limit is not None and self._served >= self._daily_request_limit:
            return daily_quota_exhausted(limit=self._daily_request_limit)
        if not isinstance(body, dict):
            return _bad_request("We could not parse the JSON body of your request.")
        model, messages = body.get("model"), body.get("messages")
        if not isinstance(model, str) or not model:
            return _bad_request("'model' : property 'model' is missing")
        if not isinstance(messages, list) or not messages:
            return _bad_request("'messages' : minimum number of items is 1")
        if not all(isinstance(m, dict) and m.get("role") in _ROLES for m in messages):
            return _bad_request("'messages' : each message needs a 'role' of " + ", ".join(sorted(_ROLES)))
        response_format = body.get("response_format")
        if response_format is not None and not _valid_response_format(response_format):
            return _bad_request("'response_format' : must be text, json_object, or json_schema with a schema")
        if body.get("stream"):
            return _bad_request("FakeGroq does not stream; ask without stream=True")
        if self._known_models is not None and model not in self._known_models:
            return _model_not_found(model)
        return None

    def _succeed(self, index: int, body: Mapping[str, Any], reply: _Reply) -> HttpReply:
        prompt_tokens = sum(_estimate_tokens(json.dumps(m, ensure_ascii=False)) for m in body["messages"])
        completion_tokens = _estimate_tokens(reply.content)
        request_id = _request_id()
        with self._cond:
            self._served += 1
            self._tokens.append((time.monotonic(), prompt_tokens + completion_tokens))
            headers = self._limit_headers(request_id)
        completion = {
            "id": f"chatcmpl-{secrets.token_hex(12)}",
            "object": "chat.completion",
            "created": next(self._created),
            "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                         "logprobs": None, "finish_reason": reply.finish_reason}],
            "usage": {"queue_time": 0.012, "prompt_tokens": prompt_tokens, "prompt_time": 0.004,
                      "completion_tokens": completion_tokens, "completion_time": 0.031,
                      "total_tokens": prompt_tokens + completion_tokens, "total_time": 0.035},
            "usage_breakdown": None,
            "system_fingerprint": "fp_fakegroq01",
            "x_groq": {"id": request_id},
            "service_tier": "on_demand",
        }
        self._finish(index, status=200, content=reply.content)
        return json_reply(200, completion, headers)

    def _transcribe(self, index: int, form: Any, audio: bytes | None) -> HttpReply:
        with self._cond:
            fault = use_queued(self._faults)
            if fault is None and self._daily_request_limit is not None and self._served >= self._daily_request_limit:
                fault = daily_quota_exhausted(limit=self._daily_request_limit, model=str(form.get("model")))
            if fault is not None:
                return self._fail(index, fault)
            if audio is None:
                return self._fail(index, _bad_request("file or url must be provided"))
            if len(audio) > MAX_AUDIO_BYTES:
                return self._fail(index, GroqFault(413, "Request Entity Too Large", "invalid_request_error",
                                                   "request_too_large"))
            model = form.get("model")
            if model not in WHISPER_MODELS:
                return self._fail(index, _bad_request(f"model `{model}` does not support audio transcription"))
            text = self._speech.get(audio)
            if text is None:
                return self._fail(index, _bad_request(
                    "could not process file - is it a valid media file?"))
            self._served += 1
            request_id = _request_id()
            headers = self._limit_headers(request_id)
        self._finish(index, status=200, content=text)
        return json_reply(200, {"text": text, "x_groq": {"id": request_id}}, headers)

    def _models(self, index: int) -> HttpReply:
        models = sorted(self._known_models or {DEFAULT_MODEL})
        data = [{"id": m, "object": "model", "created": 1754000000, "owned_by": "Fake", "active": True,
                 "context_window": 131072, "public_apps": None, "max_completion_tokens": 65536} for m in models]
        self._finish(index, status=200)
        return json_reply(200, {"object": "list", "data": data}, self._limit_headers(_request_id()))

    def _fail(self, index: int, fault: GroqFault) -> HttpReply:
        self._finish(index, status=fault.status)
        with self._cond:
            headers = {**self._limit_headers(_request_id()), **fault.headers}
        return json_reply(fault.status, fault.body(), headers)

    def _limit_headers(self, request_id: str) -> dict[str, str]:
        now = time.monotonic()
        while self._tokens and now - self._tokens[0][0] > 60:
            self._tokens.popleft()
        tokens_used = sum(tokens for _, tokens in self._tokens)
        day_limit = self._daily_request_limit or self._requests_per_day
        return {
            "x-ratelimit-limit-requests": str(day_limit),
            "x-ratelimit-limit-tokens": str(self._tokens_per_minute),
            "x-ratelimit-remaining-requests": str(max(day_limit - self._served, 0)),
            "x-ratelimit-remaining-tokens": str(max(self._tokens_per_minute - tokens_used, 0)),
            "x-ratelimit-reset-requests": groq_duration(86400 / day_limit * min(self._served, day_limit)),
            "x-ratelimit-reset-tokens": groq_duration(60 * tokens_used / self._tokens_per_minute),
            "x-request-id": request_id,
            "x-groq-region": "fake-local",
        }



def _form(request: IncomingRequest) -> tuple[dict[str, Any], bytes | None]:
    """A multipart form's fields (the file as its name and size) and the file's bytes."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data") or not request.body:
        return {}, None
    envelope = f"Content-Type: {content_type}\r\n\r\n".encode() + request.body
    fields: dict[str, Any] = {}
    audio: bytes | None = None
    for part in BytesParser(policy=default_email_policy).parsebytes(envelope).iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            audio = payload
            fields[name] = {"filename": part.get_filename(), "size": len(payload)}
        else:
            fields[name] = payload.decode("utf-8", "replace")
    return fields, audio


def _valid_response_format(response_format: Any) -> bool:
    if not isinstance(response_format, dict):
        return False
    kind = response_format.get("type")
    if kind == "json_schema":
        spec = response_format.get("json_schema")
        return isinstance(spec, dict) and isinstance(spec.get("schema"), dict)
    return kind in ("text", "json_object")


def _estimate_tokens(text: str) -> int:
    """About four characters per token: enough for usage numbers and the TPM header."""
    return max(1, math.ceil(len(text) / 4))


def _request_id() -> str:
    return "req_" + secrets.token_hex(13)
