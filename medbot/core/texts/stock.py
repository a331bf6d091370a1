"""What a person reads about the pills in hand: counts, days left, refill warnings."""

from __future__ import annotations

from medbot.core.results import StockLine, StockReport, StockSet
from medbot.core.stock import RefillWarning
from medbot.core.texts.common import BULLET, med_label, pick
from medbot.core.view import Reply


def amount(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",") if value != int(value) else str(int(value))


def _days(lang: str, days: int) -> str:
    if lang == "en":
        return f"{days} day" if days == 1 else f"{days} days"
    last, tens = days % 10, days % 100
    word = "день" if last == 1 and tens != 11 else "дня" if 2 <= last <= 4 and not 12 <= tens <= 14 else "дней"
    return f"{days} {word}"


def _line(lang: str, line: StockLine) -> str:
    label = med_label(line.name, line.dosage)
    count = amount(line.stock)
    if line.days is None:
        return pick(lang, f"{label}: {count} шт.", f"{label}: {count} left")
    return pick(lang, f"{label}: {count} шт. — хватит на {_days(lang, line.days)}",
                f"{label}: {count} left — enough for {_days(lang, line.days)}")


def stock_set(result: StockSet, lang: str) -> str:
    head = (pick(lang, f"Записал: +{amount(result.added)}.", f"Noted: +{amount(result.added)}.")
            if result.added is not None else pick(lang, "Записал.", "Noted."))
    tail = pick(lang, " Каждый приём вычту сам и предупрежу, когда пора покупать.",
                " I will count each dose off and warn you when it is time to buy more.")
    return f"{head}\n{_line(lang, result.line)}\n{tail.strip()}"


def stock_report(result: StockReport, lang: str) -> str:
    if not result.lines:
        return pick(lang, "Я пока не знаю, сколько у вас таблеток. Напишите, например: «у меня 28 таблеток аспирина».",
                    "I don't know how many pills you have yet. Tell me, for example: “I have 28 aspirin tablets”.")
    lines = "\n".join(f"{BULLET} {_line(lang, line)}" for line in result.lines)
    return pick(lang, f"Осталось:\n{lines}", f"Left:\n{lines}")


def refill(lang: str, warning: RefillWarning) -> Reply:
    label = med_label(warning.name, warning.dosage)
    days = _days(lang, warning.days)
    if warning.days <= 0:
        return Reply(pick(lang, f"💊 {label}: таблетки заканчиваются ({amount(warning.stock)} шт.) — купите сегодня.",
                          f"💊 {label}: running out ({amount(warning.stock)} left) — buy more today."))
    return Reply(pick(lang, f"💊 Пора купить {label}: осталось {amount(warning.stock)} шт., хватит на {days}.",
                      f"💊 Time to buy {label}: {amount(warning.stock)} left, enough for {days}."))
