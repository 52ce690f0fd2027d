"""The table layout: every table and index of a database, and the layout's version.

The build creates it empty and fills it; a write checks ``SCHEMA_VERSION``
before it touches a file, so a database of another layout is rebuilt, never
written into.
"""

from __future__ import annotations

import sqlite_utils

from api.domain import catalog

SCHEMA_VERSION = "5"  # the table layout; a database of another layout must be rebuilt

# Columns a resource table has beyond the common ones, and what they refer to.
EXTRA_COLUMNS: dict[str, dict[str, type]] = {
    "countries": {"historical": int, "continuator": str},
    "agreements": {"meeting": str},
    "commentary": {"document": str},
    "documents": {"sha256": str},
}
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "agreements": [("meeting", "meetings", "id")],
    "commentary": [("document", "documents", "id")],
}
# Tables are created after the ones they refer to.
CREATE_ORDER = (
    catalog.COUNTRIES,
    catalog.DOCUMENTS,
    catalog.PEOPLE,
    catalog.ORGANIZATIONS,
    catalog.MEETINGS,
    catalog.AGREEMENTS,
    catalog.EVENTS,
    catalog.INDICATORS,
    catalog.COMMENTARY,
)


def create(db: sqlite_utils.Database) -> None:
    """Every table and index, empty."""
    for resource in CREATE_ORDER:
        table = resource.name
        columns = {
            "id": str,
            "title": str,
            "kind": str,
            "status": str,
            "date_start": str,
            "date_end": str,
            "cited_from": str,
            "json": bytes,
            "etag": str,
            **EXTRA_COLUMNS.get(table, {}),
        }
        db[table].create(columns, pk="id", foreign_keys=FOREIGN_KEYS.get(table, []))
        _date_indexes(db, table, "id")
        db[table].create_index(["title", "id"], index_name=f"{table}_title")
        for column in ("kind", "status"):
            if getattr(resource, column):
                _date_indexes(db, table, "id", leading=column)
    db["countries"].add_foreign_key("continuator", "countries", "id")
    db["countries"].create_index(["continuator"])
    db["record_countries"].create(
        {"resource": str, "record_id": str, "country": str},
        pk=("resource", "country", "record_id"),
        foreign_keys=[("country", "countries", "id")],
    )
    db["record_countries"].create_index(["resource", "record_id"])
    db["record_people"].create(
        {"resource": str, "record_id": str, "person": str},
        pk=("resource", "person", "record_id"),
        foreign_keys=[("person", "people", "id")],
    )
    db["record_people"].create_index(["resource", "record_id"])
    db["names"].create(
        {"resource": str, "key": str, "record_id": str, "name": str, "rank": int},
        pk=("resource", "key", "record_id"),
    )
    db["names"].create_index(["resource", "record_id"])
    db["document_texts"].create(
        {"id": str, "text": str}, pk="id", foreign_keys=[("id", "documents", "id")]
    )
    db["timeline"].create(
        {
            "resource": str,
            "id": str,
            "date_start": str,
            "date_end": str,
            "cited_from": str,
            "json": bytes,
        },
        pk=("resource", "id"),
    )
    _date_indexes(db, "timeline", "resource, id")
    # What full-text search sees of each record; api.fulltext indexes it.
    db["search"].create({"type": str, "id": str, "title": str, "body": str}, pk=("type", "id"))
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["documents"].create_index(["sha256"], unique=True)
    # The HTML a document's text was taken from, kept so extraction can be re-run.
    db["document_html"].create(
        {"id": str, "html": str}, pk="id", foreign_keys=[("id", "documents", "id")]
    )
    # Review: what extraction proposes, until a curator accepts or rejects it.
    db.execute(
        "CREATE TABLE drafts (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, "
        "document TEXT NOT NULL REFERENCES documents(id), resource TEXT NOT NULL, "
        "state TEXT NOT NULL, fingerprint TEXT NOT NULL, json BLOB NOT NULL, "
        "etag TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX drafts_document ON drafts(document, seq)")
    db.execute("CREATE INDEX drafts_fingerprint ON drafts(document, fingerprint)")
    db.execute("CREATE INDEX drafts_state ON drafts(state, seq)")
    # Extraction jobs; `owner` is the worker process running one (host:pid).
    db["jobs"].create(
        {"id": str, "document": str, "state": str, "owner": str, "json": bytes, "etag": str},
        pk="id",
    )
    db["record_links"].create(
        {"resource": str, "record_id": str, "target": str, "target_id": str},
        pk=("target", "target_id", "resource", "record_id"),
    )
    db["record_links"].create_index(["resource", "record_id"])
    # Writes: the audit trail (also the public change feed), deleted ids, and
    # the responses kept for Idempotency-Key retries.
    db.execute(
        "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
        "actor TEXT NOT NULL, action TEXT NOT NULL, resource TEXT NOT NULL, "
        "record_id TEXT NOT NULL, before BLOB, after BLOB)"
    )
    db["tombstones"].create(
        {"resource": str, "id": str, "deleted_at": str, "actor": str}, pk=("resource", "id")
    )
    db["idempotency"].create(
        {
            "actor": str,
            "key": str,
            "request": str,
            "state": str,
            "started": float,
            "status": int,
            "headers": str,
            "body": bytes,
            "owner": str,
            "record_id": str,
        },
        pk=("actor", "key"),
    )


def _date_indexes(
    db: sqlite_utils.Database, table: str, tiebreak: str, leading: str | None = None
) -> None:
    """Indexes in date order, both ways, optionally after an equality column (kind)."""
    # Undated rows sort last both ways: '~' after every date, '' before.
    first = f"{leading}, " if leading else ""
    name = f"{table}_{leading}" if leading else f"{table}_date"
    db.execute(f"CREATE INDEX {name}_asc ON {table}({first}coalesce(date_start, '~'), {tiebreak})")
    db.execute(f"CREATE INDEX {name}_desc ON {table}({first}coalesce(date_start, ''), {tiebreak})")
