"""The /stats answer: adherence per medication for 7 and 30 days and a 14-day strip (ru / en)."""

from __future__ import annotations

from datetime import datetime, timedelta

from medbot.core.model import Lang, User
from medbot.core.stats import STRIP_DAYS, Adherence, Mark, MedicationStats, medication_stats
from medbot.core.texts.common import med_label
from medbot.core.texts.rules import times_text_count
from medbot.core.view import Reply

STRIP_MARKS: dict[Mark, str] = {"taken": "✅", "skipped": "⏭", "missed": "❌", "none": "➖"}

_TEXTS: dict[Lang, dict[str, str]] = {
    "ru": {
        "title": "Как вы принимаете лекарства",
        "empty": "Пока нечего считать: добавьте лекарство, и после первых приёмов здесь появится "
        "статистика.",
        "window": "{days} дней: {figures}",
        "as_needed": "по необходимости: {days} дней — {taken}",
        "figures": "{percent}% ({taken} из {total})",
        "no_data": "пока нет данных",
        "on_time": "вовремя",
        "late": "в среднем на {delay} позже",
        "early": "в среднем на {delay} раньше",
        "hours": "{hours} ч",
        "minutes": "{minutes} мин",
        "strip": "{days} дней: {marks}",
        "legend": "✅ принято · ⏭ пропущено · ❌ не отмечено · ➖ приёма не было",
    },
    "en": {
        "title": "How you take your medications",
        "empty": "Nothing to count yet: add a medication and the figures appear after the first "
        "doses.",
        "window": "{days} days: {figures}",
        "as_needed": "as needed: {days} days — taken {taken}",
        "figures": "{percent}% ({taken} of {total})",
        "no_data": "no data yet",
        "on_time": "on time",
        "late": "on average {delay} late",
        "early": "on average {delay} early",
        "hours": "{hours} h",
        "minutes": "{minutes} min",
        "strip": "{days} days: {marks}",
        "legend": "✅ taken · ⏭ skipped · ❌ missed · ➖ no dose",
    },
}


def render_stats(user: User, now: datetime) -> Reply:
    texts = _TEXTS[user.lang]
    stats = medication_stats(user, now)
    if not stats:
        return Reply(texts["empty"])
    blocks = [texts["title"]]
    blocks.extend(_block(user.lang, item) for item in stats)
    blocks.append(texts["legend"])
    return Reply("\n\n".join(blocks))


def _block(lang: Lang, item: MedicationStats) -> str:
    texts = _TEXTS[lang]
    lines = [f"💊 {med_label(item.name, item.dosage)}"]
    if item.as_needed:  # nothing was due: how often, not how well
        lines.extend(texts["as_needed"].format(days=days, taken=times_text_count(figures.taken, lang))
                     for days, figures in item.windows)
    else:
        lines.extend(
            texts["window"].format(days=days, figures=_figures(lang, figures))
            for days, figures in item.windows
        )
    marks = "".join(STRIP_MARKS[mark] for mark in item.strip)
    lines.append(texts["strip"].format(days=STRIP_DAYS, marks=marks))
    return "\n".join(lines)


def _figures(lang: Lang, figures: Adherence) -> str:
    texts = _TEXTS[lang]
    if figures.share is None:
        return texts["no_data"]
    text = texts["figures"].format(
        percent=round(figures.share * 100), taken=figures.taken, total=figures.total
    )
    if figures.mean_delay is None:
        return text
    return f"{text}, {delay_text(lang, figures.mean_delay)}"


def delay_text(lang: Lang, delay: timedelta) -> str:
    """"вовремя" within a minute, else "в среднем на 1 ч 5 мин позже" / "... раньше"."""
    texts = _TEXTS[lang]
    minutes = round(abs(delay.total_seconds()) / 60)
    if minutes < 1:
        return texts["on_time"]
    hours, minutes = divmod(minutes, 60)
    parts = [texts["hours"].format(hours=hours)] if hours else []
    if minutes or not hours:
        parts.append(texts["minutes"].format(minutes=minutes))
    return texts["late" if delay > timedelta(0) else "early"].format(delay=" ".join(parts))
