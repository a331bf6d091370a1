"""An open question ("which one did you mean?") and its answers: a pressed button or a typed reply.

The question lives in the person's state (`user.extra["pending"]`, plain JSON) so it survives a
restart of their actor, and expires after `TTL`: an answer to a question from yesterday must not
delete a medication today. Each option is a fully resolved command (medication ids, the old
time), so an answer is applied exactly like any other command, through `medbot.core.apply`.

Button data is `c:<pending id>:<option index>`; a press of a button from an older question, a
forged index or an expired question resolves to nothing.

Typical use in the user's actor::

    user, command = take_text(user, parse_result, now, text)   # or take_press(user, data, now)
    outcome = apply(user, command, now)
    user, result = remember(outcome.user, outcome.result, now)  # stores a new question, if any
    reply = render(result, user.lang)
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from medbot.core import tz
from medbot.core.command_codec import command_from_dict, command_to_dict
from medbot.core.commands import (
    Add,
    Cancel,
    Command,
    Delete,
    Done,
    DoseChange,
    MedName,
    ParseResult,
    RegimenChange,
    RegimenSpec,
    TimeChange,
    Unknown,
)
from medbot.core.matching import Found, find, normal_key
from medbot.core.model import CLOCK_TIME, User
from medbot.core.results import Clarify, Result
from medbot.core.routines import unknown_slots
from medbot.core.short_answers import bare_times, option_number

PENDING_KEY = "pending"
SEQUENCE_KEY = "pending_seq"
TTL = timedelta(minutes=30)
CALLBACK_PREFIX = "c"

_PENDING_ID = re.compile(r"^[0-9]{1,12}$")
_INDEX = re.compile(r"^[0-9]{1,3}$")
_MAX_OPTIONS = 20


@dataclass(frozen=True)
class Pending:
    id: str
    question: str
    options: tuple[Command, ...]
    option_times: tuple[tuple[str, ...], ...]
    """The times shown with each option, so a typed "18:00" can pick one."""
    template: Command | None
    expires: datetime


# ---------------------------------------------------------------- storing the question


def remember(user: User, result: Result, now: datetime, ttl: timedelta = TTL) -> tuple[User, Result]:
    """Store a question that can be answered; any other result leaves the state as it is.

    A question without options or template (nothing to answer) clears an older question
    instead, since the conversation has moved on.
    """
    if not isinstance(result, Clarify):
        return user, result
    if not result.options and result.template is None:
        return clear(user), result
    sequence = user.extra.get(SEQUENCE_KEY)
    number = (sequence if isinstance(sequence, int) and sequence >= 0 else 0) + 1
    options = result.options[:_MAX_OPTIONS]
    stored = {
        "id": str(number),
        "question": result.question,
        "options": [
            {"command": command_to_dict(option.command), "times": list(option.times)}
            for option in options
        ],
        "template": command_to_dict(result.template) if result.template is not None else None,
        "expires": tz.utc_iso(now + ttl),
    }
    extra = {**user.extra, PENDING_KEY: stored, SEQUENCE_KEY: number}
    return replace(user, extra=extra), replace(result, options=options, pending_id=str(number))


def clear(user: User) -> User:
    """The state without a pending question (the same object when there was none)."""
    if PENDING_KEY not in user.extra:
        return user
    extra = {key: value for key, value in user.extra.items() if key != PENDING_KEY}
    return replace(user, extra=extra)


def current(user: User, now: datetime) -> Pending | None:
    """The open question, or None when there is none, it expired, or the record is damaged."""
    stored = user.extra.get(PENDING_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        pending = _pending_from_dict(stored)
    except (ValueError, TypeError, KeyError):
        return None
    return pending if now < pending.expires else None


def option_data(pending_id: str, index: int) -> str:
    return f"{CALLBACK_PREFIX}:{pending_id}:{index}"


def is_option_data(data: str) -> bool:
    """Whether a button press is an answer to a question (as opposed to a reminder button)."""
    return data.startswith(f"{CALLBACK_PREFIX}:")


# ---------------------------------------------------------------- answers


def resolve_press(user: User, data: str, now: datetime) -> Command | None:
    """The command a pressed option stands for; None for stale, forged or expired data."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != CALLBACK_PREFIX or not _INDEX.fullmatch(parts[2]):
        return None
    pending = current(user, now)
    if pending is None or parts[1] != pending.id:
        return None
    index = int(parts[2])
    return pending.options[index] if index < len(pending.options) else None


def resolve_text(
    user: User, parse_result: ParseResult, now: datetime, text: str = ""
) -> Command | None:
    """The command a typed reply to the open question stands for, or None if it is not one.

    Answers: an option number ("1", "второй", "second"), a bare time ("15:00", "в 9") for
    "at what time?" or "which time?", a medication name for "which medication?". A message
    that is a command in its own right ("удали аспирин") is not an answer.

    Answers are read from the text itself (the whole message must be the number, the times or
    the name), so "добавь аспирин" can never be taken for "аспирин" as the answer to "which
    one shall I delete?". Without the text only a parsed bare time can answer a time question.
    """
    pending = current(user, now)
    command = parse_result.command
    if pending is None or _is_complete(command):
        return None
    number = option_number(text, len(pending.options))
    if number is not None:
        return pending.options[number]
    if len(pending.options) == 1 and _is_yes(text):
        return pending.options[0]
    every = _all_of(pending, text)
    if every is not None:
        return every
    cancel = [option for option in pending.options if isinstance(option, Cancel)]
    if cancel and _is_no(text):
        return cancel[0]
    others = [option for option in pending.options if not isinstance(option, Cancel)]
    if cancel and len(others) == 1 and _is_yes(text):
        return others[0]
    if isinstance(command, RegimenChange) and command.name is None:
        return _with_new_rule(pending, command)
    if pending.question == "weekday":
        return _by_weekday(pending, text)
    if pending.question == "course_length":
        return _by_course_length(pending, text)
    times = bare_times(text)
    if not times and pending.question in _TIME_QUESTIONS:
        times = _parsed_times(command)
    if times and pending.question == "routine" and isinstance(pending.template, Add):
        return _routine_told(user, pending.template, times)
    if times:
        return _by_time(pending, times)
    name = _typed_name(text)
    if name is not None:
        return _by_name(user, pending, name)
    return None


def take_press(user: User, data: str, now: datetime) -> tuple[User, Command | None]:
    """Resolve a press; the question is closed when it was answered or can no longer be."""
    command = resolve_press(user, data, now)
    if command is not None or current(user, now) is None:
        return clear(user), command
    return user, None


def take_text(
    user: User, parse_result: ParseResult, now: datetime, text: str = ""
) -> tuple[User, Command]:
    """The command to apply for a typed message, answering the open question if it does.

    Any other understood command closes the question; a message not understood keeps it open
    (it may be a garbled answer), unless it has expired.
    """
    answer = resolve_text(user, parse_result, now, text)
    if answer is not None:
        return clear(user), answer
    command = parse_result.command
    if not isinstance(command, Unknown) or current(user, now) is None:
        return clear(user), command
    return user, command


def _is_complete(command: Command) -> bool:
    """A command that stands on its own, as opposed to a bare name or a bare time."""
    match command:
        case Unknown():
            return False
        case Add(items=items):
            return not all(not item.times and item.dosage is None for item in items)
        case TimeChange(name=None) | RegimenChange(name=None):
            return False
        case _:
            return True


_TIME_QUESTIONS = frozenset({"add_time", "time_slot", "first_time", "routine"})


def _parsed_times(command: Command) -> tuple[str, ...]:
    """Times of a parsed nameless time change ("на 15:00", "с 10")."""
    if isinstance(command, TimeChange) and command.name is None:
        found = command.new_times or ((command.old_time,) if command.old_time else ())
        return tuple(sorted(set(found)))
    return ()


_YES = frozenset(
    {"да", "ага", "угу", "конечно", "верно", "его", "её", "ее", "ок", "правильно", "точно", "подтверждаю"}
    | {"ok", "okay", "yes", "yep", "sure", "right", "correct"}
)


_NO = frozenset({"нет", "не", "неа", "no", "nope", "отмена", "cancel", "не надо", "не нужно"})


_BOTH = frozenset({"оба", "обе", "обоих", "обеих", "все", "всё", "both", "all"})


def _all_of(pending: Pending, text: str) -> Command | None:
    """"Да, оба" to "which one did you take?": every medication offered."""
    words = set(re.sub(r"[^\w\s]", " ", text.lower()).split())
    if not words & _BOTH or not words <= _BOTH | _YES | {"их", "them", "of", "приняла", "принял", "выпила", "выпил",
                                                         "took", "taken"}:
        return None
    if pending.question != "done_med" or not all(isinstance(option, Done) for option in pending.options):
        return None
    names = tuple(name for option in pending.options for name in option.names)  # type: ignore[union-attr]
    return Done(names) if names else None


def _is_no(text: str) -> bool:
    """"нет" to a yes/no question."""
    words = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    return words in _NO


def _is_yes(text: str) -> bool:
    """"да" to a question with a single candidate ("Какое удалить? 1. Аспирин")."""
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return bool(words) and all(word in _YES for word in words)


def _typed_name(text: str) -> MedName | None:
    cleaned = " ".join(re.sub(r"[^\w\s-]", " ", text).split())
    if not cleaned or not any(char.isalpha() for char in cleaned):
        return None
    return _med_name(cleaned)


def _med_name(raw: str) -> MedName:
    """The parser's name normaliser (same keys as stored names); a lower-case key without it."""
    for module_name in ("medbot.core.nlu", "medbot.core.nlu.names"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        normaliser = getattr(module, "med_name", None)
        if callable(normaliser):
            found = normaliser(raw)
            if isinstance(found, MedName) and found.key:
                return found
    return MedName(raw, normal_key(raw))


def _routine_told(user: User, template: Add, times: tuple[str, ...]) -> Command | None:
    """"В 9" to "what time is after breakfast?": that slot's time (several times answer the
    slots still open, in order, when their numbers match)."""
    missing = unknown_slots(user, template)
    if not missing:
        return template
    told = tuple(zip(missing, times)) if len(times) == len(missing) else ((missing[0], times[0]),)
    if len(times) > 1 and len(times) != len(missing):
        return None
    return replace(template, routine_times=(*template.routine_times, *told))


def _by_time(pending: Pending, times: tuple[str, ...]) -> Command | None:
    """Complete "at what time?", or pick the one option shown with that time.

    Never for "which medication to delete?": "18:00" could mean "only the 18:00 dose", and a
    whole medication must not be deleted on a guess.
    """
    if pending.question in ("add_time", "first_time") and isinstance(pending.template, Add):
        return _with_times(pending.template, times)
    if pending.question == "first_time" and isinstance(pending.template, RegimenChange):
        return replace(pending.template, times=times[:1])
    if pending.question == "delete_med":
        return None
    fitting = [
        index
        for index, shown in enumerate(pending.option_times)
        if set(times) <= set(shown)
    ]
    return pending.options[fitting[0]] if len(fitting) == 1 else None


def _rule_of(command: Command) -> RegimenSpec | None:
    if isinstance(command, RegimenChange):
        return command.regimen
    if isinstance(command, Add):
        return next((item.regimen for item in command.items if item.regimen is not None), None)
    return None


def _with_rule(command: Command, spec: RegimenSpec) -> Command:
    if isinstance(command, RegimenChange):
        return replace(command, regimen=spec)
    assert isinstance(command, Add)
    return Add(tuple(replace(item, regimen=spec) if item.regimen is not None else item for item in command.items),
               command.confirmed)


def _with_new_rule(pending: Pending, change: RegimenChange) -> Command | None:
    """"Нет, по пятницам" to a question about one medication: that medication, with this rule
    (and the times said with it, if any), asked about afresh (a weekly drug is still checked)."""
    for option in pending.options:
        if isinstance(option, Add) and len(option.items) == 1:
            item = option.items[0]
            times = change.times or item.times
            return Add((replace(item, regimen=change.regimen, times=times),))
        if isinstance(option, RegimenChange) and option.name is not None:
            return replace(option, regimen=change.regimen, times=change.times or option.times, confirmed=False)
    return None


def _by_weekday(pending: Pending, text: str) -> Command | None:
    """"среда", "в среду", "wednesday": the option of that weekday."""
    from medbot.core.nlu.schedule_vocab import weekdays_in  # the parser's own weekday words

    days, _ = weekdays_in(" ".join(re.sub(r"[^\w\s]", " ", text.lower().replace("ё", "е")).split()))
    if len(days) != 1:
        return None
    return next((option for option in pending.options
                 if (spec := _rule_of(option)) is not None and spec.weekdays == (days[0],)), None)


def _by_course_length(pending: Pending, text: str) -> Command | None:
    """"10 дней", "две недели", "14": the course with that length."""
    from medbot.core.nlu.schedule_vocab import length_days, number

    cleaned = " ".join(re.sub(r"[^\w\s]", " ", text.lower().replace("ё", "е")).split())
    cleaned = re.sub(r"^(?:на|в течение|for) ", "", cleaned)
    days = length_days(cleaned) or number(cleaned)
    if not days or not 1 <= days <= 366 or not pending.options:
        return None
    spec = _rule_of(pending.options[0])
    return _with_rule(pending.options[0], replace(spec, days=days, course=False)) if spec else None


def _with_times(template: Add, times: tuple[str, ...]) -> Add:
    """Complete the items that had no time with the typed times."""
    return Add(
        tuple(item if item.times else replace(item, times=times) for item in template.items)
    )


def _by_name(user: User, pending: Pending, name: MedName) -> Command | None:
    ids_by_option = [_med_ids(option) for option in pending.options]
    offered = {med_id for ids in ids_by_option for med_id in ids}
    candidates = [med for med in user.medications if med.id in offered]
    match find(candidates, name):
        case Found(meds=meds):
            chosen = {med.id for med in meds}
            fitting = [index for index, ids in enumerate(ids_by_option) if ids & chosen]
            if len(fitting) == 1:
                return pending.options[fitting[0]]
    return None


def _med_ids(command: Command) -> set[str]:
    names: tuple[MedName | None, ...]
    match command:
        case Add(items=items):
            names = tuple(item.med for item in items)
        case Delete(names=found) | Done(names=found):
            names = found
        case TimeChange(name=name) | DoseChange(name=name):
            names = (name,)
        case _:
            names = ()
    return {name.med_id for name in names if name is not None and name.med_id is not None}


# ---------------------------------------------------------------- the question as JSON


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ValueError(f"{key} is not a list")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ValueError("not a short string")
    return value


def _times(values: list[Any]) -> tuple[str, ...]:
    if not all(isinstance(value, str) and CLOCK_TIME.fullmatch(value) for value in values):
        raise ValueError("not HH:MM times")
    return tuple(values)


def _pending_from_dict(data: dict[str, Any]) -> Pending:
    pending_id = data["id"]
    if not isinstance(pending_id, str) or not _PENDING_ID.fullmatch(pending_id):
        raise ValueError("bad pending id")
    question = _text(data["question"])
    options = _list(data, "options")
    template = data.get("template")
    return Pending(
        id=pending_id,
        question=question,
        options=tuple(command_from_dict(option["command"]) for option in options),
        option_times=tuple(_times(_list(option, "times")) for option in options),
        template=None if template is None else command_from_dict(template),
        expires=tz.from_iso(_text(data["expires"])),
    )
