"""Button data of caregiver features, written and read back strictly.

A caregiver's buttons name the patient they are about, because the caregiver's own actor only
passes them on; the patient's step checks that the presser really is that patient's caregiver.
Anyone can send any data, so `decode` accepts only the exact shapes `encode` writes.

    g:<patient>:a:<secret>         accept an invitation (the one the presser opened)
    g:<patient>:n:<secret>         decline it
    g:<patient>:r:<YYYYMMDDHHMM>   remind the patient again of the dose due then
    g:<patient>:k:<YYYYMMDDHHMM>   "I called": the other caregivers are told, nobody is asked again
    g:<patient>:v                  the patient's schedule
    g:<patient>:t                  the patient's day so far, and how they keep to the schedule
    g:<patient>:l                  stop being the patient's caregiver
    gx:<caregiver>                 (the patient's own) remove a caregiver
    gm:<caregiver> / gn:<caregiver> (the patient's own) allow / no longer allow them to change the schedule
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Action = Literal["accept", "decline", "remind", "called", "schedule", "today", "leave"]

_CODES: dict[Action, str] = {"accept": "a", "decline": "n", "remind": "r", "called": "k", "schedule": "v",
                             "today": "t", "leave": "l"}
_ACTIONS: dict[str, Action] = {code: action for action, code in _CODES.items()}
_ID = r"[1-9][0-9]{0,15}"
SECRET = re.compile(r"[A-Za-z0-9_-]{16}")
_DATA = re.compile(
    rf"g:(?P<patient>{_ID}):(?:(?P<invite>[an]):(?P<secret>[A-Za-z0-9_-]{{16}})"
    r"|(?P<dose>[rk]):(?P<when>20[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?:[01][0-9]|2[0-3])[0-5][0-9])"
    r"|(?P<plain>[vtl]))",
    re.ASCII,
)
_REMOVE = re.compile(rf"gx:(?P<caregiver>{_ID})", re.ASCII)


@dataclass(frozen=True)
class CarePress:
    patient: int
    action: Action
    arg: str = ""
    """The invitation's secret, or the dose's local "YYYY-MM-DD HH:MM"."""


def encode(press: CarePress) -> str:
    code = _CODES[press.action]
    if press.action in ("remind", "called"):
        return f"g:{press.patient}:{code}:{press.arg.replace('-', '').replace(':', '').replace(' ', '')}"
    if press.action in ("accept", "decline"):
        return f"g:{press.patient}:{code}:{press.arg}"
    return f"g:{press.patient}:{code}"


def decode(data: object) -> CarePress | None:
    """The press these data stand for, or None when they are not exactly what we write."""
    if not isinstance(data, str) or len(data) > 64:
        return None
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    patient = int(match["patient"])
    if match["invite"]:
        return CarePress(patient, _ACTIONS[match["invite"]], match["secret"])
    if match["dose"]:
        when = match["when"]
        return CarePress(patient, _ACTIONS[match["dose"]], f"{when[:4]}-{when[4:6]}-{when[6:8]} {when[8:10]}:{when[10:]}")
    return CarePress(patient, _ACTIONS[match["plain"]])


def is_care_data(data: str) -> bool:
    return data.startswith(("g:", "gx:", "gm:", "gn:"))


def remove_data(caregiver: int) -> str:
    return f"gx:{caregiver}"


_GRANT = re.compile(rf"g(?P<code>[mn]):(?P<caregiver>{_ID})", re.ASCII)


def grant_data(caregiver: int, allow: bool) -> str:
    return f"g{'m' if allow else 'n'}:{caregiver}"


def granted(data: object) -> tuple[int, bool] | None:
    """(caregiver, allowed) of the patient's grant buttons, or None."""
    if not isinstance(data, str):
        return None
    match = _GRANT.fullmatch(data)
    return (int(match["caregiver"]), match["code"] == "m") if match else None


def removed_caregiver(data: object) -> int | None:
    if not isinstance(data, str):
        return None
    match = _REMOVE.fullmatch(data)
    return int(match["caregiver"]) if match else None
