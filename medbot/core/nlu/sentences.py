"""A long message with one request in it: the request, when every other sentence is talk.

"Здравствуйте! Я тут первый раз. Мне врач сказал пить конкор по 5 мг утром. Спасибо!" asks for
one thing. When the whole message cannot be read with confidence, each sentence is read on its
own; if exactly one of them asks for something and every other one holds nothing a schedule is
made of (no time, dosage, days, routine word, place or medication's name; only greetings,
thanks, a question about how the bot works, a story), that one sentence is the reading.
Anything else and the message is asked about as a whole, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medbot.core.commands import Help, ParseResult, Unknown
from medbot.core.nlu.doubts import asks_how, doubted, mind_changed
from medbot.core.nlu.names import looks_like_medication
from medbot.core.nlu.normalize import fold, tokenize
from medbot.core.nlu.reading import brand_like, read
from medbot.core.nlu.talk import MEANING

_SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+|(?<=[.!?…])(?=[А-ЯЁA-Z])")
_SMALL_TALK = re.compile(r"(?<![\w-])(?:первый раз|в первый раз|first time|for the first time)(?![\w-])")
_MAX_SENTENCES = 8
_WHY_REMINDED = re.compile(r"(?<![\w-])(?:не (?:пропуска\w*|пропуст\w*|забыва\w*|забуд\w*|забыть)"
                           r"|(?:do not|don'?t|not to|never) (?:miss|forget|skip)\w*)(?![\w-])")
"""Why a reminder is wanted ("врач велел не пропускать"): a reason, not a condition on the request."""
_ABOUT_THE_BOT = re.compile(
    r"\s*(?:а |и |ну |так )?(?:можно|а можно|если я|а если|вы пойм|бот пойм|ты пойм|как (?:мне |это |тут )?"
    r"(?:сделать|написать|записать|добавить)|can (?:i|you|we)|could (?:i|you)|is it (?:possible|ok|okay)"
    r"|do (?:i|you) (?:need|have)|will you understand|do you understand)", re.IGNORECASE)
_SECOND_THOUGHT = re.compile(r"(?<![\w-])(?:хотя|нельзя|или нет|или можно|not sure|or not|actually|instead)(?![\w-])")


def sentences(text: str) -> list[str]:
    parts = [part.strip() for part in _SENTENCE_END.split(text)]
    return [part for part in parts if part and any(ch.isalnum() for ch in part)]


def one_request(text: str, parse: Callable[[str], ParseResult]) -> ParseResult | None:
    """The reading of the one sentence that asks for something, or None."""
    parts = sentences(text)
    if not 2 <= len(parts) <= _MAX_SENTENCES:
        return None
    results = [parse(part) for part in parts]
    asking = [(part, result) for part, result in zip(parts, results) if not _aside(part, result)]
    if len(asking) > 1 and all(result == asking[-1][1] for _, result in asking):
        asking = asking[-1:]  # "а если я пью глицин перед обедом, бот поймёт? глицин перед обедом": the same twice
    if len(asking) != 1:
        return None
    result = asking[0][1]
    if isinstance(result.command, (Unknown, Help)) or result.needs_llm:
        return None
    return result


def _names_a_medication(sentence: str) -> bool:
    reading = read(sentence)
    return reading is not None and any(looks_like_medication(chunk.tokens) or brand_like(chunk) for chunk in reading.chunks)


def _aside(sentence: str, result: ParseResult) -> bool:
    """A sentence that only talks: greets, thanks, asks how the bot works, tells a story."""
    if _ABOUT_THE_BOT.match(sentence) and sentence.rstrip().endswith("?") and not isinstance(result.command, Unknown):
        return False  # a question that is itself a reading: compared with the request, not set aside
    if _ABOUT_THE_BOT.match(sentence) and sentence.rstrip().endswith("?") and not _names_a_medication(sentence):
        return True  # "Can you do noon?", "а можно просто написать «выпил»?": how to say it, then said
    if not (isinstance(result.command, (Unknown, Help)) and not result.needs_llm):
        return False
    if asks_how(sentence.lower()):
        return False  # "Сколько дней обычно колют?" beside the request: the whole message is asked about
    if isinstance(result.command, Unknown) and result.command.why in ("advice", "stock", "language"):
        return False  # a question for a doctor beside a request: the whole message is asked about
    low = sentence.lower()
    if doubted(low) or mind_changed(low) or _SECOND_THOUGHT.search(low) or any(ch.isdigit() for ch in low):
        return False  # "не помню, пила или нет", "хотя нет, их же вместе нельзя?", "Если давление выше 160"
    plain = _WHY_REMINDED.sub(" ", _SMALL_TALK.sub(" ", sentence.lower()))
    if any(token.low in MEANING for token in tokenize(plain, fold(plain))):
        return False  # a condition, a negation, "ещё одну": it shapes the request
    reading = read(sentence)
    if reading is None:
        return True
    if reading.times or reading.doses or reading.rules.hits or reading.routine or reading.find_zone() is not None:
        return False
    return not any(looks_like_medication(chunk.tokens) or brand_like(chunk) for chunk in reading.chunks)
