"""The clause a word of a sentence belongs to, read from the parse: what an event drafted
from that word is dated by and which countries take part in it.

"Rwanda opened an embassy in Doha in 2019, and Qatar opened its embassy in Kigali in
2021" holds two clauses, each with its own date and its own parties; "the border was
closed on 6 May after a clash erupted between the two forces" dates the clash by the
clause it hangs from, because it states no date of its own."""

from __future__ import annotations

import re

from api.ingest.read import countries as country_names
from api.ingest.read.article import Article
from api.ingest.read.text import Sentence

# dependencies that open a clause of their own under a verb or a noun
_CLAUSES = {"advcl", "relcl", "ccomp", "parataxis", "acl", "pcomp", "csubj", "conj"}
# a subordinate clause that shares its subject with the verb it hangs from
_SHARED = {"xcomp"}
# a country named as the topic of a noun ("a plan for Western Sahara") is no party
_TOPIC = {"for", "over", "on", "about", "regarding", "concerning"}


def token_at(sentence: Sentence, offset: int):
    """The token of the sentence's parse at a text offset, or None."""
    if sentence.span is None:
        return None
    return next((t for t in sentence.span if t.idx <= offset < t.idx + len(t.text)), None)


def _opens_clause(token) -> bool:
    if token.dep_ == "ROOT":
        return True
    if token.dep_ == "conj":
        return token.pos_ in ("VERB", "AUX")
    if token.dep_ == "acl":  # "capitals to recognise": an infinitive shares the clause
        return not any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    return token.dep_ in _CLAUSES


def head_of(token):
    """The word that opens the clause ``token`` is in."""
    while not _opens_clause(token) and token.head.i != token.i:
        token = token.head
    return token


def parent(head):
    """The clause the clause opened by ``head`` hangs from, or None at the root."""
    if head.head.i == head.i:
        return None
    return head_of(head.head)


def tokens(head) -> list:
    """The words of the clause ``head`` opens, without the clauses inside it; an
    attributive clause ("the embassy, which was opened in 2021"; "the line, commissioned
    in 2022") keeps the noun it describes, and a verb joined to another by "and" keeps
    that verb's subject ("X and Y signed ... and agreed to hold annual talks")."""
    out = []
    stack = [head]
    while stack:
        token = stack.pop()
        out.append(token)
        for child in token.children:
            if child.dep_ == "appos" or (child is not head and _opens_clause(child)):
                continue
            stack.append(child)
    if head.dep_ in ("relcl", "acl") and head.head.i != head.i:
        noun = head.head
        out += [t for t in _phrase(noun) if t.i not in {o.i for o in out}]
    if head.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in head.children):
        first = head.head
        for child in first.children:
            if child.dep_.startswith("nsubj"):
                out += [t for t in child.subtree if t.i not in {o.i for o in out}]
    return sorted(out, key=lambda t: t.i)


def _phrase(noun) -> list:
    out, stack = [], [noun]
    while stack:
        token = stack.pop()
        out.append(token)
        stack += [c for c in token.children if c.dep_ != "appos" and not _opens_clause(c)]
    return out


def _inside(words: list, start: int, end: int) -> bool:
    return any(t.idx <= start < t.idx + len(t.text) or start <= t.idx < end for t in words)


def date_of(article: Article, sentence: Sentence, head, anchor: int) -> tuple[str | None, str,
                                                                          bool]:
    """The date written in the clause (nearest the event's word), else in the clauses it
    hangs from, else the sentence's date as the article reads it; and whether the clause
    itself states it. "a year and two months after the relationship was upgraded" counts
    back from the date of the clause it hangs from."""
    clause, own = head, True
    while clause is not None:
        words = tokens(clause)
        found = [m for m in sentence.dates if _inside(words, m.start, m.end)]
        if found:
            near = min(found, key=lambda m: min(abs(m.start - anchor), abs(anchor - m.end)))
            return near.value, "stated", own
        year = next((t for t in words if _YEAR.fullmatch(t.text) and t.i + 1 < len(t.doc)
                     and not t.nbor().like_num and t.nbor().lower_ not in _NOT_YEAR), None)
        if year is not None:  # a year in quoted words, which the reader leaves undated
            return year.text, "stated", own
        if own and clause.head.i != clause.i:
            back = _BEFORE.search(article.text[max(0, clause.left_edge.idx - 60):clause.idx])
            if back:
                above, how, _ = date_of(article, sentence, parent(clause), anchor)
                if not above:  # the day the story tells
                    above, how = article.story_date(sentence)
                shifted = _shift(above, back)
                return shifted, how if shifted else "vague", False
        clause, own = parent(clause), False
    return (*article.when(sentence), False)


_YEAR = re.compile(r"(?:1[89]\d\d|20\d\d)")
_NOT_YEAR = {"%", "percent", "per", "million", "billion", "km", "tonnes", "people"}
_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11}
_N = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|\d+)"
_BEFORE = re.compile(rf"(?P<vague>(?:less|more)\s+than\s+|about\s+|some\s+|nearly\s+|almost\s+)?"
                     rf"\b(?P<n>{_N})\s+(?P<unit>year|month)s?(?:\s+and\s+(?P<m>{_N})\s+"
                     r"months?)?\s+(?P<way>after|before)\b", re.I)


def _shift(value: str | None, back: re.Match) -> str | None:
    """The date ``back`` ("a year and two months after") counts from ``value``."""
    if not value or len(value) < 7 or back.group("vague"):
        return None
    amount = lambda word: _COUNT.get(word.lower()) or int(word)  # noqa: E731
    months = amount(back.group("n")) * (12 if back.group("unit").lower() == "year" else 1)
    if back.group("m"):
        months += amount(back.group("m"))
    if back.group("way").lower() == "after":
        months = -months
    else:
        return None  # "two years before the summit": what came after is not dated so
    total = int(value[:4]) * 12 + int(value[5:7]) - 1 + months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def named(article: Article, sentence: Sentence, head, when: str | None,
          venues: bool = False, reported: bool = False) -> list[str]:
    """The countries the clause names as parties: not a dateline, not a country named
    as the topic of a noun, and a city of meeting only when ``venues`` (an embassy "in
    Doha", a visit "to Accra")."""
    words = tokens(head)
    if reported:  # "the court ruled that Chile was not obliged to ...": who it concerns
        words += [t for c in head.children if c.dep_ == "ccomp" for t in c.subtree]
    at = {t.idx: t for t in words}
    out: list[str] = []
    for mention in sentence.countries:
        if not _inside(words, mention.start, mention.end):
            continue
        text = article.text[mention.start:mention.end]
        if mention.via == "region" or (text.isupper() and len(text) > 3):
            continue  # "Asia"; "LILONGWE, June 29 -"
        if mention.venue and not venues:
            continue
        token = at.get(mention.start) or token_at(sentence, mention.start)
        if token is not None and _topic(token):
            continue
        code = country_names.capital_at_date(mention, when)
        if code not in out:
            out.append(code)
    if _names_group(words):
        # "the two countries" of a clause naming fewer are the article's pair
        pair = [country_names.at_date(c, when) for c in article.pair]
        group = pair if len(pair) == 2 and len(out) < 2 else article.group(sentence, when)
        out += [code for code in group if code not in out]
    return out


def _names_group(words: list) -> bool:
    text = " ".join(t.text for t in words)
    return bool(re.search(r"\b(?:two|three|both)\s+(?:countries|nations|governments|"
                          r"neighbours|neighbors|states|sides|capitals)\b", text, re.I))


def _topic(token) -> bool:
    """"a plan for Western Sahara", "the Embassy of Estonia" is kept: only a country
    after a preposition hanging from a noun other than a building or an office."""
    while token.dep_ in ("compound", "amod") and token.head.i != token.i:
        token = token.head
    prep = token.head if token.dep_ == "pobj" else None
    if prep is None or prep.lower_ not in _TOPIC:
        return False
    noun = prep.head
    if noun.pos_ not in ("NOUN", "PROPN"):
        return False
    return not re.match(r"(?:embass|consulat|mission|minist|president|government|people|"
                        r"citizen|side|delegation|leader|forces?|authorit|border|capital|"
                        r"republic|kingdom|state)", noun.lower_)
