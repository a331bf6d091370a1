"""The apply rules: every command against a person's state, and that refusals change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbot.core import tz
from medbot.core.apply import Outcome, apply
from medbot.core.commands import (
    Add,
    AddItem,
    Command,
    Delete,
    Done,
    DoseChange,
    Help,
    ListSchedule,
    MedName,
    Stats,
    TimeChange,
    TimezoneChange,
    Unknown,
)
from medbot.core.matching import normal_key
from medbot.core.model import DoseRef, Intake, Medication, Reminder, Slot, User, user_from_json, user_to_json
from medbot.core.results import (
    Added,
    AddedLine,
    AlreadyLine,
    Clarify,
    Deleted,
    DeletedLine,
    DoseChanged,
    HelpText,
    Marked,
    NoMedications,
    NotFound,
    Schedule,
    ShowStats,
    TimeChanged,
    TimeNotFound,
    UnknownText,
    ZoneChanged,
    ZoneRefused,
)

MOSCOW = "Europe/Moscow"
TODAY = "2026-11-26"
TOMORROW = "2026-11-27"
LONG_AGO = "2026-01-01"


def local(hhmm: str, day: str = TODAY, zone: str = MOSCOW, seconds: int = 0) -> datetime:
    """The UTC instant of a local wall-clock reading."""
    return tz.to_instant(zone, date.fromisoformat(day), hhmm) + timedelta(seconds=seconds)


def n(name: str, key: str | None = None, med_id: str | None = None) -> MedName:
    return MedName(name, key if key is not None else normal_key(name), med_id)


def med(
    med_id: str,
    name: str,
    times: tuple[str, ...],
    dosage: str | None = None,
    key: str | None = None,
    start: str = LONG_AGO,
) -> Medication:
    slots = tuple(Slot(time, start) for time in times)
    return Medication(med_id, name, key or normal_key(name), dosage, slots)


def user_with(*meds: Medication, zone: str = MOSCOW, lang: str = "ru", **fields: object) -> User:
    numbers = [int(m.id[1:]) for m in meds]
    next_med = max(numbers, default=0) + 1
    user = User(id=7, lang=lang, tz=zone, medications=meds, next_med=next_med)  # type: ignore[arg-type]
    return replace(user, **fields) if fields else user


def add(name: MedName, dosage: str | None, *times: str) -> Add:
    return Add((AddItem(name, dosage, times),))


def reminder(*doses: DoseRef, reminder_id: int = 1) -> Reminder:
    sent = tz.utc_iso(local("10:00"))
    return Reminder(reminder_id, doses, sent, sent)


def run(user: User, command: Command, now: datetime | None = None) -> Outcome:
    return apply(user, command, now or local("12:00"))


def unchanged(user: User, outcome: Outcome) -> bool:
    return outcome.user is user


ASPIRIN = med("m1", "аспирин", ("10:00", "18:00"), "200 мг")
VITAMIN_D = med("m2", "витамин D", ("09:00",))


# ---------------------------------------------------------------- add


def test_add_creates_entries_with_sorted_unique_times_and_new_ids() -> None:
    user = user_with()
    command = Add(
        (
            AddItem(n("аспирин"), "200 мг", ("18:00", "10:00", "18:00")),
            AddItem(n("витамин D"), None, ("09:00",)),
        )
    )
    outcome = run(user, command)
    meds = outcome.user.medications
    assert [(m.id, m.name, m.key, m.dosage, m.times) for m in meds] == [
        ("m1", "аспирин", "аспирин", "200 мг", ("10:00", "18:00")),
        ("m2", "витамин D", "витамин d", None, ("09:00",)),
    ]
    assert outcome.user.next_med == 3
    assert isinstance(outcome.result, Added)
    assert outcome.result.added[0] == AddedLine("аспирин", "200 мг", ("10:00", "18:00"), ("10:00",))


def test_ids_keep_counting_after_deletion() -> None:
    user = user_with(med("m4", "аспирин", ("10:00",)))
    user = run(user, Delete((n("аспирин"),))).user
    outcome = run(user, add(n("ибупрофен"), None, "20:00"))
    assert outcome.user.medications[0].id == "m5"


def test_slot_starts_today_while_the_time_is_ahead_and_tomorrow_once_it_passed() -> None:
    outcome = run(user_with(), add(n("аспирин"), None, "10:00", "18:00"), local("12:00"))
    starts = {slot.time: slot.start for slot in outcome.user.medications[0].slots}
    assert starts == {"10:00": TOMORROW, "18:00": TODAY}
    assert isinstance(outcome.result, Added)
    assert outcome.result.added[0].tomorrow == ("10:00",)


@pytest.mark.parametrize(
    ("hhmm", "seconds", "expected"),
    [("09:59", 59, TODAY), ("10:00", 0, TOMORROW), ("10:00", 30, TOMORROW), ("10:01", 0, TOMORROW)],
)
def test_slot_start_compares_at_minute_precision(hhmm: str, seconds: int, expected: str) -> None:
    outcome = run(user_with(), add(n("аспирин"), None, "10:00"), local(hhmm, seconds=seconds))
    assert outcome.user.medications[0].slots[0].start == expected


def test_slot_start_uses_the_local_date_on_both_sides_of_midnight() -> None:
    zone = "Asia/Tokyo"  # UTC+9: local midnight is 15:00 UTC of the previous day
    before = local("23:30", "2026-11-26", zone)
    after = local("00:30", "2026-11-27", zone)
    assert before.date().isoformat() == "2026-11-26" and after.date().isoformat() == "2026-11-26"
    command = add(n("аспирин"), None, "00:15", "23:45")
    def starts(now: datetime) -> dict[str, str]:
        slots = run(user_with(zone=zone), command, now).user.medications[0].slots
        return {slot.time: slot.start for slot in slots}

    slots_before, slots_after = starts(before), starts(after)
    assert slots_before == {"00:15": "2026-11-27", "23:45": "2026-11-26"}
    assert slots_after == {"00:15": "2026-11-28", "23:45": "2026-11-27"}


def test_same_medication_at_same_time_is_refused_and_dosage_kept() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, add(n("Аспирина", "аспирин"), "500 мг", "10:00"))
    assert unchanged(user, outcome)
    assert outcome.result == Added((), (AlreadyLine("аспирин", "200 мг", ("10:00",), "500 мг"),))


def test_duplicates_are_refused_whatever_the_case_form() -> None:
    user = user_with(med("m1", "аскорбиновая кислота", ("09:00",), key="аскорбиновый кислота"))
    for typed in ("Аскорбиновую кислоту", "АСКОРБИНОВОЙ КИСЛОТЫ", "аскорбиновая кислота"):
        outcome = run(user, add(n(typed, "аскорбиновый кислота"), None, "09:00"))
        assert unchanged(user, outcome), typed
        assert isinstance(outcome.result, Added) and outcome.result.already


def test_duplicates_with_names_from_the_parser() -> None:
    med_name = pytest.importorskip("medbot.core.nlu.names").med_name
    user = run(user_with(), add(med_name("Аскорбиновую кислоту"), None, "09:00")).user
    assert user.medications[0].name == "Аскорбиновая кислота"
    outcome = run(user, add(med_name("аскорбиновой кислоты"), None, "09:00", "21:00"))
    assert outcome.user.medications[0].times == ("09:00", "21:00")
    assert isinstance(outcome.result, Added)
    assert outcome.result.already[0].times == ("09:00",)


def test_only_the_new_times_of_a_partly_duplicate_add_are_added() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, add(n("аспирин"), "200 мг", "10:00", "21:00"))
    assert outcome.user.medications[0].times == ("10:00", "18:00", "21:00")
    assert isinstance(outcome.result, Added)
    assert outcome.result.added == (
        AddedLine("аспирин", "200 мг", ("21:00",), (), ("10:00", "18:00", "21:00")),
    )
    assert outcome.result.already == (AlreadyLine("аспирин", "200 мг", ("10:00",)),)


def test_same_dosage_written_differently_extends_the_entry() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, add(n("аспирин"), "200мг", "21:00"))
    assert len(outcome.user.medications) == 1
    assert outcome.user.medications[0].times == ("10:00", "18:00", "21:00")


def test_no_dosage_extends_the_only_entry() -> None:
    outcome = run(user_with(ASPIRIN), add(n("аспирин"), None, "21:00"))
    assert [(m.dosage, m.times) for m in outcome.user.medications] == [
        ("200 мг", ("10:00", "18:00", "21:00"))
    ]


def test_a_different_dosage_at_new_times_is_its_own_entry() -> None:
    user = run(user_with(), add(n("аспирин"), "100 мг", "09:00")).user
    user = run(user, add(n("аспирин"), "200 мг", "21:00")).user
    assert [(m.id, m.dosage, m.times) for m in user.medications] == [
        ("m1", "100 мг", ("09:00",)),
        ("m2", "200 мг", ("21:00",)),
    ]


def test_no_dosage_with_several_entries_asks_which_and_the_answer_extends_it() -> None:
    user = user_with(
        med("m1", "аспирин", ("09:00",), "100 мг"), med("m2", "аспирин", ("21:00",), "200 мг")
    )
    outcome = run(user, add(n("аспирин"), None, "15:00"))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "add_entry"
    assert [o.dosage for o in outcome.result.options] == ["100 мг", "200 мг"]
    chosen = run(user, outcome.result.options[1].command).user
    assert chosen.medication("m2").times == ("15:00", "21:00")  # type: ignore[union-attr]
    assert chosen.medication("m1").times == ("09:00",)  # type: ignore[union-attr]


def test_add_without_times_asks_at_what_time_and_changes_nothing() -> None:
    user = user_with(ASPIRIN)
    command = Add((AddItem(n("ибупрофен"), "400 мг", ()),))
    outcome = run(user, command)
    assert unchanged(user, outcome)
    assert outcome.result == Clarify("add_time", names=("ибупрофен",), template=command)


def test_an_add_with_one_item_lacking_times_asks_and_adds_nothing() -> None:
    user = user_with()
    command = Add((AddItem(n("аспирин"), None, ("10:00",)), AddItem(n("цетиризин"), None, ())))
    outcome = run(user, command)
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify) and outcome.result.names == ("цетиризин",)


def test_the_same_medication_twice_in_one_message_is_one_entry() -> None:
    command = Add(
        (
            AddItem(n("аспирин"), None, ("09:00",)),
            AddItem(n("аспирина", "аспирин"), None, ("21:00", "09:00")),
        )
    )
    outcome = run(user_with(), command)
    assert [(m.name, m.times) for m in outcome.user.medications] == [
        ("аспирин", ("09:00", "21:00"))
    ]
    assert isinstance(outcome.result, Added)
    assert outcome.result.added == (AddedLine("аспирин", None, ("09:00", "21:00"), ("09:00",)),)
    assert outcome.result.already == (AlreadyLine("аспирин", None, ("09:00",)),)


def test_an_id_with_a_different_dosage_makes_its_own_entry_of_that_medication() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, add(n("что-то", med_id="m1"), "500 мг", "21:00"))
    assert [(m.id, m.name, m.key, m.dosage, m.times) for m in outcome.user.medications] == [
        ("m1", "аспирин", "аспирин", "200 мг", ("10:00", "18:00")),
        ("m2", "аспирин", "аспирин", "500 мг", ("21:00",)),
    ]
    same = run(user, add(n("что-то", med_id="m1"), None, "21:00"))
    assert same.user.medications[0].times == ("10:00", "18:00", "21:00")


def test_adding_to_a_medication_id_that_is_gone_is_refused() -> None:
    user = user_with(VITAMIN_D)
    outcome = run(user, add(n("аспирин", med_id="m1"), None, "10:00"))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, NotFound)


def test_state_after_add_survives_json_round_trip() -> None:
    outcome = run(user_with(), add(n("витамин B12", "витамин b12"), "1000 мкг", "08:00"))
    assert user_from_json(user_to_json(outcome.user)) == outcome.user


# ---------------------------------------------------------------- delete


def test_delete_a_whole_medication_by_an_inflected_name_keeps_history() -> None:
    intake = Intake(DoseRef("m1", TODAY, "10:00"), "taken", tz.utc_iso(local("10:05")), "аспирин", "200 мг")
    user = user_with(ASPIRIN, VITAMIN_D, history=(intake,))
    outcome = run(user, Delete((n("аспирина", "аспирин"),)))
    assert [m.id for m in outcome.user.medications] == ["m2"]
    assert outcome.user.history == (intake,)
    assert outcome.result == Deleted((DeletedLine("аспирин", "200 мг"),))


def test_delete_only_the_named_times() -> None:
    outcome = run(user_with(ASPIRIN), Delete((n("аспирин"),), ("18:00",)))
    assert outcome.user.medications[0].times == ("10:00",)
    assert outcome.result == Deleted((DeletedLine("аспирин", "200 мг", ("18:00",), ("10:00",)),))


def test_deleting_the_last_time_removes_the_medication() -> None:
    outcome = run(user_with(ASPIRIN), Delete((n("аспирин"),), ("10:00", "18:00")))
    assert outcome.user.medications == ()
    assert outcome.result == Deleted((DeletedLine("аспирин", "200 мг"),))


def test_delete_of_an_unknown_name_lists_what_the_person_has() -> None:
    user = user_with(ASPIRIN, VITAMIN_D)
    outcome = run(user, Delete((n("парацетамол"),)))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, NotFound)
    assert outcome.result.names == ("парацетамол",)
    assert [line.name for line in outcome.result.have] == ["аспирин", "витамин D"]


def test_delete_without_a_name_asks_even_with_a_single_medication() -> None:
    for meds in ((ASPIRIN,), (ASPIRIN, VITAMIN_D)):
        user = user_with(*meds)
        outcome = run(user, Delete(()))
        assert unchanged(user, outcome)
        assert isinstance(outcome.result, Clarify) and outcome.result.question == "delete_med"
        assert [o.name for o in outcome.result.options] == [m.name for m in meds]
        commands = [option.command for option in outcome.result.options]
        assert all(isinstance(c, Delete) and c.names[0].med_id for c in commands)


def test_delete_without_a_name_but_with_a_time_offers_what_is_at_that_time() -> None:
    user = user_with(ASPIRIN, VITAMIN_D)
    outcome = run(user, Delete((), ("09:00",)))
    assert isinstance(outcome.result, Clarify)
    assert [o.name for o in outcome.result.options] == ["витамин D"]
    assert outcome.result.options[0].command == Delete((n("витамин D", "витамин d", "m2"),), ("09:00",))
    nothing = run(user, Delete((), ("15:00",)))
    assert unchanged(user, nothing) and isinstance(nothing.result, NotFound)
    assert nothing.result.times == ("15:00",)


def test_an_ambiguous_name_asks_which_and_the_option_deletes_only_that() -> None:
    user = user_with(VITAMIN_D, med("m3", "витамин B12", ("08:00",), key="витамин b12"))
    outcome = run(user, Delete((n("витамин"),)))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify)
    assert {o.name for o in outcome.result.options} == {"витамин D", "витамин B12"}
    option = next(o for o in outcome.result.options if o.name == "витамин B12")
    assert [m.id for m in run(user, option.command).user.medications] == ["m2"]


def test_delete_of_a_time_the_medication_does_not_have_changes_nothing() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, Delete((n("аспирин"),), ("15:00",)))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, TimeNotFound)
    assert outcome.result.med.times == ("10:00", "18:00")


def test_delete_reports_the_names_it_did_not_find() -> None:
    outcome = run(user_with(ASPIRIN, VITAMIN_D), Delete((n("аспирин"), n("парацетамол"))))
    assert [m.id for m in outcome.user.medications] == ["m2"]
    assert isinstance(outcome.result, Deleted) and outcome.result.not_found == ("парацетамол",)


def test_delete_with_an_empty_schedule() -> None:
    user = user_with()
    outcome = run(user, Delete((n("аспирин"),)))
    assert unchanged(user, outcome) and outcome.result == NoMedications()


def test_delete_by_a_typo() -> None:
    user = user_with(med("m1", "парацетамол", ("10:00",)), med("m2", "ибупрофен", ("12:00",)))
    outcome = run(user, Delete((n("парацетомол"),)))
    assert [m.name for m in outcome.user.medications] == ["ибупрофен"]


def test_delete_with_two_entries_of_one_name_removes_both() -> None:
    user = user_with(med("m1", "аспирин", ("09:00",), "100 мг"), med("m2", "аспирин", ("21:00",), "200 мг"))
    outcome = run(user, Delete((n("аспирин"),)))
    assert outcome.user.medications == ()
    assert isinstance(outcome.result, Deleted) and len(outcome.result.items) == 2


# ---------------------------------------------------------------- time change


def test_time_change_of_a_single_time_starts_today_when_still_ahead() -> None:
    user = user_with(med("m1", "аспирин", ("10:00",), "200 мг"))
    outcome = run(user, TimeChange(n("аспирина", "аспирин"), ("15:00",)), local("12:00"))
    assert outcome.user.medications[0].slots == (Slot("15:00", TODAY),)
    assert outcome.result == TimeChanged("аспирин", "200 мг", ("10:00",), ("15:00",), ("15:00",))


def test_moving_an_already_taken_dose_never_reminds_twice_today() -> None:
    taken = Intake(DoseRef("m1", TODAY, "10:00"), "taken", tz.utc_iso(local("10:02")), "аспирин")
    user = user_with(med("m1", "аспирин", ("10:00",)), history=(taken,))
    outcome = run(user, TimeChange(n("аспирин"), ("11:00",)), local("10:30"))
    assert outcome.user.medications[0].slots == (Slot("11:00", TOMORROW),)
    assert isinstance(outcome.result, TimeChanged) and outcome.result.tomorrow == ("11:00",)


def test_moving_an_unanswered_dose_to_later_today_starts_today() -> None:
    user = user_with(med("m1", "аспирин", ("10:00",)))
    outcome = run(user, TimeChange(n("аспирин"), ("11:00",)), local("10:30"))
    assert outcome.user.medications[0].slots == (Slot("11:00", TODAY),)


def test_moving_to_a_time_already_past_starts_tomorrow() -> None:
    user = user_with(med("m1", "аспирин", ("20:00",)))
    outcome = run(user, TimeChange(n("аспирин"), ("08:00",)), local("12:00"))
    assert outcome.user.medications[0].slots == (Slot("08:00", TOMORROW),)


def test_time_change_with_several_times_and_no_old_time_asks_which() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, TimeChange(n("аспирин"), ("11:00",)))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "time_slot"
    assert [o.times for o in outcome.result.options] == [("10:00",), ("18:00",)]
    second = outcome.result.options[1].command
    assert second == TimeChange(n("аспирин", med_id="m1"), ("11:00",), "18:00")
    moved = run(user, second).user
    assert moved.medications[0].times == ("10:00", "11:00")


def test_time_change_with_the_old_time_replaces_just_it() -> None:
    outcome = run(user_with(ASPIRIN), TimeChange(n("аспирин"), ("19:00",), "18:00"))
    assert outcome.user.medications[0].times == ("10:00", "19:00")
    assert isinstance(outcome.result, TimeChanged)
    assert outcome.result.old_times == ("18:00",) and outcome.result.times == ("10:00", "19:00")


def test_time_change_from_a_time_it_does_not_have_changes_nothing() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, TimeChange(n("аспирин"), ("19:00",), "15:00"))
    assert unchanged(user, outcome) and isinstance(outcome.result, TimeNotFound)


def test_an_old_hour_twelve_hours_off_is_asked_about_and_yes_moves_that_dose() -> None:
    """"с 6 на 5 вечера" with the dose at 18:00: asked, never moved on a guess."""
    user = user_with(ASPIRIN)
    outcome = run(user, TimeChange(n("аспирин"), ("17:00",), "06:00"))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify) and outcome.result.reason == "other_half"
    assert outcome.result.reading == ("06:00", "18:00")
    yes, no = outcome.result.options
    assert yes.command == TimeChange(n("аспирин", med_id="m1"), ("17:00",), "18:00")
    assert run(user, yes.command).user.medications[0].times == ("10:00", "17:00")
    assert unchanged(user, run(user, no.command))


def test_an_old_hour_without_a_name_finds_the_one_dose_twelve_hours_off() -> None:
    user = user_with(ASPIRIN, VITAMIN_D)
    outcome = run(user, TimeChange(None, ("20:00",), "21:00"))
    assert isinstance(outcome.result, Clarify) and outcome.result.reason == "other_half"
    assert outcome.result.options[0].command.name == n("витамин D", "витамин d", "m2")
    two = user_with(ASPIRIN, med("m4", "конкор", ("18:00",)))
    assert isinstance(run(two, TimeChange(None, ("17:00",), "06:00")).result, NotFound)


def test_several_new_times_replace_the_set_pairing_old_and_new_in_order() -> None:
    taken = Intake(DoseRef("m1", TODAY, "10:00"), "taken", tz.utc_iso(local("10:00")), "аспирин")
    user = user_with(ASPIRIN, history=(taken,))
    outcome = run(user, TimeChange(n("аспирин"), ("11:00", "21:00")), local("10:30"))
    # 11:00 replaces the 10:00 dose already taken: tomorrow. 21:00 replaces 18:00: today.
    assert outcome.user.medications[0].slots == (Slot("11:00", TOMORROW), Slot("21:00", TODAY))


def test_moving_onto_another_time_of_the_same_medication_merges() -> None:
    outcome = run(user_with(ASPIRIN), TimeChange(n("аспирин"), ("18:00",), "10:00"))
    assert outcome.user.medications[0].times == ("18:00",)


def test_time_change_to_the_same_time_changes_nothing() -> None:
    user = user_with(med("m1", "аспирин", ("10:00",)))
    outcome = run(user, TimeChange(n("аспирин"), ("10:00",)))
    assert unchanged(user, outcome) and isinstance(outcome.result, TimeChanged)


def test_time_change_of_a_name_with_two_entries_asks_unless_the_old_time_tells() -> None:
    user = user_with(med("m1", "аспирин", ("09:00",), "100 мг"), med("m2", "аспирин", ("21:00",), "200 мг"))
    outcome = run(user, TimeChange(n("аспирин"), ("22:00",)))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "time_med"
    assert [o.dosage for o in outcome.result.options] == ["100 мг", "200 мг"]
    told = run(user, TimeChange(n("аспирин"), ("22:00",), "21:00"))
    assert told.user.medication("m2").times == ("22:00",)  # type: ignore[union-attr]


def test_time_change_without_a_name() -> None:
    single = user_with(med("m1", "аспирин", ("10:00",)))
    assert run(single, TimeChange(None, ("11:00",))).user.medications[0].times == ("11:00",)
    several = user_with(ASPIRIN, VITAMIN_D)
    asked = run(several, TimeChange(None, ("11:00",)))
    assert unchanged(several, asked) and isinstance(asked.result, Clarify)
    by_old_time = run(several, TimeChange(None, ("08:00",), "09:00"))
    assert by_old_time.user.medication("m2").times == ("08:00",)  # type: ignore[union-attr]


def test_time_change_of_an_unknown_name() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, TimeChange(n("ибупрофен"), ("11:00",)))
    assert unchanged(user, outcome) and isinstance(outcome.result, NotFound)


def test_time_change_keeps_history_and_intakes_of_the_old_time() -> None:
    taken = Intake(DoseRef("m1", TODAY, "10:00"), "taken", tz.utc_iso(local("10:00")), "аспирин")
    user = user_with(med("m1", "аспирин", ("10:00",)), history=(taken,))
    assert run(user, TimeChange(n("аспирин"), ("11:00",))).user.history == (taken,)


# ---------------------------------------------------------------- dose change


def test_dose_change_applies_to_every_entry_of_the_medication() -> None:
    user = user_with(
        med("m1", "аспирин", ("09:00",), "100 мг"), VITAMIN_D, med("m3", "аспирин", ("21:00",), "200 мг")
    )
    outcome = run(user, DoseChange(n("аспирина", "аспирин"), "150 мг"))
    assert [m.dosage for m in outcome.user.medications] == ["150 мг", None, "150 мг"]
    assert outcome.result == DoseChanged("аспирин", "150 мг", ("100 мг", "200 мг"), ("09:00", "21:00"))


def test_dose_change_without_a_name() -> None:
    single = user_with(ASPIRIN)
    assert run(single, DoseChange(None, "100 мг")).user.medications[0].dosage == "100 мг"
    several = user_with(ASPIRIN, VITAMIN_D)
    asked = run(several, DoseChange(None, "100 мг"))
    assert unchanged(several, asked)
    assert isinstance(asked.result, Clarify) and asked.result.question == "dose_med"
    assert asked.result.dosage == "100 мг" and len(asked.result.options) == 2


def test_dose_change_with_a_name_fitting_several_medications_asks() -> None:
    user = user_with(VITAMIN_D, med("m3", "витамин B12", ("08:00",)))
    outcome = run(user, DoseChange(n("витамина", "витамин"), "2000 МЕ"))
    assert unchanged(user, outcome) and isinstance(outcome.result, Clarify)
    chosen = run(user, outcome.result.options[0].command).user
    assert sum(m.dosage == "2000 МЕ" for m in chosen.medications) == 1


def test_dose_change_to_the_same_dosage_changes_nothing() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, DoseChange(n("аспирин"), "200 мг"))
    assert unchanged(user, outcome) and isinstance(outcome.result, DoseChanged)


def test_dose_change_of_an_unknown_name() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, DoseChange(n("ибупрофен"), "400 мг"))
    assert unchanged(user, outcome) and isinstance(outcome.result, NotFound)


# ---------------------------------------------------------------- time zone


def test_time_zone_change_keeps_local_times_and_reports_the_local_time_there() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, TimezoneChange("Asia/Krasnoyarsk"), local("10:05"))  # 07:05 UTC
    assert outcome.user.tz == "Asia/Krasnoyarsk"
    assert outcome.user.medications == user.medications
    assert outcome.result == ZoneChanged("Asia/Krasnoyarsk", "14:05")


def test_time_zone_as_an_offset() -> None:
    outcome = run(user_with(), TimezoneChange("+05:30"), local("10:05"))
    assert outcome.user.tz == "+05:30" and outcome.result == ZoneChanged("+05:30", "12:35")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "+15:00", "", "Europe/Moscow\n"])
def test_an_invalid_time_zone_is_refused_politely(zone: str) -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, TimezoneChange(zone))
    assert unchanged(user, outcome) and outcome.result == ZoneRefused(zone)


# ---------------------------------------------------------------- done


def _open(user: User, *doses: DoseRef) -> User:
    return replace(user, reminders=(reminder(*doses),))


def test_done_with_a_name_marks_its_open_doses_taken() -> None:
    dose = DoseRef("m1", TODAY, "10:00")
    user = _open(user_with(ASPIRIN, VITAMIN_D), dose, DoseRef("m2", TODAY, "09:00"))
    now = local("10:05")
    outcome = run(user, Done((n("аспирин"),)), now)
    assert outcome.user.history == (Intake(dose, "taken", tz.utc_iso(now), "аспирин", "200 мг"),)
    assert outcome.user.reminders == user.reminders
    assert isinstance(outcome.result, Marked)
    assert [(i.name, i.time, i.at) for i in outcome.result.items] == [("аспирин", "10:00", "10:05")]


def test_bare_done_marks_every_open_dose() -> None:
    user = _open(user_with(ASPIRIN, VITAMIN_D), DoseRef("m2", TODAY, "09:00"), DoseRef("m1", TODAY, "10:00"))
    outcome = run(user, Done(()), local("10:05"))
    assert {(r.dose.med_id, r.status) for r in outcome.user.history} == {("m1", "taken"), ("m2", "taken")}
    assert isinstance(outcome.result, Marked) and [i.time for i in outcome.result.items] == ["09:00", "10:00"]


def test_done_with_a_part_of_the_day_marks_only_that_parts_open_doses() -> None:
    """"выпила утренние" at 18:05, with the morning's and the evening's dose both open: the
    evening's dose stays open (its reminder is not lost)."""
    user = _open(user_with(ASPIRIN, VITAMIN_D), DoseRef("m2", TODAY, "09:00"), DoseRef("m1", TODAY, "18:00"))
    outcome = run(user, Done((), part="morning"), local("18:05"))
    assert {(r.dose.med_id, r.dose.time, r.status) for r in outcome.user.history} == {("m2", "09:00", "taken")}
    evening = run(user, Done((), part="evening"), local("18:05"))
    assert {(r.dose.med_id, r.dose.time) for r in evening.user.history} == {("m1", "18:00")}
    nothing = run(user, Done((), part="afternoon"), local("18:05"))
    assert unchanged(user, nothing) and isinstance(nothing.result, Clarify)


def test_already_answered_doses_are_not_open() -> None:
    dose = DoseRef("m1", TODAY, "10:00")
    skipped = Intake(dose, "skipped", tz.utc_iso(local("10:01")), "аспирин", "200 мг")
    user = _open(user_with(ASPIRIN, history=(skipped,)), dose)
    outcome = run(user, Done(()), local("10:05"))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "done_nothing"


def test_done_early_takes_the_nearest_unanswered_dose_within_three_hours() -> None:
    user = user_with(ASPIRIN)
    now = local("08:30")
    outcome = run(user, Done((n("аспирин"),)), now)
    assert [r.dose for r in outcome.user.history] == [DoseRef("m1", TODAY, "10:00")]
    assert isinstance(outcome.result, Marked) and outcome.result.items[0].at == "08:30"


def test_done_too_early_says_there_is_nothing_to_mark() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, Done((n("аспирин"),)), local("06:30"))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Marked) and not outcome.result.items
    assert outcome.result.not_now[0].next_time == "10:00"


def test_done_does_not_take_a_dose_twice() -> None:
    dose = DoseRef("m1", TODAY, "10:00")
    taken = Intake(dose, "taken", tz.utc_iso(local("10:00")), "аспирин", "200 мг")
    user = user_with(ASPIRIN, history=(taken,))
    outcome = run(user, Done((n("аспирин"),)), local("10:30"))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Marked) and outcome.result.not_now[0].next_time == "18:00"


def test_done_ignores_doses_that_have_not_started_yet() -> None:
    user = user_with(med("m1", "аспирин", ("13:00",), start=TOMORROW))
    outcome = run(user, Done((n("аспирин"),)), local("12:30"))
    assert unchanged(user, outcome)


def test_bare_done_with_nothing_awaiting_lists_the_rest_of_today_and_offers_near_doses() -> None:
    user = user_with(ASPIRIN, VITAMIN_D)
    outcome = run(user, Done(()), local("16:00"))
    assert unchanged(user, outcome)
    result = outcome.result
    assert isinstance(result, Clarify) and result.question == "done_nothing"
    assert [(line.name, line.times) for line in result.upcoming] == [("аспирин", ("18:00",))]
    assert [o.times for o in result.options] == [("18:00",)]
    marked = run(user, result.options[0].command, local("16:00"))
    assert [r.dose for r in marked.user.history] == [DoseRef("m1", TODAY, "18:00")]


def test_done_with_an_unknown_name_and_nothing_waiting_says_it_is_not_in_the_list() -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, Done((n("ибупрофен"),)), local("14:00"))
    assert unchanged(user, outcome) and isinstance(outcome.result, NotFound)


def test_done_with_a_description_asks_which_of_the_waiting_doses_it_was() -> None:
    """"выпила таблетку от давления": never "not found" alone, never every open dose."""
    user = _open(user_with(ASPIRIN, VITAMIN_D), DoseRef("m1", TODAY, "10:00"))
    outcome = run(user, Done((n("таблетка от давления"),)), local("10:05"))
    assert unchanged(user, outcome)
    result = outcome.result
    assert isinstance(result, Clarify) and result.question == "done_med"
    assert result.names == ("таблетка от давления",)
    assert [(o.name, o.times) for o in result.options] == [("витамин D", ("09:00",)), ("аспирин", ("10:00",))]
    marked = run(user, result.options[1].command, local("10:05"))
    assert [r.dose for r in marked.user.history] == [DoseRef("m1", TODAY, "10:00")]


def test_done_with_an_ambiguous_name_takes_the_one_that_is_awaited() -> None:
    b12 = med("m3", "витамин B12", ("20:00",))
    user = _open(user_with(VITAMIN_D, b12), DoseRef("m2", TODAY, "09:00"))
    outcome = run(user, Done((n("витамин"),)), local("09:10"))
    assert [r.dose.med_id for r in outcome.user.history] == ["m2"]


def test_done_with_an_ambiguous_name_and_nothing_to_tell_them_apart_asks() -> None:
    b12 = med("m3", "витамин B12", ("09:00",))
    user = _open(user_with(VITAMIN_D, b12), DoseRef("m2", TODAY, "09:00"), DoseRef("m3", TODAY, "09:00"))
    outcome = run(user, Done((n("витамин"),)), local("09:10"))
    assert unchanged(user, outcome)
    assert isinstance(outcome.result, Clarify) and outcome.result.question == "done_med"


def test_done_with_an_empty_schedule() -> None:
    user = user_with()
    assert run(user, Done(())).result == NoMedications()


def test_done_for_a_deleted_medication_leaves_its_reminder_alone() -> None:
    user = _open(user_with(VITAMIN_D), DoseRef("m1", TODAY, "10:00"))
    outcome = run(user, Done(()), local("10:05"))
    assert unchanged(user, outcome)


# ---------------------------------------------------------------- list and fixed results


def test_list_groups_by_medication_and_sorts_by_time() -> None:
    user = user_with(
        med("m1", "витамин D", ("09:00",)),
        med("m2", "аспирин", ("18:00", "10:00"), "200 мг"),
        med("m3", "аспирин", ("07:00",), "100 мг"),
        med("m4", "цетиризин", ("21:00",), start=TOMORROW),
    )
    outcome = run(user, ListSchedule())
    assert unchanged(user, outcome)
    result = outcome.result
    assert isinstance(result, Schedule) and result.zone == MOSCOW
    assert [(line.name, line.dosage, line.times) for line in result.lines] == [
        ("аспирин", "100 мг", ("07:00",)),
        ("аспирин", "200 мг", ("10:00", "18:00")),
        ("витамин D", None, ("09:00",)),
        ("цетиризин", None, ("21:00",)),
    ]
    assert result.lines[3].tomorrow == ("21:00",)


@pytest.mark.parametrize(
    ("command", "expected"),
    [(Help(), HelpText()), (Unknown(), UnknownText()), (Stats(), ShowStats())],
)
def test_fixed_results_change_nothing(command: Command, expected: object) -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, command)
    assert unchanged(user, outcome) and outcome.result == expected


@pytest.mark.parametrize(
    "command",
    [
        add(n("аспирин"), None, "25:00"),
        add(n("аспирин"), None, "9:00"),
        add(n("аспирин"), None, "10:00\n"),
        Delete((n("аспирин"),), ("10:0",)),
        TimeChange(n("аспирин"), ("11:00",), "1000"),
        TimeChange(n("аспирин"), ("24:00",)),
    ],
)
def test_malformed_times_are_never_stored(command: Command) -> None:
    user = user_with(ASPIRIN)
    outcome = run(user, command)
    assert unchanged(user, outcome) and outcome.result == UnknownText()


def test_apply_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError):
        apply(user_with(), ListSchedule(), datetime(2026, 11, 26, 12, 0))


# ---------------------------------------------------------------- any command, any schedule

_NAMES = ["аспирин", "аспирина", "ибупрофен", "ибупрафен", "витамин D", "витамин", "Ксарелто"]
_times = st.sampled_from(["00:00", "08:00", "09:00", "10:00", "12:00", "18:00", "23:59"])
_med_names = st.builds(
    lambda text, med_id: n(text, med_id=med_id),
    st.sampled_from(_NAMES),
    st.sampled_from([None, None, "m1", "m2", "m3", "m9"]),
)
_dosages = st.sampled_from([None, "100 мг", "200 мг", "1 таблетка"])
_commands = st.one_of(
    st.builds(
        lambda items: Add(tuple(items)),
        st.lists(
            st.builds(AddItem, _med_names, _dosages, st.tuples(_times) | st.tuples(_times, _times)),
            min_size=1,
            max_size=3,
        ),
    ),
    st.builds(
        Delete, st.lists(_med_names, max_size=2).map(tuple), st.lists(_times, max_size=2).map(tuple)
    ),
    st.builds(
        TimeChange,
        st.none() | _med_names,
        st.lists(_times, min_size=1, max_size=2).map(tuple),
        st.none() | _times,
    ),
    st.builds(DoseChange, st.none() | _med_names, st.sampled_from(["50 мг", "2 капли"])),
    st.builds(TimezoneChange, st.sampled_from(["Asia/Tokyo", "+05:30", "Nowhere/City"])),
    st.builds(Done, st.lists(_med_names, max_size=2).map(tuple)),
    st.just(ListSchedule()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_commands, min_size=1, max_size=6), st.integers(0, 47))
def test_any_sequence_of_commands_keeps_a_valid_state(
    commands: list[Command], half_hours: int
) -> None:
    """No crash, refusals change nothing, the state always reloads, ids and times stay unique."""
    from medbot.core.texts import render

    evening = med("m3", "аспирин", ("21:00",), "100 мг")
    user = _open(user_with(ASPIRIN, VITAMIN_D, evening), DoseRef("m1", TODAY, "10:00"))
    now = local("00:00") + timedelta(minutes=30 * half_hours)
    for command in commands:
        outcome = apply(user, command, now)
        if isinstance(outcome.result, (Clarify, NotFound, ZoneRefused, NoMedications, UnknownText)):
            assert outcome.user is user
        for lang in ("ru", "en"):
            text = render(outcome.result, lang).text
            assert text and "None" not in text and "{" not in text
        assert user_from_json(user_to_json(outcome.user)) == outcome.user
        ids = [med.id for med in outcome.user.medications]
        assert len(ids) == len(set(ids))
        for entry in outcome.user.medications:
            assert entry.slots and len(entry.times) == len(set(entry.times))
        user = outcome.user
