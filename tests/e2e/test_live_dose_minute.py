"""One live drill through `medbot run` on real time, because waiting for a real minute is the
expensive part: a dose comes within 5 s of its minute; one person presses "taken" and it is
recorded; another does not answer, and with MEDBOT_CAREGIVER_MINUTES=1 her caregiver hears of it
within a minute and a half of the dose's time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from medbot.storage import read_user
from tests.e2e.test_daemon import Daemon, confirmed_adds
from tests.fakes.telegram_server import ChatMessage, FakeBotAPI
from tests.waiting import wait_until

MUM, ANYA, PRESSER = 8801, 8802, 8803


def reminder(telegram: FakeBotAPI, person: int) -> ChatMessage | None:
    return next((message for message in telegram.bot_messages(person)
                 if any(data.startswith("t:") for data in message.callback_data)), None)


@pytest.mark.slow  # real time: waits for a dose's minute and the alert a minute after it
def test_a_dose_arrives_on_its_minute_a_press_is_recorded_and_silence_reaches_the_caregiver(
        tmp_path: Path, fake_telegram: FakeBotAPI) -> None:
    daemon = Daemon(tmp_path, fake_telegram, None, MEDBOT_CAREGIVER_MINUTES="1", MEDBOT_DEFAULT_TZ="UTC")
    try:
        assert daemon.ready(), daemon.log()[-3000:]
        now = datetime.now(UTC)
        due = (now + timedelta(minutes=2 if now.second > 40 else 1)).replace(second=0, microsecond=0)
        fake_telegram.push_text(PRESSER, f"добавь аспирин в {due:%H:%M}")
        fake_telegram.push_text(MUM, f"аспирин в {due:%H:%M}", first_name="Людмила")
        assert wait_until(lambda: confirmed_adds(fake_telegram, PRESSER), timeout=30)
        assert wait_until(lambda: any("аспирин" in text for text in fake_telegram.sent_texts(MUM)), timeout=30)
        fake_telegram.push_text(MUM, "/caregiver")
        assert wait_until(lambda: any("start=" in text for text in fake_telegram.sent_texts(MUM)), timeout=30)
        invitation = next(text for text in fake_telegram.sent_texts(MUM) if "start=" in text)
        token = next(word for word in invitation.split() if "start=" in word).split("start=")[1]
        fake_telegram.push_text(ANYA, f"/start {token}", first_name="Аня")
        assert wait_until(lambda: fake_telegram.last_bot_message(ANYA) is not None, timeout=30), daemon.log()[-3000:]
        question = fake_telegram.last_bot_message(ANYA)
        accept = next(data for data in question.callback_data if data.startswith(f"g:{MUM}:a:"))
        fake_telegram.push_callback(ANYA, accept, question.message_id)
        assert wait_until(lambda: any("вы помощник" in text for text in fake_telegram.sent_texts(ANYA)), timeout=30)
        assert datetime.now(UTC) < due, "the setup took longer than the minute it had"

        assert wait_until(lambda: reminder(fake_telegram, PRESSER) and reminder(fake_telegram, MUM), timeout=120)
        for person in (PRESSER, MUM):
            lateness = reminder(fake_telegram, person).date - due.timestamp()
            assert 0 <= lateness <= 5, (person, lateness)
        message = reminder(fake_telegram, PRESSER)
        taken = next(data for data in message.callback_data if data.startswith("t:"))
        fake_telegram.push_callback(PRESSER, taken, message.message_id)
        assert wait_until(lambda: fake_telegram.bot_messages(PRESSER)[-1].edited, timeout=30)
        assert wait_until(lambda: (user := read_user(daemon.data_dir, PRESSER)) is not None
                          and [record.status for record in user.history] == ["taken"], timeout=30)

        deadline = due.timestamp() + 90
        alerted = wait_until(lambda: any("не отметил(а)" in text for text in fake_telegram.sent_texts(ANYA)),
                             timeout=max(1.0, deadline - time.time()))
        assert alerted, daemon.log()[-3000:]
        [call] = [call for call in fake_telegram.calls("sendMessage", chat_id=ANYA, ok=True)
                  if "не отметил(а)" in (call.result or {}).get("text", "")]
        assert due.timestamp() + 60 <= call.result["date"] <= deadline
    finally:
        assert daemon.stop() == 0
