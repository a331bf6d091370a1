"""The question asked once when a course is over: remove it from the list, or keep it?"""

from __future__ import annotations

from datetime import datetime

from medbot.commands import Cancel, Delete, MedName
from medbot.model import Medication, User
from medbot.pending import remember
from medbot.reply import Reply
from medbot.results import Clarify, MedLine, Option


def course_end_question(user: User, med: Medication, now: datetime) -> tuple[User, Reply]:
    """The state with the question stored (so a typed "да" answers it too), and the message."""
    from medbot.texts import render  # the texts import the domain; the domain asks for them late

    exact = MedName(med.name, med.key, med.id)
    question = Clarify(
        "course_end",
        (Option(Delete((exact,)), med.name, answer="yes"), Option(Cancel(), med.name, answer="no")),
        subject=MedLine(med.name, med.dosage),
    )
    user, asked = remember(user, question, now)
    return user, render(asked, user.lang)
