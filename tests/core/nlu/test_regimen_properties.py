"""Never confidently wrong about the schedule: a word the parser cannot place never becomes
part of a medication's name, and a word about days never silently becomes "every day".

Both properties start from clean adds the parser reads confidently, and insert one word or
phrase at a random word boundary.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from medbot.core.commands import Add, ParseResult
from medbot.core.nlu import parse
from tests.core.nlu.test_corpus import CASES, REGIMEN_CASES

CLEAN_ADDS = (
    "аспирин 100 мг в 9",
    "добавь омепразол 20 мг в 8",
    "напомни выпить цефиксим в 10",
    "добавь витамин D 2000 МЕ в 9",
    "эналаприл 10 мг в 8 утра",
    "добавь магний в 21:00",
    "добавь метформин 500 мг в 8 и 20",
    "ибупрофен 400 мг в 14:00",
    "add vitamin D at 9am",
    "take metformin 500 mg at 8pm",
    "add melatonin 3 mg at 10 pm",
    "remind me to take omeprazole at 7am",
    "add calcium 500 mg at noon",
    "add prednisone 20 mg at 8",
    "add magnesium 1 pill at 9",
)
"""Each a confident add of one medication, every day (checked below)."""

SCHEDULE_WORDS = (
    "по четвергам", "через день", "в течение 10 дней", "раз в неделю", "вторник", "ежемесячно",
    "по выходным", "по будням", "пн ср пт", "кроме воскресенья", "раз в 3 дня", "каждые 8 часов",
    "курсом 5 дней", "на две недели", "до 1 мая", "1-го числа каждого месяца", "при необходимости",
    "21 день пью 7 дней перерыв", "по понедельникам и пятницам", "еженедельно", "через сутки",
    "on mondays", "every other day", "for two weeks", "weekly", "on weekends", "every 3 days",
    "every Tuesday", "as needed", "until May 1", "on the 15th of every month", "for 10 days",
    "once a week", "every 6 hours", "mon wed fri", "except Sunday", "monthly",
)
"""Words that say something about days: whatever the reading, it is not a plain daily rule."""

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[^\W\d_]+")

_EXTRA_KNOWN = """
понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
один одна одну два две три четыре пять шесть семь восемь девять десять двадцать тридцать
утра утром вечера вечером ночи днем дня дней день сутки неделя недели неделю месяц месяца
часа часов минут минуты полчаса капли капля мазь крем гель спрей сироп свечи укол таблетка
таблетки таблеток табл капсула капсулы капсул капс грамм граммов единиц единицы дважды трижды
ежедневно еженедельно ежемесячно
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
january february march april june july august september october november december sept
one two three four five six seven eight nine ten eleven twelve twenty thirty half
hour hours minute minutes week weeks month months days noon midnight daily weekly monthly
drop drops cream spray syrup tablet tablets pill pills capsule capsules caps tabs dose doses shot
gram grams unit units twice thrice
""".split()


def _known_words() -> frozenset[str]:
    """Words that mean something to a medication bot: a random word must not be one of them."""
    words = set(_EXTRA_KNOWN)
    for case in CASES + REGIMEN_CASES:
        words.update(_WORD.findall(_fold(case["text"])))
    try:
        from medbot.core.nlu import lexicon
    except ImportError:  # pragma: no cover - the lexicon is being rewritten
        lexicon = None
    for attr in ("STOP_WORDS", "GENERIC_WORDS", "MED_WORDS", "NON_MED_WORDS", "ENGLISH_VERBS"):
        words.update(_fold(word) for word in getattr(lexicon, attr, ()))
    return frozenset(words)


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


KNOWN = _known_words()


def relaxed(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def insert(phrase: str, words: str, at: int) -> str:
    parts = phrase.split()
    at %= len(parts) + 1
    return " ".join(parts[:at] + [words] + parts[at:])


def confident_add(result: ParseResult) -> Add | None:
    if isinstance(result.command, Add) and not result.needs_llm and not result.confirm:
        return result.command
    return None


@pytest.mark.parametrize("phrase", CLEAN_ADDS)
def test_the_clean_adds_are_confident_daily_adds_of_one_medication(phrase: str) -> None:
    add = confident_add(parse(phrase))
    assert add is not None and len(add.items) == 1, phrase
    assert add.items[0].regimen is None, phrase


def carries(name: str, word: str) -> bool:
    """The name holds the word, as written or in another case form ("зыкры" → "зыкра")."""
    folded, target = _fold(name), _fold(word)
    stem = target[: max(4, len(target) - 2)]
    return target in folded or any(token.startswith(stem) for token in _WORD.findall(folded))


random_words = st.text(alphabet=CYRILLIC, min_size=4, max_size=10) | st.text(alphabet=LATIN, min_size=4, max_size=10)


@relaxed(300)
@given(st.sampled_from(CLEAN_ADDS), random_words, st.integers(min_value=0, max_value=20))
def test_a_word_it_cannot_place_never_joins_a_confident_name(phrase: str, word: str, at: int) -> None:
    folded = _fold(word)
    assume(folded not in KNOWN)
    assume(folded[: max(4, len(folded) - 2)] not in _fold(phrase))  # not a piece of the phrase itself
    text = insert(phrase, word, at)
    add = confident_add(parse(text))
    if add is None:
        return
    absorbed = [item.med.name for item in add.items if carries(item.med.name, word)]
    assert not absorbed, f"{text!r} → a confident add of {absorbed}"


@relaxed(1000)  # ~4k combinations in all, a few of them wrong: cheap enough to look hard
@given(st.sampled_from(CLEAN_ADDS), st.sampled_from(SCHEDULE_WORDS), st.integers(min_value=0, max_value=20))
def test_a_word_about_days_never_becomes_a_confident_daily_rule(phrase: str, words: str, at: int) -> None:
    text = insert(phrase, words, at)
    add = confident_add(parse(text))
    if add is None:
        return
    assert any(item.regimen is not None for item in add.items), f"{text!r} → a confident every-day add"
