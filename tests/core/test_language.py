"""Which language the bot writes in: the chosen one, and the one each message is written in."""

from __future__ import annotations

from medbot.core.apply import apply
from medbot.core.commands import SetLanguage
from medbot.core.language import CHOSEN_KEY, follow_writing, reply_language
from medbot.core.results import Clarify, LanguageSet
from tests.core.test_apply import local, user_with


def test_the_reply_follows_the_message_and_falls_back_to_the_chosen_language() -> None:
    user = user_with(lang="ru")
    assert reply_language(user, "en") == "en"
    assert reply_language(user, None) == "ru"


def test_one_message_in_another_language_does_not_switch_two_in_a_row_do() -> None:
    user = user_with(lang="ru")
    once = follow_writing(user, "en")
    assert once.lang == "ru"
    assert follow_writing(follow_writing(once, "ru"), "en").lang == "ru"  # the streak was broken
    assert follow_writing(once, "en").lang == "en"


def test_a_chosen_language_stays_whatever_the_person_writes() -> None:
    chosen = apply(user_with(lang="ru"), SetLanguage("en"), local("08:00"))
    assert chosen.user.lang == "en" and chosen.user.extra[CHOSEN_KEY] is True
    assert chosen.result == LanguageSet("en")
    user = chosen.user
    for _ in range(5):
        user = follow_writing(user, "ru")
    assert user.lang == "en"


def test_lang_without_a_language_asks_with_two_buttons() -> None:
    user = user_with(lang="ru")
    outcome = apply(user, SetLanguage(None), local("08:00"))
    assert outcome.user is user
    assert isinstance(outcome.result, Clarify)
    assert [option.command for option in outcome.result.options] == [SetLanguage("ru"), SetLanguage("en")]
