"""Regimens end to end: conversations typed into `medbot chat --json`, the stored schedule read
back with `medbot export --format json` and `medbot agenda --json`. Public commands only:
`medbot chat` as a subprocess, offline (no token, no LLM key in the environment); `export` and
`agenda` (read-only readers of the same directory) through the same `medbot.cli.main`, in this
process, which keeps the file within its time budget.

Messages are written the way people type them (lower case, no punctuation, numbers as words
now and then). The bot runs on the wall clock, so nothing here depends on the time of day:
an expectation that does (does today's 09:00 dose still count?) is computed from the person's
local time when the test started and again when it ended, and the test is skipped in the rare
case the two differ (a dose time or midnight passed while it ran).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest

ZONE = "Europe/Moscow"
USER = 7
T = TypeVar("T")

RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
RU_WEEKDAYS_SHORT = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
EN_WEEKDAYS_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


# ---------------------------------------------------------------- running medbot


def medbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`medbot ARGS` in a fresh process, offline: no token, no LLM key, no MEDBOT_ settings."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("MEDBOT_", "GROQ_"))}
    return subprocess.run(
        [sys.executable, "-m", "medbot.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=clean,
    )


def medbot_here(*args: str) -> tuple[int, str, str]:
    """`medbot ARGS` (a read-only command) through `medbot.cli.main`: exit code, stdout, stderr."""
    from medbot.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[dict[str, str]]

    @property
    def labels(self) -> list[str]:
        return [button["text"] for button in self.buttons]

    def data_of(self, label: str) -> str:
        found = [button["data"] for button in self.buttons if button["text"] == label]
        assert len(found) == 1, f"no single button {label!r} under {self.text!r}: {self.labels}"
        return found[0]


def _is_noise(record: dict[str, Any]) -> bool:
    """The welcome, a reminder (its buttons are reminder buttons, never "c:") or an edit."""
    text = record["text"]
    if text.startswith(("Здравствуйте!", "Hello!")) or record.get("edited"):
        return True
    return any(not button["data"].startswith("c:") for button in record["buttons"])


class Person:
    """One person talking to the bot through `medbot chat`, and what the bot stored for them."""

    def __init__(self, root: Path, lang: str = "ru") -> None:
        self.data = root / "data"
        self.lang = lang
        self._exported: dict[str, Any] | None = None

    def say(self, *lines: str) -> list[Reply]:
        """Run one chat session; the bot's answer to each line, in order (one per line)."""
        done = medbot(
            "chat", "--json", "--data-dir", str(self.data), "--user", str(USER), "--tz", ZONE,
            "--lang", self.lang, stdin="".join(line + "\n" for line in lines),
        )
        self._exported = None
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        answers = [Reply(r["text"], r["buttons"]) for r in records if not _is_noise(r)]
        assert len(answers) == len(lines), f"{lines} -> {[a.text for a in answers]}"
        return answers

    def press(self, question: Reply, label: str) -> Reply:
        """Press the button with this label under `question` (in a new session)."""
        [answer] = self.say(f"/press {question.data_of(label)}")
        return answer

    def export(self) -> dict[str, Any]:
        """`medbot export --format json` (run once per state: a chat session forgets it)."""
        if self._exported is None:
            code, out, err = medbot_here("export", "--data-dir", str(self.data), "--user", str(USER), "--format", "json")
            assert code == 0, err
            self._exported = json.loads(out)
        return self._exported

    def meds(self) -> list[dict[str, Any]]:
        medications: list[dict[str, Any]] = self.export()["medications"]
        return medications

    def med(self, name: str) -> dict[str, Any]:
        meds = self.meds()
        found = [med for med in meds if med["name"] == name]
        assert len(found) == 1, f"expected one {name!r} in {meds}"
        return found[0]

    def agenda(self, days: int = 7) -> list[dict[str, Any]]:
        code, out, err = medbot_here("agenda", "--data-dir", str(self.data), "--user", str(USER), "--days", str(days), "--json")
        assert code == 0, err
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def history(self) -> list[dict[str, str]]:
        code, out, err = medbot_here("export", "--data-dir", str(self.data), "--user", str(USER), "--format", "csv")
        assert code == 0, err
        return list(csv.DictReader(io.StringIO(out)))


# ---------------------------------------------------------------- the clock


def local_now() -> datetime:
    return datetime.now(ZoneInfo(ZONE))


class Clock:
    """The person's local time when the test started; `expect` recomputes at the end."""

    def __init__(self) -> None:
        self.start = local_now()

    def expect(self, compute: Callable[[datetime], T]) -> T:
        first, last = compute(self.start), compute(local_now())
        if first != last:
            pytest.skip("the local clock passed a time this test depends on while it ran")
        return first


@pytest.fixture
def clock() -> Clock:
    return Clock()


def minute_of(now: datetime) -> str:
    return now.strftime("%H:%M")


def first_day(now: datetime, time: str) -> date:
    """The first day of a rule said now with this dose time: today if the time is still ahead."""
    return now.date() if time > minute_of(now) else now.date() + timedelta(days=1)


def dose_dates(now: datetime, days: int, time: str, on: Callable[[date], bool]) -> list[str]:
    """The dates of an agenda of `days` days (from today) that have a dose at `time`."""
    today = now.date()
    found = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        if on(day) and (day != today or time > minute_of(now)):
            found.append(day.isoformat())
    return found


def ru_date(day: date) -> str:
    return f"{day.day} {RU_MONTHS[day.month - 1]}"


def en_date(day: date) -> str:
    return f"{EN_MONTHS[day.month - 1]} {day.day}"


def dates_of(rows: Iterable[dict[str, Any]], name: str) -> list[str]:
    return [row["date"] for row in rows if row["name"] == name]


# ---------------------------------------------------------------- each kind of rule


def test_weekdays_methotrexate_on_thursdays(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    added, listed = person.say("метотрексат 10 мг по четвергам в 9", "/list")
    assert added.text.startswith("Добавлено: метотрексат 10 мг"), added.text
    assert "по четвергам в 09:00" in added.text
    assert "Метотрексат 10 мг — по четвергам в 09:00" in listed.text

    [med] = person.meds()
    assert (med["name"], med["dosage"], med["times"]) == ("метотрексат", "10 мг", ["09:00"])
    assert med["regimen"]["kind"] == "weekdays"
    assert med["regimen"]["weekdays"] == ["TH"]
    assert med["regimen"]["rrule"] == ["FREQ=WEEKLY;BYDAY=TH"]

    rows = person.agenda()
    assert {row["name"] for row in rows} <= {"метотрексат"}
    assert all(date.fromisoformat(row["date"]).weekday() == THU for row in rows), rows
    expected = clock.expect(lambda now: dose_dates(now, 7, "09:00", lambda day: day.weekday() == THU))
    # exactly one Thursday in seven days (none only on a Thursday after 09:00: it is next week)
    assert len(expected) == 1 or (clock.start.weekday() == THU and expected == [])
    assert dates_of(rows, "метотрексат") == expected
    assert all(row["time"] == "09:00" and row["dosage"] == "10 мг" for row in rows)


def test_every_other_day_omeprazole(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [added] = person.say("омепразол через день в 8")
    assert "через день в 08:00" in added.text, added.text

    regimen = person.med("омепразол")["regimen"]
    anchor = clock.expect(lambda now: first_day(now, "08:00"))
    assert (regimen["kind"], regimen["interval"]) == ("every_n_days", 2)
    assert regimen["anchor"] == anchor.isoformat()
    # every other day from the anchor (today or tomorrow): four doses in eight days either way
    expected = [(anchor + timedelta(days=k)).isoformat() for k in range(0, 8, 2)]
    assert dates_of(person.agenda(days=8), "омепразол") == expected


def test_every_third_day_magnesium_in_english(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path, "en")
    added, listed = person.say("every third day magnesium at 9pm", "what do i take")
    assert "every 3 days at 21:00" in added.text, added.text
    assert "every 3 days at 21:00" in listed.text, listed.text

    med = person.med("magnesium")
    anchor = clock.expect(lambda now: first_day(now, "21:00"))
    assert (med["times"], med["regimen"]["kind"], med["regimen"]["interval"]) == (["21:00"], "every_n_days", 3)
    assert med["regimen"]["anchor"] == anchor.isoformat()
    rows = person.agenda(days=10)
    today = clock.start.date()
    expected = [
        (anchor + timedelta(days=k)).isoformat() for k in range(0, 10, 3)
        if anchor + timedelta(days=k) <= today + timedelta(days=9)
    ]
    assert dates_of(rows, "magnesium") == expected


def test_monthly_vitamin_d_on_the_first(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [added] = person.say("витамин д 1-го числа каждого месяца в 10")
    assert "1-го числа каждого месяца в 10:00" in added.text, added.text

    [med] = person.meds()
    assert med["regimen"]["kind"] == "monthly"
    assert med["regimen"]["month_day"] == 1
    assert med["times"] == ["10:00"]
    rows = person.agenda(days=31)
    assert dates_of(rows, med["name"]) == clock.expect(
        lambda now: dose_dates(now, 31, "10:00", lambda day: day.day == 1)
    )


def test_every_six_hours_from_six_is_four_times_a_day(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [added] = person.say("парацетамол каждые 6 часов с 6 утра")
    assert "каждые 6 часов" in added.text, added.text
    for time in ("00:00", "06:00", "12:00", "18:00"):
        assert time in added.text

    med = person.med("парацетамол")
    assert med["times"] == ["00:00", "06:00", "12:00", "18:00"]
    assert (med["regimen"]["kind"], med["regimen"]["interval"]) == ("every_n_hours", 6)
    tomorrow = (clock.start.date() + timedelta(days=1)).isoformat()
    rows = [row for row in person.agenda(days=3) if row["date"] == tomorrow]
    assert [row["time"] for row in rows] == ["00:00", "06:00", "12:00", "18:00"]


def test_a_ten_day_course_ends_on_its_tenth_day(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [added] = person.say("цефиксим 400 мг в 9 в течение 10 дней")
    first = clock.expect(lambda now: first_day(now, "09:00"))
    last = first + timedelta(days=9)
    assert f"до {ru_date(last)} включительно" in added.text, added.text

    med = person.med("цефиксим")
    assert med["dosage"] == "400 мг" and med["times"] == ["09:00"]
    assert med["regimen"]["kind"] == "daily"
    assert med["regimen"]["until"] == last.isoformat()
    assert med["regimen"]["rrule"] == [f"FREQ=DAILY;UNTIL={last.strftime('%Y%m%d')}T235959"]
    rows = person.agenda(days=14)
    assert dates_of(rows, "цефиксим") == [(first + timedelta(days=k)).isoformat() for k in range(10)]


def test_a_cycle_of_21_days_on_and_7_off(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [added] = person.say("ярина 21 день пью 7 дней перерыв в 22")
    assert "21 день приёма, 7 дней перерыв" in added.text, added.text

    regimen = person.med("ярина")["regimen"]
    anchor = clock.expect(lambda now: first_day(now, "22:00"))
    assert (regimen["kind"], regimen["on_days"], regimen["off_days"]) == ("cycle", 21, 7)
    assert regimen["anchor"] == anchor.isoformat()
    rows = person.agenda(days=31)
    today = clock.start.date()
    expected = [
        day.isoformat()
        for day in (today + timedelta(days=k) for k in range(31))
        if day >= anchor and (day - anchor).days % 28 < 21
    ]
    assert dates_of(rows, "ярина") == expected
    assert (anchor + timedelta(days=21)).isoformat() not in expected  # the break is there


def test_as_needed_is_never_on_the_agenda_and_warns_past_its_maximum(tmp_path: Path) -> None:
    person = Person(tmp_path)
    [added] = person.say("ибупрофен при необходимости не чаще 3 раз в сутки")
    assert "по необходимости, не чаще 3 раз в сутки" in added.text, added.text
    med = person.med("ибупрофен")
    assert med["times"] == [] and med["as_needed"] is True
    assert (med["regimen"]["kind"], med["regimen"]["max_per_day"]) == ("as_needed", 3)
    assert med["regimen"]["rrule"] == []
    assert person.agenda(days=31) == []

    day = local_now().date()
    replies = person.say(*["выпил ибупрофен"] * 4)
    if local_now().date() != day:
        pytest.skip("midnight passed: the intakes fell on two days")
    assert all("ибупрофен" in reply.text for reply in replies), [r.text for r in replies]
    assert not any("⚠" in reply.text for reply in replies[:3]), [r.text for r in replies]
    assert "⚠" in replies[3].text and "максимум — 3" in replies[3].text, replies[3].text
    taken = [row for row in person.history() if row["medication"] == "ибупрофен" and row["status"] == "taken"]
    assert len(taken) == 4, taken  # every intake is kept, each at the minute it was reported


def test_a_one_off_in_half_an_hour(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [added] = person.say("через полчаса напомни выпить аспирин")
    assert "один раз" in added.text, added.text
    end = local_now()

    rows = person.agenda(days=2)
    assert len(rows) == 1 and rows[0]["name"] == "аспирин", rows
    at = datetime.fromisoformat(f"{rows[0]['date']}T{rows[0]['time']}").replace(tzinfo=ZoneInfo(ZONE))
    earliest = (clock.start + timedelta(minutes=30)).replace(second=0, microsecond=0)
    assert earliest <= at <= end + timedelta(minutes=30)
    regimen = person.med("аспирин")["regimen"]
    assert (regimen["kind"], regimen["anchor"]) == ("once", rows[0]["date"])
    assert regimen["rrule"] == ["FREQ=DAILY;COUNT=1"]


def test_a_skipped_friday_keeps_the_schedule(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    added, paused = person.say("аспирин 100 мг в 9", "в пятницу не надо")
    friday = clock.start.date() + timedelta(days=(FRI - clock.start.weekday()) % 7)
    assert added.text.startswith("Добавлено: аспирин 100 мг"), added.text
    assert f"пт, {ru_date(friday)}" in paused.text, paused.text

    med = person.med("аспирин")
    assert med["times"] == ["09:00"] and med["regimen"]["kind"] == "daily"
    assert med["regimen"]["pauses"] == [{"from": friday.isoformat(), "to": friday.isoformat()}]
    expected = clock.expect(lambda now: dose_dates(now, 7, "09:00", lambda day: day != friday))
    assert dates_of(person.agenda(), "аспирин") == expected
    assert friday.isoformat() not in expected and len(expected) >= 5


def test_skip_friday_in_english(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path, "en")
    _, paused = person.say("aspirin 100 mg at 9am", "skip friday")
    friday = clock.start.date() + timedelta(days=(FRI - clock.start.weekday()) % 7)
    assert en_date(friday) in paused.text, paused.text
    assert friday.isoformat() not in dates_of(person.agenda(), "aspirin")
    assert person.med("aspirin")["regimen"]["kind"] == "daily"


def test_no_aspirin_on_friday_is_a_break_not_a_new_friday_dose(tmp_path: Path, clock: Clock) -> None:
    """"no aspirin on friday" must never turn into "aspirin on Fridays", even when the person
    then answers with a time."""
    person = Person(tmp_path, "en")
    _, answer, after = person.say("aspirin 100 mg at 9am", "no aspirin on friday", "10am")
    meds = person.meds()
    assert [(med["name"], med["regimen"]["kind"], med["times"]) for med in meds] == [
        ("aspirin", "daily", ["09:00"])
    ], (answer.text, after.text, meds)
    friday = clock.start.date() + timedelta(days=(FRI - clock.start.weekday()) % 7)
    assert friday.isoformat() not in dates_of(person.agenda(), "aspirin"), answer.text


def test_english_conversation_with_every_kind(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path, "en")
    replies = person.say(
        "cefixime 400 mg at 9am for ten days",
        "methotrexate 10 mg on thursdays at 9am",
        "vitamin d on the first of every month at 10am",
        "paracetamol every six hours from 6am",
        "yarina 21 days on 7 days off at 9pm",
        "ibuprofen as needed no more than three times a day",
        "remind me to take aspirin in half an hour",
    )
    last = clock.expect(lambda now: first_day(now, "09:00")) + timedelta(days=9)
    course, *texts = [reply.text for reply in replies]
    assert f"until {en_date(last)}" in course, course
    assert "on Thursdays at 09:00" in texts[0]
    assert "on the 1st of each month at 10:00" in texts[1]
    assert "every 6 hours" in texts[2]
    assert "21 days on, 7 days off" in texts[3]
    assert "as needed, at most 3 times a day" in texts[4]
    assert "once" in texts[5]
    meds = person.meds()
    kinds = {med["name"]: med["regimen"]["kind"] for med in meds}
    assert kinds == {
        "cefixime": "daily",
        "methotrexate": "weekdays", "vitamin d": "monthly", "paracetamol": "every_n_hours",
        "yarina": "cycle", "ibuprofen": "as_needed", "aspirin": "once",
    }
    assert [med["regimen"]["until"] for med in meds if med["name"] == "cefixime"] == [last.isoformat()]


# ---------------------------------------------------------------- changing a rule


def test_changing_diuver_to_wednesdays_and_saturdays(tmp_path: Path) -> None:
    person = Person(tmp_path)
    added, changed, listed = person.say("диувер 5 мг в 7", "диувер теперь по средам и субботам", "/list")
    assert added.text.startswith("Добавлено: диувер 5 мг"), added.text
    assert "по средам и субботам в 07:00" in changed.text, changed.text
    assert "Диувер 5 мг — по средам и субботам в 07:00" in listed.text, listed.text

    [med] = person.meds()
    assert (med["name"], med["dosage"], med["times"]) == ("диувер", "5 мг", ["07:00"])
    assert med["regimen"]["kind"] == "weekdays"
    assert med["regimen"]["weekdays"] == ["WE", "SA"]
    rows = person.agenda()
    assert rows and all(date.fromisoformat(row["date"]).weekday() in (WED, SAT) for row in rows), rows


def test_switching_omeprazole_to_every_second_day(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path, "en")
    _, changed = person.say("omeprazole 20 mg at 8am", "switch omeprazole to every second day")
    assert "every other day at 08:00" in changed.text, changed.text
    [med] = person.meds()
    assert (med["dosage"], med["times"]) == ("20 mg", ["08:00"])
    assert (med["regimen"]["kind"], med["regimen"]["interval"]) == ("every_n_days", 2)
    dates = [date.fromisoformat(day) for day in dates_of(person.agenda(), "omeprazole")]
    assert len(dates) in (3, 4) and all((b - a).days == 2 for a, b in zip(dates, dates[1:]))


# ---------------------------------------------------------------- questions before storing

RU_WEEKDAY_LABELS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]
WEDNESDAYS_AT_9 = {
    "kind": "weekdays", "weekdays": ["WE"], "until": None, "steps": [], "pauses": [],
    "rrule": ["FREQ=WEEKLY;BYDAY=WE"],
}


def test_once_a_week_asks_the_weekday_and_a_button_answers(tmp_path: Path) -> None:
    person = Person(tmp_path)
    [question] = person.say("добавь аспирин раз в неделю в 9")
    assert question.labels == RU_WEEKDAY_LABELS, question
    assert person.meds() == []  # nothing before the answer

    answer = person.press(question, "Среда")
    assert "по средам в 09:00" in answer.text, answer.text
    [med] = person.meds()
    assert (med["name"], med["dosage"], med["times"]) == ("аспирин", None, ["09:00"])
    assert med["regimen"] == WEDNESDAYS_AT_9


@pytest.mark.parametrize("typed", ["3", "среда"])
def test_once_a_week_the_weekday_can_be_typed(tmp_path: Path, typed: str) -> None:
    person = Person(tmp_path)
    question, answer = person.say("добавь аспирин раз в неделю в 9", typed)
    assert len(question.buttons) == 7
    assert "по средам в 09:00" in answer.text, answer.text
    [med] = person.meds()
    assert med["regimen"] == WEDNESDAYS_AT_9


@pytest.mark.parametrize(
    ("said", "typed"),
    [
        ("парацетамол каждые 8 часов", "с 7"),
        ("добавь парацетамол каждые 8 часов", "7:00"),
        ("добавь парацетамол каждые 8 часов", "с 7:00"),  # the example the question itself gives
    ],
)
def test_every_eight_hours_asks_the_first_time(tmp_path: Path, said: str, typed: str) -> None:
    person = Person(tmp_path)
    question, answer = person.say(said, typed)
    assert "С какого времени" in question.text, question.text
    assert "каждые 8 часов" in answer.text, answer.text
    med = person.med("парацетамол")
    assert med["times"] == ["07:00", "15:00", "23:00"]
    assert (med["regimen"]["kind"], med["regimen"]["interval"]) == ("every_n_hours", 8)


def test_a_course_without_a_length_asks_it_with_buttons(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [question] = person.say("курс амоксициллина 500 мг в 8")
    assert "Сколько дней" in question.text, question.text
    assert question.labels == ["5 дней", "7 дней", "10 дней", "14 дней", "Без срока"]
    assert person.meds() == []

    answer = person.press(question, "10 дней")
    last = clock.expect(lambda now: first_day(now, "08:00")) + timedelta(days=9)
    assert f"до {ru_date(last)} включительно" in answer.text, answer.text
    med = person.med("амоксициллин")
    assert (med["dosage"], med["times"], med["regimen"]["until"]) == ("500 мг", ["08:00"], last.isoformat())


def test_a_course_length_can_be_typed(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    _, answer = person.say("курс амоксициллина 500 мг в 8", "10 дней")
    last = clock.expect(lambda now: first_day(now, "08:00")) + timedelta(days=9)
    assert f"до {ru_date(last)} включительно" in answer.text, answer.text
    assert person.med("амоксициллин")["regimen"]["until"] == last.isoformat()


def _weekly_question(person: Person) -> Reply:
    [question] = person.say("метотрексат 10 мг в 9 каждый день")
    assert "раз в неделю" in question.text and "опасен" in question.text, question.text  # the reason
    assert question.labels == ["Да", "Нет"]
    assert person.meds() == []  # nothing stored while asking
    return question


def test_daily_methotrexate_asks_first_and_no_stores_nothing(tmp_path: Path) -> None:
    person = Person(tmp_path)
    answer = person.press(_weekly_question(person), "Нет")
    assert "ничего не меняю" in answer.text, answer.text
    assert person.meds() == []


def test_daily_methotrexate_confirmed_is_stored_as_said(tmp_path: Path) -> None:
    person = Person(tmp_path)
    answer = person.press(_weekly_question(person), "Да")
    assert answer.text.startswith("Добавлено: метотрексат 10 мг"), answer.text
    [med] = person.meds()
    assert (med["name"], med["dosage"], med["times"]) == ("метотрексат", "10 мг", ["09:00"])
    assert med["regimen"] == {"kind": "daily", "until": None, "steps": [], "pauses": [], "rrule": ["FREQ=DAILY"]}


@pytest.mark.parametrize(("typed", "stored"), [("нет", False), ("да", True)])
def test_daily_methotrexate_yes_or_no_can_be_typed(tmp_path: Path, typed: str, stored: bool) -> None:
    person = Person(tmp_path)
    question, answer = person.say("метотрексат 10 мг в 9 каждый день", typed)
    assert question.labels == ["Да", "Нет"]
    kinds = [med["regimen"]["kind"] for med in person.meds()]
    assert kinds == (["daily"] if stored else []), answer.text
    assert answer.text.startswith("Добавлено" if stored else "Хорошо, ничего не меняю"), answer.text


def test_a_taper_with_guessed_steps_is_confirmed_before_it_is_stored(tmp_path: Path, clock: Clock) -> None:
    person = Person(tmp_path)
    [question] = person.say("преднизолон первую неделю по 4 таблетки потом по 3 потом по 2 в 8")
    first = clock.expect(lambda now: first_day(now, "08:00"))
    for dosage, start in (("4 таблетки", 0), ("3 таблетки", 7), ("2 таблетки", 14)):
        assert f"{dosage} (" in question.text and ru_date(first + timedelta(days=start)) in question.text
    assert question.labels == ["Да", "Нет"]
    assert person.meds() == []

    person.press(question, "Да")
    med = person.med("преднизолон")
    assert med["times"] == ["08:00"] and med["dosage"] == "4 таблетки"
    assert med["regimen"]["steps"] == [
        {"from": (first + timedelta(days=days)).isoformat(), "dosage": dosage}
        for days, dosage in ((0, "4 таблетки"), (7, "3 таблетки"), (14, "2 таблетки"))
    ]
    rows = person.agenda(days=10)
    doses = {row["date"]: row["dosage"] for row in rows}
    assert doses[(first + timedelta(days=6)).isoformat()] == "4 таблетки"
    assert doses[(first + timedelta(days=7)).isoformat()] == "3 таблетки"


# ---------------------------------------------------------------- "what's coming up?"


def _agenda_reply_rows(text: str, today: date, lang: str) -> list[tuple[str, str, str]]:
    """(date, time, "name dosage") from the bot's agenda reply."""
    lines = text.splitlines()
    assert lines[0] in ("Ближайшие 7 дней:", "The next 7 days:"), text
    rows: list[tuple[str, str, str]] = []
    day: date | None = None
    for line in lines[1:]:
        if line.startswith("• "):
            time, _, label = line[2:].partition(" ")
            assert day is not None, text
            rows.append((day.isoformat(), time, label))
            continue
        short, _, rest = line.partition(", ")
        first, second = rest.split(" ")
        month, number = (RU_MONTHS.index(second) + 1, int(first)) if lang == "ru" else (
            EN_MONTHS.index(first) + 1, int(second))
        [day] = [d for d in (today + timedelta(days=k) for k in range(8)) if (d.month, d.day) == (month, number)]
        assert short == (RU_WEEKDAYS_SHORT if lang == "ru" else EN_WEEKDAYS_SHORT)[day.weekday()], line
    return rows


def _cli_rows(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [
        (row["date"], row["time"], f"{row['name']} {row['dosage']}" if row["dosage"] else row["name"])
        for row in rows
    ]


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("ru", ["аспирин 100 мг в 9", "метотрексат 10 мг по четвергам в 9", "омепразол через день в 8",
                "ибупрофен при необходимости", "что у меня на неделе?"]),
        ("en", ["aspirin 100 mg at 9am", "every third day magnesium at 9pm", "what's coming up this week"]),
    ],
)
def test_whats_coming_up_this_week_matches_the_agenda(tmp_path: Path, lang: str, lines: list[str]) -> None:
    person = Person(tmp_path, lang)
    day = local_now().date()
    replies = person.say(*lines)
    cli = person.agenda(days=7)
    minute = minute_of(local_now())
    if local_now().date() != day:
        pytest.skip("midnight passed while the test ran")
    told = _agenda_reply_rows(replies[-1].text, day, lang)
    shown = _cli_rows(cli)
    assert len(told) >= 7 and set(shown) <= set(told)
    # The bot answered a moment earlier: it may also list a dose whose minute has just passed.
    assert all(row[0] == day.isoformat() and row[1] < minute for row in told if row not in shown)
    assert told == sorted(told, key=lambda row: (row[0], row[1]))
    assert not any("ибупрофен" in row[2] for row in told)


# ---------------------------------------------------------------- nothing stored that was not said


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru", "аспирин по четвергм в 9"),
        ("ru", "магний по лунному календарю в 9"),
        ("ru", "витамин д по воскр в 10"),
        ("ru", "аспирин по праздникам в 9"),
        ("en", "magnesium by the lunar calendar at 9"),
        ("en", "aspirin on thursdyas at 9"),
    ],
)
def test_a_rule_the_bot_cannot_place_is_never_stored_as_daily(tmp_path: Path, lang: str, said: str) -> None:
    person = Person(tmp_path, lang)
    [reply] = person.say(said)
    meds = person.meds()
    daily = [med["name"] for med in meds if med["regimen"]["kind"] == "daily"]
    assert daily == [], f"{said!r} -> {reply.text!r}, stored {meds}"
    if not meds:  # not understood: says so or asks, and never claims to have added anything
        assert not reply.text.startswith(("Добавлено", "Added")), reply.text
        assert "не понял" in reply.text or "understand" in reply.text or "?" in reply.text, reply.text


def test_saying_yes_to_a_reading_with_a_weekday_in_the_name_never_stores_it_daily(tmp_path: Path) -> None:
    """"по воскр" (on Sundays, abbreviated): if the bot shows its reading back and the person
    says yes, what is stored is on Sundays, or nothing, never a daily "витамин д по воскр"."""
    person = Person(tmp_path)
    question, answer = person.say("витамин д по воскр в 10", "да")
    meds = person.meds()
    assert all(med["regimen"].get("weekdays") == ["SU"] for med in meds), (question.text, answer.text, meds)


_WEEKDAY_STEMS = (
    "понедельн", "вторн", "сред", "четверг", "четверм", "пятниц", "суббот", "воскр", "будн", "выходн",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekday", "weekend",
)
_WEEKDAY_WORDS = {"пн", "вт", "ср", "чт", "пт", "сб", "вс", "mon", "tue", "tues", "wed", "thu", "thur",
                  "thurs", "fri", "sat", "sun", "mondays", "thursdays"}


def test_weekday_words_never_become_part_of_a_name(tmp_path: Path) -> None:
    person = Person(tmp_path)
    person.say(
        "магний в пн и пт в 9",
        "по понедельникам и пятницам кальций в 8",
        "витамин д по воскр в 10",
        "аспирин по вторникм в 9",
        "омега 3 по будням в 13",
        "железо по выходным в 11",
        "цинк каждую субботу в 12",
        "фолиевая кислота во вторник и четверг в 10",
        "aspirin on mondays and thursdays at 9",
        "vitamin c every sat at 10am",
        "biotin tue and fri at 8am",
    )
    meds = person.meds()
    for med in meds:
        words = med["name"].lower().split()
        assert not any(word.startswith(_WEEKDAY_STEMS) or word in _WEEKDAY_WORDS for word in words), med
    found = {med["name"]: med["regimen"].get("weekdays") for med in meds}
    expected = {
        "магний": ["MO", "FR"], "кальций": ["MO", "FR"], "омега 3": ["MO", "TU", "WE", "TH", "FR"],
        "железо": ["SA", "SU"], "цинк": ["SA"], "фолиевая кислота": ["TU", "TH"],
        "aspirin": ["MO", "TH"], "vitamin c": ["SA"], "biotin": ["TU", "FR"],
    }
    optional = {"витамин д": ["SU"], "аспирин": ["TU"]}  # typo'd or abbreviated: asked, or read right
    assert {name: days for name, days in found.items() if name not in optional} == expected
    assert all(found[name] == days for name, days in optional.items() if name in found), found
