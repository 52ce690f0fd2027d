"""Build the SQLite database from seeds and fixtures, atomically.

The build runs every check first and refuses to write while any problem
remains. It writes a temporary file beside the target and renames it into
place, so a reader never sees a half-written database and a failed build
leaves the previous one untouched.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

import orjson
import sqlite_utils

from api import catalog, citations, countries, names
from api.check import Dataset, Problem, check
from schemas import dates

SCHEMA_VERSION = "1"


class BuildError(Exception):
    """The inputs have problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the inputs")
        self.problems = problems


def derive(data: Dataset) -> dict[str, list[dict]]:
    """Output records, by resource: derived fields added, dumped by their schemas."""
    agreements = data.records.get("agreements", {})
    outcomes: dict[str, list[str]] = {}
    for agreement in agreements.values():
        if agreement["meeting"]:
            outcomes.setdefault(agreement["meeting"], []).append(agreement["id"])
    result = {}
    for resource in catalog.ALL:
        schema = resource.schema()
        dumped = []
        for record_id in sorted(data.records.get(resource.name, {})):
            record = dict(data.records[resource.name][record_id])
            for _, source in citations.walk(record):
                source.update(citations.complete(source, data.texts[source["document"]]))
            if resource.date:
                start, end = dates.interval(record[resource.date], record.get(resource.until))
                record["date_start"], record["date_end"] = start, end
            if resource is catalog.MEETINGS:
                record["outcomes"] = sorted(outcomes.get(record_id, []))
            dumped.append(schema.dump(record))
        result[resource.name] = dumped
    return result


def encode(record: dict) -> bytes:
    """The stored (and served) JSON of a record."""
    return orjson.dumps(record)


def etag(body: bytes) -> str:
    """A record's version: a digest of its stored JSON."""
    return hashlib.sha256(body).hexdigest()[:20]


def dataset_version(records: dict[str, list[dict]]) -> str:
    """A digest of every canonical record and the pycountry version behind them."""
    digest = hashlib.sha256(f"pycountry {countries.PYCOUNTRY_VERSION}\n".encode())
    for resource in sorted(records):
        for record in records[resource]:
            digest.update(
                resource.encode()
                + b"\t"
                + orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
                + b"\n"
            )
    return digest.hexdigest()[:16]


def _countries_of(resource: catalog.Resource, record: dict) -> set[str]:
    if resource is catalog.COUNTRIES:
        return set()
    found = set(record.get("countries") or [])
    for role in record.get("roles", []):
        found.add(role["country"])
    for membership in record.get("memberships", []):
        found.add(membership["country"])
    found.discard(None)
    return found


def _people_of(resource: catalog.Resource, record: dict) -> set[str]:
    found = {p["person"] for p in record.get("participants", [])}
    if resource is catalog.COMMENTARY and record["author"]:
        found.add(record["author"]["person"])
    found.discard(None)
    return found


def _search_text(record: dict) -> str:
    """What full-text search sees of a record besides its title."""
    parts = []
    for field in ("summary", "text", "name", "official_name", "acronym"):
        if isinstance(record.get(field), str):
            parts.append(record[field])
    parts += [a["name"] for a in record.get("aliases", [])]
    parts += [s["quote"] for _, s in citations.walk(record)]
    if isinstance(record.get("author"), dict):
        parts.append(record["author"]["name"])
    return "\n".join(dict.fromkeys(parts))


def _row(resource: catalog.Resource, record: dict) -> dict:
    body = encode(record)
    return {
        "id": record["id"],
        "title": record[resource.title],
        "kind": record.get("kind") if resource.kind else None,
        "status": record.get("status") if resource.status else None,
        "date_start": record.get("date_start"),
        "date_end": record.get("date_end"),
        "json": body,
        "etag": etag(body),
        **({"historical": int(record["historical"])} if resource is catalog.COUNTRIES else {}),
    }


def _write(
    db: sqlite_utils.Database,
    records: dict[str, list[dict]],
    texts: dict[str, str],
    meta: dict[str, str],
) -> None:
    links: list[dict] = []
    people: list[dict] = []
    search: list[dict] = []
    for resource in catalog.ALL:
        rows = [_row(resource, r) for r in records[resource.name]]
        db[resource.name].insert_all(
            rows,
            pk="id",
            columns={
                "id": str,
                "title": str,
                "kind": str,
                "status": str,
                "date_start": str,
                "date_end": str,
                "json": bytes,
                "etag": str,
            },
        )
        table = resource.name
        db.execute(f"CREATE INDEX {table}_date_asc ON {table}(coalesce(date_start, '~'), id)")
        db.execute(f"CREATE INDEX {table}_date_desc ON {table}(coalesce(date_start, ''), id)")
        db[table].create_index(["title", "id"], index_name=f"{table}_title")
        if resource.kind:
            db[table].create_index(["kind"], index_name=f"{table}_kind")
        if resource.status:
            db[table].create_index(["status"], index_name=f"{table}_status")
        for record in records[resource.name]:
            links += [
                {"resource": table, "record_id": record["id"], "country": c}
                for c in sorted(_countries_of(resource, record))
            ]
            people += [
                {"resource": table, "record_id": record["id"], "person": p}
                for p in sorted(_people_of(resource, record))
            ]
            search.append(
                {
                    "type": resource.singular,
                    "id": record["id"],
                    "title": str(record[resource.title]),
                    "body": _search_text(record),
                }
            )

    db["record_countries"].insert_all(
        links,
        pk=("resource", "country", "record_id"),
        foreign_keys=[("country", "countries", "id")],
        columns={"resource": str, "record_id": str, "country": str},
    )
    db["record_countries"].create_index(["resource", "record_id"])
    db["record_people"].insert_all(
        people,
        pk=("resource", "person", "record_id"),
        foreign_keys=[("person", "people", "id")],
        columns={"resource": str, "record_id": str, "person": str},
    )
    db["record_people"].create_index(["resource", "record_id"])

    db["document_texts"].insert_all(
        ({"id": k, "text": v} for k, v in sorted(texts.items())),
        pk="id",
        foreign_keys=[("id", "documents", "id")],
    )

    name_rows = {}
    for table, label in ((records["countries"], "countries"), (records["people"], "people")):
        for record in table:
            entries = (
                countries.name_keys(record)
                if label == "countries"
                else [(n, 0) for n in [record["name"]] + [a["name"] for a in record["aliases"]]]
            )
            for name, rank in entries:
                row = {
                    "resource": label,
                    "key": names.key(name),
                    "record_id": record["id"],
                    "name": name,
                    "rank": rank,
                }
                name_rows.setdefault((label, row["key"], record["id"]), row)
    db["names"].insert_all(
        sorted(name_rows.values(), key=lambda r: (r["resource"], r["key"], r["record_id"])),
        pk=("resource", "key", "record_id"),
    )

    db["search"].insert_all(search, pk=("type", "id"))
    db["search"].enable_fts(
        ["title", "body"], tokenize="unicode61 remove_diacritics 2", create_triggers=True
    )

    db["meta"].insert_all(({"key": k, "value": v} for k, v in sorted(meta.items())), pk="key")


def build(seeds_dir: Path, fixtures_dir: Path, db_path: Path) -> dict[str, str]:
    """Check the inputs and write the database at ``db_path``; return its metadata."""
    data, problems = check(seeds_dir, fixtures_dir)
    if problems:
        raise BuildError(problems)
    records = derive(data)
    version = dataset_version(records)
    built_at = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    meta = {
        "dataset_version": version,
        "data_version": version,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(built_at)),
        "pycountry": countries.PYCOUNTRY_VERSION,
        "schema_version": SCHEMA_VERSION,
        "counts": orjson.dumps({name: len(rows) for name, rows in records.items()}).decode(),
    }
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        db = sqlite_utils.Database(tmp)
        _write(db, records, data.texts, meta)
        violations = db.execute("PRAGMA foreign_key_check").fetchall()
        if violations:
            raise RuntimeError(f"foreign keys violated: {violations[:5]}")
        db.execute("VACUUM")
        db.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return meta


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in problems)
