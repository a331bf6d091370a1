"""Marking doses taken ("выпил аспирин", a bare "done"): which doses a person means.

Part of `apply`: the same pure shape, (state, command, clock) -> Outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from medbot.core import tz
from medbot.core.apply_common import LocalClock, Outcome, grouped_by_key, ids_of, resolve_names
from medbot.core.apply_past import in_part
from medbot.core.apply_rules import (
    mark_as_needed,
)
from medbot.core.commands import (
    Done,
)
from medbot.core.doses import doses_on, intake_of, open_doses, with_intake
from medbot.core.matching import exact_name
from medbot.core.model import DoseRef, Intake, Medication, User
from medbot.core.regimen import dosage_on
from medbot.core.results import (
    Clarify,
    Marked,
    MarkedLine,
    MedLine,
    NoMedications,
    NotFound,
    NotNow,
    Option,
    OverLimit,
)

EARLY_INTAKE_WINDOW = timedelta(hours=3)
"""A dose this close to now (before or after) can be marked taken without a reminder."""


def done(user: User, command: Done, clock: LocalClock) -> Outcome:
    meds = user.medications
    if not meds:
        return Outcome(user, NoMedications())
    waiting = open_doses(user)
    if not command.names:
        if command.part is not None:
            waiting = tuple(dose for dose in waiting if in_part(dose.time, command.part))  # "выпила утренние"
        if waiting:
            return _mark(user, waiting, clock, (), ())
        return Outcome(user, _nothing_awaiting(user, clock))
    resolved = resolve_names(
        user, command, "done_med", lambda found: _narrow_by_doses(user, found, waiting, clock)
    )
    if isinstance(resolved, NotFound):
        return Outcome(user, _which_of_the_waiting(user, waiting, clock, resolved))
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
    clock: LocalClock,
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
    user: User, candidates: tuple[Medication, ...], waiting: Sequence[DoseRef], clock: LocalClock
) -> tuple[Medication, ...] | None:
    """Of several medications a name fits, the only one with something to mark, if any."""
    groups = grouped_by_key(candidates)
    with_open = [group for group in groups if any(d.med_id in ids_of(group) for d in waiting)]
    if len(with_open) == 1:
        return with_open[0]
    if with_open:
        return None
    near = [group for group in groups if _nearest_unanswered(user, ids_of(group), clock, [])]
    return near[0] if len(near) == 1 else None


def _nearest_unanswered(
    user: User, ids: set[str], clock: LocalClock, exclude: Sequence[DoseRef]
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


def _near_unanswered(user: User, clock: LocalClock) -> list[DoseRef]:
    """Today's unanswered doses within the early-intake window of now, in time order."""
    return [
        dose
        for dose in doses_on(user, clock.today)
        if intake_of(user, dose) is None
        and abs(tz.to_instant(user.tz, clock.today, dose.time) - clock.now) <= EARLY_INTAKE_WINDOW
    ]


def _upcoming(user: User, clock: LocalClock, ids: set[str] | None = None) -> list[DoseRef]:
    """Today's doses still ahead and unanswered, in time order."""
    return [
        dose
        for dose in doses_on(user, clock.today)
        if dose.time > clock.minute
        and (ids is None or dose.med_id in ids)
        and intake_of(user, dose) is None
    ]


def _which_of_the_waiting(
    user: User, waiting: Sequence[DoseRef], clock: LocalClock, missing: NotFound
) -> Clarify | NotFound:
    """"выпила таблетку от давления", "took my water pill": no stored name, but doses await a
    mark, so the person is asked which of them it was rather than told only "not found"."""
    doses = sorted({*waiting, *_near_unanswered(user, clock)}, key=lambda dose: (dose.date, dose.time))
    times: dict[str, list[str]] = {}
    for dose in doses:
        times.setdefault(dose.med_id, []).append(dose.time)
    options: list[Option] = []
    for med_id, at in times.items():
        med = user.medication(med_id)
        if med is not None and not med.as_needed:
            options.append(Option(Done((exact_name(med),)), med.name, med.dosage, tuple(sorted(set(at)))))
    if not options:
        return missing
    return Clarify("done_med", tuple(options), names=missing.names)


def _nothing_awaiting(user: User, clock: LocalClock) -> Clarify:
    """A bare "done" with nothing open: say so, list what is next, offer the near doses."""
    upcoming = _upcoming(user, clock)
    lines = tuple(dose_line(user, dose) for dose in upcoming)
    near = _near_unanswered(user, clock)
    options: list[Option] = []
    for dose in near:
        med = user.medication(dose.med_id)
        if med is not None:
            options.append(
                Option(Done((exact_name(med),)), med.name, med.dosage, (dose.time,))
            )
    return Clarify("done_nothing", tuple(options), upcoming=lines)


def dose_line(user: User, dose: DoseRef) -> MedLine:
    med = user.medication(dose.med_id)
    assert med is not None  # doses_on only yields doses of existing medications
    return MedLine(med.name, med.dosage, (dose.time,))

