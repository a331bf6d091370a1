"""The vocabulary of schedules: counts, ordinals, weekdays, months, dates and lengths, in Russian
and English, as regular-expression pieces and as small readers ("две недели" → 14 days,
"понедельника" → Monday, "1 мая" → a `DateRef`). Shared by the schedule patterns and by the
answers to the bot's own questions ("среда", "10 дней")."""

from __future__ import annotations

import re
from functools import lru_cache

from medbot.core.commands import DateRef
from medbot.core.nlu.numbers import CARDINALS, cardinal, days_in_dnya

# ---------------------------------------------------------------- vocabulary

_NUMBER_WORDS = "|".join(sorted((re.escape(word) for word in CARDINALS), key=len, reverse=True))
NUM = rf"(?:\d{{1,3}}|(?:{_NUMBER_WORDS})(?:[ -](?:{_NUMBER_WORDS}))?)"
"""A count written in digits or words ("10", "десять", "двадцать один", "twenty-one")."""

RU_DAY_ORDINALS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8, "девят": 9,
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
}
"""Stems of the Russian ordinals that name a day of the month ("пятнадцатого", "двадцать первое")."""


def ru_day_ordinal(text: str) -> int | None:
    """"пятнадцатого" → 15, "двадцать первое" → 21; None past the 31st or for "двадцать десятого"."""
    values = []
    for word in text.lower().split():
        stem = next((stem for stem in sorted(RU_DAY_ORDINALS, key=len, reverse=True) if word.startswith(stem)), None)
        if stem is None:
            return None
        values.append(RU_DAY_ORDINALS[stem])
    if len(values) > 1 and values[-1] >= 10:
        return None  # a tens word before a ten or a teen names no day
    total = sum(values)
    return total if 1 <= total <= 31 else None
_RU_ORDINALS = {"втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
                "девят": 9, "десят": 10}
_EN_ORDINALS = {"other": 2, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8,
                "ninth": 9, "tenth": 10}
RU_ORD = r"(?:втор|трет|четверт|пят|шест|седьм|восьм|девят|десят)(?:ой|ий|ый|ая|ое|ье|ью|ие|ые|ьи|ого|ого)"
EN_ORD = r"(?:other|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|5th|6th|7th)"

_WEEKDAYS_RU = (
    r"понедельник(?:ам|ами|ах|а|у|ом|е|и)?|пн|пон",
    r"вторник(?:ам|ами|ах|а|у|ом|е|и)?|вт",
    r"сред(?:ам|ами|ах|а|у|ы|е)|ср",
    r"четверг(?:ам|ами|ах|а|у|ом|е|и)?|чт",
    r"пятниц(?:ам|ами|ах|а|у|ы|е)|пт",
    r"субб?от(?:ам|ами|ах|а|у|ы|е)|сб",
    r"воскресень(?:ям|ями|ях|е|я|ю|ем)|воскресен(?:иям|ия|ие|ям|я)|воскресенье|вскр|воскр|вс",
)
_WEEKDAYS_EN = (
    r"mondays?|mon", r"tuesdays?|tues|tue", r"wednesdays?|wed", r"thursdays?|thurs|thur|thu",
    r"fridays?|fri", r"saturdays?|sat", r"sundays?|sun",
)
_ONE_WEEKDAY = "|".join(f"(?:{ru}|{en})" for ru, en in zip(_WEEKDAYS_RU, _WEEKDAYS_EN))
WEEKDAY = rf"(?:{_ONE_WEEKDAY})\.?"
_WD_SEP = r"(?:\s*(?:,|;|/|\+|&)\s*(?:и |and |а также )?|\s+(?:и|and|а также|or|или)\s+|\s+)"
WEEKDAY_LIST = rf"{WEEKDAY}(?:{_WD_SEP}{WEEKDAY})*"
RANGE_SEP = r"\s*(?:-|до|по|to|through|thru|till|until)\s*"

_MONTHS_RU = ("янв(?:ар)?", "фев(?:рал)?", "мар(?:т)?", "апр(?:ел)?", "ма[йяю]", "июн", "июл", "авг(?:уст)?", "сен(?:т(?:ябр)?)?",
              "окт(?:ябр)?", "ноя(?:бр)?", "дек(?:абр)?")
_MONTHS_EN = ("jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?",
              "aug(?:ust)?", "sep(?:t(?:ember)?)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?")
MONTH_RU = (r"(?:январ[ьяюе]|феврал[ьяюе]|март[аеу]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]|август[аеу]?"
            r"|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе]|(?:янв|фев|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)\.?)")
""""мая", "декабря", "дек.": a month (not the start of "декапептил")."""
MONTH_EN = "(?:" + "|".join(_MONTHS_EN) + r")\.?"
DATE = (
    rf"(?:\d{{1,2}}(?:-?(?:го|е|ое|ого))? {MONTH_RU}|\d{{1,2}}\.\d{{2}}(?:\.\d{{2,4}})?"
    rf"|{MONTH_EN} \d{{1,2}}(?:st|nd|rd|th)?|(?:the )?\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH_EN})"
)
DAY_OF_MONTH = r"\d{1,2}(?:-?(?:го|ого)(?: числ[аоу])?| числ[аоу]|st|nd|rd|th)"
""""15 числа", "20-го", "the 15th": a day of this month or the next, the month not said."""
GENITIVE_WEEKDAY = r"(?:понедельника|вторника|среды|четверга|пятницы|субботы|воскресенья)"
NEXT_WEEK = re.compile(r"(?<![\w-])(?:следующ\w* недел\w*|будущ\w* недел\w*|next week)(?![\w-])")
"""Next week: an agenda runs from today, so what is asked about it is a question for a person."""
PROCEDURE = (r"(?:колоноскопи\w*|гастроскопи\w*|эндоскопи\w*|бронхоскопи\w*|фгдс|узи|кт|мрт|рентген\w*|флюорографи\w*"
             r"|маммографи\w*|экг|кардиограмм\w*|холтер\w*|операци\w*|анализ\w*|липидограмм\w*|биохими\w*|коагулограмм\w*"
             r"|кровь|крови|обследовани\w*|процедур\w*|стоматолог\w*|зуб\w*|контраст\w*|госпитализаци\w*|surgery|operation"
             r"|colonoscopy|endoscopy|scan|ct|mri|x-ray|ekg|ecg|mammogram|bloodwork|labs|blood|test|tests|procedure|dentist"
             r"|biopsy|extraction|er|a&e|icu|emergency|hospital|больниц\w*|реанимаци\w*|приёмн\w*|приемн\w*)")
"""One word for what a break in the medicines is for: a test, a scan, an operation."""
COURSE_STOP = r"(?:stop|done|finish\w*|вс[её]|хватит|стоп|заканчива\w*|бросить|бросаем|отменить)"
""""...и всё", "then stop": the words that end a course after its last days."""
LENGTH_UNIT = (r"(?:дн(?:ей|я|ь)|день|сут(?:ок|ки)|недел(?:ь|ю|и|я)|месяц(?:а|ев)?|days?|weeks?|months?"
               r"|fortnight|дн\.?|нед\.?|мес\.?|wks?\.?)")
LENGTH = rf"(?:(?:{NUM}|пару|a|one|a couple of) )?{LENGTH_UNIT}"

# ---------------------------------------------------------------- reading numbers and dates


def number(text: str) -> int | None:
    """"10", "десять", "двадцать один", "twenty one", "пару" → the value."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+", text):  # ASCII digits only: "²" is a digit to str.isdigit
        return int(text) if len(text) <= 6 else None  # a typed wall of digits is not a count
    if text in ("пару", "a couple of"):
        return 2
    if text in ("a", "one", "одну", "один", "одна"):
        return 1
    values = [cardinal(word) for word in re.split(r"[ -]", text)]
    if None in values:
        return None
    if len(values) == 2 and not _compound(values[0], values[1]):  # type: ignore[arg-type]
        return None  # "по две пять дней": two counts side by side, never seven
    return sum(values)  # type: ignore[arg-type]


def _compound(first: int, second: int) -> bool:
    """"двадцать один", "сто пятьдесят", "twenty-one": tens then units, or hundreds then less."""
    if first % 100 == 0 and 100 <= first <= 900:
        return 0 < second < 100
    return first % 10 == 0 and 20 <= first <= 90 and 0 < second < 10


def ordinal(text: str) -> int | None:
    for stem, value in _RU_ORDINALS.items():
        if text.startswith(stem):
            return value
    return _EN_ORDINALS.get(text)


@lru_cache(maxsize=64)
def _weekday_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"^(?:{ru}|{en})\.?$") for ru, en in zip(_WEEKDAYS_RU, _WEEKDAYS_EN))


def weekday_of(word: str) -> int | None:
    for index, pattern in enumerate(_weekday_patterns()):
        if pattern.match(word):
            return index
    return None


_WEEKDAY_TOKEN = re.compile(WEEKDAY)


def weekdays_in(text: str) -> tuple[list[int], bool]:
    """The weekdays named in a list or a range ("пн-пт"), and whether any is plural or in
    the dative ("по средам", "on Wednesdays"): a repeating day rather than one date."""
    range_match = re.fullmatch(rf"(?:с |from )?({WEEKDAY}){RANGE_SEP}({WEEKDAY})", text)
    if range_match:
        first, last = weekday_of(range_match.group(1)), weekday_of(range_match.group(2))
        if first is not None and last is not None and first < last:
            return list(range(first, last + 1)), True
    days: list[int] = []
    plural = False
    for found in _WEEKDAY_TOKEN.finditer(text):
        word = found.group(0)
        if found.start() and text[found.start() - 1].isalpha():
            continue
        if found.end() < len(text) and text[found.end()].isalpha():
            continue
        day = weekday_of(word)
        if day is not None and day not in days:
            days.append(day)
        plural |= word.endswith(("ам", "ами", "ах", "ям", "ями", "ях", "s"))
    return sorted(days), plural


def _month_number(word: str) -> int | None:
    for index, stem in enumerate(_MONTHS_RU):
        if re.match(stem, word):
            return index + 1
    for index, stem in enumerate(_MONTHS_EN):
        if re.fullmatch(stem + r"\.?", word):
            return index + 1
    return None


def date_ref(text: str) -> DateRef | None:
    """"1 мая", "01.05", "1.05.2027", "may 1st", "the 1st of may", "понедельника",
    "завтра", "tomorrow" → a `DateRef`."""
    text = text.strip()
    offsets = {"сегодня": 0, "сегодняшнего дня": 0, "today": 0, "tonight": 0, "завтра": 1, "этой недели": 0,
               "завтрашнего дня": 1, "tomorrow": 1, "послезавтра": 2, "day after tomorrow": 2,
               "the day after tomorrow": 2}
    if text in offsets:
        return DateRef("offset", offsets[text])
    day = weekday_of(text)
    if day is None and re.fullmatch(GENITIVE_WEEKDAY, text):
        day = weekday_of({"среды": "среда", "пятницы": "пятница", "субботы": "суббота",
                          "воскресенья": "воскресенье"}.get(text, text))
    if day is not None:
        return DateRef("weekday", day)
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{2,4}))?", text)
    if dotted:
        year = int(dotted.group(3)) if dotted.group(3) else None
        if year is not None and year < 100:
            year += 2000
        return checked_date(int(dotted.group(1)), int(dotted.group(2)), year)
    worded = re.fullmatch(r"(?:the )?(\d{1,2})(?:-?(?:го|е|ое|ого)|st|nd|rd|th)? (?:of )?([a-zа-я]+\.?)", text)
    if worded:
        month = _month_number(worded.group(2))
        return checked_date(int(worded.group(1)), month, None) if month else None
    english = re.fullmatch(r"([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?", text)
    if english:
        month = _month_number(english.group(1))
        return checked_date(int(english.group(2)), month, None) if month else None
    return None


def day_of_month(text: str) -> DateRef | None:
    """"15 числа", "20-го", "15th" → the next such day of a month."""
    found = re.fullmatch(DAY_OF_MONTH, text.strip())
    day = int(re.match(r"\d+", text.strip()).group()) if found else 0
    return DateRef("date", day) if 1 <= day <= 31 else None


def checked_date(day: int, month: int | None, year: int | None) -> DateRef | None:
    if month is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return DateRef("date", day, month, year)


def length_days(text: str) -> int | None:
    """"10 дней" → 10, "две недели" → 14, "неделю" → 7, "a month" → 30, "fortnight" → 14."""
    found = re.fullmatch(rf"(?:({NUM}|пару|a|one|a couple of) )?({LENGTH_UNIT})", text.strip())
    if not found:
        return None
    count = number(found.group(1)) if found.group(1) else 1
    if count is None or count <= 0:
        return None
    unit = found.group(2)
    if unit == "дня" and found.group(1) and not days_in_dnya(count):
        return None  # "на 12 дня": noon ("12 дней" would be days)
    if unit.startswith("fortnight"):
        per = 14
    elif unit.startswith(("нед", "week", "wk")):
        per = 7
    elif unit.startswith(("мес", "month")):
        per = 30
    else:
        per = 1
    days = count * per
    return days if days <= 366 else None
