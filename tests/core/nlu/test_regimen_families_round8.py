"""Schedule families the blind corpora ww, xx and yy found weak (issue 9: prescription
shorthand, dictated run-ons with corrections, days said as ordinals, cycles with the name in
between), each with phrasings of our own (not the corpora's): every test fails if that
family's reading breaks."""

from __future__ import annotations

from typing import Any

import pytest

from medbot.core.commands import to_json
from medbot.core.nlu import parse
from medbot.core.nlu.day_ordinals import with_day_ordinals_as_digits
from medbot.core.nlu.rx_shorthand import written_out
from medbot.core.nlu.schedule_vocab import number
from medbot.core.nlu.second_thoughts import second_thoughts_settled
from tests.core.nlu.test_people_families_fresh import sure
from tests.core.nlu.test_regimen_families_round7 import one

# ---------------------------------------------------------------- cycles with the name in between


@pytest.mark.parametrize(("text", "on", "off"), [
    ("четыре дня принимаю панангин три дня отдыхаю", 4, 3),
    ("две недели пьём магне б6 неделю не пьём", 14, 7),
    ("14 дней по 1 таблетке ксеомин в 9, потом 14 дней перерыв", 14, 14),
    ("3 недели фемостон, неделю перерыв, вечером", 21, 7),
    ("двадцать один день мидиана в 22:00 и семь дней перерыв", 21, 7),
])
def test_a_length_of_taking_and_a_break_after_the_name_make_a_cycle(text: str, on: int, off: int) -> None:
    assert one(text)["regimen"] == {"kind": "cycle", "on_days": on, "off_days": off}


@pytest.mark.parametrize(("text", "days"), [
    ("3 дня перерыв по всем лекарствам", 3),
    ("неделю перерыв по всем таблеткам", 7),
])
def test_a_break_length_alone_is_a_break(text: str, days: int) -> None:
    body = sure(text)
    assert body["command"] == "pause" and body["days"] == days, body


def test_an_hour_before_a_break_is_no_length_of_taking() -> None:
    found = one("21 день эксеместан в 9 потом неделю перерыв")
    assert found["times"] == ["09:00"] and found["regimen"] == {"kind": "cycle", "on_days": 21, "off_days": 7}


def test_two_counts_side_by_side_are_never_added() -> None:
    assert number("две пять") is None and number("одной три") is None
    assert number("двадцать пять") == 25 and number("сто пятьдесят") == 150 and number("twenty-one") == 21
    steps = one("дексаметазон по четыре таблетки три дня потом по две три дня потом по одной три дня")["regimen"]["steps"]
    assert [step["days"] for step in steps] == [3, 3, 3], steps


# ---------------------------------------------------------------- dictated words


@pytest.mark.parametrize(("text", "times", "kind"), [
    ("кардиомагнил по средам в восемь часиков утра", ["08:00"], "weekdays"),
    ("каждые шесть часиков нурофен начиная с семи утра", ["07:00"], "every_n_hours"),
    ("через полчасика напомни принять энтерофурил", [], "once"),
    ("мильгамма укольчики в девять утра десять деньков", ["09:00"], "daily"),
])
def test_time_words_said_fondly(text: str, times: list[str], kind: str) -> None:
    found = one(text)
    assert found["times"] == times and found["regimen"]["kind"] == kind, found


@pytest.mark.parametrize(("text", "dosage"), [
    ("трулисити ноль семьдесят пять по пятницам в 10", "0.75"),
    ("виктоза ноль целых шесть десятых", None),  # "шесть десятых" is no digit said: never read as 0.6 by this rule
    ("бисопролол ноль пять каждое утро в 8", "0.5"),
])
def test_a_decimal_read_aloud_is_a_dose_never_a_time(text: str, dosage: str | None) -> None:
    body = to_json(parse(text))
    if dosage is None:
        assert all("00:" not in t for m in body.get("medications", []) for t in m["times"]), body
        return
    assert body["command"] == "add" and body["medications"][0]["dosage"] == dosage, body
    assert all(not t.startswith("00:") for t in body["medications"][0]["times"]), body


def test_at_zero_hour_a_spoken_time_stays_a_time() -> None:
    body = to_json(parse("выпить мелаксен в ноль тридцать"))
    assert "0.30" not in str(body)


@pytest.mark.parametrize(("text", "written"), [
    ("с пятого по двенадцатое не напоминай про эликвис", "с 5-го по 12-е не напоминай про эликвис"),
    ("двадцать второго января в 9 выпить фортранс", "22 января в 9 выпить фортранс"),
    ("до тридцатого пить нурофен", "до 30-го пить нурофен"),
    ("восемнадцатого в 10 укол пролиа", "18-го в 10 укол пролиа"),
    ("второго приёма не было", "второго приёма не было"),
    ("двадцать двадцатого мая", "двадцать двадцатого мая"),
])
def test_days_of_the_month_said_as_ordinals(text: str, written: str) -> None:
    assert with_day_ordinals_as_digits(text) == written


@pytest.mark.parametrize(("words", "day"), [
    ("пятнадцатого", 15), ("двадцать первое", 21), ("тридцать первого", 31), ("первого", 1),
    ("тридцать второго", None), ("двадцать десятого", None), ("двадцать двадцатого", None),
])
def test_one_reader_of_ordinal_days(words: str, day: int | None) -> None:
    from medbot.core.nlu.schedule_vocab import ru_day_ordinal

    assert ru_day_ordinal(words) == day


def test_a_break_between_ordinal_days_is_read() -> None:
    body = sure("с третьего по седьмое ничего не напоминай")
    assert body["command"] == "pause" and body["first"] == {"kind": "date", "value": 3}, body


# ---------------------------------------------------------------- corrections in the middle


@pytest.mark.parametrize(("text", "settled"), [
    ("эутирокс в шесть утра нет в семь", "эутирокс в семь утра"),
    ("фенибут в 9 вечера, нет в 10", "фенибут в 10 вечера"),
    ("магний с восьми утра нет с девяти", "магний с девяти утра"),
    ("xarelto at 6 pm no wait 7", "xarelto at 7 pm"),
    ("бетасерк в девять вечера в девять", "бетасерк в девять вечера"),
])
def test_a_corrected_hour_keeps_the_part_of_the_day(text: str, settled: str) -> None:
    assert second_thoughts_settled(text) == settled


@pytest.mark.parametrize(("text", "settled"), [
    ("по вторникам и субботам нет не в субботу а в воскресенье", "по вторникам и воскресеньям"),
    ("on Mondays and Thursdays, no not Thursday, Friday", "on Mondays and Fridays"),
])
def test_a_weekday_taken_back_is_replaced_in_the_list(text: str, settled: str) -> None:
    assert second_thoughts_settled(text) == settled


def test_a_weekday_correction_changes_the_stored_days() -> None:
    found = one("метотрексат по понедельникам в 10 нет не в понедельник а во вторник")
    assert found["regimen"] == {"kind": "weekdays", "weekdays": [1]} and found["times"] == ["10:00"], found


# ---------------------------------------------------------------- prescription shorthand


@pytest.mark.parametrize(("text", "written"), [
    ("Cefalexin 500mg QDS x7d", "Cefalexin 500mg four times a day x7d"),
    ("Amitriptyline 10mg nocte", "Amitriptyline 10mg at bedtime"),
    ("Doxycycline 100mg OD for 14/7", "Doxycycline 100mg once a day for 14 days"),
    ("Metronidazole 400mg TDS", "Metronidazole 400mg three times a day"),
    ("Ibuprofen 400 mg 8-hourly", "Ibuprofen 400 mg every 8 hours"),
    ("Кеналог 40 мг в/м 1 р/4 нед", "Кеналог 40 мг в/м 1 раз в 4 недели"),
    ("Inj. Vitcofol 1 amp IM weekly", "Vitcofol 1 amp   weekly"),
    ("Timolol 1 drop OD twice a day", "Timolol 1 drop OD twice a day"),  # the right eye, not "once a day"
    ("ярина 21/7", "ярина 21/7"),  # a pill cycle, not days
])
def test_prescription_shorthand_in_words(text: str, written: str) -> None:
    assert written_out(text) == written


@pytest.mark.parametrize(("text", "days"), [
    ("Amoxicillin 500mg TDS for 5/7", 5),
    ("Fluconazole 50mg OD x 7 days", 7),
])
def test_a_label_reads_like_the_course_said_in_full(text: str, days: int) -> None:
    found = one(text)
    assert found["regimen"] == {"kind": "daily", "days": days} and found["times"] == [], found


def test_an_hourly_label_is_every_n_hours() -> None:
    found = one("Cefuroxime 250mg 12-hourly, first dose 8am")
    assert found["regimen"] == {"kind": "every_n_hours", "interval": 12} and found["times"] == ["08:00"], found


# ---------------------------------------------------------------- names and breaks


@pytest.mark.parametrize(("text", "name"), [
    ("Ventolin inhaler 2 puffs as needed", "ventolin"),
    ("сальбутамол ингалятор по 2 вдоха при одышке", "сальбутамол"),
])
def test_an_inhaler_is_the_form_not_the_name(text: str, name: str) -> None:
    assert one(text)["name"].lower() == name


def test_a_break_said_beside_a_clause_of_talk_stays_a_break() -> None:
    body = sure("ты мне послезавтра про кардиомагнил не напоминай у меня гастроскопия с утра")
    assert body["command"] == "pause" and body["names"] == ["кардиомагнил"], body
    assert body["first"] == {"kind": "offset", "value": 2}


def test_the_last_of_several_corrections_stands() -> None:
    found = one("регулон пью три недели неделю перерыв в десять вечера нет в одиннадцать нет в десять")
    assert found["times"] == ["22:00"] and found["regimen"] == {"kind": "cycle", "on_days": 21, "off_days": 7}, found


# ---------------------------------------------------------------- Russian in Latin letters


@pytest.mark.parametrize(("text", "name", "times", "regimen"), [
    ("napomni kazhdye 6 chasov ibuprofen s 8 utra", "ibuprofen", ["08:00"], {"kind": "every_n_hours", "interval": 6}),
    ("zapishi omez po sredam i subbotam v 9 vechera", "omez", ["21:00"], {"kind": "weekdays", "weekdays": [2, 5]}),
    ("napomni pro nurofen", "nurofen", [], None),
])
def test_russian_typed_in_latin_letters(text: str, name: str, times: list[str], regimen: dict[str, Any] | None) -> None:
    found = one(text)
    assert found["name"].lower() == name and found["times"] == times and found.get("regimen") == regimen, found


@pytest.mark.parametrize("text", ["remind me to take vitamin d at 9 pm", "i took my pills", "do not remind me today"])
def test_english_is_never_taken_for_russian_in_latin_letters(text: str) -> None:
    from medbot.core.nlu.translit import cyrillic_restored

    assert cyrillic_restored(text) == text


# ---------------------------------------------------------------- never confidently wrong


@pytest.mark.parametrize("text", [
    "ох я не понимаю как тут всё работает ну в общем послезавтра не напоминайте про эликвис",
    "ну вот значит как писать не знаю ладно послезавтра мне не напоминайте про эликвис",
])
def test_a_day_said_beside_talk_keeps_a_break_from_becoming_a_deletion(text: str) -> None:
    body = to_json(parse(text))
    assert body["command"] == "unknown" or body["command"] == "pause" and body["first"] == {"kind": "offset", "value": 2}, body


@pytest.mark.parametrize("text", [
    "утром и вечером в 9 и в 21 юперио",  # read in pairs, never both 21:00
    "эналаприл утром и вечером в 7 и в 19",
])
def test_dayparts_and_hours_listed_in_pairs(text: str) -> None:
    found = one(text)
    assert sorted(found["times"]) == sorted({"юперио": ["09:00", "21:00"]}.get(found["name"].lower(), ["07:00", "19:00"])), found


@pytest.mark.parametrize("text", [
    "конкор в 7 вечера и в 19:00",  # two hours said, one clock time: a dose would be lost
    "варфарин то 5 мг то 2.5 мг в 18:00",  # doses that take turns
    "coumadin alternating 2 and 3 mg at 5pm",
    "сколько мне ещё можно нурофена сегодня, уже 4 выпила",  # a question, never a dose to add
    "remind me to stop the clopidogrel a week before surgery",  # a reminder for later, never a deletion now
    "мы с мамой выпили свои",  # two people's doses
    "эглонил 50 мг неделю, потом через день",  # every other day for which step?
])
def test_what_the_bot_cannot_store_as_said_is_asked(text: str) -> None:
    body = to_json(parse(text))
    assert body["command"] == "unknown" or body.get("confirm"), body


def test_a_forgotten_dose_is_not_marked() -> None:
    body = sure("took my ramipril and bisoprolol, forgot the statin, will take it tonight")
    assert body["command"] == "done" and [n.lower() for n in body["names"]] == ["ramipril", "bisoprolol"], body


def test_a_move_from_one_weekday_to_another_is_the_new_day() -> None:
    body = sure("метотрексат перенеси с четверга на субботу")
    assert body["command"] == "regimen_change" and body["regimen"] == {"kind": "weekdays", "weekdays": [5]}, body


def test_an_abbreviated_weekday_after_po_is_every_week() -> None:
    assert one("оземпик 0.5 раз в неделю по вскр в 10")["regimen"] == {"kind": "weekdays", "weekdays": [6]}


def test_on_and_off_said_with_for() -> None:
    assert one("on for 5 days, off for 2, zinc at 8am")["regimen"] == {"kind": "cycle", "on_days": 5, "off_days": 2}


@pytest.mark.parametrize(("text", "name"), [
    ("нурофен от зубной боли, не больше 3 раз в день", "нурофен"),
    ("vitamin d supplement 1000 iu at breakfast", "vitamin d"),
    ("Mark omeprazole and amlodipine as taken", "omeprazole"),
])
def test_what_a_medication_is_for_or_the_verb_before_it_is_no_part_of_its_name(text: str, name: str) -> None:
    body = sure(text)
    names = [m["name"] for m in body.get("medications", [])] or body.get("names", [])
    assert names[0].lower() == name, body


def test_today_and_tomorrow_is_two_days_of_agenda() -> None:
    assert sure("что у меня на сегодня и завтра?") == {"command": "agenda", "days": 2, "needs_llm": False, "confirm": False}


# ---------------------------------------------------------------- commentary after the request


@pytest.mark.parametrize(("text", "name", "times"), [
    ("Фенибут 250 мг в 21:00 две недели. Сплю плохо уже месяц, соседи сверху ремонт затеяли", "фенибут", ["21:00"]),
    ("Lisinopril 10 mg at 8am every day. My daughter worries a lot about me", "lisinopril", ["08:00"]),
    ("Цефиксим 400 в 10 утра 7 дней, уролог сказал пить воды побольше и не переохлаждаться", "цефиксим", ["10:00"]),
    ("Ramipril 5 mg at 9pm, the cardiologist says my numbers are much better now", "ramipril", ["21:00"]),
])
def test_a_sentence_about_the_person_or_the_doctor_after_the_request_is_commentary(
        text: str, name: str, times: list[str]) -> None:
    found = one(text)
    assert found["name"].lower() == name and found["times"] == times, found


@pytest.mark.parametrize("text", [
    "Фенибут 250 мг в 21:00. Но первую неделю по половинке",  # a dose of its own: never commentary
    "Конкор в 8 утра. Только по будням",  # a rule of its own
    "Ramipril at 9pm. The doctor said every other day though",
    "Lisinopril 10 mg at 8am. Not sure it goes with my other pills?",  # a doubt
    "Амлодипин в 9 вечера. Врач сказал утром лучше",  # another part of the day
])
def test_a_sentence_that_still_shapes_the_schedule_is_never_commentary(text: str) -> None:
    body = to_json(parse(text))
    assert body["command"] == "unknown" or body.get("confirm") or any(
        m.get("regimen") or m["dosage"] for m in body.get("medications", [])), body


def test_a_reason_after_a_moved_day_adds_no_day() -> None:
    body = sure("кветиапин перенесли с субботы на понедельник, в 9 вечера, а то в субботу у меня смены")
    assert body["command"] == "regimen_change" and body["regimen"] == {"kind": "weekdays", "weekdays": [0]}, body


def test_what_a_break_is_for_names_no_second_medication() -> None:
    body = sure("pause my naproxen for 5 days from Friday, I'm having surgery and they said no blood thinners")
    assert body["command"] == "pause" and [n.lower() for n in body["names"]] == ["naproxen"], body
    assert body["days"] == 5 and body["first"] == {"kind": "weekday", "value": 4}


def test_a_time_label_beside_a_new_rule_is_no_time_change() -> None:
    found = one("Новинет: 21 день пью, 7 перерыв. Время 21:30")
    assert found["times"] == ["21:30"] and found["regimen"] == {"kind": "cycle", "on_days": 21, "off_days": 7}, found


def test_one_more_dose_is_the_medication() -> None:
    found = one("extra paracetamol at 3pm today, just this once")
    assert found["name"].lower() == "paracetamol", found
    assert one("Extra Strength Tylenol at 9pm")["name"].lower() == "extra strength tylenol"


def test_a_brand_plus_is_never_cut_to_another_medication() -> None:
    body = to_json(parse("нолипрел плюс в 8"))
    assert body["command"] == "unknown" or body["medications"][0]["name"].lower() == "нолипрел плюс", body


@pytest.mark.parametrize(("text", "dosage"), [
    ("аквадетрим двадцать тысяч единиц по субботам", "20000 ед"),
    ("кларитромицин по двести пятьдесят каждые 12 часов", "250"),
    ("vitamin d3 forty thousand units every sunday", "40000 units"),
])
def test_counts_said_in_words_are_the_dose(text: str, dosage: str) -> None:
    assert one(text)["dosage"] == dosage


def test_a_count_of_days_after_po_is_no_dose() -> None:
    from medbot.core.nlu.normalize import spelled_out

    assert spelled_out("по десять дней") == "по десять дней" and spelled_out("по две таблетки") == "по две таблетки"


def test_days_in_a_row_are_never_an_afternoon_hour() -> None:
    found = one("азитромицин 500 мг, 3 дня подряд в 10:00")
    assert found["times"] == ["10:00"] and found["regimen"] == {"kind": "daily", "days": 3}, found


def test_until_a_weekday_said_in_the_singular() -> None:
    found = one("с завтра по субботу ингавирин в 9")
    assert found["regimen"] == {"kind": "daily", "start": {"kind": "offset", "value": 1},
                                "until": {"kind": "weekday", "value": 5}}, found
    assert one("ингавирин по субботам в 9")["regimen"] == {"kind": "weekdays", "weekdays": [5]}


def test_from_the_second_week_starts_a_step_that_goes_on() -> None:
    steps = one("сертралин 25 мг первую неделю, со второй недели 50 мг, утром")["regimen"]["steps"]
    assert steps == [{"dosage": "25 мг", "days": 7}, {"dosage": "50 мг"}]


def test_a_limit_said_as_not_more_than_is_kept() -> None:
    assert one("кеторол при боли, больше 2 раз в день нельзя")["regimen"] == {"kind": "as_needed", "max_per_day": 2}


@pytest.mark.parametrize("text", [
    "Витамины: 10 дней пьём, 10 отдыхаем, Супрадин утром",  # the kind, then its name: one medication or two?
    "отмени что-то из вечерних, не помню что кардиолог убрал",  # not the last change: which one?
    "выпила конкор, а аторис вечером выпью",  # the second is not taken yet: marked alone or asked, never both
])
def test_kinds_forgotten_changes_and_doses_to_come_are_never_guessed(text: str) -> None:
    body = to_json(parse(text))
    assert body["command"] == "unknown" or body.get("confirm") or body.get("names") == ["конкор"], body
