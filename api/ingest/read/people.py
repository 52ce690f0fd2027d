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
    "special", "presidential", "spokesman", "spokeswoman", "spokesperson", "mayor",
}


def clean(name: str) -> str:
    """A name without a possessive, honorifics, an office or a country written before it
    ("Kazakh President Nurlan Abenov", "H.E. Tesfaye Alemu") or surrounding punctuation."""
    name = re.sub(r"(?:’s|'s|’|')$", "", name.strip(" ,.;:()“”\"‘’"))
    name = _HONORIFICS.sub("", name).strip()
    words = name.split()
    drop = 0
    while drop < len(words) - 1 and (
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
        hit = countries.lookup(owner)
        country = hit[0] if hit else None
    words = title.split()
    while words:
        hit = countries.lookup(words[0].removesuffix("’s").removesuffix("'s"))
        if not hit:
            break
        country = country or hit[0]
        words = words[1:]
    return country, title_case(" ".join(words))


def office(mention: Mention, text: str) -> None:
    """Set the office and country written beside a name (before it, or after a comma)."""
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
