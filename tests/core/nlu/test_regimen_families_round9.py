"""Schedule families the blind corpora ze, zf, zg and zh found weak (issue 9: a remark after the
request's last comma, the first dose of an every-N-hours schedule, daily limits, dropped rules
next to talk, days mistaken for an afternoon hour), each with phrasings of our own (not the
corpora's): every test fails if that family's reading breaks."""

from __future__ import annotations

import pytest

from medbot.core.commands import to_json
from medbot.core.nlu import parse
from medbot.core.nlu.first_dose import first_dose_as_start
from medbot.core.nlu.schedule_patterns import find_rules
from tests.core.nlu.test_people_families_fresh import asks, sure
from tests.core.nlu.test_regimen_families_round7 import one

# ---------------------------------------------------------------- a remark after the last comma


@pytest.mark.parametrize(("text", "name", "times", "regimen"), [
    ("bisoprolol 5 mg on weekdays at 7am, the practice nurse sorted it out",
     "bisoprolol", ["07:00"], {"kind": "weekdays", "weekdays": [0, 1, 2, 3, 4]}),
    ("warfarin every other day at 6pm, the clinic changed it again",
     "warfarin", ["18:00"], {"kind": "every_n_days", "interval": 2}),
    ("Сустанон по четвергам в 11 утра, колем в поликлинике",
     "Сустанон", ["11:00"], {"kind": "weekdays", "weekdays": [3]}),
    ("лактулоза через день в 21:00, кишечник совсем ленивый стал",
     "лактулоза", ["21:00"], {"kind": "every_n_days", "interval": 2}),
])
def test_a_remark_after_the_request_is_talk(text: str, name: str, times: list[str], regimen: dict) -> None:
    med = one(text)
    assert (med["name"].lower(), med["times"], med["regimen"]) == (name.lower(), times, regimen)


@pytest.mark.parametrize("text", [
    "лозап теперь 50 пью, поправь",          # a request of its own after the comma
    "хумалог каждые 6 часов, дозу подбираю по сахару",
    "кломифен 5 дней, дальше как скажет гинеколог",
    "аспирин через день, или каждый день, не помню уже",
    "insulin every 8 hours, units depending on my reading",
])
def test_a_clause_that_still_says_something_is_never_dropped(text: str) -> None:
    body = to_json(parse(text))
    assert body["command"] != "add" or body["needs_llm"] or body["confirm"] or "dose_change" in body["command"], body


def test_used_to_is_never_a_mark() -> None:
    body = to_json(parse("add my Vitamin D at 9 in the morning. My eyes are not what they used to be."))
    assert body["command"] != "done", body


# ---------------------------------------------------------------- rules beside talk are kept


@pytest.mark.parametrize(("text", "regimen"), [
    ("Folic acid 5 mg every Saturday for 12 weeks as per the rheumatologist, 9am",
     {"kind": "weekdays", "weekdays": [5], "days": 84}),
    ("можно настроить схему: 21 день пить, потом 7 дней перерыв? это ярина, в 22:00",
     {"kind": "cycle", "on_days": 21, "off_days": 7}),
    ("схема 5 через 2: магне б6 в 14:00", {"kind": "cycle", "on_days": 5, "off_days": 2}),
])
def test_a_rule_said_before_talk_or_a_colon_stays(text: str, regimen: dict) -> None:
    assert one(text)["regimen"] == regimen


def test_every_sunday_with_a_full_stop_is_every_sunday() -> None:
    med = one("метотрексат 10 мг 1 р/нед, по воскресеньям. Поставь на 9 утра")
    assert med["regimen"] == {"kind": "weekdays", "weekdays": [6]} and med["times"] == ["09:00"]


# ---------------------------------------------------------------- days are never an afternoon hour


@pytest.mark.parametrize(("text", "steps"), [
    ("снижаем преднизолон: 3 дня по 15 мг, 3 дня по 10 мг, в 8 утра",
     [{"dosage": "15 мг", "days": 3}, {"dosage": "10 мг", "days": 3}]),
    ("метипред: 2 дня по 8 мг, 2 дня по 4 мг, в 9",
     [{"dosage": "8 мг", "days": 2}, {"dosage": "4 мг", "days": 2}]),
])
def test_a_step_length_after_a_comma_is_days(text: str, steps: list[dict]) -> None:
    med = one(text)
    assert med["regimen"]["steps"] == steps and "15:00" not in med["times"] and "14:00" not in med["times"]


def test_three_days_in_all_is_a_course_not_three_pm() -> None:
    med = one("напомни азитромицин в 11 утра, три дня всего")
    assert med["times"] == ["11:00"] and med["regimen"] == {"kind": "daily", "days": 3}


def test_an_hour_in_the_afternoon_in_a_list_stays_an_hour() -> None:
    assert one("добавь глицин в 9 утра, 2 дня и 9 вечера")["times"] == ["09:00", "14:00", "21:00"]


# ---------------------------------------------------------------- the first dose of an every-N-hours schedule


@pytest.mark.parametrize(("text", "hours", "first"), [
    ("Цефтриаксон каждые 12 часов, первый укол в 8 утра", 12, "08:00"),
    ("амоксиклав каждые 8 часов, первая таблетка в 6:00", 8, "06:00"),
    ("интервал 6 часов, начать в 7 — ибупрофен 400 мг", 6, "07:00"),
    ("с интервалом 12 часов кларитромицин, начинаю в 21:00", 12, "21:00"),
    ("doxycycline every 12 hours, first dose at 8am", 12, "08:00"),
    ("every 6 hours, 6 am first, paracetamol 1 g", 6, "06:00"),
    ("cefalexin 500 mg every 8 hours, start at 7am", 8, "07:00"),
    ("дважды в сутки строго через 12 часов, с 9:00 — такролимус 2 мг", 12, "09:00"),
])
def test_the_first_dose_of_an_interval_is_where_it_starts(text: str, hours: int, first: str) -> None:
    med = one(text)
    assert med["regimen"] == {"kind": "every_n_hours", "interval": hours} and med["times"] == [first]


def test_first_and_second_doses_of_a_day_are_two_hours() -> None:
    text = "первый приём в 8, второй в 20"
    assert first_dose_as_start(text) == text  # no interval of hours: a list of the day's hours


def test_in_two_hours_alone_stays_a_one_off() -> None:
    med = one("через 2 часа напомни выпить нурофен")
    assert med["regimen"] == {"kind": "once", "in_minutes": 120}


# ---------------------------------------------------------------- limits per day


@pytest.mark.parametrize(("text", "limit"), [
    ("max 3 в день", 3), ("не чаще раза в день", 1), ("до 4 пакетиков в сутки", 4),
    ("no more than 3x a day", 3), ("do not exceed 6 tablets a day", 6), ("не превышать 2 в день", 2),
])
def test_a_daily_limit_is_read(text: str, limit: int) -> None:
    assert [hit.facts for hit in find_rules(text)] == [{"max_per_day": limit}]


@pytest.mark.parametrize(("text", "name", "limit"), [
    ("Церукал 10 мг если тошнит, max 3 в день", "церукал", 3),
    ("Nurofen for my pain as needed, don't exceed 3 times daily", "nurofen", 3),
])
def test_as_needed_with_a_limit(text: str, name: str, limit: int) -> None:
    med = one(text)
    assert med["name"].lower() == name and med["regimen"] == {"kind": "as_needed", "max_per_day": limit}


# ---------------------------------------------------------------- other misreadings found


@pytest.mark.parametrize(("text", "days"), [
    ("каждый 3-й день в 21:00 флуконазол 150 мг", 3), ("каждый 4-й день дюрогезик менять в 10", 4),
])
def test_every_nth_day_written_with_digits(text: str, days: int) -> None:
    assert one(text)["regimen"] == {"kind": "every_n_days", "interval": days}


def test_a_clock_with_a_dot_before_an_injection_is_the_hour() -> None:
    med = one("каждую среду в 18.30 укол мильгаммы 2 мл")
    assert med["times"] == ["18:30"] and med["dosage"] == "2 мл"


@pytest.mark.parametrize("text", ["every other day, 9 am sharp: metformin 500", "ровно в 9 через день метформин 500"])
def test_sharp_is_no_name(text: str) -> None:
    assert one(text)["name"].lower() == "metformin" or one(text)["name"].lower() == "метформин"


def test_no_reminders_on_a_date_is_a_break_that_day() -> None:
    body = sure("no reminders on the 31st for anything")
    assert (body["command"], body["names"], body["first"]) == ("pause", [], {"kind": "date", "value": 31})


@pytest.mark.parametrize("text", ["розувастатин в 23 нет стоп лучше в 22", "эналаприл в 7 стоп нет в 8"])
def test_no_stop_is_a_change_of_mind_never_a_deletion(text: str) -> None:
    body = sure(text)
    assert body["command"] == "add" and len(body["medications"][0]["times"]) == 1


@pytest.mark.parametrize("text", ["today's schedule?", "what's today's plan", "расписание на сегодня"])
def test_todays_schedule_is_the_agenda(text: str) -> None:
    assert sure(text) == {"command": "agenda", "days": 1, "needs_llm": False, "confirm": False}


@pytest.mark.parametrize("text", ["put Lexapro on my list", "please pop the Ventolin onto my list"])
def test_put_on_my_list_adds(text: str) -> None:
    assert sure(text)["command"] == "add"


@pytest.mark.parametrize("text", [
    "can I take paracetamol with the warfarin or not",
    "is it safe to take ibuprofen today",
    "можно ли пить нурофен вместе с кардиомагнилом",
])
def test_whether_it_is_safe_is_a_question(text: str) -> None:
    assert to_json(parse(text))["command"] == "unknown"


@pytest.mark.parametrize("text", ["stop the Coartem for now, I'll say when to resume", "останови пока что ксарелто"])
def test_stopping_for_now_is_asked_never_deleted(text: str) -> None:
    assert to_json(parse(text))["command"] != "delete"


def test_a_one_off_in_half_an_hour_takes_no_part_of_the_day() -> None:
    body = to_json(parse("извини что ночью пишу, через полчаса напомни мелаксен"))
    assert body["command"] != "add" or body["needs_llm"] or body["confirm"] or not body["medications"][0].get("routine")


# ---------------------------------------------------------------- cycles as oncology letters write them


@pytest.mark.parametrize(("text", "on", "off"), [
    ("Капецитабин 1000 мг с 1 по 14 день, цикл 21 день, в 8 и 20", 14, 7),
    ("Palbociclib 125mg days 1 to 21 every 28 days", 21, 7),
    ("temozolomide days 1-5 of a 28 day cycle, at bedtime", 5, 23),
    ("Qlaira 26 active, then 2 days off, 9pm", 26, 2),
])
def test_a_cycle_said_by_its_days(text: str, on: int, off: int) -> None:
    assert one(text)["regimen"] == {"kind": "cycle", "on_days": on, "off_days": off}


@pytest.mark.parametrize("text", ["Diazepam 2mg s.o.s., max three times a day", "анаприлин 10 мг ситуативно"])
def test_sos_is_as_needed(text: str) -> None:
    assert one(text)["regimen"]["kind"] == "as_needed"


# ---------------------------------------------------------------- what it is for, whose word, how it is given


@pytest.mark.parametrize(("text", "name"), [
    ("от давления по пятницам амлодипин 5", "амлодипин"),
    ("от аллергии по выходным эриус в 9", "эриус"),
])
def test_a_purpose_said_apart_from_the_name_is_no_medication(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


def test_a_second_medication_named_by_its_purpose_is_asked_about() -> None:
    assert asks("запиши конкор утром и ещё то что от сердца в 9")


@pytest.mark.parametrize(("text", "name"), [
    ("Vitamin B12 1000 mcg every Monday as per the GP, 10am", "vitamin b12"),
    ("apixaban every 12 hours according to my haematologist, from 8am", "apixaban"),
])
def test_as_per_the_doctor_is_no_name(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


@pytest.mark.parametrize(("text", "name"), [
    ("клексан колоть каждый день в 20:00", "клексан"),
    ("аквадетрим давать по 2 капли в 9 утра", "аквадетрим"),
    ("тауфон капать по вечерам в 21:00", "тауфон"),
])
def test_a_verb_of_giving_after_the_name_is_not_part_of_it(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


# ---------------------------------------------------------------- tapers as letters and people write them


@pytest.mark.parametrize(("text", "steps"), [
    ("Topiramate 25mg daily for 1 week then 50mg daily for 1 week then 75mg",
     [{"dosage": "25 mg", "days": 7}, {"dosage": "50 mg", "days": 7}, {"dosage": "75 mg"}]),
    ("прегабалин наращивать: 75 мг 5 дней, затем 150 мг 5 дней, затем 300 мг",
     [{"dosage": "75 мг", "days": 5}, {"dosage": "150 мг", "days": 5}, {"dosage": "300 мг"}]),
    ("Метипред 16 мг — 5 сут, 8 мг — 5 сут, далее отменить",
     [{"dosage": "16 мг", "days": 5}, {"dosage": "8 мг", "days": 5}]),
    ("dexamethasone taper: 8 mg for 3 days, 4 mg for 3 days, then 2 mg for 3 days and stop, 9am",
     [{"dosage": "8 mg", "days": 3}, {"dosage": "4 mg", "days": 3}, {"dosage": "2 mg", "days": 3}]),
])
def test_a_taper_with_daily_labels_and_stops(text: str, steps: list[dict]) -> None:
    assert one(text)["regimen"]["steps"] == steps


@pytest.mark.parametrize(("text", "days"), [
    ("Doxycycline 100 mg OD 7/7", 7), ("Amoxicillin 500mg TDS 5/7", 5), ("Sertraline 50mg mane 2/52", 14),
])
def test_a_length_in_uk_notation_after_the_frequency(text: str, days: int) -> None:
    assert one(text)["regimen"]["days"] == days


@pytest.mark.parametrize(("text", "name"), [
    ("Nystatin 1 ml QDS x 7 days (as on the label)", "nystatin"),
    ("магне б6 по 2 таблетки в 9 утра (так невролог сказал)", "магне б6"),
])
def test_a_remark_in_brackets_is_talk(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


def test_a_remark_in_brackets_with_a_time_stays() -> None:
    assert asks("аспирин (в 9 или в 10) по вторникам")


# ---------------------------------------------------------------- days of the month, one-offs, intervals


@pytest.mark.parametrize(("text", "day"), [
    ("по 5-м числам каждого месяца в 10:00 мильгамма", 5), ("по 20-м числам укол пролиа", 20),
    ("the 3rd every month at 9am, b12 injection", 3),
])
def test_a_day_of_every_month_said_with_an_ordinal(text: str, day: int) -> None:
    assert one(text)["regimen"] == {"kind": "monthly", "month_day": day}


@pytest.mark.parametrize("text", ["в пятницу в 9 утра один раз выпить фортранс", "on Friday at 6pm, one-time: Picolax"])
def test_one_time_said_in_words_is_a_one_off(text: str) -> None:
    assert one(text)["regimen"]["kind"] == "once"


def test_an_hour_and_a_half_is_ninety_minutes() -> None:
    assert one("in an hour and a half remind me about the Movicol")["regimen"] == {"kind": "once", "in_minutes": 90}


@pytest.mark.parametrize(("text", "days"), [
    ("once every 4 days, 8pm, fluconazole", 4), ("кажд. 3 дня в 9:00 - диувер 5", 3),
    ("каждые 7 дней в 10 утра пластырь норспан", 7), ("every 7 days at 9am butrans", 7),
])
def test_every_n_days_in_more_words(text: str, days: int) -> None:
    assert one(text)["regimen"] == {"kind": "every_n_days", "interval": days}


@pytest.mark.parametrize(("text", "name", "hours", "first"), [
    ("кларитромицин теперь каждые 12 часов, с 9 утра", "кларитромицин", 12, "09:00"),
    ("ibuprofen switch to every 6 hours from 8am", "ibuprofen", 6, "08:00"),
])
def test_a_new_interval_from_an_hour(text: str, name: str, hours: int, first: str) -> None:
    body = sure(text)
    assert (body["command"], body["name"].lower(), body["regimen"], body["times"]) == (
        "regimen_change", name, {"kind": "every_n_hours", "interval": hours}, [first])


def test_changing_over_to_every_other_day() -> None:
    body = sure("аторис переводим на через день, в 21:00")
    assert (body["command"], body["regimen"]) == ("regimen_change", {"kind": "every_n_days", "interval": 2})


def test_more_weeks_and_done_change_the_course() -> None:
    body = sure("омез ещё только 3 недели и всё")
    assert (body["command"], body["regimen"]) == ("regimen_change", {"kind": "daily", "days": 21})


def test_staying_a_week_more_is_no_course() -> None:
    assert to_json(parse("короче мы прилетели в Стамбул и ещё неделю тут будем"))["command"] != "regimen_change"


@pytest.mark.parametrize(("text", "steps"), [
    ("прегабалин: неделя 75 мг, неделя 150 мг, потом 300 мг",
     [{"dosage": "75 мг", "days": 7}, {"dosage": "150 мг", "days": 7}, {"dosage": "300 мг"}]),
])
def test_a_week_said_in_the_nominative_is_a_step(text: str, steps: list[dict]) -> None:
    assert one(text)["regimen"]["steps"] == steps


# ---------------------------------------------------------------- small words around a request


@pytest.mark.parametrize(("text", "name"), [
    ("paracetamol 500mg when feverish, max 4 times daily", "paracetamol"),
    ("валидол при загрудинной боли", "валидол"),
    ("schema 24/4 Jess 9pm", "jess"),
    ("With effect from Monday, 5 days of Ciprofloxacin 500mg at 8am and 8pm", "ciprofloxacin"),
    ("I need to add Brilinta", "brilinta"),
    ("clarithromycin 500, twice daily", "clarithromycin"),
])
def test_the_name_without_the_small_words(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


def test_a_pause_beside_where_one_is_is_no_time_zone() -> None:
    body = sure("hold all my tablets for 5 days, I'm in hospital")
    assert (body["command"], body["days"]) == ("pause", 5)


def test_a_known_brand_with_its_strength_is_proposed() -> None:
    body = to_json(parse("добавь ксарелто 15"))
    assert body["command"] == "add" and body["medications"][0]["dosage"] == "15" and body["confirm"]


def test_a_small_number_after_a_brand_stays_unclear() -> None:
    assert to_json(parse("добавь аспирин 9"))["command"] != "add" or to_json(parse("добавь аспирин 9"))["confirm"]


# ---------------------------------------------------------------- sentences that only say the request again


@pytest.mark.parametrize(("text", "regimen"), [
    ("Через день по 1 таблетке Диувера в 8 утра. Не каждый день! а через день, мама уже путала",
     {"kind": "every_n_days", "interval": 2}),
    ("Эналаприл по будням в 7:00. На выходных я на даче и сама не забываю, так что суббота и воскресенье не надо",
     {"kind": "weekdays", "weekdays": [0, 1, 2, 3, 4]}),
    ("Магне б6 по 2 таблетки через день в 13:00. Так невролог написал, я сама не поняла зачем",
     {"kind": "every_n_days", "interval": 2}),
])
def test_a_sentence_that_says_the_rule_again_is_talk(text: str, regimen: dict) -> None:
    assert one(text)["regimen"] == regimen


@pytest.mark.parametrize("text", [
    "конкор по будням в 8. В субботу тоже.",           # one more day, not the same rule
    "аспирин каждый день в 9. В пятницу не надо.",      # a day taken out of a daily rule
    "Преднизолон 5 дней по 20 мг. После завтрака.",     # when, not talk
])
def test_a_sentence_that_adds_to_the_rule_stays(text: str) -> None:
    body = to_json(parse(text))
    med = (body.get("medications") or [{}])[0]
    assert body["needs_llm"] or body["confirm"] or med.get("routine") or med.get("regimen", {}).get("weekdays") == [0, 1, 2, 3, 4, 5]


# ---------------------------------------------------------------- safety: second thoughts, doubts, languages


@pytest.mark.parametrize("text", [
    "Аторис? нет, не его. Омепразол через день утром",
    "выпила или нит непомню конкор",
    "please undo whatever my grandson did",
    "не напоминай про то лекарство, что отменили, не помню как называется",
    "ксарелто 10 дней потом перерыв, сколько перерыв врач скажет",
])
def test_taken_back_or_unsure_is_asked(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(("text", "lang"), [
    ("ХВАТИТ ПО-АНГЛИЙСКИ", "ru"), ("no more russian please", "en"),
])
def test_enough_of_a_language_asks_for_the_other(text: str, lang: str) -> None:
    body = sure(text)
    assert (body["command"], body["lang"]) == ("language", lang)


def test_a_limit_said_twice_in_words() -> None:
    body = sure("Нимесил переведи в режим по требованию, максимум дважды в сутки")
    assert body["regimen"] == {"kind": "as_needed", "max_per_day": 2}


def test_a_stay_at_someones_house_is_no_medication() -> None:
    body = sure("no reminders until friday, I'm at my brother's")
    assert (body["command"], body["names"]) == ("pause", [])


def test_a_word_of_the_language_is_no_medication_by_its_ending() -> None:
    body = to_json(parse("weekdays at 8:15 concerta 18mg for my daughter, she takes it at school before class"))
    assert body["needs_llm"] or body["confirm"] or [m["name"].lower() for m in body["medications"]] == ["concerta"]


def test_confusion_as_the_reason_for_a_question_is_no_help_request() -> None:
    assert sure("Что мне сегодня надо выпить? А то я совсем запуталась")["command"] == "agenda"


@pytest.mark.parametrize(("text", "limit"), [("смекта при поносе не больше 3 пак. в сутки", None),
                                             ("мотилиум при тошноте не больше 3 табл. в сутки", 3)])
def test_a_unit_abbreviation_ends_no_sentence(text: str, limit: int | None) -> None:
    body = to_json(parse(text))
    if limit is not None:
        assert body["medications"][0]["regimen"] == {"kind": "as_needed", "max_per_day": limit}
    else:
        assert body["command"] == "add" or body["needs_llm"]


def test_o_clock_spaced_with_night() -> None:
    assert one("Tue Thu iron tablet 9 o clock night")["times"] == ["21:00"]


@pytest.mark.parametrize("text", ["sertraline 25 mg first 7 days, after that 50 mg, at night 10",
                                  "propranolol 10mg 1 week then 20mg ongoing, 8 morning"])
def test_an_hour_beside_its_part_of_the_day_is_never_a_taper_step(text: str) -> None:
    body = to_json(parse(text))
    steps = body.get("medications", [{}])[0].get("regimen", {}).get("steps", []) if body["command"] == "add" else []
    assert len(steps) <= 2


# ---------------------------------------------------------------- Ukrainian typed by habit


@pytest.mark.parametrize(("text", "command"), [
    ("до понеділка не напоминай ничего", "pause"), ("завтра не нагадуй про аспірин", "pause"),
    ("кожні 10 днів вітамін Д 50 000 МЕ в 9:00", "add"), ("карсил 5 днів пити 2 перерва, після обіду", "add"),
])
def test_ukrainian_schedule_words_are_read(text: str, command: str) -> None:
    assert sure(text)["command"] == command


def test_ukrainian_days_of_a_course() -> None:
    body = to_json(parse("амоксицилін 500 мг 7 днів в 8, 14 и 20"))  # the name's spelling is asked about
    assert body["medications"][0]["regimen"] == {"kind": "daily", "days": 7}


@pytest.mark.parametrize(("text", "regimen"), [
    ("Мильгамма 2 мл колоть раз на тиждень по середам о 11:00", {"kind": "weekdays", "weekdays": [2]}),
    ("кожні 6 годин нурофен, з 8 ранку", {"kind": "every_n_hours", "interval": 6}),
    ("з завтрашнього дня 2 тижні пити омез о 8 та 20", {"kind": "daily", "start": {"kind": "offset", "value": 1}, "days": 14}),
])
def test_ukrainian_prepositions_and_units(text: str, regimen: dict) -> None:
    assert to_json(parse(text))["medications"][0]["regimen"] == regimen


def test_a_holiday_said_in_ukrainian_is_no_medication() -> None:
    body = sure("з 3 по 9 липня я у відпустці, не напоминай про омепразол")
    assert body["command"] == "pause" and [name.lower() for name in body["names"]] == ["омепразол"]


# ---------------------------------------------------------------- English as a second language


@pytest.mark.parametrize(("text", "regimen"), [
    ("Trulicity shot once in a week", {"kind": "weekdays"}),
    ("once in a month vitamin D 60000 IU", {"kind": "monthly"}),
    ("prolia 60 mg monthly on 7th at 11am", {"kind": "monthly", "month_day": 7}),
    ("doxycycline 100 mg each 12 hours, first at 8 am", {"kind": "every_n_hours", "interval": 12}),
])
def test_second_language_english_rules(text: str, regimen: dict) -> None:
    assert to_json(parse(text))["medications"][0]["regimen"] == regimen


@pytest.mark.parametrize(("text", "minutes"), [("remind me after 45 min for the gaviscon", 45),
                                               ("after one hour remind me azithromycin", 60)])
def test_after_a_while_is_a_one_off(text: str, minutes: int) -> None:
    assert one(text)["regimen"] == {"kind": "once", "in_minutes": minutes}


@pytest.mark.parametrize(("text", "limit"), [
    ("imodium after each loose stool, max 8 tablet a day", 8), ("sumatriptan if migraine, not more than 2 in one day", 2),
    ("нурофен при головній болі, не більше 3 разів на день", 3),
])
def test_limits_said_as_second_language_speakers_say_them(text: str, limit: int) -> None:
    assert to_json(parse(text))["medications"][0]["regimen"] == {"kind": "as_needed", "max_per_day": limit}


@pytest.mark.parametrize(("text", "days"), [("метотрексат 15 мг по суботам в 10", [5]),
                                            ("фраксипарин по воскресениям в 21:00", [6])])
def test_weekdays_misspelt_as_people_do(text: str, days: list[int]) -> None:
    assert one(text)["regimen"] == {"kind": "weekdays", "weekdays": days}


# ---------------------------------------------------------------- one-offs, first days, kinds before names


@pytest.mark.parametrize(("text", "start"), [
    ("в среду в 9 утра выпить фортранс", {"kind": "weekday", "value": 2}),
    ("on the 9th at 8am take the praziquantel", {"kind": "date", "value": 9}),
    ("25-го в 10 принять вермокс 100 мг", {"kind": "date", "value": 25}),
])
def test_a_day_with_a_verb_of_doing_it_once_is_a_one_off(text: str, start: dict) -> None:
    assert one(text)["regimen"] == {"kind": "once", "start": start}


def test_a_day_with_a_rhythm_stays_a_rhythm() -> None:
    assert one("по пятницам принять метотрексат 15 мг")["regimen"] == {"kind": "weekdays", "weekdays": [4]}


@pytest.mark.parametrize("text", ["в первый день месяца ибандронат 150", "первое число каждого месяца бонвива"])
def test_the_first_day_of_the_month(text: str) -> None:
    assert one(text)["regimen"] == {"kind": "monthly", "month_day": 1}


@pytest.mark.parametrize(("text", "name"), [
    ("ear drops - otomize every 6 hours", "otomize"), ("pop in a once-a-week reminder for my Fosamax 70 mg", "fosamax"),
    ("Ibuprofen 200 for headaches, only when I get one", "ibuprofen"),
    ("через 3 часа напомни про второй приём азитромицина", "азитромицин"),
    ("remind me to take my second Tamiflu in 3 hours", "tamiflu"),
])
def test_the_name_without_what_is_around_it(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


def test_an_interval_from_an_imperative_start() -> None:
    assert one("каждые 4 часа смекта, начни с 10 утра")["times"] == ["10:00"]


def test_a_withdrawal_scheme_is_a_taper_of_the_named_medication() -> None:
    med = one("Схема отмены венлафаксина: 75 мг - 1 неделя, 37,5 мг - 1 неделя. Утром")
    assert med["name"].lower().startswith("венлафаксин") and [s["days"] for s in med["regimen"]["steps"]] == [7, 7]


@pytest.mark.parametrize("text", ["аспирин и тот второй в 9", "выпила половинку конкора, вторую не смогла проглотить"])
def test_the_other_one_and_the_second_half_stay_asked_about(text: str) -> None:
    assert asks(text) or to_json(parse(text))["command"] == "unknown"


# ---------------------------------------------------------------- late in the session: zl, zm


@pytest.mark.parametrize("text", [
    "варфарин: вт, чт, сб по 1 таблетке, в остальные дни по половинке, всё в 19:00",
    "warfarin 5 mg mon wed fri, 2.5 mg on the other days, 6pm",
    "преднизолон снижаем: 20 мг пять дней, 15 мг пять дней и так далее по схеме",
    "мама выпила эналаприл, а папа свои ещё нет",
])
def test_what_one_entry_cannot_hold_is_asked(text: str) -> None:
    assert asks(text)


def test_evening_on_an_empty_stomach_is_one_evening_dose() -> None:
    assert one("Темодал 5 дней из 28, вечером натощак")["routine"] == ["evening"]


def test_morning_on_an_empty_stomach_is_before_breakfast() -> None:
    assert one("эутирокс 50 утром натощак")["routine"] == ["before_breakfast"]


@pytest.mark.parametrize(("text", "names"), [
    ("ну всё, омез выпила, желудок вроде отпустил", ["омез"]),
])
def test_a_remark_after_a_mark_is_no_medication(text: str, names: list[str]) -> None:
    body = sure(text)
    assert body["command"] == "done" and [n.lower() for n in body["names"]] == names


def test_a_span_of_days_once_is_a_course() -> None:
    body = sure("со вторника до пятницы смекта в 12:00")
    assert body["medications"][0]["regimen"] == {"kind": "daily", "start": {"kind": "weekday", "value": 1},
                                                 "until": {"kind": "weekday", "value": 4}}


def test_the_doctor_moved_it_to_every_other_day() -> None:
    assert sure("Кардиомагнил врач перевёл на через день")["command"] == "regimen_change"


@pytest.mark.parametrize(("text", "name"), [
    ("с понедельника начинаю нексиум 20 мг утром, курс 2 недели", "нексиум"),
    ("Папа начинает ропинирол: 0.25 мг неделю, затем 0.5 мг", "ропинирол"),
])
def test_a_verb_of_starting_is_no_part_of_the_name(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


@pytest.mark.parametrize(("text", "first"), [
    ("Augmentin every 8 hours, started it at 3pm", "15:00"), ("cefalexin every 6 hours, we started at 6am", "06:00"),
])
def test_started_at_is_where_an_interval_starts(text: str, first: str) -> None:
    assert one(text)["times"] == [first]


@pytest.mark.parametrize(("text", "limit"), [
    ("капли визин, когда глаза красные, не чаще трёх раз", 3), ("Ибупрофен 200 при боли, в сутки не больше двух", 2),
])
def test_a_limit_said_without_a_day_after_a_condition(text: str, limit: int) -> None:
    assert one(text)["regimen"] == {"kind": "as_needed", "max_per_day": limit}


def test_a_length_after_a_dose_is_never_an_afternoon_hour() -> None:
    med = one("Послезавтра начинаем кларитромицин 500 мг, 4 дня, в 9 утра")
    assert med["times"] == ["09:00"]


@pytest.mark.parametrize(("text", "dosage"), [("Пантопразол 40", "40"), ("метформин 1000", "1000")])
def test_a_known_name_with_a_strength_alone_is_proposed(text: str, dosage: str) -> None:
    body = to_json(parse(text))  # "Добавить пантопразол 40? Когда?": one tap, never stored unasked
    assert body["command"] == "add" and body["medications"][0]["dosage"] == dosage and body["confirm"]


def test_a_known_name_with_a_small_number_alone_stays_unclear() -> None:
    assert asks("конкор 5")


@pytest.mark.parametrize(("text", "days"), [
    ("Маме: амиодарон 200 мг с понедельника по пятницу в 9, в выходные перерыв", [0, 1, 2, 3, 4]),
    ("эутирокс 50 по будням в 6:30, по выходным не надо", [0, 1, 2, 3, 4]),
])
def test_a_clause_that_only_says_the_rule_again_is_talk(text: str, days: list[int]) -> None:
    assert one(text)["regimen"] == {"kind": "weekdays", "weekdays": days}


@pytest.mark.parametrize("text", [
    "в субботу в 10 флуконазол 150, один раз",          # "once" after a comma still makes it a one-off
    "кардиомагнил по будням, а не каждый день",          # "not daily" after a comma says it changes
    "аспирин через день, или всё-таки каждый день",      # a choice
    "курс флемоксина всё, убирай",                       # a request of its own
])
def test_a_clause_that_still_shapes_the_request_stays(text: str) -> None:
    body = to_json(parse(text))
    med = (body.get("medications") or [{}])[0]
    assert body["command"] != "add" or body["needs_llm"] or body["confirm"] or med.get("regimen", {}).get("kind") == "once"
