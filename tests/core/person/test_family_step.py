"""Family members without Telegram, through the pure step: the owner writes for them, their
reminders come to the owner's chat labelled with their name, a press there marks their dose,
and nobody else can read or touch them."""

from __future__ import annotations

from medbot.core.family.home import unwrap
from medbot.core.family.routing import profile_id
from medbot.core.person.events import ProfileErase, ProfilePress, ProfileText, Wake
from medbot.core.updates import InboundCallback, InboundText
from tests.core.person.people import ZONE, Family, at, buttons
from tests.core.reminder_kit import med, person

OWNER, EVE = 50, 51
MUM = profile_id(OWNER, 1)


def with_mum(first: str = "для мамы: эналаприл 5 мг в 8") -> Family:
    family = Family(clock=at("2026-12-07 07:00"))
    family.join(OWNER, person(ZONE, med("m1", "аспирин", ("09:00",)), name="Оля"))
    family.states[OWNER] = family.states[OWNER]
    family.say(OWNER, first)
    question = family.to(OWNER)[-1]
    assert "Вести отдельное расписание для «Мама»" in question.text
    family.press(OWNER, next(data for text, data in buttons(question).items() if text.startswith("Да")))
    return family


def test_a_message_for_mum_makes_her_schedule_after_one_tap() -> None:
    family = with_mum()
    owner = family.user(OWNER)
    assert [(ref.id, ref.name) for ref in owner.profiles] == [(MUM, "Мама")]
    mum = family.user(MUM)
    assert mum.owner == OWNER and [(m.name, m.dosage, m.times) for m in mum.medications] == [("эналаприл", "5 мг", ("08:00",))]
    assert [m.name for m in owner.medications] == ["аспирин"]  # the owner's own schedule is untouched
    reply = family.to(OWNER)[-1]
    assert reply.text.startswith("👤 Мама\n") and "эналаприл" in reply.text and reply.owner == MUM


def test_no_it_is_mine_reads_the_message_as_the_owners() -> None:
    family = Family(clock=at("2026-12-07 07:00"))
    family.join(OWNER, person(ZONE, name="Оля"))
    family.say(OWNER, "маме: аспирин в 9")
    question = family.to(OWNER)[-1]
    family.press(OWNER, next(data for text, data in buttons(question).items() if text.startswith("Нет")))
    owner = family.user(OWNER)
    assert owner.profiles == () and [m.name for m in owner.medications] == ["аспирин"]


def test_later_messages_for_mum_go_straight_to_her_and_questions_about_her_too() -> None:
    family = with_mum()
    family.say(OWNER, "для мамы: конкор 2,5 мг в 20:00")
    family.say(OWNER, "маме: выпила эналаприл")  # no dose open yet: answered, nothing stored wrongly
    assert sorted(m.name for m in family.user(MUM).medications) == ["конкор", "эналаприл"]
    family.say(OWNER, "что принимает мама?")
    listed = family.to(OWNER)[-1].text
    assert listed.startswith("👤 Мама") and "конкор" in listed.lower() and "аспирин" not in listed.lower()
    family.say(OWNER, "что я принимаю?")
    assert "аспирин" in family.to(OWNER)[-1].text.lower() and "👤" not in family.to(OWNER)[-1].text


def test_mums_reminder_comes_to_the_owner_labelled_and_a_press_marks_her_dose() -> None:
    family = with_mum()
    family.clock = at("2026-12-07 08:00")
    family.deliver(MUM, Wake(MUM))
    reminder = family.to(OWNER)[-1]
    assert reminder.text.startswith("👤 Мама") and "эналаприл" in reminder.text and reminder.chat_id == OWNER
    wrapped = [data for data in buttons(reminder).values() if data.startswith("f:")]
    assert wrapped and all(unwrap(data)[0] == MUM for data in wrapped)
    taken = next(data for data in wrapped if unwrap(data)[1].startswith("t:"))
    family.press(OWNER, taken)
    assert [(record.dose.time, record.status) for record in family.user(MUM).history] == [("08:00", "taken")]
    assert all(record.dose.med_id != "m1" or record.dose.time != "08:00" for record in family.user(OWNER).history)


def test_nobody_else_can_press_or_write_for_mum() -> None:
    family = with_mum()
    family.join(EVE, person(ZONE))
    family.clock = at("2026-12-07 08:00")
    family.deliver(MUM, Wake(MUM))
    taken = next(data for data in buttons(family.to(OWNER)[-1]).values() if data.startswith("f:") and ":t:" in data)
    before = family.user(MUM)
    answer = family.press(EVE, taken)  # Eve's actor: not her profile
    assert answer is not None and "не ваше" in answer.text
    family.deliver(MUM, ProfilePress(MUM, EVE, EVE, "cbX", unwrap(taken)[1]))  # even reaching Mum's actor
    family.deliver(MUM, ProfileText(MUM, EVE, "удали эналаприл", "Мама", "ru", ZONE))
    family.deliver(MUM, ProfileErase(MUM, EVE))
    assert family.user(MUM) == before


def test_removing_mum_erases_her_record_after_a_confirmation() -> None:
    family = with_mum()
    family.say(OWNER, "/profiles")
    listing = family.to(OWNER)[-1]
    remove = next(data for text, data in buttons(listing).items() if text == "❌")
    family.press(OWNER, remove)
    confirm = family.to(OWNER)[-1]
    family.press(OWNER, next(data for text, data in buttons(confirm).items() if text.startswith("Да")))
    assert family.user(OWNER).profiles == () and family.states[MUM].user is None
    assert family.to(OWNER)[-1].text.startswith("👤 Мама") and "удалено" in family.to(OWNER)[-1].text


def test_the_owners_delete_me_erases_the_family_schedules_too() -> None:
    family = with_mum()
    family.say(OWNER, "/delete_me")
    family.press(OWNER, next(data for text, data in buttons(family.to(OWNER)[-1]).items() if text.startswith("Да")))
    assert family.states[OWNER].user is None and family.states[MUM].user is None


def test_a_plain_message_naming_mum_stays_the_owners_own_without_a_profile() -> None:
    family = Family(clock=at("2026-12-07 07:00"))
    family.join(OWNER, person(ZONE, name="Оля"))
    family.say(OWNER, "добавь маме аспирин в 9")
    assert family.user(OWNER).profiles == () and all("Вести отдельное" not in m.text for m in family.to(OWNER))


GROUP, IVAN, OTHER_GROUP = -100500, 52, -100600


def in_group(family: Family, uid: int, words: str, group: int = GROUP) -> None:
    family.deliver(uid, InboundText(uid, group, words, first_name="Иван" if uid == IVAN else "Оля"))


def press_in_group(family: Family, uid: int, data: str, group: int = GROUP):
    family.presses += 1
    before = len(family.callbacks)
    family.deliver(uid, InboundCallback(uid, group, f"g{family.presses}", data, first_name="Иван" if uid == IVAN else ""))
    return family.callbacks[-1] if len(family.callbacks) > before else None


def test_mums_reminders_in_the_family_chat_where_anyone_marks_them_and_is_named() -> None:
    family = with_mum()
    family.join(IVAN, None)
    in_group(family, OWNER, "/family@medbot_test_bot")
    choice = family.to(GROUP)[-1]
    here = next(data for text, data in buttons(choice).items() if "Мама" in text)
    assert press_in_group(family, IVAN, here).text.startswith("Это может только")  # not Ivan's to choose
    press_in_group(family, OWNER, here)
    assert family.user(MUM).home_chat == GROUP and family.to(GROUP)[-1].text.startswith("👤 Мама")
    family.clock = at("2026-12-07 08:00")
    family.deliver(MUM, Wake(MUM))
    reminder = family.to(GROUP)[-1]
    assert "эналаприл" in reminder.text and reminder.owner == MUM
    taken = next(data for data in buttons(reminder).values() if ":t:" in data)
    assert "не ваше" in press_in_group(family, IVAN, taken, OTHER_GROUP).text  # the same button elsewhere
    press_in_group(family, IVAN, taken)
    [record] = [r for r in family.user(MUM).history if r.dose.time == "08:00"]
    assert (record.status, record.by, record.by_name) == ("taken", IVAN, "Иван")
    assert family.states[IVAN].user is None  # pressing made Ivan no record of his own


def test_in_the_family_chat_only_commands_are_answered_and_only_reminder_buttons_by_relatives() -> None:
    family = with_mum()
    family.join(IVAN, None)
    sent = len(family.sent)
    in_group(family, IVAN, "всем привет, мама выпила таблетки")
    assert len(family.sent) == sent and family.states[IVAN].user is None
    in_group(family, IVAN, "/family")
    assert "Сначала напишите мне в личный чат" in family.to(GROUP)[-1].text
    answer = press_in_group(family, IVAN, f"f:{MUM}:c:1:0")  # not a reminder's button: the owner's only
    assert answer is not None and "не ваше" in answer.text


def test_when_the_bot_leaves_the_family_chat_mums_reminders_come_back_to_the_owner() -> None:
    family = with_mum()
    in_group(family, OWNER, "/family")
    press_in_group(family, OWNER, next(data for text, data in buttons(family.to(GROUP)[-1]).items() if "Мама" in text))
    family.blocked.add(GROUP)
    family.clock = at("2026-12-07 08:00")
    family.deliver(MUM, Wake(MUM))
    assert family.user(MUM).home_chat is None
    assert "больше не могу писать в семейный чат" in family.to(OWNER)[-1].text
