"""Schedule families the blind corpora zn and zo found weak (issue 9: unknown brand names whose
ending does not tell their nominative, a course's length before "потом перерыв" read as a break,
questions about combining or skipping doses, a course counted in injections with another rule,
a person's name with "'s" before the medication), each with phrasings of our own (not the
corpora's): every test fails if that family's reading breaks."""

from __future__ import annotations

import pytest

from medbot.core.commands import to_json
from medbot.core.nlu import med_name, parse
from tests.core.nlu.test_people_families_fresh import asks, sure
from tests.core.nlu.test_regimen_families_round7 import one

# ------------------------------------------------ an unknown brand whose case cannot be told


@pytest.mark.parametrize("text", [
    "Рексулта 2 мг по средам в 9",  # "рексулта", or "рексулт" in the genitive?
    "каждый месяц 5-го числа Тревикта в 11",
    "Коксара 10 мг через день в 8",
    "по будням в 8 вертала 5 мг",
    "маме Фулвестранту 500 мг раз в месяц 3-го числа",  # a feminine accusative, or a masculine dative?
    "Венклекса 100 мг по пн в 10",  # nominative -а, or genitive of "Венклекс"?
])
def test_an_unknown_name_whose_ending_may_be_a_case_is_asked(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(("text", "name"), [
    ("2 таблетки рексулта по средам в 9", "рексулт"),  # after a dosage: a genitive, settled
    ("конкор 5 мг по средам в 9", "конкор"),  # known, not asked
    ("добавь нольпазу по будням в 8", "нольпаза"),  # known in any case form
])
def test_a_name_settled_by_a_dosage_or_the_vocabulary_is_not_asked(text: str, name: str) -> None:
    body = sure(text)
    assert body["medications"][0]["name"].lower() == name


def test_after_pro_a_feminine_accusative_is_plain() -> None:
    body = sure("до пятницы не напоминай про Тревикту")
    assert body["command"] == "pause" and [n.lower() for n in body["names"]] == ["тревикта"]


# ------------------------------------------------ a course's length, then "потом перерыв"


@pytest.mark.parametrize("text", [
    "пантогам месяц, потом перерыв",
    "мексидол 10 дней, потом перерыв и повторить",
    "Магне В6 три недели, потом перерыв месяц",
])
def test_taking_then_a_break_is_never_a_pause_now(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(("text", "days"), [
    ("перерыв по пантогаму 2 недели", 14),
    ("приостанови мексидол на 10 дней, потом снова", 10),
])
def test_a_break_with_its_own_length_is_still_a_pause(text: str, days: int) -> None:
    body = sure(text)
    assert (body["command"], body["days"]) == ("pause", days)


# ------------------------------------------------ questions for a doctor, never a dose


@pytest.mark.parametrize("text", [
    "ибупрофен при боли, а можно его совмещать с аспирином?",
    "нурофен при температуре, можно чередовать с парацетамолом",
    "can I take the evening dose if I forgot the morning one?",
    "should I skip my metformin if I'm not eating today?",
])
def test_a_question_about_combining_or_skipping_is_never_acted_on(text: str) -> None:
    body = to_json(parse(text))
    assert body["command"] == "unknown", body  # to the LLM, or "не понял" offline: no dose stored or shown


def test_if_without_a_question_is_still_a_schedule() -> None:
    med = one("take ibuprofen if I have a headache")
    assert med["regimen"] == {"kind": "as_needed"}


# ------------------------------------------------ a course counted in injections


def test_injections_counted_with_another_rule_are_asked() -> None:
    assert asks("курс мильгаммы, 10 уколов через день")
    assert asks("Мексидол 15 уколов раз в 2 дня")


def test_injections_counted_every_day_are_the_course_length() -> None:
    med = one("курс комбилипена 10 уколов")
    assert med["regimen"] == {"kind": "daily", "days": 10} and med["dosage"] is None


# ------------------------------------------------ whose it is, and patch changes


@pytest.mark.parametrize(("text", "name"), [
    ("add Margaret's vitamin D every Monday at 10", "vitamin D"),
    ("Peter's methotrexate 15mg on Fridays at 9am", "methotrexate"),
])
def test_a_persons_name_with_s_is_whose_not_the_name(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name.lower()


def test_a_patch_changed_every_few_days_is_an_add() -> None:
    body = sure("Grandad's buprenorphine patch changed every 7 days at 10am")
    assert body["command"] == "add"
    med = body["medications"][0]
    assert (med["name"].lower(), med["regimen"]) == ("buprenorphine", {"kind": "every_n_days", "interval": 7})


# ------------------------------------------------ generic names with an adjective no dictionary lists


@pytest.mark.parametrize(("raw", "shown"), [
    ("золедроновую кислоту", "золедроновая кислота"),
    ("алендроновую кислоту", "алендроновая кислота"),
    ("тиоктовая кислота", "тиоктовая кислота"),
])
def test_an_unlisted_adjective_agrees_with_its_noun(raw: str, shown: str) -> None:
    assert med_name(raw).name == shown
    assert med_name(raw).key == med_name(shown).key  # one medication, whatever the case form


def test_an_unlisted_adjective_in_a_schedule_is_proposed_as_said() -> None:
    body = to_json(parse("золедроновую кислоту 5 мг раз в месяц 15-го числа в 10"))
    med = body["medications"][0]  # a word no vocabulary knows: proposed with one tap, in its nominative
    assert (med["name"], med["regimen"]) == ("золедроновая кислота", {"kind": "monthly", "month_day": 15})
