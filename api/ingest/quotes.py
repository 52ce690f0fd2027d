"""Direct and reported speech: where the words are, and who said them.

Quotes come in curly or straight double quotes, or curly single ones (told
apart from the apostrophe by what follows). A quote left open at the end of
a paragraph continues when the next paragraph opens with a quotation mark, as
newspapers print long quotes. The speaker is the person named in the
attribution before or after the quote; a source that does not name the
speaker ("one official said, asking not to be named") gives null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAIRS = (("“", "”"), ("‘", "’"))
SAY = (
    r"(?:said|says|say|told|tells|added|adds|stated|states|noted|notes|warned|warns|argued|"
    r"argues|insisted|insists|declared|declares|conveyed|termed|terms|called|calls|described|"
    r"describes|stressed|stresses|urged|urges|explained|remarked|wrote|writes|announced|"
    r"announces|asserted|claimed|claims|reiterated|pledged|promised|vowed|assured|recalled|"
    r"acknowledged|conceded|agreed|replied|responded)"
)
_ANONYMOUS = re.compile(
    r"\b(?:not\s+to\s+be\s+(?:named|identified)|anonymity|unnamed|an?\s+(?:senior\s+)?"
    r"(?:official|diplomat|source|aide|officer)|one\s+(?:senior\s+)?(?:official|diplomat|source)|"
    r"officials\s+said|sources\s+said)\b",
    re.I,
)
_REPORTED = re.compile(rf"\b{SAY}\b(?:\s+[\w’'-]+){{0,5}}?,?\s+that\s+")
_CLAUSE_END = re.compile(r",\s+(?:\w+ing|while|whereas|but|although|as|adding)\b|[.;:!?](?:\s|$)")


@dataclass
class Quote:
    """Quoted words: the span with its marks, the words inside, and how they were said."""

    start: int  # the opening mark
    end: int  # just past the closing mark
    text: str  # the words, pieces joined when the quote runs over paragraphs
    speech: str = "direct"
    speaker: int | None = None  # index of the person mention who said it
    anonymous: bool = False
    context: tuple[int, int] | None = None  # the sentence span with the attribution


def _closing_single(text: str, i: int) -> bool:
    """A ’ that closes a quote rather than marks an apostrophe (Russia’s, students’ union)."""
    after = text[i + 1 : i + 2]
    return not after.isalpha()


def find(text: str, start: int, end: int) -> list[Quote]:
    """Every quote in text[start:end], joined across paragraphs where one continues."""
    found: list[Quote] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in "“‘\"" and (i == 0 or not text[i - 1].isalnum()):
            close = _close(text, i, end)
            if close is None:
                i += 1
                continue
            pieces, q_end = close
            words = " ".join(text[a:b].strip() for a, b in pieces).strip().rstrip(",;:")
            if len(words.split()) >= 2:
                found.append(Quote(i, q_end, words))
            i = q_end
            continue
        i += 1
    return found


def _close(text: str, i: int, end: int):
    """The pieces of the quote opened at i and the offset past its closing mark."""
    opener = text[i]
    closer = {"“": "”", "‘": "’", '"': '"'}[opener]
    pieces = []
    a = i + 1
    j = a
    while j < end:
        ch = text[j]
        if ch == closer and (closer != "’" or _closing_single(text, j)):
            pieces.append((a, j))
            return pieces, j + 1
        if ch == "\n":
            # paragraph break: the quote goes on only if the next paragraph reopens it
            k = j
            while k < end and text[k].isspace():
                k += 1
            if opener != "‘" and k < end and text[k] == opener and "\n\n" in text[j:k + 1]:
                pieces.append((a, j))
                a = j = k + 1
                continue
            return None
        j += 1
    return None


def reported(sentence: str, offset: int) -> list[tuple[int, int, int, int]]:
    """Reported speech in a sentence: (verb start, clause start, clause end) offsets of
    "X told Y that <clause>", the clause cut at the next participle or sentence end."""
    out = []
    for match in _REPORTED.finditer(sentence):
        clause_start = match.end()
        stop = _CLAUSE_END.search(sentence, clause_start)
        clause_end = stop.start() if stop else len(sentence.rstrip(".!? "))
        if clause_end - clause_start < 12:
            continue
        out.append((offset + match.start(), offset + clause_start, offset + clause_end, 0))
    return out


def attribute(quote: Quote, sentence_start: int, sentence: str, people: list) -> None:
    """Set the speaker (index into ``people``, mentions of the sentence) or mark the quote
    anonymous. The attribution after a quote that opens the sentence wins; otherwise the
    nearest name before it."""
    outside_before = sentence[: max(0, quote.start - sentence_start)]
    outside_after = sentence[quote.end - sentence_start :]
    before = [(i, p) for i, p in enumerate(people) if p.end <= quote.start]
    after = [(i, p) for i, p in enumerate(people) if p.start >= quote.end]
    said_after = re.match(rf"^[,\s]*(?:{SAY}\s+|was\s+how\s+)", outside_after)
    opens = not outside_before.strip(" “‘\"")
    if (opens or said_after) and after:
        window = outside_after[: after[0][1].start - quote.end]
        if not _ANONYMOUS.search(window):
            quote.speaker = after[0][0]
            return
    if before:
        window = outside_before[before[-1][1].end - sentence_start :]
        if not _ANONYMOUS.search(window):
            quote.speaker = before[-1][0]
            return
    if after and not _ANONYMOUS.search(outside_after[: after[0][1].start - quote.end]):
        quote.speaker = after[0][0]
        return
    quote.anonymous = bool(_ANONYMOUS.search(outside_before + " " + outside_after))
