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

_CLOSERS = {"“": "”", "‘": "’", '"': '"', "«": "»", "„": "“"}  # English, guillemets, German
_DOUBLED = {"“": ("’’", "''")}  # “words’’: a closing double mark typed as two single ones
SAY = (
    r"(?:said|says|say|told|tells|added|adds|stated|states|noted|notes|warned|warns|argued|"
    r"argues|insisted|insists|declared|declares|conveyed|termed|terms|called|calls|described|"
    r"describes|stressed|stresses|urged|urges|explained|remarked|wrote|writes|announced|"
    r"announces|asserted|claimed|claims|reiterated|pledged|promised|vowed|assured|recalled|"
    r"acknowledged|conceded|agreed|replied|responded|underlined|emphasi[sz]ed|affirmed|"
    r"highlighted)"
)
_ANONYMOUS = re.compile(
    r"\b(?:not\s+to\s+be\s+(?:named|identified)|anonymity|unnamed|an?\s+(?:senior\s+)?"
    r"(?:official|diplomat|source|aide|officer)|one\s+(?:senior\s+)?(?:official|diplomat|source)|"
    r"officials\s+said|sources\s+said)\b",
    re.I,
)


@dataclass
class Quote:
    """Quoted words: the span with its marks, the words inside, and how they were said."""

    start: int  # the opening mark
    end: int  # just past the closing mark
    text: str  # the words, pieces joined when the quote runs over paragraphs
    speech: str = "direct"
    speaker: object = None  # the person mention (people.Mention) who said it
    anonymous: bool = False
    context: tuple[int, int] | None = None  # the sentence span with the attribution
    sentence: int = -1  # index of the sentence that dates and attributes it
    carried: str | None = None  # the date of the attributed quote it continues


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
        if ch in _CLOSERS and (i == 0 or not text[i - 1].isalnum()):
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
    closer = _CLOSERS[opener]
    closers = (closer, *_DOUBLED.get(opener, ()))
    pieces = []
    a = i + 1
    j = a
    while j < end:
        # jump to the next closing mark or line break (str.find keeps long texts linear)
        marks = [k for k in (*(text.find(c, j, end) for c in closers), text.find("\n", j, end))
                 if k >= 0]
        if not marks:
            return None
        j = min(marks)
        ch = text[j]
        doubled = next((c for c in closers[1:] if text.startswith(c, j)), None)
        if doubled:
            pieces.append((a, j))  # “…’’: closed by two single marks, as some wires print
            return pieces, j + len(doubled)
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
            line_end = text.find("\n", k, end)
            line = text[k : line_end if line_end >= 0 else end]
            if opener != "‘" and "\n\n" in text[j:k + 1] and closer in line and \
                    opener not in line[: line.find(closer)] and not pieces:
                pieces.append((a, j))  # the next paragraph goes on without reopening it
                a = j = k
                continue
            return None
        j += 1
    return None


_SAY_WORD = re.compile(rf"^{SAY}$", re.I)
_PARTICIPLE = re.compile(r",?\s+(?:by\s+)?(?:saying|adding|stating|noting|declaring|writing)"
                         r"(?:\s+that)?[,:\s]*$", re.I)
_CLAUSE_BREAK = ("while", "whereas", "but", "although", "adding", "saying", "according")


def reported(span) -> list[tuple[int, int, int, int]]:
    """Reported speech in a parsed sentence: "X said (that) <clause>", "X told Y that
    <clause>". Returns (subject start, subject end, clause start, clause end) offsets: the
    speaker is whoever the subject names; the clause is the verb's complement."""
    out = []
    for token in span:
        if token.pos_ not in ("VERB", "AUX") or not _SAY_WORD.match(token.text):
            continue
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if subject is None or clause is None or clause.i < token.i:
            continue  # "X happened, officials said": the sentence's own fact, not a quote
        words = list(clause.subtree)
        for i, word in enumerate(words[:-1]):
            after = words[i + 1]
            if word.text in ",;" and (after.tag_ == "VBG" or after.lower_ in _CLAUSE_BREAK):
                words = words[:i]  # ", speaking in response to ..." is the writer's, not said
                break
        while words and (words[0].lower_ == "that" or words[0].is_punct):
            words = words[1:]
        while words and words[-1].is_punct:
            words = words[:-1]
        if len(words) < 3:
            continue
        left = min(t.idx for t in subject.subtree)  # "The French ambassador, Ana Ruiz,"
        right = max(t.idx + len(t.text) for t in subject.subtree)
        out.append((left, right, words[0].idx, words[-1].idx + len(words[-1].text)))
    return out


def attribute(quote: Quote, sentence_start: int, sentence: str, people: list) -> None:
    """Set the speaker (one of ``people``, the sentence's mentions) or mark the quote
    anonymous. The attribution after a quote that opens the sentence wins; otherwise the
    nearest name before it."""
    outside_before = sentence[: max(0, quote.start - sentence_start)]
    outside_after = sentence[quote.end - sentence_start :]
    before = [(i, p) for i, p in enumerate(people) if p.end <= quote.start]
    after = [(i, p) for i, p in enumerate(people) if p.start >= quote.end]
    said_after = re.match(rf"^[,\s]*(?:{SAY}\s+|was\s+how\s+)", outside_after)
    opens = not outside_before.strip(" “‘\"«„")
    if (opens or said_after) and after:
        window = outside_after[: after[0][1].start - quote.end]
        if not _ANONYMOUS.search(window):
            quote.speaker = after[0][1]
            return
    if before:
        window = outside_before[before[-1][1].end - sentence_start :]
        if not _ANONYMOUS.search(window):
            # "A praised B by saying, “...”": the one who says is the sentence's subject
            subject = _PARTICIPLE.search(window) and not _ANONYMOUS.search(outside_before)
            quote.speaker = before[0][1] if subject else before[-1][1]
            return
    if after and not _ANONYMOUS.search(outside_after[: after[0][1].start - quote.end]):
        quote.speaker = after[0][1]
        return
    quote.anonymous = bool(_ANONYMOUS.search(outside_before + " " + outside_after))
