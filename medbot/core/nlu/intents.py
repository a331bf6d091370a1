"""Command words: which words in a message say what the person wants, in Russian and English.

Each cue is a regular expression over the folded text that names an intent. Strong cues say
the intent on their own ("добавь", "удали", "took it"); modifiers only shape one ("теперь",
"измени", "покажи", "принимаю"). Where cues overlap the longest wins, so "больше не
принимаю" is a deletion, "как я принимаю лекарства" asks for statistics, "что я принимаю"
asks for the list. Within one pattern the first alternative that matches wins, so a longer
phrase must come before its own beginning ("stop reminding me about" before "stop"). A
one-letter typo in a command verb the dictionary does not know ("удоли", "дабавь", "delet")
still counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from medbot.core.nlu.first_chars import ByFirstChar
from medbot.core.nlu.lexicon import FILLER
from medbot.core.nlu.names import is_english_word
from medbot.core.nlu.normalize import Token, script_of
from medbot.core.nlu.russian_words import is_known
from medbot.core.nlu.spans import longest_first

STRONG = frozenset({"add", "delete", "list", "time_change", "dose_change", "timezone", "done", "stats", "help",
                    "not_done", "offtopic", "undo", "language"})
"""Intents a cue states on its own; everything else is a modifier."""

_TAKE_VERBS = (r"(?:принимать|пить|принять|выпить|выпивать|колоть|капать|пропить|закапать|закапывать|уколоть|вколоть"
               r"|намазать|нанести|сделать укол|попрыскать|пшикнуть|рассосать|вдохнуть)")
_ABOUT = r"(?: мне)?(?: больше)?(?: (?:про|о|об))?\b"
_MED_NOUNS = r"(?:лекарства|лекарство|таблетки|препараты|напоминания|назначения|медикаменты|витамины)"
_CHANGE_VERBS = (r"(?:измени|изменить|измените|поменяй|поменять|поменяйте|смени|сменить|смените|исправь|"
                 r"исправить|установи|поставь|обнови|настрой|переставь)")

_END = r"(?=[\s.!,)]*$)"
"""Only at the end of the message: a bare "отмени" is an undo, "отмени аспирин" a deletion."""
_UNDO = (rf"(?<!\S)/undo\b|\bотмени(?:те|ть)?(?:,? (?:это|то|его|изменени\w*|действи\w*|пожалуйста|плиз|срочно|быстро"
         rf"|скорее|быстрее|назад))*{_END}|\bотмена{_END}|\bоткат\w*"
         r"|\bверни(?:те)?\b(?:,? \w+){0,4},? (?:как было|обратно|назад|как раньше)\b|\bверни(?:те)? (?:обратно|назад)\b"
         r"|\bоткати\w*|\bundo\b|\bпоследн\w* (?:отмени|отменяй|отмена)\w*|\bотменяй(?:те)?(?=[\s.!,)]*$)|\btake (?:that|it) back\b|\blet'?s (?:just )?cancel (?:that|it)\b"
         r"|\bотмени(?:те|ть)?,? (?:пожалуйста,? )?(?:последн\w*|что (?:я )?(?:только что |сейчас )?(?:добавил\w*|написал\w*|сделал\w*|сказал\w*|поменял\w*|изменил\w*|удалил\w*))(?: (?:изменени\w*|действи\w*|команд\w*|запис\w*))?"
         r"|\bверни(?:те)?(?: (?:все|всё))?(?: (?:как было|обратно|назад|на место|прежнее|как раньше))"
         r"|\bundo\b|\brevert\b|\broll ?back\b|\bcancel (?:that|this|it|the last(?: change| one)?|my last(?: change)?|last change)\b"
         r"|\bscratch that\b|\btake (?:that|it) back\b|\bput it back\b|\bchange it back\b|\bgo back\b(?! to (?!how\b|the way\b|previous\b|before\b|what\b|normal\b|the last\b)\w| home\b)"
         r"|\bcancel what (?:i|you) (?:just )?(?:did|added|changed|wrote|set)\b|\breverse (?:that|it|the last\w*|what\b)"
         r"|\bctrl[ +-]?z\b|\bunod\b|\bundu\b|\bотмена+\b(?= последн\w*| предыдущ\w*|[\s.!,)]*$)|\bшаг назад\b"
         r"|\bназад верни\w*|\bсделай(?:те)? как было\b|\broll (?:that|it|this) back\b"
         r"|\bвосстанови(?:те)?\b(?:,? \w+){0,3},? (?:как было|обратно|назад|как раньше)\b|\bвосстанови(?:те)? (?:вс[её]|обратно|назад|удален\w*|последн\w*)\b"
         r"|\brestore (?:it|that|the last|what)\b"
         r"|\bscrap (?:that|this|it)(?: last)?(?: change| one)?\b|\bверни(?:те)?(?: (?:его|е[её]|их|это|обратно))?(?=[\s.!,)]*$)"
         r"|\bоткатить\b|\bдавай назад\b|\bверните (?:как было|обратно)\b|\bgo back,? please\b"
         r"|\btake back (?:the|my|that) last\b|\bput (?:it|that|everything) back the way\b|\bthe way it was\b"
         r"|\bверн\w* как было\b|\bbring (?:it|that|them|her|him) back\b|\bget (?:it|that|them) back\b"
         r"|\bdidn'?t mean to (?:delete|remove|cancel) (?:it|that|this|them)\b"
         r"|\bотмени(?:те)? (?:мне )?(?:удаление|изменение|добавление|перенос|последнее действие)(?: \w+)?"
         r"|\b(?:undo|cancel|reverse) (?:the |my |that )?(?:deletion|delete|removal|change)(?: of \w+)?\b"
         r"|\bне надо было (?:его |её |ее |их |это )?(?:удалять|убирать|менять|переносить|добавлять|трогать)\b(?:,? верни\w*(?: обратно)?)?")
_LANGUAGES = (r"(?:по[- ]?английски|по[- ]?русски|на английском(?: языке)?|на русском(?: языке)?|на английский|на русский"
              r"|английский(?: язык)?|русский(?: язык)?|english|russian)")
_LANGUAGE = (r"(?<!\S)/(?:lang|language|язык)\b|^\s*язык\w*\s*[?!.]*$|^\s*(?:in |на )?(?:english|russian|английск\w*|русск\w*|по[- ]?английски|по[- ]?русски)(?: язык\w*)?(?: please| пожалуйста)?[\s.!,]*$"
             r"|\b(?:другом языке|другой язык|another language|other language|different language)\b"
             rf"|\b(?:говори|пиши|отвечай|разговаривай|общайся|переключись|переключи|перейди|давай)(?:те)?(?: со мной| мне)?(?: пожалуйста)? {_LANGUAGES}"
             rf"|\b(?:можно|а можно|лучше|пожалуйста)(?: со мной)? {_LANGUAGES}"
             r"|\b(?:смени|поменяй|измени|переключи)(?:те)?(?: мне)? язык\w*|\bязык\w* (?:интерфейса|бота|общения)\b"
             r"|\b(?:switch|change|set)(?: the)?(?: bot'?s?)? language\b|\blanguage\b"
             r"|\b(?:switch|change|talk|speak|reply|write|answer|respond|answers) (?:to |in |me in )?(?:english|russian)\b"
             r"|\b(?:english|russian|in english|in russian)(?: please| pls)\b|\bplease (?:use |in )?(?:english|russian)\b"
             rf"|\b{_LANGUAGES}(?:,)? (?:пожалуйста|плиз)\b|\b(?:хочу|включи(?:те)?|верни(?:те)?|сделай(?:те)?) {_LANGUAGES}"
             r"|\bне (?:понимаю|знаю|читаю) (?:по[- ]?английски|по[- ]?русски|английск\w*|русск\w*)"
             r"|\b(?:отвечал|писал|говорил|общался)\w* (?:со мной |мне )?по[- ]?(?:русски|английски)"
             r"|\b(?:английский|русский) язык (?:включи|поставь|верни)\w*|\bинтерфейс\w* на (?:английском|русском)"
             r"|\b(?:talk|speak|write|reply|answer) to me in (?:english|russian)\b|\bпо[- ]?англиски\b"
             r"|\bi (?:don'?t|do not|can'?t|cannot) (?:read|speak|understand) (?:russian|english)\b"
             r"|\bязык\w*:? (?:английск\w*|русск\w*|english|russian|англ|рус|en|ru)\b|\blang(?:uage)?:? (?:en|ru|english|russian)\b"
             r"|^\s*(?:in )?(?:english|russian)\b(?=[,.!]|\s+(?:i|я)\b)|\bпо[- ]?(?:русски|английски|нашему)\b|\bна (?:инглише|инглиш|английском|русском|нашем)\b"
             r"|\b(?:поставь|включи|сделай|верни)(?:те)? (?:англ|рус)\w*"
             r"|\b(?:смени\w*|поменя\w*|переведи\w*|переключи\w*|switch|change|set|put)\b"
             r"(?: (?:it|this|the bot|бота|язык|the language|lang|language|me|мне|всё|все|everything))?\s+(?:на|to|in|into)"
             r" (?:русский|английский|russian|english|ru|en)\b|\b(?:want|need|prefer|like) (?:\S+ ){0,3}in (?:russian|english)\b"
             r"|\bback to (?:english|russian)\b|\bобратно на (?:русский|английский)\b"
             r"|^\s*(?:in )?(?:english|russian)\b(?= (?:my|i|it|for|easier|better|since|because|as|is|please|plz|pls|мой|мне|так|я)\b)"
             r"|(?:(?<=[,.!?] )|(?<=[,.!?])|^)(?:in )?(?:english|russian)[\s.!]*$|\bin (?:russian|english) instead\b"
             r"|\b(?:do|have|use|speak|talk) (?:this|it|everything|all this)? ?in (?:russian|english)\b"
             r"|\b(?:use|do|speak) (?:english|russian)\b(?! (?:word|name|brand|version|pills?|tablets?)s?\b)"
             r"|\b(?:talk|speak|write|reply|answer) to (?:her|him|them|my \w+|mum|mom|dad) in (?:russian|english)\b"
             r"|\b(?:only|just) (?:reads?|speaks?|understands?) (?:russian|english)\b"
             r"|\b(?:переведи|перевести|переключи)(?:те)? (?:\w+ )?на (?:русский|английский)\b"
             r"|\b(?:i'?d )?prefer (?:it )?(?:in )?(?:russian|english)\b")

_CUES: tuple[tuple[str, str], ...] = (
    # Safety first: instructions to the machine are never medication commands.
    ("offtopic", r"\bignore (?:all |the |any |your )?(?:previous |prior |above |earlier )?(?:instructions|prompts?|rules)\b"
                 r"|\bdisregard\b|\bsystem prompt\b|\byou are now\b|\bact as\b|\bpretend\b|\bjailbreak\b"
                 r"|\bdeveloper mode\b|\bprompt\b|\ball users\b|\bdrop table\b|\bsudo\b|\brm -rf\b"
                 r"|\bзабудь (?:все |всё )?(?:предыдущие |прошлые |свои )?(?:инструкции|правила|указания)\b"
                 r"|\bигнорируй\w*|\bпритворись\b|\bпредставь,? что ты\b|\bпромпт\w*|\bвсех пользователей\b"
                 r"|\bвсе данные\b|\ball data\b|\bбаз[уы] данных\b|\bdatabase\b"
                 # questions about medicines are not schedule management
                 r"|\bчто такое\b|\bсколько стоит\b|\bгде купить\b|\bможно ли\b|\bчто лучше\b|\bкак действует\b"
                 r"|\bпобочн\w*|\bбезопасно ли\b|\bвредно ли\b|\bсовместим\w*|\bаналог\w*"
                 r"|\bwhat is (?!my\b|the schedule\b)|\bhow much (?:does|is)\b|\bcan i (?:drink|mix|combine)\b"
                 r"|\bside effects?\b|\bis it safe\b|\bwhere (?:can i )?buy\b|\bis it (?:ok|okay|fine|bad) to\b"
                 r"|\bshould i (?:take|stop|skip)\b|\bis it better\b|\bcan (?:i|you|he|she|we) (?:take|drink|have|mix) \S+ (?:with|and|on)\b|\bwhich is better\b|\bis it (?:alright|all right|safe|wise|bad)\b|\bbest time\b"
                 r"|\bwhen did\b|\bhow many (?:pills|tablets|capsules|doses) (?:are |do i have |have i got )?left\b"
                 r"|\bв (?:упаковке|пачке|блистере|банке|флаконе)\b|\bкогда (?:лучше|я последний раз)\b|\bнормально ли\b|\bможно (?:ли )?(?:мне )?(?:пить|принимать) \w+ (?:с|вместе)\b"),
    ("undo", _UNDO),
    ("language", _LANGUAGE),
    ("filler", r"@[a-z0-9_]+|\b(?:в|из|к) (?:мой |моего |мое |моем )?(?:список|списка|расписание|расписания|списке|расписании)\b"
               r"|\b(?:to|from|in|on) (?:my |the )?(?:list|schedule)\b"),
    ("help", r"\bкак (?:мне )?(?:добавить|удалить|изменить|перенести|настроить|отметить)\b"
             r"|\bкак (?:(?:тут|здесь|мне|у вас|в боте|вообще) ){0,2}(?:добавить|удалить|убрать|изменить|поменять|отметить|записать|перенести|пользоваться|настроить|добавлять|удалять|менять|отмечать|записывать|переносить)(?: (?:лекарств\w*|таблетк\w*|напоминани\w*|прием\w*|время))?(?=[\s?.!,]*(?:(?:подскаж|объясн|помог)\w*(?: пожалуйста)?)?[\s?.!]*$)"
             r"|\bhow (?:do|can) i (?:add|remove|delete|change|move|mark|set)\b|(?<!\S)/(?:help|start|помощь)\b|\bпомощь\b|\bпомоги(?:те)?\b|\bсправк[аиу]\b|\b(?:что|чего|чё|че|чо) (?:же )?(?:ты|вы|бот|он)?\s?(?:вообще )?(?:умеешь|умеете|можешь|может)\b"
             r"|\bчто ты можешь делать\b|\bкак (?:\w+ ){0,2}пользоват\w*|\bчто (?:тут|здесь|сюда) (?:писать|нажимать|делать)\b"
             r"|\bкак (?:это |ты )?работает\b|\bкак работаешь\b|\bкоманды\b|\bменю\b|\bhelp\b|\bwhat (?:can|do|else can) (?:you|this bot|this thing|it) (?:\w+ )?do\b"
             r"|\bhow (?:do i|to|can i) use\b|\bcommands\b|\bhow does (?:this|it) work\b|\bmenu\b"),
    ("stats", r"(?<!\S)/stats?\b|\bстатистик\w*|\bкак я (?:принимаю|пью)\b|\bпрогресс\w*|\bотчет\w*"
              r"|\bсколько (?:раз |таблеток |лекарств |доз )?(?:я )?(?:пропустил|выпил|принял)\w*|\bкак (?:у меня )?(?:успехи|дела с (?:приемом|лекарствами|таблетками))"
              r"|\bhow am i doing\b|\bstats\b|\bstatistics\b|\bmy progress\b|\breport\b|\badherence\b"
              r"|\bhow (?:well )?(?:have i been|am i) (?:taking|doing)\b|\bhow many (?:doses )?(?:have )?i missed\b"),
    ("list", r"(?<!\S)/(?:list|schedule|список)\b|\bсписок\b|\bсписка\b|\bрасписани\w*"
             rf"|\bчто (?:я )?(?:принимаю|пью)\b|\bчто (?:мне )?(?:нужно |надо )?(?:сегодня )?{_TAKE_VERBS}\b"
             rf"|\bкакие (?:у меня )?{_MED_NOUNS}(?: я (?:принимаю|пью))?\b|\bчто у меня (?:в расписании|запланировано)\b"
             r"|\blist\b|\bmy (?:schedule|reminders)\b|\bwhat do i (?:take|have)\b"
             r"|\bwhat am i taking\b|\bwhat am i on\b|\bwhat(?:'s| is) (?:on )?(?:my|the) (?:schedule|list)\b|\bschedule\b"
             r"|\bwhat (?:meds|medications|pills|medicines) (?:do|am|did) i (?:take|taking|have|on|save|saved)\b"
             r"|\b(?:what|which) (?:are|is) my (?:meds|medications|medicines|pills|schedule|reminders)\b"),
    ("not_done", r"\bне (?:выпил\w*|принял\w*|пил[аи]?|принимал[аи]?|выпит\w*|принят\w*)\b|\bзабыл[аи]? (?:выпить|принять)\b"
                 r"|\bпропустил[аи]?\b|\bdidn'?t take\b|\bdid not take\b|\bhaven'?t taken\b|\bhave not taken\b"
                 r"|\bnot taken\b|\bforgot (?:to take|my)\b|\bmissed\b"),
    ("done", r"\bвыпил\w*|\bвыпито\b|\bвыпиты\b|\bвыпит[аы]?\b|\bприняты\b|\bпринят[аы]?\b|\bпопил[аи]?\b|\bпринял[аи]?\b|\bпринято\b|\bсъел[аи]?\b|\bзакапал[аи]?\b"
             r"|\bуколол(?:ся|ась)\b|\bвколол[аи]?\b|\b(?:подышал|продышал)[аи]?\b|\bкольнул[аи]?\b|\bсделал[аи]? (?:укол|ингаляци\w*|инъекци\w*|пшик\w*)\b|\bготово\b|\bсделано\b|\bотметь(?: как)?(?: выпит\w*| принят\w*)?"
             r"|\bкак (?:выпит|принят)\w*"
             r"|(?<!\S)/done\b|\btook\b|\bto{2,}ka?\b|\btookk\b|(?<!to be )(?<!should be )\btaken\b|\bhad (?:his|her|their|the|our)\b|\bi(?:'ve| have) taken\b|\bdone\b|\bhad my\b|\bdrank\b"
             r"|\bswallowed\b|\bmark(?:ed)? (?:it |them )?(?:as )?(?:taken|done)\b"
             r"|\bдал[аи]?\b|\bgave\b|\bpopped\b|\bкапнул\w*|\bуколол\w*|\bused\b(?! to\b)(?= (?:my |the |her |his )?\S+(?: (?:inhaler|puffer|spray|drops|pen))?(?:,? (?:the )?[a-z]+)?(?: (?:just now|now|already|today|this morning|earlier|a minute ago))?[\s.!]*$)|\bзакинул\w*|\bdid\b(?= my \S+ (?:shot|injection|jab|puffs?)\b)|(?:^|(?<=\bi )|(?<=\bjust )|(?<=\balready ))did my\b(?![^?]*\?)(?=(?: \S+){0,2}? (?:insulin|shots?|injections?|jabs?|puffs?|inhaler|drops|pills?|meds|tablets?|dose)\b)|\bпопшикал[аи]?\b|\bпшикнул[аи]?\b|\bвдохнул[аи]?\b"
             r"|\bсделал[аи]?\b(?= (?:\S+ )?(?:вдох|пшик|укол|единиц|инъекц|ед\b))"
             r"|\bdid\b(?= (?:\S+ )?(?:puffs?|shots?|injections?|units?|drops?|inhalations?)\b)"
             r"|\bукол\w* (?:сделал|поставил)\w*|\b(?:поставил[аи]?|сделал[аи]?) укол\w*"
             r"|\bукол\w*(?= \S+ (?:сделал|поставил))"
             r"|\bdown the hatch\b|\bhave taken\b|\bhas been taken\b|\bbeen taken\b"),
    ("delete", r"(?<!\S)/(?:delete|remove)\b|\bудал(?!ил|[её]нн)\w*|\bубер\w*|\bубра(?!л[аио]?\b)\w*|\bубир\w*|\bвыкин\w*|\bвыброс\w*"
               r"|\bno more\b(?= \S)|\bотмени\w*(?![\s.!,)]*$)|\bисключи\w*|\btake\b(?= (?:it|them|that|the \S+|\S+) off\b)"
               r"|\bсотри(?:те)?\b|\bвычеркни(?:те)?\b|\bсними(?:те)? (?:мне )?напоминани\w*(?: (?:про|о|об|для|на))?"
               r"|\bсними(?:те)?\b(?= (?:\S+ ){0,3}?с (?:расписани|списк|учет|контрол))"
               rf"|\bбольше не (?:принимаю|пью|принимаем|буду|нужно|надо|напоминай)\w*(?: {_TAKE_VERBS}| напоминать)?{_ABOUT}"
               r"|\bне (?:принимаю|пью) больше\b|\bне принимаю\b|\bне пью\b"
               rf"|\b(?:перестал[аи]?|перестаю|бросил[аи]?|прекратил[аи]?|закончил[аи]?) {_TAKE_VERBS}"
               rf"|\b(?:хватит|прекрати|перестань) (?:мне )?(?:напоминать|принимать|пить){_ABOUT}|\bне (?:мне )?напоминай\w*{_ABOUT}"
               r"|\bне нужно (?:больше )?(?:напоминать|принимать)\b|\bкурс (?:закончен|окончен|завершен)\b"
               r"|\boff (?:my |the |her |his |mom'?s |dad'?s )?(?:list|schedule)\b|\bremov(?:e|ing)\b|\bdelet(?:e|ing)\b|\bcancel\b|\berase\b|\bunschedule\b"
               r"|\b(?:can|could) go\b(?= now\b|\s*$| too\b| as well\b|[,.!])"
               r"|\bstop reminding me(?: about| of| to take)?\b|\bstop (?:taking|the reminders?(?: for| about)?)\b"
               r"|\b(?:took|taken|has taken|take) (?:me|him|her|them|mom|dad|mum|it|that) off\b"
               r"|\bstopped (?:her|his|their|my)\b|\bсня(?:л|ла|ли) (?:меня |его |е[её] |маму |папу )?с\b"
               r"|\bi (?:have )?stopped taking\b|\bi no longer take\b|\bno longer taking\b"
               r"|\bi don'?t take\b(?=.*\bany ?more\b)|\bquit taking\b|\bget rid of\b"
               r"|\bdon'?t remind me(?: about| of| to take)?\b|\bno more reminders?(?: for| about)?\b"
               r"|\bstop\b"),  # last: within one pattern the first alternative that matches wins
    ("dose_change", rf"\b{_CHANGE_VERBS}(?:те)? (?:мне )?(?:дозу|дозировку)\b"
                    r"|\b(?:увеличь|увеличить|уменьши|уменьшить|снизь|снизить|повысь|повысить|подними|понизь) (?:мне )?(?:дозу|дозировку)\b"
                    r"|\bchange (?:the |my )?(?:dose|dosage)\b|\b(?:increase|decrease|reduce|lower|raise|up) (?:the |my )?(?:dose|dosage)\b"
                    r"|\b(?:dose|dosage) (?:should be|is now|now)\b(?= (?:\d[\d.,]*|half|a half|one|two) ?(?:mg|mcg|ml|units?|tablets?|pills?|puffs?|drops?)?\b)"),
    ("time_change", r"\bперенес\w*|\bперенести\b|\bперенос\w*|\bпередвин\w*|\bсдвин\w*|\bпереставь\w* на\b"
                    r"|\bперекин\w*(?=(?: \S+){0,3} на\b)|\bперестав\w*(?=(?: \S+){0,3} на\b)"
                    rf"|\b{_CHANGE_VERBS}(?:те)? (?:мне )?время\b|\bmove\b|\breschedule\b|\bshift\b|\brescheduled\b"
                    r"|(?<!\bi )(?<!\bwe )(?<!'ve )(?<!have )(?<!has )\b(?:moved|shifted)(?= (?:to|from|back)\b)"
                    r"|\bchange (?:the |my )?time\b|\b(?:one|dose|pill) should be at\b"),
    ("timezone", r"(?<!\S)/(?:tz|timezone)\b|\bчасово\w* пояс\w*|\bпояс\w*|\bтайм ?зон\w*|\bвременн\w* зон\w*"
                 r"|\bчасов\w* зон\w*|\bпереехал[аи]?\b|\bпереезжаю\b|\bживу\b|\bнахожусь\b|\bпрожива\w*"
                 r"|\btime ?zone\b|\btz\b|\b(?:i|we) (?:moved|have moved|relocated|'ve moved|have relocated|'ve relocated) to\b|\b(?:i|we) live in\b"
                 r"|\bi'?m (?:now )?(?:in|living in|based in)\b|\bi am (?:now )?in\b"),
    ("add", r"\bдобав(?!к|ил)\w*|\bзапиши(?:те)?\b|\bзаписывай(?:те)?\b|\bзаписать\b|\bзанеси(?:те)?\b|\bвнеси(?:те)?\b|\bвнести\b|\bвпиши(?:те)?\b"
            r"|\b(?:поставь|поставьте|установи|создай|сделай|заведи)(?: мне)? (?:напоминани\w*|будильник)"
            r"|\b(?:мне )?(?:назначил[аи]?|прописал[аи]?|выписал[аи]?)\b|\bneed (?:a )?reminders? (?:for|to|about)\b"
            r"|(?<!по)\bставь(?:те)?\b"
            rf"|\b(?:буду|начал[аи]?|начинаю|начать|нужно|надо|должен|должна|необходимо) {_TAKE_VERBS}"
            r"|\bпропиши(?:те)?\b"
            rf"|\bнапомина(?:й|йте|ть)(?: мне)? (?:{_TAKE_VERBS}|о приеме|про прием)\b"
            rf"|\bнапомни(?:те)?(?: мне)? (?:{_TAKE_VERBS}|о приеме|про прием)\b"
            r"|(?<!\S)/add\b|\badd\b|\bremind me to (?:take|drink|use)\b|\bput (?:in|down)\b|^ad\b"
            r"|\bset (?:it|that|this|them) up\b|\bset up\b(?! (?:a |the )?(?:time ?zone|language))"
            r"|\bset (?:up )?(?:a )?reminder(?: for| to take)?\b|\bnew (?:medication|med|medicine|pill)\b"
            r"|\bi (?:need|have) to take\b|\bi(?:'ll| will) be taking\b|\b(?:start|started|starting) taking\b"
            r"|\b(?:was |got |been )?prescribed\b|\badding\b|\bput (?:it|them|that) in\b"
            r"|\b(?:need|want|like|have) to be reminded (?:about|of|to take)\b"
            r"|\b(?:put|started) (?:me|him|her|mum|mom|dad|us) on\b|\bnew (?:script|prescription) for\b"
            r"|(?<!добавить )(?<!записать )\bнов(?:ое|ый|ая|ую) (?:лекарство|препарат|таблетк\w*)\b(?!\s*\?)|\b(?:нужно|нужна|надо|хочу) напоминани\w* (?:про|о|об|на)\b"
            r"|\b(?:'s |has |is |was |been )?started on\b|\b(?:was |been |got )?discharged (?:from \w+ )?with\b"
            r"|\b(?:снова|опять|заново) начал[аи]?\b|\brestart(?:ing|ed)?\b(?= (?:my |the |his |her )?\S+)|\bback on (?:my |the )?\b"
            r"|\b(?:можно|нужно|надо|хочу|прошу|можешь|можете)(?: (?:ли|мне|бы|пожалуйста))? (?:поставить|записать)\b"
            r"|(?<!как )\bпоставить(?=[\s?.!)]*$)"),
    ("remind", r"\b(?:ping|nudge|buzz|text) me\b|\bпусть (?:бот |он )?напоминает\b(?: (?:мне|про|о|об))*|\bпоставь(?:те)?(?: мне)?\b|\bнапомина(?:й|йте|ть|ешь)(?: мне)?(?: (?:про|о|об))?\b|\bнапомни(?:те)?(?: мне)?(?: (?:про|о|об))?\b"
               r"|\bremind(?: me)?(?: (?:about|of))?\b"),
    ("take", r"\b(?:я )?(?:принимаю|принимаем|пью|пьем|выпиваю|колю|капаю|принимать|пить|выпить|принять|колоть|колем|уколоть"
             r"|капать|закапывать|мазать|наносить|брызгать|пшикать)\b"
             r"|\b(?:give|дать|давать)\b"
             r"|\b(?:пьет|пьют|принимает|принимают|колет|капает|получает)\b"
             r"|\bi (?:take|drink|use)\b|\bi'?m taking\b|\bi am taking\b|\btake\b"
             r"|\b(?:he|she|they|mom|dad|mum) (?:takes|gets|take|get|is on|uses)\b|\btakes\b"
             r"|\b(?:change|replace|swap|put on|apply|stick on)(?: (?:the|my|a|her|his|new))*(?=(?: [^\W\d_]+){0,2} patch(?:es)?\b)"
             r"|\bstart(?:ing)?(?: (?:the|my|on))?(?= [^\W\d_]{3,})"
             r"|\b(?:менять|сменить|поменять|меняю|меняем|переклеить|переклеивать|клеить|наклеить|наклеивать|сменить)"
             r"(?=(?: [^\W\d_]+){0,2} пластыр)"),  # "change the fentanyl patch every 3 days": a dose, not a change
    ("dose_word", r"(?<!\d )(?<!\d)\bдоз(?:у|ировку|а|ировка|ы|ировки)\b|(?<!\d )\bdos(?:e|age)\b"),
    ("time_word", r"\bвремя\b|\btimes?\b"),
    ("change", r"\bизмени\w*|\bпоменя\w*|\bпереведи(?:те)?\b|\bперевести\b|\bсмени(?:те|ть)?\b|\bисправ\w*|\bобнови\w*|\bувелич\w*|\bуменьш\w*"
               r"|\bсниз\w*|\bсниж\w*|\bповыс\w*|(?<!patch )(?<!patches )\bchange\b(?! (?:it |them |the patch |patch )?(?:at|every|each|on)\b)|\bupdate\b|\bset\b|\bswitch\b|\bmodify\b|\bedit\b|^make\b"
               r"|\bincrease\b|\bdecrease\b|\breduce\b|\b(?:lowered|raised|upped|increased|decreased|reduced|bumped)\b"
               r"|\bchanged\b(?= (?:my |the |her |his |\S+ )?\S+ (?:to|dose to|dosage to)\b)"
               r"|\b(?:подняли|подняла|поднял|повысил\w*|снизил\w*|уменьшил\w*|увеличил\w*|прибавил\w*|убавил\w*)"),
    ("now", r"\bтеперь\b|\bотныне\b|\bс (?:сегодняшнего|завтрашнего) дня\b|\bс завтра\b|(?<!for )(?<!just )\bnow\b"
            r"|\bfrom now on\b|\bstarting (?:today|tomorrow)\b|\b(?:keep|continue|carry on) (?:taking|using|giving)\b"
            r"|\bпродолжа\w* (?:пить|принимать|колоть|капать|давать)\b"),
    ("show", r"\bпокажи(?:те)?\b|\bпоказать\b|\bshow(?:ing)?(?: me)?\b"
             rf"|\b(?:мои|моих) {_MED_NOUNS}\b|\bmy (?:meds|medications|medicines|pills)\b"),
)
_ALL_CUES: tuple[tuple[str, str], ...] = (*_CUES, ("filler", FILLER.pattern))
"""Filler competes with cues, so "во время ужина" is not a "время" (time change) cue."""
_RARE = frozenset({"undo", "language"})
_RARE_TRIGGER = re.compile(r"отмен|верн|восстанов|restore|надо было|^\s*язык|откат|undo|revert|roll|cancel|scratch|scrap|back|lang|язык|англ|русск|english|ctrl|reverse|unod|undu|назад|как было|нашему|инглиш"
                           r"|russian|/")
"""Words without which no undo or language cue can match: most messages skip those patterns."""
_ANY_CUES = tuple((intent, re.compile(rx)) for intent, rx in _ALL_CUES)
_COMMON_CUES = tuple((intent, re.compile(rx)) for intent, rx in _ALL_CUES if intent not in _RARE)
_ANY_BY_FIRST_CHAR = ByFirstChar([rx for _, rx in _ALL_CUES])
_COMMON_BY_FIRST_CHAR = ByFirstChar([rx for intent, rx in _ALL_CUES if intent not in _RARE])
"""At each word start only the cues that can begin with its character are tried."""

_TYPO_TARGETS: dict[str, str] = {
    "добавь": "add", "добавить": "add", "запиши": "add", "удали": "delete", "удалить": "delete",
    "убери": "delete", "отмени": "delete", "перенеси": "time_change", "выпил": "done", "выпила": "done",
    "принял": "done", "приняла": "done", "покажи": "show", "помощь": "help", "статистика": "stats",
    "расписание": "list", "список": "list", "напомни": "remind", "напоминай": "remind",
    "remove": "delete", "delete": "delete", "reschedule": "time_change", "remind": "remind",
    "taken": "done", "schedule": "list", "умеешь": "help", "undo": "undo", "show": "show",
}


@dataclass(frozen=True, slots=True)
class Cue:
    intent: str
    start: int
    end: int
    """Character span in the folded text."""
    lang: str | None

    @property
    def strong(self) -> bool:
        return self.intent in STRONG


def close_enough(word: str, target: str) -> bool:
    """Damerau-Levenshtein distance of at most one (a single typo)."""
    return _close(word, target)


def _close(word: str, target: str) -> bool:
    """Damerau-Levenshtein distance of at most one."""
    if word == target or abs(len(word) - len(target)) > 1:
        return word == target
    if len(word) == len(target):
        diffs = [n for n in range(len(word)) if word[n] != target[n]]
        if len(diffs) == 1:
            return True
        return (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                and word[diffs[0]] == target[diffs[1]] and word[diffs[1]] == target[diffs[0]])
    short, long = (word, target) if len(word) < len(target) else (target, word)
    for n in range(len(long)):
        if long[:n] + long[n + 1:] == short:
            return True
    return False


@lru_cache(maxsize=8192)
def typo_intent(word: str) -> str | None:
    """The intent of a misspelt command verb ("удоли" → delete), for words no dictionary knows."""
    if len(word) < 5 or word in _TYPO_TARGETS:
        return None
    script = script_of(word)
    if script == "ru" and is_known(word):
        return None
    if script == "en" and is_english_word(word):
        return None  # "takes" is a word of its own, not a misspelt "taken"
    for target, intent in _TYPO_TARGETS.items():
        if script_of(target) == script and _close(word, target):
            return intent
    return None


def find_cues(low: str, tokens: Sequence[Token]) -> tuple[Cue, ...]:
    """Non-overlapping cues in the folded text, longest first where they compete."""
    cues, by_first_char = ((_ANY_CUES, _ANY_BY_FIRST_CHAR) if _RARE_TRIGGER.search(low)
                           else (_COMMON_CUES, _COMMON_BY_FIRST_CHAR))
    found: list[Cue] = []
    for token in tokens:
        if token.kind == "punct":
            continue  # every cue begins a word, number or symbol: trying only there is much cheaper
        start = token.start
        command = low.startswith("/", start)  # "/list" says nothing about the language
        for index in by_first_char.candidates_at(low, start):
            intent, pattern = cues[index]
            match = pattern.match(low, start)
            if match is not None and match.end() > start:
                end = match.end()
                found.append(Cue(intent, start, end, None if command else script_of(low[start:end])))
    for n, token in enumerate(tokens):
        if token.kind == "word":
            intent = typo_intent(token.low)
            if intent is not None:
                start = token.start
                if intent == "remind" and n and tokens[n - 1].low in ("не", "don't", "dont"):
                    intent, start = "delete", tokens[n - 1].start  # "не нпоминай": still "не напоминай"
                if intent == "delete" and _close(token.low, "отмени") and not low[token.end:].strip(" .!,)"):
                    intent = "undo"  # "отмни" alone: a bare "отмени", which undoes
                found.append(Cue(intent, start, token.end, script_of(token.low)))
    return tuple(_negated(longest_first(found), tokens))


_NEGATION_GAP = frozenset({"мне", "ей", "ему", "им", "больше", ",", "уже", "я", "так", "ну", "вот"})


def _negated(cues: list[Cue], tokens: Sequence[Token]) -> list[Cue]:
    """"больше не, мне, принимаю": a take or remind verb with "не" just before it, whatever
    small words stand between, stops the medication."""
    out: list[Cue] = []
    for cue in cues:
        if cue.intent in ("take", "remind", "add"):
            before = [t for t in tokens if t.end <= cue.start][-4:]
            while before and before[-1].low in _NEGATION_GAP:
                before.pop()
            if before and before[-1].low == "не" and not any(c.intent == "delete" and c.end > before[-1].start
                                                             for c in out):
                out = [c for c in out if c.end <= before[-1].start]
                out.append(Cue("delete", before[-1].start, cue.end, cue.lang))
                continue
        out.append(cue)
    return out
