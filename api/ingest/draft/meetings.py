"""Meeting drafts: talks, visits and summits, with kind, date, location, participants
and the larger gathering they were held at."""

from __future__ import annotations

import re

from api.ingest.draft.shape import make
from api.ingest.read import countries, dates, offices
from api.ingest.read.article import Article

_TRIGGER = re.compile(
    r"\b(?:met|meet|meets|meeting|talks|visit(?:ed|s|ing)?|summit|hosted|discussed|"
    r"received|trip\s+to|arrived\s+in|consultations|called\s+on|witnessed\s+the|"
    r"round\s+of\s+(?:\w+\s+)?(?:dialogue|talks)|session\s+of\s+the\s+(?:\w+[-\s]){1,4}"
    r"(?:commission|committee)|one-on-one|delegation-level)\b|"
    r"\b(?:was|were)\s+in\s+(?=(?-i:[A-Z]))",
    re.I,
)
_MEET = re.compile(r"\b(?:met|meet|meets|meeting|talks|hosted|received|summit|consultations|"
                   r"discussed|called\s+on|witnessed\s+the|dialogue|session|one-on-one|delegation-level|"
                   r"is\s+visiting|are\s+visiting)\b", re.I)
# "conveyed to him the greetings of the Amir": the Amir sent word, he was not there
_ABSENT = re.compile(r"\b(?:greetings|regards|message|letter|wishes|condolences)\s+(?:of|from)\b"
                     r"[^,.;]{0,70}$", re.I)
_SIDELINES = re.compile(r"\bon\s+the\s+sidelines?\s+of\b", re.I)
_SUMMIT = re.compile(
    r"(?P<name>[A-Z][\w-]*\s+(?:(?:of|the|and|for|on)\s+|[A-Z][\w-]*\s+)*"
    r"(?:\([A-Z0-9]{2,8}\)\s+)?)?(?P<word>summit)"
    r"(?:\s+(?:in|at)\s+(?P<city>[A-Z][\w-]+))?",
)
_DESTINATION = re.compile(
    r"\b(?:visit(?:ed|s|ing)?(?:\s+to)?|trip\s+to|arriv(?:ed|es|ing)\s+in|"
    r"travel(?:l?ed|s|l?ing)?\s+to|flew\s+to|fly\s+to|(?:was|were)\s+in(?=\s+[A-Z][\w-]+"
    r"(?:\s+[A-Z][\w-]+)?\s+(?:for|on|from)\b))\s+"
    r"(?:the\s+)?(?P<place>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)"
)
# An office named without a person: "Pakistan’s petroleum minister".
_OFFICE_ONLY = re.compile(
    rf"(?P<owner>[A-Z][\w-]+)(?:’s|'s)?\s+(?P<title>{offices.OFFICE})(?:’s|'s)?"
    r"(?!\s+[A-Z])",
)
# "A joint meeting of the two cabinets has been held in Vilnius": a meeting told as held
_HELD = re.compile(r"\b(?:was|were|has\s+been|have\s+been|is\s+being)\s+held\b|\btook\s+place\b",
                   re.I)
# "the first Council meeting of Kazakhstan and Uzbekistan": a meeting of the two named
_OF_BOTH = re.compile(r"\b(?:meeting|talks|session|consultations)\s+(?:of|between)\s+(?-i:[A-Z])",
                      re.I)
_MULTI_WORDS = re.compile(r"\b(?:meetings|capitals|leaders\s+have\s+since)\b", re.I)


def draft(article: Article) -> list[dict]:
    out = []
    for sentence in article.sentences:
        match = next((m for m in _TRIGGER.finditer(sentence.text)
                      if not _refers_back(sentence, m)), None)
        if match is None or _MULTI_WORDS.search(sentence.text) and not sentence.dates:
            continue
        when, how = article.when_at(sentence, sentence.start + match.start())
        quoted = _quoted_date(article, sentence, match)
        if quoted:  # “I remember his visit to Dili in 2014,” said the President
            when, how = quoted, "stated"
        if when is None:  # "the ministers held talks": on the day the story last stated
            when, how = article.story_date(sentence)
        participants, participant_countries = _participants(article, sentence, when)
        if match.group(0).lower() == "discussed" and (
                len(participants) < 2 or len(set(participant_countries)) < 2):
            continue  # "A of X and B of Y discussed ...": a meeting; "the cabinet discussed": no
        destination = visit_destination(article, sentence, when)
        sideline = _SIDELINES.search(sentence.text)
        summit = _SUMMIT.search(sentence.text)
        venue = next((m for m in sentence.countries if m.venue), None)
        location = None
        if destination:
            location = destination
        elif venue:
            location = {"city": venue.city, "country": countries.capital_at_date(venue, when)}
        if not destination and not _MEET.search(sentence.text):
            continue  # "his visit" refers back to a visit already drafted
        dated_venue = bool(sentence.dates) and (venue is not None or
                                                article.actors(sentence, when))
        held = (_HELD.search(sentence.text) or _OF_BOTH.search(sentence.text)) and (
            venue is not None or len(article.actors(sentence, when)) >= 2)
        if not participants and not destination and not summit and not dated_venue and \
                not held:
            continue
        head = any((p.get("role") or "").lower() in offices.HEADS for p in participants)
        if sideline:
            kind = "sideline_meeting"
        elif re.search(r"\bstate\s+visit", sentence.text, re.I) or (destination and head):
            kind = "state_visit"
        elif destination:
            kind = "official_visit"
        elif summit:
            kind = "summit"
        else:
            kind = "bilateral_meeting"
        found = list(dict.fromkeys(participant_countries))
        if destination and destination["country"] not in found:
            found.append(destination["country"])
        if kind in ("bilateral_meeting", "sideline_meeting", "summit"):
            found += [c for c in article.actors(sentence, when) if c not in found]
        inferred = []
        result, padded = article.fill(found, when)
        if padded:
            inferred.append("countries")
        if not result:
            continue
        _guess_countries(participants, result, destination)
        occasion = _occasion(article, sentence, summit) if (sideline or summit) else None
        reasons = [f"'{match.group(0)}' reports a meeting"]
        if when:
            reasons.append(f"date {when} ({how})")
        if how in ("present", "narrative"):
            inferred.append("date")
        source = article.cite(sentence.start, sentence.end)
        title = _title(kind, participants, location, occasion)
        for participant in participants:
            participant.pop("_name", None)
            participant.pop("_start", None)
        if location:
            location.pop("_at", None)
        record = {
            "title": title,
            "kind": kind,
            "date": when,
            "location": location,
            "participants": participants,
            "countries": result,
            "occasion": occasion,
            "summary": sentence.text,
            "sources": [source],
            "notes": [],
            "inferred": sorted(set(inferred)),
        }
        confidence = 0.45 + 0.2 * bool(when) + 0.15 * bool(participants) + 0.1 * (not padded)
        # "The meeting was held on 9 May, the day ...": the meeting told before, dated now
        back = bool(re.search(r"\b(?:the|this|that|today['’]s)\s+$",
                              sentence.text[: match.start()], re.I))
        out.append((make("meetings", record, confidence, reasons), back))
        if sideline and summit:
            out.append((_summit_draft(article, sentence, summit, when, participants, result,
                                      venue), False))
    return _merge(out)


def _quoted_date(article: Article, sentence, match: re.Match) -> str | None:
    """The date written in the same quoted words as a meeting told inside them."""
    at = sentence.start + match.start()
    quote = next((q for q in article.quotes if q.start <= at < q.end), None)
    if quote is None:
        return None
    found = [m for m in dates.find(article.text[quote.start : quote.end], quote.start,
                                   article.ref)
             if sentence.start <= m.start < sentence.end]
    if not found:
        return None
    return min(found, key=lambda m: abs(m.start - at)).value


def _who(record: dict) -> set[tuple]:
    return {(p.get("person"), p.get("role"), p.get("country")) for p in record["participants"]}


def _same_meeting(a: dict, b: dict) -> bool:
    """Two sentences telling of one meeting: the same countries, day and place, and the
    same people (or one sentence names none)."""
    if a["kind"] == "summit" or b["kind"] == "summit":
        return False
    if set(a["countries"]) != set(b["countries"]) and (
            _who(b) or not set(a["countries"]) < set(b["countries"])):
        return False  # unless one, naming no one, adds countries told of in passing
    if not dates.compatible(a["date"], b["date"]):
        return False
    if a["location"] and b["location"] and a["location"] != b["location"]:
        return False
    if re.search(r"\balso\s+(?:met|held|received|called|hosted)", b["summary"]):
        return False  # "X also met Y": another meeting
    who_a, who_b = _who(a), _who(b)
    return who_a <= who_b or who_b <= who_a  # "A and B met" and "A met him"; not A with C


def _merge(drafts: list[tuple[dict, bool]]) -> list[dict]:
    """One meeting told in several sentences is one draft citing each of them; a draft
    that refers back ("the meeting") and names no one joins the meeting drafted before."""
    out: list[dict] = []
    for draft, back in drafts:
        record = draft["record"]
        same = next((d for d in out if _same_meeting(d["record"], record)), None)
        if same is None and back and out and not _who(record) and \
                out[-1]["record"]["kind"] != "summit" and \
                dates.compatible(out[-1]["record"]["date"], record["date"]):
            same = out[-1]
        if same is None:
            out.append(draft)
            continue
        kept = same["record"]
        kept["sources"] += [s for s in record["sources"] if s not in kept["sources"]]
        kept["participants"] += [p for p in record["participants"]
                                 if p not in kept["participants"]]
        kept["location"] = kept["location"] or record["location"]
        if record["date"] and len(record["date"]) > len(kept["date"] or ""):
            kept["date"] = record["date"]  # the day another sentence gives the year it told
        same["reasons"].append("told again in another sentence")
    return out


def _refers_back(sentence, match: re.Match) -> bool:
    """"after the talks", "during the visit": a meeting drafted from an earlier sentence,
    unless this one dates it."""
    before = sentence.text[: match.start()]
    return bool(re.search(r"\b(?:the|this|that|these|those|his|her|their)\s+$", before, re.I)
                and not sentence.dates and not re.match(r"\s+(?:to|of|with)\b",
                                                       sentence.text[match.end():]))


def _participants(article: Article, sentence, when) -> tuple[list[dict], list[str]]:
    seen, out, found = set(), [], []
    for mention in sentence.people:
        person = article.person_of(mention)
        if person is None or id(person) in seen:
            continue
        if _ABSENT.search(article.text[sentence.start : mention.start]):
            continue
        seen.add(id(person))
        country = mention.country or person.country
        country = countries.at_date(country, when) if country else None
        out.append({"person": person.person, "role": mention.title or person.title,
                    "country": country, "_name": person.name, "_start": mention.start})
        if country:
            found.append(country)
    for match in _OFFICE_ONLY.finditer(sentence.text):
        owner, title = offices.split_owner(match.group("owner"), match.group("title"))
        if not owner or title.lower() in ("leader", "counterpart", "leaders", "counterparts"):
            continue
        country = countries.at_date(owner, when)
        if any(p["role"] == title and p["country"] == country for p in out):
            continue
        out.append({"person": None, "role": title, "country": country, "_name": None,
                    "_start": sentence.start + match.start()})
        found.append(country)
    return out, found


def _guess_countries(participants: list[dict], result: list[str], destination) -> None:
    """In a visit, whose country the sentence does not give: one named before the place
    visited is the visitor, from the other party; one named after it, the host."""
    host = destination["country"] if destination else None
    for participant in participants:
        if participant["country"] is None and host:
            if participant.get("_start", 0) > destination["_at"]:
                participant["country"] = host
                continue
            others = [c for c in result if c != host]
            if len(others) == 1:
                participant["country"] = others[0]


# "the official visit of the President of Armenia to Russia"
_VISIT_OF = re.compile(r"\bvisits?\s+of\s+[^,.;]{3,80}?\s+to\s+(?:the\s+)?"
                       r"(?P<place>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)")


def visit_destination(article: Article, sentence, when) -> dict | None:
    """Where a sentence says someone went ("visited Pakistan", "visit to Moscow")."""
    match = _DESTINATION.search(sentence.text) or _VISIT_OF.search(sentence.text)
    if match is None:
        return None
    words = re.sub(r"(?:’s|'s)$", "", match.group("place")).split()
    hit, place = None, None
    for place in (" ".join(words), words[0]):  # "New Delhi" before "New"
        place = re.sub(r"(?:’s|'s)$", "", place)
        hit = countries.lookup(place)
        if hit:
            break
    if not hit:
        return None
    code, how = hit
    if len(words) > 1 and any(m.via == "demonym" for m in countries.find(words[0])):
        return None  # "the visiting Ghanaian President": where the visitor is from
    at = sentence.start + match.start("place")  # where the place is named
    if how == "capital":
        mention = countries.Mention(0, 0, code, how, False, place)
        return {"city": place, "country": countries.capital_at_date(mention, when), "_at": at}
    return {"city": None, "country": countries.at_date(code, when), "_at": at}


def _occasion(article: Article, sentence, summit) -> dict | None:
    organization = None
    name = "summit"
    if summit:
        name = ((summit.group("name") or "") + summit.group("word")).strip()
    for record in getattr(article.known, "organizations", []) or []:
        names = [record.get("name"), record.get("acronym")] + [
            a.get("name") for a in record.get("aliases") or []]
        if any(n and re.search(rf"\b{re.escape(n)}\b", sentence.text) for n in names):
            organization = record.get("id")
            break
    return {"organization": organization, "name": name}


def _summit_draft(article, sentence, summit, when, participants, result, venue) -> dict:
    start = sentence.start + summit.start()
    end = sentence.start + summit.end()
    while article.text[start] == "(":
        start += 1
    location = None
    found = list(result)
    if venue is not None:
        host = countries.capital_at_date(venue, when)
        location = {"city": venue.city, "country": host}
        if host not in found:
            found.append(host)
    occasion = _occasion(article, sentence, summit)
    record = {
        "title": occasion["name"] + (f" in {venue.city}" if venue else ""),
        "kind": "summit",
        "date": when,
        "location": location,
        "participants": [dict(p) for p in participants],
        "countries": found,
        "occasion": occasion,
        "summary": sentence.text,
        "sources": [article.cite(start, end)],
        "notes": [],
        "inferred": ["countries"] + (["date"] if when else []),
    }
    reasons = ["a meeting held on the sidelines of a summit: the summit itself"]
    return make("meetings", record, 0.6 + 0.1 * bool(when), reasons)


def _title(kind: str, participants: list[dict], location: dict | None, occasion) -> str:
    names = [p.get("_name") or p.get("role") for p in participants if p.get("_name") or
             p.get("role")]
    where = None
    if location:
        where = location.get("city") or countries.name(location.get("country") or "")
    if kind in ("official_visit", "state_visit") and names and where:
        host = location.get("country") if location else None
        # a person does not visit their own country: the visitor is the one from elsewhere
        # (one known to be from elsewhere before one whose country is not known)
        visitors = [p.get("_name") or p.get("role") for p in sorted(
                        participants, key=lambda p: p.get("country") is None)
                    if (p.get("_name") or p.get("role")) and p.get("country") != host]
        if visitors:
            return f"{visitors[0]} visits {where}"
        return f"Visit to {where}"
    if len(names) >= 2:
        title = f"{names[0]} and {names[1]} meet"
        if occasion:
            title += f" at the {occasion['name']}"
        return title + (f" in {where}" if where else "")
    if names:
        return f"Meeting with {names[0]}" + (f" in {where}" if where else "")
    return "Meeting" + (f" in {where}" if where else "")
