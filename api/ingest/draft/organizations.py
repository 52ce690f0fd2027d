"""Organization drafts: international bodies the article names ("Shanghai Cooperation
Organization (SCO)") that are not known yet, with the acronym the text gives."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from api.domain.names import key
from api.ingest.draft.shape import make
from api.ingest.read.article import Article

_BODY = re.compile(
    r"\b(?:Organi[sz]ation|Union|Council|Bank|Fund|Forum|Association|Alliance|Community|Agency|"
    r"Nations|Cooperation|Conference|Commission|Court|Treaty)\b"
)
_ACRONYM = re.compile(r"\s+\((?P<acronym>[A-Z][A-Z0-9]{1,7})\)")
_NAME_BEFORE = re.compile(r"[A-Z][\w-]*(?:\s+(?:(?:of|the|for|and|on)\s+)*[A-Z][\w-]*)*$")


def named(text: str) -> list[tuple[str, str]]:
    """"Shanghai Cooperation Organization (SCO)": each acronym in parentheses with the
    capitalised name written just before it (looked for in the 120 characters before)."""
    out = []
    for match in _ACRONYM.finditer(text):
        window = text[max(0, match.start() - 120) : match.start()]
        words = re.split(r"(?<=[a-z,.;:])\s+(?=[a-z])", window)[-1]  # after the last lower-case run
        name = _NAME_BEFORE.search(words)
        if name:
            out.append((name.group(0), match.group("acronym")))
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


def draft(article: Article) -> list[dict]:
    out, seen = [], set()
    known = getattr(article.known, "organizations", []) or []
    for sentence in article.sentences:
        found = []
        for name, acronym in named(sentence.text):
            if _BODY.search(name):
                found.append((name, acronym))
        if sentence.span is not None:
            for ent in sentence.ents:
                name = re.sub(r"^the\s+", "", ent.text, flags=re.I).split(" (")[0]
                if ent.label_ == "ORG" and _BODY.search(name):
                    found.append((name, None))
        for name, acronym in found:
            if key(name) in seen or (acronym and key(acronym) in seen):
                continue
            target, score = link(name, acronym, known)
            seen.update({key(name)} | ({key(acronym)} if acronym else set()))
            if target:
                continue
            record = {"name": name, "acronym": acronym, "aliases": [],
                      "memberships": memberships(article, name, acronym),
                      "notes": [], "inferred": []}
            reasons = [f"'{name}' names an international body"]
            if acronym:
                reasons.append(f"acronym '{acronym}' given in parentheses")
            out.append(make("organizations", record, 0.5 + 0.2 * bool(acronym), reasons))
    return out
