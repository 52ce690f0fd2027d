"""Event drafts: a development, a position taken, a proposal or a period that is
neither an agreement, a meeting nor a figure."""

from __future__ import annotations

import re

from api.ingest.draft.shape import make
from api.ingest.read.article import Article

_HAPPENINGS = re.compile(
    r"\b(?:established\s+diplomatic\s+relations|(?:first\s+(?:country|capitals?|\w+)\s+to\s+)?"
    r"recogni[sz](?:e|ed|es)\b|froze|frozen|suspended|resumed|reopen(?:ed|ing)|closed|"
    r"filed\s+(?:a|an)\s+(?:case|lawsuit|complaint|suit|application)|ruled|awarded|"
    r"demarcat\w+|without\s+a\s+visa|visa[-\s]free|visa\s+(?:requirements?|regime)\b[^.;]{0,60}?"
    r"\b(?:abolished|lifted|waived|scrapped)|"
    r"abolish(?:ed|es)?\s+(?:the\s+)?visa|opened\s+to\s+traffic|commissioned|inaugurated|"
    r"upgraded|expelled|recalled\s+(?:its|their)\s+ambassador|severed|ordered\s+\w+\s+to\s+"
    r"pay|repa(?:id|ying)|flared|displaced|finished\s+repaying|agreed\s+to\s+provide)\b",
    re.I)
_KINDS = (
    (_HAPPENINGS, "development"),
    (re.compile(r"\bpropos(?:al|ed|es)\b", re.I), "proposal"),
    (re.compile(r"\b(?:supported|backed|opposed|condemned|welcomed|reiterated|rejected|"
                r"endorsed|recogni[sz]ed|criticised|criticized|called\s+for)\b", re.I),
     "position"),
    (re.compile(r"\b(?:during|throughout)\s+the\s+(?:decade|years|period)\b|\bhave\s+(?:steadily\s+)?"
                r"(?:improved|deteriorated|grown|declined)\b|\bhistorically\b", re.I), "period"),
    (re.compile(r"\b(?:disintegration|collapse|dissolution|independence|emergence|invasion|"
                r"occupation|war|coup|elected|election|sanctions|withdrawal|ceasefire)\b",
                re.I), "development"),
)


def draft(article: Article) -> list[dict]:
    out = []
    for sentence in article.sentences:
        kind = next((k for pattern, k in _KINDS if pattern.search(sentence.text)), None)
        if kind is None:
            continue
        when, how = article.when(sentence)
        if kind == "development":
            hit = _HAPPENINGS.search(sentence.text) or _KINDS[-1][0].search(sentence.text)
            if sentence.dates:  # the date written nearest what happened
                at = sentence.start + hit.start()
                nearest = min(sentence.dates, key=lambda m: min(abs(m.start - at),
                                                                abs(at - m.end)))
                when, how = nearest.value, "stated"
        if kind == "period" and how != "stated":
            when = None
        found = article.actors(sentence, when)
        if not found:
            continue
        record = {
            "title": _title(sentence.text),
            "kind": kind,
            "date": when,
            "until": None,
            "countries": found,
            "summary": sentence.text,
            "sources": [article.cite(sentence.start, sentence.end)],
            "notes": [],
            "inferred": ["date"] if how in ("present", "narrative") and when else [],
        }
        reasons = [f"the sentence reports a {kind}"]
        out.append(make("events", record, 0.4 + 0.15 * bool(when), reasons))
    return out


def _title(sentence: str) -> str:
    words = sentence.split()
    title = " ".join(words[:12]).rstrip(",.;:")
    return title + ("…" if len(words) > 12 else "")
