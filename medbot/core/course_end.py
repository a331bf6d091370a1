"""The question asked once when a course is over: remove it from the list, or keep it?

Its buttons carry their own data ("ce:y:m3" / "ce:n:m3") rather than a pending question's, so
they still work days later or after other messages; a press is checked against the state (the
medication exists and its course is over), so forged or stale data never deletes anything. A
typed "да" / "нет" answers it too while it is the open question.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from medbot.core import tz
from medbot.core.commands import Cancel, Command, Delete
from medbot.core.matching import exact_name
from medbot.core.model import Medication, User
from medbot.core.pending import remember
from medbot.core.regimen import finished
from medbot.core.results import Clarify, MedLine, Option
from medbot.core.texts import render
from medbot.core.view import Button, Reply

COURSE_END_TTL = timedelta(days=7)
"""How long a typed "да" answers the question (the buttons work for as long as the course is
in the list)."""
PREFIX = "ce"
_DATA = re.compile(r"^ce:([yn]):(m\d{1,9})$")


def course_end_question(user: User, med: Medication, now: datetime) -> tuple[User, Reply]:
    """The state with the question stored (so a typed "да" answers it too), and the message."""
    exact = exact_name(med)
    question = Clarify(
        "course_end",
        (Option(Delete((exact,)), med.name, answer="yes"), Option(Cancel(), med.name, answer="no")),
        subject=MedLine(med.name, med.dosage),
    )
    user, asked = remember(user, question, now, COURSE_END_TTL)
    reply = render(asked, user.lang)
    labels = [button.text for row in reply.buttons for button in row]
    if len(labels) != 2:
        return user, reply
    buttons = ((Button(labels[0], f"{PREFIX}:y:{med.id}"), Button(labels[1], f"{PREFIX}:n:{med.id}")),)
    return user, Reply(reply.text, buttons)


def is_course_end_data(data: str) -> bool:
    return data.startswith(f"{PREFIX}:")


def course_end_press(user: User, data: str, now: datetime) -> Command | None:
    """The command a press stands for; None when the data is malformed, the medication is gone
    or its course is not over (never delete a running medication on a button)."""
    found = _DATA.match(data)
    if found is None:
        return None
    med = user.medication(found.group(2))
    if med is None or not finished(med, tz.local_date(user.tz, now)):
        return None
    return Delete((exact_name(med),)) if found.group(1) == "y" else Cancel()
