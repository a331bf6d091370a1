"""Families the blind corpora x, y and z found weak (issue 9), each with phrasings of our own
(not the corpora's): every test fails if that family's reading breaks."""

from __future__ import annotations

from typing import Any

import pytest

from medbot.core.commands import to_json
from medbot.core.nlu import parse


def reading(text: str) -> dict[str, Any]:
    body = to_json(parse(text))
    body.pop("confirm" if not body.get("confirm") else "", None)
    return body


def sure(text: str) -> dict[str, Any]:
    body = to_json(parse(text))
    assert not body["needs_llm"] and not body["confirm"], body
    return body


def asks(text: str) -> bool:
    body = to_json(parse(text))
    return bool(body["needs_llm"] or body["confirm"])


def meds(text: str) -> list[tuple[str, str | None, list[str], list[str]]]:
    body = sure(text)
    assert body["command"] == "add", body
    return [(m["name"], m["dosage"], m["times"], m.get("routine", [])) for m in body["medications"]]


@pytest.mark.parametrize(("text", "name"), [
    ("my lisinopril tablet at 9", "lisinopril"), ("кетотифен капли в 20", "кетотифен"),
    ("remind me about my fish oil capsules at lunch", "fish oil"),
    ("мексидол таблетки в 8", "мексидол"),
])
def test_a_form_word_after_a_name_is_not_part_of_it(text: str, name: str) -> None:
    assert meds(text)[0][0] == name


def test_iron_drops_keep_their_form_word() -> None:
    assert meds("iron drops at 9")[0][0] == "iron drops"


@pytest.mark.parametrize("text", ["запиши ту таблетку в 9", "add that one at 8", "поставь эту в 21"])
def test_a_pronoun_is_never_stored_as_a_name(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(("text", "name"), [
    ("could you remove the metformin from my list", "metformin"), ("the vitamin c can go now", "vitamin c"),
    ("курс цефтриаксона закончился удали", "цефтриаксон"), ("допила курс флемоксина, убирай его", "флемоксин"),
])
def test_ways_of_deleting(text: str, name: str) -> None:
    body = sure(text)
    assert body["command"] == "delete" and body["names"] == [name]


@pytest.mark.parametrize(("text", "old", "new"), [
    ("финлепсин в 8 а нужно в 9", "08:00", "09:00"), ("бисопролол в шесть, а надо в семь", "06:00", "07:00"),
    ("розувастатин не вечером а в 21:30", None, "21:30"), ("melatonin not at bedtime but at 10 pm", None, "22:00"),
])
def test_a_time_put_right_in_one_message(text: str, old: str | None, new: str) -> None:
    body = sure(text)
    assert body["command"] == "time_change" and body["new_times"] == [new] and body["old_time"] == old


def test_a_time_that_was_right_and_a_part_of_the_day_instead_is_asked_about() -> None:
    assert asks("эналаприл на ночь, а не в 22")
    assert asks("aspirin in the morning instead of 9")


@pytest.mark.parametrize(("text", "dosage"), [
    ("не одну таблетку, а полторы", "1.5 таблетки"), ("с сегодняшнего дня престариум 10 мг вместо 5", "10 мг"),
    ("doctor changed my metformin to 1000 mg", "1000 mg"), ("тромбоасс тепер 50", "50"),
    ("ксарелто теперь по 15 будет", "15"), ("aspirin 2 pills instead of 1", "2 pills"),
])
def test_a_dose_put_right(text: str, dosage: str) -> None:
    body = sure(text)
    assert body["command"] == "dose_change" and body["dosage"] == dosage


@pytest.mark.parametrize(("text", "name"), [("пиренеси аспирин на 10", "аспирин"), ("последнее перенеси на 21:00", None)])
def test_a_move_with_a_typo_or_of_the_last_one(text: str, name: str | None) -> None:
    body = sure(text)
    assert body["command"] == "time_change" and body["name"] == name


@pytest.mark.parametrize(("text", "lang"), [
    ("Let's do Russian from now on", "ru"), ("верни английский, а то всё по-русски", "en"),
    ("по-русски, хотя нет, по-английски", "en"), ("can you talk to my dad in Russian", "ru"),
])
def test_the_language_asked_for(text: str, lang: str) -> None:
    assert sure(text) == {"command": "language", "lang": lang, "needs_llm": False, "confirm": False}


@pytest.mark.parametrize("text", ["не надо было его убирать, верни", "bring them back please", "нет, не надо было удалять"])
def test_taking_back_a_deletion(text: str) -> None:
    assert sure(text)["command"] == "undo"


@pytest.mark.parametrize("text", ["что мне пить завтра и что у жены", "покажи мои лекарства и мамины"])
def test_a_question_about_two_peoples_medicines_is_asked_about(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("новый препарат ксарелто 20 мг в 19", [("ксарелто", "20 мг", ["19:00"], [])]),
    ("у меня давление лозап 50 в 8", [("лозап", "50", ["08:00"], [])]),
    ("вчера невролог прописал мексидол 125 мг в 8 и 20", [("мексидол", "125 мг", ["08:00", "20:00"], [])]),
    ("аторвастатин 20 в21", [("аторвастатин", "20", ["21:00"], [])]),
    ("глюкофаж 2 раза в 8 и 20", [("глюкофаж", None, ["08:00", "20:00"], [])]),
    ("креон с завтраком и ужином", [("креон", None, [], ["breakfast", "dinner"])]),
    ("утром эутирокс 75, в обед панангин", [("эутирокс", "75", [], ["morning"]), ("панангин", None, [], ["lunch"])]),
    ("в 7 эутирокс в 8 конкор а в 21 аторис",
     [("эутирокс", None, ["07:00"], []), ("конкор", None, ["08:00"], []), ("аторис", None, ["21:00"], [])]),
    ("мелаксен перед сном а то не высыпаюсь", [("мелаксен", None, [], ["bedtime"])]),
    ("запиши витаминку компливит в обед", [("компливит", None, [], ["lunch"])]),
    ("запиши витаминку с в 9", [("витамин с", None, ["09:00"], [])]),
])
def test_adds_said_the_way_people_say_them(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


def test_yesterday_beside_a_time_is_still_asked_about() -> None:
    assert asks("аспирин в 9 вчера")


def test_a_bare_hour_like_strength_said_with_parts_of_the_day_is_confirmed() -> None:
    assert to_json(parse("утром конкор 5, на ночь аторис 20"))["confirm"]
    assert to_json(parse("omega 3 capsules with breakfast"))["confirm"]  # Omega-3, or three capsules?


def test_help_done_and_travel_said_in_passing() -> None:
    assert sure("как тут удалить лекарство")["command"] == "help"
    assert sure("used my spiriva just now") == {"command": "done", "names": ["spiriva"], "needs_llm": False,
                                                "confirm": False}
    assert sure("I'm in Dubai till next week")["timezone"] == "Asia/Dubai"
    assert asks("flying to Dubai next week")  # not there yet


# --- found weak by the blind corpora aa and bb --------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Rp: Лозартан 50, по 1 т. 1 р/д в 8.00", [("Лозартан", "50", ["08:00"], [])]),
    ("Rp: Аторвастатин 20 мг по 1 т. на ночь", [("Аторвастатин", "20 мг", [], ["bedtime"])]),
    ("индапамид 1/2 т. утром", [("индапамид", "0.5 таблетки", [], ["morning"])]),
    ("Бисопролол 2,5 мг, по 1 таблетке утром", [("Бисопролол", "2.5 мг", [], ["morning"])]),
    ("тимолол по капле в 8 и в 20", [("тимолол", "1 капля", ["08:00", "20:00"], [])]),
    ("пусть напоминает магнелис по 2 таблетки в 9", [("магнелис", "2 таблетки", ["09:00"], [])]),
    ("new rx cephalexin 500mg at 8am and 8pm", [("cephalexin", "500 mg", ["08:00", "20:00"], [])]),
    ("sertraline 50 first thing in the morning", [("sertraline", "50", [], ["morning"])]),
    ("додай аспирин кардио в 9", [("аспирин кардио", None, ["09:00"], [])]),
])
def test_prescriptions_and_other_ways_to_add(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


def test_a_count_of_tablets_beside_another_count_is_still_asked_about() -> None:
    assert asks("варфарин то ли половинку то ли целую, в 18")


@pytest.mark.parametrize(("text", "old", "new"), [
    ("омепразол сдвинь на 8, был в 7", "07:00", "08:00"), ("ой ошиблась не 9 а 21:00", "09:00", "21:00"),
    ("switch the vitamin d to 9pm instead of the morning", None, "21:00"),
    ("нет, магний не утром, а вечером в 20", None, "20:00"),
])
def test_more_ways_to_put_a_time_right(text: str, old: str | None, new: str) -> None:
    body = sure(text)
    assert body["command"] == "time_change" and body["new_times"] == [new] and body["old_time"] == old


@pytest.mark.parametrize(("text", "command"), [
    ("сними напоминание про омегу", "delete"), ("випила вже все", "done"), ("i took my statin allready", "done"),
    ("что там на завтра по таблам", "agenda"), ("а на неделю расписание можно глянуть", "agenda"),
    ("my husband only reads russian, can you switch", "language"),
])
def test_more_commands_said_casually(text: str, command: str) -> None:
    assert sure(text)["command"] == command


@pytest.mark.parametrize("text", [
    "а я вчера вечернюю таблетку пила или нет?", "пью его когда давление поднимается",
    "undo… actually no wait dont", "Dad's on lisinopril at 8 and I take sertraline at 9, set both up",
    "omeprazole 20mg at 7ish",
])
def test_what_must_be_asked_about_is(text: str) -> None:
    assert asks(text) or sure(text)["command"] == "unknown"


# --- found weak by the blind corpora cc, dd, ee and ff ------------------------------------------


@pytest.mark.parametrize(("text", "command"), [
    ("Я выпила аторис, это надо куда-то отмечать?", "done"),
    ("took my inhaler dose of ventolin, is this where I tell you?", "done"),
    ("Can you do midnight? Melatonin at midnight", "add"),
    ("Can I add a few at once? aspirin at 8, statin at 21", "add"),
    ("сними с расписания мезим", "delete"),
    ("I didn't mean to delete that, can I get it back?", "undo"),
    ("отмени удаление конкора", "undo"),
    ("покажи, что у меня записано, а то я запуталась", "list"),
    ("язык", "language"),
])
def test_a_request_with_a_question_about_the_bot_around_it(text: str, command: str) -> None:
    assert sure(text)["command"] == command


@pytest.mark.parametrize("text", [
    "сколько мне сегодня колоть инсулина если сахар 14?", "how many units should I take if my sugar is 250?",
    "I took my metformin and my husband took his lisinopril", "поменяй 8 на 9 и дозу тоже",
    "я всё выпила на прошлой неделе? проверь", "можно ли изменить дозировку варфарина? теперь полторы таблетки",
])
def test_what_only_a_person_or_a_question_back_can_settle(text: str) -> None:
    body = to_json(parse(text))
    assert body["needs_llm"] or body["confirm"] or body["command"] == "unknown", body


def test_one_medication_said_at_two_times_is_one_entry() -> None:
    assert meds("в 8 утра конкор, в 8 вечера конкор и аторис") == [
        ("конкор", None, ["08:00", "20:00"], []), ("аторис", None, ["20:00"], [])]
