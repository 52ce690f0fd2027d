"""Citations: a quote, its code-point offsets and its context in a document."""

from __future__ import annotations

from collections.abc import Iterator

from schemas.common import CONTEXT


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix (up to CONTEXT characters) around text[start:end]."""
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def verify(source: dict, text: str) -> list[tuple[str, str]]:
    """Check one citation against its document text, as given (never by searching).

    Returns (field, reason) pairs; empty when the citation holds.
    """
    start, end, quote = source["start"], source["end"], source["quote"]
    if end > len(text):
        return [("end", f"is past the end of the document ({len(text)} characters)")]
    if start >= end:
        return [("start", "must be less than end")]
    found = text[start:end]
    if found != quote:
        reason = f"text[{start}:{end}] is {found!r}, not the quote"
        if quote in text:
            reason += f"; the quote occurs at offset {text.find(quote)}"
        else:
            reason += "; the quote does not occur in the document"
        return [("quote", reason)]
    prefix, suffix = context(text, start, end)
    problems = []
    if "prefix" in source and source["prefix"] != prefix:
        problems.append(("prefix", f"is {source['prefix']!r}, but the text has {prefix!r}"))
    if "suffix" in source and source["suffix"] != suffix:
        problems.append(("suffix", f"is {source['suffix']!r}, but the text has {suffix!r}"))
    return problems


def complete(source: dict, text: str) -> dict:
    """The citation with its prefix and suffix filled in from the text."""
    prefix, suffix = context(text, source["start"], source["end"])
    return {**source, "prefix": prefix, "suffix": suffix}


def locate(document: str, text: str, quote: str, occurrence: int = 1) -> dict:
    """Build a citation for the n-th occurrence of ``quote`` (a curation aid).

    Raises LookupError when the quote does not occur that often.
    """
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            raise LookupError(f"{quote!r} does not occur {occurrence} time(s) in {document}")
    return complete(
        {"document": document, "quote": quote, "start": start, "end": start + len(quote)}, text
    )


def walk(value, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every citation inside a record, with its path (``roles[0].sources[1]``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                for i, source in enumerate(item):
                    yield f"{path}{key}[{i}]", source
            else:
                yield from walk(item, f"{path}{key}.")
    elif isinstance(value, list):
        base = path[:-1] if path.endswith(".") else path
        for i, item in enumerate(value):
            yield from walk(item, f"{base}[{i}].")
