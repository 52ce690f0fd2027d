"""Enumerations of agreements: "signed eight agreements, including treaties on mutual legal
assistance and extradition", "the documents cover X, Y and Z", "four instruments: an
agreement on X, a memorandum on Y ...", and numbered lists ("(i) Memorandum of
Understanding on ...;"). Each named agreement is an item with its own title; the umbrella
("eight agreements") names none of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_COUNT = (r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
          r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|\d{1,3}|several|a\s+number\s+of|"
          r"a\s+series\s+of|a\s+(?:package|raft|set|batch)\s+of|a\s+dozen|dozens\s+of|"
          r"various|other|more|new|the\s+following)")
_PLURAL = (r"(?:agreements|memorand(?:a|ums)(?:\s+of\s+understanding)?|MoUs|MOUs|treaties|"
           r"accords|pacts|deals|contracts|documents|instruments|texts|protocols|"
           r"(?:cooperation\s+)?(?:agreements|documents))")
UMBRELLA = re.compile(
    rf"\b(?:(?P<count>{_COUNT})\s+(?:[\w-]+\s+){{0,3}}?)?(?P<noun>{_PLURAL})\b", re.I)
_SIGNED = (r"(?:\s+(?:were|was|have\s+been|had\s+been|are|being)?\s*(?:signed|inked|concluded|"
           r"exchanged|adopted|initialled|initialed|reached|sealed)(?:\s+(?:by|between|in\s+the\s+"
           r"presence\s+of)\s+[^,:;]{1,80}?)?)?")
_WHEN = (r"(?:\s+(?:on|in|at|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
         r"Sunday|week|month|\d{1,2}\s+[A-Z][a-z]+(?:\s+\d{4})?|[A-Z][a-z]+\s+\d{1,2}(?:,\s+\d{4})?|"
         r"[A-Z][a-z]+)|\s+(?:yesterday|today))?")
# "They touch on X, Y and Z" after "signed three agreements": what the counted ones are on
_TOPICAL = (r"(?:touch(?:es|ed)?\s+on|deal(?:s|t)?\s+with|span(?:s|ned)?|concern(?:s|ed)?|"
            r"focus(?:es|ed)?\s+on|relate(?:s|d)?\s+to|address(?:es|ed)?)")
_INTRO = re.compile(
    r"^\s+(?:signed\s+)?(?:were|are)\s+(?=(?:an?|the|one|two)\s)|"
    rf"^{_SIGNED}\s+[\"“]?in\s+the\s+(?:fields?|areas?|spheres?)\s+of\s+|"
    rf"^(?:\s*\([A-Za-z]{{2,8}}\))?{_SIGNED}{_WHEN}(?:\s*(?:\([^)]*\))?\s*(?::|[,—–-]\s*"
    r"(?:including|namely)\b)\s*|,?\s+(?:(?:of|for)\s+(?:\w+\s+)?cooperation\s+(?=on\s))?"
    r"(?:(?:are|were)\s+(?=in\s+the\s+(?:fields?|areas?|spheres?)\s+of))?"
    r"(?:including|includ(?:e|es|ed)|cover(?:s|ed|ing)?|on|in\s+the\s+(?:fields?|areas?|"
    r"spheres?)\s+of|concerning|relating\s+to|related\s+to|dealing\s+with|regarding|"
    rf"ranging\s+from|such\s+as|namely|{_TOPICAL})\s+)", re.I)
_NOT_LIST = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|the\s+(?:occasion|"
    r"sidelines|margins?|basis|eve|day|same|last|first)|behalf|\d|(?:this|that|the\s+\w+)"
    r"\s+(?:visit|trip|occasion|day|week|month|year|meeting|summit|talks)|their|his|her|its|"
    r"which|what|how|total|all|both|top|paper|record|track|hold)\b", re.I)
_END = re.compile(
    r"(?:,\s*|\s+)(?:after|during|at\s+the\s+end\s+of|in\s+the\s+presence\s+of|witnessed\s+by|"
    r"(?<=,\s)which\b|which\s+(?:were|was|will|would)|that\s+were|as\s+part\s+of|under\s+which|on\s+the\s+"
    r"sidelines|while|following\s+(?:talks|a\s+meeting)|officials\s+said|the\s+\w+\s+said|"
    r"according\s+to|at\s+a\s+ceremony|at\s+the\s+\w+\s+(?:palace|house|hall))\b|\.\s*$",
    re.I)
MARKER = re.compile(r"^\s*(?:\(?[ivxlc]{1,5}\)|\(?\d{1,2}[.)]|[-•*·]|[a-h]\))\s*", re.I)
TRIGGER = re.compile(
    r"\b(?:memorand(?:um|a|ums)(?:\s+of\s+understanding)?|MoUs?|MOUs?|agreements?|treat(?:y|ies)|"
    r"protocols?|conventions?|programmes?|programs?|accords?|contracts?|declarations?|"
    r"arrangements?|plans?|exchanges?\s+of\s+(?:notes|letters)|letters?\s+of\s+intent)\b", re.I)
_LEAD = re.compile(r"^(?:and|as\s+well\s+as|also|plus|the|a|an|one|another|other)\s+", re.I)
_VERB = re.compile(r"^(?:set|agreed|decided|discussed|pledged|vowed|said|called|expressed|launched|"
                   r"noted|welcomed|reviewed|stressed|will|would|to|also|then|later)\b", re.I)
_EMPTY = re.compile(r"^(?:others?|other\s+(?:areas|fields|sectors|matters)|more|so\s+on|"
                    r"etc\.?|the\s+like)$", re.I)


@dataclass
class Item:
    start: int  # offsets in the sentence
    end: int
    words: str  # the item as written, trimmed
    named: bool  # it names its own kind ("a memorandum of understanding on ...")


@dataclass
class Enumeration:
    umbrella: re.Match
    items: list[Item]
    lines: bool  # one item a line (a numbered list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,;:.":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:.":
        end -= 1
    marker = MARKER.match(text[start:end])
    if marker:
        start += marker.end()
    while True:
        lead = _LEAD.match(text[start:end])
        if not lead:
            break
        start += lead.end()
    return start, end


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The list's items: split at semicolons (or line breaks) when it has them, else at
    commas and its last "and"."""
    body = text[start:end]
    for mark in (";", "\n"):
        if mark in body.strip(" \n;."):
            out, at = [], start
            for match in re.finditer(re.escape(mark), body):
                out.append((at, start + match.start()))
                at = start + match.end()
            out.append((at, end))
            return out
    quoted = [m.span() for m in re.finditer(r"“[^”]*”|\"[^\"]*\"", body)]  # “A, B”: one name
    cuts = [start] + [start + m.end() for m in re.finditer(r",", body)
                      if not any(a < m.start() < b for a, b in quoted)]
    out = [(a, (cuts[i + 1] - 1) if i + 1 < len(cuts) else end) for i, a in enumerate(cuts)]
    last_start, last_end = out[-1]
    last = text[last_start:last_end]
    # "X as well as Y and Z": "as well as" joins the items, the "and" is inside one
    ands = [m for m in re.finditer(r"\s+as\s+well\s+as\s+", last)] or \
        [m for m in re.finditer(r"\s+and\s+", last)]
    if ands and not re.match(r"\s*(?:and|as\s+well\s+as)\s", last):
        split = ands[-1]
        left = last[: split.start()].split()
        right = last[split.end() :].split()
        if len(out) > 1 or (len(left) <= 4 and len(right) <= 4) or "well" in split.group(0) or \
                TRIGGER.match(
                _LEAD.sub("", last[split.end() :])):
            out[-1] = (last_start, last_start + split.start())
            out.append((last_start + split.end(), last_end))
    return out


PRONOUN = re.compile(r"^(?P<noun>They|These|Those|The\s+others|Others)\b")
_LINE = re.compile(r"^[ \t]*(?:\(?[ivxlc]{1,5}\)|\(?\d{1,2}[.)]|[-•*·]|[a-h]\))[ \t]*(?=\S)",
                   re.I | re.M)


def _lines(sentence: str) -> Enumeration | None:
    """A numbered or bulleted list, one agreement a line."""
    starts = [m for m in _LINE.finditer(sentence)]
    if len(starts) < 2:
        return None
    items = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(sentence)
        end = sentence.find("\n", match.end()) if "\n" in sentence[match.end():end] else end
        a, b = _trim(sentence, match.start(), end)
        if b > a and len(sentence[a:b].split()) <= 30:
            items.append(Item(a, b, sentence[a:b], bool(TRIGGER.match(sentence[a:b]))))
    umbrella = UMBRELLA.search(sentence[: starts[0].start()])
    if umbrella is None and sum(item.named for item in items) * 2 < len(items):
        return None  # a list of headlines, not of agreements
    umbrella = umbrella or re.match(r"", sentence)
    return Enumeration(umbrella, items, True) if len(items) >= 2 else None


_SIGNING = re.compile(r"\b(?:signed|inked|concluded|exchanged|initialled|initialed|"
                      r"witnessed\s+the\s+(?:signing|exchange)\s+of)\s+(?=(?:an?|the|one)\s)")


def _counted(words: str) -> bool:
    """"(one) of five agreements signed on Monday": a count of the list, not an item."""
    umbrella = UMBRELLA.match(re.sub(r"^(?:of|among)\s+(?:the\s+)?", "", words, flags=re.I))
    return bool(umbrella and umbrella.group("count"))


def _named_run(sentence: str) -> Enumeration | None:
    """"signed an agreement on X, a memorandum on Y and a protocol on Z": agreements named
    one after another, each by its own kind, with no word counting them."""
    verb = _SIGNING.search(sentence)
    if verb is None:
        return None
    end_match = _END.search(sentence, verb.end())
    end = end_match.start() if end_match else len(sentence)
    items = []
    for a, b in _pieces(sentence, verb.end(), end):
        a, b = _trim(sentence, a, b)
        words = sentence[a:b]
        if _VERB.match(words) or not TRIGGER.search(" ".join(words.split()[:4])):
            break
        if len(words.split()) <= 25 and not _counted(words):
            items.append(Item(a, b, words, True))
    return Enumeration(verb, items, False) if len(items) >= 2 else None


def find(sentence: str) -> Enumeration | None:
    """The enumeration a sentence makes, with at least two items (or one named by the
    umbrella's own noun: "treaties on extradition")."""
    listed = _lines(sentence)
    if listed:
        return listed
    inline = _named_run(sentence)
    if inline:
        return inline
    pronoun = PRONOUN.match(sentence)
    for umbrella in ([pronoun] if pronoun else []) + list(UMBRELLA.finditer(sentence)):
        after = sentence[umbrella.end() :]
        intro = _INTRO.match(after)
        if intro is None:
            continue
        start = umbrella.end() + intro.end()
        if _NOT_LIST.match(sentence[start:]) and ":" not in intro.group(0):
            continue
        end_match = _END.search(sentence, start)
        end = end_match.start() if end_match else len(sentence)
        items = []
        for a, b in _pieces(sentence, start, end):
            a, b = _trim(sentence, a, b)
            words = sentence[a:b]
            if _VERB.match(words):
                break
            if b - a < 3 or _EMPTY.match(words) or len(words.split()) > 25 or _counted(words):
                continue
            items.append(Item(a, b, words, bool(TRIGGER.match(words))))
        plural_named = umbrella is not pronoun and umbrella.group("count") is None and not re.match(
            r"(?:documents|instruments|texts)", umbrella.group("noun"), re.I)
        fields = re.search(rf"\b(?:fields?|areas?|spheres?)\s+of|^\s+{_TOPICAL}", intro.group(0))
        if umbrella is pronoun and sum(item.named for item in items) < 2 and not fields:
            continue  # "They are in the fields of X, Y and Z" after "signed 4 MoUs" is a list
        # "six agreements, including one on X"; "including treaties on X": the treaties' list
        including = "includ" in intro.group(0).lower() and not UMBRELLA.match(items[0].words) \
            if items else False
        if len(items) >= 2 or (items and (plural_named or including)):
            return Enumeration(umbrella, items, "\n" in sentence[start:end])
    return None


def subject(title: str) -> str:
    """The words that tell one agreement from another ("extradition", "legal assistance")."""
    words = re.sub(
        r"\b(?:agreements?|memorand(?:um|a|ums)|mous?|of|on|in|the|and|for|between|a|an|"
        r"understanding|cooperation|co-operation|treat(?:y|ies)|accords?|protocols?|"
        r"programmes?|programs?|deals?|contracts?|conventions?|field|fields|sphere|area|"
        r"areas|two|countries|governments?|bilateral|signed|to|with|matters|arrangements?|"
        r"instruments?|documents?|pacts?)\b",
        " ", title.lower())
    return " ".join(sorted(set(re.findall(r"[\w-]+", words))))
