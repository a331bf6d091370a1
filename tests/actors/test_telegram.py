"""The TelegramActor with the real pyTelegramBotAPI against the fake Bot API over HTTP."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from telebot import apihelper

from actors.activity import Activity
from actors.clock import VirtualTime, start_timers
from actors.mailbox import Handle
from actors.messages import (
    AnswerCallback,
    ChildFailed,
    DeleteMessage,
    EditMessage,
    NextTimer,
    Priority,
    SendFailed,
    SendMessage,
    SendReport,
    Sent,
    StatusReport,
    StatusRequest,
    Stop,
    UserBlocked,
)
from actors.runtime import BaseActor
from actors.send_scheduler import SendScheduler
from actors.telegram import APOLOGY, TelegramActor
from medbot.core.view import Button
from medbot.shell import logs
from medbot.shell.redact import redact
from medbot.shell.retries import RetryPolicy
from medbot.shell.settings import Settings
from tests.fakes.fixtures import TEST_BOT_TOKEN, fake_telegram  # noqa: F401 - the fixture
from tests.fakes.telegram_server import FakeBotAPI
from tests.shell.test_telegram_api import closed_port_url, restore_apihelper  # noqa: F401
from tests.waiting import wait_until

FAST_RETRIES = RetryPolicy(attempts=4, first_wait=0.05, max_wait=0.2, jitter=0.05, total=10)
QUIET = 60.0


class Recorder(BaseActor):
    """Stands in for the users' supervisor and for user actors: remembers what it is told."""

    def __init__(self, handle: Handle, seen: list[Any]) -> None:
        super().__init__(handle)
        self.seen = seen

    def receive(self, message: Any) -> None:
        self.seen.append(message)


def recorder(name: str, activity: Activity) -> tuple[Handle, list[Any]]:
    handle, seen = Handle(name, activity), []
    Recorder.start(handle, seen)
    return handle, seen


@dataclass
class Rig:
    fake: FakeBotAPI
    activity: Activity
    settings: Settings
    telegram: Handle
    parent: Handle
    parent_seen: list[Any]
    users: Handle
    users_seen: list[Any]
    replies: Handle
    replies_seen: list[Any]
    timers: Handle

    def start(self, actor: type[TelegramActor] = TelegramActor) -> Any:
        return actor.start(self.telegram, self.parent, self.settings, self.users, timers=self.timers,
                           retry=FAST_RETRIES)

    def quiet(self) -> None:
        assert self.activity.wait_idle(QUIET), "the actors did not settle"

    def status(self) -> dict[str, Any]:
        self.replies_seen.clear()
        self.telegram.tell(StatusRequest(self.replies))
        assert wait_until(lambda: any(isinstance(m, StatusReport) for m in self.replies_seen))
        report = next(m for m in self.replies_seen if isinstance(m, StatusReport))
        self.replies_seen.remove(report)
        return report.fields

    def answers(self) -> list[Any]:
        return [m for m in self.replies_seen if isinstance(m, (Sent, SendFailed))]


def make_rig(fake: FakeBotAPI, **overrides: Any) -> Rig:
    activity = Activity()
    settings = replace(Settings(telegram_token=TEST_BOT_TOKEN, telegram_api_url=fake.base_url,
                                chat_rate=20.0, chat_burst=3, global_rate=60.0), **overrides)
    parent, parent_seen = recorder("parent", activity)
    users, users_seen = recorder("users", activity)
    replies, replies_seen = recorder("replies", activity)
    return Rig(fake, activity, settings, Handle("telegram", activity), parent, parent_seen,
               users, users_seen, replies, replies_seen, start_timers(activity))


@pytest.fixture
def rig(fake_telegram: FakeBotAPI) -> Iterator[Rig]:  # noqa: F811
    rig = make_rig(fake_telegram)
    yield rig
    rig.telegram.close()


def keyboard(tag: str) -> tuple[tuple[Button, ...], ...]:
    return ((Button(f"Принял {tag}", f"take:{tag}"), Button("Позже", f"later:{tag}")),)


# --- order, keyboards, priorities ---------------------------------------------------------


def test_sends_arrive_in_order_per_chat_with_their_keyboards(rig: Rig) -> None:
    rig.start()
    for n in range(6):
        for chat in (1, 2):
            rig.telegram.tell(SendMessage(chat, f"{chat}-{n}", keyboard(f"{chat}{n}"),
                                          reply_to=rig.replies, tag=(chat, n)))
    rig.quiet()
    for chat in (1, 2):
        shown = rig.fake.bot_messages(chat)
        assert [m.text for m in shown] == [f"{chat}-{n}" for n in range(6)]
        assert [m.callback_data for m in shown] == [[f"take:{chat}{n}", f"later:{chat}{n}"] for n in range(6)]
    sent = {m.tag: m for m in rig.answers()}
    assert len(sent) == 12 and all(isinstance(m, Sent) for m in sent.values())
    for chat in (1, 2):
        assert [sent[(chat, n)].message_id for n in range(6)] == [m.message_id for m in rig.fake.bot_messages(chat)]
    assert rig.status()["sent"] == 12


def test_a_text_over_telegrams_limit_arrives_whole_in_parts_and_nothing_is_refused(rig: Rig) -> None:
    rig.start()
    lines = [f"• лекарство {n} 100 мг — 08:00, 20:00" for n in range(400)]
    many = tuple((Button(f"b{n}", f"t:{n}"),) for n in range(130))
    rig.telegram.tell(SendMessage(1, "\n".join(lines), many, reply_to=rig.replies, tag="long"))
    rig.telegram.tell(SendMessage(1, "after it"))
    rig.quiet()
    shown = rig.fake.bot_messages(1)
    assert len(shown) > 2 and shown[-1].text == "after it"
    assert [line for m in shown[:-1] for line in (m.text or "").split("\n")] == lines
    assert all(not m.callback_data for m in shown[:-2]) and len(shown[-2].callback_data) == 100
    assert rig.answers() == [Sent(1, "long", shown[-2].message_id)]  # the one with the buttons
    assert not rig.fake.calls("sendMessage", ok=False)


def test_an_edit_over_the_limit_is_cut_not_refused(rig: Rig) -> None:
    rig.start()
    rig.telegram.tell(SendMessage(1, "short", reply_to=rig.replies, tag="s"))
    rig.quiet()
    message_id = rig.answers()[0].message_id
    rig.telegram.tell(EditMessage(1, message_id, "\n".join(f"строка {n}" for n in range(2000))))
    rig.quiet()
    text = rig.fake.bot_messages(1)[-1].text or ""
    assert text.startswith("строка 0") and text.endswith("…") and len(text) <= 4096
    assert not rig.fake.calls("editMessageText", ok=False)


def test_a_reply_overtakes_queued_reminders_for_other_chats(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    rig = make_rig(fake_telegram, global_rate=20.0)
    rig.start()
    for chat in range(100, 160):
        rig.telegram.tell(SendMessage(chat, "Пора принять лекарство", priority=Priority.REMINDER))
    rig.telegram.tell(SendMessage(7, "Готово, добавил", priority=Priority.REPLY))
    rig.quiet()
    order = [call.chat_id for call in fake_telegram.calls("sendMessage", ok=True)]
    assert len(order) == 61
    assert order.index(7) < 15  # 60 reminders need ~3 s at 20/s; the reply went within the first few
    assert rig.status()["reminders_today"] == 60
    rig.telegram.close()


def test_within_a_chat_a_later_reply_waits_for_the_earlier_reminder(rig: Rig) -> None:
    rig.fake.hang_next("sendMessage", 0.3)
    rig.start()
    rig.telegram.tell(SendMessage(1, "reminder", priority=Priority.REMINDER))
    rig.telegram.tell(SendMessage(1, "reply"))
    rig.quiet()
    assert rig.fake.sent_texts(1) == ["reminder", "reply"]


def test_scheduler_ranks_a_chat_by_its_most_urgent_request() -> None:
    scheduler = SendScheduler(global_rate=100.0, chat_rate=100.0, chat_burst=3)
    scheduler.add(SendMessage(1, "alert", priority=Priority.ALERT))
    scheduler.add(SendMessage(2, "reminder", priority=Priority.REMINDER))
    scheduler.add(SendMessage(3, "reminder", priority=Priority.REMINDER))
    scheduler.add(SendMessage(3, "reply", priority=Priority.REPLY))
    scheduler.add(AnswerCallback("cb-1"))
    order = []
    while (request := scheduler.take(now=0.0)) is not None:
        order.append(request.message)
    # The button answer first, then chat 3 (it holds a reply) with its reminder, then by age.
    assert [getattr(m, "chat_id", "cb") for m in order] == ["cb", 3, 2, 1]
    assert scheduler.queued == 1  # chat 3's reply waits until its reminder is done


# --- what Telegram answers ----------------------------------------------------------------


def test_429_waits_retry_after_and_delivers_once(rig: Rig) -> None:
    rig.fake.fail_next("sendMessage", 429, retry_after=2, chat_id=9)
    rig.start()
    rig.telegram.tell(SendMessage(9, "Добавил", reply_to=rig.replies, tag="t"))
    rig.quiet()
    first, second = rig.fake.calls("sendMessage", chat_id=9)
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 2.0
    assert rig.fake.sent_texts(9) == ["Добавил"]
    assert rig.answers() == [Sent(9, "t", second.result["message_id"])]
    fields = rig.status()
    assert fields["rate_limited"] == 1 and fields["failed"] == 0
    assert "429" in fields["last_error"] and TEST_BOT_TOKEN not in fields["last_error"]


def test_403_reports_blocked_and_is_never_retried(rig: Rig) -> None:
    rig.fake.block_user(5, notify=False)
    rig.fake.hang_next("sendMessage", 0.3)  # keeps the second message queued behind the first
    rig.start()
    rig.telegram.tell(SendMessage(5, "one", reply_to=rig.replies, tag="a"))
    rig.telegram.tell(SendMessage(5, "two", reply_to=rig.replies, tag="b"))
    rig.telegram.tell(SendMessage(6, "someone else", reply_to=rig.replies, tag="c"))
    rig.quiet()
    assert len(rig.fake.calls("sendMessage", chat_id=5)) == 1
    assert sorted(rig.answers(), key=lambda m: m.tag)[:2] == [
        SendFailed(5, "a", "blocked"), SendFailed(5, "b", "blocked")]
    assert [m for m in rig.users_seen if isinstance(m, UserBlocked)] == [UserBlocked(5)]
    assert rig.fake.sent_texts(6) == ["someone else"]
    assert rig.status()["blocked"] == 1


def test_server_errors_are_retried_and_the_message_delivered_once(rig: Rig) -> None:
    rig.fake.fail_next("sendMessage", 500, count=2)
    rig.start()
    rig.telegram.tell(SendMessage(3, "hello", reply_to=rig.replies, tag=1))
    rig.quiet()
    assert [c.status for c in rig.fake.calls("sendMessage")] == [500, 500, 200]
    assert rig.fake.sent_texts(3) == ["hello"]
    assert [type(m) for m in rig.answers()] == [Sent]
    assert rig.status()["retries"] == 2


def test_gateway_errors_too_and_giving_up_reports_error(rig: Rig) -> None:
    rig.fake.fail_next("sendMessage", 502, count=FAST_RETRIES.attempts)
    rig.start()
    rig.telegram.tell(SendMessage(3, "hello", reply_to=rig.replies, tag=1))
    rig.quiet()
    assert len(rig.fake.calls("sendMessage")) == FAST_RETRIES.attempts
    assert rig.answers() == [SendFailed(3, 1, "error")]
    assert rig.fake.sent_texts(3) == []


def test_a_send_that_may_have_arrived_is_not_resent(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    rig = make_rig(fake_telegram)
    rig.start()
    rig.telegram.ask(StatusRequest(rig.replies), timeout=5)  # started: it has set its timeouts
    apihelper.READ_TIMEOUT = 0.3
    fake_telegram.hang_next("sendMessage", 2.0, applied=True)
    rig.telegram.tell(SendMessage(4, "Пора принять", reply_to=rig.replies, tag="r"))
    rig.quiet()
    assert fake_telegram.sent_texts(4) == ["Пора принять"]  # once, not twice
    assert rig.answers() == [SendFailed(4, "r", "error")]
    rig.telegram.close()


def test_a_report_that_may_have_arrived_is_not_resent(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    from medbot.core.report import build_report
    from tests.core.reminder_kit import local, med, person

    rig = make_rig(fake_telegram)
    rig.start()
    rig.telegram.ask(StatusRequest(rig.replies), timeout=5)
    apihelper.READ_TIMEOUT = 0.3
    fake_telegram.hang_next("sendDocument", 2.0, applied=True)
    user = person("Europe/Moscow", med("m1", "аспирин", ("08:00",)))
    report = build_report(user, (), local("Europe/Moscow", "2026-12-07 12:00"), 7)
    rig.telegram.tell(SendReport(4, report, reply_to=rig.replies, tag="pdf"))
    rig.quiet()
    assert len(fake_telegram.documents(4)) == 1  # once, not twice
    assert rig.answers() == [SendFailed(4, "pdf", "error")]
    rig.telegram.close()


def test_bad_request_is_reported_as_such(rig: Rig) -> None:
    rig.start()
    rig.fake.fail_next("sendMessage", 400, description="Bad Request: can't parse entities")
    rig.telegram.tell(SendMessage(3, "x" * 50, reply_to=rig.replies, tag="long"))
    rig.quiet()
    assert rig.answers() == [SendFailed(3, "long", "bad_request")]
    assert len(rig.fake.calls("sendMessage")) == 1


def test_edits_deletes_and_button_answers(rig: Rig) -> None:
    rig.start()
    rig.telegram.tell(SendMessage(8, "Пора: аспирин", keyboard("a"), reply_to=rig.replies, tag="m"))
    rig.quiet()
    (sent,) = rig.answers()
    press = rig.fake.press(8, "Принял a")
    rig.telegram.tell(AnswerCallback(press["callback_query"]["id"], "Отмечено"))
    rig.telegram.tell(EditMessage(8, sent.message_id, "Аспирин: принято"))
    rig.telegram.tell(EditMessage(8, sent.message_id, "Аспирин: принято"))  # not modified: fine
    rig.quiet()
    shown = rig.fake.last_bot_message(8)
    assert shown is not None and shown.text == "Аспирин: принято" and shown.buttons == () and shown.edited
    assert [a.text for a in rig.fake.answered_callbacks] == ["Отмечено"]
    rig.telegram.tell(DeleteMessage(8, sent.message_id))
    rig.telegram.tell(DeleteMessage(8, sent.message_id))  # already gone: fine
    rig.telegram.tell(AnswerCallback(press["callback_query"]["id"]))  # too old: fine
    rig.quiet()
    assert rig.fake.bot_messages(8) == []
    fields = rig.status()
    assert fields["failed"] == 0 and fields["requests_done"] == 7 and fields["queue"] == 0


def test_set_my_commands_at_start_in_both_languages(rig: Rig) -> None:
    rig.start()
    rig.quiet()
    for language in ("ru", "en"):
        assert [c["command"] for c in rig.fake.my_commands(language_code=language)] == [
            "start", "help", "list", "stats", "report", "caregiver", "delete_me"]


def test_failing_set_my_commands_is_not_fatal(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    rig.fake.fail_next("setMyCommands", 400, description="Bad Request: nope")
    rig.start()
    rig.telegram.tell(SendMessage(1, "still works"))
    rig.quiet()
    assert rig.fake.sent_texts(1) == ["still works"]
    assert "telegram_commands_failed" in caplog.text
    assert not [m for m in rig.parent_seen if isinstance(m, ChildFailed)]


# --- Telegram's limits ------------------------------------------------------------------


def test_no_limit_is_ever_exceeded(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    fake_telegram.enforce_limits(per_chat_per_second=10, global_per_second=30, per_chat_burst=3, global_burst=30)
    rig = make_rig(fake_telegram, chat_rate=10.0, chat_burst=3, global_rate=30.0)
    rig.start()
    for n in range(10):
        for chat in range(10, 20):
            priority = Priority.REMINDER if n % 2 else Priority.REPLY
            rig.telegram.tell(SendMessage(chat, f"{chat}:{n}", priority=priority))
    for n in range(40):
        rig.telegram.tell(SendMessage(99, f"99:{n}"))
    rig.quiet()
    assert fake_telegram.violations == 0
    for chat in range(10, 20):
        assert fake_telegram.sent_texts(chat) == [f"{chat}:{n}" for n in range(10)]
    assert fake_telegram.sent_texts(99) == [f"99:{n}" for n in range(40)]
    fields = rig.status()
    assert (fields["sent"], fields["rate_limited"], fields["queue"], fields["in_flight"]) == (140, 0, 0, 0)
    rig.telegram.close()


# --- crashes and stops --------------------------------------------------------------------


class FragileTelegram(TelegramActor):
    """Fault injection: a send with the text "boom" raises inside the handler."""

    def receive(self, message: Any) -> Any:
        if isinstance(message, SendMessage) and message.text == "boom":
            raise RuntimeError("injected")
        return super().receive(message)


def test_a_crash_answers_everyone_waiting_and_apologizes(rig: Rig) -> None:
    rig.fake.hang_next("sendMessage", 0.5, count=2)
    first = rig.start(FragileTelegram)
    rig.telegram.tell(SendMessage(1, "in flight 1"))
    rig.telegram.tell(SendMessage(2, "in flight 2", reply_to=rig.replies, tag="f"))
    assert rig.fake.wait_for(lambda: len(rig.fake.calls("sendMessage")) == 2)
    rig.telegram.tell(SendMessage(1, "queued, tagged", reply_to=rig.replies, tag="q"))
    rig.telegram.tell(SendMessage(2, "queued, untagged"))
    rig.telegram.tell(SendMessage(3, "boom", reply_to=rig.replies, tag="b"))
    assert first.actor_stopped.wait(10)
    assert wait_until(lambda: any(isinstance(m, ChildFailed) for m in rig.parent_seen))
    rig.start(FragileTelegram)  # what a supervisor does: a new incarnation on the same handle
    rig.quiet()
    assert rig.fake.sent_texts(1) == ["in flight 1"]
    assert rig.fake.sent_texts(2) == ["in flight 2", APOLOGY]
    assert rig.fake.sent_texts(3) == [APOLOGY]
    answers = {m.tag: m for m in rig.answers()}
    assert answers["q"] == SendFailed(1, "q", "error") and answers["b"] == SendFailed(3, "b", "error")
    assert isinstance(answers["f"], Sent)  # finished by the next incarnation


def test_stop_first_sends_what_it_holds(rig: Rig) -> None:
    rig.settings = replace(rig.settings, chat_rate=5.0)
    ref = rig.start()
    for n in range(5):
        rig.telegram.tell(SendMessage(1, f"m{n}", reply_to=rig.replies, tag=n))
    rig.telegram.tell(Stop())
    assert ref.actor_stopped.wait(15)
    assert rig.fake.sent_texts(1) == [f"m{n}" for n in range(5)]
    rig.quiet()  # the last Sent may still sit in the recorder's mailbox
    assert [type(m) for m in rig.answers()] == [Sent] * 5


def test_stop_gives_up_after_the_drain_time(rig: Rig) -> None:
    ref = TelegramActor.start(rig.telegram, rig.parent, rig.settings, rig.users, timers=rig.timers,
                              drain_seconds=0.5)
    rig.fake.fail_next("sendMessage", 429, retry_after=30, chat_id=1)
    rig.telegram.tell(SendMessage(1, "held back", reply_to=rig.replies, tag="h"))
    assert rig.fake.wait_for(lambda: len(rig.fake.calls("sendMessage", ok=False)) == 1)
    rig.telegram.tell(Stop())
    assert ref.actor_stopped.wait(10)
    rig.quiet()
    assert rig.answers() == [SendFailed(1, "h", "error")]


# --- secrets ------------------------------------------------------------------------------


def traffic(rig: Rig) -> None:
    """A bit of everything: sends, a 429, a 500, a 403, a connection error."""
    rig.fake.fail_next("sendMessage", 429, retry_after=1, chat_id=1)
    rig.fake.fail_next("sendMessage", 500, chat_id=2)
    rig.fake.block_user(3, notify=False)
    rig.start()
    for chat in (1, 2, 3):
        rig.telegram.tell(SendMessage(chat, f"Секретный текст {chat}", keyboard(str(chat))))
    rig.quiet()


@pytest.fixture
def debug_everywhere() -> Iterator[None]:
    names = ("", "urllib3", "TeleBot", "actors", "medbot")
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("debug_everywhere")
def test_debug_logs_never_carry_the_token(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    traffic(rig)
    refused = make_rig(rig.fake, telegram_api_url=closed_port_url())
    refused.start()
    refused.telegram.tell(SendMessage(4, "Секретный текст 4", reply_to=refused.replies, tag="x"))
    refused.quiet()
    refused.telegram.close()
    records = caplog.records
    assert any(r.name.startswith("urllib3") for r in records)  # the third-party DEBUG lines are in
    assert any(TEST_BOT_TOKEN in r.getMessage() for r in records)  # ...and some carry the raw token
    assert all(TEST_BOT_TOKEN not in redact(r.getMessage()) for r in records)
    ours = [r for r in records if r.name.startswith(("actors", "medbot"))]
    assert any("telegram_send_failed" in r.getMessage() for r in ours)
    for record in ours:
        assert TEST_BOT_TOKEN not in record.getMessage()
        if record.levelno >= logging.INFO:
            assert "Секретный" not in record.getMessage() and "%D0%A1" not in record.getMessage()


@pytest.mark.usefixtures("debug_everywhere")
def test_the_configured_handler_redacts_everything(rig: Rig) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    handler = logs.configure(level="DEBUG", stream=stream)
    try:
        traffic(rig)
        refused = make_rig(rig.fake, telegram_api_url=closed_port_url())
        refused.start()
        refused.telegram.tell(SendMessage(4, "text"))
        refused.quiet()
        refused.telegram.close()
    finally:
        root.removeHandler(handler)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    output = stream.getvalue()
    assert "/bot[REDACTED]/sendMessage" in output  # urllib3's request lines went through it
    assert "telegram_rate_limited" in output and "telegram_blocked" in output
    assert TEST_BOT_TOKEN not in output and TEST_BOT_TOKEN.split(":")[1] not in output


def test_no_threads_are_left_behind(rig: Rig) -> None:
    before = {t.ident for t in threading.enumerate()}
    ref = rig.start()
    rig.telegram.tell(SendMessage(1, "x"))
    rig.quiet()
    rig.telegram.tell(Stop())
    assert ref.actor_stopped.wait(10)
    leftover = [t for t in threading.enumerate() if t.ident not in before and not t.daemon]
    assert wait_until(lambda: not any(t.is_alive() for t in leftover), timeout=20)


def test_a_rate_limited_send_waits_on_the_timers_clock_in_its_time(fake_telegram: FakeBotAPI) -> None:  # noqa: F811
    """The send scheduler keeps the `timers` clock's time: on a virtual clock, a send held back
    by the per-chat limit goes exactly when that clock has moved on, and not before."""
    rig = make_rig(fake_telegram, chat_rate=1.0, chat_burst=1, global_rate=60.0)
    virtual = VirtualTime(1_000.0)
    rig.timers = start_timers(rig.activity, virtual)
    rig.start()
    for n in range(3):
        rig.telegram.tell(SendMessage(7, f"m{n}"))
    assert wait_until(lambda: len(rig.fake.bot_messages(7)) == 1)
    assert wait_until(lambda: rig.timers.ask(NextTimer(), timeout=5) == 1_001.0)
    assert [m.text for m in rig.fake.bot_messages(7)] == ["m0"]  # real time passing changes nothing
    virtual.advance(0.5)
    assert rig.timers.ask(NextTimer(), timeout=5) == 1_001.0 and len(rig.fake.bot_messages(7)) == 1
    virtual.advance(0.5)
    assert wait_until(lambda: len(rig.fake.bot_messages(7)) == 2)
    assert wait_until(lambda: rig.timers.ask(NextTimer(), timeout=5) == 1_002.0)
    virtual.advance(1.0)
    assert wait_until(lambda: [m.text for m in rig.fake.bot_messages(7)] == ["m0", "m1", "m2"])
    rig.quiet()  # nothing held back any more: the pending wake-up has ended
    rig.telegram.close()
