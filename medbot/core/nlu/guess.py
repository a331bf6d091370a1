"""The best reading of a message the parser is unsure of, for when no LLM can be asked: the
bot then proposes it as a one-tap question ("Добавить аспирин в 09:00? [Да] [Нет]") instead
of "I did not understand". Only readings that a small, explicit change of the text makes
clear are proposed; the person always confirms them.
"""

from __future__ import annotations

import re

from medbot.core.commands import Add
from medbot.core.nlu.parser import parse

_BARE_HOURS = re.compile(r"(?<=[^\W\d_]) ((?:[01]?\d|2[0-3])(?:(?:,? | и | and )(?:[01]?\d|2[0-3]))*)(?=\s*(?:$|[,.!?;]))")
"""Hours written after a name with nothing to say they are hours: "аспирин 9", "конкор 8 и 20"."""


def best_guess(text: str) -> Add | None:
    """An add the text most likely means, or None when there is no such reading."""
    if not isinstance(text, str):
        return None
    rewritten, count = _BARE_HOURS.subn(lambda match: f" в {match.group(1)}", text, count=1)
    if not count:
        return None
    result = parse(rewritten)
    if isinstance(result.command, Add) and not result.needs_llm:
        return result.command
    return None
