"""Schedule families the blind corpora zp and zq found weak (issue 9): a break over a span of
weekdays or a dashed span of dates, a bare strength before "once a day", a child's age read as a
course, "три дня" after a clock time, questions about a past dose, "cut it to" / "switched to"
as a new rule, "ещё N дней и всё" with "пить", a dose repeated to end a taper, "tonight only",
"N days before the operation", "this week", "с завтрашнего", the same bare hour twice, the first
day said after a rhythm, two days said together, "stop ... for N days", "ничего" with the reason
around it, an English "till" between dates. Each test uses phrasings of our own (not the
corpora's) and fails if that family's reading breaks."""

from __future__ import annotations

import pytest

from medbot.core.commands import Unknown
from medbot.core.nlu import parse
from tests.core.nlu.test_people_families_fresh import asks, sure
from tests.core.nlu.test_regimen_families_round7 import one

MONDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = 0, 2, 3, 4, 5, 6

# ------------------------------------------------ a break over a span of weekdays


@pytest.mark.parametrize(("text", "first", "last"), [
    ("со среды по пятницу не напоминай про лозап", WEDNESDAY, FRIDAY),
    ("не надо напоминаний с четверга по субботу", THURSDAY, SATURDAY),
    ("mute my reminders Thursday to Saturday", THURSDAY, SATURDAY),
    ("we're away from Wednesday to Friday, pause everything", WEDNESDAY, FRIDAY),
    ("пауза с пятницы по воскресенье для всех таблеток", FRIDAY, SUNDAY),
])
def test_a_span_of_weekdays_in_a_break_is_those_coming_days(text: str, first: int, last: int) -> None:
    body = sure(text)
    assert body["command"] == "pause"
    assert body["first"] == {"kind": "weekday", "value": first}
    assert body["last"] == {"kind": "weekday", "value": last}


@pytest.mark.parametrize("text", [
    "по средам-пятницам не напоминай",  # every such week: no break can hold it
    "no reminders on Wednesdays to Fridays",
    "по выходным не напоминай про витамины",
])
def test_repeating_weekdays_in_a_break_are_asked(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(("text", "first", "last", "month"), [
    ("не напоминай 12-18 августа, буду в санатории", 12, 18, 8),
    ("pause all my reminders August 12-18", 12, 18, 8),
    ("no reminders 2nd-9th of March please", 2, 9, 3),
    ("с 4-11 мая пауза по всем лекарствам", 4, 11, 5),
])
def test_a_dashed_span_of_dates_is_a_break_from_the_first_to_the_last(text: str, first: int, last: int,
                                                                     month: int) -> None:
    body = sure(text)
    assert body["command"] == "pause"
    assert body["first"] == {"kind": "date", "value": first, "month": month}
    assert body["last"] == {"kind": "date", "value": last, "month": month}


def test_a_dashed_span_of_dates_in_an_add_is_its_course() -> None:
    med = one("левофлоксацин 500 мг 12-18 августа в 10")
    assert med["regimen"]["start"] == {"kind": "date", "value": 12, "month": 8}
    assert med["regimen"]["until"] == {"kind": "date", "value": 18, "month": 8}


# ------------------------------------------------ a bare strength said with "once a day"


@pytest.mark.parametrize(("text", "name", "dosage"), [
    ("лозап 50 один раз в день", "лозап", "50"),
    ("Eliquis 5 once daily", "eliquis", "5"),
    ("аторис 20 ежедневно", "аторис", "20"),
    ("омега 3 каждый день", "омега 3", None),  # the number is the name's
])
def test_a_bare_number_before_once_a_day_is_the_strength_and_the_time_is_asked(text: str, name: str,
                                                                             dosage: str | None) -> None:
    med = one(text)
    assert (med["name"].lower(), med["dosage"], med["times"]) == (name, dosage, [])


# ------------------------------------------------ what is not a length and not a time


@pytest.mark.parametrize("text", [
    "сыну 10 месяцев, аквадетрим 1 капля в 9",
    "аквадетрим 1 капля в 9, внучке 6 месяцев",
    "vitamin D drops 400 IU at 9, my daughter is 7 months old",
])
def test_a_childs_age_is_never_a_course(text: str) -> None:
    med = one(text)
    assert med["times"] == ["09:00"] and "regimen" not in med


@pytest.mark.parametrize("text", [
    "нурофен по 1 таблетке в 21:00, пять дней",
    "цефтриаксон укол в 10:30, 7 дней",
])
def test_a_length_after_a_clock_time_and_a_comma_is_the_course(text: str) -> None:
    med = one(text)
    assert len(med["times"]) == 1 and med["regimen"]["kind"] == "daily" and med["regimen"]["days"] in (5, 7)


def test_an_hour_with_its_half_of_the_day_in_a_list_stays_an_hour() -> None:
    assert one("витамин с в 8 утра, 3 дня и 9 вечера")["times"] == ["08:00", "15:00", "21:00"]


def test_staying_on_the_last_dose_of_a_taper_is_no_time_and_no_extra_step() -> None:
    med = one("преднизолон 20 мг неделю, потом 10 мг неделю, потом 5 мг, на 5 и остаёмся")
    assert med["times"] == []
    assert [step["dosage"] for step in med["regimen"]["steps"]] == ["20 мг", "10 мг", "5 мг"]


# ------------------------------------------------ questions about a dose already taken


@pytest.mark.parametrize("text", [
    "have I taken my Lipitor today?",
    "did mum take her warfarin this evening?",
    "я вечернюю уже выпила или нет?",
    "папа принимал сегодня конкор или нет",
    "пила ли я утром эутирокс",
])
def test_whether_a_dose_was_taken_is_asked_never_answered_with_the_days_plan(text: str) -> None:
    body = parse(text)
    assert body.needs_llm and type(body.command).__name__ == "Unknown"


@pytest.mark.parametrize("text", [
    "я выпила конкор",  # a dose reported, not asked about
    "а как отметить что я выпила? вот, выпила аторис",
])
def test_a_dose_reported_is_still_done(text: str) -> None:
    assert type(parse(text).command).__name__ in ("Done", "Unknown")
    assert sure("я выпила конкор")["command"] == "done"


def test_both_days_of_the_plan_are_shown() -> None:
    assert sure("tomorrow and today schedule please") == {"command": "agenda", "days": 2, "needs_llm": False,
                                                          "confirm": False}


@pytest.mark.parametrize("text", ["I want to change my schedule", "поменяйте мне расписание", "edit my schedule"])
def test_changing_the_schedule_without_saying_how_is_asked(text: str) -> None:
    assert asks(text)


# ------------------------------------------------ a new rule said in passing


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("the rheumatologist cut my methotrexate to Fridays only", "methotrexate", "weekdays"),
    ("GP switched my furosemide to every other day", "furosemide", "every_n_days"),
    ("Torsemide: they reduced it to Mon and Thu", "torsemide", "weekdays"),
])
def test_cut_or_switched_to_is_a_new_rule(text: str, name: str, kind: str) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change" and body["name"].lower() == name and body["regimen"]["kind"] == kind


@pytest.mark.parametrize(("text", "days"), [
    ("амоксиклав пить ещё 3 дня и всё", 3),
    ("tamsulosin take it 5 more days then stop", 5),
])
def test_more_days_then_stop_is_the_kept_medications_end(text: str, days: int) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change" and body["regimen"]["days"] == days


# ------------------------------------------------ one day, a week, a start


@pytest.mark.parametrize("text", [
    "melatonin 3mg at bedtime, tonight only",
    "just for tonight, temazepam 10 mg at 11pm",
])
def test_tonight_only_is_once(text: str) -> None:
    assert one(text)["regimen"] == {"kind": "once", "start": {"kind": "offset", "value": 0}}


@pytest.mark.parametrize("text", [
    "stop the apixaban 3 days before my operation on the 20th",
    "не принимать кардиомагнил за 5 дней до операции",
])
def test_days_counted_back_from_an_event_are_asked(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize("text", ["this week no reminders for the ibuprofen", "эту неделю не напоминай про ибупрофен"])
def test_this_week_in_a_break_ends_on_sunday(text: str) -> None:
    body = sure(text)
    assert (body["first"], body["last"], body["days"]) == ({"kind": "offset", "value": 0},
                                                           {"kind": "weekday", "value": SUNDAY}, None)


def test_from_tomorrow_said_without_its_noun_is_the_start() -> None:
    med = one("фуросемид 40 через день, начнём с завтрашнего")
    assert med["regimen"] == {"kind": "every_n_days", "interval": 2, "start": {"kind": "offset", "value": 1}}


# ------------------------------------------------ the same bare hour twice


@pytest.mark.parametrize(("text", "times"), [
    ("bisoprolol 2.5 twice a day, 9 and 9", ["09:00", "21:00"]),
    ("метформин в 7 и в 7", ["07:00", "19:00"]),
])
def test_the_same_bare_hour_twice_is_morning_and_evening(text: str, times: list[str]) -> None:
    assert one(text)["times"] == times


@pytest.mark.parametrize("text", [
    "лозап 50 в 8 и торасемид 5 в 8",  # two medications at one hour
    "аспирин в 8:00 и 8:00",  # a clock time is no bare hour
])
def test_an_hour_said_for_two_medications_or_as_a_clock_is_kept(text: str) -> None:
    body = sure(text)
    assert all("20:00" not in med["times"] for med in body["medications"])


# ------------------------------------------------ the first day, and two days said together


@pytest.mark.parametrize(("text", "start"), [
    ("ферретаб через день в 13:00, первый сегодня", 0),
    ("магний через день в 21, первая таблетка завтра", 1),
    ("iron every other day at 1pm, first dose tomorrow", 1),
])
def test_the_first_day_said_after_a_rhythm_is_its_start(text: str, start: int) -> None:
    assert one(text)["regimen"]["start"] == {"kind": "offset", "value": start}


@pytest.mark.parametrize(("text", "first", "last"), [
    ("no reminders for the ramipril tomorrow and the day after", 1, 2),
    ("сегодня и завтра не напоминай про фуросемид", 0, 1),
])
def test_two_days_said_together_are_one_break(text: str, first: int, last: int) -> None:
    body = sure(text)
    assert (body["first"], body["last"]) == ({"kind": "offset", "value": first}, {"kind": "offset", "value": last})


@pytest.mark.parametrize("text", [
    "не напоминай про фуросемид сегодня и послезавтра",  # two breaks with a day between
    "нимесил сегодня и завтра в 20:00",  # an add for two days is never one of them
])
def test_two_days_that_one_reading_cannot_hold_are_asked(text: str) -> None:
    assert asks(text)


def test_a_day_said_elsewhere_is_the_reasons_not_the_breaks() -> None:
    body = sure("сегодня ксарелто не пить, завтра удаляют зуб")
    assert (body["first"], body["last"]) == ({"kind": "offset", "value": 0}, None)


def test_the_plan_runs_through_the_last_day_asked_for() -> None:
    assert sure("what's on for tomorrow and the day after?")["days"] == 3


# ------------------------------------------------ breaks said as "stop ... for", "ничего", "till"


@pytest.mark.parametrize(("text", "days", "first"), [
    ("stop the warfarin reminders for 4 days from Monday", 4, {"kind": "weekday", "value": MONDAY}),
    ("hold my lisinopril for 2 days", 2, {"kind": "offset", "value": 0}),
])
def test_stop_with_a_length_is_a_break_not_a_deletion(text: str, days: int, first: dict[str, object]) -> None:
    body = sure(text)
    assert (body["command"], body["days"], body["first"]) == ("pause", days, first)


def test_stop_without_an_end_is_not_read_as_a_break() -> None:
    assert parse("stop metformin from tomorrow").command.__class__.__name__ != "Pause"


@pytest.mark.parametrize("text", [
    "послезавтра ничего не напоминай, лежу в стационаре на обследовании",
    "в субботу ни о чём не напоминай, весь день на даче без телефона",
])
def test_nothing_at_all_with_the_reason_around_it_pauses_everything(text: str) -> None:
    body = sure(text)
    assert body["command"] == "pause" and body["names"] == []


def test_an_english_till_between_two_dates_is_asked() -> None:
    assert asks("we fly out on the 3rd till the 17th, hold all reminders please")


def test_whose_advice_it_was_is_never_the_name() -> None:
    assert one("the pharmacist said naproxen 250 mg every 8 hours")["name"].lower() == "naproxen"


@pytest.mark.parametrize("text", ["прпусти выходные", "пропусит завтра", "напомнм в субботу"])
def test_a_mistyped_command_word_is_never_a_medications_name(text: str) -> None:
    body = parse(text)
    assert not (type(body.command).__name__ == "Add" and not body.confirm and not body.needs_llm), body


def test_changing_the_schedule_to_what_someone_said_is_asked() -> None:
    assert asks("change my schedule to what the nurse said")


@pytest.mark.parametrize(("text", "interval"), [("ксалатан каждые двое суток в 21:00", 2),
                                                ("дюрогезик раз в трое суток в 9:00", 3)])
def test_days_counted_in_collective_numbers(text: str, interval: int) -> None:
    assert one(text)["regimen"] == {"kind": "every_n_days", "interval": interval}


def test_done_with_them_beside_a_deletion_is_not_a_dose_taken() -> None:
    assert sure("remove the iron and the folic acid, finished with them")["command"] == "delete"


def test_a_hospital_stay_beside_a_break_is_no_time_zone() -> None:
    body = sure("stop the aspirin reminders until the 3rd of June, I'm in hospital")
    assert body["command"] == "pause" and body["before"] == {"kind": "date", "value": 3, "month": 6}


# ------------------------------------------------ questions and corrections inside a request (zs)


@pytest.mark.parametrize("text", [
    "Флемоксин на 7 или на 10 дней, не помню, по 500 в 8 и 20",
    "Диклофенак 3 раза в день — это как, каждые 8 часов?",
    "Цефтриаксон курсом, уколы. Сколько дней обычно колют? Не записала",
    "pred 5 mg, how should I set the reminder if my shifts change?",
])
def test_a_length_not_chosen_or_a_how_to_question_is_asked(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize("text", [
    "Мексидол по вторникам и четвергам в 10:00. ой нет, по средам и пятницам",
])
def test_weekdays_corrected_midway_are_asked_never_joined(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize("text", ["Что мне принять от давления, если я на конкоре?", "what can I take for a headache on warfarin?"])
def test_what_to_take_for_a_symptom_is_a_doctors_question(text: str) -> None:
    assert parse(text).command == Unknown("advice")  # said plainly: a question for a doctor, nothing changed


def test_a_one_off_dose_is_once_never_a_dose_change() -> None:
    med = one("Saturday, a single dose of azithromycin 1g after breakfast")
    assert med["regimen"] == {"kind": "once", "start": {"kind": "weekday", "value": SATURDAY}}


def test_tonight_just_the_once_is_once() -> None:
    assert one("Movicol 1 sachet at bedtime tonight, just the once")["regimen"]["kind"] == "once"


def test_mg_and_a_new_rhythm_said_as_a_move_are_asked() -> None:
    assert asks("Эналаприл перевели с 10 на 5 и теперь 2 раза в день")


@pytest.mark.parametrize("text", ["2 x Senokot at 9pm", "Senokot 2 x at 9pm", "завтра в 8 2 х но-шпа"])
def test_a_count_times_a_name_is_never_part_of_the_name(text: str) -> None:
    command = parse(text).command
    assert all(not item.med.name.lower().startswith(("x ", "х ")) for item in getattr(command, "items", ()))


def test_a_bare_count_after_an_am_pm_hour_is_no_second_hour() -> None:
    assert asks("tomorrow at 6am, 2 Dulcolax")


@pytest.mark.parametrize(("text", "day"), [("methotrexate Mondays at 9, no wait, Tuesdays", 1),
                                           ("alendronate Sundays at 7, sorry, Saturdays", SATURDAY)])
def test_one_day_taken_back_in_english_is_replaced(text: str, day: int) -> None:
    assert one(text)["regimen"] == {"kind": "weekdays", "weekdays": [day]}
