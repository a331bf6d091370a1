"""Word lists the parser needs: what is filler, what is a generic word, what looks like a drug.

Kept apart from the logic so that adding a word is a one-line change that cannot break a rule.
All entries are folded (lower case, "е" for "ё").
"""

from __future__ import annotations

import re
from pathlib import Path

SEPARATOR_WORDS = frozenset({"и", "а", "and", "&", "+", "плюс", "plus", "also", "или", "or", "but", "whereas"})
"""Words that separate medications in a list ("аспирин и конкор", "metformin plus atorvastatin")."""

HEALTH_WORKER = (r"(?:врач\w*|доктор\w*|кардиолог\w*|терапевт\w*|эндокринолог\w*|невролог\w*|гематолог\w*"
                 r"|ревматолог\w*|педиатр\w*|фармацевт\w*|участков\w*|лечащ\w* врач\w*|стоматолог\w*|гинеколог\w*"
                 r"|гастроэнтеролог\w*|психиатр\w*|онколог\w*|уролог\w*|дерматолог\w*|лор|хирург\w*|эпилептолог\w*"
                 r"|нутрициолог\w*|диетолог\w*|медсестр\w*|doctor|doc|dr|gp|pharmacist|chemist|psychiatrist|oncologist"
                 r"|surgeon|dentist|gynae?c?\w*|derm|dermatologist"
                 r"|endo|endocrinologist|cardiologist|specialist|nurse|rheumatologist|consultant|neurologist|physician"
                 r"|ha?ematologist|urologist|gastroenterologist|nephrologist|pulmonologist|paediatrician|pediatrician"
                 r"|midwife|vet|нефролог\w*|пульмонолог\w*|ветеринар\w*|акушер\w*)")
"""Who tells a person what to take, as a regular-expression fragment: "…, кардиолог назначил вчера"
is who prescribed it; "в 8, врач сказал в 10" sets a second time against the first."""

MEDICINE_KIND = r"(?:мочегонн|сердечн|обезболивающ|снотворн|успокоительн|противозачаточн|гормональн)"
"""A kind of medicine said instead of its name ("сердечные", "мочегонное"), as a regular-expression
fragment: filler beside a name, and a question when a break names only the kind."""

SLIP_WORDS: frozenset[str] = frozenset("""ошиблась ошибся ошиблись ошибочка опечатка опечаталась опечатался
    извини извините прости простите сорри пардон sorry oops typo mistake my bad""".split())
"""Words about a slip ("ой, ошиблась, лозап теперь 100"): said beside a correction, never a name."""
STOP_WORDS: frozenset[str] = frozenset(
    """
    я мне меня мной мой моя мои мое моих моего моей мою моему моим свой свою свои свое своего своей ей ему
    onto into alarm alarms schema scheme схема схеме second another остаёмся остаемся неправильное неправильно неправильный неправильная неверное неверно
    i've i'm i'd i'll we've we're what which how about when where why who from
    ты вы тебя вас пожалуйста пожалуста пожалуйта пажалуйста пожайлуста плз плиз пжл пж пжлст пожалуйсто же уже еще тоже также и а но или в во на
    по с со к ко о об обо про для от до за из у при под над это этот эта эти эту этого этих его ее их
    все всё всех всего ну вот так просто да нет ладно хорошо ок окей ok давай давайте можешь можете
    можно мог могла могли бы ли не ни сегодня завтра теперь сейчас тогда ещё только лишь ровно также
    будет будут будем
    будь добр будьте добры срочно быстро снова опять обратно как какой какие какую какое что чтобы
    больше после перед через врач врачом врача доктор доктора терапевт кардиолог вчера позавчера недавно
    i me my mine myself the a an to of for about please pls plz and or at in on off with your some it
    them that this these those also too can could would you will just ok okay yes no now again today
    tomorrow is are am be my take taking just doctor prescribed by only што hey thx thanx u could ну короче
    mom mom's mum mum's mother mother's dad dad's father father's son son's daughter daughter's wife wife's
    husband husband's grandma grandma's grandpa grandpa's granny granny's his her their takes needs has
    gran gran's nan nan's nana nana's nanna grandad grandad's granddad grandmother grandfather aunt uncle papa
    чё че em fyi rn itself it's its timing timings kindly было были был сделал сделала сделали поставил up down
    глазник педиатр пульмонолог невролог эндокринолог окулист гинеколог уролог ревматолог онколог фельдшер медсестра
    gp doc pharmacist nurse consultant specialist im ive id
    поставила поставили
    значит вообще общем режим режима режиме схема схему
    схеме график графику
    """.split()
)
"""Words trimmed from the edges of a name: "мне", "пожалуйста", "про", "the", "my"."""

GENERIC_WORDS: frozenset[str] = frozenset(
    """
    лекарство лекарства лекарств лекарствах лекарству лекарством лекарствам препарат препарата препараты
    препаратов препаратом медикамент медикаменты медикаментов таблетка таблетки таблеток таблетку
    таблеткой таблетке таблетками таблеткам пилюля пилюли пилюлю пилюль все всё это его ее их всех
    medication medications medicine medicines meds med pill pills tablet tablets it them everything all
    one ones those that stuff usual то таблеточка таблеточку таблеточки таблеточек капсулка капсулку капсулки
    капелька капельку капельки пилюльку пилюлька пилюльки пилюлек таблы
    ту тот та те того той тем этот эта эту эти этой этим этих этому такую такой такие
    больнице больница больницы поликлинике поликлиника стационаре аптеке аптека hospital clinic pharmacy
    укол уколы уколов уколом укольчик инъекция инъекции инъекцию инъекций injection injections shot shots jab
    pen implant sachet антибиотики антибиотиков табл таб тбл капс antibiotics
    """.split()
)
"""Words that name no particular medication: "удали лекарство" did not say which."""

FILLER = re.compile(
    r"\b(?:"
    r"(?:with|after|before|during|at) (?:breakfast|lunch|dinner|supper)(?:,? (?:and |or )?(?:breakfast|lunch|dinner|supper))+|"
    r"(?:за|после|до|перед|во время|с|при) (?:завтрак\w*|обед\w*|ужин\w*)(?:,? (?:и |или )?(?:за |с |при )?(?:завтрак\w*|обед\w*|ужин\w*))+|"
    r"кажд(?:ый|ое|ую|ые|ый) (?:день|утро|вечер|ночь|дни|сутки)|ежедневно|ежедневный|ежедневную|"
    r"(?:\d+|один|два|три|четыре|пять|одн[ау]) (?:раз|раза) в (?:день|сутки)|раз в (?:день|сутки)|"
    r"(?:[234]|два|три|четыре) раза(?= (?:в|во) \d)|(?:twice|two times|three times|[23] times)(?= (?:at )?\d)|"
    r"дважды(?: в (?:день|сутки))?|трижды(?: в (?:день|сутки))?|"
    r"по (?:утрам|вечерам|ночам)|утром|вечером|днем|ночью|на ночь|с утра|"
    r"перед сном|после сна|натощак|на тощак|на голодный желудок|на вечер|на утро|"
    r"за (?:полчаса|час|\d+ минут|пятнадцать минут|двадцать минут|тридцать минут) до (?:еды|завтрака|обеда|ужина)|"
    r"(?:half an hour|an hour|\d+ min(?:utes|s)?) before (?:food|meals?|breakfast|lunch|dinner)|"
    r"(?:on |in |with )?(?:an? )?empty stomach|in afternoon(?: time)?|(?:for|at) (?:dinner|lunch|breakfast) ?time|"
    r"(?:for|at) (?:lunch|dinner)|dinnertime|lunchtime|"
    r"(?:после|до|перед|во время|за|при) (?:еды|едой|приема пищи|приемом пищи|завтрака|завтраком|обеда|обедом|"
    r"ужина|ужином|еде)|с едой|с (?:завтраком|обедом|ужином)|в обед|в (?:завтрак|ужин)|к (?:завтраку|обеду|ужину)|"
    r"(?:утренн|вечерн|дневн|ночн)\w*|"
    r"(?:прием|приема|приемы|приемов|приему)(?: пищи)?|напоминани\w*|напоминалк\w*|постоянно|всегда|"
    r"спасибо|благодарю|привет|здравствуй(?:те)?|добр(?:ое|ый) (?:утро|день|вечер)|доброй ночи|спокойной ночи|"
    r"good (?:morning|afternoon|evening|night)|"
    # openers, interjections and the people around the patient: never part of a name
    r"ой(?:-ой| ой)?|упс|блин|эх|ну|короче|значит так|значит|слушай(?:те)?|смотри(?:те)?|в общем|итак|кстати|"
    r"будь добр(?:а|ы)?|будьте добры|плиз|доченька|дочка|внучок|внученька|внучка|сынок|ботик|бот|так вот|"
    r"пиши|записывай|запомни(?:те)?|мне надо не забыть|не забыть|ошибочка вышла|ошибочка|"
    r"мам[аеуы]|маме|мамин\w*|бабе|деду|бабуле|дедуле|папе|внуку|внучке|свекрови|т[её]ще|надо|нужно|ладно|пап[аеуы]|бабушк\w*|бабул\w*|дедушк\w*|мужу|жене|сыну|дочке|дочери|ребенку|"
    r"(?:my |our )?(?:mom|mum|mother|dad|father|grandma|grandpa|granny|gran|nan|nana|nanna|grandad|granddad|"
    r"grandmother|grandfather|aunt|uncle|papa|wife|husband|son|daughter)(?:'s)?|"
    r"oops|um+|uh+|hey|ok so|okay so|so|well|already|a little|little|tiny|hi there|yep|yeah|yup|ага|угу|обе|оба|обеих|both|"
    r"хочу|хотела?|нужно бы|надо бы|можешь|можете|ты можешь|могу ли я|еще|тоже|также|вместе|together|as well|теперь еще|который|которая|"
    r"которые|которое|совсем|вообще|wants me on|put me on|has me on|started me on|i need to take|i also take|"
    r"could you|can you|would you|will you|can ya|could ya|would ya|i'?d like to|i would like to|the one|(?:to be|should be|must be|is to be) taken|"
    r"под язык|рассасывать|sublingually|under (?:the|my) tongue|как (?:надо|положено|обычно|всегда)|as usual|"
    r"(?:wrong one|my mistake|by mistake|случайно нажала?|случайно|не то (?:записал[аи]?|написал[аи]?|продиктовал[аи]?))|"
    r"(?:my |the |her |his )?(?:heart |family |new )?(?:doctor|doc|dr|cardiologist|gp|nurse|rheumatologist|neurologist"
    r"|endocrinologist|oncologist|psychiatrist|specialist|consultant|physician|urologist|nephrologist|dentist|pharmacist"
    r"|surgeon|pediatrician|paediatrician|midwife|vet)(?:'s)?"
    r"(?: (?:wants me on|put me on|has me on|says|said|told me to take|prescribed|started me on))?|"
    r"(?:мне )?(?:врач|доктор|кардиолог|терапевт|невролог|эндокринолог)(?: (?:сказал[аи]?|велел[аи]?))?|"
    r"спс|спсибо|спасибки|пасиб\w*|"
    r"every (?:day|morning|evening|night)|each (?:day|morning|evening|night)|daily|"
    r"(?:once|twice|thrice|(?:\d+|one|two|three|four) times) (?:a|per) day|\d ?x (?:a|per) day|\d ?x daily|(?:twice|thrice) daily|"
    r"(?:twice|thrice|дважды|трижды)(?= ?[,.;]| \d| (?:в|at) \d)|"
    r"in the (?:morning|evening|afternoon)|at (?:night|bedtime)|before (?:bed|bedtime|sleep)|tonight|"
    r"(?:in the )?mornings|(?:in the )?evenings|first thing(?: in the morning)?|in the arvo|"
    r"(?:with|after|before|during) (?:(?:my|his|her|the|our|their|your) )?(?:food|meals?|breakfast|lunch|dinner|supper)|on an empty stomach|"
    r"at (?:breakfast|lunch|dinner|supper)(?:time)?|"
    r"(?:мне|ему|ей|маме|папе)? ?\d{2,3} (?:лет|года)|i'?m \d{2,3}(?: years old)?|"
    r"i'?m on|i am on|i'?ve been on|"
    r"(?:once|twice|three times|four times|дважды|трижды|(?:два|три|четыре|2|3|4) раза)(?= ?[:,]| (?:в|at) \d)|"
    rf"{MEDICINE_KIND}\w*|"
    r"any ?more|reminders?|thanks|thank you|hello|hi|please|"
    r"(?:this|every) (?:morning|evening|afternoon)|yesterday|"
    r"morning|evening|afternoon|night|bedtime|"
    r"(?:этим|вчера) (?:утром|вечером|днем)|вчера"
    r")\b"
)
"""Phrases that are neither a name, nor a time, nor a dosage: how often, with what, politeness."""

PERIOD_WORDS = re.compile(
    r"\b(?:утренн|вечерн|дневн|ночн)\w*|\b(?:утром|вечером|днем|ночью|на ночь|перед сном)\b"
    r"|\b(?:morning|evening|afternoon|night|bedtime)\b"
)
"""Times of day without a clock time: in a delete or a time change they leave it unclear which."""

MED_WORDS: frozenset[str] = frozenset(
    """
    вит витамин витамины аспирин ибупрофен парацетамол цетиризин омепразол метформин анальгин валидол корвалол валокордин
    глицин мезим фестал нурофен нимесил найз кеторол кетонал диклофенак вольтарен но-шпа ношпа дротаверин
    лоратадин супрастин зиртек эриус кларитин тавегил амоксициллин азитромицин сумамед флемоксин
    аугментин ципрофлоксацин левофлоксацин арбидол ингавирин кагоцел эргоферон анаферон терафлю колдрекс
    лизиноприл эналаприл каптоприл лозартан валсартан амлодипин бисопролол метопролол конкор небилет
    индапамид гипотиазид фуросемид верошпирон спиронолактон аторвастатин розувастатин симвастатин
    кардиомагнил тромбо-асс варфарин ксарелто эликвис клопидогрел инсулин левотироксин эутирокс
    l-тироксин тироксин йодомарин метипред преднизолон дексаметазон омез нольпаза пантопразол
    де-нол гевискон ренни маалокс смекта энтеросгель полисорб уголь лоперамид имодиум линекс бифиформ
    мелатонин афобазол фенибут персен новопассит глицин пустырник валериана магний кальций калий железо
    цинк селен йод витамин витамины омега омега-3 коэнзим q10 карнитин l-карнитин фолиевая кислота
    аскорбинка аскорбиновая рыбий жир сироп спрей капли мазь крем гель свечи суппозиторий ингалятор
    сальбутамол беродуал пульмикорт будесонид монтелукаст амброксол лазолван бромгексин ацц
    ацетилцистеин мукалтин синупрет називин отривин снуп аквамарис визин тауфон ксалатан
    метронидазол флуконазол ацикловир валацикловир трамадол габапентин прегабалин лирика карбамазепин
    вальпроат депакин ламотриджин леветирацетам кеппра сертралин флуоксетин эсциталопрам пароксетин
    амитриптилин кветиапин галоперидол феназепам донепезил мемантин силденафил тамсулозин финастерид
    аллопуринол колхицин глюкофаж сиофор диабетон гликлазид джардинс форсига трулисити оземпик
    дюфастон утрожестан ярина джес регулон ацетаминофен тайленол адвил мотрин алеве напроксен
    пробиотик пребиотик биотин ферритин
    aspirin ibuprofen paracetamol acetaminophen tylenol advil motrin aleve naproxen cetirizine zyrtec
    loratadine claritin omeprazole prilosec metformin insulin levothyroxine synthroid lisinopril
    amlodipine losartan atorvastatin lipitor simvastatin rosuvastatin metoprolol warfarin eliquis
    xarelto clopidogrel plavix gabapentin sertraline zoloft fluoxetine prozac melatonin magnesium
    calcium zinc iron potassium vitamin vitamins omega omega-3 coq10 biotin probiotic antibiotic
    amoxicillin azithromycin prednisone albuterol inhaler nurofen ibuprofen lasix furosemide
    fish syrup drops spray ointment cream supplement supplements multivitamin folic collagen
    """.split()
)
"""Words that make a name look like a medication when no command word says so."""


def _vocabulary() -> frozenset[str]:
    """Medication names sold in Russia and in English-speaking countries (medbot/data): a name
    among them is a medication even when a dictionary knows the word ("креон", "анаприлин")."""
    path = Path(__file__).resolve().parents[2] / "data" / "medications.txt"
    try:
        lines = path.read_text(encoding="utf-8").split()
    except OSError:
        return frozenset()
    return frozenset(line.strip().lower().replace("ё", "е") for line in lines if line.strip())


MED_WORDS = MED_WORDS | _vocabulary()

MED_SUFFIXES: tuple[str, ...] = (
    "ин", "ол", "ам", "ид", "ат", "он", "ен", "ил", "екс", "окс", "зол", "прил", "тан", "фен", "мин",
    "ацин", "цин", "лин", "ум", "ус",
    "in", "ol", "ine", "ide", "ate", "am", "an", "one", "il", "ex", "en", "ium", "pril", "sartan",
    "statin", "mab", "zole", "cillin", "mycin", "cycline", "pine", "lol", "tide",
)
"""Endings of drug names, used only for words the dictionary does not know."""

NON_MED_WORDS: frozenset[str] = frozenset(
    """
    кофе чай чаю чая воду вода воды сок сока пиво пива вино вина молоко молока кефир душ ванну ванна
    обед ужин завтрак еда еду пиццу пицца маме маму папе папу врачу врач собаку кошку такси автобус
    coffee tea water juice beer wine milk shower bath bus train taxi dog cat lunch dinner breakfast
    pizza mom dad doctor car kids children nap walk
    """.split()
)
"""Everyday things people also "take" or "drink": "пью кофе в 8" is not a medication."""

ENGLISH_VERBS: frozenset[str] = frozenset(
    """
    call buy go pick meet order walk feed pay eat cook clean wash send write read watch play visit
    book check water drive bring get make do say tell ask ignore forget delete kill hack drop run
    """.split()
)
"""English verbs that never belong in a medication name ("remind me to call mom")."""

NAME_CONTEXT_WORDS: frozenset[str] = frozenset(
    """
    кислота аскорбиновая аскорбиновый фолиевая фолиевый ацетилсалициловая ацетилсалициловый жир рыбий
    активированный уголь группа глазной ушной назальный детский шипучий жевательный растворимый ночной дневной капли капля нос глаза глаз уши ухо давление
    давления сердце сердца горло горла кашель кашля сон сна боль боли голова головы желудок желудка живот
    живота аллергия аллергии мазь крем гель спрей сироп назальный назальные глазные ушные детский детские
    детская шипучие шипучий жевательные растворимый порошок раствор суспензия пластырь ингалятор капсулы
    форте кардио ретард плюс макс лонг нео экспресс актив комплекс мите лайт железо кальций магний цинк калий
    зок мв мр ср сд дуо тева рихтер канон xl xr sr cr er la od cd mr xl dr ec hct duo forte retard plus max
    eye eyes ear ears nose nasal drops syrup cough pills pill iron oil acid folic sleep pain allergy heart
    blood pressure cream gel spray ointment childrens kids baby chewable extra strength forte cardio retard
    plus max long neo express active complex mite light junior xr er sr xl cr la od dr liquid tablets
    capsules gummies gummy chewables powder solution patch
    """.split()
)
"""Words that belong in a longer medication name ("рыбий жир", "eye drops", "нурофен форте")."""

PAUSE_CONTEXT_WORDS: frozenset[str] = frozenset(
    """
    отпуск отпуске отпуска командировка командировке командировку дача даче дачу поездка поездке поездку
    больница больнице больницу санаторий санатории гости гостях праздники праздники выходной отдых отдыхе
    vacation holiday holidays trip travel travelling traveling hospital away
    ничего ничем всем всех все всё лекарствам таблеткам препаратам напоминаниям напоминаний напоминания таблеток
    лекарств all everything anything any meds medications pills reminders my the of от while i'm im i am away gone
    don't dont want pings notifications alerts messages buzz уезжаю уезжаем уеду улетаю улетаем еду едем
    он она они he she they he's she's they're будет будут лежит лежать ложусь ложится пропускаю пропущу going leaving
    told said says doctor doc due sister's brother's mum's mom's dad's daughter's son's friend's gran's nan's parents'
    сестры брата мамы папы дочки дочери сына подруги друга родителей друзей бабушки дедушки
    """.split()
)
"""Why a person pauses ("я в отпуске"): context, not a medication to pause."""
