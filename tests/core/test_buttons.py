"""Reminder callback data: short, and nothing but the exact shapes we write is accepted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbot.core.buttons import ButtonPress, decode, encode, is_reminder_data
from medbot.core.view import MAX_CALLBACK_DATA

PRESSES = [
    ButtonPress("taken", 1, "m1"),
    ButtonPress("taken", 999_999_999_999, "m999999999"),
    ButtonPress("all", 3),
    ButtonPress("snooze", 12),
    ButtonPress("skip", 40),
    ButtonPress("page", 7, page=3),
]


@pytest.mark.parametrize("press", PRESSES)
def test_what_we_write_reads_back_the_same_and_fits_telegram(press: ButtonPress) -> None:
    data = encode(press)
    assert decode(data) == press
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
    assert is_reminder_data(data)


def test_the_short_forms() -> None:
    assert [encode(press) for press in PRESSES] == [
        "t:1:m1",
        "t:999999999999:m999999999",
        "a:3",
        "z:12",
        "s:40",
        "p:7:3",
    ]


@pytest.mark.parametrize(
    "data",
    [
        "",
        "t",
        "t:1",
        "t:1:",
        "t:1:x1",
        "t:1:m",
        "t:1:m1:m2",
        "t:0:m1",
        "t:01:m1",
        "t:-1:m1",
        "a:1:m1",
        "a:0",
        "a:",
        "a:1 ",
        " a:1",
        "a:1\n",
        "A:1",
        "x:1",
        "c:1",
        "z:1.5",
        "s:1e3",
        "a:１",  # full-width digit
        "a:١",  # Arabic-Indic digit
        "t:1:m١",
        "a:1234567890123",  # longer than any id we hand out
        "t:1:m" + "1" * 60,
        "p:1",
        "p:1:",
        "p:1:01",
        "p:1:-1",
        "p:1:99999",
        "p:1:m1",
    ],
)
def test_anything_else_is_refused(data: str) -> None:
    assert decode(data) is None


def test_non_text_and_oversized_data_are_refused() -> None:
    assert decode(None) is None
    assert decode(b"a:1") is None
    assert decode("a:" + "1" * 63) is None


@given(st.text(max_size=80))
def test_decoding_arbitrary_text_never_fails_and_accepts_only_canonical_data(data: str) -> None:
    press = decode(data)
    if press is not None:
        assert encode(press) == data


def test_clarification_buttons_are_not_reminder_buttons() -> None:
    assert not is_reminder_data("c:abc")
    assert not is_reminder_data("")
    assert is_reminder_data("t:1:m1")
