"""Open questions: storing them, answering by button or by text, and expiry."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from medbot.core.apply import apply
from medbot.core.commands import (
    Add,
    AddItem,
    Command,
    Delete,
    Done,
    DoseChange,
    Help,
    ListSchedule,
    ParseResult,
    Stats,
    TimeChange,
    TimezoneChange,
    Unknown,
)
from medbot.core.model import DoseRef, User, user_from_json, user_to_json
from medbot.core.pending import (
    PENDING_KEY,
    TTL,
    bare_times,
    clear,
    command_from_dict,
    command_to_dict,
    current,
    option_data,
    option_number,
    remember,
    resolve_press,
    resolve_text,
    take_press,
    take_text,
)
from medbot.core.results import Clarify, Deleted, HelpText, Option
from medbot.core.view import MAX_CALLBACK_DATA
from tests.core.test_apply import (
    ASPIRIN,
    TODAY,
    VITAMIN_D,
    local,
    med,
    n,
    reminder,
    user_with,
)

NOW = local("12:00")

ALL_COMMANDS: list[Command] = [
    Add(
        (
            AddItem(n("аспирин"), "200 мг", ("10:00", "18:00")),
            AddItem(n("витамин D", med_id="m2"), None, ()),
        )
    ),
    Delete((n("аспирин", med_id="m1"),), ("10:00",)),
    Delete(()),
    ListSchedule(),
    TimeChange(n("аспирин"), ("11:00", "21:00"), "10:00"),
    TimeChange(None, ("11:00",)),
    DoseChange(n("аспирин", med_id="m1"), "100 мг"),
    DoseChange(None, "1 таблетка"),
    TimezoneChange("Asia/Krasnoyarsk"),
    TimezoneChange("+05:30"),
    Done(()),
    Done((n("аспирин"), n("витамин D", med_id="m2"))),
    Stats(),
    Help(),
    Unknown(),
]


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: type(c).__name__)
def test_every_command_survives_a_json_round_trip(command: Command) -> None:
    as_json = json.loads(json.dumps(command_to_dict(command)))
    assert command_from_dict(as_json) == command


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {},
        {"command": "explode"},
        {"command": "add", "items": "aspirin"},
        {"command": "add", "items": [{"med": {"name": "a", "key": "a"}, "dosage": None, "times": ["25:00"]}]},
        {"command": "delete", "names": [{"name": "a", "key": "a", "med_id": "x1"}], "times": []},
        {"command": "delete", "names": [{"name": 5, "key": "a"}], "times": []},
        {"command": "time_change", "name": None, "new_times": ["9:00"], "old_time": None},
        {"command": "dose_change", "name": None, "dosage": None},
        {"command": "timezone_change"},
        {"command": "done", "names": None},
    ],
)
def test_malformed_commands_are_rejected(data: object) -> None:
    with pytest.raises(ValueError):
        command_from_dict(data)


def _ask_delete(user: User) -> tuple[User, Clarify]:
    outcome = apply(user, Delete(()), NOW)
    stored, result = remember(outcome.user, outcome.result, NOW)
    assert isinstance(result, Clarify)
    return stored, result


def test_remember_stores_the_question_with_an_id_and_an_expiry() -> None:
    user = user_with(ASPIRIN, VITAMIN_D)
    stored, result = _ask_delete(user)
    assert result.pending_id == "1"
    pending = current(stored, NOW)
    assert pending is not None and pending.id == "1" and pending.question == "delete_med"
    assert pending.options == tuple(option.command for option in result.options)
    assert pending.expires == NOW + TTL
    assert user.extra == {}  # the original state is a value: never mutated


def test_each_new_question_gets_a_new_id() -> None:
    user, first = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    user, second = _ask_delete(user)
    assert (first.pending_id, second.pending_id) == ("1", "2")


def test_the_pending_question_persists_with_the_user() -> None:
    stored, result = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    reloaded = user_from_json(json.loads(json.dumps(user_to_json(stored))))
    assert resolve_press(reloaded, option_data("1", 1), NOW) == result.options[1].command


def test_results_that_are_not_questions_leave_the_state_alone() -> None:
    user = user_with(ASPIRIN)
    assert remember(user, HelpText(), NOW) == (user, HelpText())


def test_a_question_with_nothing_to_answer_closes_the_previous_one() -> None:
    stored, _ = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    after, result = remember(stored, Clarify("done_nothing"), NOW)
    assert current(after, NOW) is None and isinstance(result, Clarify) and result.pending_id is None


def test_pressing_an_option_gives_its_command_which_applies() -> None:
    stored, result = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    command = resolve_press(stored, option_data("1", 1), NOW + timedelta(minutes=5))
    assert command == Delete((n("витамин D", "витамин d", "m2"),))
    outcome = apply(stored, command, NOW)
    assert isinstance(outcome.result, Deleted) and [m.id for m in outcome.user.medications] == ["m1"]


@pytest.mark.parametrize(
    "data",
    [
        "c:1:2",
        "c:1:-1",
        "c:1:x",
        "c:1:²",
        "c:2:0",
        "c:1",
        "c:1:0:0",
        "x:1:0",
        "",
        "c::0",
        "c:1:99999999999",
    ],
)
def test_forged_or_stale_presses_resolve_to_nothing(data: str) -> None:
    stored, _ = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    assert resolve_press(stored, data, NOW) is None


def test_a_press_on_an_older_question_is_stale() -> None:
    user, _ = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    user, _ = _ask_delete(user)
    assert resolve_press(user, option_data("1", 0), NOW) is None
    assert resolve_press(user, option_data("2", 0), NOW) is not None


def test_questions_expire() -> None:
    stored, _ = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    later = NOW + TTL + timedelta(seconds=1)
    assert resolve_press(stored, option_data("1", 0), later) is None
    assert resolve_text(stored, ParseResult(Unknown()), later, "1") is None
    assert current(stored, later) is None


def test_a_damaged_pending_record_is_ignored() -> None:
    user = user_with(ASPIRIN, extra={PENDING_KEY: {"id": "1", "options": "oops"}})
    assert current(user, NOW) is None
    assert resolve_press(user, option_data("1", 0), NOW) is None


def test_callback_data_fits_telegram() -> None:
    assert len(option_data("999999999999", 19).encode()) <= MAX_CALLBACK_DATA


@pytest.mark.parametrize(
    ("text", "index"),
    [("1", 0), ("2", 1), ("второй", 1), ("second", 1), ("№1", 0), ("первое", 0)],
)
def test_an_option_number_answers_the_question(text: str, index: int) -> None:
    stored, result = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    assert resolve_text(stored, ParseResult(Unknown()), NOW, text) == result.options[index].command


def test_a_name_answers_which_medication() -> None:
    stored, result = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    answer = ParseResult(Add((AddItem(n("витамин D"), None, ()),)))
    assert resolve_text(stored, answer, NOW, "витамин D") == result.options[1].command
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "витамин") == result.options[1].command
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "ибупрофен") is None


def test_yes_answers_a_question_with_a_single_candidate() -> None:
    stored, result = _ask_delete(user_with(ASPIRIN))
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "Да, его") == result.options[0].command
    several, _ = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    assert resolve_text(several, ParseResult(Unknown()), NOW, "да") is None


def test_a_name_with_a_typo_answers_which_medication() -> None:
    stored, result = _ask_delete(user_with(med("m1", "парацетамол", ("10:00",)), VITAMIN_D))
    wanted = next(option.command for option in result.options if option.name == "парацетамол")
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "парацетомол") == wanted


def test_an_explicit_command_is_never_taken_for_an_answer() -> None:
    stored, _ = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    add_aspirin = ParseResult(Add((AddItem(n("аспирин"), None, ()),)))
    assert resolve_text(stored, add_aspirin, NOW, "добавь аспирин") is None
    assert resolve_text(stored, ParseResult(Delete((n("аспирин"),))), NOW, "удали аспирин") is None
    assert resolve_text(stored, ParseResult(ListSchedule()), NOW, "1") is None


def test_a_time_answers_which_time() -> None:
    user = user_with(ASPIRIN)
    outcome = apply(user, TimeChange(n("аспирин"), ("11:00",)), NOW)
    stored, _ = remember(outcome.user, outcome.result, NOW)
    command = resolve_text(stored, ParseResult(Unknown()), NOW, "18:00")
    assert command == TimeChange(n("аспирин", med_id="m1"), ("11:00",), "18:00")
    parsed = ParseResult(TimeChange(None, ("10:00",)))
    assert resolve_text(stored, parsed, NOW, "") == TimeChange(n("аспирин", med_id="m1"), ("11:00",), "10:00")
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "15:00") is None


def test_a_time_picks_the_dose_offered_at_that_time_but_never_a_deletion() -> None:
    b12 = med("m3", "витамин B12", ("20:00",))
    doses = (DoseRef("m2", TODAY, "09:00"), DoseRef("m3", TODAY, "20:00"))
    user = replace(user_with(VITAMIN_D, b12), reminders=(reminder(*doses),))
    outcome = apply(user, Done((n("витамин"),)), NOW)
    stored, result = remember(outcome.user, outcome.result, NOW)
    assert isinstance(result, Clarify) and result.question == "done_med"
    b12_option = next(option.command for option in result.options if option.name == "витамин B12")
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "20:00") == b12_option
    asked_to_delete, _ = _ask_delete(user)
    assert resolve_text(asked_to_delete, ParseResult(Unknown()), NOW, "09:00") is None


def test_a_time_answers_at_what_time_and_completes_the_add() -> None:
    user = user_with()
    outcome = apply(user, Add((AddItem(n("ибупрофен"), "400 мг", ()),)), NOW)
    stored, result = remember(outcome.user, outcome.result, NOW)
    assert isinstance(result, Clarify) and result.question == "add_time"
    command = resolve_text(stored, ParseResult(Unknown()), NOW, "в 9 и 21")
    assert command == Add((AddItem(n("ибупрофен"), "400 мг", ("09:00", "21:00")),))
    added = apply(stored, command, NOW).user
    assert added.medications[0].times == ("09:00", "21:00")


def test_take_text_closes_the_question_on_an_answer_or_another_command() -> None:
    stored, result = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    answered, command = take_text(stored, ParseResult(Unknown()), NOW, "2")
    assert command == result.options[1].command and current(answered, NOW) is None
    moved_on, command = take_text(stored, ParseResult(ListSchedule()), NOW, "что я принимаю")
    assert command == ListSchedule() and current(moved_on, NOW) is None
    kept, command = take_text(stored, ParseResult(Unknown()), NOW, "эээ")
    assert command == Unknown() and kept is stored


def test_take_press_closes_the_question() -> None:
    stored, result = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    after, command = take_press(stored, option_data("1", 0), NOW)
    assert command == result.options[0].command and current(after, NOW) is None
    again, nothing = take_press(after, option_data("1", 0), NOW)
    assert nothing is None and again is after


def test_clear_without_a_question_is_the_same_state() -> None:
    user = user_with(ASPIRIN)
    assert clear(user) is user


def test_done_nothing_offers_can_be_chosen_by_number() -> None:
    user = user_with(ASPIRIN)
    outcome = apply(user, Done(()), local("17:00"))
    stored, result = remember(outcome.user, outcome.result, local("17:00"))
    assert isinstance(result, Clarify) and result.options == (
        Option(Done((n("аспирин", med_id="m1"),)), "аспирин", "200 мг", ("18:00",)),
    )
    command = resolve_text(stored, ParseResult(Unknown()), local("17:01"), "1")
    marked = apply(stored, command, local("17:01"))  # type: ignore[arg-type]
    assert [r.dose.time for r in marked.user.history] == ["18:00"]


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        ("1", 2, 0),
        ("2.", 2, 1),
        ("3", 2, None),
        ("третий", 3, 2),
        ("четвёртую", 4, 3),
        ("the first one", 2, 0),
        ("last", 3, 2),
        ("последний", 3, 2),
        ("пятница", 5, None),
        ("1 и 2", 2, None),
        ("1", 0, None),
    ],
)
def test_option_numbers(text: str, count: int, expected: int | None) -> None:
    assert option_number(text, count) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:00", ("15:00",)),
        ("в 9", ("09:00",)),
        ("9 утра и 7 вечера", ("09:00", "19:00")),
        ("at 8 pm", ("20:00",)),
        ("12 ночи", ("00:00",)),
        ("в 10.30", ("10:30",)),
        ("аспирин в 9", ()),
        ("25:00", ()),
        ("", ()),
        ("с 7", ("07:00",)),
        ("с 7:00", ("07:00",)),
        ("starting at 6am", ("06:00",)),
        ("в девять вечера", ("21:00",)),
        ("через час", ()),
    ],
)
def test_bare_times(text: str, expected: tuple[str, ...]) -> None:
    assert bare_times(text) == expected


# ---------------------------------------------------------------- conversations through the parser


def chat(user: User, text: str, when: object = NOW) -> tuple[User, str, list[str]]:
    """One message end to end: parse, answer or command, apply, remember a question, render."""
    from medbot.core.nlu import parse
    from medbot.core.texts import render

    user, command = take_text(user, parse(text), when, text)  # type: ignore[arg-type]
    outcome = apply(user, command, when)  # type: ignore[arg-type]
    user, result = remember(outcome.user, outcome.result, when)  # type: ignore[arg-type]
    reply = render(result, user.lang)
    return user, reply.text, [button.data for row in reply.buttons for button in row]


@pytest.fixture
def parser() -> None:
    pytest.importorskip("medbot.core.nlu")


@pytest.mark.usefixtures("parser")
def test_conversation_add_then_refuse_a_duplicate_in_another_case_form() -> None:
    user, text, _ = chat(user_with(), "добавь аспирин 200 мг в 10:00 и 18:00")
    assert text == "Добавлено: аспирин 200 мг — 10:00 (с завтра), 18:00"
    user, text, _ = chat(user, "Добавь аспирина 100 мг в 10:00")
    assert "уже есть в расписании" in text and "200 мг" in text
    assert [m.dosage for m in user.medications] == ["200 мг"]


@pytest.mark.usefixtures("parser")
def test_conversation_which_one_to_delete_answered_by_number() -> None:
    user, text, buttons = chat(user_with(ASPIRIN, VITAMIN_D), "удали лекарство")
    assert text.startswith("Какое лекарство удалить?") and buttons == ["c:1:0", "c:1:1"]
    user, text, _ = chat(user, "2")
    assert text == "Витамин D удалён из расписания."
    assert [m.name for m in user.medications] == ["аспирин"] and current(user, NOW) is None


@pytest.mark.usefixtures("parser")
def test_conversation_which_time_to_move_answered_by_a_time() -> None:
    ibuprofen = med("m1", "ибупрофен", ("09:00", "15:00"), "400 мг")
    user, text, _ = chat(user_with(ibuprofen), "перенеси ибупрофен на 21:00")
    assert "09:00 и 15:00" in text and "21:00" in text
    user, text, _ = chat(user, "15:00")
    assert text == "Время приёма ибупрофена 400 мг изменено на 21:00 (было 15:00). Теперь: 09:00, 21:00."
    assert user.medications[0].times == ("09:00", "21:00")


@pytest.mark.usefixtures("parser")
def test_conversation_at_what_time_answered_by_a_time() -> None:
    user, text, _ = chat(user_with(), "добавь аскорбиновую кислоту")
    assert text.startswith("В какое время принимать аскорбиновую кислоту?") and user.medications == ()
    user, text, _ = chat(user, "в 9")
    assert text == "Добавлено: аскорбиновая кислота — 09:00 (с завтра)"


@pytest.mark.usefixtures("parser")
def test_conversation_another_command_closes_the_question() -> None:
    user, _, _ = chat(user_with(ASPIRIN, VITAMIN_D), "удали лекарство")
    user, text, _ = chat(user, "что я принимаю")
    assert text.startswith("Ваше расписание:") and current(user, NOW) is None
    user, text, _ = chat(user, "1")
    assert len(user.medications) == 2  # a stray "1" deletes nothing once the question is closed


@pytest.mark.usefixtures("parser")
def test_conversation_done_with_a_typo() -> None:
    user = user_with(med("m1", "парацетамол", ("12:30",), "500 мг"))
    user, text, _ = chat(user, "выпил парацетомол")
    assert text == "Отмечено: парацетамол 500 мг (12:30) — принят в 12:00"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=80))
def test_any_typed_text_or_button_data_is_handled(text: str, data: str) -> None:
    stored, result = _ask_delete(user_with(ASPIRIN, VITAMIN_D))
    answer = resolve_text(stored, ParseResult(Unknown()), NOW, text)
    assert answer is None or answer in [option.command for option in result.options]
    pressed = resolve_press(stored, data, NOW)
    assert pressed is None or pressed in [option.command for option in result.options]
    option_number(text, 3)
    bare_times(text)


def test_a_rule_alone_answers_a_question_about_one_medication() -> None:
    """"Нет, по пятницам" to "methotrexate daily — really?": methotrexate on Fridays, asked
    about afresh; the daily reading is not stored."""
    from medbot.core.apply import apply
    from medbot.core.commands import RegimenChange
    from medbot.core.nlu import parse

    user = user_with()
    outcome = apply(user, parse("метотрексат 10 мг в 9").command, NOW)
    stored, _ = remember(outcome.user, outcome.result, NOW)
    parsed = parse("нет, по пятницам")
    assert isinstance(parsed.command, RegimenChange) and parsed.command.name is None
    answer = resolve_text(stored, parsed, NOW, "нет, по пятницам")
    assert isinstance(answer, Add)
    [item] = answer.items
    assert item.med.name == "метотрексат" and item.times == ("09:00",) and item.regimen.weekdays == (4,)


def _rule_questions() -> list[User]:
    from medbot.core.apply import apply
    from medbot.core.nlu import parse

    asked = []
    for message in ("добавь аспирин раз в неделю в 9", "курс амоксициллина 500 мг в 8"):
        outcome = apply(user_with(), parse(message).command, NOW)
        asked.append(remember(outcome.user, outcome.result, NOW)[0])
    return asked


RULE_QUESTIONS = _rule_questions()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300) | st.integers(4000, 5000).map(lambda n: "9" * n))
@example("²")
@example("7" * 4500)
@example("١٠ дней")
def test_any_typed_answer_to_a_rule_question_is_handled(text: str) -> None:
    """Weekday and course-length questions read typed answers with the parser's words: any
    text, even a wall of digits or "²", is an option or nothing, never an error."""
    for stored in RULE_QUESTIONS:
        answer = resolve_text(stored, ParseResult(Unknown()), NOW, text)
        assert answer is None or isinstance(answer, Add)


def test_both_answers_which_medication_was_taken_with_all_of_them() -> None:
    from medbot.core.pending import remember

    options = (Option(Done((n("аспирин", med_id="m1"),)), "аспирин"),
               Option(Done((n("витамин D", med_id="m2"),)), "витамин D"))
    stored, _ = remember(user_with(ASPIRIN, VITAMIN_D), Clarify("done_med", options), NOW)
    both = resolve_text(stored, ParseResult(Unknown()), NOW, "да, оба")
    assert both == Done((n("аспирин", med_id="m1"), n("витамин D", med_id="m2")))
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "both of them") == both
    assert resolve_text(stored, ParseResult(Unknown()), NOW, "оба, но не сегодня") is None


def test_a_time_in_words_answers_what_time_is_after_breakfast() -> None:
    from medbot.core.nlu import parse
    from medbot.core.pending import remember
    from medbot.core.routines import ROUTINES_KEY

    command = Add((AddItem(n("аспирин"), None, (), routine=("after_breakfast",)),))
    stored, _ = remember(user_with(), Clarify("routine", names=("аспирин",), template=command,
                                              reason="after_breakfast"), NOW)
    answer = resolve_text(stored, parse("в половине десятого"), NOW, "в половине десятого")
    assert answer == Add(command.items, routine_times=(("after_breakfast", "09:30"),))
    applied = apply(stored, answer, NOW).user  # type: ignore[arg-type]
    assert applied.extra[ROUTINES_KEY] == {"after_breakfast": "09:30"}
    assert applied.medications[0].times == ("09:30",)


@pytest.mark.parametrize(("typed", "times"), [("в20", ("20:00",)), ("ну в 9 пожалуйста", ("09:00",)),
                                              ("за час до полуночи", ("23:00",)), ("в 9 вечра", ("21:00",))])
def test_an_answer_is_read_like_any_message(typed: str, times: tuple[str, ...]) -> None:
    from medbot.core.nlu import parse
    from medbot.core.pending import bare_times

    assert bare_times(typed) == times
    assert parse(f"аспирин {typed}").command.items[0].times == times  # type: ignore[union-attr]
