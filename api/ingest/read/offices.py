"""Offices written beside a name, before it ("Kazakh President Nurlan Abenov", "the
Minister of Foreign Affairs of Georgia, Levan Kobakhidze") or after it ("Almazbek
Toktogulov, President of the Kyrgyz Republic"): the office's title and its country.

``office`` sets ``title``, ``country`` and ``role_span`` on a mention (any object with
``start``, ``end``, ``title``, ``country`` and ``role_span``)."""

from __future__ import annotations

import dataclasses
import re

from api.ingest.read import countries

# A word qualifying an office ("petroleum minister"), never a function word ("in Baku by").
# A ministry's portfolio written before a name ("Minister of Tourism Ana Ruiz" tagged
# from "Tourism"): never the start of a name.
PORTFOLIOS = {"tourism", "integration", "cooperation", "culture", "investment", "industry",
              "labour", "labor", "environment", "information", "communications", "planning",
              "development", "youth", "sports", "sport", "women", "fisheries", "mines",
              "works", "housing", "water", "transport", "arts", "science", "technology",
              "regional", "international", "national", "home", "economic", "commerce",
              "agriculture", "health", "education", "justice", "security", "diaspora", "law",
              "legal", "manpower", "european", "research", "marine", "resources", "forestry",
              "natural", "ecology", "infrastructure", "affairs", "digital", "transformation"}
# Ranks written between an office and a name ("Lt. Gen (Retd)"), never a first name.
_PORTFOLIO_HEADS = {"defence", "defense", "foreign", "trade", "finance", "energy", "interior",
                    "economy", "petroleum", "oil", "mining", "commerce", "labour"}
RANKS = {"lt", "gen", "general", "maj", "major", "col", "colonel", "brig", "brigadier", "adm",
         "admiral", "senator", "captain", "capt"}
_QUALIFIER = (
    r"(?!(?:by|of|the|and|in|at|to|with|for|from|on|his|her|their|its|a|an|was|were|is|are|"
    r"when|then|former|that|who|as|thank|thanks|thanked|met|meets|told|tells|said|says|"
    r"welcomed|welcomes|received|receives|invited|invites|called|urged|praised|congratulated|"
    r"asked|visited|accompanied|joined|hosted|greeted|briefed|personally|included|including|"
    r"namely)\b)[a-z]+"
)
OFFICE = (
    r"(?:(?:deputy|vice|acting|interim|first|former|then|outgoing|incoming)[\s-]+)*"
    r"(?:prime\s+ministers?|premier|presidents?|chancellor|king|queen|emir|crown\s+prince|"
    r"foreign\s+minister|foreign\s+secretary|secretary\s+of\s+state|secretary[-\s]general|"
    r"ambassador|envoy|high\s+commissioner|army\s+chief|chief\s+of\s+army\s+staff|governor|"
    rf"(?:{_QUALIFIER}\s+){{0,2}}ministers?(?:\s+(?:of|for)\s+[a-z]+(?:\s+affairs)?)?|"
    rf"(?:{_QUALIFIER}\s+)?secretary|spokes(?:man|woman|person)|counterpart|leader|head\s+of\s+state)"
)
# forms of address between an office and a name: "Prime Minister the Most Hon. A",
# "Senator the Hon. B", "H.E Mr. C"
_ADDRESS = (r"(?:(?:Dr|H\.\s?E|Hon|Mr|Mrs|Ms|Prof|Sheikh|Lyonchhen|Excellency|His|Her|Datuk|"
            r"Dato['’]?|Seri|Sri|Tan(?=\s+Sri)|Tun|Tunku|Tengku|Haji|the|Most|Right|Rt|"
            r"Senator|Lt|Gen|Maj|Col|Brig|Adm|\(Retd\)|\(R\))\.?\s+)*")  # ranks: "Lt. Gen (Retd)"
# An office before a name: "Russian Prime Minister Vladimir Putin", "then president Yahya",
# "his Pakistani counterpart Yousaf Raza Gilani".
_OFFICE_BEFORE = re.compile(
    rf"(?<![\w-])(?:(?P<owner>(?!(?:Prime|Vice|Deputy|Acting|First)\b)(?-i:[A-Z])[\w-]+)"
    rf"(?:’s|'s)?[ \t]+)?(?:then[\s-]+|former\s+)?(?P<title>{OFFICE})"
    r"(?:\s+of\s+(?:the\s+)?(?:two|both)\s+(?:countries|nations|sides))?,?[ \t]+"  # "Prime
    rf"(?-i:{_ADDRESS})$",  # Ministers of the two countries, A and B"; "counterpart, Dr. the Hon."
    re.I,
)
# An office after a name: "Vladimir Putin, the Russian prime minister,".
_OFFICE_AFTER = re.compile(
    rf"^,\s+(?:the\s+|then\s+|a\s+)?(?:(?P<owner>[A-Z][\w-]+)(?:’s|'s)?\s+)?(?P<title>{OFFICE})\b",
    re.I,
)
HEADS = ("president", "king", "queen", "emir", "head of state", "crown prince")


def title_case(title: str) -> str:
    words = re.sub(r"\s+", " ", title.strip()).split(" ")
    words = [w for w in words if w.lower() not in ("then", "former")]
    while len(words) > 1 and words[0].lower().rstrip(".") in ("his", "her", "excellency", "h.e",
                                                             "hon", "the", "visiting", "dr"):
        words = words[1:]  # "His Excellency President": the office is "President"
    if words and words[-1].lower() in ("ministers", "presidents", "secretaries"):
        words[-1] = words[-1][:-1] if not words[-1].lower().endswith("ies") else \
            words[-1][:-3] + "y"
    small = {"of", "for", "and", "the", "to"}
    return " ".join(w.lower() if w.lower() in small else w.capitalize() for w in words)


def split_owner(owner: str | None, title: str) -> tuple[str | None, str]:
    """The country an office belongs to and the bare office: "Russian Prime Minister" is
    RU's "Prime Minister"; "Pakistan’s petroleum minister" PK's "Petroleum Minister"."""
    country = None
    if owner:
        hit = countries.lookup(owner.removesuffix("’s").removesuffix("'s"))
        country = hit[0] if hit else None
        if hit is None and owner.lower() in PORTFOLIOS | _PORTFOLIO_HEADS:
            title = f"{owner} {title}"  # "Defence Minister": the owner word is the office's
    words = title.split()
    while words:
        hit = countries.lookup(words[0].removesuffix("’s").removesuffix("'s"))
        if not hit:
            break
        country = country or hit[0]
        words = words[1:]
    return country, title_case(" ".join(words))


_HEAD = (r"(?:Prime\s+Minister|PM|Head\s+of\s+(?:State|Government)|Crown\s+Prince|"
         r"High\s+Commissioner|"
         r"Vice[-\s]President|President|Minister|Secretary|Undersecretary|Under-Secretary|"
         r"Ambassador|Chancellor|Premier|King|Queen|Amir|Emir|Governor|Director|Chairman|"
         r"Chairwoman|Chairperson|Commissioner|Envoy|Spokes(?:man|woman|person)|Speaker|Mayor|"
         r"[Mm]inister|[Pp]resident|[Aa]mbassador|[Ss]ecretary|[Pp]arliamentary\s+chief|"
         r"(?:Chief\s+)?Advis[eo]r|Rector|Chief\s+of\s+Staff|Chief\s+Executive\s+Officer(?:\s+\(CEO\))?|CEO|"
         r"[Hh]ead\s+of\s+[Ss]tate|[Rr]uler)")
_OWNER = r"(?:(?P<owner>[A-Z][\w-]+(?:[ \t]+[A-Z][\w-]+)?(?:’s|'s)?)[ \t]+)?"  # one line
_STEM = (r"(?:(?:Deputy|Vice|Acting|Interim|First|Senior|State|Cabinet|Joint|Permanent|Managing|"
         r"Executive|Chief|Foreign|Finance|Trade|Defen[cs]e|Interior|Energy|Economy|Special|"
         r"deputy|foreign|finance|trade|defen[cs]e|energy|economy|special|new|former|then|"
         r"outgoing|incoming|visiting)\s+)*")
# the office's own words after its head: "of Foreign Affairs and Trade of Hungary",
# "for Foreign and Diaspora Affairs", "of Production, Foreign Trade, Investment and Fisheries"
_TAIL = (r"(?:[- ]General)?(?:\s+(?:of|for|to)\s+(?:(?:the|and|of|for|to|,)\s*|"
         r"[A-Z][\w’'-]*+\s*)+)?")  # possessive: capitals in a row must not backtrack
_PHRASE_BEFORE = re.compile(rf"(?<![\w-]){_OWNER}(?P<phrase>{_STEM}{_HEAD}{_TAIL}?)[ \t]*,?[ \t]*"
                            rf"{_ADDRESS}$")
_PHRASE_AFTER = re.compile(
    rf"^\s*,\s*(?:the\s+|then\s+|a\s+)?{_OWNER}(?P<phrase>{_STEM}{_HEAD}(?:[- ]General)?"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?(?:(?:and|of|the|for)\s+|"
    rf"[A-Z][\w’'-]*+(?:,\s+(?=[A-Z]))?\s*)+)?)")


ADDRESS_WORDS = {"dr", "h.e", "h. e", "hon", "mr", "mrs", "ms", "prof", "sheikh", "lyonchhen",
                  "senator", "most", "rt",
                  "excellency", "his", "her", "datuk", "dato", "dato'", "seri", "sri", "tun",
                  "tunku", "tengku", "haji"}
_STATE_FORM = re.compile(r"^(?:the\s+)?(?:[A-Z][\w-]+\s+)*(?:Republic|Kingdom|State|Federation|"
                         r"Emirate|Sultanate|Commonwealth|Principality|Union|Confederation)$")


def read_office(owner: str | None, phrase: str) -> tuple[str | None, str]:
    """The country and the bare office of a written office: "Prime Minister of the Kingdom
    of Bhutan" is BT's "Prime Minister"; "Qatar's Minister of State for Foreign Affairs" is
    QA's; "Minister of Foreign Affairs and Trade of Hungary" is HU's "Minister of Foreign
    Affairs and Trade"."""
    words = " ".join(phrase.replace(",", " , ").split()).split(" ")
    while words and (words[-1] in (",", "the") or words[-1].lower().rstrip(".") in ADDRESS_WORDS):
        words.pop()  # "..., Senator the" before "Hon. Kamina Johnson Smith"
    phrase = " ".join(words).replace(" , ", ", ")
    owner = re.sub(r"^(?:The|A|An|His|Her|Their|Its)(?:\s+|$)", "", owner or "") or None
    if owner and not countries.lookup(owner.removesuffix("’s").removesuffix("'s")):
        phrase, owner = f"{owner} {phrase}", None  # "Prime", "Cabinet", "NEA" belong to it
    # "visiting", "new": how the holder stands, not the office
    phrase = re.sub(r"^(?:(?:the|visiting|new|then|outgoing|incoming|his|her|excellency|h\.\s?e\.|"
                    r"hon\.?)\s+)+", "", phrase, flags=re.I)
    phrase = re.sub(r"\bPM\b", "Prime Minister", phrase)
    phrase = re.sub(r"\s*\([A-Z]{2,6}\)", "", phrase)  # "Chief Executive Officer (CEO)"
    # "Ambassador of China to Samoa": China's; Samoa is where the office is held (but an
    # "Ambassador to the United Nations" or "Adviser to the Prime Minister" keeps it)
    posted = re.search(r"\s+to\s+(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)$", phrase)
    if posted and countries.lookup(posted.group(1)) and " of " in phrase[: posted.start()]:
        phrase = phrase[: posted.start()]
    country, title = split_owner(owner, phrase)
    parts = re.split(r"\s+of\s+", title)
    for whole in (True, False):
        for i in range(1, len(parts)) if whole else range(len(parts) - 1, 0, -1):
            tail = " of ".join(parts[i:])
            if not (tail[:1].isupper() or tail.startswith("the ")):
                continue
            hit = countries.lookup(tail) if whole else countries.lookup(tail.split()[-1])
            if hit:
                while i > 1 and _STATE_FORM.match(parts[i - 1]):
                    i -= 1  # "of the Kingdom of Bhutan" names the state, not the office
                return country or hit[0], title_case(" of ".join(parts[:i]))
    if country is None and len(parts) > 1:  # "CEO of Turkish Aerospace Industries": a
        hit = countries.lookup(parts[-1].split()[0])  # body of that country
        country = hit[0] if hit else None
    return country, title_case(title)


def _office_by_phrase(mention, text: str) -> bool:
    before = text[max(0, mention.start - 160) : mention.start]
    heads = list(re.finditer(_HEAD, before))
    for head in reversed(heads):  # the office nearest the name whose words run up to it
        start = max(0, head.start() - 40)
        match = _PHRASE_BEFORE.search(before, start)
        if match and match.start() <= head.start() < match.end("phrase"):
            country, title = read_office(match.group("owner"), match.group("phrase"))
            if title:
                mention.title, mention.country = title, mention.country or country
                a = match.start("owner") if match.group("owner") and country else \
                    match.start("phrase")
                mention.role_span = (mention.start - len(before) + a, mention.end)
                return True
            break
    match = _PHRASE_AFTER.match(text[mention.end : mention.end + 160])
    if match:
        country, title = read_office(match.group("owner"), match.group("phrase"))
        if title:
            mention.title, mention.country = title, mention.country or country
            mention.role_span = (mention.start, mention.end + match.end("phrase"))
            return True
    return False


def office(mention, text: str) -> None:
    """Set the office and country written beside a name (before it, or after a comma)."""
    _office_by_regex(mention, text)
    if mention.country is None and mention.title:
        _country_after(mention, text)
    if mention.country is None:
        phrase = dataclasses.replace(mention, title=None, country=None, role_span=None)
        if _office_by_phrase(phrase, text) and (phrase.country or not mention.title):
            mention.title, mention.country = phrase.title, phrase.country
            mention.role_span = phrase.role_span


_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})")


def _country_after(mention, text: str) -> None:
    """"President Frank Weber of Germany": the office's country after the name."""
    of = _OF_COUNTRY.match(text, mention.end)
    hit = countries.lookup(of.group(1)) if of else None
    if hit:
        mention.country = hit[0]
        start = mention.role_span[0] if mention.role_span else mention.start
        mention.role_span = (start, of.end())


def _office_by_regex(mention, text: str) -> None:
    before = text[max(0, mention.start - 80) : mention.start]
    match = _OFFICE_BEFORE.search(before)
    if match:
        country, title = split_owner(match.group("owner"), match.group("title"))
        if not title:
            return
        mention.title, mention.country = title, country
        owner_start = match.start("owner") if match.group("owner") else match.start("title")
        start = match.start("title")
        owner = match.group("owner")
        if owner and (countries.lookup(owner) or owner.lower() in _POSSESSIVES):
            start = owner_start
        mention.role_span = (mention.start - len(before) + start, mention.end)
        return
    match = _APPOSED.search(before)
    if match:
        country = countries.lookup(match.group("of") or "") or countries.lookup(
            match.group("owner") or "")
        mention.title = title_case(match.group("title"))
        mention.country = country[0] if isinstance(country, tuple) else country
        mention.role_span = (mention.start - len(before) + match.start(), mention.end)
        return
    after = text[mention.end : mention.end + 80]
    match = _OFFICE_AFTER.search(after)
    if match:
        country, title = split_owner(match.group("owner"), match.group("title"))
        if not title:
            return
        mention.title, mention.country = title, country
        mention.role_span = (mention.start, mention.end + match.end())


_POSSESSIVES = ("his", "her", "their", "its")
# "the Minister of Foreign Affairs of Georgia, Levan Javakhishvili": an office, a comma, the name
_APPOSED = re.compile(
    r"(?:\b(?P<owner>[A-Z][\w’'-]+)(?:’s|'s)?\s+)?(?:the\s+)?(?P<title>(?:(?:Deputy|Vice|Prime|"
    r"Foreign|Finance|Trade|Defen[cs]e|Interior|First|Senior|State|Chief|Crown|Executive)\s+)*"
    r"(?:Minister|President|Speaker|Secretary|Ambassador|Governor|Chancellor|Premier|Prince|"
    r"King|Amir|Emir|Chairman|Chairwoman|Chair|Director|Commissioner|Envoy|Head|Mayor|Consul)"
    r"(?:[- ]General)?(?:\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w’'-]*|and|of|the)"
    r"(?:\s+(?:and|of|the|[A-Z][\w’'-]*))*?)?)(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?))?"
    r"\s*,\s*$")
