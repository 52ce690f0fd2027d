"""A passage a curator selected in a document's text, as a citation, with what it says.

The desk sends the selection's start and end (code points, as citations
count); the server cuts the quote from the stored text, so offsets are never
computed by hand. What can be read from the sentence around it (countries,
a date, known people) comes back as a suggestion for the form.
"""

from __future__ import annotations

import re

from api.domain import citations
from api.domain.names import key
from api.store.errors import Invalid

MAX_QUOTE = 5000  # characters a selection may span
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s|\n\s*\n")


def cite(document: str, text: str, start: int, end: int, quote: str | None = None) -> dict:
    """The citation of text[start:end], whitespace at either end left out.

    ``quote``, when given, is what the curator saw selected: it must be what
    the text holds there (whitespace at its ends aside). Invalid otherwise.
    """
    if not 0 <= start < end:
        raise Invalid("The selection is empty.", {"end": ["Must be greater than start."]})
    if end > len(text):
        raise Invalid(
            f"The selection ends past the text ({len(text)} characters).",
            {"end": [f"At most {len(text)}."]},
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise Invalid("The selection holds only spaces.", {"start": ["Select some words."]})
    if end - start > MAX_QUOTE:
        raise Invalid(
            f"The selection is longer than {MAX_QUOTE} characters.", {"end": ["Select less."]}
        )
    found = text[start:end]
    if quote is not None and quote.strip() != found:
        raise Invalid(
            "The text at those offsets is not the quote: the selection was counted in "
            "another way than code points, or the text is not this document's.",
            {"quote": [f"text[{start}:{end}] is {found[:80]!r}."]},
        )
    return citations.complete(
        {"document": document, "quote": found, "start": start, "end": end}, text
    )


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) holding text[start:end]."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    while begin < start and text[begin].isspace():
        begin += 1
    after = _SENTENCE_END.search(text, end)
    return begin, (after.start() + 1 if after else len(text))


def suggest(text: str, citation: dict, document: dict, people: list[dict]) -> dict:
    """What the sentence around ``citation`` names: countries, its first date (read
    against the document's date) and known people. A suggestion, for a curator to
    confirm."""
    from api.ingest.read import countries, dates  # no model: names, patterns and tables

    a, b = sentence(text, citation["start"], citation["end"])
    passage = text[a:b]
    found = [m.id for m in countries.find(passage, a)]
    when = dates.find(passage, a, dates.reference(document))
    words = f" {key(passage)} "
    named = []
    for person in people:
        name = person.get("name") or ""
        aliases = [a.get("name") if isinstance(a, dict) else a for a in person.get("aliases", [])]
        names = [name, name.split()[-1] if len(name.split()) > 1 else "", *aliases]
        if any(n and f" {key(n)} " in words for n in names):
            named.append(person["id"])
    return {
        "countries": list(dict.fromkeys(found)),
        "date": when[0].value if when else None,
        "people": named,
        "sentence": {"start": a, "end": b},
    }
