"""The outbox in the record: what is owed, struck off, and still worth sending after a stop."""

from __future__ import annotations

from datetime import timedelta

from medbot.core.model import OutboxEntry, user_from_json, user_to_json
from medbot.core.outbox import MAX_AGE, MAX_ENTRIES, owe, settle, still_owed
from medbot.core.view import Button
from tests.core.reminder_kit import local, person

MOSCOW = "Europe/Moscow"
NOW = local(MOSCOW, "2026-03-01 09:00")


def entry(text: str, kind: str = "send", message_id: int | None = None) -> OutboxEntry:
    return OutboxEntry(0, 42, kind, "", text, ((Button("Да", "o:1:y"),),), message_id)  # type: ignore[arg-type]


def test_owed_messages_get_ids_in_order_and_a_time_and_survive_the_record_codec() -> None:
    user, added = owe(person(MOSCOW), [entry("Добавлено: аспирин"), entry("x", "edit", 17)], NOW)
    assert [e.id for e in added] == [1, 2] and user.next_outbox == 3
    assert all(e.at == "2026-03-01T06:00:00+00:00" for e in added)
    assert user.outbox == added
    assert user_from_json(user_to_json(user)) == user  # written in the same save as the change


def test_ids_keep_growing_after_entries_are_settled() -> None:
    user, first = owe(person(MOSCOW), [entry("a")], NOW)
    user = settle(user, first[0].id)
    assert user.outbox == ()
    user, second = owe(user, [entry("b")], NOW)
    assert second[0].id == 2  # an answer for the old entry can never strike off the new one


def test_settling_an_unknown_entry_changes_nothing() -> None:
    user, _ = owe(person(MOSCOW), [entry("a")], NOW)
    assert settle(user, 99) is user


def test_nothing_owed_leaves_the_user_as_it_was() -> None:
    user = person(MOSCOW)
    assert owe(user, [], NOW) == (user, ())


def test_after_a_stop_only_what_is_fresh_enough_is_sent() -> None:
    user, _ = owe(person(MOSCOW), [entry("old")], NOW - MAX_AGE - timedelta(minutes=1))
    user, _ = owe(user, [entry("new")], NOW - timedelta(minutes=5))
    kept, owed = still_owed(user, NOW)
    assert [e.text for e in owed] == ["new"] and kept.outbox == owed
    same, again = still_owed(kept, NOW)
    assert same is kept and again == owed


def test_the_outbox_is_bounded_the_oldest_dropped() -> None:
    user = person(MOSCOW)
    for n in range(MAX_ENTRIES + 5):
        user, _ = owe(user, [entry(f"m{n}")], NOW)
    assert len(user.outbox) == MAX_ENTRIES and user.outbox[0].text == "m5"
