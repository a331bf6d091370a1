"""Stretches of plain talk around a request, left over once everything else was read.

"Hey! sorry if this is a silly question but can you add my sertraline 50mg at 8am" and "тут
такое дело, мне выписали грандаксин, 1 таблетка в 9" each leave a clause of ordinary words
that no layer claimed, beside a medication's name. Such a clause is talk, not a second
medication: it goes, so the request is read as written. Only a clause goes, never a word
that could be a name: every word a dictionary knows and none about medicine, the words
making a sentence (a verb, a pronoun, too many words) or naming whom the pills are for, no
negation or condition ("больше не нужен", "если болит"), nothing everyday ("кофе"), and a
medication still named beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA

from medbot.core.nlu.doubts import someone_named
from medbot.core.nlu.lexicon import GENERIC_WORDS, MED_WORDS, STOP_WORDS
from medbot.core.nlu.names import (
    has_function_word,
    has_verb,
    is_english_word,
    is_everyday_thing,
    looks_like_medication,
)
from medbot.core.nlu.normalize import Token
from medbot.core.nlu.russian_words import is_known, is_russian
from medbot.core.nlu.russian_words import readings as russian_readings
from medbot.core.nlu.typos import near_medication

PEOPLE = frozenset("""мне нам тебе вам ему ей им маме мамочке мамуле мамуленьке папе папочке папуле сыну сыночку
    дочке дочери доченьке дочурке бабушке бабуле дедушке деду дедуле мужу жене внуку внучке внучеку ребенку
    ребёнку детям сестре брату свекрови теще тёще свекру тестю подруге другу соседке соседу пациенту пациентке
    бро братан брат сестра мам пап ма па мамуль дочь сын сынишке сынульке сыночке малышу малышке дочуре
    внученьке внучку бабусе дедусе свёкру
    mum mom mother dad father son daughter husband wife nan nana gran granny grandma grandpa grandad
    grandmother grandfather me us him her them kid kids child bro sis grandson granddaughter grandkids
    grandchildren nephew niece
    голубчик голубушка милый милая миленький миленькая дорогой дорогая родной родная бот ботик дружок
    доченька сынок внучек внучок dear darling love hun honey sweetie mate buddy""".split())
"""Whom the pills are for, or whom the person addresses: "мамочке ноотропил", "бро отмени",
"голубчик, отметьте"."""
MEANING = frozenset("""не ни нет без больше вместо кроме только или либо если когда пока раньше позже вообще
    хватит перестать прекратить отменить отмена стоп уже ещё еще снова опять нужен нужна нужно нужны надо
    not no never without instead except only or if when while until unless stop anymore longer earlier later
    already again need needs needed don't doesn't didn't
    один одна одно одну другой другая другое другую второй вторая второе вторую тот та то те того той тех
    какой-то какая-то какое-то какие-то что-то кое-что который которая которое которые какой какая какое какие
    точно кажется вроде наверное может возможно включительно
    one ones other another either whichever which second first same maybe perhaps
    think probably inclusive думаешь думаете считаешь считаете посоветуй посоветуйте should
    каждый каждая каждое каждую каждые первый первая третий третья четвертый четвертая пятый пятая
    every each third fourth fifth""".split())
"""Words that change what a request means, refer to a medication not named, or doubt: a clause
holding one is never talk."""
_POINTING = MEANING - frozenset("""не ни нет без больше уже нужен нужна нужно нужны надо not no never without
    anymore longer already need needs needed don't doesn't didn't stop хватит""".split()) | frozenset(
    """он она они he she they""".split())
"""Beside a mark or a deletion, negation agrees with it ("не нужен он мне"); these still point
at something not named ("и ту белую", "the other one") or doubt ("вроде")."""
_MAX_TALK = 14
_BODY = frozenset("""глаз глаза глазки глазик глазок оба обе каждый ухо уши ушко нос носик eye eyes ear ears nose both
    each""".split())
_DAYS_WORDS = frozenset("""day days week weeks month months year years weekly monthly daily fortnight месяц месяца
    месяцев неделя недели неделю недель день дня дней сутки суток год года""".split())
"""Words about days a schedule pattern did not place ("of the month"): never talk."""


def talk(tokens: Sequence[Token]) -> bool:
    """A stretch of ordinary words that is not a name: a clause, or whom the request is for."""
    said = [t for t in tokens if t.kind == "word"]
    words = _without_reminding(said)
    if said and not words and len(said) == len(tokens):
        return True  # "не забывать": why the reminder is wanted
    if not words or len(tokens) > _MAX_TALK or len(said) < len(tokens):
        return False
    if len(words) >= 2 and all(t.low in _BODY or t.low in STOP_WORDS for t in words):
        return True  # "в каждый глаз", "in both eyes": where the drops go
    if any(t.low in MEANING or t.low in _DAYS_WORDS or _near_a_time_word(t.low) or _COMMANDING.match(t.low)
           for t in words) or is_everyday_thing(words):
        return False
    if not all(ordinary_or_article(t) for t in words):
        return False
    if all(t.low in PEOPLE or _to_someone_named(t) for t in words):
        return True  # "маме", "Сереже": whom it is for
    if len(words) == 1:  # a verb alone may be a command no cue knows ("останови"): never dropped
        return words[0].low in _SPEECH or _a_comment(words[0].low)
    if words[0].low in GENERIC_WORDS and words[1].low in ("от", "для", "против", "for") and len(words) <= 5:
        return True  # "лекарство от сердца и давления лодоз": what it is for, said before its name
    return _sentence_like(words) or len(words) > 4


def beside_a_name(tokens: Sequence[Token]) -> bool:
    """Words said beside the names in a mark or a deletion ("my knee's a lot better now", "fyi",
    "не нужен он мне"): ordinary words, none of them pointing at a medication not named."""
    words = [t for t in tokens if t.kind == "word"]
    if words and all(t.low in PEOPLE for t in words):
        return True  # "голубчик", "мамочке"
    if any(t.low in _NO_LONGER_NEEDED for t in words):
        words = [t for t in words if t.low not in _IT]  # "он мне больше не нужен": "он" is the medication
    if len(words) == 1 and words[0].low in ENDED:
        return True  # "remove the amoxicillin, finished the course": why, not what
    if len(words) == 1 and has_verb(words):
        return False  # a verb alone may be a command no cue knows ("очисти")
    if only_form_and_place(words):
        return True  # "капельки в глазки закапала, ксалатан": the form and where it goes
    return bool(words) and not any(t.low in _POINTING for t in words) and not is_everyday_thing(words) and all(
        ordinary(t) or t.low in GENERIC_WORDS or t.low in STOP_WORDS for t in words) and (
            _sentence_like(words) or any(t.low in STOP_WORDS and len(t.low) > 1 for t in words))


ENDED = frozenset("""finished done ended over gone swapped replaced stopped changed закончился закончилась
    закончились кончился кончилась кончились прошла прошел прошёл прошло всё все отменил отменила отменили заменил
    заменила заменили""".split())
_NO_LONGER_NEEDED = frozenset({"нужен", "нужна", "нужно", "нужны", "надо", "need", "needed", "anymore"})
_IT = frozenset({"он", "она", "оно", "они", "it", "they"})


def only_form_and_place(words: Sequence[Token]) -> bool:
    return bool(words) and all(t.low in GENERIC_WORDS or t.low in STOP_WORDS or t.low in _BODY for t in words)


def _sentence_like(words: Sequence[Token]) -> bool:
    """A verb, a pronoun or a word like "the" among them: a clause, not the rest of a name
    ("fish oil", "Centrum Silver", "фолиевую кислоту" are names of ordinary words)."""
    return (has_verb(words) or has_function_word(words) or any(t.low in _PRONOUNS for t in words)
            or any(_predicate(t.low) or t.low in _SMALL_WORDS or t.low in _EN_FUNCTION or "'" in t.low for t in words)
            or any(t.low.endswith("ly") and t.low.isascii() and is_english_word(t.low) for t in words))


_SMALL_WORDS = frozenset({"я", "у", "о", "и"})
"""One-letter words that are never a vitamin's letter (В, С, К, А, Д, Е are)."""
_PRONOUNS = frozenset("""я мне меня мной мой моя мои мое моё ты тебе тебя вы вам вас он она они оно его её ее их им ей
    ему мы нас нам это этот эта эти тут там здесь i me my mine you your he she it we they us them his her their this
    that these those there here""".split())
"""Words that make a clause of talk ("I would kindly like"); prepositions do not ("по праздникам")."""
_EN_FUNCTION = frozenset({"as", "so", "be", "just", "really", "very", "such", "if", "but", "than", "then", "there",
                          "here", "was", "were", "been", "being", "get", "got"})
_CONTRACTED = frozenset({"i", "you", "he", "she", "it", "we", "they", "that", "there", "what", "who", "let", "don",
                         "doesn", "didn", "isn", "wasn", "can", "won"})


_ENGLISH_PREDICATES = frozenset("""better worse gone over finished done stopped ended fine ok okay anyway now late early
    sorry cured healed""".split())


_SPEECH = frozenset("""подскажите подскажи скажите скажи слушайте смотрите пишу напишу пишем отвечу правильно
    понятно ясно хорошо отлично ладно окей ок please kindly honestly basically anyway""".split())
"""Words about the conversation itself ("Подскажите, можно добавить...", "пишу: глюкофаж..."), never a name."""
_COMMENT_POS = frozenset({"PRED", "ADVB", "INTJ", "PRCL", "CONJ", "COMP"})


def _a_comment(word: str) -> bool:
    """"важно", "правильно", "очень": a word that can only comment on the request."""
    return is_russian(word) and is_known(word) and russian_readings(word)[0].tag.POS in _COMMENT_POS


def _predicate(word: str) -> bool:
    """"нужен", "закончился", "better", "stopped": what is said of a medication, not its name."""
    if word in _ENGLISH_PREDICATES or word.endswith("'s"):
        return True
    return is_russian(word) and is_known(word) and russian_readings(word)[0].tag.POS in _PREDICATE_POS


_PREDICATE_POS = frozenset({"ADJS", "PRTS", "PRTF", "VERB", "GRND", "ADVB", "PRED"})


def name_core(tokens: Sequence[Token]) -> tuple[int, int]:
    """The stretch of a chunk from its first to its last word that could be a medication's name
    ("stopped taking metformin" → "metformin", "аторис выпитым" → "аторис")."""
    named = [n for n, t in enumerate(tokens) if t.kind != "word" or not ordinary_or_article(t)]
    return (named[0], named[-1] + 1) if named else (0, len(tokens))


def leading_verbs(tokens: Sequence[Token]) -> int:
    """How many leading words are a verb said before a name ("купила нолипрел", "starting
    prednisone", "pop my vitamin c"), when a medication's name follows them."""
    count = 0
    while count < len(tokens) - 1 and tokens[count].kind == "word" and ordinary(tokens[count]) and (
            has_verb([tokens[count]]) or tokens[count].low in _LEAD_VERBS) and not _STARTING.match(tokens[count].low):
        count += 1
    return count if _a_name_left(tokens[count:]) else 0


def trailing_verbs(tokens: Sequence[Token]) -> int:
    """How many last words are a verb of giving said after a name ("дюрогезик менять", "клексан
    колоть", "аквадетрим давать"), when a medication's name comes before them."""
    count = 0
    while count < len(tokens) - 1 and (tokens[-1 - count].low in _GIVING or tokens[-1 - count].low in _LINKING):
        count += 1
    return count if _a_name_left(tokens[: len(tokens) - count]) else 0


def _a_name_left(tokens: Sequence[Token]) -> bool:
    """What is left once the verbs go names a medication, or starts with a word no dictionary knows."""
    rest = [t for t in tokens if t.kind == "word" and t.low not in STOP_WORDS]
    return bool(rest) and (looks_like_medication(rest) or all(
        not is_known(t.low) and not is_english_word(t.low) and len(t.low) >= 3 for t in rest[:1]))


_GIVING = frozenset("""менять поменять сменять клеить наклеивать приклеивать колоть уколоть ставить поставить
    давать дать пить выпить принимать принять капать закапывать мазать намазать вводить пшикать брызгать
    рассасывать жевать""".split())
"""Infinitives of giving a medication: after its name they say how, not what."""
_LINKING = frozenset({"got", "gets", "was", "were", "is", "has", "had", "have", "been", "will", "moved", "switched", "shifted"})
""""lisinopril got bumped up to 20 mg", "the metformin was": what happened to it, never its name."""


_LEAD_VERBS = frozenset({"mark", "tick", "keep", "continue", "pop", "popped", "got", "get", "using", "used", "bought", "need", "needs", "take", "taking",
                         "like", "want", "wanna", "love",
                         "put", "stick", "chuck", "halved", "doubled", "increased", "reduced", "lowered", "raised",
                         "upped", "cut", "changed", "switched"})
_STARTING = re.compile(r"(?:push|move|shift|bump|delay|postpone|bring|перестав|перенес|сдвин|передвин|перекин|пе[йи]|пью"
                       r"|пьё|пье|выпе|выпи|прим|приня|принима|take|took|колоть|кол[ие]|капа|"
                       r"stop|прекрат|перестал|бросил|законч|конч|отмен|cancel|discontinu|"
                       r"quit|drop|пропуст|skip|забыл|forgot|missed|напута|перепута|ошиб|mix|mistak|typed|мен|измен|"
                       r"исправ|передума)")
"""Verbs that take, move, start, stop or correct a dose: part of the request, never trimmed."""
_COMMANDING = re.compile(r"(?:push|move|shift|bump|delay|postpone|перестав|перенес|сдвин|передвин|перекин|отмен|cancel|"
                         r"stop|прекрат|перестал|бросил|start|нач|законч|конч)")
"""Verbs that ask for a change: a clause holding one is a request, never talk."""


@lru_cache(maxsize=4096)
def _near_a_time_word(word: str) -> bool:
    """"после ужена": a meal or a part of the day typed wrong is never talk."""
    return len(word) >= 4 and word not in _MEALS_AND_DAYPARTS and any(
        OSA.distance(word, known, score_cutoff=1) <= 1 for known in _MEALS_AND_DAYPARTS)


_MEALS_AND_DAYPARTS = frozenset("""завтрак завтрака завтраком обед обеда обедом ужин ужина ужином утро утра утром вечер
    вечера вечером ночь ночи ночью сном натощак breakfast lunch dinner supper morning evening night bedtime""".split())


_NOT_FORGET = frozenset("""забыть забывать забудь забуду пропустить пропускать пропущу forget miss missing""".split())


def _without_reminding(words: list[Token]) -> list[Token]:
    """"это важно не пропустить", "помогите не забывать", "don't forget": why a reminder is
    wanted; the "не" there negates nothing in the request."""
    out: list[Token] = []
    for token in words:
        if token.low in _NOT_FORGET and out and out[-1].low in ("не", "not", "don't", "dont", "to"):
            out.pop()
            continue
        out.append(token)
    return out


def whom_for(tokens: Sequence[Token]) -> int:
    """How many leading words say whom the pills are for ("мамочке ноотропил" → 1)."""
    count = 0
    while count < len(tokens) - 1 and (tokens[count].low in PEOPLE - _PRONOUNS_IN_NAMES or _someones(tokens[count])
                                       or _to_someone_named(tokens[count])):
        count += 1
    if count == 0 and len(tokens) > 2 and tokens[1].low in ("his", "her", "their") and tokens[0].text[:1].isupper() \
            and tokens[0].low.isascii() and tokens[0].low not in MED_WORDS:
        return 2  # "give Sophie her Vitamin D": whom it is for, and whose
    return count


def _to_someone_named(token: Token) -> bool:
    """"Сереже аквадетрим", "Маше фолацин": a first name in the dative, written with its capital,
    is whom the medicine is for (a medication's own name, "Ярина", is known as one)."""
    return (token.kind == "word" and token.text[:1].isupper() and not token.low.isascii() and someone_named(token.low)
            and not looks_like_medication([token]))


def _someones(token: Token) -> bool:
    """"John's B12 jab": a person's name with "'s" before the medication is whose it is."""
    return (token.kind == "word" and token.low.endswith("'s") and token.text[:1].isupper() and token.low.isascii()
            and token.low[:-2] not in MED_WORDS)


_PRONOUNS_IN_NAMES = frozenset({"ма", "па", "me", "us"})


def ordinary_or_article(token: Token) -> bool:
    """`ordinary`, with English "a" and "I" (never a vitamin's letter in a clause of talk)."""
    return token.low in ("a", "i") or ordinary(token)


def ordinary(token: Token) -> bool:
    """A word some dictionary knows that names no medication and is no typo of one."""
    word = token.low
    if len(word) == 1:
        return word in _SMALL_WORDS  # "витамин Д", "vitamin A": a letter is part of a name
    if "'" in word and word.isascii():
        word = word.split("'")[0]  # "my knee's a lot better", "you're a star"
        return word in _CONTRACTED or is_english_word(word)
    if word in STOP_WORDS or word in PEOPLE:
        return True
    if word.isascii() and len(word) <= 5 and is_english_word(word) and word not in MED_WORDS:
        return True  # "late", "plate": short English words that only look like a drug's ending
    known = is_known(word) or (word.isascii() and is_english_word(word))
    return known and not looks_like_medication([token]) and not (len(word) >= 5 and near_medication(word))
