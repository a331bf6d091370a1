"""Russian forms of medication names: correct when given, absent when not trustworthy."""

from __future__ import annotations

import pytest

from medbot.core.inflect import accusative, agree, agreement, cap_first, genitive

# name, genitive, accusative, agreement (None: no trustworthy form, the reply avoids inflecting)
CASES = [
    # dictionary words
    ("аспирин", "аспирина", "аспирин", "masc"),
    ("Аспирин", "Аспирина", "Аспирин", "masc"),
    ("парацетамол", "парацетамола", "парацетамол", "masc"),
    ("глицин", "глицина", "глицин", "masc"),
    ("магний", "магния", "магний", "masc"),
    ("валерьянка", "валерьянки", "валерьянку", "femn"),
    ("мазь", "мази", "мазь", "femn"),
    ("железо", "железа", "железо", "neut"),
    ("зелёнка", "зелёнки", "зелёнку", "femn"),
    # drug names the dictionary does not know, in regular paradigms
    ("ибупрофен", "ибупрофена", "ибупрофен", "masc"),
    ("цетиризин", "цетиризина", "цетиризин", "masc"),
    ("омепразол", "омепразола", "омепразол", "masc"),
    ("Кардиомагнил", "Кардиомагнила", "Кардиомагнил", "masc"),
    ("бисопролол", "бисопролола", "бисопролол", "masc"),
    ("ИБУПРОФЕН", "ИБУПРОФЕНА", "ИБУПРОФЕН", "masc"),
    ("смекта", "смекты", "смекту", "femn"),
    ("Но-шпа", "Но-шпы", "Но-шпу", "femn"),
    ("мильгамма", "мильгаммы", "мильгамму", "femn"),
    ("Магнезия", "Магнезии", "Магнезию", "femn"),
    # multi-word names: adjectives agree, dependent words stay
    ("аскорбиновая кислота", "аскорбиновой кислоты", "аскорбиновую кислоту", "femn"),
    ("ацетилсалициловая кислота", "ацетилсалициловой кислоты", "ацетилсалициловую кислоту", "femn"),
    ("кислота аскорбиновая", "кислоты аскорбиновой", "кислоту аскорбиновую", "femn"),
    ("капли для глаз", "капель для глаз", "капли для глаз", "plur"),
    ("глазные капли", "глазных капель", "глазные капли", "plur"),
    ("таблетки от давления", "таблеток от давления", "таблетки от давления", "plur"),
    ("спрей для горла", "спрея для горла", "спрей для горла", "masc"),
    ("назальный спрей", "назального спрея", "назальный спрей", "masc"),
    ("рыбий жир", "рыбьего жира", "рыбий жир", "masc"),
    ("активированный уголь", "активированного угля", "активированный уголь", "masc"),
    ("настойка пустырника", "настойки пустырника", "настойку пустырника", "femn"),
    ("Мезим форте", "Мезима форте", "Мезим форте", "masc"),
    # Latin letters and digits after the head are kept as written
    ("витамин B12", "витамина B12", "витамин B12", "masc"),
    ("витамин D", "витамина D", "витамин D", "masc"),
    ("коэнзим Q10", "коэнзима Q10", "коэнзим Q10", "masc"),
    ("L-карнитин", "L-карнитина", "L-карнитин", "masc"),
    ("метформин 500", "метформина 500", "метформин 500", "masc"),
    # nothing trustworthy: indeclinable endings, Latin script, abbreviations, brand pairs
    ("Ксарелто", None, None, None),
    ("терафлю", None, None, None),
    ("Эссенциале", None, None, None),
    ("энтеросгель", None, None, None),  # "-ь": masculine or feminine, cannot tell
    ("Омега-3", None, None, None),
    ("Vitamin C", None, None, None),
    ("Aspirin", None, None, None),
    ("АЦЦ", None, None, None),
    ("Тантум Верде", None, None, None),
    ("Магне B6", None, None, None),
    ("", None, None, None),
]


@pytest.mark.parametrize(("name", "gent", "accs", "gender"), CASES)
def test_forms_of_names(name: str, gent: str | None, accs: str | None, gender: str | None) -> None:
    assert genitive(name) == gent
    assert accusative(name) == accs
    assert agreement(name) == gender


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize(
    ("name", "participle"),
    [
        ("Аспирин", "удалён"),
        ("аскорбиновая кислота", "удалена"),
        ("железо", "удалено"),
        ("капли для глаз", "удалены"),
        ("Ксарелто", None),
    ],
)
def test_agreeing_participle(name: str, participle: str | None) -> None:
    assert agree(name, "удалён", "удалена", "удалено", "удалены") == participle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("витамин B12", "Витамин B12"),
        ("аспирин", "Аспирин"),
        ("l-карнитин", "L-карнитин"),
        ("Уже", "Уже"),
        ("iPhone-таблетки", "IPhone-таблетки"),
        ("", ""),
    ],
)
def test_cap_first_keeps_the_rest_of_the_casing(text: str, expected: str) -> None:
    assert cap_first(text) == expected


def test_inflected_forms_are_never_empty_or_partial() -> None:
    for name, *_ in CASES:
        for form in (genitive(name), accusative(name)):
            if form is not None:
                assert len(form.split()) == len(name.split())
                assert all(word for word in form.split())
