"""One message's schedule facts assembled into one rule (`RegimenSpec`), or "does not fit":
a weekday with an interval, a course with a cycle, "every day on Mondays". Never a guess."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from medbot.core.commands import DateRef, RegimenSpec, StepSpec
from medbot.core.nlu.schedule_patterns import RuleHit


@dataclass
class RuleFacts:
    """Everything one message says about days, merged; `conflict` when it does not fit."""

    hits: list[RuleHit] = field(default_factory=list)

    def all(self, key: str) -> list[Any]:
        return [hit.facts[key] for hit in self.hits if key in hit.facts]

    def has(self, key: str) -> bool:
        return any(key in hit.facts for hit in self.hits)

    def first(self, key: str) -> Any:
        found = self.all(key)
        return found[0] if found else None



@dataclass(frozen=True)
class Assembled:
    spec: RegimenSpec | None
    """None: nothing was said about days (every day, the default)."""
    unsure: bool = False
    """The facts do not fit together: ask rather than guess."""
    explicit_daily: bool = False
    doubtful: bool = False
    """A best reading that the person should confirm ("в пятницу": every Friday, or this one?)."""


def assemble(facts: RuleFacts, remind: bool, dosage_steps: Sequence[tuple[str, int | None]] = ()) -> Assembled:
    """One `RegimenSpec` from the facts of a message (see the module docstring)."""
    if facts.has("unsure") or facts.has("pause") or facts.has("agenda") or facts.has("step_len"):
        return Assembled(None, unsure=True)
    weekdays = sorted({day for found in facts.all("weekdays") for day in found})
    plural = any(facts.all("plural"))
    intervals = facts.all("interval")
    hours = facts.all("hours")
    cycle = [hit.facts for hit in facts.hits if "on_days" in hit.facts]
    prn = facts.has("prn") or facts.has("max_per_day")
    monthly = any(facts.all("monthly"))
    weekly = facts.has("weekly")
    in_minutes = facts.first("in_minutes")
    day = facts.first("day")
    start = facts.first("start")
    until = facts.first("until")
    days = facts.first("days")
    if len(facts.all("days")) > 1 or len(facts.all("until")) > 1 or len(facts.all("start")) > 1 \
            or len(set(facts.all("day"))) > 1:  # "сегодня и завтра в 9": two days, never only the first
        return Assembled(None, unsure=True)
    kinds = [
        name
        for name, present in (
            ("weekdays", bool(weekdays) or weekly),
            ("every_n_days", bool(intervals)),
            ("monthly", monthly),
            ("every_n_hours", bool(hours)),
            ("cycle", bool(cycle)),
            ("as_needed", prn),
            ("once", in_minutes is not None),
        )
        if present
    ]
    if len(kinds) > 1 or len(intervals) > 1 or len(hours) > 1 or len(cycle) > 1:
        return Assembled(None, unsure=True)
    kind = kinds[0] if kinds else None
    if facts.has("not_daily") and kind is None:
        return Assembled(None, unsure=True)  # "больше не каждый день": then how often?
    extra: dict[str, Any] = {}
    if kind == "weekdays":
        per_week = facts.first("per_week")
        if facts.has("weekly") and per_week is None and len(weekdays) > 1:
            return Assembled(None, unsure=True)  # "once a week on Monday and Thursday"
        if per_week is not None and per_week > 1 and len(weekdays) != per_week:
            return Assembled(None, unsure=True)  # "twice a week" without (the right) days
        if weekdays and not plural and not weekly and (remind or facts.has("once_word")) and not (days or until):
            kind, start = "once", DateRef("weekday", weekdays[0])  # "в субботу напомни", "в пятницу один раз"
            if len(weekdays) > 1 or day is not None:
                return Assembled(None, unsure=True)
        else:
            extra["weekdays"] = tuple(weekdays)
    if kind == "every_n_days" and any(hit.facts.get("weeks") for hit in facts.hits) and weekdays:
        return Assembled(None, unsure=True)  # "every other Monday": not yet
    if kind == "every_n_days":
        extra["interval"] = intervals[0]
    if kind == "every_n_hours":
        extra["interval"] = hours[0]
    if kind == "monthly":
        month_days = facts.all("month_day")
        if len(set(month_days)) > 1:
            return Assembled(None, unsure=True)
        if month_days:
            extra["month_day"] = month_days[0]
    elif facts.has("month_day"):
        month_days = set(facts.all("month_day"))
        if kind is None and (remind or facts.has("once_word")) and len(month_days) == 1 and day is None:
            kind, start = "once", DateRef("date", month_days.pop())  # "напомни 25 числа в полдень"
        elif any(hit.facts.get("monthly") is False for hit in facts.hits if "month_day" in hit.facts):
            return Assembled(None, unsure=True)  # "on the 15th": of this month, or every month?
    if kind == "cycle":
        extra["on_days"], extra["off_days"] = cycle[0]["on_days"], cycle[0]["off_days"]
        if days is not None:
            return Assembled(None, unsure=True)
    if kind == "as_needed":
        if days or until or start or day or dosage_steps:
            return Assembled(None, unsure=True)
        extra["max_per_day"] = facts.first("max_per_day")
    if kind == "once" and in_minutes is not None:
        if day is not None or start is not None or days or until:
            return Assembled(None, unsure=True)
        extra["in_minutes"] = in_minutes
    if day is not None:
        if start is not None:
            return Assembled(None, unsure=True)
        if kind is None and not (days or until or dosage_steps):
            kind, start = "once", day  # "завтра в 9 напомни", "tomorrow at 7am take ...": that day
        else:
            start = day  # "с завтра" said without "с": the first day
    if kind != "once" and kind is not None and facts.has("pause"):
        return Assembled(None, unsure=True)
    steps = tuple(dosage_steps)
    if facts.has("then") and days and kind not in (None, "once", "as_needed") and not steps:
        return Assembled(None, unsure=True)  # "неделю, потом через день": every other day only after the first week
    if steps and kind in ("every_n_days", "cycle"):
        return Assembled(None, unsure=True)  # "20 мг неделю, потом 10 мг через день": every other day for which step?
    said_anything = kind is not None or days or until or start or steps or facts.has("course_word")
    explicit_daily = facts.has("daily")
    if not said_anything:
        return Assembled(None, explicit_daily=explicit_daily)
    if explicit_daily and kind not in (None, "every_n_hours", "cycle"):
        if not (kind == "weekdays" and facts.has("daily") and len(weekdays) == 6):
            return Assembled(None, unsure=True)  # "every day on Mondays"
    spec = RegimenSpec(
        kind=kind or "daily",  # type: ignore[arg-type]
        start=start,
        days=days,
        until=until,
        steps=tuple(StepSpec(dosage, length) for dosage, length in steps),
        course=facts.has("course_word") and not (days or until or steps) and kind in (None, "daily"),
        **{key: value for key, value in extra.items() if value is not None},
    )
    if spec.days and spec.until:
        return Assembled(None, unsure=True)
    one_weekday = spec.kind == "weekdays" and len(weekdays) == 1 and not weekly and not plural
    return Assembled(spec, explicit_daily=explicit_daily, doubtful=one_weekday)
