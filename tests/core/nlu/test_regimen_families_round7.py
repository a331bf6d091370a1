"""Schedule families the blind corpora mm, nn and oo found weak (issue 9: weekly drugs, courses,
"as needed", cycles, breaks), each with phrasings of our own (not the corpora's): every test
fails if that family's reading breaks."""

from __future__ import annotations

from typing import Any

import pytest

from medbot.core.commands import to_json
from medbot.core.nlu import parse
from tests.core.nlu.test_people_families_fresh import asks, sure


def one(text: str) -> dict[str, Any]:
    """The one medication of a sure add."""
    body = sure(text)
    assert body["command"] == "add" and len(body["medications"]) == 1, body
    return body["medications"][0]


def rule(text: str) -> dict[str, Any] | None:
    return one(text).get("regimen")


# ---------------------------------------------------------------- as needed, said by the condition


@pytest.mark.parametrize(("text", "limit"), [
    ("эналаприл 10 мг если давление выше 150", None),
    ("но-шпу когда крутит живот", None),
    ("супрастин если аллергия разыграется", None),
    ("валидол под язык когда прихватит сердце", None),
    ("зопиклон половинку если не смогу уснуть", None),
    ("кеторол при сильной зубной боли не более 2 раз в сутки", 2),
    ("ondansetron 8 mg if I feel nauseous", None),
    ("propranolol 10 mg when my heart is racing, up to 3 times a day", 3),
    ("imitrex 100 at migraine onset", None),
    ("tylenol 500 when my back hurts, max 4 a day", 4),
])
def test_as_needed_said_by_the_condition(text: str, limit: int | None) -> None:
    expected: dict[str, Any] = {"kind": "as_needed"}
    if limit:
        expected["max_per_day"] = limit
    found = one(text)
    assert found["regimen"] == expected and found["times"] == [], found


@pytest.mark.parametrize("text", [
    "lisinopril for high blood pressure at 8",  # what it treats: every day at 8
    "нурофен при боли в 9",  # as needed at a clock time: which one?
])
def test_a_condition_never_takes_an_hour_or_a_purpose(text: str) -> None:
    body = parse_body(text)
    regimens = [m.get("regimen") for m in body.get("medications", [])]
    assert asks(text) or {"kind": "as_needed"} not in regimens


def parse_body(text: str) -> dict[str, Any]:
    return to_json(parse(text))


# ---------------------------------------------------------------- amounts and forms


@pytest.mark.parametrize(("text", "dosage"), [
    ("vitamin D3 10,000 IU every Monday at 9", "10000 IU"),
    ("витамин д 25 000 ме по субботам в 10", "25000 МЕ"),
    ("heparin 5,000 units every 12 hours from 6am", "5000 units"),
])
def test_thousands_are_one_amount(text: str, dosage: str) -> None:
    assert one(text)["dosage"] == dosage


@pytest.mark.parametrize(("text", "name"), [
    ("укол Пролии раз в полгода нет, раз в месяц 5-го в 10", None),
    ("инъекция Ксолара каждые 2 недели в 11", "Ксолар"),
    ("по пятницам укол метотрексата 15 мг в 20:00", "метотрексат"),
    ("Trulicity 1.5 mg shot every Sunday 8am", "Trulicity"),
    ("B12 injection monthly on the 2nd", "B12"),
    ("change the Butrans patch every 7 days at 9am", "Butrans"),
])
def test_an_injection_or_a_patch_is_how_it_comes_not_its_name(text: str, name: str | None) -> None:
    if name is None:
        assert asks(text)  # a change of mind inside the rule is asked about
        return
    assert one(text)["name"] == name


# ---------------------------------------------------------------- hours listed after "times a day"


@pytest.mark.parametrize(("text", "times"), [
    ("кларитромицин 500 2 раза в день 20 и 8", ["08:00", "20:00"]),
    ("азитромицин 500 мг 2 раза в день 9 и 21, 5 дней", ["09:00", "21:00"]),
    ("кларитромицин 250 три раза в день 7 15 23", ["07:00", "15:00", "23:00"]),
    ("keflex 500 three times a day 6 14 22", ["06:00", "14:00", "22:00"]),
    ("metoprolol 25 bid, 9 and 21", ["09:00", "21:00"]),
    ("курс 14 дней приёма, 7 дней перерыв, 9 и 21 кселода", ["09:00", "21:00"]),
])
def test_bare_hours_after_how_many_a_day(text: str, times: list[str] | None) -> None:
    if times is None:
        assert asks(text)
        return
    assert sorted(one(text)["times"]) == times


@pytest.mark.parametrize("text", ["конкор 8 и 20", "эналаприл 10 20", "аспирин 2 раза в день 8 и 10 мг"])
def test_bare_numbers_right_after_a_name_are_not_read_as_hours(text: str) -> None:
    body = parse_body(text)
    assert asks(text) or body.get("command") != "add" or all(
        m["times"] != ["08:00", "20:00"] and m["times"] != ["10:00", "20:00"] for m in body["medications"])


# ---------------------------------------------------------------- cycles


@pytest.mark.parametrize(("text", "on", "off"), [
    ("джес 24 таблетки потом 4 дня перерыв в 22", 24, 4),
    ("регулон 21 таблетка, затем неделя без, в 21:00", 21, 7),
    ("yasmin 21 active pills, then a 7-day break, 10pm", 21, 7),
    ("капецитабин 2 недели пьёт, неделю отдыхает, 8 и 20", 14, 7),
    ("пью 5 дней, 2 отдыхаю — магний в 12", 5, 2),
    ("неделю пьём, неделю нет, глицин в 9", 7, 7),
    ("мильгамма 10 дней через 10 в 13:00", 10, 10),
    ("ibrance 21 on 7 off at 9am", 21, 7),
    ("palbociclib 3 weeks on and 1 week off, 10 am", 21, 7),
    ("джес 24/4 в 21:30", 24, 4),
    ("xeloda daily for 14 days then a 7 day rest, 8am and 8pm", 14, 7),
])
def test_cycles_said_every_way(text: str, on: int, off: int) -> None:
    assert rule(text) == {"kind": "cycle", "on_days": on, "off_days": off}


# ---------------------------------------------------------------- days of the month


@pytest.mark.parametrize(("text", "expected"), [
    ("раз в месяц 15-го ибандронат в 8", {"kind": "monthly", "month_day": 15}),
    ("каждого 3го числа укол золадекса в 10", {"kind": "monthly", "month_day": 3}),
    ("ежемесячно 28-го декапептил в 12", {"kind": "monthly", "month_day": 28}),
    ("raz в мес в 9 вигантол".replace("raz", "раз"), {"kind": "monthly"}),
    ("Prolia monthly, 5th of the month at 10am", {"kind": "monthly", "month_day": 5}),
    ("actonel monthly on the 1st, at 7", {"kind": "monthly", "month_day": 1}),
    ("напомни 12 числа в 9 выпить вермокс", {"kind": "once", "start": {"kind": "date", "value": 12}}),
    ("урсосан 250 в 22 до 20 числа", {"kind": "daily", "until": {"kind": "date", "value": 20}}),
    ("amoxicillin at 8 and 20 until the 9th", {"kind": "daily", "until": {"kind": "date", "value": 9}}),
])
def test_a_day_of_the_month_is_every_month_only_when_said_so(text: str, expected: dict[str, Any]) -> None:
    assert rule(text) == expected


def test_a_brand_that_starts_like_a_month_is_no_date() -> None:
    assert one("каждый месяц 1-го декапептил в 10")["name"].lower() == "декапептил"


def test_type_two_diabetes_is_no_day_of_the_month() -> None:
    body = parse_body("метформин от диабета 2-го типа в 8")
    assert all("regimen" not in m for m in body.get("medications", []))


# ---------------------------------------------------------------- courses


@pytest.mark.parametrize(("text", "days"), [
    ("цефиксим 400 в 9 x7d", 7),
    ("levofloxacin 500mg at 8am x 10 days", 10),
    ("нолицин 400 в 8 и 20, 5 дней", 5),
    ("Paxlovid 8am and 8pm, 5-day course", 5),
    ("омез 20 мг в 8 утра месяц", 30),
    ("курс мильгаммы 10 уколов, в 10 утра", 10),
])
def test_a_course_said_in_shorthand(text: str, days: int) -> None:
    found = rule(text)
    assert found is not None and found.get("days") == days and found["kind"] == "daily", found


def test_a_list_of_hours_keeps_its_afternoon_hour() -> None:
    assert one("добавь аспирин в 8 утра, 2 дня и 8 вечера")["times"] == ["08:00", "14:00", "20:00"]


# ---------------------------------------------------------------- changes of rule


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("amoxicillin: just 3 more days then stop", "amoxicillin", {"kind": "daily", "days": 3}),
    ("омепразол ещё 10 дней и хватит", "омепразол", {"kind": "daily", "days": 10}),
    ("move my Fosamax from Monday to Wednesday", "Fosamax", {"kind": "weekdays", "weekdays": [2]}),
    ("ярину на схему 24/4", "ярина", {"kind": "cycle", "on_days": 24, "off_days": 4}),
    ("make the ibuprofen as needed, max 3 a day", "ibuprofen", {"kind": "as_needed", "max_per_day": 3}),
    ("my cardiologist says the warfarin goes to weekdays only", "warfarin", {"kind": "weekdays", "weekdays": [0, 1, 2, 3, 4]}),
    ("конкор сделай через день", "конкор", {"kind": "every_n_days", "interval": 2}),
])
def test_a_new_rule_for_a_stored_medication(text: str, name: str, expected: dict[str, Any]) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change" and body["name"].lower() == name.lower(), body
    assert body["regimen"] == expected


def test_more_days_in_a_request_to_add_is_the_course() -> None:
    assert rule("пить клексан 0.4 в 20:00 ещё 10 дней") == {"kind": "daily", "days": 10}


@pytest.mark.parametrize("text", [
    "поменяй то, что от сердца, на по будням",  # which medication is "the one for the heart"?
    "преднизолон снижать как эндокринолог скажет, пока 4 таблетки",
    "take the methotrexate as directed",
])
def test_a_rule_left_to_someone_else_or_a_medication_described_is_asked(text: str) -> None:
    assert asks(text)


# ---------------------------------------------------------------- breaks


@pytest.mark.parametrize(("text", "names", "first", "last", "days"), [
    ("приостанови эликвис на 2 дня, удаляют зуб", ["эликвис"], {"kind": "offset", "value": 0}, None, 2),
    ("послезавтра не напоминай про метформин, кт с контрастом", ["метформин"], {"kind": "offset", "value": 2}, None, None),
    ("hold the aspirin for 5 days from Monday, I'm having surgery", ["aspirin"], {"kind": "weekday", "value": 0}, None, 5),
    ("skip Friday, blood test", [], {"kind": "weekday", "value": 4}, None, None),
    ("с 12-го по 18-е не напоминай ни о чём", [], {"kind": "date", "value": 12}, {"kind": "date", "value": 18}, None),
    ("pause everything from the 3rd to the 7th", [], {"kind": "date", "value": 3}, {"kind": "date", "value": 7}, None),
    ("на неделю стоп ксарелто, операция", ["ксарелто"], {"kind": "offset", "value": 0}, None, 7),
    ("mute my reminders for 3 days", [], {"kind": "offset", "value": 0}, None, 3),
    ("с понедельника на 4 дня останови метотрексат", ["метотрексат"], {"kind": "weekday", "value": 0}, None, 4),
    ("завтра не напоминайте про варфарин, у меня анализ крови", ["варфарин"], {"kind": "offset", "value": 1}, None, None),
])
def test_a_break_keeps_its_medication_and_drops_its_reason(
        text: str, names: list[str], first: dict[str, Any], last: dict[str, Any] | None, days: int | None) -> None:
    body = sure(text)
    assert body["command"] == "pause", body
    assert [name.lower() for name in body["names"]] == names
    assert (body["first"], body["last"], body["days"]) == (first, last, days)


def test_stop_without_a_period_is_no_break() -> None:
    assert sure("стоп варфарин")["command"] == "delete"


# ---------------------------------------------------------------- first doses, one-offs, strengths


@pytest.mark.parametrize(("text", "hours", "first"), [
    ("цефазолин каждые 8 часов, начать в 22:00", 8, "22:00"),
    ("ампициллин 500 каждые 6 часов, первая доза в полдень", 6, "12:00"),
    ("keflex 500 q6h, first dose at midnight", 6, "00:00"),
    ("augmentin every 12 hours, we started at 9pm", 12, "21:00"),
])
def test_every_n_hours_from_the_first_dose(text: str, hours: int, first: str) -> None:
    found = one(text)
    assert found["regimen"] == {"kind": "every_n_hours", "interval": hours} and found["times"] == [first]


def test_a_count_of_doses_after_a_time_is_no_hour() -> None:
    assert one("on Friday at noon, one dose of albendazole 400 mg")["times"] == ["12:00"]


@pytest.mark.parametrize(("text", "dosage"), [
    ("imitrex 50 when a migraine starts", "50"),
    ("лазикс 40 каждый 2й день в 8", "40"),
    ("add glucophage 850", "850"),
])
def test_a_number_after_a_name_is_its_strength_when_the_message_says_when(text: str, dosage: str) -> None:
    assert one(text)["dosage"] == dosage


@pytest.mark.parametrize("text", ["аспирин 100", "аспирин 9"])
def test_a_bare_number_alone_stays_unclear(text: str) -> None:
    assert asks(text)


# ---------------------------------------------------------------- people's own words (corpus oo)


@pytest.mark.parametrize(("text", "command"), [
    ("ой, ошиблась, лозап теперь 50", "dose_change"),
    ("sorry my bad, the amlodipine is now 10 mg", "dose_change"),
    ("извините, кардиомагнил теперь в 20:00", "time_change"),
    ("Подскажите пожалуйста, что мне на этой неделе пить", "agenda"),
    ("lemme add vitamin c 500 at 9", "add"),
    ("была у эндокринолога, назначила эутирокс 50 мкг натощак", "add"),
    ("saw the GP this morning, she put me on lisinopril 10 mg at 8", "add"),
    ("теперь пью ещё и магний по 2 таблетки в 21:00", "add"),
])
def test_what_people_say_around_the_request(text: str, command: str) -> None:
    assert sure(text)["command"] == command


# ---------------------------------------------------------------- as prescriptions write it (corpora pp, qq)


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("Клексан 0,4 мл п/к через день в 20:00", "Клексан", {"kind": "every_n_days", "interval": 2}),
    ("Мильгамма 2 мл в/м каждые 3 дня", "Мильгамма", {"kind": "every_n_days", "interval": 3}),
    ("Cipro 500 mg PO q12h from 8am", "Cipro", {"kind": "every_n_hours", "interval": 12}),
    ("Метотрексат 10 мг 1 р/нед по средам в 19:00", "Метотрексат", {"kind": "weekdays", "weekdays": [2]}),
    ("Humira pen 40 mg every other week", "Humira", {"kind": "every_n_days", "interval": 14}),
    ("Zoladex implant on the 10th of every month", "Zoladex", {"kind": "monthly", "month_day": 10}),
    ("Магнелис В6 по 2 таблетки через день в 21:00", "Магнелис В6", {"kind": "every_n_days", "interval": 2}),
])
def test_routes_and_prescription_shorthand_are_no_part_of_a_name(text: str, name: str, expected: dict[str, Any]) -> None:
    found = one(text)
    assert found["name"] == name and found["regimen"] == expected, found


def test_three_times_a_day_written_as_a_prescription() -> None:
    assert sure("Амоксиклав 625 мг по 1 т. 3 р/сут 7 дней")["command"] == "add"


@pytest.mark.parametrize(("text", "interval"), [
    ("внучек поставь мне через денек панангин в обед", 2),
    ("детралекс через три дня на четвертый в 9", 4),
    ("фуросемид 40 через 2 дня на 3-й в 7 утра", 3),
])
def test_every_few_days_said_the_russian_way(text: str, interval: int) -> None:
    assert rule(text) == {"kind": "every_n_days", "interval": interval}


@pytest.mark.parametrize(("text", "on", "off"), [
    ("регулон по схеме 21 через 7 в 22:00", 21, 7),
    ("леналидомид 15 мг 21 день из 28 в 10", 21, 7),
    ("Revlimid days 1-21 of a 28-day cycle at 9pm", 21, 7),
    ("дюфастон 10 дней, потом перерыв 18 дней, в 9", 10, 18),
    ("гидреа 4 дня пью, 3 дня перерыв, в 18:00", 4, 3),
    ("Курсами 20 дней, 10 дней перерыв: Танакан 40 мг в 13:00", 20, 10),
])
def test_more_cycles(text: str, on: int, off: int) -> None:
    assert rule(text) == {"kind": "cycle", "on_days": on, "off_days": off}


@pytest.mark.parametrize(("text", "expected"), [
    ("через часик напомни выпить альмагель", {"kind": "once", "in_minutes": 60}),
    ("remind me in 20 minutes to give Dad his Lasix", {"kind": "once", "in_minutes": 20}),
    ("next Friday at 8am Diflucan 150 mg, just the once", {"kind": "once", "start": {"kind": "weekday", "value": 4}}),
    ("vermox 100 mg Sunday 10am once", {"kind": "once", "start": {"kind": "weekday", "value": 6}}),
    ("today at 4pm a single dose of Zofran 8mg", {"kind": "once", "start": {"kind": "offset", "value": 0}}),
])
def test_one_offs(text: str, expected: dict[str, Any]) -> None:
    assert rule(text) == expected


@pytest.mark.parametrize("text", [
    "Nexium 40 mg once daily before breakfast for 4 weeks",
    "пенициллин каждые 6 ч круглосуточно с 6 утра",
])
def test_once_daily_and_around_the_clock_are_no_leftover(text: str) -> None:
    assert one(text)["name"]


@pytest.mark.parametrize(("text", "limit"), [
    ("Loperamide 2 mg after each loose stool, max 6 a day", 6),
    ("диклофенак свечи 100 при сильной боли не более 1 раза в сутки", 1),
    ("tramadol 50 prn pain, max 4/24h", 4),
    ("каптоприл под язык если давление выше ста восьмидесяти", None),
    ("эналаприл только если давление высокое", None),
])
def test_as_needed_more_ways(text: str, limit: int | None) -> None:
    expected: dict[str, Any] = {"kind": "as_needed"}
    if limit:
        expected["max_per_day"] = limit
    assert rule(text) == expected


@pytest.mark.parametrize("text", ["Нитроспрей 2 дозы при боли в груди", "Сальбутамол 2 вдоха при одышке"])
def test_doses_counted_with_as_needed_are_no_dose_change(text: str) -> None:
    body = sure(text)
    assert body["command"] == "add" and body["medications"][0]["regimen"] == {"kind": "as_needed"}


@pytest.mark.parametrize(("text", "expected"), [
    ("верошпирон не каждый день, а через день", {"kind": "every_n_days", "interval": 2}),
    ("торасемид с этой недели по вторникам и пятницам", {"kind": "weekdays", "weekdays": [1, 4]}),
])
def test_not_every_day_any_more_is_a_new_rule(text: str, expected: dict[str, Any]) -> None:
    body = sure(text)
    assert body["command"] == "regimen_change" and body["regimen"] == expected


@pytest.mark.parametrize("text", [
    "уменьши дозу эутирокса на 25 мкг",  # by 25, from what?
    "reduce the prednisone by 5 mg every week",
    "prednisone 5 mg less each week depending on the pain",
    "больше не каждый день",  # then how often?
    "вермокс 15 числа",  # this month, or every month?
])
def test_a_relative_change_or_a_half_said_rule_is_asked(text: str) -> None:
    assert asks(text)


def test_the_vitamin_letter_is_no_from() -> None:
    assert one("Витамин С 1000 мг 1 р/д")["name"] == "Витамин С"


@pytest.mark.parametrize(("text", "names"), [
    ("с 3 по 9 июля никаких напоминаний, он в санатории", []),
    ("tomorrow no reminder for metformin please, fasting for bloods", ["metformin"]),
])
def test_breaks_said_by_carers(text: str, names: list[str]) -> None:
    body = sure(text)
    assert body["command"] == "pause" and [n.lower() for n in body["names"]] == names


# ---------------------------------------------------------------- tapers as labels and people write them


@pytest.mark.parametrize(("text", "steps"), [
    ("Паксил снижаем постепенно: 20 мг 14 дней, 10 мг 14 дней, в 9", [("20 мг", 14), ("10 мг", 14)]),
    ("wean off the prednisone: 20 mg for a week, then 10 mg for a week, then stop, at 8am", [("20 mg", 7), ("10 mg", 7)]),
    ("Days 1-2: 3 tablets, days 3-4: 2 tablets, day 5: 1 tablet — dexamethasone at 9", [("3 tablets", 2), ("2 tablets", 2),
                                                                                     ("1 tablet", 1)]),
    ("lamotrigine titrate up: 25mg wk1, 50mg wk2, then 100mg, at night", [("25 mg", 7), ("50 mg", 7), ("100 mg", None)]),
    ("Медрол 4 мг: по 3 т. 4 дня, далее по 2 т. 4 дня, далее по 1 т. до отмены, в 8", [("3 таблетки", 4), ("2 таблетки", 4),
                                                                                    ("1 таблетка", None)]),
    ("папе преднизолон: 5 дней по 4 таблетки, 5 дней по 3, дальше по 2, в 8", [("4 таблетки", 5), ("3 таблетки", 5),
                                                                              ("2 таблетки", None)]),
    ("L-тироксин 50 три недели, потом 75 в 6:30", [("50", 21), ("75", None)]),
])
def test_tapers(text: str, steps: list[tuple[str, int | None]]) -> None:
    found = rule(text)
    assert found is not None and found["kind"] == "daily", found
    assert [(step["dosage"], step.get("days")) for step in found["steps"]] == steps


@pytest.mark.parametrize(("text", "expected"), [
    ("temodal 5 days every 28 days at 9pm", {"kind": "cycle", "on_days": 5, "off_days": 23}),
    ("Раз в месяц, 10-го, вигантол 20 капель", {"kind": "monthly", "month_day": 10}),
    ("Prolia due the 4th of every month", {"kind": "monthly", "month_day": 4}),
    ("раз в двое суток меняю пластырь нейпро в 9", {"kind": "every_n_days", "interval": 2}),
    ("фосфалюгель при расстройстве желудка, до 3 раз в день", {"kind": "as_needed", "max_per_day": 3}),
    ("Celebrex when my hips are bad, max 2 a day", {"kind": "as_needed", "max_per_day": 2}),
    ("nudge me in 10 min for my Flonase", {"kind": "once", "in_minutes": 10}),
    ("amitriptyline: 10 mg weeks 1-2, then 25 mg, at night", {"kind": "daily", "steps": [{"dosage": "10 mg", "days": 14},
                                                                                     {"dosage": "25 mg"}]}),
])
def test_more_rules_from_corpus_vv(text: str, expected: dict[str, Any]) -> None:
    assert rule(text) == expected


def test_at_an_hour_an_injection_is_no_count_of_injections() -> None:
    found = parse_body("в пятницу в 11 укол цефтриаксона")["medications"][0]
    assert found["times"] == ["11:00"] and found["dosage"] is None


@pytest.mark.parametrize("text", ["калий-нормин через день, но в выходные не пить совсем",
                                  "alendronate: switch from Mondays to Sundays"])
def test_a_rule_beside_a_break_or_a_switch_of_day_is_never_a_span(text: str) -> None:
    body = parse_body(text)
    assert asks(text) or body.get("regimen") == {"kind": "weekdays", "weekdays": [6]}
