"""A family member's messages go to the owner's chat, labelled, with buttons that come back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medbot.core.family.home import at_home, unwrap, wrap
from medbot.core.outgoing import AnswerCallback, DeleteMessage, EditMessage, SendMessage
from medbot.core.view import Button

MUM, OWNER = -3201, 50


def test_a_message_to_the_member_goes_to_the_owner_labelled_with_wrapped_buttons() -> None:
    message = SendMessage(MUM, "Пора принять", ((Button("✓ эналаприл", "t:1:m1"), Button("link", "", url="https://x")),),
                          tag=("reminder", 1))
    homed = at_home(message, MUM, OWNER, "Мама")
    assert homed.chat_id == OWNER and homed.owner == MUM and homed.tag == ("reminder", 1)
    assert homed.text == "👤 Мама\nПора принять"
    assert [b.data for b in homed.buttons[0]] == ["f:-3201:t:1:m1", ""] and homed.buttons[0][1].url == "https://x"
    assert at_home(homed, MUM, OWNER, "Мама") == homed  # applied twice, changed once


def test_edits_and_deletions_follow_and_other_chats_are_left_alone() -> None:
    assert at_home(EditMessage(MUM, 5, "x"), MUM, OWNER, "Мама").chat_id == OWNER
    assert at_home(DeleteMessage(MUM, 5), MUM, OWNER, "Мама") == DeleteMessage(OWNER, 5, owner=MUM)
    other = SendMessage(7, "to a caregiver")
    assert at_home(other, MUM, OWNER, "Мама") == other
    assert at_home(AnswerCallback("cb"), MUM, OWNER, "Мама") == AnswerCallback("cb")


def test_a_button_too_long_to_wrap_is_left_out_rather_than_broken() -> None:
    message = SendMessage(MUM, "x", ((Button("long", "c:" + "9" * 60),), (Button("ok", "a:1"),)))
    assert [[b.data for b in row] for row in at_home(message, MUM, OWNER, "Мама").buttons] == [["f:-3201:a:1"]]


@given(st.integers(max_value=-1, min_value=-(10**17)), st.text(min_size=1, max_size=30))
def test_wrapped_data_unwraps_to_itself(profile: int, data: str) -> None:
    assert unwrap(wrap(profile, data)) == (profile, data)


def test_only_wrapped_data_unwraps() -> None:
    assert unwrap("t:1:m1") is None and unwrap("f:12:t:1") is None and unwrap("f:-0:x") is None
