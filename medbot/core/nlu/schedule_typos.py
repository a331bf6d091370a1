"""Words that sound like a schedule but fit no pattern ("четвергм", "средм", "пнд", "wensdays",
"fortnightly-ish"): never part of a medication's name, so the message is asked about."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from medbot.core.nlu.intents import close_enough
from medbot.core.nlu.lexicon import MED_WORDS

_SCHEDULE_STEMS = re.compile(
    r"^(?:понедельн|вторн|сред[аыуе]|четверг|пятниц|суббот|воскрес|будн|выходн|недел|месяц|числ|ежедн|еженед|ежемес"
    r"|кажд|сутк|суток|курс|цикл|перерыв|пауз|раз|дня|дней|день|дни|через|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|weekly|weekend|weekday|fortnight|month|week|days?$|daily|every|alternate|course|cycle|hours?$"
    r"|часа|часов|other$|until|till|through|except|кроме|когда|если|нужно|надо|необходим|needed|prn|once|twice"
    r"|times$|максим|maxim|январ|феврал|март|апрел|мая$|июн|июл|август|сентябр|октябр|ноябр|декабр)"
)


_DAY_WORDS = ("понедельник", "вторник", "среда", "средам", "четверг", "четвергам", "пятница", "пятницам", "суббота",
              "субботам", "воскресенье", "воскресеньям", "monday", "mondays", "tuesday", "tuesdays", "wednesday",
              "wednesdays", "thursday", "thursdays", "friday", "fridays", "saturday", "saturdays", "sunday", "sundays",
              "неделю", "недели", "месяц", "ежедневно", "weekly", "monthly", "weekend", "weekends", "каждые", "каждый",
              "каждую", "каждого", "часов", "every", "максимум", "maximum", "необходимости")


_BREAK_WORDS = ("пауза", "паузу", "паузы", "перерыв", "pause")


def _skeleton(word: str) -> str:
    return re.sub(r"[аеёиоуыэюяьъйaeiouy]", "", word)


@lru_cache(maxsize=1 << 14)
def sounds_like_schedule(word: str) -> bool:
    """A word about days or frequency that no pattern placed, typos included ("четвергм",
    "средм", "пнд", "wensdays"): never part of a medication's name."""
    if _SCHEDULE_STEMS.match(word):
        return True
    if len(word) < 3 or not word.isalpha():
        return False
    if word in MED_WORDS:
        return False
    if len(word) >= 4 and any(OSA.distance(word, target) <= 1 for target in _BREAK_WORDS):
        return True  # "пауа", "перерв", "пазуа": a break misspelt (two letters swapped count once)
    skeleton = _skeleton(word)
    for target in _DAY_WORDS:
        if len(word) >= 5 and close_enough(word, target):
            return True
        target_skeleton = _skeleton(target)
        if len(skeleton) >= 3 and (skeleton == target_skeleton or (
                target_skeleton.startswith(skeleton) and len(word) <= 6)):
            return True
        if len(skeleton) >= 5 and close_enough(skeleton, target_skeleton):
            return True
    return False
