"""Text clean-up and tokens: the one place that decides what a "word" and a "number" are.

Every later stage works on the folded text (lower case, "ё"→"е", one kind of dash and quote)
which keeps the length of the cleaned text, so a span found in the folded text is the same
span in what the person wrote: names can then be cut out with the person's own casing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Literal, NamedTuple

from medbot.core.nlu.case_blind import case_blind
from medbot.core.nlu.word_trie import trie_source

MAX_TEXT = 1000
"""Longer messages are not read at all: nobody writes a schedule change that long."""

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
_EMOJI = re.compile(r"\s*[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u203C\u2049\u2122\u2139"
                    r"\u2194-\u21AA\u231A-\u23FF\u24C2\u25AA-\u25FE\u3030\u303D\u3297\u3299]+")
"""Emoji carry no reading and end many a message ("…, если можно 🙂"): they go, like a full stop."""
_FOLD = str.maketrans(
    {
        "ё": "е",
        "’": "'",
        "‘": "'",
        "`": "'",
        "ʼ": "'",
        "–": "-",
        "—": "-",
        "−": "-",
        "‑": "-",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "\u00a0": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
    }
)
_LETTER_ZERO = re.compile(r"(?<=[0-9])[оo](?![^\W\d_])|(?<![^\W\d_])[оo](?=[0-9])")
_FOLDED_AWAY = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD) + "]")
"""Any character `_FOLD` changes: most texts have none, and a class is a far quicker scan than `translate`."""
_ZERO_HINT = re.compile(r"[0-9][оo]|[оo][0-9]")
"""What `_LETTER_ZERO` cannot match without: a quick test on every folded text."""
_DOTTED_MERIDIEM = re.compile(r"(?<![^\W\d_])([ap])\.\s?m\b\.?")

TokenKind = Literal["word", "num", "clock", "punct", "sym"]

_TOKEN = re.compile(
    r"(?P<clock>(?<![0-9])[0-9]{1,2}(?::[0-9]{1,2}|\s?ч\.?\s?[0-9]{2}|h[0-5][0-9])(?![0-9])"
    r"|(?:(?<=\bв )|(?<=\bво )|(?<=\bat )|(?<=\bк )|(?<=\bна )|(?<=\bto )|(?<=\bи )|(?<=\band )|(?<=^))[0-9]{1,2}(?: (?:[3-5][0-9]|2[5-9]|0[0-9])|-[0-5][0-9])(?![0-9.,:])"
    r"(?! ?(?:мг|mg|мл|ml|мкг|таб|капс|капел|шт|ед|ме|iu|%)))"
    r"|(?P<num>[0-9]+(?:[.,][0-9]+)?(?:/[0-9]+)?|½|¼|¾)"
    r"|(?P<word>[^\W\d_]+(?:[0-9]+)?(?:['-][^\W_]+)*)"
    r"|(?P<punct>[,;.!?:()\[\]\"…])"
    r"|(?P<sym>\S)"
)
_COMMAND_OR_MENTION = re.compile(r"[/@]\w+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)


class Token(NamedTuple):
    """One word, number, clock time or mark (a named tuple: every message makes dozens)."""

    kind: TokenKind
    text: str
    """As the person wrote it."""
    low: str
    """Folded: lower case, "ё"→"е"."""
    start: int
    end: int
    value: float | None = None
    """The number a "num" token stands for."""


_TICKED = re.compile(r"[\u2705\u2714\u2611]\uFE0F?")
"""A tick: "✅ омепразол" reports a dose taken, as people tick a list."""


@lru_cache(maxsize=16)  # one message is cleaned by the parser and again by the reader
def clean(text: str) -> str:
    """Composed Unicode without control or invisible characters (each becomes a space)."""
    text = _UNSAFE.sub(" ", unicodedata.normalize("NFC", text))
    if _EMOJI.search(text):
        unticked = _TICKED.sub(" ", text)
        if unticked != text and len(unticked.split()) <= 4:
            text = "done " + unticked  # "✅ омепразол": ticked off, as on a paper list
        text = _EMOJI.sub(" ", text).strip()
    text = _SPOKEN_MARK.sub(lambda m: _SPOKEN[m.group(1).lower()], text) if _SPOKEN_HINT.search(text) else text
    if "000" in text:
        text = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", "").replace(" ", ""), text)
    if "." in text:
        text = _ABBREVIATION_DOT.sub(r"\1", text)  # "3 табл. в сутки": one sentence
    if "'" in text or "’" in text:
        text = _DAY_POSSESSIVE.sub(r"\1", text)  # "tomorrow's meds": the meds of tomorrow
    return _NO_SPACE_AFTER.sub(r"\1 ", text)


_DAY_POSSESSIVE = re.compile(r"(?<![\w-])((?i:today|tomorrow|tonight))['’]s(?![\w-])")


_ABBREVIATION_DOT = re.compile(r"(?<![\w.])((?i:табл|таб|капс|кап|шт|мг|мл|гр|ед|tab|tabs|caps|cap|pcs))\.(?=\s+[a-zа-яё])")
"""A dot after a unit's abbreviation ("3 табл. в сутки") ends no sentence (before a capital it may)."""


_THOUSANDS = re.compile(r"(?<![\d.,])([1-9]\d{0,2})((?:[, ]\d{3})+)(?=\s*(?:iu|ме|me|ед|units?|u|мг|mg|мкг|mcg|µg)(?![^\W\d_]))",
                        re.IGNORECASE)
""""50,000 IU", "50 000 МЕ", "1,000 units": thousands, not a decimal comma or two numbers."""


_NO_SPACE_AFTER = re.compile(r"([,;!?](?=[^\s\d,;!?.)])|[.:](?=[^\W\d_]{2}))")
""""в 8,ой нет,в 9.в 9 правильно": a mark typed without its space (not "2,5", "7.30", "vit.D")."""


_SPOKEN = {"запятая": ",", "точка": ".", "comma": ",", "full stop": "."}
_SPOKEN_HINT = case_blind(r"запятая|точка|comma|full stop")
_SPOKEN_MARK = re.compile(r"\s*(?<![\w-])(запятая|точка|comma|full stop)(?![\w-])(?!\s*\d)", re.IGNORECASE)
"""Punctuation a voice typist spoke aloud: "выпила витамин д запятая омегу тоже" ("точка" before a
number, "два точка пять", stays a word)."""


_SHORTHAND = {"tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
              "tomoz": "tomorrow", "2day": "today", "tdy": "today", "b4": "before", "bout": "about", "u": "you",
              "ur": "your", "r": "are", "w/": "with", "thx": "thanks", "ty": "thanks", "plz": "please",
              "mornin": "morning", "evenin": "evening", "nite": "night", "tonite": "tonight",
              "щас": "сейчас", "ща": "сейчас", "ужэ": "уже", "ужо": "уже", "поседнее": "последнее", "послденее": "последнее", "ужена": "ужина", "ужына": "ужина", "обда": "обеда", "запишыте": "запишите", "запешите": "запишите", "будте": "будьте", "plase": "please", "pls": "please", "ищо": "ещё", "исчо": "ещё", "ишо": "ещё", "чё": "что", "че": "что", "чо": "что", "скока": "сколько",
              "седня": "сегодня", "сёдня": "сегодня", "севодня": "сегодня", "завтро": "завтра", "таблы": "таблетки",
              "таблос": "таблетки", "колёса": "таблетки", "спс": "спасибо", "пжл": "пожалуйста", "пж": "пожалуйста",
              "пжлст": "пожалуйста", "плз": "пожалуйста", "wat": "what", "wot": "what", "tak": "take",
              "taek": "take", "helo": "hello", "hw": "how", "pils": "pills", "medz": "meds", "shedule": "schedule",
              "tomorow": "tomorrow", "tommorow": "tomorrow", "tommorrow": "tomorrow", "2nite": "tonight",
              "wats": "whats", "lemme": "let me", "til": "till", "gimme": "give me", "n": "and", "evry": "every", "brekkie": "breakfast", "brekky": "breakfast",
              "arvo": "afternoon", "adn": "and", "nd": "and", "rn": "now", "@": "at", "tookmy": "took my",
              "удли": "удали", "отмна": "отмена", "атмена": "отмена", "отмина": "отмена", "атмени": "отмени", "отмини": "отмени", "acutally": "actually", "actualy": "actually",
              "acually": "actually", "яз": "язык", "англ": "английский", "рус": "русский",
              "en": "english", "eng": "english", "ru": "russian", "tokk": "took", "tookk": "took", "tooked": "took",
              "taked": "took", "tooken": "taken", "hav": "have", "drinked": "drank", "drunked": "drank",
              "pleas": "please", "plese": "please", "pleae": "please", "pleasee": "please", "pleace": "please",
              "vit": "vitamin", "vits": "vitamins", "памагите": "помогите", "помагите": "помогите", "памогите": "помогите", "тепрь": "теперь", "типерь": "теперь", "тепреь": "теперь", "тепер": "теперь", "тепепрь": "теперь", "перенис": "перенеси", "пиренеси": "перенеси", "пренеси": "перенеси", "пререведи": "переведи", "ошиблсь": "ошиблась", "ошиблас": "ошиблась", "ашиблась": "ошиблась", "большоее": "большое", "спасибки": "спасибо", "выпела": "выпила", "выпел": "выпил", "tooke": "took", "пследнее": "последнее", "помениай": "поменяй", "tokio": "tokyo", "перевиди": "переведи", "allready": "already", "alredy": "already", "allready,": "already", "випила": "выпила", "випив": "выпил", "випили": "выпили", "вже": "уже", "зараз": "сейчас", "виправ": "исправь", "виправте": "исправьте", "скасуй": "отмени", "скасуйте": "отмените", "видали": "удали", "додай": "добавь", "додайте": "добавьте", "болше": "больше",
              "больще": "больше", "вечерм": "вечером", "утрм": "утром", "вечром": "вечером", "утречком": "утром",
              "вечерком": "вечером", "полтаблеточки": "полтаблетки", "витаминки": "витамины", "так-с": "так",
              "evenning": "evening", "evning": "evening", "morining": "morning", "mornig": "morning",
              "moring": "morning", "mroning": "morning", "afternon": "afternoon", "bedtiem": "bedtime", "brekfast": "breakfast",
              "breakfats": "breakfast", "lunhc": "lunch", "diner": "dinner",
              "пожайлуста": "пожалуйста", "пожлуйста": "пожалуйста", "пожалйста": "пожалуйста",
              "пожалуиста": "пожалуйста", "пожалусто": "пожалуйста", "пожалуста": "пожалуйста", "пажалуста": "пожалуйста",
              "спсибо": "спасибо", "спасиба": "спасибо", "заранне": "заранее", "извените": "извините",
              "здраствуйте": "здравствуйте", "здрастье": "здравствуйте", "удолите": "удалите", "удолить": "удалить",
              "перенисите": "перенесите", "перенисти": "перенести", "посдеднее": "последнее", "последне": "последнее",
              "тоесть": "то есть", "thnak": "thank", "thnaks": "thanks", "thnx": "thanks", "thnks": "thanks",
              "cna": "can", "delte": "delete", "dlete": "delete", "deleet": "delete", "taht": "that", "tht": "that",
              "insted": "instead", "instaed": "instead", "finaly": "finally", "remnd": "remind",
              "remid": "remind", "reminde": "remind",
              # prescription shorthand, as doctors and pharmacists write it on the label
              "qhs": "at bedtime", "qam": "in the morning", "qpm": "in the evening", "bid": "twice a day",
              "tid": "three times a day", "qid": "four times a day", "qd": "once a day", "tabs": "tablets",
              "tab": "tablet", "caps": "capsules", "tea time": "dinner time", "teatime": "dinner time",
              "me tablets": "my tablets", "me pills": "my pills", "me meds": "my meds", "me tabs": "my tablets",
              "пред сном": "перед сном", "тбл": "таблетки", "tok": "took", "remvoe": "remove", "reomve": "remove",
              "pleaes": "please", "plesae": "please", "утар": "утра", "мме": "мне", "mums": "mum's", "moms": "mom's",
              "dads": "dad's", "grans": "gran's", "nans": "nan's", "takn": "taken", "lef": "left", "на ноч": "на ночь",
              "nyc": "new york", "пред едой": "перед едой", "пред завтраком": "перед завтраком",
              # words of time and count said fondly ("в девять часиков", "через полчасика", "один разок")
              "часиков": "часов", "часика": "часа", "часик": "час", "часок": "час", "полчасика": "полчаса",
              "минуток": "минут", "минутки": "минуты", "минуточек": "минут",
              "минуточку": "минуту", "разок": "раз", "разочек": "раз", "денька": "дня", "деньков": "дней",
              "денек": "день", "денёк": "день", "недельку": "неделю", "недельки": "недели", "штучек": "штук",
              "штучки": "штуки", "штучку": "штуку", "укольчик": "укол", "укольчики": "уколы", "укольчика": "укола",
              "укольчиков": "уколов", "укольчиком": "уколом"}
_SHORTHAND_WORD = case_blind(r"(?<![\w/-])" + trie_source(_SHORTHAND) + r"(?![\w/-])")


_SHORT_MERIDIEM = re.compile(r"(?<![\w.:])(\d{1,2}(?::\d{2})?)(?:([ap])(?![\w]|\.\s?m)|\s?(p)(?:n|mm)\b|\s?(a)mm\b)", re.IGNORECASE)
_DAYPART_SHORT = re.compile(r"((?:\bв|\bat)\s+\d{1,2}(?::\d{2})?)?\s*\b(веч|утр)\b\.?", re.IGNORECASE)
_DAYPART_FULL = {"веч": ("вечером", "вечера"), "утр": ("утром", "утра")}
""""в 9 веч" is "в 9 вечера"; "конкор 5 утр" is "утром" (a strength in the morning, or 5 a.m.? asked)."""
_HALF_HOUR = re.compile(r"(?<=\bв )пол\s?-?(\d{1,2})(?:-?го)?\b", re.IGNORECASE)
""""в пол10", "в пол-9": half past the hour before ("в половине десятого" = 9:30)."""
_MINUTES_TO = re.compile(r"\bбез (\d{1,2}) (\d{1,2})\b", re.IGNORECASE)
_SPACED_MERIDIEM = re.compile(r"\b(\d{1,2}) ([0-5]\d) ?(am|pm)\b", re.IGNORECASE)
_AUTOCORRECT_TOOK = re.compile(r"\btool (?=(?:my|the|his|her|all|both|them|it)\b)", re.IGNORECASE)
_AUTOCORRECT_AT = re.compile(r"\bate (?=\d)", re.IGNORECASE)


def _minutes_to(match: re.Match[str]) -> str:
    """"без 15 9" is 8:45."""
    minutes, hour = int(match.group(1)), int(match.group(2))
    if not (0 < minutes < 60 and 1 <= hour <= 24):
        return match.group()
    return f"в {hour - 1}:{60 - minutes:02d}"


_W_WITH = re.compile(r"\bw/? (?=(?:my |her |his )?(?:breakfast|lunch|dinner|supper|food|meals?)\b)", re.IGNORECASE)
_HOURS_SUFFIX = re.compile(r"(?<![\w.:])(\d{1,2}:\d{2})\s?(?:hrs?|hours)\b", re.IGNORECASE)
_UK_HALF = re.compile(r"\bhalf (\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
                      r"(?! (?:a|an|tablets?|pills?|tabs?|capsules?|doses?|mg|ml)\b)", re.IGNORECASE)


def _spelled_word(match: re.Match[str]) -> str:
    word = match.group().lower()
    if word == "u" and match.string[: match.start()].rstrip()[-1:].isdigit():
        return match.group()  # "10 u": units of insulin, not "you"
    return _SHORTHAND[word]


_TIMES_A_DAY = re.compile(r"(?<![\w-])(\d)\s?р\.?(?= в (?:день|сутки))", re.IGNORECASE)
_FREQ_HINT = case_blind(r"day|день|сутки|дважды|трижды")
_FREQ_THEN_HOURS = re.compile(
    r"((?:twice|three times|four times|\d+ times|once)(?: a| per)? day|(?:два|три|четыре|\d+) ?р(?:аза?)?\.? в (?:день|сутки)"
    r"|дважды(?: в день)?|трижды(?: в день)?)(\s*[,:]?\s+)"
    r"(?=\d{1,2}(?::\d{2})?(?:\s*(?:,|и|and|&)\s*\d{1,2}(?::\d{2})?)+(?!\s*(?:mg|мг|ml|мл|ед|units?|\d)))",
    re.IGNORECASE)
""""twice a day, 8 and 20", "2р в день 9 и 21": the hours of that frequency, as if said with "at"."""
_PARTICLE = re.compile(r"(?<![\w-])([^\W\d_]+)-(?:то|ка|таки)(?![\w-])", re.IGNORECASE)
_INDEFINITE = frozenset("""что чего чем чему какой какое какая какие каких какую каким где кто кого кому когда как куда
    откуда почему зачем чей чья чье чьё чьи сколько""".split())
""""на завтра-то", "запиши-ка": a particle of speech; "что-то", "какое-то" point at something unnamed."""


_SPOKEN_SIGN = re.compile(r"(?<![\w-])(плюс|минус|plus|minus)\s+([^\W\d_]+)(?![\w-])", re.IGNORECASE)
_SPOKEN_UTC = re.compile(r"(?<![\w-])(?:ю[\s-]?ти[\s-]?си|джи[\s-]?эм[\s-]?ти)(?![\w-])", re.IGNORECASE)


def spoken_offsets(text: str, cardinal: Callable[[str], int | None]) -> str:
    """"мск плюс три", "ю ти си плюс пять": a zone's offset dictated in words, in figures."""
    if not any(sign in text.lower() for sign in ("плюс", "минус", "plus", "minus")):
        return text
    text = _SPOKEN_UTC.sub(lambda m: "utc" if m.group(0)[0] in "юЮ" else "gmt", text)

    def figure(match: re.Match[str]) -> str:
        hours = cardinal(match.group(2).lower())
        return f"{match.group(1)} {hours}" if hours is not None and 0 < hours <= 14 else match.group(0)

    return _SPOKEN_SIGN.sub(figure, text)


_LITTLE_VITAMIN = re.compile(r"(?<![\w-])витамин(?:к[уа]|очку|очка)(?= (?:[a-zа-яё]\d*|[a-zа-яё]{3,})(?![\w-])(?!,))",
                             re.IGNORECASE)
""""витаминку д3", "витаминку компливит": the vitamin named (not "витаминку D, Аквадетрим": which is it?)."""


_ONE_BY_ONE = re.compile(r"(?<![\w-])по (капле|таблетке|капсуле|таблеточке|капельке|капсулке)(?![\w-])", re.IGNORECASE)
_PRESCRIPTION_HINT = re.compile(r"р/|\d т|^\s*r[px]\s*[:.]|п/к|в/м|в/в|\bpo\b|\bsc\b|subq|subcut|sublingual|per os|ч/з"
                                r"|внутримышечно|подкожно|внутривенно|intramuscular|subcutaneous|by mouth|orally")
_PRESCRIPTION = re.compile(r"^\s*(?:rp|rx)\s*[:.]\s*", re.IGNORECASE)
_PER_DAY = re.compile(r"(?<![\w.])(\d)\s*р/д(?![\w-])", re.IGNORECASE)
_PER_PERIOD = re.compile(r"(?<![\w.])(\d)\s*р(?:аз\w*)?\s*/\s*(сут(?:ки|ок)?|нед(?:елю)?|мес(?:яц)?)\.?(?![\w-])", re.IGNORECASE)
_PERIOD_WORDS = {"сут": "сутки", "нед": "неделю", "мес": "месяц"}
_THROUGH = re.compile(r"(?<![\w/])ч/з(?![\w/])", re.IGNORECASE)
_ROUTE = re.compile(r"(?<![\w-])(?:п/к|в/м|в/в|s/c|i/m|i/v|per os|po|sc|subq|sub-q|subcut(?:aneous(?:ly)?)?|sublingual(?:ly)?"
                    r"|intramuscular(?:ly)?|by mouth|orally|внутрь|подкожно|под кожу|внутримышечно|внутривенно)(?![\w-])",
                    re.IGNORECASE)
"""How it is given ("п/к", "в/м", "PO", "subq"): as prescriptions write it, never part of a name or a time."""
_TABLET_ABBREVIATION = re.compile(r"(\d(?:/\d)?)\s*т\.?(?=[\s,;]|$)")
""""по 1 т.", "1/2 т": a tablet, as prescriptions abbreviate it."""


_DAYPART_GENITIVE = {"утром": "утра", "днем": "дня", "днём": "дня", "вечером": "вечера", "ночью": "ночи"}
_PAIRED_DAYPARTS = re.compile(
    r"(?<![\w-])(утром|дн[её]м|вечером|ночью) и (утром|дн[её]м|вечером|ночью),? в (\d{1,2}(?::\d{2})?) и в (\d{1,2}(?::\d{2})?)"
    r"(?![\w:-])(?! (?:утра|дня|вечера|ночи))", re.IGNORECASE)


def _paired(match: re.Match[str]) -> str:
    first, second = _DAYPART_GENITIVE[match.group(1).lower()], _DAYPART_GENITIVE[match.group(2).lower()]
    return f"в {match.group(3)} {first} и в {match.group(4)} {second}"


_DAYS_RUNNING = re.compile(r"(?<![\w:.])(\d{1,2}) дня подряд(?![\w-])", re.IGNORECASE)


def spelled_out(text: str) -> str:
    """Chat shorthand in full: "tmrw" → "tomorrow", "b4 bed" → "before bed", "щас" → "сейчас",
    "8a" → "8am", "9 pn" → "9 pm", "20:00hrs" → "20:00", British "half 8" → "half past 8".
    Each rewrite runs only when its key letters are in the text: most messages need none."""
    text = _SHORTHAND_WORD.sub(_spelled_word, text)
    lowered = text.lower()
    if "витамин" in lowered:
        text = _LITTLE_VITAMIN.sub("витамин", text)
    if "по кап" in lowered or "по таб" in lowered:
        text = _ONE_BY_ONE.sub(r"по 1 \1", text)  # "тимолол по капле": one drop
    if _PRESCRIPTION_HINT.search(lowered):
        text = _PRESCRIPTION.sub("", text)  # "Rp: Диротон 10, по 1 т. 1 р/д в 8.00", as the doctor wrote it
        text = _PER_DAY.sub(lambda m: f"{m.group(1)} {'раз' if m.group(1) == '1' else 'раза'} в день", text)
        text = _PER_PERIOD.sub(lambda m: f"{m.group(1)} {'раз' if m.group(1) == '1' else 'раза'} в "
                               f"{_PERIOD_WORDS[m.group(2).lower()[:3]]}", text)  # "1 р/нед", "3 р/сут"
        text = _ROUTE.sub(" ", text)
        text = _THROUGH.sub("через", text)  # "ч/з день"
        text = _TABLET_ABBREVIATION.sub(r"\1 таб", text)
    if _FREQ_HINT.search(text):
        text = _TIMES_A_DAY.sub(r"\1 раза", text)  # "2р в день"
        text = _FREQ_THEN_HOURS.sub(lambda m: m.group(1) + m.group(2) + ("at " if m.group(1).isascii() else "в "), text)
    if "-" in text:
        text = _PARTICLE.sub(lambda m: m.group(0) if m.group(1).lower() in _INDEFINITE else m.group(1), text)
    low = text.lower()
    digits = any(ch.isdigit() for ch in low)
    if digits:
        text = _SHORT_MERIDIEM.sub(lambda m: m.group(1) + (m.group(2) or m.group(3) or m.group(4)).lower() + "m", text)
        if "h" in low:
            text = _HOURS_SUFFIX.sub(r"\1", text)
        if "пол" in low:
            text = _HALF_HOUR.sub(lambda m: f"{int(m.group(1)) - 1}:30", text)
        if "без " in low:
            text = _MINUTES_TO.sub(_minutes_to, text)
        if "ate " in low:
            text = _AUTOCORRECT_AT.sub("at ", text)
        if "m" in low:
            text = _SPACED_MERIDIEM.sub(r"\1:\2\3", text)
    if " in " in low:
        text = _STICK_IN.sub(r"\1add ", text)  # "stick in a reminder for my Aimovig": add it
    if "-a-" in low:
        text = _HYPHENED_RATE.sub(lambda m: m.group().replace("-", " "), text)  # "once-a-month"
    if "clock" in low:
        text = _SPACED_OCLOCK.sub(r"\1 o'clock", text)  # "8 o clock": the hour
        text = _OCLOCK_DAYPART.sub(lambda m: f"{m.group(1)} o'clock {'at night' if m.group(2).lower() == 'night' else 'in the ' + m.group(2)}",
                                   text)  # "8 o'clock night": at night
    if "tool " in low:
        text = _AUTOCORRECT_TOOK.sub("took ", text)
    if "веч" in low or "утр" in low:
        text = _DAYPART_SHORT.sub(lambda m: (m.group(1) or "") + " " + _DAYPART_FULL[m.group(2).lower()][bool(m.group(1))],
                                  text)
    if "w" in low:
        text = _W_WITH.sub("with ", text)
    if " to " in low:
        text = _MINUTES_TO_EN.sub(_minutes_to_en, text)
    if "укол" in low or "инъекц" in low:
        text = _AT_HOUR_INJECTION.sub(r"\1 \2, \3", text)  # "в 10 укол диспорта": at 10, not ten injections
    if " и " in low and ("ом и" in low or "ью и" in low or "ем и" in low):
        text = _PAIRED_DAYPARTS.sub(_paired, text)  # "утром и вечером в 8 и в 20": 8 in the morning, 20 in the evening
    if "подряд" in low:
        text = _DAYS_RUNNING.sub(r"\1 дней подряд", text)  # "3 дня подряд в 12:00": three days, never 15:00
    return _UK_HALF.sub(r"half past \1", text) if "half" in low else text


_STICK_IN = re.compile(r"^(\s*(?:please |pls |can you |could you )?)(?:stick|pop|put|chuck|pencil) in (?=\w)", re.IGNORECASE)
_HYPHENED_RATE = re.compile(r"(?<![\w-])(?:once|twice|one|two|three)-a-(?:day|week|month|fortnight)(?![\w-])", re.IGNORECASE)
_SPACED_OCLOCK = re.compile(r"(?<![\w:.])(\d{1,2}) ?o ?[’']? ?clock(?![\w-])", re.IGNORECASE)
_OCLOCK_DAYPART = re.compile(r"(?<![\w:.])(\d{1,2}) o'clock (night|evening|morning|afternoon)(?![\w-])", re.IGNORECASE)
_AT_HOUR_INJECTION = re.compile(r"(?<![\w-])(в|во) (\d{1,2}(?:[:.]\d{2})?) (укол\w*|инъекци\w*)", re.IGNORECASE)
_EN_HOURS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12}
_MINUTES_TO_EN = re.compile(
    r"\b(at|around|about|by) (5|10|20|25|five|ten|twenty|twenty-five) to "
    r"(1[0-2]|[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?!:| ?(?:mg|ml|units?|tablets?|pills?))",
    re.IGNORECASE)
""""at ten to nine", "at 20 to 8": minutes before the hour, said after "at" (a bare "10 to 9"
is a change from 10 to 9)."""


def _minutes_to_en(match: re.Match[str]) -> str:
    before = {"5": 5, "10": 10, "20": 20, "25": 25, "five": 5, "ten": 10, "twenty": 20, "twenty-five": 25}[
        match.group(2).lower()]
    hour = _EN_HOURS.get(match.group(3).lower()) or int(match.group(3))
    hour = 12 if hour == 1 else hour - 1
    return f"{match.group(1)} {hour}:{60 - before:02d}"


_FILLER_WORDS = case_blind(
    r"(?<![\w-])(?:значит так|так вот|ну вот|ok so|okay so|ну|вот|короче|значит|слушай(?:те)?|пожалуйста|плиз"
    r"|(?:(?<=дней )|(?<=дня )|(?<=день )|(?<=days )|(?<=weeks )|(?<=недель )|(?<=недели ))(?:подряд|in a row|straight)(?![\w-])"
    r"|блин|кстати|ой|упс|эх|э+|эм+|а{3,}|хм+|hm+|вс[её] по плану|all good|as planned|(?<!го )типа|стоп(?=\s*[,.!]|\s*$| назад| отмен| верн| не так| нет)|короче говоря|в общем|очень прошу|прошу тебя|прошу|будь другом"
    r"|quick one|basically|actually|ok(?:ay)?(?= (?:add|so|please|remove|delete))|hey bot|hi bot"
    r"|(?:спасибо|спасибр|спасиба|пасиб[оа]|спс|благодарю)(?: (?:вам|тебе))?(?: (?:большое|огромное))?(?: (?:вам|тебе))?"
    r"(?: за (?:помощь|напоминани\w*|вс[её]|заботу))?"
    r"|thank you(?: (?:so|very) much)?(?: for (?:your|the|all the) help)?|thanks(?: a lot| so much| a bunch| a million| heaps)?(?: for (?:your|the) help)?|many thanks"
    r"|слава богу|thank god|thank goodness|доброго здоровь\w*|pretty please"
    r"|please|pls|um+|uh+|hey|oops|thanks|спасибо|so|lol|lmao|nvm|btw|by the way|fyi|кстати говоря|между прочим|дзякуй|дякую|дуже дякую|no wait|wait,|cheers|ta|x{1,3}(?=\s*$)|hiya|g'?day"
    r"|mate|quick one|thanks heaps|much appreciated|sorry to bother(?: you)?|dear medbot|ok ok|bloody|конечно|of course"
    r"|(?:sorry|excuse me) for (?:the |my )?typos|(?:excuse|pardon) (?:the |my )?typos|извините за опечатки|сорри за опечатки"
    r"|if (?:it'?s|it is) not too much (?:trouble|bother)|if you don'?t mind|when you (?:get|have) a (?:sec|second|minute|moment|chance)|если (?:вам |тебе )?не (?:сложно|трудно)"
    r"|yo|ok here goes|here goes|righto|right-o|alrighty|ты (?:лучший|лучшая|супер|молодец)|you'?re (?:the best|a star|a gem)|ээ+|это самое|вот это|hi+|hello there|abeg|finally|(?<=про )(?:второй|следующий|вечерний|утренний) при[её]м(?= \w)|(?:i )?(?:need|have|want|would like|'d like|wanna|gotta) to(?= (?:add|set up|remind|start|track|log|record|schedule) )|with effect(?= from)|(?<=patch )change[ds]?|(?<=patches )changed?|right(?=,)|listen|look(?=,)|(?<=\d )sharp|(?<=[ap]m )sharp|ровно(?= в \d)|наконец(?:-то)?|как раз|(?:ha){2,}|(?:ха){2,}|ахах\w*|хех|(?<!as )well)"
    r"(?![\w-])(?: ?[,!:-])?")
_SPACES = re.compile(r"[ ]{2,}")
_WHOSE_BY_TITLE = re.compile(r"(?<![\w-])(?i:for )?(?i:mrs|mr|ms|miss)\.? [A-Z][\w-]*(?:'s)?(?![\w-]),?"
                             r"|(?<![\w-])(?i:mrs|mr|ms|miss|dr|nurse)\.? (?i:[a-z][\w-]*)'s(?![\w-])")
""""Mrs Jones's warfarin", "Xarelto 20 with dinner for Mrs Jones": who it is for, not a part of a name
(the person a carer writes about, like "маме")."""


_OPENING = re.compile(
    r"^\s*(?:(?:(?:доброе|добрый) (?:утро|утречко|день|вечер)|вечер добрый|здравствуй(?:те)?|здрасьте|привет(?:-привет)?"
    r"|hi(?: there)?|hello(?: there)?|hey there|good (?:morning|afternoon|evening)|dear bot|(?:дорогой|милый|уважаемый) бот)"
    r"(?:,? (?:дорогой |милый )?бот)?[,.!]*\s+)?"
    r"(?:(?:меня зовут|my name is) [^\W\d_]+(?: [^\W\d_]+)?(?:,| and|[.!])\s*)?",
    re.IGNORECASE,
)
_CLOSING = case_blind(
    r"(?:[,.!]?\s+(?:(?:и |and )?(?:заранее )?спасибо(?: тебе| вам)?(?: большое| огромное)?(?: заранее)?"
    r"|а то (?:я )?(?:всё |все )?(?:время |постоянно |часто |вечно )?забываю(?: про (?:него|нее|неё|них))?"
    r"|(?:я )?(?:часто|всё время|все время|постоянно|вечно) забываю"
    r"|thanks?(?: a lot| so much| very much)?(?: in advance)?|thank you(?: so much| very much)?(?: in advance)?"
    r"|if (?:that'?s|it'?s) (?:ok|okay|alright|fine)(?: with you)?|i guess|i think(?: that'?s right)?"
    r"|(?:please )?add (?:it|that|them)(?: please)?|so i don'?t forget|чтобы? не забыть|чтоб не забывать"
    r"|а то (?:я )?забываю (?:постоянно|всегда|часто)|курс (?:закончился|окончен|кончился)|(?:она|он) в больнице"
    r"|остальное оставь|i'?m done with it|(?:and )?that'?s it|thank you kindly|(?:please )?add(?: it| that)?"
    r"|if you can|if possible|если можно|если не сложно|пожалуйста|x{1,3}|cheers|ta|much appreciated|thanks heaps"
    r"|that'?s all(?: for now)?|спасибо (?:вам|тебе)? ?(?:большое|огромное)|дай (?:вам |тебе )?бог здоровья"
    r"|will you|can you|please and thank you|if you would|if you please|bless you|could you remind me"
    r"|(?:спасибо,? )?что напомнил\w*|thanks? for (?:the )?remind\w*|ok|okay|ок|окей|хорошо))+[\s.!)?]*$")


_AFTER_NOON = case_blind(r"\bчерез (\w+) час\w* после (полудня|полуночи)\b")
_BEFORE_MIDNIGHT = case_blind(r"\bза (?:(\w+) )?час\w* до (полуночи|полудня)\b|\b(an|one|two|three|\d+) hours? before "
                              r"(midnight|noon)\b")


_GLUED = case_blind(r"(?<![^\W\d_])(в|во|к|at|by)(\d{1,2}(?::\d{2})?)(?![\d.,])")
_VITAMIN_NUMBERS = frozenset({"1", "2", "3", "5", "6", "7", "9", "12"})
_VITAMIN_BEFORE = re.compile(r"(?:витамин\w*|vitamin)\s*$", re.IGNORECASE)


_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s*$")
_B6_BRAND_BEFORE = re.compile(r"(?:магне|магнелис|magne|magnelis|магний|magnesium)\s*$", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"\d(?:\s*(?:мг|mg|мкг|mcg|ед|таб\w*|капс\w*))?\s+$", re.IGNORECASE)
""""амлодипин 5 в7", "аспирин кардио 100 в9": after a dosage, "в7" is the hour (no vitamin B7 dose)."""


def _drug_before(match: re.Match[str]) -> bool:
    """"аспирин в9": a whole medication just named, so the hour it is taken at (no aspirin B9)."""
    from medbot.core.nlu.lexicon import MED_WORDS  # the vocabulary is loaded once, on first use

    word = _WORD_BEFORE.search(match.string[: match.start()])
    return word is not None and word.group(1).lower() in MED_WORDS and word.group(1).lower() not in _VITAMIN_CARRIERS


_VITAMIN_CARRIERS = frozenset({"магне", "magne", "комплекс", "complex", "нейро", "neuro", "фолиевая"})


_NAME_GLUED_NUMBER = re.compile(
    r"(?<![\w-])([^\W\d_]{4,})(\d+(?:[.,]\d+)?(?:мг|mg|мкг|mcg|мл|ml)?)(?![\w])", re.IGNORECASE)


def _strength_unglued(match: re.Match[str]) -> str:
    """"кардиомагнил75", "тирозол5мг": a known medication and its strength typed as one word."""
    from medbot.core.nlu.lexicon import MED_WORDS  # loaded once, on first use

    name = match.group(1)
    return f"{name} {match.group(2)}" if name.lower() in MED_WORDS else match.group()


def unglued(text: str) -> str:
    """"в20", "at9" typed without the space: "в 20", "at 9" ("витамин в12" stays vitamin B12);
    "кардиомагнил75": "кардиомагнил 75"."""
    if any(ch.isdigit() for ch in text):
        text = _NAME_GLUED_NUMBER.sub(_strength_unglued, text)
    def split(match: re.Match[str]) -> str:
        if _VITAMIN_BEFORE.search(text[: match.start()]) or _B6_BRAND_BEFORE.search(text[: match.start()]):
            return match.group(0)
        if match.group(1) == "В" and match.group(2) in _VITAMIN_NUMBERS and _WORD_BEFORE.search(text[: match.start()]):
            return match.group(0)  # "Магнелис В6", "Нейромультивит В12": a capital В after a name is the vitamin
        if match.group(1).lower() == "в" and match.group(2) in _VITAMIN_NUMBERS and not _drug_before(match) \
                and not _AMOUNT_BEFORE.search(text[: match.start()]):
            return match.group(0)  # "магне в6", "в12": a vitamin, not an hour
        return f"{match.group(1)} {match.group(2)}"

    return _GLUED.sub(split, text)


def relative_to_noon(text: str, cardinal: Callable[[str], int | None]) -> str:
    """"через два часа после полудня" → "в 2 после полудня" (14:00); "за час до полуночи" → "в 23:00"."""
    def after(match: re.Match[str]) -> str:
        hours = _hours(match.group(1), cardinal)
        return match.group(0) if hours is None else f"в {hours} после {match.group(2)}"

    def before(match: re.Match[str]) -> str:
        count, anchor = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
        hours = 1 if count in (None, "an", "one") else _hours(count, cardinal)
        base = 24 if anchor.lower() in ("полуночи", "midnight") else 12
        if hours is None or not 0 < hours < 12:
            return match.group(0)
        return f"в {base - hours:02d}:00" if anchor.lower() in ("полуночи", "полудня") else f"at {base - hours:02d}:00"

    return _BEFORE_MIDNIGHT.sub(before, _AFTER_NOON.sub(after, text))


def _hours(word: str, cardinal: Callable[[str], int | None]) -> int | None:
    if word.isdigit():
        return int(word)
    return cardinal(word.lower())


def without_filler(text: str) -> str:
    """The text without words that only fill it ("ну", "пожалуйста", "please"), wherever they
    stand: "больше не ну напоминай про глицин" is still "больше не напоминай про глицин";
    greetings before the message and thanks or explanations after it go too."""
    text = _CLOSING.sub("", _OPENING.sub("", text, count=1), count=1)
    text = _WHOSE_BY_TITLE.sub(" ", text)
    stripped = _FILLER_WORDS.sub(" ", text)
    if stripped == text:
        return text
    return _SPACES.sub(" ", stripped).strip()


def fold(text: str) -> str:
    """Lower case, "ё"→"е", plain dashes and quotes, "p.m."→"pm"; same length as `text`."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    if _FOLDED_AWAY.search(low):
        low = low.translate(_FOLD)
    if _ZERO_HINT.search(low):
        low = _LETTER_ZERO.sub("0", low)  # "в 2о" typed with the letter о: "в 20"
    if ".m" not in low and ". m" not in low:
        return low
    return _DOTTED_MERIDIEM.sub(lambda m: (m.group(1) + "m").ljust(len(m.group())), low)


def number_value(raw: str) -> float | None:
    """The value of a digit token: "0,5"→0.5, "1/2"→0.5, "½"→0.5."""
    if raw == "½":
        return 0.5
    if raw == "¼":
        return 0.25
    if raw == "¾":
        return 0.75
    if "/" in raw:
        top, bottom = raw.split("/", 1)
        return float(top.replace(",", ".")) / int(bottom) if int(bottom) else None
    return float(raw.replace(",", "."))


def tokenize(text: str, low: str) -> tuple[Token, ...]:
    """Tokens of the cleaned text, read from its folded form."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(low):
        kind = match.lastgroup
        start, end = match.span()
        raw = low[start:end]
        value = number_value(raw) if kind == "num" else None
        tokens.append(Token(kind, text[start:end], raw, start, end, value))  # type: ignore[arg-type]
    return tuple(tokens)


@lru_cache(maxsize=1 << 14)
def script_of(word: str) -> Literal["ru", "en"] | None:
    """The language a word is written in, by its letters."""
    cyrillic = len(_CYRILLIC.findall(word))
    latin = len(_LATIN.findall(word))
    if cyrillic > latin:
        return "ru"
    if latin > cyrillic:
        return "en"
    return None


def majority_language(tokens: tuple[Token, ...], low: str) -> Literal["ru", "en"] | None:
    """"ru" or "en" when most words are written in that script; None on a tie or no words.

    Bot commands and mentions ("/list", "@medbot") say nothing about the person's language.
    """
    technical = [m.span() for m in _COMMAND_OR_MENTION.finditer(low)]
    ru = en = 0
    for token in tokens:
        if token.kind == "word" and not any(s <= token.start < e for s, e in technical):
            script = script_of(token.low)
            ru += script == "ru"
            en += script == "en"
    if ru > en:
        return "ru"
    if en > ru:
        return "en"
    return None
