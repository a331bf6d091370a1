"""What a transcript must be before it is read like a typed message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbot.core.transcript import MAX_TRANSCRIPT, clean_transcript


@pytest.mark.parametrize("silence", [
    "", "   ", "...", "Продолжение следует...", "Субтитры сделал DimaTorzok", "Thank you for watching!",
    "[Музыка]", "♪♪", "Редактор субтитров А.Синецкая Корректор А.Егорова", "Спасибо за просмотр. Продолжение следует",
    "Subtitles by the Amara.org community", None, 42,
])
def test_what_whisper_writes_for_silence_is_nothing_heard(silence: object) -> None:
    assert clean_transcript(silence) is None


@pytest.mark.parametrize(("said", "kept"), [
    ("  Конкор 5 мг\nв 8. ", "Конкор 5 мг в 8."),
    ("Спасибо.", "Спасибо."),  # a real "thank you" is read (and answered) as typed
    ("музыка играет, а я выпила аспирин", "музыка играет, а я выпила аспирин"),
    ("удали субтитры аспирин", "удали субтитры аспирин"),
])
def test_real_words_are_kept_with_their_spacing_tidied(said: str, kept: str) -> None:
    assert clean_transcript(said) == kept


@given(st.text())
def test_a_transcript_is_bounded_tidy_and_never_empty(text: str) -> None:
    cleaned = clean_transcript(text)
    assert cleaned is None or (0 < len(cleaned) <= MAX_TRANSCRIPT and cleaned == cleaned.strip()
                               and "\x00" not in cleaned and "\n" not in cleaned)
