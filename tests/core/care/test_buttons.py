"""Caregiver button data: what we write reads back exactly; anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbot.core.care.buttons import CarePress, decode, encode, remove_data, removed_caregiver


@pytest.mark.parametrize("press", [
    CarePress(42, "accept", "AbCdEfGh_-123456"),
    CarePress(42, "decline", "AbCdEfGh_-123456"),
    CarePress(9_999_999_999_999_999, "remind", "2026-12-07 08:00"),
    CarePress(7, "called", "2026-01-31 23:59"),
    CarePress(7, "schedule"),
    CarePress(7, "today"),
    CarePress(7, "leave"),
])
def test_what_is_written_reads_back(press: CarePress) -> None:
    data = encode(press)
    assert len(data.encode()) <= 64
    assert decode(data) == press


@pytest.mark.parametrize("data", [
    "g:0:v", "g:-5:v", "g:42:x", "g:42:v:extra", "g:42:a:short", "g:42:a:AbCdEfGh_-1234567",
    "g:42:r:202612070800x", "g:42:r:202613070800", "g:42:r:202612072460", "g:42:k:", "g:42",
    " g:42:v", "g:42:v ", "g:٤٢:v", "g:42:a:AbCdEfGh_-12345é", "t:1:m1", "", "g:12345678901234567:v",
])
def test_anything_else_is_refused(data: str) -> None:
    assert decode(data) is None


def test_the_patients_remove_button_names_one_caregiver() -> None:
    assert removed_caregiver(remove_data(77)) == 77
    assert removed_caregiver("gx:77:1") is None and removed_caregiver("gx:abc") is None and removed_caregiver(5) is None


@given(st.text(max_size=80))
def test_random_data_never_crashes_and_is_read_only_if_it_is_exact(data: str) -> None:
    press = decode(data)
    assert press is None or encode(press) == data
