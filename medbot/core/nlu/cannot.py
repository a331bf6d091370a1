"""Messages the bot reads and cannot act on, and why: so it says so plainly.

"Можно ли пить эутирокс с кофе?" is a question for a doctor, "а на татарском можно?" asks for a
language the bot does not speak, "спасибо большое!" needs no action at all. Each gets its own
short answer instead of "I did not understand". Only messages the parser read nothing from are
looked at here: nothing about the schedule is ever decided by these words.
"""

from __future__ import annotations

import re

_ADVICE = re.compile(
    r"(?<![\w-])(?:можно ли|стоит ли|нужно ли|надо ли|безопасно ли|вредно ли|нормально ли|опасно ли|совместим\w*"
    r"|побочн\w*|что (?:мне )?делать|как быть|что (?:мне )?(?:выпить|пить|принять|попить) (?:от|при|если)"
    r"|чем (?:лечить|заменить|сбить)|аналог\w*|можно (?:\w+ ){0,3}(?:с|вместе|при|после|до|если)(?![\w-])"
    r"|(?:сейчас|now) или|ждать до|передозиров\w*|перепутал\w* и выпил\w*|выпил\w* (?:две|два|лишн|двойн)\w*"
    r"|should i|is it (?:ok|okay|safe|fine|bad|alright|all right|dangerous|wise)|can i (?:take|drink|mix|combine|have)"
    r"|side effects?|what (?:should|do) i do|interact\w*|overdose|took (?:two|double|an extra)|is that (?:bad|ok|okay|safe"
    r"|dangerous)|what (?:can|should) i take for)(?![\w-])")
"""A question for a doctor or a pharmacist."""

_OTHER_LANGUAGE = re.compile(
    r"(?<![\w-])(?:по-|на )(?:украинск|татарск|немецк|французск|испанск|казахск|армянск|грузинск|узбекск|белорусск"
    r"|итальянск|китайск|турецк|польск|арабск|японск|корейск|киргизск|таджикск|азербайджанск|молдавск|румынск"
    r"|чешск|латышск|литовск|эстонск|башкирск|чеченск|якутск|португальск|хинди|иврит)\w*"
    r"|(?<![\w-])(?:spanish|german|french|ukrainian|italian|chinese|polish|turkish|hebrew|arabic|japanese|korean"
    r"|kazakh|hindi|portuguese|deutsch|español|espanol|français|francais|українською|мовою)(?![\w-])")
"""A language the bot does not speak (it speaks Russian and English)."""

_THANKS = re.compile(
    r"(?:(?:ну|ой|ok|ок|окей|хорошо|ладно|отлично|супер|great|perfect|спасибо|спасибки|спасибочки|благодарю|спс|"
    r"thank you|thanks|thx|ty|cheers|ta|большое|огромное|преогромное|тебе|вам|so much|very much|a lot|lots|"
    r"dear|дорогой|дорогая|милый|милая|родной|бот|ботик|bot|mate|ты лучший|вы лучший|you'?re the best|"
    r"you'?re a star|дай бог здоровья|вам здоровья|тебе здоровья|всё понятно|все понятно|понятно|got it|"
    r"за помощь|for your help|for the help|for helping)\s*)+")
_NOT_WORDS = re.compile(r"[^\w\s']+")


_THANKS_FIRST = re.compile(r"(?:ну |ой |ок |ok |окей )?(?:спасиб|благодар|спс\b|thank|thx\b|cheers\b)")
_HELLO = re.compile(r"(?:привет\w*|здравствуй\w*|здрасте|здрасьте|добр\w+ (?:утро|день|вечер)|доброго времени суток"
                    r"|hi|hello|hey|hiya|good (?:morning|afternoon|evening)|morning|салют|хай)"
                    r"(?: (?:бот|ботик|bot|there|всем|all|everyone|дорогой|дорогая))?")
_STOCK = re.compile(r"(?<![\w-])(?:сколько (?:\w+ ){0,3}(?:осталось|остал\w*)|остат\w*|how many (?:\w+ ){0,4}left"
                    r"|running (?:low|out)|закончат\w*|заканчива\w*|хватит ли)(?![\w-])")
"""Counting what is left in the pack: not kept (yet), said plainly."""


_WHAT_TO_TAKE_FOR = re.compile(r"(?<![\w-])(?:что|чем|какое|какие) (?:мне |ей |ему |можно )?(?:пить|принять|выпить|принимать)"
                               r" (?:от|при|для)(?![\w-])|(?<![\w-])what (?:can|should) (?:i|she|he) take for(?![\w-])")


def asks_what_to_take_for(low: str) -> bool:
    """"что мне пить от головной боли, если я на варфарине?": the part of `_ADVICE` that outranks any
    reading of the rest of the message (a medication named there is the person's, not a request)."""
    return _WHAT_TO_TAKE_FOR.search(low) is not None


def why_not(low: str) -> str | None:
    """"advice", "language", "thanks", "hello" or "stock" when the message is one of those."""
    plain = " ".join(_NOT_WORDS.sub(" ", low).split())
    if plain and (_THANKS.fullmatch(plain + " ") and _THANKS_FIRST.search(plain)
                  or _THANKS_FIRST.match(plain) and len(plain.split()) <= 12 and not any(ch.isdigit() for ch in plain)):
        return "thanks"  # "спасибо вам большое, вы мне очень помогаете, дай бог здоровья"
    if plain and _HELLO.fullmatch(plain):
        return "hello"
    if _OTHER_LANGUAGE.search(low):
        return "language"
    if _ADVICE.search(low):
        return "advice"
    if _STOCK.search(low):
        return "stock"
    return None
