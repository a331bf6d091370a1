"""Questions about the schedule, however they are put: the list, what is left today, the week
ahead, and help ("что там у мамы записано", "what's left for today", "помоги разобраться").

Read only when the message holds no time, dosage or schedule rule and no command word that
changes anything: answering a question with the list or the agenda changes nothing, so a
looser reading is safe here, unlike for an add.
"""

from __future__ import annotations

import re

from medbot.core.commands import Agenda, Command, Help, ListSchedule
from medbot.core.nlu.schedule_vocab import NEXT_WEEK

_HELP = re.compile(
    r"\b(?:помоги(?:те)? (?:разобраться|мне|пожалуйста|настроить)|помогите|не (?:понимаю|понятно|разберусь) как"
    r"|как (?:добавить|пользоваться|работает|это работает|тут|здесь|мне быть|быть|начать)|что (?:тут|здесь) (?:можно|делать)"
    r"|инструкци\w*|что ты (?:умеешь|можешь)|что можно (?:делать|тут|здесь)|\bкоманд(?:ы|у|ах|ами)?\b|объясни\w*"
    r"|чем (?:ты )?(?:можешь|сможешь) помочь|что (?:мне )?(?:нужно|надо) (?:писать|написать)|как (?:писать|написать)"
    r"|what (?:are|are the) commands|commands|explain|how are you used"
    r"|how (?:do|does|can|to|should) (?:i|this|it|you|one|we)\b|what can (?:you|i) do|i(?:'m| am) (?:lost|confused)"
    r"|don'?t (?:understand|get) how|help me|need help|instructions|getting started|how it works"
    r"|не понимаю как|подскажи(?:те)? как|запутал\w*|confused|how do i use|бот делает|ты делаешь"
    r"|what does (?:this|the) bot do|what is this bot|what are you)")
_CONFUSED_WHY = re.compile(r"\b(?:а то|потому что|так как|because|since|cause|'cause)\s+(?:я\s+|i'?m\s+|i am\s+)?(?:уже\s+)?"
                          r"(?:совсем\s+|так\s+|so\s+|a bit\s+|totally\s+|all\s+)?(?:запутал\w*|confused|lost)\b")
"""Confusion given as the reason for a question ("что мне сегодня пить? а то я запуталась"): the question is asked."""
_TODAY = re.compile(r"\b(?:сегодня\w*|сегодняшн\w*|седня|сёдня|today'?s?|tonight|на вечер|до вечера|this (?:evening|afternoon))\b")
_LEFT = re.compile(
    r"\b(?:осталось|остались|остался|осталась|ещ[её]|дальше|следующ\w*|потом|не (?:выпил\w*|принял\w*|пил\w*)"
    r"|left|next|still|remaining|upcoming|coming up|later|missed|miss)\b")
_DID_I = re.compile(r"\b(?:did (?:i|he|she|mom|mum|dad|we) (?:already |actually |even )?(?:take|have)|have i (?:already )?taken|(?:я |мы )?(?:вс[её] )?(?:выпил\w*|принял\w*)"
                    r"(?= ли\b|.*\?))")
_PAST_DOSE = re.compile(
    r"(?<![\w-])(?:did|have|had) (?:i|she|he|mum|mom|dad)(?: already| even)? (?:take|taken|have|had|use|used)(?![\w-])"
    r"|(?<![\w-])(?<!что )(?:я|мама|папа|она|он)(?: [^\W\d_]+){0,2}? (?:вы)?(?:пил|пила|принимал|принимала|приняла|принял)"
    r"(?![\w-])[^?]*(?:или нет|\?\s*$)"
    r"|(?<![\w-])(?:пила|пил|выпила|выпил|принимала|принимал|приняла|принял) ли (?:я|она|он|мама|папа)(?![\w-])")
_THE_WHOLE_DAY = re.compile(r"(?<![\w-])(?:вс[её]|everything|all)(?![\w-])")


def past_dose_asked(low: str) -> bool:
    """"did I take my Concor this morning?", "я выпила сегодня утренние или нет?": whether one dose
    was taken, which the day's plan (what is still to come) cannot say; asked before `_DID_I` below
    is looked at, which is left "я всё на сегодня выпила?" (the whole day)."""
    return ("пил" in low or "прин" in low or " take" in low or " had" in low or " use" in low) \
        and _PAST_DOSE.search(low) is not None and _THE_WHOLE_DAY.search(low) is None


_ADVICE = re.compile(r"\b(?:что делать|как быть|what (?:should|do) i do|не помню|don'?t remember|can'?t remember)\b")
_TO_TAKE = re.compile(r"\b(?:пить|выпить|принять|принимать|колоть|капать|(?:need|have|got) to take|should i take"
                      r"|do i take|do i have|meds|pills|medications|таблет\w*|тблет\w*|лекарств\w*)\b")
_SHOW = re.compile(r"\b(?:покажи\w*|выведи|напомни(?:те)?,? что|show|showing|display|remind me what)\b")
_TOMORROWS = re.compile(r"\b(?:завтрашн\w*|tomorrow'?s)\b")
_FOR_TODAY = re.compile(r"\b(?:на сегодня|for today|на сегодняшний день|сегодня по (?:расписанию|графику|плану)"
                        r"|по (?:расписанию|графику|плану) сегодня|on (?:the|my) schedule today"
                        r"|сегодня (?:\w+ ){1,3}по (?:расписанию|графику|плану))\b")
_NOT_A_LOOKUP = re.compile(
    r"\b(?:(?:сейчас|now) или|или (?:подождать|ждать|уже ждать|wait|skip)|should i (?:take|skip|wait|double)"
    r"|можно ли|стоит ли|нужно ли|за (?:этот |прошлый |весь )?(?:месяц|год)|(?:this|last|past) (?:month|year)"
    r"|название не помню|не помню (?:как )?(?:название|называется)|(?:don'?t|can'?t) remember (?:the|its) name"
    r"|forgot (?:the|its) name|прошл\w* недел\w*|last week|past week|previous week"
    r"|если (?:сахар|давление|глюкоза)|if (?:my )?(?:blood )?(?:sugar|glucose|pressure)|сколько (?:мне )?(?:колоть|единиц)"
    r"|how many units"
    r")\b|\bвчера\b.*(?:пил|принял|выпил|принимал)\w*.*\?")
_HABIT = re.compile(r"\b(?:принимаю|пью|schedule)\b")
""""что я принимаю сегодня", "what's on my schedule today": the list, as they always were."""
_WEEK = re.compile(r"\b(?:недел\w*|week\w*|7 дней|семь дней|seven days|next few days|ближайшие дни)\b")
_LIST = re.compile(
    r"\b(?:спис\w*|записан\w*|записал\w*|записи|график\w*|перечисл\w*|препарат\w*|лекарств\w*|таблет\w*|расписан\w*"
    r"|пью|принимаю|пьет|пьем|принимает|стоит|стоят|назначен\w*|таблам|таблы|таблах|meds|medications?|medicines?|pills|list|schedule"
    r"|what am i on|reminders|everything|taking|take|got on|planned|запланирован\w*|расписано)\b")
_ASKING = re.compile(
    r"\?|\b(?:скинь\w*|пришли\w*|send|скока|скоко|покажи\w*|показать|посмотреть|посмотри|глянь|глянуть|выведи|скажи|перечисли|что|чего|чё|че|какие"
    r"|какой|какая|сколько|ли|show|showing|what'?s?|which|see|tell|view|display|check|list|remind me what|give me)\b"
    r"|^\s*(?:а |и |так )?когда\b")
""""когда" asks only at the start ("когда мне пить?"); inside, it is a condition ("пью его, когда болит")."""


def explained(word: str) -> bool:
    """A word the question patterns account for ("осталось", "записано", "still")."""
    return any(pattern.fullmatch(word) or pattern.search(f" {word} ")
               for pattern in (_TODAY, _LEFT, _WEEK, _LIST, _ASKING, _VAGUE, _HELP_WORDS))


_HELP_WORDS = re.compile(r"\b(?:разобраться|настроить|пользоваться|работает|объясни\w*|понять|начать|use|works?|started"
                         r"|запутал\w*|подскажи\w*|бот\w*|bot|this|confused|lost|добавить|лекарство|понимаю|help)\b")


_VAGUE = re.compile(r"\b(?:там|тут|вообще|у|меня|мне|мои|мой|all|of|my|on|here|there|anything|have|do|i|is|are|"
                    r"full|whole|entire|complete|весь|всё|все|полный|целиком|else|что-нибудь|что-то|need|needs|"
                    r"take|for|dad|mom|him|her|today|для|него|нее|неё|распиши|organizer|"
                    r"the|for|to|что-то|что-нибудь|нужно|надо|было|есть|уже|пора|на|всю|всё|got|whats|what's|расписано|"
                    r"запланировано|planned|coming|план|plan|mum|mom|dad|папа|мама|saved|stored|записано|"
                    r"сохранено|overview|обзор|kindly|share|mind|showing|show|read|прочитай|прочти|зачитай|sir|madam|"
                    r"wise|whats|tell|give|would|could|you|please|right|currently|moment|if|it'?s|too|much|trouble|difficult|сложно|трудно|"
                    r"not|не|всех|моих|мои|my|me|i|what|need|to|drink|пить|надо|нужно|завтра|tomorrow'?s?|родной|родная|"
                    r"милый|милая|дорогой|дорогая|голубчик|голубушка|внучек|сынок|доченька|бот|bot|dear|love|завтрашн\w*|"
                    r"(?:под|рас)?скажи(?:те)?|уколам|при[её]мам|таблеткам|лекарствам|капельницам|injections|shots|doses|any|pills)\b")


_LIST_ALONE = re.compile(r"\s*(?:meds|medications|medicines|pills|my meds|my pills|лекарства|таблетки|мои таблетки"
                         r"|мои лекарства|препараты|list|список)[\s?.!]*")


def question_about_schedule(low: str, listed: bool = False) -> Command | None:
    """The question the message asks, if it is one of these; None otherwise. `listed`: a word
    that asks for the list was said ("что я принимаю сегодня" stays the list unless "ещё" or
    "осталось" asks for what is left)."""
    if _NOT_A_LOOKUP.search(low):
        return None  # advice, counts over a month, a medicine the person cannot name: for a person
    if _HELP.search(_CONFUSED_WHY.sub(" ", low)) and not (_TODAY.search(low) and _LEFT.search(low)) and not (
            _SHOW.search(low) and _LIST.search(low)):  # "покажи, что у меня записано, а то я запуталась": the list
        return Help()  # "запуталась, что мне ещё осталось сегодня выпить" asks for the day's agenda
    if _LIST_ALONE.fullmatch(low):
        return ListSchedule()
    asking = bool(_ASKING.search(low))
    if _WEEK.search(low) and (asking or re.search(r"\b(?:plan|ahead|план|overview|обзор)\b", low)):
        return Agenda(7) if NEXT_WEEK.search(low) is None else None  # "что на следующей неделе?" is not the coming 7 days
    today, left = bool(_TODAY.search(low)), bool(_LEFT.search(low))
    listing = bool(_LIST.search(low))
    if _DID_I.search(low) and _ADVICE.search(low):
        return None  # "did I already take the ramipril? can't remember": unsure of a fact, for a person to settle
    if _DID_I.search(low) and (today or asking) and not _WEEK.search(low) and not _ADVICE.search(low):
        return Agenda(1)  # "я всё на сегодня выпила?", "did I take everything today?": what is still to come
    if today and _TO_TAKE.search(low) and not _HABIT.search(low):
        return Agenda(1)  # "что сегодня пить": what is due today, not what is kept
    if _FOR_TODAY.search(low) and not left and not _HABIT.search(low):
        return Agenda(1)  # "какое расписание на сегодня": the day's doses
    if _TOMORROWS.search(low) and (asking or listing):
        return Agenda(2)  # "завтрашние таблетки какие": today's and tomorrow's doses
    if listed and not left:
        return ListSchedule()
    if (today and (left or listing)) or (left and asking and listing) or (left and asking and len(low) < 30):
        return Agenda(1)
    if _LIST.search(low) and asking:
        return ListSchedule()
    return None
