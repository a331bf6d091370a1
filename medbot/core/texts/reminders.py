"""The reminder message, its buttons and the short answers to button presses (ru / en).

One function renders a reminder from the state alone (`reminder_reply`), so the first message,
a repeat, and every edit after a press always agree. Russian status words agree with the name
("аспирин — принят", "аскорбиновая кислота — принята") when its gender is known for sure, and
fall back to the impersonal "отмечено" otherwise.
"""

from __future__ import annotations

from typing import Literal

from medbot.core import tz
from medbot.core.buttons import SNOOZE, ButtonPress, encode
from medbot.core.doses import answered
from medbot.core.inflect import agree
from medbot.core.model import DoseRef, Intake, Lang, Reminder, User
from medbot.core.regimen import dosage_on
from medbot.core.texts.common import BULLET, DASH, med_label, one_per_row
from medbot.core.view import Button, Keyboard, Reply

Answer = Literal["taken", "all_taken", "skipped", "snoozed", "already", "closed", "invalid", "page"]

_MAX_NAME = 40
"""Longer names are shortened on buttons and in callback answers (Telegram cuts them anyway)."""

_SNOOZE_MINUTES = int(SNOOZE.total_seconds() // 60)

PAGE = 20
"""Doses on one screen of a reminder: a long one is paged, so its text and buttons always stay
within what Telegram accepts in one message (and what a person can take in)."""

_TEXTS: dict[Lang, dict[str, str]] = {
    "ru": {
        "header": "Пора принять:",
        "header_late": "Напоминание с опозданием — пора принять:",
        "header_repeat": "Напоминаю, пора принять:",
        "header_done": "Всё принято 👍",
        "header_closed": "Итог:",
        "due": "по расписанию в {time}",
        "taken": "{word} в {time}",
        "skipped": "{word}",
        "missed": "{word}",
        "button_all": "✓ всё",
        "button_snooze": f"⏰ {_SNOOZE_MINUTES} мин",
        "button_skip": "Пропустить",
        "answer_taken": "Отмечено: {name}",
        "answer_all_taken": "Отмечено: всё принято",
        "answer_skipped": "Отмечено как пропущенное",
        "answer_snoozed": "Напомню в {time}",
        "answer_already": "Уже отмечено",
        "answer_closed": "Это напоминание уже закрыто",
        "answer_invalid": "Эта кнопка больше не действует",
        "answer_page": "Страница {page}",
        "page": "Страница {page} из {pages}: стрелками ◀ ▶ — остальные.",
        "refused": "Пора принять: {names}.\nНапоминание с кнопками Telegram не принял, поэтому пишу так. "
                   "Когда примете, напишите «принял».",
    },
    "en": {
        "header": "Time to take:",
        "header_late": "Late reminder — time to take:",
        "header_repeat": "Reminder — time to take:",
        "header_done": "All taken 👍",
        "header_closed": "Summary:",
        "due": "due at {time}",
        "taken": "taken at {time}",
        "skipped": "skipped",
        "missed": "missed",
        "button_all": "✓ all",
        "button_snooze": f"⏰ {_SNOOZE_MINUTES} min",
        "button_skip": "Skip",
        "answer_taken": "Recorded: {name}",
        "answer_all_taken": "Recorded: all taken",
        "answer_skipped": "Marked as skipped",
        "answer_snoozed": "I'll remind you at {time}",
        "answer_already": "Already recorded",
        "answer_closed": "This reminder is already closed",
        "answer_invalid": "This button is no longer valid",
        "answer_page": "Page {page}",
        "page": "Page {page} of {pages}: ◀ ▶ show the rest.",
        "refused": "Time to take: {names}.\nTelegram refused the reminder with buttons, so I am writing it "
                   "plainly. When you have taken them, write “taken”.",
    },
}

_MARKS = {"taken": "✓", "skipped": "⏭", "missed": "❌"}

_RU_STATUS_WORDS = {
    # status: (masculine, feminine, neuter, plural, when the gender is not known)
    "taken": ("принят", "принята", "принято", "приняты", "отмечено"),
    "skipped": ("пропущен", "пропущена", "пропущено", "пропущены", "пропущено"),
    "missed": ("не принят", "не принята", "не принято", "не приняты", "не отмечено"),
}


def _text(lang: Lang, key: str, **values: str) -> str:
    return _TEXTS[lang][key].format(**values)


def shorten(text: str, limit: int = _MAX_NAME) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _name_and_dosage(user: User, dose: DoseRef, record: Intake | None) -> tuple[str, str | None]:
    """The current name and dosage, or the snapshot once the medication is deleted."""
    med = user.medication(dose.med_id)
    if med is not None:
        return med.name, dosage_on(med, dose.date)
    if record is not None:
        return record.name, record.dosage
    return dose.med_id, None


def medication_name(user: User, med_id: str) -> str:
    med = user.medication(med_id)
    return shorten(med.name if med is not None else med_id)


def pages_of(reminder: Reminder) -> int:
    return max(1, -(-len(reminder.doses) // PAGE))


def reminder_reply(user: User, reminder: Reminder, page: int = 0) -> Reply:
    """The message for a reminder as it stands: what is open, what was answered and when.
    A reminder of more than `PAGE` doses shows one page of them, with arrows to the others."""
    lang = user.lang
    done = answered(user)
    records = [done.get(dose) for dose in reminder.doses]
    pages = pages_of(reminder)
    page = min(max(page, 0), pages - 1)
    shown = range(page * PAGE, min(len(reminder.doses), (page + 1) * PAGE))
    open_doses = [reminder.doses[index] for index in shown if records[index] is None]
    open_meds = len({dose.med_id for dose, record in zip(reminder.doses, records) if record is None})
    show_due = reminder.late or reminder.repeats > 0
    lines = [_header(lang, reminder, records)]
    for dose, record in ((reminder.doses[index], records[index]) for index in shown):
        name, dosage = _name_and_dosage(user, dose, record)
        label = med_label(name, dosage)
        if record is None:
            due = f" {DASH} {_text(lang, 'due', time=dose.time)}" if show_due else ""
            lines.append(f"{BULLET} {label}{due}")
        else:
            lines.append(f"{_MARKS[record.status]} {label} {DASH} {_status(user, name, record)}")
    if pages > 1:
        lines.append(_text(lang, "page", page=str(page + 1), pages=str(pages)))
    keyboard = _keyboard(user, reminder.id, open_doses, open_meds, (page, pages))
    return Reply("\n".join(lines), keyboard)


def refused_notice(user: User, reminder: Reminder) -> Reply:
    """A reminder Telegram would not take, said plainly: the person still learns what is due."""
    done = answered(user)
    names = dict.fromkeys(
        med_label(*_name_and_dosage(user, dose, None)) for dose in reminder.doses if dose not in done
    )
    return Reply(_text(user.lang, "refused", names=", ".join(names)))


def _header(lang: Lang, reminder: Reminder, records: list[Intake | None]) -> str:
    if any(record is None for record in records):
        if reminder.repeats > 0:
            return _text(lang, "header_repeat")
        return _text(lang, "header_late" if reminder.late else "header")
    all_taken = all(record is not None and record.status == "taken" for record in records)
    return _text(lang, "header_done" if all_taken else "header_closed")


def _status(user: User, name: str, record: Intake) -> str:
    """"принят в 10:05" / "taken at 10:05", "пропущена", "не приняты"..."""
    at = tz.local_datetime(user.tz, tz.from_iso(record.at)) if record.at else None
    values = {"time": tz.hhmm(at) if at is not None else ""}
    if user.lang == "ru":
        words = _RU_STATUS_WORDS[record.status]
        values["word"] = agree(name, *words[:4]) or words[4]
    marked = _text(user.lang, record.status, **values)
    return f"{marked} ({record.by_name})" if record.by_name else marked  # who pressed, in a family chat


def _keyboard(
    user: User, reminder_id: int, open_doses: list[DoseRef], open_meds: int, paging: tuple[int, int],
) -> Keyboard:
    """A big button per medication on the page, "all" when several are open, the arrows of a
    paged reminder, then snooze and skip."""
    page, pages = paging
    if not open_meds:
        return ()
    med_ids = list(dict.fromkeys(dose.med_id for dose in open_doses))
    rows = list(
        one_per_row(
            Button(
                f"✓ {medication_name(user, med_id)}",
                encode(ButtonPress("taken", reminder_id, med_id)),
            )
            for med_id in med_ids
        )
    )
    if open_meds > 1:
        every = Button(_text(user.lang, "button_all"), encode(ButtonPress("all", reminder_id)))
        rows.append((every,))
    if pages > 1:
        rows.append(tuple(
            Button(arrow, encode(ButtonPress("page", reminder_id, page=to)))
            for arrow, to in (("◀", page - 1), ("▶", page + 1)) if 0 <= to < pages
        ))
    rows.append(
        (
            Button(_text(user.lang, "button_snooze"), encode(ButtonPress("snooze", reminder_id))),
            Button(_text(user.lang, "button_skip"), encode(ButtonPress("skip", reminder_id))),
        )
    )
    return tuple(rows)


def press_answer(lang: Lang, answer: Answer, name: str = "", time: str = "", page: int = 0) -> str:
    """The short callback answer shown at the top of the chat after a press."""
    return _text(lang, f"answer_{answer}", name=shorten(name), time=time, page=str(page + 1))
