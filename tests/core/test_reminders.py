"""Reminder state transitions: delivery, failures, button presses, and edits of the schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from medbot.core import tz
from medbot.core.doses import intake_of, with_intake
from medbot.core.due import plan
from medbot.core.effects import DeleteReminder, EditReminder
from medbot.core.model import Intake, Slot
from medbot.core.reminders import on_send_failed, on_sent, press, reconcile
from tests.core.reminder_kit import HOUR, Driver, dose, local, med, person, sends

BERLIN = "Europe/Berlin"
DAY = "2025-06-05"


def at(when: str) -> datetime:
    return local(BERLIN, f"{DAY} {when}")


def two_doses(lang: str = "ru") -> Driver:
    """Aspirin and ibuprofen reminded together at 08:00, delivered as message 1001."""
    driver = Driver(
        person(
            BERLIN,
            med("m1", "аспирин", ("08:00",), "200 мг", start=DAY),
            med("m2", "ибупрофен", ("08:00", "20:00"), start=DAY),
            lang=lang,
        )
    )
    driver.step(at("08:00"))
    assert list(driver.chat.live) == [1001]
    return driver


def buttons(effect: EditReminder) -> list[list[str]]:
    return [[button.data for button in row] for row in effect.reply.buttons]


# --- presses -----------------------------------------------------------------------------------


def test_pressing_one_medication_records_it_and_updates_the_message_in_place() -> None:
    driver = two_doses()
    outcome = press(driver.user, "t:1:m1", at("08:05:30"))
    assert outcome.answer_text == "Отмечено: аспирин"
    assert intake_of(outcome.user, dose("m1", DAY, "08:00")) == Intake(
        dose("m1", DAY, "08:00"), "taken", "2025-06-05T06:05:30+00:00", "аспирин", "200 мг"
    )
    [edit] = outcome.effects
    assert isinstance(edit, EditReminder) and edit.message_id == 1001
    assert edit.reply.text == "Пора принять:\n✓ аспирин 200 мг — принят в 08:05\n• ибупрофен"
    assert buttons(edit) == [["t:1:m2"], ["z:1", "s:1"]]  # no "all" for a single medication
    assert [r.id for r in outcome.user.reminders] == [1]


def test_pressing_all_records_every_open_dose_and_closes_the_reminder() -> None:
    driver = two_doses()
    outcome = press(driver.user, "a:1", at("08:07"))
    assert outcome.answer_text == "Отмечено: всё принято"
    [edit] = outcome.effects
    assert edit.reply.text == (
        "Всё принято 👍\n✓ аспирин 200 мг — принят в 08:07\n✓ ибупрофен — принят в 08:07"
    )
    assert edit.reply.buttons == ()
    assert outcome.user.reminders == ()
    assert {r.status for r in outcome.user.history} == {"taken"}
    assert plan(outcome.user, at("09:00"), HOUR).effects == ()  # nothing to repeat


def test_skip_records_the_open_doses_as_skipped() -> None:
    driver = two_doses()
    first = press(driver.user, "t:1:m2", at("08:01"))
    outcome = press(first.user, "s:1", at("08:02"))
    assert outcome.answer_text == "Отмечено как пропущенное"
    assert intake_of(outcome.user, dose("m1", DAY, "08:00")).status == "skipped"
    assert intake_of(outcome.user, dose("m1", DAY, "08:00")).at == "2025-06-05T06:02:00+00:00"
    assert intake_of(outcome.user, dose("m2", DAY, "08:00")).status == "taken"
    [edit] = outcome.effects
    assert edit.reply.text == "Итог:\n⏭ аспирин 200 мг — пропущен\n✓ ибупрофен — принят в 08:01"
    assert outcome.user.reminders == ()


def test_snooze_moves_the_next_reminder_fifteen_minutes_ahead_and_keeps_the_buttons() -> None:
    driver = two_doses()
    outcome = press(driver.user, "z:1", at("08:10"))
    assert outcome.answer_text == "Напомню в 08:25"
    assert outcome.effects == ()
    assert outcome.user.reminders[0].repeat_at == tz.utc_iso(at("08:25"))
    driver.user = outcome.user
    assert plan(driver.user, at("08:24:59"), HOUR).effects == ()
    step = driver.step(at("08:25"))
    assert step.effects[0] == DeleteReminder(1001)
    assert sends(step.effects)[0].reply.text.startswith("Напоминаю, пора принять:")
    assert driver.user.reminders[0].repeat_at == tz.utc_iso(at("09:25"))


def test_a_press_on_a_dose_already_answered_changes_nothing() -> None:
    driver = two_doses()
    taken = press(driver.user, "t:1:m1", at("08:05"))
    again = press(taken.user, "t:1:m1", at("08:06"))
    assert again.answer_text == "Уже отмечено"
    assert again.user == taken.user and again.effects == ()


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        ("t:1:m9", "Эта кнопка больше не действует"),  # a medication not in this reminder
        ("t:7:m1", "Эта кнопка больше не действует"),  # a reminder that never existed
        ("a:1:m1", "Эта кнопка больше не действует"),
        ("c:1", "Эта кнопка больше не действует"),
        ("", "Эта кнопка больше не действует"),
        ("t:1:m1" + "0" * 70, "Эта кнопка больше не действует"),
    ],
)
def test_forged_or_malformed_data_gets_a_polite_answer_and_changes_nothing(
    data: str, answer: str
) -> None:
    driver = two_doses()
    outcome = press(driver.user, data, at("08:05"))
    assert (outcome.answer_text, outcome.user, outcome.effects) == (answer, driver.user, ())


def test_another_persons_medication_id_is_refused_even_if_it_exists_for_them() -> None:
    driver = two_doses()
    stranger = med("m3", "чужое", ("08:00",))
    user = replace(driver.user, medications=(*driver.user.medications, stranger))
    outcome = press(user, "t:1:m3", at("08:05"))
    assert outcome.answer_text == "Эта кнопка больше не действует"
    assert outcome.user == user


def test_a_press_on_a_closed_reminder_says_so() -> None:
    driver = two_doses()
    closed = press(driver.user, "a:1", at("08:05")).user
    outcome = press(closed, "s:1", at("08:06"))
    assert outcome.answer_text == "Это напоминание уже закрыто"
    assert outcome.user == closed and outcome.effects == ()


def test_english_answers() -> None:
    driver = two_doses(lang="en")
    assert press(driver.user, "t:1:m1", at("08:05")).answer_text == "Recorded: аспирин"
    assert press(driver.user, "z:1", at("08:05")).answer_text == "I'll remind you at 08:20"
    assert press(driver.user, "x", at("08:05")).answer_text == "This button is no longer valid"


# --- delivery ------------------------------------------------------------------------------------


def test_a_press_while_the_message_is_on_its_way_is_shown_once_the_id_arrives() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("08:00",)), med("m2", "ибупрофен", ("08:00",)))
    planned = plan(user, at("08:00"), HOUR).user
    on_its_way = press(planned, "t:1:m1", at("08:00:02"))  # pressed on a previous message
    assert on_its_way.effects == ()
    assert on_its_way.user.reminders[0].outdated
    delivered, effects = on_sent(on_its_way.user, 1, 555)
    [edit] = effects
    assert edit.message_id == 555
    assert edit.reply.text == "Пора принять:\n✓ аспирин — принят в 08:00\n• ибупрофен"
    assert not delivered.reminders[0].outdated and delivered.reminders[0].message_id == 555


def test_a_message_arriving_after_its_reminder_closed_is_deleted() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("08:00",)))
    planned = plan(user, at("08:00"), HOUR).user
    closed = press(planned, "a:1", at("08:00:01")).user
    assert closed.reminders == ()
    assert on_sent(closed, 1, 777) == (closed, (DeleteReminder(777),))


def test_an_older_message_of_a_reminder_is_deleted_when_a_newer_one_arrives() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("08:00",)))
    planned = plan(user, at("08:00"), HOUR).user
    repeated = plan(planned, at("09:00"), HOUR)  # the 08:00 message has not arrived yet
    assert len(sends(repeated.effects)) == 1
    late_first, effects = on_sent(repeated.user, 1, 10)
    assert effects == ()
    newest, effects = on_sent(late_first, 1, 11)
    assert effects == (DeleteReminder(10),)
    assert newest.reminders[0].message_id == 11


def test_failed_sends_back_off_to_at_most_half_an_hour() -> None:
    user = plan(person(BERLIN, med("m1", "аспирин", ("08:00",))), at("08:00"), HOUR).user
    delays = []
    now = at("08:00")
    for _ in range(8):
        user = on_send_failed(user, 1, now)
        delays.append(tz.from_iso(user.reminders[0].repeat_at) - now)
    assert [int(d.total_seconds() // 60) for d in delays] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert on_send_failed(user, 99, now) == user


# --- reconcile after a command -------------------------------------------------------------


def test_deleting_the_only_medication_of_an_open_reminder_deletes_its_message() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00",))))
    driver.step(at("08:00"))
    after = replace(driver.user, medications=())
    user, effects = reconcile(driver.user, after)
    assert effects == (DeleteReminder(1001),)
    assert user.reminders == ()
    assert plan(user, at("09:00"), HOUR).effects == ()


def test_deleting_one_medication_of_a_shared_reminder_edits_the_message() -> None:
    driver = two_doses()
    after = replace(driver.user, medications=driver.user.medications[1:])
    user, effects = reconcile(driver.user, after)
    [edit] = effects
    assert edit.reply.text == "Пора принять:\n• ибупрофен"
    assert [[b.data for b in row] for row in edit.reply.buttons] == [["t:1:m2"], ["z:1", "s:1"]]
    assert user.reminders[0].doses == (dose("m2", DAY, "08:00"),)


def test_changing_the_time_of_a_reminded_dose_takes_it_out_of_the_reminder() -> None:
    driver = two_doses()
    moved = replace(driver.user.medications[0], slots=(Slot("09:00", DAY),))
    after = replace(driver.user, medications=(moved, driver.user.medications[1]))
    user, effects = reconcile(driver.user, after)
    assert [e.reply.text for e in effects] == ["Пора принять:\n• ибупрофен"]
    step = plan(user, at("09:00"), HOUR)
    assert [send.reply.text for send in sends(step.effects)] == [
        "Напоминаю, пора принять:\n• ибупрофен — по расписанию в 08:00",
        "Пора принять:\n• аспирин 200 мг",
    ]


def test_changing_the_dose_rewrites_the_open_reminder() -> None:
    driver = two_doses()
    changed = replace(driver.user.medications[0], dosage="100 мг")
    after = replace(driver.user, medications=(changed, driver.user.medications[1]))
    user, effects = reconcile(driver.user, after)
    assert effects == (EditReminder(1, 1001, effects[0].reply),)
    assert effects[0].reply.text == "Пора принять:\n• аспирин 100 мг\n• ибупрофен"
    assert user.reminders == driver.user.reminders


def test_done_typed_as_text_updates_the_reminder_like_a_press() -> None:
    driver = two_doses()
    now = tz.utc_iso(at("08:30"))
    after = driver.user
    for item in driver.user.reminders[0].doses:  # what the apply rules do for "done"
        after = with_intake(after, Intake(item, "taken", now, "x"))
    user, effects = reconcile(driver.user, after)
    [edit] = effects
    assert edit.reply.text == (
        "Всё принято 👍\n✓ аспирин 200 мг — принят в 08:30\n✓ ибупрофен — принят в 08:30"
    )
    assert user.reminders == ()


def test_a_command_that_touches_nothing_reminded_gives_no_effects() -> None:
    driver = two_doses()
    added = med("m3", "новое", ("12:00",))
    after = replace(driver.user, medications=(*driver.user.medications, added))
    assert reconcile(driver.user, after) == (after, ())


def test_a_change_while_the_message_is_on_its_way_marks_it_outdated() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("08:00",), "200 мг"))
    planned = plan(user, at("08:00"), HOUR).user
    changed = replace(planned, medications=(replace(planned.medications[0], dosage="1 г"),))
    reconciled, effects = reconcile(planned, changed)
    assert effects == ()
    _, on_arrival = on_sent(reconciled, 1, 5)
    assert [e.reply.text for e in on_arrival] == ["Пора принять:\n• аспирин 1 г"]


def test_the_day_after_a_press_the_next_dose_is_reminded_as_usual() -> None:
    driver = two_doses()
    driver.user = press(driver.user, "a:1", at("08:05")).user
    driver.wake = plan(driver.user, at("08:05"), HOUR).next_wake
    assert driver.wake == at("20:00")
    driver.run_until(local(BERLIN, "2025-06-06 08:00"))
    texts = [send.reply.text for _, _, send in driver.chat.sent]
    assert texts[-1] == "Пора принять:\n• аспирин 200 мг\n• ибупрофен"
    assert isinstance(intake_of(driver.user, dose("m2", DAY, "20:00")), Intake)


# --- after a stop ---------------------------------------------------------------------------


def test_a_reminder_on_its_way_at_a_stop_is_sent_again_at_once_as_a_retry() -> None:
    from medbot.core.reminders import on_send_refused, resume_unsent

    start = person(
        BERLIN, med("m1", "аспирин", ("08:00",), "200 мг", start=DAY), planned_until=at("07:00").isoformat()
    )
    on_its_way = plan(start, at("08:00"), HOUR).user
    assert on_its_way.reminders[0].message_id is None
    resumed = resume_unsent(on_its_way, at("08:03"))
    assert resumed.reminders[0].failures == 1  # a retry: the repeat count stays
    step = plan(resumed, at("08:03"), HOUR)
    assert len(sends(step.effects)) == 1 and step.user.reminders[0].repeats == 0
    # Delivered, or refused by Telegram, or waiting for a retry: nothing to resume.
    delivered, _ = on_sent(on_its_way, on_its_way.reminders[0].id, 555)
    assert resume_unsent(delivered, at("08:03")) == delivered
    refused, _ = on_send_refused(on_its_way, on_its_way.reminders[0].id, at("08:01"))
    assert resume_unsent(refused, at("08:03")) == refused
    failed = on_send_failed(on_its_way, on_its_way.reminders[0].id, at("08:01"))
    assert resume_unsent(failed, at("08:03")) == failed
