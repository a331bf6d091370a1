"""Caregiver features asked for in words, and the schedule phrases they must never swallow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medbot.core.care.phrases import care_ask, care_view
from medbot.core.model import CaredFor

CORPORA = Path(__file__).parents[1] / "nlu"


@pytest.mark.parametrize("text", [
    "/caregiver", "/caregivers", "/caregiver@medbot_bot", "добавь помощника", "Добавьте мне помощника пожалуйста",
    "пригласить помощника", "подключи опекуна", "хочу добавить родственника", "пусть дочь видит мои лекарства",
    "пусть моя дочка тоже видит", "пусть сын знает, если я забуду", "хочу чтобы сын видел мое расписание",
    "чтобы внучка знала когда я пропускаю", "invite a caregiver", "add my carer", "Add a caregiver please",
    "let my daughter see my meds", "allow my son to know when I miss a pill", "set up a helper", "помощники",
    "мои помощники?", "my caregivers", "caregiver",
])
def test_an_invitation_in_words(text: str) -> None:
    assert care_ask(text) is not None and care_ask(text).kind == "invite"


@pytest.mark.parametrize(("text", "minutes"), [
    ("сообщай дочери через 30 минут", 30), ("сообщай дочке через 45 мин", 45), ("пиши сыну через час", 60),
    ("предупреждай помощника через полчаса", 30), ("сообщи маме через 2 часа", 120),
    ("уведомляй родных через 15 минут если я не выпью", 15), ("notify my daughter after 20 minutes", 20),
    ("tell my son after an hour", 60), ("alert my caregiver within 90 min", 90), ("message my wife after 2 hours", 120),
    ("сообщай помощникам через полтора часа", 90),
])
def test_a_delay_for_the_caregivers_in_words(text: str, minutes: int) -> None:
    asked = care_ask(text)
    assert asked is not None and asked.kind == "minutes" and asked.minutes == minutes


@pytest.mark.parametrize("text", [
    "напомни через 30 минут", "дочь принимает аспирин в 9", "добавь маме аспирин в 9", "сын пьёт витамин D",
    "remind me in 20 minutes", "my daughter takes ibuprofen at 8", "сообщай дочери через 5000 минут",
    "помощник сказал пить аспирин", "добавь аспирин 100 мг в 9:00",
])
def test_not_a_caregiver_request(text: str) -> None:
    assert care_ask(text) is None


def test_no_phrase_of_any_corpus_is_taken_for_a_caregiver_request() -> None:
    texts = [json.loads(line)["text"] for path in sorted(CORPORA.glob("corpus*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 5000
    assert [text for text in texts if care_ask(text) is not None] == []


MUM = (CaredFor(42, "Людмила"),)


@pytest.mark.parametrize(("text", "what"), [
    ("какие лекарства у мамы?", "schedule"), ("расписание мамы", "schedule"), ("покажи мамины таблетки", "schedule"),
    ("что принимает Людмила", "schedule"), ("график Людмилы", "schedule"), ("mum's meds", "schedule"),
    ("what does mom take", "schedule"), ("мама сегодня приняла таблетки?", "today"),
    ("выпила ли мама лекарства сегодня", "today"), ("did mum take her pills today?", "today"),
    ("как дела у мамы с таблетками", "today"),
])
def test_a_caregiver_asks_about_the_person_they_help(text: str, what: str) -> None:
    asked = care_view(text, MUM)
    assert asked is not None and (asked.kind, asked.patient, asked.what) == ("view", 42, what)


def test_with_two_people_helped_a_kinship_word_is_asked_about_and_a_name_is_not() -> None:
    two = (*MUM, CaredFor(43, "Пётр"))
    assert care_view("расписание мамы", two).kind == "which"
    assert care_view("что принимает Пётр", two).patient == 43


@pytest.mark.parametrize("text", [
    "запиши маме таблетки в 9", "мама пьёт аспирин 100 мг", "какие у меня лекарства", "расписание", "что сегодня",
])
def test_a_number_or_no_person_named_is_no_view(text: str) -> None:
    assert care_view(text, MUM) is None


def test_nobody_helped_nothing_viewed() -> None:
    assert care_view("расписание мамы", ()) is None
