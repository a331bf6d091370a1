"""What a voice message said, made fit to be read like a typed message.

Speech-to-text models write something even for silence or noise: Whisper is known for
subtitle credits and sign-offs learned from films ("Продолжение следует...", "Субтитры
сделал DimaTorzok", "Thank you for watching!"). Such a transcript is nothing heard, never a
message to act on.
"""

from __future__ import annotations

import re

MAX_TRANSCRIPT = 1000
"""Characters kept: two minutes of speech is well under this."""

_NOISE_PHRASE = (
    r"(?:продолжение следует|спасибо за (?:просмотр|внимание)|подписывайтесь на (?:наш )?канал|ставьте лайки?"
    r"|субтитры (?:сделал|создавал|подогнал|делал)\w* \S+|(?:редактор|корректор) субтитров(?: \S+){0,2}|корректор \S+"
    r"|thanks? (?:you )?for watching|subtitles? by(?: \S+){1,3}|please subscribe|like and subscribe"
    r"|music|музыка|аплодисменты|applause|♪+)"
)
_NOISE = re.compile(rf"(?:{_NOISE_PHRASE}|[\s.…!?,♪\[\]()-])*", re.IGNORECASE)
"""A transcript that is only these, repeated or not: what the model writes for silence."""


def clean_transcript(text: object) -> str | None:
    """The transcript with its spacing tidied and its length bounded; None when nothing was
    said (empty, or only what such models write for silence)."""
    if not isinstance(text, str):
        return None
    tidy = " ".join(text.replace("\x00", " ").split())[:MAX_TRANSCRIPT].strip()
    if _NOISE.fullmatch(tidy):
        return None
    return tidy
