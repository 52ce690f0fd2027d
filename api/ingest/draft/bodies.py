"""Whether a capitalised phrase the parser tags as an organization names one where the
text writes it: not the page's chrome (menus, share bars, photo credits, the wire's
dateline, the publisher's own name), not an office ("External Affairs Minister"), a person,
an agreement's subject ("in the field of Fisheries & Aquaculture"), an event, a work or a
measure, and not a generic abbreviation ("MoU", "ICT")."""

from __future__ import annotations

import re

from api.domain.names import key
from api.ingest.read import countries

# Words that make a phrase an institution's name ("Bank", "Authority", "Institute").
KIND = re.compile(
    r"\b(?:Organi[sz]ations?|Union|Council|Bank|Fund|Forum|Association|Alliance|Community|"
    r"Agency|Nations|Conference|Commission|Court|Tribunal|Authority|Institute|Institution|"
    r"Instituto|University|College|School|Academy|Cent(?:er|re)|Bureau|Office|Department|"
    r"Ministry|Company|Corporation|Corp|Group|Holdings?|Airlines?|Airways|Committee|"
    r"Service|Board|Chamber|Mission|Army|Corps|Forces|Party|Front|Society|Foundation|"
    r"Trust|Federation|Confederation|Secretariat|Patriarchate|Church|Market|Exchange|"
    r"Limited|Ltd|Inc|PLC|LLC|Bloc|Network|Observatory|Laboratory|Administration|"
    r"Directorate|Inspectorate|Police|Guard|Navy)\b")

# International bodies news names by their acronym alone, with their names in full.
WELL_KNOWN = {
    "ADB": "Asian Development Bank", "AfDB": "African Development Bank",
    "AIIB": "Asian Infrastructure Investment Bank", "APEC": "Asia-Pacific Economic Cooperation",
    "ASEAN": "Association of Southeast Asian Nations", "AU": "African Union",
    "CARICOM": "Caribbean Community", "CELAC": "Community of Latin American and Caribbean States",
    "CIS": "Commonwealth of Independent States", "COMESA": "Common Market for Eastern and "
    "Southern Africa", "CSTO": "Collective Security Treaty Organization",
    "EAC": "East African Community", "EAEU": "Eurasian Economic Union",
    "EBRD": "European Bank for Reconstruction and Development",
    "ECOWAS": "Economic Community of West African States", "EU": "European Union",
    "GCC": "Gulf Cooperation Council", "IAEA": "International Atomic Energy Agency",
    "ICJ": "International Court of Justice", "IGAD": "Intergovernmental Authority on "
    "Development", "IMF": "International Monetary Fund", "NATO": "North Atlantic Treaty "
    "Organization", "OAS": "Organization of American States", "OECD": "Organisation for "
    "Economic Co-operation and Development", "OIC": "Organisation of Islamic Cooperation",
    "OPEC": "Organization of the Petroleum Exporting Countries", "OSCE": "Organization for "
    "Security and Co-operation in Europe", "SAARC": "South Asian Association for Regional "
    "Cooperation", "SADC": "Southern African Development Community",
    "SCO": "Shanghai Cooperation Organisation", "UN": "United Nations",
    "UNGA": "United Nations General Assembly", "UNSC": "United Nations Security Council",
    "WHO": "World Health Organization", "WTO": "World Trade Organization",
}

_BY_NAME = {name: acronym for acronym, name in WELL_KNOWN.items()}
_BY_ACRONYM = {acronym.lower(): acronym for acronym in WELL_KNOWN}
# in full or by acronym ("Asean" too), but not inside a longer name ("UN Security Council")
_WELL_KNOWN = re.compile(
    r"(?<![\w-])(?P<name>" + "|".join(re.escape(n) for n in sorted(
        WELL_KNOWN.values(), key=len, reverse=True)) + r")(?![\w-])(?!\s+[A-Z])"
    r"|(?<!\w)(?P<acronym>" + "|".join(sorted(
        {a for a in WELL_KNOWN} | {a.capitalize() for a in WELL_KNOWN if len(a) >= 4},
        key=len, reverse=True)) + r")(?!\w)(?!\s+[A-Z])")
_NAME_OF = re.compile(r"[A-Z][\w’'-]*\s+of\s+(?:the\s+)?$")  # "Council of the EU"


def well_known(text: str) -> list[tuple[str, str, int, int]]:
    """The well-known bodies a text names, in full or by acronym ("Asean", "EU-NATO"):
    (full name, acronym, start, end)."""
    found = []
    for match in _WELL_KNOWN.finditer(text):
        if match.group("name"):
            name = match.group("name")
            acronym = _BY_NAME[name]
        elif _NAME_OF.search(text, 0, match.start()):
            continue
        else:
            acronym = _BY_ACRONYM[match.group("acronym").lower()]
            name = WELL_KNOWN[acronym]
        found.append((name, acronym, match.start(), match.end()))
    return found


# Abbreviations of things, not of bodies.
_GENERIC = {
    "MOU", "MOUS", "MOC", "MOA", "LOI", "FTA", "FTAS", "ICT", "IT", "GDP", "GNP", "FDI",
    "CEO", "CEOS", "VAT", "SME", "SMES", "PPP", "LNG", "LPG", "FOC", "JWG", "COVID", "AI",
    "EV", "EVS", "VIP", "FY", "QR", "PDF", "HQ", "IDS", "ID", "OTT",
}
_UNITS = {"MW", "GW", "KW", "MWH", "GWH", "TWH", "KV", "KM", "BCM", "TCM", "MT", "BPD"}
_OFFICE = re.compile(
    r"\b(?:President|Pres|Vice|Prime|Minister|Premier|Chancellor|King|Queen|Emir|Amir|"
    r"Sheikh|Prince|Princess|Ambassador|Secretary|Governor|Mayor|Senator|Spokes(?:man|woman|"
    r"person)|Deputy|Chairman|Chairwoman|Mr|Mrs|Ms|Dr|H\.?E)\b\.?")
_OFFICE_AFTER = re.compile(
    r"^\s*(?:Minister|Secretary|Spokes(?:man|woman|person)|Chief|Director|Adviser|Advisor|"
    r"Commissioner)\b")
# A lower-case noun after the name makes it a modifier of a thing: "the X programme".
_THING_AFTER = re.compile(
    r"^\s*(?:programmes?|programs?|projects?|schemes?|meetings?|sessions?|pipelines?|"
    r"corridors?|rivers?|highways?|railways?|equipment|hydropower|plants?|scholarships?|"
    r"visas?|cards?|app|accounts?|platforms?|brand)\b")
# Names of events, works, places and things that read like names of bodies.
_NOT_A_BODY_END = re.compile(
    r"\b(?:Celebrations?|Anniversary|Festival|Games|Cup|Expo|Week|Day|Consultations?|Talks|"
    r"Dialogue|Project|Projects|Corridor|Highway|Pipeline|Railway|Interconnector|Canal|Dam|"
    r"Tunnel|Terminal|Cabinet|Solutions?|Initiative\s+Programme|Embassy|Consulate|"
    r"High\s+Commission|Visit)$")
_EMBASSY = re.compile(r"\b(?:Embassy|Embassies|Consulate|High\s+Commission)\b")
_CONNECTOR_END = re.compile(r"\s+(?:of|for|and|the|on|in|de|du|des|&|to|with)$", re.I)
# "in the field of Fisheries & Aquaculture", "in the areas of Trade, Health and Culture"
_FIELD_BEFORE = re.compile(
    r"\b(?:fields?|areas?|spheres?|sectors?|domains?)\s+of\s+"
    r"(?:[A-Z][\w’'&-]*|of|and|the|&|,|\s)*$", re.I)
_AGREEMENT_WORD = re.compile(
    r"\b(?:Agreements?|Treat(?:y|ies)|Conventions?|Memorand(?:um|a)(?:\s+of\s+Understanding)?|"
    r"MoUs?|MOUs?|Protocols?|Accords?|Arrangements?|Declarations?|Programmes?|Programs?|"
    r"Plans?|Charter|Contracts?)\b")
# What may sit between an agreement's word and its subject: capitalised words, numbers.
_TITLE_WORDS = re.compile(
    r"^(?:\s+|[A-Z][\w’'&-]*|\d[\d,.]*|of|on|in|for|and|the|between|to|from|with|&)*$")
_SOCIAL = re.compile(r"\b(?:Facebook|Twitter|WhatsApp|Telegram|Instagram|LinkedIn|YouTube|"
                     r"TikTok|Google\s+News|Viber|Threads)\b", re.I)
_CHROME = re.compile(
    r"^\s*(?:share(?:\s+this)?|follow\s+(?:us|\w+\s+on)|subscribe|discover\s+more|sign\s+up|"
    r"stay\s+(?:current|updated|connected|informed)|download|join\s+(?:us|our)|like\s+us|"
    r"copyright|©|all\s+rights|tags?\s*:|read\s+(?:more|also)|also\s+read|related)\b",
    re.I)


def chrome(sentence: str) -> bool:
    """A line of the page rather than the story: a share bar, a "follow us on" line, a menu
    of items between bars."""
    return bool(_CHROME.match(sentence) or len(_SOCIAL.findall(sentence)) >= 2
                or sentence.count("|") >= 2 or re.search(r"\bfollow\b.*\bon\b.*"
                                                         + _SOCIAL.pattern, sentence, re.I))


def generic(name: str) -> bool:
    return key(name).upper().replace(" ", "") in _GENERIC or name.upper() in _GENERIC


def publisher(name: str, document: dict) -> bool:
    """The site's or the wire's own name ("The Daily Example", "Example News")."""
    own = re.sub(r"^the\s+", "", document.get("publisher") or "", flags=re.I)
    return bool(own) and key(re.sub(r"^the\s+", "", name, flags=re.I)) == key(own)


def credit(text: str, start: int, end: int) -> bool:
    """The wire's name in its dateline ("PARIS, May 4 (Example Wire) -"), a photo credit
    ("(Example pic)", "Photo: Example"), a time zone after a time ("11:02 NPT")."""
    before, after = text[max(0, start - 40) : start], text[end : end + 20]
    if re.search(r"\(\s*$", before) and re.match(r"\s*\)\s*[-–—:]", after):
        return True
    if re.match(r"\s*(?:/\s*)?(?:pic|photo|file\s+photo|picture|image|via\b)", after, re.I) \
            or re.search(r"(?:photo|picture|image|credit|©)\s*(?:credit)?\s*[:/|]?\s*$",
                         before, re.I):
        return True
    return bool(re.search(r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*$", before, re.I))


def fragment(name: str) -> bool:
    """Not a whole name: cut after a joining word ("Cadet Corps of"), run over a line
    break or a menu's spacing, or led by a number or a unit ("57th", "MW")."""
    words = name.split()
    return bool(not words or _CONNECTOR_END.search(name) or "\n" in name or "  " in name
                or words[0][:1].isdigit() or words[0].upper() in _UNITS)


def subject(text: str, start: int, sentence_start: int) -> bool:
    """The phrase is what an agreement or a list of fields is about: "in the field of
    Fisheries & Aquaculture", "an Agreement on the Promotion of ..."."""
    before = text[max(sentence_start, start - 160) : start]
    if _FIELD_BEFORE.search(before):
        return True
    found = list(_AGREEMENT_WORD.finditer(before))
    if not found:
        return False
    between = before[found[-1].end() :]
    return bool(re.match(r"\s+(?:on|in|for|of|concerning|regarding)\b", between)
                and _TITLE_WORDS.match(between))


def person_or_office(name: str, text: str, start: int, end: int, spans: list) -> bool:
    """An office or a person: "Kazakh President X", "X, Gustavo Y" (a person's mention
    overlaps it), the office after it ("External Affairs Minister"), after a title
    ("Secretary (Bilateral & Consular)")."""
    if _OFFICE.search(name) and not KIND.search(name) or _OFFICE_AFTER.match(
            text[end : end + 30]):
        return True
    before = text[max(0, start - 40) : start]
    if re.search(r"\b(?:Secretary|Minister|Director|Head|Chief)\s*\(\s*$", before) or \
            re.search(r"\b(?:president|minister|premier|chancellor|leader|king|ambassador|"
                      r"envoy|secretary|governor|mayor)\s*,\s*$", before, re.I):
        return True  # "Colombia's new president, Gustavo Petro"
    first = start + len(name.split()[0]) if name.split() else end
    return any(a < first and start < b for a, b in spans)  # not "Patriarchate of Alexandria"


def thing(name: str, text: str, end: int) -> bool:
    """An event, a work, a place or a thing named like a body ("Anniversary Celebrations",
    "the X programme", an embassy), or a list of subjects joined by "and" with no word for
    a body ("Livestock Development and Animal Health")."""
    if _NOT_A_BODY_END.search(name) or _EMBASSY.search(name):
        return True
    if _THING_AFTER.match(text[end : end + 30]):
        return True
    return bool(re.search(r"\s(?:and|&)\s|&", name) and not KIND.search(name))


def pair_before(text: str, start: int, name: str) -> int:
    """Where a name begins that a pair of countries written with a dash leads ("Kenya–Ethiopia
    Joint Commission" from "Joint Commission", "Kazakhstan–Russia Forum" from "Russia
    Forum"): the new start, or ``start``."""
    before = text[max(0, start - 60) : start]
    both = re.search(r"(?:^|[\s(])((?:[A-Z][\w’'.]*)(?:\s+(?:[A-Z]|d’|d')[\w’'.]*){0,2})[–-]"
                     r"((?:[A-Z][\w’'.]*)(?:\s+(?:[A-Z]|d’|d')[\w’'.]*){0,2})\s+$", before)
    if both and countries.lookup(both.group(1)) and countries.lookup(both.group(2)):
        return start - (len(before) - both.start(1))
    one = re.search(r"(?:^|[\s(])((?:[A-Z][\w’'.]*)(?:\s+(?:[A-Z]|d’|d')[\w’'.]*){0,2})[–-]$",
                    before)
    first = name.split()[0] if name.split() else ""
    if one and countries.lookup(one.group(1)) and countries.lookup(first):
        return start - (len(before) - one.start(1))
    return start


def expansion(text: str, acronym: str) -> str | None:
    """The capitalised phrase the acronym stands for, where the text writes it ("Foreign
    Office Consultations" for "FOC")."""
    letters = acronym.rstrip("s") if acronym.endswith("s") and acronym[:-1].isupper() \
        else acronym
    if not re.fullmatch(r"[A-Z]{2,6}", letters):
        return None
    word = r"[A-Z][\w’'-]*"
    joint = r"(?:\s+(?:of|for|and|the|on|in|&)){0,2}\s+"
    pattern = word + (joint + word) * (len(letters) - 1)
    for match in re.finditer(rf"(?<![\w’'-])(?=({pattern})(?![\w-]))", text):
        words = [w for w in re.findall(r"[\w’'-]+", match.group(1)) if w[:1].isupper()]
        if "".join(w[0] for w in words) == letters:
            return match.group(1)
    return None
