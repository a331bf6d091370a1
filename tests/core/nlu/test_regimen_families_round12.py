"""Schedule families the blind corpora zt and zu found weak (issue 9): a bare hour listed after a
later one, a class of medicines said instead of a name, a break until a procedure on a day,
"tonight" after a pm hour, a course extended, either of two weekdays, a change of mind after "..",
English linking verbs after a name, lab tests beside a break, "the one I added", a rule said before
a list, "move it to the 12th", a brand with its number, a taper said as its rule, the old rule said
beside the new one, "moved from Sunday to Wednesday", "keep taking", "tomorrow's meds?", "N days in
a row", next week's agenda, a glued preposition that may be a typo. Each test uses phrasings of
our own (not the corpora's) and fails if that family's reading breaks."""

from __future__ import annotations

from typing import Any

import pytest

from medbot.core.commands import to_json
from medbot.core.nlu import parse
from tests.core.nlu.test_people_families_fresh import asks, meds, sure
from tests.core.nlu.test_regimen_families_round7 import one

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


def read(text: str) -> dict[str, Any]:
    return to_json(parse(text))


# ------------------------------------------------ a bare hour listed after a later one


@pytest.mark.parametrize(("text", "times"), [
    ("метформин в 10 и 4", ["10:00", "16:00"]),
    ("ципролет в 8, 2 и 8", ["08:00", "14:00", "20:00"]),
    ("take the Keflex at 6am, 12 and 6", ["06:00", "12:00", "18:00"]),
    ("амоксиклав в 7 утра, 3 и 11 вечера", ["07:00", "15:00", "23:00"]),
])
def test_a_bare_hour_below_the_one_before_it_is_proposed_as_the_afternoons(text: str, times: list[str]) -> None:
    body = read(text)
    assert body["command"] == "add" and body["confirm"] and not body["needs_llm"], body
    assert sorted(body["medications"][0]["times"]) == times


@pytest.mark.parametrize(("text", "times"), [
    ("гептрал в 22 и 6", ["06:00", "22:00"]),  # a night hour after a late one
    ("пентоксифиллин в 8 и 14", ["08:00", "14:00"]),
    ("нимесил в 9 и 9", ["09:00", "21:00"]),
])
def test_hours_already_in_order_are_kept_as_said(text: str, times: list[str]) -> None:
    assert sorted(meds(text)[0][2]) == times


def test_a_moved_hour_is_not_read_as_a_list() -> None:
    body = read("валсартан не в 10, а в 2")
    assert body.get("new_times") != ["14:00"] or body["confirm"]


# ------------------------------------------------ a class of medicines instead of a name


@pytest.mark.parametrize("text", [
    "по 1 капсуле антибиотика каждые 12 часов",
    "обезболивающее по необходимости, не больше 3 в день",
    "sleeping pill at bedtime for 5 nights",
    "water pills every other morning",
])
def test_a_class_of_medicines_is_asked_which_one(text: str) -> None:
    body = read(text)
    assert asks(text) or body["command"] == "regimen_change" and body["name"] is None, body


def test_a_one_off_reminder_may_name_only_the_class() -> None:
    assert one("remind me in 20 minutes to take the antibiotic")["regimen"] == {"kind": "once", "in_minutes": 20}


# ------------------------------------------------ a break until a procedure on a day


@pytest.mark.parametrize(("text", "before"), [
    ("варфарин не напоминай до операции в четверг", {"kind": "weekday", "value": THURSDAY}),
    ("hold my Plavix until the biopsy on Tuesday", {"kind": "weekday", "value": TUESDAY}),
    ("не напоминай про метформин до КТ 18 мая", {"kind": "date", "value": 18, "month": 5}),
    ("pause the Eliquis until my colonoscopy on the 9th", {"kind": "date", "value": 9}),
])
def test_a_break_until_a_procedure_ends_the_day_before_it(text: str, before: dict[str, int]) -> None:
    body = sure(text)
    assert body["command"] == "pause"
    assert body["first"] == {"kind": "offset", "value": 0} and body["before"] == before


@pytest.mark.parametrize(("text", "name"), [
    ("послезавтра не напоминай про розувастатин, сдаю биохимию", "розувастатин"),
    ("skip the iron tomorrow, bloodwork in the morning", "iron"),
])
def test_a_lab_test_beside_a_break_is_its_reason_never_a_medication(text: str, name: str) -> None:
    body = sure(text)
    assert body["command"] == "pause" and [n.lower() for n in body["names"]] == [name]


# ------------------------------------------------ "tonight" after a pm hour


@pytest.mark.parametrize("text", [
    "Remind me at 10pm tonight to take the Dulcolax",
    "remind me at 8pm tonight to take a Zyrtec",
])
def test_tonight_after_a_pm_hour_in_a_reminder_is_today_only(text: str) -> None:
    item = one(text)
    assert item["regimen"] == {"kind": "once", "start": {"kind": "offset", "value": 0}}


# ------------------------------------------------ questions and doubts the reading must keep


@pytest.mark.parametrize("text", [
    "Продлили сумамед ещё на 2 дня",
    "курс цефазолина продлевают на 5 дней",
    "the GP extended the doxycycline by a week",
    "во вторник или среду выпить пирантел",
    "Mebendazole on Saturday or Sunday, not decided",
    "кальций по понедельникам и четвергам.. ой нет, по вторникам",
    "дексаметазон снижать на 1 таблетку каждые 2 дня",
    "reduce the prednisolone by 2.5 mg every 5 days",
    "Метипред уже на 3 таблетках, дальше 2 таблетки неделю и 1 таблетка неделю",
    "аспирин всемь вечера",
    "что на следующей неделе пить?",
])
def test_what_the_person_has_not_settled_is_asked(text: str) -> None:
    assert asks(text) or read(text)["command"] == "unknown"


# ------------------------------------------------ English linking verbs after a name


@pytest.mark.parametrize(("text", "name", "dosage"), [
    ("amlodipine got bumped to 10 mg", "amlodipine", "10 mg"),
    ("my sertraline has been raised to 100 mg", "sertraline", "100 mg"),
    ("Lasix was cut to 20 mg", "Lasix", "20 mg"),
])
def test_a_linking_verb_after_a_name_is_not_part_of_it(text: str, name: str, dosage: str) -> None:
    body = sure(text)
    assert body["command"] == "dose_change"
    assert body["name"].lower() == name.lower() and body["dosage"] == dosage


# ------------------------------------------------ "the one I added", "the one for blood pressure"


@pytest.mark.parametrize("text", [
    "delete the one I added this morning",
    "убери то, что я вчера добавила",
    "удали то, что от сахара",
])
def test_a_deletion_by_description_asks_which_medication(text: str) -> None:
    body = sure(text)
    assert body["command"] == "delete" and body["names"] == []


# ------------------------------------------------ a rule said before a list


@pytest.mark.parametrize(("text", "regimen"), [
    ("по субботам: витамин д и омега", {"kind": "weekdays", "weekdays": [SATURDAY]}),
    ("Every other day: B12 1000 mcg and folate 400 mcg", {"kind": "every_n_days", "interval": 2}),
    ("раз в 3 дня магний и калий", {"kind": "every_n_days", "interval": 3}),
])
def test_a_rule_said_before_a_list_is_every_listed_medications(text: str, regimen: dict[str, Any]) -> None:
    body = sure(text)
    assert body["command"] == "add" and len(body["medications"]) == 2
    assert all(item["regimen"] == regimen for item in body["medications"])


def test_a_rule_set_against_the_next_medication_is_not_shared() -> None:
    body = read("по понедельникам метотрексат, а фолиевую кислоту во вторник")
    assert [item["regimen"] for item in body["medications"]] == [
        {"kind": "weekdays", "weekdays": [MONDAY]}, {"kind": "weekdays", "weekdays": [TUESDAY]}]


# ------------------------------------------------ moving a rule's day


def test_moving_to_a_day_of_the_month_is_the_new_monthly_day() -> None:
    body = sure("move the Prolia to the 20th")
    assert body["command"] == "regimen_change" and body["regimen"] == {"kind": "monthly", "month_day": 20}


@pytest.mark.parametrize(("text", "day"), [
    ("Trulicity moved from Saturday to Tuesday", TUESDAY),
    ("перенеси алендронат с пятницы на понедельник", MONDAY),
])
def test_a_day_moved_across_the_weekend_is_the_day_said_last(text: str, day: int) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change" and body["regimen"] == {"kind": "weekdays", "weekdays": [day]}


# ------------------------------------------------ the old rule said beside the new one


@pytest.mark.parametrize(("text", "regimen"), [
    ("торасемид через день, а не каждый день", {"kind": "every_n_days", "interval": 2}),
    ("пролия теперь 12-го, а не 3-го", {"kind": "monthly", "month_day": 12}),
    ("Bactrim on Mondays and Thursdays now instead of daily", {"kind": "weekdays", "weekdays": [MONDAY, THURSDAY]}),
    ("нексиум по необходимости. каждый день больше не надо", {"kind": "as_needed"}),
])
def test_the_old_rule_beside_the_new_one_makes_it_a_change(text: str, regimen: dict[str, Any]) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change" and body["regimen"] == regimen


def test_a_question_about_one_week_is_not_a_change() -> None:
    assert read("Can I take the Fosamax on Monday this week instead of Friday?")["command"] != "regimen_change"


@pytest.mark.parametrize("text", ["keep taking the Keflex until Sunday", "продолжаем пить супракс до воскресенья"])
def test_keep_taking_until_a_day_is_a_new_end_of_the_course(text: str) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change"
    assert body["regimen"] == {"kind": "daily", "until": {"kind": "weekday", "value": SUNDAY}}


# ------------------------------------------------ agenda and cycles


@pytest.mark.parametrize(("text", "days"), [("Today's pills?", 1), ("tomorrow's meds?", 2), ("pills tomorrow?", 2)])
def test_a_day_and_the_medicines_asked_is_the_agenda(text: str, days: int) -> None:
    assert sure(text) == {**sure(text), "command": "agenda", "days": days}


def test_days_in_a_row_before_a_break_is_a_cycle() -> None:
    assert one("джес 24 дня подряд, потом 4 дня перерыв")["regimen"] == {"kind": "cycle", "on_days": 24, "off_days": 4}


def test_a_brand_with_its_number_keeps_its_written_form() -> None:
    assert one("Клайре-28 каждый вечер")["name"] == "Клайре-28"


@pytest.mark.parametrize(("text", "on", "off"), [
    ("капецитабин 2 недели через неделю", 14, 7),
    ("Новинет 21+7 в 22:00", 21, 7),
])
def test_a_cycle_said_as_weeks_through_a_week_or_with_a_plus(text: str, on: int, off: int) -> None:
    assert one(text)["regimen"] == {"kind": "cycle", "on_days": on, "off_days": off}


@pytest.mark.parametrize(("text", "regimen"), [
    ("фосамакс теперь не по субботам, а по воскресеньям", {"kind": "weekdays", "weekdays": [SUNDAY]}),
    ("диувер не каждый день, а через день", {"kind": "every_n_days", "interval": 2}),
])
def test_not_the_old_rule_but_the_new_one_is_a_change(text: str, regimen: dict[str, Any]) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change" and body["regimen"] == regimen


@pytest.mark.parametrize(("text", "days"), [("прервать мотилиум на 5 дней", 5), ("прервите ксарелто на неделю", 7)])
def test_interrupting_a_medication_for_days_is_a_break_never_a_course(text: str, days: int) -> None:
    body = sure(text)
    assert body["command"] == "pause" and body["days"] == days


def test_a_child_named_before_the_medication_is_not_part_of_its_name() -> None:
    assert one("сынишке Панадол 5 мл каждые 6 часов")["name"] == "Панадол"


@pytest.mark.parametrize(("text", "part"), [
    ("выпила утренние", "morning"), ("Dad's had his evening pills", "evening"), ("приняла дневные", "afternoon"),
    ("все на ночь выпиты", "night"), ("выпила утренние и вечерние", None), ("всё выпила", None),
])
def test_a_mark_for_a_part_of_the_day_names_that_part(text: str, part: str | None) -> None:
    body = sure(text)
    assert body["command"] == "done" and body["names"] == [] and body.get("part") == part


# ------------------------------------------------ from the blind corpora zv and zw


@pytest.mark.parametrize("text", [
    "Mum's alendronate is Mondays, or was it Wednesdays? add it anyway",
    "через день по целой таблетке, а в остальные дни по половинке варфарина",
    "через каждые 3 дня магне б6",
])
def test_days_not_chosen_and_doses_taking_turns_are_asked(text: str) -> None:
    assert asks(text) or read(text)["command"] == "unknown"


def test_the_days_a_medication_is_not_taken_are_no_doubt() -> None:
    assert one("фуросемид по вторникам и пятницам, в остальные дни не надо")["regimen"] == {
        "kind": "weekdays", "weekdays": [TUESDAY, FRIDAY]}


def test_ordinal_weeks_of_a_taper_are_a_week_each() -> None:
    steps = one("медрол: 1 неделя 3 таблетки, 2 неделя 2 таблетки, 3 неделя 1 таблетка")["regimen"]["steps"]
    assert [step["days"] for step in steps] == [7, 7, 7]


def test_when_said_after_a_comma_before_the_next_name_is_that_ones() -> None:
    body = sure("аспирин в 8, по средам в 9 ибупрофен")
    assert [(m["name"], m["times"], m.get("regimen")) for m in body["medications"]] == [
        ("аспирин", ["08:00"], None), ("ибупрофен", ["09:00"], {"kind": "weekdays", "weekdays": [WEDNESDAY]})]


@pytest.mark.parametrize(("text", "names"), [
    ("убери эналаприл, кардиолог отменил", ["эналаприл"]),
    ("no reminders today please, we're at the ER", []),
])
def test_a_doctor_or_a_place_beside_a_name_is_never_a_medication(text: str, names: list[str]) -> None:
    assert sure(text)["names"] == names


def test_all_of_a_kind_deleted_asks_which() -> None:
    assert sure("удали все антибиотики")["names"] == []


def test_what_is_on_the_schedule_today_is_the_agenda() -> None:
    assert sure("Что сегодня у мамы по расписанию?") == {**sure("Что сегодня у мамы по расписанию?"),
                                                         "command": "agenda", "days": 1}


@pytest.mark.parametrize(("text", "name"), [
    ("Пете по понедельникам витамин д 2 капли", "витамин д"),
    ("Оле через день фолиевую кислоту утром", "фолиевая кислота"),
    ("give Lily her Zyrtec at bedtime", "Zyrtec"),
])
def test_a_child_named_in_the_message_is_whom_the_medicine_is_for(text: str, name: str) -> None:
    assert one(text)["name"] == name


def test_a_guessed_name_of_an_unknown_brand_is_not_a_person() -> None:
    assert sure("Мама сегодня Ибрансу уже выпила")["names"] == ["Ибранс"]


def test_mine_and_someone_named_are_two_peoples_schedules() -> None:
    assert asks("запиши мне конкор в 8, а Вите его лозап в 21")
