"""What people read: every result in both languages, names in the right form, fixed texts."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from medbot.core.apply import apply
from medbot.core.commands import Delete, Done, ListSchedule, MedName, TimeChange
from medbot.core.model import DAILY, Regimen
from medbot.core.pending import option_data, remember
from medbot.core.results import (
    Added,
    AddedLine,
    AgendaLine,
    AgendaView,
    AlreadyLine,
    Cancelled,
    Clarify,
    Deleted,
    DeletedLine,
    DoseChanged,
    HelpText,
    LanguageSet,
    Marked,
    MarkedLine,
    MedLine,
    NoMedications,
    NotFound,
    NothingToUndo,
    NotNow,
    Option,
    OverLimit,
    PastLine,
    PastRecorded,
    PastUnclear,
    Paused,
    RegimenChanged,
    Result,
    RuleRefused,
    RuleView,
    Schedule,
    ScheduleLine,
    ShowStats,
    StockLine,
    StockReport,
    StockSet,
    TimeChanged,
    TimeNotFound,
    Undone,
    UnknownText,
    ZoneChanged,
    ZoneRefused,
)
from medbot.core.texts import (
    delete_me_cancelled,
    delete_me_confirm,
    delete_me_done,
    help_text,
    internal_error,
    non_text,
    not_allowed_text,
    parked_text,
    rate_limited,
    render,
    rephrase,
    save_failed,
    stale_button,
    unknown_text,
    welcome,
)
from medbot.core.texts.common import joined, med_label, times_text, zone_label
from medbot.core.view import Reply
from tests.core.test_apply import ASPIRIN, VITAMIN_D, local, user_with

LANGS = ("ru", "en")
ASK_DELETE = Option(Delete((MedName("аспирин", "аспирин", "m1"),)), "аспирин", "200 мг", ("10:00",))

SAMPLES: list[Result] = [
    PastRecorded((PastLine("аспирин", "100 мг", "2026-12-06", "20:00", "taken"),
                  PastLine("витамин", None, "2026-12-06", "20:00", "missed")), 1),
    PastRecorded((PastLine("аспирин", None, "2026-12-07", "08:00", "taken", "10:00"),), 0),
    PastUnclear("which", 1, ("08:00", "20:00")),
    PastUnclear("none", 2),
    PastUnclear("too_old", 9),
    StockSet(StockLine("аспирин", "100 мг", 28, 27)),
    StockSet(StockLine("витамин", None, 60.5, None), added=30),
    StockReport((StockLine("аспирин", "1 mg", 6, 5), StockLine("парацетамол", "200 мг", 19, None))),
    StockReport(()),
    Undone("add", (), (MedLine("аспирин", "50 мг", ("09:00",)),)),
    Undone("time_change", (MedLine("аспирин", None, ("09:00", "21:00")),), (), "Europe/Moscow"),
    NothingToUndo(),
    LanguageSet("en"),
    LanguageSet("ru"),
    Added((AddedLine("аспирин", "200 мг", ("10:00", "18:00"), ("10:00",)),)),
    Added(
        (
            AddedLine("аспирин", None, ("21:00",), (), ("09:00", "21:00")),
            AddedLine("Ксарелто", "20 мг", ("08:00",)),
        ),
        (AlreadyLine("витамин D", None, ("09:00",), "1000 МЕ"),),
    ),
    Added((), (AlreadyLine("аспирин", "200 мг", ("10:00",)),)),
    Deleted((DeletedLine("Аспирин", "200 мг"),)),
    Deleted((DeletedLine("аскорбиновая кислота", None),), ("парацетамол",)),
    Deleted((DeletedLine("Ксарелто", None),)),
    Deleted((DeletedLine("аспирин", None, ("18:00",), ("10:00",)),)),
    Deleted((DeletedLine("Ксарелто", None, ("08:00", "20:00")),)),
    Deleted((DeletedLine("аспирин", "100 мг"), DeletedLine("витамин D", None, ("09:00",), ("21:00",)))),
    NotFound(("парацетамол",), (MedLine("аспирин", "200 мг", ("10:00", "18:00")),)),
    NotFound(("парацетамол",), ()),
    NotFound((), (MedLine("аспирин", None, ("10:00",)),), ("15:00",)),
    TimeNotFound(MedLine("аспирин", "200 мг", ("10:00", "18:00")), ("15:00",)),
    TimeNotFound(MedLine("Ксарелто", None, ("10:00",)), ("15:00",)),
    TimeChanged("аспирин", None, ("10:00",), ("11:00",), ("11:00",)),
    TimeChanged("аспирин", "200 мг", ("10:00",), ("11:00",), ("11:00", "18:00"), ("11:00",)),
    TimeChanged("Ксарелто", None, ("10:00",), ("11:00",), ("11:00",)),
    TimeChanged("аспирин", None, ("10:00",), ("10:00",), ("10:00",)),
    DoseChanged("аспирин", "100 мг", ("200 мг",), ("10:00",)),
    DoseChanged("аспирин", "100 мг", (), ("10:00",)),
    DoseChanged("Ксарелто", "15 мг", ("20 мг",), ("08:00",)),
    DoseChanged("аспирин", "100 мг", ("100 мг",), ("10:00",)),
    ZoneChanged("Asia/Krasnoyarsk", "14:05"),
    ZoneChanged("+05:30", "14:05"),
    ZoneRefused("Mars/Olympus"),
    Marked((MarkedLine("аспирин", "200 мг", "10:00", "10:05"),)),
    Marked(
        (
            MarkedLine("аскорбиновая кислота", None, "09:00", "09:10"),
            MarkedLine("Ксарелто", None, "09:00", "09:10"),
        ),
        (NotNow("витамин D", None, "21:00"),),
        ("парацетамол",),
    ),
    Marked((), (NotNow("аспирин", "200 мг", None),)),
    Marked(()),
    Schedule(
        (
            ScheduleLine("аспирин", "200 мг", ("10:00", "18:00")),
            ScheduleLine("витамин D", None, ("09:00",)),
        ),
        "Europe/Moscow",
    ),
    Schedule((), "Europe/Moscow"),
    NoMedications(),
    Clarify("add_time", names=("аспирин",)),
    Clarify("add_time", names=("аскорбиновая кислота", "Ксарелто")),
    Clarify("add_entry", (ASK_DELETE,), subject=MedLine("аспирин"), new_times=("15:00",)),
    Clarify("delete_med", (ASK_DELETE,), pending_id="3"),
    Clarify("time_med", (ASK_DELETE,), new_times=("11:00",)),
    Clarify(
        "time_slot",
        (Option(TimeChange(None, ("11:00",), "10:00"), times=("10:00",)),),
        subject=MedLine("аспирин", "200 мг", ("10:00", "18:00")),
        new_times=("11:00",),
    ),
    Clarify("dose_med", (ASK_DELETE,), dosage="100 мг"),
    Clarify("done_med", (ASK_DELETE,)),
    Clarify("done_nothing", upcoming=(MedLine("аспирин", "200 мг", ("18:00",)),)),
    Clarify("done_nothing"),
    Clarify(
        "done_nothing",
        (Option(Done((MedName("аспирин", "аспирин", "m1"),)), "аспирин", None, ("18:00",)),),
        upcoming=(MedLine("аспирин", None, ("18:00",)), MedLine("витамин D", None, ("21:00",))),
    ),
    ShowStats(),
    HelpText(),
    UnknownText(),
    UnknownText("advice"),
    UnknownText("language"),
    UnknownText("thanks"),
    UnknownText("hello"),
    UnknownText("stock"),
    Added((AddedLine("метотрексат", "10 мг", ("09:00",), rule=RuleView(Regimen("weekdays", weekdays=(3,)))),)),
    Schedule(
        (
            ScheduleLine("цефиксим", "400 мг", ("09:00",), rule=RuleView(DAILY, until="2026-12-12")),
            ScheduleLine("ибупрофен", None, (), rule=RuleView(Regimen("as_needed", max_per_day=4))),
            ScheduleLine("ярина", None, ("21:00",), rule=RuleView(Regimen("cycle", on_days=21, off_days=7))),
        ),
        "Europe/Moscow",
    ),
    RegimenChanged("диувер", "5 мг", ("07:00",), RuleView(Regimen("weekdays", weekdays=(2, 5)))),
    Paused((), "2026-12-11", "2026-12-11"),
    Paused(("аспирин",), "2026-12-12", "2026-12-13"),
    AgendaView((AgendaLine("2026-12-07", "09:00", "аспирин", "100 мг"),), 7),
    AgendaView((), 3),
    Cancelled(),
    RuleRefused("past_date"),
    RuleRefused("as_needed_time", "ибупрофен"),
    Marked((MarkedLine("ибупрофен", None, "14:05", "14:05"),), over_limit=(OverLimit("ибупрофен", 5, 4),)),
    Clarify("weekday", tuple(Option(ListSchedule(), "аспирин", label=f"weekday:{day}") for day in range(7)),
            subject=MedLine("аспирин", None, ("09:00",)), pending_id="4"),
    Clarify("confirm", (Option(ListSchedule(), "метотрексат", answer="yes"), Option(ListSchedule(), "метотрексат", answer="no")),
            subject=MedLine("метотрексат", "10 мг", ("09:00",)), reason="weekly_drug", pending_id="5"),
    Clarify("course_end", (Option(ListSchedule(), "цефиксим", answer="yes"), Option(ListSchedule(), "цефиксим", answer="no")),
            subject=MedLine("цефиксим", "400 мг"), pending_id="6"),
    Clarify("course_length", (Option(ListSchedule(), "цефиксим", label="days:7"), Option(ListSchedule(), "цефиксим", label="days:open")),
            subject=MedLine("цефиксим"), pending_id="7"),
    Clarify("first_time", names=("парацетамол",)),
]


def text_of(result: Result, lang: str) -> str:
    return render(result, lang).text


def test_every_result_type_has_a_sample() -> None:
    assert {type(sample) for sample in SAMPLES} == set(get_args(Result))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("result", SAMPLES, ids=lambda r: type(r).__name__)
def test_every_result_renders_cleanly(result: Result, lang: str) -> None:
    reply = render(result, lang)
    assert isinstance(reply, Reply) and reply.text.strip()
    for broken in ("None", "{", "}", "()", ") (", "  ", " .", "..", "Traceback"):
        assert broken not in reply.text, (broken, reply.text)
    assert not re.search(r"\bm\d+\b", reply.text), "internal ids must not show"
    cyrillic_words = re.findall(r"[а-яё]{4,}", reply.text.lower())
    if lang == "en":
        allowed = {"аспирин", "аспирина", "кислота", "аскорбиновая", "ксарелто", "витамин", "парацетамол",
                   "метотрексат", "цефиксим", "ибупрофен", "ярина", "диувер"}
        assert set(cyrillic_words) <= allowed, reply.text


@pytest.mark.parametrize("result", SAMPLES, ids=lambda r: type(r).__name__)
def test_languages_differ(result: Result) -> None:
    assert text_of(result, "ru") != text_of(result, "en")


# ---------------------------------------------------------------- confirmations, Russian forms


def test_added_names_medication_dosage_and_times() -> None:
    text = text_of(Added((AddedLine("аспирин", "200 мг", ("10:00", "18:00")),)), "ru")
    assert text == "Добавлено: аспирин 200 мг — 10:00, 18:00"
    english = text_of(Added((AddedLine("aspirin", "200 mg", ("10:00", "18:00")),)), "en")
    assert english == "Added: aspirin 200 mg — 10:00, 18:00"


def test_added_says_when_a_time_starts_tomorrow() -> None:
    line = AddedLine("аспирин", None, ("10:00", "18:00"), ("10:00",))
    assert "10:00 (с завтра), 18:00" in text_of(Added((line,)), "ru")
    assert "10:00 (from tomorrow), 18:00" in text_of(Added((line,)), "en")


def test_duplicates_say_what_was_already_there_and_that_the_dosage_was_kept() -> None:
    text = text_of(Added((), (AlreadyLine("аспирин", "200 мг", ("10:00",), "500 мг"),)), "ru")
    assert "уже есть в расписании" in text
    assert "аспирин 200 мг — 10:00" in text and "оставлена прежней: 200 мг" in text
    assert "500" not in text


def test_a_refused_dosage_on_an_entry_without_one() -> None:
    text = text_of(Added((), (AlreadyLine("витамин D", None, ("09:00",), "1000 МЕ"),)), "ru")
    assert "витамин D — 09:00 (дозировка не изменена)" in text


def test_extending_an_entry_shows_all_its_times() -> None:
    line = AddedLine("аспирин", None, ("21:00",), (), ("09:00", "21:00"))
    assert text_of(Added((line,)), "ru") == "Добавлено: аспирин — 21:00; теперь всего: 09:00, 21:00"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("аспирин", "Аспирин удалён из расписания."),
        ("аскорбиновая кислота", "Аскорбиновая кислота удалена из расписания."),
        ("капли для глаз", "Капли для глаз удалены из расписания."),
        ("железо", "Железо удалено из расписания."),
        ("Ксарелто", "Удалено из расписания: Ксарелто."),
        ("Omega-3", "Удалено из расписания: Omega-3."),
    ],
)
def test_deleted_agrees_with_the_name(name: str, expected: str) -> None:
    assert text_of(Deleted((DeletedLine(name, None),)), "ru") == expected


def test_deleting_a_time_uses_the_genitive_or_a_neutral_shape() -> None:
    assert (
        text_of(Deleted((DeletedLine("аспирин", "200 мг", ("18:00",), ("10:00",)),)), "ru")
        == "Удалён приём аспирина 200 мг в 18:00. Остаётся: 10:00."
    )
    assert text_of(Deleted((DeletedLine("Ксарелто", None, ("08:00", "20:00")),)), "ru") == (
        "Ксарелто: удалены приёмы в 08:00 и 20:00."
    )


def test_time_changed_uses_the_genitive() -> None:
    result = TimeChanged("аспирин", None, ("10:00",), ("11:00",), ("11:00",))
    assert text_of(result, "ru") == "Время приёма аспирина изменено на 11:00 (было 10:00)."
    multi = TimeChanged("аскорбиновая кислота", None, ("10:00",), ("11:00",), ("11:00", "18:00"), ("11:00",))
    assert text_of(multi, "ru") == (
        "Время приёма аскорбиновой кислоты изменено на 11:00 (было 10:00). "
        "Теперь: 11:00, 18:00. Напоминать в 11:00 начну с завтра."
    )
    unknown = TimeChanged("Ксарелто", None, ("10:00",), ("11:00",), ("11:00",))
    assert text_of(unknown, "ru") == "Ксарелто: время приёма изменено на 11:00 (было 10:00)."
    assert text_of(result, "en") == "Time for аспирин changed to 11:00 (was 10:00)."


def test_dose_changed_uses_the_genitive() -> None:
    result = DoseChanged("аспирин", "100 мг", ("200 мг",), ("10:00",))
    assert text_of(result, "ru") == "Дозировка аспирина изменена на 100 мг (было 200 мг). Время приёма: 10:00."
    assert text_of(DoseChanged("Ксарелто", "15 мг", (), ("08:00",)), "ru").startswith(
        "Ксарелто: дозировка изменена на 15 мг."
    )
    assert "Dose of aspirin changed to 100 mg (was 200 mg)" in text_of(
        DoseChanged("aspirin", "100 mg", ("200 mg",), ("10:00",)), "en"
    )


def test_zone_changed_names_the_zone_and_the_local_time() -> None:
    assert text_of(ZoneChanged("Asia/Krasnoyarsk", "14:05"), "ru").startswith(
        "Часовой пояс: Asia/Krasnoyarsk (сейчас там 14:05)."
    )
    assert "UTC+05:30" in text_of(ZoneChanged("+05:30", "14:05"), "en")


def test_marked_says_what_was_taken_and_when() -> None:
    result = Marked((MarkedLine("аспирин", "200 мг", "10:00", "10:05"),))
    assert text_of(result, "ru") == "Отмечено: аспирин 200 мг (10:00) — принят в 10:05"
    assert text_of(result, "en") == "Marked: аспирин 200 мг (10:00) — taken at 10:05"
    female = Marked((MarkedLine("аскорбиновая кислота", None, "09:00", "09:10"),))
    assert "аскорбиновая кислота (09:00) — принята в 09:10" in text_of(female, "ru")
    unknown = Marked((MarkedLine("Ксарелто", None, "09:00", "09:10"),))
    assert text_of(unknown, "ru") == "Отмечено: Ксарелто (09:00) — в 09:10"


def test_nothing_to_mark_now_names_the_next_dose() -> None:
    text = text_of(Marked((), (NotNow("аспирин", "200 мг", "18:00"),)), "ru")
    assert "Аспирин 200 мг" in text and "следующий в 18:00" in text


def test_the_schedule_is_grouped_and_names_the_zone() -> None:
    result = Schedule(
        (ScheduleLine("аспирин", "200 мг", ("10:00", "18:00")), ScheduleLine("витамин D", None, ("09:00",))),
        "Europe/Moscow",
    )
    assert text_of(result, "ru") == (
        "Ваше расписание:\n• Аспирин 200 мг — 10:00, 18:00\n• Витамин D — 09:00\nЧасовой пояс: Europe/Moscow"
    )
    assert text_of(result, "en").startswith("Your schedule:\n• Аспирин 200 мг — 10:00, 18:00")


def test_the_schedule_capitalises_only_the_first_letter() -> None:
    result = Schedule((ScheduleLine("витамин B12", None, ("08:00",), ("08:00",)),), "Europe/Moscow")
    assert "• Витамин B12 — 08:00 (с завтра)" in text_of(result, "ru")


def test_an_empty_schedule_says_how_to_add() -> None:
    for lang, example in (("ru", "аспирин 200 мг в 10:00"), ("en", "aspirin 200 mg at 10:00")):
        assert example in text_of(Schedule((), "Europe/Moscow"), lang)
        assert example in text_of(NoMedications(), lang)


def test_not_found_lists_what_the_person_has() -> None:
    result = NotFound(("парацетамол",), (MedLine("аспирин", "200 мг", ("10:00", "18:00")),))
    assert text_of(result, "ru") == (
        "Не нашёл «парацетамол» в вашем расписании.\nСейчас в расписании:\n• Аспирин 200 мг — 10:00, 18:00"
    )


def test_time_not_found() -> None:
    text = text_of(TimeNotFound(MedLine("аспирин", None, ("10:00", "18:00")), ("15:00",)), "ru")
    assert text == "У вас нет приёма аспирина в 15:00. Время приёма: 10:00, 18:00."


# ---------------------------------------------------------------- questions


def test_a_question_lists_candidates_and_has_a_button_per_option() -> None:
    user = user_with(ASPIRIN, VITAMIN_D)
    outcome = apply(user, Delete(()), local("12:00"))
    _, result = remember(outcome.user, outcome.result, local("12:00"))
    for lang in LANGS:
        reply = render(result, lang)
        assert "1. Аспирин 200 мг — 10:00, 18:00" in reply.text
        assert "2. Витамин D — 09:00" in reply.text
        assert [[button.data for button in row] for row in reply.buttons] == [
            [option_data("1", 0)],
            [option_data("1", 1)],
        ]
        assert reply.buttons[0][0].text == "Аспирин 200 мг — 10:00, 18:00"
    assert render(result, "ru").text.startswith("Какое лекарство удалить?")


def test_a_question_not_stored_has_no_buttons() -> None:
    assert render(Clarify("delete_med", (ASK_DELETE,)), "ru").buttons == ()


def test_which_time_question_names_the_times() -> None:
    result = Clarify(
        "time_slot",
        (
            Option(TimeChange(None, ("11:00",), "10:00"), times=("10:00",)),
            Option(TimeChange(None, ("11:00",), "18:00"), times=("18:00",)),
        ),
        subject=MedLine("аспирин", "200 мг", ("10:00", "18:00")),
        new_times=("11:00",),
        pending_id="5",
    )
    reply = render(result, "ru")
    assert reply.text.startswith("У вас аспирин 200 мг в 10:00 и 18:00. Какой приём перенести на 11:00?")
    assert [row[0].text for row in reply.buttons] == ["10:00", "18:00"]


def test_at_what_time_question_uses_the_accusative_or_a_neutral_shape() -> None:
    assert text_of(Clarify("add_time", names=("аскорбиновая кислота",)), "ru").startswith(
        "В какое время принимать аскорбиновую кислоту?"
    )
    assert text_of(Clarify("add_time", names=("Ксарелто",)), "ru").startswith(
        "Ксарелто: в какое время напоминать?"
    )
    assert text_of(Clarify("add_time", names=("aspirin",)), "en").startswith(
        "At what time should I remind you to take aspirin?"
    )


def test_nothing_awaiting_lists_the_rest_of_today() -> None:
    result = Clarify(
        "done_nothing",
        (Option(Done((MedName("аспирин", "аспирин", "m1"),)), "аспирин", None, ("18:00",)),),
        upcoming=(MedLine("аспирин", None, ("18:00",)), MedLine("витамин D", None, ("21:00",))),
    )
    text = text_of(result, "ru")
    assert text.startswith("Сейчас нет приёмов, которые ждут отметки.")
    assert "1. Аспирин — 18:00" in text and "• витамин D — 21:00" in text
    assert text.count("18:00") == 1
    assert "больше нет" in text_of(Clarify("done_nothing"), "ru")


def test_long_button_labels_are_shortened() -> None:
    long_name = "очень длинное название лекарства " * 4
    option = Option(Delete(()), long_name, None, ("10:00",))
    reply = render(Clarify("delete_med", (option,), pending_id="1"), "ru")
    assert len(reply.buttons[0][0].text) <= 60 and reply.buttons[0][0].text.endswith("…")


# ---------------------------------------------------------------- fixed texts


@pytest.mark.parametrize(
    ("lang", "examples"),
    [
        ("ru", ["Добавить", "Несколько сразу", "Расписание", "Изменить время", "Изменить дозировку",
                "Удалить", "Часовой пояс", "Отметить приём", "/stats", "/delete_me"]),
        ("en", ["Add", "Several at once", "Schedule", "Change a time", "Change a dose", "Delete",
                "Time zone", "Mark as taken", "/stats", "/delete_me"]),
    ],
)
def test_help_has_an_example_per_capability(lang: str, examples: list[str]) -> None:
    text = help_text(lang).text
    for example in examples:
        assert example in text, example
    assert text.count("•") >= len(examples)
    assert render(HelpText(), lang) == help_text(lang)


def test_unknown_points_to_help() -> None:
    for lang in LANGS:
        assert "/help" in unknown_text(lang).text
        assert render(UnknownText(), lang) == unknown_text(lang)


@pytest.mark.parametrize(("why", "ru", "en"), [
    ("advice", "врача", "doctor"), ("language", "/lang", "/lang"), ("thanks", "Пожалуйста", "welcome"),
    ("hello", "/help", "/help"), ("stock", "у меня 28 таблеток", "I have 28 aspirin"),
])
def test_what_the_bot_cannot_do_is_said_plainly(why: str, ru: str, en: str) -> None:
    assert ru in text_of(UnknownText(why), "ru") and en in text_of(UnknownText(why), "en")
    assert text_of(UnknownText(why), "ru") != text_of(UnknownText(), "ru")  # not "не понял"


def test_welcome_explains_the_bot_and_the_assumed_zone() -> None:
    ru = welcome("ru", "Europe/Moscow", "14:05").text
    assert "напоминать" in ru and "Europe/Moscow" in ru and "14:05" in ru and "часовой пояс" in ru
    assert len(ru.splitlines()) == 2
    en = welcome("en", "+05:30", "09:00").text
    assert "UTC+05:30" in en and "09:00" in en and "time zone" in en


@pytest.mark.parametrize(
    ("make", "ru_word", "en_word"),
    [
        (non_text, "текст", "text"),
        (rate_limited, "минуту", "minute"),
        (internal_error, "Ничего не изменилось", "Nothing was changed"),
        (not_allowed_text, "частный", "private"),
        (parked_text, "Ничего не изменилось", "Nothing was changed"),
        (save_failed, "ничего не изменилось", "nothing was changed"),
        (rephrase, "иначе", "rephrase"),
        (delete_me_done, "удалены", "deleted"),
        (delete_me_cancelled, "ничего не удалено", "nothing was deleted"),
    ],
)
def test_short_texts(make: object, ru_word: str, en_word: str) -> None:
    ru, en = make("ru"), make("en")  # type: ignore[operator]
    assert ru_word in ru.text and en_word in en.text
    for reply in (ru, en):
        assert len(reply.text) < 200 and "{" not in reply.text


def test_delete_me_confirm_has_yes_and_no_buttons() -> None:
    reply = delete_me_confirm("ru", "yes-data", "no-data")
    assert "нельзя отменить" in reply.text
    assert [[button.data for button in row] for row in reply.buttons] == [["yes-data", "no-data"]]


def test_stale_button_is_a_short_callback_answer() -> None:
    for lang in LANGS:
        assert 0 < len(stale_button(lang)) <= 190


# ---------------------------------------------------------------- shared helpers


def test_shared_helpers() -> None:
    assert med_label("аспирин", "200 мг") == "аспирин 200 мг"
    assert med_label("аспирин", None) == "аспирин"
    assert times_text(["18:00", "10:00"]) == "10:00, 18:00"
    assert joined(["a", "b", "c"], "ru") == "a, b и c"
    assert joined(["a", "b"], "en") == "a and b"
    assert zone_label("-03:00") == "UTC-03:00" and zone_label("Europe/Moscow") == "Europe/Moscow"


def test_a_rule_of_days_never_says_from_tomorrow() -> None:
    from medbot.core.texts.rules import med_rule_line

    weekly = RuleView(Regimen("weekdays", weekdays=(4,)))
    assert med_rule_line("метотрексат", "15 мг", ("09:00",), weekly, "ru", ("09:00",)) == (
        "метотрексат 15 мг — по пятницам в 09:00"
    )
    course = RuleView(DAILY, until="2026-12-12")
    assert "09:00 (с завтра)" in med_rule_line("цефиксим", None, ("09:00",), course, "ru", ("09:00",))
