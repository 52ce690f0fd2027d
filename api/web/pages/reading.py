"""What the reading pages show, worked out from stored records (no Flask, no SQL here).

The views fetch records through the data module and hand them to these
functions, which shape them for the templates: a document's text cut into
pieces at every cited span's edges, a record's fields as a tree of text,
links and footnotes, and the timeline strip's geometry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from api.domain import catalog, citations
from api.domain.catalog import Resource


def record_href(resource: Resource | str, record_id: str) -> str:
    """The page of a record (``resource`` as a Resource or its collection name)."""
    name = resource if isinstance(resource, str) else resource.name
    return f"/{name}/{record_id}"


def span_key(start: int, end: int) -> str:
    return f"{start}-{end}"


def cite_href(source: dict) -> str:
    """The document page, marking and scrolling to the cited words."""
    return f"/documents/{source['document']}#c={span_key(source['start'], source['end'])}"


def record_label(resource: Resource, record: dict) -> str:
    """How a record is named on a page."""
    title = record.get(resource.title)
    return str(title) if title not in (None, "") else record["id"]


# --- a document with its cited spans ---------------------------------------------


@dataclass
class Citer:
    """A record citing a span."""

    label: str
    kind: str  # the resource's singular
    href: str


@dataclass
class Span:
    """A distinct cited span of a document, and the records citing it."""

    start: int
    end: int
    quote: str
    number: int = 0
    cited_by: list[Citer] = field(default_factory=list)

    @property
    def key(self) -> str:
        return span_key(self.start, self.end)

    @property
    def cited_by_text(self) -> str:
        return "; ".join(f"{c.kind}: {c.label}" for c in self.cited_by)

    @property
    def kinds(self) -> list[str]:
        """The resources of the records citing it (their singulars)."""
        return list(dict.fromkeys(c.kind for c in self.cited_by))


@dataclass
class Piece:
    """A run of text between span edges: the spans covering it, the spans starting at it."""

    text: str
    covering: list[str]
    starting: list[Span]
    title: str = ""  # who cites the words of this piece
    start: int = 0  # where it begins in the text (characters)
    kinds: list[str] = field(default_factory=list)  # the resources citing its words


@dataclass
class MarkedDocument:
    spans: list[Span]
    pieces: list[Piece]
    citations: int  # how many citations point into the document (a span may have several)

    def passages_by_kind(self) -> dict[str, int]:
        """How many passages each resource cites, in the catalog's order."""
        counts = {r.singular: 0 for r in catalog.ALL}
        for span in self.spans:
            for kind in span.kinds:
                counts[kind] += 1
        return {kind: n for kind, n in counts.items() if n}


def mark_document(
    document_id: str, text: str, citing: list[tuple[Resource, dict]]
) -> MarkedDocument:
    """The text cut at every edge of every span that ``citing`` records cite in it."""
    spans: dict[tuple[int, int], Span] = {}
    total = 0
    for resource, record in citing:
        citer = Citer(
            record_label(resource, record), resource.singular, record_href(resource, record["id"])
        )
        for _, source in citations.walk(record):
            if source["document"] != document_id:
                continue
            total += 1
            key = (source["start"], source["end"])
            span = spans.setdefault(key, Span(source["start"], source["end"], source["quote"]))
            if citer not in span.cited_by:
                span.cited_by.append(citer)
    ordered = sorted(spans.values(), key=lambda s: (s.start, -s.end))
    for number, span in enumerate(ordered, 1):
        span.number = number
    edges = sorted({0, len(text), *(s.start for s in ordered), *(s.end for s in ordered)})
    starting: dict[int, list[Span]] = {}
    for span in ordered:
        starting.setdefault(span.start, []).append(span)
    pieces = []
    for a, b in zip(edges, edges[1:], strict=False):
        covering = [s for s in ordered if s.start <= a and b <= s.end]
        citers = dict.fromkeys(f"{c.kind}: {c.label}" for s in covering for c in s.cited_by)
        title = f"Cited by {'; '.join(citers)}" if citers else ""
        kinds = list(dict.fromkeys(k for s in covering for k in s.kinds))
        pieces.append(
            Piece(text[a:b], [s.key for s in covering], starting.get(a, []), title, a, kinds)
        )
    return MarkedDocument(ordered, pieces, total)


# --- a record's fields -------------------------------------------------------------


@dataclass
class Node:
    """One value of a record as a page shows it.

    ``kind`` is text, link, list, object or cites (footnote numbers).
    """

    kind: str
    text: str = ""
    href: str | None = None
    items: list = field(default_factory=list)  # Nodes, or (label, Node) pairs for objects
    numbers: list[int] = field(default_factory=list)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _reference(key: str, value) -> str | None:
    target = catalog.REFERENCES.get(key)
    if target and isinstance(value, str):
        return record_href(target, value)
    return None


class Fields:
    """A record's fields as Nodes; every citation numbered in the order it appears."""

    def __init__(self) -> None:
        self.sources: list[dict] = []

    def of(self, record: dict, skip: tuple[str, ...] = ("id",)) -> list[tuple[str, Node]]:
        return [(_label(k), self.node(k, v)) for k, v in record.items() if k not in skip]

    def node(self, key: str, value) -> Node:
        if key == "sources" and isinstance(value, list):
            numbers = []
            for source in value:
                self.sources.append(source)
                numbers.append(len(self.sources))
            return Node("cites", numbers=numbers)
        if isinstance(value, dict):
            if set(value) >= {"type", "id"} and value.get("type") in catalog.BY_SINGULAR:
                return Node(
                    "link",
                    text=f"{value['type']} {value['id']}",
                    href=record_href(catalog.BY_SINGULAR[value["type"]], value["id"]),
                )
            return Node("object", items=[(_label(k), self.node(k, v)) for k, v in value.items()])
        if isinstance(value, list):
            return Node("list", items=[self.node(key, v) for v in value])
        href = _reference(key, value)
        if href:
            return Node("link", text=str(value), href=href)
        if value is None:
            return Node("text", text="—")
        if isinstance(value, bool):
            return Node("text", text="yes" if value else "no")
        if isinstance(value, int):
            return Node("text", text=f"{value:,}")
        return Node("text", text=str(value))


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    """The top-level fields a write changed."""
    before, after = before or {}, after or {}
    return sorted(k for k in {*before, *after} if before.get(k) != after.get(k))


# --- the timeline strip ------------------------------------------------------------

STRIP_WIDTH = 960
STRIP_LEFT = 110  # room for the lane names
STRIP_RIGHT = 20
LANE_HEIGHT = 30
STRIP_TOP = 10
AXIS_HEIGHT = 30
LANES = tuple(
    r.singular
    for r in (
        catalog.AGREEMENTS,
        catalog.MEETINGS,
        catalog.EVENTS,
        catalog.INDICATORS,
        catalog.COMMENTARY,
    )
)


def _year(day: str) -> float:
    """A full date as a fractional year."""
    d = datetime.date.fromisoformat(day)
    start = datetime.date(d.year, 1, 1)
    length = (datetime.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / length


@dataclass
class Mark:
    """A record on the strip: where it is drawn, and what it links to."""

    x: float
    y: float
    width: float
    label: str
    href: str
    via: str | None
    point: bool  # a day (drawn as a dot), not a period


@dataclass
class Strip:
    width: int
    height: int
    lanes: list[tuple[str, float]]  # lane name and its middle's y
    ticks: list[tuple[str, float]]  # year and its x
    axis_y: float
    marks: list[Mark]
    undated: list[dict]


def strip(entries: list[dict], groups: list[tuple[str, ...]]) -> Strip:
    """Timeline entries on a time axis at their date precision; undated ones apart.

    An entry that involves a pair's country only through a state it continues
    is marked ``via`` that state.
    """
    from api.briefs.compose import via

    dated = [e for e in entries if e.get("date_start")]
    undated = [
        {
            **e,
            "href": record_href(catalog.BY_SINGULAR[e["type"]], e["id"]),
            "via": via(e["countries"], groups),
        }
        for e in entries
        if not e.get("date_start")
    ]
    lanes = [(name, STRIP_TOP + i * LANE_HEIGHT + LANE_HEIGHT / 2) for i, name in enumerate(LANES)]
    axis_y = STRIP_TOP + len(LANES) * LANE_HEIGHT
    height = int(axis_y + AXIS_HEIGHT)
    if not dated:
        return Strip(STRIP_WIDTH, height, lanes, [], axis_y, [], undated)
    first = int(min(_year(e["date_start"]) for e in dated))
    last = int(max(_year(e["date_end"]) for e in dated)) + 1
    span = max(last - first, 1)
    scale = (STRIP_WIDTH - STRIP_LEFT - STRIP_RIGHT) / span

    def x(year: float) -> float:
        return round(STRIP_LEFT + (year - first) * scale, 1)

    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if span / s <= 10)
    ticks = [(str(y), x(y)) for y in range(first - first % step, last + 1, step) if y >= first]
    lane_y = dict(lanes)
    marks = []
    for e in dated:
        start = _year(e["date_start"])
        end = _year(e["date_end"]) + 1 / 365
        width = round((end - start) * scale, 1)
        marks.append(
            Mark(
                x=x(start),
                y=lane_y.get(e["type"], lanes[-1][1]),
                width=max(width, 3.0),
                label=f"{e['date']}: {e['title']}",
                href=record_href(catalog.BY_SINGULAR[e["type"]], e["id"]),
                via=via(e["countries"], groups),
                point=width < 3.0,
            )
        )
    return Strip(STRIP_WIDTH, height, lanes, ticks, axis_y, marks, undated)
