"""The pyTelegramBotAPI seam: client set-up, updates in, keyboards out, errors sorted, no secrets."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import telebot
from hypothesis import given, settings
from hypothesis import strategies as st
from telebot import apihelper

from actors.messages import InboundCallback, InboundOther, InboundText, InboundVoice
from medbot.core.view import Button
from medbot.shell.redact import RedactingFilter, redact
from medbot.shell.telegram_api import (
    COMMANDS,
    MAX_INBOUND_TEXT,
    Failure,
    classify_error,
    confirm_updates,
    describe,
    fetch_updates,
    keyboard_markup,
    make_bot,
    point_client_at,
    set_commands,
    update_to_inbound,
)
from tests.fakes.fixtures import TEST_BOT_TOKEN, fake_telegram  # noqa: F401 - the fixture
from tests.fakes.telegram_server import FakeBotAPI

APIHELPER_GLOBALS = ("API_URL", "FILE_URL", "CONNECT_TIMEOUT", "READ_TIMEOUT", "RETRY_ON_ERROR", "CUSTOM_REQUEST_SENDER")


@pytest.fixture(autouse=True)
def restore_apihelper() -> Iterator[None]:
    """pyTelegramBotAPI keeps its configuration in module globals: put them back after a test."""
    saved = {name: getattr(apihelper, name) for name in APIHELPER_GLOBALS}
    yield
    for name, value in saved.items():
        setattr(apihelper, name, value)


@pytest.fixture
def bot(fake_telegram: FakeBotAPI) -> telebot.TeleBot:  # noqa: F811 - pytest fixture injection
    return make_bot(TEST_BOT_TOKEN, fake_telegram.base_url)


def closed_port_url() -> str:
    """A 127.0.0.1 URL where nothing listens (connection refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def failure_of(call: Any) -> BaseException:
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


# --- the client ---------------------------------------------------------------------------


def test_make_bot_points_the_library_at_the_server_and_redacts_its_own_log_handler(
    fake_telegram: FakeBotAPI,  # noqa: F811
) -> None:
    bot = make_bot(TEST_BOT_TOKEN, fake_telegram.base_url + "/")
    assert apihelper.API_URL == fake_telegram.api_url
    assert bot.get_me().username == fake_telegram.bot_user["username"]
    assert apihelper.RETRY_ON_ERROR is False
    assert 0 < apihelper.CONNECT_TIMEOUT < apihelper.READ_TIMEOUT
    for handler in telebot.logger.handlers:
        assert any(isinstance(f, RedactingFilter) for f in handler.filters)


def test_keyboard_markup_keeps_rows_and_callback_data() -> None:
    buttons = ((Button("Принял", "take:a"), Button("Пропустить", "skip:a")), (Button("Все", "all"),))
    markup = keyboard_markup(buttons)
    assert markup is not None
    assert json.loads(markup.to_json()) == {"inline_keyboard": [
        [{"text": "Принял", "callback_data": "take:a"}, {"text": "Пропустить", "callback_data": "skip:a"}],
        [{"text": "Все", "callback_data": "all"}],
    ]}
    assert keyboard_markup(()) is None
    assert keyboard_markup(((),)) is None


def test_inline_keyboard_reaches_the_person(bot: telebot.TeleBot, fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    bot.send_message(5, "Пора принять аспирин", reply_markup=keyboard_markup(((Button("Принял", "t:1"),),)))
    shown = fake_telegram.last_bot_message(5)
    assert shown is not None and shown.text == "Пора принять аспирин"
    assert shown.button("Принял").callback_data == "t:1"


def test_set_commands_in_russian_and_english(bot: telebot.TeleBot, fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    set_commands(bot)
    names = ["start", "help", "list", "stats", "report", "caregiver", "delete_me"]
    for language in ("ru", "en"):
        menu = fake_telegram.my_commands(language_code=language)
        assert [entry["command"] for entry in menu] == names
        assert [entry["description"] for entry in menu] == [d for _, d in COMMANDS[language]]
    assert [entry["command"] for entry in fake_telegram.my_commands()] == names


def test_fetch_and_confirm_updates(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    point_client_at(fake_telegram.base_url)
    first = fake_telegram.push_text(1, "раз")
    fake_telegram.push_text(1, "два")
    updates = fetch_updates(TEST_BOT_TOKEN, None, poll_timeout=1)
    assert [u["message"]["text"] for u in updates] == ["раз", "два"]
    assert fake_telegram.calls("getUpdates")[-1].params["allowed_updates"] == ["message", "callback_query"]
    confirm_updates(TEST_BOT_TOKEN, first["update_id"] + 2)
    assert fake_telegram.pending_updates == 0
    confirm = fake_telegram.calls("getUpdates")[-1]
    # No server-side timeout at all: the confirming call is never held as a long poll.
    assert confirm.params == {"offset": first["update_id"] + 2, "limit": 1}


# --- updates in ---------------------------------------------------------------------------


def test_text_becomes_inbound_text(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    update = fake_telegram.push_text(42, "Добавь аспирин в 10:00", language_code="ru")
    inbound = update_to_inbound(update)
    assert inbound == InboundText(
        user_id=42, chat_id=42, text="Добавь аспирин в 10:00",
        message_id=update["message"]["message_id"], language_code="ru",
        received_at=float(update["message"]["date"]), update_id=update["update_id"], first_name="User 42",
    )
    assert update_to_inbound(telebot.types.Update.de_json(json.dumps(update))) == inbound


def test_long_text_is_capped(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    update = fake_telegram.push_text(42, "a" * 4000)
    update["message"]["text"] = "a" * (MAX_INBOUND_TEXT + 500)
    inbound = update_to_inbound(update)
    assert isinstance(inbound, InboundText) and len(inbound.text) == MAX_INBOUND_TEXT


def test_callback_carries_its_message_id(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    message_id = fake_telegram.push_text(7, "hi")["message"]["message_id"]
    update = fake_telegram.push_callback(7, "take:x", message_id, require_button=False, language_code="en")
    inbound = update_to_inbound(update)
    assert inbound == InboundCallback(
        user_id=7, chat_id=7, callback_id=update["callback_query"]["id"], data="take:x",
        message_id=message_id, language_code="en", update_id=update["update_id"], first_name="User 7",
    )


def test_first_names_are_cleaned_and_bounded(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    update = fake_telegram.push_text(8, "hi", first_name="  Анна\n  Мария " + "я" * 100)
    inbound = update_to_inbound(update)
    assert isinstance(inbound, InboundText) and inbound.first_name.startswith("Анна Мария я")
    assert len(inbound.first_name) == 64


def test_a_voice_message_becomes_inbound_voice_with_its_file(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    update = fake_telegram.push_voice(3, audio=b"OggS-x", duration=7, language_code="en")
    inbound = update_to_inbound(update)
    voice = update["message"]["voice"]
    assert isinstance(inbound, InboundVoice)
    assert (inbound.file_id, inbound.duration, inbound.file_size) == (voice["file_id"], 7, 6)
    assert (inbound.chat_id, inbound.language_code, inbound.update_id) == (3, "en", update["update_id"])


def test_forged_voice_fields_are_bounded(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    update = fake_telegram.push_voice(3)
    update["message"]["voice"].update(file_id="f" * 5000, duration=-5, file_size="big")
    inbound = update_to_inbound(update)
    assert isinstance(inbound, InboundVoice)
    assert len(inbound.file_id) == 256 and inbound.duration == 0 and inbound.file_size is None


def test_voice_in_a_group_chat_is_not_for_the_bot(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    update = fake_telegram.push_voice(3)
    update["message"]["chat"] = {"id": -100, "type": "group", "title": "Семья"}
    assert update_to_inbound(update) is None


def test_callback_on_a_deleted_message_still_names_it(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    update = fake_telegram.push_callback(7, "take:x", 999, require_button=False)
    inbound = update_to_inbound(update)
    assert isinstance(inbound, InboundCallback) and inbound.message_id == 999 and inbound.chat_id == 7


def test_non_text_messages_become_inbound_other(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    updates = [fake_telegram.push_sticker(3), fake_telegram.push_photo(3, caption="мои таблетки")]
    kinds = [update_to_inbound(update) for update in updates]
    assert kinds == [
        InboundOther(3, 3, kind, "ru", update_id=update["update_id"])
        for kind, update in zip(("sticker", "photo"), updates, strict=True)
    ]
    location = fake_telegram.push_text(3, "x")
    del location["message"]["text"]
    location["message"]["location"] = {"latitude": 55.75, "longitude": 37.61}
    assert update_to_inbound(location) == InboundOther(3, 3, "location", "ru", update_id=location["update_id"])


def test_updates_medbot_does_not_answer_are_ignored(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    text = fake_telegram.push_text(3, "hello")
    edited = {"update_id": 90, "edited_message": {**text["message"], "edit_date": 1}}
    group = json.loads(json.dumps(text))
    group["message"]["chat"] = {"id": -100, "type": "group", "title": "family"}
    from_bot = json.loads(json.dumps(text))
    from_bot["message"]["from"]["is_bot"] = True
    service = json.loads(json.dumps(text))
    del service["message"]["text"]
    service["message"]["pinned_message"] = dict(text["message"])
    member = {"update_id": 91, "my_chat_member": {"chat": text["message"]["chat"]}}
    for update in (edited, group, from_bot, service, member, {}, {"update_id": 5}, {"message": 3}):
        assert update_to_inbound(update) is None


@settings(max_examples=200, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["update_id", "message", "callback_query", "chat", "from", "id", "type", "text",
                         "date", "message_id", "data", "is_bot", "first_name", "sticker"]),
        children, max_size=6),
    max_leaves=25,
))
def test_odd_updates_never_raise(update: Any) -> None:
    body = update if isinstance(update, dict) else {"update_id": 1, "message": update}
    result = update_to_inbound(body)
    assert result is None or isinstance(result, (InboundText, InboundCallback, InboundOther))


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "retry_after", "failure"),
    [
        (429, 7, Failure.RATE_LIMITED),
        (403, None, Failure.BLOCKED),
        (500, None, Failure.TRANSIENT),
        (502, None, Failure.TRANSIENT),  # nginx's HTML page: ApiHTTPException, not the JSON shape
        (409, None, Failure.CONFLICT),
        (400, None, Failure.BAD_REQUEST),
    ],
)
def test_classify_answers_from_the_server(
    bot: telebot.TeleBot, fake_telegram: FakeBotAPI, status: int, retry_after: int | None,  # noqa: F811
    failure: Failure,
) -> None:
    fake_telegram.fail_next("sendMessage", status, retry_after=retry_after)
    kind = classify_error(failure_of(lambda: bot.send_message(1, "secret text")))
    assert kind.failure is failure and kind.status == status
    assert kind.retry_after == (float(retry_after) if retry_after else None)
    assert kind.retryable == (failure is Failure.TRANSIENT)
    assert TEST_BOT_TOKEN not in kind.description and "secret text" not in kind.description


def test_benign_edit_and_delete_failures_count_as_done(
    bot: telebot.TeleBot, fake_telegram: FakeBotAPI,  # noqa: F811
) -> None:
    sent = bot.send_message(2, "same")
    not_modified = classify_error(failure_of(
        lambda: bot.edit_message_text("same", chat_id=2, message_id=sent.message_id)))
    assert not_modified.failure is Failure.NOT_MODIFIED and not_modified.done
    gone = [
        failure_of(lambda: bot.edit_message_text("x", chat_id=2, message_id=999)),
        failure_of(lambda: bot.delete_message(2, 999)),
        failure_of(lambda: bot.answer_callback_query("12345")),
    ]
    assert [classify_error(error).failure for error in gone] == [Failure.GONE] * 3
    assert not classify_error(failure_of(lambda: bot.send_message(2, " "))).done


def test_wrong_token_is_unauthorized(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    other_token = "987654321:AAHanotherTokenThatTheFakeRejects_00001"
    wrong = make_bot(other_token, fake_telegram.base_url)
    kind = classify_error(failure_of(wrong.get_me))
    assert kind.failure is Failure.UNAUTHORIZED and other_token not in kind.description


def test_connection_refused_is_retryable_and_surely_not_delivered() -> None:
    bot = make_bot(TEST_BOT_TOKEN, closed_port_url())
    error = failure_of(lambda: bot.send_message(1, "Ваш ибупрофен 400 мг"))
    assert isinstance(error, requests.exceptions.ConnectionError)
    kind = classify_error(error)
    assert kind.failure is Failure.TRANSIENT and kind.retryable and not kind.maybe_delivered


def test_a_read_timeout_may_have_been_delivered(bot: telebot.TeleBot, fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    apihelper.READ_TIMEOUT = 0.3
    fake_telegram.hang_next("sendMessage", 3.0, applied=True)
    kind = classify_error(failure_of(lambda: bot.send_message(4, "hello")))
    assert kind.failure is Failure.TRANSIENT and kind.maybe_delivered
    assert fake_telegram.sent_texts(4) == ["hello"]  # it did arrive: a resend would duplicate it


def test_anything_else_is_unknown_and_not_retried() -> None:
    kind = classify_error(ValueError("bug"))
    assert kind.failure is Failure.UNKNOWN and not kind.retryable and kind.description == "ValueError: bug"


def test_connection_error_text_carries_the_token_until_redacted() -> None:
    bot = make_bot(TEST_BOT_TOKEN, closed_port_url())
    error = failure_of(lambda: bot.send_message(1, "Ваш ибупрофен 400 мг"))
    text = str(error)
    assert TEST_BOT_TOKEN in text  # the library's own message quotes the URL with the token
    assert TEST_BOT_TOKEN not in redact(text)
    line = describe(error)
    assert TEST_BOT_TOKEN not in line and "ибупрофен" not in line and "%D0" not in line
    assert "\n" not in line and len(line) <= 260
    assert line.startswith("ConnectionError: ")


def test_the_environment_is_read_once_for_the_bot_api_and_no_proxy_is_honoured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medbot.shell import telegram_api

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    telegram_api.point_client_at("https://api.telegram.org")
    assert telegram_api._proxies == {"https": "http://proxy.example:3128"}
    telegram_api.point_client_at("http://127.0.0.1:8081")  # a local Bot API server: straight there
    assert telegram_api._proxies == {}
    assert apihelper.CUSTOM_REQUEST_SENDER is telegram_api._request


def test_a_family_group_chat_passes_commands_and_presses_only(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    command = update_to_inbound(fake_telegram.push_group_text(-100123, 42, "/family@medbot_test_bot"))
    assert isinstance(command, InboundText) and (command.user_id, command.chat_id) == (42, -100123)
    assert update_to_inbound(fake_telegram.push_group_text(-100123, 43, "всем привет")) is None
    posted = fake_telegram.bot_messages(-100123)
    assert posted == []
    update = fake_telegram.push_group_text(-100123, 42, "/family")
    group_message = update["message"]
    group_message["from"], group_message["chat"] = {"id": 5, "is_bot": False, "first_name": "X"}, {
        "id": -100123, "type": "channel", "title": "news"}
    assert update_to_inbound(update) is None  # a channel is nobody's family chat
