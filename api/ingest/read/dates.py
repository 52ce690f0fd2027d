"""Dates in a sentence, at the precision the source gives, read against the document's date.

"November 25, 2010" is a day, "March 2005" a month, "1969" a year. Relative
words are resolved here rather than by a general date parser, because the
right reading depends on the article: "on Wednesday" in a Thursday article is
the day before (a future-tense sentence means the next one), "last year" is
the year before the document's, "now" is the document's own date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"

_LEAD = r"\b(?:on|by|since|from|until|till)\s+"
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "thirty": 30, "forty": 40,
           "fifty": 50, "a hundred": 100}
_NO_YEAR = r"\b(?!,?\s*\d)"
_NOT_A_YEAR = (
    r"(?!\s*(?:%|per\s*cent|percent|million|billion|bn|m\b|km|tonnes|people|troops|units))"
)
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # a span of days is dated by its first: "from 4 to 5 October 2013", "October 4-5, 2013"
    ("dmy", re.compile(rf"\b{_DAY}\s*(?:-|–|to|and)\s*[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?"
                       rf"{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY}\s*(?:-|–|to|and)\s*[0-3]?\d,?\s+{_YEAR}\b", re.I)),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ("my", re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("md", re.compile(rf"{_LEAD}{_MONTH}\s+{_DAY}{_NO_YEAR}", re.I)),
    ("dm", re.compile(rf"{_LEAD}(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}{_NO_YEAR}", re.I)),
    ("m", re.compile(rf"\b(?:in|since|from|until|till|by|last|this|next)\s+{_MONTH}"
                     r"\b(?![\s,]*\d)", re.I)),
    ("weekday", re.compile(
        r"(?:\b(?P<last>last|this\s+past|past|previous)\s+)?"
        r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("ago", re.compile(r"\b(?P<thisday>on\s+this\s+(?:very\s+)?day,?\s+)?(?<![\w,.-])"
                       r"(?P<count>\d{1,3}|"
                       + "|".join(_COUNTS) + r")\s+years\s+ago\b", re.I)),
    ("relyear", re.compile(r"\b(?P<rel>last|this|next|previous|past|coming)\s+"
                           r"(?:(?:financial|fiscal|calendar)\s+)?year\b", re.I)),
    ("relmonth", re.compile(r"\b(?P<rel>last|this|next|previous|past|coming)\s+month\b", re.I)),
    ("relday", re.compile(r"\b(?P<rel>yesterday|today|tomorrow)\b", re.I)),
    ("relweek", re.compile(r"\b(?P<rel>last|this|next|previous|past|coming)\s+week\b", re.I)),
    ("y", re.compile(rf"(?<![\d$€£¥.,])\b{_YEAR}\b{_NOT_A_YEAR}", re.I)),
]

_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|is due|are due|plans? to|(?:is|are)\s+expected|"
    r"upcoming|scheduled)\b",
    re.I,
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’(?!\w)|«[^»]*»|„[^“]*“")
_DECADE = re.compile(r"\b(?:the\s+)?(?:1[6-9]|20)\d0s\b")


@dataclass(frozen=True)
class Mention:
    """A date found in the text: its span and its value at the source's precision."""

    start: int
    end: int
    value: str
    relative: bool  # read against the document's date


def reference(document: dict) -> date | None:
    """The date relative words are read against: the byline date when the page gives
    one ("dated"), else the publication date."""
    for key in ("dated", "published"):
        value = document.get(key)
        if value and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            return date.fromisoformat(value)
    return None


def find(text: str, offset: int = 0, ref: date | None = None,
         future: Callable[[int], bool] | None = None) -> list[Mention]:
    """Every date in ``text`` (a sentence at ``offset`` in the document), in text order.

    ``future`` tells, for a date at a document offset, whether the verb it belongs to is
    in the future tense (the parse knows: "will resume ..., they announced on Tuesday" is
    a past Tuesday); without it, a "will" anywhere outside quotes makes the sentence
    future."""
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _DECADE.finditer(text)]
    found: list[Mention] = []
    anywhere = bool(_FUTURE.search(_QUOTED.sub(" ", text)))  # "will" inside a quote is not
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            a, b = match.span()
            if any(a < e and s < b for s, e in taken):
                continue
            ahead = future(offset + a) if future is not None else anywhere
            value = _value(kind, match, ref, ahead)
            if value is None:
                continue
            taken.append((a, b))
            relative = kind in ("md", "dm", "m", "weekday", "relyear", "relmonth", "relweek",
                                "relday", "ago")
            found.append(Mention(offset + a, offset + b, value, relative))
    return sorted(found, key=lambda m: m.start)


def _value(kind: str, match: re.Match, ref: date | None, future: bool) -> str | None:
    groups = match.groupdict()
    month = MONTHS.get((groups.get("month") or "").lower().rstrip("."))
    if kind == "iso":
        month = int(groups["month"])
    try:
        if kind in ("mdy", "dmy", "iso"):
            return date(int(groups["year"]), month, int(groups["day"])).isoformat()
        if kind == "my":
            return f"{int(groups['year']):04d}-{month:02d}"
        if kind == "y":
            return groups["year"]
    except (TypeError, ValueError):
        return None
    if ref is None:
        return None
    if kind in ("md", "dm"):
        year = _year_of_month(month, ref, future)
        try:
            return date(year, month, int(groups["day"])).isoformat()
        except ValueError:
            return None
    if kind == "m":
        word = match.group(0).split()[0].lower()
        if word == "last":
            year = ref.year if month < ref.month else ref.year - 1
        elif word == "next":
            year = ref.year if month > ref.month else ref.year + 1
        elif word == "this":
            year = ref.year
        else:
            year = _year_of_month(month, ref, future)
        return f"{year:04d}-{month:02d}"
    if kind == "weekday":
        if groups.get("last"):  # "last Thursday" in a Thursday article: the week before
            return weekday(groups["weekday"], ref - timedelta(days=1)).isoformat()
        return weekday(groups["weekday"], ref, future).isoformat()
    rel = (groups.get("rel") or "").lower()
    if kind == "relyear":
        shift = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)
        return str(ref.year + shift)
    if kind == "relmonth":
        shift = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)
        year, month0 = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
        return f"{year:04d}-{month0 + 1:02d}"
    if kind == "relweek":  # a week is no precision of ours: the month it falls in
        shift = {"last": -7, "previous": -7, "past": -7, "next": 7, "coming": 7}.get(rel, 0)
        return (ref + timedelta(days=shift)).isoformat()[:7]
    if kind == "relday":
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[rel]
        return (ref + timedelta(days=shift)).isoformat()
    if kind == "ago":  # "81 years ago" is a year; "on this day 81 years ago" a day
        count = groups["count"].lower()
        year = ref.year - (int(count) if count.isdigit() else _COUNTS[count])
        if not groups.get("thisday"):
            return f"{year:04d}"
        return date(year, ref.month, min(ref.day, calendar.monthrange(year, ref.month)[1]))\
            .isoformat()
    return None


def weekday(name: str, ref: date, future: bool = False) -> date:
    """The named weekday nearest the reference date in the sentence's direction:
    the latest on or before it, or for a future-tense sentence the next after it."""
    target = WEEKDAYS[name.lower()]
    if future:
        return ref + timedelta(days=(target - ref.weekday()) % 7 or 7)
    return ref - timedelta(days=(ref.weekday() - target) % 7)


def _year_of_month(month: int, ref: date, future: bool) -> int:
    """A month named without a year: the latest such month up to the document's date
    (the next one in a future-tense sentence)."""
    if future:
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year if month <= ref.month else ref.year - 1


def compatible(a: str | None, b: str | None) -> bool:
    """Two dates that may be one: "2020" and "2020-09-17" may, two days may not (an
    unknown date fits any)."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)
