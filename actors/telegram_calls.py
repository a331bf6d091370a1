"""One Bot API request, made on a pool thread: the call, its retries, and what came of it."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import telebot

from actors.messages import AnswerCallback, DeleteMessage, EditMessage, Outgoing, SendMessage, SendReport
from actors.send_scheduler import Request
from medbot.core.texts.report import report_text
from medbot.shell.chart_image import render_png
from medbot.shell.logs import event
from medbot.shell.pdf_report import render as render_report
from medbot.shell.retries import RetryPolicy, call_with_retries
from medbot.shell.telegram_api import classify_error, describe, keyboard_markup

log = logging.getLogger("actors.telegram")


@dataclass(frozen=True)
class Outcome:
    """What one job did: the message id (sendMessage), or the last error; and how many tries."""

    message_id: int | None
    error: BaseException | None
    attempts: int


def perform(bot: telebot.TeleBot, request: Request, policy: RetryPolicy,
            closing: threading.Event) -> Outcome:
    """Send one request. A message or document that may already have arrived is not resent: a
    duplicate reminder would stay on screen with live buttons that no later repeat removes."""
    message = request.message

    def worth_retrying(error: BaseException) -> bool:
        kind = classify_error(error)
        return kind.retryable and not (kind.maybe_delivered and isinstance(message, SendMessage | SendReport))

    def on_retry(attempt: int, error: BaseException, pause: float) -> None:
        event(log, logging.DEBUG, "telegram_retry", method=request.method, user=request.chat_id,
              attempt=attempt, error=describe(error))

    result, error, attempts = call_with_retries(
        lambda: _call(bot, message), worth_retrying, policy, closing, on_retry
    )
    return Outcome(result, error, attempts)


def _call(bot: telebot.TeleBot, message: Outgoing) -> int | None:
    match message:
        case SendMessage(chat_id=chat_id, text=text, buttons=buttons):
            sent = bot.send_message(chat_id, text, reply_markup=keyboard_markup(buttons))
            return int(sent.message_id)
        case EditMessage(chat_id=chat_id, message_id=message_id, text=text, buttons=buttons):
            bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                  reply_markup=keyboard_markup(buttons))
            return message_id
        case DeleteMessage(chat_id=chat_id, message_id=message_id):
            bot.delete_message(chat_id, message_id)
            return None
        case SendReport(chat_id=chat_id, report=report, as_chart=True):
            sent = bot.send_photo(chat_id, render_png(report), caption=report_text(report).chart_caption)
            return int(sent.message_id)
        case SendReport(chat_id=chat_id, report=report):
            filename, content = render_report(report)
            sent = bot.send_document(chat_id, content, caption=report_text(report).caption, visible_file_name=filename)
            return int(sent.message_id)
        case AnswerCallback(callback_id=callback_id, text=text):
            bot.answer_callback_query(callback_id, text=text or None)
            return None
    raise TypeError(f"not a Telegram request: {type(message).__name__}")
