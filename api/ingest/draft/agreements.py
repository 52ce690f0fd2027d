"""Agreement drafts: a treaty, MoU, deal or purchase a sentence reports, with its
kind, status, parties, date and value."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from api.ingest.draft import lists
from api.ingest.draft.shape import make, sentence_case
from api.ingest.read import countries, dates
from api.ingest.read.article import Article

_TRIGGER = re.compile(
    r"\b(?:(?i:memo(?:randum)?s?\s+of\s+understanding|memorand(?:um|a|ums))|MoUs?|MOUs?|"
    r"(?i:agreements?|accords?|treat(?:y|ies)|protocols?|conventions?|arrangements?|"
    r"exchanges?\s+of\s+(?:notes?|letters))|"
    r"pacts?|deals?|contracts?|(?:joint\s+)?(?:statement|declaration)s?\s+of\s+\w+|"
    r"joint\s+(?:statement|declaration)|(?:[Ss]trategic|Economic|[Cc]omprehensive)\s+"
    r"(?:[A-Z]\w+\s+)?[Pp]artnership|purchases?)\b"
)
_KINDS = (
    (re.compile(r"memorandum|MoU|MOU"), "mou"),
    (re.compile(r"treat", re.I), "treaty"),
    (re.compile(r"joint|statement|declaration", re.I), "joint_statement"),
    (re.compile(r"purchase", re.I), "purchase"),
    (re.compile(r"deal|contract", re.I), "deal"),
)
_STATUSES = (
    # "will be signed during the visit", "are to be inked": not signed yet
    (re.compile(r"\b(?:will|shall|would|(?:is|are)\s+(?:expected\s+|due\s+|set\s+)?to)\s+"
                r"(?:also\s+)?(?:be\s+)?(?:sign(?:ed)?|ink(?:ed)?|conclude[d]?)\b", re.I),
     "proposed"),
    (re.compile(r"\bunder\s+consideration|\bconsidering\b|\bconsidered\b", re.I),
     "under_consideration"),
    (re.compile(r"\bnegotiat|\bpending\b|\bbeing\s+discussed|\befforts\s+to\s+conclude", re.I),
     "negotiating"),
    (re.compile(r"\bent(?:ry|ered|ers)\s+into\s+force|\b(?:came|comes|is|are|was|were|has\s+"
                r"been)\s+(?:now\s+)?in(?:to)?\s+force\b|\btook\s+effect|\bcame\s+into\s+effect",
                re.I), "in_force"),
    (re.compile(r"\bratif", re.I), "ratified"),
    (re.compile(r"\bin\s+force\b", re.I), "in_force"),
    (re.compile(r"\blapsed|\bexpired|\bscrapped|\bcancell?ed|\bterminated", re.I), "lapsed"),
    # "wants to sign" is no signature
    (re.compile(r"(?<!\bto\s)\bsign(?:ed|ing|s)?\b|\bconcluded\b|\binked\b|\bsealed\b|"
                r"\bstruck\b|\b(?:issued|adopted)\b", re.I), "signed"),
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


_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|"
           r"December")
_ABOUT = re.compile(r"\s+(?:on|for|concerning|regarding|"
                    r"in\s+the\s+(?:fields?|areas?|spheres?)\s+of)\s+(?!(?:Monday|Tuesday|Wednesday|"
                    rf"Thursday|Friday|Saturday|Sunday|{_MONTHS}|which|that|it|whom|\d)\b)"
                    r"(?:“[^”]{1,60}”|[^,;.()\"“”]){3,70}?(?=\s+(?:which|that|"
                    r"signed|was|were|is|are|will|would|has|had|and\s+(?:the|a|an|also)|with|"
                    r"between|in\s+\d|last|this|on\s+\w+day|said|says|agreed|and\s+agreed|"
                    rf"added|told|{_MONTHS})\b|\s+at\s+[A-Z]|[,;.()\"”]|\w+(?:’s|'s)\s|$)")


# The capitalized words of a name before its noun ("India–Maldives Free Trade")
_NAME_BEFORE = re.compile(r"(?<![\w-])(?P<name>(?:[A-Z][\w’'.–-]*\s+(?:(?:and|of|for|on|the)\s+"
                          r"(?=[A-Z]))?)+)$")
# what may stand between an agreement's noun and its subject: "in August 2020", "(MOU)"
_DATED = re.compile(r"(?:\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4}|\s*\([A-Z][A-Za-z]{1,7}s?\))"
                    r"(?=\s+(?:on|for|concerning|regarding)\s)")


def _refers_back(sentence, match: re.Match) -> bool:
    """"the agreement" with nothing new about it (no date, no value, no "of ...") names an
    agreement already drafted from an earlier sentence."""
    before = sentence.text[: match.start()]
    after = sentence.text[match.end() :]
    if re.search(r"\b(?:without|no|never|failed\s+to\s+(?:reach|agree))\s+(?:an?\s+|any\s+)?"
                 r"(?:\w+\s+)?$", before, re.I):
        return True  # "ended without a deal": no agreement at all
    if re.search(r"(?<!efforts\s)\b(?:to\s+reach|reaching|to\s+conclude|to\s+strike)\s+"
                 r"(?:an?\s+|any\s+)?"
                 r"(?:\w+\s+)?$", before, re.I):
        return True  # "talks to reach an agreement": an aim, no agreement
    if re.search(r"\b(?:such\s+(?:an?\s+)?|(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                 r"Saturday|Sunday|[Yy]esterday|[Tt]oday)(?:’s|'s)\s+)$", before):
        return True  # "such an agreement", "Friday's MoU": one named before
    definite = re.search(r"\b(?:the|this|that|these|those)\s+$", before, re.I)
    specified = re.match(r"\s+(?:of|on|for|to|with|between)\b", after)
    return bool(definite and not specified and not sentence.dates and not sentence.money)


_PLURAL_TRIGGER = re.compile(r"^(?:\w*s|memoranda)\b")  # "memorandums of understanding"
_COUNT_WORDS = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|twenty|several|many|various|other|more|new|some|these|those|such|"
    r"economic|bilateral|several|a|number|of|series|package|set|the|and|signed|important|"
    r"key|major|further|additional|various|different|intergovernmental|commercial|recent|"
    r"latest|previous|earlier|past)\b", re.I)


def _count_only(trigger: str, title: str) -> bool:
    """A plural with nothing of its own: "Three agreements", "4 MoUs", "Economic
    agreements"."""
    if not _PLURAL_TRIGGER.search(trigger):
        return False
    if re.match(r"^(?:(?:[$€£¥₹]|[A-Z]{1,3}\$)\s?\d|\d[\d.,]*\s*(?:bn|bln|billion|million|mln|"
                r"crore)\b)", title, re.I):
        return True  # "$1bln worth contracts": a value, drafted as a figure
    rest = _COUNT_WORDS.sub(" ", lists.subject(title))
    return not re.search(r"\w", rest)


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
    end = (chunk.end_char - sentence.start) if chunk is not None else match.end()
    if end < match.end():  # "a Memorandum" + "of Understanding"
        words, end = words + sentence.text[end : match.end()], match.end()
    name = _NAME_BEFORE.search(sentence.text[: match.start()]) if match.group(0)[:1].isupper() \
        else None
    if name:  # "the Afghanistan and Pakistan Transit Trade Agreement": the whole name
        words = sentence.text[name.start("name") : end]
    dated = _DATED.match(sentence.text, end)  # "an agreement in August 2020 on ..."
    about = _ABOUT.match(sentence.text[dated.end() if dated else end :])
    if about:
        words += about.group(0).rstrip()
    words = re.sub(r"^.*?(?:[Aa]dvertisement)+(?=[A-Z])", "", words)  # a page's ad label
    words = re.sub(r"^(?:the|a|an|one|this|that|its|their|his|her)\s+", "", words.strip("“”\"‘’ "),
                   flags=re.I)
    title = sentence_case(words)
    if sector and sector not in title.lower():
        title += f" on {sector}"
    return title


def draft(article: Article) -> list[dict]:
    out: list[dict] = []
    carried = None  # the status and date an umbrella sentence gives the list after it
    listed = any(lists.find(sentence.text) for sentence in article.sentences)
    noun = "agreements"  # what the last count named: "They" in the next sentence are these
    counted = None
    for sentence in article.sentences:
        found = lists.find(sentence.text)
        if found is not None and lists.PRONOUN.match(found.umbrella.group(0)) and not counted:
            found = None  # "They touch on X and Y" lists agreements only after a count of them
        if found is not None:
            made = _enumerated(article, sentence, found, carried, noun)
            if made:
                carried = made[0]["record"]["status"], made[0]["record"]["date"]
            out += made
            counted = None
            continue
        out += _single(article, sentence, listed, carried)
        counted = lists.UMBRELLA.search(sentence.text)
        if counted:
            noun = counted.group("noun")
        if out and out[-1].get("carry"):
            carried = out.pop()["carry"]
        elif counted:
            # "signed 13 agreements and MoUs on Friday": the status and date of the
            # agreements the next sentences name one by one without a verb of their own
            status, read = status_of(sentence.text, True)
            if read:
                carried = status, article.when(sentence)[0]
    for made in out:
        made.pop("carry", None)
    merged = _merge(out)
    for made in merged:
        made.pop("again", None)
    return merged


def _a_verb(sentence, match: re.Match) -> bool:
    """"should deal with the outcome", "contracted to build": the word is a verb here."""
    if sentence.span is None:
        return False
    start = sentence.start + match.start()
    token = next((t for t in sentence.span if t.idx == start), None)
    return token is not None and token.pos_ == "VERB"


def _single(article: Article, sentence, listed: bool, carried) -> list[dict]:
    """The agreements a sentence names one by one: the first, and each later one with a
    subject of its own ("signed a memorandum on X and confirmed the entry into force of
    the agreement on Y"), each with the status of the words before it."""
    out: list[dict] = []
    titles: set[str] = set()
    previous_end = 0
    for number, match in enumerate(_TRIGGER.finditer(sentence.text)):
        clause = sentence.text[previous_end : match.start()]
        previous_end = match.end()
        if _refers_back(sentence, match) or _a_verb(sentence, match):
            continue
        umbrella = lists.UMBRELLA.match(sentence.text, match.start())
        if listed and umbrella and umbrella.group("count") and \
                umbrella.end() >= match.end():
            # "signed eight agreements": the count of a list drafted item by item
            status, read = status_of(sentence.text, True)
            if read:
                when, _ = article.when_at(sentence, sentence.start + match.start())
                out.append({"carry": (status, when)})
            return out
        kind = kind_of(match.group(0))
        title = _title(article, sentence, match, kind, sector_of(sentence.text))
        subject = lists.subject(title)
        if _count_only(match.group(0), _title(article, sentence, match, kind, None)) and \
                status_of(sentence.text, False)[0] != "negotiating":  # "the pending agreements"
            continue  # "three agreements", "MoUs": a count, not an agreement
        if match.group(0).endswith("partnership") and \
                status_of(sentence.text, False) not in [(s, True) for s in _NOT_YET]:
            continue  # a partnership established or upgraded is an event; one sought, a pact
        if number and (not subject or subject in titles):
            continue
        titles.add(subject)
        record, confidence, reasons = _record(
            article, sentence, match.start(), title, kind,
            f"'{match.group(0)}' names an agreement", carried=carried,
            clause=clause if number else None)
        if record is not None:
            out.append(make("agreements", record, confidence, reasons))
            # "the treaty, which was signed last month": the one named before, told again
            out[-1]["again"] = not subject and bool(re.search(
                r"\b(?:the|this|that)\s+$", sentence.text[: match.start()], re.I))
    return out


def _record(article: Article, sentence, at: int, title: str, kind: str, reason: str,
            carried=None, cite=None, dated=None,
            clause=None) -> tuple[dict | None, float, list[str]]:
    """An agreement's record from the sentence that reports it (``at``: where its name is;
    ``dated``: its date when the list it is in says it; ``clause``: the words that give
    its status, when the sentence names more than one agreement)."""
    when, how = dated or article.when_at(sentence, sentence.start + at)
    status, read = status_of(clause, True) if clause else ("", False)
    if not read:
        status, read = status_of(sentence.text, how in ("stated", "narrative"))
    if not read and carried is not None:
        status, read = carried[0], True
        if how != "stated":
            when, how = carried[1], "narrative"
    ref = article.ref.isoformat() if article.ref else None
    if status in _NOT_YET and when and ref and when > ref:
        # "wanted to sign a deal next year": the interest is dated, not the hoped signing;
        # by a date of the sentence that is not ahead, else the document's
        past = [m.value for m in sentence.dates if m.value <= ref]
        when, how = (past[0], "stated") if past else (ref, "present")
    if status not in _NOT_YET and (when is None or (ref and when > ref)):
        when, how = _story_date(article, sentence)  # a signing is not ahead of the report
    if kind == "purchase" and status == "signed" and re.search(r"\binterest", sentence.text):
        status = "expressed_interest"
    reasons = [reason]
    inferred = []
    found = _parties_named(article, sentence, at, when)
    both = [c for c in found if c in _pair_forms(article, when)]
    grouped = article.group(sentence, when)  # "the three countries" names them all
    parties = both if len(both) >= 2 and not grouped else found
    parties, padded = article.fill(parties, when)
    if padded:
        inferred.append("countries")
        reasons.append("parties completed from the countries the article is about")
    if not parties:
        return None, 0.0, reasons
    value = None
    a, b = cite or (0, len(sentence.text))
    for amount in sentence.money:
        if amount.currency and sentence.start + a <= amount.start < sentence.start + b:
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
    source = article.cite(sentence.start + a, sentence.start + b) if cite else \
        article.cite(sentence.start, sentence.end)
    record = {
        "title": title,
        "kind": kind,
        "status": status,
        "status_history": [{"status": status, "date": when, "sources": [source]}],
        "countries": parties,
        "date": when,
        "sector": sector_of(sentence.text[a:b]),
        "value": value,
        "summary": sentence.text,
        "meeting": None,
        "sources": [source],
        "notes": [],
        "inferred": sorted(set(inferred)),
    }
    confidence = 0.5 + 0.15 * bool(when) + 0.15 * read + 0.1 * (not padded)
    return record, confidence, reasons


def _parties_named(article: Article, sentence, at: int, when: str | None) -> list[str]:
    """The countries of the clause that names the agreement: an aside after it ("an
    investment agreement, a model Brazil has signed with Mozambique") names others."""
    aside = re.search(r",\s+(?:a|an|the|which|who|whose|like|as|similar|modelled)\b",
                      sentence.text[at:])
    if aside is None:
        return article.actors(sentence, when)
    cut = sentence.start + at + aside.start()
    kept = [m for m in sentence.countries if m.start < cut]
    if len(kept) == len(sentence.countries):
        return article.actors(sentence, when)
    mentions, sentence.countries = sentence.countries, kept
    try:
        return article.actors(sentence, when)
    finally:
        sentence.countries = mentions


def _list_date(article: Article, sentence, found: lists.Enumeration, carried):
    """When a list's agreements were signed: a date of the sentence outside the items (the
    "1986" of "the Air Services Agreement of 1986" is not it), the date the sentence
    before the list gave, or the date the story last stated."""
    spans = [(sentence.start + i.start, sentence.start + i.end) for i in found.items]
    outside = [m for m in sentence.dates if not any(a <= m.start < b for a, b in spans)]
    if outside:
        lead = article.lead_date()
        if lead and len(outside[0].value) < 10 and lead.startswith(outside[0].value):
            return lead, "stated"  # "in 2022" of the visit the lead dates to the day
        return outside[0].value, "stated"
    if carried is not None and carried[1]:
        return carried[1], "narrative"
    return _story_date(article, sentence)


def _story_date(article: Article, sentence) -> tuple[str | None, str]:
    return article.story_date(sentence)


def _enumerated(article: Article, sentence, found: lists.Enumeration, carried,
                before: str = "agreements") -> list[dict]:
    """One draft per agreement a list names, each citing its sentence (or its own line);
    "They are in the fields of ..." names the kind the sentence before counted."""
    out = []
    noun = found.umbrella.group(0).lower()
    if lists.PRONOUN.match(found.umbrella.group(0)):
        noun = before.lower()
    dated = _list_date(article, sentence, found, carried)
    for item in found.items:
        title = item_title(item, noun)
        kind = kind_of(title)
        cite = (item.start, item.end) if found.lines else None
        record, confidence, reasons = _record(
            article, sentence, item.start, title, kind,
            f"'{item.words[:60]}' is named in a list of agreements", carried, cite, dated)
        if record is not None:
            out.append(make("agreements", record, confidence, reasons))
    return out


def item_title(item: lists.Item, umbrella: str) -> str:
    """"extradition" in a list of treaties: "Treaty on extradition"; "a memorandum of
    understanding on critical minerals": "MoU on critical minerals"."""
    words = re.sub(r"\b[Mm]emorand(?:um|a|ums)\s+of\s+[Uu]nderstanding\b", "MoU", item.words)
    words = re.sub(r"\s*\([A-Z]{2,8}s?\)", "", words).strip("“”\"‘’ ")  # "(MOU)", quote marks
    words = re.sub(r"\s+(?:worth|of|for)\s+(?:[$€£¥₹]|[A-Z]{1,3}\$?\s?)?\d[\d.,]*\s*"
                   r"(?:[a-zA-Z]+\s+)?(?:[a-zA-Z]+)?(?=\s|$)", "", words)
    words = re.sub(r"\s+(?:(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                   r"Saturday|Sunday)|yesterday|today)$", "", words)  # when, not what
    words = re.sub(r"[\s,;:]+(?:and|or)$", "", " ".join(words.split()[:14])).rstrip(",;:")
    if not item.named and not lists.TRIGGER.search(" ".join(words.split()[:4])):
        head = "Treaty" if "treat" in umbrella else "MoU" if re.search(
            r"memorand|mou", umbrella) else "Agreement"
        subject = re.sub(r"^(?:on|for|about)\s+", "", words)  # "one on clean energy"
        words = f"{head} on {subject}"
    return words[:1].upper() + words[1:]


_BARE = {"agreement", "accord", "treaty", "deal", "pact", "mou", "memorandum", "contract",
         "protocol", "convention", "arrangement"}


def _merge(drafts: list[dict]) -> list[dict]:
    """The same agreement reported in several sentences is one draft citing each."""
    out: list[dict] = []
    for draft in drafts:
        record = draft["record"]
        mine = lists.subject(record["title"])
        same = None
        if draft.pop("again", False):
            bare = record["title"].lower() in _BARE  # "The accord follows ...": no date of its own
            same = next((e for e in reversed(out) if set(e["record"]["countries"]) ==
                         set(record["countries"]) and (bare or dates.compatible(
                             e["record"]["date"], record["date"]))), None)
        for earlier in out if same is None else ():
            theirs = lists.subject(earlier["record"]["title"])
            if mine and theirs and earlier["record"]["sources"][0]["start"] != \
                    record["sources"][0]["start"] and (
                    mine == theirs or fuzz.token_set_ratio(mine, theirs) >= 95) and \
                    set(earlier["record"]["countries"]) == set(record["countries"]) and \
                    dates.compatible(earlier["record"]["date"], record["date"]):
                same = earlier
                break
        if same is None:
            out.append(draft)
            continue
        have = {(s["start"], s["end"]) for s in same["record"]["sources"]}
        for source in record["sources"]:
            if (source["start"], source["end"]) not in have:
                same["record"]["sources"].append(source)
        same["reasons"].append("restated in another sentence")
    return out


def _pair_forms(article: Article, when: str | None) -> set[str]:
    """The article's two countries as they stood at ``when`` and as they stand now."""
    return {countries.at_date(c, when) for c in article.pair} | set(article.pair)
