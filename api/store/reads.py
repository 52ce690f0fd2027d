"""The data module: every query the API makes, returning plain data.

Views never see SQL; this module never sees Flask. Records come back as the
JSON bytes stored at build time, so the hot path serializes nothing. Lookups
that fail raise domain errors that the HTTP layer maps to problem responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from api.domain import catalog
from api.domain.catalog import Resource
from api.store import fulltext
from api.store.connections import Unavailable, sqlite3
from api.store.lookup import Lookup, NotFound
from api.store.planner import TIMELINE_RESOURCES, Counted, Filters, Planner

# Sort expressions: (ascending, descending). Undated rows sort last both ways.
SORT_KEYS = {
    "date": ("coalesce(date_start, '~')", "coalesce(date_start, '')"),
    "title": ("title", "title"),
    "name": ("title", "title"),
    "id": ("id", "id"),
}


class Gone(Exception):
    """A record that was deleted (its id is never reused)."""

    def __init__(self, resource: str, key: str, deleted_at: str) -> None:
        super().__init__(f"{resource} {key!r} was deleted at {deleted_at}")
        self.resource = resource
        self.key = key
        self.deleted_at = deleted_at


@dataclass
class Page:
    """One page of stored records and the key of the last one when more follow."""

    items: list[bytes]
    next_key: list[str] | None


@dataclass
class Stored:
    """A record as stored: its JSON and its version."""

    id: str
    json: bytes
    etag: str


class Store(Planner, Counted, Lookup):
    """Queries over one read-only connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)

    # --- metadata --------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta"))

    def data_version(self) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return row[0]

    def counts(self) -> dict[str, int]:
        return {
            r.name: self.conn.execute(f"SELECT count(*) FROM {r.name}").fetchone()[0]
            for r in catalog.ALL
        }

    # --- records ---------------------------------------------------------------

    def stored(self, resource: Resource, record_id: str) -> Stored | None:
        """A record by its id alone; None when no record has it."""
        row = self.conn.execute(
            f"SELECT id, json, etag FROM {resource.name} WHERE id = ?", (record_id,)
        ).fetchone()
        return None if row is None else Stored(*row)

    def get(self, resource: Resource, record_id: str) -> Stored:
        """A record by id; for countries and people also by code or name."""
        found = self.stored(resource, record_id)
        if found is not None:
            return found
        deleted = self.conn.execute(
            "SELECT deleted_at FROM tombstones WHERE resource = ? AND id = ?",
            (resource.name, record_id),
        ).fetchone()
        if deleted:
            raise Gone(resource.singular, record_id, deleted[0])
        if resource in (catalog.COUNTRIES, catalog.PEOPLE):
            found = self.stored(resource, self.resolve(resource, record_id))
        if found is None:
            raise NotFound(resource.singular, record_id, self.suggest(resource, record_id))
        return found

    def records(self, resource: Resource, ids: list[str]) -> dict[str, bytes]:
        """The stored JSON of those of ``ids`` that exist, by id (a query per 500)."""
        found: dict[str, bytes] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, json FROM {resource.name} WHERE id IN ({marks})"
            found.update(self.conn.execute(sql, chunk).fetchall())
        return found

    def document_text(self, document_id: str) -> tuple[str, str]:
        """A document's exact text and the version of its record."""
        row = self.conn.execute(
            "SELECT t.text, d.etag FROM document_texts t JOIN documents d ON d.id = t.id "
            "WHERE t.id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            raise NotFound("document", document_id, self.suggest(catalog.DOCUMENTS, document_id))
        return row[0], row[1]

    def document_html(self, document_id: str) -> str | None:
        """The HTML a document's text was taken from, when it came as HTML."""
        row = self.conn.execute(
            "SELECT html FROM document_html WHERE id = ?", (document_id,)
        ).fetchone()
        return row[0] if row else None

    def page(
        self,
        resource: Resource,
        filters: Filters,
        sort: str,
        limit: int,
        after: list[str] | None = None,
    ) -> Page:
        """Up to ``limit`` records after the key ``after``, in ``sort`` order (keyset)."""
        where, params = self._where(resource.name, "id", filters, wanted=limit + 1, ordered=True)
        return self._keyset(resource.name, ("id",), where, params, sort, limit, after)

    def timeline(
        self,
        filters: Filters,
        types: list[str],
        sort: str,
        limit: int,
        after: list[str] | None = None,
    ) -> Page:
        """Entries of every dated resource, merged chronologically (keyset)."""
        where, params = self._where(
            "timeline", "(resource, id)", filters, wanted=limit + 1, ordered=True
        )
        if types:
            where.append(f"resource IN ({','.join('?' * len(types))})")
            params += types
        return self._keyset("timeline", ("resource", "id"), where, params, sort, limit, after)

    def _keyset(
        self,
        table: str,
        tiebreak: tuple[str, ...],
        where: list[str],
        params: list,
        sort: str,
        limit: int,
        after: list[str] | None,
    ) -> Page:
        descending = sort.startswith("-")
        key = SORT_KEYS[sort.lstrip("-")][1 if descending else 0]
        columns = tiebreak if key in tiebreak else (key, *tiebreak)
        if after is not None:
            if len(after) != len(columns):
                raise ValueError("cursor key has the wrong shape")
            marks = ", ".join("?" * len(after))
            # The bound on the first column alone lets SQLite 3.40 seek the index;
            # the row-value comparison then skips the rows already served.
            where.append(f"{columns[0]} {'<=' if descending else '>='} ?")
            where.append(f"({', '.join(columns)}) {'<' if descending else '>'} ({marks})")
            params = [*params, after[0], *after]
        direction = " DESC" if descending else ""
        order = ", ".join(f"{c}{direction}" for c in columns)
        sql = (
            f"SELECT json, {', '.join(columns)} FROM {table} "
            f"WHERE {' AND '.join(where) or '1'} ORDER BY {order} LIMIT ?"
        )
        rows = self.conn.execute(sql, [*params, limit + 1]).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([r[0] for r in rows], list(rows[-1][1:]) if more else None)

    def count(self, resource: Resource | None, filters: Filters, cap: int) -> int:
        """How many records match, counting no further than ``cap`` (bounded work).

        ``resource`` None counts timeline entries.
        """
        table, key = (resource.name, "id") if resource else ("timeline", "(resource, id)")
        where, params = self._where(table, key, filters, wanted=cap)
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {table} "
            f"WHERE {' AND '.join(where) or '1'} LIMIT ?)"
        )
        return self.conn.execute(sql, [*params, cap]).fetchone()[0]

    def pairs(self) -> list[tuple[str, str, int]]:
        """Country pairs that share at least one brief record, with how many, most first.

        Read from the pair counts the store keeps with every write (``pair_counts``):
        a scan of one row per pair, resource and class, not of the records' links.
        """
        marks = ",".join("?" * len(TIMELINE_RESOURCES))
        rows = self.conn.execute(
            f"SELECT a, b, sum(n) FROM pair_counts WHERE a < b AND resource IN ({marks}) "
            "GROUP BY 1, 2 HAVING sum(n) > 0",
            TIMELINE_RESOURCES,
        ).fetchall()
        return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))

    def continued_by(self, country: str) -> list[str]:
        """The states a country continues (Russia continues the Soviet Union)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM countries WHERE continuator = ? ORDER BY id", (country,)
            )
        ]

    def search(
        self, words: list[str], types: list[str], limit: int, after: list | None = None
    ) -> tuple[list[tuple], list | None]:
        """Ranked full-text hits: (type, id, title, snippet, score); and the next key.

        Every word must match. Tantivy ranks every match by BM25 (``api.fulltext``);
        ``score`` is that relevance: non-negative, higher is better. The key is
        the number of hits already seen.
        """
        offset = after[0] if after else 0
        hits = fulltext.search(self._fulltext_dir(), words, types, limit, offset)
        marks = ",".join("?" * len(hits.rows))
        found = {
            r[0]: r[1:]
            for r in self.conn.execute(
                f"{fulltext.SELECT_ROWS} WHERE rowid IN ({marks})",
                [row for row, _ in hits.rows],
            )
        }
        # A hit whose row a write replaced since the index last caught up is left
        # out: the index names the new row once the write's update lands.
        items = [
            (kind, rid, title, hits.snippet(title, body), score)
            for row, score in hits.rows
            if row in found
            for kind, rid, title, body in [found[row]]
        ]
        return items, ([offset + limit] if hits.more else None)

    def fulltext_applied(self) -> int:
        """The last change the full-text index reflects (fulltext.Missing when it is absent)."""
        return fulltext.applied(self._fulltext_dir())

    def open_fulltext(self) -> int:
        """``fulltext_applied``, once the index opens for searching (Unavailable if it won't)."""
        directory = self._fulltext_dir()
        fulltext.Reader.index(directory)
        return fulltext.applied(directory)

    def _fulltext_dir(self) -> Path:
        """The full-text index of this database (named in its meta, beside the file)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'fulltext'").fetchone()
        if row is None:
            raise Unavailable("the database names no full-text index: run 'briefs build'")
        (path,) = [r[2] for r in self.conn.execute("PRAGMA database_list") if r[1] == "main"]
        return Path(path).parent / row[0]

    def last_change(self) -> int:
        """The number of the latest change kept (0 when none)."""
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]

    def changes(self, since: int, limit: int) -> list[tuple]:
        """Writes after the change numbered ``since``, oldest first."""
        return self.conn.execute(
            "SELECT seq, at, action, resource, record_id, before, after FROM changes "
            "WHERE seq > ? ORDER BY seq LIMIT ?",
            (since, limit),
        ).fetchall()

    def latest_changes(self, limit: int) -> list[tuple]:
        """The last ``limit`` writes, newest first (same columns as ``changes``)."""
        return self.conn.execute(
            "SELECT seq, at, action, resource, record_id, before, after FROM changes "
            "ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()

    def history(self, resource: Resource, record_id: str, limit: int) -> list[tuple]:
        """A record's writes, oldest first (same columns as ``changes``).

        The feed holds writes only (the build's records are not in it), so the
        scan is bounded by how much has been written through the API.
        """
        return self.conn.execute(
            "SELECT seq, at, action, resource, record_id, before, after FROM changes "
            "WHERE resource = ? AND record_id = ? ORDER BY seq LIMIT ?",
            (resource.name, record_id, limit),
        ).fetchall()

    def citing(self, document_id: str) -> list[tuple[str, bytes]]:
        """(resource, JSON) of every record citing a document, in resource and id order."""
        found = []
        rows = self.conn.execute(
            "SELECT resource, record_id FROM record_links "
            "WHERE target = 'documents' AND target_id = ? ORDER BY resource, record_id",
            (document_id,),
        ).fetchall()
        for name, record_id in rows:
            row = self.conn.execute(
                f"SELECT json FROM {catalog.BY_NAME[name].name} WHERE id = ?", (record_id,)
            ).fetchone()
            if row is not None:
                found.append((name, row[0]))
        return found

    # --- review ----------------------------------------------------------------

    def drafts_version(self) -> str:
        """The version of the drafts (every draft written, accepted or rejected bumps it)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'drafts_version'").fetchone()
        return f"drafts.{row[0]}"

    def drafts(
        self,
        document: str | None,
        resource: str | None,
        state: str | None,
        limit: int,
        after: list[str] | None = None,
    ) -> Page:
        """Drafts in the order they were made, filtered (keyset on their sequence)."""
        where, params = [], []
        for column, value in (("document", document), ("resource", resource), ("state", state)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if after:
            where.append("seq > ?")
            params.append(int(after[0]))
        sql = "SELECT seq, json FROM drafts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(f"{sql} ORDER BY seq LIMIT ?", [*params, limit + 1]).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([r[1] for r in rows], [str(rows[-1][0])] if more else None)

    def draft(self, draft_id: str) -> Stored:
        """One draft; Gone when its document was deleted."""
        row = self.conn.execute(
            "SELECT id, json, etag FROM drafts WHERE id = ?", (draft_id,)
        ).fetchone()
        if row is not None:
            return Stored(*row)
        deleted = self.conn.execute(
            "SELECT deleted_at FROM tombstones WHERE resource = 'drafts' AND id = ?", (draft_id,)
        ).fetchone()
        if deleted:
            raise Gone("draft", draft_id, deleted[0])
        raise NotFound("draft", draft_id)

    def job(self, job_id: str) -> Stored:
        """One extraction job."""
        row = self.conn.execute(
            "SELECT id, json, etag FROM jobs WHERE id = ?", (job_id,)
        ).fetchone()
        if row is None:
            raise NotFound("job", job_id)
        return Stored(*row)

    def near(
        self, resource: Resource, countries: list[str], start: str | None, end: str | None, cap: int
    ) -> list[bytes]:
        """Up to ``cap`` records involving any of ``countries`` whose dates overlap
        [start, end] (any date when ``start`` is None): candidates a draft may restate."""
        if not countries:
            return []
        marks = ",".join("?" * len(countries))
        sql = (
            f"SELECT json FROM {resource.name} WHERE id IN (SELECT record_id FROM "
            f"record_countries WHERE resource = ? AND country IN ({marks}))"
        )
        params: list = [resource.name, *countries]
        if start is not None and resource.date:
            sql += " AND date_start <= ? AND date_end >= ?"
            params += [end, start]
        return [r[0] for r in self.conn.execute(f"{sql} ORDER BY id LIMIT ?", [*params, cap])]

    def all(self, resource: Resource):
        """Every record of a resource, in id order (for the dataset download)."""
        for (body,) in self.conn.execute(f"SELECT json FROM {resource.name} ORDER BY id"):
            yield body

    # --- what involves a person, organization or country (their reading pages) ---

    def referring(
        self,
        target: Resource,
        target_id: str,
        resource: Resource,
        limit: int,
        cap: int,
        through: Resource | None = None,
    ) -> tuple[list[bytes], int]:
        """Records of ``resource`` naming the ``target`` record anywhere in their fields
        (newest first, up to ``limit``) and how many there are, counted up to ``cap``.

        With ``through``, the records naming a ``through`` record that names the
        target (the agreements reached at the meetings a person attended). Every
        step is a range of the links' primary key.
        """
        named = (
            "SELECT record_id FROM record_links "
            "WHERE target = ? AND target_id = ? AND resource = ?"
        )
        params: list = [target.name, target_id, (through or resource).name]
        if through is not None:
            named = (
                "SELECT record_id FROM record_links WHERE target = ? "
                f"AND target_id IN ({named}) AND resource = ?"
            )
            params = [through.name, *params, resource.name]
        rows = self.conn.execute(
            f"SELECT json FROM {resource.name} WHERE id IN ({named}) "
            "ORDER BY coalesce(date_start, '') DESC, id LIMIT ?",
            [*params, limit],
        ).fetchall()
        (count,) = self.conn.execute(
            f"SELECT count(*) FROM ({named} LIMIT ?)", [*params, cap]
        ).fetchone()
        return [r[0] for r in rows], count

    def in_briefs(self) -> set[str]:
        """The countries some brief record involves: a seek per country and resource."""
        marks = ",".join("?" * len(TIMELINE_RESOURCES))
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM countries c WHERE EXISTS (SELECT 1 FROM record_countries "
                f"WHERE resource IN ({marks}) AND country = c.id)",
                TIMELINE_RESOURCES,
            )
        }

    def partners(self, country: str) -> list[tuple[str, int]]:
        """The countries sharing brief records with ``country``, and how many, most first
        (from the kept pair counts, which hold each pair both ways)."""
        marks = ",".join("?" * len(TIMELINE_RESOURCES))
        rows = self.conn.execute(
            f"SELECT b, sum(n) FROM pair_counts WHERE a = ? AND resource IN ({marks}) "
            "GROUP BY 1 HAVING sum(n) > 0",
            [country, *TIMELINE_RESOURCES],
        ).fetchall()
        return sorted(rows, key=lambda r: (-r[1], r[0]))


def decode(body: bytes) -> dict:
    """A stored record as a dict (for CSV and composed views)."""
    return orjson.loads(body)
