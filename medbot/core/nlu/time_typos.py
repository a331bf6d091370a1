"""Words of time typed or heard wrong: "в восем", "в девят вечира", "за ужыном", "пиред сном",
"вдевять", "наночь", "at brekfast", "in the mornin".

A word no dictionary knows, one letter away from exactly one word of time (and from no
medication), is that word; a preposition glued to a word of time is split off. Everything else
is left alone, so a misspelt name is still put right, and asked about, by the name's own rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

TIME_WORDS = frozenset("""
    один одна одну два две три четыре пять шесть семь восемь девять десять одиннадцать двенадцать
    тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать двадцать
    тридцать сорок пятьдесят ноль ноль
    первого второго третьего четвертого пятого шестого седьмого восьмого девятого десятого
    одиннадцатого двенадцатого половине половина четверти четверть
    утра утром утро вечера вечером вечер ночи ночью ночь дня днем обеда обед обедом завтрака завтрак
    завтраком ужина ужин ужином перед после сном полночь полдень полуночи полудня часов часа
    morning evening night noon midnight breakfast lunch dinner supper bedtime before after quarter half
    past one two three four five six seven eight nine ten eleven twelve o'clock натощак каждый каждое каждую
    ежедневно every daily
""".split())
_GLUED = re.compile(r"^(в|во|на|к|за|до|at|in)(.{3,})$")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_SHORT = 4
"""Shorter words are put right only by a missing soft sign ("ноч" → "ночь")."""


def with_time_words_fixed(text: str) -> str:
    """The text with misheard words of time put right."""
    if all(word in TIME_WORDS or _closest_time_word(word)[0] is None for word in set(_WORD.findall(text.lower()))):
        return text  # most messages: no word to put right
    return _WORD.sub(_fixed, text)


_TIME_BEFORE = re.compile(r"(?:^|\s)(?:в|во|на|за|к|до|после|перед|и|at|in|the|by|before|after|and)\s+$", re.IGNORECASE)


def _fixed(match: re.Match[str]) -> str:
    word = match.group()
    low = word.lower()
    if low in TIME_WORDS or _known(low):
        return word  # most words: nothing to put right, no need to look behind them
    placed = _TIME_BEFORE.search(match.string[: match.start()]) is not None
    fixed = time_word_meant(low, placed)
    if fixed == "past" and not _BEFORE_PAST.search(match.string[: match.start()]):
        return word  # "pase for a week": "past" only follows "half" or a number ("half past 8")
    return word if fixed is None else fixed


_BEFORE_PAST = re.compile(r"(?:half|quarter|\d{1,2}|ten|twenty|five|twenty-five)\s+$", re.IGNORECASE)


def time_word_meant(word: str, placed: bool = False) -> str | None:
    """The word of time an unknown word stands for, or None. `placed`: it stands where a time
    would ("в восем"), so it wins over a medication it is also one letter from."""
    meant, by_spelling = _closest_time_word(word)
    if meant is None or (by_spelling and not placed and _near_medication(word)):
        return None
    return meant


@lru_cache(maxsize=8192)
def _closest_time_word(word: str) -> tuple[str | None, bool]:
    """The word of time `word` is one slip from, and whether it was found by spelling (a guess a
    medication's name may beat) rather than by a glued preposition or a missing soft sign."""
    if word in TIME_WORDS or _known(word):
        return None, False
    glued = _GLUED.match(word)
    if glued and glued.group(2) in TIME_WORDS:
        if len(word) >= _SHORT and any(candidate != glued.group(2) for candidate, _, _ in process.extract(
                word, TIME_WORDS, scorer=OSA.distance, score_cutoff=1, limit=3)):
            return None, False  # "всемь": "в семь" glued, or "восемь" with a letter left out? Not guessed
        return f"{glued.group(1)} {glued.group(2)}", False  # "вдевять", "наночь"
    if len(word) < _SHORT:
        return (word + "ь" if word + "ь" in TIME_WORDS else None), False
    limit = 1 if len(word) < 8 else 2
    close = process.extract(word, TIME_WORDS, scorer=OSA.distance, score_cutoff=limit, limit=3)
    best = [candidate for candidate, distance, _ in close if distance == min(d for _, d, _ in close)] if close else []
    if len(best) > 1:  # "утрм": "утром" (a letter left out) rather than "утра" (a letter changed)
        fewest = min(Indel.distance(word, candidate) for candidate in best)
        best = [candidate for candidate in best if Indel.distance(word, candidate) == fewest]
    return (best[0] if len(best) == 1 else None), True


@lru_cache(maxsize=1 << 14)
def _known(word: str) -> bool:
    from medbot.core.nlu.lexicon import MED_WORDS, STOP_WORDS
    from medbot.core.nlu.names import is_english_word
    from medbot.core.nlu.russian_words import is_known

    if word in MED_WORDS or word in STOP_WORDS:
        return True
    return is_english_word(word) if word.isascii() else is_known(word)


def _near_medication(word: str) -> bool:
    from medbot.core.nlu.typos import near_medication

    return near_medication(word)
