"""The whole bot in one process, against the fake Bot API (and fake Groq), on a virtual clock.

`Bot.say` pushes an update to the fake Telegram server and waits until the poller has handed it
on and everything it caused has settled; `Bot.advance` moves virtual time forward one timer at a
time (so a reminder's repeat, set while handling the reminder, fires at its own virtual instant),
settling after each. Nothing here sleeps for a fixed time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from actors.clock import VirtualTime
from actors.messages import NextTimer
from medbot.app import App
from medbot.shell.settings import Settings
from tests.fakes.fixtures import TEST_BOT_TOKEN, TEST_GROQ_API_KEY
from tests.fakes.groq_server import FakeGroq
from tests.fakes.telegram_server import FakeBotAPI
from tests.waiting import wait_until

SETTLE_TIMEOUT = 60.0


def settings_for(
    telegram: FakeBotAPI, data_dir: Path, groq: FakeGroq | None = None, **overrides: Any
) -> Settings:
    base = Settings(
        telegram_token=TEST_BOT_TOKEN,
        telegram_api_url=telegram.base_url,
        poll_timeout=1,
        data_dir=data_dir,
        groq_api_key=TEST_GROQ_API_KEY if groq is not None else None,
        groq_base_url=groq.base_url if groq is not None else None,
        llm_timeout=2.0,
        # Telegram's real-time send limits have their own tests; here they would only make
        # hours of virtual time cost minutes of real time.
        global_rate=1000.0,
        chat_rate=1000.0,
        chat_burst=1000,
    )
    return replace(base, **overrides)


class Bot:
    def __init__(
        self,
        telegram: FakeBotAPI,
        data_dir: Path,
        start: datetime,
        groq: FakeGroq | None = None,
        **overrides: Any,
    ) -> None:
        self.telegram = telegram
        self.clock = VirtualTime(start.timestamp())
        self.settings = settings_for(telegram, data_dir, groq, **overrides)
        self.app = App(self.settings, time_source=self.clock)
        self.running = False
        telegram.use_clock(self.clock.now)  # messages carry the virtual time they were sent at

    # --- life cycle -------------------------------------------------------------------------
    def start(self) -> Bot:
        self.app.start()
        assert self.app.wait_ready(timeout=30), "the actor system did not become ready"
        assert wait_until(lambda: self.telegram.calls("getUpdates"), timeout=30)
        self.running = True
        self.settle()
        return self

    def stop(self, timeout: float = 20.0) -> None:
        if self.running:
            self.running = False
            self.app.stop(timeout=timeout)

    def __enter__(self) -> Bot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what people do ---------------------------------------------------------------------
    def say(self, user_id: int, text: str, **kwargs: Any) -> None:
        update = self.telegram.push_text(user_id, text, **kwargs)
        self._handed_on(update)

    def press(self, user_id: int, data: str, message_id: int | None = None, **kwargs: Any) -> None:
        if message_id is None:
            message_id = self.message_with(user_id, data)
        update = self.telegram.push_callback(user_id, data, message_id, **kwargs)
        self._handed_on(update)

    def speak(self, user_id: int, audio: bytes, duration: int = 3, **kwargs: Any) -> None:
        """A voice message whose file holds `audio` (the fake Groq hears what it was taught)."""
        self._handed_on(self.telegram.push_voice(user_id, audio=audio, duration=duration, **kwargs))

    def send_sticker(self, user_id: int) -> None:
        self._handed_on(self.telegram.push_sticker(user_id))

    def message_with(self, user_id: int, data: str) -> int:
        for message in reversed(self.telegram.bot_messages(user_id)):
            if data in message.callback_data:
                return message.message_id
        raise AssertionError(f"no visible message of {user_id} has a button {data!r}")

    def _handed_on(self, update: dict[str, Any]) -> None:
        """Wait until the poller routed the update (it asks for the next offset only after
        routing), then until everything that caused has settled."""
        update_id = update["update_id"]
        assert wait_until(
            lambda: any(
                int(call.params.get("offset", 0) or 0) > update_id
                for call in self.telegram.calls("getUpdates")
            ),
            timeout=SETTLE_TIMEOUT,
        ), "the poller never picked the update up"
        self.settle()

    # --- time -------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), timezone.utc)

    def settle(self) -> None:
        assert self.app.activity.wait_idle(timeout=SETTLE_TIMEOUT), "the bot did not settle"

    def advance(self, delta: timedelta) -> None:
        self.advance_to(self.now + delta)

    def advance_to(self, moment: datetime) -> None:
        """Move virtual time to `moment`, stopping at every timer on the way."""
        target = moment.timestamp()
        for _ in range(100_000):  # a runaway timer loop must fail the test, not hang it
            self.settle()
            due = self.app.clock.ask(NextTimer(), timeout=10)
            if due is None or due > target:
                break
            if due > self.clock.now():
                self.clock.set(due)
            else:
                self.clock.set(self.clock.now())  # overdue: let the clock fire it now
        else:
            raise AssertionError("timers kept firing without time moving forward")
        if target > self.clock.now():
            self.clock.set(target)
        self.settle()

    # --- what the person sees ---------------------------------------------------------------
    def texts(self, user_id: int) -> list[str]:
        """Texts of the bot's messages currently visible to the person, oldest first."""
        return [message.text or "" for message in self.telegram.bot_messages(user_id)]

    def last_text(self, user_id: int) -> str:
        visible = self.telegram.bot_messages(user_id)
        assert visible, f"no bot message visible to {user_id}"
        return visible[-1].text or ""

    def sent_when_utc(self, call: Any) -> datetime:
        """The virtual instant at which a sendMessage call's message was sent."""
        return datetime.fromtimestamp(call.result["date"], timezone.utc)

    def sent(self, user_id: int) -> list[str]:
        """Every text ever sent to the person (deleted ones too)."""
        return self.telegram.sent_texts(user_id)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
