"""Compose the bilateral brief of two countries from the store (no HTTP here).

Sections are capped; each gives its full count and the URL of the filtered
collection that holds the rest. The chronology shows its first page of records
(the rest continue from ``Brief.chronology_next``, a timeline cursor's key),
and ``coverage`` says what the brief rests on. Every item points into one
numbered list of citations, so a reader can check each statement against its
source.

The counts come from the pair counts the store keeps per data version
(``Store.pair_counts``); a brief as of a date counts over the rows instead.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from api.briefs.figures import amount
from api.domain import catalog
from api.domain.catalog import Resource
from api.store.lookup import NotFound
from api.store.planner import Filters, PairCounts
from api.store.reads import Gone, Store, decode
from schemas.agreements import AGREEMENT_STATUSES

POSITION_KINDS = ("op_ed", "quote", "statement")
COUNT_CAP = 100  # a section counts its records this far (a brief stays cheap at scale)
CHRONOLOGY_CAP = 100  # the chronology's first page; the rest are a link away
CHRONOLOGY_COUNT_CAP = 10_000  # and it counts this far
# Agreements most advanced first; a lapsed one last, as it binds no one now.
AGREEMENT_ORDER = (*reversed(AGREEMENT_STATUSES[:-1]), AGREEMENT_STATUSES[-1])


class Citations:
    """Numbers each distinct citation in the order it is first used."""

    def __init__(self, data: Store) -> None:
        self.data = data
        self.numbers: dict[tuple, int] = {}
        self.sources: list[dict] = []
        self.documents: dict[str, dict] = {}  # the documents cited, once ``resolve``d
        self.pending: dict[str, list[dict]] = {}  # sources whose document is yet to be read

    def number(self, source: dict) -> int:
        key = (source["document"], source["start"], source["end"])
        if key not in self.numbers:
            self.numbers[key] = len(self.sources) + 1
            entry = {
                "number": self.numbers[key],
                "document": source["document"],
                "document_title": None,  # the document's, filled in by resolve
                "publisher": None,
                "published": None,
                **{k: source[k] for k in ("quote", "start", "end", "prefix", "suffix")},
            }
            self.sources.append(entry)
            self.pending.setdefault(source["document"], []).append(entry)
        return self.numbers[key]

    def resolve(self) -> None:
        """Fill in each source's document title, publisher and date (the documents read
        in one query)."""
        if not self.pending:
            return
        found = self.data.records(catalog.DOCUMENTS, list(self.pending))
        for document_id, entries in self.pending.items():
            if document_id not in self.documents:
                body = found.get(document_id) or self.data.get(catalog.DOCUMENTS, document_id).json
                self.documents[document_id] = decode(body)
            document = self.documents[document_id]
            for entry in entries:
                entry["document_title"] = document["title"]
                entry["publisher"] = document["publisher"]
                entry["published"] = document["published"]
        self.pending = {}


def via(record_countries: list[str], groups: list[tuple[str, ...]]) -> str | None:
    """The predecessor through which a record matched, when it did not match directly."""
    for country, *predecessors in groups:
        if country not in record_countries:
            for predecessor in predecessors:
                if predecessor in record_countries:
                    return predecessor
    return None


def _text(resource: Resource, record: dict) -> str:
    if resource is catalog.INDICATORS:
        period = f" ({record['period']})" if record["period"] else ""
        return f"{amount(record['value'], record['currency'], record['unit'])}{period}"
    if resource is catalog.COMMENTARY:
        return record["text"]
    return record["summary"]


class Brief:
    """The brief of one pair of countries, as of a date."""

    chronology_cap = CHRONOLOGY_CAP
    chronology_count_cap = CHRONOLOGY_COUNT_CAP

    def __init__(
        self,
        data: Store,
        pair: tuple[str, str],
        *,
        as_of: str | None,
        predecessors: bool,
        limit: int,
        base_url: str,
    ) -> None:
        self.data = data
        self.pair = tuple(sorted(pair))
        self.as_of = as_of
        self.predecessors = predecessors
        self.limit = limit
        self.base_url = base_url.rstrip("/")
        self.groups = [(c, *data.continued_by(c)) if predecessors else (c,) for c in self.pair]
        self.filters = Filters(countries=self.groups, as_of=as_of)
        self.citations = Citations(data)
        self.timeline: list[dict] = []  # the chronology's timeline entries, once composed
        self.chronology_next: list | None = None  # the timeline's key after them, if any
        self.names: dict[str, str] = {}  # people's names, by id
        # Counts kept per data version; None: count over the rows (a brief as of a date).
        self.kept: PairCounts | None = None if as_of else data.pair_counts(self.groups)

    def speaker(self, author: dict | None) -> str | None:
        """Who said it: the person's name when the words are linked to a person (the
        source's spelling stays in the quote), else the name as the source gives it."""
        if not author:
            return None
        person = author.get("person")
        if person and person not in self.names:
            try:
                self.names[person] = decode(self.data.get(catalog.PEOPLE, person).json)["name"]
            except (NotFound, Gone):
                self.names[person] = author["name"]
        return self.names[person] if person else author["name"]

    def url(self, path: str, **params) -> str:
        query = self.query()
        query += [(k, v) for k, v in params.items() if v is not None]
        return f"{self.base_url}{path}?{urlencode(query)}"

    def query(self) -> list[tuple[str, str]]:
        """The query string of the brief's records in a collection or the timeline (whose
        predecessors are on by default, so it is always said)."""
        query = [("country", c) for c in self.pair]
        query.append(("predecessors", "true" if self.predecessors else "false"))
        if self.as_of:
            query.append(("as_of", self.as_of))
        return query

    def entry(
        self, resource: Resource, record: dict, countries: list[str], sources: list[dict], **shown
    ) -> dict:
        """A section item: what it shows, how it matched, its numbered citations and
        the curator's caveats (notes, and the fields inferred rather than read)."""
        return {
            "type": resource.singular,
            "id": record["id"],
            **shown,
            "via": via(countries, self.groups),
            "citations": [self.citations.number(s) for s in sources],
            "notes": record.get("notes", []),
            "inferred": record.get("inferred", []),
            "href": f"{self.base_url}/v1/{resource.name}/{record['id']}",
        }

    def item(self, resource: Resource, record: dict) -> dict:
        title = record.get(resource.title) if resource is not catalog.COMMENTARY else None
        author = record.get("author")
        return self.entry(
            resource,
            record,
            record.get("countries", []),
            record["sources"],
            title=title or _text(resource, record),
            date=record[resource.date],
            kind=record.get("kind"),
            status=record.get("status"),
            text=_text(resource, record),
            author=self.speaker(author),
        )

    def count(self, resource: Resource | None, filters: Filters, cap: int) -> int:
        """How many records match, counting no further than ``cap`` (``Store.count``)."""
        if self.kept is None:
            return self.data.count(resource, filters, cap)
        return min(self.kept.count(resource.name if resource else "timeline", filters), cap)

    def counted(self, resource: Resource | None, filters: Filters) -> dict:
        n = self.count(resource, filters, COUNT_CAP + 1)
        return {"count": min(n, COUNT_CAP), "count_exact": n <= COUNT_CAP}

    def section(self, resource: Resource, filters: Filters, link: str) -> dict:
        page = self.data.page(resource, filters, "date", self.limit)
        return {
            **self.counted(resource, filters),
            "items": [self.item(resource, decode(body)) for body in page.items],
            "more": link,
        }

    def chronology(self) -> dict:
        """The first chronology_cap records of the pair in date order, undated last."""
        page = self.data.timeline(self.filters, [], "date", self.chronology_cap)
        self.timeline = [decode(body) for body in page.items]
        self.chronology_next = page.next_key
        ids: dict[str, list[str]] = {}
        for entry in self.timeline:
            ids.setdefault(entry["type"], []).append(entry["id"])
        stored = {  # each resource's records in one query
            (kind, record_id): body
            for kind, listed in ids.items()
            for record_id, body in self.data.records(catalog.BY_SINGULAR[kind], listed).items()
        }
        items = []
        for entry in self.timeline:
            resource = catalog.BY_SINGULAR[entry["type"]]
            body = stored.get((entry["type"], entry["id"]))
            record = decode(body or self.data.get(resource, entry["id"]).json)
            title = entry["title"]
            said = f"{record['author']['name']}: " if record.get("author") else None
            if said and title.startswith(said):  # the speaker by the person's name
                title = f"{self.speaker(record['author'])}: {title[len(said) :]}"
            items.append(
                self.entry(
                    resource,
                    record,
                    entry["countries"],
                    entry["sources"],
                    title=title,
                    date=entry["date"],
                    kind=entry["kind"],
                    status=record.get("status"),
                    text=title,
                    author=None,
                )
            )
        n = len(items)
        if page.next_key is not None:
            n = self.count(None, self.filters, self.chronology_count_cap + 1)
        return {
            "count": min(n, self.chronology_count_cap),
            "count_exact": n <= self.chronology_count_cap,
            "items": items,
            "more": self.url("/v1/timeline"),
        }

    def coverage(self, chronology: dict) -> dict:
        """What the brief rests on: the documents its records cite, their dates, the counts."""
        documents = sorted(
            (
                {k: d[k] for k in ("title", "publisher", "published", "url")} | {"id": d["id"]}
                for d in self.citations.documents.values()
            ),
            key=lambda d: (d["published"] is None, d["published"] or "", d["id"]),
        )
        dates = [d["published"] for d in documents if d["published"]]
        records: dict[str, int] = {}
        for item in chronology["items"]:
            name = catalog.BY_SINGULAR[item["type"]].name
            records[name] = records.get(name, 0) + 1
        return {
            "documents": documents,
            "earliest": min(dates, default=None),
            "latest": max(dates, default=None),
            "records": records,
            "complete": chronology["count"] == len(chronology["items"]),
            "countries_with_records": f"{self.base_url}/v1/countries?mentioned=true",
            "pairs_with_records": f"{self.base_url}/v1/dataset",
        }

    def compose(self) -> dict:
        f = self.filters
        statuses = [
            status
            for status in AGREEMENT_ORDER
            if self.count(catalog.AGREEMENTS, replace(f, status=status), 1)
        ]
        brief = {
            "countries": [decode(self.data.get(catalog.COUNTRIES, c).json) for c in self.pair],
            "predecessor_states": [
                decode(self.data.get(catalog.COUNTRIES, p).json)
                for group in self.groups
                for p in group[1:]
            ],
            "as_of": self.as_of,
            "predecessors": self.predecessors,
            "figures": self.section(catalog.INDICATORS, f, self.url("/v1/indicators")),
            "agreements": {
                status: self.section(
                    catalog.AGREEMENTS,
                    replace(f, status=status),
                    self.url("/v1/agreements", status=status),
                )
                for status in statuses
            },
            "meetings": self.section(catalog.MEETINGS, f, self.url("/v1/meetings")),
            "events": self.section(catalog.EVENTS, f, self.url("/v1/events")),
            "positions": self.section(
                catalog.COMMENTARY, replace(f, kind=POSITION_KINDS), self.url("/v1/commentary")
            ),
            "recommendations": self.section(
                catalog.COMMENTARY,
                replace(f, kind="recommendation"),
                self.url("/v1/commentary", kind="recommendation"),
            ),
            "chronology": self.chronology(),
        }
        self.citations.resolve()
        brief["coverage"] = self.coverage(brief["chronology"])
        brief["sources"] = self.citations.sources
        return brief
