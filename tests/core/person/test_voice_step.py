"""A voice message in a person's pure step: transcribed, shown, read as the same words typed;
a spoken change asked about before it is made; nothing changed when nothing was heard."""

from __future__ import annotations

from dataclasses import replace

import pytest

from medbot.core.model import new_user
from medbot.core.outgoing import Priority
from medbot.core.person.effects import Transcribe
from medbot.core.person.events import Heard, LLMAnswer, LLMDeadline
from medbot.core.updates import InboundText, InboundVoice
from tests.core.person.people import CONFIG, Family, at, buttons

ME = 7
VOICE_CONFIG = replace(CONFIG, llm_configured=True, llm_per_day=5, voice_max_seconds=60)


def person(*said: str, config: object = VOICE_CONFIG) -> Family:
    family = Family(config=config)  # type: ignore[arg-type]
    family.clock = at("2026-03-02 07:00")
    family.join(ME, new_user(ME, "ru", "Europe/Moscow", "2026-03-01T00:00:00Z"))
    for words in said:
        family.say(ME, words)
    return family


def speak(family: Family, seconds: int = 4, update_id: int = 900) -> Transcribe:
    before = len(family.asked)
    family.deliver(ME, InboundVoice(ME, ME, f"file-{update_id}", seconds, update_id=update_id))
    asked = family.asked[before:]
    assert len(asked) == 1 and isinstance(asked[0][1], Transcribe)
    return asked[0][1]


def hear(family: Family, request: Transcribe, text: str | None, error: str | None = None) -> list[str]:
    before = len(family.to(ME))
    family.deliver(ME, Heard(ME, request.request_id, text, error))
    return [message.text for message in family.to(ME)[before:]]


def reply(family: Family) -> str:
    """The last reply to the person (not a reminder)."""
    return [m.text for m in family.to(ME) if m.priority == Priority.REPLY][-1]


def schedule(family: Family) -> tuple[object, ...]:
    user = family.user(ME)
    return user.medications, user.history, user.tz, user.lang


def typed_reply(*said: str, words: str) -> list[str]:
    """What the same words, typed, get as a reply."""
    family = person(*said)
    before = len(family.to(ME))
    family.say(ME, words)
    return [message.text for message in family.to(ME)[before:]]


@pytest.mark.parametrize("words", [
    "что у меня на сегодня?", "какие у меня лекарства", "помощь", "сколько осталось таблеток аспирина?",
])
def test_a_spoken_question_gets_what_was_heard_then_the_same_answer_as_typed(words: str) -> None:
    family = person("аспирин 100 мг в 9 и 21", "у меня 30 таблеток аспирина")
    replies = hear(family, speak(family), words)
    assert replies[0] == f"🎤 Я услышал: «{words}»"
    assert replies[1:] == typed_reply("аспирин 100 мг в 9 и 21", "у меня 30 таблеток аспирина", words=words)


@pytest.mark.parametrize(("words", "check"), [
    ("конкор 5 мг в 8", lambda user: [m.name for m in user.medications] == ["аспирин", "конкор"]),
    ("удали аспирин", lambda user: user.medications == ()),
    ("перенеси аспирин на 10", lambda user: user.medications[0].times == ("10:00",)),
    ("выпила аспирин", lambda user: any(i.status == "taken" for i in user.history)),
    ("часовой пояс Новосибирск", lambda user: user.tz == "Asia/Novosibirsk"),
])
def test_a_spoken_change_is_asked_about_and_yes_applies_exactly_what_the_text_would(words, check) -> None:  # type: ignore[no-untyped-def]
    family = person("аспирин 100 мг в 9")
    before = family.user(ME)
    replies = hear(family, speak(family), words)
    assert family.user(ME).medications == before.medications and family.user(ME).tz == before.tz
    assert family.user(ME).history == before.history
    question = family.to(ME)[-1]
    assert replies[0] == f"🎤 Я услышал: «{words}»" and question.text.startswith("Сделать так?")
    assert set(buttons(question)) == {"Да", "Нет"}
    family.press(ME, buttons(question)["Да"])
    assert check(family.user(ME))
    typed = person("аспирин 100 мг в 9")
    typed.say(ME, words)
    assert family.user(ME).medications == typed.user(ME).medications
    assert reply(family) == reply(typed)  # the same confirmation as typed
    assert reply(typed) in question.text  # and what the question showed


def test_no_to_a_spoken_change_changes_nothing() -> None:
    family = person("аспирин 100 мг в 9")
    before = family.user(ME)
    hear(family, speak(family), "удали аспирин")
    family.press(ME, buttons(family.to(ME)[-1])["Нет"])
    assert family.user(ME).medications == before.medications


def test_a_spoken_yes_in_words_answers_the_question_too() -> None:
    family = person("аспирин 100 мг в 9")
    hear(family, speak(family), "удали аспирин")
    family.say(ME, "да")
    assert family.user(ME).medications == ()


def test_a_spoken_change_that_changes_nothing_is_answered_without_a_question() -> None:
    family = person("аспирин 100 мг в 9")
    replies = hear(family, speak(family), "удали кардиомагнил")
    assert not buttons(family.to(ME)[-1]) or "Да" not in buttons(family.to(ME)[-1])
    assert replies[1:] == typed_reply("аспирин 100 мг в 9", words="удали кардиомагнил")


def test_a_spoken_answer_to_the_bots_own_question_is_confirmed_before_it_applies() -> None:
    family = person("аспирин 100 мг")  # the bot asks for the time
    hear(family, speak(family), "в девять")
    assert family.user(ME).medications == ()
    family.press(ME, buttons(family.to(ME)[-1])["Да"])
    assert [m.times for m in family.user(ME).medications] == [("09:00",)]


@pytest.mark.parametrize(("error", "words"), [
    ("invalid", "Не разобрал слов"), ("quota", "лимит"), ("unavailable", "Не получилось расшифровать"),
    ("too_long", "слишком большое"),
])
def test_nothing_heard_is_said_plainly_and_changes_nothing(error: str, words: str) -> None:
    family = person("аспирин 100 мг в 9")
    before = schedule(family)
    replies = hear(family, speak(family), None, error)
    assert len(replies) == 1 and words in replies[0]
    assert schedule(family) == before


def test_without_the_llm_a_voice_message_is_answered_at_once_and_nothing_is_asked() -> None:
    family = person("аспирин 100 мг в 9", config=CONFIG)
    family.deliver(ME, InboundVoice(ME, ME, "f", 3, update_id=5))
    assert not family.asked
    assert "Голосовые сообщения я пока не разбираю" in family.to(ME)[-1].text


def test_a_voice_message_past_the_limit_is_not_transcribed() -> None:
    family = person()
    family.deliver(ME, InboundVoice(ME, ME, "f", 61, update_id=5))
    assert not family.asked and "до 60 секунд" in family.to(ME)[-1].text


def test_voice_messages_count_against_the_persons_daily_llm_share() -> None:
    family = person()
    for update_id in range(5):
        hear(family, speak(family, update_id=100 + update_id), "что у меня на сегодня?")
    family.deliver(ME, InboundVoice(ME, ME, "f", 3, update_id=200))
    assert len(family.asked) == 5 and "лимит" in family.to(ME)[-1].text


def test_what_arrives_while_transcribing_waits_and_follows_in_order() -> None:
    family = person("аспирин 100 мг в 9")
    request = speak(family)
    family.say(ME, "мои лекарства")
    assert not [m for m in family.to(ME) if "Аспирин" in m.text and "мои" not in m.text][1:]
    replies = hear(family, request, "что у меня на сегодня?")
    assert replies[0].startswith("🎤") and "09:00" in replies[1]
    assert len(replies) == 3  # the typed question, answered after the spoken one


def test_the_wait_ends_with_the_deadline_and_a_late_transcript_is_ignored() -> None:
    family = person("аспирин 100 мг в 9")
    request = speak(family)
    family.deliver(ME, LLMDeadline(ME, request.request_id))
    assert "Не получилось расшифровать" in family.to(ME)[-1].text
    assert hear(family, request, "удали аспирин") == []
    assert family.user(ME).medications


def test_a_transcript_the_parser_defers_goes_to_the_llm_and_its_change_is_still_confirmed() -> None:
    from medbot.core.commands import Delete, MedName, ParseResult
    family = person("аспирин 100 мг в 9")
    request = speak(family)
    hear(family, request, "эту штуку утреннюю больше не надо наверное")
    asked = family.asked[-1][1]
    assert not isinstance(asked, Transcribe)  # the reading went to the LLM
    command = Delete((MedName("аспирин", "аспирин"),))
    family.deliver(ME, LLMAnswer(ME, asked.request_id, ParseResult(command, "ru")))
    assert family.user(ME).medications  # not yet
    assert family.to(ME)[-1].text.startswith("Сделать так?")
    family.press(ME, buttons(family.to(ME)[-1])["Да"])
    assert family.user(ME).medications == ()


def test_the_voice_update_is_reported_handled_once_its_change_is_saved() -> None:
    from medbot.core.person.effects import Handled, Save
    from medbot.core.person.events import UserSaved
    from medbot.core.person.step import step
    family = person("аспирин 100 мг в 9")
    state, effects = step(family.states[ME], InboundVoice(ME, ME, "f", 3, update_id=77), family.clock)
    assert not [e for e in effects if isinstance(e, Handled)]  # still waiting for the transcript
    request = next(e for e in effects if isinstance(e, Transcribe))
    state, effects = step(state, Heard(ME, request.request_id, "удали аспирин"), family.clock)
    handled = [e.update_ids for e in effects if isinstance(e, Handled)]
    for save in [e for e in effects if isinstance(e, Save)]:  # the question is saved: then handled
        state, more = step(state, UserSaved(ME, save.seq, save.then), family.clock)
        handled += [e.update_ids for e in more if isinstance(e, Handled)]
    assert handled == [(77,)]


def test_a_transcript_never_reaches_a_different_person() -> None:
    family = person("аспирин 100 мг в 9")
    family.join(8, new_user(8, "ru", "Europe/Moscow", "2026-03-01T00:00:00Z"))
    request = speak(family)
    family.deliver(8, Heard(8, request.request_id, "удали всё"))
    assert family.to(8) == [] and family.user(ME).medications


def test_the_typed_reading_is_unchanged_by_voice() -> None:
    """A typed message never asks "Сделать так?": only a transcript's change does."""
    family = person("аспирин 100 мг в 9")
    family.deliver(ME, InboundText(ME, ME, "удали аспирин"))
    assert family.user(ME).medications == ()


# --- spoken for someone else --------------------------------------------------------------------


def test_a_spoken_change_for_a_family_member_is_confirmed_in_the_owners_chat_first() -> None:
    from medbot.core.family.routing import profile_id
    from tests.core.person.test_family_step import OWNER, with_mum
    family = with_mum()
    family.config = VOICE_CONFIG
    mum = profile_id(OWNER, 1)
    family.states = {uid: replace(state, config=VOICE_CONFIG) for uid, state in family.states.items()}
    before = len(family.asked)
    family.deliver(OWNER, InboundVoice(OWNER, OWNER, "f", 3, update_id=901))
    request = family.asked[before][1]
    family.deliver(OWNER, Heard(OWNER, request.request_id, "для мамы: удали эналаприл"))
    assert [m.name for m in family.user(mum).medications] == ["эналаприл"]  # not yet
    question = family.to(OWNER)[-1]
    assert question.text.startswith("👤 Мама") and "Сделать так?" in question.text
    family.press(OWNER, buttons(question)["Да"])
    assert family.user(mum).medications == ()


def test_a_caregivers_spoken_change_to_the_person_they_help_is_refused() -> None:
    from medbot.core.model import CaredFor
    family = person()
    family.states[ME] = replace(family.states[ME], user=replace(
        family.user(ME), caring_for=(CaredFor(8, "Мама"),)))
    hear(family, speak(family), "для мамы: удали аспирин")
    assert "только текстом" in family.to(ME)[-1].text
    assert 8 not in family.states  # no request reached the person helped
