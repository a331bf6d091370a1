"""Many people, few threads: the live-actor cap, passivation, the wake index at start-up,
the allow-list and flood limits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from medbot.storage import read_user
from tests.e2e.harness import Bot, utc
from tests.e2e.test_reminders import reminders

PEOPLE = range(6000, 6060)


def test_sixty_people_under_a_cap_of_ten_all_reminded_on_the_minute(
    make_bot: Callable[..., Bot],
) -> None:
    bot = make_bot(start=utc(2026, 11, 26, 5, 0), max_live_users=10)
    for person in PEOPLE:
        bot.telegram.push_text(person, "добавь аспирин в 9:30")
    bot.say(PEOPLE[0], "что я принимаю?")
    for person in PEOPLE:
        assert any(text.startswith("Добавлено") for text in bot.sent(person)), person
    bot.advance_to(utc(2026, 11, 26, 6, 30))
    for person in PEOPLE:
        [reminder] = reminders(bot, person)
        assert bot.sent_when_utc(reminder) == utc(2026, 11, 26, 6, 30)
    stats = bot.app.users_state.stats
    assert stats.peak_live <= 10
    assert stats.passivated >= len(PEOPLE) - 10
    pykka_threads = [t for t in threading.enumerate() if t.name.startswith("UserActor")]
    assert len(pykka_threads) <= 10


def test_start_up_arms_the_wake_index_without_starting_anyone(make_bot: Callable[..., Bot]) -> None:
    first = make_bot(start=utc(2026, 11, 26, 5, 0))
    for person in PEOPLE[:20]:
        first.telegram.push_text(person, "добавь аспирин в 9:30")
    first.say(PEOPLE[0], "/list")
    first.stop()
    second = make_bot(start=utc(2026, 11, 26, 6, 0))  # 09:00 Moscow, before the doses
    assert second.app.users_state.stats.started == 0  # nobody loaded at start
    assert second.app.status()["clock"]["timers"] >= 20
    second.advance_to(utc(2026, 11, 26, 6, 30))
    for person in PEOPLE[:20]:
        assert [second.sent_when_utc(c) for c in reminders(second, person)] == [
            utc(2026, 11, 26, 6, 30)
        ]
    # Woken exactly then, and put to sleep again when idle.
    second.advance(timedelta(minutes=30))
    assert second.app.users_state.stats.started == 20


def test_only_allowed_people_are_served(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(allowed_users=frozenset({7001}))
    bot.say(7002, "добавь аспирин в 9")
    bot.say(7002, "ещё раз")
    assert len(bot.sent(7002)) == 1  # one polite refusal, not one per message
    assert read_user(bot.settings.data_dir, 7002) is None  # nothing stored
    bot.say(7001, "добавь аспирин в 9")
    assert bot.last_text(7001).startswith("Добавлено")


def test_a_flooding_person_is_slowed_down_and_others_are_not(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(user_messages_per_minute=5)
    for number in range(12):
        bot.telegram.push_text(7101, f"добавь витамин {number} в 9")
    bot.say(7102, "добавь аспирин в 9")
    assert bot.last_text(7102).startswith("Добавлено")
    answers = bot.sent(7101)
    added = [text for text in answers if text.startswith("Добавлено")]
    assert len(added) == 5
    assert len(answers) == 1 + 5 + 1  # welcome, five answers, one "slow down" notice
    bot.advance(timedelta(minutes=1))
    bot.say(7101, "что я принимаю?")
    assert "Ваше расписание" in bot.last_text(7101)


def test_presses_and_stickers_count_toward_the_same_allowance(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(user_messages_per_minute=5)
    bot.say(7201, "добавь аспирин в 9")  # one of the five
    for _ in range(3):
        bot.telegram.push_sticker(7201)
    for _ in range(40):  # a flood of presses on a stale button
        bot.telegram.push_callback(7201, "t:1:x", 1, require_button=False)
    bot.say(7202, "добавь аспирин в 9")
    assert bot.last_text(7202).startswith("Добавлено")
    answered = bot.telegram.answered_callbacks
    assert len(answered) == 1 + 1  # the fifth message's answer and one "slow down" notice
    assert sum("Слишком много" in (answer.text or "") for answer in answered) == 1  # in either order
    assert len(bot.sent(7201)) == 1 + 1 + 3  # welcome, the add's answer, three sticker answers
    bot.advance(timedelta(minutes=1))
    bot.say(7201, "что я принимаю?")
    assert "Ваше расписание" in bot.last_text(7201)
