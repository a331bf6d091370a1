"""Fixed texts: help, unknown, welcome, and the short answers the actors give on their own.

Fixed on purpose: help and unknown never cost an LLM call, and an error text must never carry a
detail of the error (no stack traces, no ids).
"""

from __future__ import annotations

from medbot.core.texts.common import is_en, pick, zone_label
from medbot.core.view import Button, Reply

DELETE_ME_YES = "dm:yes"
DELETE_ME_NO = "dm:no"

_HELP_RU = """Я напоминаю о приёме лекарств. Пишите обычными словами, например:

• Добавить: «аспирин 200 мг в 10:00 и 18:00»
• Несколько сразу: «ибупрофен в 9 и витамин D в 21»
• Расписание: «что я принимаю?»
• Изменить время: «перенеси аспирин на 11:00»
• Изменить дозировку: «дозировка аспирина 100 мг»
• Удалить: «удали аспирин» или «удали аспирин в 18:00»
• Часовой пояс: «часовой пояс Новосибирск» или «UTC+7»
• Отметить приём: «выпил аспирин» или просто «выпил»
• Исправить прошлое: «вчера вечером тоже выпила», «я пропустил вчерашний конкор»
• Как я принимаю лекарства: /stats
• Отчёт для врача (PDF): /report
• Запас таблеток: «у меня 28 таблеток аспирина», «сколько осталось таблеток?»
• Помощник (близкий узнает, если вы пропустите приём): /caregiver
• Расписание близкого без Telegram: «для мамы: эналаприл 5 мг в 8»
• Удалить все мои данные: /delete_me

Когда придёт время, я пришлю напоминание с кнопками — нажмите «✓», когда примете."""

_HELP_EN = """I remind you to take your medications. Just write in plain words, for example:

• Add: “aspirin 200 mg at 10:00 and 18:00”
• Several at once: “ibuprofen at 9am and vitamin D at 9pm”
• Schedule: “what do I take?”
• Change a time: “move aspirin to 11:00”
• Change a dose: “aspirin dose 100 mg”
• Delete: “delete aspirin” or “delete aspirin at 18:00”
• Time zone: “time zone New York” or “UTC-5”
• Mark as taken: “took aspirin” or just “done”
• Put the past right: “I took my evening pill yesterday”, “took the morning one at 10, not 8”
• How I keep to my schedule: /stats
• A report for the doctor (PDF): /report
• Pills in hand: “I have 28 aspirin tablets”, “how many pills are left?”
• A caregiver (someone close hears if you miss a dose): /caregiver
• The schedule of someone without Telegram: “for mom: enalapril 5 mg at 8”
• Delete all my data: /delete_me

When it is time, I send a reminder with buttons: tap “✓” once you have taken it."""


def help_text(lang: str) -> Reply:
    return Reply(pick(lang, _HELP_RU, _HELP_EN))


_CANNOT = {
    "advice": ("Советовать, что и как принимать, я не могу — спросите, пожалуйста, врача или фармацевта. "
               "Я веду ваше расписание и напоминаю о приёме — примеры в /help.",
               "I can't give medical advice — please ask your doctor or pharmacist. I keep your schedule "
               "and remind you of each dose — see /help for examples."),
    "language": ("Я говорю только по-русски и по-английски. Сменить язык: /lang.",
                 "I speak only English and Russian. To switch: /lang."),
    "thanks": ("Пожалуйста! Я рядом и напомню о каждом приёме.", "You're welcome! I'll remind you of every dose."),
    "hello": ("Здравствуйте! Напишите, что и когда вы принимаете, например «аспирин 100 мг в 9:00», или спросите "
              "«что мне сегодня пить?». Все возможности: /help.",
              "Hello! Tell me what you take and when, for example “aspirin 100 mg at 9:00”, or ask “what do I "
              "take today?”. Everything I can do: /help."),
    "stock": ("Напишите, сколько у вас таблеток, например «у меня 28 таблеток аспирина» или «купила 2 упаковки по "
              "30 конкора», — я буду вычитать каждый приём и предупрежу, когда пора покупать. Остаток: «сколько "
              "осталось таблеток?».",
              "Tell me how many pills you have, for example “I have 28 aspirin tablets” or “bought 2 packs of 30 "
              "metformin”: I will count each dose off and warn you when it is time to buy more. To check: “how "
              "many pills are left?”."),
    "stock_which": ("Каких таблеток? Напишите с названием, например «у меня 28 таблеток аспирина».",
                    "Which medication? Say it with the name, for example “I have 28 aspirin tablets”."),
}


def unknown_text(lang: str, why: str | None = None) -> Reply:
    """What the bot cannot do, said plainly: a question for a doctor, a language it does not
    speak, the pills left in a pack; thanks and a greeting answered in kind; otherwise that it
    did not understand, with where to find examples."""
    if why in _CANNOT:
        return Reply(pick(lang, *_CANNOT[why]))
    return Reply(
        pick(
            lang,
            "Я не понял это сообщение. Я веду расписание лекарств — примеры есть в /help.",
            "Sorry, I didn't understand that. I keep your medication schedule — see /help "
            "for examples.",
        )
    )


def empty_schedule_text(lang: str) -> str:
    return pick(
        lang,
        "В вашем расписании пока нет лекарств. Чтобы добавить, напишите, например: "
        "«аспирин 200 мг в 10:00».",
        "Your schedule is empty. To add a medication, write for example: "
        "“aspirin 200 mg at 10:00”.",
    )


def welcome(lang: str, zone: str, local_now_hhmm: str) -> Reply:
    """The /start greeting: what the bot does, and the time zone it assumed."""
    shown = zone_label(zone)
    if is_en(lang):
        return Reply(
            "Hello! I will remind you to take your medications. Tell me what you take and "
            "when, e.g. “aspirin 200 mg at 10:00 and 18:00”.\n"
            f"I assumed your time zone is {shown} (it is {local_now_hhmm} there now). If that "
            "is wrong, write e.g. “time zone London” or “UTC+2”. More: /help"
        )
    return Reply(
        "Здравствуйте! Я буду напоминать вам о приёме лекарств. Напишите, что и когда вы "
        "принимаете, например: «аспирин 200 мг в 10:00 и 18:00».\n"
        f"Ваш часовой пояс — {shown} (сейчас там {local_now_hhmm}). Если это не так, "
        "напишите, например: «часовой пояс Новосибирск» или «UTC+7». Подробнее: /help"
    )


def non_text(lang: str) -> Reply:
    return Reply(
        pick(
            lang,
            "Я понимаю только текст. Напишите, пожалуйста, словами — например: "
            "«аспирин в 10:00». Подсказки: /help",
            "I can read only text messages. Please write in words, e.g. “aspirin at 10:00”. "
            "Tips: /help",
        )
    )


def rate_limited(lang: str) -> Reply:
    return Reply(
        pick(
            lang,
            "Слишком много сообщений подряд. Подождите, пожалуйста, минуту и напишите снова.",
            "Too many messages at once. Please wait a minute and try again.",
        )
    )


def internal_error(lang: str) -> Reply:
    return Reply(
        pick(
            lang,
            "Что-то пошло не так с этим сообщением. Ничего не изменилось — попробуйте, "
            "пожалуйста, ещё раз.",
            "Something went wrong with that message. Nothing was changed — please try again.",
        )
    )


def record_unreadable(lang: str) -> Reply:
    """The person's stored schedule could not be read (it was set aside, the admin alerted):
    say plainly that reminders may not come, instead of "try again"."""
    return Reply(
        pick(
            lang,
            "Не получается прочитать ваше сохранённое расписание. Администратор уже знает "
            "и восстановит его. Пока это не исправлено, напоминания могут не приходить — "
            "пожалуйста, следите за приёмом лекарств сами.",
            "I can't read your saved schedule right now. The administrator has been told and "
            "will restore it. Until then reminders may not come - please keep track of your "
            "doses yourself.",
        )
    )


def not_allowed_text(lang: str) -> Reply:
    return Reply(
        pick(
            lang,
            "Это частный бот: он работает только для своих пользователей.",
            "This bot is private: it works only for its own users.",
        )
    )


def rephrase(lang: str) -> Reply:
    """When the parser was unsure and no LLM could help: ask for plainer words."""
    return Reply(
        pick(
            lang,
            "Я не понял. Скажите, пожалуйста, иначе — например: «аспирин 200 мг в 10:00» или "
            "«перенеси аспирин на 11:00».",
            "I didn't understand that. Please rephrase, e.g. “aspirin 200 mg at 10:00” or "
            "“move aspirin to 11:00”.",
        )
    )


def delete_me_confirm(
    lang: str, yes_data: str = DELETE_ME_YES, no_data: str = DELETE_ME_NO
) -> Reply:
    return Reply(
        pick(
            lang,
            "Удалить все ваши данные — расписание и историю приёмов? Это нельзя отменить.",
            "Delete all your data — the schedule and the intake history? This cannot be undone.",
        ),
        (
            (
                Button(pick(lang, "Да, удалить всё", "Yes, delete everything"), yes_data),
                Button(pick(lang, "Нет, оставить", "No, keep it"), no_data),
            ),
        ),
    )


def delete_me_done(lang: str) -> Reply:
    return Reply(
        pick(
            lang,
            "Готово: все ваши данные удалены. Если захотите вернуться — просто напишите мне.",
            "Done: all your data is deleted. If you want to come back, just write to me.",
        )
    )


def delete_me_cancelled(lang: str) -> Reply:
    return Reply(pick(lang, "Хорошо, ничего не удалено.", "OK, nothing was deleted."))


def parked_text(lang: str) -> Reply:
    """While a person's data cannot be handled for a while (their actor kept failing)."""
    return Reply(
        pick(
            lang,
            "Извините, сейчас не получается обработать ваши сообщения. Ничего не изменилось; "
            "попробуйте, пожалуйста, через несколько минут.",
            "Sorry, I can't handle your messages right now. Nothing was changed; please try "
            "again in a few minutes.",
        )
    )


def save_failed(lang: str) -> Reply:
    return Reply(
        pick(
            lang,
            "Не получилось сохранить — ничего не изменилось. Попробуйте, пожалуйста, ещё раз "
            "через минуту.",
            "I couldn't save that, so nothing was changed. Please try again in a minute.",
        )
    )


def stale_button(lang: str) -> str:
    """The short answer to a press of a button whose question is gone (a callback toast)."""
    return pick(lang, "Этот вопрос уже неактуален.", "This question is no longer open.")
