"""The LLM path through the whole bot: the real groq SDK against the fake Groq server.

Only messages the offline parser is unsure about reach the LLM, once each; every way the LLM can
fail still gives the person a sensible answer, and nothing is changed by an answer that does
not validate.
"""

from __future__ import annotations

from collections.abc import Callable

from medbot.storage import read_user
from tests.e2e.harness import Bot
from tests.fakes.groq_server import (
    FakeGroq,
    daily_quota_exhausted,
    invalid_api_key,
    json_validate_failed,
)
from tests.waiting import wait_until

ANNA = 5001
ADMIN = 998
UNSURE = "remind me to take two ibuprofen at 8"


def add_answer(name: str, dosage: str | None, times: list[str], med_id: str | None = None) -> dict:
    return {
        "command": "add",
        "medications": [{"id": med_id, "name": name, "dosage": dosage, "times": times}],
        "old_time": None,
        "timezone": None,
        "lang": "en",
    }


def meds(bot: Bot, user_id: int) -> list[tuple[str, str | None, tuple[str, ...]]]:
    user = read_user(bot.settings.data_dir, user_id)
    return [] if user is None else [(m.name, m.dosage, m.times) for m in user.medications]


def test_a_confident_parse_never_calls_the_llm(make_bot: Callable[..., Bot], fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    bot.say(ANNA, "add ibuprofen 400 mg at 8 pm", language_code="en")
    bot.say(ANNA, "what do I take?", language_code="en")
    assert fake_groq.requests == []


def test_an_unsure_message_goes_to_the_llm_once(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.reply_json(add_answer("ibuprofen", "2 pills", ["08:00"]))
    bot.say(ANNA, UNSURE, language_code="en")
    assert len(fake_groq.requests) == 1
    request = fake_groq.requests[0]
    assert UNSURE in request.user_text
    assert UNSURE not in str(request.messages[0])  # the system prompt never carries user text
    assert bot.last_text(ANNA).startswith("Added: ibuprofen 2 pills")
    assert meds(bot, ANNA) == [("ibuprofen", "2 pills", ("08:00",))]


def test_invalid_json_gives_a_rephrase_and_changes_nothing(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.fail_with(json_validate_failed("{not json"))
    bot.say(ANNA, UNSURE, language_code="en")
    assert len(fake_groq.requests) == 1  # no second call
    assert "rephrase" in bot.last_text(ANNA).lower() or "didn't understand" in bot.last_text(ANNA).lower()
    assert meds(bot, ANNA) == []


def test_a_hallucinated_id_is_refused(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    bot.say(ANNA, "add aspirin at 9 am", language_code="en")
    fake_groq.reply_json({
        "command": "delete",
        "medications": [{"id": "m77", "name": "aspirin", "dosage": None, "times": []}],
        "old_time": None, "timezone": None, "lang": "en",
    })
    bot.say(ANNA, "aspirin 9", language_code="en")  # unclear offline: 9 mg, or nine o'clock?
    assert len(fake_groq.requests) == 1
    assert meds(bot, ANNA) == [("aspirin", None, ("09:00",))]  # nothing deleted
    assert bot.last_text(ANNA)


def test_429_with_retry_after_is_waited_out(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.fail_next(429, message="Rate limit reached", code="rate_limit_exceeded",
                        type="tokens", headers={"retry-after": "1"})
    fake_groq.reply_json(add_answer("ibuprofen", "2 pills", ["08:00"]))
    bot.say(ANNA, UNSURE, language_code="en")
    assert wait_until(lambda: meds(bot, ANNA), timeout=20)
    assert len(fake_groq.requests) == 2
    assert bot.last_text(ANNA).startswith("Added")


def test_a_timeout_falls_back_to_asking_to_rephrase(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq, llm_timeout=0.5)
    fake_groq.hang_next(10, count=5)
    bot.say(ANNA, UNSURE, language_code="en")
    assert wait_until(lambda: bot.telegram.bot_messages(ANNA), timeout=20)
    assert meds(bot, ANNA) == []
    assert bot.last_text(ANNA)  # an answer, not silence


def test_401_alerts_the_admin_once_and_people_still_get_answers(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq, admin_chat_id=ADMIN)
    fake_groq.fail_with(invalid_api_key(), count=10)
    bot.say(ANNA, UNSURE, language_code="en")
    bot.say(ANNA, "аспирин 9")
    assert len(bot.telegram.bot_messages(ANNA)) == 1 + 2  # the welcome, then an answer each
    assert wait_until(lambda: bot.sent(ADMIN), timeout=20)
    assert len(bot.sent(ADMIN)) == 1
    # Confident messages keep working without the LLM.
    bot.say(ANNA, "add aspirin at 9 am", language_code="en")
    assert bot.last_text(ANNA).startswith("Added")


def test_out_of_quota_alerts_the_admin_once(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq, admin_chat_id=ADMIN)
    fake_groq.fail_with(daily_quota_exhausted(), count=10)
    bot.say(ANNA, UNSURE, language_code="en")
    bot.say(5002, "перенеси аспирин на час позже")
    bot.say(5003, "аспирин 9")
    assert wait_until(lambda: bot.sent(ADMIN), timeout=20)
    assert len(bot.sent(ADMIN)) == 1
    assert len(fake_groq.requests) == 1  # the quota is respected: no more calls today
    for person in (ANNA, 5002, 5003):
        assert bot.telegram.bot_messages(person), person


def test_without_a_key_nothing_goes_to_the_network(make_bot) -> None:
    bot = make_bot()
    bot.say(ANNA, UNSURE, language_code="en")
    assert bot.last_text(ANNA)


def test_a_person_flooding_the_llm_is_limited_without_affecting_others(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq, llm_per_user_per_day=2)
    fake_groq.reply_with(lambda request: '{"command": "unknown", "medications": [], '
                                         '"old_time": null, "timezone": null, "lang": "en"}')
    for _ in range(4):
        bot.say(ANNA, UNSURE, language_code="en")
    assert len(fake_groq.requests) == 2  # her daily LLM budget
    assert len(bot.telegram.bot_messages(ANNA)) == 1 + 4  # the welcome; every message answered
    bot.say(5009, UNSURE, language_code="en")
    assert len(fake_groq.requests) == 3  # someone else still gets the LLM


def test_an_llm_reading_with_a_weekly_rule_is_stored_as_that_rule(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    answer = add_answer("methotrexate", "10 mg", ["09:00"])
    answer["medications"][0]["regimen"] = {
        "kind": "weekdays", "weekdays": [3], "interval": None, "month_day": None, "on_days": None,
        "off_days": None, "max_per_day": None, "start": None, "days": None, "until": None, "steps": [],
        "in_minutes": None,
    }
    fake_groq.reply_json(answer)
    bot.say(ANNA, "methotrexate the day after my wednesday clinic, at nine", language_code="en")  # no offline reading
    assert len(fake_groq.requests) == 1
    assert "on Thursdays at 09:00" in bot.last_text(ANNA)
    [med] = read_user(bot.settings.data_dir, ANNA).medications
    assert (med.regimen.kind, med.regimen.weekdays) == ("weekdays", (3,))


def test_an_llm_daily_reading_of_a_weekly_drug_is_asked_about_not_stored(make_bot, fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.reply_json(add_answer("methotrexate", "10 mg", ["09:00"]))
    bot.say(ANNA, "methotrexate on the same day every week at nine", language_code="en")
    assert "once a week" in bot.last_text(ANNA)
    assert meds(bot, ANNA) == []
