"""The rule a change replaces, said beside the new one: "вигантол теперь по воскресеньям, каждый
день больше не надо", "аджови теперь 25-го, а не 15-го", "every 12 hours instead of once a day".
The old rule is what stops; left in, it reads as a second rule and the change is asked about.
It is taken out of the text, so only the new rule is read, as a change."""

from __future__ import annotations

import re

from medbot.core.nlu.case_blind import case_blind
from medbot.core.nlu.schedule_vocab import WEEKDAY

_DAILY = r"(?:каждый день|ежедневно|(?:один |1 )?раз в день|every ?day|daily|once a day|once daily|each day)"
_OLD = (rf"(?:{_DAILY}|(?:два|2) раза в день|twice a day|по будням|по выходным|(?:по |в |во )?{WEEKDAY}"
        r"|\d{1,2}-?(?:го|е|ого)(?: числа)?|\d{1,2} числа"
        rf"|(?:on )?{WEEKDAY}s?|the \d{{1,2}}(?:st|nd|rd|th))")
_END = r"(?=$|[,.;!?])"
_AFTER = r"(?:^|\s*[,.;!—]\s*)"
_SAID_BESIDE = case_blind(
    rf"(?:,\s*(?:а |но )?|\s(?:а|но) )не {_OLD}{_END}"  # "теперь 25-го, а не 15-го"
    rf"|(?<![\w-])не {_OLD},? а (?=\S)"  # "теперь не 1-го, а 10-го"
    rf"|{_AFTER}{_DAILY},? (?:больше |уже )?(?:не (?:надо|нужно|пью|пь[её]м|пить|принимать|колем|колоть)"
    rf"|отменил\w*|отмен[её]н\w*){_END}"  # ". каждый день больше не надо", ", каждый день отменили"
    rf"|,?\s*(?:instead of|rather than) {_OLD}{_END}"  # "from now on instead of once a day"
    rf"|{_AFTER}no (?:more|longer) {_DAILY}{_END}|,? not {_DAILY} any ?more{_END}")
_JUST_ONCE = re.compile(r"\?|(?<![\w-])(?:this week|this time|just once|на этой неделе|в этот раз|один раз)(?![\w-])", re.IGNORECASE)
_HINT = re.compile(r"не |instead|rather|no more|no longer|отмен|any ?more", re.IGNORECASE)


def without_the_old_rule(text: str) -> str:
    """The text with "теперь" / "now" where the rule it replaces was (nothing else is touched):
    that a rule is replaced still says the message changes one."""
    if _HINT.search(text) is None or _JUST_ONCE.search(text) is not None:
        return text  # "Can I take it on Sunday this week instead of Wednesday?": a question about one week
    return " ".join(_SAID_BESIDE.sub(_now, text).split())


def _now(old: re.Match[str]) -> str:
    return " now " if old.group().isascii() else " теперь "
