"""Applying a command to one person's state: the schedule rules, as pure functions.

`apply(user, command, now)` returns the new state and a result to show. A refusal or a question
returns the very same `User` object, so callers can tell "nothing changed" by identity and skip
the durable write. Times are the person's local wall-clock times (`user.tz`); `now` is an aware
instant.

Reminder messages (`user.reminders`) are never touched here: after a change the reminder code
reconciles its open messages with the new schedule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from medbot.core import tz
from medbot.core.apply_common import (
    LocalClock,
    Outcome,
    grouped_by_key,
    in_schedule_order,
    listed_meds,
    med_line,
    option_for,
    replaced_at,
    sorted_slots,
    sorted_unique,
)
from medbot.core.apply_delete import delete
from medbot.core.apply_done import done
from medbot.core.apply_past import past_intake
from medbot.core.apply_rules import (
    add_ruled,
    agenda_view,
    change_regimen,
    check_add,
    pause,
    rule_view,
)
from medbot.core.apply_stock import change_stock, report_stock
from medbot.core.commands import (
    Add,
    AddItem,
    Agenda,
    Cancel,
    Command,
    Delete,
    Done,
    DoseChange,
    Help,
    ListSchedule,
    MedName,
    PastIntake,
    Pause,
    RegimenChange,
    SetLanguage,
    Stats,
    StockChange,
    StockQuery,
    TimeChange,
    TimezoneChange,
    Undo,
    Unknown,
    command_name,
)
from medbot.core.doses import intake_of
from medbot.core.language import set_language
from medbot.core.matching import Ambiguous, Found, Missing, exact_name, find, same_key
from medbot.core.model import CLOCK_TIME, DAILY, DoseRef, Medication, Slot, User
from medbot.core.nlu.dosage import is_bare_amount, unit_of, with_unit
from medbot.core.regimen import dosage_on
from medbot.core.results import (
    Added,
    AddedLine,
    AlreadyLine,
    Cancelled,
    Clarify,
    DoseChanged,
    HelpText,
    MedLine,
    NoMedications,
    NotFound,
    Option,
    RuleRefused,
    Schedule,
    ScheduleLine,
    ShowStats,
    TimeChanged,
    TimeNotFound,
    UnknownText,
    ZoneChanged,
    ZoneRefused,
)
from medbot.core.routines import resolve_routines
from medbot.core.undo import recently_touched, remember_change, undo

_UNDOABLE = (Add, Delete, TimeChange, DoseChange, TimezoneChange, RegimenChange, Pause, StockChange)


def apply(user: User, command: Command, now: datetime) -> Outcome:
    """The new state and what to show; a change to the schedule can be undone once."""
    if isinstance(command, Undo):
        return Outcome(*undo(user, now))
    outcome = _apply(user, command, now)
    if isinstance(command, _UNDOABLE):
        return replace(outcome, user=remember_change(user, outcome.user, command_name(command), now))
    return outcome


def _apply(user: User, command: Command, now: datetime) -> Outcome:
    clock = LocalClock.of(user, now)
    if not all(CLOCK_TIME.fullmatch(time) for time in _times_in(command)):
        return Outcome(user, UnknownText())  # never store what the state cannot load again
    match command:
        case Add():
            return _add(user, command, clock)
        case Delete():
            return delete(user, command)
        case TimeChange():
            return _time_change(user, command, clock)
        case DoseChange():
            return _dose_change(user, command, clock)
        case TimezoneChange(timezone=zone):
            return _zone_change(user, zone, clock)
        case Done():
            return done(user, command, clock)
        case ListSchedule():
            return Outcome(user, _schedule(user, clock))
        case Stats():
            return Outcome(user, ShowStats())
        case RegimenChange():
            if not user.medications:
                return Outcome(user, NoMedications())
            return Outcome(*change_regimen(user, command, clock.local(user.tz)))
        case Pause():
            if not user.medications:
                return Outcome(user, NoMedications())
            return Outcome(*pause(user, command, clock.local(user.tz)))
        case Agenda():
            if not user.medications:
                return Outcome(user, NoMedications())
            return Outcome(user, agenda_view(user, command, clock.local(user.tz)))
        case StockChange():
            if not user.medications:
                return Outcome(user, NoMedications())
            return change_stock(user, command, clock.local(user.tz).day)
        case StockQuery():
            return report_stock(user, command, clock.local(user.tz).day)
        case PastIntake():
            return past_intake(user, command, clock)
        case Cancel():
            return Outcome(user, Cancelled())
        case SetLanguage():
            return Outcome(*set_language(user, command))
        case Help():
            return Outcome(user, HelpText())
        case Unknown(why=why):
            return Outcome(user, UnknownText(why))
    return Outcome(user, UnknownText())


def _times_in(command: Command) -> tuple[str, ...]:
    match command:
        case Add(items=items, routine_times=told):
            return (*(time for item in items for time in item.times), *(time for _, time in told))
        case Delete(times=times):
            return times
        case TimeChange(new_times=new_times, old_time=old_time):
            return (*new_times, *((old_time,) if old_time is not None else ()))
        case RegimenChange(times=times):
            return times
    return ()


# ---------------------------------------------------------------- add


def _add(user: User, command: Add, clock: LocalClock) -> Outcome:
    if not command.items:
        return Outcome(user, UnknownText())
    user, resolved = resolve_routines(user, command)
    if isinstance(resolved, Clarify):
        return Outcome(user, resolved)
    command = resolved
    ruled = check_add(user, command, clock.local(user.tz))
    if not isinstance(ruled, dict):
        return Outcome(user, ruled)
    timeless = [item for index, item in enumerate(command.items) if not item.times and index not in ruled]
    if timeless:
        names = tuple(dict.fromkeys(item.med.name for item in timeless))
        return Outcome(user, Clarify("add_time", names=names, template=command))
    meds = list(user.medications)
    next_med = user.next_med
    created: set[str] = set()
    added: dict[str, AddedLine] = {}
    already: dict[str, AlreadyLine] = {}
    for index, pinned in ruled.items():
        next_med, line, refused = add_ruled(meds, next_med, command.items[index], pinned, clock.today, clock.minute)
        if line is not None:
            added[f"m{next_med - 1}"] = line
        if refused is not None:
            already[f"r{index}"] = refused
    for index, item in enumerate(command.items):
        if index in ruled:
            continue
        entries, named = _entries_for(meds, item.med)
        if item.med.med_id is not None and named is None:
            return Outcome(user, NotFound((item.med.name,), listed_meds(user)))
        new_times: list[str] = []
        for time in sorted_unique(item.times):
            holder = next((med for med in entries if time in med.times), None)
            if holder is None:
                new_times.append(time)
            else:
                already[holder.id] = _already(already.get(holder.id), holder, time, item.dosage)
        if not new_times:
            continue
        target = _entry_to_extend(entries, named, item)
        if isinstance(target, str):
            return Outcome(user, _ask_which_entry(command, index, entries))
        slots = tuple(Slot(time, clock.first_day(time)) for time in new_times)
        if target is None:
            name = named.name if named else item.med.name
            key = named.key if named else item.med.key
            target = Medication(f"m{next_med}", name, key, item.dosage, ())
            next_med += 1
            created.add(target.id)
            meds.append(target)
        grown = replace(target, slots=sorted_slots((*target.slots, *slots)))
        meds[meds.index(target)] = grown
        before = added.get(grown.id, AddedLine(grown.name, grown.dosage, ()))
        added[grown.id] = AddedLine(
            grown.name,
            grown.dosage,
            sorted_unique((*before.times, *new_times)),
            sorted_unique((*before.tomorrow, *clock.starting_tomorrow(slots))),
            all_times=() if grown.id in created else grown.times,
        )
    result = Added(tuple(added.values()), tuple(already.values()))
    if not added:
        return Outcome(user, result)
    return Outcome(replace(user, medications=tuple(meds), next_med=next_med), result)


def _entries_for(
    meds: Sequence[Medication], name: MedName
) -> tuple[list[Medication], Medication | None]:
    """Every entry of the medication (same key), and the entry an id names, if it does."""
    if name.med_id is None:
        return [med for med in meds if same_key(med.key, name.key)], None
    named = next((med for med in meds if med.id == name.med_id), None)
    if named is None:
        return [], None
    return [med for med in meds if same_key(med.key, named.key)], named


_UNCLEAR = "unclear"


def _entry_to_extend(
    entries: list[Medication], named: Medication | None, item: AddItem
) -> Medication | str | None:
    """The entry new times join; None for a new entry; `_UNCLEAR` when only asking can tell.

    A different dosage at new times is its own entry, even when an id named the medication.
    """
    entries = [med for med in entries if med.plain_daily]
    if item.dosage is None:
        if named is not None and named.regimen == DAILY and not named.until:
            return named
        if len(entries) > 1:
            return _UNCLEAR
        return entries[0] if entries else None
    return next((med for med in entries if _same_dosage(med.dosage, item.dosage)), None)


def _ask_which_entry(command: Add, index: int, entries: list[Medication]) -> Clarify:
    item = command.items[index]
    options = tuple(
        option_for(
            Add(replaced_at(command.items, index, replace(item, med=exact_name(med)))),
            med,
        )
        for med in entries
    )
    return Clarify(
        "add_entry",
        options,
        subject=MedLine(item.med.name),
        new_times=sorted_unique(item.times),
    )


def _already(
    before: AlreadyLine | None, holder: Medication, time: str, requested: str | None
) -> AlreadyLine:
    differs = requested is not None and not _same_dosage(holder.dosage, requested)
    times = sorted_unique((*(before.times if before else ()), time))
    kept_request = before.requested_dosage if before else None
    return AlreadyLine(
        holder.name, holder.dosage, times, requested if differs else kept_request
    )


def _same_dosage(first: str | None, second: str | None) -> bool:
    def normal(text: str | None) -> str:
        return "".join((text or "").lower().replace(",", ".").split())

    return normal(first) == normal(second)


# ---------------------------------------------------------------- time change


def _time_change(user: User, command: TimeChange, clock: LocalClock) -> Outcome:
    meds = user.medications
    if not meds:
        return Outcome(user, NoMedications())
    if not command.new_times:
        return Outcome(user, UnknownText())
    old = command.old_time
    if command.name is None:
        entries = [med for med in meds if old is None or old in med.times]
        entries = _just_changed(user, entries, clock) or entries
        if not entries:
            twin = _other_half(user, meds, command, clock)
            return Outcome(user, twin or NotFound((), listed_meds(user), (old,) if old else ()))
    else:
        match find(meds, command.name):
            case Missing():
                return Outcome(user, NotFound((command.name.name,), listed_meds(user)))
            case Ambiguous(candidates=candidates):
                return Outcome(user, _ask_which_to_move(command, candidates))
            case Found(meds=found):
                entries = [med for med in found if old is None or old in med.times]
                if not entries:
                    twin = _other_half(user, found, command, clock)
                    return Outcome(user, twin or TimeNotFound(med_line(found), (old,) if old else ()))
    if len(entries) > 1:
        return Outcome(user, _ask_which_to_move(command, entries))
    if entries[0].as_needed:
        return Outcome(user, RuleRefused("as_needed_time", entries[0].name))
    return _move(user, entries[0], command, clock)


def _other_half(
    user: User, meds: Sequence[Medication], command: TimeChange, clock: LocalClock
) -> Clarify | None:
    """"с 6 на 5 вечера" when the dose is at 18:00, "не в 9, а в 8 вечера" when it is at 21:00: the
    old hour said without a part of the day is missing, the same hour twelve hours away is there.
    Asked as a one-tap question: the person may have meant either, or misremembered."""
    if command.old_time is None:
        return None
    hour, minute = command.old_time.split(":")
    twin = f"{(int(hour) + 12) % 24:02d}:{minute}"
    holders = [med for med in meds if twin in med.times and not med.as_needed]
    holders = _just_changed(user, holders, clock) or holders
    if len(holders) != 1:
        return None
    med = holders[0]
    yes = replace(command, name=exact_name(med), old_time=twin)
    if not isinstance(_move(user, med, yes, clock).result, TimeChanged):
        return None
    line = MedLine(med.name, med.dosage, (twin,))
    return Clarify(
        "confirm",
        (Option(yes, med.name, answer="yes"), Option(Cancel(), med.name, answer="no")),
        subject=line,
        reason="other_half",
        new_times=sorted_unique(command.new_times),
        reading=(command.old_time, twin),
    )


def _ask_which_to_move(command: TimeChange, candidates: Iterable[Medication]) -> Clarify:
    options = tuple(
        option_for(replace(command, name=exact_name(med)), med)
        for med in in_schedule_order(candidates)
    )
    return Clarify("time_med", options, new_times=sorted_unique(command.new_times))


def _move(user: User, med: Medication, command: TimeChange, clock: LocalClock) -> Outcome:
    new_times = sorted_unique(command.new_times)
    if command.old_time is not None:
        replaced: tuple[str, ...] = (command.old_time,)
    elif len(med.slots) == 1 or len(new_times) > 1:
        replaced = med.times
    else:
        options = tuple(
            Option(replace(command, name=exact_name(med), old_time=time), times=(time,))
            for time in sorted_unique(med.times)
        )
        return Outcome(
            user, Clarify("time_slot", options, subject=med_line((med,)), new_times=new_times)
        )
    kept = [slot for slot in med.slots if slot.time not in replaced]
    unchanged = [slot for slot in med.slots if slot.time in replaced and slot.time in new_times]
    leaving = [time for time in replaced if time not in new_times]
    arriving = [time for time in new_times if time not in replaced]
    taken = {slot.time for slot in (*kept, *unchanged)}
    fresh: list[Slot] = []
    for position, time in enumerate(arriving):
        if time in taken:
            continue
        paired_old = leaving[position] if position < len(leaving) else None
        fresh.append(Slot(time, _moved_start(user, med, time, paired_old, clock)))
        taken.add(time)
    slots = sorted_slots((*kept, *unchanged, *fresh))
    moved = replace(med, slots=slots)
    result = TimeChanged(
        med.name,
        med.dosage,
        sorted_unique(time for time in med.times if time in replaced),
        new_times,
        moved.times,
        clock.starting_tomorrow(fresh),
    )
    if slots == med.slots:
        return Outcome(user, result)
    meds = tuple(moved if entry.id == med.id else entry for entry in user.medications)
    return Outcome(user.with_medications(meds), result)


def _moved_start(
    user: User, med: Medication, time: str, old_time: str | None, clock: LocalClock
) -> str:
    """Today only if still ahead and today's dose it replaces was not answered: never twice."""
    if time <= clock.minute:
        return clock.tomorrow_iso
    if old_time is not None:
        dose = DoseRef(med.id, clock.today_iso, old_time)
        if intake_of(user, dose) is not None:
            return clock.tomorrow_iso
    return clock.today_iso


# ---------------------------------------------------------------- dose change


def _dose_change(user: User, command: DoseChange, clock: LocalClock) -> Outcome:
    meds = user.medications
    if not meds:
        return Outcome(user, NoMedications())
    if command.name is None:
        entries: tuple[Medication, ...] = tuple(_just_changed(user, meds, clock)) or meds
        if len(grouped_by_key(entries)) > 1:
            return Outcome(user, _ask_which_dose(command, entries))
    else:
        match find(meds, command.name):
            case Missing():
                return Outcome(user, NotFound((command.name.name,), listed_meds(user)))
            case Ambiguous(candidates=candidates):
                return Outcome(user, _ask_which_dose(command, candidates))
            case Found(meds=entries):
                pass
    ids = {med.id for med in entries}
    command = replace(command, dosage=_with_old_unit(command.dosage, entries))
    result = DoseChanged(
        entries[0].name,
        command.dosage,
        tuple(dict.fromkeys(med.dosage for med in entries if med.dosage)),
        sorted_unique(time for med in entries for time in med.times),
    )
    if all(med.dosage == command.dosage for med in entries):
        return Outcome(user, result)
    changed = tuple(
        replace(med, dosage=command.dosage) if med.id in ids else med for med in meds
    )
    return Outcome(user.with_medications(changed), result)


def _just_changed(user: User, meds: Iterable[Medication], clock: LocalClock) -> list[Medication]:
    """Of these, the ones the last change touched, when it was minutes ago: "ой, не 50 а 25"."""
    recent = recently_touched(user, clock.now)
    return [med for med in meds if med.id in recent]


def _with_old_unit(dosage: str, entries: Sequence[Medication]) -> str:
    """"25" after "50 мг" is "25 мг": a bare number keeps the unit the dosage had."""
    units = {unit_of(med.dosage) for med in entries if med.dosage}
    if len(units) != 1 or not is_bare_amount(dosage):
        return dosage
    return with_unit(dosage, units.pop()) or dosage


def _ask_which_dose(command: DoseChange, candidates: Iterable[Medication]) -> Clarify:
    options = tuple(
        option_for(replace(command, name=exact_name(med)), med)
        for med in in_schedule_order(candidates)
    )
    return Clarify("dose_med", options, dosage=command.dosage)


# ---------------------------------------------------------------- time zone


def _zone_change(user: User, zone: str, clock: LocalClock) -> Outcome:
    if tz.zone_or_none(zone) is None:
        return Outcome(user, ZoneRefused(zone))
    local_time = tz.hhmm(tz.local_datetime(zone, clock.now))
    result = ZoneChanged(zone, local_time)
    if zone == user.tz:
        return Outcome(user, result)
    return Outcome(replace(user, tz=zone), result)


# ---------------------------------------------------------------- list


def _schedule(user: User, clock: LocalClock) -> Schedule:
    lines = tuple(
        ScheduleLine(
            med.name,
            dosage_on(med, clock.today),
            sorted_unique(med.times),
            sorted_unique(slot.time for slot in med.slots if slot.start == clock.tomorrow_iso),
            rule_view(med, clock.today),
        )
        for med in in_schedule_order(user.medications)
    )
    return Schedule(lines, user.tz)
