"""Organization drafts: international bodies the article names ("Shanghai Cooperation
Organization (SCO)") that are not known yet, with the acronym the text gives."""

from __future__ import annotations

import re

import pycountry
from rapidfuzz import fuzz

from api.domain.names import key
from api.ingest.draft import bodies
from api.ingest.draft.shape import make
from api.ingest.read import countries
from api.ingest.read.article import Article

_BODY = re.compile(
    r"\b(?:Organi[sz]ation|Union|Council|Bank|Fund|Forum|Association|Alliance|Community|Agency|"
    r"Nations|Cooperation|Conference|Commission|Court|Treaty)\b"
)
# A capitalized name ending in a word for a body, which the parser may not tag: "Singapore
# Tourism Board", "Bangladesh-Malaysia Chamber of Commerce and Industry"
_BODY_WORD = re.compile(
    r"(?<![\w-])(?:[Tt]he\s+)?(?P<name>(?:(?!The\b)[A-Z][\w&’'-]*\s+(?:(?:of|for|&)\s+)?){1,6}"
    r"(?:Board|Agency|Bank|Fund|Council|Commission|Committee|Authority|Institute|Academy|"
    r"University|Corporation|Association|Organi[sz]ation|Chamber\s+of\s+Commerce"
    r"(?:\s+and\s+Industry)?|Secretariat|Foundation|Federation)"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:and\s+)?[A-Z][\w’'-]*){0,4})?)\b")
# A body the text names by its acronym alone: "within the CSTO", "talks with the GCC"
_ACRONYM_USED = re.compile(r"\b(?:the|of|within|in|at|with|to|and)\s+(?P<acronym>[A-Z]{3,6})\b"
                           r"(?!\s*\()(?!\s+[A-Z\d])(?!-)")  # not "PKP Cargo", not "FCFA 10"
_CURRENCIES = {c.alpha_3 for c in pycountry.currencies}
# Words that name no particular body: "Presidential Secretariat", "Joint Ministerial Commission"
_GENERIC_WORDS = {"presidential", "joint", "national", "foreign", "permanent", "supreme", "central",
                  "federal", "state", "public", "general", "international", "regional",
                  "special", "high", "new", "ministerial", "intergovernmental", "bilateral", "of",
                  "for", "&", "the"}
_ACRONYM = re.compile(r"\s+\((?P<acronym>[A-Z][A-Za-z0-9]{0,3}[A-Z][A-Za-z0-9]{0,5})\)")


_CONNECTORS = {"of", "for", "and", "the", "on", "in", "de", "du", "des", "&"}


def named(text: str) -> list[tuple[str, str]]:
    """"Shanghai Cooperation Organization (SCO)": each acronym in parentheses with the
    capitalised name written just before it ("of", "for", "and" may join its words); the
    name starts at its first word with the acronym's first letter, when one has it
    ("Russia-led Eurasian Economic Union (EAEU)" is the Eurasian Economic Union), and after
    a possessive ("Angola’s Agronomic Research Institute (IIA)")."""
    return [(name, acronym) for name, acronym, _, _ in named_at(text)]


def named_at(text: str) -> list[tuple[str, str, int, int]]:
    """``named`` with where the name starts in the text and where its acronym ends."""
    out = []
    for match in _ACRONYM.finditer(text):
        acronym = match.group("acronym")
        base = max(0, match.start() - 150)
        words = list(re.finditer(r"[^\s,;:()“”\"]+", text[base : match.start()]))
        if re.search(r"[,;:()“”\"]\s*$", text[max(0, match.start() - 3) : match.start()]):
            continue
        taken: list[re.Match] = []
        for word in reversed(words):
            if word.group(0).lower() == "and" and taken and taken[0].group(0).lower() == "the":
                taken.pop(0)  # "the Army and the African Union Mission (AUM)": not the Army
                break
            between = text[base + word.end() : base + (taken[0].start() if taken else len(
                text[base : match.start()]))]
            if re.search(r"[,;:()“”\"]", between):
                break
            w = word.group(0)
            if re.search(r"[’']s$", w):
                break
            if w[:1].isupper() or w.lower() in _CONNECTORS:
                taken.insert(0, word)
                continue
            break
        while taken and taken[0].group(0).lower() in _CONNECTORS:
            taken.pop(0)
        if not taken:
            continue
        first = next((k for k, w in enumerate(taken)
                      if w.group(0)[:1].upper() == acronym[:1].upper()), 0)
        if len(taken) - first >= 2:  # "Angola's Agronomic Research Institute (IIA)": all of it
            taken = taken[first:]
        name = text[base + taken[0].start() : base + taken[-1].end()]
        out.append((" ".join(name.split()), acronym, base + taken[0].start(), match.end()))
    return out


_STATUSES = (
    (re.compile(r"\b(?:request|bid|appl(?:y|ied|ication)|seek|sought|securing|aspir)\w*", re.I),
     "applicant"),
    (re.compile(r"\bdialogue\s+partner", re.I), "dialogue_partner"),
    (re.compile(r"\bobserver", re.I), "observer"),
    (re.compile(r"\bjoined\b|\bmember(?:ship|s)?\b|\baccession\b|\badmitted\b", re.I), "member"),
)


def memberships(article: Article, name: str, acronym: str | None) -> list[dict]:
    """A country's standing in the organization, where a sentence names both: the country
    written nearest before the word for the standing ("Pakistan’s request for observer
    status", "Kenya joined")."""
    out = []
    for sentence in article.sentences:
        if name not in sentence.text and not (acronym and re.search(
                rf"\b{re.escape(acronym)}\b", sentence.text)):
            continue
        for pattern, status in _STATUSES:
            match = pattern.search(sentence.text)
            if match is None:
                continue
            at = sentence.start + match.start()
            before = [m for m in sentence.countries if m.end <= at and m.via != "region"]
            if not before or re.search(r"\b(?:us|we|our|they|their|it|its)\s+(?:\w+\s+){0,2}$",
                                       sentence.text[: match.start()], re.I):
                break  # "assist us in securing": whose standing, the text does not say here
            when, how = article.when(sentence)
            country = before[-1].id
            if any(m["country"] == country for m in out):
                break
            out.append({
                "country": country,
                "status": status,
                "from": when if status == "member" and how == "stated" else None,
                "to": None,
                "sources": [article.cite(sentence.start, sentence.end)],
            })
            break
    return out


def known_names(record: dict) -> list[str]:
    names = [record.get("name"), record.get("acronym")]
    names += [a.get("name") for a in record.get("aliases") or []]
    return [n for n in names if n]


def link(name: str, acronym: str | None, known: list[dict]) -> tuple[str | None, float]:
    best, score = None, 0.0
    for record in known:
        for candidate in known_names(record):
            for form in filter(None, (name, acronym)):
                s = fuzz.ratio(key(form), key(candidate)) / 100
                if s > score:
                    best, score = record.get("id"), s
    return (best, score) if score >= 0.9 else (None, score)


_AGREEMENT_NAME = re.compile(
    r"\b(?:Agreements?|Treat(?:y|ies)|Conventions?|Memorand(?:um|a)|Protocols?|Accords?|"
    r"Declarations?|Programmes?|Programs?|Plans?|Charter|Statutes?|Act|Law|Understanding)$")
_NOT_BODY = re.compile(
    r"^(?:National\s+Assembly|Parliament|Senate|Congress|Saeima|Sejm|Duma|Majlis|Knesset|"
    r"Bundestag|Cabinet|Government|State|Republic|Kingdom|Ministry|Embassy|Presidency|"
    r"Chambers?\s+of\s+Commerce(?:\s+and\s+Industry)?|Central\s+Bank|"
    r"Agency|Office|Department|Council|Court|Union|Bank|Fund|Foreign\s+Ministry|"
    r"Ministry\s+of\s+Foreign\s+Affairs|Foreign\s+Office|Prime\s+Minister|President|"
    r"Minister|Secretary|Crown\s+Prince|Amir|Emir|King|Queen)$", re.I)
_OFFICE_BEFORE = re.compile(
    r"\b(?:Minister|Secretary|Director|Head|Chair(?:man|woman)?|Ambassador|Commissioner|"
    r"Governor|President|Chief|Envoy|Representative)(?:[\w\s-]{0,30})?\s+(?:of|for)\s+"
    r"(?:the\s+)?$")
_ACRONYM_ALONE = re.compile(r"^[A-Z][A-Z0-9&]{1,6}$")
_NOT_NAMED = re.compile(
    r"\b(?:Ministers?|Secretar(?:y|ies)|Head\s+of|Ministries|Assembly|Senate|Parliament|"
    r"Government\s+of|Press\s+Release|Foreign\s+Ministry|Ministry\s+of\s+(?:Finance|Foreign|"
    r"Defen[cs]e|Interior|Trade|Commerce|Education|Health|Economy|Energy|Justice|Agriculture)|"
    r"(?:Palace|House|Museum|Hall|Area|Road|Square|Airport|Port|River|Lake|Sea|Strait|Bridge|"
    r"Line|Project|Partnership|Ministry|Commission|Cooperation|Summit|Zone|News|Notes|"
    r"Credence|Relations|Initiative|Heads\s+of\s+State)$)|\s[-|–]\s|[’']s\s|^JavaScript$")


def _currency(name: str) -> bool:
    import pycountry

    return len(name) == 3 and name.isupper() and pycountry.currencies.get(alpha_3=name) is not None


def _body_name(article: Article, ent) -> tuple[str, int] | None:
    """The name of an organization the parser tags, or None for what only looks like one:
    an office's words ("Minister of International Cooperation"), an agreement's name, a
    parliament, a country, a bare "Ministry"."""
    name = re.sub(r"^the\s+", "", ent.text, flags=re.I).split(" (")[0].strip(" ,.;:’'")
    name = re.sub(r"(?:’s|'s)$", "", name)
    start = ent.start_char + ent.text.find(name) if name in ent.text else ent.start_char
    before = article.text[max(0, start - 60) : start]
    if _OFFICE_BEFORE.search(before) or _AGREEMENT_NAME.search(name) or _NOT_BODY.match(name):
        return None
    ministry = re.search(r"\b(Ministry|Department|Office)\s+of\s+(?:the\s+)?$", before)
    if ministry:
        start -= len(before) - ministry.start()
        name = article.text[start : start + len(before) - ministry.start() + len(name)]
        name = " ".join(name.split())
    if article.text[start : start + len(name)] == name and bodies.KIND.search(name.split()[-1]):
        of = re.match(r"\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*){0,3}",
                      article.text[start + len(name) :])
        if of:  # "State Oil Company" of "State Oil Company of Azerbaijan Republic"
            name += of.group(0)
    wider = bodies.pair_before(article.text, start, name)
    if wider != start:  # "Kazakhstan–Russia Forum", the parser's "Russia Forum"
        name = article.text[wider:start] + name
        start = wider
    if "\n" not in name and "  " not in name:
        name = " ".join(name.split())
    words = name.split()
    if _NOT_NAMED.search(name) or _currency(name):
        return None
    if not words or countries.lookup(name) or any(w[:1].islower() and w not in (
            "of", "for", "and", "the", "in", "on", "de", "du", "des", "la", "le") for w in words):
        return None
    if len(words) == 1 and not _ACRONYM_ALONE.match(name) and not re.search(
            r"[a-z][A-Z]", name) and not _BODY.search(name):
        return None  # "Embrapa" passes only with an acronym or a known body word
    return name, start


def draft(article: Article) -> list[dict]:
    out, seen = [], set()
    known = getattr(article.known, "organizations", []) or []
    people_names = {key(p.name) for p in article.persons}
    text = article.text
    refused = _refused_acronyms(article)
    for sentence in article.sentences:
        if bodies.chrome(sentence.text):
            continue
        found, inside = [], []
        for name, acronym, a, b in named_at(sentence.text):
            start = sentence.start + a
            inside.append((start, sentence.start + b))
            if acronym in refused:
                continue
            wider = bodies.pair_before(text, start, name)
            if wider != start:
                name = " ".join(text[wider : start].split() + name.split())
            found.append((name, acronym, 0.7))
        for name, acronym, a, b in bodies.well_known(sentence.text):  # "the African Union",
            a, b = sentence.start + a, sentence.start + b  # "Asean", "EU-NATO"
            if not any(s < b and a < e for s, e in inside):
                inside.append((a, b))
                found.append((name, acronym, 0.7))
        spans = [(m.start, m.end) for m in sentence.people]
        for match in _ACRONYM_USED.finditer(sentence.text):
            start = sentence.start + match.start("acronym")
            acronym = match.group("acronym")
            if any(a <= start < b for a, b in inside) or countries.lookup(acronym) or \
                    acronym in _CURRENCIES or \
                    not _stands(article, acronym, start, sentence, spans, refused):
                continue
            inside.append((start, start + len(acronym)))
            found.append((acronym, None, 0.5))
        for match in _BODY_WORD.finditer(sentence.text):
            start = sentence.start + match.start("name")
            name = " ".join(match.group("name").split())
            if any(a <= start < b for a, b in inside) or len(name.split()) < 2 or \
                    not _stands(article, name, start, sentence, spans, refused):
                continue
            wider = bodies.pair_before(text, start, name)  # "Nigeria–Benin Joint Commission"
            if wider != start:
                name, start = " ".join(text[wider:start].split() + name.split()), wider
            inside.append((start, start + len(match.group("name"))))
            found.append((name, None, 0.6))
        for ent in sentence.ents:
            if ent.label_ != "ORG" or any(
                    a < ent.end_char and ent.start_char < b
                    or ent.end_char <= a and not text[ent.end_char : a].strip()
                    for a, b in inside):
                continue  # within a name written with its acronym, or the word that leads it
            body = _body_name(article, ent)
            if body is None or key(body[0]) in people_names:
                continue
            name, start = body
            if not _stands(article, name, start, sentence, spans, refused):
                continue
            found.append((name, None, 0.6 if _BODY.search(name) else 0.5))
        for name, acronym, confidence in found:
            if acronym is None and name in bodies.WELL_KNOWN:  # "ASEAN" alone: named in full
                name, acronym = bodies.WELL_KNOWN[name], name
            name = _BASED.sub("", name)  # "Vilnius-based European Humanities University"
            if _not_a_body(article, name, people_names):
                continue
            if acronym is None and len(name.split()) > 1 and all(
                    w.lower() in _GENERIC_WORDS for w in name.split()[:-1]):
                continue  # "Presidential Secretariat": no body in particular
            alone = next((d for d in out if acronym and d["record"]["name"] == acronym), None)
            if alone is not None and key(name) not in seen:
                alone["record"].update(name=name, acronym=acronym)  # "NEA", then its name
                alone["reasons"].append(f"'{acronym}' is written out as '{name}'")
                seen.add(key(name))
                continue
            if key(name) in seen or (acronym and key(acronym) in seen):
                continue
            target, score = link(name, acronym, known)
            seen.update({key(name)} | ({key(acronym)} if acronym else set()))
            if target:
                continue
            record = {"name": name, "acronym": acronym, "aliases": [],
                      "memberships": memberships(article, name, acronym),
                      "notes": [], "inferred": []}
            reasons = [f"'{name}' names an organization"]
            if acronym:
                reasons.append(f"acronym '{acronym}' given in parentheses")
            out.append(make("organizations", record, confidence, reasons))
    capitals = set(re.findall(r"(?<![\w-])[A-Z]{2,}(?![\w-])", article.text))
    for made in out:
        record = made["record"]
        if record["acronym"] is None and len(record["name"].split()) > 1:
            initials = "".join(w[0] for w in record["name"].split() if w[:1].isupper())
            if len(initials) >= 2 and initials in capitals:
                record["acronym"] = initials  # "the European Union" and "the EU"
                made["reasons"].append(f"acronym '{initials}' used in the text")
    return _with_acronyms(out)


_BASED = re.compile(r"^[A-Z][\w’'-]*-based\s+")
_THING = re.compile(r"^(?:(?:Agreements?|Memorand(?:um|a|ums)|Treat(?:y|ies)|Protocols?|"
                    r"Conventions?|MoUs?|MOUs?)\b|(?:Chief\s+Executive\s+Officer|Representatives|"
                    r"Liquefied\s+Natural\s+Gas|MFA)$)|^(?:the\s+)?(?:[\w’'-]+\s+)?Government$")


def _not_a_body(article: Article, name: str, people_names: set[str]) -> bool:
    """A country ("Russian Federation"), a government, an agreement's name, an office, a
    person, or the publisher itself: no organization of the story."""
    publisher = re.sub(r"\s*\(.*\)$", "", article.document.get("publisher") or "")
    return bool(countries.lookup(name) or _THING.search(name) or key(name) in people_names
                or (publisher and key(name) == key(publisher)))


def _refused_acronyms(article: Article) -> set[str]:
    """Acronyms the text gives to what is no body: an agreement ("Preferential Trade
    Agreement (PTA)"), a project, a corridor, talks, an office."""
    out = set()
    for sentence in article.sentences:
        for name, acronym, a, _ in named_at(sentence.text):
            start = sentence.start + a
            end = start + len(name)
            if _AGREEMENT_NAME.search(name) or countries.lookup(name) or re.search(
                    r"\s[-|–]\s", name) or bodies.thing(name, "", 0) or bodies.subject(
                    article.text, start, sentence.start) or bodies.person_or_office(
                    name, article.text, start, end, []):
                out.add(acronym)
    return out


def _stands(article: Article, name: str, start: int, sentence, spans: list,
            refused: set[str]) -> bool:
    """Whether a name the parser tags stands for a body where the text writes it."""
    text, end = article.text, start + len(name)
    if text[start:end] != name:
        end = start + len(" ".join(name.split()))
    if bodies.credit(text, start, end) or bodies.publisher(name, article.document) or \
            bodies.generic(name) or bodies.fragment(name) or name in refused:
        return False
    if bodies.person_or_office(name, text, start, end, spans) or bodies.thing(name, text, end):
        return False
    if bodies.subject(text, start, sentence.start) or re.search(
            r"\b(?:minister|ministers|ministry|secretary)\s+(?:of|for)\s+(?:the\s+)?$",
            text[max(0, start - 30) : start], re.I):
        return False
    if _ACRONYM_ALONE.match(name):
        meaning = bodies.expansion(text, name)
        if meaning and (_AGREEMENT_NAME.search(meaning) or bodies.thing(meaning, "", 0)):
            return False  # "FOC" where the text writes "Foreign Office Consultations"
    return True


def _with_acronyms(drafts: list[dict]) -> list[dict]:
    """One draft per organization: its acronym alone ("KAI"), its name alone and both
    together ("Korea Aerospace Industries (KAI)") are one, which keeps the acronym."""
    out: list[dict] = []
    for draft in sorted(drafts, key=lambda d: not d["record"]["acronym"]):
        record = draft["record"]
        same = next((d for d in out if _same_body(d["record"], record)), None)
        if same is None:
            out.append(draft)
        elif record["acronym"] and not same["record"]["acronym"]:
            same["record"]["acronym"] = record["acronym"]
    order = {id(d): i for i, d in enumerate(drafts)}
    return sorted(out, key=lambda d: order[id(d)])


def _same_body(a: dict, b: dict) -> bool:
    names_a = {key(n) for n in (a["name"], a["acronym"]) if n}
    names_b = {key(n) for n in (b["name"], b["acronym"]) if n}
    if names_a & names_b:
        return True
    long_a, long_b = key(a["name"]), key(b["name"])
    return len(long_a.split()) > 1 and len(long_b.split()) > 1 and (
        long_a.endswith(long_b) or long_b.endswith(long_a))
