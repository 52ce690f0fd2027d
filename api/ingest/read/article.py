"""The article read once: sentences with their dates, countries, people, figures and
quotes, and what the whole text says that single sentences lean on (its main pair of
countries, the date a past-tense sentence continues from, who is who)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from api.domain.names import key
from api.ingest.model import parse as parse_text
from api.ingest.read import countries, dates, money, offices, people, quotes
from api.ingest.read import text as layout_text
from api.ingest.read.text import Layout, Sentence

_STAMP = re.compile(r"\b(?:Published|Updated|Posted|Last\s+updated)\s*(?:at|on|:)", re.I)
_NOW = re.compile(r"\b(?:now|currently|at present|presently|these days|today)\b", re.I)
NARRATIVE_PARAGRAPHS = 2  # how far back a past-tense sentence looks for its date
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}
_GROUP = re.compile(r"\b(?:the\s+)?(two|three|four|five|both)\s+(?:countries|nations|"
                    r"governments|neighbours|neighbors|states|sides|capitals)\b", re.I)


@dataclass
class Article:
    """Everything the drafting steps read."""

    text: str
    document: dict
    known: object
    ref: date | None
    layout: Layout
    sentences: list[Sentence]
    persons: list[people.Person] = field(default_factory=list)
    quotes: list[quotes.Quote] = field(default_factory=list)
    pair: tuple[str, ...] = ()
    dates_of: dict[int, tuple[str | None, str]] = field(default_factory=dict)
    told_by_cast: set[int] = field(default_factory=set)  # dated by a story its people are in

    @property
    def id(self) -> str:
        return self.document["id"]

    def cite(self, start: int, end: int) -> dict:
        return layout_text.cite(self.id, self.text, start, end)

    def when(self, sentence: Sentence) -> tuple[str | None, str]:
        """The sentence's date and how it was found: "stated", "present" (the document's
        date), "narrative" (a past-tense sentence continuing from an earlier date), or
        "none"."""
        return self.dates_of.get(sentence.index, (None, "none"))

    def when_at(self, sentence: Sentence, offset: int) -> tuple[str | None, str]:
        """The date of what is written at ``offset``: the own date of a relative clause or of
        reported words when the offset is inside one ("Brazil, which signed a deal in March
        2005, ..."; "he added that negotiators visited Moscow in May 1976"), else the
        sentence's."""
        clause = _relative_clause(sentence, offset)
        if clause is not None:
            for mention in sentence.dates:
                if _relative_clause(sentence, mention.start) == clause:
                    return mention.value, "stated"
        return self.when(sentence)

    def story_date(self, sentence: Sentence) -> tuple[str | None, str]:
        """The date the story last stated before the sentence (never ahead of the report),
        else the report's own date."""
        ref = self.ref.isoformat() if self.ref else None
        stated = []
        for earlier in reversed(self.sentences[max(0, sentence.index - 8) : sentence.index]):
            when, how = self.when(earlier)
            if how == "stated" and when and (ref is None or when <= ref):
                stated.append(when)
        days = [when for when in stated if len(when) == 10]
        if days:  # a day the story tells, before a year named in the background ("since 2005")
            return days[0], "narrative"
        lead = self.lead_date()
        if lead:
            return lead, "narrative"
        if stated:
            return stated[0], "narrative"
        return (ref, "present") if ref else (None, "none")

    @functools.cached_property
    def home(self) -> str | None:
        """The country of a government publisher ("Ministry of Foreign Affairs of Latvia"):
        a release in the first person speaks for it, and its officials named without a
        country are its own."""
        publisher = self.document.get("publisher") or ""
        match = re.search(r"\b(?:Ministry|Embassy|Government|Presidency|Office|Department|"
                          r"High\s+Commission)\b.*\bof\s+(?:the\s+)?(.+?)\s*$", publisher)
        found = countries.lookup(match.group(1)) if match else None
        return found[0] if found else None

    @functools.cached_property
    def press(self) -> str | None:
        """The country a publisher's name places it in ("Lusaka Times", "Vibe Ghana"), when
        it is one of the article's pair: a paper names its own officials without their
        country."""
        publisher = self.document.get("publisher") or ""
        found = [m.id for m in countries.find(publisher) if m.via in ("name", "capital")]
        return found[0] if found and found[0] in self.pair else None

    def reporter(self, name: str) -> bool:
        """The author is credited as a reporter ("Reporting by Ana Ruiz", or a byline "By Ana
        Ruiz" as news reports print it; an op-ed's byline names its writer without "By"):
        the piece is a report, not the author's own commentary, and journalists are no
        officials of the story."""
        name = re.escape(name)
        byline = self.text[slice(*self.layout.byline)] if self.layout.byline else ""
        return bool(re.search(rf"\b(?:[Rr]eporting|[Ww]riting|[Ee]diting)\s+by\s+{name}\b",
                              self.text)
                    or re.match(rf"\s*(?:By|BY)\s+{name}\b", byline))

    def lead_date(self) -> str | None:
        """The date the report's lead states (its first four sentences, the headline among
        them), not ahead of the report: the day of the event it reports."""
        ref = self.ref.isoformat() if self.ref else None
        stamped = 0
        for sentence in self.sentences[:6]:
            if _STAMP.search(sentence.text):
                stamped += 1
                continue  # "Published at 09:42 AM May 09 2025": the page's, not the event's
            if sentence.index >= 4 + stamped:
                break
            when, how = self.when(sentence)
            if how == "stated" and when and len(when) == 10 and (ref is None or when <= ref):
                return when
        return None

    def actors(self, sentence: Sentence, when: str | None, venues: bool = False) -> list[str]:
        """The countries a sentence names, as they stood at ``when``; venues ("in
        Dushanbe") left out unless asked for."""
        out: list[str] = []
        for mention in sentence.countries:
            if mention.venue and not venues:
                continue
            code = countries.capital_at_date(mention, when)
            if code not in out:
                out.append(code)
        for code in self.group(sentence, when):
            if code not in out:
                out.append(code)
        return out

    def group(self, sentence: Sentence, when: str | None) -> list[str]:
        """"the three countries": the three countries the latest sentence naming exactly
        three of them named."""
        match = _GROUP.search(sentence.text)
        if match is None:
            return []
        size = _NUMBERS[match.group(1).lower()]
        for earlier in reversed(self.sentences[: sentence.index + 1]):
            named = list(dict.fromkeys(
                countries.capital_at_date(m, when) for m in earlier.countries
                if m.via != "region" and not (m.venue and earlier is sentence)))
            if len(named) == size:
                return named
        return []

    def fill(self, found: list[str], when: str | None, minimum: int = 2) -> tuple[list[str], bool]:
        """Countries padded from the article's main pair: a sentence about "the two
        countries" names neither. Returns the list and whether it was padded."""
        result = list(found)
        padded = False
        for code in self.pair:
            if len(result) >= minimum:
                break
            code = countries.at_date(code, when)
            if code not in result and not _same_state(code, result):
                result.append(code)
                padded = True
        return result, padded

    def person_of(self, mention: people.Mention) -> people.Person | None:
        return self.persons[mention.cluster] if mention.cluster >= 0 else None


def _same_state(code: str, found: list[str]) -> bool:
    """RU and SUHH in one list would name one state twice."""
    return any(countries.at_date(code, "2000") == countries.at_date(c, "2000") for c in found)


def read(nlp, text: str, document: dict, known) -> Article:
    """Parse the text once and gather what every drafting step needs."""
    doc = parse_text(nlp, text)
    lay = layout_text.layout(text, document)
    sents = layout_text.sentences(doc, text, lay)
    ref = dates.reference(document)
    article = Article(text, document, known, ref, lay, sents)
    extra = [a.get("name") for a in document.get("authors") or []]
    for record in getattr(known, "people", []) or []:
        extra += people.names_of(record)
    mentions = []
    quoted = [(q.start, q.end) for q in quotes.find(text, *lay.body)]
    for sentence in sents:
        # a date inside quotation marks is what was said, not when
        ahead = functools.partial(_future, sentence)
        sentence.dates = [m for m in dates.find(sentence.text, sentence.start, ref, ahead)
                          if not any(a <= m.start < b for a, b in quoted)]
        sentence.people = (
            people.find(sentence.span, text, extra, sentence.ents) if sentence.span else []
        )
        # names the parser missed or cut short after an office ("Minister of Transport
        # Guillermo Reyes Gonzalez" tagged as "Reyes Gonzalez")
        missed = people.by_office(text, sentence.start, sentence.end, [])
        for mention in missed:
            offices.office(mention, text)
        inside = [m for m in sentence.people if any(
            o.start <= m.start and m.end <= o.end and len(o.name) > len(m.name) for o in missed)]
        kept = [m for m in sentence.people if m not in inside]
        missed = [o for o in missed if not any(o.start < m.end and m.start < o.end for m in kept)]
        sentence.people = sorted(kept + missed, key=lambda m: m.start)
        mentions += sentence.people
        spans = [(m.start, m.end) for m in sentence.people]
        sentence.countries = countries.find(sentence.text, sentence.start, spans)
    parts = {part for m in mentions for part in key(m.name).split() if len(m.name.split()) > 1}
    parts -= {"the", "of", "al", "bin", "van", "von", "de"}
    for sentence in sents:
        taken = [(m.start, m.end) for m in sentence.people]
        more = people.surnames(text, sentence.start, sentence.end, parts, taken)
        if more:
            for mention in more:
                offices.office(mention, text)
            sentence.people = sorted(sentence.people + more, key=lambda m: m.start)
            mentions += more
            spans = [(m.start, m.end) for m in sentence.people]
            sentence.countries = countries.find(sentence.text, sentence.start, spans)
    article.persons = people.group(mentions)
    for person in article.persons:
        person.person, person.score = people.link(person, getattr(known, "people", []) or [])
    _resolve_counterparts(article)
    _known_roles(article)
    article.pair = _pair(sents, document.get("title") or "")
    _date_sentences(article)
    for sentence in sents:
        codes = tuple(article.actors(sentence, article.when(sentence)[0]))
        sentence.money = money.find(sentence.text, sentence.start, codes + article.pair)
    _find_quotes(article)
    return article


def _pair(sentences: list[Sentence], title: str = "") -> tuple[str, ...]:
    """The two countries the article is most about (a former state counts for its
    continuing state: the Soviet Union's mentions are Russia's history)."""
    counts: Counter[str] = Counter(
        countries.at_date(m.id, "2100") for m in countries.find(title) if m.via != "region")
    for sentence in sentences:
        for mention in sentence.countries:
            if mention.via not in ("region", "dateline"):
                # the headline and the lead name the pair: they weigh double; a venue ("in
                # Kuala Lumpur, Malaysia") may only host the pair: it weighs half
                weight = 0.5 if mention.venue else 2 if sentence.index < 3 else 1
                counts[countries.at_date(mention.id, "2100")] += weight
    return tuple(code for code, _ in counts.most_common(2))


def _tense(sentence: Sentence) -> str:
    """past, present or none, from the parse of the sentence's main verb."""
    span = sentence.span
    if span is None:
        return "none"
    if _NOW.search(sentence.text):
        return "present"
    root = span.root
    tags = {root.tag_} | {c.tag_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    words = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if words & {"has", "have", "is", "are", "am", "will", "shall", "should", "must", "can",
                "may", "would", "could", "might"} or tags & {"VBZ", "VBP", "MD"}:
        return "present"
    if tags & {"VBD"} or words & {"was", "were", "had", "did"}:
        return "past"
    return "none"


@dataclass
class _Story:
    """A dated past event and the sentences that go on telling it."""

    date: str
    paragraph: int  # the latest paragraph it is told in
    sentence: int  # the sentence that dates it
    cast: set[int]  # the people in it


def _date_sentences(article: Article) -> None:
    """Each sentence's date: the first date of its main clause (not one inside a relative
    clause: "a pact that Seoul threatened to scrap in 2019"). A past-tense sentence
    without one goes on with a story told before: the latest one its people are in (a
    flashback to 2017 does not date what the minister said on Wednesday); else, naming
    no one from any story, the story told last when it directly follows the sentence
    that dates it or is in the paragraph it was last told in."""
    ref = article.ref.isoformat() if article.ref else None
    stories: list[_Story] = []
    latest: _Story | None = None
    for sentence in article.sentences:
        here = {m.cluster for m in sentence.people}
        tense = _tense(sentence)
        main = [m for m in sentence.dates
                if not _subordinate(sentence, m) and not _in_dateline(article, m)]
        if main:
            value = main[0].value
            article.dates_of[sentence.index] = (value, "stated")
            # only a dated past event starts a story ("in force since 2014" does not)
            latest = None
            if tense != "present":
                latest = _Story(value, sentence.paragraph, sentence.index, set(here))
                stories.append(latest)
            continue
        if tense == "present" and ref:
            article.dates_of[sentence.index] = (ref, "present")
            continue
        if tense != "past":
            continue
        story = next((s for s in reversed(stories) if here & s.cast), None)
        if story is not None:
            article.told_by_cast.add(sentence.index)
        if story is None and latest is not None and not here & set().union(
                *(s.cast for s in stories)):
            near = sentence.paragraph - latest.paragraph < NARRATIVE_PARAGRAPHS
            if near and (sentence.index == latest.sentence + 1
                         or sentence.paragraph == latest.paragraph):
                story = latest
        if story is not None:
            article.dates_of[sentence.index] = (story.date, "narrative")
            story.cast |= here
            story.paragraph = sentence.paragraph
            latest = story


_FUTURE_AUX = {"will", "shall", "'ll", "’ll"}
_FUTURE_VERBS = {"expected", "due", "scheduled", "set", "poised", "planned", "plans", "plan"}


def _future(sentence: Sentence, offset: int) -> bool:
    """The verb a date at ``offset`` belongs to speaks of the future: "will meet on
    Monday", "is expected to visit next month"."""
    if sentence.span is None:
        return False
    token = next((t for t in sentence.span if t.idx <= offset < t.idx + len(t.text)), None)
    while token is not None:
        if token.lower_ in _FUTURE_VERBS:  # "due", "expected", "scheduled"
            return True
        if token.pos_ in ("VERB", "AUX"):
            words = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
            if words & _FUTURE_AUX:
                return True
            head = token.head
            # "is expected to visit": the verb governing an infinitive decides
            if token.dep_ == "xcomp" and head.i != token.i:
                token = head
                continue
            return False
        if token.head.i == token.i:
            return False
        token = token.head
    return False


_SPEECH_NOUNS = {"statement", "release", "communique", "communiqué", "remarks", "speech",
                 "interview", "address", "briefing", "message", "letter", "declaration"}


def _relative_clause(sentence: Sentence, offset: int) -> int | None:
    """Where the relative clause or the reported words the text at ``offset`` is in
    begin, or None."""
    if sentence.span is None:
        return None
    token = next((t for t in sentence.span if t.idx <= offset < t.idx + len(t.text)), None)
    while token is not None and token.head.i != token.i:
        if token.dep_ == "relcl":
            # "in a statement he issued on Sunday": the statement's day is the sentence's
            return None if token.head.lower_ in _SPEECH_NOUNS else token.idx
        token = token.head
    return next((a for _, _, a, b in quotes.reported(sentence.span) if a <= offset < b), None)


def _in_dateline(article: Article, mention: dates.Mention) -> bool:
    """"PALIKIR (Agency): February 13, 1997 - The secretary signed ... on February 12": the
    dateline's date is the report's, not the event's."""
    line_start = article.text.rfind("\n", 0, mention.start) + 1
    head = article.text[line_start : mention.start]
    return len(head) < 80 and bool(re.search(r"[:(]", head)) and bool(
        re.match(r"\s*[-–—]+\s", article.text[mention.end : mention.end + 5]))


def _subordinate(sentence: Sentence, mention: dates.Mention) -> bool:
    """The date sits in a relative clause or in reported words ("said the two countries
    would expand exchanges next year"), so it dates something else than the sentence."""
    return _relative_clause(sentence, mention.start) is not None


def _resolve_counterparts(article: Article) -> None:
    """"his Pakistani counterpart X" holds the office of the person named before it."""
    for sentence in article.sentences:
        for i, mention in enumerate(sentence.people):
            if mention.title == "Counterpart":
                other = next((m for m in sentence.people[:i] if m.title and
                              m.title != "Counterpart"), None)
                if other is None:  # the office the person named before holds elsewhere
                    before = [article.person_of(m) for m in sentence.people[:i]]
                    other = next((p for p in before if p is not None and p.title), None)
                if other is None:  # or the last office of another country told before
                    earlier = [m for s in article.sentences[: sentence.index]
                               for m in s.people]
                    other = next((m for m in reversed(earlier) if m.title and m.title !=
                                  "Counterpart" and m.country != mention.country), None)
                mention.title = other.title if other else None
    for person in article.persons:
        titled = [m for m in person.mentions if m.title]
        person.title = titled[0].title if titled else None


def _known_roles(article: Article) -> None:
    """A known person's office and country fill what the text leaves out."""
    by_id = {r.get("id"): r for r in getattr(article.known, "people", []) or []}
    for person in article.persons:
        record = by_id.get(person.person)
        if record is None:
            continue
        person.country = person.country or people.known_country(record)
        person.title = person.title or people.known_title(record)
        if person.country:
            for sentence in article.sentences:
                for mention in sentence.people:
                    if mention.cluster >= 0 and article.persons[mention.cluster] is person:
                        sentence.countries.append(
                            countries.Mention(mention.start, mention.end, person.country, "role"))
                sentence.countries.sort(key=lambda m: m.start)


def _find_quotes(article: Article) -> None:
    start, end = article.layout.body
    found = []
    for quote in quotes.find(article.text, start, end):
        sentence = next((s for s in article.sentences if s.start <= quote.start < s.end), None)
        if sentence is None:
            continue
        found.append(quote)
        last = next((s for s in reversed(article.sentences) if s.start < quote.end), sentence)
        quote.context = (min(sentence.start, quote.start), max(last.end, quote.end))
        quote.sentence = sentence.index
        quotes.attribute(quote, sentence.start, sentence.text, sentence.people)
        if quote.speaker is None and not quote.anonymous and last is not sentence:
            # a quote over paragraphs is attributed where it closes
            quotes.attribute(quote, last.start, last.text, last.people)
            if quote.speaker is not None:
                sentence = last
                quote.sentence = last.index
        pronoun = re.search(rf"\b(?:he|she)\s+{quotes.SAY}\b", article.text[quote.end : last.end])
        if quote.speaker is None and not quote.anonymous and pronoun:
            quote.speaker = _last_person_before(article, sentence)
        sentence.quotes.append(quote)
    _carry_speakers(article, found)
    article.quotes = found


def _carry_speakers(article: Article, found: list[quotes.Quote]) -> None:
    """A quote that opens its sentence with no attribution of its own, right after a
    sentence with an attributed quote, goes on with the same speaker."""
    previous = None
    for quote in found:
        sentence = article.sentences[quote.sentence]
        opens = sentence.start == quote.start
        if (quote.speaker is None and not quote.anonymous and opens and previous is not None
                and previous.speaker is not None
                and quote.sentence - previous.sentence <= 1):
            quote.speaker = previous.speaker
            before = article.when(article.sentences[previous.sentence])
            quote.carried = before[0] if before[1] in ("stated", "narrative") else None
        previous = quote


def _last_person_before(article: Article, sentence: Sentence):
    """Whom "he said" refers to: the last person named before, passing over a lone word
    with no office (an agency's name the parser took for a person)."""
    for earlier in reversed(article.sentences[: sentence.index + 1]):
        for mention in reversed(earlier.people):
            person = article.person_of(mention)
            if person is None or len(person.name.split()) > 1 or person.title:
                return mention
    return None
