"""The terminal in place of Telegram, for `medbot chat`: the same actor system, offline.

It speaks the TelegramActor's protocol (sends, edits, deletions, callback answers, `Sent`
with message ids) so every other actor behaves exactly as in production, and it turns typed
lines into the updates Telegram would deliver (`/press DATA` presses a button).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any, TextIO

from actors.mailbox import Handle
from actors.messages import (
    AnswerCallback,
    DeleteMessage,
    EditMessage,
    InboundCallback,
    InboundText,
    SendMessage,
    SendReport,
    Sent,
    StatusReport,
    StatusRequest,
)
from actors.runtime import BaseActor
from medbot.core.texts.report import report_text
from medbot.core.view import Keyboard

PRESS = "/press"


@dataclass(frozen=True)
class TerminalInput:
    """A line the person typed."""

    text: str


class TerminalActor(BaseActor):
    def __init__(
        self,
        handle: Handle,
        parent: Handle | None,
        *,
        out: TextIO,
        users: Handle,
        user_id: int,
        language_code: str,
        json_mode: bool,
        lock: threading.Lock | None = None,
    ) -> None:
        super().__init__(handle, parent)
        self.out = out
        self.users = users
        self.user_id = user_id
        self.language_code = language_code
        self.json_mode = json_mode
        self.lock = lock or threading.Lock()
        self.next_message_id = 1
        self.next_callback = 1
        self.buttons_by_message: dict[int, set[str]] = {}
        self.sent = 0

    def receive(self, message: Any) -> Any:
        match message:
            case TerminalInput(text=text):
                self._typed(text)
            case SendMessage():
                self._send(message)
            case EditMessage(message_id=message_id, text=text, buttons=buttons):
                if message_id in self.buttons_by_message:
                    self.buttons_by_message[message_id] = _data(buttons)
                    self._print(text, buttons, message_id=message_id, edited=True)
            case DeleteMessage(message_id=message_id):
                if self.buttons_by_message.pop(message_id, None) is not None and not self.json_mode:
                    self._write(f"(message {message_id} removed)")
            case SendReport(report=report, as_chart=True):
                self._print(f"[{report_text(report).chart_caption} (a picture in Telegram)]", ())
            case SendReport(report=report):
                words = report_text(report)
                self._print(f"[PDF {words.filename}] {words.caption} "
                            f"(medbot report --user {self.user_id} --out FILE.pdf writes it)", ())
            case AnswerCallback(text=text):
                if text:
                    self._print(text, (), toast=True)
            case StatusRequest(reply_to=reply_to):
                reply_to.tell(StatusReport("terminal", {"sent": self.sent}))
            case _:
                return super().receive(message)
        return None

    def _typed(self, text: str) -> None:
        if text.startswith(PRESS + " ") or text == PRESS:
            data = text[len(PRESS):].strip()
            carrier = next(
                (mid for mid in sorted(self.buttons_by_message, reverse=True)
                 if data in self.buttons_by_message[mid]),
                None,
            )
            callback_id = f"cb{self.next_callback}"
            self.next_callback += 1
            self.users.tell(
                InboundCallback(
                    self.user_id, self.user_id, callback_id, data, carrier, self.language_code
                )
            )
            return
        self.users.tell(
            InboundText(self.user_id, self.user_id, text, 0, self.language_code)
        )

    def _send(self, message: SendMessage) -> None:
        message_id = self.next_message_id
        self.next_message_id += 1
        self.sent += 1
        if message.chat_id == self.user_id:
            self.buttons_by_message[message_id] = _data(message.buttons)
            self._print(message.text, message.buttons, message_id=message_id)
        else:  # e.g. an admin alert: shown, marked as such
            self._print(f"[to chat {message.chat_id}] {message.text}", ())
        if message.reply_to is not None:
            message.reply_to.tell(Sent(message.chat_id, message.tag, message_id, message.owner))

    def _print(self, text: str, buttons: Keyboard, **extra: Any) -> None:
        if self.json_mode:
            record: dict[str, Any] = {
                "text": text,
                "buttons": [{"text": b.text, "url": b.url} if b.url else {"text": b.text, "data": b.data}
                            for row in buttons for b in row],
            }
            record.update(extra)
            self._write(json.dumps(record, ensure_ascii=False))
            return
        lines = [("(edited) " if extra.get("edited") else "") + text]
        for row in buttons:
            lines.append("   " + "   ".join(f"[{b.text}] {b.url}" if b.url else f"[{b.text}] {PRESS} {b.data}"
                                            for b in row))
        self._write("\n".join(lines) + "\n")

    def _write(self, text: str) -> None:
        with self.lock:
            self.out.write(text + "\n")
            self.out.flush()


def _data(buttons: Keyboard) -> set[str]:
    return {button.data for row in buttons for button in row}
