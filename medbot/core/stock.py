"""How many doses a person has in hand, and when to say it is time to buy more. Pure.

Stock is counted in the units a dose is taken in: tablets, capsules, drops, ml, units. A dose
whose dosage is such a count uses that many ("2 таблетки" is 2, "полтаблетки" is 0.5); any
other dose uses one ("200 мг" is one tablet). Every entry of a medication (its key) shares one
stock. The entries are kept equal, and a dose of any of them counts against it.

Days left: the days after today that the stock covers, once today's remaining doses are taken,
following the regimen day by day (a weekly drug, a taper, a course). An as-needed drug uses
nothing by the regimen: it is counted, never warned about. The warning comes once when fewer than
`REFILL_DAYS` days are left, and again at 3 and at 1. Buying more starts the warnings over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from medbot.core.doses import scheduled_times
from medbot.core.model import Intake, Medication, User
from medbot.core.regimen import dosage_on

REFILL_DAYS = 7
THRESHOLDS = (REFILL_DAYS, 3, 1)
LOOK_AHEAD_DAYS = 28
"""A regimen that uses nothing in four weeks (as needed, a far-off course) is never warned about."""
MAX_DAYS = 366
MAX_STOCK = 100_000

_COUNT = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?|½|¼|¾)\s*(?:-?х\s+)?(?:таб|капс|кап(?:ел|л)|драж|пак|саше|амп|шт|доз|впрыс|ингал|свеч|мл|ml"
    r"|ед\b|ед\.|units?|iu\b|me\b|tab|caps|cap\b|pill|drop|sachet|puff|spray|suppos|dose)",
    re.IGNORECASE,
)
_HALF = re.compile(r"\b(?:пол|половин\w*|half)\b|\bпол-?таб|полтаб|полкапс", re.IGNORECASE)
_QUARTER = re.compile(r"\b(?:четверт\w*|quarter)\b", re.IGNORECASE)
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}


def units_per_dose(dosage: str | None) -> float:
    """What one dose uses of the stock: the count when the dosage is one, else 1."""
    if not dosage:
        return 1.0
    match = _COUNT.search(dosage)
    if match is not None:
        raw = match["n"]
        value = _FRACTIONS.get(raw) or float(raw.replace(",", "."))
        return value if value > 0 else 1.0
    if _QUARTER.search(dosage):
        return 0.25
    if _HALF.search(dosage):
        return 0.5
    return 1.0


def entries(user: User, med: Medication) -> list[Medication]:
    """Every entry of the same medication: they share one stock."""
    return [item for item in user.medications if item.key == med.key]


def _use_on(user: User, meds: list[Medication], day: date, done: set[tuple[str, str, str]]) -> float:
    """Units the doses of `day` still to come take (doses already answered are not counted)."""
    used = 0.0
    iso = day.isoformat()
    for item in meds:
        if item.as_needed:
            continue
        for time in scheduled_times(item, day):
            if (item.id, iso, time) not in done:
                used += units_per_dose(dosage_on(item, day))
    return used


def days_left(user: User, med: Medication, today: date) -> int | None:
    """Days after today the stock covers by the regimen, once today's doses still to come are
    taken; None when nothing is counted or the regimen uses nothing (as needed)."""
    if med.stock is None:
        return None
    meds = [item for item in entries(user, med) if not item.as_needed]
    if not meds or not any(_use_on(user, meds, today + timedelta(days=n), set()) for n in range(LOOK_AHEAD_DAYS)):
        return None
    done = {(record.dose.med_id, record.dose.date, record.dose.time) for record in user.history
            if record.dose.date == today.isoformat()}
    remaining = med.stock - _use_on(user, meds, today, done)
    if remaining < 0:
        return 0
    for n in range(1, MAX_DAYS + 1):
        remaining -= _use_on(user, meds, today + timedelta(days=n), set())
        if remaining < -1e-9:
            return n - 1
    return MAX_DAYS


def with_stock(user: User, med: Medication, stock: float, today: date) -> User:
    """`med`'s stock (every entry of it) set to `stock`; warnings start over if it now lasts longer."""
    stock = max(0.0, min(float(stock), MAX_STOCK))
    probe = replace(med, stock=stock)
    left = days_left(user, probe, today)
    warned = None if left is None or left >= REFILL_DAYS else _threshold(left)
    changed = {item.id for item in entries(user, med)}
    return user.with_medications(tuple(
        replace(item, stock=stock, stock_warned=warned if item.stock is None or stock > (item.stock or 0) else
                item.stock_warned) if item.id in changed else item
        for item in user.medications
    ))


def _threshold(left: float) -> int | None:
    crossed = [limit for limit in THRESHOLDS if left < limit]
    return min(crossed) if crossed else None


@dataclass(frozen=True)
class RefillWarning:
    name: str
    dosage: str | None
    stock: float
    days: int


def after_intakes(before: User | None, user: User, today: date) -> tuple[User, list[RefillWarning]]:
    """`user` with the stock of every dose taken since `before` counted off, and the refill
    warnings that crossing a threshold calls for (each threshold once)."""
    if not any(med.stock is not None for med in user.medications):
        return user, []  # nothing counted: no history to compare (every message and wake-up comes here)
    taken = _newly_taken(before, user)
    if not taken:
        return user, []
    by_key: dict[str, float] = {}
    for record in taken:
        med = user.medication(record.dose.med_id)
        if med is None or med.stock is None:
            continue
        by_key[med.key] = by_key.get(med.key, 0.0) + units_per_dose(record.dosage)
    warnings: list[RefillWarning] = []
    for key, used in by_key.items():
        med = next(item for item in user.medications if item.key == key)
        stock = max(0.0, (med.stock or 0.0) - used)
        user = user.with_medications(tuple(replace(item, stock=stock) if item.key == key else item
                                           for item in user.medications))
        med = next(item for item in user.medications if item.key == key)
        left = days_left(user, med, today)
        threshold = None if left is None else _threshold(left)
        if threshold is not None and (med.stock_warned is None or threshold < med.stock_warned):
            user = user.with_medications(tuple(replace(item, stock_warned=threshold) if item.key == key else item
                                               for item in user.medications))
            warnings.append(RefillWarning(med.name, med.dosage, stock, int(left or 0)))
    return user, warnings


def _newly_taken(before: User | None, user: User) -> list[Intake]:
    """Doses taken in `user` that `before` had not recorded as taken (as-needed ones too)."""
    if before is None or before.history is user.history:
        return []
    earlier = {record.dose: record.status for record in before.history}
    return [record for record in user.history
            if record.status == "taken" and earlier.get(record.dose) != "taken"]
