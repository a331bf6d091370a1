"""What people say around the request, and the request itself.

"доченька запиши мне конкор в восемь утра а то я всё забываю старая стала" asks for one thing:
конкор at 08:00. The words before the command verb and the clause after the request are talk
to the reader, not part of it: an aside. A stretch of words is an aside only when it holds
nothing the schedule could be made of: no number, no word a medication could be named by (one
the vocabulary knows, or no dictionary does), no word of time, days or meals, no negation.
Anything else stays, and the parser asks about the whole message as before.
"""

from __future__ import annotations

import re

from medbot.core.nlu.case_blind import case_blind
from medbot.core.nlu.doubts import SLOT_HOURS
from medbot.core.nlu.lexicon import HEALTH_WORKER

_VOCATIVE = case_blind(
    r"(?<![\w-])(?:доченька|доча|дочура|внучек|внучок|внученька|внучечка|милая|милок|милочка|сынок|сыночек|"
    r"деточка|голубушка|голубчик|родненький|родненькая|солнышко(?: мо[её])?|дорог(?:ой|ая) мо(?:й|я)|"
    r"дорогие мои|милые мои|my dear|dear|darling|sweetie|dearie|love|luv|hun|hon|honey|sir|madam|ma'?am)(?![\w-])[,!]?")
_COMMAND = re.compile(
    r"(?<![\w-])(?:запиши(?:те)?|записывай(?:те)?|добавь(?:те)?|поставь(?:те)?|напомни(?:те)?|напоминай(?:те)?|"
    r"внеси(?:те)?|занеси(?:те)?|укажи(?:те)?|add|remind|put|set)(?![\w-])", re.IGNORECASE)
"""Imperatives that start a request to add: "напоминать" or "добавил" start nothing."""
_NOT_LEAD_IN = re.compile(
    r"(?<![\w-])(?:как\w*|какие|какой|что|чего|где|зачем|почему|хватит|прекрат\w*|перестан\w*|отмен\w*|удал\w*|"
    r"убер\w*|убра\w*|приостанов\w*|стоп|останов\w*|измен\w*|помен\w*|перенес\w*|язык\w*|русск\w*|англ\w*|"
    r"игнорир\w*|забудь\w*|притвор\w*|ignore|forget|pretend|disregard|"
    r"how|what|which|why|where|show|list|список\w*|покажи\w*|stop|cancel|mark|marked|отмет\w*|выпил\w*|принял\w*|took|delete|remove|change|move|language|english|russian|undo|revert)(?![\w-])",
    re.IGNORECASE)
_CLAUSE = re.compile(
    r"(?:[,.;!?]\s*|\s)(?:а то|потому что|так как|ведь|я|он|она|мы|это|как раньше|как обычно|чтобы|чтоб|"
    r"спасибо|благодарю|заранее|с уважением|дай бог|строго|после(?!\s+\S*(?:за[вфп]т|об[еи]д|уж[иеыа]н|ед[ыуаое]|сн[аеу]))|точно|ладно|sharp|if you please|for me|"
    r"вроде|кажется|hope|hopefully|if that'?s ok|if that'?s okay|done with it|please and thank you|"
    r"because|since|as i|she'?s|he'?s|she is|he is|they'?re|i always|i keep|i never|he never|she never|he always|she always|he forgets|"
    r"she forgets|that'?s all|that is all|bless you|many thanks|much obliged|thank you|thanks)(?![\w-])",
    re.IGNORECASE)
_STOP_OR_DONE = re.compile(
    r"(?<![\w-])(?:stop|remind\w*|delete|remove|cancel|took|taken|удал\w*|убер\w*|выпил\w*|принял\w*|отмен\w*|"
    r"хватит|больше не)(?![\w-])", re.IGNORECASE)
_TAKING = re.compile(r"(?<![\w-])(?:take|takes|taking|took|drink|пь[юёе]\w*|пил\w*|принима\w*|выпил\w*)(?![\w-])",
                     re.IGNORECASE)
_COLON = re.compile(r"\s*:\s+(?=\S)")
_SENTENCE_END = re.compile(r"[.!?]+\s+(?=[A-ZА-ЯЁa-zа-яё])")
_KEEP = case_blind(
    r"\d|(?<![\w-])(?:не|ни|нет|no|not|don'?t|never mind|stop|больше|только|кроме|вместо|instead|except|only|"
    r"если|когда|пока|нужн\w*|надо|понадоб\w*|необходим\w*|needed|need|as|when|if(?! you)|until|while|"
    r"утр\w*|вечер\w*|ноч\w*|ночь|днем|днём|дня|день|дней|обед\w*|завтрак\w*|ужин\w*|сн[ауео]м?|"
    r"час\w*|минут\w*|полдень|полночь|полудн\w*|полуноч\w*|недел\w*|месяц\w*|раза?(?= в\b)|кажд\w*|через|ежедн\w*|"
    r"понедельн\w*|вторник\w*|сред\w*|четверг\w*|пятниц\w*|суббот\w*|воскресен\w*|выходн\w*|будн\w*|"
    r"mornings?|evenings?|nights?|noon|midnight|bed|bedtime|breakfast|lunch|dinner|supper|meals?|am|pm|o'?clock|"
    r"hours?|days?|daily|weekly|week|month|every|each|twice|times|before|after|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|weekends?|weekdays?|пн|вт|ср|чт|пт|сб|вс|mon|tue|tues|wed|thu|thur|thurs|"
    r"fri|sat|sun|курс\w*|course|tonight|today|tomorrow|сегодня|завтра|вчера|"
    r"таблет\w*|капсул\w*|капл\w*|tablets?|pills?|capsules?|drops?|doses?|mg|мг)(?![\w-])")
_TALK_KEEP = re.compile(
    r"(?<![\w-])(?:если|as needed|when needed|if needed|if necessary|при необходимости|по необходимости|"
    r"пока не|until|while|нужн\w* (?:будет|если)|when (?:i|she|he|you|we|they)\b)(?![\w-])",
    re.IGNORECASE)
"""In a sentence of its own, words that still shape a schedule ("Если давление высокое.",
"When she wakes up."); "если что напишу", "весь день", "will take it from here" do not."""
_CONDITIONAL_ONLY = re.compile(
    r"(?<![\w-])(?:когда|пока|нужн\w*|надо|need|needs|as|when|if|день|take|takes|taking)(?![\w-])", re.IGNORECASE)
"""Words `_KEEP` guards inside a clause that, in a sentence with nothing else of a schedule, shape nothing."""
_HARMLESS = re.compile(r"(?<![\w-])(?:если что|весь день|целый день|каждый раз забывает|без изменений)(?![\w-])",
                       re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(?:(?:доброе утро|добрый день|добрый вечер|доброй ночи|good (?:morning|afternoon|evening))"
    r"(?: all| everyone| folks| there)?(?:\s*[!,.]+\s*|\s+(?=[а-яёa-z]))"
    r"|(?:morning|evening|afternoon|hi|hello)(?: all| everyone| folks| there)?\s*[!,.]+\s*"
    r"|(?:morning|evening|afternoon|hi|hello) (?:all|everyone|folks)\s+)", re.IGNORECASE)
_CONTRACTION = re.compile(r"'(?:s|re|ll|ve|m|d|t)$|n't$")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


_COUNT_ANNOUNCED = re.compile(
    r"(?<![\w-])(?:(?:\d+|две|два|три|четыре|пять|несколько|these|the following|following|a few|some)\s*)?"
    r"(?:штуки|штук|лекарства|лекарств|препарата|препаратов|таблетки|meds|medications|medicines|pills|things)?"
    r"\s*[:—-]\s+(?=\S)", re.IGNORECASE)
_COUNT_START = re.compile(r"^\s*(?:(?:добавь(?:те)?|запиши(?:те)?|пиши|add|please add|put in)\s+)?(?:мне\s+|маме\s+|папе\s+)?",
                          re.IGNORECASE)


def _without_count(text: str) -> str:
    """"добавь две штуки: ксарелто...", "please add 3 meds - losartan...": how many, then the list."""
    start = _COUNT_START.match(text)
    at = start.end() if start else 0
    count = _COUNT_ANNOUNCED.match(text, at)
    if count is None or count.end() - at < 2 or not re.search(r"\w", count.group()):
        return text
    return text[:at] + text[count.end():]


def without_asides(text: str) -> str:
    """The request without vocatives, the talk before its command verb and the clause after it."""
    greeting = _GREETING.match(text)
    if greeting is not None and greeting.end() < len(text):
        text = text[greeting.end():]  # "Доброе утро! ...": a greeting, not the morning
    text = _without_count(_without_vocatives(text))
    if "per" in text or "according" in text:
        text = " ".join(_AS_PER.sub(" ", text).split())  # "every Saturday as per the rheumatologist, 9am": who said it
    if _EVENT_HINT.search(text) and _EVENT.search(text):
        text = " ".join(_EVENT.sub(" ", text).split())  # "for 10 days after his knee surgery": why, not when
    visit = _VISIT.match(text)
    if visit is not None and _holds_request(text[visit.end():]):
        text = text[visit.end():]  # "вчера была у терапевта, выписали ...": where it came from
    text = _without_lead_in(text)
    if "(" in text:
        text = _PARENTHESIS.sub(lambda m: " " if _remark(m.group(1)) else m.group(), text).strip()  # "(from the discharge letter)"
    return _without_vocatives(_without_tail(text))  # "микардис 80 в восемь внучек": called at the end


def _without_vocatives(text: str) -> str:
    """"милок, запиши", "запиши доченька", "...в 9, dear": a call to the reader, never "доченька
    сказала" (the daughter is the one who said it)."""
    if not _VOCATIVE.search(text):
        return text

    def drop(match: re.Match[str]) -> str:
        before, after = text[: match.start()].rstrip(), text[match.end():].lstrip()
        called = (not after or after[0] in ",.!?" or match.group().endswith((",", "!")) or _COMMAND.match(after)
                  or _COMMAND.search(before[-12:]) is not None and _COMMAND.search(before[-12:]).end() == len(before[-12:]))
        return " " if called else match.group()

    return " ".join(_VOCATIVE.sub(drop, text).split())


def _without_lead_in(text: str) -> str:
    """"алло алло это бот да запиши мне ..." → "запиши мне ..."."""
    colon = _COLON.search(text)
    if colon is not None and _aside(text[: colon.start()]) and not _NOT_LEAD_IN.search(text[: colon.start()]):
        return _without_lead_in(text[colon.end():])  # "дочка пишет за маму: магне б6 по 2 таблетки в 13"
    first = _SENTENCE_END.search(text)
    opening = text[: first.start()] if first is not None else ""
    if first is not None and _talk(opening) and not (_NOT_LEAD_IN.search(opening) or _STOP_OR_DONE.search(opening)
                                                   or _TAKING.search(opening)):
        return _without_lead_in(text[first.end():])  # "Right, let's do this. anastrozole 1mg at 9am"
    command = _COMMAND.search(text)
    if command is None or command.start() == 0:
        return text
    lead_in = text[: command.start()]
    if _NOT_LEAD_IN.search(lead_in) or not _aside(lead_in) or _names_a_place(lead_in):
        return text
    return text[command.start():]


_NOT_NEEDED = re.compile(r"[,.]?\s*(?:(?:он|она|оно|они|it|they)\s+)?(?:мне\s+)?(?:больше\s+)?не\s+(?:нуж\w*|надо)\s*$"
                         r"|[,.]?\s*(?:i\s+)?(?:don'?t|no longer|do not) need (?:it|them|that)(?: any ?more)?\s*$",
                         re.IGNORECASE)
_NEED = case_blind(r"нуж|need|не надо")
"""A word `_NOT_NEEDED` cannot match without: most messages skip its slow scan."""


def _without_tail(text: str) -> str:
    """"... в восемь утра а то я всё забываю старая стала" → "... в восемь утра"; "я выпила конкор,
    это надо куда-то отмечать?" → "я выпила конкор" (a question about the bot, not the request)."""
    meta = _ABOUT_THE_BOT.search(text) if "?" in text else None
    if meta is not None and meta.start() > 0 and _holds_request(text[: meta.start()]):
        text = text[: meta.start()]
    said_by = _SAID_BY.search(text)
    if said_by is not None and said_by.start() > 0 and _holds_request(text[: said_by.start()]) and not _adds_to(
            said_by.group(), text[: said_by.start()]):
        text = text[: said_by.start()]  # "эналаприл 10 в 8 и в 20, кардиолог назначил вчера": who, not what
    not_needed = _NOT_NEEDED.search(text) if _NEED.search(text) else None
    if not_needed is not None and _STOP_OR_DONE.search(text[: not_needed.start()]):
        return text[: not_needed.start()]  # "удали кагоцел, он больше не нужен"
    for end in _SENTENCE_END.finditer(text):
        tail = text[end.end():]
        if end.start() > 0 and _holds_request(text[: end.start()]) and (
                (_talk(tail) or _commentary(tail)) and not _NOT_LEAD_IN.search(_HARMLESS.sub(" ", tail))
                or _restatement(tail, text[: end.start()])):
            return text[: end.start()]
    says = _WORKER_SAYS.search(text)
    if says is not None and says.start() > 0 and _holds_request(text[: says.start()]) and _commentary(
            text[says.end():], asked=True):
        return text[: says.start()]  # "…, гинеколог сказала алкоголь ни капли": what the doctor added, not the schedule
    for clause in _CLAUSE.finditer(text):
        part = text[clause.start():]
        if _REASON.match(part):
            if (clause.start() > 0 and not any(ch.isdigit() for ch in part) and not _CHANGING.search(part)
                    and not _TALK_KEEP.search(part) and _holds_request(text[: clause.start()])
                    and _SOME_RULE.search(text[: clause.start()])):
                return text[: clause.start()]  # "перенесли с пятницы на воскресенье, а то в пятницу после укола никакая": why
            part = _NEGATION.sub(" ", part)  # "а то не сплю совсем": why, not a "не" that shapes the request
        if clause.start() > 0 and (_aside(part) or _commentary(part)) and _holds_request(text[: clause.start()]):
            return _without_remark(text[: clause.start()])
    return _without_remark(text)


def _without_remark(text: str) -> str:
    """The request without a remark after its last commas ("..., that's what the heart doctor wrote down")."""
    for comma in _COMMA.finditer(text):
        tail, head = text[comma.end():], text[: comma.start()]
        if (_remark(tail) or _restatement(tail, head, told=False) and _quiet(tail)) and _holds_request(head):
            return head  # "..., в выходные перерыв" after "с понедельника по пятницу": the same rule
    return text


_PARENTHESIS = re.compile(r"\s*\(([^()]{1,80})\)")
_COMMA = re.compile(r"\s*(?:,|\s[—–-])\s*")
_STILL_SAYS = re.compile(
    r"(?<![\w-])(?:или|or|либо|то ли|either|whether|затем|потом|дальше|далее|then|after ?that|afterwards|next|час\w*|hours?|o'?clock|noon"
    r"|midnight|полд\w*|полноч\w*|дня|ночи|am|pm|запута\w*|confus\w*|неразборчив\w*|sugar|сахар\w*|анализ\w*"
    r"|twice|thrice|once|daily|дважды|трижды|ежедневно|(?:раза?|times) (?:в|a|per|daily))(?![\w-])",
    re.IGNORECASE)
"""Words that keep a clause after a comma in the request: a choice, a next step, an hour, a doubt or a
dose that depends on a reading."""


def _remark(clause: str) -> bool:
    """The clause after the request's last comma says something about it, asks nothing of the bot and
    changes nothing: "the clinic changed it again", "колем дома", "doctor's orders"."""
    from medbot.core.nlu.doubts import doubted
    from medbot.core.nlu.normalize import fold

    return (_commentary(clause) and not _NEGATION.search(clause) and _quiet(clause)
            and not doubted(fold(clause)))


_ABOUT_THE_BOT = re.compile(
    r"(?:[,.;]|\s[—–-])\s*(?:а |и |ну )?(?:это |так |я |мне )?(?:правильно|надо|нужно|можно|верно|так)\b[^,.;?]*"
    r"(?:отмечать|писать|пишу|сюда|тут|здесь|делать|делаю|записывать|понимаю)\b[^.;]*\?\s*$"
    r"|(?:[,.;]|\s[—–-])\s*(?:is (?:this|that) (?:right|ok|how)|am i doing (?:this|it) right|is this where"
    r"|do i (?:need|have) to (?:tell|write|let)|should i (?:tell|write|let))\b[^.;]*\?\s*$",
    re.IGNORECASE)
_SAID_BY = case_blind(
    r"(?:[,;]|\s[—–-]|\.)\s*(?:как |like |as )?(?:the |my |мой |моя |наш |наша )?"
    rf"{HEALTH_WORKER}"
    r"(?:,? \w+)?(?: (?:назначил\w*|добавил\w*|выписал\w*|прописал\w*|сказал\w*|посоветовал\w*|рекомендовал\w*|велел\w*"
    r"|said|says|told me|recommended|prescribed|added|wants|suggested))"
    r"(?: (?:вчера|сегодня|на при[её]ме|на прошлой неделе|yesterday|today|last week|so|that))?(?:\s+[^\d\s]+){0,8}\s*[.!]?\s*$")
"""Who prescribed it, said after the request and with no number of its own: not part of it."""
_AS_PER = re.compile(
    rf"(?<![\w-])(?:as per|per|according to|on the advice of)\s+(?:the |my |her |his |our |your )?{HEALTH_WORKER}"
    r"(?:'s)?(?: (?:advice|orders|instructions|letter|note|plan))?(?![\w-])", re.IGNORECASE)
"""Whose word the schedule is ("as per the GP"): never part of a name; "as directed" (a dose left to
someone) is a doubt and stays."""
_EVENT_HINT = case_blind(r"after|following|post|после|before|перед")
_EVENT = re.compile(
    r"(?<![\w-])(?:after|following|post) (?:his|her|my|the|a|mum'?s|dad'?s) (?:\w+ )?(?:surgery|operation|procedure|op|discharge"
    r"|hospital stay|stay in hospital)(?![\w-])"
    r"|(?<![\w-])после (?:операци\w*|выписки|больницы|стационара|процедур\w*|удаления зуба|инсульта|инфаркта)(?![\w-])"
    r"|(?<![\w-])after (?:a |her |his |my )?(?:stroke|heart attack)(?![\w-])"
    r"|(?<![\w-])(?<!days )(?<!day )(?<!weeks )(?<!hours )before (?:the|my|a|her|his) (?:flight|trip|procedure|surgery|colonoscopy|scan|dentist|op)(?![\w-])"
    r"|(?<![\w-])перед (?:поездкой|пол[её]том|дорогой|процедурой|операцией|колоноскопией|гастроскопией|узи|стоматологом|зубным)(?![\w-])",
    re.IGNORECASE)
"""What the medication follows ("after his knee surgery", "после операции"): context, never a name or a time."""
_VISIT = case_blind(
    r"\s*(?:(?:вчера|сегодня|на днях|утром|недавно|наконец)\s+)?(?:я\s+)?(?:(?:вчера|сегодня|на днях)\s+)?"
    r"(?:была|был|были|сходила|сходил|сходили|ходила|ходил|ходили|съездила|съездил|ездила|ездил)"
    r"\s+(?:(?:на при[её]м(?:е)?|на консультаци\w+)\s+)?(?:у|к|в)\s+(?:(?:своего|своей|моего|нашего|нашей|нового|новой)\s+)?"
    rf"(?:{HEALTH_WORKER}|поликлиник\w*|больниц\w*|клиник\w*)"
    r"(?:\s+(?:вчера|сегодня|утром))?(?:(?:\s*[,.;:!—–-]+\s*|\s+(?:и|там|она|он|мне)\s+)+(?:сказал\w*\s+(?:мне\s+)?)?"
    r"|\s+(?=(?:выписал|назначил|прописал|посоветовал|рекомендовал|сказал|добавил)\w*\s))"
    r"|\s*(?:i\s+)?(?:just\s+)?(?:saw|seen|went to(?: see)?|been to(?: see)?|visited|got back from)"
    rf"\s+(?:the|my|our|a|her|his)\s+(?:new\s+)?(?:{HEALTH_WORKER}|clinic|hospital)(?:'s)?"
    r"(?:\s+(?:yesterday|today|this morning|this week|last week))?(?:\s*[,.;:!—–-]+\s*|\s+(?:and|so)\s+)+(?:(?:she|he|they)\s+)?")
"""A visit told before the request ("вчера была у терапевта, выписали ...", "saw the GP today, she put me on ..."):
where the prescription came from, not part of it."""
_REASON = re.compile(r"[\s,.;!?]*(?:а то|потому что|так как|ведь|because|since)(?![\w-])", re.IGNORECASE)
_NEGATION = re.compile(r"(?<![\w-])(?:не|ни|not|don'?t|never|no)(?![\w-])", re.IGNORECASE)


def _holds_request(head: str) -> bool:
    """Something is left to read: a number or a word of time, and a word that could name a medication."""
    words = [word.lower() for word in _WORD.findall(head)]
    return ((bool(_KEEP.search(head) or _STOP_OR_DONE.search(head)) or any(_number_word(word) for word in words))
            and any(not _ordinary(word) for word in words))


def _aside(part: str) -> bool:
    if _KEEP.search(part) or _COMMAND.search(part):
        return False  # "... после больницы запиши": the request goes on
    words = [word.lower() for word in _WORD.findall(part)]
    return bool(words) and all(_ordinary(word) and not _number_word(word) and not _schedule_word(word)
                               for word in words)


def _talk(sentence: str) -> bool:
    """A sentence of its own that tells the reader about the person, not about the schedule:
    like an aside, but words of condition and of days only count where they shape one."""
    plain = _HARMLESS.sub(" ", sentence)
    if _TALK_KEEP.search(plain):
        return False
    plain = _CONDITIONAL_ONLY.sub(" ", plain)
    return _aside(plain) if _WORD.search(plain) else True


_WORKER_SAYS = case_blind(
    rf"(?:[,;.!)]\s*|\s[—–-]\s*|\s)(?:(?:the|my|мой|моя|а|и|но|так|это)\s+)*{HEALTH_WORKER}"
    r"(?:\s+(?:at the clinic|in \w+|на при[её]ме))?\s+(?:сказал\w*|говорит|велел\w*|ругается|ругал\w*|разрешил\w*|подчеркнул\w*"
    r"|расписал\w*|посоветовал\w*|выписал\w*|says|said|told me|wants|has advised|advised|recommended|reckons)\b")


def _commentary(sentence: str, asked: bool = False) -> bool:
    """A sentence after the request about the person, the doctor or the reason ("Отёки на ногах
    замучили, а врач сказал каждый день нельзя", "I do it myself now since the nurse showed me"):
    ordinary words with no number, no condition, and no schedule phrase of its own beyond
    "every day" said in passing. Any day, length, time or dose in it keeps it."""
    if (any(ch.isdigit() for ch in sentence) or "?" in sentence and not asked or _TALK_KEEP.search(sentence)
            or _COMMAND.search(sentence) or _DOSING.search(sentence) or _new_rule(sentence, frozenset())):
        return False
    words = [word.lower() for word in _WORD.findall(sentence)]
    return bool(words) and len(words) <= _LONGEST_COMMENTARY and all(
        _ordinary(word) and not _number_word(word) for word in words)


def _adds_to(part: str, head: str) -> bool:
    """What someone said after the request that still acts on it: a dose, a change, a schedule
    phrase of its own, or a part of the day the request's hours do not fit ("the doctor said every
    other day though", "врач сказал утром лучше" after "в 9 вечера"). A break, "not every day" and
    a part of the day its hours fit only repeat it."""
    if _CHANGING.search(part) or _new_rule(part, frozenset({"pause", "not_daily"})):
        return True
    slots = {_SLOT_OF[found.group(1).lower()[:3]] for found in _DAYPART_WORD.finditer(part)}
    hours = [int(found.group(1)) + (12 if found.group(2) and int(found.group(1)) < 12 else 0) for found in _HOUR.finditer(head)]
    return bool(slots) and not (hours and all(any(hour in _SLOT_HOURS[slot] for slot in slots) for hour in hours))


def _quiet(clause: str) -> bool:
    """A clause that asks nothing of the bot and offers no choice, next step, hour or doubt."""
    from medbot.core.nlu.intents import find_cues
    from medbot.core.nlu.normalize import fold, tokenize
    from medbot.core.nlu.russian_words import asks_to_do

    if _STILL_SAYS.search(clause) or any(asks_to_do(word.lower()) for word in _WORD.findall(clause)):
        return False
    low = fold(clause)
    return not any(cue.strong for cue in find_cues(low, tokenize(clause, low)))


def _restatement(tail: str, head: str, told: bool = True) -> bool:
    """Sentences after a whole request that only say it again, or why, in other words: "Не каждый
    день!! а через день, я уже один раз перепутала" after "через день"; "На выходных я дома, так что
    суббота-воскресенье не надо" after "по будням"; "Он сам не помнит, когда клеил". No number, no
    question, no doubt, nothing that changes a dose or a time, no word a medication could be named
    by, and every schedule phrase the same as the request's (or its other side: "not daily", the
    days it leaves out). `told`: a sentence of its own, where "once" and "not daily" are in the telling;
    after a comma they still shape the request ("..., один раз", "..., а не каждый день")."""
    from medbot.core.nlu.doubts import doubted
    from medbot.core.nlu.normalize import fold
    from medbot.core.nlu.schedule_patterns import find_rules

    if (any(ch.isdigit() for ch in tail) or "?" in tail or _COMMAND.search(tail) or _TALK_KEEP.search(tail) or _ALSO.search(tail)
            or _NOT_SAID_AGAIN.search(tail) or doubted(fold(tail))):
        return False
    said = find_rules(fold(head))
    heard = find_rules(fold(tail))
    negated = _NEGATION.search(tail) is not None or any("pause" in hit.facts for hit in heard)
    if not said or not all(_same_rule(hit.facts, said, negated) for hit in heard):
        return False
    if not told and any({"once_word", "not_daily"} & set(hit.facts) for hit in heard):
        return False  # "..., один раз": a one-off, not the rule again (a sentence may tell "я уже один раз перепутала")
    spans = [(hit.start, hit.end) for hit in heard]
    words = [(m.start(), m.group().lower()) for m in _WORD.finditer(tail)]
    outside = [word for start, word in words if not any(a <= start < b for a, b in spans)]
    return bool(outside or heard) and len(outside) <= _LONGEST_COMMENTARY and all(
        _ordinary(word) and not _number_word(word) for word in outside)


_REGULAR_KEYS = frozenset({"weekdays", "interval", "hours", "monthly", "month_day", "on_days", "weekly"})
"""Facts of a rule of days, which a sentence can say again."""
_RULE_KEYS = _REGULAR_KEYS | {"off_days", "days"}


_ALSO = re.compile(r"(?<![\w-])(?:тоже|также|ещ[её]|плюс|also|too|as well|plus)(?![\w-])", re.IGNORECASE)


def _same_rule(facts: dict[str, object], said: tuple[object, ...], negated: bool) -> bool:
    """A schedule phrase that the request's phrases already say, or (said with a "не") their other side."""
    keys = set(facts) - _IN_PASSING - {"plural", "every", "weekend"}
    if not keys:
        return True
    rules = [hit.facts for hit in said]  # type: ignore[attr-defined]
    regular = [f for f in rules if set(f) & _REGULAR_KEYS]
    if keys <= {"once_word"} or keys <= {"not_daily"}:
        return bool(regular)  # "я уже один раз перепутала": once, in the telling; "не каждый день" beside "через день"
    if keys <= {"pause", "stop"}:
        return bool(regular) and negated  # "не надо" beside a rule of days: the days it leaves out
    days = facts.get("weekdays")
    if keys <= {"weekdays", "pause", "stop"} and days is not None:
        kept = {day for f in regular for day in (f.get("weekdays") or [])}
        return bool(kept) and (set(days) <= kept if not negated else not set(days) & kept)  # the same, or those left out
    return any(all(f.get(key) == facts.get(key) for key in keys & _RULE_KEYS) and keys <= set(f) | {"weekly"}
               for f in regular)


def _new_rule(part: str, repeated: frozenset[str]) -> bool:
    from medbot.core.nlu.normalize import fold
    from medbot.core.nlu.schedule_patterns import find_rules

    return any(set(hit.facts) - _IN_PASSING - repeated for hit in find_rules(fold(part)))


_CHANGE_WORDS = (r"доз|dose|таблет|капсул|tablet|capsule|pill|\bмг\b|\bmg\b|отмен|прекрат|\bstop|cancel"
                 r"|\bудал(?:и|ить|ите|яй)\b|delete"
                 r"|remove|пропуст|skip|перенес|\bmove|вместо|instead|раньше|позже|earlier|later"
                 r"|don'?t take|no longer|больше не|не помн|не знаю|не уверен|not sure|don'?t know")
_NOT_TAKING = r"не (?:пить|принимать)"
_CHANGING = re.compile(rf"{_CHANGE_WORDS}|{_NOT_TAKING}", re.IGNORECASE)
_DAYPART_WORD = re.compile(r"(?<![\w-])(утр\w*|вечер\w*|ноч\w*|morning\w*|evening\w*|night\w*)", re.IGNORECASE)
_SLOT_OF = {"утр": "morning", "mor": "morning", "веч": "evening", "eve": "evening", "ноч": "night", "nig": "night"}
_SLOT_HOURS = {**SLOT_HOURS, "night": frozenset(range(20, 24)) | frozenset(range(0, 6))}
_HOUR = re.compile(r"(?<![\d:.])(\d{1,2})(?::\d{2})?(?![\d:.])(?:\s*(?:утра|am|(вечера|pm|дня)))?", re.IGNORECASE)


_SOME_RULE = re.compile(r"\d|понедельн|вторник|сред[аыу]|четверг|пятниц|суббот|воскресен|будн|выходн|кажд|через|недел"
                        r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|every|week", re.IGNORECASE)
"""The request before a reason says when: the reason's own days ("а то в пятницу никакая") are the why."""
_IN_PASSING = frozenset({"marker", "then", "daily", "now"})
_LONGEST_COMMENTARY = 30
_DOSING_WORDS = (r"мг\b|mg\b|укол|inject|shot|капл|drop|puff|вдох|stop|удал|move"
                 r"|don'?t remind|утр|вечер|ноч|дн[её]м|обед|завтрак|ужин|сн[аеуо]м?\b|натощак|morning|evening|night|noon|bed|breakfast"
                 r"|lunch|dinner|supper|meal|food|after|before|после|перед|\bед[аыуе]\b|empty stomach|уточн|can'?t remember|only if"
                 r"|safe|можно ли|нельзя ли")
_NOTHING_TO_DO = r"не (?:надо|нужно|напоминай)"
_DOSING = case_blind(rf"{_CHANGE_WORDS}|{_NOT_TAKING}|{_DOSING_WORDS}|{_NOTHING_TO_DO}")
"""Words that still act on the schedule: a change (`_CHANGING`), a form, a part of the day, a meal or
a doubt. A sentence holding one is never commentary."""


_NOT_SAID_AGAIN = case_blind(rf"{_CHANGE_WORDS}|{_DOSING_WORDS}|числ|date")
"""`_DOSING` but for "не пить", "не надо" (after "по будням", "в выходные не надо" is the same rule), and a
day of the month: what a sentence that only says the request again never holds."""


def _schedule_word(word: str) -> bool:
    from medbot.core.nlu.schedule_typos import sounds_like_schedule

    return sounds_like_schedule(word)


def _number_word(word: str) -> bool:
    from medbot.core.nlu.numbers import cardinal

    return cardinal(word) is not None or word.startswith(("пол", "половин", "четверт", "half", "quarter"))


def _names_a_place(part: str) -> bool:
    """"переехали в Тбилиси, поставь их время": the place is the request."""
    from medbot.core.nlu.timezones import find_timezone

    return find_timezone(part) is not None


def _ordinary(word: str) -> bool:
    """A word of the language, not one a medication could be named by."""
    from medbot.core.nlu.lexicon import MED_WORDS  # loaded once, on first use
    from medbot.core.nlu.names import is_english_word, lemma
    from medbot.core.nlu.russian_words import is_known

    word = _CONTRACTION.sub("", word)  # "she's", "don't": the word itself
    if word in MED_WORDS:
        return False
    if word.isascii():
        return is_english_word(word)
    return is_known(word) and lemma(word) not in MED_WORDS  # "панкреатина" names a medication
