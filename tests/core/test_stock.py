"""Pills in hand: what a dose uses, how many days are left by the regimen, counting doses off,
and refill warnings at 7, 3 and 1 days, each once."""

from __future__ import annotations

from datetime import date

import pytest

from medbot.core.apply import apply
from medbot.core.commands import MedName, StockChange, StockQuery
from medbot.core.model import DoseStep, Regimen
from medbot.core.reminders import intake, with_intakes
from medbot.core.results import StockReport, StockSet
from medbot.core.stock import after_intakes, days_left, units_per_dose, with_stock
from tests.core.reminder_kit import dose, local, med, person, ruled_med

ZONE = "Europe/Moscow"
TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(("dosage", "units"), [
    (None, 1), ("200 мг", 1), ("2 таблетки", 2), ("1 таблетка", 1), ("0,5 таблетки", 0.5), ("½ таблетки", 0.5),
    ("полтаблетки", 0.5), ("половина таблетки", 0.5), ("четверть таблетки", 0.25), ("2 капсулы", 2), ("10 капель", 10),
    ("5 мл", 5), ("8 ед", 8), ("12 units", 12), ("2 tablets", 2), ("1.5 tabs", 1.5), ("20 drops", 20), ("1000 IU", 1000),
    ("5 mg", 1), ("1 пакетик", 1), ("2 puffs", 2), ("75 мкг", 1),
])
def test_what_one_dose_uses(dosage: str | None, units: float) -> None:
    assert units_per_dose(dosage) == units


def test_days_left_follow_the_regimen() -> None:
    twice = med("m1", "аспирин", ("08:00", "20:00"), "1 таблетка")
    user = with_stock(person(ZONE, twice), twice, 28, TODAY)
    assert days_left(user, user.medication("m1"), TODAY) == 13  # today's two, then 13 days of two
    weekly = ruled_med(Regimen(kind="weekdays", weekdays=(0,)), ("09:00",), med_id="m1", name="метотрексат",
                       dosage="4 таблетки")
    user = with_stock(person(ZONE, weekly), weekly, 12, TODAY)
    assert days_left(user, user.medication("m1"), TODAY) == 20  # today's 4, then two more Mondays: to the 27th
    other = ruled_med(Regimen(kind="every_n_days", interval=2, anchor="2026-12-07"), ("09:00",), name="x")
    user = with_stock(person(ZONE, other), other, 5, TODAY)
    assert days_left(user, user.medication("m1"), TODAY) == 9
    rescue = ruled_med(Regimen(kind="as_needed"), (), name="нурофен")
    user = with_stock(person(ZONE, rescue), rescue, 20, TODAY)
    assert days_left(user, user.medication("m1"), TODAY) is None  # counted, never warned about
    taper = ruled_med(dosage="2 таблетки", steps=(DoseStep("2026-12-21", "1 таблетка"),), name="преднизолон")
    user = with_stock(person(ZONE, taper), taper, 30, TODAY)
    assert days_left(user, user.medication("m1"), TODAY) == 15  # 2 a day to the 20th, then 1 a day


def test_a_taken_dose_is_counted_off_fractions_too() -> None:
    half = med("m1", "варфарин", ("18:00",), "полтаблетки")
    user = with_stock(person(ZONE, half), half, 30, TODAY)
    taken = with_intakes(user, [intake(user, dose("m1", "2026-12-07", "18:00"), "taken", local(ZONE, "2026-12-07 18:05"))])
    after, warnings = after_intakes(user, taken, TODAY)
    assert after.medication("m1").stock == 29.5 and warnings == []
    again, _ = after_intakes(after, after, TODAY)  # the same intake is never counted twice
    assert again.medication("m1").stock == 29.5


def test_skipped_and_missed_doses_are_not_counted_off() -> None:
    pill = med("m1", "аспирин", ("08:00",), "1 таблетка")
    user = with_stock(person(ZONE, pill), pill, 30, TODAY)
    skipped = with_intakes(user, [intake(user, dose("m1", "2026-12-07", "08:00"), "skipped", None)])
    assert after_intakes(user, skipped, TODAY)[0].medication("m1").stock == 30


def test_refill_warnings_come_once_at_seven_three_and_one_days_left() -> None:
    pill = med("m1", "аспирин", ("08:00",), "1 таблетка")
    user = with_stock(person(ZONE, pill), pill, 9, TODAY)
    warned_at: list[int] = []
    day = TODAY
    for n in range(9):
        day = date.fromordinal(TODAY.toordinal() + n)
        taken = with_intakes(user, [intake(user, dose("m1", day.isoformat(), "08:00"), "taken", local(ZONE, f"{day} 08:01"))])
        user, warnings = after_intakes(user, taken, day)
        warned_at.extend(warning.days for warning in warnings)
    assert warned_at == [6, 2, 0] and user.medication("m1").stock == 0


def test_buying_more_starts_the_warnings_over_and_every_entry_shares_the_stock() -> None:
    morning = med("m1", "аспирин", ("08:00",), "1 таблетка")
    evening = med("m2", "аспирин", ("20:00",), "1 таблетка")
    user = person(ZONE, morning, evening)
    user = with_stock(user, morning, 5, TODAY)
    assert [m.stock for m in user.medications] == [5, 5] and user.medications[0].stock_warned == 3
    outcome = apply(user, StockChange(MedName("аспирин", "аспирин"), 60, add=True), local(ZONE, "2026-12-07 12:00"))
    assert isinstance(outcome.result, StockSet) and outcome.result.line.days == 31
    assert [(m.stock, m.stock_warned) for m in outcome.user.medications] == [(65, None), (65, None)]


def test_which_medication_a_count_is_for() -> None:
    user = person(ZONE, med("m1", "аспирин", ("08:00",)), med("m2", "конкор", ("08:00",)))
    now = local(ZONE, "2026-12-07 12:00")
    assert apply(user, StockChange(None, 30), now).user == user  # two medications, no name: asked for one
    alone = person(ZONE, med("m1", "аспирин", ("08:00",)))
    assert apply(alone, StockChange(None, 30), now).user.medication("m1").stock == 30
    report = apply(apply(alone, StockChange(None, 30), now).user, StockQuery(), now).result
    assert isinstance(report, StockReport) and [(line.name, line.stock, line.days) for line in report.lines] == [
        ("аспирин", 30, 29)]
