"""Admission under the live-user cap: people's own messages and presses go before reminders."""

from __future__ import annotations

from actors.users_supervisor import WaitingRoom


def test_people_go_before_reminders_and_each_queue_keeps_its_order() -> None:
    room = WaitingRoom()
    for uid in (1, 2, 3):
        room.add(uid, person=False)  # woken for a reminder
    room.add(10, person=True)
    room.add(11, person=True)
    assert len(room) == 5 and 2 in room and 10 in room
    assert [room.popleft() for _ in range(5)] == [10, 11, 1, 2, 3]
    assert len(room) == 0 and not room


def test_a_person_writing_while_waiting_for_a_reminder_moves_ahead_once() -> None:
    room = WaitingRoom()
    for uid in (1, 2, 3):
        room.add(uid, person=False)
    room.add(3, person=True)
    room.add(3, person=False)  # a later reminder does not send it back
    room.add(3, person=True)
    assert len(room) == 3
    assert [room.popleft() for _ in range(3)] == [3, 1, 2]
