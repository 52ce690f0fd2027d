"""Commentary drafts: the op-ed itself (from its byline), quotes with their speaker
(null when the source does not name one), reported speech, and the author's own
recommendations."""

from __future__ import annotations

import re

from api.ingest.draft.shape import make
from api.ingest.read import countries, people, quotes
from api.ingest.read.article import Article

_RECOMMEND = re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to)\b")


def draft(article: Article) -> list[dict]:
    out = []
    op_ed = _op_ed(article)
    if op_ed:
        out.append(op_ed)
    out += _direct(article)
    out += _reported(article)
    out += _recommendations(article)
    return out


def _author(article: Article) -> dict | None:
    authors = [a for a in article.document.get("authors") or [] if a.get("name")]
    if not authors:
        return None
    first = authors[0]
    person = first.get("person")
    if person is None:
        for record in getattr(article.known, "people", []) or []:
            if first["name"] in people.names_of(record):
                person = record.get("id")
    return {"name": first["name"], "person": person}


def _op_ed(article: Article) -> dict | None:
    author = _author(article)
    if author is None or article.layout.byline is None or article.reporter(author["name"]):
        return None  # a report "By Ana Ruiz" is no op-ed of hers
    sources = []
    if article.layout.title:
        sources.append(article.cite(*article.layout.title))
    sources.append(article.cite(*article.layout.byline))
    record = {
        "kind": "op_ed",
        "author": author,
        "speech": None,
        "text": article.document.get("title") or article.text[slice(*article.layout.byline)],
        "document": article.id,
        "published": article.document.get("published"),
        "published_text": None,
        "countries": list(article.pair),
        "subjects": [],
        "in_reply_to": None,
        "sources": sources,
        "notes": [],
        "inferred": ["countries"],
    }
    return make("commentary", record, 0.85, ["the byline names the author of the piece"])


def _speaker(article: Article, mention) -> tuple[dict | None, str | None]:
    if mention is None:
        return None, None
    person = article.person_of(mention)
    if person is None:
        return {"name": mention.name, "person": None}, mention.country
    return {"name": person.name, "person": person.person}, mention.country or person.country


_BODIES = (r"\b(?:[Mm]inistry|[Pp]alace|[Ee]mbassy|[Dd]epartment|[Oo]ffice|[Pp]residency|"
           r"[Gg]overnment|[Cc]ommission|[Ss]ecretariat|Kremlin|White\s+House|[Cc]ouncil|"
           r"[Aa]gency|[Bb]ank|[Hh]igh\s+[Cc]ommission)")
_BODY_NAME = (rf"(?<![\w-])(?:the\s+)?(?P<body>(?:[A-Z][\w’'.-]*\s+){{0,5}}"
              rf"(?:(?!said|says)[a-z]+\s+)?{_BODIES}"
              rf"(?:\s+(?:of|for)(?:\s+the)?(?:\s+[A-Z][\w’'-]*){{1,5}})?|"
              rf"(?:[a-z]+\s+)?{_BODIES})")
_SAID_AFTER = (re.compile(rf"^[,\s]*(?:{_BODY_NAME})\s+(?:said|says|stated|added|noted|"
                          rf"declared|announced)\b"),
               re.compile(rf"^[,\s]*(?:said|says|stated|added)\s+{_BODY_NAME}"))
_SAID_BEFORE = re.compile(rf"{_BODY_NAME}\s+(?:said|says|stated|added|noted|declared|"
                          rf"announced)(?:\s+in\s+a\s+statement)?(?:\s+that)?[,:\s]*[“\"«„]?$")


_PRESENT_SAY = re.compile(r"\b(?:says|tells|adds|notes|stresses|insists|writes)\b")
# the past-tense verbs that report words said (the day they date is the quote's)
_SAID = (r"(?:said|told|added|stated|noted|declared|stressed|remarked|underlined|emphasi[sz]ed|"
         r"recalled|explained|insisted|warned|wrote|informed|observed|continued|commented|"
         r"affirmed|highlighted|pointed\s+out)")
_PAST_SAY = re.compile(rf"\b{_SAID}\b")


def _institution(article: Article, quote) -> str | None:
    """"..., the foreign ministry said in a statement": the words are the institution's,
    named as the article names it in full ("the palace" after "Malacañang Palace")."""
    after = article.text[quote.end : quote.end + 160]
    before = article.text[max(0, quote.start - 160) : quote.start]
    match = _SAID_AFTER[0].match(after) or _SAID_AFTER[1].match(after) or \
        _SAID_BEFORE.search(before)
    if match is None:
        return _organization_said(article, quote.end)
    body = " ".join(match.group("body").split())
    if body[:1].isupper():
        return body
    head = body.split()[-1].lower()
    # "the Indian Embassy", "the Embassy of India": the body's name before the quote
    named = [re.sub(r"^(?:The|A|An)\s+", "", n) for n in re.findall(
        rf"((?:[A-Z][\w’'.-]*\s+){{0,5}}{head.capitalize()}(?:\s+(?:of|for|in)"
        rf"(?:\s+the)?(?:\s+[A-Z][\w’'-]*){{1,5}})?)", article.text[: quote.start])]
    named = [n for n in named if len(n.split()) > 1]
    if not named:  # "Russia's economy ministry" ... "the ministry said"
        named = re.findall(rf"\b([A-Z][\w’'-]+(?:’s|'s)?\s+(?:[a-z]+\s+){{0,2}}{head})\b",
                           article.text[: quote.start])
    return " ".join(named[-1].split()) if named else None


_ORG_SAID = re.compile(r"^[,\s]*(?:the\s+)?(?P<name>(?:[A-Z][\w’'.&-]*\s+){0,5}[A-Z][\w’'.&-]*)"
                       r"\s+(?:said|says|stated|noted|added|announced)\b")


def _organization_said(article: Article, end: int) -> str | None:
    """"..., Global Affairs Canada said in a statement": an organization the parse names
    right after the quote."""
    match = _ORG_SAID.match(article.text[end : end + 120])
    if match is None:
        return None
    a, b = end + match.start("name"), end + match.end("name")
    sentence = next((s for s in article.sentences if s.start <= a < s.end), None)
    if sentence is None or any(m.start < b and a < m.end for m in sentence.people):
        return None
    if any(e.label_ == "ORG" and e.start_char <= a + 4 and e.end_char >= b - 1
           for e in sentence.ents):
        return " ".join(match.group("name").split())
    return None


_REFERRED = re.compile(
    r"\b(?:(?P<pronoun>he|she)|the\s+(?:\w+\s+){0,3}?(?P<title>minister|president|premier|"
    r"ambassador|secretary|chancellor|speaker|envoy|governor|king|amir|emir|prince|"
    rf"commissioner|director|chairman|chairwoman|mayor|diplomat|leader))\s+(?:also\s+)?"
    rf"(?:says|{_SAID})\b|"
    r"\b(?:said|says|added|"
    r"told)\s+the\s+(?:\w+\s+){0,3}?(?P<title2>minister|president|premier|ambassador|"
    r"secretary|chancellor|speaker|envoy|governor|commissioner|director)\b", re.I)


_HOLDS = {"diplomat": ("minister", "ambassador", "secretary", "envoy"),
          "leader": ("president", "prime minister", "premier", "king", "amir", "emir",
                     "chancellor")}


def _referred(article: Article, quote):
    """"..., he said": the subject of the last sentence before the quote that names anyone;
    "the minister added": the last person named before it who holds that office."""
    around = article.text[max(0, quote.start - 120) : quote.start] + " " + \
        article.text[quote.end : quote.end + 120]
    match = _REFERRED.search(around)
    if match is None:
        return None
    office = (match.group("title") or match.group("title2") or "").lower()
    offices = _HOLDS.get(office, (office,))  # "the top Algerian diplomat": a minister
    before = [m for s in article.sentences for m in s.people if m.end <= quote.start]
    if match.group("pronoun"):  # "he said": the subject of the last sentence naming anyone
        named = [s for s in article.sentences if s.end <= quote.start and s.people]
        if named:
            first = named[-1].people[0]
            person = article.person_of(first)
            if person is None or len(person.name.split()) >= 2:
                return first
    for mention in reversed(before):
        person = article.person_of(mention)
        title = (mention.title or (person.title if person else None) or "").lower()
        if office and not any(o in title for o in offices):
            continue
        if person is not None and len(person.name.split()) < 2 and not office:
            continue  # "Hassan, he said": a fragment; "Minister Azubalis ... the minister said"
        return mention
    return None


def _countries(article: Article, start: int, end: int, speaker_country, when) -> tuple[list, bool]:
    """The speaker's country and the article's pair: a country named inside the words (a war
    elsewhere, a neighbour) is what is spoken about, not who speaks."""
    if len(article.pair) == 2 and (speaker_country is None or speaker_country in article.pair):
        pair = [countries.at_date(c, when) for c in article.pair]
        if speaker_country:
            first = countries.at_date(speaker_country, when)
            pair = [first] + [c for c in pair if c != first]
        inside = []
        for sentence in article.sentences:
            for mention in sentence.countries:
                if start <= mention.start < end and not mention.venue and mention.via != "region":
                    inside.append(countries.capital_at_date(mention, when))
        if set(pair) & set(inside) or speaker_country:
            return pair, False
    found: list[str] = []
    for sentence in article.sentences:
        for mention in sentence.countries:
            if start <= mention.start < end and not mention.venue and mention.via != "region":
                code = countries.capital_at_date(mention, when)
                if code not in found:
                    found.append(code)
    if speaker_country:
        code = countries.at_date(speaker_country, when)
        if code not in found:
            found.insert(0, code)
    return article.fill(found, when)


def _direct(article: Article) -> list[dict]:
    out = []
    said_before = None  # the date the quote before was given
    opinion = _op_ed(article) is not None
    for quote in article.quotes:
        if _a_name(quote.text):
            continue  # "the “Joint Declaration on Comprehensive Partnership”": a title
        sentence = article.sentences[quote.sentence]
        when, how = article.when(sentence)
        published = when if how in ("stated", "narrative") else None
        if quote.carried is not None:  # the same remarks, the same day
            published, how = said_before or quote.carried, "narrative"
        lead = article.lead_date()
        around = article.text[slice(*quote.context)].replace(quote.text, " ")
        if lead and not quote.anonymous and (
                published is None and _PAST_SAY.search(around) or how == "narrative" and (
                    quote.carried is None and published[:7] == lead[:7]
                    and sentence.index not in article.told_by_cast)):
            # words with no date of their own are said on the day the report is about, not
            # on a day of the same weeks an earlier sentence told of; a flashback to
            # another year keeps its date
            published, how = lead, "narrative"
        if published is None and article.ref is not None and not quote.anonymous and (
                _PRESENT_SAY.search(around) or _PAST_SAY.search(around)):
            published, how = article.ref.isoformat(), "present"  # said for this report
        if published is None and not quote.anonymous and not opinion:
            # a report's words with no verb of saying to date them: the day the story tells
            # of (an op-ed quotes from anywhere in time)
            published, how = article.story_date(sentence)
        said_before = published
        speaker = quote.speaker if quote.speaker is not None or quote.anonymous else \
            _referred(article, quote)
        author, speaker_country = _speaker(article, speaker)
        institution = _institution(article, quote)
        if institution is not None:
            author, speaker_country = {"name": institution, "person": None}, None
        found, padded = _countries(article, quote.start, quote.end, speaker_country, published)
        reasons = ["words in quotation marks"]
        if author:
            reasons.append(f"attributed to {author['name']}")
        elif quote.anonymous:
            reasons.append("the source does not name the speaker")
        else:
            reasons.append("no speaker named")
        record = {
            "kind": "quote",
            "author": author,
            "speech": "direct",
            "text": quote.text,
            "document": article.id,
            "published": published,
            "published_text": None,
            "countries": found,
            "subjects": [],
            "in_reply_to": None,
            "sources": [article.cite(*quote.context)],
            "notes": [],
            "inferred": (["published"] if how in ("narrative", "present") else [])
            + (["countries"] if padded else []),
        }
        out.append(make("commentary", record, 0.6 + 0.25 * bool(author), reasons))
    return out


_SMALL = {"of", "on", "for", "and", "the", "in", "between", "to", "a", "an", "with"}
# Reported words about the agreements, visit or talks the article reports, which their own
# drafts hold: "said the new agreements would boost trade", "said this engagement is part of"
_ABOUT_THE_EVENT = re.compile(
    r"^(?:(?:the|this|these|those|both|new|two|signed|latest|recent)\s+)*(?:\w+\s+){0,2}?"
    r"(?:agreements?|MoUs?|memorand\w*|accords?|deals?|documents?|visit|engagement|meeting|"
    r"talks|leaders)\b", re.I)


def _a_name(words: str) -> bool:
    """Words in quotation marks that name something rather than say it: every word but
    the small ones capitalized, no full stop ("Comprehensive Partnership")."""
    tokens = re.findall(r"[\w’'-]+", words)
    return bool(tokens) and "." not in words.rstrip(".") and all(
        t[:1].isupper() or t[:1].isdigit() or t.lower() in _SMALL for t in tokens)


def _reported(article: Article) -> list[dict]:
    out = []
    for sentence in article.sentences:
        if sentence.span is None:
            continue
        for left, right, clause_start, clause_end in quotes.reported(sentence.span):
            speaker = next((m for m in sentence.people if left <= m.start < right
                            or m.start <= left < m.end), None)
            if speaker is None or speaker.start >= clause_start:
                continue
            if any(q.start < clause_end and clause_start < q.end for q in sentence.quotes):
                continue
            if _ABOUT_THE_EVENT.match(article.text[clause_start:clause_end]):
                continue  # "said the agreements would boost trade": the agreement's draft
            when, how = article.when(sentence)
            published = when if how in ("stated", "narrative") else None
            author, speaker_country = _speaker(article, speaker)
            found, padded = _countries(article, clause_start, clause_end, speaker_country,
                                       published)
            record = {
                "kind": "quote",
                "author": author,
                "speech": "reported",
                "text": article.text[clause_start:clause_end],
                "document": article.id,
                "published": published,
                "published_text": None,
                "countries": found,
                "subjects": [],
                "in_reply_to": None,
                "sources": [article.cite(speaker.start, clause_end)],
                "notes": [],
                "inferred": (["published"] if how in ("narrative", "present") else [])
                + (["countries"] if padded else []),
            }
            out.append(make("commentary", record, 0.6,
                            [f"reported speech of {author['name']}"]))
    return out


def _advises(sentence) -> bool:
    """The sentence's main verb carries "should", "must", "ought to", "needs to"."""
    if sentence.span is None:
        return bool(_RECOMMEND.search(sentence.text))
    root = sentence.span.root
    aux = " ".join(c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass"))
    if re.search(r"\b(?:should|must|ought)\b", aux):
        return True
    return root.lower_ in ("need", "needs", "has", "have") and any(
        c.dep_ == "xcomp" for c in root.children)


def _recommendations(article: Article) -> list[dict]:
    author = _author(article)
    if author is None or article.layout.byline is None:
        return []
    out = []
    for sentence in article.sentences:
        if not _advises(sentence) or sentence.people:
            continue
        when = article.document.get("published")
        found, padded = _countries(article, sentence.start, sentence.end, None, None)
        record = {
            "kind": "recommendation",
            "author": author,
            "speech": None,
            "text": sentence.text,
            "document": article.id,
            "published": when,
            "published_text": None,
            "countries": found,
            "subjects": [],
            "in_reply_to": None,
            "sources": [article.cite(sentence.start, sentence.end)],
            "notes": [],
            "inferred": ["countries"] if padded else [],
        }
        out.append(make("commentary", record, 0.5, ["the author says what should be done"]))
    return out
