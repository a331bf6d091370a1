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


def group_nothing(lang: str) -> Reply:
    return Reply(pick(
        lang,
        "Здесь я могу присылать напоминания близких, чьё расписание вы ведёте. Сначала напишите мне в личный "
        "чат, например «для мамы: эналаприл 5 мг в 8», потом — /family здесь.",
        "I can post reminders here for the family members whose schedules you keep. First write to me "
        "privately, for example “for mom: enalapril 5 mg at 8”, then /family here.",
    ))


def group_choice(lang: str, profiles: Sequence[ProfileRef], here: Sequence[bool], data: Sequence[str]) -> Reply:
    text = pick(lang, "Чьи напоминания присылать в этот чат? Отметить приём сможет любой участник.",
                "Whose reminders should come to this chat? Anyone here can mark a dose.")
    rows = tuple(
        (Button(pick(lang, f"↩️ {shorten(ref.name, 20)}: не присылать сюда", f"↩️ {shorten(ref.name, 20)}: not here")
                if there else pick(lang, f"📌 {shorten(ref.name, 20)}: присылать сюда", f"📌 {shorten(ref.name, 20)}: here"),
                item),)
        for ref, there, item in zip(profiles, here, data, strict=True)
    )
    return Reply(text, rows)


def group_lost(lang: str) -> Reply:
    return Reply(pick(lang, "Я больше не могу писать в семейный чат, поэтому напоминания снова приходят сюда.",
                      "I can no longer write to the family chat, so the reminders come here again."))


def owner_only(lang: str) -> str:
    return pick(lang, "Это может только тот, кто ведёт расписание.", "Only the person who keeps the schedule can do this.")


def home_moved(lang: str, to_group: bool) -> Reply:
    if to_group:
        return Reply(pick(lang, "Напоминания будут приходить сюда. Отметить приём может любой участник.",
                          "Reminders will come here. Anyone here can mark a dose."))
    return Reply(pick(lang, "Напоминания снова приходят в личный чат.", "Reminders come to the private chat again."))


def not_yours(lang: str) -> str:
    return pick(lang, "Это не ваше расписание.", "This is not your schedule.")
