"""People drafts: everyone the article names who is not known yet, with their office and
country, and for a known person a spelling the source uses that the record lacks."""

from __future__ import annotations

import re

from api.domain.names import key
from api.ingest.draft import meetings
from api.ingest.draft.shape import make
from api.ingest.read import countries, people
from api.ingest.read.article import Article


def draft(article: Article) -> list[dict]:
    out = []
    by_id = {r.get("id"): r for r in getattr(article.known, "people", []) or []}
    seen_names = set()
    for person in article.persons:
        seen_names.add(key(person.name))
        if person.person:
            spelling = _new_spelling(article, person, by_id[person.person])
            if spelling:
                out.append(spelling)
            continue
        if _not_a_person(article, person):
            continue
        out.append(_new_person(article, person))
    for author in article.document.get("authors") or []:
        name = author.get("name")
        if not name or author.get("person") or key(name) in seen_names or \
                article.reporter(name):
            continue
        if any(key(name) in map(key, people.names_of(r)) for r in by_id.values()):
            continue
        record = {"name": name, "aliases": [], "roles": [], "notes": [], "inferred": []}
        out.append(make("people", record, 0.7, ["named as the document's author"]))
    return out


_CREDIT = re.compile(r"\b(?:Reporting|Writing|Editing|Additional\s+reporting|Compiled|Photo|"
                     r"Photos|Translated)\s+by\b[^\n]*$", re.I)


def _not_a_person(article: Article, person: people.Person) -> bool:
    """A lone word with no office ("Lobito", "Akorda"), an acronym, or a name only in a
    reporting credit ("Reporting by ...") is not drafted as a person."""
    if person.name.isupper() or (len(person.name.split()) == 1 and not any(
            m.title for m in person.mentions)):
        return True
    for mention in person.mentions:
        line_start = article.text.rfind("\n", 0, mention.start) + 1
        if not _CREDIT.search(article.text[line_start : mention.end]):
            return False
    return True


_OFFICE_HEADS = people.OFFICE_WORDS | {"counterpart", "rector", "adviser", "advisor"}


def _same_office(a: str, b: str) -> bool:
    """"Foreign Minister" and "Minister of Foreign Affairs" are one office, "Trade Minister"
    another; a counterpart holds the office of the one he is the counterpart of."""
    words = [set(re.findall(r"[a-z]+", t.lower())) for t in (a, b)]
    heads = [w & _OFFICE_HEADS for w in words]
    if "counterpart" in heads[0] | heads[1] or a == b:
        return True
    rest = [w - h - {"of", "for", "the", "and", "affairs"}
            for w, h in zip(words, heads, strict=True)]
    return bool(heads[0] & heads[1]) and (not rest[0] or not rest[1] or bool(rest[0] & rest[1]))


def _new_person(article: Article, person: people.Person) -> dict:
    first = {}
    for mention in person.mentions:
        first.setdefault(mention.name, mention)
    aliases = [
        {"name": name, "kind": "common", "sources": [article.cite(m.start, m.end)]}
        for name, m in first.items() if name != person.name
    ]
    roles = []
    reasons = ["the parser tags the name as a person"]
    titled = next((m for m in person.mentions if m.title and m.role_span), None)
    inferred = []
    if titled:
        sentence = next(s for s in article.sentences if s.start <= titled.start < s.end)
        when = article.when(sentence)[0]
        country = titled.country or person.country
        if country is None:
            country = article.home or article.press or \
                _visitor_country(article, sentence, when, titled.start) or \
                _counterpart_country(article, sentence, person) or \
                _listed_country(article, sentence, titled) or _unnamed_side(article, person)
            if country:
                inferred.append("roles[0].country")
        if country:
            country = countries.at_date(country, when)
        roles.append({
            "title": titled.title,
            "country": country,
            "from": None,
            "to": None,
            # every place the text gives the office, however worded ("his Uruguayan
            # counterpart", then "Uruguay's Foreign Minister"), but not another office
            "sources": [article.cite(*span) for span in dict.fromkeys(
                m.role_span for m in person.mentions
                if m.role_span and m.title and _same_office(m.title, titled.title))][:4],
        })
        reasons.append(f"office '{titled.title}' written beside the name")
    record = {"name": person.name, "aliases": aliases, "roles": roles, "notes": [],
              "inferred": inferred}
    draft = make("people", record, 0.55 + 0.2 * bool(roles) + 0.05 * len(person.mentions) / 3,
                 reasons)
    known = getattr(article.known, "people", []) or []
    draft["matches"] = [{"id": i, "score": score} for i, score in people.similar(person, known)
                        [:3] if score >= 0.5]
    if draft["matches"]:
        draft["reasons"].append("similar to known people, but not enough to be one of them")
    return draft


def _counterpart_country(article: Article, sentence, person: people.Person) -> str | None:
    """An official named beside one of the other country of the article's pair ("Fekete held
    talks with Foreign Minister Javid Rzayev") holds the office of the pair's other country."""
    if len(article.pair) != 2:
        return None
    others = set()
    for mention in sentence.people:
        other = article.person_of(mention)
        if other is None or other is person:
            continue
        country = mention.country or other.country
        if country in article.pair:
            others.add(country)
    if len(others) != 1:
        return None
    (theirs,) = others
    return next(c for c in article.pair if c != theirs)


def _listed_country(article: Article, sentence, mention) -> str | None:
    """"Cambodian King A, Senate President B and Assembly President C": an office in a
    list after one with a country, or "her press secretary" of the person named before."""
    start = mention.role_span[0] if mention.role_span else mention.start
    before = [m for m in sentence.people if m.end <= start]
    if not before:
        return None
    last = before[-1]
    owner = article.person_of(last)
    country = last.country or (owner.country if owner else None)
    gap = article.text[last.end : start]
    if country and (re.fullmatch(r",?\s*(?:and\s+)?(?:[A-Z][\w-]+\s+){0,3}", gap) or re.search(
            r"\b(?:his|her|their)\s+$", gap)):
        return country
    return None


def _unnamed_side(article: Article, person: people.Person) -> str | None:
    """The one country of the article's pair none of whose officials the text gives a
    country: its own officials need no "Jamaican" before their office (inferred)."""
    if len(article.pair) != 2:
        return None
    sides = {p.country for p in article.persons if p is not person and p.country}
    missing = [c for c in article.pair if c not in sides]
    return missing[0] if len(missing) == 1 and sides & set(article.pair) else None


def _visitor_country(article: Article, sentence, when, at: int) -> str | None:
    """In a visit, a person named after the place visited is the host; one named before
    it the visitor, from the other country of the two the sentence concerns."""
    destination = meetings.visit_destination(article, sentence, when)
    if destination is None:
        return None
    if at > destination["_at"]:
        return destination["country"]
    found, _ = article.fill(article.actors(sentence, when), when)
    others = [c for c in found if c != destination["country"]]
    return others[0] if len(others) == 1 else None


def _new_spelling(article: Article, person: people.Person, record: dict) -> dict | None:
    """A known person written another way: an add_source draft holding the spelling as a
    source_spelling alias citing where it appears (the record's other fields stay as
    stored)."""
    known = {key(n) for n in people.names_of(record)}
    aliases, added = [], []
    surnames = {k.split()[-1] for k in known if len(k.split()) > 1}
    for mention in person.mentions:
        form = key(mention.name)
        if form in known or form in surnames or form in {key(a) for a in added}:
            continue  # a name it has, or its surname alone
        aliases.append({"name": mention.name, "kind": "source_spelling",
                        "sources": [article.cite(mention.start, mention.end)]})
        added.append(mention.name)
    if not added:
        return None
    # only what accepting adds: the spellings, each citing this document
    body = {"name": record.get("name"), "aliases": aliases}
    draft = make("people", body, person.score,
                 [f"'{name}' read as {record.get('name')}" for name in added])
    draft["action"] = "add_source"
    draft["target"] = record.get("id")
    draft["matches"] = [{"id": record.get("id"), "score": person.score}]
    return draft
