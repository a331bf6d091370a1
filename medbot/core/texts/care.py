"""What patients and their caregivers read about each other: invitations, alerts, views.

A caregiver's texts are in the caregiver's language, never the patient's. Names are the ones
Telegram gave (first names), shortened. A missing one reads as "your relative".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from medbot.core import tz
from medbot.core.care.buttons import CarePress, encode, grant_data, remove_data
from medbot.core.doses import answered, doses_on
from medbot.core.model import CaredFor, CaregiverLink, DoseRef, Intake, User
from medbot.core.regimen import dosage_on
from medbot.core.texts.common import BULLET, med_label, one_per_row, pick
from medbot.core.texts.reminders import shorten
from medbot.core.view import Button, Keyboard, Reply


def name_of(name: str, lang: str) -> str:
    return shorten(name, 40) if name.strip() else pick(lang, "Ваш близкий", "Your relative")


def _dose_label(user: User, dose: DoseRef) -> str:
    med = user.medication(dose.med_id)
    if med is None:
        return dose.med_id
    return med_label(shorten(med.name), dosage_on(med, dose.date))


def _when_label(lang: str, user: User, when: str, now: datetime | None = None) -> str:
    day, _, time = when.partition(" ")
    if now is not None and day == tz.local_date(user.tz, now).isoformat():
        return time
    shown = date.fromisoformat(day).strftime("%d.%m")
    return f"{shown} {time}" if lang != "en" else f"{time} on {shown}"


# --- alerts ---------------------------------------------------------------------------------------


def alert(lang: str, user: User, doses: Sequence[DoseRef], when: str, minutes: int, now: datetime) -> Reply:
    who = name_of(user.name, lang)
    lines = "\n".join(f"{BULLET} {_dose_label(user, dose)}" for dose in doses)
    shown = _when_label(lang, user, when, now)
    text = pick(
        lang,
        f"⚠️ {who} не отметил(а) приём в {shown} (прошло {minutes} мин):\n{lines}",
        f"⚠️ {who} has not marked the dose due at {shown} ({minutes} min ago):\n{lines}",
    )
    buttons = one_per_row([
        Button(pick(lang, "🔔 Напомнить ещё раз", "🔔 Remind again"), encode(CarePress(user.id, "remind", when))),
        Button(pick(lang, "📞 Я позвонил(а)", "📞 I called"), encode(CarePress(user.id, "called", when))),
    ])
    return Reply(text, buttons)


def outcome(lang: str, user: User, records: Sequence[Intake]) -> Reply:
    who = name_of(user.name, lang)
    lines = []
    for record in records:
        label = med_label(shorten(record.name), record.dosage)
        if record.status == "taken":
            at = tz.hhmm(tz.local_datetime(user.tz, tz.from_iso(record.at))) if record.at else ""
            lines.append(pick(lang, f"✅ {label} — принято в {at}", f"✅ {label} — taken at {at}"))
        else:
            lines.append(pick(lang, f"⏭ {label} — пропущено (отмечено)", f"⏭ {label} — skipped (marked)"))
    time = records[0].dose.time if records else ""
    head = pick(lang, f"{who}, приём в {time}:", f"{who}, the dose due at {time}:")
    return Reply(head + "\n" + "\n".join(lines))


def someone_called(lang: str, caller: str, user: User, when: str) -> Reply:
    return Reply(pick(
        lang,
        f"📞 {name_of(caller, lang)} уже позвонил(а) — {name_of(user.name, lang)}, приём в {_when_label(lang, user, when)}.",
        f"📞 {name_of(caller, lang)} has called {name_of(user.name, lang)} about the dose due at "
        f"{_when_label(lang, user, when)}.",
    ))


def called_answer(lang: str) -> str:
    return pick(lang, "Записал: вы позвонили. Остальных помощников предупредил.",
                "Noted: you called. The other caregivers know.")


def remind_answer(lang: str, status: str) -> str:
    return {
        "sent": pick(lang, "Напоминание отправлено ещё раз.", "The reminder was sent again."),
        "answered": pick(lang, "Уже отмечено — напоминать не нужно.", "Already marked — no reminder needed."),
        "closed": pick(lang, "Этот приём уже закрыт как пропущенный.", "That dose is already closed as missed."),
    }[status]


def no_access(lang: str) -> str:
    return pick(lang, "Нет доступа: вы не помощник этого человека.", "No access: you are not this person's caregiver.")


def caregiver_blocked(lang: str, name: str) -> Reply:
    return Reply(pick(
        lang,
        f"{name_of(name, lang)} заблокировал(а) бота: сообщения о пропущенных приёмах не доходят. "
        "Помощники: /caregiver",
        f"{name_of(name, lang)} has blocked the bot: missed-dose alerts do not reach them. Caregivers: /caregiver",
    ))


# --- invitations and links ------------------------------------------------------------------------


def invitation(lang: str, url: str, share: str, caregivers: Sequence[CaregiverLink],
               caring_for: Sequence[CaredFor], minutes: int) -> Reply:
    """The answer to /caregiver: a fresh one-time link, the current caregivers, the people one helps."""
    parts = [pick(
        lang,
        "Помощник — близкий человек, которому я напишу, если вы не отметите приём в течение "
        f"{minutes} мин. Он сможет смотреть ваше расписание, а менять — только если вы отдельно разрешите.\n\n"
        f"Отправьте ему эту ссылку (одноразовая, действует 24 часа):\n{url}",
        "A caregiver is someone close whom I message when a dose is not marked within "
        f"{minutes} min. They can see your schedule, and change it only if you allow that separately.\n\n"
        f"Send them this link (single use, valid for 24 hours):\n{url}",
    )]
    rows: list[tuple[Button, ...]] = [(Button(pick(lang, "📨 Переслать ссылку", "📨 Share the link"), "", url=share),)]
    if caregivers:
        names = "\n".join(f"{BULLET} {name_of(link.name, lang)}" + (pick(lang, " (заблокировал(а) бота)",
                                                                         " (blocked the bot)") if link.blocked else "")
                          for link in caregivers)
        parts.append(pick(lang, f"Ваши помощники:\n{names}", f"Your caregivers:\n{names}"))
        rows.extend((Button(pick(lang, f"Убрать: {name_of(link.name, lang)}", f"Remove {name_of(link.name, lang)}"),
                            remove_data(link.user_id)), _grant_button(lang, link)) for link in caregivers)
    if caring_for:
        parts.append(pick(lang, "Вы помогаете:", "You help:") + "\n" + "\n".join(
            f"{BULLET} {name_of(item.name, lang)}" for item in caring_for))
        rows.extend((*cared_buttons(lang, item),
                     Button(pick(lang, "🚪 Выйти", "🚪 Leave"), encode(CarePress(item.user_id, "leave"))))
                    for item in caring_for)
    return Reply("\n\n".join(parts), tuple(rows))


def share_text(lang: str) -> str:
    return pick(lang, "Стань моим помощником в боте-напоминалке о лекарствах",
                "Be my caregiver in the medication reminder bot")


def _grant_button(lang: str, link: CaregiverLink) -> Button:
    if link.can_manage:
        return Button(pick(lang, "🔒 Запретить менять", "🔒 No more changes"), grant_data(link.user_id, False))
    return Button(pick(lang, "✏️ Разрешить менять", "✏️ Allow changes"), grant_data(link.user_id, True))


def grant_told(lang: str, patient_name: str, allowed: bool) -> Reply:
    who = name_of(patient_name, lang)
    if allowed:
        return Reply(pick(lang, f"{who} разрешил(а) вам менять расписание. Пишите, например: «для мамы: конкор "
                                f"5 мг в 8» — {who} увидит каждое изменение.",
                          f"{who} allowed you to change their schedule. Write, for example: “for mom: concor 5 mg at "
                          f"8” — {who} sees every change."))
    return Reply(pick(lang, f"{who} больше не разрешает менять расписание: смотреть его вы по-прежнему можете.",
                      f"{who} no longer allows changes to their schedule; you can still see it."))


def grant_answer(lang: str, name: str, allowed: bool) -> Reply:
    who = name_of(name, lang)
    if allowed:
        return Reply(pick(lang, f"{who} теперь может менять ваше расписание. О каждом изменении я напишу вам.",
                          f"{who} can now change your schedule. I will tell you of every change."))
    return Reply(pick(lang, f"{who} больше не может менять ваше расписание.", f"{who} can no longer change your schedule."))


def manage_refused(lang: str, patient_name: str) -> Reply:
    who = name_of(patient_name, lang)
    return Reply(pick(lang, f"Менять расписание можно только с разрешения: попросите {who} нажать «✏️ Разрешить "
                            "менять» в /caregiver. Смотреть расписание можно и так.",
                      f"Changes need permission: ask {who} to tap “✏️ Allow changes” under /caregiver. "
                      "You can see the schedule anyway."))


def manage_unclear(lang: str, question: str = "") -> Reply:
    text = pick(lang, "Для чужого расписания мне нужна точная просьба — напишите иначе, например «для мамы: "
                      "конкор 5 мг в 8».", "For someone else's schedule I need an exact request — for example "
                                           "“for mom: concor 5 mg at 8”.")
    return Reply(f"{question}\n\n{text}" if question else text)


def changed_by(lang: str, name: str, said: str, reply: str) -> Reply:
    who = name_of(name, lang)
    return Reply(pick(lang, f"✏️ {who} изменил(а) ваше расписание: «{shorten(said, 200)}»\n\n{reply}\n\n"
                            "Вернуть как было: «отмени».",
                      f"✏️ {who} changed your schedule: “{shorten(said, 200)}”\n\n{reply}\n\nTo put it back: “undo”."))


def done_for(lang: str, patient_name: str, reply: str) -> Reply:
    return Reply(pick(lang, f"Расписание — {name_of(patient_name, lang)}:\n{reply}",
                      f"{name_of(patient_name, lang)}'s schedule:\n{reply}"))


def cared_buttons(lang: str, item: CaredFor) -> tuple[Button, ...]:
    who = name_of(item.name, lang)
    return (
        Button(pick(lang, f"📋 {who}: расписание", f"📋 {who}: schedule"), encode(CarePress(item.user_id, "schedule"))),
        Button(pick(lang, "📊 Сегодня", "📊 Today"), encode(CarePress(item.user_id, "today"))),
    )


def invite_question(lang: str, patient: User, secret: str) -> Reply:
    who = name_of(patient.name, lang)
    text = pick(
        lang,
        f"{who} приглашает вас стать помощником. Я буду писать вам, если {who} не отметит приём "
        "лекарства, и вы сможете смотреть расписание. Согласны?",
        f"{who} invites you to be their caregiver. I will message you when {who} does not mark a dose, "
        "and you will be able to see their schedule. Do you agree?",
    )
    return Reply(text, ((
        Button(pick(lang, "Да, согласен(на)", "Yes, I agree"), encode(CarePress(patient.id, "accept", secret))),
        Button(pick(lang, "Нет", "No"), encode(CarePress(patient.id, "decline", secret))),
    ),))


def invite_problem(lang: str, problem: str) -> Reply:
    texts = {
        "self": ("Это ваша собственная ссылка: отправьте её тому, кто будет помогать.",
                 "This is your own link: send it to the person who will help you."),
        "already": ("Вы уже помощник этого человека.", "You are already this person's caregiver."),
        "full": ("У этого человека уже максимум помощников.", "This person already has the most caregivers allowed."),
    }
    ru, en = texts.get(problem, (
        "Ссылка недействительна или устарела. Попросите прислать новую — команда /caregiver.",
        "This link is no longer valid. Ask for a new one — the /caregiver command.",
    ))
    return Reply(pick(lang, ru, en))


def accepted_caregiver(lang: str, patient: User) -> Reply:
    who = name_of(patient.name, lang)
    return Reply(pick(
        lang,
        f"Готово: вы помощник — {who}. Если приём не будет отмечен, я напишу вам. Список тех, кому вы "
        "помогаете: /caregiver",
        f"Done: you are {who}'s caregiver. If a dose is not marked, I will message you. Whom you help: /caregiver",
    ), (cared_buttons(lang, CaredFor(patient.id, patient.name)),))


def accepted_patient(lang: str, name: str) -> Reply:
    return Reply(pick(
        lang,
        f"{name_of(name, lang)} теперь ваш помощник: узнает о пропущенных приёмах и видит расписание. "
        "Убрать: /caregiver",
        f"{name_of(name, lang)} is now your caregiver: they hear of missed doses and can see your schedule. "
        "To remove: /caregiver",
    ))


def declined_caregiver(lang: str) -> Reply:
    return Reply(pick(lang, "Хорошо, приглашение отклонено.", "OK, the invitation is declined."))


def declined_patient(lang: str, name: str) -> Reply:
    return Reply(pick(lang, f"{name_of(name, lang)} отклонил(а) приглашение стать помощником.",
                      f"{name_of(name, lang)} declined the invitation to be your caregiver."))


def unlinked_patient(lang: str, name: str, by_caregiver: bool) -> Reply:
    who = name_of(name, lang)
    if by_caregiver:
        return Reply(pick(lang, f"{who} больше не ваш помощник (вышел(а) сам(а)).",
                          f"{who} is no longer your caregiver (they left)."))
    return Reply(pick(lang, f"{who} больше не ваш помощник.", f"{who} is no longer your caregiver."))


def unlinked_caregiver(lang: str, patient_name: str, by_caregiver: bool) -> Reply:
    who = name_of(patient_name, lang)
    if by_caregiver:
        return Reply(pick(lang, f"Вы больше не помощник — {who}.", f"You are no longer {who}'s caregiver."))
    return Reply(pick(lang, f"{who} убрал(а) вас из помощников.", f"{who} removed you as a caregiver."))


def caregiver_erased(lang: str, name: str) -> Reply:
    return Reply(pick(lang, f"{name_of(name, lang)} удалил(а) свои данные в боте и больше не ваш помощник.",
                      f"{name_of(name, lang)} deleted their data and is no longer your caregiver."))


def patient_erased(lang: str, patient_name: str) -> Reply:
    return Reply(pick(lang, f"{name_of(patient_name, lang)} удалил(а) свои данные: вы больше не помощник.",
                      f"{name_of(patient_name, lang)} deleted their data: you are no longer their caregiver."))


def minutes_set(lang: str, minutes: int, has_caregivers: bool) -> Reply:
    text = pick(lang, f"Хорошо: если приём не отмечен, помощникам напишу через {minutes} мин.",
                f"OK: if a dose is not marked, I will tell your caregivers after {minutes} min.")
    if not has_caregivers:
        text += pick(lang, " Помощников пока нет — пригласить: /caregiver", " You have no caregivers yet — invite: /caregiver")
    return Reply(text)


def whom(lang: str, caring_for: Sequence[CaredFor]) -> Reply:
    """A caregiver of several people asked about "mum": which one?"""
    return Reply(pick(lang, "Чьё расписание показать?", "Whose schedule?"),
                 tuple(cared_buttons(lang, item) for item in caring_for))


# --- what a caregiver sees ------------------------------------------------------------------------


def schedule_view(lang: str, patient: User, listed: str) -> Reply:
    """The patient's /list under a header naming them (its own "Your schedule:" line goes)."""
    who = name_of(patient.name, lang)
    first, _, rest = listed.partition("\n")
    body = rest if first.rstrip().endswith(":") and rest else listed
    return Reply(pick(lang, f"📋 Расписание — {who}:\n\n{body}", f"📋 {who}'s schedule:\n\n{body}"))


def today_view(lang: str, patient: User, now: datetime, adherence: str) -> Reply:
    who = name_of(patient.name, lang)
    today = tz.local_date(patient.tz, now)
    records = answered(patient)
    lines = [_today_line(lang, patient, dose, records.get(dose), now) for dose in doses_on(patient, today)]
    body = "\n".join(lines) if lines else pick(lang, "Сегодня приёмов по расписанию нет.", "No doses scheduled today.")
    head = pick(lang, f"📊 {who}, сегодня:", f"📊 {who}, today:")
    return Reply(f"{head}\n{body}\n\n{adherence}")


def _today_line(lang: str, user: User, dose: DoseRef, record: Intake | None, now: datetime) -> str:
    label = _dose_label(user, dose)
    if record is not None and record.status == "taken":
        at = tz.hhmm(tz.local_datetime(user.tz, tz.from_iso(record.at))) if record.at else ""
        return pick(lang, f"✅ {dose.time} {label} — принято {at}", f"✅ {dose.time} {label} — taken {at}")
    if record is not None and record.status == "skipped":
        return pick(lang, f"⏭ {dose.time} {label} — пропущено", f"⏭ {dose.time} {label} — skipped")
    if record is not None:
        return pick(lang, f"❌ {dose.time} {label} — не принято", f"❌ {dose.time} {label} — missed")
    due = tz.to_instant(user.tz, date.fromisoformat(dose.date), dose.time)
    if due <= now:
        return pick(lang, f"⏳ {dose.time} {label} — ждёт отметки", f"⏳ {dose.time} {label} — not marked yet")
    return pick(lang, f"🕒 {dose.time} {label} — впереди", f"🕒 {dose.time} {label} — later today")


def view_keyboard(lang: str, patient: User) -> Keyboard:
    return (cared_buttons(lang, CaredFor(patient.id, patient.name)),)
