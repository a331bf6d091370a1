"""The offline parser: text in Russian or English → a medbot command, without any network.

`parse(text)` reads a message; `med_name(raw)` gives any medication name its display form and
matching key (the apply rules and the LLM path use it too, so every case form of a name meets
the same key).
"""

from medbot.core.nlu.names import med_name
from medbot.core.nlu.parser import parse

__all__ = ["med_name", "parse"]
