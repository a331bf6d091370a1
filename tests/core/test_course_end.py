"""The course-end question's buttons: they work days later, and never delete a running course."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from medbot.core.commands import Cancel, Delete
from medbot.core.course_end import course_end_press, course_end_question
from medbot.core.model import Medication, Slot, new_user
from medbot.core.pending import current

NOW = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)
COURSE = Medication("m3", "цефиксим", "цефиксим", "400 мг", (Slot("09:00", "2026-12-07"),), until="2026-12-16")
RUNNING = replace(COURSE, id="m4", until="2026-12-31")


def user():  # type: ignore[no-untyped-def]
    return replace(new_user(1, "ru", "Europe/Moscow"), medications=(COURSE, RUNNING), next_med=5)


def test_the_question_names_the_course_and_offers_yes_and_no() -> None:
    asked, reply = course_end_question(user(), COURSE, NOW)
    assert "Курс цефиксима закончился" in reply.text
    assert [button.data for row in reply.buttons for button in row] == ["ce:y:m3", "ce:n:m3"]
    assert current(asked, NOW) is not None  # a typed "да" answers it too


def test_yes_deletes_the_finished_course_and_no_keeps_it() -> None:
    yes = course_end_press(user(), "ce:y:m3", NOW)
    assert isinstance(yes, Delete) and yes.names[0].med_id == "m3"
    assert isinstance(course_end_press(user(), "ce:n:m3", NOW), Cancel)


@pytest.mark.parametrize("data", ["ce:y:m4", "ce:y:m99", "ce:y:", "ce:x:m3", "ce:y:m3:extra", "ce:y:m\ud800", "ce"])
def test_forged_stale_or_running_data_does_nothing(data: str) -> None:
    assert course_end_press(user(), data, NOW) is None
