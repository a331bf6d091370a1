"""Putting past doses right: which dose is meant, the limits, and what history and stats show."""

from __future__ import annotations

from datetime import timedelta

from medbot.core.apply import apply
from medbot.core.commands import MedName, PastIntake
from medbot.core.export import export_csv
from medbot.core.nlu import parse
from medbot.core.reminders import intake, with_intakes
from medbot.core.results import PastRecorded, PastUnclear
from medbot.core.stats import medication_stats
from tests.core.reminder_kit import dose, local, med, person

ZONE = "Europe/Moscow"
NOW = local(ZONE, "2026-12-07 12:00")


def family() -> object:
    return person(ZONE, med("m1", "аспирин", ("08:00", "20:00"), "100 мг"), med("m2", "конкор", ("20:00",), "5 мг"))


def said(user: object, text: str, now=NOW):  # type: ignore[no-untyped-def]
    return apply(user, parse(text).command, now)  # type: ignore[arg-type]


def status(user: object, med_id: str, day: str, time: str) -> str | None:
    return next((r.status for r in user.history if r.dose == dose(med_id, day, time)), None)  # type: ignore[attr-defined]


def test_yesterday_evening_too_marks_every_evening_dose_of_yesterday() -> None:
    outcome = said(family(), "вчера вечером тоже выпила")
    assert isinstance(outcome.result, PastRecorded) and len(outcome.result.lines) == 2
    assert status(outcome.user, "m1", "2026-12-06", "20:00") == status(outcome.user, "m2", "2026-12-06", "20:00") == "taken"
    assert status(outcome.user, "m1", "2026-12-06", "08:00") is None


def test_a_dose_recorded_taken_can_be_set_missed_and_back() -> None:
    user = family()
    user = with_intakes(user, [intake(user, dose("m2", "2026-12-06", "20:00"), "taken", local(ZONE, "2026-12-06 20:05"))])
    outcome = said(user, "я пропустил вчерашний конкор")
    assert status(outcome.user, "m2", "2026-12-06", "20:00") == "missed"
    again = said(outcome.user, "вчера вечером выпила конкор")
    assert status(again.user, "m2", "2026-12-06", "20:00") == "taken"


def test_when_it_is_not_clear_which_dose_the_person_is_asked() -> None:
    user = family()
    outcome = said(user, "вчера выпила аспирин")
    assert outcome.result == PastUnclear("which", 1, ("08:00", "20:00")) and outcome.user == user
    named = said(user, "вчера в 20:00 выпила аспирин")
    assert [(line.name, line.time) for line in named.result.lines] == [("аспирин", "20:00")]


def test_taken_at_another_time_moves_the_mark_and_the_delay_follows() -> None:
    user = family()
    outcome = said(user, "I took the morning one at 10, not 8")
    [record] = [r for r in outcome.user.history if r.dose == dose("m1", "2026-12-07", "08:00")]
    assert record.status == "taken" and record.at == "2026-12-07T07:00:00+00:00"  # 10:00 in Moscow
    stats = {s.name: s for s in medication_stats(outcome.user, NOW)}
    assert stats["аспирин"].windows[0][1].mean_delay == timedelta(hours=2)
    assert stats["аспирин"].strip[-1] == "taken"


def test_limits_a_dose_still_to_come_an_unknown_name_and_more_than_a_week() -> None:
    user = family()
    assert said(user, "сегодня вечером выпила? нет").user == user  # a question: not a record
    later = apply(user, PastIntake((), 0, "evening"), NOW)  # today's 20:00 has not come yet
    assert later.result == PastUnclear("none", 0)
    unknown = apply(user, PastIntake((MedName("нурофен", "нурофен"),), 1), NOW)
    assert unknown.result == PastUnclear("none", 1)
    assert apply(user, PastIntake((), 9), NOW).result == PastUnclear("too_old", 9)


def test_the_csv_export_shows_the_corrected_history() -> None:
    outcome = said(family(), "вчера вечером тоже выпила")
    csv = export_csv(outcome.user, outcome.user.history)
    assert "2026-12-06,20:00" in csv and "taken" in csv
