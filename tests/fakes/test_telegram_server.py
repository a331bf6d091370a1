"""The fake Bot API, proven with the real pyTelegramBotAPI client over HTTP."""

from __future__ import annotations

import threading
from typing import Any, Callable

import pytest
import requests
import telebot
from telebot import apihelper, types

from tests.fakes.fixtures import TEST_BOT_TOKEN, fake_telegram  # noqa: F401 - fixture
from tests.fakes.telegram_server import NOT_MODIFIED, FakeBotAPI

USER = 1001
OTHER_USER = 2002
WAIT = 10.0  # generous: a condition that never comes fails the test, a slow machine does not


@pytest.fixture
def bot(fake_telegram: FakeBotAPI) -> telebot.TeleBot:
    return telebot.TeleBot(TEST_BOT_TOKEN, threaded=False)


def keyboard(*buttons: tuple[str, str]) -> types.InlineKeyboardMarkup:
    markup = types.InlineKeyboardMarkup()
    for text, data in buttons:
        markup.add(types.InlineKeyboardButton(text, callback_data=data))
    return markup


def api_error(call: Callable[[], Any]) -> apihelper.ApiTelegramException:
    with pytest.raises(apihelper.ApiTelegramException) as caught:
        call()
    return caught.value


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``call`` in a thread; its result or exception lands in the returned dict."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


# --- identity and addressing -------------------------------------------------------------------


def test_get_me_answers_the_bot_user_whose_id_is_the_token_prefix(bot: telebot.TeleBot) -> None:
    me = bot.get_me()
    assert me.is_bot and me.username == "medbot_test_bot"
    assert me.id == int(TEST_BOT_TOKEN.split(":")[0])


def test_a_wrong_token_is_unauthorized_and_is_not_recorded(fake_telegram: FakeBotAPI) -> None:
    wrong = "987654321:AAHsomeOtherTokenThatIsNotTheBots_0001"
    error = api_error(telebot.TeleBot(wrong, threaded=False).get_me)
    assert (error.error_code, error.description) == (401, "Unauthorized")
    assert fake_telegram.requests[-1].status == 401
    assert wrong.split(":")[1] not in repr(fake_telegram.requests)


def test_an_unknown_method_is_not_found(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    error = api_error(lambda: bot.send_dice(USER))
    assert error.error_code == 404


def test_the_token_never_appears_in_what_the_fake_records(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    bot.get_me()
    bot.send_message(USER, "hello")
    assert TEST_BOT_TOKEN not in repr(fake_telegram.requests)


def test_method_names_are_case_insensitive_like_telegrams(fake_telegram: FakeBotAPI) -> None:
    answer = requests.get(f"{fake_telegram.base_url}/bot{TEST_BOT_TOKEN}/getme", timeout=WAIT).json()
    assert answer["ok"] and answer["result"]["is_bot"]


def test_parameters_are_read_from_json_and_form_bodies_too(fake_telegram: FakeBotAPI) -> None:
    url = f"{fake_telegram.base_url}/bot{TEST_BOT_TOKEN}/sendMessage"
    as_json = requests.post(url, json={"chat_id": USER, "text": "json body",
                                       "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}},
                            timeout=WAIT).json()
    as_form = requests.post(url, data={"chat_id": str(USER), "text": "form body"}, timeout=WAIT).json()
    assert as_json["ok"] and as_form["ok"]
    assert [m.text for m in fake_telegram.chat(USER)] == ["json body", "form body"]
    assert fake_telegram.chat(USER)[0].callback_data == ["a"]


# --- long polling ------------------------------------------------------------------------------


def test_an_update_pushed_while_the_poll_is_held_is_delivered_by_that_poll(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    thread, outcome = in_thread(lambda: bot.get_updates(offset=1, long_polling_timeout=60, timeout=90))
    assert fake_telegram.wait_for(lambda: fake_telegram.polls_waiting == 1, WAIT)
    fake_telegram.push_text(USER, "Добавь аспирин в 10:00", first_name="Анна")
    thread.join(WAIT)  # far less than the 60 s poll: only a wake-up on push can end it in time
    assert not thread.is_alive()
    [update] = outcome["result"]
    assert update.message.text == "Добавь аспирин в 10:00"
    assert update.message.from_user.first_name == "Анна" and update.message.from_user.language_code == "ru"
    assert update.message.chat.id == USER and update.message.chat.type == "private"


def test_a_poll_with_nothing_queued_ends_empty_after_its_timeout(bot: telebot.TeleBot) -> None:
    assert bot.get_updates(offset=1, long_polling_timeout=1, timeout=WAIT) == []


def test_offset_confirms_earlier_updates_and_limit_caps_the_batch(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    ids = [fake_telegram.push_text(USER, f"m{i}")["update_id"] for i in range(5)]
    assert [u.update_id for u in bot.get_updates(limit=2, long_polling_timeout=1)] == ids[:2]
    assert len(bot.get_updates(long_polling_timeout=1)) == 5  # nothing confirmed yet: all again
    rest = bot.get_updates(offset=ids[2], long_polling_timeout=1)
    assert [u.message.text for u in rest] == ["m2", "m3", "m4"]
    assert fake_telegram.pending_updates == 3


def test_a_negative_offset_keeps_only_the_newest_updates(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    for text in ("old", "older", "newest"):
        fake_telegram.push_text(USER, text)
    assert [u.message.text for u in bot.get_updates(offset=-1, long_polling_timeout=1)] == ["newest"]
    assert fake_telegram.pending_updates == 1


def test_allowed_updates_filters_and_persists_between_polls(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    sent = bot.send_message(USER, "Пора принять", reply_markup=keyboard(("✓", "take")))
    fake_telegram.push_callback(USER, "take", sent.message_id)
    assert bot.get_updates(allowed_updates=["message"], long_polling_timeout=1) == []
    fake_telegram.push_text(USER, "hi")
    fake_telegram.push_callback(USER, "take", sent.message_id)
    kinds = [("message" if u.message else "callback") for u in bot.get_updates(long_polling_timeout=1)]
    assert kinds == ["message"]


def test_a_second_concurrent_poll_ends_the_first_with_409(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    thread, outcome = in_thread(lambda: bot.get_updates(long_polling_timeout=60, timeout=90))
    assert fake_telegram.wait_for(lambda: fake_telegram.polls_waiting == 1, WAIT)
    assert bot.get_updates(long_polling_timeout=1) == []
    thread.join(WAIT)
    assert outcome["error"].error_code == 409
    assert "terminated by other getUpdates request" in outcome["error"].description


def test_webhook_blocks_polling_until_deleted_and_drop_pending_forgets_updates(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    fake_telegram.push_text(USER, "queued")
    bot.set_webhook("https://example.invalid/hook")
    assert bot.get_webhook_info().url == "https://example.invalid/hook"
    assert bot.get_webhook_info().pending_update_count == 1
    assert api_error(lambda: bot.get_updates(long_polling_timeout=1)).error_code == 409
    bot.delete_webhook(drop_pending_updates=True)
    assert bot.get_updates(long_polling_timeout=1) == [] and fake_telegram.webhook_url == ""


def test_non_text_messages_arrive_with_their_content_types(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    fake_telegram.push_sticker(USER)
    fake_telegram.push_photo(USER, caption="это моя таблетка")
    fake_telegram.push_voice(USER, duration=4)
    updates = bot.get_updates(long_polling_timeout=1)
    assert [u.message.content_type for u in updates] == ["sticker", "photo", "voice"]
    assert updates[1].message.caption == "это моя таблетка" and updates[2].message.voice.duration == 4


# --- sending, editing, deleting ----------------------------------------------------------------


def test_send_message_returns_a_full_message_and_shows_the_keyboard(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    markup = keyboard(("✓ аспирин", "take:aspirin"), ("✓ all", "take:all"))
    sent = bot.send_message(USER, "Time to take: • аспирин 200 мг", reply_markup=markup)
    assert sent.chat.id == USER and sent.from_user.is_bot and sent.text == "Time to take: • аспирин 200 мг"
    assert sent.reply_markup.keyboard[1][0].callback_data == "take:all"
    [shown] = fake_telegram.chat(USER)
    assert shown.from_bot and shown.button_texts == ["✓ аспирин", "✓ all"]
    assert shown.button("✓ all").callback_data == "take:all"
    [call] = fake_telegram.calls("sendMessage")
    assert call.chat_id == USER and call.reply_markup["inline_keyboard"][0][0]["callback_data"] == "take:aspirin"


def test_message_ids_increase_per_chat_and_are_shared_with_the_persons_messages(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    fake_telegram.push_text(USER, "/start")
    first = bot.send_message(USER, "Welcome")
    fake_telegram.push_text(USER, "list")
    second = bot.send_message(USER, "Your medications")
    elsewhere = bot.send_message(OTHER_USER, "Welcome")
    assert (first.message_id, second.message_id, elsewhere.message_id) == (2, 4, 1)
    assert [m.from_bot for m in fake_telegram.chat(USER)] == [False, True, False, True]


def test_html_markup_is_removed_from_what_the_person_sees(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    sent = bot.send_message(USER, "<b>Аспирин</b> 200 мг &lt;после еды&gt;", parse_mode="HTML")
    assert sent.text == "Аспирин 200 мг <после еды>"
    assert (sent.entities[0].type, sent.entities[0].offset, sent.entities[0].length) == ("bold", 0, 7)
    assert fake_telegram.sent_texts(USER) == ["Аспирин 200 мг <после еды>"]


@pytest.mark.parametrize(("text", "parse_mode", "description"), [
    ("", None, "Bad Request: message text is empty"),
    ("   ", None, "Bad Request: message text is empty"),
    ("я" * 4097, None, "Bad Request: message is too long"),
    ("a < b", "HTML", "can't parse entities"),
    ("<b>unclosed", "HTML", "can't parse entities"),
    ("Приём в 10.00", "MarkdownV2", "Character '.' is reserved"),
])
def test_texts_telegram_refuses_are_refused(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot, text: str, parse_mode: str | None, description: str,
) -> None:
    error = api_error(lambda: bot.send_message(USER, text, parse_mode=parse_mode))
    assert error.error_code == 400 and description in error.description
    assert fake_telegram.chat(USER) == []


@pytest.mark.parametrize(("text", "parse_mode", "visible", "kinds"), [
    ("*Аспирин* в 10\\.00 \\(после еды\\)", "MarkdownV2", "Аспирин в 10.00 (после еды)", ["bold"]),
    ("__важно__ и ||скрыто|| [сайт](https://example.org)", "MarkdownV2", "важно и скрыто сайт",
     ["underline", "spoiler", "text_link"]),
    ("*bold* _it_ `code` 10.00", "Markdown", "bold it code 10.00", ["bold", "italic", "code"]),
    ('<a href="https://example.org">сайт</a> &amp; <i>ещё</i>', "HTML", "сайт & ещё", ["text_link", "italic"]),
])
def test_valid_markup_renders_to_visible_text_and_entities(
    bot: telebot.TeleBot, text: str, parse_mode: str, visible: str, kinds: list[str],
) -> None:
    sent = bot.send_message(USER, text, parse_mode=parse_mode)
    assert sent.text == visible and [e.type for e in sent.entities] == kinds


def test_the_length_limit_counts_visible_text_not_markup(bot: telebot.TeleBot) -> None:
    assert len(bot.send_message(USER, "<b>" + "я" * 4096 + "</b>", parse_mode="HTML").text) == 4096


def test_callback_data_longer_than_64_bytes_is_refused(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    assert len(("я" * 32).encode()) == 64
    bot.send_message(USER, "fits", reply_markup=keyboard(("ok", "я" * 32)))
    error = api_error(lambda: bot.send_message(USER, "too long", reply_markup=keyboard(("no", "я" * 32 + "x"))))
    assert error.error_code == 400 and "BUTTON_DATA_INVALID" in error.description


def test_edits_and_deletes_change_what_the_person_sees(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    reminder = bot.send_message(USER, "Time to take: аспирин, ибупрофен",
                                reply_markup=keyboard(("✓ аспирин", "t:1"), ("✓ ибупрофен", "t:2")))
    repeat = bot.send_message(USER, "Reminder again")
    bot.edit_message_text("✓ аспирин taken at 10:02", USER, reminder.message_id,
                          reply_markup=keyboard(("✓ ибупрофен", "t:2")))
    bot.delete_message(USER, repeat.message_id)
    [shown] = fake_telegram.chat(USER)
    assert shown.text == "✓ аспирин taken at 10:02" and shown.edited and shown.callback_data == ["t:2"]
    bot.edit_message_reply_markup(USER, reminder.message_id, reply_markup=None)
    assert fake_telegram.chat(USER)[0].buttons == ()
    assert fake_telegram.sent_texts(USER) == ["Time to take: аспирин, ибупрофен", "Reminder again"]


def test_editing_text_without_reply_markup_removes_the_keyboard(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    sent = bot.send_message(USER, "Take it", reply_markup=keyboard(("✓", "t")))
    edited = bot.edit_message_text("Taken", USER, sent.message_id)
    assert edited.reply_markup is None and fake_telegram.chat(USER)[0].buttons == ()


def test_an_edit_that_changes_nothing_is_not_modified(bot: telebot.TeleBot) -> None:
    sent = bot.send_message(USER, "Take it", reply_markup=keyboard(("✓", "t")))
    error = api_error(lambda: bot.edit_message_text("Take it", USER, sent.message_id, reply_markup=keyboard(("✓", "t"))))
    assert (error.error_code, error.description) == (400, NOT_MODIFIED)
    assert api_error(lambda: bot.edit_message_reply_markup(USER, sent.message_id,
                                                           reply_markup=keyboard(("✓", "t")))).error_code == 400


def test_unknown_deleted_or_foreign_messages_cannot_be_edited_or_deleted(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    users_own = fake_telegram.push_text(USER, "hello")["message"]["message_id"]
    sent = bot.send_message(USER, "bye")
    bot.delete_message(USER, sent.message_id)
    assert api_error(lambda: bot.edit_message_text("x", USER, 99)).description == (
        "Bad Request: message to edit not found")
    assert api_error(lambda: bot.edit_message_text("x", USER, sent.message_id)).description == (
        "Bad Request: message to edit not found")
    assert api_error(lambda: bot.delete_message(USER, sent.message_id)).description == (
        "Bad Request: message to delete not found")
    assert api_error(lambda: bot.edit_message_text("x", USER, users_own)).description == (
        "Bad Request: message can't be edited")


def test_send_chat_action(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    assert bot.send_chat_action(USER, "typing") is True
    assert api_error(lambda: bot.send_chat_action(USER, "dancing")).error_code == 400


def test_unknown_chats_are_refused_when_required(fake_telegram: FakeBotAPI) -> None:
    with FakeBotAPI(TEST_BOT_TOKEN, require_known_chats=True) as strict:
        apihelper.API_URL = strict.api_url
        try:
            client = telebot.TeleBot(TEST_BOT_TOKEN, threaded=False)
            assert api_error(lambda: client.send_message(USER, "hi")).description == "Bad Request: chat not found"
            strict.push_text(USER, "/start")
            assert client.send_message(USER, "hi").text == "hi"
        finally:
            apihelper.API_URL = fake_telegram.api_url


# --- buttons and commands ----------------------------------------------------------------------


def test_a_pressed_button_arrives_as_a_callback_that_can_be_answered_once(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    reminder = bot.send_message(USER, "Time to take", reply_markup=keyboard(("✓ аспирин", "take:7")))
    fake_telegram.press(USER, "✓ аспирин")
    [update] = bot.get_updates(long_polling_timeout=1)
    query = update.callback_query
    assert (query.data, query.from_user.id, query.message.message_id) == ("take:7", USER, reminder.message_id)
    assert query.message.reply_markup.keyboard[0][0].text == "✓ аспирин"
    assert bot.answer_callback_query(query.id, "Recorded") is True
    assert api_error(lambda: bot.answer_callback_query(query.id)).error_code == 400
    [answered] = fake_telegram.answered_callbacks
    assert (answered.chat_id, answered.message_id, answered.data, answered.text) == (
        USER, reminder.message_id, "take:7", "Recorded")


def test_a_button_that_is_not_on_screen_cannot_be_pressed_unless_racing(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    sent = bot.send_message(USER, "Take", reply_markup=keyboard(("✓", "take:1")))
    bot.delete_message(USER, sent.message_id)
    with pytest.raises(LookupError):
        fake_telegram.push_callback(USER, "take:1", sent.message_id)
    fake_telegram.push_callback(USER, "take:1", sent.message_id, require_button=False)
    [update] = bot.get_updates(long_polling_timeout=1)
    assert update.callback_query.data == "take:1" and update.callback_query.message.date == 0


def test_commands_are_kept_per_scope_and_language(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    bot.set_my_commands([types.BotCommand("list", "Мои лекарства")], language_code="ru")
    bot.set_my_commands([types.BotCommand("list", "My medications"), types.BotCommand("help", "Help")],
                        scope=types.BotCommandScopeAllPrivateChats(), language_code="en")
    assert [c.description for c in bot.get_my_commands(language_code="ru")] == ["Мои лекарства"]
    assert bot.get_my_commands() == []
    assert [c["command"] for c in fake_telegram.my_commands(scope={"type": "all_private_chats"},
                                                            language_code="en")] == ["list", "help"]
    bad = api_error(lambda: bot.set_my_commands([types.BotCommand("List-All", "x")]))
    assert bad.error_code == 400


# --- faults ------------------------------------------------------------------------------------


def test_429_carries_retry_after_in_parameters(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    fake_telegram.fail_next("sendMessage", 429, retry_after=7)
    error = api_error(lambda: bot.send_message(USER, "x"))
    assert error.error_code == 429 and error.result_json["parameters"]["retry_after"] == 7
    assert error.description == "Too Many Requests: retry after 7"
    assert bot.send_message(USER, "after").text == "after"  # only the next call failed
    assert [c.status for c in fake_telegram.calls("sendMessage")] == [429, 200]


@pytest.mark.parametrize(("status", "description"), [
    (403, "Forbidden: bot was blocked by the user"),
    (500, "Internal Server Error"),
    (400, "Bad Request"),
])
def test_injected_json_errors_surface_as_telegram_exceptions(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot, status: int, description: str,
) -> None:
    fake_telegram.fail_next("sendMessage", status)
    error = api_error(lambda: bot.send_message(USER, "x"))
    assert (error.error_code, error.description) == (status, description)
    assert fake_telegram.chat(USER) == []


def test_a_gateway_error_is_an_html_page_not_a_telegram_error(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    fake_telegram.fail_next("sendMessage", 502)
    with pytest.raises(apihelper.ApiHTTPException) as caught:
        bot.send_message(USER, "x")
    assert caught.value.result.status_code == 502


def test_faults_can_target_one_chat_and_repeat(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    fake_telegram.fail_next("sendMessage", 500, chat_id=OTHER_USER, count=2)
    assert bot.send_message(USER, "fine").text == "fine"
    assert api_error(lambda: bot.send_message(OTHER_USER, "1")).error_code == 500
    assert api_error(lambda: bot.send_message(OTHER_USER, "2")).error_code == 500
    assert bot.send_message(OTHER_USER, "3").text == "3"


def test_a_blocked_user_gets_nothing_until_unblocked(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    sent = bot.send_message(USER, "before")
    fake_telegram.block_user(USER)
    for attempt in (lambda: bot.send_message(USER, "x"), lambda: bot.edit_message_text("y", USER, sent.message_id),
                    lambda: bot.send_chat_action(USER, "typing")):
        error = api_error(attempt)
        assert (error.error_code, error.description) == (403, "Forbidden: bot was blocked by the user")
    assert bot.send_message(OTHER_USER, "others still reachable").text == "others still reachable"
    [update] = bot.get_updates(long_polling_timeout=1)
    assert update.my_chat_member.new_chat_member.status == "kicked"
    fake_telegram.unblock_user(USER)
    assert bot.send_message(USER, "again").text == "again"
    assert fake_telegram.sent_texts(USER) == ["before", "again"]


def test_a_blocked_user_who_writes_again_has_unblocked_the_bot(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    fake_telegram.block_user(USER)
    fake_telegram.push_text(USER, "/start")
    updates = bot.get_updates(long_polling_timeout=1)
    assert [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member] == ["kicked", "member"]
    assert updates[-1].message.text == "/start"
    assert bot.send_message(USER, "welcome back").text == "welcome back"


def test_a_hung_send_times_out_the_client_though_telegram_acted(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    fake_telegram.hang_next("sendMessage", 30)
    with pytest.raises(requests.exceptions.ReadTimeout):
        bot.send_message(USER, "delivered anyway", timeout=1)
    assert fake_telegram.sent_texts(USER) == ["delivered anyway"]


def test_a_lost_send_times_out_and_changes_nothing(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    fake_telegram.hang_next("sendMessage", 30, applied=False)
    with pytest.raises(requests.exceptions.ReadTimeout):
        bot.send_message(USER, "lost", timeout=1)
    assert fake_telegram.chat(USER) == []
    assert bot.send_message(USER, "next").text == "next"


def test_close_cuts_short_held_polls_and_hung_requests() -> None:
    fake = FakeBotAPI(TEST_BOT_TOKEN)
    previous = apihelper.API_URL
    apihelper.API_URL = fake.api_url
    try:
        client = telebot.TeleBot(TEST_BOT_TOKEN, threaded=False)
        fake.hang_next("getMe", 600)
        hung, _ = in_thread(lambda: client.get_me())
        polling, _ = in_thread(lambda: client.get_updates(long_polling_timeout=600, timeout=700))
        assert fake.wait_for(lambda: fake.polls_waiting == 1 and len(fake.calls("getMe")) == 1, WAIT)
        closer, _ = in_thread(fake.close)
        closer.join(WAIT * 3)  # the held requests would take 600 s if close() waited for them
        assert not closer.is_alive()
        hung.join(WAIT)
        polling.join(WAIT)
        assert not hung.is_alive() and not polling.is_alive()
        assert fake.internal_errors == []
    finally:
        apihelper.API_URL = previous
        fake.close()


# --- rate limits -------------------------------------------------------------------------------


def test_sending_beyond_the_per_chat_burst_is_refused_with_retry_after(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    fake_telegram.enforce_limits(per_chat_per_second=0.01, per_chat_burst=2)  # one token per 100 s
    bot.send_message(USER, "1")
    bot.send_message(USER, "2")
    error = api_error(lambda: bot.send_message(USER, "3"))
    assert error.error_code == 429 and 90 <= error.result_json["parameters"]["retry_after"] <= 100
    assert api_error(lambda: bot.send_message(USER, "ignored the wait")).error_code == 429
    assert bot.send_message(OTHER_USER, "another chat").text == "another chat"
    assert fake_telegram.violations == 2
    assert fake_telegram.sent_texts(USER) == ["1", "2"]


def test_the_global_limit_spans_all_chats_and_only_counted_methods(
    fake_telegram: FakeBotAPI, bot: telebot.TeleBot,
) -> None:
    fake_telegram.enforce_limits(global_per_second=0.01, global_burst=2)
    bot.send_message(USER, "a")
    bot.send_message(OTHER_USER, "b")
    assert api_error(lambda: bot.send_message(3003, "c")).error_code == 429
    assert bot.send_chat_action(USER, "typing") is True  # not a counted method
    fake_telegram.disable_limits()
    assert bot.send_message(3003, "c").text == "c"
    assert fake_telegram.violations == 1


def test_sends_within_the_limits_are_not_violations(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    fake_telegram.enforce_limits()
    for user in range(10):
        bot.send_message(5000 + user, "reminder")
    assert fake_telegram.violations == 0


def test_wait_calls_reports_what_arrived_when_the_wait_fails(fake_telegram: FakeBotAPI, bot: telebot.TeleBot) -> None:
    bot.send_message(USER, "only one")
    assert len(fake_telegram.wait_calls("sendMessage", 1, WAIT)) == 1
    with pytest.raises(AssertionError, match="only one"):
        fake_telegram.wait_calls("sendMessage", 2, timeout=0.2)
