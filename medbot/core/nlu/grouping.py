"""An add's pieces grouped per medication: which dosage, times and schedule phrases go with
which name, and a taper's steps read from the order they were written in."""

from __future__ import annotations

from medbot.core.nlu.dosage import unit_stem
from medbot.core.nlu.reading import Group


def grouped(events: list[tuple[str, object]], taper: bool = False) -> tuple[list[Group], bool]:
    """Medications with their own dosage, times and schedule phrases, in the order written.

    A dosage, time or schedule phrase goes with the medication before it, unless it stands
    after a separator and right before the next name ("аспирин в 8, в 9 ибупрофен"). A
    medication with no times shares those (and the schedule) of the one after it ("ибупрофен
    и цетиризин в 9"), and a dosage given with "по" is shared the same way. In a taper
    (`taper`: "потом", "then" among the phrases) one medication may have several dosages.
    """
    groups: list[Group] = []
    pending: list[tuple[str, object]] = []
    conflict = False
    lead = _when_leads(events)
    follows = _when_follows(events)
    for n, (kind, value) in enumerate(events):
        if kind == "name":
            if groups and not (lead or follows) and not any(
                    kind == "sep" for kind, _ in events[_after_last_name(events, n):n]):
                conflict = True  # two names with no "и" or comma between: not a list of medications
            group = Group(value)  # type: ignore[arg-type]
            groups.append(group)
            for item in pending:
                conflict |= _attach(group, *item, taper)
            group.times_first = bool(group.times)
            group.routine_first = bool(group.routine)
            group.rules_first = bool(group.rules) and not taper
            pending = []
            continue
        if kind == "sep":
            if groups:
                groups[-1].sequence.append((kind, value))
            continue
        back = n - 1
        while back > 0 and events[back][0] == "rule" and set(getattr(events[back][1], "facts", ())) == {"then"}:
            back -= 1  # "..., потом в 9 кардиомагнил": "then" between the comma and the time
        after_separator = n > 0 and events[back][0] == "sep"
        before_name = n + 1 < len(events) and events[n + 1][0] == "name" or (
            kind in _WHEN and _name_after_when(events, n))  # "..., а в пятницу утром фолиевую кислоту"
        strength = kind == "dose" and n > 0 and events[n - 1][0] == "name"
        continuing = after_separator and _listed_on(events, back, value)
        held = kind in _WHEN and bool(pending) and pending[-1] == events[n - 1] and events[n - 1][0] in _WHEN
        if not groups or (after_separator and before_name and not continuing) or (lead and not strength) or held:
            pending.append((kind, value))
        else:
            conflict |= _attach(groups[-1], kind, value, taper)
    if pending:
        if not groups:
            return [], True
        for item in pending:
            conflict |= _attach(groups[-1], *item, taper)
    _share(groups)
    return groups, conflict


_WHEN = frozenset({"rule", "routine", "time"})


def _name_after_when(events: list[tuple[str, object]], n: int) -> bool:
    """Only words of when (days, parts of the day, hours) between this one and the next name."""
    k = n + 1
    while k < len(events) and events[k][0] in _WHEN:
        k += 1
    return k > n + 1 and k < len(events) and events[k][0] == "name"


def _listed_on(events: list[tuple[str, object]], sep: int, value: object) -> bool:
    """"глюкофаж в 8 и 20 диабетон в 8": a bare hour after "и" goes on the list of times before
    it, not to the next name (which has a time of its own with "в")."""
    start, end = getattr(value, "start", 0), getattr(value, "end", 0)
    return (sep > 0 and events[sep - 1][0] == "time" and end - start == 1
            and getattr(events[sep][1], "low", "") in ("и", "and", "&"))


def _when_leads(events: list[tuple[str, object]]) -> bool:
    """"в восемь утра бисопролол в двенадцать тромбоасс в двадцать аторвастатин": each name
    comes after its own time, from the first word to the last, so each piece goes forward."""
    worded = all(getattr(value, "low", ",") in ("а", "и", "and") for kind, value in events if kind == "sep")
    if any(kind == "sep" for kind, _ in events) and not worded and not _nothing_after_names_but_doses(events):
        return False  # with commas or "и", the usual grouping reads it ("утром эутирокс в 6, а в 9 ...")
    kinds = [kind for kind, _ in events if kind != "sep"]  # "...в восемь конкор, а в девять вечера розувастатин"
    names = [n for n, kind in enumerate(kinds) if kind == "name"]
    return (len(names) >= 2 and kinds[0] in ("time", "routine") and kinds[-1] in ("name", "dose")
            and all(n > 0 and kinds[n - 1] in ("time", "routine", "dose") for n in names)
            and all(kinds[k] == "dose" and kinds[k - 1] == "name" for k in range(names[-1] + 1, len(kinds))))


def _nothing_after_names_but_doses(events: list[tuple[str, object]]) -> bool:
    """Each name is followed by nothing but its dosage up to a separator or the next name (so a
    time after a separator can only be the next name's)."""
    kinds = [kind for kind, _ in events]
    for n, kind in enumerate(kinds):
        if kind != "name":
            continue
        for after in kinds[n + 1:]:
            if after in ("sep", "name"):
                break
            if after != "dose":
                return False
    return True


def _when_follows(events: list[tuple[str, object]]) -> bool:
    """"лозартан в 8 амлодипин в 20 гипотиазид в 8", "омник на ночь простамол после ужина": each
    name has its own time after it and before the next name, so no comma is needed between them."""
    kinds = [kind for kind, _ in events if kind != "sep"]
    names = [n for n, kind in enumerate(kinds) if kind == "name"]
    if len(names) < 2 or kinds[0] != "name":
        return False
    bounds = [*names, len(kinds)]
    return all(any(kind in ("time", "routine") for kind in kinds[start + 1:end]) for start, end in zip(bounds, bounds[1:]))


def _after_last_name(events: list[tuple[str, object]], n: int) -> int:
    for k in range(n - 1, -1, -1):
        if events[k][0] == "name":
            return k + 1
    return 0


def _attach(group: Group, kind: str, value: object, taper: bool) -> bool:
    """Give a piece to a medication; True when it clashes with what the medication has."""
    if kind == "dose":
        group.sequence.append((kind, value))
        if group.dose is None:
            group.dose = value  # type: ignore[assignment]
            return False
        if not taper and getattr(value, "text", None) == getattr(group.dose, "text", None):
            return False  # "лозап полтаблетки в 9 и полтаблетки в 21": the same dose at each time
        if not taper and _one_unit(value) and _strength(group.dose):
            return False  # "бисопролол 5 мг, по 1 таблетке утром": the strength, taken one tablet at a time
        if not taper and _one_unit(group.dose) and _strength(value):
            group.dose = value  # type: ignore[assignment]  # "по 1 таблетке бисопролола 5 мг"
            return False
        return not taper
    if kind == "time":
        group.times.append(value)  # type: ignore[arg-type]
    elif kind == "routine":
        fresh = [slot for slot in value if slot not in group.routine]  # type: ignore[attr-defined]
        group.routine.extend(fresh)
        return False  # "before breakfast, on an empty stomach": the same part of the day said twice
    elif kind == "rule":
        group.rules.append(value)  # type: ignore[arg-type]
        group.sequence.append((kind, value))
    return False


_ONE_UNIT = frozenset({"1 таблетка", "1 капсула", "1 tablet", "1 capsule", "1 pill", "1 tab", "1 cap"})


def _one_unit(dose: object) -> bool:
    """One tablet or capsule: what a strength is taken as, so it says nothing more."""
    return getattr(dose, "text", None) in _ONE_UNIT


def _strength(dose: object) -> bool:
    """A strength ("5 мг", "10"), not a count of tablets, drops or puffs."""
    text = str(getattr(dose, "text", ""))
    unit = text.partition(" ")[2].lower()
    return not unit or unit.startswith(("мг", "mg", "мкг", "mcg", "µg", "г", "g", "ме", "iu", "ед", "units"))


def _joined_segments(segments: list[list[tuple[str, object]]]) -> list[list[tuple[str, object]]]:
    """A segment with a length but no dosage belongs to a neighbour that has a dosage and no
    length ("по 3 таблетки, 4 дня" split at the comma)."""
    joined: list[list[tuple[str, object]]] = []
    for segment in segments:
        has_dose = any(kind == "dose" for kind, _ in segment)
        if joined and not has_dose and not any(kind == "rule" for kind, _ in joined[-1]):
            joined[-1].extend(segment)
        else:
            joined.append(list(segment))
    return joined


def _without_strength(sequence: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """"Метипред 4 мг: по 2 т. 5 дней, далее по 1,5 т. ...": the tablet's strength, said before
    steps counted in tablets, is no step."""
    doses = [value for kind, value in sequence if kind == "dose"]
    units = [unit_stem(getattr(dose, "text", "")) for dose in doses]
    if len(doses) < 3 or units[0] == units[1] or len(set(units[1:])) != 1:
        return sequence
    first = next(n for n, (kind, _) in enumerate(sequence) if kind == "dose")
    if any(kind == "rule" for kind, _ in sequence[:first]):
        return sequence
    return sequence[:first] + sequence[first + 1:]


def steps_of(group: Group) -> tuple[list[tuple[str, int | None]], bool]:
    """A taper's steps (dosage, days) from the order written; (steps, clear).

    A step ends at "потом" / "then" or a comma, and also where a second dosage or a second
    length would join it ("первую неделю 4 таблетки вторую неделю 3"): each step holds one
    dosage and at most one length.
    """
    segments: list[list[tuple[str, object]]] = [[]]
    for kind, value in _without_strength(group.sequence):
        if kind == "sep" or (kind == "rule" and value.facts.get("then")):  # type: ignore[attr-defined]
            segments.append([])
            continue
        if kind == "rule" and (value.facts.get("marker") or set(value.facts) == {"daily"}):  # type: ignore[attr-defined]
            continue  # "снижаем:", "25mg daily for 2 weeks": no step of its own
        current = segments[-1]
        if (kind == "dose" and any(k == "dose" for k, _ in current)) or (
            kind == "rule" and any(k == "rule" for k, _ in current)
        ):
            segments.append([])
        segments[-1].append((kind, value))
    segments = _joined_segments([segment for segment in segments if segment])
    steps: list[tuple[str, int | None]] = []
    for segment in segments:
        doses = [value for kind, value in segment if kind == "dose"]
        lengths = [value.facts.get("step_len") or value.facts.get("days")  # type: ignore[attr-defined]
                   for kind, value in segment if kind == "rule"
                   and ("step_len" in value.facts or "days" in value.facts)]  # type: ignore[attr-defined]
        if len(doses) != 1 or len(lengths) > 1:
            return [], False
        steps.append((doses[0].text, lengths[0] if lengths else None))  # type: ignore[attr-defined]
    while len(steps) >= 2 and steps[-2][1] is None and steps[-1][1] is None and _amount(steps[-2][0]) == _amount(steps[-1][0]):
        steps.pop()  # "потом 8 мг — на 8 остаёмся": the last dose said again, one open-ended step
    return steps, len(steps) >= 2


def _amount(dosage: str) -> str:
    return dosage.split()[0].replace(",", ".") if dosage.split() else dosage


_CONTRAST = frozenset({"а", "but", "whereas"})


def _contrasted(group: Group) -> bool:
    """The medication after this one was set against it ("..., а ..."), not listed with it."""
    seps = [value for kind, value in group.sequence if kind == "sep"]
    return bool(seps) and getattr(seps[-1], "low", "") in _CONTRAST


def _share(groups: list[Group]) -> None:
    """Medications named together share times and a "по" dosage.

    Forwards first, from times or a part of the day written before the name ("утром конкор и
    лозап, вечером аторвастатин") or a "по" dosage ("по таблетке аспирина и ибупрофена"); then
    backwards: "ибупрофен и цетиризин в 9".
    """
    # Medications said with their own times ("зиртек в 21 и називин по 2 капли в 9 и 21") share no dosage.
    own = {id(group) for group in groups if group.times or group.routine}
    for previous, group in zip(groups, groups[1:]):
        if not group.times and not group.routine and (previous.times_first or previous.routine_first):
            group.times, group.times_first = list(previous.times), previous.times_first
            group.routine, group.routine_first = list(previous.routine), previous.routine_first
        if group.dose is None and previous.dose is not None and previous.dose.distributive and not (
                id(group) in own and id(previous) in own):
            group.dose = previous.dose
        if not group.rules and previous.rules_first and not _contrasted(group):
            group.rules, group.rules_first = list(previous.rules), True  # "через день: витамин д и цинк"
    for n in range(len(groups) - 2, -1, -1):
        group, following = groups[n], groups[n + 1]
        if _contrasted(group):
            continue  # "эналаприл 10, а вечером в 21 аторвастатин": "а" never shares
        if not group.times and not group.routine and (following.times or following.routine):
            group.times = list(following.times)
            group.routine = list(following.routine)  # "глицин и магний на ночь"
            if not group.rules:
                group.rules = list(following.rules)
        if group.dose is None and following.dose is not None and following.dose.distributive and not (
                id(group) in own and id(following) in own):
            group.dose = following.dose
