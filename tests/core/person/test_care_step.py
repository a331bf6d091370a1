"""Caregivers through the pure step: two or three people's states, their events passed between
them as the actors would, every save acknowledged at once. What each person is sent, and what
no one may see or change."""

from __future__ import annotations

from medbot.core.care.links import read_token
from medbot.core.outbox import OUTBOX_TAG
from medbot.core.person.events import CareRequest, SendFailed, UserBlocked, Wake
from tests.core.person.people import ZONE, Family, at, buttons
from tests.core.reminder_kit import med, person

MUM, ANYA, EVE = 42, 7, 666


def linked_family() -> Family:
    family = Family(clock=at("2026-12-07 07:00"))
    family.join(MUM, person(ZONE, med("m1", "аспирин", ("08:00",), "100 мг"), name="Мама"))
    family.join(ANYA, None)
    family.say(MUM, "/caregiver", "Людмила")
    [invitation] = family.to(MUM)[-1:]
    url = next(text.split()[-1] for text in invitation.text.splitlines() if "t.me/medbot_test_bot?start=" in text)
    family.say(ANYA, "/start " + url.split("start=")[1], "Аня")
    question = family.to(ANYA)[-1]
    accept = next(data for text, data in buttons(question).items() if text.startswith("Да"))
    family.press(ANYA, accept)
    return family


def test_an_invitation_is_accepted_and_both_are_told() -> None:
    family = linked_family()
    assert [link.user_id for link in family.user(MUM).caregivers] == [ANYA]
    assert family.user(MUM).caregivers[0].name == "Аня" and not family.user(MUM).invites
    assert [(item.user_id, item.name) for item in family.user(ANYA).caring_for] == [(MUM, "Людмила")]
    assert "Аня теперь ваш помощник" in family.to(MUM)[-1].text
    assert "вы помощник — Людмила" in family.to(ANYA)[-1].text


def test_the_invitation_link_is_one_time_and_names_the_bot() -> None:
    family = Family(clock=at("2026-12-07 07:00"))
    family.join(MUM, person(ZONE, name="Мама"))
    family.say(MUM, "добавь помощника")
    invitation = family.to(MUM)[-1]
    share = next(url for url in buttons(invitation).values() if url.startswith("https://t.me/share/url?url="))
    token = next(text.split("start=")[1] for text in invitation.text.split() if "start=" in text)
    assert read_token(token)[0] == MUM and len(token) <= 64 and "medbot_test_bot" in share
    family.join(ANYA, None)
    family.join(EVE, None)
    family.say(ANYA, f"/start {token}", "Аня")
    family.say(EVE, f"/start {token}", "Ева")  # the same link, forwarded on: already opened by Anya
    assert "недействительна" in family.to(EVE)[-1].text and not buttons(family.to(EVE)[-1])
    stolen = next(data for text, data in buttons(family.to(ANYA)[-1]).items() if text.startswith("Да"))
    answer = family.press(EVE, stolen)  # Anya's button data, pressed by Eve
    assert answer is not None and "недействительна" in answer.text
    assert family.user(MUM).caregivers == ()
    family.press(ANYA, stolen)
    family.say(EVE, f"/start {token}")
    assert "недействительна" in family.to(EVE)[-1].text  # used up
    assert [link.user_id for link in family.user(MUM).caregivers] == [ANYA]


def test_an_expired_invitation_does_nothing() -> None:
    family = Family(clock=at("2026-12-07 07:00"))
    family.join(MUM, person(ZONE, name="Мама"))
    family.say(MUM, "/caregiver")
    token = next(text.split("start=")[1] for text in family.to(MUM)[-1].text.split() if "start=" in text)
    family.clock += 24 * 3600 + 1
    family.join(ANYA, None)
    family.say(ANYA, f"/start {token}")
    assert "недействительна" in family.to(ANYA)[-1].text and family.user(MUM).caregivers == ()


def test_a_stranger_sees_nothing_and_changes_nothing() -> None:
    family = linked_family()
    family.join(EVE, person(ZONE))
    mum_before = family.user(MUM)
    sent_before = len(family.sent)
    for data in (f"g:{MUM}:v", f"g:{MUM}:t", f"g:{MUM}:r:202612070800", f"g:{MUM}:k:202612070800", f"g:{MUM}:l",
                 f"gx:{ANYA}"):
        answer = family.press(EVE, data)
        assert answer is not None and answer.text  # a toast, never the schedule
    assert family.user(MUM) == mum_before
    assert family.sent[sent_before:] == []  # toasts only: nothing about Mum reaches Eve
    for data in ("g:42:v:1", "g:x:v", "g:42", "gx:", "g:42:a:" + "A" * 16):
        answer = family.press(EVE, data)
        assert answer is not None
    assert family.user(MUM) == mum_before


def test_a_caregiver_sees_the_schedule_and_today_but_cannot_change_anything() -> None:
    family = linked_family()
    family.press(ANYA, f"g:{MUM}:v")
    shown = family.to(ANYA)[-1].text
    assert "аспирин 100 мг" in shown.lower() and "Людмила" in shown and "Ваше расписание" not in shown
    family.press(ANYA, f"g:{MUM}:t")
    assert "08:00" in family.to(ANYA)[-1].text
    family.say(ANYA, "какие лекарства у мамы?")
    assert "аспирин 100 мг" in family.to(ANYA)[-1].text.lower()
    family.say(ANYA, "удали аспирин")  # Anya's own schedule: she has none
    assert [med.name for med in family.user(MUM).medications] == ["аспирин"]


def test_an_unanswered_dose_alerts_the_caregiver_who_can_ask_for_a_reminder_again() -> None:
    family = linked_family()
    family.clock = at("2026-12-07 08:00")
    family.deliver(MUM, Wake(MUM))
    assert "аспирин" in family.to(MUM)[-1].text  # the reminder
    family.clock = at("2026-12-07 09:00")
    family.deliver(MUM, Wake(MUM))
    alert = family.to(ANYA)[-1]
    assert "не отметил(а) приём в 08:00" in alert.text and alert.owner == MUM and alert.tag[0] == OUTBOX_TAG
    reminders = len(family.to(MUM))
    family.clock = at("2026-12-07 09:05")
    answer = family.press(ANYA, buttons(alert)["🔔 Напомнить ещё раз"])
    assert answer is not None and "ещё раз" in answer.text
    assert len(family.to(MUM)) == reminders + 1 and "аспирин" in family.to(MUM)[-1].text
    family.deliver(MUM, Wake(MUM))
    assert sum("не отметил" in message.text for message in family.to(ANYA)) == 1  # never a second alert


def test_a_dose_taken_after_the_alert_is_reported_and_i_called_is_shared() -> None:
    family = linked_family()
    family.join(8, None)
    family.clock = at("2026-12-07 07:10")
    family.say(MUM, "/caregiver")
    token = next(text.split("start=")[1] for text in family.to(MUM)[-1].text.split() if "start=" in text)
    family.say(8, f"/start {token}", "Bob")
    family.press(8, next(data for text, data in buttons(family.to(8)[-1]).items() if text.startswith("Да")))
    family.clock = at("2026-12-07 09:00")
    family.deliver(MUM, Wake(MUM))
    alert = family.to(ANYA)[-1]
    family.press(ANYA, buttons(alert)["📞 Я позвонил(а)"])
    assert "Аня уже позвонил(а)" in family.to(8)[-1].text
    family.clock = at("2026-12-07 09:20")
    family.say(MUM, "выпила аспирин")
    assert "принято в 09:20" in family.to(ANYA)[-1].text and "принято в 09:20" in family.to(8)[-1].text


def test_removing_a_caregiver_tells_both_and_ends_their_access() -> None:
    family = linked_family()
    family.say(MUM, "/caregiver")
    remove = next(data for text, data in buttons(family.to(MUM)[-1]).items() if text.startswith("Убрать"))
    family.press(MUM, remove)
    assert family.user(MUM).caregivers == () and family.user(ANYA).caring_for == ()
    assert "больше не ваш помощник" in family.to(MUM)[-1].text and "убрал(а) вас" in family.to(ANYA)[-1].text
    answer = family.press(ANYA, f"g:{MUM}:v")
    assert answer is not None and "Нет доступа" in answer.text


def test_a_caregiver_can_leave() -> None:
    family = linked_family()
    family.say(ANYA, "/caregiver")
    leave = next(data for text, data in buttons(family.to(ANYA)[-1]).items() if text.startswith("🚪"))
    assert leave == f"g:{MUM}:l"
    family.press(ANYA, leave)
    assert family.user(MUM).caregivers == () and family.user(ANYA).caring_for == ()
    assert "вышел(а) сам(а)" in family.to(MUM)[-1].text


def test_delete_me_ends_every_link_both_ways() -> None:
    family = linked_family()
    family.say(MUM, "/delete_me")
    confirm = next(data for text, data in buttons(family.to(MUM)[-1]).items() if text.startswith("Да"))
    family.press(MUM, confirm)
    assert family.states[MUM].user is None and family.user(ANYA).caring_for == ()
    assert "удалил(а) свои данные" in family.to(ANYA)[-1].text
    family = linked_family()
    family.say(ANYA, "/delete_me")
    family.press(ANYA, next(data for text, data in buttons(family.to(ANYA)[-1]).items() if text.startswith("Да")))
    assert family.user(MUM).caregivers == () and "удалил(а) свои данные" in family.to(MUM)[-1].text


def test_a_caregiver_who_blocked_the_bot_is_reported_to_the_patient_once() -> None:
    family = linked_family()
    family.blocked.add(ANYA)
    family.clock = at("2026-12-07 09:00")
    family.deliver(MUM, Wake(MUM))
    alert = family.to(ANYA)[-1]
    family.deliver(MUM, SendFailed(ANYA, alert.tag, "blocked", MUM))  # an answer for an entry already gone
    told = [message for message in family.to(MUM) if "заблокировал(а) бота" in message.text]
    assert len(told) == 1 and family.user(MUM).caregivers[0].blocked


def test_the_patients_own_delay_in_words() -> None:
    family = linked_family()
    family.say(MUM, "сообщай дочери через 30 минут")
    assert family.user(MUM).caregiver_minutes == 30 and "через 30 мин" in family.to(MUM)[-1].text
    family.clock = at("2026-12-07 08:30")
    family.deliver(MUM, Wake(MUM))
    assert "не отметил(а)" in family.to(ANYA)[-1].text


def test_a_caregiver_who_writes_again_after_blocking_gets_alerts_again() -> None:
    family = linked_family()
    family.blocked.add(ANYA)
    family.clock = at("2026-12-07 09:00")
    family.deliver(MUM, Wake(MUM))
    family.deliver(ANYA, UserBlocked(ANYA))
    family.blocked.discard(ANYA)
    assert family.user(MUM).caregivers[0].blocked
    family.say(ANYA, "привет")
    assert not family.user(MUM).caregivers[0].blocked
    assert not any("Нет доступа" in message.text for message in family.to(ANYA))


def test_changes_need_the_second_grant_and_every_change_is_told_to_the_patient() -> None:
    family = linked_family()
    family.say(ANYA, "для мамы: конкор 5 мг в 20:00")
    assert "только с разрешения" in family.to(ANYA)[-1].text
    assert [m.name for m in family.user(MUM).medications] == ["аспирин"]
    family.say(MUM, "/caregiver")
    allow = next(data for text, data in buttons(family.to(MUM)[-1]).items() if text.startswith("✏️"))
    family.press(MUM, allow)
    assert family.user(MUM).caregivers[0].can_manage and "разрешил(а) вам менять" in family.to(ANYA)[-1].text
    family.say(ANYA, "для мамы: конкор 5 мг в 20:00")
    assert sorted(m.name for m in family.user(MUM).medications) == ["аспирин", "конкор"]
    assert "Расписание — Людмила" in family.to(ANYA)[-1].text and "конкор" in family.to(ANYA)[-1].text
    told = family.to(MUM)[-1].text
    assert "Аня изменил(а) ваше расписание" in told and "конкор 5 мг в 20:00" in told
    family.say(ANYA, "маме: удали")  # which one? A question for someone else's schedule is not guessed
    assert "точная просьба" in family.to(ANYA)[-1].text
    assert sorted(m.name for m in family.user(MUM).medications) == ["аспирин", "конкор"]
    family.say(MUM, "отмени")
    assert [m.name for m in family.user(MUM).medications] == ["аспирин"]
    family.say(MUM, "/caregiver")
    family.press(MUM, next(data for text, data in buttons(family.to(MUM)[-1]).items() if text.startswith("🔒")))
    family.say(ANYA, "для мамы: конкор 5 мг в 20:00")
    assert [m.name for m in family.user(MUM).medications] == ["аспирин"]
    assert "больше не разрешает" in "\n".join(m.text for m in family.to(ANYA))


def test_a_stranger_cannot_change_anything_whatever_they_write() -> None:
    family = linked_family()
    family.join(EVE, person(ZONE))
    family.deliver(MUM, CareRequest(MUM, EVE, "manage", "удали аспирин", "Ева", "ru"))
    assert [m.name for m in family.user(MUM).medications] == ["аспирин"]
    assert "Нет доступа" in family.to(EVE)[-1].text
