"""Second thoughts inside one message: "в 8... хотя нет, в 9", "аторис 20... не, 10 мг на ночь",
"утром, ой не, вечером", "at 8, no wait, 9". The value before the change of mind goes; the one
after it stays.

Only a marker that is itself a change of mind counts: "не," with its comma, "нет", "хотя нет",
"вернее", "no wait", "I mean". "аспирин в 9, не в 10" keeps both words: there "не" means "not".
"""

from __future__ import annotations

import re

_TIME = r"(?:(?:в|во|at|к)\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*(?:утра|вечера|дня|ночи|am|pm|a\.m\.|p\.m\.))?"
_DOSE = (r"(?:по\s+)?\d+(?:[.,]\d+)?\s*(?:мг|mg|мкг|mcg|ед|units?|таблет\w*|капсул\w*|капел\w*|капл\w*|"
         r"tablets?|capsules?|drops?|ml|мл)?")
_DAYPART = (r"(?:утром|вечером|дн[её]м|ночью|на ночь|перед сном|в обед|in the morning|in the evening|at night|"
            r"at bedtime|at noon)")
_VALUE = rf"(?:{_TIME}|{_DOSE}|{_DAYPART})"
_MARK = (r"\s*(?:\.{2,}|…|,|;|—|-)?\s*(?:(?:ой|ah|oh),?\s+)?"
         r"(?:не,|нет,?|хотя нет,?|ой нет,?|вернее,?|точнее,?|no wait,?|wait,? no,?|no,|i mean,?|or rather,?|sorry,)\s*")
_CHANGE_OF_MIND = re.compile(rf"(?<![\w.,]){_VALUE}{_MARK}(?={_VALUE}(?![\w]))", re.IGNORECASE)


def second_thoughts_settled(text: str) -> str:
    """The text with each value the person took back removed, the value they settled on kept."""
    return _CHANGE_OF_MIND.sub("", text)
