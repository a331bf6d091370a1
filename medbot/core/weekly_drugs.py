"""Drugs normally taken once a week or less often: a daily schedule for them is asked about.

Weekly methotrexate taken daily is a known fatal medication error; weekly bisphosphonates and
GLP-1 injections are the other common ones. Matched on the start of any word of the name, in
its matching form (lower case, dictionary form), so brand and generic names both count.
"""

from __future__ import annotations

from medbot.core.model import Regimen
from medbot.core.regimen import is_weekly_like

WEEKLY_STEMS: tuple[str, ...] = (
    "метотрексат", "methotrexate", "trexall", "otrexup", "rasuvo", "методжект", "metoject",
    "алендрон", "alendron", "фосамакс", "fosamax", "теванат", "ризедрон", "risedron", "актонел", "actonel",
    "ибандрон", "ibandron", "бонвива", "boniva",
    "оземпик", "ozempic", "трулисити", "trulicity", "дулаглутид", "dulaglutide", "мунджаро", "mounjaro",
    "тирзепатид", "tirzepatide", "wegovy", "вегови",
)


def is_weekly_drug(key: str) -> bool:
    return any(word.startswith(WEEKLY_STEMS) for word in key.replace("-", " ").split())


def needs_weekly_check(key: str, regimen: Regimen) -> bool:
    """A weekly drug about to be scheduled more often than once a week."""
    return is_weekly_drug(key) and not is_weekly_like(regimen)
