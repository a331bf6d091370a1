"""What a person reads about the family members whose schedules they keep."""

from __future__ import annotations

from collections.abc import Sequence

from medbot.core.model import ProfileRef
from medbot.core.texts.common import BULLET, pick
from medbot.core.texts.reminders import shorten
from medbot.core.view import Button, Reply


def ask_create(lang: str, name: str, yes: str, own: str) -> Reply:
    text = pick(
        lang,
        f"Вести отдельное расписание для «{name}»? Напоминания будут приходить сюда, с пометкой 👤 {name}.",
        f"Keep a separate schedule for “{name}”? Their reminders will come here, marked 👤 {name}.",
    )
    return Reply(text, ((Button(pick(lang, f"Да, для «{shorten(name, 20)}»", f"Yes, for {shorten(name, 20)}"), yes),),
                        (Button(pick(lang, "Нет, это моё", "No, it is mine"), own),)))


def profiles_list(lang: str, profiles: Sequence[ProfileRef], list_data: Sequence[str], stats_data: Sequence[str],
                  remove_data: Sequence[str]) -> Reply:
    if not profiles:
        return Reply(pick(
            lang,
            "Здесь можно вести расписание близких без Telegram. Напишите, например: "
            "«для мамы: эналаприл 5 мг в 8».",
            "You can keep the schedule of someone without Telegram here. Write, for example: "
            "“for mom: enalapril 5 mg at 8”.",
        ))
    names = "\n".join(f"{BULLET} {profile.name}" for profile in profiles)
    text = pick(lang, f"Расписания близких:\n{names}\n\nДобавить: «для мамы: аспирин в 9».",
                f"Family schedules:\n{names}\n\nTo add: “for mom: aspirin at 9”.")
    rows = tuple(
        (Button(f"📋 {shorten(profile.name, 16)}", shown), Button("📊", stats), Button("❌", removed))
        for profile, shown, stats, removed in zip(profiles, list_data, stats_data, remove_data, strict=True)
    )
    return Reply(text, rows)


def remove_confirm(lang: str, name: str, yes: str, no: str) -> Reply:
    return Reply(pick(lang, f"Удалить расписание «{name}» и всю его историю? Это нельзя отменить.",
                      f"Delete the schedule of “{name}” and all its history? This cannot be undone."),
                 ((Button(pick(lang, "Да, удалить", "Yes, delete"), yes), Button(pick(lang, "Нет", "No"), no)),))


def removed(lang: str) -> Reply:
    return Reply(pick(lang, "Расписание удалено.", "The schedule is deleted."))


def kept(lang: str) -> str:
    return pick(lang, "Хорошо, ничего не удалено.", "OK, nothing was deleted.")


def full(lang: str) -> Reply:
    return Reply(pick(lang, "Больше расписаний близких завести нельзя: удалите ненужное — /profiles.",
                      "No more family schedules can be added: remove one first — /profiles."))


def not_yours(lang: str) -> str:
    return pick(lang, "Это не ваше расписание.", "This is not your schedule.")
