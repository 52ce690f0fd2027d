"""Curation writes: create, patch and delete records without losing anything.

Every write is one ``BEGIN IMMEDIATE`` transaction on a fresh read-write
connection, taken under an exclusive lock file shared by every process on
the machine. SQLite's own lock already serializes writers; the lock file
also serializes WAL checkpoints (which run inside a committing writer), so
no two connections ever write or checkpoint at the same instant: the
WAL-reset bug of the SQLite versions available here cannot strike. Readers
open the file read-only and never checkpoint.

A write validates exactly as ``briefs check`` does (same schemas, same
reference and citation checks), re-indexes the record, records the change
in the audit table and bumps the data version. Nothing here knows HTTP.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
from marshmallow import ValidationError, fields
from slugify import slugify

from api import build, catalog, citations, fulltext, index
from api.catalog import Resource
from api.check import flatten, record_problems
from api.db import BUSY_TIMEOUT_S, sqlite3
from api.processes import pid_alive
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
IN_FLIGHT_TIMEOUT_S = 60.0  # an Idempotency-Key left in flight longer was abandoned


class WriteError(Exception):
    """A write refused; ``status`` is the HTTP status the API answers with."""

    status = 400

    def __init__(
        self, detail: str, errors: dict[str, list[str]] | None = None, **extensions
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extensions = extensions  # further problem members (``existing``)


class Invalid(WriteError):
    status = 422


class Conflict(WriteError):
    status = 409


class Unavailable(WriteError):
    status = 503


class Missing(WriteError):
    status = 404


class NoSpace(WriteError):
    """The device holding the database is full: nothing was written."""

    status = 507


class Gone(WriteError):
    status = 410


class PreconditionRequired(WriteError):
    status = 428


class PreconditionFailed(WriteError):
    status = 412


@dataclass
class Written:
    """A record as stored after a write."""

    id: str
    json: bytes
    etag: str


@dataclass
class Replay:
    """The response first given to an Idempotency-Key, to give again."""

    status: int
    headers: dict[str, str]
    body: bytes
    record_id: str | None  # set when the request created this record


def merge_patch(target, patch):
    """RFC 7396 JSON merge patch: objects merge, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patch_record(schema, target: dict, patch: dict) -> dict:
    """A merge patch applied to a record of ``schema``.

    A null removes a field, as RFC 7396 says, except a field the record must
    have that may be null (a document's ``published``): there null is the value.
    """
    result = merge_patch(target, patch)
    _keep_nulls(schema, patch, result)
    return result


def _keep_nulls(schema, patch: dict, result: dict) -> None:
    for key, value in patch.items():
        field = schema.fields.get(key)
        if field is None:
            continue
        if value is None and field.required and field.allow_none:
            result[key] = None
        elif (
            isinstance(value, dict)
            and isinstance(field, fields.Nested)
            and isinstance(result.get(key), dict)
        ):
            _keep_nulls(field.schema, value, result[key])


def request_digest(body: object, method: str, path: str) -> str:
    """What an Idempotency-Key is bound to: the method, the path and the canonical JSON body.

    A key is scoped to its token, method and path: reused on another endpoint
    it matches nothing there and is refused like a reused key with another body.
    """
    canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(f"{method} {path}\n".encode() + canonical).hexdigest()


def utc_now() -> str:
    """Now, in UTC, as ISO 8601 to the second (audit and review times)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Writer:
    """Writes to one database file."""

    def __init__(self, path: Path, autocheckpoint: bool = True) -> None:
        self.path = Path(path)
        # Off where Litestream replicates the file: it alone checkpoints the WAL
        # (with an SQLite free of the WAL-reset bug), outside this write lock.
        self.autocheckpoint = autocheckpoint
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate transaction under the machine-wide write lock; rolled back on error.

        Storage failures (no space left, a read-only file or folder) are raised as
        ``NoSpace`` or ``Unavailable`` naming the cause, never as what a failed
        rollback says afterwards.
        """
        try:
            lock = open(self.lock_path, "a")
        except OSError as exc:
            translated = _storage_error(exc)
            if translated is exc:
                raise
            raise translated from exc
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            conn = None
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                if not self.autocheckpoint:
                    conn.execute("PRAGMA wal_autocheckpoint = 0")
                conn.execute("BEGIN IMMEDIATE")
                layout = conn.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()
                if layout is None or layout[0] != build.SCHEMA_VERSION:
                    conn.execute("ROLLBACK")
                    raise Unavailable(
                        "The database was built with another table layout: run 'briefs build'."
                    )
                # Checked at COMMIT: a record is re-indexed by deleting and reinserting it.
                conn.execute("PRAGMA defer_foreign_keys = ON")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    _rollback(conn)
                    raise
                self._sync_fulltext(conn)
            except (sqlite3.OperationalError, OSError) as exc:
                translated = _storage_error(exc)
                if translated is exc:
                    raise
                raise translated from exc
            finally:
                if conn is not None:
                    conn.close()
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _sync_fulltext(self, conn: sqlite3.Connection) -> None:
        """Bring the full-text index up to the committed changes (under the write lock).

        The records are committed already: a failure is retried once, then
        logged; readiness reports the index behind (and catches it up) until
        the next write or start applies the changes again.
        """
        (name,) = conn.execute("SELECT value FROM meta WHERE key = 'fulltext'").fetchone()
        for attempt in (1, 2):
            try:
                fulltext.sync(self.path.parent / name, conn)
                return
            except Exception:
                if attempt == 2:
                    log.exception("the full-text index could not be updated; it will be retried")
                else:
                    time.sleep(0.05)

    def storage_problem(self, min_free_bytes: int) -> str | None:
        """Why a write could not succeed now (no space, no lock file, no write access), or None."""
        folder = self.path.parent
        try:
            free = shutil.disk_usage(folder).free
        except OSError as exc:
            return f"cannot inspect {folder}: {exc.strerror}"
        if free < min_free_bytes:
            return f"only {free} bytes are free on the device holding {folder}"
        if not os.access(folder, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            return f"{folder} or {self.path.name} is not writable"
        try:
            with open(self.lock_path, "a"):
                pass
        except OSError as exc:
            return f"the lock file {self.lock_path} cannot be opened: {exc.strerror}"
        return None

    def sync_fulltext(self) -> None:
        """Bring the full-text index up to the committed data (see ``fulltext.sync``)."""
        with self.transaction():
            pass

    def fulltext_name(self, dataset_version: str) -> str:
        """The name of the full-text index directory of a build (kept in its meta)."""
        return f"{self.path.name}.fulltext-{dataset_version}"

    def fulltext_tmp(self) -> Path:
        """Where this process builds a full-text index before ``replace_with``."""
        return self.path.with_name(f".{self.path.name}.fulltext-{os.getpid()}.tmp")

    def replace_with(
        self,
        new_file: Path,
        new_index: Path,
        index_name: str,
        guard: Callable[[], None] | None = None,
    ) -> str:
        """Rename a freshly built database and its full-text index into place, under the lock.

        ``guard`` runs first, under the lock, so no write can land between its
        check and the swap; it raises to refuse the swap. The change feed's
        numbering carries on from the old file's high-water mark, so a follower
        never sees sequence numbers go backwards for this path. The index goes
        under ``index_name`` unless a directory of that name exists (the old file
        may be reading it): then under a fresh name, written into the new file's
        meta, so each file always names an index that matches it, whichever
        instant a killed build stops at. The old file's WAL is checkpointed and
        truncated, and its -wal and -shm files removed, so they can never be
        applied to the new file; other builds' index directories are removed
        afterwards. Returns the index name used.
        """
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if guard is not None:
                    guard()
                high_water = 0
                if self.path.exists():
                    conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
                    try:
                        high_water = _high_water(conn)
                        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    finally:
                        conn.close()
                if self.path.with_name(index_name).exists():
                    index_name = f"{index_name}-{time.time_ns():x}"
                new = sqlite3.connect(new_file, isolation_level=None)
                try:
                    new.execute("BEGIN IMMEDIATE")
                    new.execute("DELETE FROM sqlite_sequence WHERE name = 'changes'")
                    new.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES ('changes', ?)",
                        (max(high_water, _high_water(new)),),
                    )
                    new.execute("UPDATE meta SET value = ? WHERE key = 'fulltext'", (index_name,))
                    new.execute("COMMIT")
                finally:
                    new.close()
                new_index.rename(self.path.with_name(index_name))
                os.replace(new_file, self.path)
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                fulltext.remove_others(self.path.parent, self.path.name, index_name)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return index_name

    def remove_leftovers(self) -> list[Path]:
        """Delete what killed builds left beside the file: temporary databases and indexes.

        Only those whose process (the pid in their name) is gone; returns what was removed.
        """
        removed = []
        for path in self.path.parent.glob(f".{self.path.name}.*"):
            stem, dot, suffix = path.name.rpartition(".")
            if not dot or suffix not in ("tmp", "old"):
                continue
            pid = stem.rpartition(".")[2].rpartition("-")[2]
            if not pid.isdigit() or pid_alive(int(pid)):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
        return removed

    # --- idempotency -------------------------------------------------------------

    def begin_idempotent(self, actor: str, key: str, digest: str) -> Replay | None:
        """Claim ``key`` for this request, or return the response it already got.

        The same key with another request is Invalid; one still being processed
        (by a concurrent request) is a Conflict.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT request, state, started, status, headers, body, owner, record_id "
                "FROM idempotency WHERE actor = ? AND key = ?",
                (actor, key),
            ).fetchone()
            if row is not None:
                request, state, started, status, headers, body, owner, record_id = row
                if request != digest:
                    raise Invalid(
                        "This Idempotency-Key was used with a different request "
                        "(another endpoint, method or body).",
                        {"Idempotency-Key": ["Reused with a different request."]},
                    )
                if state == "done":
                    return Replay(status, orjson.loads(headers), body, record_id)
                if alive(owner) and time.time() - started < IN_FLIGHT_TIMEOUT_S:
                    raise Conflict("A request with this Idempotency-Key is still in flight.")
            conn.execute(
                "INSERT OR REPLACE INTO idempotency "
                "(actor, key, request, state, started, owner) "
                "VALUES (?, ?, ?, 'in_flight', ?, ?)",
                (actor, key, digest, time.time(), process_owner()),
            )
        return None

    def finish_idempotent(
        self, actor: str, key: str, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        """Keep the response for retries; a server error frees the key instead."""
        with self.transaction() as conn:
            if status >= 500:
                conn.execute("DELETE FROM idempotency WHERE actor = ? AND key = ?", (actor, key))
            else:
                conn.execute(
                    "UPDATE idempotency SET state = 'done', status = ?, headers = ?, body = ? "
                    "WHERE actor = ? AND key = ?",
                    (status, orjson.dumps(headers).decode(), body, actor, key),
                )

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
        touched = sorted(set(patch) & READ_ONLY)
        if touched:
            raise Invalid(
                "These fields are set by the server.",
                {f: ["Read-only: the server sets it."] for f in touched},
            )
        # A null for an unknown field would merge away unnoticed: name it.
        unknown = _unknown_fields(resource.instance, patch)
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
        record = orjson.loads(stored.json)
        for derived in READ_ONLY - {"id"}:
            record.pop(derived, None)
        record.pop("length", None)  # a document's, derived from its text
        return record

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
            first = index.cited_from(record, self._published(conn, record))
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
        out = build.output(resource, record, lambda d: self._text(conn, d), outcomes)
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
        rows = index.rows(resource, out, self._published(conn, out))
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
            meeting = orjson.loads(row[0])
            for derived in READ_ONLY - {"id"}:
                meeting.pop(derived, None)
            loaded = catalog.MEETINGS.instance.load(meeting)
            self._unindex(conn, catalog.MEETINGS, meeting_id)
            outcomes = [
                r[0]
                for r in conn.execute("SELECT id FROM agreements WHERE meeting = ?", (meeting_id,))
            ]
            out = build.output(catalog.MEETINGS, loaded, lambda d: self._text(conn, d), outcomes)
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


def process_owner() -> str:
    """This process, as this machine names it (host:pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is still open; SQLite has already rolled back after some errors
    (a full disk), and a failed ROLLBACK must not hide the error that caused it."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("rollback failed after an error", exc_info=True)


def _storage_error(exc: BaseException) -> BaseException:
    """A storage failure as the write error naming its cause; anything else unchanged."""
    message = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "disk is full" in message:
        return NoSpace(
            "No space is left on the device that holds the database: nothing was written. "
            "Free some space and retry."
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Unavailable(f"The database's folder cannot be written: {exc.strerror}.")
    if "readonly database" in message or "read-only" in message:
        return Unavailable(f"The database cannot be written: {exc}.")
    if "unable to open database file" in message:
        return Unavailable(f"The database file cannot be opened for writing: {exc}.")
    return exc


def _high_water(conn) -> int:
    """The highest change number a database has ever given (deleted rows included)."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0), "
        "coalesce((SELECT max(seq) FROM changes), 0))"
    ).fetchone()
    return int(row[0])


def alive(owner: str | None) -> bool:
    """Whether the process that claimed a key may still answer it.

    A claim by a process of this machine that no longer exists (a worker
    killed mid-request) is abandoned; one from elsewhere is trusted until
    IN_FLIGHT_TIMEOUT_S passes.
    """
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    return int(pid) == os.getpid() or pid_alive(int(pid))


def _unknown_fields(schema, patch: dict, path: str = "") -> list[str]:
    """Paths in a merge patch that name no field (objects are merged, so look inside)."""
    unknown = []
    for key, value in patch.items():
        field = schema.fields.get(key)
        if field is None or field.dump_only:
            unknown.append(f"{path}{key}")
        elif isinstance(value, dict) and isinstance(field, fields.Nested):
            unknown += _unknown_fields(field.schema, value, f"{path}{key}.")
    return unknown


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
