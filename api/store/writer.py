"""Curation writes: create, patch and delete records without losing anything.

A write runs in one transaction under the machine-wide write lock
(``transactions``), validates exactly as ``briefs check`` does (same schemas,
same reference and citation checks), re-indexes the record, records the change
in the audit table and bumps the data version. Nothing here knows HTTP.
"""

from __future__ import annotations

import hashlib
import logging

import orjson
from marshmallow import ValidationError
from slugify import slugify

from api.domain import catalog, citations, records
from api.domain.catalog import Resource
from api.domain.records import flatten, record_problems
from api.store import entries
from api.store.errors import (
    Conflict,
    Gone,
    Invalid,
    Missing,
    PreconditionFailed,
    PreconditionRequired,
    Written,
    utc_now,
)
from api.store.idempotency import Idempotency
from api.store.merge_patch import patch_record, unknown_fields
from api.store.swap import Swap
from schemas.inputs import READ_ONLY

WRITABLE = (
    catalog.PEOPLE,
    catalog.ORGANIZATIONS,
    catalog.AGREEMENTS,
    catalog.MEETINGS,
    catalog.EVENTS,
    catalog.INDICATORS,
    catalog.COMMENTARY,
)
MAX_ID_LENGTH = 80
log = logging.getLogger("briefs")


class Writer(Swap, Idempotency):
    """Writes to one database file."""

    # --- writes ------------------------------------------------------------------

    def create(
        self, resource: Resource, body: dict, actor: str, idempotency_key: str | None = None
    ) -> Written:
        """Store a new record; its id comes from its date and title.

        With an Idempotency-Key claimed by ``begin_idempotent``, the key is marked
        done in the same transaction, so a create is never committed without it
        (a worker killed in between cannot make a retry create twice).
        """
        with self.transaction() as conn:
            written = self.create_in(conn, resource, body, actor)
            record_id = written.id
            if idempotency_key is not None:
                conn.execute(
                    "UPDATE idempotency SET state = 'done', status = 201, headers = '{}', "
                    "body = ?, record_id = ? WHERE actor = ? AND key = ?",
                    (written.json, record_id, actor, idempotency_key),
                )
        return written

    def create_in(self, conn, resource: Resource, body: dict, actor: str) -> Written:
        """``create`` inside a transaction the caller holds."""
        _refuse_read_only(body)
        record_id = self._new_id(conn, resource, body)
        record = self._validate(conn, resource, {"id": record_id, **body})
        written = self._store(conn, resource, record)
        self._log(conn, actor, "create", resource, record_id, None, written.json)
        return written

    def update(
        self, resource: Resource, record_id: str, patch: dict, if_match: str | None, actor: str
    ) -> Written:
        """Apply a merge patch to the stored record and store the validated result."""
        if resource is catalog.DOCUMENTS:
            _refuse_text_change(patch)
        _refuse_read_only(patch)
        # A null for an unknown field would merge away unnoticed: name it.
        unknown = unknown_fields(resource.instance, patch)
        if unknown:
            raise Invalid("Unknown fields.", {path: ["Unknown field."] for path in unknown})
        with self.transaction() as conn:
            before = self._current(conn, resource, record_id, if_match)
            written = self.replace_in(
                conn,
                resource,
                before,
                patch_record(resource.instance, self.editable(before), patch),
                actor,
            )
        return written

    def editable(self, stored: Written) -> dict:
        """A stored record without the fields the server derives (what a patch applies to)."""
        return records.editable(orjson.loads(stored.json))

    def replace_in(self, conn, resource: Resource, before: Written, raw: dict, actor: str):
        """Validate ``raw`` and store it in place of ``before`` (in the caller's transaction)."""
        record = self._validate(conn, resource, raw)
        if resource is catalog.DOCUMENTS:
            record["length"] = len(self._text(conn, record["id"]) or "")
        written = self._store(conn, resource, record, replaces=True)
        if resource is catalog.DOCUMENTS:
            self._refresh_cited_from(conn, record["id"])
        self._log(conn, actor, "update", resource, before.id, before.json, written.json)
        return written

    def _refresh_cited_from(self, conn, document: str) -> None:
        """The records citing a document whose date changed: when they were first cited
        (what ``as_of`` filters on) is worked out again."""
        citing = conn.execute(
            "SELECT resource, record_id FROM record_links "
            "WHERE target = 'documents' AND target_id = ?",
            (document,),
        ).fetchall()
        for name, record_id in citing:
            table = catalog.BY_NAME[name].name
            (body,) = conn.execute(
                f"SELECT json FROM {table} WHERE id = ?", (record_id,)
            ).fetchone()
            record = orjson.loads(body)
            first = entries.cited_from(record, self._published(conn, record))
            conn.execute(f"UPDATE {table} SET cited_from = ? WHERE id = ?", (first, record_id))
            conn.execute(
                "UPDATE timeline SET cited_from = ? WHERE resource = ? AND id = ?",
                (first, table, record_id),
            )

    def current(self, conn, resource: Resource, record_id: str) -> Written:
        """The stored record (Missing or Gone when there is none), whatever its version."""
        return self._current(conn, resource, record_id, "*")

    def create_document(self, metadata: dict, text: str, html: str | None, actor: str) -> Written:
        """Store a new document: its metadata, its exact text and the HTML it came from.

        The text's SHA-256 is computed here; a text already stored is a Conflict
        naming the document that holds it.
        """
        _refuse_read_only(metadata)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.transaction() as conn:
            same = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (digest,)).fetchone()
            if same:
                raise Conflict(
                    f"This text is stored already, as the document {same[0]!r}.",
                    existing=same[0],
                )
            record_id = self._new_id(conn, catalog.DOCUMENTS, metadata)
            record = self._validate(
                conn, catalog.DOCUMENTS, {"id": record_id, **metadata, "sha256": digest}
            )
            record["length"] = len(text)
            conn.execute("INSERT INTO document_texts (id, text) VALUES (?, ?)", (record_id, text))
            if html is not None:
                conn.execute(
                    "INSERT INTO document_html (id, html) VALUES (?, ?)", (record_id, html)
                )
            written = self._store(conn, catalog.DOCUMENTS, record)
            self._log(conn, actor, "create", catalog.DOCUMENTS, record_id, None, written.json)
        return written

    def delete(self, resource: Resource, record_id: str, if_match: str | None, actor: str) -> None:
        """Remove a record, leaving a tombstone; refused while other records refer to it."""
        with self.transaction() as conn:
            before = self._current(conn, resource, record_id, if_match)
            referrers = conn.execute(
                "SELECT resource, record_id FROM record_links WHERE target = ? AND target_id = ? "
                "ORDER BY 1, 2 LIMIT 5",
                (resource.name, record_id),
            ).fetchall()
            if referrers:
                names = ", ".join(f"{r}/{i}" for r, i in referrers)
                raise Conflict(f"Other records refer to it: {names}. Change them first.")
            record = orjson.loads(before.json)
            self._unindex(conn, resource, record_id)
            conn.execute(
                "INSERT INTO tombstones VALUES (?, ?, ?, ?)",
                (resource.name, record_id, utc_now(), actor),
            )
            if resource is catalog.DOCUMENTS:
                self._forget_document(conn, record_id, actor)
            self._refresh_outcomes(conn, resource, record, None)
            self._log(conn, actor, "delete", resource, record_id, before.json, None)

    # --- steps -------------------------------------------------------------------

    def _forget_document(self, conn, document: str, actor: str) -> None:
        """A deleted document's text, HTML and drafts go with it (drafts leave tombstones)."""
        conn.execute("DELETE FROM document_texts WHERE id = ?", (document,))
        conn.execute("DELETE FROM document_html WHERE id = ?", (document,))
        conn.execute(
            "INSERT INTO tombstones SELECT 'drafts', id, ?, ? FROM drafts WHERE document = ?",
            (utc_now(), actor, document),
        )
        conn.execute("DELETE FROM drafts WHERE document = ?", (document,))
        bump_drafts(conn)

    def _new_id(self, conn, resource: Resource, body: dict) -> str:
        title = body.get(resource.title)
        date = body.get(resource.date) if resource.date else None
        if not isinstance(title, str) or not title.strip():
            title = resource.singular
        year = date[:4] if isinstance(date, str) and date[:4].isdigit() else None
        record_id = (
            slugify(f"{year or ''} {title}", max_length=MAX_ID_LENGTH, word_boundary=True)
            or resource.singular
        )
        taken = conn.execute(
            f"SELECT 1 FROM {resource.name} WHERE id = ? UNION ALL "
            "SELECT 1 FROM tombstones WHERE resource = ? AND id = ?",
            (record_id, resource.name, record_id),
        ).fetchone()
        if taken:
            raise Conflict(
                f"A {resource.singular} with the id {record_id!r} exists or existed; "
                "ids come from the date and title, so change the title."
            )
        return record_id

    def _current(self, conn, resource: Resource, record_id: str, if_match: str | None):
        row = conn.execute(
            f"SELECT json, etag FROM {resource.name} WHERE id = ?", (record_id,)
        ).fetchone()
        if row is None:
            gone = conn.execute(
                "SELECT 1 FROM tombstones WHERE resource = ? AND id = ?", (resource.name, record_id)
            ).fetchone()
            if gone:
                raise Gone(f"The {resource.singular} {record_id!r} was deleted.")
            raise Missing(f"No {resource.singular} {record_id!r}.")
        if if_match is None:
            raise PreconditionRequired(
                "Send If-Match with the ETag you last read, so that no change is lost."
            )
        if if_match not in ("*", row[1]):
            raise PreconditionFailed(
                "The record changed since you read it: fetch it again and reapply your change."
            )
        return Written(record_id, row[0], row[1])

    def _validate(self, conn, resource: Resource, raw: dict) -> dict:
        try:
            record = resource.instance.load(raw)
        except ValidationError as exc:
            raise Invalid("The record is not valid.", _errors(flatten(exc.messages))) from exc

        def exists(target: str, target_id: str) -> bool:
            table = catalog.BY_NAME[target].name
            return (
                conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (target_id,)).fetchone()
                is not None
            )

        problems = record_problems(record, exists, lambda d: self._text(conn, d))
        if problems:
            raise Invalid(
                "The record refers to what does not exist or cites what its source does not say.",
                _errors(problems),
            )
        return record

    def text_in(self, conn, document: str) -> str | None:
        """A document's text, read in the caller's transaction (None if there is none)."""
        return self._text(conn, document)

    def _text(self, conn, document: str) -> str | None:
        row = conn.execute("SELECT text FROM document_texts WHERE id = ?", (document,)).fetchone()
        return row[0] if row else None

    def _store(self, conn, resource: Resource, record: dict, replaces: bool = False) -> Written:
        outcomes = []
        if resource is catalog.MEETINGS:
            outcomes = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM agreements WHERE meeting = ?", (record["id"],)
                )
            ]
        out = records.output(resource, record, lambda d: self._text(conn, d), outcomes)
        previous = None
        if replaces:
            row = conn.execute(
                f"SELECT json FROM {resource.name} WHERE id = ?", (record["id"],)
            ).fetchone()
            previous = orjson.loads(row[0])
            self._unindex(conn, resource, record["id"])
        self._index(conn, resource, out)
        self._refresh_outcomes(conn, resource, previous, out)
        row = conn.execute(
            f"SELECT json, etag FROM {resource.name} WHERE id = ?", (record["id"],)
        ).fetchone()
        return Written(record["id"], row[0], row[1])

    def _published(self, conn, record: dict) -> dict[str, str | None]:
        """Publication dates of the documents a record cites (for ``cited_from``)."""
        cited = sorted({s["document"] for _, s in citations.walk(record)})
        marks = ",".join("?" * len(cited))
        rows = conn.execute(f"SELECT id, json FROM documents WHERE id IN ({marks})", cited)
        return {i: orjson.loads(body)["published"] for i, body in rows}

    def _index(self, conn, resource: Resource, out: dict) -> None:
        rows = entries.rows(resource, out, self._published(conn, out))
        _insert(conn, resource.name, rows.main)
        for table, items in (
            ("record_countries", rows.countries),
            ("record_people", rows.people),
            ("record_links", rows.links),
        ):
            for item in items:
                _insert(conn, table, item)
        for name in rows.names:
            _insert(conn, "names", name)
        _insert(conn, "search", rows.search)
        if rows.timeline:
            _insert(conn, "timeline", rows.timeline)

    def _unindex(self, conn, resource: Resource, record_id: str) -> None:
        for table in ("record_countries", "record_people", "record_links", "names"):
            conn.execute(
                f"DELETE FROM {table} WHERE resource = ? AND record_id = ?",
                (resource.name, record_id),
            )
        conn.execute("DELETE FROM search WHERE type = ? AND id = ?", (resource.singular, record_id))
        conn.execute(
            "DELETE FROM timeline WHERE resource = ? AND id = ?", (resource.name, record_id)
        )
        conn.execute(f"DELETE FROM {resource.name} WHERE id = ?", (record_id,))

    def _refresh_outcomes(
        self, conn, resource: Resource, before: dict | None, after: dict | None
    ) -> None:
        """Re-derive the meetings whose ``outcomes`` an agreement's change affects."""
        if resource is not catalog.AGREEMENTS:
            return
        meetings = {r["meeting"] for r in (before, after) if r and r.get("meeting")}
        for meeting_id in sorted(meetings):
            row = conn.execute("SELECT json FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
            if row is None:
                continue
            loaded = catalog.MEETINGS.instance.load(records.editable(orjson.loads(row[0])))
            self._unindex(conn, catalog.MEETINGS, meeting_id)
            outcomes = [
                r[0]
                for r in conn.execute("SELECT id FROM agreements WHERE meeting = ?", (meeting_id,))
            ]
            out = records.output(catalog.MEETINGS, loaded, lambda d: self._text(conn, d), outcomes)
            self._index(conn, catalog.MEETINGS, out)

    def _log(
        self,
        conn,
        actor: str,
        action: str,
        resource: Resource,
        record_id: str,
        before: bytes | None,
        after: bytes | None,
    ) -> None:
        cursor = conn.execute(
            "INSERT INTO changes (at, actor, action, resource, record_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), actor, action, resource.name, record_id, before, after),
        )
        dataset = conn.execute("SELECT value FROM meta WHERE key = 'dataset_version'").fetchone()[0]
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'data_version'",
            (f"{dataset}.{cursor.lastrowid}",),
        )


def bump_drafts(conn) -> None:
    """A new version of the drafts (their collection's ETag)."""
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'drafts_version'")


IMMUTABLE = ("text", "html", "sha256", "length")


def _refuse_text_change(patch: dict) -> None:
    touched = [f for f in IMMUTABLE if f in patch]
    if touched:
        raise Invalid(
            "A document's text never changes (citations count into it): "
            "post the new text as a new document.",
            {f: ["Immutable: only the metadata of a document may change."] for f in touched},
        )


def _refuse_read_only(body: dict) -> None:
    touched = sorted(set(body) & READ_ONLY)
    if touched:
        raise Invalid(
            "These fields are set by the server.",
            {f: ["Read-only: the server sets it."] for f in touched},
        )


def _insert(conn, table: str, row: dict) -> None:
    columns = ", ".join(row)
    conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )


def _errors(pairs) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, message in pairs:
        errors.setdefault(path or "body", []).append(message)
    return errors
