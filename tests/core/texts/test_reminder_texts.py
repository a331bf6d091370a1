"""What a reminder message says and which buttons it carries, in Russian and English."""

from __future__ import annotations

from dataclasses import replace

from medbot.core.doses import with_intake
from medbot.core.model import DoseRef, Intake, Reminder, User
from medbot.core.texts.reminders import press_answer, reminder_reply
from medbot.core.view import MAX_CALLBACK_DATA
from tests.core.reminder_kit import med, person

DAY = "2025-06-05"
ASPIRIN = DoseRef("m1", DAY, "08:00")
ACID = DoseRef("m2", DAY, "08:00")
OMEGA = DoseRef("m3", DAY, "09:30")


def user(lang: str = "ru") -> User:
    return person(
        "Europe/Berlin",
        med("m1", "аспирин", ("08:00",), "200 мг"),
        med("m2", "аскорбиновая кислота", ("08:00",)),
        med("m3", "Омега-3", ("09:30",), "1 капсула"),
        lang=lang,
    )


def reminder(*doses: DoseRef, **fields: object) -> Reminder:
    return Reminder(
        id=7,
        doses=doses,
        sent_at="2025-06-05T06:00:00+00:00",
        repeat_at="2025-06-05T07:00:00+00:00",
        **fields,  # type: ignore[arg-type]
    )


def answered(person_: User, dose: DoseRef, status: str, at: str | None = None) -> User:
    return with_intake(person_, Intake(dose, status, at, "x"))  # type: ignore[arg-type]


def rows(reply_buttons: tuple) -> list[list[tuple[str, str]]]:
    return [[(button.text, button.data) for button in row] for row in reply_buttons]


def test_an_on_time_reminder_in_russian() -> None:
    reply = reminder_reply(user(), reminder(ASPIRIN, ACID))
    assert reply.text == "Пора принять:\n• аспирин 200 мг\n• аскорбиновая кислота"
    assert rows(reply.buttons) == [
        [("✓ аспирин", "t:7:m1")],
        [("✓ аскорбиновая кислота", "t:7:m2")],
        [("✓ всё", "a:7")],
        [("⏰ 15 мин", "z:7"), ("Пропустить", "s:7")],
    ]


def test_an_on_time_reminder_in_english() -> None:
    reply = reminder_reply(user("en"), reminder(ASPIRIN, ACID))
    assert reply.text == "Time to take:\n• аспирин 200 мг\n• аскорбиновая кислота"
    assert [[text for text, _ in row] for row in rows(reply.buttons)] == [
        ["✓ аспирин"],
        ["✓ аскорбиновая кислота"],
        ["✓ all"],
        ["⏰ 15 min", "Skip"],
    ]


def test_a_late_reminder_says_when_each_dose_was_due() -> None:
    reply = reminder_reply(user(), reminder(ASPIRIN, OMEGA, late=True))
    assert reply.text == (
        "Напоминание с опозданием — пора принять:\n"
        "• аспирин 200 мг — по расписанию в 08:00\n"
        "• Омега-3 1 капсула — по расписанию в 09:30"
    )
    english = reminder_reply(user("en"), reminder(ASPIRIN, late=True))
    assert english.text == "Late reminder — time to take:\n• аспирин 200 мг — due at 08:00"


def test_a_repeat_says_it_is_a_reminder_again() -> None:
    reply = reminder_reply(user(), reminder(ASPIRIN, repeats=2))
    assert reply.text == "Напоминаю, пора принять:\n• аспирин 200 мг — по расписанию в 08:00"
    assert rows(reply.buttons)[0] == [("✓ аспирин", "t:7:m1")]
    english = reminder_reply(user("en"), reminder(ASPIRIN, late=True, repeats=1))
    assert english.text == "Reminder — time to take:\n• аспирин 200 мг — due at 08:00"


def test_after_one_press_the_message_shows_when_it_was_taken_and_only_open_buttons() -> None:
    state = answered(user(), ASPIRIN, "taken", "2025-06-05T06:05:00+00:00")
    reply = reminder_reply(state, reminder(ASPIRIN, ACID, OMEGA))
    assert reply.text == (
        "Пора принять:\n✓ аспирин 200 мг — принят в 08:05\n• аскорбиновая кислота\n"
        "• Омега-3 1 капсула"
    )
    assert rows(reply.buttons) == [
        [("✓ аскорбиновая кислота", "t:7:m2")],
        [("✓ Омега-3", "t:7:m3")],
        [("✓ всё", "a:7")],
        [("⏰ 15 мин", "z:7"), ("Пропустить", "s:7")],
    ]


def test_status_words_agree_with_the_name_or_stay_impersonal() -> None:
    state = user()
    for dose in (ASPIRIN, ACID, OMEGA):
        state = answered(state, dose, "taken", "2025-06-05T06:30:00+00:00")
    reply = reminder_reply(state, reminder(ASPIRIN, ACID, OMEGA))
    assert reply.text == (
        "Всё принято 👍\n"
        "✓ аспирин 200 мг — принят в 08:30\n"
        "✓ аскорбиновая кислота — принята в 08:30\n"
        "✓ Омега-3 1 капсула — отмечено в 08:30"
    )
    assert reply.buttons == ()


def test_final_state_with_skipped_and_missed_doses() -> None:
    state = answered(user(), ASPIRIN, "skipped", "2025-06-05T06:30:00+00:00")
    state = answered(state, ACID, "missed")
    state = answered(state, OMEGA, "missed")
    reply = reminder_reply(state, reminder(ASPIRIN, ACID, OMEGA))
    assert reply.text == (
        "Итог:\n⏭ аспирин 200 мг — пропущен\n❌ аскорбиновая кислота — не принята\n"
        "❌ Омега-3 1 капсула — не отмечено"
    )
    assert reply.buttons == ()
    english = reminder_reply(replace(state, lang="en"), reminder(ASPIRIN, ACID))
    assert english.text == "Summary:\n⏭ аспирин 200 мг — skipped\n❌ аскорбиновая кислота — missed"


def test_the_taken_time_is_shown_in_the_persons_zone() -> None:
    in_new_york = replace(user("en"), tz="America/New_York")
    state = answered(in_new_york, ASPIRIN, "taken", "2025-06-05T12:10:00+00:00")
    assert reminder_reply(state, reminder(ASPIRIN)).text == (
        "All taken 👍\n✓ аспирин 200 мг — taken at 08:10"
    )


def test_a_deleted_medication_is_shown_by_its_history_snapshot() -> None:
    state = with_intake(
        replace(user(), medications=()),
        Intake(ASPIRIN, "taken", "2025-06-05T06:10:00+00:00", "аспирин", "100 мг"),
    )
    assert reminder_reply(state, reminder(ASPIRIN)).text == (
        "Всё принято 👍\n✓ аспирин 100 мг — принят в 08:10"
    )


def test_long_names_are_shortened_on_buttons_and_data_stays_short() -> None:
    long_name = "очень длинное название лекарства с уточнением формы выпуска"
    state = person("Europe/Berlin", med("m123456789", long_name, ("08:00",)))
    big = Reminder(
        id=999_999_999_999,
        doses=(DoseRef("m123456789", DAY, "08:00"),),
        sent_at="2025-06-05T06:00:00+00:00",
        repeat_at="2025-06-05T07:00:00+00:00",
    )
    reply = reminder_reply(state, big)
    first = reply.buttons[0][0]
    assert first.text.startswith("✓ очень длинное") and first.text.endswith("…")
    assert len(first.text) <= 42
    assert all(len(b.data.encode()) <= MAX_CALLBACK_DATA for row in reply.buttons for b in row)
    assert f"• {long_name}" in reply.text  # the message itself keeps the full name


def test_callback_answers() -> None:
    assert press_answer("ru", "taken", name="аспирин") == "Отмечено: аспирин"
    assert press_answer("ru", "all_taken") == "Отмечено: всё принято"
    assert press_answer("ru", "skipped") == "Отмечено как пропущенное"
    assert press_answer("ru", "snoozed", time="10:20") == "Напомню в 10:20"
    assert press_answer("ru", "already") == "Уже отмечено"
    assert press_answer("ru", "closed") == "Это напоминание уже закрыто"
    assert press_answer("en", "already") == "Already recorded"
    assert press_answer("en", "snoozed", time="10:20") == "I'll remind you at 10:20"
    assert len(press_answer("ru", "taken", name="я" * 300)) < 60
