"""What a person reads when a past dose is put right: each change said back in words."""

from __future__ import annotations

from datetime import date

from medbot.core.results import PastLine, PastRecorded, PastUnclear
from medbot.core.texts.common import med_label, pick


def _day(lang: str, days_ago: int, iso: str = "") -> str:
    named = {0: pick(lang, "сегодня", "today"), 1: pick(lang, "вчера", "yesterday"),
             2: pick(lang, "позавчера", "the day before yesterday")}.get(days_ago)
    shown = f" ({date.fromisoformat(iso):%d.%m})" if iso else ""
    return (named or pick(lang, f"{days_ago} дн. назад", f"{days_ago} days ago")) + shown


def _line(lang: str, line: PastLine) -> str:
    label = med_label(line.name, line.dosage)
    if line.status == "taken" and line.at:
        return pick(lang, f"{label} ({line.time}) — принято в {line.at}", f"{label} ({line.time}) — taken at {line.at}")
    if line.status == "taken":
        return pick(lang, f"{label} ({line.time}) — принято", f"{label} ({line.time}) — taken")
    return pick(lang, f"{label} ({line.time}) — не принято", f"{label} ({line.time}) — not taken")


def past_recorded(result: PastRecorded, lang: str) -> str:
    day = _day(lang, result.days_ago, result.lines[0].day if result.lines else "")
    lines = "\n".join(f"• {_line(lang, line)}" for line in result.lines)
    return pick(lang, f"Записал за {day}:\n{lines}", f"Recorded for {day}:\n{lines}")


def past_unclear(result: PastUnclear, lang: str) -> str:
    day = _day(lang, result.days_ago)
    if result.why == "too_old":
        return pick(lang, "Исправить можно только приёмы последних 7 дней.", "Only the last 7 days can be put right.")
    if result.why == "which":
        times = ", ".join(result.choices)
        return pick(lang, f"Какой приём {day}: {times}? Напишите, например: «{day} в {result.choices[-1]} выпила».",
                    f"Which dose {day}: {times}? Say, for example: “took the {result.choices[-1]} one {day}”.")
    return pick(lang, f"{day.capitalize()} по расписанию не было такого приёма (или его время ещё не пришло).",
                f"There was no such dose {day} in the schedule (or its time has not come yet).")
