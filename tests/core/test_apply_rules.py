"""The apply rules for regimens, mostly through `apply(user, command, now)`: adding with a rule,
changing a rule, breaks, the agenda, "as needed" intakes and the questions a rule may need."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from medbot.core import tz
from medbot.core.apply import Outcome, apply
from medbot.core.apply_rules import Today, confirm_question, rule_view
from medbot.core.commands import (
    Add,
    AddItem,
    Agenda,
    Cancel,
    Command,
    DateRef,
    Done,
    MedName,
    ParseResult,
    Pause,
    RegimenChange,
    RegimenSpec,
    StepSpec,
    TimeChange,
    Unknown,
)
from medbot.core.doses import scheduled_times
from medbot.core.matching import normal_key
from medbot.core.model import DoseRef, DoseStep, Intake, Medication, Regimen, Reminder, Slot, User
from medbot.core.model import Pause as StoredPause
from medbot.core.pending import remember, resolve_text
from medbot.core.results import (
    Added,
    AddedLine,
    AgendaLine,
    AgendaView,
    AlreadyLine,
    Cancelled,
    Clarify,
    Marked,
    MarkedLine,
    MedLine,
    NoMedications,
    NotFound,
    OverLimit,
    Paused,
    RegimenChanged,
    RuleRefused,
    RuleView,
)

MOSCOW = "Europe/Moscow"
TODAY = "2026-11-26"  # a Thursday
TOMORROW = "2026-11-27"
LONG_AGO = "2026-01-01"
THURSDAY = 3


def iso(offset: int, start: str = TODAY) -> str:
    return (date.fromisoformat(start) + timedelta(days=offset)).isoformat()


def local(hhmm: str, day: str = TODAY) -> datetime:
    """The UTC instant of a Moscow wall-clock reading."""
    return tz.to_instant(MOSCOW, date.fromisoformat(day), hhmm)


NOON = local("12:00")
LATE = local("22:30")  # every morning and afternoon minute has passed


def n(name: str, med_id: str | None = None) -> MedName:
    return MedName(name, normal_key(name), med_id)


def med(
    med_id: str,
    name: str,
    times: tuple[str, ...],
    dosage: str | None = None,
    start: str = LONG_AGO,
    **fields: object,
) -> Medication:
    slots = tuple(Slot(time, start) for time in times)
    return Medication(med_id, name, normal_key(name), dosage, slots, **fields)  # type: ignore[arg-type]


def user_with(*meds: Medication, **fields: object) -> User:
    next_med = max((int(m.id[1:]) for m in meds), default=0) + 1
    user = User(id=7, lang="ru", tz=MOSCOW, medications=meds, next_med=next_med)
    return replace(user, **fields) if fields else user  # type: ignore[arg-type]


def add_ruled(name: str, dosage: str | None, times: tuple[str, ...], spec: RegimenSpec | None) -> Add:
    return Add((AddItem(n(name), dosage, times, spec),))


def run(user: User, command: Command, now: datetime = NOON) -> Outcome:
    return apply(user, command, now)


def only_med(outcome: Outcome) -> Medication:
    meds = outcome.user.medications
    assert len(meds) == 1, meds
    return meds[0]


ASPIRIN = med("m1", "аспирин", ("10:00", "18:00"), "200 мг")
AS_NEEDED = Regimen("as_needed", max_per_day=2)
IBUPROFEN_PRN = med("m2", "ибупрофен", (), "400 мг", regimen=AS_NEEDED)


# ---------------------------------------------------------------- add with a rule


def test_add_on_weekdays_stores_the_rule_with_a_slot_per_time() -> None:
    command = add_ruled("диувер", "5 мг", ("20:00", "09:00"), RegimenSpec("weekdays", weekdays=(2, 0)))
    outcome = run(user_with(), command)
    stored = only_med(outcome)
    rule = Regimen("weekdays", weekdays=(0, 2), anchor=TODAY)
    assert stored == Medication(
        "m1", "диувер", "диувер", "5 мг",
        (Slot("09:00", TOMORROW), Slot("20:00", TODAY)),  # 09:00 passed at noon, 20:00 is ahead
        rule,
    )
    assert outcome.user.next_med == 2
    assert outcome.result == Added((AddedLine("диувер", "5 мг", ("09:00", "20:00"), (), rule=RuleView(rule)),))


def test_add_a_course_late_in_the_day_starts_tomorrow_and_ends_days_later() -> None:
    command = add_ruled("цефиксим", "400 мг", ("09:00",), RegimenSpec(days=7))
    outcome = run(user_with(), command, LATE)
    stored = only_med(outcome)
    assert stored.slots == (Slot("09:00", TOMORROW),)
    assert stored.regimen == Regimen("daily")
    assert stored.until == iso(7)  # first dose tomorrow, seven days: the 27th to the 3rd
    line = outcome.result.added[0]  # type: ignore[union-attr]
    assert line.tomorrow == ("09:00",)
    assert line.rule == RuleView(Regimen("daily"), until=iso(7))
    assert not line.rule.plain_daily


def test_add_a_course_from_monday_shows_its_later_start() -> None:
    command = add_ruled("цефиксим", None, ("09:00",), RegimenSpec(start=DateRef("weekday", 0), days=14))
    outcome = run(user_with(), command)
    stored = only_med(outcome)
    assert stored.slots == (Slot("09:00", "2026-11-30"),)
    assert stored.until == "2026-12-13"
    assert outcome.result.added[0].rule == RuleView(  # type: ignore[union-attr]
        Regimen("daily"), until="2026-12-13", start="2026-11-30"
    )


def test_add_every_n_days_is_anchored_on_the_first_dose_day() -> None:
    outcome = run(user_with(), add_ruled("витамин D", None, ("09:00",), RegimenSpec("every_n_days", interval=3)), LATE)
    stored = only_med(outcome)
    assert stored.regimen == Regimen("every_n_days", interval=3, anchor=TOMORROW)
    assert stored.slots == (Slot("09:00", TOMORROW),)
    assert outcome.result.added[0].tomorrow == ()  # type: ignore[union-attr]  # said by the rule view


def test_add_every_8_hours_expands_the_times_each_with_its_own_start() -> None:
    command = add_ruled("амоксициллин", "500 мг", ("07:00",), RegimenSpec("every_n_hours", interval=8))
    outcome = run(user_with(), command)
    stored = only_med(outcome)
    assert stored.slots == (Slot("07:00", TOMORROW), Slot("15:00", TODAY), Slot("23:00", TODAY))
    assert stored.regimen == Regimen("every_n_hours", interval=8, anchor=TODAY)
    line = outcome.result.added[0]  # type: ignore[union-attr]
    assert (line.times, line.tomorrow) == (("07:00", "15:00", "23:00"), ("07:00",))


def test_add_a_taper_with_lengths_stores_the_steps_the_end_and_the_first_dosage() -> None:
    spec = RegimenSpec(steps=(StepSpec("20 мг", 3), StepSpec("10 мг", 3), StepSpec("5 мг", 2)))
    outcome = run(user_with(), add_ruled("преднизолон", None, ("15:00",), spec))
    stored = only_med(outcome)
    steps = (DoseStep(TODAY, "20 мг"), DoseStep(iso(3), "10 мг"), DoseStep(iso(6), "5 мг"))
    assert (stored.dosage, stored.steps, stored.until) == ("20 мг", steps, iso(7))
    line = outcome.result.added[0]  # type: ignore[union-attr]
    assert line.dosage == "20 мг"
    assert line.rule == RuleView(Regimen("daily"), until=iso(7), steps=steps)


def test_add_a_taper_whose_first_step_has_no_length_never_stores_a_course_ending_before_it_starts() -> None:
    spec = RegimenSpec(steps=(StepSpec("20 мг"), StepSpec("10 мг", 3)))
    outcome = run(user_with(), add_ruled("преднизолон", "20 мг", ("09:00",), spec), local("08:00"))
    for stored in outcome.user.medications:
        assert stored.until is None or stored.until >= stored.start
    assert not (isinstance(outcome.result, Added) and any(line.rule and line.rule.finished for line in outcome.result.added))


def test_add_a_one_off_in_minutes_across_midnight_is_tomorrow() -> None:
    outcome = run(user_with(), add_ruled("мезим", None, (), RegimenSpec("once", in_minutes=45)), local("23:40"))
    stored = only_med(outcome)
    assert stored.regimen == Regimen("once", anchor=TOMORROW)
    assert stored.slots == (Slot("00:25", TOMORROW),)


def test_add_a_once_today_after_the_time_is_refused_and_changes_nothing() -> None:
    user = user_with()
    outcome = run(user, add_ruled("мезим", None, ("10:00",), RegimenSpec("once", start=DateRef("offset", 0))), LATE)
    assert outcome.result == RuleRefused("past_date", "мезим")
    assert outcome.user is user


def test_add_with_an_end_before_its_start_is_refused() -> None:
    user = user_with()
    spec = RegimenSpec(start=DateRef("offset", 5), until=DateRef("offset", 2))
    outcome = run(user, add_ruled("цефиксим", None, ("09:00",), spec))
    assert outcome.result == RuleRefused("end_before_start", "цефиксим")
    assert outcome.user is user


def test_add_a_ruled_time_an_entry_already_has_is_refused_as_already() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, add_ruled("аспирин", "100 мг", ("10:00",), RegimenSpec("weekdays", weekdays=(0,))))
    assert outcome.result == Added((), (AlreadyLine("аспирин", "200 мг", ("10:00",), "100 мг"),))
    assert outcome.user is user


def test_add_a_ruled_duplicate_with_the_same_dosage_does_not_report_a_dosage_request() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, add_ruled("аспирин", "200 мг", ("10:00",), RegimenSpec("weekdays", weekdays=(0,))))
    assert outcome.result == Added((), (AlreadyLine("аспирин", "200 мг", ("10:00",)),))


def test_add_a_ruled_entry_keeps_only_the_fresh_times_and_reports_the_clash() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, add_ruled("Аспирин", "200 мг", ("10:00", "21:00"), RegimenSpec("weekdays", weekdays=(6,))))
    added = outcome.user.medications[1]
    assert (added.id, added.name, added.times) == ("m2", "аспирин", ("21:00",))  # the stored name kept
    assert outcome.user.medications[0] is ASPIRIN
    assert outcome.result.added[0].times == ("21:00",)  # type: ignore[union-attr]
    assert outcome.result.already[0].times == ("10:00",)  # type: ignore[union-attr]


def test_add_as_needed_creates_an_entry_without_slots_and_twice_is_already() -> None:
    command = add_ruled("ибупрофен", "400 мг", (), RegimenSpec("as_needed", max_per_day=3))
    first = run(user_with(), command)
    stored = only_med(first)
    assert stored == Medication("m1", "ибупрофен", "ибупрофен", "400 мг", (), Regimen("as_needed", max_per_day=3))
    assert first.result == Added(
        (AddedLine("ибупрофен", "400 мг", (), rule=RuleView(Regimen("as_needed", max_per_day=3))),)
    )
    second = run(first.user, command)
    assert second.result == Added((), (AlreadyLine("ибупрофен", "400 мг", ()),))
    assert second.user is first.user


def test_add_as_needed_next_to_a_scheduled_entry_of_the_same_medication() -> None:
    user = user_with(med("m1", "ибупрофен", ("09:00",), "200 мг"))
    outcome = run(user, add_ruled("ибупрофен", "400 мг", (), RegimenSpec("as_needed")))
    assert [m.regimen.kind for m in outcome.user.medications] == ["daily", "as_needed"]


def test_a_plain_time_for_a_medication_with_only_a_rule_of_days_is_asked_about() -> None:
    weekly = med("m1", "диувер", ("09:00",), "5 мг", regimen=Regimen("weekdays", weekdays=(2,), anchor=LONG_AGO))
    user = user_with(weekly)
    outcome = run(user, Add((AddItem(n("диувер"), None, ("20:00",)),)))
    assert outcome.user is user
    assert isinstance(outcome.result, Clarify) and outcome.result.reason == "reading"
    yes = outcome.result.options[0].command
    assert isinstance(yes, Add) and yes.confirmed


def test_a_plain_daily_add_never_extends_an_entry_with_another_rule() -> None:
    weekly = med("m1", "диувер", ("09:00",), "5 мг", regimen=Regimen("weekdays", weekdays=(2,), anchor=LONG_AGO))
    course = med("m2", "цефиксим", ("09:00",), "400 мг", until=iso(3))
    user = user_with(weekly, course)
    add = Add((AddItem(n("диувер"), None, ("20:00",)), AddItem(n("цефиксим"), "400 мг", ("21:00",))), confirmed=True)
    outcome = run(user, add)
    meds = outcome.user.medications
    assert meds[:2] == (weekly, course)
    assert [(m.id, m.name, m.times, m.regimen, m.until) for m in meds[2:]] == [
        ("m3", "диувер", ("20:00",), Regimen(), None),
        ("m4", "цефиксим", ("21:00",), Regimen(), None),
    ]


def test_a_plain_daily_add_at_a_time_a_ruled_entry_has_is_already() -> None:
    weekly = med("m1", "диувер", ("09:00",), "5 мг", regimen=Regimen("weekdays", weekdays=(2,), anchor=LONG_AGO))
    user = user_with(weekly)
    outcome = run(user, Add((AddItem(n("диувер"), None, ("09:00",)),)))
    assert outcome.result == Added((), (AlreadyLine("диувер", "5 мг", ("09:00",)),))
    assert outcome.user is user


def test_a_plain_daily_add_extends_a_plain_daily_entry() -> None:
    outcome = run(user_with(ASPIRIN), Add((AddItem(n("аспирин"), None, ("21:00",)),)))
    assert only_med(outcome).times == ("10:00", "18:00", "21:00")


# ---------------------------------------------------------------- weekly drugs


WEEKLY_DRUGS = ["метотрексат", "methotrexate", "алендроновая кислота", "alendronate", "Ozempic"]


@pytest.mark.parametrize("name", WEEKLY_DRUGS)
def test_a_weekly_drug_added_daily_is_asked_about_and_nothing_changes(name: str) -> None:
    user = user_with(ASPIRIN)
    command = Add((AddItem(n(name), "10 мг", ("09:00",)),))
    outcome = run(user, command)
    assert outcome.user is user
    result = outcome.result
    assert isinstance(result, Clarify)
    assert (result.question, result.reason) == ("confirm", "weekly_drug")
    assert [option.answer for option in result.options] == ["yes", "no"]
    assert result.options[0].command == replace(command, confirmed=True)
    assert result.options[1].command == Cancel()
    assert result.subject == MedLine(name, "10 мг", ("09:00",))


def test_a_weekly_drug_with_an_explicit_daily_rule_is_asked_about_too() -> None:
    user = user_with()
    outcome = run(user, add_ruled("метотрексат", None, ("09:00",), RegimenSpec("daily", days=10)))
    assert isinstance(outcome.result, Clarify)
    assert outcome.result.reason == "weekly_drug"
    assert outcome.user is user


def test_a_weekly_drug_every_few_hours_is_asked_about() -> None:
    outcome = run(user_with(), add_ruled("Ozempic", None, ("09:00",), RegimenSpec("every_n_hours", interval=12)))
    assert isinstance(outcome.result, Clarify)
    assert outcome.result.reason == "weekly_drug"


def test_a_weekly_drug_added_daily_and_confirmed_is_stored() -> None:
    command = Add((AddItem(n("метотрексат"), "10 мг", ("09:00",)),), confirmed=True)
    outcome = run(user_with(), command)
    stored = only_med(outcome)
    assert (stored.name, stored.times, stored.regimen) == ("метотрексат", ("09:00",), Regimen())


def test_answering_yes_to_the_weekly_question_stores_it() -> None:
    user = user_with()
    question = run(user, Add((AddItem(n("methotrexate"), None, ("09:00",)),))).result
    assert isinstance(question, Clarify)
    outcome = run(user, question.options[0].command)
    assert only_med(outcome).name == "methotrexate"


def test_a_weekly_drug_on_thursdays_is_stored_without_a_question() -> None:
    command = add_ruled("метотрексат", "15 мг", ("09:00",), RegimenSpec("weekdays", weekdays=(THURSDAY,)))
    outcome = run(user_with(), command)
    assert isinstance(outcome.result, Added)
    stored = only_med(outcome)
    assert stored.regimen == Regimen("weekdays", weekdays=(THURSDAY,), anchor=TOMORROW)  # 09:00 passed
    assert stored.slots == (Slot("09:00", TOMORROW),)


@pytest.mark.parametrize(
    "spec",
    [
        RegimenSpec("every_n_days", interval=7),
        RegimenSpec("monthly", month_day=1),
        RegimenSpec("once", start=DateRef("offset", 1)),
    ],
)
def test_a_weekly_drug_once_a_week_or_less_often_is_not_asked_about(spec: RegimenSpec) -> None:
    outcome = run(user_with(), add_ruled("алендроновая кислота", "70 мг", ("08:00",), spec))
    assert isinstance(outcome.result, Added)


# ---------------------------------------------------------------- questions a rule needs


def test_a_taper_with_a_guessed_step_length_is_shown_back_for_a_yes() -> None:
    user = user_with()
    spec = RegimenSpec(steps=(StepSpec("20 мг", 3), StepSpec("10 мг")))
    command = add_ruled("преднизолон", None, ("15:00",), spec)
    outcome = run(user, command)
    assert outcome.user is user
    result = outcome.result
    assert isinstance(result, Clarify)
    assert (result.question, result.reason) == ("confirm", "taper_steps")
    yes, no = result.options
    assert (yes.answer, no.answer, no.command) == ("yes", "no", Cancel())
    explicit = RegimenSpec(steps=(StepSpec("20 мг", 3), StepSpec("10 мг", 3)))
    assert yes.command == Add((AddItem(n("преднизолон"), None, ("15:00",), explicit),), confirmed=True)
    steps = (DoseStep(TODAY, "20 мг"), DoseStep(iso(3), "10 мг"))
    assert result.reading == (
        AddedLine("преднизолон", None, ("15:00",), rule=RuleView(Regimen(), until=iso(5), steps=steps)),
    )
    stored = only_med(run(user, yes.command))
    assert (stored.dosage, stored.steps, stored.until) == ("20 мг", steps, iso(5))


def test_a_missing_weekday_asks_with_seven_one_day_adds() -> None:
    user = user_with()
    command = add_ruled("диувер", "5 мг", ("09:00",), RegimenSpec("weekdays"))
    outcome = run(user, command)
    assert outcome.user is user
    result = outcome.result
    assert isinstance(result, Clarify)
    assert result.question == "weekday"
    assert result.subject == MedLine("диувер", "5 мг", ("09:00",))
    assert [option.label for option in result.options] == [f"weekday:{day}" for day in range(7)]
    assert [option.command for option in result.options] == [
        add_ruled("диувер", "5 мг", ("09:00",), RegimenSpec("weekdays", weekdays=(day,))) for day in range(7)
    ]
    stored = only_med(run(user, result.options[4].command))
    assert stored.regimen == Regimen("weekdays", weekdays=(4,), anchor=TOMORROW)  # 09:00 passed today


@pytest.mark.parametrize("times", [(), ("08:00", "20:00")])
def test_every_n_hours_without_one_first_time_asks_for_it(times: tuple[str, ...]) -> None:
    user = user_with()
    command = add_ruled("амоксициллин", None, times, RegimenSpec("every_n_hours", interval=8))
    outcome = run(user, command)
    assert outcome.result == Clarify("first_time", names=("амоксициллин",), template=command)
    assert outcome.user is user


def test_a_course_without_a_length_offers_lengths_and_an_open_end() -> None:
    user = user_with()
    spec = RegimenSpec(course=True)
    command = add_ruled("цефиксим", "400 мг", ("09:00",), spec)
    outcome = run(user, command)
    assert outcome.user is user
    result = outcome.result
    assert isinstance(result, Clarify)
    assert result.question == "course_length"
    assert [option.label for option in result.options] == ["days:5", "days:7", "days:10", "days:14", "days:open"]
    assert [option.command for option in result.options] == [
        *(add_ruled("цефиксим", "400 мг", ("09:00",), RegimenSpec(days=days)) for days in (5, 7, 10, 14)),
        add_ruled("цефиксим", "400 мг", ("09:00",), RegimenSpec()),
    ]
    assert only_med(run(user, result.options[0].command)).until == iso(5)  # 09:00 passed: from tomorrow


def test_a_monthly_rule_without_a_day_proposes_todays_day_of_month() -> None:
    command = add_ruled("витамин D", None, ("09:00",), RegimenSpec("monthly"))
    result = run(user_with(), command).result
    assert isinstance(result, Clarify)
    assert (result.question, result.reason, result.reading) == ("confirm", "month_day", (26,))
    assert result.options[0].command == add_ruled("витамин D", None, ("09:00",), RegimenSpec("monthly", month_day=26))


def test_a_ruled_add_without_a_time_asks_for_the_time() -> None:
    command = add_ruled("диувер", None, (), RegimenSpec("weekdays", weekdays=(2,)))
    assert run(user_with(), command).result == Clarify("add_time", names=("диувер",), template=command)


# ---------------------------------------------------------------- changing a rule


def test_a_rule_change_keeps_the_times_and_their_starts() -> None:
    user = user_with(ASPIRIN)
    spec = RegimenSpec("weekdays", weekdays=(0, 3))
    outcome = run(user, RegimenChange(n("аспирин"), spec))
    changed = only_med(outcome)
    rule = Regimen("weekdays", weekdays=(0, 3), anchor=TODAY)
    assert changed == replace(ASPIRIN, regimen=rule)
    assert outcome.result == RegimenChanged("аспирин", "200 мг", ("10:00", "18:00"), RuleView(rule), ())


def test_a_rule_change_with_new_times_replaces_them() -> None:
    outcome = run(user_with(ASPIRIN), RegimenChange(n("аспирин"), RegimenSpec("every_n_days", interval=2), ("08:00", "20:00")))
    changed = only_med(outcome)
    assert changed.slots == (Slot("08:00", TOMORROW), Slot("20:00", TODAY))
    assert changed.regimen == Regimen("every_n_days", interval=2, anchor=TODAY)
    assert isinstance(outcome.result, RegimenChanged)
    assert (outcome.result.times, outcome.result.tomorrow) == (("08:00", "20:00"), ("08:00",))


def test_a_rule_change_to_every_n_hours_expands_the_single_time() -> None:
    user = user_with(med("m1", "амоксициллин", ("08:00",), "500 мг"))
    changed = only_med(run(user, RegimenChange(n("амоксициллин"), RegimenSpec("every_n_hours", interval=6))))
    assert changed.times == ("02:00", "08:00", "14:00", "20:00")
    assert changed.regimen == Regimen("every_n_hours", interval=6, anchor=TODAY)


def test_a_rule_change_to_a_course_sets_the_end() -> None:
    outcome = run(user_with(ASPIRIN), RegimenChange(n("аспирин"), RegimenSpec(days=5)))
    assert only_med(outcome).until == iso(4)
    assert outcome.result.rule.until == iso(4)  # type: ignore[union-attr]


def test_a_rule_change_to_as_needed_drops_the_slots() -> None:
    outcome = run(user_with(ASPIRIN), RegimenChange(n("аспирин"), RegimenSpec("as_needed", max_per_day=4)))
    changed = only_med(outcome)
    assert (changed.slots, changed.regimen) == ((), Regimen("as_needed", max_per_day=4))
    assert outcome.result == RegimenChanged(
        "аспирин", "200 мг", (), RuleView(Regimen("as_needed", max_per_day=4)), ()
    )


def test_a_rule_change_to_the_same_rule_returns_the_same_user() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, RegimenChange(n("аспирин"), RegimenSpec()))
    assert outcome.user is user
    assert isinstance(outcome.result, RegimenChanged)


def test_a_rule_change_with_an_ambiguous_name_asks_which() -> None:
    vitamin_d = med("m1", "витамин D", ("09:00",))
    vitamin_c = med("m2", "витамин C", ("10:00",), "500 мг")
    user = user_with(vitamin_d, vitamin_c)
    spec = RegimenSpec("weekdays", weekdays=(0,))
    outcome = run(user, RegimenChange(n("витамин"), spec))
    assert outcome.user is user
    result = outcome.result
    assert isinstance(result, Clarify)
    assert result.question == "regimen_med"
    assert [(o.name, o.dosage, o.times) for o in result.options] == [
        ("витамин C", "500 мг", ("10:00",)),
        ("витамин D", None, ("09:00",)),
    ]
    assert result.options[1].command == RegimenChange(MedName("витамин D", "витамин d", "m1"), spec)


def test_a_rule_change_without_a_name_and_several_medications_asks_which() -> None:
    user = user_with(ASPIRIN, med("m2", "витамин D", ("09:00",)))
    result = run(user, RegimenChange(None, RegimenSpec("every_n_days", interval=2))).result
    assert isinstance(result, Clarify)
    assert result.question == "regimen_med"
    assert len(result.options) == 2


def test_a_rule_change_without_a_name_is_asked_about_even_with_one_medication() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, RegimenChange(None, RegimenSpec("every_n_days", interval=2)))
    assert outcome.user is user  # "в Праге на неделю" must not turn the one medication into a course
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "regimen_med"
    (option,) = outcome.result.options
    assert only_med(run(user, option.command)).regimen.kind == "every_n_days"


def test_a_rule_change_of_an_unknown_medication_is_not_found() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, RegimenChange(n("парацетамол"), RegimenSpec("weekdays", weekdays=(0,))))
    assert outcome.result == NotFound(("парацетамол",), (MedLine("аспирин", "200 мг", ("10:00", "18:00")),))
    assert outcome.user is user


def test_a_rule_change_with_an_empty_schedule() -> None:
    user = user_with()
    assert run(user, RegimenChange(n("аспирин"), RegimenSpec())).result == NoMedications()


def test_a_weekly_drug_changed_to_daily_is_asked_about() -> None:
    weekly = med("m1", "метотрексат", ("09:00",), "15 мг", regimen=Regimen("weekdays", weekdays=(THURSDAY,), anchor=LONG_AGO))
    user = user_with(weekly)
    outcome = run(user, RegimenChange(n("метотрексат"), RegimenSpec("daily")))
    assert outcome.user is user
    result = outcome.result
    assert isinstance(result, Clarify)
    assert (result.question, result.reason) == ("confirm", "weekly_drug")
    yes = result.options[0].command
    assert yes == RegimenChange(MedName("метотрексат", "метотрексат", "m1"), RegimenSpec("daily"), confirmed=True)
    assert only_med(run(user, yes)).regimen == Regimen()


def test_a_rule_change_with_a_missing_weekday_asks_with_seven_options() -> None:
    result = run(user_with(ASPIRIN), RegimenChange(n("аспирин"), RegimenSpec("weekdays"))).result
    assert isinstance(result, Clarify)
    assert result.question == "weekday"
    assert [o.command.regimen.weekdays for o in result.options] == [(day,) for day in range(7)]  # type: ignore[union-attr]


def test_a_rule_change_that_cannot_be_pinned_is_refused() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, RegimenChange(n("аспирин"), RegimenSpec(until=DateRef("offset", 0))), LATE)
    assert outcome.result == RuleRefused("end_before_start", "аспирин")
    assert outcome.user is user


def test_a_rule_change_to_a_course_without_a_length_asks_for_the_length() -> None:
    result = run(user_with(ASPIRIN), RegimenChange(n("аспирин"), RegimenSpec(course=True))).result
    assert isinstance(result, Clarify)
    assert result.question == "course_length"


def test_a_rule_change_to_monthly_without_a_day_asks_for_the_day() -> None:
    result = run(user_with(ASPIRIN), RegimenChange(n("аспирин"), RegimenSpec("monthly"))).result
    assert isinstance(result, Clarify)
    assert result.question != "first_time"
    assert result.reason == "month_day"


# ---------------------------------------------------------------- breaks


def test_a_break_on_one_weekday_is_stored_on_every_scheduled_medication() -> None:
    user = user_with(ASPIRIN, IBUPROFEN_PRN, med("m3", "витамин D", ("09:00",)))
    outcome = run(user, Pause((), DateRef("weekday", 5)))
    saturday = "2026-11-28"
    assert outcome.result == Paused((), saturday, saturday)
    aspirin, ibuprofen, vitamin = outcome.user.medications
    assert aspirin.pauses == vitamin.pauses == (StoredPause(saturday, saturday),)
    assert ibuprofen is IBUPROFEN_PRN


def test_a_break_for_a_named_medication_only() -> None:
    vitamin = med("m3", "витамин D", ("09:00",))
    user = user_with(ASPIRIN, vitamin)
    outcome = run(user, Pause((n("аспирин"),), DateRef("offset", 1)))
    assert outcome.result == Paused(("аспирин",), TOMORROW, TOMORROW)
    assert outcome.user.medications[0].pauses == (StoredPause(TOMORROW, TOMORROW),)
    assert outcome.user.medications[1] is vitamin


def test_a_break_between_days_of_the_month_ends_after_its_own_first_day() -> None:
    """"с 20-го по 5-е" said on the 26th: from the next 20th (December) to the 5th after it (January)."""
    outcome = run(user_with(ASPIRIN), Pause((), DateRef("date", 20), DateRef("date", 5)))
    assert outcome.result == Paused((), "2026-12-20", "2027-01-05")


def test_a_break_to_a_day_of_this_month_starts_today() -> None:
    outcome = run(user_with(ASPIRIN), Pause((), DateRef("offset", 0), DateRef("date", 29)))
    assert outcome.result == Paused((), TODAY, "2026-11-29")


def test_a_break_for_days_ends_days_minus_one_later() -> None:
    outcome = run(user_with(ASPIRIN), Pause((), DateRef("offset", 0), days=5))
    assert outcome.result == Paused((), TODAY, iso(4))


def test_a_break_before_a_date_ends_the_day_before() -> None:
    outcome = run(user_with(ASPIRIN), Pause((), DateRef("offset", 0), before=DateRef("date", 1, month=12)))
    assert outcome.result == Paused((), TODAY, "2026-11-30")


def test_a_break_before_its_own_first_day_is_refused() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, Pause((), DateRef("offset", 3), before=DateRef("offset", 3)))
    assert outcome.result == RuleRefused("end_before_start")
    assert outcome.user is user


def test_a_last_weekday_before_the_first_weekday_wraps_to_the_following_week() -> None:
    sunday = "2026-11-29"
    outcome = run(user_with(ASPIRIN), Pause((), DateRef("weekday", 5), last=DateRef("weekday", 6)), local("12:00", sunday))
    assert outcome.result == Paused((), "2026-12-05", "2026-12-06")  # Saturday and the Sunday after


def test_a_break_from_a_weekday_to_a_later_weekday() -> None:
    outcome = run(user_with(ASPIRIN), Pause((), DateRef("weekday", 0), last=DateRef("weekday", 2)))
    assert outcome.result == Paused((), "2026-11-30", "2026-12-02")


def test_a_break_is_not_stored_twice() -> None:
    user = user_with(ASPIRIN)
    once = run(user, Pause((), DateRef("offset", 1))).user
    twice = run(once, Pause((), DateRef("offset", 1))).user
    assert twice.medications[0].pauses == (StoredPause(TOMORROW, TOMORROW),)


@pytest.mark.parametrize(
    "command",
    [
        Pause((), DateRef("offset", 0), days=400),
        Pause((), DateRef("offset", 380)),
        Pause((), DateRef("offset", 0), last=DateRef("date", 1, month=1, year=2028)),
    ],
)
def test_a_break_further_than_a_year_is_refused(command: Pause) -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, command)
    assert outcome.result == RuleRefused("too_far")
    assert outcome.user is user


def test_a_break_for_an_unknown_medication_is_not_found() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, Pause((n("парацетамол"),), DateRef("offset", 1)))
    assert outcome.result == NotFound(("парацетамол",), (MedLine("аспирин", "200 мг", ("10:00", "18:00")),))
    assert outcome.user is user


def test_a_break_with_only_as_needed_medications_has_nothing_to_pause() -> None:
    user = user_with(IBUPROFEN_PRN)
    assert run(user, Pause((), DateRef("offset", 1))).result == RuleRefused("nothing_left")


def test_a_paused_day_has_no_scheduled_times_and_the_next_day_has() -> None:
    outcome = run(user_with(ASPIRIN), Pause((), DateRef("weekday", 5)))
    paused = only_med(outcome)
    assert scheduled_times(paused, date(2026, 11, 28)) == ()
    assert scheduled_times(paused, date(2026, 11, 29)) == ("10:00", "18:00")
    assert scheduled_times(paused, date(2026, 11, 27)) == ("10:00", "18:00")


def test_the_rule_view_lists_only_breaks_that_are_not_over() -> None:
    paused = replace(ASPIRIN, pauses=(StoredPause("2026-11-01", "2026-11-03"), StoredPause(TODAY, iso(2))))
    assert rule_view(paused, date.fromisoformat(TODAY)).pauses == (StoredPause(TODAY, iso(2)),)


def test_a_break_whose_last_date_is_before_its_first_date_is_refused() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, Pause((), DateRef("date", 10, month=12), last=DateRef("date", 5, month=12)))
    assert outcome.result == RuleRefused("end_before_start")
    assert outcome.user is user


def test_a_break_from_saturday_until_monday_said_on_a_sunday() -> None:
    sunday = "2026-11-29"
    command = Pause((), DateRef("weekday", 5), before=DateRef("weekday", 0))
    outcome = run(user_with(ASPIRIN), command, local("12:00", sunday))
    assert outcome.result == Paused((), "2026-12-05", "2026-12-06")


# ---------------------------------------------------------------- the agenda


def test_the_agenda_lists_the_doses_from_now_in_time_order_with_the_steps_dosages() -> None:
    taper = med(
        "m3", "преднизолон", ("14:00",), "20 мг",
        steps=(DoseStep("2026-11-20", "20 мг"), DoseStep(TOMORROW, "10 мг")), until=TOMORROW,
    )
    weekly = med("m4", "диувер", ("09:00",), "5 мг", regimen=Regimen("weekdays", weekdays=(5,), anchor=LONG_AGO))
    user = user_with(ASPIRIN, IBUPROFEN_PRN, taper, weekly)
    outcome = run(user, Agenda(3))
    assert outcome.user is user
    assert outcome.result == AgendaView(
        (
            AgendaLine(TODAY, "14:00", "преднизолон", "20 мг"),
            AgendaLine(TODAY, "18:00", "аспирин", "200 мг"),
            AgendaLine(TOMORROW, "10:00", "аспирин", "200 мг"),
            AgendaLine(TOMORROW, "14:00", "преднизолон", "10 мг"),
            AgendaLine(TOMORROW, "18:00", "аспирин", "200 мг"),
            AgendaLine("2026-11-28", "09:00", "диувер", "5 мг"),
            AgendaLine("2026-11-28", "10:00", "аспирин", "200 мг"),
            AgendaLine("2026-11-28", "18:00", "аспирин", "200 мг"),
        ),
        3,
    )


def test_the_agenda_late_in_the_day_starts_with_tomorrow() -> None:
    result = run(user_with(ASPIRIN), Agenda(1), LATE).result
    assert result == AgendaView((), 1)
    result = run(user_with(ASPIRIN), Agenda(2), LATE).result
    assert [(line.date, line.time) for line in result.lines] == [(TOMORROW, "10:00"), (TOMORROW, "18:00")]  # type: ignore[union-attr]


def test_the_agenda_skips_paused_days_and_clamps_its_length() -> None:
    paused = replace(ASPIRIN, pauses=(StoredPause(TOMORROW, TOMORROW),))
    result = run(user_with(paused), Agenda(0), local("09:00")).result
    assert result == AgendaView(
        (AgendaLine(TODAY, "10:00", "аспирин", "200 мг"), AgendaLine(TODAY, "18:00", "аспирин", "200 мг")), 1
    )
    result = run(user_with(paused), Agenda(2), local("09:00")).result
    assert [line.date for line in result.lines] == [TODAY, TODAY]  # type: ignore[union-attr]
    assert run(user_with(paused), Agenda(100)).result.days == 31  # type: ignore[union-attr]


def test_the_agenda_of_an_empty_schedule() -> None:
    assert run(user_with(), Agenda(7)).result == NoMedications()


# ---------------------------------------------------------------- "as needed"


def test_done_for_an_as_needed_medication_records_a_taken_intake_now() -> None:
    user = user_with(IBUPROFEN_PRN)
    outcome = run(user, Done((n("ибупрофен"),)), local("12:34"))
    assert outcome.result == Marked((MarkedLine("ибупрофен", "400 мг", "12:34", "12:34"),))
    assert outcome.user.history == (
        Intake(DoseRef("m2", TODAY, "12:34"), "taken", tz.utc_iso(local("12:34")), "ибупрофен", "400 мг"),
    )
    assert outcome.user.medications == user.medications


def test_done_for_an_as_needed_medication_past_its_daily_maximum_warns_but_records() -> None:
    earlier = tuple(
        Intake(DoseRef("m2", TODAY, time), "taken", tz.utc_iso(local(time)), "ибупрофен", "400 мг")
        for time in ("08:00", "10:00")
    )
    yesterday = Intake(DoseRef("m2", iso(-1), "20:00"), "taken", tz.utc_iso(local("20:00", iso(-1))), "ибупрофен")
    user = user_with(IBUPROFEN_PRN, history=(yesterday, *earlier))
    outcome = run(user, Done((n("ибупрофен"),)), local("12:00"))
    result = outcome.result
    assert isinstance(result, Marked)
    assert result.items == (MarkedLine("ибупрофен", "400 мг", "12:00", "12:00"),)
    assert result.over_limit == (OverLimit("ибупрофен", 3, 2),)
    assert len(outcome.user.history) == 4


def test_done_for_an_as_needed_medication_within_its_maximum_has_no_warning() -> None:
    first = run(user_with(IBUPROFEN_PRN), Done((n("ибупрофен"),)), local("08:00"))
    second = run(first.user, Done((n("ибупрофен"),)), local("12:00"))
    assert second.result.over_limit == ()  # type: ignore[union-attr]
    assert len(second.user.history) == 2


def test_done_with_a_scheduled_entry_of_the_same_name_marks_its_pending_dose_first() -> None:
    scheduled = med("m1", "ибупрофен", ("12:00",), "200 мг")
    dose = DoseRef("m1", TODAY, "12:00")
    sent = tz.utc_iso(local("12:00"))
    user = user_with(scheduled, IBUPROFEN_PRN, reminders=(Reminder(1, (dose,), sent, sent),))
    outcome = run(user, Done((n("ибупрофен"),)), local("12:05"))
    assert outcome.result == Marked((MarkedLine("ибупрофен", "200 мг", "12:00", "12:05"),))
    assert [record.dose for record in outcome.user.history] == [dose]


# ---------------------------------------------------------------- cancel and as-needed times


def test_cancel_changes_nothing() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, Cancel())
    assert outcome.result == Cancelled()
    assert outcome.user is user


def test_a_time_change_of_an_as_needed_medication_is_refused() -> None:
    user = user_with(IBUPROFEN_PRN)
    outcome = run(user, TimeChange(n("ибупрофен"), ("10:00",)))
    assert outcome.result == RuleRefused("as_needed_time", "ибупрофен")
    assert outcome.user is user


# ---------------------------------------------------------------- "did I get it right?"


def doubtful_add() -> Add:
    return add_ruled("диувер", "5 мг", ("15:00",), RegimenSpec("weekdays", weekdays=(2,)))


def test_a_doubtful_add_is_asked_as_a_yes_no_question_with_a_preview() -> None:
    command = doubtful_add()
    result = confirm_question(user_with(), command, Today.of(MOSCOW, NOON))
    assert (result.question, result.reason) == ("confirm", "reading")
    yes, no = result.options
    assert (yes.command, yes.answer, no.command, no.answer) == (command, "yes", Cancel(), "no")
    assert result.subject == MedLine("диувер", "5 мг", ("15:00",))
    rule = Regimen("weekdays", weekdays=(2,), anchor=TODAY)
    assert result.reading == (AddedLine("диувер", "5 мг", ("15:00",), rule=RuleView(rule)),)


def test_a_doubtful_add_without_times_reads_back_as_a_plain_line() -> None:
    command = Add((AddItem(n("аспирин"), "100 мг", ()),))
    result = confirm_question(user_with(), command, Today.of(MOSCOW, NOON))
    assert result.reading == (AddedLine("аспирин", "100 мг", ()),)


@pytest.mark.parametrize(("text", "expected"), [("да", "yes"), ("Да!", "yes"), ("нет", "no"), ("отмена", "no")])
def test_a_typed_yes_or_no_answers_the_doubtful_add(text: str, expected: str) -> None:
    command = doubtful_add()
    user = user_with()
    question = confirm_question(user, command, Today.of(MOSCOW, NOON))
    asked, shown = remember(user, question, NOON)
    assert isinstance(shown, Clarify) and shown.pending_id is not None
    answer = resolve_text(asked, ParseResult(Unknown()), NOON + timedelta(minutes=1), text)
    assert answer == (command if expected == "yes" else Cancel())


def test_yes_to_the_doubtful_add_stores_it_and_no_changes_nothing() -> None:
    command = doubtful_add()
    user = user_with()
    asked, _ = remember(user, confirm_question(user, command, Today.of(MOSCOW, NOON)), NOON)
    yes = resolve_text(asked, ParseResult(Unknown()), NOON, "да")
    no = resolve_text(asked, ParseResult(Unknown()), NOON, "нет")
    assert yes is not None and no is not None
    assert only_med(run(user, yes)).regimen == Regimen("weekdays", weekdays=(2,), anchor=TODAY)
    outcome = run(user, no)
    assert (outcome.result, outcome.user is user) == (Cancelled(), True)


def test_a_break_for_everything_leaves_one_off_reminders_alone() -> None:
    from datetime import UTC, datetime

    from medbot.core.apply import apply
    from medbot.core.commands import DateRef, Pause
    from medbot.core.model import Medication, Regimen, Slot, new_user

    daily = Medication("m1", "аспирин", "аспирин", None, (Slot("09:00", "2026-12-01"),))
    once = Medication("m2", "капли", "капля", None, (Slot("10:00", "2026-12-07"),), Regimen("once", anchor="2026-12-07"))
    user = new_user(1, "ru", "Europe/Moscow")
    user = type(user)(**{**user.__dict__, "medications": (daily, once), "next_med": 3})
    outcome = apply(user, Pause((), DateRef("offset", 1)), datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    paused = {med.id: med.pauses for med in outcome.user.medications}
    assert paused["m1"] and not paused["m2"]


def test_a_time_said_with_the_same_rule_joins_that_entry() -> None:
    from medbot.core.commands import RegimenSpec

    weekly = med("m1", "магний", ("10:00",), None, regimen=Regimen("weekdays", weekdays=(5,), anchor=LONG_AGO))
    outcome = run(user_with(weekly), Add((AddItem(n("магний"), None, ("22:00",), RegimenSpec("weekdays", weekdays=(5,))),)))
    [only] = outcome.user.medications
    assert only.id == "m1" and only.times == ("10:00", "22:00") and only.regimen.weekdays == (5,)


# ---------------------------------------------------------------- a rule for a medication already kept


SPIRONOLACTONE = med("m1", "спиронолактон", ("09:00",), "25 мг")


def test_a_timeless_rule_for_a_kept_medication_asks_new_rule_or_second_entry() -> None:
    user = user_with(SPIRONOLACTONE)
    every_other = RegimenSpec("every_n_days", interval=2, start=DateRef("offset", 1))
    outcome = run(user, add_ruled("спиронолактон", None, (), every_other))
    assert outcome.user is user
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "rule_or_new"
    replace_rule, separate = outcome.result.options
    assert replace_rule.command == RegimenChange(MedName("спиронолактон", "спиронолактон", "m1"), every_other, ())
    assert isinstance(separate.command, Add) and separate.command.items[0].med.med_id == "m1"
    assert [line.times for line in outcome.result.reading] == [("09:00",)]  # what is kept, shown


def test_choosing_the_new_rule_changes_the_kept_entry_and_adds_nothing() -> None:
    user = user_with(SPIRONOLACTONE)
    outcome = run(user, add_ruled("спиронолактон", None, (), RegimenSpec("every_n_days", interval=2)))
    changed = run(user, outcome.result.options[0].command)
    [kept] = changed.user.medications
    assert (kept.id, kept.times, kept.regimen.kind, kept.regimen.interval) == ("m1", ("09:00",), "every_n_days", 2)


def test_choosing_a_second_entry_keeps_the_first_and_asks_the_new_ones_time() -> None:
    user = user_with(SPIRONOLACTONE)
    outcome = run(user, add_ruled("спиронолактон", None, (), RegimenSpec("every_n_days", interval=2)))
    second = run(user, outcome.result.options[1].command)
    assert second.user.medications == user.medications
    assert isinstance(second.result, Clarify) and second.result.question in ("first_time", "add_time")


@pytest.mark.parametrize("spec", [
    RegimenSpec("daily", days=10),  # the same days, with an end: no second entry to fear
    RegimenSpec("as_needed"),
])
def test_a_rule_on_the_same_days_or_as_needed_is_not_asked_about(spec: RegimenSpec) -> None:
    outcome = run(user_with(SPIRONOLACTONE), add_ruled("спиронолактон", None, (), spec))
    assert not (isinstance(outcome.result, Clarify) and outcome.result.question == "rule_or_new")
