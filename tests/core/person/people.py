"""Several people's pure steps side by side: their events passed between them as the actors
would, every save acknowledged at once. For tests of what crosses from one person to another."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from medbot.core.model import User
from medbot.core.outgoing import AnswerCallback, SendMessage
from medbot.core.person.effects import AskLLM, Save, Send, ToPerson, Transcribe
from medbot.core.person.events import SendFailed, Sent, UserLoaded, UserSaved
from medbot.core.person.state import PersonConfig, PersonState
from medbot.core.person.step import step
from medbot.core.updates import InboundCallback, InboundText
from tests.core.reminder_kit import local

ZONE = "Europe/Moscow"
CONFIG = PersonConfig(
    repeat=timedelta(hours=1), history_days=400, messages_per_minute=100, llm_configured=False,
    llm_per_day=0, default_tz=ZONE, idle_seconds=300.0, llm_deadline_seconds=60.0, boot="run-1",
    secret="s", caregiver_minutes=60, bot_username="medbot_test_bot",
)


def at(when: str) -> float:
    return local(ZONE, when).timestamp()


@dataclass
class Family:
    """Each person's state, and everything the bot sent (chat, message) in order."""

    states: dict[int, PersonState] = field(default_factory=dict)
    sent: list[tuple[int, Any]] = field(default_factory=list)
    callbacks: list[AnswerCallback] = field(default_factory=list)
    clock: float = 0.0
    presses: int = 0
    message_ids: int = 1000
    blocked: set[int] = field(default_factory=set)
    """Chats that blocked the bot: Telegram answers 403 for them."""
    asked: list[tuple[int, Any]] = field(default_factory=list)
    """What the people's steps asked of the LLM actor (AskLLM, Transcribe), in order."""
    config: PersonConfig = CONFIG

    def join(self, uid: int, user: User | None) -> None:
        self.states[uid] = PersonState(uid, self.config)
        self.deliver(uid, UserLoaded(uid, user))

    def deliver(self, uid: int, event: Any) -> None:
        queue: deque[tuple[int, Any]] = deque([(uid, event)])
        while queue:
            who, message = queue.popleft()
            self.states[who], effects = step(self.states[who], message, self.clock)
            for effect in effects:
                match effect:
                    case Save(seq=seq, then=then):
                        queue.append((who, UserSaved(who, seq, then)))
                    case Send(message=AnswerCallback() as answer):
                        self.callbacks.append(answer)
                    case Send(message=SendMessage() as out):
                        self.sent.append((out.chat_id, out))
                        if out.tag is not None:  # Telegram's answer, routed as the users' supervisor does
                            self.message_ids += 1
                            target = out.chat_id if out.owner is None else out.owner
                            answer: Any = (SendFailed(out.chat_id, out.tag, "blocked", out.owner) if out.chat_id in self.blocked
                                           else Sent(out.chat_id, out.tag, self.message_ids, out.owner))
                            if target in self.states:
                                queue.append((target, answer))
                    case AskLLM() | Transcribe():
                        self.asked.append((who, effect))
                    case ToPerson(event=other):
                        if other.user_id not in self.states:
                            self.states[other.user_id] = PersonState(other.user_id, self.config)
                            queue.append((other.user_id, UserLoaded(other.user_id, None)))
                        queue.append((other.user_id, other))

    def say(self, uid: int, words: str, name: str = "") -> None:
        self.deliver(uid, InboundText(uid, uid, words, first_name=name))

    def press(self, uid: int, data: str) -> AnswerCallback | None:
        self.presses += 1
        before = len(self.callbacks)
        self.deliver(uid, InboundCallback(uid, uid, f"cb{self.presses}", data))
        return self.callbacks[-1] if len(self.callbacks) > before else None

    def to(self, chat: int) -> list[SendMessage]:
        return [message for who, message in self.sent if who == chat]

    def user(self, uid: int) -> User:
        user = self.states[uid].user
        assert user is not None
        return user


def buttons(message: SendMessage) -> dict[str, str]:
    return {button.text: button.data or button.url for row in message.buttons for button in row}


