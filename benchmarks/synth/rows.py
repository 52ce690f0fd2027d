"""Stored rows computed without the schemas, checked against them on a sample."""

from __future__ import annotations

import hashlib

import orjson

from api.domain import catalog, citations
from api.domain.catalog import Resource
from api.store import entries
from benchmarks.synth.corpus import Corpus
from benchmarks.synth.words import DERIVED, FAST, MAIN_COLUMNS
from schemas import dates


def columns_of(resource: Resource) -> tuple[str, ...]:
    return MAIN_COLUMNS + tuple(entries.EXTRA_COLUMNS.get(resource.name, {}))


def _quotes(record: dict) -> list[str]:
    found = [s["quote"] for h in record.get("status_history", ()) for s in h["sources"]]
    return found + [s["quote"] for s in record["sources"]]


def fast_search(resource: Resource, record: dict) -> tuple:
    """``entries.rows(...).search`` of a record of the five large resources, as a tuple."""
    text = record["text"] if resource is catalog.COMMENTARY else record["summary"]
    parts = [text, *_quotes(record)]
    author = record.get("author")
    if author:
        parts.append(author["name"])
    title = record[resource.title]
    return (resource.singular, record["id"], title, "\n".join(dict.fromkeys(parts)))


def fast_rows(resource: Resource, record: dict, published: dict[str, str]):
    """``entries.rows`` of a record of the five large resources, as tuples for executemany."""
    body = orjson.dumps(record)
    sources = record["sources"]
    first = min(published[s["document"]] for s in sources)  # full dates: their own start
    rid = record["id"]
    name = resource.name
    main = [
        rid,
        record[resource.title],
        record["kind"],
        record.get("status"),
        record["date_start"],
        record["date_end"],
        first,
        body,
        hashlib.sha256(body).hexdigest()[:20],
    ]
    if name == "agreements":
        main.append(record["meeting"])
    elif name == "commentary":
        main.append(record["document"])
    involved = sorted(set(record["countries"]))
    people = {p["person"] for p in record.get("participants", ())}
    author = record.get("author")
    if author:
        people.add(author["person"])
    people.discard(None)
    if resource is catalog.COMMENTARY:
        speaker = author["name"] if author else "Unattributed"
        title = f"{speaker}: {record['text']}"
        if len(title) > entries.TITLE_LENGTH:
            title = title[: entries.TITLE_LENGTH - 1] + "…"
    else:
        title = record[resource.title]
    entry = {
        "type": resource.singular,
        "id": rid,
        "date": record[resource.date],
        "date_start": record["date_start"],
        "date_end": record["date_end"],
        "title": title,
        "kind": record["kind"],
        "countries": involved,
        "sources": sources,
    }
    timeline = (
        name,
        rid,
        record["date_start"],
        record["date_end"],
        first,
        orjson.dumps(entry),
        entries.linked(involved),
    )
    refs = {("countries", c) for c in involved}
    refs.update(("documents", s["document"]) for s in sources)
    if name == "agreements":
        if record["meeting"]:
            refs.add(("meetings", record["meeting"]))
    elif name == "meetings":
        refs.add(("countries", record["location"]["country"]))
        for p in record["participants"]:
            refs.add(("countries", p["country"]))
        refs.update(("people", p) for p in people)
        if record["occasion"]:
            refs.add(("organizations", record["occasion"]["organization"]))
    elif name == "commentary":
        refs.add(("documents", record["document"]))
        refs.update(("people", p) for p in people)
        refs.update((SUBJECTS[s["type"]], s["id"]) for s in record["subjects"])
    return (
        tuple(main),
        [(name, rid, c) for c in involved],
        [(name, rid, p) for p in sorted(people)],
        timeline,
        None,
        [(name, rid, t, v) for t, v in sorted(refs)],
    )


SUBJECTS = {r.singular: r.name for r in catalog.ALL}


class DriftError(AssertionError):
    """A generated record or row differs from what the schemas and entries.rows give."""


def check_record(corpus: Corpus, resource: Resource, record: dict, published: dict) -> None:
    """Load and dump a record through its schema, verify its citations, compare its rows."""
    schema = resource.schema()
    given = {k: v for k, v in record.items() if k not in DERIVED}
    try:
        loaded = schema.load(given)
    except Exception as exc:  # a ValidationError names the field
        raise DriftError(f"{resource.name} {record['id']}: {exc}") from exc
    if resource.date:
        loaded["date_start"], loaded["date_end"] = dates.interval(
            loaded[resource.date], loaded.get(resource.until) if resource.until else None
        )
    for field in ("outcomes", "length"):
        if field in record:
            loaded[field] = record[field]
    if orjson.dumps(schema.dump(loaded)) != orjson.dumps(record):
        raise DriftError(f"{resource.name} {record['id']}: dumps differently through its schema")
    for path, source in citations.walk(record):
        problems = citations.verify(source, corpus.text_by_id[source["document"]])
        if problems:
            raise DriftError(f"{resource.name} {record['id']} {path}: {problems}")
    if resource in FAST:
        real = entries.rows(resource, record, published)
        main, linked, people, timeline, _, links = fast_rows(resource, record, published)
        expected = (
            tuple(real.main[c] for c in columns_of(resource)),
            [tuple(r.values()) for r in real.countries],
            [tuple(r.values()) for r in real.people],
            tuple(real.timeline.values()),
            tuple(real.search.values()),
            [tuple(r.values()) for r in real.links],
            [],
        )
        got = (main, linked, people, timeline, fast_search(resource, record), links, real.names)
        if got != expected:
            raise DriftError(f"{resource.name} {record['id']}: rows differ from entries.rows")
