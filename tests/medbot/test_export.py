"""Exports: the JSON schedule contract, the CSV history, and an iCalendar file that is valid."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from medbot import tz
from medbot.export import CSV_COLUMNS, export_csv, export_ics, export_json, fold, posix_rule
from medbot.model import Slot
from tests.medbot.reminder_kit import MONTH_NOW, med, month_user, person

# --- JSON -------------------------------------------------------------------------------------


def test_json_is_exactly_the_documented_contract() -> None:
    user = month_user()
    assert export_json(user) == {
        "user_id": 42,
        "timezone": "Europe/Berlin",
        "medications": [
            {"name": "аспирин", "dosage": "200 мг", "times": ["08:00", "20:00"]},
            {"name": "витамин D", "dosage": None, "times": ["09:00"]},
            {"name": "омега", "dosage": None, "times": ["22:00"]},
        ],
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

    from medbot.export import export_csv, spreadsheet_safe
    from medbot.model import DoseRef, Intake, new_user

    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("-1 мг") == "'-1 мг" and spreadsheet_safe("аспирин") == "аспирин"
    user = replace(
        new_user(1, "en", "UTC"),
        history=(Intake(DoseRef("m1", "2026-11-26", "09:00"), "missed", None, "=cmd|' /C calc'!A0", "@SUM(1)"),),
    )
    row = export_csv(user).splitlines()[1]
    assert ",'=cmd" in row and ",'@SUM(1)" in row
