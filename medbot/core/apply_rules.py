"""The apply rules for regimens: adding with a rule, changing a rule, breaks, the agenda,
"as needed" intakes, and the questions a rule may need before it is stored.

Pure functions over a `User`, like `medbot.core.apply` (which calls them). Nothing here stores a
rule the person did not say: a missing weekday, first time or course length is asked for, a
weekly drug set to daily is asked about, and a taper step whose length was guessed is shown
back for a yes before it is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from medbot.core import tz
from medbot.core.commands import (
    Add,
    AddItem,
    Agenda,
    Cancel,
    Command,
    DateRef,
    Pause,
    RegimenChange,
    RegimenSpec,
)
from medbot.core.matching import Ambiguous, Found, Missing, exact_name, find, normal_key, same_key
from medbot.core.model import DAILY, DoseRef, Intake, Medication, Regimen, Slot, User
from medbot.core.model import Pause as StoredPause
from medbot.core.pinning import Gap, Pinned, Refusal, filled_steps, pin, resolve_date
from medbot.core.regimen import agenda, dosage_on, finished
from medbot.core.results import (
    AddedLine,
    AgendaLine,
    AgendaView,
    AlreadyLine,
    Clarify,
    MarkedLine,
    MedLine,
    NotFound,
    Option,
    OverLimit,
    Paused,
    RegimenChanged,
    Result,
    RuleRefused,
    RuleView,
)
from medbot.core.weekly_drugs import needs_weekly_check

COURSE_LENGTHS = (5, 7, 10, 14)
"""The one-tap answers to "for how long?"."""
MAX_AGENDA_DAYS = 31


@dataclass(frozen=True)
class Today:
    """The person's local date and minute, and the local wall-clock instant."""

    day: date
    minute: str
    local: datetime

    @classmethod
    def of(cls, zone: str, now: datetime) -> Today:
        local = tz.local_datetime(zone, now)
        return cls(local.date(), tz.hhmm(local), local)


def rule_view(med: Medication, today: date) -> RuleView:
    starts = [slot.start for slot in med.slots]
    first = min(starts) if starts else None
    later_start = first if first is not None and first > (today + timedelta(days=1)).isoformat() else None
    return RuleView(
        regimen=med.regimen,
        until=med.until,
        steps=med.steps if len(med.steps) > 1 else (),
        pauses=tuple(pause for pause in med.pauses if pause.last >= today.isoformat()),
        start=later_start,
        finished=finished(med, today),
    )


def _sorted_unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items)))


# ---------------------------------------------------------------- add


def check_add(user: User, command: Add, now: Today) -> dict[int, Pinned] | Result:
    """Pin each item's rule (items without one are plain daily adds), or the question /
    refusal to answer instead. Weekly drugs set to daily are asked about first."""
    pinned: dict[int, Pinned] = {}
    for index, item in enumerate(command.items):
        if item.regimen is None:
            if not command.confirmed and needs_weekly_check(item.med.key, DAILY):
                return _weekly_question(command, _line(item))
            if not command.confirmed and item.times and _only_ruled(user, item):
                # "аспирин в 21" when aspirin is taken on Wednesdays: every day, or on Wednesdays?
                return confirm_question(user, replace(command, confirmed=True), now)
            continue
        if not command.confirmed and len(command.items) == 1 and item.med.med_id is None:
            kept = _kept_otherwise(user, item)
            if kept:
                return _rule_or_new(command, item, kept, now)
        found = pin(item.regimen, item.times, now.day, now.minute, now.local)
        if isinstance(found, Refusal):
            return RuleRefused(found.reason, item.med.name)
        if isinstance(found, Gap):
            return _ask_for_gap(command, index, found, now)
        if not command.confirmed:
            if needs_weekly_check(item.med.key, found.regimen):
                return _weekly_question(command, _line(item))
            steps, guessed = filled_steps(item.regimen.steps)
            if guessed:
                filled = _with_item(command, index, replace(item, regimen=replace(item.regimen, steps=steps)))
                return _confirm(replace(filled, confirmed=True), _line(item), "taper_steps",
                                _preview(user, filled, index, now))
        pinned[index] = found
    return pinned


def _kept_otherwise(user: User, item: AddItem) -> list[Medication]:
    """The entries of a medication already kept on another rule than the one this add brings without
    a time ("спиронолактон через день" while it is taken every day at 9): a new rule for it, or a
    second entry? Asking for the time alone would make a second entry and double the doses."""
    spec = item.regimen
    if spec is None or spec.kind in ("once", "as_needed") or item.times:
        return []  # with its own times it is a whole entry of its own ("аспирин по воскресеньям в 21")
    same = [med for med in user.medications if same_key(med.key, item.med.key)]
    if not same or any(_same_kind_of_days(med.regimen, spec) for med in same):
        return []
    return same


def _same_kind_of_days(kept: Regimen, spec: RegimenSpec) -> bool:
    if kept.kind != spec.kind:
        return False
    match spec.kind:
        case "weekdays":
            return not spec.weekdays or tuple(kept.weekdays) == tuple(spec.weekdays)
        case "every_n_days" | "every_n_hours":
            return spec.interval is None or kept.interval == spec.interval
        case "monthly":
            return spec.month_day is None or kept.month_day == spec.month_day
        case "cycle":
            return (kept.on_days, kept.off_days) == (spec.on_days or 0, spec.off_days or 0)
    return True  # every day, with or without an end: the same days


def _rule_or_new(command: Add, item: AddItem, kept: list[Medication], now: Today) -> Clarify:
    """"Заменить расписание" changes the kept entry's rule (its times stay unless new ones were
    said); "Добавить отдельно" keeps it and adds this one beside it; "нет" changes nothing."""
    name = exact_name(kept[0]) if len(kept) == 1 else item.med
    replace_rule = Option(RegimenChange(name, item.regimen or RegimenSpec(), item.times), label="choice:replace")
    separate = Option(_with_item(command, 0, replace(item, med=exact_name(kept[0]))), label="choice:separate")
    current = tuple(AddedLine(med.name, med.dosage, med.times, rule=rule_view(med, now.day)) for med in kept)
    return Clarify("rule_or_new", (replace_rule, separate), subject=_line(item), reading=current)


def _only_ruled(user: User, item: AddItem) -> bool:
    """The medication is in the schedule, but never as a plain every-day entry, and the add
    brings a time it does not have yet (a time it has is simply "already there")."""
    same = [med for med in user.medications if same_key(med.key, item.med.key) or med.id == item.med.med_id]
    held = {time for med in same for time in med.times}
    return (bool(same) and not set(item.times) <= held
            and not any(med.plain_daily for med in same))


def _with_item(command: Add, index: int, item: AddItem) -> Add:
    return replace(command, items=(*command.items[:index], item, *command.items[index + 1:]))


def _confirm(yes: Command, subject: MedLine, reason: str, reading: tuple[object, ...] = ()) -> Clarify:
    """"Да" applies `yes` exactly; "Нет" changes nothing."""
    return Clarify(
        "confirm",
        (Option(yes, subject.name, answer="yes"), Option(Cancel(), subject.name, answer="no")),
        subject=subject,
        reason=reason,
        reading=reading,
    )


def _line(item: AddItem) -> MedLine:
    return MedLine(item.med.name, item.dosage, item.times)


def _weekly_question(command: Add | RegimenChange, subject: MedLine) -> Clarify:
    return _confirm(replace(command, confirmed=True), subject, "weekly_drug")


def _preview(user: User, command: Add, index: int, now: Today) -> tuple[object, ...]:
    """The lines the person will read before saying yes: what would be stored."""
    item = command.items[index]
    found = pin(item.regimen, item.times, now.day, now.minute, now.local)
    if not isinstance(found, Pinned):
        return ()
    med = Medication("m0", item.med.name, item.med.key, item.dosage,
                     tuple(Slot(time, found.first_day.isoformat()) for time in found.times),
                     found.regimen, found.until, found.steps if len(found.steps) > 1 else ())
    return (AddedLine(med.name, item.dosage, found.times, rule=rule_view(med, now.day)),)


def _ask_for_gap(command: Add, index: int, gap: Gap, now: Today) -> Result:
    item = command.items[index]
    if gap.missing in ("time", "first_time"):
        return Clarify("add_time" if gap.missing == "time" else "first_time", names=(item.med.name,),
                       template=command)
    return _ask_rule_gap(gap, item.regimen or RegimenSpec(), _line(item), item.med.name, now,
                         lambda spec: _with_item(command, index, replace(item, regimen=spec)))


def _ask_rule_gap(gap: Gap, spec: RegimenSpec, subject: MedLine, name: str, now: Today,
                  with_rule: Callable[[RegimenSpec], Command]) -> Result:
    """What a rule still needs, asked the same way for an add and for a change of rule:
    a weekday (seven buttons), a course length (buttons), the day of the month (confirmed)."""
    match gap.missing:
        case "weekday":
            options = tuple(Option(with_rule(replace(spec, weekdays=(day,))), name, label=f"weekday:{day}")
                            for day in range(7))
            return Clarify("weekday", options, subject=subject)
        case "course_length":
            options = tuple(
                Option(with_rule(replace(spec, days=days, course=False)), name, label=f"days:{days}")
                for days in COURSE_LENGTHS
            ) + (Option(with_rule(replace(spec, course=False)), name, label="days:open"),)
            return Clarify("course_length", options, subject=subject)
        case "month_day":
            return _confirm(with_rule(replace(spec, month_day=now.day.day)), subject, "month_day", (now.day.day,))
    return RuleRefused("steps_unclear", name)


def _same_rule(med: Medication, pinned: Pinned, steps: tuple[object, ...]) -> bool:
    """The same days, end and steps (a rhythm counted from another day is another rule)."""
    counted = med.regimen.kind in ("every_n_days", "cycle", "once")
    mine = med.regimen if counted else replace(med.regimen, anchor=None)
    said = pinned.regimen if counted else replace(pinned.regimen, anchor=None)
    return mine == said and med.until == pinned.until and med.steps == steps and not med.pauses


def _normal_dosage(text: str | None) -> str:
    return "".join((text or "").lower().replace(",", ".").split())


def slot_start(first_day: date, time: str, today: date, minute: str) -> str:
    """A slot starts on the rule's first day, or tomorrow when that is today and its minute
    has passed ("a dose added after its time today starts tomorrow")."""
    if first_day == today and time <= minute:
        return (today + timedelta(days=1)).isoformat()
    return first_day.isoformat()


def add_ruled(
    meds: list[Medication], next_med: int, item: AddItem, pinned: Pinned, today: date, minute: str
) -> tuple[int, AddedLine | None, AlreadyLine | None]:
    """Add one item that has a rule of its own: a new entry (times an entry of the same
    medication already has at those times are refused as duplicates, as for any add)."""
    same = [med for med in meds if same_key(med.key, item.med.key)]
    if item.med.med_id is not None:
        named = next((med for med in meds if med.id == item.med.med_id), None)
        same = [med for med in meds if named is not None and same_key(med.key, named.key)]
    taken = {time for med in same for time in med.times}
    if pinned.regimen.kind == "as_needed":
        if any(med.as_needed for med in same):
            holder = next(med for med in same if med.as_needed)
            return next_med, None, AlreadyLine(holder.name, holder.dosage, ())
        taken = set()
    clashing = _sorted_unique(time for time in pinned.times if time in taken)
    fresh = tuple(time for time in pinned.times if time not in taken)
    already = None
    if clashing:
        holder = next(med for med in same if set(med.times) & set(clashing))
        differs = item.dosage is not None and _normal_dosage(item.dosage) != _normal_dosage(holder.dosage)
        already = AlreadyLine(holder.name, holder.dosage, clashing, item.dosage if differs else None)
    if pinned.times and not fresh:
        return next_med, None, already
    name, key = (same[0].name, same[0].key) if same else (item.med.name, item.med.key)
    slots = tuple(Slot(time, slot_start(pinned.first_day, time, today, minute)) for time in sorted(set(fresh)))
    dosage = pinned.steps[0].dosage if pinned.steps else item.dosage
    steps = pinned.steps if len(pinned.steps) > 1 else ()
    twin = next((med for med in same if _same_rule(med, pinned, steps) and (item.dosage is None or
                 _normal_dosage(item.dosage) == _normal_dosage(med.dosage))), None)
    if twin is not None:  # "магний по субботам в 22" beside "по субботам в 10": one entry, two times
        grown = replace(twin, slots=tuple(sorted((*twin.slots, *slots), key=lambda slot: slot.time)))
        meds[meds.index(twin)] = grown
        return next_med, AddedLine(grown.name, grown.dosage, _sorted_unique(fresh), (),
                                   all_times=grown.times, rule=rule_view(grown, today)), already
    med = Medication(f"m{next_med}", name, key, dosage, slots, pinned.regimen, pinned.until, steps)
    meds.append(med)
    tomorrow_iso = (today + timedelta(days=1)).isoformat()
    daily_like = pinned.regimen.kind in ("daily", "every_n_hours")
    tomorrow = tuple(slot.time for slot in slots if slot.start == tomorrow_iso) if daily_like else ()
    return next_med + 1, AddedLine(name, dosage, _sorted_unique(fresh), tomorrow,
                                   rule=rule_view(med, today)), already


# ---------------------------------------------------------------- changing a rule


def change_regimen(user: User, command: RegimenChange, now: Today) -> tuple[User, Result]:
    meds = user.medications
    if command.name is None:
        # "в Праге на неделю", "what about the weekend": a rule said about no medication is asked
        # about even when there is only one ("нет, по пятницам" to a question names its medication)
        return user, _ask_which(command, list(meds), "regimen_med")
    else:
        match find(meds, command.name):
            case Missing():
                return user, NotFound((command.name.name,), tuple(MedLine(m.name, m.dosage, m.times) for m in meds))
            case Ambiguous(candidates=candidates):
                return user, _ask_which(command, candidates, "regimen_med")
            case Found(meds=entries):
                pass
    if len(entries) > 1:
        return user, _ask_which(command, entries, "regimen_med")
    med = entries[0]
    times = command.times or med.times
    found = pin(command.regimen, tuple(times), now.day, now.minute, now.local)
    if isinstance(found, Refusal):
        return user, RuleRefused(found.reason, med.name)
    if isinstance(found, Gap):
        return user, _ask_for_change_gap(command, med, found, now)
    if not command.confirmed and needs_weekly_check(med.key, found.regimen):
        return user, _weekly_question(replace(command, name=exact_name(med)), MedLine(med.name, med.dosage, tuple(times)))
    slots = med.slots if not command.times and found.regimen.kind != "every_n_hours" else ()
    if not slots:
        slots = tuple(Slot(time, slot_start(found.first_day, time, now.day, now.minute))
                      for time in sorted(set(found.times)))
    if found.regimen.kind == "as_needed":
        slots = ()
    changed = replace(med, slots=slots, regimen=found.regimen, until=found.until,
                      steps=found.steps if len(found.steps) > 1 else (), end_noticed=False,
                      dosage=found.steps[0].dosage if found.steps else med.dosage)
    result = RegimenChanged(med.name, changed.dosage, changed.times, rule_view(changed, now.day),
                            tuple(slot.time for slot in slots if slot.start > now.day.isoformat()))
    if changed == med:
        return user, result
    return user.with_medications(tuple(changed if m.id == med.id else m for m in meds)), result


def _ask_for_change_gap(command: RegimenChange, med: Medication, gap: Gap, now: Today) -> Result:
    """What a new rule still needs, asked the way an add asks it."""
    named = replace(command, name=exact_name(med))
    if gap.missing == "first_time":
        return Clarify("first_time", names=(med.name,), template=named)
    if gap.missing == "time":
        return RuleRefused("as_needed_time", med.name)
    return _ask_rule_gap(gap, command.regimen, MedLine(med.name, med.dosage, med.times), med.name, now,
                         lambda spec: replace(named, regimen=spec))


def _ask_which(command: RegimenChange | Pause, candidates: Iterable[Medication], question: str) -> Clarify:
    options = tuple(
        Option(replace(command, name=exact_name(med)) if isinstance(command, RegimenChange)
               else replace(command, names=(exact_name(med),)), med.name, med.dosage, _sorted_unique(med.times))
        for med in sorted(candidates, key=lambda med: (normal_key(med.key), med.id))
    )
    return Clarify(question, options)  # type: ignore[arg-type]


# ---------------------------------------------------------------- breaks


def pause(user: User, command: Pause, now: Today) -> tuple[User, Result]:
    first = resolve_date(command.first, now.day)
    if first is None:
        return user, RuleRefused("past_date")
    last = first
    if command.last is not None:
        end = _end_after(command.last, first, now.day)
        if end is None or end < first:
            return user, RuleRefused("end_before_start")
        last = end
    elif command.days:
        last = first + timedelta(days=command.days - 1)
    elif command.before is not None:
        end = _end_after(command.before, first + timedelta(days=1), now.day)
        if end is None or end <= first:
            return user, RuleRefused("end_before_start")
        last = end - timedelta(days=1)
    if (last - now.day).days > 366:
        return user, RuleRefused("too_far")
    targets = [med for med in user.medications if not med.as_needed and med.regimen.kind != "once"]
    names: tuple[str, ...] = ()
    if command.names:
        chosen: list[Medication] = []
        for name in command.names:
            match find(user.medications, name):
                case Missing():
                    return user, NotFound((name.name,), tuple(MedLine(m.name, m.dosage, m.times) for m in targets))
                case Ambiguous(candidates=candidates):
                    return user, _ask_which(command, candidates, "pause_med")
                case Found(meds=entries):
                    chosen.extend(entries)
        targets = chosen
        names = tuple(dict.fromkeys(med.name for med in chosen))
    if not targets:
        return user, RuleRefused("nothing_left")
    stored = StoredPause(first.isoformat(), last.isoformat())
    ids = {med.id for med in targets}
    meds = tuple(
        replace(med, pauses=(*med.pauses, stored)) if med.id in ids and stored not in med.pauses else med
        for med in user.medications
    )
    return user.with_medications(meds), Paused(names, stored.first, stored.last)


def _end_after(ref: DateRef, first: date, today: date) -> date | None:
    """The end of a break: a weekday or a day of the month is the next one on or after `first`
    ("с субботы по воскресенье" said on a Sunday); a date or an offset is what it says."""
    if ref.kind == "weekday":
        return first + timedelta(days=(ref.value - first.weekday()) % 7)
    if ref.kind == "date" and ref.month is None:
        return resolve_date(ref, first)  # "с 20-го по 25-е": the 25th after that 20th
    return resolve_date(ref, today)


# ---------------------------------------------------------------- agenda


def agenda_view(user: User, command: Agenda, now: Today) -> AgendaView:
    days = max(1, min(command.days, MAX_AGENDA_DAYS))
    items = agenda(user, now.day, now.day + timedelta(days=days - 1), not_before=now.minute)
    return AgendaView(
        tuple(AgendaLine(item.day.isoformat(), item.time, item.name, item.dosage) for item in items), days
    )


# ---------------------------------------------------------------- "as needed"


def _free_minute(minute: str, used: set[str]) -> str:
    """The first minute from `minute` on that no intake of the day holds yet (an as-needed
    intake is keyed by its minute; its exact instant is kept in `at`)."""
    hours, minutes = (int(part) for part in minute.split(":"))
    for offset in range(24 * 60):
        total = min(hours * 60 + minutes + offset, 23 * 60 + 59)
        candidate = f"{total // 60:02d}:{total % 60:02d}"
        if candidate not in used:
            return candidate
    return minute


def mark_as_needed(
    user: User, entries: Sequence[Medication], now: Today, at: str
) -> tuple[User, MarkedLine, OverLimit | None]:
    """Log an as-needed intake now; warn (never refuse) past the daily maximum."""
    med = entries[0]
    today = now.day.isoformat()
    ids = {entry.id for entry in entries}
    minute = now.minute
    today_records = [record for record in user.history
                     if record.dose.med_id in ids and record.dose.date == today and record.status == "taken"]
    used = {record.dose.time for record in today_records if record.dose.med_id == med.id}
    dose = DoseRef(med.id, today, _free_minute(minute, used))  # two intakes in one minute are two
    intake = Intake(dose, "taken", at, med.name, dosage_on(med, today))
    updated = replace(user, history=(*user.history, intake))
    count = len(today_records) + 1
    limit = med.regimen.max_per_day
    over = OverLimit(med.name, count, limit) if limit is not None and count > limit else None
    return updated, MarkedLine(med.name, med.dosage, minute, minute), over


# ---------------------------------------------------------------- "did I get it right?"


def confirm_question(user: User, command: Add, now: Today) -> Clarify:
    """The parser's best reading of a message it is not sure of, as a yes/no question: "Да"
    applies exactly this reading, "Нет" changes nothing."""
    lines: list[object] = []
    for index, item in enumerate(command.items):
        preview = _preview(user, command, index, now) if item.times or item.regimen else ()
        lines.extend(preview or (AddedLine(item.med.name, item.dosage, item.times),))
    return _confirm(command, _line(command.items[0]), "reading", tuple(lines))
