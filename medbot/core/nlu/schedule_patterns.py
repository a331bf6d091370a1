"""Phrases about *which days* (weekdays, intervals, months, hours, courses, cycles, "as needed",
one-offs, pauses, "what's coming up"), found in the folded text as claimed spans.

Each pattern yields facts (a plain dict) over a character span; spans compete longest first,
like the command cues. `medbot.core.nlu.schedule_facts.assemble` then turns one message's facts into
a rule, or says they do not fit together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from medbot.core.nlu.first_chars import ByFirstChar
from medbot.core.nlu.numbers import days_in_dnya
from medbot.core.nlu.schedule_vocab import (
    DATE,
    EN_ORD,
    GENITIVE_WEEKDAY,
    LENGTH,
    LENGTH_UNIT,
    NUM,
    RANGE_SEP,
    RU_ORD,
    WEEKDAY,
    WEEKDAY_LIST,
    checked_date,
    date_ref,
    length_days,
    number,
    ordinal,
    weekdays_in,
)
from medbot.core.nlu.spans import longest_first

Facts = dict[str, Any]

_SYMPTOMS_RU = (r"(?:голова|головы|живот|спина|спину|зуб|зубы|горло|сердце|желудок|суставы|колено|"
                r"поясница|мигрень|температура|давление|сахар)")
_TAKE = r"(?:пью|пьем|принимаю|принимаем|приема|прием|пить|принимать|таблетки|колю|капаю|on|taking)"
_BREAK = r"(?:перерыв\w*|отдых\w*|пауз[аыу]|не пью|не принимаю|без таблеток|off|break)"


@dataclass(frozen=True)
class RuleHit:
    start: int
    """Character span in the folded text."""
    end: int
    facts: Facts



# ---------------------------------------------------------------- the patterns


Reader = Callable[[re.Match[str]], Facts | None]
_PATTERNS: list[tuple[str, Reader]] = []


def _constant(regex: str, facts: Facts) -> None:
    """A phrase whose facts do not depend on what matched ("через день" → every 2 days)."""
    _PATTERNS.append((regex, lambda _match: dict(facts)))


def _pattern(regex: str) -> Callable[[Reader], Reader]:
    def register(reader: Reader) -> Reader:
        _PATTERNS.append((regex, reader))
        return reader

    return register


_constant(r"(?:кажд\w+ день|ежедневно|every ?day|daily|each day|день в день)", {"daily": True})


@_pattern(rf"(?:(?:кажд\w+ день,? |все дни,? |ежедневно,? |every day,? |daily,? |all days,? )?(?:кроме|за исключением"
          rf"|except(?: for| on)?|but not(?: on)?) |(?:every day|daily|all week),? but (?:not )?(?:on )?)"
          rf"(?:по )?(?P<days>{WEEKDAY_LIST}|выходных|weekends?)")
def _except(match: re.Match[str]) -> Facts | None:
    text = match.group("days")
    skipped = [5, 6] if text.startswith(("выходн", "weekend")) else weekdays_in(text)[0]
    if not skipped:
        return None
    return {"weekdays": [day for day in range(7) if day not in skipped], "plural": True}


_constant(r"(?:по |в |во |on |during )?(?:будн\w+(?: дн\w+)?|рабоч\w+ дн\w+|weekdays|workdays|week ?days)",
          {"weekdays": [0, 1, 2, 3, 4], "plural": True, "every": True})


_constant(r"(?:по |в |на |on |at |over |this |next )?(?:the |эти |ближайшие |следующие )?(?:выходн\w+(?: дн\w+)?|weekends?)",
          {"weekdays": [5, 6], "plural": True, "weekend": True})


@_pattern(rf"(?P<every>кажд\w+ |по |every |each |on |в |во )?(?P<days>(?:с |from )?{WEEKDAY}{RANGE_SEP}{WEEKDAY}"
          rf"|{WEEKDAY_LIST})")
def _weekdays(match: re.Match[str]) -> Facts | None:
    days, plural = weekdays_in(match.group("days"))
    if not days:
        return None
    every = (match.group("every") or "").strip()
    every_week = plural or every in ("по", "every", "each") or every.startswith("кажд")
    return {"weekdays": days, "plural": every_week or len(days) > 1, "every": every_week}


_constant(r"(?:(?:1|один|одну) )?раз в неделю|еженедельно|once (?:a|per|every) week|once weekly|weekly|"
          r"every week|each week|кажд\w+ недел\w+|раз в 7 дней|every 7 days|каждые 7 дней", {"weekly": True})


@_pattern(rf"(?P<n>{NUM}|пару|несколько) раза? в неделю|(?P<en>twice|three times|a few times|a couple of times|(?:{NUM}) times)"
          r" (?:a|per) week")
def _times_a_week(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("en")
    if text in ("несколько", "a few times"):
        return {"unsure": True}
    count = 2 if text in ("twice", "пару", "a couple of times") else 3 if text == "three times" else (
        number(text.replace(" times", "")))
    if count is None or not 1 <= count <= 7:
        return {"unsure": True}  # "в 9 раз в неделю": nine times, or at nine?
    return {"weekly": True, "per_week": count}


_constant(r"через (?:день|сутки)|(?:on )?alternate days|every other day|каждые (?:вторые )?сутки через сутки",
          {"interval": 2})


@_pattern(rf"(?:(?:1|один) )?раз в (?P<n>{NUM}) (?:дня|дней|суток)|кажд\w+ (?P<n2>{NUM}) (?:дня|дней|суток)"
          rf"|кажд\w+ (?P<ord>{RU_ORD}) (?:день|сутки|дня)|every (?P<n3>{NUM}|{EN_ORD}) days?"
          rf"|раз в (?P<n4>{NUM}) суток")
def _every_n_days(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2") or match.group("n3") or match.group("n4")
    value = (number(text) or ordinal(text)) if text else ordinal(match.group("ord") or "")
    if value is None or not 2 <= value <= 366:
        return None
    return {"interval": value}


@_pattern(rf"(?:(?:1|один) )?раз в (?P<n>{NUM}) недел\w+|кажд\w+ (?P<n2>{NUM}|{RU_ORD}) недел\w+"
          rf"|every (?P<n3>{NUM}|{EN_ORD}) weeks?|every fortnight|fortnightly|раз в полмесяца")
def _every_n_weeks(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2") or match.group("n3")
    weeks = 2 if text is None else (number(text) or ordinal(text))
    if weeks is None or not 2 <= weeks <= 52:
        return None
    return {"interval": weeks * 7, "weeks": True}


_constant(r"(?:(?:1|один) )?раз в месяц|ежемесячно|кажд\w+ месяц|monthly|every month|once (?:a|per) month|each month",
          {"monthly": True})


@_pattern(r"(?:кажд\w+ )?(?P<d>\d{1,2})(?:-?(?:го|е|ое|ого))? (?:числ[аоу])(?: (?:кажд\w+ |в |of )?мес(?:яц)?\w*)?")
def _month_day(match: re.Match[str]) -> Facts | None:
    day = int(match.group("d"))
    return {"month_day": day, "monthly": True} if 1 <= day <= 31 else None


_RU_DAY_ORDINALS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8, "девят": 9,
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
}
_EN_DAY_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                    "eighth": 8, "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "last": -1}
_RU_DAY_WORD = "(?:" + "|".join(sorted(_RU_DAY_ORDINALS, key=len, reverse=True)) + r")(?:ого|ое|ье|ьего|ий|ый|ой|ье)"


def _ru_day_ordinal(text: str) -> int | None:
    words = text.split()
    total = 0
    for word in words:
        stem = next((stem for stem in sorted(_RU_DAY_ORDINALS, key=len, reverse=True) if word.startswith(stem)), None)
        if stem is None:
            return None
        total += _RU_DAY_ORDINALS[stem]
    return total if 1 <= total <= 31 else None


@_pattern(rf"(?:кажд\w+ )?(?P<w>(?:двадцат\w+ |тридцат\w+ )?{_RU_DAY_WORD}) (?:числ[аоу])(?: (?:кажд\w+ |в |of )?мес(?:яц)?\w*)?"
          r"|(?:кажд\w+ )?последн\w+ числ[аоу](?: (?:кажд\w+ )?месяц\w*)?"
          r"|(?:on )?the (?P<e>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|fifteenth|twentieth|last)"
          r"(?: day)? of (?:each|every|the) month")
def _month_day_words(match: re.Match[str]) -> Facts | None:
    if match.group("e"):
        return {"month_day": _EN_DAY_ORDINALS[match.group("e")], "monthly": True}
    if match.group("w") is None:
        return {"month_day": -1, "monthly": True}
    day = _ru_day_ordinal(match.group("w"))
    return {"month_day": day, "monthly": True} if day else None


@_pattern(r"(?:on )?the (?P<d>\d{1,2})(?:st|nd|rd|th)?(?: day)? of (?:each|every|the) month"
          r"|(?:on )?the (?P<d2>\d{1,2})(?:st|nd|rd|th)(?= |$)")
def _month_day_en(match: re.Match[str]) -> Facts | None:
    day = int(match.group("d") or match.group("d2"))
    if not 1 <= day <= 31:
        return None
    return {"month_day": day, "monthly": bool(match.group("d"))}


_constant(r"(?:в )?последн\w+ (?:день|число) (?:кажд\w+ )?мес(?:яца)?|(?:on )?(?:the )?last day of (?:each|every|the) month",
          {"month_day": -1, "monthly": True})


@_pattern(rf"(?:через )?кажд\w+ (?:(?P<n>{NUM}) ?)?(?:час(?:а|ов)?|ч\.?)|раз в (?P<n2>{NUM} )?час(?:а|ов)?"
          rf"|every (?:(?P<n3>{NUM}) ?)?(?:hours?|hrs?|h)|q(?P<n4>\d{{1,2}})h")
def _every_n_hours(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2") or match.group("n3") or match.group("n4")
    hours = number(text) if text else 1
    if hours is None or not 1 <= hours <= 12:
        return {"unsure": True}
    return {"hours": hours}


@_pattern(rf"(?:в течени[ие]|на протяжении|курсом(?: на)?|курс(?: на| в)?|на|for|over|during|within|for the next|x|×)"
          rf" (?:следующ\w+ |ближайш\w+ )?(?P<len>{LENGTH})|(?<!\bв )(?<!\bво )(?<!, )(?<!\bи )(?P<bare>{NUM} {LENGTH_UNIT})|(?P<week>недел[юи]|a week)")
def _course_length(match: re.Match[str]) -> Facts | None:
    if match.group("week"):
        return {"days": 7}
    days = length_days(match.group("len") or match.group("bare"))
    return {"days": days} if days else None


_constant(r"(?:(?:начинаю|начала?|начали|нужно пройти|надо пройти|пройти|пропить|прохожу|назначили) )?курс(?:ом)?"
          r"|(?:(?:start|starting|begin|on|take|taking) )?(?:a )?course(?: of)?", {"course_word": True})


@_pattern(rf"(?P<prep>до|по|until|till|through|thru|up to|to)(?: the)? (?P<date>{DATE}|{GENITIVE_WEEKDAY}|{WEEKDAY})"
          rf"(?P<incl> включительно| inclusive)?")
def _until(match: re.Match[str]) -> Facts | None:
    found = date_ref(match.group("date"))
    if found is None or (match.group("prep") == "to" and found.kind != "date"):
        return None
    inclusive = bool(match.group("incl")) or match.group("prep") in ("по", "through", "thru", "to")
    return {"until": found, "inclusive": inclusive}


@_pattern(rf"(?:с|from) (?P<d1>\d{{1,2}})(?:-?(?:го|е))? (?P<prep>по|до|to|through|till|until) (?P<date>{DATE})")
def _date_range(match: re.Match[str]) -> Facts | None:
    end = date_ref(match.group("date"))
    if end is None or end.kind != "date":
        return None
    start = checked_date(int(match.group("d1")), end.month, end.year)
    if start is None:
        return None
    return {"start": start, "until": end, "inclusive": match.group("prep") in ("по", "to", "through")}


@_pattern(rf"(?:начиная |начать )?(?:с|со|starting(?: on| from)?|from|beginning(?: on)?|start(?:ing)?)"
          rf" (?P<date>{DATE}|{GENITIVE_WEEKDAY}|завтрашнего дня|сегодняшнего дня|завтра|сегодня|tomorrow|today"
          rf"|{WEEKDAY})")
def _start(match: re.Match[str]) -> Facts | None:
    found = date_ref(match.group("date"))
    return {"start": found} if found else None


@_pattern(rf"(?:on )?(?P<date>{DATE})")
def _date_word(match: re.Match[str]) -> Facts | None:
    found = date_ref(match.group("date"))
    return {"day": found} if found else None


@_pattern(r"(?:на |в )?(?:сегодня|завтра|послезавтра)(?: (?:утром|вечером|днем|ночью))?|(?:on )?(?:today|tomorrow)"
          r"|(?<!\d )(?<!am )(?<!pm )tonight(?= at| around| about)"
          r"|(?:the )?day after tomorrow")
def _day_word(match: re.Match[str]) -> Facts | None:
    word = re.sub(r"^(?:на |в |on |the )", "", match.group(0)).replace("tonight", "today")
    word = re.sub(r" (?:утром|вечером|днем|ночью)$", "", word)
    found = date_ref(word)
    return {"day": found} if found else None


@_pattern(rf"(?P<on>{NUM}|{LENGTH_UNIT}) ?(?P<onunit>{LENGTH_UNIT})? (?:{_TAKE},? )?(?:,\s*|потом |затем |и |then |, then )?"
          rf"(?P<off>{NUM}(?: {LENGTH_UNIT})?|{LENGTH_UNIT}) {_BREAK}"
          rf"|(?P<on2>{NUM}) (?:days?|weeks?) on,? (?P<off2>{NUM})(?: (?:days?|weeks?))? off"
          rf"|(?:for )?(?P<on3>{NUM}) days?,? (?:then|and then|followed by|with) (?:a )?(?P<off3>{NUM})[ -]days? (?:break|pause|off)")
def _cycle(match: re.Match[str]) -> Facts | None:
    if match.group("on3"):
        on, off = number(match.group("on3")), number(match.group("off3"))
        return {"on_days": on, "off_days": off} if on and off else None
    if match.group("on2"):
        text = match.group(0)
        unit = 7 if "week" in text.split(" on")[0] else 1
        on = number(match.group("on2"))
        off_unit = 7 if "week" in text.split(" on")[-1] else 1
        off = number(match.group("off2"))
        if on is None or off is None:
            return None
        return {"on_days": on * unit, "off_days": off * off_unit}
    on_text = match.group("on") + (" " + match.group("onunit") if match.group("onunit") else "")
    on = length_days(on_text)
    off_text = match.group("off")
    if re.fullmatch(NUM, off_text) and match.group("onunit"):
        off_text += " " + match.group("onunit")  # "21 день пью 7 перерыв": the same unit
    off = length_days(off_text)
    if not on or not off:
        return None
    return {"on_days": on, "off_days": off}


_constant(r"(?:по|при) (?:необходимости|надобности|потребности|требованию)|если (?:нужно|надо|понадобится|потребуется)"
          r"|когда (?:нужно|надо|понадобится)|по желанию|as needed|if needed|when needed|as required|if necessary"
          r"|when necessary|prn|p\.r\.n\.?|on demand|only when needed|only if needed", {"prn": True})


_constant(rf"(?:когда|если) (?:у меня )?(?:болит|заболит|болят|разболится|заболят|ноет|поднимется|поднимается"
          rf"|повысится|подскочит|скачет|начнется|начинается) {_SYMPTOMS_RU}"
          r"|при (?:сильной )?(?:(?:болях|боли|тяжести|дискомфорте|спазмах|жжении) в (?:сердце|животе|желудке|спине|горле"
          r"|суставах|голове|ухе|зубе|пояснице|груди|мышцах)|головной боли|головных болях|боли|болях|болевом синдроме|(?:высокой |повышенной )?температуре"
          r"|(?:высоком |повышенном )?давлении|повышении давления|мигрени|изжоге|тошноте|аллергии|бессоннице|спазмах"
          r"|простуде|кашле|насморке|запоре|поносе|диарее|одышке|тревоге|волнении|стрессе|приступе|судорогах|отеках|вздутии)"
          r"|если (?:будет|появится|начнется|разболится|заболит|случится|поднимется) \w+"
          r"|(?:for|when i (?:have|get)|if i (?:have|get)|if|in case of) (?:a |an )?(?:bad )?(?:headaches?|pain|fever|migraines?"
          r"|heartburn|nausea|allergies|insomnia|cough|cramps)(?: (?:as|when|if) needed)?", {"prn": True})


@_pattern(rf"(?:не (?:чаще|более|больше)|максимум|макс\.?|до) (?P<n>{NUM}) (?:раз\w*|таблет\w*|капсул\w*|доз\w*|приема|приемов)?"
          rf" ?(?:в|за) (?:день|сутки)|(?:max(?:imum)?|up to|no more than|not more than|at most) (?P<n2>{NUM}|once|twice)"
          r" (?:times|doses|pills|tablets|capsules)? ?(?:a|per|in a|each) day")
def _max_per_day(match: re.Match[str]) -> Facts | None:
    text = match.group("n") or match.group("n2")
    count = {"once": 1, "twice": 2}.get(text) or number(text)
    if count is None or not 1 <= count <= 24:
        return None
    return {"max_per_day": count}


@_pattern(rf"(?:через|in) (?:полчаса|half an hour|час|an hour|one hour|полтора часа|an hour and a half"
          rf"|(?P<n>{NUM}) (?P<unit>минут\w*|мин|час\w*|minutes?|mins?|hours?|hrs?))")
def _in_minutes(match: re.Match[str]) -> Facts | None:
    text = match.group(0)
    if match.group("n"):
        count = number(match.group("n"))
        if count is None:
            return None
        minutes = count * (60 if match.group("unit").startswith(("час", "hour", "hr")) else 1)
    elif "полчаса" in text or "half an hour" in text:
        minutes = 30
    elif "полтора" in text or "and a half" in text:
        minutes = 90
    else:
        minutes = 60
    return {"in_minutes": minutes} if 1 <= minutes <= 1440 else None


_constant(r"иногда|время от времени|периодически|по настроению|когда вспомню|по (?:четн|нечетн)\w+(?: (?:дням|числам))?"
          r"(?: месяца)?|now and then|from time to time|sometimes|occasionally|on (?:even|odd) (?:days|dates)|when i remember"
          r"|по лунному\w*(?: календарю)?|every now and again", {"unsure": True})


_constant(r"с этого дня|с этих пор|отныне|from now on|from today on|henceforth|make|(?:the )?doctor changed(?: my)?"
          r"|changed(?: my)?|врач поменял\w*|врач изменил\w*", {"now": True})


_constant(r"на (?:прием|приемы)(?= )", {"marker": True})


_constant(rf"через (?:{NUM}) (?:дня|дней|недел\w+)|через (?:{WEEKDAY}|недел\w+)|every other (?:{WEEKDAY})",
          {"unsure": True})  # "через 2 дня", "через вторник": every third day, or in two days? every other Tuesday?


_constant(rf"а не (?:по |в |во )?(?:{WEEKDAY_LIST}|выходн\w+|будн\w+)|(?:but |and )?not (?:on )?(?:{WEEKDAY_LIST}|weekends?)"
          r"|больше не каждый день|не каждый день|not every day", {"unsure": True})  # "по воскресеньям, а не по субботам"


@_pattern(r"не (?:надо|нужно|нужны)(?: (?:напоминать|пить|принимать))?|не (?:пить|принимать|давать|колоть)"
          r"|(?:хватит|прекрати|перестань) (?:мне )?напоминать(?: (?:про|о|об))?|stop reminding me(?: (?:about|of|to take))?|не напоминай\w*(?: мне)?(?: ничего)?(?: (?:про|о|об))?"
          r"|(?<!не )пропусти(?:те|ть)?|пропустим|пауз[аыу]|(?:сделай |сделать )?перерыв(?: в (?:приеме|напоминаниях))?"
          r"|приостанови\w*|отключи напоминани\w*|без напоминаний|без таблеток|без лекарств"
          r"|no reminders?(?: (?:for|about))?|skip|pause(?: (?:the |my )?reminders?)?|don'?t remind(?: me)?(?: (?:about|of|to take))?"
          r"|do not remind(?: me)?(?: (?:about|of|to take))?|hold off(?: on)?|hold"
          r"|take a break(?: from(?: the| my)? (?:reminders|pills|meds|medications))?(?: from)?|no(?= \w)")
def _pause_word(match: re.Match[str]) -> Facts:
    text = match.group(0)
    stop = text.startswith(("не напоминай", "don't remind", "dont remind", "do not remind", "no reminders", "хватит",
                            "прекрати", "перестань", "stop reminding"))
    return {"pause": True, "stop": True} if stop else {"pause": True}


@_pattern(rf"(?:в )?(?:перв\w+|first|the first|for the first) (?P<len>{LENGTH})|(?:в )?(?:следующ\w+|втор\w+|трет\w+|четверт\w+"
          rf"|next|the next|second|third|fourth|for the next) (?P<len2>{LENGTH})")
def _step_length(match: re.Match[str]) -> Facts | None:
    days = length_days(match.group("len") or match.group("len2"))
    return {"step_len": days} if days else None


_constant(r"(?:а |и |, )?(?:потом|затем|далее|дальше|после этого|then|after that|and then)", {"then": True})


_constant(r"(?:(?:моя |мой )?(?:доченька|дочка|доча|дочь|сын|сынок|внучка|внук|муж|жена|врач|врачиха|доктор|медсестра"
          r"|фельдшер|терапевт|кардиолог|невролог)(?: мне)? (?:сказал[аи]?|велел[аи]?|говорит|просил[аи]?|советует"
          r"|назначил[аи]?|прописал[аи]?|спрашивает|выписал[аи]?)|мне (?:сказали|велели|назначили|прописали|выписали))"
          r"(?: что)?(?: мне)?", {"marker": True})  # who said so: not a medication, not a command
_constant(r"ну я так и пью|я так и пью|так и пью|незабудьте|не забудьте|спасибо большое|заранее спасибо|thank you so much"
          r"|thanks a lot", {"marker": True})


_constant(r"(?:один|1) раз(?! в)|однократно|разово|just once|once only|one time only|a single dose", {"once_word": True})


_constant(r"(?:перв(?:ая|ый|ую)(?: доза| прием| таблетка)?|first(?: dose| one)?)(?= (?:(?:в|at) )?\d)"
          r"|taper(?:ing)?:?|repeat(?:ing)?|и так по кругу"
          r"|сначала|вначале|for starters|at first|(?:начиная|starting|beginning)(?= (?:с|со|at|from|\d))"
          r"|(?:starting|beginning)(?: at| from)?(?= \d)", {"marker": True})


_AGENDA_PERIOD = (rf"(?:эту |этой |ближайшую |следующую |this |the |next )?(?:недел[юие]|week)(?: вперед| ahead)?|завтра|tomorrow"
                  rf"|(?:ближайшие |следующие |next |the next )?{NUM} (?:дн\w+|days|weeks?|недел\w+)(?: вперед| ahead)?")


_constant(r"(?:show me )?my week|the week ahead|(?:this|next) week'?s (?:meds|schedule|plan|pills)"
          r"|what(?:'s| does| is) my week look like",
          {"agenda_word": True, "period": 7})


@_pattern(rf"(?:what'?s on|what is on|what do i (?:need to |have to )?take|what (?:does|do|will) \w+ (?:need to |have to )?take"
          rf"|what'?s due|what is due|anything due|(?:what|which) (?:\w+ )?(?:is|are) due|upcoming doses|weekly schedule"
          rf"|agenda|что будет|план\w*(?: приема)?)"
          rf"(?: (?:(?:for|in|on|over|during) )?(?P<p>{_AGENDA_PERIOD}|today|сегодня))?")
def _agenda_word(match: re.Match[str]) -> Facts | None:
    period = match.group("p")
    if period is None and match.group(0).startswith("what"):
        return None  # "what do I take": the list
    facts: Facts = {"agenda_word": True}
    if period:
        facts["period"] = _period_days(period)
    elif "weekly" in match.group(0):
        facts["period"] = 7
    return facts


@_pattern(rf"(?:на|за|for|in|over|during) (?P<p>{_AGENDA_PERIOD})|(?P<p2>(?:this|next) week)"
          rf"|(?:в )?(?P<p3>(?:ближайшие|следующие) {NUM} (?:дн\w+|недел\w+)|(?:эту|этой|ближайшую|следующую) недел[юие])")
def _agenda_period(match: re.Match[str]) -> Facts | None:
    period = match.group("p") or match.group("p2") or match.group("p3")
    said = re.fullmatch(rf"({NUM}) дня", period)
    if said and not days_in_dnya(number(said.group(1)) or 0):
        return None  # "на 12 дня": noon
    return {"period": _period_days(period)}


def _period_days(text: str) -> int:
    if "завтра" in text or "tomorrow" in text:
        return 2
    if "сегодня" in text or "today" in text:
        return 1
    count = re.search(NUM + r"(?= (?:дн|day|недел|week))", text)
    if count:
        per = 7 if re.search(r"(?:недел|week)", text) else 1
        return max(1, min((number(count.group(0)) or 1) * per, 31))
    return 7


@_pattern(rf"(?:что|што) (?:у меня )?(?:на|в) (?P<p>{_AGENDA_PERIOD})|(?:планы?|расписание|график)(?: приема| приемов)?"
          rf" (?:на|for) (?P<p2>{_AGENDA_PERIOD})|на (?P<p3>ближайшие {NUM} дн\w+)|(?:what's|what is) (?:coming )?up"
          rf"(?: (?:this|next) week| (?:in |for )?the next (?P<n>{NUM}) days| tomorrow)?|coming up(?: this week)?"
          rf"|(?:my )?(?:schedule|plan|meds) for (?P<p4>{_AGENDA_PERIOD})|for the (?:next )?week")
def _agenda(match: re.Match[str]) -> Facts:
    period = next((match.group(name) for name in ("p", "p2", "p3", "p4") if match.group(name)), None)
    if match.group("n"):
        return {"agenda": number(match.group("n")) or 7}
    return {"agenda": _period_days(period or match.group(0))}


_END = r"(?![\w-]|[:.,/]\d)"
_COMPILED = tuple((re.compile(rf"(?:{regex}){_END}"), reader) for regex, reader in _PATTERNS)
_BY_FIRST_CHAR = ByFirstChar([regex for regex, _ in _PATTERNS])
_WORD_START = re.compile(r"(?<![\w:.,/-])[^\W_]|(?<![\w:.,/-])[0-9]")


def find_rules(low: str) -> tuple[RuleHit, ...]:
    """Non-overlapping schedule phrases in the folded text, longest first where they compete."""
    found: list[RuleHit] = []
    for word in _WORD_START.finditer(low):
        start = word.start()
        for index in _BY_FIRST_CHAR.candidates(low[start]):  # only patterns that can begin here
            pattern, reader = _COMPILED[index]
            match = pattern.match(low, start)
            if match is None or match.end() == start:
                continue
            facts = reader(match)
            if facts is not None:
                found.append(RuleHit(start, match.end(), facts))
    return tuple(longest_first(found))
