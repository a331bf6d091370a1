"""Replies about the conversation itself: an undone change, the language of menus."""

from __future__ import annotations

from medbot.core.results import LanguageSet, MedLine, NothingToUndo, Result, Undone
from medbot.core.texts.common import bullets, med_label, pick, with_times, zone_label

_WHAT = {
    "add": ("добавление", "the addition"),
    "delete": ("удаление", "the deletion"),
    "time_change": ("смену времени", "the time change"),
    "dose_change": ("смену дозировки", "the dosage change"),
    "timezone_change": ("смену часового пояса", "the time zone change"),
    "regimen_change": ("смену правила приёма", "the change of rule"),
    "pause": ("перерыв", "the break"),
    "undo": ("отмену", "the undo"),
}


def conversation_reply(result: Result, lang: str) -> str:
    match result:
        case Undone():
            return _undone(result, lang)
        case NothingToUndo():
            return pick(lang, "Отменять нечего: расписание ещё не менялось.",
                        "There is nothing to undo: the schedule has not been changed yet.")
        case LanguageSet(lang=chosen):
            if chosen == "en":
                return pick(lang, "Хорошо, теперь пишу по-английски.", "OK, I will write in English now.")
            return pick(lang, "Хорошо, теперь пишу по-русски.", "OK, I will write in Russian now.")
    return ""


def _undone(result: Undone, lang: str) -> str:
    ru, en = _WHAT.get(result.what, ("последнее изменение", "the last change"))
    parts = [pick(lang, f"Отменил {ru}.", f"Undid {en}.")]
    if result.back:
        parts.append(pick(lang, "Снова в расписании:", "Back in your schedule:") + "\n" + _lines(result.back))
    if result.gone:
        parts.append(pick(lang, "Убрано из расписания:", "Removed from your schedule:") + "\n" + _lines(result.gone))
    if result.zone:
        parts.append(pick(lang, f"Часовой пояс снова: {zone_label(result.zone)}.",
                          f"Time zone is {zone_label(result.zone)} again."))
    return "\n".join(parts)


def _lines(lines: tuple[MedLine, ...]) -> str:
    return bullets(with_times(med_label(line.name, line.dosage), line.times) for line in lines)
