"""When caregivers are told of an unanswered dose: once, at the dose's time plus the minutes,
across regimens, daylight saving, repeats and downtime; and how it ended, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from medbot.core import tz
from medbot.core.care.escalation import ALERT_WINDOW, called, follow_up, next_alert, remind_again
from medbot.core.due import plan
from medbot.core.model import CaregiverLink, Regimen, User
from medbot.core.reminders import intake, with_intakes
from tests.core.reminder_kit import HOUR, dose, local, med, person, ruled_med

ZONE = "Europe/Moscow"
MINUTES = 60


def patient(*meds, zone: str = ZONE, since: str = "2025-01-01 00:00", **fields) -> User:
    links = (CaregiverLink(7, "Аня", tz.utc_iso(local(zone, since)), "ru"),
             CaregiverLink(8, "Bob", tz.utc_iso(local(zone, since)), "en"))
    return person(zone, *meds, name="Мама", caregivers=links, **fields)


def run(user: User, start: datetime, end: datetime, step: timedelta = timedelta(minutes=1)) -> tuple[User, list]:
    """The reminder clock and the alerts from `start` to `end`, every `step`: what a person's
    actor would do, minute by minute."""
    notes: list = []
    now = start
    while now <= end:
        user = plan(user, now, HOUR).user
        user, found = follow_up(user, now, MINUTES)
        notes.extend((now, chat, reply) for chat, reply in found)
        now += step
    return user, notes


def test_an_unanswered_dose_is_reported_to_each_caregiver_once_an_hour_after_its_time() -> None:
    user = patient(med("m1", "аспирин", ("08:00",), "100 мг"))
    assert next_alert(user, local(ZONE, "2026-12-07 07:00"), MINUTES) == local(ZONE, "2026-12-07 09:00")
    user, notes = run(user, local(ZONE, "2026-12-07 07:58"), local(ZONE, "2026-12-07 12:00"))
    assert [(when, chat) for when, chat, _ in notes] == [(local(ZONE, "2026-12-07 09:00"), 7),
                                                        (local(ZONE, "2026-12-07 09:00"), 8)]
    ru, en = notes[0][2], notes[1][2]
    assert "Мама" in ru.text and "аспирин 100 мг" in ru.text and "08:00" in ru.text
    assert "has not marked" in en.text and "08:00" in en.text  # each caregiver in their own language
    assert {button.data for row in ru.buttons for button in row} == {"g:42:r:202612070800", "g:42:k:202612070800"}
    assert next_alert(user, local(ZONE, "2026-12-07 12:00"), MINUTES) == local(ZONE, "2026-12-08 09:00")


def test_a_dose_taken_in_time_is_never_reported() -> None:
    user = patient(med("m1", "аспирин", ("08:00",)))
    user = with_intakes(user, [intake(user, dose("m1", "2026-12-07", "08:00"), "taken", local(ZONE, "2026-12-07 08:40"))])
    _, notes = run(user, local(ZONE, "2026-12-07 08:41"), local(ZONE, "2026-12-07 23:00"), timedelta(minutes=7))
    assert notes == []


def test_a_dose_taken_after_the_alert_is_reported_as_taken_once() -> None:
    user = patient(med("m1", "аспирин", ("08:00",)))
    user, notes = run(user, local(ZONE, "2026-12-07 08:00"), local(ZONE, "2026-12-07 09:30"))
    assert len(notes) == 2
    user = with_intakes(user, [intake(user, dose("m1", "2026-12-07", "08:00"), "taken", local(ZONE, "2026-12-07 09:40"))])
    user, later = run(user, local(ZONE, "2026-12-07 09:41"), local(ZONE, "2026-12-07 10:30"))
    assert sorted(chat for _, chat, _ in later) == [7, 8]
    assert all("09:40" in reply.text for _, _, reply in later)


def test_the_patients_own_minutes_win_over_the_setting() -> None:
    user = patient(med("m1", "аспирин", ("08:00",)), caregiver_minutes=30)
    assert next_alert(user, local(ZONE, "2026-12-07 07:00"), MINUTES) == local(ZONE, "2026-12-07 08:30")


@pytest.mark.parametrize(("zone", "day", "time", "alert"), [
    ("Europe/Berlin", "2026-03-29", "01:30", "2026-03-29 03:30"),  # the clock jumps 02:00 → 03:00
    ("Europe/Berlin", "2026-10-25", "02:30", "2026-10-25 02:30"),  # 02:30 comes twice: an hour later is the second
    ("Europe/Berlin", "2026-03-29", "08:00", "2026-03-29 09:00"),
    ("America/New_York", "2026-11-01", "00:30", "2026-11-01 01:30"),
])
def test_an_alert_comes_a_real_hour_after_the_dose_across_daylight_saving(zone: str, day: str, time: str,
                                                                            alert: str) -> None:
    user = patient(med("m1", "аспирин", (time,)), zone=zone)
    due = tz.to_instant(zone, datetime.fromisoformat(day).date(), time)
    found = next_alert(user, due - timedelta(minutes=5), MINUTES)
    assert found == due + timedelta(hours=1)
    assert tz.hhmm(tz.local_datetime(zone, found)) == alert[-5:]


def test_a_weekly_drug_is_reported_only_on_its_day_and_as_needed_never() -> None:
    weekly = ruled_med(Regimen(kind="weekdays", weekdays=(0,)), ("09:00",), med_id="m1", name="метотрексат")
    rescue = ruled_med(Regimen(kind="as_needed"), (), med_id="m2", name="нурофен")
    user = patient(weekly, rescue)
    _, notes = run(user, local(ZONE, "2026-12-08 00:00"), local(ZONE, "2026-12-13 23:00"), timedelta(minutes=30))
    assert notes == []  # Tuesday to Sunday: nothing due
    assert next_alert(user, local(ZONE, "2026-12-13 23:00"), MINUTES) == local(ZONE, "2026-12-14 10:00")
    _, notes = run(user, local(ZONE, "2026-12-14 08:59"), local(ZONE, "2026-12-14 11:00"))
    assert len(notes) == 2 and "метотрексат" in notes[0][2].text


def test_repeats_of_the_reminder_never_repeat_the_alert() -> None:
    user = patient(med("m1", "аспирин", ("08:00", "20:00"), start="2026-12-07"))
    user, notes = run(user, local(ZONE, "2026-12-07 07:55"), local(ZONE, "2026-12-07 23:59"), timedelta(minutes=5))
    assert [tz.hhmm(tz.local_datetime(ZONE, when)) for when, chat, _ in notes if chat == 7] == ["09:00", "21:00"]


def test_doses_due_together_share_one_alert_and_a_missed_one_is_still_reported() -> None:
    # every 30 min from 08:00: the 08:00 dose ends (missed) at 08:30, before its alert at 09:00
    user = patient(med("m1", "аспирин", ("08:00", "08:30")), med("m2", "конкор", ("08:00",)))
    user, notes = run(user, local(ZONE, "2026-12-07 07:59"), local(ZONE, "2026-12-07 09:01"))
    first = [reply for when, chat, reply in notes if chat == 7 and when == local(ZONE, "2026-12-07 09:00")]
    assert len(first) == 1 and "аспирин" in first[0].text and "конкор" in first[0].text


def test_a_caregiver_is_told_only_of_doses_after_they_joined_and_not_while_blocked() -> None:
    user = patient(med("m1", "аспирин", ("08:00",)), since="2026-12-07 09:30")
    _, notes = run(user, local(ZONE, "2026-12-07 08:00"), local(ZONE, "2026-12-07 10:00"))
    assert notes == []
    user = patient(med("m1", "аспирин", ("08:00",)))
    user = replace(user, caregivers=(replace(user.caregivers[0], blocked=True), user.caregivers[1]))
    _, notes = run(user, local(ZONE, "2026-12-07 08:00"), local(ZONE, "2026-12-07 10:00"))
    assert [chat for _, chat, _ in notes] == [8]


def test_after_long_downtime_stale_alerts_are_not_sent_but_recent_ones_are() -> None:
    user = patient(med("m1", "аспирин", ("08:00", "21:00")))
    now = local(ZONE, "2026-12-07 22:30")  # down since before 08:00: the 08:00 alert is 13.5 h old
    assert now - local(ZONE, "2026-12-07 09:00") > ALERT_WINDOW
    user = plan(user, now, HOUR).user
    user, notes = follow_up(user, now, MINUTES)
    assert {reply.text.count("21:00") for _, reply in notes} == {1} and len(notes) == 2
    user, again = follow_up(user, now + timedelta(minutes=1), MINUTES)
    assert again == []


def test_without_caregivers_nothing_is_planned() -> None:
    user = person(ZONE, med("m1", "аспирин", ("08:00",)))
    assert next_alert(user, local(ZONE, "2026-12-07 07:00"), MINUTES) is None
    assert follow_up(user, local(ZONE, "2026-12-07 10:00"), MINUTES) == (user, [])


def test_remind_again_sends_the_open_reminder_now_and_says_when_there_is_none() -> None:
    user = patient(med("m1", "аспирин", ("08:00",)))
    user, _ = run(user, local(ZONE, "2026-12-07 08:00"), local(ZONE, "2026-12-07 09:00"))
    now = local(ZONE, "2026-12-07 09:10")
    again, status = remind_again(user, "2026-12-07 08:00", now)
    assert status == "sent"
    repeated = plan(again, now, HOUR)
    assert len([e for e in repeated.effects if type(e).__name__ == "SendReminder"]) == 1
    taken = with_intakes(user, [intake(user, dose("m1", "2026-12-07", "08:00"), "taken", now)])
    assert remind_again(taken, "2026-12-07 08:00", now) == (taken, "answered")
    assert remind_again(user, "2026-12-06 08:00", now)[1] == "closed"


def test_i_called_is_recorded_once_and_names_the_others_to_tell() -> None:
    user = patient(med("m1", "аспирин", ("08:00",)))
    user, _ = run(user, local(ZONE, "2026-12-07 08:00"), local(ZONE, "2026-12-07 09:00"))
    user, others = called(user, "2026-12-07 08:00", 7)
    assert others == [8] and all(item.called_by == 7 for item in user.escalations)
    assert called(user, "2026-12-07 08:00", 8) == (user, [])
    assert called(user, "2026-12-07 20:00", 7)[1] == []
