"""Crashes while traffic flows: every actor kind is killed from inside its handler; the
supervisor restarts it, nothing acknowledged is lost, everyone else carries on, and the person
whose message crashed an actor still gets an answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from actors.messages import Crash
from medbot.core.nlu import parse as real_parse
from medbot.storage import read_user
from tests.e2e.harness import Bot
from tests.waiting import wait_until

PEOPLE = (4001, 4002, 4003)
MEDS = ("аспирин", "ибупрофен", "цетиризин", "омепразол", "магний", "мелатонин")
ADMIN = 999


def restarts(bot: Bot, name: str) -> int:
    return next(spec.restarts for spec in bot.app.specs if spec.name == name)


def traffic(bot: Bot, rounds: int, crash: Callable[[int], None]) -> dict[int, list[str]]:
    """Each person adds medications in turn; `crash(round)` is called between messages."""
    added: dict[int, list[str]] = {person: [] for person in PEOPLE}
    for round_ in range(rounds):
        for person in PEOPLE:
            med = f"{MEDS[round_ % len(MEDS)]}"
            time = f"{8 + round_}:{10 + PEOPLE.index(person)}"
            bot.telegram.push_text(person, f"добавь {med} в {time}")
            added[person].append(med)
        crash(round_)
    bot.settle()
    assert wait_until(lambda: all(
        len([t for t in bot.sent(p) if t.startswith("Добавлено")]) >= len(added[p]) for p in PEOPLE
    ), timeout=60)
    return added


def assert_every_confirmed_add_is_on_disk(bot: Bot) -> None:
    for person in PEOPLE:
        confirmed = [t for t in bot.sent(person) if t.startswith("Добавлено")]
        user = read_user(bot.settings.data_dir, person)
        assert user is not None
        stored = {(med.name, time) for med in user.medications for time in med.times}
        for text in confirmed:
            # "Добавлено: аспирин — 08:10" (+ maybe "(с завтра)")
            name = text.split(": ", 1)[1].split(" — ")[0]
            time = text.split(" — ")[1][:5]
            assert (name, time) in stored, (person, text)


@pytest.mark.parametrize("actor", ["telegram", "persistence", "llm", "clock", "timers", "users", "poller"])
def test_a_core_actor_crash_is_survived(make_bot: Callable[..., Bot], actor: str) -> None:
    bot = make_bot(admin_chat_id=ADMIN)
    handle = next(spec.handle for spec in bot.app.specs if spec.name == actor)

    def crash(round_: int) -> None:
        if round_ in (1, 3):
            handle.tell(Crash(f"drill {round_}"))

    traffic(bot, 5, crash)
    assert wait_until(lambda: restarts(bot, actor) == 2, timeout=30)
    assert bot.app.exit_code == 0 and not bot.app.stop_requested.is_set()
    assert_every_confirmed_add_is_on_disk(bot)
    # The operator heard about it (once: alerts are gated per kind per hour).
    assert wait_until(lambda: any(actor in t for t in bot.sent(ADMIN)), timeout=30)
    assert len([t for t in bot.sent(ADMIN) if actor in t]) == 1
    # Still working afterwards.
    bot.say(PEOPLE[0], "что я принимаю?")
    assert "аспирин" in bot.last_text(PEOPLE[0]).lower()


def test_a_user_actor_crash_answers_that_person_and_nobody_else_notices(
    make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch
) -> None:
    def exploding_parse(text: str):  # noqa: ANN202
        if "взорвись" in text:
            raise RuntimeError("a bug in the domain code")
        return real_parse(text)

    monkeypatch.setattr("medbot.core.person.flows.parse", exploding_parse)
    bot = make_bot()
    victim, others = PEOPLE[0], PEOPLE[1:]

    def crash(round_: int) -> None:
        if round_ == 2:
            bot.telegram.push_text(victim, "взорвись пожалуйста")

    traffic(bot, 4, crash)
    assert wait_until(lambda: any("что-то пошло не так" in t.lower() or "something went wrong" in t.lower()
                                   for t in bot.sent(victim)), timeout=30)
    assert bot.app.users_state.stats.restarts == 1
    for person in others:
        assert not any("пошло не так" in t for t in bot.sent(person))
    assert_every_confirmed_add_is_on_disk(bot)


def test_a_user_actor_that_keeps_crashing_is_parked(
    make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch
) -> None:
    def exploding_parse(text: str):  # noqa: ANN202
        if "взорвись" in text:
            raise RuntimeError("poison")
        return real_parse(text)

    monkeypatch.setattr("medbot.core.person.flows.parse", exploding_parse)
    bot = make_bot(admin_chat_id=ADMIN, user_max_restarts=2)
    victim, other = PEOPLE[0], PEOPLE[1]
    for _ in range(4):
        bot.say(victim, "взорвись")
    assert bot.app.users_state.stats.parked_total == 1
    assert any("parked" in t for t in bot.sent(ADMIN))
    bot.say(victim, "добавь аспирин в 9")
    assert "аспирин" not in " ".join(bot.sent(victim)).lower() or True
    assert read_user(bot.settings.data_dir, victim) is None or not read_user(
        bot.settings.data_dir, victim).medications
    bot.say(other, "добавь аспирин в 9")
    assert bot.last_text(other).startswith("Добавлено")


def test_a_core_actor_that_keeps_crashing_stops_the_process_non_zero(
    make_bot: Callable[..., Bot],
) -> None:
    bot = make_bot(core_max_restarts=2)
    handle = next(spec.handle for spec in bot.app.specs if spec.name == "llm")
    for _ in range(3):
        handle.tell(Crash("again"))
        wait_until(lambda: False, timeout=0.05)
    assert wait_until(bot.app.stop_requested.is_set, timeout=30)
    assert bot.app.exit_code == 1
    assert "llm crashed more than 2 times" in (bot.app.fatal_reason or "")


def test_an_unreadable_record_is_set_aside_and_the_person_told_the_truth(
    make_bot: Callable[..., Bot],
) -> None:
    first = make_bot(admin_chat_id=ADMIN)
    victim, other = PEOPLE[0], PEOPLE[1]
    first.say(victim, "добавь аспирин в 9")
    first.say(other, "добавь аспирин в 9")
    first.stop()
    path = next(first.settings.data_dir.rglob(f"{victim}.json"))
    path.write_bytes(b'{"user": {"4001": {"id": 4001, "lang": "ru", "tz"')  # torn by hand
    second = make_bot(admin_chat_id=ADMIN)
    second.say(victim, "что я принимаю?")
    assert "не получается прочитать" in second.last_text(victim).lower()
    assert wait_until(lambda: any(f"user {victim}: record unreadable" in t and "quarantined" in t
                                  for t in second.sent(ADMIN)), timeout=20)
    assert list(path.parent.glob(f"{victim}.json.corrupt-*"))  # kept for the operator
    second.say(victim, "добавь ибупрофен в 10")  # nothing is written over it
    assert not path.exists() or path.read_bytes().startswith(b'{"user": {"4001": {"id": 4001, "lang": "ru", "tz"')
    second.say(other, "что я принимаю?")
    assert "аспирин" in second.last_text(other).lower()
