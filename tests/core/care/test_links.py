"""Invitations: one-time, 24 hours, only for whoever opened them; links made and ended."""

from __future__ import annotations

from datetime import timedelta

import pytest

from medbot.core.care import links
from medbot.core.care.links import LinkChange
from tests.core.reminder_kit import local, person

ZONE = "Europe/Moscow"
NOW = local(ZONE, "2026-12-07 10:00")


def test_a_token_names_the_patient_and_fits_telegrams_start_parameter() -> None:
    secret = links.new_secret("seed")
    for patient in (1, 42, 5_000_000_000, 10**16 - 1):
        token = links.token(patient, secret)
        assert len(token) <= 64 and all(ch.isalnum() or ch in "_-" for ch in token)
        assert links.read_token(token) == (patient, secret)
    assert links.link("my_bot", 42, secret) == f"https://t.me/my_bot?start=c16_{secret}"


@pytest.mark.parametrize("argument", ["", "hello", "c16", "c16_short", "c16_" + "a" * 17, "x16_" + "a" * 16,
                                      "c0_" + "a" * 16, "c16_" + "a" * 15 + "!", "cзз_" + "a" * 16])
def test_other_start_arguments_are_no_invitation(argument: str) -> None:
    assert links.read_token(argument) is None


def test_secrets_differ_by_seed() -> None:
    assert links.new_secret("a") != links.new_secret("b")
    assert len(links.new_secret("a")) == 16


def invited() -> tuple:
    patient = person(ZONE)
    secret = links.new_secret("x")
    return links.invited(patient, secret, NOW), secret


def test_an_invitation_is_opened_then_accepted_by_the_same_person_once() -> None:
    patient, secret = invited()
    assert links.check_invite(patient, secret, 7, NOW, opening=False) == "unknown"  # not opened yet: forged
    assert links.check_invite(patient, secret, 7, NOW, opening=True) == "ok"
    patient = links.opened(patient, secret, 7)
    assert links.check_invite(patient, secret, 8, NOW, opening=True) == "taken"
    assert links.check_invite(patient, secret, 8, NOW, opening=False) == "taken"
    assert links.check_invite(patient, secret, 7, NOW, opening=False) == "ok"
    patient = links.linked(patient, secret, 7, "Аня", "ru", NOW)
    assert [link.user_id for link in patient.caregivers] == [7] and not patient.invites
    assert links.check_invite(patient, secret, 9, NOW, opening=True) == "unknown"  # used up
    assert links.check_invite(patient, secret, 7, NOW, opening=True) == "already"


def test_an_invitation_expires_after_24_hours_and_never_serves_the_patient() -> None:
    patient, secret = invited()
    assert links.check_invite(patient, secret, 42, NOW, opening=True) == "self"
    assert links.check_invite(patient, secret, 7, NOW + timedelta(hours=23, minutes=59), opening=True) == "ok"
    assert links.check_invite(patient, secret, 7, NOW + timedelta(hours=24), opening=True) == "expired"


def test_at_most_three_invitations_and_five_caregivers() -> None:
    patient = person(ZONE)
    for n in range(5):
        patient = links.invited(patient, f"secret{n:010d}xx", NOW)
    assert [invite.secret for invite in patient.invites] == [f"secret{n:010d}xx" for n in (2, 3, 4)]
    for who in range(100, 105):
        secret = links.new_secret(str(who))
        patient = links.opened(links.invited(patient, secret, NOW), secret, who)
        patient = links.linked(patient, secret, who, str(who), "en", NOW)
    secret = links.new_secret("last")
    patient = links.invited(patient, secret, NOW)
    assert links.check_invite(patient, secret, 200, NOW, opening=True) == "full"


def test_ending_a_link_forgets_the_caregiver_everywhere() -> None:
    patient, secret = invited()
    patient = links.linked(links.opened(patient, secret, 7), secret, 7, "Аня", "ru", NOW)
    patient = links.unlinked(patient, 7)
    assert not patient.caregivers


def test_the_caregivers_copy_follows_the_patient() -> None:
    helper = person(ZONE)
    helper = links.caring_for(helper, LinkChange(42, "Мама", True))
    helper = links.caring_for(helper, LinkChange(42, "Мама Люда", True))
    assert [(item.user_id, item.name) for item in helper.caring_for] == [(42, "Мама Люда")]
    assert links.caring_for(helper, LinkChange(42, "", False)).caring_for == ()


def test_the_share_link_is_percent_encoded_as_the_standard_library_would() -> None:
    from urllib.parse import quote

    url, text = "https://t.me/my_bot?start=c16_Ab-_x", "Стань моим помощником & more/100%"
    assert links.share_url(url, text) == f"https://t.me/share/url?url={quote(url, safe='')}&text={quote(text, safe='')}"
