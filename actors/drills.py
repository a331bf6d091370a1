"""Drill messages: how tests and operators make an actor crash or hang on purpose.

Every actor obeys them (the base actor asks here first), so a drill needs no code in the actor
it is aimed at.
"""

from __future__ import annotations

import threading
from typing import Any

from actors.messages import Crash, Hang


class InjectedCrash(RuntimeError):
    """Raised by an actor told `Crash`: how tests kill an actor from inside its handler."""


def obey(message: Any) -> bool:
    """Carry out a drill message; False when `message` is no drill. `Crash` raises."""
    if isinstance(message, Crash):
        raise InjectedCrash(message.reason)
    if isinstance(message, Hang):
        threading.Event().wait(message.seconds)
        return True
    return False
