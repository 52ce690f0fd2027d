"""The document's layout and its sentences, each with code-point offsets into the text.

A news page carries more than the article: a title, a standfirst, a byline, a
footer and reader comments. Extraction reads the article body; the byline is
kept for the op-ed draft. Every span here indexes the exact stored text, so a
citation built from it verifies as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from api.domain import citations

# Where the article ends: the publisher's footer or the comments section.
_END = re.compile(
    r"^(?:published in\b|comments\s*\(\d+\)|\d+\s+comments\b|view more comments|"
    r"read more\b|related\b|share this\b)",
    re.IGNORECASE | re.MULTILINE,
)
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass
class Sentence:
    """A sentence of the article body, with the facts found in it."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int
    span: object = None  # the spaCy Span it came from
    dates: list = field(default_factory=list)
    money: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    people: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    ents: list = field(default_factory=list)  # the parser's entities inside the sentence
    chunks: list = field(default_factory=list)  # its noun chunks


@dataclass
class Layout:
    """Where the title, the byline and the body sit in the text."""

    title: tuple[int, int] | None
    byline: tuple[int, int] | None
    body: tuple[int, int]


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The non-blank paragraphs of text[start:end] as (start, end), whitespace trimmed."""
    end = len(text) if end is None else end
    spans, position = [], start
    for match in _PARAGRAPH.finditer(text, start, end):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    return [trim(text, a, b) for a, b in spans if text[a:b].strip()]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# "By Ana Ruiz", "By Ana Ruiz – Agency:" above the story: a byline the metadata did not name
_BYLINE = re.compile(r"^(?:By|BY)\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                     r"Sunday|January|February|March|April|May|June|July|August|September|"
                     r"October|November|December|Then|Now|Late|Early)\b)[A-Z][\w.'’-]+"
                     r"(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*[-–—,|:]|\s*$)(?!.*[.!?]\s*$)")


def layout(text: str, document: dict) -> Layout:
    """Find the title (the first paragraph when it is the document's title), the byline
    (a short paragraph naming an author) and the body, which ends at a footer or comments
    after its first paragraph of prose (a "Share this" bar above the story is a header)."""
    prose = next((a for a, b in paragraphs(text, 0, len(text))
                  if b - a >= 150 and re.search(r"[.!?”\"]\s", text[a:b] + " ")), 0)
    end_match = _END.search(text, prose)
    body_end = end_match.start() if end_match else len(text)
    paras = paragraphs(text, 0, body_end)
    title = byline = None
    body_start = 0
    doc_title = (document.get("title") or "").strip()
    if paras and doc_title and text[paras[0][0] : paras[0][1]] == doc_title:
        title = paras[0]
        body_start = paras[0][1]
    authors = [a.get("name") for a in document.get("authors") or [] if a.get("name")]
    for a, b in paras[:4]:
        chunk = text[a:b]
        if len(chunk) < 120 and (any(name in chunk for name in authors) or (
                a < prose and _BYLINE.match(chunk))):
            byline = (a, b)
            body_start = max(body_start, b)
            break
    return Layout(title, byline, trim(text, body_start, body_end))


def sentences(doc, text: str, layout: Layout) -> list[Sentence]:
    """The body's sentences from the spaCy parse, cut at paragraph breaks and trimmed."""
    bounds = paragraphs(text, *layout.body)
    out: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(bounds):
        span = doc.char_span(p_start, p_end, alignment_mode="expand")
        if span is None:
            continue
        for sent in span.sents:
            a, b = max(sent.start_char, p_start), min(sent.end_char, p_end)
            for line_start, line_end in _lines(text, a, b):
                s, e = trim(text, line_start, line_end)
                if e > s:
                    piece = doc.char_span(s, e, alignment_mode="expand")
                    out.append(Sentence(s, e, text[s:e], number, len(out), piece))
    merged = _merge_fragments(out, text)
    _bucket(merged, list(doc.ents), "ents")
    _bucket(merged, list(doc.noun_chunks) if doc.has_annotation("DEP") else [], "chunks")
    return merged


def _bucket(found: list[Sentence], spans: list, name: str) -> None:
    """Each span (in document order) to the sentence holding it, in one walk of both lists.
    spaCy's ``Span.ents`` and ``Span.noun_chunks`` walk the whole document on every call, so
    asking each sentence would cost the square of the text's length."""
    at = 0
    for span in spans:
        while at < len(found) and (found[at].span is None or found[at].span.end <= span.start):
            at += 1
        if at == len(found):
            break
        sentence = found[at]
        if sentence.span.start <= span.start and span.end <= sentence.span.end:
            getattr(sentence, name).append(span)


def _lines(text: str, start: int, end: int):
    position = start
    for match in re.finditer(r"\n", text[start:end]):
        yield position, start + match.start()
        position = start + match.end()
    yield position, end


def _merge_fragments(found: list[Sentence], text: str) -> list[Sentence]:
    """Join a piece the parser split off mid-sentence (it starts in lower case) to the one
    before it in the same paragraph, and a numbered list's items to the number before them
    ("1." closing a line is the next item's number)."""
    merged: list[Sentence] = []
    for sentence in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.paragraph == sentence.paragraph
            and (sentence.text[:1].islower() or not re.search(r"[.!?”’\"')]$", last.text)
                 or re.search(r"(?:^|\n)\s*\(?(?:\d{1,2}|[ivx]{1,4})[.)]$", last.text))
        ):
            last.end = sentence.end
            last.text = text[last.start : last.end]
            if last.span is not None and sentence.span is not None:
                last.span = last.span.doc[last.span.start : sentence.span.end]
            continue
        merged.append(sentence)
    for i, sentence in enumerate(merged):
        sentence.index = i
    return merged


def cite(document: str, text: str, start: int, end: int) -> dict:
    """A citation of text[start:end], trimmed of surrounding whitespace, with its context."""
    start, end = trim(text, start, end)
    source = {"document": document, "quote": text[start:end], "start": start, "end": end}
    return citations.complete(source, text)
