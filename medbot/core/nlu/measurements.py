"""Numbers of other kinds said beside a request: a measurement ("давление 160/100", "сахар
натощак 7.9", "BP's been running 150/95", "МНО было 1.8", "вес 84 кг") or the writer's age
("мне 72 года", "I'm 67"). People give them as context; read as a dose, a time or a name they
would change the schedule wrongly, so they are set aside before anything is read.

A condition for taking a medication is not a measurement: "при температуре выше 38", "если
давление высокое", "if my BP is over 160" stay, as do "от давления" and "for blood pressure".
"""

from __future__ import annotations

import re

from medbot.core.nlu.case_blind import case_blind

_MEASURED = (
    r"(?:артериальное )?давлени[еяю]|ад|сахара?|сахаром|сахаре|пульса?|пульсом|чсс|вес(?:а|ом)?|рост"
    r"|температур[аыу]|мно|ттг|холестерин(?:а)?|лпнп|гемоглобин(?:а)?|гликированн\w*(?: гемоглобин\w*)?"
    r"|hba1c|a1c|креатинин(?:а)?|скф|сатураци[яю]|соэ|ферритин|пикфлоу\w*|анализ\w*"
    r"|глазное давление|внутриглазное давление"
    r"|bp|blood pressure|pressure|sugars?|blood sugars?|bg|bs|pulse|heart rate|hr|weight|temp|temperature"
    r"|inr|tsh|cholesterol|ldl|hdl|egfr|gfr|creatinine|sats|spo2|peak flow|ferritin|esr"
)
_IN_A_MONTH = (r"в (?:январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
               r"|in (?:january|february|march|april|may|june|july|august|september|october|november|december)")
_BETWEEN = (
    r"(?:было|был|была|были|утром|вечером|натощак|после|перед|еды|едой|обеда|ужина|завтрака|в покое|по утрам"
    r"|всегда|держится|держалось|скачет|скакало|поднимается|поднялось|до|около|выше|ниже|опять|снова|сегодня|вчера"
    r"|уже|показал\w*|сейчас|стабильно|примерно|где-то|под|уровень"
    rf"|{_IN_A_MONTH}"
    r"|is|was|were|been|'s|has|have|running|around|about|lately|now|today|this morning|before|after|lunch|breakfast"
    r"|dinner|fasting|up|over|under|again|levels?|reading|readings|results?|came back|at the clinic|in the morning"
    r"|[:=—-])"
)
_VALUE = (r"\d{1,4}(?:[.,]\d{1,2})?(?:\s*/\s*\d{1,3})?(?:\s*(?:-|–|до|to)\s*\d{1,4}(?:[.,]\d{1,2})?)?"
          r"(?:\s*(?:мм рт\.? ?ст\.?|мм|mmhg|ммоль/л|ммоль|mmol/l|mmol|mg/dl|кг|kg|см|cm|уд(?:\.|/мин)?|bpm|%|°c?|°"
                   r"|нг/мл|ng/ml|мкмоль/л|ед/л|мл/мин)(?![\w/]))?")
_AFTER = (
    r"(?:в покое|натощак|утром|вечером|по утрам|после еды|после обеда|перед едой|сегодня|вчера|уже \w+ день|now|lately"
    r"|today|this morning|at the clinic|before (?:lunch|breakfast|dinner|food)|after (?:lunch|breakfast|dinner|food)"
    rf"|{_IN_A_MONTH})"
)
_READING = case_blind(
    rf"(?<![\w-])(?<!от )(?<!для )(?<!при )(?<!если )(?<!for )(?<!if )(?<!when )(?<!for my )(?<!when my )(?<!if my )"
    rf"(?:my )?(?:{_MEASURED})(?:'s)?(?:\s+{_BETWEEN}){{0,4}}\s*{_VALUE}(?![\w/.,]\d)(?![\w-])(?:,?\s+{_AFTER}(?![\w-])){{0,2}}")
_BARE_PRESSURE = case_blind(r"(?<![\w/.,])(?:1\d\d|[4-9]\d)\s*/\s*(?:1\d\d|[4-9]\d)(?![\w/.,]\d)(?: ?(?:mmhg|мм рт\.? ?ст\.?))?")
""""152/94" alone: two numbers a blood pressure has, never a fraction of a tablet ("1/2", "3/4")."""
_AGE = case_blind(
    r"(?<![\w-])(?:(?:мне|ей|ему|маме|папе|бабушке|дедушке|мужу|жене) )?(?<!на )(?<!течение )(?<!курс )"
    r"\d{1,3} (?:год|года|лет)(?! назад)(?![\w-])"
    r"|(?<![\w-])(?:мне|ей|ему) (?:[2-9]\d|1[01]\d)(?=[,.!;]|\s*$)"
    r"|(?<![\w-])(?:i'?m|i am|she'?s|he'?s|aged) (?:[2-9]\d|1[01]\d)(?! ?(?:am|pm|a\.m|p\.m|:|\.\d|o'clock))(?=[\s,.!;]|$)"
    r"|(?<![\w-])\d{1,3}[ -](?:years?|months?|weeks?)[ -]old(?![\w-])"
    r"|(?<![\w-])(?:(?:дочк[еи]|дочери|сыну|сынку|сыночку|ребенку|ребёнку|внуку|внучке|малышу|малышке|крохе) "
    r"|(?:my |our )?(?:daughter|son|baby|kid|grandson|granddaughter|little one)(?: is|'s) )"
    r"\d{1,2} (?:мес(?:яц|яца|яцев)?|недел[ьи]|год|года|лет|months?|weeks?|years?)(?: old)?(?![\w-])")
_HINT = re.compile(r"\d")
_WHAT_TO_DO = case_blind(
    r"\bчто (?:мне |ей |ему )?(?:выпить|принять|делать|пить|предпринять)\b|\bмне плохо\b|\bсрочно\b|\bпомогите\b"
    r"|\bwhat (?:should|do|can|must) (?:i|she|he|we) (?:take|do)\b|\bfeel (?:awful|terrible|faint|dizzy|sick)\b|\burgent")
"""A reading asked about ("давление 180 на 100, что пить?"): the reading is the point; it stays."""


def without_readings(text: str) -> str:
    """The text with measurements and ages said as context taken out (nothing else changes)."""
    if not _HINT.search(text) or _WHAT_TO_DO.search(text):
        return text
    cleaned = _AGE.sub(" ", _BARE_PRESSURE.sub(" ", _READING.sub(" ", text)))
    if cleaned == text:
        return text
    cleaned = re.sub(r"\s+([,.;:!?])", r"\1", cleaned)
    cleaned = re.sub(r"([,.;:!?])(?:\s*[,;])+", r"\1", cleaned)  # "утра., если" → "утра. если"
    cleaned = re.sub(r"[,;]\s*([:.!?])", r"\1", cleaned)  # "Зина, : ей" → "Зина: ей"
    cleaned = re.sub(r"([!?])\.", r"\1", cleaned)
    return re.sub(r"[ ]{2,}", " ", cleaned).strip(" ,;")
