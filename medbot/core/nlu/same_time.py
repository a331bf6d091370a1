""""..., и розувастатин 10 мг туда же", "and the statin at the same time": a time said by pointing
back at the one clock time the message already gave. Written out as that time, so a medication
said this way is never left without its time (or given another one)."""

from __future__ import annotations

import re

_SAME_TIME = re.compile(
    r"(?<![\w-])(?:туда же|тогда же|в то же (?:самое )?время|в это же время|at the same time|same time)(?![\w-])",
    re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\w:.])([01]?\d|2[0-3]):([0-5]\d)(?![\w:.])")


def same_time_spelled(text: str) -> str:
    """The phrase replaced by "в HH:MM" / "at HH:MM" when exactly one clock time comes before it."""
    found = _SAME_TIME.search(text)
    if found is None:
        return text
    before = {f"{int(hour):02d}:{minute}" for hour, minute in _CLOCK.findall(text, 0, found.start())}
    if len(before) != 1 or _SAME_TIME.search(text, found.end()) is not None:
        return text  # two times before it, or pointed back at twice: which one is meant is asked
    word = "at" if found.group().lower().startswith(("at", "same")) else "в"
    return f"{text[:found.start()]}{word} {before.pop()}{text[found.end():]}"
