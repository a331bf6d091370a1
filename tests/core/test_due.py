"""The reminder clock: what `plan` sends, repeats and closes, and when `next_wake` says to look."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbot.core import tz
from medbot.core.doses import doses_on, intake_of
from medbot.core.due import LATE_AFTER, dose_end, due_at, next_wake, plan
from medbot.core.effects import DeleteReminder, EditReminder, SendReminder
from medbot.core.model import Intake, User, user_from_json, user_to_json
from medbot.core.reminders import on_send_failed, press
from tests.core.reminder_kit import HOUR, Driver, deletes, dose, edits, local, med, person, sends

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
DAY = "2025-06-05"


def at(when: str, zone: str = BERLIN) -> datetime:
    return local(zone, f"{DAY} {when}" if len(when) <= 8 else when)


def only_send(effects: tuple) -> SendReminder:
    [send] = sends(effects)
    return send


# --- exact minute, grouping ----------------------------------------------------------------


def test_a_dose_is_sent_at_its_exact_minute_and_not_a_second_before() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00",), "200 мг")))
    early = driver.step(at("07:59:59"))
    assert early.effects == ()
    assert early.next_wake == at("08:00")

    on_time = driver.step(at("08:00"))
    send = only_send(on_time.effects)
    assert send.reply.text == "Пора принять:\n• аспирин 200 мг"
    [reminder] = on_time.user.reminders
    assert reminder.doses == (dose("m1", DAY, "08:00"),)
    assert reminder.sent_at == "2025-06-05T06:00:00+00:00"
    assert reminder.repeat_at == "2025-06-05T07:00:00+00:00"
    assert reminder.message_id is None and not reminder.late
    assert on_time.user.next_reminder == 2
    assert on_time.next_wake == at("09:00")


def test_doses_due_at_the_same_minute_share_one_message_and_the_next_minute_gets_its_own() -> None:
    driver = Driver(
        person(
            BERLIN,
            med("m1", "аспирин", ("08:00",), "200 мг"),
            med("m2", "ибупрофен", ("08:00",)),
            med("m3", "витамин D", ("08:01",)),
        )
    )
    first = driver.step(at("08:00"))
    send = only_send(first.effects)
    assert send.reply.text == "Пора принять:\n• аспирин 200 мг\n• ибупрофен"
    assert [[b.data for b in row] for row in send.reply.buttons] == [
        ["t:1:m1"],
        ["t:1:m2"],
        ["a:1"],
        ["z:1", "s:1"],
    ]
    assert first.next_wake == at("08:01")
    second = only_send(driver.step(at("08:01")).effects)
    assert second.reminder_id == 2
    assert second.reply.text == "Пора принять:\n• витамин D"
    assert [[b.data for b in row] for row in second.reply.buttons] == [["t:2:m3"], ["z:2", "s:2"]]


def test_a_dose_found_within_the_grace_is_on_time_and_after_it_late() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("08:00",)))
    slightly = plan(user, at("08:00") + LATE_AFTER, HOUR)
    assert not slightly.user.reminders[0].late
    assert only_send(slightly.effects).reply.text == "Пора принять:\n• аспирин"
    later = plan(user, at("08:00") + LATE_AFTER + timedelta(seconds=1), HOUR)
    assert later.user.reminders[0].late
    assert only_send(later.effects).reply.text == (
        "Напоминание с опозданием — пора принять:\n• аспирин — по расписанию в 08:00"
    )


def test_plan_twice_at_the_same_instant_does_nothing_the_second_time() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("08:00",)))
    first = plan(user, at("08:00"), HOUR)
    again = plan(first.user, at("08:00"), HOUR)
    assert again.effects == ()
    assert again.user.reminders == first.user.reminders


def test_nothing_scheduled_means_no_wake() -> None:
    assert next_wake(person(BERLIN), at("08:00"), HOUR) is None
    assert plan(person(BERLIN), at("08:00"), HOUR).next_wake is None


def test_a_slot_starting_next_week_wakes_the_person_exactly_then() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("09:15",), start="2025-06-12"))
    assert next_wake(user, at("08:00"), HOUR) == local(BERLIN, "2025-06-12 09:15")


# --- repeats ------------------------------------------------------------------------------


def test_an_unanswered_reminder_is_repeated_as_a_new_message_and_the_old_one_deleted() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00",), "200 мг")))
    driver.step(at("08:00"))
    assert list(driver.chat.live) == [1001]
    quiet = driver.step(at("08:59"))
    assert quiet.effects == () and quiet.next_wake == at("09:00")

    repeat = driver.step(at("09:00"))
    assert repeat.effects[0] == DeleteReminder(1001)
    send = repeat.effects[1]
    assert isinstance(send, SendReminder) and send.reminder_id == 1
    assert send.reply.text == "Напоминаю, пора принять:\n• аспирин 200 мг — по расписанию в 08:00"
    assert [[b.data for b in row] for row in send.reply.buttons] == [["t:1:m1"], ["z:1", "s:1"]]
    assert driver.chat.live == {1002: send.reply.text}
    [reminder] = driver.user.reminders
    assert (reminder.repeats, reminder.message_id) == (1, 1002)
    assert reminder.repeat_at == tz.utc_iso(at("10:00"))


def test_a_repeat_carries_only_the_doses_still_open() -> None:
    driver = Driver(
        person(BERLIN, med("m1", "аспирин", ("08:00",)), med("m2", "ибупрофен", ("08:00",)))
    )
    driver.step(at("08:00"))
    outcome = press(driver.user, "t:1:m1", at("08:10"))
    driver.user = outcome.user
    driver.apply(at("08:10"), outcome.effects)
    send = only_send(driver.step(at("09:00")).effects)
    assert send.reply.text == "Напоминаю, пора принять:\n• ибупрофен — по расписанию в 08:00"
    assert driver.user.reminders[0].doses == (dose("m2", DAY, "08:00"),)


def test_a_message_never_confirmed_is_repeated_without_a_delete() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00",))))
    driver.step(at("08:00"), deliver=False)
    repeat = driver.step(at("09:00"))
    assert deletes(repeat.effects) == []
    assert only_send(repeat.effects).reply.text.startswith("Напоминаю")


def test_a_failed_send_is_retried_soon_and_not_counted_as_a_repeat() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00",))))
    driver.step(at("08:00"), deliver=False)
    driver.user = on_send_failed(driver.user, 1, at("08:00:05"))
    assert next_wake(driver.user, at("08:00:05"), HOUR) == at("08:01:05")
    retry = driver.step(at("08:01:05"), deliver=False)
    assert only_send(retry.effects).reply.text == "Пора принять:\n• аспирин"
    driver.user = on_send_failed(driver.user, 1, at("08:01:10"))
    assert driver.user.reminders[0].repeat_at == tz.utc_iso(at("08:03:10"))
    driver.step(at("08:03:10"))
    [reminder] = driver.user.reminders
    assert (reminder.repeats, reminder.failures, reminder.message_id) == (0, 0, 1003)
    assert reminder.repeat_at == tz.utc_iso(at("09:03:10"))


# --- the next-dose rule and the end-of-day rule ------------------------------------------------


def test_the_next_dose_of_the_same_medication_closes_the_earlier_one_as_missed() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00", "10:00"))))
    driver.step(at("08:00"))
    driver.run_until(at("09:59"))
    assert [entry[0] for entry in driver.steps] == [at("08:00"), at("09:00")]
    assert driver.wake == at("10:00")

    step = driver.step(at("10:00"))
    assert step.effects[0] == DeleteReminder(1002)
    send = only_send(step.effects)
    assert (send.reminder_id, send.reply.text) == (2, "Пора принять:\n• аспирин")
    assert intake_of(driver.user, dose("m1", DAY, "08:00")) == Intake(
        dose("m1", DAY, "08:00"), "missed", None, "аспирин"
    )
    assert [r.id for r in driver.user.reminders] == [2]
    assert list(driver.chat.live) == [1003]


def test_the_next_dose_rule_edits_a_message_that_still_has_other_open_doses() -> None:
    driver = Driver(
        person(
            BERLIN, med("m1", "аспирин", ("08:00", "10:00")), med("m2", "ибупрофен", ("08:00",))
        ),
        repeat=timedelta(minutes=90),
    )
    driver.step(at("08:00"))
    driver.run_until(at("09:59"))
    step = driver.step(at("10:00"))
    [edit] = edits(step.effects)
    assert edit.message_id == 1002
    assert edit.reply.text == "Напоминаю, пора принять:\n• ибупрофен — по расписанию в 08:00"
    assert only_send(step.effects).reply.text == "Пора принять:\n• аспирин"
    assert intake_of(driver.user, dose("m1", DAY, "08:00")).status == "missed"
    assert intake_of(driver.user, dose("m2", DAY, "08:00")) is None


def test_at_the_end_of_the_day_an_unanswered_dose_is_missed_and_its_buttons_go() -> None:
    driver = Driver(person(BERLIN, med("m1", "витамин", ("21:00",))))
    driver.step(at("21:00"))
    driver.run_until(at("23:59"))
    assert [entry[0] for entry in driver.steps] == [at("21:00"), at("22:00"), at("23:00")]
    assert driver.wake == local(BERLIN, "2025-06-06 00:00")

    step = driver.step(driver.wake)
    assert step.effects == (EditReminder(1, 1003, step.effects[0].reply),)
    assert step.effects[0].reply.text == "Итог:\n❌ витамин — не принят"
    assert step.effects[0].reply.buttons == ()
    assert driver.user.reminders == ()
    assert intake_of(driver.user, dose("m1", DAY, "21:00")).status == "missed"
    assert step.next_wake == local(BERLIN, "2025-06-06 21:00")


def test_a_late_evening_dose_gets_one_full_interval_past_midnight() -> None:
    user = person(BERLIN, med("m1", "витамин", ("23:30",)))
    assert dose_end(user, dose("m1", DAY, "23:30"), HOUR).at == local(BERLIN, "2025-06-06 00:30")
    driver = Driver(user)
    driver.step(at("23:30"))
    assert driver.wake == local(BERLIN, "2025-06-06 00:30")
    step = driver.step(driver.wake)
    assert sends(step.effects) == []
    assert [e.reply.text for e in edits(step.effects)] == ["Итог:\n❌ витамин — не принят"]


# --- catch-up after downtime, restarts ------------------------------------------------------------


def outage_user() -> User:
    return person(
        BERLIN,
        med("m1", "аспирин", ("07:00", "11:00")),
        med("m2", "ибупрофен", ("08:00",)),
        med("m3", "витамин", ("10:00",)),
        med("m4", "магний", ("08:00",)),
        med("m5", "омега", ("13:30",)),
    )


def test_catch_up_after_a_five_hour_outage_sends_late_doses_once_and_on_time_ones_on_time() -> None:
    driver = Driver(outage_user())
    driver.step(at("06:00"))
    driver.run_until(at("08:00"))
    taken = press(driver.user, "t:2:m4", at("08:10"))
    driver.user = taken.user
    driver.apply(at("08:10"), taken.effects)
    assert driver.wake == at("09:00")

    # The bot is down from 08:30 to 13:30: the 09:00 repeat, 10:00 and 11:00 doses pass unseen.
    restart = driver.step(at("13:30"))
    assert restart.effects[:3] == (
        DeleteReminder(1002),  # the 07:00 aspirin: its 11:00 dose came, so it was missed
        DeleteReminder(1003),  # the 08:00 ibuprofen message is repeated...
        SendReminder(2, restart.effects[2].reply),  # ...as a new message, with ibuprofen only
    )
    assert restart.effects[2].reply.text == (
        "Напоминаю, пора принять:\n• ибупрофен — по расписанию в 08:00"
    )
    late, on_time = sends(restart.effects)[1:]
    assert late.reply.text == (
        "Напоминание с опозданием — пора принять:\n"
        "• витамин — по расписанию в 10:00\n• аспирин — по расписанию в 11:00"
    )
    assert on_time.reply.text == "Пора принять:\n• омега"
    assert len(restart.effects) == 5
    assert intake_of(driver.user, dose("m1", DAY, "07:00")).status == "missed"
    assert intake_of(driver.user, dose("m4", DAY, "08:00")).status == "taken"

    driver.run_until(local(BERLIN, "2025-06-06 06:00"))
    today = doses_on(driver.user, date(2025, 6, 5))
    assert all(len(driver.first_sent[item]) == 1 for item in today), driver.first_sent
    assert driver.first_sent[dose("m5", DAY, "13:30")] == [at("13:30")]
    assert all(intake_of(driver.user, item) is not None for item in today)


def test_a_crash_after_persisting_a_plan_never_sends_a_dose_twice() -> None:
    driver = Driver(outage_user())
    crashed = driver.step(at("13:30"), deliver=False)  # persisted, then the process died
    assert len(sends(crashed.effects)) == 2  # the day's late doses, and 13:30 on time
    restored = user_from_json(json.loads(json.dumps(user_to_json(driver.user))))
    after = plan(restored, at("13:31"), HOUR)
    assert after.effects == ()
    assert after.next_wake == at("14:30")
    repeat = plan(after.user, at("14:30"), HOUR)
    assert deletes(repeat.effects) == []
    assert [s.reminder_id for s in sends(repeat.effects)] == [1, 2]
    assert all(s.reply.text.startswith("Напоминаю, пора принять:") for s in sends(repeat.effects))


def test_a_restart_in_the_middle_of_repeats_neither_duplicates_nor_skips_one() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00",))))
    driver.step(at("08:00"))
    driver.step(at("09:00"))
    restored = user_from_json(json.loads(json.dumps(user_to_json(driver.user))))
    assert restored == driver.user

    restarted = Driver(restored, chat=driver.chat)
    assert restarted.step(at("09:20")).effects == ()
    assert restarted.wake == at("10:00")
    repeat = restarted.step(at("10:00"))
    assert repeat.effects[0] == DeleteReminder(1002)
    assert restarted.user.reminders[0].repeats == 2
    assert list(restarted.chat.live) == [1003]


def test_doses_of_earlier_days_left_open_by_a_long_outage_are_recorded_missed_silently() -> None:
    user = person(BERLIN, med("m1", "аспирин", ("08:00", "20:00"), start=DAY))
    first = plan(user, at("07:00"), HOUR)
    back = plan(first.user, local(BERLIN, "2025-06-09 07:00"), HOUR)
    assert back.effects == ()
    missed = [r.dose for r in back.user.history if r.status == "missed"]
    expected = [d for day in range(5, 9) for d in doses_on(user, date(2025, 6, day))]
    assert sorted(missed) == sorted(expected)


# --- DST -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "gap_time", "instant"),
    [
        (BERLIN, "2025-03-30", "02:30", "2025-03-30T01:00:00+00:00"),
        (NEW_YORK, "2025-03-09", "02:30", "2025-03-09T07:00:00+00:00"),
    ],
)
def test_spring_forward_a_dose_inside_the_gap_comes_once_at_the_end_of_the_gap(
    zone: str, day: str, gap_time: str, instant: str
) -> None:
    driver = Driver(
        person(zone, med("m1", "аспирин", (gap_time,)), med("m2", "ибупрофен", ("03:00",)))
    )
    driver.step(local(zone, f"{day} 00:00"))
    assert driver.wake == tz.from_iso(instant)
    step = driver.step(driver.wake)
    assert only_send(step.effects).reply.text == "Пора принять:\n• аспирин\n• ибупрофен"
    driver.run_until(local(zone, f"{day} 23:59"))
    assert driver.first_sent == {
        dose("m1", day, gap_time): [tz.from_iso(instant)],
        dose("m2", day, "03:00"): [tz.from_iso(instant)],
    }


@pytest.mark.parametrize(
    ("zone", "day", "time", "first", "second"),
    [
        (BERLIN, "2025-10-26", "02:30", "2025-10-26T00:30:00+00:00", "2025-10-26T01:30:00+00:00"),
        (NEW_YORK, "2025-11-02", "01:30", "2025-11-02T05:30:00+00:00", "2025-11-02T06:30:00+00:00"),
    ],
)
def test_fall_back_a_repeated_time_is_sent_at_its_first_occurrence_only(
    zone: str, day: str, time: str, first: str, second: str
) -> None:
    driver = Driver(person(zone, med("m1", "аспирин", (time,))))
    driver.step(local(zone, f"{day} 00:00"))
    assert driver.wake == tz.from_iso(first)
    driver.run_until(local(zone, f"{day} 23:59"))
    assert driver.first_sent == {dose("m1", day, time): [tz.from_iso(first)]}
    # At the second occurrence of the wall time the reminder is only repeated (its hour is up).
    second_step = next(result for when, result in driver.steps if when == tz.from_iso(second))
    assert second_step.user.reminders[0].repeats == 1


# --- far-flung zones -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "midnight", "before_midnight"),
    [
        ("Pacific/Kiritimati", "2025-06-04T10:00:00+00:00", "2025-06-05T09:59:00+00:00"),
        ("Pacific/Pago_Pago", "2025-06-05T11:00:00+00:00", "2025-06-06T10:59:00+00:00"),
    ],
)
def test_utc_plus_14_and_minus_11_doses_at_midnight_and_23_59(
    zone: str, midnight: str, before_midnight: str
) -> None:
    driver = Driver(
        person(
            zone,
            med("m1", "аспирин", ("00:00",), start=DAY),
            med("m2", "магний", ("23:59",), start=DAY),
        )
    )
    driver.step(local(zone, "2025-06-04 23:00"))
    driver.run_until(local(zone, "2025-06-06 02:00"))
    assert driver.first_sent[dose("m1", DAY, "00:00")] == [tz.from_iso(midnight)]
    assert driver.first_sent[dose("m2", DAY, "23:59")] == [tz.from_iso(before_midnight)]
    late_one = dose("m2", DAY, "23:59")
    assert dose_end(driver.user, late_one, HOUR).at == tz.from_iso(before_midnight) + HOUR
    assert intake_of(driver.user, late_one).status == "missed"
    # The 23:59 dose got its full hour and no repeat: its end and its repeat are the same instant.
    magnesium = [when for when, _, send in driver.chat.sent if "магний" in send.reply.text]
    assert magnesium == [tz.from_iso(before_midnight)]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_a_23_59_dose_is_closed_a_minute_later_by_the_next_midnight_dose(zone: str) -> None:
    driver = Driver(person(zone, med("m1", "аспирин", ("00:00", "23:59"), start=DAY)))
    driver.step(local(zone, f"{DAY} 23:00"))
    driver.step(local(zone, f"{DAY} 23:59"))
    midnight = driver.step(local(zone, "2025-06-06 00:00"))
    assert midnight.effects[0] == DeleteReminder(driver.chat.deleted[-1])
    assert only_send(midnight.effects).reply.text == "Пора принять:\n• аспирин"
    assert intake_of(driver.user, dose("m1", DAY, "23:59")).status == "missed"


# --- time-zone change ----------------------------------------------------------------------------


def test_moving_west_after_a_dose_was_taken_does_not_send_it_again() -> None:
    driver = Driver(person(BERLIN, med("m1", "аспирин", ("08:00", "20:00"))))
    driver.step(at("08:00"))
    outcome = press(driver.user, "t:1:m1", at("08:05"))
    driver.user = outcome.user
    driver.user = replace(driver.user, tz=NEW_YORK)  # at 12:00 in Berlin it is 06:00 in New York
    step = driver.step(at("12:00"))
    assert step.effects == ()
    assert step.next_wake == local(NEW_YORK, f"{DAY} 20:00")
    driver.run_until(local(NEW_YORK, f"{DAY} 20:00"))
    assert driver.first_sent == {
        dose("m1", DAY, "08:00"): [at("08:00")],
        dose("m1", DAY, "20:00"): [local(NEW_YORK, f"{DAY} 20:00")],
    }


def test_moving_east_past_a_dose_time_sends_it_at_once_marked_late() -> None:
    user = person(NEW_YORK, med("m1", "аспирин", ("08:00", "20:00")))
    before = plan(user, local(NEW_YORK, f"{DAY} 07:00"), HOUR)
    assert before.effects == ()
    moved = replace(before.user, tz=BERLIN)  # 07:00 in New York is 13:00 in Berlin
    assert next_wake(moved, at("13:00"), HOUR) == at("13:00")
    step = plan(moved, at("13:00"), HOUR)
    send = only_send(step.effects)
    assert send.reply.text == (
        "Напоминание с опозданием — пора принять:\n• аспирин — по расписанию в 08:00"
    )
    assert step.next_wake == at("14:00")


# --- unreachable people --------------------------------------------------------------------------


def test_a_blocked_person_gets_nothing_but_doses_still_end_and_writing_again_resumes() -> None:
    user = person(
        BERLIN,
        med("m1", "аспирин", ("08:00", "20:00"), start=DAY),
        med("m2", "магний", ("09:00",), start=DAY),
    )
    driver = Driver(user)
    driver.step(at("08:00"))
    driver.user = replace(driver.user, unreachable=True)  # the send at 08:00 answered 403
    driver.wake = next_wake(driver.user, at("08:00:01"), HOUR)
    assert driver.wake == at("20:00")  # no dose is due for them, only the 08:00 dose's end

    driver.run_until(local(BERLIN, "2025-06-06 00:30"))
    assert all(result.effects == () for _, result in driver.steps[1:])
    midnight = local(BERLIN, "2025-06-06 00:00")
    assert [when for when, _ in driver.steps[1:]] == [at("20:00"), midnight]
    assert {r.dose: r.status for r in driver.user.history} == {
        dose("m1", DAY, "08:00"): "missed",
        dose("m2", DAY, "09:00"): "missed",
        dose("m1", DAY, "20:00"): "missed",
    }

    driver.step(local(BERLIN, "2025-06-06 10:00"))  # still blocked: nothing
    assert driver.steps[-1][1].effects == ()
    driver.user = replace(driver.user, unreachable=False)  # they wrote again
    back = driver.step(local(BERLIN, "2025-06-06 10:00"))
    assert only_send(back.effects).reply.text == (
        "Напоминание с опозданием — пора принять:\n"
        "• аспирин — по расписанию в 08:00\n• магний — по расписанию в 09:00"
    )


# --- the wake-to-wake property -------------------------------------------------------------

ZONES = [
    BERLIN,
    NEW_YORK,
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kolkata",
    "+05:45",
    "-03:30",
]
DAYS = [
    "2025-03-08",
    "2025-03-29",
    "2025-04-05",
    "2025-06-05",
    "2025-10-04",
    "2025-10-25",
    "2025-11-01",
]
TIMES = st.one_of(
    st.sampled_from(["00:00", "00:30", "01:30", "02:00", "02:30", "03:00", "23:30", "23:59"]),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
)


@st.composite
def schedules(draw: st.DrawFn) -> tuple[User, datetime, timedelta]:
    zone = draw(st.sampled_from(ZONES))
    first = date.fromisoformat(draw(st.sampled_from(DAYS)))
    meds = []
    for index in range(1, draw(st.integers(1, 3)) + 1):
        times = sorted(draw(st.sets(TIMES, min_size=1, max_size=3)))
        start = first + timedelta(days=draw(st.integers(0, 1)))
        meds.append(med(f"m{index}", f"лекарство {index}", tuple(times), start=start.isoformat()))
    repeat = timedelta(minutes=draw(st.sampled_from([15, 60, 90, 240])))
    start = tz.day_start(zone, first) - timedelta(minutes=draw(st.integers(1, 600)))
    return person(zone, *meds), start, repeat


PRESSES = st.lists(st.sampled_from(["none", "taken", "all", "skip", "snooze"]), max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), PRESSES)
def test_stepping_from_wake_to_wake_sends_every_dose_once_at_its_instant(
    schedule: tuple[User, datetime, timedelta], presses: list[str]
) -> None:
    user, start, repeat = schedule
    driver = Driver(user, repeat=repeat)
    driver.step(start)
    end = start + timedelta(days=3)
    actions = iter(presses)
    while driver.wake is not None and driver.wake <= end:
        previous = driver.steps[-1][0]
        wake = driver.wake
        assert wake > previous, "next_wake must lie in the future"
        probe = plan(driver.user, previous + (wake - previous) / 2, repeat)
        assert probe.effects == (), "plan acted between two wakes"
        assert probe.next_wake == wake
        driver.step(wake)
        action = next(actions, "none")
        if driver.user.reminders and action != "none":
            reminder = driver.user.reminders[0]
            data = {
                "taken": f"t:{reminder.id}:{reminder.doses[0].med_id}",
                "all": f"a:{reminder.id}",
                "skip": f"s:{reminder.id}",
                "snooze": f"z:{reminder.id}",
            }[action]
            pressed_at = wake + timedelta(seconds=20)
            if driver.wake is None or pressed_at < driver.wake:
                outcome = press(driver.user, data, pressed_at)
                driver.user = outcome.user
                driver.apply(pressed_at, outcome.effects)
                driver.steps.append((pressed_at, driver.steps[-1][1]))
                driver.wake = next_wake(driver.user, pressed_at, repeat)

    for item, instants in driver.first_sent.items():
        assert instants == [due_at(driver.user, item)], (item, instants)
    closed_days = [
        day
        for offset in range(4)
        if tz.day_end(user.tz, day := tz.local_date(user.tz, start) + timedelta(days=offset))
        + repeat
        <= end
    ]
    for day in closed_days:
        for item in doses_on(user, day):
            if due_at(user, item) > start:
                assert driver.first_sent.get(item) == [due_at(user, item)], item
                assert intake_of(driver.user, item) is not None, item
    assert len({r.dose for r in driver.user.history}) == len(driver.user.history)
