"""How people talk around the request (issue 9, second round): asides, second thoughts, chat
shorthand, misheard words of time, lists without commas, carers' words, trips told at length.
Each phrasing is our own (not from a corpus); each test fails if its family's reading breaks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.nlu.test_people_families import meds, reading


@pytest.mark.parametrize(("text", "expected"), [
    ("внученька запиши мне бисопролол 50 в семь утра а то я путаю всё", [("бисопролол", "50", ["07:00"], [])]),
    ("алло это я Нина Петровна запишите пожалуйста ноотропил в двенадцать дня", [("ноотропил", None, ["12:00"], [])]),
    ("Right, here we go. Ramipril 5 mg at 8 am, that's all for now", [("Ramipril", "5 mg", ["08:00"], [])]),
    ("зять пишет за тёщу: триметазидин 35 мг в 9 и в 21", [("триметазидин", "35 мг", ["09:00", "21:00"], [])]),
    ("пантопразол 40 в семь утра, я как раз встаю рано", [("пантопразол", "40", ["07:00"], [])]),
])
def test_asides_around_the_request_are_set_aside(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


@pytest.mark.parametrize("text", [
    "конкор в 8, она не пьёт его вечером",  # a negation in the tail: not an aside
    "аспирин в 9 пока не кончится упаковка",  # a course end in the tail
    "ибупрофен 400 если болит голова",  # a condition: as needed, not an aside
])
def test_a_tail_with_meaning_is_never_cut(text: str) -> None:
    body = reading(text)
    assert body["needs_llm"] or body["confirm"] or body["medications"][0].get("regimen"), body


@pytest.mark.parametrize(("text", "expected"), [
    ("ноотропил в 9... хотя нет, в 10", [("ноотропил", None, ["10:00"], [])]),
    ("нолипрел 5 мг, ой не, 10 мг в 8", [("нолипрел", "10 мг", ["08:00"], [])]),
    ("ramipril 2.5mg at 7am wait no 5 mg", [("ramipril", "5 mg", ["07:00"], [])]),
    ("crestor at 9pm, no wait, 10pm", [("crestor", None, ["22:00"], [])]),
])
def test_a_change_of_mind_keeps_the_settled_value(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


def test_a_change_of_mind_it_cannot_settle_is_asked() -> None:
    assert reading("маме нужен ацетилцистеин... нет, амброксол в 9")["needs_llm"]
    kept = reading("аспирин в 9, не в 10")  # "не в 10" is "not at 10": no change of mind, 9 stays
    assert "09:00" in str(kept) and not kept["needs_llm"], kept


@pytest.mark.parametrize(("text", "times"), [
    ("ramipril 5mg 8a", ["08:00"]),
    ("ramipril 5mg 7a 7p", ["07:00", "19:00"]),
    ("ramipril 5mg at 9 pn", ["21:00"]),
    ("ramipril 5mg 21:00hrs", ["21:00"]),
    ("ramipril 5mg half 7", ["07:30"]),
    ("ramipril 5mg at 0730", ["07:30"]),
    ("ramipril 5mg 8 15 pm", ["20:15"]),
    ("рамиприл 5 мг в 9 веч", ["21:00"]),
    ("рамиприл 5 мг в пол9 веч", ["20:30"]),
    ("рамиприл 5 мг без 10 8", ["07:50"]),
])
def test_clock_shorthand(text: str, times: list[str]) -> None:
    assert meds(text)[0][2] == times


def test_a_year_is_no_military_time() -> None:
    assert "20:24" not in str(reading("выписали в 2024 году"))


@pytest.mark.parametrize(("text", "expected"), [
    ("бисопролол в восем вечира", [("бисопролол", None, ["20:00"], [])]),
    ("бисопролол за ужыном", [("бисопролол", None, [], ["dinner"])]),
    ("бисопролол вдесять", [("бисопролол", None, ["10:00"], [])]),
    ("бисопролол наночь", [("бисопролол", None, [], ["bedtime"])]),
])
def test_misheard_words_of_time(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("в 7 бисопролол в 13 панангин в 22 зопиклон",
     [("бисопролол", None, ["07:00"], []), ("панангин", None, ["13:00"], []), ("зопиклон", None, ["22:00"], [])]),
    ("бисопролол в 7 панангин в 13", [("бисопролол", None, ["07:00"], []), ("панангин", None, ["13:00"], [])]),
    ("утром бисопролол 50 вечером зопиклон 7,5",
     [("бисопролол", "50", [], ["morning"]), ("зопиклон", "7.5", [], ["evening"])]),
    ("бисопролол 50 в 7. панангин в 13. зопиклон в 22",
     [("бисопролол", "50", ["07:00"], []), ("панангин", None, ["13:00"], []), ("зопиклон", None, ["22:00"], [])]),
    ("добавь три штуки: бисопролол в 7, панангин в 13, зопиклон в 22",
     [("бисопролол", None, ["07:00"], []), ("панангин", None, ["13:00"], []), ("зопиклон", None, ["22:00"], [])]),
])
def test_lists_without_commas_or_as_sentences(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


def test_two_known_names_with_no_time_between_are_not_a_list() -> None:
    body = reading("аспирин в 8 конкор")
    assert body["needs_llm"] or body["confirm"], body


@pytest.mark.parametrize(("text", "dosage"), [
    ("варфарин по половинке в 18", "0.5 таблетки"),
    ("варфарин три четвертинки в 18", "0.75 таблетки"),
    ("three quarters of a tablet of warfarin at 6pm", "0.75 tablet"),
    ("prednisone 7 1/2 mg at 8", "7.5 mg"),
])
def test_pieces_of_a_tablet(text: str, dosage: str) -> None:
    assert meds(text)[0][1] == dosage


@pytest.mark.parametrize(("text", "names"), [
    ("дала папе бисопролол и панангин", ["бисопролол", "панангин"]),
    ("gave mum her ramipril", ["ramipril"]),
    ("сделала два вдоха беродуала", ["беродуал"]),
    ("did 2 puffs of ventolin", ["ventolin"]),
    ("дед выпил свой бисопролол и лёг спать", ["бисопролол"]),
])
def test_done_in_carers_and_inhaler_words(text: str, names: list[str]) -> None:
    body = reading(text)
    assert body["command"] == "done" and body["names"] == names, body


@pytest.mark.parametrize("text", ["выпила, но не все", "took one of them", "выпила одну", "врач дал бисопролол в 8 и 20"])
def test_partial_or_prescribed_is_no_done_mark(text: str) -> None:
    body = reading(text)
    assert body["command"] != "done", body


@pytest.mark.parametrize(("text", "dosage"), [
    ("бисопролол теперь по 100", "100"),
    ("ramipril is now 2.5", "2.5"),
    ("the doctor lowered the ramipril to 2.5 mg", "2.5 mg"),
    ("дозу бисопролола подняли до 100 мг", "100 мг"),
])
def test_dose_changes_told_as_news(text: str, dosage: str) -> None:
    body = reading(text)
    assert body["command"] == "dose_change" and body["dosage"] == dosage, body


def test_a_bare_hour_after_now_is_asked() -> None:
    assert reading("бисопролол теперь 9")["needs_llm"]


@pytest.mark.parametrize(("text", "zone"), [
    ("прилетела в Омск к сестре на юбилей", "Asia/Omsk"),
    ("мы в Турции, в Анталье, отдыхаем", "Europe/Istanbul"),
    ("в Праге до конца месяца", "Europe/Prague"),
    ("переехала в Красноярск, поставь время красноярское", "Asia/Krasnoyarsk"),
    ("landed in Sydeny", "Australia/Sydney"),
    ("visiting my son in Vancouver, switch the time", "America/Vancouver"),
])
def test_trips_told_at_length(text: str, zone: str) -> None:
    body = reading(text)
    assert body == {"command": "timezone_change", "timezone": zone, "needs_llm": False, "confirm": False}


@pytest.mark.parametrize("text", ["сын прилетел в Москву", "мама в Москве, а я в Новосибирске", "прилетела в Москву, аспирин в 9"])
def test_someone_elses_trip_or_two_places_are_asked(text: str) -> None:
    body = reading(text)
    assert body["command"] != "timezone_change" and body["needs_llm"], body


@pytest.mark.parametrize(("text", "command"), [
    ("внучек отмени это я не то нажала", "undo"),
    ("mum pressed the wrong thing, can u undo", "undo"),
    ("отмини", "undo"),
    ("undo everything from yesterday", "unknown"),
    ("отмени аспирин", "delete"),
])
def test_undo_in_words_about_the_slip(text: str, command: str) -> None:
    assert reading(text)["command"] == command


@pytest.mark.parametrize(("text", "lang"), [
    ("рус яз", "ru"), ("давай на англ", "en"), ("switch lang to ru", "ru"), ("back to english", "en"),
    ("почему всё по английски сделай русский", "ru"), ("внук не понимает по-русски, на английском можно?", "en"),
])
def test_language_asked_in_more_ways(text: str, lang: str) -> None:
    body = reading(text)
    assert body["command"] == "language" and body["lang"] == lang, body


@pytest.mark.parametrize(("text", "command", "days"), [
    ("я всё на сегодня выпила?", "agenda", 1),
    ("did i take everything for today?", "agenda", 1),
    ("какая следующая таблетка?", "agenda", 1),
    ("скинь план на завтра", "agenda", 2),
    ("weekly plan pls", "agenda", 7),
])
def test_questions_about_the_day(text: str, command: str, days: int) -> None:
    body = reading(text)
    assert body["command"] == command and body["days"] == days, body


def test_whether_one_dose_was_taken_is_asked_not_answered_with_what_is_still_to_come() -> None:
    body = reading("did i take my pills this morning?")
    assert body["command"] == "unknown" and body["needs_llm"]


@pytest.mark.parametrize("text", ["can I take ibuprofen with warfarin?", "is it better to take statins at night?"])
def test_questions_for_a_doctor_change_nothing(text: str) -> None:
    assert reading(text)["command"] == "unknown"


def test_a_question_about_stock_only_reads_it() -> None:
    assert reading("сколько таблеток осталось в упаковке")["command"] == "stock_query"


@pytest.mark.parametrize(("text", "expected"), [
    ("cgbcjr", {"command": "list", "needs_llm": False, "confirm": False}),
])
def test_russian_typed_in_the_english_layout(text: str, expected: dict[str, Any]) -> None:
    assert reading(text) == expected


def test_an_add_typed_in_the_english_layout_is_asked_before_it_is_stored() -> None:
    body = reading("rjyrjh d 8")  # "конкор в 8"
    assert body["command"] == "add" and body["confirm"] and body["medications"][0]["times"] == ["08:00"]


@pytest.mark.parametrize(("text", "needs_llm"), [
    ("я в командировке", True), ("пью две таблетки утром и одну вечером", True), ("не, не так", True),
    ("спасибо", False), ("пью кофе в 8", False), ("что такое аспирин", False),
])
def test_unread_messages_about_medicines_go_to_the_llm(text: str, needs_llm: bool) -> None:
    body = reading(text)
    assert body["command"] == "unknown" and body["needs_llm"] is needs_llm, body


# --- a third round (blind corpora k and l): long friendly messages, glued units, carers' words ---


@pytest.mark.parametrize(("text", "expected"), [
    ("Добрый вечер! Запишите, пожалуйста, панангин 1 таблетка в 19:00", [("панангин", "1 таблетка", ["19:00"], [])]),
    ("Good evening, please add Losartan 50 mg at 8am", [("Losartan", "50 mg", ["08:00"], [])]),
    ("лозартан 50 мг в 8 утра. Он у нас гипертоник со стажем, если что пишите.", [("лозартан", "50 мг", ["08:00"], [])]),
    ("metoprolol 25mg at 7pm. My brother will take it from here.", [("metoprolol", "25 mg", ["19:00"], [])]),
    ("Please add for my gran: Ramipril 2.5 mg at 9 am. She always forgets when her shows are on.",
     [("Ramipril", "2.5 mg", ["09:00"], [])]),
])
def test_talk_in_sentences_of_its_own_is_set_aside(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


@pytest.mark.parametrize("text", [
    "лозартан 50 мг в 8 утра. Если давление выше 160, ещё одну.",  # a condition in its own sentence
    "Ramipril 5 mg at 9am. Only on weekdays.",  # a rule in its own sentence
])
def test_a_sentence_that_shapes_the_schedule_is_never_set_aside(text: str) -> None:
    body = reading(text)
    assert body["needs_llm"] or body["confirm"] or body["medications"][0].get("regimen"), body


def test_another_time_in_a_sentence_of_its_own_is_kept() -> None:
    body = reading("метформин 500 в 8. И вечером тоже.")
    assert body["needs_llm"] or body["confirm"] or body["medications"][0].get("routine") == ["evening"], body


@pytest.mark.parametrize(("text", "expected"), [
    ("диротон10мг в 9", [("диротон", "10 мг", ["09:00"], [])]),
    ("добавь конкор2,5мг в 8 утра", [("конкор", "2.5 мг", ["08:00"], [])]),
])
def test_a_strength_and_unit_glued_to_the_name(text: str, expected: list[Any]) -> None:
    assert meds(text) == expected


@pytest.mark.parametrize("text", ["He needs Eliquis 5 mg at 9pm", "she takes it because Lyrica 75 at 8pm"])
def test_a_sentence_is_never_stored_as_a_name(text: str) -> None:
    body = reading(text)
    assert body["needs_llm"] or body["confirm"] or all(
        " " not in med["name"] or med["name"].lower().startswith(("eliquis", "lyrica")) for med in body["medications"]), body


@pytest.mark.parametrize(("text", "names"), [
    ("таблетку выпил", []),
    ("закапала капельки", []),
    ("сделала пшик сальбутамола", ["сальбутамол"]),
    ("did a puff of ventolin", ["ventolin"]),
])
def test_done_with_only_a_form_word_names_nothing(text: str, names: list[str]) -> None:
    body = reading(text)
    assert body["command"] == "done" and [name.lower() for name in body["names"]] == names, body


@pytest.mark.parametrize(("text", "lang"), [
    ("my grandson switched the language to Russian by accident, I want English", "en"),
    ("внучка по ошибке включила английский, хочу русский", "ru"),
])
def test_the_language_set_by_accident_is_not_the_one_asked_for(text: str, lang: str) -> None:
    assert reading(text)["lang"] == lang


@pytest.mark.parametrize("text", ["расписание на сегодня какое?", "покажи расписание на сегодня"])
def test_the_schedule_for_today_is_the_agenda(text: str) -> None:
    assert reading(text) | {"confirm": False} == {"command": "agenda", "days": 1, "needs_llm": False, "confirm": False}


@pytest.mark.parametrize("text", [
    "сколько раз я пропустила таблетки за прошлый месяц?",
    "пропустила вечернюю, выпить сейчас или подождать до утра?",
    "he takes something for the heart twice a day, I forgot its name",
])
def test_questions_no_lookup_answers_are_not_read_as_one(text: str) -> None:
    assert reading(text)["command"] not in ("list", "agenda"), reading(text)
