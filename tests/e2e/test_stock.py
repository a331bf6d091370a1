"""Pills in hand through the whole bot: set by text, counted off by a press and by an as-needed
"выпил", a refill warning when a week is left, and `medbot export` showing the count."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta

from medbot.storage import read_user
from tests.e2e.harness import Bot, utc

ANNA = 5001


def stock_of(bot: Bot, name: str) -> float | None:
    user = read_user(bot.settings.data_dir, ANNA)
    assert user is not None
    return next(med.stock for med in user.medications if med.name == name)


def test_stock_is_set_counted_off_and_warned_about(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(start=utc(2026, 12, 7, 4, 0))  # 07:00 Moscow
    bot.say(ANNA, "аспирин 1 таблетка в 8:00")
    bot.say(ANNA, "нурофен 200 мг при головной боли")
    bot.say(ANNA, "у меня 9 таблеток аспирина")
    assert "9 шт." in bot.last_text(ANNA) and "хватит на 8 дней" in bot.last_text(ANNA)
    bot.say(ANNA, "купила 2 упаковки по 10 нурофена")
    assert stock_of(bot, "нурофен") == 20
    bot.advance_to(utc(2026, 12, 7, 5, 0))  # 08:00: the reminder
    taken = next(data for data in bot.telegram.last_bot_message(ANNA).callback_data if data.startswith("t:"))
    bot.press(ANNA, taken)
    assert stock_of(bot, "аспирин") == 8
    bot.say(ANNA, "выпила нурофен")
    assert stock_of(bot, "нурофен") == 19
    bot.advance_to(utc(2026, 12, 8, 5, 0))
    bot.press(ANNA, next(data for data in bot.telegram.last_bot_message(ANNA).callback_data if data.startswith("t:")))
    assert not any(text.startswith("💊") for text in bot.sent(ANNA))  # 7 left: a week, not yet less
    bot.advance_to(utc(2026, 12, 9, 5, 0))
    bot.press(ANNA, next(data for data in bot.telegram.last_bot_message(ANNA).callback_data if data.startswith("t:")))
    warnings = [text for text in bot.sent(ANNA) if text.startswith("💊 Пора купить")]
    assert len(warnings) == 1 and "6 шт." in warnings[0] and "6 дней" in warnings[0]
    bot.say(ANNA, "сколько осталось таблеток?")
    assert "аспирин 1 таблетка: 6 шт." in bot.last_text(ANNA) and "нурофен 200 мг: 19 шт." in bot.last_text(ANNA)
    bot.advance(timedelta(minutes=1))
    bot.stop()
    exported = subprocess.run([sys.executable, "-m", "medbot.cli", "export", "--data-dir", str(bot.settings.data_dir),
                               "--user", str(ANNA)], capture_output=True, text=True, timeout=60, check=True)
    stocks = {med["name"]: med["stock"] for med in json.loads(exported.stdout)["medications"]}
    assert stocks == {"аспирин": 6, "нурофен": 19}


def test_report_sends_a_pdf_naming_the_medications_and_the_adherence(make_bot: Callable[..., Bot]) -> None:
    import io

    from pypdf import PdfReader

    bot = make_bot(start=utc(2026, 12, 5, 4, 0))
    bot.say(ANNA, "аспирин 100 мг в 8:00 и конкор 5 мг в 9:00", first_name="Анна")
    for day in (5, 6):
        bot.advance_to(utc(2026, 12, day, 5, 0))
        bot.press(ANNA, next(data for data in bot.telegram.last_bot_message(ANNA).callback_data if data.startswith("t:")))
    bot.advance_to(utc(2026, 12, 7, 4, 0))
    bot.say(ANNA, "отчёт для врача")
    [document] = bot.telegram.documents(ANNA)
    assert document.filename == "medication-report-2026-12-07.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.content)).pages)
    for expected in ("Отчёт о приёме лекарств", "Анна", "Аспирин 100 мг — 08:00", "аспирин 100 мг", "100%", "конкор 5 мг",
                     "0%"):
        assert expected in text, (expected, text)
    [call] = bot.telegram.calls("sendDocument", chat_id=ANNA, ok=True)
    assert call.result["caption"].startswith("Отчёт для врача")
