"""Event drafts: a development between countries that is neither an agreement, a meeting
nor a figure: diplomatic relations established (and the anniversaries that date them),
embassies opened, visas abolished, borders closed and reopened, cases filed and ruled
on, measures imposed, clashes, commissions elevated, arrivals for a visit, projects
inaugurated or handed over; and a position a country took at a stated past date.

Each event is read from the clause its word is in (``clauses``): the date written
there or in the clause it hangs from, the countries named there; a bilateral kind with
one or none of the article's pair named takes the pair. What no such word marks ("the
ministers reviewed the state of relations") is no event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.ingest.draft import clauses
from api.ingest.draft.shape import make, sentence_case
from api.ingest.read import countries
from api.ingest.read.article import Article
from api.ingest.read.text import Sentence


@dataclass(frozen=True)
class Kind:
    """A kind of event: the words that mark it (the group ``v`` is the word the event
    hangs on), whether its parties are the article's pair when the clause names fewer
    ("pair") or only the countries named ("own"), and whether a city of arrival or of an
    embassy is a party."""

    name: str
    pattern: re.Pattern
    parties: str = "pair"
    venues: bool = False
    kind: str = "development"


def _k(name: str, pattern: str, **options) -> Kind:
    return Kind(name, re.compile(pattern, re.I), **options)


_ORDINAL = r"(?P<n>\d{1,3}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)"
_CASE = r"(?:case|lawsuit|complaint|suit|application|claim|proceedings|dispute)"
_BORDER = r"(?:borders?|crossings?|frontiers?|border\s+posts?|checkpoints?)"
_UPPER = r"(?-i:[A-Z])"  # a capital letter, whatever the pattern's flags
KINDS = (
    _k("anniversary", rf"\b{_ORDINAL}\s+anniversary\s+of\s+(?:the\s+)?(?:establishment\s+of\s+)?"
       r"(?:bilateral\s+)?(?:diplomatic\s+)?(?P<v>relations|ties)\b"),
    _k("relations", r"\b(?P<v>establish(?:ed|ing|ment)?)\s+(?:of\s+)?(?:full\s+)?(?:formal\s+)?"
       r"diplomatic\s+(?:relations|ties)|\bdiplomatic\s+(?:relations|ties)\s+(?:were\s+|was\s+|"
       r"had\s+been\s+|have\s+been\s+)?(?P<v2>established)"),
    _k("recognition", r"\b(?:first\s+\w+\s+to\s+)?(?P<v>recogni[sz]e[sd]?)\s+(?:the\s+)?"
       rf"(?:independence\s+of\s+(?:the\s+)?)?(?:Republic\s+of\s+)?{_UPPER}"),
    _k("embassy", r"\b(?P<v>open(?:ed|s)?|inaugurated)\s+(?:an?|its|their|the)\s+(?:new\s+)?"
       r"(?:embassy|consulate|consulate[-\s]general|high\s+commission)\b|"
       r"\b(?:embassy|consulate)\b[^.;]{0,60}?\b(?:was|were|has\s+been|had\s+been)\s+"
       r"(?P<v2>opened|inaugurated)", venues=True),
    _k("visa", r"\b(?P<v>without\s+a\s+visa|visa[-\s]free|abolish(?:ed|es|ing)?\s+(?:the\s+)?"
       r"(?:mutual\s+)?visa|visa\s+(?:requirements?|regime)\b[^.;]{0,60}?\b(?:abolished|"
       r"lifted|waived|scrapped))"),
    _k("border", r"\b(?P<v>(?:re)?open(?:ed|s|ing)?|clos(?:ed|es|ing)|shut|seal(?:ed|s)?)\s+"
       r"(?:(?:in|on)\s+\w+\s+)?(?:(?!talks\b|negotiations\b|on\b|for\b|about\b)\S+\s+){0,4}?"
       rf"{_BORDER}\b|\b{_BORDER}\s+(?:\S+\s+){{0,6}}?(?:was|were|be|been|is|are|"
       r"remain(?:s|ed)?)\s+(?:fully\s+)?(?P<v2>(?:re)?opened|closed|shut|sealed)\b|"
       r"\bclosure\s+(?:\w+\s+){0,3}?(?:was|were)\s+(?P<v3>lifted)|\b(?P<v4>opened)\s+to\s+"
       r"traffic"),
    _k("demarcation", r"\b(?P<v>complet\w*|final|finish\w*|conclud\w*)\s+(?:[^.;%]{0,40}?)"
       r"\bdemarcation\b"),
    _k("case", rf"\b(?P<v>filed|lodged|launched|brought|submitted|initiated)\s+(?:a|an)\s+"
       rf"(?:\w+\s+){{0,2}}?{_CASE}|\b(?P<v2>took|taken|takes)\s+\w+\s+to\s+(?:the\s+)?"
       r"(?:ICJ|WTO|International\s+Court|world\s+court|court|arbitration)\b|"
       r"\b(?P<v3>ruled)\b|\b(?P<v4>ordered)\s+\w+\s+to\s+pay\b"),
    _k("measures", r"\b(?P<v>imposed|impose|slapped|introduced)\b[^.;]{0,40}?\b(?:sanctions|"
       r"duties|tariffs|measures|ban|embargo)\b|\b(?:sanctions|duties|tariffs|measures|ban|"
       r"embargo)\s+(?:\w+\s+){0,3}?(?:was|were|been)\s+(?P<v2>imposed)"),
    _k("membership", rf"\b(?P<v>joined|joining)\s+(?:the\s+)?{_UPPER}|\b(?P<v2>obtained|"
       r"granted|received|gained)\s+observer\s+status|\b(?P<v3>froze|suspended)\s+(?:its|"
       r"their)\s+(?:participation|membership)", parties="own"),
    _k("power", r"\b(?P<v>assumed|came\s+to|took|seized)\s+power\b", parties="own"),
    _k("attack", r"\b(?P<v>terror(?:ist)?\s+attacks?|bombings?|assassination)\b", parties="own",
       venues=True),
    _k("clash", r"\b(?:gun\s*battle|clash(?:es)?|firefight|skirmish(?:es)?|fighting|exchange\s+"
       r"of\s+fire|dispute|tensions?|conflict)\s+(?:\w+\s+){0,2}?(?P<v>erupted|broke\s+out|"
       r"flared)\b|\b(?P<v2>clashed)\b"),
    _k("elevated", r"\b(?P<v>elevat(?:e|ed|es|ing)|upgrad(?:e|ed|es|ing))\b[^.;]{0,90}?\b"
       r"(?:to|into)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,3}?(?:commission|partnership|level|"
       r"relations|status)"),
    _k("talks", r"\b(?P<v>agreed)\s+to\s+hold\s+(?:annual|regular|yearly|biennial|periodic|"
       r"annual\s+and\s+\w+)\s"),
    _k("arrival", rf"\b(?P<v>arrived)\s+in\s+{_UPPER}[^.;]{{0,60}}?\bvisit\b", venues=True),
    _k("land", r"\b(?P<v>agreed|offered|decided)\s+to\s+(?:provide|allocate|grant|donate|give)\s+"
       r"(?:a\s+)?(?:plot\s+of\s+)?(?:land|plot|site|premises)\b"),
    _k("ratified", r"\b(?P<v>ratified)\b"),
    _k("project", r"\b(?P<v>inaugurated|handed\s+over|commissioned|launched\s+the\s+"
       r"construction)\b"),
    _k("suspended", r"\b(?P<v>froze|frozen|suspended|resumed|halted|severed|expelled|"
       r"recalled\s+(?:its|their|the)\s+ambassadors?|finished\s+repaying|repaid|displaced)\b"),
    _k("ambassadors", r"\b(?P<v>appointed|named|accredited)\s+(?:new\s+)?ambassadors?\b",
       venues=True),
    _k("created", r"\b(?:partnership|relations|relationship|ties|commission|committee|council|"
       r"cabinet|authority|mechanism|dialogue|forum)\b[^.;]{0,40}?\b(?P<v>established|created|set\s+up|"
       r"launched|founded)\s+(?:by\s+\w+\s+\w+\s+\w+\s+)?in\s+\d{4}|\b(?P<v2>established|"
       r"created|set\s+up|founded)\s+by\s+the\s+(?:two|three|both)\b"),
    _k("award", r"\b(?P<v>awarded|conferred|bestowed)\b[^.;]{0,60}?\b(?:Order|Medal|"
       r"[Aa]ward|[Hh]onou?r)\b"),
    _k("transport", r"\b(?:air\s+service|flights?|air\s+link|rail\s+link|ferry\s+service)\b"
       r"[^.;]{0,50}?\b(?P<v>launched|opened|resumed|began|started|established)\b|"
       r"\b(?P<v2>launch(?:ed)?|resum(?:e|ed))\s+(?:direct\s+)?(?:flights|air\s+service)\b"),
    _k("missions", r"\bembass(?:y|ies)\s+(?P<v>operate|operates|function|functions)\b",
       venues=True),
    _k("ban", r"\bban\s+on\b[^.;]{0,60}?\b(?:was\s+|were\s+|be\s+|been\s+)?(?P<v>lifted|"
       r"removed|imposed|extended)\b|\b(?P<v2>lift(?:ed)?|removal\s+of)\s+(?:the\s+)?ban\b|"
       r"\bban\b[^.;]{0,40}?\b(?P<v3>permanent)\b"),
    _k("to_be_created", r"\b(?:commission|committee|council|mechanism|working\s+group)\b"
       r"[^.;]{0,40}?\b(?:will|would|to|shall)\s+be\s+(?P<v>set\s+up|established|created)\b"),
    _k("hosting", rf"\b(?P<v>host|hosts|hosted|hosting)\s+(?:the\s+)?(?:\d+\w*\s+)?"
       rf"{_UPPER}\w+(?:\s+{_UPPER}\w+)*\s+(?:Summit|Games|Cup|Forum|Conference)\b",
       parties="own"),
    _k("expulsion", r"\b(?:asked|ordered|told)\s+(?:the\s+)?\w+\s*ambassador\s+"
       r"(?:\w+\s+){0,4}?to\s+(?P<v>leave)\b"),
    _k("war", r"\b(?:trade\s+)?(?P<v>war)\s+between\b"),
    _k("change", r"\b(?P<v>disintegration|collapse|dissolution|emergence|invasion|occupation|"
       rf"coup)\s+(?:of|in)\s+(?:the\s+)?{_UPPER}", parties="own"),
    _k("period", r"\b(?:relations|ties|relationship)\b[^.;]{0,60}?\b(?:have|has)\s+(?:\w+\s+)?"
       r"(?P<v>improved|deteriorated|worsened|warmed|cooled)\b|\b(?:relations|ties)\b[^.;]{0,60}?"
       r"\bhistorically\s+(?P<v2>been)\b", kind="period"),
    _k("proposal", r"\b(?:his|her|its|their|\w+’s|\w+'s)\s+(?P<v>proposal)\s+(?:for|to|on)\b",
       kind="proposal"),
    _k("deported", r"\b(?P<v>deported|expelled)\s+(?:more\s+than\s+|over\s+|about\s+|some\s+)?"
       r"[\d,]+", parties="own"),
    _k("position", r"\b(?P<v>supported|backed|opposed|endorsed|rejected|recogni[sz]ed)\b",
       parties="own", kind="position"),
)
# a word of these kinds that only describes the subject of another event ("flights,
# suspended during the pandemic, were resumed") is no event of its own
# kinds whose word alone may tell of a state of things: an event only with its own date
_DATED = {"suspended", "recognition"}
_DESCRIBING = {"suspended", "project", "created"}
# what an agreement or a meeting step drafts: a treaty suspended is an agreement's status
_NOT_HERE = re.compile(r"\b(?:suspend\w*|froze|frozen)\s+(?:a|an|the|its|their)\s+(?:\w+\s+){0,3}?"
                       r"(?:treaty|agreement|accord|memorandum|deal)\b", re.I)
_MEETING = re.compile(r"\b(?:held\s+talks|met\s+with|talks\s+with|tour)\b", re.I)


@dataclass
class _Hit:
    kind: Kind
    anchor: object  # the token the event hangs on
    head: object  # the word opening its clause
    offset: int
    match: re.Match


def draft(article: Article) -> list[dict]:
    out = []
    for sentence in article.sentences:
        for hit in _hits(sentence):
            record = _record(article, sentence, hit)
            if record is None:
                continue
            confidence = 0.45 + 0.15 * (record["date"] is not None) + 0.1 * (
                len(record["countries"]) >= 2 and hit.kind.kind == "development")
            out.append(make("events", record, confidence,
                            [f"the sentence reports a {hit.kind.name.replace('_', ' ')}"]))
    return out


def _hits(sentence: Sentence) -> list[_Hit]:
    if sentence.span is None:
        return []
    found: list[_Hit] = []
    for kind in KINDS:
        for match in kind.pattern.finditer(sentence.text):
            group = next((g for g in ("v", "v2", "v3", "v4") if match.groupdict().get(g)), None)
            at = match.start(group) if group else match.start()
            anchor = clauses.token_at(sentence, sentence.start + at)
            if anchor is None or not _fits(kind, anchor, sentence, match):
                continue
            head = clauses.head_of(anchor)
            if any(h.head.i == head.i or h.anchor.i == anchor.i for h in found):
                continue
            found.append(_Hit(kind, anchor, head, sentence.start + at, match))
    if len(found) > 1:
        found = [h for h in found if not (h.kind.name in _DESCRIBING and h.head.dep_ == "acl")]
    return sorted(found, key=lambda h: h.offset)


def _fits(kind: Kind, anchor, sentence: Sentence, match: re.Match) -> bool:
    """What the words alone do not tell: the part of speech and the clause they are in."""
    name = kind.name
    if anchor.dep_ == "amod" and name in ("position", "recognition", "period"):
        return False  # "its internationally recognised borders"
    if name in ("border", "suspended", "ratified", "position", "arrival", "project",
                "case", "measures", "membership", "period") and anchor.pos_ not in ("VERB", "AUX"):
        return False  # "the reopening of the border" is talk of it, no event
    if name == "suspended" and _NOT_HERE.search(sentence.text[max(0, match.start() - 5):]):
        return False
    if name == "arrival":
        return clauses.head_of(anchor).dep_ == "ROOT" and not _MEETING.search(sentence.text)
    if name == "ratified":
        if anchor.dep_ != "ROOT" or any(c.dep_ == "auxpass" for c in anchor.children):
            return False
        subject = [t for c in anchor.children if c.dep_ == "nsubj" for t in c.subtree]
        return any(any(t.idx <= m.start < t.idx + len(t.text) for t in subject)
                   for m in sentence.countries)
    return True


def _record(article: Article, sentence: Sentence, hit: _Hit) -> dict | None:
    kind = hit.kind
    when, how, own = clauses.date_of(article, sentence, hit.head, hit.offset)
    if how == "vague":
        return None  # "less than a year after the border reopened": background, undated
    if kind.name == "anniversary":
        when, how = _anniversary(article, sentence, hit, when, how)
    elif kind.name in _DATED and not (own or (how == "stated" and kind.name != "suspended")):
        return None  # "talks frozen for a decade", "will continue to recognise"
    elif not own and any(q.start <= hit.offset < q.end for q in article.quotes):
        return None  # what a speaker says might happen
    if kind.kind == "position" and not _past(article, when, how):
        return None
    if kind.kind == "period" or kind.name == "change":
        when, how = (when, how) if how == "stated" and own else (None, "none")
    found = clauses.named(article, sentence, hit.head, when, kind.venues,
                          reported=kind.name == "case")
    if kind.parties == "pair":
        found = _with_pair(article, found, when)
    if not found:
        return None
    words = clauses.tokens(hit.head)
    first, last = words[0], words[-1]
    phrase = article.text[first.idx : last.idx + len(last.text)]
    return {
        "title": _title(phrase),
        "kind": kind.kind,
        "date": when,
        "until": None,
        "countries": found,
        "summary": sentence.text,
        "sources": [article.cite(sentence.start, sentence.end)],
        "notes": [],
        "inferred": ["date"] if how in ("present", "narrative") and when else [],
    }


def _with_pair(article: Article, found: list[str], when: str | None) -> list[str]:
    """A bilateral event names one of the pair, or neither ("the closure was lifted"):
    the pair is its parties. One named country outside the pair stays on its own."""
    pair = [countries.at_date(c, when) for c in article.pair]
    if len(pair) < 2:
        return found
    same = {countries.at_date(c, "2100") for c in article.pair}
    if not found:
        return pair
    if len(found) == 1 and countries.at_date(found[0], "2100") in same:
        return article.fill(found, when)[0]
    return found


def _past(article: Article, when: str | None, how: str) -> bool:
    """A position is an event when the text dates it before the report."""
    if how not in ("stated", "narrative") or not when or article.ref is None:
        return False
    return when < article.ref.isoformat()[: len(when)]


_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
          "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
          "fifteenth": 15, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
          "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
          "hundredth": 100}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}


def _ordinal(word: str) -> int | None:
    word = word.lower()
    digits = re.match(r"(\d+)", word)
    if digits:
        return int(digits.group(1))
    if word in _UNITS:
        return _UNITS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS and _UNITS[unit] < 10:
        return _TENS[tens] + _UNITS[unit]
    return None


_WHICH_YEAR = re.compile(r"\b(?P<rel>this|next|last)\s+year\b|\bin\s+(?P<year>\d{4})\b", re.I)


def _anniversary(article: Article, sentence: Sentence, hit: _Hit, when, how):
    """"This year marks the 65th anniversary of the establishment of relations": they
    were established 65 years before the year of the anniversary."""
    number = _ordinal(hit.match.group("n"))
    if number is None or article.ref is None:
        return when, how
    year = article.ref.year
    which = _WHICH_YEAR.search(sentence.text)
    if which and which.group("rel"):
        year += {"this": 0, "next": 1, "last": -1}[which.group("rel").lower()]
    elif which and which.group("year"):
        year = int(which.group("year"))
    elif when and how == "stated":
        year = int(when[:4])
    return str(year - number), "stated"


def _title(phrase: str) -> str:
    words = phrase.split()
    title = sentence_case(" ".join(words[:12]))
    return title + ("…" if len(words) > 12 else "")
