"""Indicator drafts: a named figure (trade turnover, exports, aid) with its value,
currency or unit, and the period it covers."""

from __future__ import annotations

import re

from api.ingest.draft.shape import make
from api.ingest.read import countries, dates
from api.ingest.read.article import Article

_MEASURES = (
    (re.compile(r"\btrade\s+(?:turnover|volume)|\bvolume\s+of\s+trade|\bbilateral\s+trade\b|"
                r"\bcommercial\s+exchange|\btrade\s+exchange|\bmutual\s+trade\b|\btwo-way\s+trade\b",
                re.I), "trade_turnover", "trade turnover"),
    (re.compile(r"\blines?\s+of\s+credit\b|\bcredit\s+lines?\b", re.I), "credit_line",
     "line of credit"),
    (re.compile(r"\bdevelopment\s+(?:cooperation|assistance|aid|finance)\b|\bgrants?\b", re.I),
     "development_aid", "development aid"),
    # many deals' worth; one agreement's worth is that agreement's value
    (re.compile(r"\b(?:projects|contracts|deals|agreements|documents)\s+(?:\S+\s+){0,3}?worth\b|"
                r"\bworth\s+(?:of\s+)?(?:\S+\s+){0,2}?(?:contracts|deals|projects)\b", re.I),
     "deal_value", "value of deals and projects"),
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
_AGREEMENT = re.compile(r"\b(?:agreement|deal|MoU|treaty|accord|contract|loan)s?\b", re.I)
_ANNUAL = re.compile(r"\bannual(?:ly)?\b|\b(?:per|a)\s+year\b(?!\s+(?:earlier|before|ago))|"
                     r"\byearly\b", re.I)


_TARGET = re.compile(r"\b(?:raise|lift|increase|boost|double|triple|take|bring|expand|grow|reach)"
                     r"\w*\b[^.;]{0,80}?\bto\b\s*$|\btarget\b|\baim(?:s|ed|ing)?\b|\bgoal\b",
                     re.I)
_HORIZON = re.compile(r"\b(?:by|in|before)\s+(?:the\s+end\s+of\s+)?(?P<year>(?:19|20)\d\d)\b|"
                      r"\bwithin\s+(?:the\s+next\s+)?(?P<n>two|three|four|five|six|seven|eight|"
                      r"nine|ten|\d{1,2})\s+years\b|\bover\s+the\s+next\s+(?P<decade>decade)\b",
                      re.I)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}


def _horizon(article: Article, text: str) -> str | None:
    match = _HORIZON.search(text)
    if match is None:
        return None
    if match.group("year"):
        return match.group("year")
    if article.ref is None:
        return None
    n = 10 if match.group("decade") else _NUMBER_WORDS.get(match.group("n").lower()) or int(
        match.group("n"))
    return str(article.ref.year + n)


def _measure(sentence, amount) -> tuple[str, str, int] | None:
    """The measure written nearest the figure, in its clause, with where it is."""
    best = None
    for pattern, kind, label in _MEASURES:
        for match in pattern.finditer(sentence.text):
            at = sentence.start + match.start()
            distance = abs(at - amount.start)
            between = sentence.text[min(match.end(), amount.start - sentence.start):
                                    max(match.start(), amount.start - sentence.start)]
            if distance > 120 or ";" in between:
                continue
            if best is None or distance < best[2]:
                best = (kind, label, distance)
    return best


def _merge(drafts: list[dict]) -> list[dict]:
    """The same figure told twice (a standfirst and the story, a headline and the lead) is
    one draft citing each place."""
    out: list[dict] = []
    for draft in drafts:
        record = draft["record"]
        same = next((d for d in out if all(d["record"][k] == record[k] for k in (
            "value", "unit", "currency", "period")) and set(d["record"]["countries"]) ==
            set(record["countries"])), None)
        if same is None:
            out.append(draft)
            continue
        same["record"]["sources"] += [s for s in record["sources"]
                                      if s not in same["record"]["sources"]]
        same["reasons"].append("the same figure told again")
    return out


def draft(article: Article) -> list[dict]:
    out = []
    for sentence in article.sentences:
        if not sentence.money:
            continue
        agreements = [sentence.start + m.start() for m in _AGREEMENT.finditer(sentence.text)]
        for amount in sentence.money:
            measure = _measure(sentence, amount)
            if measure is None:
                measure = _target_of_before(article, sentence, amount)
                if measure is None:
                    continue
            kind, label, distance = measure
            if kind != "deal_value" and any(abs(a - amount.start) < distance for a in agreements):
                continue  # the value of an agreement or a loan, not a figure of trade
            made = _figure(article, sentence, amount, kind, label)
            if made is not None:
                out.append(made)
    return _merge(out)


def _target_of_before(article: Article, sentence, amount) -> tuple[str, str, int] | None:
    """"We want to raise this figure to $30 billion": a target for the measure the sentence
    before names."""
    before = article.text[max(sentence.start, amount.start - 100) : amount.start]
    if sentence.index == 0 or not _TARGET.search(before):
        return None
    previous = article.sentences[sentence.index - 1]
    for pattern, kind, label in _MEASURES:
        if pattern.search(previous.text):
            return kind, label, 0
    return None


_CLAUSE_BREAK = re.compile(r",\s+(?:and|but|while|whereas)\b|;")
_OTHER_CLAUSE = 1000  # characters: any date in the figure's clause is nearer than one outside


def _figure(article: Article, sentence, amount, kind: str, label: str) -> dict | None:
    when, how = article.when(sentence)
    # the date written nearest the figure is the period it covers, inside quoted words too
    # ("In 2024, our mutual trade exceeded $28 billion," the minister said)
    written = list({m.start: m for m in dates.find(sentence.text, sentence.start, article.ref)
                    + sentence.dates}.values())
    # "since 2005", "from 2019" start a span the figure runs to now: not its period
    spans = [m for m in written if re.search(r"\b(?:since|from)\s+(?:the\s+)?$",
                                             article.text[max(0, m.start - 12) : m.start], re.I)]
    if spans and len(spans) == len(written) and article.ref:
        when, how = str(article.ref.year), "present"
    written = [m for m in written if m not in spans]
    if written:
        # a date in the figure's own clause first: "Last year, trade was X, and so far this
        # year it is Y": X is last year's, Y this year's
        def distance(m) -> int:
            a, b = (m.end, amount.start) if m.end <= amount.start else (amount.end, m.start)
            return b - a + (_OTHER_CLAUSE if _CLAUSE_BREAK.search(article.text[a:b]) else 0)

        nearest = min(written, key=distance)
        when, how = nearest.value, "stated"
        to = re.match(r"\s*[-–]\s*((?:19|20)\d\d)\b", article.text[nearest.end : nearest.end + 8])
        if to and len(when) == 4:
            when = to.group(1)  # "in the 2015-2022 period": the figure as of its end
    before = article.text[max(sentence.start, amount.start - 100) : amount.start]
    target = bool(_TARGET.search(before))
    period = when
    inferred = []
    if target:
        period = _horizon(article, article.text[amount.end : sentence.end]) or _horizon(
            article, before)
        label = f"{label} target"
    elif period and (_ANNUAL.search(sentence.text) or how == "present"):
        period = period[:4]
    elif period is None:  # "deals worth $3 billion were signed": in the year of the day the
        when, how = article.story_date(sentence)  # story tells of, or of the report
        if not when or len(when) < 10:
            when, how = (article.ref.isoformat(), "present") if article.ref else (None, how)
        period = when[:4] if when else None
    if how in ("present", "narrative") and not target:
        inferred.append("period")
    found = article.actors(sentence, when)
    found, padded = article.fill(found, when)
    if padded:
        inferred.append("countries")
    if not found:
        return None
    if amount.inferred_currency:
        inferred.append("currency")
    annual = "Annual " if _ANNUAL.search(sentence.text) and not target else ""
    between = " and ".join(_names(found[:2]))
    title = f"{annual}{label}".strip()
    title = title[:1].upper() + title[1:] + (f" between {between}" if len(found) >= 2 else "")
    if amount.unit == "percent":
        title = f"Change in {title[:1].lower() + title[1:]}"
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
        reasons.append(f"period {period} ({'target' if target else how})")
    return make("indicators", record, 0.55 + 0.2 * bool(period) + 0.1 * (not padded), reasons)


def _names(codes: list[str]) -> list[str]:
    return [countries.name(c) for c in codes]
