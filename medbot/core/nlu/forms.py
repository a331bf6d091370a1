"""Words around a medication's name that say what form it comes in or whose it is, not what it is.

"инсулин туджео" → "туджео", "кларитин сироп" → "кларитин", "latanoprost eye drops" →
"latanoprost", "препарат железа сорбифер" → "сорбифер", "зодак у младшего" → "зодак". The form
word goes only when a real name stands beside it: "инсулин" alone, "капли от насморка" or
"vitamin D" keep every word, because that is all the person called the medication.
"""

from __future__ import annotations

import re

from medbot.core.nlu.lexicon import MED_WORDS
from medbot.core.nlu.names import is_english_word
from medbot.core.nlu.normalize import Token
from medbot.core.nlu.russian_words import is_known

_LEADING = frozenset("""ингалятор ингалятора ингалятору инсулин инсулина инсулину сироп сиропа сиропу спрей спрея
    мазь мази крем крема гель геля свечи свечей капли капель капсулы таблетки таблеток препарат препарата
    порошок порошка раствор раствора inhaler insulin syrup spray cream gel ointment drops tablets capsules
    vitamin vitamins витамин витамины витамина антибиотик антибиотика антибиотики пробиотик пробиотика
    antibiotic probiotic курс курса курсом course лекарство лекарства medication medicine med
    диабет гипертония астма аллергия холестерин щитовидка diabetes asthma allergy cholesterol rx
    укол укола уколы укольчик инъекция инъекции инъекцию injection shot пластырь пластыря patch tab tabs cap caps
    ингаляция ингаляции ингаляцию ингаляцию небулайзер небулайзером inhalation nebuliser nebulizer neb nebulization
    nebulisation""".split())
_NEW = frozenset("""новое новый новая новые новую new another ещё еще одно один одну""".split())
""""новое лекарство амлодипин", "a new medication, X": how it came, then its name."""
_TRAILING = frozenset("""сироп сиропа сиропом спрей спрея капли капель мазь мази крем крема гель геля свечи
    порошок раствор суспензия суспензию суспензии эмульсия укол уколы пластырь пластыри syrup spray drops drop cream gel ointment patch patches solution
    suspension shot shots injection injections jab pen pens implant sachet sachets ручка шприц-ручка z-pak zpak pak
    dosepak inhaler inhalers ингалятор ингалятора puffer supplement supplements""".split())
"""Not "pills" or "таблетки": "iron pills" is what people call them ("salbutamol inhaler" is salbutamol)."""
_UNITS = frozenset({"tablet", "tablets", "pill", "pills", "capsule", "capsules", "таблетка", "таблетки", "капсула",
                    "капсулы"})
_COUNT_UNITS = frozenset({"tablet", "tablets", "capsule", "capsules", "tab", "tabs", "caps"})
_TRAILING_PAIRS = frozenset({("eye", "drops"), ("ear", "drops"), ("nasal", "spray"), ("глазные", "капли"),
                             ("ушные", "капли"), ("назальный", "спрей")})
_INSULINS = frozenset("""glargine detemir degludec aspart lispro glulisine isophane regular nph гларгин детемир
    деглудек аспарт лизпро глулизин изофан""".split())
""""insulin glargine" is what the insulin is called; "инсулин туджео" is the brand Tujeo."""
_KIND_OF = frozenset({"препарат", "препарата", "препараты"})
""""препарат железа сорбифер": the kind of medication, then its name."""
_WHOSE = frozenset({"у", "для", "for"})
_SUBSTANCES = frozenset({"oil", "жир", "omega", "омега", "magnesium", "магний", "calcium", "кальций", "zinc", "цинк"})
""""fish oil capsules", "рыбий жир капсулы": a substance, then how it comes."""
_KEEPS_FORM = frozenset({"iron", "железо", "железа"})
""""iron drops", "iron pills" are what people call them ("iron tablet" is iron, as a tablet) (not "дексаметазон капли", which is дексаметазон)."""


_PURPOSE = frozenset({"от", "против"})
_ONE_MORE = frozenset({"extra", "additional", "дополнительный", "дополнительная", "дополнительно", "лишний", "лишнюю"})


def _without_purpose(words: list[Token]) -> list[Token]:
    """"цитрамон от головы", "супрастин против аллергии": the name, not what it is for."""
    for n in range(1, len(words) - 1):
        if words[n].low in _PURPOSE and n + 2 >= len(words) - 1 and _a_name(words[n - 1]) and not _a_name(words[n + 1]):
            return words[:n]
    return words


def without_form_words(words: list[Token]) -> list[Token]:
    """The name without the form words and owner around it, when a real name remains."""
    if len(words) >= 3 and words[0].low in _KIND_OF and _a_name(words[2]) and not _a_name(words[1]):
        words = words[2:]
    words = _without_where(words)
    words = _without_leading_where(words)
    words = _without_purpose(words)
    if len(words) >= 2 and words[0].low in _ONE_MORE and words[1].low not in ("strength", "сильный") and _a_name(words[1]):
        words = words[1:]  # "extra furosemide tonight": one more dose of furosemide
    if len(words) >= 3 and (words[0].low, words[1].low) in _TRAILING_PAIRS and _a_name(words[2]):
        words = words[2:]  # "my eye drops latanoprost"
    if len(words) >= 3 and words[0].low in _NEW and words[1].low in _LEADING:
        words = words[1:]
    while (len(words) >= 2 and words[0].low in _LEADING and _a_name(words[1]) and not _letter(words[1])
           and words[1].low not in _INSULINS):
        words = words[1:]
    if len(words) >= 3 and words[-2].low in _WHOSE and (
            _a_name(words[0]) or words[0].low in MED_WORDS and words[0].low not in _FORM_ONLY):
        words = words[:-2]  # "зодак у младшего", "creon for dad"
    if len(words) >= 3 and (words[-2].low, words[-1].low) in _TRAILING_PAIRS and _a_name(words[-3]):
        words = words[:-2]
    if len(words) >= 3 and words[-1].low in _UNITS and _letter(words[-2]):
        words = words[:-1]  # "vitamin B12 tablet"
    elif len(words) >= 2 and words[-1].low in _COUNT_UNITS | _UNITS and not _letter(words[-2]) \
            and not (words[-2].low in _KEEPS_FORM and words[-1].low not in _COUNT_UNITS) and (
            _a_name(words[-2]) and len(words[-2].low) >= 4 or words[-2].low in MED_WORDS or words[-2].low in _SUBSTANCES):
        words = words[:-1]  # "Calcium tablets", "levothyroxine pill": what it is, then how it comes
    if len(words) >= 2 and words[-1].low in _TRAILING and (
            (_a_brand(words[-2]) or words[-2].low in MED_WORDS and (
                words[-2].low not in _KEEPS_FORM or words[-1].low in ("supplement", "supplements")))
            and not _letter(words[-2])
            or _letter(words[-2]) and (len(words) >= 3 or words[-2].low[-1].isdigit())):
        words = words[:-1]  # "кларитин сироп", "vitamin D drops"
    return words


_INTO = re.compile(r"(?:в|into|in) (?:оба |обе |каждый |левый |правый |both |each |the |my |her |his )?"
                   r"(?:глаз\w*|ух[оа]|уши|ушко|eyes?|ears?|нос|носик|nose|nostrils?)")


_FORM_ONLY = frozenset("""сироп сиропа сиропом спрей спрея мазь мази крем крема гель геля свечи свечей свечку капли
    капель капельки раствор порошок порошка укол уколы укольчик вдох вдоха вдохов пшик пшика таблетки таблетку
    таблетка таблеток таблеточку таблеточки капсулы капсулу капсула пилюли лекарство лекарства syrup spray cream gel
    ointment drops drop patch solution suspension shot shots injection jab puff puffs pill pills tablet tablets
    capsule capsules meds medication medicine medicines""".split())
_DOSE_OF = frozenset({"вдох", "вдоха", "вдохов", "пшик", "пшика", "укол", "puff", "puffs", "dose", "shot"})
_DROPS = frozenset({"капли", "капельки", "drops"})
_OWNERS = frozenset({"свои", "свою", "мои", "мою", "её", "ее", "его", "my", "her", "his", "the", "their"})


def only_a_form(words: list[Token], *, in_schedule: bool = False) -> bool:
    """"сироп", "капли", "my pills": the form alone, with no name: never what to store or look up.
    `in_schedule`: "капли" is all some people call the drops they use, so it may be stored."""
    words = [t for t in words if t.low not in _OWNERS]
    return len(words) == 1 and words[0].low in _FORM_ONLY and not (in_schedule and words[0].low in _DROPS)


def without_dose_word(words: list[Token]) -> list[Token]:
    """"вдох симбикорта", "puff of ventolin": one dose of it, then its name."""
    if len(words) >= 2 and words[0].low in _DOSE_OF:
        rest = words[2:] if words[1].low == "of" else words[1:]
        return rest if rest and _a_name(rest[0]) else words
    return words


def _without_where(words: list[Token]) -> list[Token]:
    """"ксалатан в глаза", "ciprodex in both ears": where it goes, after a real name (not "капли в глаза")."""
    for start in range(1, len(words)):
        if words[start].low in ("в", "into", "in") and _INTO.fullmatch(" ".join(t.low for t in words[start:])):
            named = any(_a_name(t) for t in words[:start])
            return words[:start] if named else words
    return words


def _without_leading_where(words: list[Token]) -> list[Token]:
    """"капли в нос називин", "drops in both eyes xalatan": the form and where it goes, then its name."""
    if len(words) < 4 or words[0].low not in _FORM_ONLY:
        return words
    for end in range(3, min(len(words), 5)):
        if _INTO.fullmatch(" ".join(t.low for t in words[1:end])) and _a_name(words[end]):
            return words[end:]
    return words


def _a_name(token: Token) -> bool:
    """A word that names a medication by itself: one the vocabulary knows, or no dictionary does."""
    low = token.low
    if token.kind != "word" or low in _LEADING or low in _TRAILING:
        return False
    if low in MED_WORDS:
        return True
    return not is_english_word(low) if low.isascii() else not is_known(low)


def _a_brand(token: Token) -> bool:
    """A name no dictionary knows ("кларитин", "latanoprost"): "iron drops" keeps its form word."""
    low = token.low
    return token.kind == "word" and not (is_english_word(low) if low.isascii() else is_known(low))


def _letter(token: Token) -> bool:
    """"vitamin D", "витамин Д3", "B12": the letter is the name only with the word before it."""
    low = token.low.rstrip("0123456789")
    return len(low) <= 1 or low in ("b", "в", "д", "d", "k", "к", "e", "е", "c", "с", "a", "а")


_PAIR = re.compile(r"(?=(?<![^\W\d_])([^\W\d_]{2,}) ([^\W\d_]{2,})(?![^\W\d_]))")


def with_split_names_joined(text: str) -> str:
    """"кардио магнил", "пан ангин", "бета лок зок": a name voice typing split in two, joined
    back when the vocabulary knows the whole and neither half ("галвус мет" stays)."""
    from medbot.core.nlu.lexicon import MED_WORDS  # loaded once, on first use

    for match in _PAIR.finditer(text):
        first, second = match.group(1), match.group(2)
        whole = (first + second).lower()
        if whole in MED_WORDS and first.lower() not in MED_WORDS and second.lower() not in MED_WORDS:
            at = match.start(1)
            return text[:at] + first + second + with_split_names_joined(text[at + len(first) + 1 + len(second):])
    return text
