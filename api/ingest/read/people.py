"""People named in the article: their names as written, their offices (``offices``), and
links to the people already known (by name, alias or a source's misspelling, with rapidfuzz)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from api.domain.names import key
from api.ingest.read import countries
from api.ingest.read.offices import ADDRESS_WORDS, PORTFOLIOS, RANKS, office

_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|pm|lady|sir|dame|gen|general|president|premier|minister|king|queen|"
    r"prince|princess|chancellor|ambassador|senator|governor|mayor|then|former|late|"
    r"tan\s+sri|puan\s+sri|datuk\s+seri|dato['’]?\s+seri|dato['’]?\s+sri|datuk|dato['’]?|"
    r"tun|tunku|tengku|haji)\.?\s+)+",
    re.I,
)
# Words that end no one's name: a photo credit, a page's title, a state's long form.
_NOT_A_NAME = {"photo", "photos", "weekly", "remarks", "republic", "states", "socialist",
               "democratic", "news", "agency", "times", "post", "daily", "online", "tv",
               "sahel", "maghreb", "balkans", "caucasus", "levant", "gulf"}  # regions
# An honorific just before a name the parser took for an organization ("PM Sadia Rahman").
_TITLED = re.compile(r"\b(?:PM|Mr|Mrs|Ms|Dr|President|Premier|Minister|Lady|Sir|Sheikh)\.?\s+$")
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
    "highness", "majesty", "royal", "adviser", "advisor", "staff", "court", "palace", "office",
    "ministry",
}


OFFICE_WORDS = {"minister", "president", "secretary", "ambassador", "king", "queen", "prince",
                 "princess", "amir", "emir", "chancellor", "premier", "governor", "director",
                 "chairman", "chairwoman", "majesty", "highness", "excellency",
                 "envoy", "commissioner", "spokesman", "spokeswoman", "spokesperson"}


_NOT_A_FIRST_NAME = _TITLE_WORDS | OFFICE_WORDS | PORTFOLIOS | ADDRESS_WORDS | RANKS


def clean(name: str) -> str:
    """A name without a possessive, honorifics, an office or a country written before it
    ("Kazakh President Nurlan Abenov", "H.E. Tesfaye Alemu") or surrounding punctuation."""
    name = re.sub(r"(?:’s|'s|’|')$", "", name.strip(" ,.;:()“”\"‘’"))
    name = _HONORIFICS.sub("", name).strip()
    words = name.split()
    heads = [i for i, w in enumerate(words[:-1]) if w.lower().rstrip(",") in OFFICE_WORDS]
    if heads:  # "Food Security Minister Fidel Grant", "Majesty King Mohammed VI"
        words = words[heads[-1] + 1 :]
        name = " ".join(words)
    drop = 0
    while drop < len(words) - 2 and words[drop].lower() in PORTFOLIOS:
        drop += 1
    while drop < len(words) - 1 and not (
            words[drop].lower() == "sheikh" and len(words) - drop == 2) and (  # Sheikh Hasina
            words[drop].lower().rstrip(",") in _TITLE_WORDS
            or (words[drop][:1].isupper() and countries.lookup(words[drop].rstrip(","))
                and drop + 2 < len(words) and words[drop + 1].lower() in _TITLE_WORDS)):
        drop += 1
    return " ".join(words[drop:]) if drop and len(words) - drop >= 1 else name


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
        begin = ent.start
        while begin > 0 and ent.start - begin < 3 and not doc[begin].is_sent_start:
            token = doc[begin - 1]  # "counterpart Samia Suluhu" + "Hassan": cut short before
            if token.pos_ != "PROPN" or not token.is_title or token.ent_type_ or \
                    token.text.lower().rstrip(".") in _NOT_A_FIRST_NAME or \
                    countries.lookup(token.text):
                break
            begin -= 1
        raw = ent.doc[begin:end].text.split("/")[0]  # "Ana Ruiz/Agency": a credit
        name = clean(raw)
        if not name or not re.match(r"[A-Z]", name) or countries.lookup(name) or \
                name.lower().rstrip(".") in RANKS or \
                name.isupper() or \
                name.split()[-1].lower() in _NOT_A_NAME | PORTFOLIOS | _NOT_NAMES or \
                name.split()[0] in _STATE_WORDS or all(
                    w.lower() in PORTFOLIOS or w.lower() in _TITLE_WORDS for w in name.split()):
            continue
        start_char = doc[begin].idx
        offset = start_char + raw.find(name) if name in raw else start_char
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


# Words that open an office or a form of address; the name follows the office's words.
_ANCHOR = re.compile(
    r"\b(?:President|Prime\s+Minister|Minister|[Mm]inister|Secretary|Ambassador|Chancellor|"
    r"Premier|Governor|Commissioner|Envoy|Spokes(?:man|woman|person)|Chairman|Chairwoman|"
    r"Director|Excellency|H\.\s?E\.|Sheikh|Crown\s+Prince|Prince|King|Amir|Emir|Speaker|Advis[eo]r|"
    r"Vice-President|Dr\.|Mr\.|Mrs\.|Ms\.)(?=\s)")
_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "do", "dos", "das", "van", "von",
              "der", "del", "della", "di", "la", "le", "du", "y"}
_NOT_NAMES = {"ministry", "bank", "republic", "government", "council", "federation", "union",
              "kingdom", "state", "states", "emirates", "office", "embassy", "agency", "fund",
              "company", "corporation", "group", "party", "assembly", "parliament", "house",
              "palace", "court", "university", "institute", "commission", "committee", "forum",
              "summit", "airport", "port", "city", "province", "region", "said", "says"}
_STATE_WORDS = {"United", "Democratic", "Socialist", "Federal", "Islamic", "Republic", "Kingdom",
                "People's", "People’s", "Plurinational", "Bolivarian"}
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
            if not names and (low in _TITLE_WORDS or low in ADDRESS_WORDS or low in PORTFOLIOS
                              or (word[:1].isupper() and countries.lookup(
                    word.removesuffix("’s").removesuffix("'s")))):
                continue
            if low in _PARTICLES and names:
                names.append(token)
                continue
            if re.fullmatch(r"[A-Z]\.?", word) and (names or len(word) == 1):
                names.append(token)  # an initial: "K Shanmugam", "Perfecto R. Yasay"
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
        if countries.lookup(name) or name.split()[0] in _STATE_WORDS or (
                name.endswith("s") and countries.lookup(name.split()[-1])):
            continue  # "the United Mexican States", "Secretary Overseas Pakistanis"
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
                    1 < len(tokens) < len(full) and tokens in (full[-len(tokens):],
                                                               full[:len(tokens)])):
                # "Nin Novoa" of "Rodolfo Nin Novoa"; "Luis Videgaray" of "Luis Videgaray Caso"
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
