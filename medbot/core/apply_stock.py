"""Pills in hand: setting or adding to a medication's stock, and saying what is left."""

from __future__ import annotations

from datetime import date

from medbot.core.apply_common import Outcome, listed_meds
from medbot.core.commands import StockChange, StockQuery
from medbot.core.matching import Ambiguous, Found, find
from medbot.core.model import Medication, User
from medbot.core.regimen import dosage_on
from medbot.core.results import NotFound, StockLine, StockReport, StockSet, UnknownText
from medbot.core.stock import days_left, with_stock


def change_stock(user: User, command: StockChange, today: date) -> Outcome:
    med = _which(user, command.name)
    if isinstance(med, Outcome):
        return med
    before = med.stock or 0.0
    stock = before + command.amount if command.add else command.amount
    user = with_stock(user, med, stock, today)
    changed = user.medication(med.id)
    assert changed is not None
    return Outcome(user, StockSet(line(user, changed, today), command.amount if command.add else None))


def report_stock(user: User, command: StockQuery, today: date) -> Outcome:
    if command.name is not None:
        med = _which(user, command.name)
        if isinstance(med, Outcome):
            return med
        return Outcome(user, StockReport((line(user, med, today),)))
    seen: set[str] = set()
    lines = []
    for med in user.medications:
        if med.stock is not None and med.key not in seen:
            seen.add(med.key)
            lines.append(line(user, med, today))
    return Outcome(user, StockReport(tuple(lines)))


def line(user: User, med: Medication, today: date) -> StockLine:
    left = days_left(user, med, today)
    return StockLine(med.name, dosage_on(med, today), med.stock, None if left is None else int(left))


def _which(user: User, name: object) -> Medication | Outcome:
    """The medication meant; with no name, the only one there is."""
    keys = {med.key for med in user.medications}
    if name is None:
        if len(keys) == 1:
            return user.medications[0]
        return Outcome(user, UnknownText("stock_which"))
    match find(user.medications, name):  # type: ignore[arg-type]
        case Found(meds=meds):
            return meds[0]
        case Ambiguous():
            return Outcome(user, UnknownText("stock_which"))
    return Outcome(user, NotFound((getattr(name, "name", ""),), listed_meds(user)))
