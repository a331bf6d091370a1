"""Invitations and links between a patient and their caregivers, as pure changes of the
patient's record (and of the caregiver's copy).

An invitation is a one-time deep link: `https://t.me/<bot>?start=c<patient, base 36>_<secret>`.
The token names the patient so the caregiver's actor knows whom to ask. The secret is drawn
for each invitation, and only the patient's record knows it. It works once, for 24 hours. Only
the person who opened it may accept it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from medbot.core import tz
from medbot.core.model import CaredFor, CaregiverLink, Invite, User

INVITE_LIFETIME = timedelta(hours=24)
MAX_CAREGIVERS = 5
MAX_INVITES = 3
"""Invitations open at once: an older one gives way to a newer one."""
_TOKEN = re.compile(r"c(?P<patient>[1-9a-z][0-9a-z]{0,12})_(?P<secret>[A-Za-z0-9_-]{16})", re.ASCII)


def new_secret(seed: str) -> str:
    """16 URL-safe characters that nobody can guess (the seed holds the incarnation's secret)."""
    digest = hashlib.blake2s(seed.encode(), digest_size=12).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token(patient: int, secret: str) -> str:
    return f"c{_base36(patient)}_{secret}"


def link(bot_username: str, patient: int, secret: str) -> str:
    return f"https://t.me/{bot_username or 'medbot'}?start={token(patient, secret)}"


def share_url(url: str, text: str) -> str:
    """Telegram's own "share" link: opens the chat list with the invitation ready to send."""
    return f"https://t.me/share/url?url={_escaped(url)}&text={_escaped(text)}"


_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _escaped(text: str) -> str:
    """Percent-encoding of a URL query value (RFC 3986; the core imports no URL library)."""
    return "".join(chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in text.encode("utf-8"))


def read_token(text: str) -> tuple[int, str] | None:
    """(patient, secret) of a `/start` argument, or None when it is not an invitation."""
    match = _TOKEN.fullmatch(text.strip())
    if match is None:
        return None
    patient = int(match["patient"], 36)
    return (patient, match["secret"]) if patient < 10**16 else None


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


# --- the patient's side ---------------------------------------------------------------------------


def invited(user: User, secret: str, now: datetime) -> User:
    """The record with a new invitation (expired ones and the oldest beyond the limit gone)."""
    kept = tuple(invite for invite in user.invites if tz.from_iso(invite.expires) > now)
    fresh = Invite(secret, tz.utc_iso(now + INVITE_LIFETIME))
    return replace(user, invites=(*kept, fresh)[-MAX_INVITES:])


InviteCheck = Literal["ok", "unknown", "expired", "taken", "self", "already", "full"]


def check_invite(user: User, secret: str, who: int, now: datetime, opening: bool) -> InviteCheck:
    """Whether `who` may open (or, `opening` False, accept) the invitation `secret`."""
    if who == user.id:
        return "self"
    if any(link.user_id == who for link in user.caregivers):
        return "already"
    invite = next((item for item in user.invites if item.secret == secret), None)
    if invite is None:
        return "unknown"
    if tz.from_iso(invite.expires) <= now:
        return "expired"
    if invite.opened_by is not None and invite.opened_by != who:
        return "taken"
    if not opening and invite.opened_by is None:
        return "unknown"  # accepted without being opened: forged data
    if len(user.caregivers) >= MAX_CAREGIVERS:
        return "full"
    return "ok"


def opened(user: User, secret: str, who: int) -> User:
    return replace(user, invites=tuple(replace(item, opened_by=who) if item.secret == secret else item
                                       for item in user.invites))


def without_invite(user: User, secret: str) -> User:
    return replace(user, invites=tuple(item for item in user.invites if item.secret != secret))


def linked(user: User, secret: str, who: int, name: str, lang: str, now: datetime) -> User:
    """The invitation used up and `who` a caregiver."""
    link = CaregiverLink(who, name, tz.utc_iso(now), "en" if lang == "en" else "ru")
    return replace(without_invite(user, secret), caregivers=(*user.caregivers, link))


def caregiver(user: User, who: int) -> CaregiverLink | None:
    return next((link for link in user.caregivers if link.user_id == who), None)


def unlinked(user: User, who: int) -> User:
    return replace(user, caregivers=tuple(link for link in user.caregivers if link.user_id != who),
                   escalations=tuple(replace(item, told=tuple(c for c in item.told if c != who))
                                     for item in user.escalations))


def with_caregiver(user: User, updated: CaregiverLink) -> User:
    return replace(user, caregivers=tuple(updated if link.user_id == updated.user_id else link
                                          for link in user.caregivers))


# --- the caregiver's side -------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkChange:
    patient: int
    name: str
    linked: bool


def caring_for(user: User, change: LinkChange) -> User:
    """The caregiver's copy of their links, after the patient's record changed."""
    others = tuple(item for item in user.caring_for if item.user_id != change.patient)
    if change.linked:
        return replace(user, caring_for=(*others, CaredFor(change.patient, change.name)))
    return replace(user, caring_for=others)
