"""The person's pure step: the main flows, event by event, without threads, sockets or files.

Each test feeds `step` the events an actor would receive and checks the effects it asks for:
what is saved, what is sent and when, which timers are armed, what is reported handled.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from medbot.core.model import User
from medbot.core.outbox import OUTBOX_TAG
from medbot.core.outgoing import AnswerCallback, Priority, SendMessage
from medbot.core.person.effects import (
    ArmTimer,
    DisarmTimer,
    Effect,
    Handled,
    ReportIdle,
    Save,
    Send,
    StayAlive,
    StopIfNothingQueued,
)
from medbot.core.person.events import (
    PASSIVATE_NOW,
    IdleCheck,
    Passivate,
    Sent,
    UserLoaded,
    UserSaved,
    Wake,
)
from medbot.core.person.state import PersonConfig, PersonState
from medbot.core.person.step import StepCrashed, dropped, step, unhandled
from medbot.core.updates import InboundCallback, InboundText
from tests.core.reminder_kit import local, med, person

ZONE = "Europe/Moscow"
UID = 42
CONFIG = PersonConfig(
    repeat=timedelta(hours=1), history_days=400, messages_per_minute=20, llm_configured=False,
    llm_per_day=0, default_tz=ZONE, idle_seconds=300.0, llm_deadline_seconds=60.0, boot="run-1",
    secret="s",
)


def at(when: str) -> float:
    return local(ZONE, when).timestamp()


def text(words: str, update_id: int = 1) -> InboundText:
    return InboundText(UID, UID, words, update_id=update_id)


def of(kind: type, effects: tuple[Effect, ...]) -> list[Any]:
    return [effect for effect in effects if isinstance(effect, kind)]


def loaded(user: User | None, now: str = "2026-03-02 08:00") -> tuple[PersonState, tuple[Effect, ...]]:
    return step(PersonState(UID, CONFIG), UserLoaded(UID, user), at(now))


def acknowledged(state: PersonState, save: Save, now: str) -> tuple[PersonState, tuple[Effect, ...]]:
    return step(state, UserSaved(UID, save.seq, save.then), at(now))


def test_a_message_is_saved_first_and_its_reply_goes_only_once_the_save_is_on_disk() -> None:
    state, _ = loaded(None)
    state, effects = step(state, text("добавь аспирин 100 мг в 9:00", update_id=7), at("2026-03-02 08:00"))
    [save] = of(Save, effects)
    assert [med.name for med in save.user.medications] == ["аспирин"]
    assert not of(Send, effects) and not of(Handled, effects)  # nothing confirmed before the disk
    welcome, reply = [m for m in save.then if isinstance(m, SendMessage)]  # a new person: welcome
    assert "аспирин" in reply.text.lower() and "09:00" in reply.text
    assert reply.tag[0] == OUTBOX_TAG and welcome.tag[0] == OUTBOX_TAG and save.user.outbox  # owed in the record itself
    assert save.urgent and state.unacked == (save.seq,)
    state, effects = acknowledged(state, save, "2026-03-02 08:00")
    assert reply in [effect.message for effect in of(Send, effects)]
    assert of(Handled, effects) == [Handled((7,))]
    assert state.unacked == ()


def test_what_arrives_before_the_record_is_loaded_waits_and_then_goes_in_order() -> None:
    state = PersonState(UID, CONFIG)
    state, effects = step(state, text("добавь аспирин в 9:00", 1), at("2026-03-02 08:00"))
    state, more = step(state, text("/list", 2), at("2026-03-02 08:00"))
    assert effects == () and more == () and len(state.stash) == 2
    state, effects = step(state, UserLoaded(UID, None), at("2026-03-02 08:00"))
    assert state.stash == () and state.loaded
    [save] = of(Save, effects)  # the add; the list changes nothing and waits behind its save
    assert [med.name for med in save.user.medications] == ["аспирин"]
    state, effects = acknowledged(state, save, "2026-03-02 08:00")
    texts = [effect.message.text for effect in of(Send, effects)]
    assert len(texts) >= 2 and "09:00" in texts[-1]  # the list comes after the confirmation


def test_a_reminder_is_sent_at_its_minute_and_its_message_id_is_kept() -> None:
    state, effects = loaded(person(ZONE, med("m1", "аспирин", ("09:00",))), "2026-03-02 08:00")
    wake = [effect for effect in of(ArmTimer, effects) if effect.key == ("wake", UID)]
    assert wake and wake[-1].at == at("2026-03-02 09:00") and wake[-1].event == Wake(UID)
    state, effects = step(state, Wake(UID), at("2026-03-02 09:00"))
    [save] = of(Save, effects)
    [reminder] = [m for m in save.then if isinstance(m, SendMessage) and m.priority == Priority.REMINDER]
    assert "аспирин" in reminder.text.lower() and reminder.tag[0] == "reminder"
    assert reminder.reply_to is None  # the shell adds the address
    state, _ = acknowledged(state, save, "2026-03-02 09:00")
    assert state.reminder_sends == frozenset({reminder.tag[1]})
    state, effects = step(state, Sent(UID, reminder.tag, 555), at("2026-03-02 09:00"))
    [save] = of(Save, effects)
    assert [r.message_id for r in save.user.reminders] == [555]
    assert state.reminder_sends == frozenset()


def test_a_press_is_held_while_its_reminder_is_on_the_way_then_records_the_dose() -> None:
    state, _ = loaded(person(ZONE, med("m1", "аспирин", ("09:00",))), "2026-03-02 08:00")
    state, effects = step(state, Wake(UID), at("2026-03-02 09:00"))
    [save] = of(Save, effects)
    [reminder] = [m for m in save.then if isinstance(m, SendMessage) and m.priority == Priority.REMINDER]
    state, _ = acknowledged(state, save, "2026-03-02 09:00")
    data = reminder.buttons[0][0].data
    press = InboundCallback(UID, UID, "cb1", data, message_id=555, update_id=9)
    state, effects = step(state, press, at("2026-03-02 09:01"))
    assert effects == () and state.stash == (press,)  # which message is it? not known yet
    state, effects = step(state, Sent(UID, reminder.tag, 555), at("2026-03-02 09:01"))
    saves = of(Save, effects)
    assert saves and saves[-1].user.history and saves[-1].user.history[-1].status == "taken"
    answers = [m for save in saves for m in save.then if isinstance(m, AnswerCallback)]
    assert [answer.callback_id for answer in answers] == ["cb1"]


def test_after_a_restart_a_dose_due_while_down_is_sent_at_once() -> None:
    record = person(ZONE, med("m1", "аспирин", ("09:00",)), extra={"boot": "run-0"})
    state, effects = loaded(record, "2026-03-02 09:40")
    [save] = of(Save, effects)
    reminders = [m for m in save.then if isinstance(m, SendMessage) and m.priority == Priority.REMINDER]
    assert len(reminders) == 1 and "аспирин" in reminders[0].text.lower()
    assert save.user.extra["boot"] == "run-1"


def test_step_never_changes_the_state_it_was_given_and_gives_the_same_answer_twice() -> None:
    state, _ = loaded(person(ZONE, med("m1", "аспирин", ("09:00",))))
    before = copy.deepcopy(state)
    first = step(state, text("перенеси аспирин на 10:00"), at("2026-03-02 08:00"))
    second = step(state, text("перенеси аспирин на 10:00"), at("2026-03-02 08:00"))
    assert state == before
    assert first == second


def test_idleness_is_reported_only_with_nothing_in_hand_and_passivation_asks_the_shell() -> None:
    state, effects = loaded(person(ZONE, extra={"boot": "run-1"}))
    for save in of(Save, effects):  # the first plan notes when it looked
        state, _ = acknowledged(state, save, "2026-03-02 08:00")
    state, effects = step(state, text("/help"), at("2026-03-02 08:00"))
    assert of(Send, effects) and not of(Save, effects)  # nothing saved: the help goes at once
    state, effects = step(state, IdleCheck(UID, state.epoch), at("2026-03-02 08:05"))
    assert of(ReportIdle, effects) == [ReportIdle(state.epoch)]
    assert DisarmTimer(("idle", UID)) in effects
    _, effects = step(state, Passivate(UID, state.epoch), at("2026-03-02 08:05"))
    assert effects == (StopIfNothingQueued(),)
    _, effects = step(state, Passivate(UID, state.epoch - 1), at("2026-03-02 08:05"))
    assert effects == (StayAlive(),)


def test_a_save_in_flight_keeps_the_person_busy_until_it_is_on_disk() -> None:
    state, _ = loaded(None)
    state, effects = step(state, text("добавь аспирин в 9:00"), at("2026-03-02 08:00"))
    [save] = of(Save, effects)
    state, effects = step(state, IdleCheck(UID, PASSIVATE_NOW), at("2026-03-02 08:00"))
    assert not of(ReportIdle, effects) and state.passivation_wanted
    state, effects = acknowledged(state, save, "2026-03-02 08:00")
    assert of(ReportIdle, effects)


def test_a_step_that_fails_names_the_message_and_keeps_what_was_decided(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> Any:
        raise RuntimeError("parser bug")

    monkeypatch.setattr("medbot.core.person.flows.parse", broken)
    state = PersonState(UID, CONFIG)
    state, _ = step(state, text("hello", 3), at("2026-03-02 08:00"))  # stashed: not loaded
    with pytest.raises(StepCrashed) as crashed:
        step(state, UserLoaded(UID, None), at("2026-03-02 08:00"))
    assert crashed.value.message == text("hello", 3)
    assert isinstance(crashed.value.__cause__, RuntimeError)
    assert crashed.value.state.loaded and crashed.value.state.stash == ()
    answers = dropped(crashed.value.state, crashed.value.message)
    assert of(Handled, answers) == [Handled((3,))] and of(Send, answers)
    assert unhandled(crashed.value.state) == []



def test_stats_is_followed_by_its_chart_once_a_dose_has_ended() -> None:
    from dataclasses import replace

    from medbot.core.outgoing import SendReport
    from tests.core.test_report import taken

    def stats_of(user: User) -> list[Any]:
        state, effects = loaded(replace(user, id=UID), "2026-03-02 12:00")
        for save in of(Save, effects):  # the record is stamped with this run first
            state, _ = acknowledged(state, save, "2026-03-02 12:00")
        state, effects = step(state, text("/stats"), at("2026-03-02 12:00"))
        return [effect.message for effect in of(Send, effects)]

    fresh = person(ZONE, med("m1", "аспирин", ("13:00",), start="2026-03-02"))
    [only] = stats_of(fresh)  # added today, due later: nothing has ended, nothing to draw
    assert isinstance(only, SendMessage)
    since = person(ZONE, med("m1", "аспирин", ("08:00",), start="2026-03-01"))
    words, chart = stats_of(replace(since, history=(taken("m1", "2026-03-01", "08:00", 5),)))
    assert isinstance(words, SendMessage) and "аспирин" in words.text.lower()
    assert isinstance(chart, SendReport) and chart.as_chart and chart.chat_id == UID
    assert (chart.report.total.taken, chart.report.total.missed) == (1, 0)  # today's 08:00 is still open
