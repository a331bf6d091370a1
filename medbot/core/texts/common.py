"""Small formatting pieces every text of medbot shares, so a medication or a list of times looks
the same in a confirmation, the schedule and a reminder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from medbot.core.inflect import cap_first
from medbot.core.view import Button, Keyboard

__all__ = [
    "BULLET",
    "DASH",
    "bullets",
    "cap_first",
    "is_en",
    "joined",
    "med_label",
    "one_per_row",
    "pick",
    "times_text",
    "with_times",
    "zone_label",
]

BULLET = "•"
DASH = "—"


def is_en(lang: str) -> bool:
    """English only when asked for; Russian is the bot's first language."""
    return lang == "en"


def pick(lang: str, ru: str, en: str) -> str:
    return en if is_en(lang) else ru


def med_label(name: str, dosage: str | None) -> str:
    """"аспирин 200 мг", or just the name when there is no dosage."""
    return f"{name} {dosage}" if dosage else name


def times_text(times: Iterable[str]) -> str:
    """"10:00, 18:00" in time order."""
    return ", ".join(sorted(times))


def joined(items: Sequence[str], lang: str) -> str:
    """"a, b и c" / "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    last = pick(lang, "и", "and")
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def with_times(label: str, times: Iterable[str]) -> str:
    """"аспирин 200 мг — 10:00, 18:00"; the label alone when there are no times."""
    shown = times_text(times)
    return f"{label} {DASH} {shown}" if shown else label


def bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"{BULLET} {line}" for line in lines)


def zone_label(zone: str) -> str:
    """IANA names as they are; a fixed offset as "UTC+05:30"."""
    return f"UTC{zone}" if zone[:1] in "+-" else zone


def one_per_row(buttons: Iterable[Button]) -> Keyboard:
    """Big, separate buttons: easier to hit for people with unsteady hands."""
    return tuple((button,) for button in buttons)


def lang_for_code(code: str | None) -> str:
    """Which of our languages to answer someone in before we know them, from Telegram's
    language code: Russian for Russian and its neighbours' codes, English otherwise."""
    return "en" if code and not code.lower().startswith(("ru", "uk", "be", "kk")) else "ru"
