"""Voice messages through the whole bot: the update's file fetched with getFile from the fake
Bot API, transcribed by the real groq SDK against the fake Groq's speech-to-text, and then
handled like the same words typed (a change asked about first)."""

from __future__ import annotations

from collections.abc import Callable

from medbot.storage import read_user
from tests.e2e.harness import Bot
from tests.fakes.groq_server import FakeGroq

ANNA = 6001
BORIS = 6002
QUESTION_AUDIO = b"OggS-what-do-i-take-today"
ADD_AUDIO = b"OggS-konkor-five-at-eight"
SETUP = ("аспирин 100 мг в 9 и 21",)


def meds(bot: Bot, user_id: int) -> list[tuple[str, str | None, tuple[str, ...]]]:
    user = read_user(bot.settings.data_dir, user_id)
    return [] if user is None else [(m.name, m.dosage, m.times) for m in user.medications]


def test_a_spoken_question_is_answered_like_the_typed_one(make_bot: Callable[..., Bot], fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.transcribe_as(QUESTION_AUDIO, "Что мне сегодня принять?")
    for person in (ANNA, BORIS):
        for words in SETUP:
            bot.say(person, words)
    bot.say(BORIS, "Что мне сегодня принять?")
    before = len(bot.sent(ANNA))
    bot.speak(ANNA, QUESTION_AUDIO)
    assert len(bot.telegram.calls("getFile")) == 1 and len(bot.telegram.downloads) == 1
    assert [r.status for r in fake_groq.transcriptions] == [200]
    heard, *answer = bot.sent(ANNA)[before:]
    assert heard == "🎤 Я услышал: «Что мне сегодня принять?»"
    assert answer == [bot.sent(BORIS)[-1]]  # the same reply as the typed question
    assert fake_groq.completions == []  # read offline: no chat call


def test_a_spoken_change_is_confirmed_then_stored_as_typed(make_bot: Callable[..., Bot], fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.transcribe_as(ADD_AUDIO, "конкор 5 мг в 8")
    bot.speak(ANNA, ADD_AUDIO)
    assert meds(bot, ANNA) == []  # not before "Да"
    assert "🎤 Я услышал: «конкор 5 мг в 8»" in bot.sent(ANNA)
    question = bot.telegram.bot_messages(ANNA)[-1]
    assert question.text.startswith("Сделать так?") and "конкор 5 мг — 08:00" in question.text
    bot.press(ANNA, question.button("Да").callback_data)
    assert meds(bot, ANNA) == [("конкор", "5 мг", ("08:00",))]
    bot.say(BORIS, "конкор 5 мг в 8")
    assert bot.sent(ANNA)[-1] == bot.sent(BORIS)[-1]  # the confirmation the typed words get


def test_no_to_a_spoken_change_stores_nothing(make_bot: Callable[..., Bot], fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.transcribe_as(ADD_AUDIO, "конкор 5 мг в 8")
    bot.speak(ANNA, ADD_AUDIO)
    bot.press(ANNA, bot.telegram.bot_messages(ANNA)[-1].button("Нет").callback_data)
    assert meds(bot, ANNA) == []


def test_audio_nobody_can_make_out_changes_nothing_and_says_so(
    make_bot: Callable[..., Bot], fake_groq: FakeGroq,
) -> None:
    bot = make_bot(groq=fake_groq)
    bot.say(ANNA, SETUP[0])
    bot.speak(ANNA, b"OggS-only-wind-noise")
    assert "Не разобрал слов" in bot.last_text(ANNA)
    assert meds(bot, ANNA) == [("аспирин", "100 мг", ("09:00", "21:00"))]


def test_without_a_groq_key_a_voice_message_gets_a_helpful_answer(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.speak(ANNA, ADD_AUDIO)
    assert "Голосовые сообщения я пока не разбираю" in bot.last_text(ANNA)
    assert bot.telegram.calls("getFile") == []


def test_a_voice_message_too_long_is_not_downloaded(make_bot: Callable[..., Bot], fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq, voice_max_seconds=20)
    bot.speak(ANNA, ADD_AUDIO, duration=45)
    assert "до 20 секунд" in bot.last_text(ANNA)
    assert bot.telegram.calls("getFile") == [] and fake_groq.transcriptions == []


def test_an_english_speaker_hears_back_in_english(make_bot: Callable[..., Bot], fake_groq: FakeGroq) -> None:
    bot = make_bot(groq=fake_groq)
    fake_groq.transcribe_as(ADD_AUDIO, "metformin 500 mg at 8 pm")
    bot.speak(ANNA, ADD_AUDIO, language_code="en")
    assert "🎤 I heard: “metformin 500 mg at 8 pm”" in bot.sent(ANNA)
    question = bot.telegram.bot_messages(ANNA)[-1]
    assert question.text.startswith("Shall I do this?")
    bot.press(ANNA, question.button("Yes").callback_data)
    assert meds(bot, ANNA) == [("metformin", "500 mg", ("20:00",))]
