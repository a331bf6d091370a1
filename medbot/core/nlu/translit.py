"""Russian typed in Latin letters: "napomni cherez den v 8 vechera biotin".

Someone without a Cyrillic keyboard writes Russian the way it sounds. The words of schedules and
commands ("napomni", "kazhdye 4 chasa", "po ponedelnikam", "esli bolit") are put back in
Cyrillic, so the message reads like the same request typed in Russian; every other word (the
medication's name, "magne b6", "paracetamol") stays as written. Only a message in Latin letters
holding at least two words that only Russian has is touched: English is never rewritten.
"""

from __future__ import annotations

import re

_WORDS = {
    "napomni": "напомни", "napominai": "напоминай", "napominay": "напоминай", "zapishi": "запиши",
    "dobav": "добавь", "udali": "удали", "otmeni": "отмени", "spisok": "список", "vypila": "выпила",
    "vypil": "выпил", "prinyala": "приняла", "prinyal": "принял", "cherez": "через", "den": "день",
    "dnya": "дня", "dney": "дней", "dnei": "дней", "kazhdyi": "каждый", "kazhdiy": "каждый", "kazhdy": "каждый",
    "kazhdye": "каждые", "kazhdie": "каждые", "kazhdoe": "каждое", "kazhduyu": "каждую", "chislo": "число",
    "chisla": "числа", "utra": "утра", "utrom": "утром", "vechera": "вечера", "vecherom": "вечером",
    "nochi": "ночи", "noch": "ночь", "dnem": "днем", "chas": "час", "chasa": "часа", "chasov": "часов",
    "pit": "пить", "pyu": "пью", "pyem": "пьем", "prinimat": "принимать", "pereryv": "перерыв", "pro": "про",
    "esli": "если", "bolit": "болит", "raz": "раз", "raza": "раза", "nedelyu": "неделю", "nedeli": "недели",
    "nedel": "недель", "mesyats": "месяц", "mesyac": "месяц", "zavtra": "завтра", "segodnya": "сегодня",
    "posle": "после", "pered": "перед", "edy": "еды", "zavtraka": "завтрака", "obeda": "обеда",
    "uzhina": "ужина", "snom": "сном", "na": "на", "tabletku": "таблетку", "tabletki": "таблетки",
    "tabletok": "таблеток", "po": "по", "v": "в", "vo": "во", "i": "и", "s": "с", "do": "до", "ne": "не",
    "ponedelnikam": "понедельникам", "vtornikam": "вторникам", "sredam": "средам", "chetvergam": "четвергам",
    "pyatnicam": "пятницам", "subbotam": "субботам", "voskresenyam": "воскресеньям",
    "ponedelnik": "понедельник", "vtornik": "вторник", "sredu": "среду", "chetverg": "четверг",
    "pyatnicu": "пятницу", "subbotu": "субботу", "voskresenye": "воскресенье", "budnyam": "будням",
    "vyhodnym": "выходным", "vykhodnym": "выходным", "mne": "мне", "pozhaluysta": "пожалуйста",
    "pozhalujsta": "пожалуйста", "pls": "пожалуйста", "plz": "пожалуйста",
}
_ONLY_RUSSIAN = frozenset(_WORDS) - frozenset({"i", "v", "s", "do", "po", "pro", "na", "den", "raz", "pit", "pls", "plz",
                                                "chas", "vo", "ne", "noch", "mne"})
"""Words no English sentence has: two of them make the message Russian in Latin letters."""
_COMMANDS = frozenset({"napomni", "napominai", "napominay", "zapishi", "dobav", "udali", "otmeni"})
"""A request opened by one of these is Russian whatever follows ("napomni pro omega 3")."""
_WORD = re.compile(r"[A-Za-z]+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def cyrillic_restored(text: str) -> str:
    """The text with its Russian words of schedules back in Cyrillic, or as it was."""
    if _CYRILLIC.search(text):
        return text
    words = [word.lower() for word in _WORD.findall(text)]
    if len({word for word in words if word in _ONLY_RUSSIAN}) < 2 and not (words and words[0] in _COMMANDS):
        return text
    return _WORD.sub(lambda m: _WORDS.get(m.group().lower(), m.group()), text)
