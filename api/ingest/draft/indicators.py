"""Indicator drafts: a named figure (trade turnover, exports, aid) with its value,
currency or unit, and the period it covers."""

from __future__ import annotations

import re

from api.ingest.draft.shape import make
from api.ingest.read import countries
from api.ingest.read.article import Article

_MEASURES = (
    (re.compile(r"\btrade\s+(?:turnover|volume)|\bvolume\s+of\s+trade|\bbilateral\s+trade\b",
                re.I), "trade_turnover", "trade turnover"),
    (re.compile(r"\bexports?\b", re.I), "exports", "exports"),
    (re.compile(r"\bimports?\b", re.I), "imports", "imports"),
    (re.compile(r"\btrade\b", re.I), "trade", "trade"),
    (re.compile(r"\b(?:foreign\s+direct\s+)?investments?\b", re.I), "investment", "investment"),
    (re.compile(r"\bremittances\b", re.I), "remittances", "remittances"),
    (re.compile(r"\baid\b|\bassistance\b", re.I), "aid", "aid"),
    (re.compile(r"\bGDP\b|\bgross\s+domestic\s+product\b"), "gdp", "GDP"),
    (re.compile(r"\bbudget\b", re.I), "budget", "budget"),
    (re.compile(r"\binflation\b", re.I), "inflation", "inflation"),
    (re.compile(r"\bgrowth\b", re.I), "growth", "growth"),
)
_AGREEMENT = re.compile(r"\b(?:agreement|deal|MoU|treaty|accord|contract|loan)\b", re.I)
_ANNUAL = re.compile(r"\bannual(?:ly)?\b|\b(?:per|a)\s+year\b(?!\s+(?:earlier|before|ago))|"
                     r"\byearly\b", re.I)


def draft(article: Article) -> list[dict]:
    out = []
    for sentence in article.sentences:
        if not sentence.money or _AGREEMENT.search(sentence.text):
            continue
        measure = next(((kind, label) for pattern, kind, label in _MEASURES
                        if pattern.search(sentence.text)), None)
        if measure is None:
            continue
        kind, label = measure
        amount = sentence.money[0]
        when, how = article.when(sentence)
        if sentence.dates:  # the date written nearest the figure is the period it covers
            nearest = min(sentence.dates, key=lambda m: min(abs(m.start - amount.end),
                                                            abs(amount.start - m.end)))
            when = nearest.value
        period = when
        inferred = []
        if period and (_ANNUAL.search(sentence.text) or how == "present"):
            period = period[:4]
        if how in ("present", "narrative"):
            inferred.append("period")
        found = article.actors(sentence, when)
        found, padded = article.fill(found, when)
        if padded:
            inferred.append("countries")
        if not found:
            continue
        if amount.inferred_currency:
            inferred.append("currency")
        annual = "Annual " if _ANNUAL.search(sentence.text) else ""
        between = " and ".join(_names(found[:2]))
        title = f"{annual}{label}".strip()
        title = title[:1].upper() + title[1:] + (f" between {between}" if len(found) >= 2 else "")
        record = {
            "title": title,
            "kind": kind,
            "countries": found,
            "value": amount.amount,
            "unit": amount.unit,
            "currency": amount.currency,
            "period": period,
            "summary": sentence.text,
            "sources": [article.cite(sentence.start, sentence.end)],
            "notes": [],
            "inferred": sorted(set(inferred)),
        }
        reasons = [f"'{label}' with the figure '{article.text[amount.start:amount.end]}'"]
        if period:
            reasons.append(f"period {period} ({how})")
        out.append(make("indicators", record, 0.55 + 0.2 * bool(period) + 0.1 * (not padded),
                        reasons))
    return out


def _names(codes: list[str]) -> list[str]:
    return [countries.name(c) for c in codes]
