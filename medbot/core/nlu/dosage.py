"""Dosages: an amount and a unit ("200 мг", "0.5 таблетки", "2 pills"), found in tokens.

A dosage is read before times so that "аспирин 200 мг в 10" never takes 200 for an hour.
The dosage string is normalised: the number with "." as the decimal point, one space, and
the unit in its canonical form in the language the person wrote the unit in; a count of
dosage forms agrees with its number ("1 таблетка", "2 таблетки", "5 таблеток", "2 pills").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from medbot.core.nlu.normalize import Token, fold, tokenize
from medbot.core.nlu.numbers import FRACTION_WORDS, cardinal, read_number
from medbot.core.nlu.russian_words import readings as russian_readings

MEASURES: dict[str, str] = {
    "мг": "мг", "мкг": "мкг", "г": "г", "гр": "г", "мл": "мл", "ед": "ед", "ме": "МЕ",
    "mg": "mg", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "ug": "mcg", "g": "g", "gr": "g",
    "ml": "ml", "iu": "IU", "ie": "IU", "meq": "mEq", "мэкв": "мЭкв", "mmol": "mmol", "ммоль": "ммоль",
}
_MEASURE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("миллиграм", "мг"), ("микрограм", "мкг"), ("миллилитр", "мл"), ("грам", "г"),
    ("единиц", "ед"), ("milligram", "mg"), ("microgram", "mcg"), ("millilit", "ml"),
    ("gram", "g"),
)

RU_FORMS: dict[str, tuple[str, str, str]] = {
    "таблетка": ("таблетка", "таблетки", "таблеток"),
    "капсула": ("капсула", "капсулы", "капсул"),
    "капля": ("капля", "капли", "капель"),
    "ложка": ("ложка", "ложки", "ложек"),
    "чайная ложка": ("чайная ложка", "чайные ложки", "чайных ложек"),
    "столовая ложка": ("столовая ложка", "столовые ложки", "столовых ложек"),
    "пакетик": ("пакетик", "пакетика", "пакетиков"),
    "саше": ("саше", "саше", "саше"),
    "ампула": ("ампула", "ампулы", "ампул"),
    "свеча": ("свеча", "свечи", "свечей"),
    "драже": ("драже", "драже", "драже"),
    "доза": ("доза", "дозы", "доз"),
    "впрыск": ("впрыск", "впрыска", "впрысков"),
    "впрыскивание": ("впрыскивание", "впрыскивания", "впрыскиваний"),
    "вдох": ("вдох", "вдоха", "вдохов"),
    "пшик": ("пшик", "пшика", "пшиков"),
    "укол": ("укол", "укола", "уколов"),
    "пластырь": ("пластырь", "пластыря", "пластырей"),
    "шт": ("шт", "шт", "шт"),
}
"""Dosage forms a person counts, with the forms for 1, 2-4 (and fractions), 5+."""

_RU_ABBREVIATIONS = {"таб": "таблетка", "табл": "таблетка", "капс": "капсула", "шт": "шт", "штука": "шт",
                     "штуки": "шт", "штук": "шт", "штуку": "шт"}
_DIMINUTIVES = {"таблеточка": "таблетка", "капсулка": "капсула", "капелька": "капля", "ложечка": "ложка",
                "пакетичек": "пакетик", "свечка": "свеча", "укольчик": "укол", "пшикалка": "пшик"}
"""How people say it to a grandmother ("таблеточку", "капельки"): the dosage form all the same."""
_SPOON_ADJECTIVES = {"чайн": "чайная ложка", "столов": "столовая ложка"}
_BARE_FORMS = frozenset({"таблетка", "капсула", "пакетик", "саше", "ампула", "свеча", "драже", "ложка"})
"""Forms that mean one of them when written without a number ("выпей таблетку аспирина")."""

EN_FORMS: dict[str, tuple[str, str]] = {
    "pill": ("pill", "pills"), "tablet": ("tablet", "tablets"), "tab": ("tablet", "tablets"),
    "capsule": ("capsule", "capsules"), "cap": ("capsule", "capsules"), "drop": ("drop", "drops"),
    "puff": ("puff", "puffs"), "spray": ("spray", "sprays"), "teaspoon": ("teaspoon", "teaspoons"),
    "tsp": ("teaspoon", "teaspoons"), "tablespoon": ("tablespoon", "tablespoons"),
    "tbsp": ("tablespoon", "tablespoons"), "spoon": ("spoon", "spoons"), "sachet": ("sachet", "sachets"),
    "patch": ("patch", "patches"), "unit": ("unit", "units"), "injection": ("injection", "injections"),
    "shot": ("shot", "shots"), "lozenge": ("lozenge", "lozenges"), "softgel": ("softgel", "softgels"),
    "gummy": ("gummy", "gummies"), "scoop": ("scoop", "scoops"), "inhalation": ("inhalation", "inhalations"),
    "ampoule": ("ampoule", "ampoules"), "suppository": ("suppository", "suppositories"),
}
_EN_PLURALS = {plural: singular for singular, (_, plural) in EN_FORMS.items()} | {
    "tabs": "tab", "caps": "cap", "patches": "patch", "gummies": "gummy", "suppositories": "suppository",
    "u": "unit",
}
_NON_NAME_FOLLOWERS = frozenset({"в", "во", "на", "по", "с", "и", "утром", "вечером", "днем", "от", "для", "после",
                                 "перед", "до", "при", "каждый", "каждое", "раз", "за", "под"})


@dataclass(frozen=True, slots=True)
class DoseHit:
    start: int
    end: int
    """Token indices [start, end) the dosage was read from (with a leading "по")."""
    text: str
    """The normalised dosage: "200 мг", "0.5 таблетки", "2 pills"."""
    distributive: bool
    """Written with "по" ("по 200 мг"): the same amount for every medication named with it."""


def format_amount(amount: float) -> str:
    if amount == int(amount):
        return str(int(amount))
    return f"{amount:.3f}".rstrip("0").rstrip(".")


def ru_count_form(amount: float, forms: tuple[str, str, str]) -> str:
    """The form of a Russian noun after a number: 1 таблетка, 2 таблетки, 5 таблеток, 0.5 таблетки."""
    if amount != int(amount):
        return forms[1]
    n = int(amount)
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


@lru_cache(maxsize=8192)
def _ru_form_reading(word: str) -> tuple[str, bool] | None:
    """(dosage-form lemma, every reading singular?) for a Russian word naming a dosage form."""
    if word in _RU_ABBREVIATIONS:
        return _RU_ABBREVIATIONS[word], True
    found: str | None = None
    singular = True
    for reading in russian_readings(word):
        normal = _DIMINUTIVES.get(reading.normal_form, reading.normal_form)
        if reading.tag.POS == "NOUN" and normal in RU_FORMS:
            found = found or normal
            singular = singular and reading.tag.number == "sing"
    return (found, singular) if found else None


def is_dosage_form(word: str) -> bool:
    """"пластырь", "таблетки", "капсулку": a word naming a dosage form, in any case."""
    return _ru_form_reading(word) is not None


def is_oblique_dosage_form(word: str) -> bool:
    """"пластыре", "таблеткой": a dosage form in a case a name is never written in."""
    readings = [r for r in russian_readings(word)
                if r.tag.POS == "NOUN" and _DIMINUTIVES.get(r.normal_form, r.normal_form) in RU_FORMS]
    return bool(readings) and all(r.tag.case in ("loct", "datv", "ablt") for r in readings)


def _measure(word: str) -> str | None:
    if word in MEASURES:
        return MEASURES[word]
    for prefix, unit in _MEASURE_PREFIXES:
        if word.startswith(prefix):
            return unit
    return None


def _unit_at(tokens: Sequence[Token], k: int) -> tuple[str, int, str] | None:
    """(unit kind, index after the unit, unit key) for a unit starting at token k.

    kind is "measure" (key = canonical unit), "ru" (key = dosage-form lemma) or "en".
    """
    if k >= len(tokens) or tokens[k].kind != "word":
        return None
    word = tokens[k].low
    measure = _measure(word)
    if measure is not None:
        return "measure", k + 1, measure
    for stem, lemma in _SPOON_ADJECTIVES.items():
        if word.startswith(stem) and k + 1 < len(tokens) and tokens[k + 1].low.startswith(("ложк", "ложек")):
            return "ru", k + 2, lemma
    english = _EN_PLURALS.get(word, word)
    if english in EN_FORMS:
        return "en", k + 1, english
    reading = _ru_form_reading(word)
    if reading is not None:
        return "ru", k + 1, reading[0]
    return None


def dose_text(amount: float, kind: str, key: str) -> str:
    if kind == "measure":
        unit = key
    elif kind == "ru":
        unit = ru_count_form(amount, RU_FORMS[key])
    else:
        singular, plural = EN_FORMS[key]
        unit = singular if amount <= 1 else plural
    return f"{format_amount(amount)} {unit}"


def amount_at(tokens: Sequence[Token], j: int) -> tuple[float, int] | None:
    """The amount starting at token j: digits, number words, "полторы", "half a", "a"."""
    if j >= len(tokens):
        return None
    low = tokens[j].low
    if low in FRACTION_WORDS:
        after = j + 1
        if low in ("half", "quarter") and after < len(tokens) and tokens[after].low in ("a", "an"):
            after += 1
        if low == "quarter" and after < len(tokens) and tokens[after].low == "of":
            after += 1  # "a quarter of a tablet"
            if after < len(tokens) and tokens[after].low in ("a", "an"):
                after += 1
        return FRACTION_WORDS[low], after
    if low in ("a", "an"):
        return 1.0, j + 1
    part = _ordinal_fraction(tokens, j)
    if part is not None:
        return part  # "одну четвертую таблетки"
    number = read_number(tokens, j)
    if number is None:
        return None
    amount, after, _ = number
    if after < len(tokens) and tokens[after].low in _WHOLE and amount == int(amount):
        after += 1  # "одна целая и одна вторая"
        if after + 1 < len(tokens) and tokens[after].low in ("и", "and"):
            part = _ordinal_fraction(tokens, after + 1)
            if part is not None:
                return amount + part[0], part[1]
    if after < len(tokens) and tokens[after].low in _QUARTERS and amount == int(amount) and 0 < amount < 4:
        after += 1  # "три четверти таблетки", "three quarters of a tablet"
        while after < len(tokens) and tokens[after].low in ("of", "a", "an"):
            after += 1
        return amount * 0.25, after
    if (after < len(tokens) and amount == int(amount) and _fraction(tokens[after]) is not None
            and tokens[after - 1].end < tokens[after].start):
        return amount + _fraction(tokens[after]), after + 1  # type: ignore[operator]  # "2 1/2 mg"
    if after + 1 < len(tokens) and tokens[after].low == "с" and tokens[after + 1].low == "половиной":
        amount, after = amount + 0.5, after + 2
    elif (after + 2 < len(tokens) and tokens[after].low == "and" and tokens[after + 1].low == "a"
          and tokens[after + 2].low in ("half", "quarter")):
        amount, after = amount + (0.5 if tokens[after + 2].low == "half" else 0.25), after + 3
    elif (after < len(tokens) and amount == int(amount) and tokens[after].low in ("½", "¼", "¾")
          and tokens[after - 1].end == tokens[after].start):
        amount, after = amount + (_fraction(tokens[after]) or 0), after + 1  # "1½"
    elif (after + 1 < len(tokens) and tokens[after].low in ("и", "and", "с") and amount == int(amount)
          and _fraction(tokens[after + 1]) is not None):
        amount, after = amount + _fraction(tokens[after + 1]), after + 2  # type: ignore[operator]
    elif (after + 2 < len(tokens) and tokens[after].low in ("и", "and") and amount == int(amount)
          and tokens[after + 1].kind == "word" and tokens[after + 2].low in _QUARTERS
          and (part := amount_at(tokens, after + 1)) is not None and 0 < part[0] < 1):
        amount, after = amount + part[0], part[1]  # "одна и три четверти таблетки"
    elif (after + 2 < len(tokens) and tokens[after].low in ("и", "and") and amount == int(amount)
          and (part := _ordinal_fraction(tokens, after + 1)) is not None):
        amount, after = amount + part[0], part[1]  # "одна и одна вторая таблетки"
    if 0 < amount < 1 and _fraction(tokens[j]) is not None:
        while after + 1 < len(tokens) and tokens[after].low in ("of", "a", "an") and tokens[after + 1].kind == "word":
            after += 1  # "¾ of a tablet"
    return amount, after


_COUNTED = frozenset({"tablet", "capsule", "таблетка", "капсула"})
""""one Plavix tablet", "две аспирина таблетки": a count before the name, its unit after."""
_WHOLE = frozenset({"целая", "целую", "целых", "целой"})
_DENOMINATORS = {"вторая": 2, "вторую": 2, "вторых": 2, "третья": 3, "третью": 3, "третьих": 3, "четвертая": 4,
                 "четвертую": 4, "четвертых": 4}


def _ordinal_fraction(tokens: Sequence[Token], j: int) -> tuple[float, int] | None:
    """"одна вторая", "одну четвёртую", "три четвёртых": a fraction said the way a schoolbook says it."""
    if j + 1 >= len(tokens):
        return None
    top = cardinal(tokens[j].low) if tokens[j].kind == "word" else None
    bottom = _DENOMINATORS.get(tokens[j + 1].low)
    if top is None or bottom is None or not 0 < top < bottom:
        return None
    return round(top / bottom, 2), j + 2


_NOT_A_PILL = frozenset({"hour", "day", "week", "month", "year", "minute", "dozen", "cup", "glass", "mug", "bottle",
                         "litre", "liter", "pint", "teaspoon", "tablespoon", "spoon", "bar", "banana", "apple"})
""""half an hour", "half a cup": not half of a tablet."""
_QUARTERS = frozenset({"четверти", "четвертинки", "quarters", "quarter"})
_PIECES = frozenset({"половинка", "половинку", "половинки", "половинке", "четвертинка", "четвертинку", "четвертинки",
                     "четвертинке", "четвертушка", "четвертушку", "четвертушки", "четвертушке", "целую", "целая",
                     "целой", "целиком"})
""""по половинке", "три четвертинки", "целую": pieces of a tablet, named without the tablet."""
_PARTS_OF_ONE = frozenset({"половине", "половину", "половина", "четверти", "четверть", "трети", "треть"})
"""After "по", a part of one tablet: "теперь по половине" (never "в половине восьмого", a time)."""


def _fraction(token: Token) -> float | None:
    """"1/2", "½", "3/4": a part of one, as in "1 и 1/2 таблетки"."""
    if token.kind != "num" or token.value is None or not 0 < token.value < 1:
        return None
    return token.value if ("/" in token.low or token.low in ("½", "¼", "¾")) else None


def _glued_half(token: Token) -> str | None:
    """The dosage-form lemma of "полтаблетки" / "пол-таблетки" (half of one)."""
    if token.kind != "word" or not token.low.startswith("пол") or len(token.low) < 6:
        return None
    rest = token.low[3:].lstrip("-")
    reading = _ru_form_reading(rest)
    return reading[0] if reading else None


def _read_at(tokens: Sequence[Token], i: int, taken: frozenset[int]) -> DoseHit | None:
    start = i
    distributive = tokens[i].low in ("по", "each")
    j = i + 1 if distributive else i
    if j >= len(tokens) or j in taken:
        return None
    lemma = _glued_half(tokens[j])
    if lemma is not None:
        return DoseHit(start, j + 1, dose_text(0.5, "ru", lemma), distributive)
    amount = amount_at(tokens, j)
    if amount is not None:
        value, k = amount
        unit = _unit_at(tokens, k)
        whole_alone = not tokens[k - 1].low.startswith("цел") or k == len(tokens) or tokens[k].kind != "word"
        if unit is None and tokens[k - 1].low in _PIECES and 0 < value <= 4 and whole_alone:
            return DoseHit(start, k, dose_text(value, "ru", "таблетка"), distributive)  # "по половинке"
        if unit is None and distributive and tokens[k - 1].low in _PARTS_OF_ONE and value < 1:
            return DoseHit(start, k, dose_text(value, "ru", "таблетка"), distributive)  # "по половине", "по четверти"
        counted = _unit_at(tokens, k + 1) if unit is None and k + 1 < len(tokens) and tokens[k].kind == "word" else None
        if (counted is not None and counted[2] in _COUNTED and 0 < value <= 10 and tokens[k].low not in _NOT_A_PILL
                and amount_at(tokens, k) is None and tokens[j].low not in ("a", "an")):
            return DoseHit(start, k, dose_text(value, counted[0], counted[2]), distributive)  # "one Plavix tablet"
        if (unit is None and tokens[j].low in ("half", "quarter") and tokens[k - 1].low in ("a", "an")
                and k < len(tokens) and tokens[k].kind == "word" and tokens[k].low not in _NOT_A_PILL):
            return DoseHit(start, k, dose_text(value, "en", "tablet"), distributive)  # "half a Zopiclone"
        if unit is not None and value > 0 and value < 100000:
            kind, end, key = unit
            if any(n in taken for n in range(j, end)):
                return None
            if tokens[j].low in ("a", "an") and kind == "measure":
                return None
            if key in ("г", "g") and value >= 100:
                return None  # "2024 г" is a year, not grams
            return DoseHit(start, end, dose_text(value, kind, key), distributive)
        return None
    reading = _ru_form_reading(tokens[j].low) if tokens[j].kind == "word" else None
    if reading is None or reading[0] not in _BARE_FORMS or not reading[1]:
        return None
    follower = tokens[j + 1] if j + 1 < len(tokens) else None
    names_follow = (
        follower is not None and follower.kind == "word" and follower.low not in _NON_NAME_FOLLOWERS
    )
    if distributive or names_follow:
        return DoseHit(start, j + 1, dose_text(1, "ru", reading[0]), distributive)
    return None


def find_doses(tokens: Sequence[Token], taken: frozenset[int] = frozenset()) -> tuple[DoseHit, ...]:
    """Every dosage in the tokens, left to right, skipping tokens already taken."""
    hits: list[DoseHit] = []
    i = 0
    while i < len(tokens):
        if i in taken or tokens[i].kind not in ("word", "num"):
            i += 1
            continue
        hit = _read_at(tokens, i, taken)
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i = hit.end
    return tuple(hits)


_BARE_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?")


def is_bare_amount(dosage: str) -> bool:
    """"25", "2.5": a number said without a unit."""
    return _BARE_AMOUNT.fullmatch(dosage.strip()) is not None


def unit_stem(dosage: str) -> str:
    """The first letters of a dosage's unit ("2 таблетки" → "таб", "40 mg" → "mg"): units compared
    without their word forms; "" for a bare amount."""
    return dosage.split(" ", 1)[1][:3] if " " in dosage else ""


def unit_of(dosage: str) -> str:
    """What follows the amount in a stored dosage ("50 мг" → "мг"); "" when none."""
    head, _, rest = dosage.strip().partition(" ")
    return rest if _BARE_AMOUNT.fullmatch(head) else ""


def with_unit(amount: str, unit: str) -> str | None:
    """The amount with that unit, the unit's word agreeing with the number ("1" + "таблетки"
    → "1 таблетка"); None when the pair does not read as a dosage."""
    text = f"{amount.strip()} {unit}"
    low = fold(text)
    hits = find_doses(tokenize(text, low))
    if not unit or len(hits) != 1:
        return None
    return hits[0].text
