from __future__ import annotations

import pytest

from medbot.core.commands import MedName
from medbot.core.nlu import med_name
from medbot.core.nlu.names import has_function_word, has_verb, looks_like_medication
from medbot.core.nlu.normalize import clean, fold, tokenize


def words(text: str):
    cleaned = clean(text)
    return tokenize(cleaned, fold(cleaned))


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("аскорбиновую кислоту", "аскорбиновая кислота"), ("рыбьего жира", "рыбий жир"),
        ("капель для глаз", "капли для глаз"), ("капли для глаз", "капли для глаз"),
        ("глазных капель", "глазные капли"), ("спрея для горла", "спрей для горла"),
        ("фолиевой кислоты", "фолиевая кислота"), ("активированного угля", "активированный уголь"),
        ("таблеток от давления", "таблетки от давления"), ("витаминов группы B", "витамины группы B"),
        ("масла чайного дерева", "масло чайного дерева"), ("сиропа от кашля", "сироп от кашля"),
        ("омегу", "омега"), ("мази", "мазь"), ("железа", "железо"), ("магния", "магний"), ("аспирином", "аспирин"),
        # names the dictionary does not know
        ("ибупрофена", "ибупрофен"), ("цетиризина", "цетиризин"), ("ибупрофеном", "ибупрофен"),
        ("мелатонина", "мелатонин"), ("эутирокса", "эутирокс"), ("кардиомагнила", "кардиомагнил"),
        ("Кагоцела", "Кагоцел"), ("L-карнитина", "L-карнитин"), ("но-шпу", "но-шпа"), ("Ринзу", "Ринза"),
        ("детского нурофена", "детский нурофен"), ("ксарелто", "ксарелто"), ("Терафлю", "Терафлю"),
        # the person's casing and spelling
        ("витамин B12", "витамин B12"), ("Витамина B12", "Витамин B12"), ("витамин Д3", "витамин Д3"),
        ("коэнзима Q10", "коэнзим Q10"), ("Омега-3", "Омега-3"), ("омеги-3", "омега-3"), ("ИБУПРОФЕНА", "ИБУПРОФЕН"),
        ("Nurofen", "Nurofen"), ("vitamin D", "vitamin D"), ("fish oil", "fish oil"), ("5-HTP", "5-HTP"),
        ("  аспирин  кардио ", "аспирин кардио"), ("ёлочного сиропа", "ёлочный сироп"),
    ],
)
def test_display_name_is_the_dictionary_form(raw: str, name: str) -> None:
    assert med_name(raw).name == name


@pytest.mark.parametrize(
    "forms",
    [
        ["ибупрофен", "ибупрофена", "Ибупрофеном", "ИБУПРОФЕНУ", "ибупрофене"],
        ["аскорбиновая кислота", "аскорбиновую кислоту", "аскорбиновой кислоты"],
        ["капли для глаз", "капель для глаз", "каплями для глаз"],
        ["рыбий жир", "рыбьего жира", "рыбьим жиром"],
        ["витамин B12", "витамина B12", "Витамином b12"],
        ["L-карнитин", "L-карнитина", "l-карнитином"],
        ["цетиризин", "цетиризина"],
        ["ёж", "ежа"],
    ],
)
def test_every_case_form_and_casing_has_the_same_key(forms: list[str]) -> None:
    keys = {med_name(form).key for form in forms}
    assert len(keys) == 1


def test_the_key_is_lower_case_dictionary_forms_with_e_for_yo_and_single_spaces() -> None:
    assert med_name("Аскорбиновую   кислоту").key == "аскорбиновый кислота"
    assert med_name("капель для глаз").key == "капля для глаз"
    assert med_name("Ёлочного сиропа").key == "елочный сироп"
    assert med_name("Vitamin  D").key == "vitamin d"


def test_med_name_returns_a_plain_med_name() -> None:
    assert med_name("аспирина") == MedName(name="аспирин", key="аспирин")
    assert med_name("") == MedName(name="", key="")
    assert med_name("«Нурофен»") == MedName(name="Нурофен", key="нурофен")


@pytest.mark.parametrize("text", ["аспирин", "цетиризин", "витамин C", "B12", "Омега-3", "nurofen", "ibuprofen",
                                  "fish oil", "капли для глаз", "метформина"])
def test_looks_like_medication(text: str) -> None:
    assert looks_like_medication(words(text))


@pytest.mark.parametrize("text", ["встреча", "пицца", "маме", "the bus", "хлеб", "погода"])
def test_everyday_words_do_not_look_like_medication(text: str) -> None:
    assert not looks_like_medication(words(text))


def test_verbs_and_function_words_are_not_part_of_names() -> None:
    assert has_verb(words("позвонить маме"))
    assert has_verb(words("call mom"))
    assert not has_verb(words("спрей для горла"))
    assert has_function_word(words("аспирин который"))
    assert not has_function_word(words("витамин Д"))
