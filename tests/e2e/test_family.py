"""A family member without Telegram, through the whole bot: the owner writes for them, their
reminder comes to the owner's chat labelled with their name, a press there marks their dose,
and `medbot export --profile` reads their schedule."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

from medbot.core.family.routing import profile_id
from medbot.storage import read_user
from tests.e2e.harness import Bot, utc

OWNER = 4001
MUM = profile_id(OWNER, 1)


def test_mums_schedule_in_her_sons_chat(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 4, 0))  # 07:00 Moscow
    bot.say(OWNER, "аспирин 100 мг в 9:00", first_name="Олег")
    bot.say(OWNER, "для мамы: эналаприл 5 мг в 8")
    question = bot.telegram.last_bot_message(OWNER)
    assert question is not None and "Вести отдельное расписание для «Мама»" in (question.text or "")
    bot.press(OWNER, next(data for data in question.callback_data if data.startswith("pf:n:")))
    assert bot.last_text(OWNER).startswith("👤 Мама") and "эналаприл" in bot.last_text(OWNER)

    bot.advance_to(utc(2026, 12, 7, 5, 0))  # 08:00: Mum's dose, in the owner's chat
    reminder = bot.telegram.last_bot_message(OWNER)
    assert reminder is not None and (reminder.text or "").startswith("👤 Мама") and "эналаприл" in (reminder.text or "")
    taken = next(data for data in reminder.callback_data if data.startswith(f"f:{MUM}:t:"))
    bot.press(OWNER, taken)
    mum = read_user(bot.settings.data_dir, MUM)
    assert mum is not None and [(r.dose.time, r.status) for r in mum.history] == [("08:00", "taken")]
    owner = read_user(bot.settings.data_dir, OWNER)
    assert owner is not None and not any(r.dose.time == "08:00" for r in owner.history)

    bot.say(OWNER, "что принимает мама?")
    assert bot.last_text(OWNER).startswith("👤 Мама") and "аспирин" not in bot.last_text(OWNER).lower()
    bot.stop()
    exported = subprocess.run(
        [sys.executable, "-m", "medbot.cli", "export", "--data-dir", str(bot.settings.data_dir), "--user", str(OWNER),
         "--profile", "мама"], capture_output=True, text=True, timeout=60, check=True)
    data = json.loads(exported.stdout)
    assert data["profile"] == "Мама" and [med["name"] for med in data["medications"]] == ["эналаприл"]
    missing = subprocess.run(
        [sys.executable, "-m", "medbot.cli", "export", "--data-dir", str(bot.settings.data_dir), "--user", str(OWNER),
         "--profile", "Петя"], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "Петя" in missing.stderr and "Traceback" not in missing.stderr


GROUP, IVAN = -100777, 4002


def test_mums_reminders_in_the_family_group_chat(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 4, 0))
    bot.say(OWNER, "для мамы: эналаприл 5 мг в 8", first_name="Олег")
    bot.press(OWNER, next(data for data in bot.telegram.last_bot_message(OWNER).callback_data if data.startswith("pf:n:")))
    bot._handed_on(bot.telegram.push_group_text(GROUP, OWNER, "/family@medbot_test_bot", first_name="Олег"))
    choice = bot.telegram.last_bot_message(GROUP)
    assert choice is not None and "Чьи напоминания" in (choice.text or "")
    here = next(data for data in choice.callback_data if data.startswith("pf:g:"))
    bot._handed_on(bot.telegram.push_group_callback(GROUP, OWNER, here, choice.message_id))
    bot._handed_on(bot.telegram.push_group_text(GROUP, IVAN, "привет всем", first_name="Иван"))
    assert "привет" not in "".join(bot.sent(GROUP)).lower()  # the family's talk is not for the bot

    bot.advance_to(utc(2026, 12, 7, 5, 0))  # 08:00
    reminder = bot.telegram.last_bot_message(GROUP)
    assert reminder is not None and (reminder.text or "").startswith("👤 Мама") and "эналаприл" in (reminder.text or "")
    taken = next(data for data in reminder.callback_data if ":t:" in data)
    bot._handed_on(bot.telegram.push_group_callback(GROUP, IVAN, taken, reminder.message_id, first_name="Иван"))
    mum = read_user(bot.settings.data_dir, MUM)
    assert mum is not None and [(r.status, r.by, r.by_name) for r in mum.history] == [("taken", IVAN, "Иван")]
    assert "(Иван)" in (bot.telegram.last_bot_message(GROUP).text or "")
    assert read_user(bot.settings.data_dir, IVAN) is None
