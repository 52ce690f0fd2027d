"""The rows a record occupies: its table row, links, names, search and timeline entries.

Derived from a record's output form (the JSON the API serves), so the build
and any later write index a record the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import orjson
import sqlite_utils

from api.domain import catalog, citations, countries, names
from api.domain.catalog import Resource
from api.domain.records import references
from api.store import fulltext
from api.store.layout import EXTRA_COLUMNS
from schemas import dates

TIMELINE = (
    catalog.AGREEMENTS,
    catalog.MEETINGS,
    catalog.EVENTS,
    catalog.INDICATORS,
    catalog.COMMENTARY,
)
TITLE_LENGTH = 140


def encode(record: dict) -> bytes:
    """The stored (and served) JSON of a record."""
    return orjson.dumps(record)


def version(body: bytes) -> str:
    """A record's version (its ETag): a digest of its stored JSON."""
    return hashlib.sha256(body).hexdigest()[:20]


@dataclass
class Rows:
    """Everything one record contributes to the database."""

    main: dict
    countries: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    names: list[dict] = field(default_factory=list)
    search: dict | None = None
    timeline: dict | None = None
    links: list[dict] = field(default_factory=list)


def countries_of(resource: Resource, record: dict) -> list[str]:
    """The countries a record involves."""
    if resource is catalog.COUNTRIES:
        return []
    found = set(record.get("countries") or [])
    found |= {role["country"] for role in record.get("roles", [])}
    found |= {m["country"] for m in record.get("memberships", [])}
    found.discard(None)
    return sorted(found)


def people_of(resource: Resource, record: dict) -> list[str]:
    """The people a record names as participant or author."""
    found = {p["person"] for p in record.get("participants", [])}
    if resource is catalog.COMMENTARY and record["author"]:
        found.add(record["author"]["person"])
    found.discard(None)
    return sorted(found)


def cited_from(record: dict, published: dict[str, str | None]) -> str | None:
    """The first day any document the record cites was published (for ``as_of``)."""
    days = [
        dates.bounds(published[s["document"]])[0]
        for _, s in citations.walk(record)
        if published.get(s["document"])
    ]
    if "publisher" in record and record.get("published"):
        days.append(dates.bounds(record["published"])[0])
    return min(days, default=None)


def linked(countries: list[str]) -> str:
    """A timeline row's countries as one string, each between commas (",PK,RU,"): the
    timeline's date indexes hold it, so a walk in date order checks a country there."""
    return f",{','.join(countries)},"


def timeline_title(resource: Resource, record: dict) -> str:
    if resource is not catalog.COMMENTARY:
        return record[resource.title]
    speaker = record["author"]["name"] if record["author"] else "Unattributed"
    text = f"{speaker}: {record['text']}"
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


def search_body(record: dict) -> str:
    """What full-text search sees of a record besides its title.

    A country's, person's or organization's names and aliases come first, then
    ``fulltext.NAMES_END``: the index weighs them as the entity's names, so
    "Fredkov" finds Mikhail Fradkov before the records that mention him.
    """
    names = [
        record[k] for k in ("name", "official_name", "acronym") if isinstance(record.get(k), str)
    ]
    names += [a["name"] for a in record.get("aliases", [])]
    parts = [record[k] for k in ("summary", "text") if isinstance(record.get(k), str)]
    parts += [s["quote"] for _, s in citations.walk(record)]
    if isinstance(record.get("author"), dict):
        parts.append(record["author"]["name"])
    names = list(dict.fromkeys(names))
    rest = "\n".join(p for p in dict.fromkeys(parts) if p not in names)
    return "\n".join(names) + fulltext.NAMES_END + rest if names else rest


def _names(resource: Resource, record: dict) -> list[dict]:
    if resource is catalog.COUNTRIES:
        entries = countries.name_keys(record)
    elif resource is catalog.PEOPLE:
        entries = [(n, 0) for n in [record["name"]] + [a["name"] for a in record["aliases"]]]
    else:
        return []
    rows = {}
    for name, rank in entries:
        key = names.key(name)
        rows.setdefault(
            key,
            {
                "resource": resource.name,
                "key": key,
                "record_id": record["id"],
                "name": name,
                "rank": rank,
            },
        )
    return list(rows.values())


def rows(resource: Resource, record: dict, published: dict[str, str | None]) -> Rows:
    """The rows of one output record."""
    body = encode(record)
    first_cited = cited_from(record, published)
    start, end = record.get("date_start"), record.get("date_end")
    if resource is catalog.DOCUMENTS:  # sorted and filtered by the day it was published
        start, end = dates.interval(record.get("published"))
    main = {
        "id": record["id"],
        "title": record[resource.title],
        "kind": record.get("kind") if resource.kind else None,
        "status": record.get("status") if resource.status else None,
        "date_start": start,
        "date_end": end,
        "cited_from": first_cited,
        "json": body,
        "etag": version(body),
    }
    for column, kind in EXTRA_COLUMNS.get(resource.name, {}).items():
        value = record.get(column)
        main[column] = int(value) if kind is int and value is not None else value
    in_countries = countries_of(resource, record)
    result = Rows(
        main=main,
        countries=[
            {"resource": resource.name, "record_id": record["id"], "country": c}
            for c in in_countries
        ],
        people=[
            {"resource": resource.name, "record_id": record["id"], "person": p}
            for p in people_of(resource, record)
        ],
        names=_names(resource, record),
        links=[
            {
                "resource": resource.name,
                "record_id": record["id"],
                "target": target,
                "target_id": value,
            }
            for target, value in sorted({(t, v) for _, t, v in references(record)})
        ],
        search={
            "type": resource.singular,
            "id": record["id"],
            "title": str(record[resource.title]),
            "body": search_body(record),
        },
    )
    if resource in TIMELINE:
        entry = {
            "type": resource.singular,
            "id": record["id"],
            "date": record[resource.date],
            "date_start": record["date_start"],
            "date_end": record["date_end"],
            "title": timeline_title(resource, record),
            "kind": record["kind"],
            "countries": in_countries,
            "sources": record["sources"],
        }
        result.timeline = {
            "resource": resource.name,
            "id": record["id"],
            "date_start": record["date_start"],
            "date_end": record["date_end"],
            "cited_from": first_cited,
            "json": encode(entry),
            "countries": linked(in_countries),
        }
    return result


def insert(db: sqlite_utils.Database, resource: Resource, all_rows: list[Rows]) -> None:
    """Insert the rows of many records of one resource."""
    db[resource.name].insert_all(r.main for r in all_rows)
    db["record_countries"].insert_all(c for r in all_rows for c in r.countries)
    db["record_people"].insert_all(p for r in all_rows for p in r.people)
    db["names"].insert_all(n for r in all_rows for n in r.names)
    db["timeline"].insert_all(r.timeline for r in all_rows if r.timeline)
    db["record_links"].insert_all(link for r in all_rows for link in r.links)


def insert_ambiguous(db: sqlite_utils.Database, all_countries: list[dict]) -> None:
    """Equal-priority names for every country a shared name may mean ("Congo").

    A lookup that finds several records at the best priority is ambiguous, so
    these rows make such a name a 400 with candidates, never a silent pick.
    """
    table = {c["id"]: c for c in all_countries}
    db["names"].insert_all(
        (
            {
                "resource": catalog.COUNTRIES.name,
                "key": key,
                "record_id": country,
                "name": key,
                "rank": 0,
            }
            for key, ids in countries.ambiguous(table).items()
            for country in ids
        ),
        ignore=True,
    )


def search_order(rows: Rows) -> tuple:
    """Where a record's search entry goes: dated records oldest first, then undated ones.

    The full-text index takes the entries in this order, and breaks ties between
    equal scores by it.
    """
    start = rows.main["date_start"]
    return (start is None, start or "", rows.search["type"], rows.search["id"])


def insert_search(db: sqlite_utils.Database, all_rows: list[Rows]) -> None:
    """The search entries of every record, in ``search_order``."""
    db["search"].insert_all(r.search for r in sorted(all_rows, key=search_order))
