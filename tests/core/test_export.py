"""Exports: the JSON schedule contract, the CSV history, and an iCalendar file that is valid."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rruleset, rrulestr

from medbot.core import tz
from medbot.core.export import (
    CSV_COLUMNS,
    agenda_line,
    agenda_rows,
    export_csv,
    export_ics,
    export_json,
    fold,
    posix_rule,
)
from medbot.core.model import DoseStep, Medication, Pause, Regimen, Slot
from medbot.core.regimen import occurs_on
from tests.core.reminder_kit import MONTH_NOW, local, med, month_user, person

# --- JSON -------------------------------------------------------------------------------------


def test_json_is_exactly_the_documented_contract() -> None:
    user = month_user()
    daily = {"kind": "daily", "until": None, "steps": [], "pauses": [], "rrule": ["FREQ=DAILY"]}

    def entry(name: str, dosage: str | None, times: list[str]) -> dict[str, object]:
        return {
            "name": name, "dosage": dosage, "times": times,
            "regimen": daily, "as_needed": False, "stock": None,
        }

    assert export_json(user) == {
        "user_id": 42,
        "timezone": "Europe/Berlin",
        "medications": [
            entry("аспирин", "200 мг", ["08:00", "20:00"]),
            entry("витамин D", None, ["09:00"]),
            entry("омега", None, ["22:00"]),
        ],
    }
    assert json.loads(json.dumps(export_json(user))) == export_json(user)


def with_regimen(regimen: Regimen, times: tuple[str, ...] = ("09:00",), **fields: object) -> Medication:
    return replace(med("m1", "аспирин", times, "100 мг", start="2025-06-03"), regimen=regimen, **fields)


@pytest.mark.parametrize(
    ("regimen", "times", "shape"),
    [
        (Regimen(), ("09:00",), {"kind": "daily", "rrule": ["FREQ=DAILY"]}),
        (
            Regimen("weekdays", weekdays=(3, 0, 3)),
            ("09:00",),
            {"kind": "weekdays", "weekdays": ["MO", "TH"], "rrule": ["FREQ=WEEKLY;BYDAY=MO,TH"]},
        ),
        (
            Regimen("every_n_days", interval=3),
            ("09:00",),
            {
                "kind": "every_n_days", "interval": 3, "anchor": "2025-06-03",
                "rrule": ["FREQ=DAILY;INTERVAL=3"],
            },
        ),
        (
            Regimen("every_n_days", interval=2, anchor="2025-06-10"),
            ("09:00",),
            {
                "kind": "every_n_days", "interval": 2, "anchor": "2025-06-10",
                "rrule": ["FREQ=DAILY;INTERVAL=2"],
            },
        ),
        (
            Regimen("monthly", month_day=15),
            ("09:00",),
            {"kind": "monthly", "month_day": 15, "rrule": ["FREQ=MONTHLY;BYMONTHDAY=15"]},
        ),
        (
            Regimen("monthly"),
            ("09:00",),
            {"kind": "monthly", "month_day": 3, "rrule": ["FREQ=MONTHLY;BYMONTHDAY=3"]},
        ),
        (
            Regimen("monthly", month_day=31),
            ("09:00",),
            {
                "kind": "monthly", "month_day": 31,
                "rrule": ["FREQ=MONTHLY;BYSETPOS=-1;BYMONTHDAY=28,29,30,31"],
            },
        ),
        (
            Regimen("every_n_hours", interval=8),
            ("06:00", "14:00", "22:00"),
            {"kind": "every_n_hours", "interval": 8, "rrule": ["FREQ=DAILY"]},
        ),
        (
            Regimen("cycle", on_days=3, off_days=4, anchor="2025-06-01"),
            ("09:00",),
            {
                "kind": "cycle", "on_days": 3, "off_days": 4, "anchor": "2025-06-01",
                "rrule": ["FREQ=DAILY;INTERVAL=7"] * 3,
            },
        ),
        (
            Regimen("once", anchor="2025-06-05"),
            ("09:00",),
            {"kind": "once", "anchor": "2025-06-05", "rrule": ["FREQ=DAILY;COUNT=1"]},
        ),
        (Regimen("as_needed", max_per_day=3), (), {"kind": "as_needed", "max_per_day": 3, "rrule": []}),
        (Regimen("as_needed"), (), {"kind": "as_needed", "max_per_day": None, "rrule": []}),
    ],
)
def test_json_regimen_has_the_fields_of_its_kind(
    regimen: Regimen, times: tuple[str, ...], shape: dict[str, object]
) -> None:
    [entry] = export_json(person("Europe/Berlin", with_regimen(regimen, times)))["medications"]
    assert entry["regimen"] == {**shape, "until": None, "steps": [], "pauses": []}
    assert list(entry["regimen"])[0] == "kind"
    assert entry["as_needed"] is (regimen.kind == "as_needed")
    assert entry["stock"] is None and entry["times"] == list(times)


def test_json_regimen_carries_the_course_end_steps_and_pauses() -> None:
    course = with_regimen(
        Regimen("weekdays", weekdays=(3,)),
        until="2025-08-31",
        steps=(DoseStep("2025-07-01", "50 мг"), DoseStep("2025-08-01", "25 мг")),
        pauses=(Pause("2025-06-12", "2025-06-19"),),
    )
    [entry] = export_json(person("Europe/Berlin", course))["medications"]
    assert entry["dosage"] == "100 мг"
    assert entry["regimen"] == {
        "kind": "weekdays",
        "weekdays": ["TH"],
        "until": "2025-08-31",
        "steps": [{"from": "2025-07-01", "dosage": "50 мг"}, {"from": "2025-08-01", "dosage": "25 мг"}],
        "pauses": [{"from": "2025-06-12", "to": "2025-06-19"}],
        "rrule": ["FREQ=WEEKLY;BYDAY=TH;UNTIL=20250831T235959"],
    }


# --- CSV --------------------------------------------------------------------------------------


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_holds_every_ended_dose_of_the_month_in_order() -> None:
    text = export_csv(month_user())
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = csv_rows(text)
    assert len(rows) == 30 * 3 + 11 + 12
    keys = [(row["date"], row["time"]) for row in rows]
    assert keys == sorted(keys)
    assert rows[0] == {
        "date": "2025-05-20",
        "time": "08:00",
        "medication": "аспирин",
        "dosage": "200 мг",
        "status": "missed",
        "confirmed_at_local": "",
        "confirmed_at_utc": "",
    }
    first_of_june = [row for row in rows if row["date"] == "2025-06-01"]
    assert first_of_june[0] == {
        "date": "2025-06-01",
        "time": "08:00",
        "medication": "аспирин",
        "dosage": "200 мг",
        "status": "taken",
        "confirmed_at_local": "2025-06-01T08:10:00+02:00",
        "confirmed_at_utc": "2025-06-01T06:10:00+00:00",
    }
    counts = Counter((row["medication"], row["status"]) for row in rows)
    assert counts == {
        ("аспирин", "taken"): 53,
        ("аспирин", "skipped"): 4,
        ("аспирин", "missed"): 3 + 12,
        ("витамин D", "taken"): 24,
        ("витамин D", "missed"): 6,
        ("магний", "taken"): 11,
    }


def test_csv_of_a_history_passed_in_is_that_history_in_the_same_format() -> None:
    """`medbot export` passes the archive and the record merged; the format does not change."""
    user = month_user()
    older, recent = user.history[:40], user.history[40:]
    whole = export_csv(replace(user, history=recent), (*recent, *older))
    assert whole == export_csv(user)
    assert len(csv_rows(export_csv(replace(user, history=recent)))) == len(recent)


def test_csv_quotes_what_needs_quoting() -> None:
    user = month_user()
    odd = replace(user.history[0], name='капли "для глаз", 2%', dosage="1;2")
    rows = csv_rows(export_csv(replace(user, history=(odd,))))
    assert (rows[0]["medication"], rows[0]["dosage"]) == ('капли "для глаз", 2%', "1;2")


# --- iCalendar --------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def components(lines: list[str], kind: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == f"BEGIN:{kind}":
            current = {}
        elif line == f"END:{kind}":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None and not line.startswith(("BEGIN:", "END:")):
            name, _, value = line.partition(":")
            current.setdefault(name, value)
    return found


def check_rfc5545_shape(text: str) -> list[str]:
    """CRLF everywhere, physical lines of at most 75 octets, balanced components."""
    physical = text.split("\r\n")
    assert physical[-1] == ""
    assert all("\n" not in line and "\r" not in line for line in physical)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    lines = unfold(text)
    stack: list[str] = []
    for line in lines:
        assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    return lines


def test_ics_is_valid_and_has_one_daily_event_per_medication_and_time() -> None:
    user = month_user()
    lines = check_rfc5545_shape(export_ics(user, MONTH_NOW))
    events = components(lines, "VEVENT")
    assert [e["SUMMARY"] for e in events] == [
        "аспирин 200 мг",
        "аспирин 200 мг",
        "витамин D",
        "омега",
    ]
    assert [e["DTSTART;TZID=Europe/Berlin"] for e in events] == [
        "20250101T080000",
        "20250101T200000",
        "20250101T090000",
        "20250630T220000",
    ]
    for event in events:
        assert event["RRULE"] == "FREQ=DAILY"
        assert event["DTSTAMP"] == "20250630T190000Z"
        assert event["DURATION"] == "PT15M"
    assert [e["UID"] for e in events] == [
        "medbot-42-m1-0800@medbot",
        "medbot-42-m1-2000@medbot",
        "medbot-42-m2-0900@medbot",
        "medbot-42-m4-2200@medbot",
    ]
    [zone] = components(lines, "VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"


def test_ics_uids_are_stable_across_exports() -> None:
    user = month_user()
    first = components(unfold(export_ics(user, MONTH_NOW)), "VEVENT")
    later = components(unfold(export_ics(user, MONTH_NOW + timedelta(days=3))), "VEVENT")
    assert [e["UID"] for e in first] == [e["UID"] for e in later]
    assert first[0]["DTSTAMP"] != later[0]["DTSTAMP"]


def test_ics_escapes_text_and_folds_long_lines_without_breaking_characters() -> None:
    name = "капли, для глаз; " + "очень длинное название " * 6
    user = person("Europe/Berlin", med("m1", name, ("08:00",), "2 капли\\день"))
    text = export_ics(user, MONTH_NOW)
    check_rfc5545_shape(text)
    for piece in text.split("\r\n"):
        piece.encode("utf-8").decode("utf-8")
    [event] = components(unfold(text), "VEVENT")
    escaped = name.replace(",", "\\,").replace(";", "\\;")
    assert event["SUMMARY"] == f"{escaped} 2 капли\\\\день"


def test_fold_splits_at_75_octets_and_unfolds_back() -> None:
    line = "SUMMARY:" + "ж" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces[0].encode()) <= 75 and all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold("SHORT:line") == "SHORT:line"


def test_a_fixed_offset_zone_is_written_in_utc() -> None:
    user = person("+05:30", med("m1", "аспирин", ("08:00",), start="2025-06-01"))
    lines = check_rfc5545_shape(export_ics(user, MONTH_NOW))
    [event] = components(lines, "VEVENT")
    assert event["DTSTART"] == "20250601T023000Z"
    assert components(lines, "VTIMEZONE") == []
    assert not any("TZID" in line for line in lines)


def test_a_zone_whose_rule_is_not_expressible_keeps_its_iana_name() -> None:
    user = person("Africa/Cairo", med("m1", "аспирин", ("08:00",), start="2025-06-01"))
    lines = check_rfc5545_shape(export_ics(user, MONTH_NOW))
    assert components(lines, "VTIMEZONE") == []
    assert components(lines, "VEVENT")[0]["DTSTART;TZID=Africa/Cairo"] == "20250601T080000"


def test_a_zone_without_dst_has_a_single_standard_observance() -> None:
    user = person("Asia/Tokyo", med("m1", "аспирин", ("08:00",), start="2025-06-01"))
    lines = check_rfc5545_shape(export_ics(user, MONTH_NOW))
    [standard] = components(lines, "STANDARD")
    offsets = (standard["TZOFFSETFROM"], standard["TZOFFSETTO"], standard["TZNAME"])
    assert offsets == ("+0900", "+0900", "JST")
    assert components(lines, "DAYLIGHT") == []


def test_almost_every_zone_gets_a_vtimezone() -> None:
    names = sorted(tz.iana_names())
    missing = [name for name in names if posix_rule(name) is None]
    assert set(missing) <= {"Africa/Cairo", "Egypt", "localtime", "Factory"}, missing


# A tiny, independent reading of the VTIMEZONE RRULEs we write, checked against zoneinfo.

_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def rule_dates(rrule: str, year: int) -> list[date]:
    parts = dict(part.split("=") for part in rrule.split(";"))
    month = int(parts["BYMONTH"])
    whole_month = [date(year, month, 1) + timedelta(days=i) for i in range(31)]
    whole_month = [d for d in whole_month if d.month == month]
    days = whole_month
    match = re.fullmatch(r"(-?\d)?([A-Z]{2})", parts["BYDAY"])
    assert match is not None
    nth, weekday = match.groups()
    days = [d for d in days if _DAYS[d.weekday()] == weekday]
    if "BYMONTHDAY" in parts:
        wanted = [int(x) for x in parts["BYMONTHDAY"].split(",")]
        length = len(whole_month)
        return [d for d in days if d.day in wanted or d.day - length - 1 in wanted]
    return [days[int(nth)] if int(nth) < 0 else days[int(nth) - 1]]


def offset_seconds(text: str) -> int:
    sign = -1 if text[0] == "-" else 1
    return sign * (int(text[1:3]) * 3600 + int(text[3:5]) * 60 + int(text[5:7] or 0))


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Berlin",
        "America/New_York",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Asia/Jerusalem",
        "America/Nuuk",
        "Asia/Gaza",
        "Pacific/Auckland",
        "America/Havana",
    ],
)
def test_vtimezone_transitions_match_the_zone_database(zone: str) -> None:
    user = person(zone, med("m1", "аспирин", ("08:00",), start="2025-06-01"))
    lines = check_rfc5545_shape(export_ics(user, MONTH_NOW))
    observances = components(lines, "DAYLIGHT") + components(lines, "STANDARD")
    assert len(observances) == 2
    zone_info = tz.zone(zone)
    for observance in observances:
        before = offset_seconds(observance["TZOFFSETFROM"])
        after = offset_seconds(observance["TZOFFSETTO"])
        onset = datetime.strptime(observance["DTSTART"], "%Y%m%dT%H%M%S")
        assert rule_dates(observance["RRULE"], 1970) == [onset.date()]
        for year in range(2026, 2031):
            [day] = rule_dates(observance["RRULE"], year)
            wall = datetime.combine(day, onset.time())
            instant = (wall - timedelta(seconds=before)).replace(tzinfo=tz.UTC)
            just_before = (instant - timedelta(seconds=1)).astimezone(zone_info).utcoffset()
            just_after = instant.astimezone(zone_info).utcoffset()
            expected = (timedelta(seconds=before), timedelta(seconds=after))
            assert (just_before, just_after) == expected, (zone, year, observance)


def test_each_slot_start_is_its_own_dtstart() -> None:
    aspirin = replace(
        med("m1", "аспирин", ()), slots=(Slot("10:00", "2025-06-02"), Slot("18:00", "2025-06-01"))
    )
    lines = unfold(export_ics(person("Europe/Berlin", aspirin), MONTH_NOW))
    assert [e["DTSTART;TZID=Europe/Berlin"] for e in components(lines, "VEVENT")] == [
        "20250602T100000",
        "20250601T180000",
    ]


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    from dataclasses import replace

    from medbot.core.export import export_csv, spreadsheet_safe
    from medbot.core.model import DoseRef, Intake, new_user

    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("-1 мг") == "'-1 мг" and spreadsheet_safe("аспирин") == "аспирин"
    user = replace(
        new_user(1, "en", "UTC"),
        history=(Intake(DoseRef("m1", "2026-11-26", "09:00"), "missed", None, "=cmd|' /C calc'!A0", "@SUM(1)"),),
    )
    row = export_csv(user).splitlines()[1]
    assert ",'=cmd" in row and ",'@SUM(1)" in row


# --- iCalendar regimens: RRULE, UNTIL, EXDATE read back with dateutil -------------------------


def vevents(text: str) -> list[dict[str, tuple[str, str]]]:
    """Each VEVENT as {name: (parameters, value)}, parameters being what follows a ";"."""
    events: list[dict[str, tuple[str, str]]] = []
    current: dict[str, tuple[str, str]] | None = None
    for line in check_rfc5545_shape(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            head, _, value = line.partition(":")
            name, _, params = head.partition(";")
            assert name not in current, f"{name} twice in one event"
            current[name] = (params, value)
    return events


LAST_DAY = date(2025, 12, 31)


def ics_instant(params: str, value: str) -> datetime:
    if value.endswith("Z"):
        assert params == ""
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=tz.UTC)
    assert params.startswith("TZID=")
    name = params[5:]
    fixed = re.fullmatch(r"UTC([+-])(\d\d)(\d\d)", name)
    if fixed:  # the VTIMEZONE of a fixed offset (checked to be there by `vevents_with_zones`)
        sign = -1 if fixed[1] == "-" else 1
        zone: tzinfo = timezone(sign * timedelta(hours=int(fixed[2]), minutes=int(fixed[3])))
    else:
        zone = ZoneInfo(name)
    return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)


def event_doses(event: dict[str, tuple[str, str]], zone: str) -> set[tuple[date, str]]:
    """The local (date, time) of every instance of an event, as a calendar would expand it."""
    start = ics_instant(*event["DTSTART"])
    rule = rrulestr(event["RRULE"][1], dtstart=start)
    instances = rruleset()
    instances.rrule(rule)
    if "EXDATE" in event:
        params, values = event["EXDATE"]
        for value in values.split(","):
            instances.exdate(ics_instant(params, value))
    horizon = datetime(2026, 1, 3, tzinfo=tz.UTC)
    found = list(instances.between(start - timedelta(seconds=1), horizon, inc=True))
    assert found and found[0] == start, "DTSTART must be the first instance"
    local = [instant.astimezone(tz.zone(zone)) for instant in found]
    return {
        (moment.date(), f"{moment.hour:02d}:{moment.minute:02d}")
        for moment in local
        if moment.date() <= LAST_DAY
    }


def expected_doses(medication: Medication) -> set[tuple[date, str]]:
    first = date(2025, 5, 1)
    days = [first + timedelta(days=offset) for offset in range((LAST_DAY - first).days + 1)]
    return {
        (day, slot.time)
        for day in days
        if occurs_on(medication, day)
        for slot in medication.slots
        if slot.start <= day.isoformat()
    }


REGIMENS = [
    Regimen(),
    Regimen("weekdays", weekdays=(1, 4)),
    Regimen("weekdays", weekdays=(6,)),
    Regimen("every_n_days", interval=3),
    Regimen("every_n_days", interval=2, anchor="2025-06-12"),
    Regimen("monthly", month_day=31),
    Regimen("monthly", month_day=15),
    Regimen("monthly", month_day=-1),
    Regimen("monthly"),
    Regimen("every_n_hours", interval=8),
    Regimen("cycle", on_days=21, off_days=7, anchor="2025-06-01"),
    Regimen("cycle", on_days=3, off_days=4),
    Regimen("once", anchor="2025-06-05"),
    Regimen("once", anchor="2025-07-30"),
]
COURSES = {
    "open-ended": {},
    "course with pauses": {
        "until": "2025-09-14",
        "pauses": (Pause("2025-06-20", "2025-07-05"), Pause("2025-07-30", "2025-07-30")),
    },
    "course ending on a DST change": {"until": "2025-10-26", "pauses": (Pause("2025-06-01", "2025-06-15"),)},
}


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "-08:00", "+05:30", "Africa/Cairo"])
@pytest.mark.parametrize("course", list(COURSES))
@pytest.mark.parametrize("regimen", REGIMENS, ids=lambda regimen: regimen.kind)
def test_ics_events_expand_to_exactly_the_doses_the_bot_reminds_of(
    regimen: Regimen, course: str, zone: str
) -> None:
    medication = replace(
        med("m1", "аспирин", (), "100 мг"),
        slots=(Slot("09:00", "2025-06-03"), Slot("23:30", "2025-06-10"), Slot("02:30", "2025-06-04")),
        regimen=regimen,
        **COURSES[course],
    )
    text = export_ics(person(zone, medication), MONTH_NOW)
    events = vevents(text)
    assert len({event["UID"] for event in events}) == len(events)
    defined = {c["TZID"] for c in components(unfold(text), "VTIMEZONE")}
    for event in events:
        for params, _ in (event["DTSTART"], event.get("EXDATE", ("", ""))):
            assert params == "" or params[5:] in defined or zone == "Africa/Cairo"
    expanded: list[tuple[date, str]] = []
    for event in events:
        expanded.extend(event_doses(event, zone))
    assert len(expanded) == len(set(expanded)), "two events for one dose"
    expected = expected_doses(medication)
    assert set(expanded) == expected
    assert expected or regimen.kind == "once"  # a one-off on a paused day has no dose at all


def test_ics_until_is_the_last_second_of_the_course_in_utc() -> None:
    def rrules(zone: str, until: str) -> list[str]:
        course = replace(med("m1", "аспирин", ("08:00",), start="2025-06-01"), until=until)
        return [event["RRULE"][1] for event in vevents(export_ics(person(zone, course), MONTH_NOW))]

    assert rrules("Europe/Berlin", "2025-08-31") == ["FREQ=DAILY;UNTIL=20250831T215959Z"]
    assert rrules("Europe/Berlin", "2025-12-31") == ["FREQ=DAILY;UNTIL=20251231T225959Z"]
    assert rrules("Europe/Moscow", "2025-09-14") == ["FREQ=DAILY;UNTIL=20250914T205959Z"]
    assert rrules("America/New_York", "2025-09-14") == ["FREQ=DAILY;UNTIL=20250915T035959Z"]
    assert rrules("+05:30", "2025-09-14") == ["FREQ=DAILY;UNTIL=20250914T182959Z"]


def test_a_fixed_offset_zone_writes_in_utc_unless_a_day_of_the_month_moves() -> None:
    late = med("m1", "аспирин", ("23:30",), start="2025-06-01")
    thursdays = replace(late, regimen=Regimen("weekdays", weekdays=(3, 6)))
    text = export_ics(person("-08:00", thursdays), MONTH_NOW)
    [event] = vevents(text)
    assert event["DTSTART"] == ("", "20250602T073000Z")  # Sunday 23:30 local is Monday in UTC
    assert event["RRULE"][1] == "FREQ=WEEKLY;BYDAY=MO,FR"
    assert components(unfold(text), "VTIMEZONE") == []
    fifteenth = replace(late, regimen=Regimen("monthly", month_day=15))
    text = export_ics(person("-08:00", fifteenth, med("m2", "омега", ("08:00",))), MONTH_NOW)
    [zone] = components(unfold(text), "VTIMEZONE")
    assert zone == {"TZID": "UTC-0800", "TZOFFSETFROM": "-0800", "TZOFFSETTO": "-0800", "DTSTART": "19700101T000000"}
    monthly, daily = vevents(text)
    assert monthly["DTSTART"] == ("TZID=UTC-0800", "20250615T233000")
    assert daily["DTSTART"] == ("", "20250101T160000Z")
    morning = replace(fifteenth, slots=(Slot("08:00", "2025-06-01"),))
    [event] = vevents(export_ics(person("-08:00", morning), MONTH_NOW))
    assert event["DTSTART"] == ("", "20250615T160000Z")


def test_ics_pause_days_are_exdates_at_the_dose_time() -> None:
    paused = replace(
        med("m1", "аспирин", ("09:00", "21:00"), start="2025-06-03"),
        regimen=Regimen("every_n_days", interval=2),
        pauses=(Pause("2025-06-08", "2025-06-12"),),
    )
    events = vevents(export_ics(person("Europe/Berlin", paused), MONTH_NOW))
    assert [(e["DTSTART"], e["RRULE"][1], e["EXDATE"]) for e in events] == [
        (
            ("TZID=Europe/Berlin", "20250603T090000"),
            "FREQ=DAILY;INTERVAL=2",
            ("TZID=Europe/Berlin", "20250609T090000,20250611T090000"),
        ),
        (
            ("TZID=Europe/Berlin", "20250603T210000"),
            "FREQ=DAILY;INTERVAL=2",
            ("TZID=Europe/Berlin", "20250609T210000,20250611T210000"),
        ),
    ]
    fixed = vevents(export_ics(person("+05:30", paused), MONTH_NOW))
    assert fixed[0]["EXDATE"] == ("", "20250609T033000Z,20250611T033000Z")


def test_ics_dtstart_is_the_first_real_dose_of_each_time() -> None:
    thursdays = replace(
        med("m1", "аспирин", (), "100 мг"),
        slots=(Slot("09:00", "2025-06-03"), Slot("20:00", "2025-06-05")),
        regimen=Regimen("weekdays", weekdays=(3,)),
        pauses=(Pause("2025-06-05", "2025-06-05"),),
    )
    events = vevents(export_ics(person("Europe/Berlin", thursdays), MONTH_NOW))
    assert [(e["DTSTART"][1], e["RRULE"][1]) for e in events] == [
        ("20250612T090000", "FREQ=WEEKLY;BYDAY=TH"),
        ("20250612T200000", "FREQ=WEEKLY;BYDAY=TH"),
    ]
    assert all("EXDATE" not in event for event in events)


def test_ics_cycle_is_one_event_per_day_of_the_on_part() -> None:
    pill = replace(
        med("m1", "ярина", ("21:00",), start="2025-06-01"),
        regimen=Regimen("cycle", on_days=3, off_days=4, anchor="2025-06-01"),
    )
    events = vevents(export_ics(person("Europe/Berlin", pill), MONTH_NOW))
    assert [(e["UID"][1], e["DTSTART"][1], e["RRULE"][1]) for e in events] == [
        ("medbot-42-m1-2100-r1@medbot", "20250601T210000", "FREQ=DAILY;INTERVAL=7"),
        ("medbot-42-m1-2100-r2@medbot", "20250602T210000", "FREQ=DAILY;INTERVAL=7"),
        ("medbot-42-m1-2100-r3@medbot", "20250603T210000", "FREQ=DAILY;INTERVAL=7"),
    ]


def test_ics_has_no_event_for_as_needed_or_a_finished_one_off() -> None:
    as_needed = replace(med("m1", "нурофен", ()), regimen=Regimen("as_needed", max_per_day=3))
    late_slot = replace(
        med("m2", "прививка", ("10:00",), start="2025-06-10"),
        regimen=Regimen("once", anchor="2025-06-05"),
    )
    daily = med("m3", "аспирин", ("08:00",), start="2025-06-01")
    events = vevents(export_ics(person("Europe/Berlin", as_needed, late_slot, daily), MONTH_NOW))
    assert [event["SUMMARY"][1] for event in events] == ["аспирин"]
    once = replace(late_slot, slots=(Slot("10:00", "2025-06-01"),))
    [event] = vevents(export_ics(person("Europe/Berlin", once), MONTH_NOW))
    assert event["DTSTART"][1] == "20250605T100000" and event["RRULE"][1] == "FREQ=DAILY;COUNT=1"


def test_agenda_rows_start_at_the_current_local_minute() -> None:
    aspirin = replace(
        med("m1", "аспирин", ("08:00", "20:00"), "200 мг", start="2025-06-01"),
        steps=(DoseStep("2025-06-02", "100 мг"),),
    )
    vitamin = med("m2", "витамин D", ("09:00",), start="2025-06-01")
    user = person("Europe/Berlin", aspirin, vitamin)
    now = local("Europe/Berlin", "2025-06-01 09:00:59")
    rows = agenda_rows(user, now, 2)
    assert [agenda_line(row) for row in rows] == [
        "2025-06-01 09:00 витамин D",
        "2025-06-01 20:00 аспирин 200 мг",
        "2025-06-02 08:00 аспирин 100 мг",
        "2025-06-02 09:00 витамин D",
        "2025-06-02 20:00 аспирин 100 мг",
    ]
    assert rows[0] == {"date": "2025-06-01", "time": "09:00", "name": "витамин D", "dosage": None}
    assert agenda_rows(user, now + timedelta(seconds=1), 1)[0]["time"] == "20:00"
