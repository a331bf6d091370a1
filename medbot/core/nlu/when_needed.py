""""As needed" said by the condition: "если давление выше 160", "при сердцебиении", "when my
allergies flare up", "if I get a panic attack", "at migraine onset".

A condition clause is a run of words from a closed vocabulary (symptoms, body parts, readings,
the little words around them and numbers) after "если" / "когда" / "при" / "if" / "when" /
"at" ("for" is what it treats: "for blood pressure"), ending on a symptom, a reading or a verb
of onset; it counts only when it names a symptom. A word outside the vocabulary ends the
clause, so a medication's name after it is never swallowed ("если болит голова нурофен"), and a
number counts only as a reading ("выше 160"), so "при боли в 9" leaves the hour alone.
"""

from __future__ import annotations

import re

_SYMPTOM_RU = (
    r"бол(?:ь|и|ит|ят|ях|ью|ела|ел|еть|езн\w*|ев\w*|ьн\w*)|заболит|заболят|разболит\w*|прихват\w*|давлени\w*|температур\w*|жар\w*|пульс\w*|сердцебиени\w*|сердц\w*"
    r"|голов\w*|живот\w*|желуд\w*|зуб\w*|горл\w*|спин\w*|поясниц\w*|сустав\w*|колен\w*|мигрен\w*|аллерги\w*"
    r"|изжог\w*|тошн\w*|рвот\w*|понос\w*|диаре\w*|запор\w*|кашел\w*|кашл\w*|насморк\w*|уснуть|засыпаю|заснуть|сплю"
    r"|спится|бессонниц\w*|тревог\w*|тревожно|паник\w*|нервнича\w*|нервы|стресс\w*|приступ\w*|одышк\w*|задыха\w*"
    r"|отек\w*|отеч\w*|вздути\w*|спазм\w*|колик\w*|судорог\w*|зуд\w*|чеш\w*|сыпь|сахар\w*|гипо\w*|кружит\w*"
    r"|головокружени\w*|колет|ноет|ноют|жжет|жжение|тяжело|тяжесть\w*|плохо|дурно|колотит\w*|скач\w*|менструаци\w*"
    r"|месячн\w*|ангин\w*|простуд\w*|укачива\w*|укачает|мутит|расстройств\w*|переедани\w*|переем|переела?|обожрусь"
    r"|изжоге|загрудинн\w*|стенокард\w*|одышке|лихорад\w*|знобит|озноб\w*|чихани\w*|крапивниц\w*|метеоризм\w*"
    r"|красн\w*|слезят\w*|глаза|глаз|нос|заложен\w*|сопли|мигрен\w*"
)
_LINK_RU = (
    r"у|меня|мамы|папы|нее|неё|него|в|на|во|и|или|очень|сильн\w*|вдруг|опять|снова|ночью|будет|станет"
    r"|резко|сильно|совсем|прям|прямо|если|когда|начинает\w*|начал\w*|беспоко\w*|мучает|сердечн\w*|головн\w*"
    r"|зубн\w*|высок\w*|повышенн\w*|низк\w*|груди|грудь|за грудиной|мышц\w*|ухе|ушах|уха|сахара?|давлени[ея]"
    r"|крутит|крутят|скрутит|сводит|тянет|давит|жмет|схватит|схватило"
)
_ENDING_RU = (
    r"поднимет\w*|подним\w*|повыс\w*|подскоч\w*|упад\w*|разыгра\w*|начн\w*|появ\w*|случ\w*|беспоко\w*"
    r"|заболит|прихватит|прихватило|не спится|не могу уснуть|не смогу уснуть|высок\w*|повышенн\w*|низк\w*"
)
_SYMPTOM_EN = (
    r"pain|pains|painful|hurts?|hurting|aches?|aching|headaches?|migraines?|nause\w*|sick|vomit\w*|anxiety|anxious"
    r"|panic|attacks?|bp|pressure|sugars?|fever|temperature|itch\w*|allerg\w*|hay fever|flare\w*|cough\w*"
    r"|wheez\w*|breath\w*|sleep|insomnia|heartburn|reflux|cramps?|cramping|spasms?|constipat\w*|diarrh\w*|dizz\w*"
    r"|palpitations?|pulse|heart|racing|toothache|sore|throat|back|knee|joints?|period|hypo|low|high|angina|gout"
    r"|swelling|swollen|restless|stress\w*|agitat\w*|seizures?|spells?|hay ?fever|colds?|flu|knees?|hips?|shoulders?"
    r"|febrile|feverish|temp|nauseous|queasy|wheezy|chesty|itchy|sneez\w*|hives|rash|bloat\w*|gas|indigestion"
)
_LINK_EN = (
    r"i|me|my|her|his|a|an|the|bad|severe|really|very|is|are|gets?|goes|go|have|has|feel|feels|feeling|get"
    r"|can'?t|cannot|cant|on|of|in|it|when|if|or|and|there'?s|blood|chest|short|trouble|at|night|of a|onset|is|are"
)
_ENDING_EN = r"flares? up|acts? up|kicks? in|starts?|onset|comes? on|spikes?|up|needed|required|bad|worse|playing up"
_COMPARED = (r"(?:выше|больше|ниже|меньше|свыше|более|за|над|over|above|under|below|more than|less than|>|<)"
             r" (?:\d{1,3}(?:[.,]\d)?(?:/\d{2,3}| на \d{2,3})?"
             r"|(?:ста|сто|двухсот|двести)(?: (?:двадцати|тридцати|сорока|пятидесяти|шестидесяти|семидесяти|восьмидесяти"
             r"|девяноста|двадцать|тридцать|сорок|пятьдесят|шестьдесят|семьдесят|восемьдесят|девяносто))?)"
             r"(?! (?:раз|таблет|капсул|доз|в день|в сутки|за день|times|a day|per day|tablets|pills|doses))")
_RU_CLAUSE = (rf"(?:если|когда|при|в случае|на случай)(?: (?:{_SYMPTOM_RU}|{_LINK_RU}|{_COMPARED}))*"
              rf" (?:{_SYMPTOM_RU}|{_ENDING_RU}|{_COMPARED})")
_EN_CLAUSE = (rf"(?:if|when|whenever|at|in case of|in case|prn|as needed for|when needed for)"
              rf"(?: (?:{_SYMPTOM_EN}|{_LINK_EN}|{_COMPARED}))* (?:{_SYMPTOM_EN}|{_ENDING_EN}|{_COMPARED})")
CONDITION = rf"{_RU_CLAUSE}|{_EN_CLAUSE}"
"""A condition clause, for the schedule patterns (checked by `names_a_symptom`)."""

_SYMPTOM = re.compile(rf"(?<![\w-])(?:{_SYMPTOM_RU}|{_SYMPTOM_EN}|{_COMPARED})(?![\w-])")


def names_a_symptom(clause: str) -> bool:
    """The clause says when the medication is needed: it names a symptom or a reading."""
    return bool(_SYMPTOM.search(clause.split(" ", 1)[1] if " " in clause else ""))
