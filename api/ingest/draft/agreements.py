"""Agreement drafts: a treaty, MoU, deal or purchase a sentence reports, with its
kind, status, parties, date and value."""

from __future__ import annotations

import re

from api.ingest.draft.shape import make, sentence_case
from api.ingest.read import countries
from api.ingest.read.article import Article

_TRIGGER = re.compile(
    r"\b(?:memorandums?\s+of\s+understanding|MoUs?|MOUs?|agreements?|accords?|treat(?:y|ies)|"
    r"pacts?|deals?|contracts?|(?:joint\s+)?(?:statement|declaration)s?\s+of\s+\w+|"
    r"joint\s+(?:statement|declaration)|(?:strategic|comprehensive)"
    r"\s+partnership|purchases?)\b"
)
_KINDS = (
    (re.compile(r"memorandum|MoU|MOU"), "mou"),
    (re.compile(r"treat", re.I), "treaty"),
    (re.compile(r"joint|statement|declaration", re.I), "joint_statement"),
    (re.compile(r"purchase", re.I), "purchase"),
    (re.compile(r"deal|contract", re.I), "deal"),
)
_STATUSES = (
    (re.compile(r"\bunder\s+consideration|\bconsidering\b|\bconsidered\b", re.I),
     "under_consideration"),
    (re.compile(r"\bnegotiat", re.I), "negotiating"),
    (re.compile(r"\bratif", re.I), "ratified"),
    (re.compile(r"\bin\s+force\b|\btook\s+effect|\bcame\s+into\s+effect", re.I), "in_force"),
    (re.compile(r"\blapsed|\bexpired|\bscrapped|\bcancell?ed|\bterminated", re.I), "lapsed"),
    (re.compile(r"(?<!\bto\s)\bsign(?:ed|ing|s)?\b|\bconcluded\b|\binked\b|\bsealed\b|"
                r"\bstruck\b", re.I), "signed"),  # "wants to sign" is no signature
    (re.compile(r"\bexpress(?:ed|es)?\s+(?:its\s+|their\s+)?interest|\bdesire|\bwant(?:s|ed)?\s+to|"
                r"\bkeen\b|\bseek|\binterested\b|\bhop(?:e|es|ed|ing)\b|\bwish", re.I),
     "expressed_interest"),
    (re.compile(r"\bpropos|\boffer", re.I), "proposed"),
)
_NOT_YET = ("proposed", "expressed_interest", "under_consideration", "negotiating")
SECTORS = (
    "debt", "oil", "gas", "energy", "nuclear", "defence", "defense", "trade", "investment",
    "agriculture", "education", "health", "security", "space", "railway", "infrastructure",
    "fisheries", "mining", "technology", "aviation",
)
_DEFENCE = re.compile(r"\b(?:helicopters?|fighter|jets?|tanks?|missiles?|arms|military|weapons?)\b",
                      re.I)


def _refers_back(sentence, match: re.Match) -> bool:
    """"the agreement" with nothing new about it (no date, no value, no "of ...") names an
    agreement already drafted from an earlier sentence."""
    before = sentence.text[: match.start()]
    after = sentence.text[match.end() :]
    if re.search(r"\b(?:without|no|never|failed\s+to\s+(?:reach|agree))\s+(?:an?\s+|any\s+)?"
                 r"(?:\w+\s+)?$", before, re.I):
        return True  # "ended without a deal": no agreement at all
    definite = re.search(r"\b(?:the|this|that|these|those)\s+$", before, re.I)
    specified = re.match(r"\s+(?:of|on|for|to|with|between)\b", after)
    return bool(definite and not specified and not sentence.dates and not sentence.money)


def kind_of(trigger: str) -> str:
    for pattern, kind in _KINDS:
        if pattern.search(trigger):
            return kind
    return "agreement"


def status_of(sentence: str, stated_past: bool) -> tuple[str, bool]:
    """The status the sentence gives, and whether it was read rather than inferred."""
    for pattern, status in _STATUSES:
        if pattern.search(sentence):
            return status, True
    return ("signed" if stated_past else "proposed"), False


def sector_of(sentence: str) -> str | None:
    lower = sentence.lower()
    for sector in SECTORS:
        if re.search(rf"\b{sector}\b", lower):
            return "defence" if sector == "defense" else sector
    return "defence" if _DEFENCE.search(sentence) else None


def _title(article: Article, sentence, match: re.Match, kind: str, sector: str | None) -> str:
    """The noun phrase naming the agreement ("debt-rescheduling agreement"), with its sector."""
    start = sentence.start + match.start()
    chunk = None
    if sentence.span is not None:
        for nc in sentence.chunks:
            if nc.start_char <= start < nc.end_char:
                chunk = nc
                break
    words = chunk.text if chunk is not None else match.group(0)
    words = re.sub(r"^(?:the|a|an|one|this|that|its|their|his|her)\s+", "", words, flags=re.I)
    title = sentence_case(words)
    if sector and sector not in title.lower():
        title += f" on {sector}"
    return title


def draft(article: Article) -> list[dict]:
    out = []
    for sentence in article.sentences:
        match = _TRIGGER.search(sentence.text)
        if match is None:
            continue
        trigger = match.group(0)
        if _refers_back(sentence, match):
            continue
        kind = kind_of(trigger)
        when, how = article.when_at(sentence, sentence.start + match.start())
        status, read = status_of(sentence.text, how in ("stated", "narrative"))
        ref = article.ref.isoformat() if article.ref else None
        if status in _NOT_YET and when and ref and when > ref:
            # "wanted to sign a deal next year": the interest is dated, not the hoped signing;
            # by a date of the sentence that is not ahead, else the document's
            past = [m.value for m in sentence.dates if m.value <= ref]
            when, how = (past[0], "stated") if past else (ref, "present")
        if kind == "purchase" and status == "signed" and re.search(r"\binterest", sentence.text):
            status = "expressed_interest"
        reasons = [f"'{trigger}' names an agreement"]
        inferred = []
        found = article.actors(sentence, when)
        both = [c for c in found if c in _pair_forms(article, when)]
        grouped = article.group(sentence, when)  # "the three countries" names them all
        parties = both if len(both) >= 2 and not grouped else found
        parties, padded = article.fill(parties, when)
        if padded:
            inferred.append("countries")
            reasons.append("parties completed from the countries the article is about")
        if not parties:
            continue
        value = None
        for amount in sentence.money:
            if amount.currency:
                value = {"amount": amount.amount, "currency": amount.currency}
                if amount.inferred_currency:
                    inferred.append("value.currency")
                reasons.append(f"value read from '{article.text[amount.start:amount.end]}'")
                break
        if not read:
            inferred.append("status")
        if how in ("present", "narrative"):
            inferred.append("date")
            origin = "document's date" if how == "present" else "narrative before it"
            reasons.append(f"date {when} read from the {origin}")
        elif when:
            reasons.append(f"date {when} stated in the sentence")
        sector = sector_of(sentence.text)
        source = article.cite(sentence.start, sentence.end)
        record = {
            "title": _title(article, sentence, match, kind, sector),
            "kind": kind,
            "status": status,
            "status_history": [{"status": status, "date": when, "sources": [source]}],
            "countries": parties,
            "date": when,
            "sector": sector,
            "value": value,
            "summary": sentence.text,
            "meeting": None,
            "sources": [source],
            "notes": [],
            "inferred": sorted(set(inferred)),
        }
        confidence = 0.5 + 0.15 * bool(when) + 0.15 * read + 0.1 * (not padded)
        out.append(make("agreements", record, confidence, reasons))
    return out


def _pair_forms(article: Article, when: str | None) -> set[str]:
    """The article's two countries as they stood at ``when`` and as they stand now."""
    return {countries.at_date(c, when) for c in article.pair} | set(article.pair)
