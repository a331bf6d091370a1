"""Applying a command to one person's state: the schedule rules, as pure functions.

`apply(user, command, now)` returns the new state and a result to show. A refusal or a question
returns the very same `User` object, so callers can tell "nothing changed" by identity and skip
the durable write. Times are the person's local wall-clock times (`user.tz`); `now` is an aware
instant.

Reminder messages (`user.reminders`) are never touched here: after a change the reminder code
reconciles its open messages with the new schedule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from medbot.core import tz
from medbot.core.apply_rules import (
    Today,
    add_ruled,
    agenda_view,
    change_regimen,
    check_add,
    mark_as_needed,
    pause,
    rule_view,
)
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
    Pause,
    RegimenChange,
    SetLanguage,
    Stats,
    TimeChange,
    TimezoneChange,
    Undo,
    Unknown,
    command_name,
)
from medbot.core.doses import doses_on, intake_of, open_doses, with_intake
from medbot.core.language import set_language
from medbot.core.matching import Ambiguous, Found, Missing, exact_name, find, normal_key, same_key
from medbot.core.model import DAILY, DoseRef, Intake, Medication, Slot, User
from medbot.core.nlu.dosage import is_bare_amount, unit_of, with_unit
from medbot.core.regimen import dosage_on
from medbot.core.results import (
    Added,
    AddedLine,
    AlreadyLine,
    Cancelled,
    Clarify,
    Deleted,
    DeletedLine,
    DoseChanged,
    HelpText,
    Marked,
    MarkedLine,
    MedLine,
    NoMedications,
    NotFound,
    NotNow,
    Option,
    OverLimit,
    Question,
    Result,
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

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

EARLY_INTAKE_WINDOW = timedelta(hours=3)
"""A dose this close to now (before or after) can be marked taken without a reminder."""

_Groups = list[tuple[Medication, ...]]
"""Medications named in a command: each group is every entry of one medication."""


@dataclass(frozen=True)
class Outcome:
    user: User
    result: Result


@dataclass(frozen=True)
class _Clock:
    """Now in the person's own zone, at the minute precision the schedule uses."""

    now: datetime
    today: date
    minute: str

    @classmethod
    def of(cls, user: User, now: datetime) -> _Clock:
        if now.tzinfo is None:
            raise ValueError("apply() needs an aware instant")
        local = tz.local_datetime(user.tz, now)
        return cls(now=now, today=local.date(), minute=tz.hhmm(local))

    @property
    def today_iso(self) -> str:
        return self.today.isoformat()

    @property
    def tomorrow_iso(self) -> str:
        return (self.today + timedelta(days=1)).isoformat()

    def starting_tomorrow(self, slots: Iterable[Slot]) -> tuple[str, ...]:
        return tuple(slot.time for slot in slots if slot.start > self.today_iso)

    def first_day(self, time: str) -> str:
        """Today while the time is still ahead (at 10:00:30 a 10:00 dose is past), else tomorrow."""
        return self.today_iso if time > self.minute else self.tomorrow_iso

    def local(self, zone: str) -> Today:
        return Today.of(zone, self.now)


_UNDOABLE = (Add, Delete, TimeChange, DoseChange, TimezoneChange, RegimenChange, Pause)


def apply(user: User, command: Command, now: datetime) -> Outcome:
    """The new state and what to show; a change to the schedule can be undone once."""
    if isinstance(command, Undo):
        return Outcome(*undo(user, now))
    outcome = _apply(user, command, now)
    if isinstance(command, _UNDOABLE):
        return replace(outcome, user=remember_change(user, outcome.user, command_name(command), now))
    return outcome


def _apply(user: User, command: Command, now: datetime) -> Outcome:
    clock = _Clock.of(user, now)
    if not all(_HHMM.fullmatch(time) for time in _times_in(command)):
        return Outcome(user, UnknownText())  # never store what the state cannot load again
    match command:
        case Add():
            return _add(user, command, clock)
        case Delete():
            return _delete(user, command)
        case TimeChange():
            return _time_change(user, command, clock)
        case DoseChange():
            return _dose_change(user, command, clock)
        case TimezoneChange(timezone=zone):
            return _zone_change(user, zone, clock)
        case Done():
            return _done(user, command, clock)
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


def _add(user: User, command: Add, clock: _Clock) -> Outcome:
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
            return Outcome(user, NotFound((item.med.name,), _have(user)))
        new_times: list[str] = []
        for time in _sorted_unique(item.times):
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
        grown = replace(target, slots=_sorted_slots((*target.slots, *slots)))
        meds[meds.index(target)] = grown
        before = added.get(grown.id, AddedLine(grown.name, grown.dosage, ()))
        added[grown.id] = AddedLine(
            grown.name,
            grown.dosage,
            _sorted_unique((*before.times, *new_times)),
            _sorted_unique((*before.tomorrow, *clock.starting_tomorrow(slots))),
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
        _option(
            Add(_replaced(command.items, index, replace(item, med=exact_name(med)))),
            med,
        )
        for med in entries
    )
    return Clarify(
        "add_entry",
        options,
        subject=MedLine(item.med.name),
        new_times=_sorted_unique(item.times),
    )


def _already(
    before: AlreadyLine | None, holder: Medication, time: str, requested: str | None
) -> AlreadyLine:
    differs = requested is not None and not _same_dosage(holder.dosage, requested)
    times = _sorted_unique((*(before.times if before else ()), time))
    kept_request = before.requested_dosage if before else None
    return AlreadyLine(
        holder.name, holder.dosage, times, requested if differs else kept_request
    )


def _same_dosage(first: str | None, second: str | None) -> bool:
    def normal(text: str | None) -> str:
        return "".join((text or "").lower().replace(",", ".").split())

    return normal(first) == normal(second)


# ---------------------------------------------------------------- delete


def _delete(user: User, command: Delete) -> Outcome:
    meds = user.medications
    if not meds:
        return Outcome(user, NoMedications())
    if not command.names:
        return Outcome(user, _ask_what_to_delete(user, command))
    resolved = _resolve_names(user, command, "delete_med")
    if not isinstance(resolved, tuple):
        return Outcome(user, resolved)
    groups, not_found = resolved
    if command.times:
        return _delete_times(user, groups, command.times, not_found)
    doomed = {med.id for entries in groups for med in entries}
    items = [_med_deleted(med) for med in meds if med.id in doomed]
    kept = tuple(med for med in meds if med.id not in doomed)
    return Outcome(user.with_medications(kept), Deleted(tuple(items), not_found))


def _ask_what_to_delete(user: User, command: Delete) -> Result:
    """No name: always ask, even with one medication; deleting is not undone."""
    asked = set(command.times)
    candidates = [med for med in user.medications if not asked or asked & set(med.times)]
    if not candidates:
        return NotFound((), _have(user), _sorted_unique(command.times))
    options = tuple(
        _option(
            Delete((exact_name(med),), _sorted_unique(t for t in med.times if t in asked)),
            med,
        )
        for med in _in_schedule_order(candidates)
    )
    return Clarify("delete_med", options)


def _delete_times(
    user: User,
    groups: _Groups,
    times: tuple[str, ...],
    not_found: tuple[str, ...],
) -> Outcome:
    asked = set(times)
    hit = {med.id for entries in groups for med in entries if asked & set(med.times)}
    unmatched = [entries for entries in groups if not any(med.id in hit for med in entries)]
    if not hit:
        return Outcome(user, TimeNotFound(_med_line(unmatched[0]), _sorted_unique(times)))
    kept: list[Medication] = []
    items: list[DeletedLine] = []
    for med in user.medications:
        left = tuple(slot for slot in med.slots if slot.time not in asked)
        if med.id not in hit:
            kept.append(med)
        elif left:
            kept.append(replace(med, slots=left))
            removed = _sorted_unique(time for time in med.times if time in asked)
            remaining = _sorted_unique(slot.time for slot in left)
            items.append(DeletedLine(med.name, med.dosage, removed, remaining))
        else:
            items.append(_med_deleted(med))
    missing = (*not_found, *dict.fromkeys(entries[0].name for entries in unmatched))
    return Outcome(user.with_medications(tuple(kept)), Deleted(tuple(items), missing))


def _med_deleted(med: Medication) -> DeletedLine:
    return DeletedLine(med.name, med.dosage)


# ---------------------------------------------------------------- time change


def _time_change(user: User, command: TimeChange, clock: _Clock) -> Outcome:
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
            return Outcome(user, NotFound((), _have(user), (old,) if old else ()))
    else:
        match find(meds, command.name):
            case Missing():
                return Outcome(user, NotFound((command.name.name,), _have(user)))
            case Ambiguous(candidates=candidates):
                return Outcome(user, _ask_which_to_move(command, candidates))
            case Found(meds=found):
                entries = [med for med in found if old is None or old in med.times]
                if not entries:
                    return Outcome(user, TimeNotFound(_med_line(found), (old,) if old else ()))
    if len(entries) > 1:
        return Outcome(user, _ask_which_to_move(command, entries))
    if entries[0].as_needed:
        return Outcome(user, RuleRefused("as_needed_time", entries[0].name))
    return _move(user, entries[0], command, clock)


def _ask_which_to_move(command: TimeChange, candidates: Iterable[Medication]) -> Clarify:
    options = tuple(
        _option(replace(command, name=exact_name(med)), med)
        for med in _in_schedule_order(candidates)
    )
    return Clarify("time_med", options, new_times=_sorted_unique(command.new_times))


def _move(user: User, med: Medication, command: TimeChange, clock: _Clock) -> Outcome:
    new_times = _sorted_unique(command.new_times)
    if command.old_time is not None:
        replaced: tuple[str, ...] = (command.old_time,)
    elif len(med.slots) == 1 or len(new_times) > 1:
        replaced = med.times
    else:
        options = tuple(
            Option(replace(command, name=exact_name(med), old_time=time), times=(time,))
            for time in _sorted_unique(med.times)
        )
        return Outcome(
            user, Clarify("time_slot", options, subject=_med_line((med,)), new_times=new_times)
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
    slots = _sorted_slots((*kept, *unchanged, *fresh))
    moved = replace(med, slots=slots)
    result = TimeChanged(
        med.name,
        med.dosage,
        _sorted_unique(time for time in med.times if time in replaced),
        new_times,
        moved.times,
        clock.starting_tomorrow(fresh),
    )
    if slots == med.slots:
        return Outcome(user, result)
    meds = tuple(moved if entry.id == med.id else entry for entry in user.medications)
    return Outcome(user.with_medications(meds), result)


def _moved_start(
    user: User, med: Medication, time: str, old_time: str | None, clock: _Clock
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


def _dose_change(user: User, command: DoseChange, clock: _Clock) -> Outcome:
    meds = user.medications
    if not meds:
        return Outcome(user, NoMedications())
    if command.name is None:
        entries: tuple[Medication, ...] = tuple(_just_changed(user, meds, clock)) or meds
        if len(_by_key(entries)) > 1:
            return Outcome(user, _ask_which_dose(command, entries))
    else:
        match find(meds, command.name):
            case Missing():
                return Outcome(user, NotFound((command.name.name,), _have(user)))
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
        _sorted_unique(time for med in entries for time in med.times),
    )
    if all(med.dosage == command.dosage for med in entries):
        return Outcome(user, result)
    changed = tuple(
        replace(med, dosage=command.dosage) if med.id in ids else med for med in meds
    )
    return Outcome(user.with_medications(changed), result)


def _just_changed(user: User, meds: Iterable[Medication], clock: _Clock) -> list[Medication]:
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
        _option(replace(command, name=exact_name(med)), med)
        for med in _in_schedule_order(candidates)
    )
    return Clarify("dose_med", options, dosage=command.dosage)


# ---------------------------------------------------------------- time zone


def _zone_change(user: User, zone: str, clock: _Clock) -> Outcome:
    if tz.zone_or_none(zone) is None:
        return Outcome(user, ZoneRefused(zone))
    local_time = tz.hhmm(tz.local_datetime(zone, clock.now))
    result = ZoneChanged(zone, local_time)
    if zone == user.tz:
        return Outcome(user, result)
    return Outcome(replace(user, tz=zone), result)


# ---------------------------------------------------------------- done


def _done(user: User, command: Done, clock: _Clock) -> Outcome:
    meds = user.medications
    if not meds:
        return Outcome(user, NoMedications())
    waiting = open_doses(user)
    if not command.names:
        if waiting:
            return _mark(user, waiting, clock, (), ())
        return Outcome(user, _nothing_awaiting(user, clock))
    resolved = _resolve_names(
        user, command, "done_med", lambda found: _narrow_by_doses(user, found, waiting, clock)
    )
    if not isinstance(resolved, tuple):
        return Outcome(user, resolved)
    groups, not_found = resolved
    chosen: list[DoseRef] = []
    not_now: list[NotNow] = []
    extra_lines: list[MarkedLine] = []
    over: list[OverLimit] = []
    for entries in groups:
        ids = {med.id for med in entries}
        doses = [dose for dose in waiting if dose.med_id in ids and dose not in chosen]
        if not doses:
            near = _nearest_unanswered(user, ids, clock, exclude=chosen)
            doses = [near] if near else []
        as_needed = [med for med in entries if med.as_needed]
        if doses:
            chosen.extend(doses)
        elif as_needed:
            user, line, warning = mark_as_needed(user, as_needed, clock.local(user.tz), tz.utc_iso(clock.now))
            extra_lines.append(line)
            over.extend([warning] if warning else [])
        else:
            upcoming = _upcoming(user, clock, ids)
            not_now.append(
                NotNow(entries[0].name, entries[0].dosage, upcoming[0].time if upcoming else None)
            )
    outcome = _mark(user, tuple(chosen), clock, tuple(not_now), not_found)
    if not extra_lines:
        return outcome
    marked = outcome.result
    assert isinstance(marked, Marked)
    return Outcome(outcome.user, replace(marked, items=(*marked.items, *extra_lines), over_limit=tuple(over)))


def _mark(
    user: User,
    doses: Sequence[DoseRef],
    clock: _Clock,
    not_now: tuple[NotNow, ...],
    not_found: tuple[str, ...],
) -> Outcome:
    at = tz.utc_iso(clock.now)
    at_local = clock.minute
    updated = user
    items: list[MarkedLine] = []
    for dose in sorted(doses, key=lambda dose: (dose.date, dose.time)):
        med = user.medication(dose.med_id)
        if med is None:
            continue
        updated = with_intake(updated, Intake(dose, "taken", at, med.name, dosage_on(med, dose.date)))
        items.append(MarkedLine(med.name, med.dosage, dose.time, at_local))
    return Outcome(updated, Marked(tuple(items), not_now, not_found))


def _narrow_by_doses(
    user: User, candidates: tuple[Medication, ...], waiting: Sequence[DoseRef], clock: _Clock
) -> tuple[Medication, ...] | None:
    """Of several medications a name fits, the only one with something to mark, if any."""
    groups = _by_key(candidates)
    with_open = [group for group in groups if any(d.med_id in _ids(group) for d in waiting)]
    if len(with_open) == 1:
        return with_open[0]
    if with_open:
        return None
    near = [group for group in groups if _nearest_unanswered(user, _ids(group), clock, [])]
    return near[0] if len(near) == 1 else None


def _nearest_unanswered(
    user: User, ids: set[str], clock: _Clock, exclude: Sequence[DoseRef]
) -> DoseRef | None:
    """Today's unanswered dose closest to now within the early-intake window."""
    best: tuple[timedelta, DoseRef] | None = None
    for dose in doses_on(user, clock.today):
        if dose.med_id not in ids or dose in exclude or intake_of(user, dose) is not None:
            continue
        distance = abs(tz.to_instant(user.tz, clock.today, dose.time) - clock.now)
        if distance <= EARLY_INTAKE_WINDOW and (best is None or distance < best[0]):
            best = (distance, dose)
    return best[1] if best else None


def _upcoming(user: User, clock: _Clock, ids: set[str] | None = None) -> list[DoseRef]:
    """Today's doses still ahead and unanswered, in time order."""
    return [
        dose
        for dose in doses_on(user, clock.today)
        if dose.time > clock.minute
        and (ids is None or dose.med_id in ids)
        and intake_of(user, dose) is None
    ]


def _nothing_awaiting(user: User, clock: _Clock) -> Clarify:
    """A bare "done" with nothing open: say so, list what is next, offer the near doses."""
    upcoming = _upcoming(user, clock)
    lines = tuple(_dose_line(user, dose) for dose in upcoming)
    near = [
        dose
        for dose in doses_on(user, clock.today)
        if intake_of(user, dose) is None
        and abs(tz.to_instant(user.tz, clock.today, dose.time) - clock.now) <= EARLY_INTAKE_WINDOW
    ]
    options: list[Option] = []
    for dose in near:
        med = user.medication(dose.med_id)
        if med is not None:
            options.append(
                Option(Done((exact_name(med),)), med.name, med.dosage, (dose.time,))
            )
    return Clarify("done_nothing", tuple(options), upcoming=lines)


def _dose_line(user: User, dose: DoseRef) -> MedLine:
    med = user.medication(dose.med_id)
    assert med is not None  # doses_on only yields doses of existing medications
    return MedLine(med.name, med.dosage, (dose.time,))


# ---------------------------------------------------------------- list


def _schedule(user: User, clock: _Clock) -> Schedule:
    lines = tuple(
        ScheduleLine(
            med.name,
            dosage_on(med, clock.today),
            _sorted_unique(med.times),
            _sorted_unique(slot.time for slot in med.slots if slot.start == clock.tomorrow_iso),
            rule_view(med, clock.today),
        )
        for med in _in_schedule_order(user.medications)
    )
    return Schedule(lines, user.tz)


# ---------------------------------------------------------------- shared helpers


def _in_schedule_order(meds: Iterable[Medication]) -> list[Medication]:
    """Grouped by medication (key), then by first time: how the schedule is shown."""
    return sorted(meds, key=lambda med: (normal_key(med.key), min(med.times, default=""), med.id))


def _have(user: User) -> tuple[MedLine, ...]:
    return tuple(_med_line((med,)) for med in _in_schedule_order(user.medications))


def _med_line(entries: Sequence[Medication]) -> MedLine:
    first = entries[0]
    dosage = first.dosage if all(med.dosage == first.dosage for med in entries) else None
    return MedLine(first.name, dosage, _sorted_unique(t for med in entries for t in med.times))


def _resolve_names(
    user: User,
    command: Delete | Done,
    question: Question,
    narrow: Callable[[tuple[Medication, ...]], tuple[Medication, ...] | None] = lambda _: None,
) -> tuple[_Groups, tuple[str, ...]] | Result:
    """The medications each name means (and the names that mean none), or what to say instead.

    `narrow` may settle an ambiguous name (e.g. to the one medication with a dose to mark);
    otherwise the person is asked.
    """
    groups: _Groups = []
    not_found: list[str] = []
    for index, name in enumerate(command.names):
        match find(user.medications, name):
            case Missing():
                not_found.append(name.name)
            case Found(meds=entries):
                groups.append(entries)
            case Ambiguous(candidates=candidates):
                narrowed = narrow(candidates)
                if narrowed is None:
                    return _ask_naming(question, command, index, candidates)
                groups.append(narrowed)
    if not groups:
        return NotFound(tuple(not_found), _have(user))
    return groups, tuple(not_found)


def _ask_naming(
    question: Question, command: Delete | Done, index: int, candidates: Iterable[Medication]
) -> Clarify:
    """Which medication did the `index`-th name mean? Each option resolves just that name."""
    options = tuple(
        _option(replace(command, names=_replaced(command.names, index, exact_name(med))), med)
        for med in _in_schedule_order(candidates)
    )
    return Clarify(question, options)


def _option(command: Command, med: Medication) -> Option:
    return Option(command, med.name, med.dosage, _sorted_unique(med.times))


def _replaced(items: tuple, index: int, value: object) -> tuple:  # type: ignore[type-arg]
    return (*items[:index], value, *items[index + 1 :])


def _by_key(meds: Iterable[Medication]) -> list[tuple[Medication, ...]]:
    groups: dict[str, list[Medication]] = {}
    for med in meds:
        groups.setdefault(normal_key(med.key), []).append(med)
    return [tuple(group) for group in groups.values()]


def _ids(meds: Iterable[Medication]) -> set[str]:
    return {med.id for med in meds}


def _sorted_unique(times: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(times)))


def _sorted_slots(slots: Iterable[Slot]) -> tuple[Slot, ...]:
    """One slot per time (the earliest start wins), ordered by time."""
    by_time: dict[str, Slot] = {}
    for slot in slots:
        if slot.time not in by_time or slot.start < by_time[slot.time].start:
            by_time[slot.time] = slot
    return tuple(by_time[time] for time in sorted(by_time))
