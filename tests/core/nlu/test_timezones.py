"""Recognising time zones in free text: offsets, IANA names, cities, and what is not a zone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbot.core.nlu.timezones import ZoneMatch, find_timezone, parse_zone
from medbot.core.tz import iana_names, zone_or_none

OFFSETS = [
    ("+5", "+05:00"),
    ("-3", "-03:00"),
    ("+05:30", "+05:30"),
    ("+5:30", "+05:30"),
    ("+0530", "+05:30"),
    ("+5.5", "+05:30"),
    ("UTC+3", "+03:00"),
    ("UTC +3", "+03:00"),
    ("UTC + 3", "+03:00"),
    ("UTC-11", "-11:00"),
    ("UTC−3", "-03:00"),  # U+2212 minus sign
    ("UTC–3", "-03:00"),  # en dash
    ("GMT+7", "+07:00"),
    ("gmt-3", "-03:00"),
    ("(GMT+03:00)", "+03:00"),
    ("UTC+5:30", "+05:30"),
    ("UTC+5.30", "+05:30"),
    ("UTC+05:45", "+05:45"),
    ("UTC+0", "+00:00"),
    ("UTC+14", "+14:00"),
    ("UTC-12", "-12:00"),
    ("+14", "+14:00"),
    ("-12", "-12:00"),
    ("UTC плюс 3", "+03:00"),
    ("GMT minus 4", "-04:00"),
    ("UTC", "UTC"),
    ("utc", "UTC"),
    ("GMT", "UTC"),
    ("по Гринвичу", "UTC"),
    ("по Гринвичу +2", "+02:00"),
    ("МСК", "Europe/Moscow"),
    ("мск", "Europe/Moscow"),
    ("MSK", "Europe/Moscow"),
    ("по московскому времени", "Europe/Moscow"),
    ("московское время", "Europe/Moscow"),
    ("Moscow time", "Europe/Moscow"),
    ("мск+4", "+07:00"),
    ("MSK+4", "+07:00"),
    ("МСК +4", "+07:00"),
    ("МСК-1", "+02:00"),
    ("мск+9", "+12:00"),
    ("мск плюс 2", "+05:00"),
    ("Москва+4", "+07:00"),
    ("Москва +4", "+07:00"),
    ("по Москве +4", "+07:00"),
    ("+4 к Москве", "+07:00"),
    ("+4 к мск", "+07:00"),
    ("+2 часа от Москвы", "+05:00"),
    ("-1 от мск", "+02:00"),
    ("московское время +2", "+05:00"),
    ("часовой пояс плюс 5", "+05:00"),
    ("часовой пояс: минус 3:30", "-03:30"),
    ("EST", "America/New_York"),
    ("PDT", "America/Los_Angeles"),
    ("CET", "Europe/Berlin"),
]


@pytest.mark.parametrize(("text", "zone"), OFFSETS)
def test_offsets_alone(text: str, zone: str) -> None:
    assert parse_zone(text) == zone
    match = find_timezone(text)
    assert match is not None and match.zone == zone


@pytest.mark.parametrize(("text", "zone"), OFFSETS)
def test_offsets_in_a_sentence(text: str, zone: str) -> None:
    match = find_timezone(f"Поменяй, пожалуйста, часовой пояс на {text}, спасибо")
    assert match is not None and match.zone == zone
    assert zone_or_none(match.zone) is not None


@pytest.mark.parametrize("text", [
    "UTC+15", "UTC-13", "+15", "-13", "+25", "UTC+99", "+5:15", "+5:20", "UTC+5:60", "+03:07",
    "мск+12", "мск-16", "UTC 5", "GMT 3", "5", "05:30", "плюс 5", "+", "UTC+", "мск+",
])
def test_offsets_out_of_range_or_unsigned_are_rejected(text: str) -> None:
    assert parse_zone(text) is None
    assert find_timezone(text) is None


@pytest.mark.parametrize("text", [
    "омега-3", "Омега-3 1000 мг", "омега 3", "витамин B12", "витамин D3 2000 МЕ", "коэнзим Q10",
    "L-карнитин", "магне B6 по 2 таблетки", "+5 таблеток", "+5таблеток", "-2 капсулы",
    "+1 pill", "-2 tablets", "+5 мг", "+5мг", "+10 ml", "-5 градусов", "-5°", "-5°C", "+5%",
    "в 3", "в 5", "в 9 утра", "21:00", "в 21:00", "10:00-12:00", "10:00 - 12:00", "10.00-11.00",
    "с 9 до 21", "2024-05-01", "01.05.2024", "принимаю 2-3 раза в день", "+7 999 123-45-67",
    "+79991234567", "+7 (999) 123-45-67", "аспирин -3 дня", "давление 120/80",
    "сдвинь на +1 час", "через +2 часа", "+30 минут", "выпил аспирин в 9",
    "добавь витамин D в 10", "Добавь аспирин 200 мг в 10:00 и 18:00", "move the ibuprofen to 9 pm",
    "took it", "at 10:30 pm", "take 2 pills at 8am", "ибупрофен 200мг в 8:00, 14:00 и 20:00",
])
def test_medication_names_doses_and_times_are_not_zones(text: str) -> None:
    assert find_timezone(text) is None
    assert parse_zone(text) is None


@pytest.mark.parametrize("text", [
    "я нашла находку", "Какая находка!", "шахты закрыты", "в шахты спустились шахтёры",
    "орёл парит в небе", "Орёл парит в небе", "мирный договор", "Энгельс писал Марксу",
    "читаю Пушкина", "Пушкин - великий поэт", "позвони Владимиру", "Владимир Петрович, привет",
    "Артём выпил таблетку", "Лида, напомни про лекарство", "Иванова Мария Петровна",
    "дели таблетку пополам", "игла в вену", "в вене тромб", "ребёнок орал всю ночь",
    "я в порту", "для семей с детьми", "грозный вид", "в находке", "в 10 Находка",
    "that's nice", "Nice weather today", "in nice weather", "have a nice day", "reading a book",
    "mobile app", "Victoria called me", "Sofia took her pills", "la la la", "a nice cologne",
])
def test_names_that_are_ordinary_words_are_not_zones(text: str) -> None:
    assert find_timezone(text) is None


@pytest.mark.parametrize(("text", "zone"), [
    ("Находка", "Asia/Vladivostok"),
    ("город Находка", "Asia/Vladivostok"),
    ("г. Находка", "Asia/Vladivostok"),
    ("живу в Находке", "Asia/Vladivostok"),
    ("переехала в Шахты", "Europe/Moscow"),
    ("я из Орла", "Europe/Moscow"),
    ("в городе Мирный", "Asia/Yakutsk"),
    ("Вена", "Europe/Vienna"),
    ("в Вене", "Europe/Vienna"),
    ("в Дели", "Asia/Kolkata"),
    ("I live in Nice", "Europe/Paris"),
    ("Nice", "Europe/Paris"),
    ("in LA", "America/Los_Angeles"),
    ("moved to Victoria", "America/Vancouver"),
])
def test_ambiguous_names_count_in_a_city_context(text: str, zone: str) -> None:
    match = find_timezone(text)
    assert match is not None and match.zone == zone


@pytest.mark.parametrize("name", [
    "America/New_York", "Europe/Moscow", "Asia/Kolkata", "Asia/Krasnoyarsk",
    "America/Argentina/Buenos_Aires", "America/Port-au-Prince", "Asia/Ust-Nera", "Etc/GMT+5",
    "US/Eastern", "Europe/Kyiv", "Africa/Dar_es_Salaam", "Pacific/Chatham",
])
def test_iana_names_any_spelling(name: str) -> None:
    assert parse_zone(name) == name
    assert parse_zone(name.lower()) == name
    assert parse_zone(name.upper()) == name
    assert parse_zone(name.replace("_", " ")) == name
    assert parse_zone(name.replace("_", "")) == name
    match = find_timezone(f"set my zone to {name.lower()} please")
    assert match is not None and match.zone == name


def test_every_iana_area_name_is_recognised() -> None:
    names = [name for name in iana_names() if "/" in name]
    assert [name for name in names if parse_zone(name.lower()) != name] == []


@pytest.mark.parametrize(("text", "zone"), [
    ("Я переехал в Красноярск", "Asia/Krasnoyarsk"),
    ("теперь живу в Нижнем Новгороде", "Europe/Moscow"),
    ("Часовой пояс как в Самаре", "Europe/Samara"),
    ("я сейчас в Калининграде", "Europe/Kaliningrad"),
    ("I moved to New York", "America/New_York"),
    ("I'm in Almaty now", "Asia/Almaty"),
    ("Saint Petersburg", "Europe/Moscow"),
    ("St. Petersburg", "Europe/Moscow"),
    ("St Petersburg", "Europe/Moscow"),
    ("Rostov-on-Don", "Europe/Moscow"),
    ("Nizhny Novgorod", "Europe/Moscow"),
    ("Yekaterinburg", "Asia/Yekaterinburg"),
    ("Ekaterinburg", "Asia/Yekaterinburg"),
    ("Kyiv", "Europe/Kyiv"),
    ("Kiev", "Europe/Kyiv"),
    ("Chisinau", "Europe/Chisinau"),
    ("Chișinău", "Europe/Chisinau"),
    ("São Paulo", "America/Sao_Paulo"),
    ("Sao Paulo", "America/Sao_Paulo"),
    ("Zürich", "Europe/Zurich"),
    ("in Mexico City", "America/Mexico_City"),
    ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"),
    ("Tel Aviv", "Asia/Jerusalem"),
    ("Hong Kong", "Asia/Hong_Kong"),
    ("Mumbai", "Asia/Kolkata"),
    ("New Delhi", "Asia/Kolkata"),
    ("Bangkok", "Asia/Bangkok"),
    ("Beijing", "Asia/Shanghai"),
    ("Shanghai", "Asia/Shanghai"),
    ("Tokyo", "Asia/Tokyo"),
    ("Seoul", "Asia/Seoul"),
    ("Singapore", "Asia/Singapore"),
    ("Sydney", "Australia/Sydney"),
    ("Auckland", "Pacific/Auckland"),
    ("Cairo", "Africa/Cairo"),
    ("Lagos", "Africa/Lagos"),
    ("Nairobi", "Africa/Nairobi"),
    ("Johannesburg", "Africa/Johannesburg"),
    ("Los Angeles", "America/Los_Angeles"),
    ("Chicago", "America/Chicago"),
    ("Toronto", "America/Toronto"),
    ("London", "Europe/London"),
    ("Paris", "Europe/Paris"),
    ("Berlin", "Europe/Berlin"),
    ("Madrid", "Europe/Madrid"),
    ("Rome", "Europe/Rome"),
    ("Istanbul", "Europe/Istanbul"),
    ("Dubai", "Asia/Dubai"),
    ("Buenos Aires", "America/Argentina/Buenos_Aires"),
])
def test_cities_in_english_and_in_sentences(text: str, zone: str) -> None:
    match = find_timezone(text)
    assert match is not None and match.zone == zone


@pytest.mark.parametrize(("text", "zone"), [
    ("переехал из Москвы в Новосибирск", "Asia/Novosibirsk"),
    ("поменяй пояс с Москвы на Омск", "Asia/Omsk"),
    ("смени с UTC+3 на UTC+5", "+05:00"),
    ("с +3 на +5", "+05:00"),
    ("не Москва, а Омск", "Asia/Omsk"),
    ("moved from London to Paris", "Europe/Paris"),
    ("я из Иркутска", "Asia/Irkutsk"),
])
def test_the_zone_being_left_loses(text: str, zone: str) -> None:
    match = find_timezone(text)
    assert match is not None and match.zone == zone


@pytest.mark.parametrize(("text", "zone"), [
    ("Нью-Йорк, UTC-5", "America/New_York"),
    ("UTC-5 (New York)", "America/New_York"),
    ("Москва, +3", "Europe/Moscow"),
    ("Екатеринбург (+5)", "Asia/Yekaterinburg"),
])
def test_a_place_beats_a_fixed_offset_because_it_knows_dst(text: str, zone: str) -> None:
    match = find_timezone(text)
    assert match is not None and match.zone == zone


@pytest.mark.parametrize(("text", "covered"), [
    ("живу в Красноярске теперь", "Красноярске"),
    ("поставь UTC+5:30 пожалуйста", "UTC+5:30"),
    ("поставь +5", "+5"),
    ("часовой пояс плюс 5", "плюс 5"),
    ("у меня мск+4", "мск+4"),
    ("zone: america/new york", "america/new york"),
    ("в Нижнем  Новгороде", "Нижнем  Новгороде"),
    ("I'm in St. Petersburg.", "St. Petersburg"),
])
def test_span_covers_exactly_the_zone(text: str, covered: str) -> None:
    match = find_timezone(text)
    assert match is not None
    assert text[match.start:match.end] == covered


@pytest.mark.parametrize(("text", "zone"), [
    ("+5", "+05:00"),
    ("  Иркутск  ", "Asia/Irkutsk"),
    ("Иркутск.", "Asia/Irkutsk"),
    ("UTC+5:30", "+05:30"),
    ("в Иркутске", "Asia/Irkutsk"),
    ("из Иркутска", "Asia/Irkutsk"),
    ("город Омск", "Asia/Omsk"),
    ("Europe/Moscow", "Europe/Moscow"),
    ("europe/moscow", "Europe/Moscow"),
    ("New York!", "America/New_York"),
    ("in Berlin", "Europe/Berlin"),
    ("UTC", "UTC"),
])
def test_parse_zone_accepts_a_text_that_is_just_a_zone(text: str, zone: str) -> None:
    assert parse_zone(text) == zone


@pytest.mark.parametrize("text", [
    "я живу в Иркутске", "поменяй пояс на +5", "Иркутск и Омск", "Иркутск +5", "5", "", "   ",
    "в 5", "привет", "UTC+5 пожалуйста", "Europe/Atlantis",
])
def test_parse_zone_rejects_sentences_and_non_zones(text: str) -> None:
    assert parse_zone(text) is None


def test_find_timezone_returns_a_zone_match() -> None:
    assert find_timezone("я в Омске") == ZoneMatch(4, 9, "Asia/Omsk")
    assert find_timezone("") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=10_000))
def test_never_raises_on_any_text(text: str) -> None:
    match = find_timezone(text)
    if match is not None:
        assert 0 <= match.start < match.end <= len(text)
        assert zone_or_none(match.zone) is not None
    zone = parse_zone(text)
    assert zone is None or zone_or_none(zone) is not None


_ZONE_ISH = st.text(
    alphabet=st.sampled_from(list("+-−–:., /_0123456789UTCGMTutcмскМСКплюсвНаходкаEurope/Moscow")),
    max_size=40,
)


@settings(max_examples=1000, deadline=None)
@given(_ZONE_ISH)
def test_zone_like_noise_gives_valid_zones_only(text: str) -> None:
    match = find_timezone(text)
    assert match is None or zone_or_none(match.zone) is not None
    zone = parse_zone(text)
    assert zone is None or zone_or_none(zone) is not None


@pytest.mark.parametrize("value", [None, 5, b"+5", ["+5"]])
def test_non_text_input_is_not_a_zone(value: object) -> None:
    assert find_timezone(value) is None  # type: ignore[arg-type]
    assert parse_zone(value) is None  # type: ignore[arg-type]


DRUGS = (
    "аспирин ибупрофен парацетамол нурофен цитрамон анальгин но-шпа омез омепразол эналаприл "
    "лозартан метформин глюкофаж L-тироксин эутирокс конкор бисопролол амлодипин аторвастатин "
    "кардиомагнил варфарин ксарелто эликвис преднизолон дексаметазон амоксициллин азитромицин "
    "флемоксин сумамед цетрин супрастин лоратадин зодак кларитин эреспал амброксол лазолван АЦЦ "
    "мукалтин валидол корвалол валериана пустырник глицин афобазол фенибут мексидол милдронат "
    "пирацетам ноотропил фуросемид верошпирон индапамид мальтофер сорбифер актовегин трентал "
    "детралекс троксевазин диклофенак найз нимесил кеторол мовалис мидокалм пенталгин спазмалгон "
    "смекта энтеросгель линекс креон мезим фестал ренни маалокс де-нол имодиум регидрон ацикловир "
    "кагоцел арбидол ингавирин эргоферон анаферон терафлю колдрекс називин отривин тизин визин "
    "тауфон инсулин лантус новорапид хумалог тресиба диабетон янувия форсига джардинс мелатонин "
    "мелаксен донормил феназепам грандаксин атаракс ibuprofen aspirin paracetamol metformin "
    "omeprazole atorvastatin amlodipine lisinopril levothyroxine warfarin insulin melatonin"
).split()


@pytest.mark.parametrize("drug", DRUGS)
def test_medication_names_are_not_cities(drug: str) -> None:
    assert find_timezone(f"добавь {drug} 200 мг в 9:00") is None
    assert find_timezone(f"выпил {drug.capitalize()}") is None
