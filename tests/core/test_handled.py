"""Keys of applied updates in the record: a redelivered update is recognised, and the memory
of them stays small."""

from __future__ import annotations

from medbot.core.handled import KEEP, already_handled, note_handled, update_keys
from medbot.core.model import user_from_json, user_to_json
from tests.core.reminder_kit import person


def test_an_update_and_a_press_are_known_by_their_ids() -> None:
    assert update_keys(5) == ("u5",)
    assert update_keys(6, "4000017") == ("u6", "c4000017")
    assert update_keys(None) == ()


def test_a_noted_update_is_recognised_by_either_key_and_survives_the_codec() -> None:
    user = note_handled(person("UTC"), update_keys(6, "abc"))
    user = user_from_json(user_to_json(user))
    assert already_handled(user, update_keys(6))
    assert already_handled(user, update_keys(99, "abc"))  # the same press in another update
    assert not already_handled(user, update_keys(7))
    assert not already_handled(None, update_keys(6))


def test_noting_again_changes_nothing_and_only_the_newest_are_kept() -> None:
    user = note_handled(person("UTC"), ("u1",))
    assert note_handled(user, ("u1",)) is user
    for n in range(2, KEEP + 10):
        user = note_handled(user, (f"u{n}",))
    assert not already_handled(user, ("u1",)) and already_handled(user, (f"u{KEEP + 9}",))
    assert len(user.extra["seen"]) == KEEP
