"""People named in the article: their names as written, their offices, and links to
the people already known (by name, alias or a source's misspelling, with rapidfuzz)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from api.domain.names import key
from api.ingest.read import countries

_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|pm|lady|sir|dame|gen|general|president|premier|minister|king|queen|"
    r"prince|princess|chancellor|ambassador|senator|governor|mayor|then|former|late)\.?\s+)+",
    re.I,
)
# An honorific just before a name the parser took for an organization ("PM Sadia Rahman").
_TITLED = re.compile(r"\b(?:PM|Mr|Mrs|Ms|Dr|President|Premier|Minister|Lady|Sir|Sheikh)\.?\s+$")
# A word qualifying an office ("petroleum minister"), never a function word ("in Baku by").
_QUALIFIER = (
    r"(?!(?:by|of|the|and|in|at|to|with|for|from|on|his|her|their|its|a|an|was|were|is|are|"
    r"when|then|former|that|who)\b)[a-z]+"
)
OFFICE = (
    r"(?:(?:deputy|vice|acting|interim|first|former|then|outgoing|incoming)[\s-]+)*"
    r"(?:prime\s+minister|premier|president|chancellor|king|queen|emir|crown\s+prince|"
    r"foreign\s+minister|foreign\s+secretary|secretary\s+of\s+state|secretary[-\s]general|"
    r"ambassador|envoy|high\s+commissioner|army\s+chief|chief\s+of\s+army\s+staff|governor|"
    rf"(?:{_QUALIFIER}\s+){{0,2}}ministers?(?:\s+(?:of|for)\s+[a-z]+(?:\s+affairs)?)?|"
    rf"(?:{_QUALIFIER}\s+)?secretary|spokes(?:man|woman|person)|counterpart|leader|head\s+of\s+state)"
)
# An office before a name: "Russian Prime Minister Vladimir Putin", "then president Yahya",
# "his Pakistani counterpart Yousaf Raza Gilani".
_OFFICE_BEFORE = re.compile(
    rf"(?:(?P<owner>[A-Z][\w-]+)(?:’s|'s)?\s+)?(?:then[\s-]+|former\s+)?(?P<title>{OFFICE}),?\s+$",
    re.I,
)
# An office after a name: "Vladimir Putin, the Russian prime minister,".
_OFFICE_AFTER = re.compile(
    rf"^,\s+(?:the\s+|then\s+|a\s+)?(?:(?P<owner>[A-Z][\w-]+)(?:’s|'s)?\s+)?(?P<title>{OFFICE})\b",
    re.I,
)
HEADS = ("president", "king", "queen", "emir", "head of state", "crown prince")


@dataclass
class Mention:
    """A person's name where the text writes it."""

    start: int
    end: int
    name: str
    title: str | None = None
    country: str | None = None
    role_span: tuple[int, int] | None = None  # the office and the name, for citing the role
    person: str | None = None  # id of the known person it links to
    score: float = 0.0
    cluster: int = -1


@dataclass
class Person:
    """Everyone the article names, with every mention of them."""

    name: str
    mentions: list[Mention] = field(default_factory=list)
    person: str | None = None
    score: float = 0.0
    title: str | None = None
    country: str | None = None


_TITLE_WORDS = {
    "president", "vice", "prime", "minister", "ministers", "foreign", "deputy", "secretary",
    "general", "crown", "prince", "princess", "king", "queen", "amir", "emir", "speaker",
    "chancellor", "ambassador", "his", "her", "excellency", "h.e.", "he", "hon", "hon.",
    "honourable", "honorable", "state", "senator", "governor", "chairman", "chairwoman",
    "chair", "chief", "executive", "director", "head", "commander", "admiral", "cabinet",
    "finance", "trade", "defence", "defense", "interior", "economy", "energy", "affairs",
    "of", "the", "and", "for", "external", "commerce", "industry", "agriculture", "health",
    "education", "transport", "justice", "counterpart", "visiting", "then", "former", "late",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "first", "lady", "sir", "minister-",
    "parliamentary", "under-secretary", "permanent", "high", "commissioner", "envoy",
    "special", "presidential", "spokesman", "spokeswoman", "spokesperson", "mayor", "sheikh",
    "highness", "majesty", "royal",
}


_OFFICE_WORDS = {"minister", "president", "secretary", "ambassador", "king", "queen", "prince",
                 "princess", "amir", "emir", "chancellor", "premier", "governor", "director",
                 "chairman", "chairwoman", "majesty", "highness", "excellency",
                 "envoy", "commissioner", "spokesman", "spokeswoman", "spokesperson"}


def clean(name: str) -> str:
    """A name without a possessive, honorifics, an office or a country written before it
    ("Kazakh President Nurlan Abenov", "H.E. Tesfaye Alemu") or surrounding punctuation."""
    name = re.sub(r"(?:’s|'s|’|')$", "", name.strip(" ,.;:()“”\"‘’"))
    name = _HONORIFICS.sub("", name).strip()
    words = name.split()
    heads = [i for i, w in enumerate(words[:-1]) if w.lower().rstrip(",") in _OFFICE_WORDS]
    if heads:  # "Food Security Minister Fidel Grant", "Majesty King Mohammed VI"
        words = words[heads[-1] + 1 :]
        name = " ".join(words)
    drop = 0
    while drop < len(words) - 1 and not (
            words[drop].lower() == "sheikh" and len(words) - drop == 2) and (  # Sheikh Hasina
            words[drop].lower().rstrip(",") in _TITLE_WORDS
            or (words[drop][:1].isupper() and countries.lookup(words[drop].rstrip(","))
                and drop + 2 < len(words) and words[drop + 1].lower() in _TITLE_WORDS)):
        drop += 1
    return " ".join(words[drop:]) if drop and len(words) - drop >= 1 else name


def title_case(title: str) -> str:
    words = re.sub(r"\s+", " ", title.strip()).split(" ")
    words = [w for w in words if w.lower() not in ("then", "former")]
    if words and words[-1].lower() in ("ministers", "presidents", "secretaries"):
        words[-1] = words[-1][:-1] if not words[-1].lower().endswith("ies") else \
            words[-1][:-3] + "y"
    small = {"of", "for", "and", "the"}
    return " ".join(w.lower() if w.lower() in small else w.capitalize() for w in words)


def find(doc_span, text: str, extra_names: list[str] = (), ents=None) -> list[Mention]:
    """People named in a sentence (a spaCy span): the parser's PERSON entities, and names
    the document already knows (authors, known people) that the parser tagged otherwise."""
    found: list[Mention] = []
    known = {key(n) for n in extra_names if n}
    for ent in doc_span.ents if ents is None else ents:
        raw = ent.text
        before = text[max(0, ent.start_char - 24) : ent.start_char]
        titled = ent.label_ == "ORG" and (
            _HONORIFICS.match(raw) and len(raw.split()) > 2 or _TITLED.search(before))
        if ent.label_ != "PERSON" and not titled and key(clean(raw)) not in known:
            continue
        end = ent.end
        doc = ent.doc
        while end < len(doc):
            token = doc[end]
            if token.pos_ == "PROPN" and token.is_title and token.ent_type_ in ("", "PERSON"):
                end += 1  # "Yoon Suk" + "Yeol": a name the parser cut short
            elif token.text == "-" and end + 1 < len(doc) and doc[end + 1].is_alpha and \
                    not token.whitespace_ and not doc[end - 1].whitespace_:
                end += 2  # "Kim Do" + "-hyun"
            else:
                break
        raw = ent.doc[ent.start : end].text
        name = clean(raw)
        if not name or not re.match(r"[A-Z]", name) or countries.lookup(name):
            continue
        offset = ent.start_char + raw.find(name) if name in raw else ent.start_char
        found.append(Mention(offset, offset + len(name), name))
    for mention in found:
        office(mention, text)
    _coordinated(found, text)
    return found


def _coordinated(found: list[Mention], text: str) -> None:
    """"energy ministers Ahmet Kaya and Rashad Aliyev": the office before a list of names
    belongs to each of them."""
    for before, mention in zip(found, found[1:], strict=False):
        if mention.title or not before.title or before.role_span is None:
            continue
        if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[before.end : mention.start]):
            mention.title, mention.country = before.title, before.country
            mention.role_span = (before.role_span[0], mention.end)


def split_owner(owner: str | None, title: str) -> tuple[str | None, str]:
    """The country an office belongs to and the bare office: "Russian Prime Minister" is
    RU's "Prime Minister"; "Pakistan’s petroleum minister" PK's "Petroleum Minister"."""
    country = None
    if owner:
        hit = countries.lookup(owner.removesuffix("’s").removesuffix("'s"))
        country = hit[0] if hit else None
    words = title.split()
    while words:
        hit = countries.lookup(words[0].removesuffix("’s").removesuffix("'s"))
        if not hit:
            break
        country = country or hit[0]
        words = words[1:]
    return country, title_case(" ".join(words))


_HEAD = (r"(?:Prime\s+Minister|Head\s+of\s+(?:State|Government)|Crown\s+Prince|High\s+Commissioner|"
         r"Vice[-\s]President|President|Minister|Secretary|Undersecretary|Under-Secretary|"
         r"Ambassador|Chancellor|Premier|King|Queen|Amir|Emir|Governor|Director|Chairman|"
         r"Chairwoman|Chairperson|Commissioner|Envoy|Spokes(?:man|woman|person)|Speaker|Mayor|"
         r"[Mm]inister|[Pp]resident|[Aa]mbassador|[Ss]ecretary|[Pp]arliamentary\s+chief|"
         r"[Hh]ead\s+of\s+[Ss]tate|[Rr]uler)")
_OWNER = r"(?:(?P<owner>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?(?:’s|'s)?)\s+)?"
_STEM = (r"(?:(?:Deputy|Vice|Acting|Interim|First|Senior|State|Cabinet|Joint|Permanent|Managing|"
         r"Executive|Chief|Foreign|Finance|Trade|Defen[cs]e|Interior|Energy|Economy|Special|"
         r"deputy|foreign|finance|trade|defen[cs]e|energy|economy|special|new|former|then|"
         r"outgoing|incoming|visiting)\s+)*")
# the office's own words after its head: "of Foreign Affairs and Trade of Hungary",
# "for Foreign and Diaspora Affairs", "of Production, Foreign Trade, Investment and Fisheries"
_TAIL = r"(?:[- ]General)?(?:\s+(?:of|for|to)\s+(?:(?:the|and|of|for|,)\s*|[A-Z][\w’'-]*\s*)+)?"
_ADDRESS = r"(?:(?:Dr|H\.\s?E|Hon|Mr|Mrs|Ms|Prof|Sheikh|Lyonchhen|Excellency|His|Her)\.?\s+)*"
_PHRASE_BEFORE = re.compile(rf"(?<![\w-]){_OWNER}(?P<phrase>{_STEM}{_HEAD}{_TAIL}?)\s*,?\s*"
                            rf"{_ADDRESS}$")
_PHRASE_AFTER = re.compile(
    rf"^\s*,\s*(?:the\s+|then\s+|a\s+)?{_OWNER}(?P<phrase>{_STEM}{_HEAD}(?:[- ]General)?"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?(?:(?:and|of|the|for)\s+|"
    rf"[A-Z][\w’'-]*(?:,\s+(?=[A-Z]))?\s*)+)?)")


_ADDRESS_WORDS = {"dr", "h.e", "h. e", "hon", "mr", "mrs", "ms", "prof", "sheikh", "lyonchhen",
                  "excellency", "his", "her"}
_STATE_FORM = re.compile(r"^(?:the\s+)?(?:[A-Z][\w-]+\s+)*(?:Republic|Kingdom|State|Federation|"
                         r"Emirate|Sultanate|Commonwealth|Principality|Union|Confederation)$")


def read_office(owner: str | None, phrase: str) -> tuple[str | None, str]:
    """The country and the bare office of a written office: "Prime Minister of the Kingdom
    of Bhutan" is BT's "Prime Minister"; "Qatar's Minister of State for Foreign Affairs" is
    QA's; "Minister of Foreign Affairs and Trade of Hungary" is HU's "Minister of Foreign
    Affairs and Trade"."""
    words = " ".join(phrase.replace(",", " , ").split()).split(" ")
    while words and (words[-1] == "," or words[-1].lower().rstrip(".") in _ADDRESS_WORDS):
        words.pop()
    phrase = " ".join(words).replace(" , ", ", ")
    if owner and not countries.lookup(owner.removesuffix("’s").removesuffix("'s")) and \
            owner.lower() not in _POSSESSIVES + ("the", "a", "an", "and"):
        phrase, owner = f"{owner} {phrase}", None  # "Prime", "Cabinet", "NEA" belong to it
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
    return country, title_case(title)


def _office_by_phrase(mention: Mention, text: str) -> bool:
    before = text[max(0, mention.start - 160) : mention.start]
    heads = list(re.finditer(_HEAD, before))
    for head in reversed(heads):  # the office nearest the name whose words run up to it
        start = max(0, head.start() - 40)
        match = _PHRASE_BEFORE.search(before, start)
        if match and match.start("phrase") <= head.start() < match.end("phrase"):
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


def office(mention: Mention, text: str) -> None:
    """Set the office and country written beside a name (before it, or after a comma)."""
    _office_by_regex(mention, text)
    if mention.country is None and mention.title:
        _country_after(mention, text)
    if mention.country is None:
        phrase = Mention(mention.start, mention.end, mention.name)
        if _office_by_phrase(phrase, text) and (phrase.country or not mention.title):
            mention.title, mention.country = phrase.title, phrase.country
            mention.role_span = phrase.role_span


_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})")


def _country_after(mention: Mention, text: str) -> None:
    """"President Frank Weber of Germany": the office's country after the name."""
    of = _OF_COUNTRY.match(text, mention.end)
    hit = countries.lookup(of.group(1)) if of else None
    if hit:
        mention.country = hit[0]
        start = mention.role_span[0] if mention.role_span else mention.start
        mention.role_span = (start, of.end())


def _office_by_regex(mention: Mention, text: str) -> None:
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


# Words that open an office or a form of address; the name follows the office's words.
_ANCHOR = re.compile(
    r"\b(?:President|Prime\s+Minister|Minister|[Mm]inister|Secretary|Ambassador|Chancellor|"
    r"Premier|Governor|Commissioner|Envoy|Spokes(?:man|woman|person)|Chairman|Chairwoman|"
    r"Director|Excellency|H\.\s?E\.|Sheikh|Crown\s+Prince|Prince|King|Amir|Emir|Speaker|"
    r"Vice-President|Dr\.|Mr\.|Mrs\.|Ms\.)(?=\s)")
_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "do", "dos", "das", "van", "von",
              "der", "del", "della", "di", "la", "le", "du", "y"}
_NOT_NAMES = {"ministry", "bank", "republic", "government", "council", "federation", "union",
              "kingdom", "state", "states", "emirates", "office", "embassy", "agency", "fund",
              "company", "corporation", "group", "party", "assembly", "parliament", "house",
              "palace", "court", "university", "institute", "commission", "committee", "forum",
              "summit", "airport", "port", "city", "province", "region", "said", "says"}
_TOKEN = re.compile(r"[^\s,;:()“”\"]+")


def by_office(text: str, start: int, end: int, taken) -> list[Mention]:
    """Names written after an office or a form of address that the parser did not tag
    ("Minister of Foreign Affairs and Trade Lőrinc Fekete", "His Excellency Almazbek
    Toktogulov"): the office's own words are passed over, then two to five capitalized
    words (with particles such as "bin" or "al") are the name."""
    found: list[Mention] = []
    for anchor in _ANCHOR.finditer(text, start, end):
        names: list[re.Match] = []
        last = anchor.end()
        for token in _TOKEN.finditer(text, anchor.end(), min(end, anchor.end() + 120)):
            word = token.group(0)
            low = word.lower().rstrip(".")
            gap, last = text[last : token.start()], token.end()
            if gap.strip(" "):
                break  # punctuation ends the office or the name: "the Minister, who"
            if not names and (low in _TITLE_WORDS or (word[:1].isupper() and countries.lookup(
                    word.removesuffix("’s").removesuffix("'s")))):
                continue
            if low in _PARTICLES and names:
                names.append(token)
                continue
            if word[:1].isupper() and word[1:2].islower() and low not in _NOT_NAMES and \
                    low not in _TITLE_WORDS and not any(ch.isdigit() for ch in word):
                names.append(token)
                continue
            break
        while names and names[-1].group(0).lower() in _PARTICLES:
            names.pop()
        if not 2 <= len(names) <= 5:
            continue
        a, b = names[0].start(), names[-1].end()
        name = re.sub(r"(?:’s|'s)$", "", text[a:b]).rstrip(".’'")
        b = a + len(name)
        if any(a < e and s < b for s, e in taken) or any(a < m.end and m.start < b for m in found):
            continue
        if countries.lookup(name):
            continue
        found.append(Mention(a, b, name))
    return found


def surnames(text: str, start: int, end: int, names: set[str], taken) -> list[Mention]:
    """A part of a name already met ("Ruto" after "William Ruto") that the parser did not
    tag again, found in text[start:end] outside the ``taken`` spans."""
    found = []
    for match in re.finditer(r"\b[A-Z][\w-]+\b", text[start:end]):
        a, b = start + match.start(), start + match.end()
        if key(match.group(0)) in names and not any(a < e and s < b for s, e in taken):
            found.append(Mention(a, b, match.group(0)))
    return found


def group(mentions: list[Mention]) -> list[Person]:
    """One entry per person: a surname alone joins the full name that ends with it."""
    people: list[Person] = []
    for mention in sorted(mentions, key=lambda m: -len(m.name.split())):
        tokens = key(mention.name).split()
        home = None
        for i, person in enumerate(people):
            full = key(person.name).split()
            if tokens == full or (len(tokens) == 1 and tokens[0] in full) or (
                    1 < len(tokens) < len(full) and full[-len(tokens):] == tokens):
                home = i
                break
        if home is None:
            people.append(Person(mention.name))
            home = len(people) - 1
        mention.cluster = home
        people[home].mentions.append(mention)
    for person in people:
        person.mentions.sort(key=lambda m: m.start)
        titled = [m for m in person.mentions if m.title]
        if titled:
            person.title = titled[0].title
        person.country = next((m.country for m in person.mentions if m.country), None)
    return people


def names_of(record: dict) -> list[str]:
    """A known person's canonical name and aliases."""
    return [record.get("name", "")] + [a.get("name", "") for a in record.get("aliases") or []]


LINKED = 0.8  # the similarity from which a name is read as a known person's


def similar(person: Person, known: list[dict]) -> list[tuple[str, float]]:
    """Known people by how well their names match this one's: exact names and aliases
    score 1; a misspelling ("Mekhail Fredkov" for Mikhail Fradkov) its similarity."""
    forms = {key(m.name) for m in person.mentions} | {key(person.name)}
    scores: dict[str, float] = {}
    for record in known:
        best = 0.0
        for name in names_of(record):
            k = key(name)
            if not k:
                continue
            for form in forms:
                if form == k:
                    score = 1.0
                elif len(form.split()) == 1:
                    # a surname alone: only against the surname of a known name
                    surname = k.split()[-1] if len(k.split()) > 1 else None
                    score = fuzz.ratio(form, surname) / 100 * 0.95 if surname else 0
                else:
                    score = max(fuzz.ratio(form, k), fuzz.token_sort_ratio(form, k)) / 100
                    if len(k.split()) > 1:  # the surnames must be alike too: Fradin is not Fradkov
                        score = min(score, fuzz.ratio(form.split()[-1], k.split()[-1]) / 100)
                best = max(best, score)
        if record.get("id"):
            scores[record["id"]] = round(best, 3)
    return sorted(scores.items(), key=lambda item: -item[1])


def link(person: Person, known: list[dict]) -> tuple[str | None, float]:
    """The known person a name refers to (or None), and the best similarity found."""
    ranked = similar(person, known)
    if not ranked:
        return None, 0.0
    best, score = ranked[0]
    return (best if score >= LINKED else None), score


def known_country(record: dict) -> str | None:
    """The country of a known person's first role with one."""
    for role in record.get("roles") or []:
        if role.get("country"):
            return role["country"]
    return None


def known_title(record: dict) -> str | None:
    for role in record.get("roles") or []:
        if role.get("title"):
            return role["title"]
    return None
