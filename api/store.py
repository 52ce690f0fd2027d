"""The data module: every query the API makes, returning plain data.

Views never see SQL; this module never sees Flask. Records come back as the
JSON bytes stored at build time, so the hot path serializes nothing. Lookups
that fail raise domain errors that the HTTP layer maps to problem responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
from rapidfuzz import fuzz, process

from api import catalog, names
from api.catalog import Resource
from api.db import sqlite3

# Sort expressions: (ascending, descending). Undated rows sort last both ways.
SORT_KEYS = {
    "date": ("coalesce(date_start, '~')", "coalesce(date_start, '')"),
    "title": ("title", "title"),
    "name": ("title", "title"),
    "id": ("id", "id"),
}
SUGGESTIONS = 5


class NotFound(Exception):
    """No record by that id or name."""

    def __init__(self, resource: str, key: str, suggestions: list[str] | None = None) -> None:
        super().__init__(f"no {resource} {key!r}")
        self.resource = resource
        self.key = key
        self.suggestions = suggestions or []


class Ambiguous(Exception):
    """A name that fits more than one record."""

    def __init__(self, resource: str, key: str, candidates: list[str]) -> None:
        super().__init__(f"{key!r} names more than one of {resource}: {', '.join(candidates)}")
        self.resource = resource
        self.key = key
        self.candidates = candidates


@dataclass
class Filters:
    """Resolved filters of a collection query."""

    countries: list[str] = field(default_factory=list)
    kind: str | None = None
    status: str | None = None
    person: str | None = None
    author: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None
    historical: bool | None = None
    mentioned: bool | None = None


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


class Store:
    """Queries over one read-only connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

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

    def get(self, resource: Resource, record_id: str) -> Stored:
        """A record by id; for countries and people also by code or name."""
        row = self.conn.execute(
            f"SELECT id, json, etag FROM {resource.name} WHERE id = ?", (record_id,)
        ).fetchone()
        if row is None and resource in (catalog.COUNTRIES, catalog.PEOPLE):
            resolved = self.resolve(resource, record_id)
            row = self.conn.execute(
                f"SELECT id, json, etag FROM {resource.name} WHERE id = ?", (resolved,)
            ).fetchone()
        if row is None:
            raise NotFound(resource.singular, record_id, self.suggest(resource, record_id))
        return Stored(*row)

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

    def page(
        self,
        resource: Resource,
        filters: Filters,
        sort: str,
        limit: int,
        after: list[str] | None = None,
    ) -> Page:
        """Up to ``limit`` records after the key ``after``, in ``sort`` order (keyset)."""
        descending = sort.startswith("-")
        key = SORT_KEYS[sort.lstrip("-")][1 if descending else 0]
        where, params = self._where(resource, filters)
        if after is not None:
            where.append(f"({key}, id) {'<' if descending else '>'} (?, ?)")
            params += after
        direction = "DESC" if descending else "ASC"
        sql = (
            f"SELECT json, {key}, id FROM {resource.name} WHERE {' AND '.join(where) or '1'} "
            f"ORDER BY {key} {direction}, id {direction} LIMIT ?"
        )
        rows = self.conn.execute(sql, [*params, limit + 1]).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([r[0] for r in rows], [rows[-1][1], rows[-1][2]] if more else None)

    def pages(
        self,
        resource: Resource,
        filters: Filters,
        sort: str,
        size: int,
        after: list[str] | None = None,
    ):
        """Every matching record from ``after`` on, a keyset page at a time."""
        while True:
            page = self.page(resource, filters, sort, size, after)
            yield page.items
            if page.next_key is None:
                return
            after = page.next_key

    def all(self, resource: Resource):
        """Every record of a resource, in id order (for the dataset download)."""
        for (body,) in self.conn.execute(f"SELECT json FROM {resource.name} ORDER BY id"):
            yield body

    def _where(self, resource: Resource, f: Filters) -> tuple[list[str], list]:
        where: list[str] = []
        params: list = []
        for country in f.countries:
            where.append(
                "id IN (SELECT record_id FROM record_countries WHERE resource = ? AND country = ?)"
            )
            params += [resource.name, country]
        for person in (f.person, f.author):
            if person is not None:
                where.append(
                    "id IN (SELECT record_id FROM record_people WHERE resource = ? AND person = ?)"
                )
                params += [resource.name, person]
        if f.kind is not None:
            where.append("kind = ?")
            params.append(f.kind)
        if f.status is not None:
            where.append("status = ?")
            params.append(f.status)
        if f.date_from is not None:
            where.append("date_end >= ?")
            params.append(f.date_from)
        if f.date_to is not None:
            where.append("date_start <= ?")
            params.append(f.date_to)
        if f.historical is not None:
            where.append("historical = ?")
            params.append(int(f.historical))
        if f.mentioned is not None:
            where.append(
                f"id {'' if f.mentioned else 'NOT '}IN (SELECT country FROM record_countries)"
            )
        if f.q is not None:
            where.append(
                "id IN (SELECT record_id FROM names WHERE resource = ? AND key LIKE ? ESCAPE '\\')"
            )
            escaped = names.key(f.q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [resource.name, f"%{escaped}%"]
        return where, params

    # --- names -----------------------------------------------------------------

    def resolve(self, resource: Resource, text: str) -> str:
        """The id of the country or person a code, name or alias denotes.

        Case-, accent- and punctuation-insensitive. A current country's code
        outranks a historical country's reused one. Raises NotFound (with
        suggestions) or Ambiguous (with candidates).
        """
        rows = self.conn.execute(
            "SELECT record_id, rank FROM names WHERE resource = ? AND key = ? "
            "ORDER BY rank, record_id",
            (resource.name, names.key(text)),
        ).fetchall()
        if not rows:
            raise NotFound(resource.singular, text, self.suggest(resource, text))
        best = [r[0] for r in rows if r[1] == rows[0][1]]
        if len(set(best)) > 1:
            raise Ambiguous(resource.singular, text, sorted(set(best)))
        return best[0]

    def suggest(self, resource: Resource, text: str) -> list[str]:
        """Ids of records whose id or name is near ``text`` (bounded work)."""
        if resource in (catalog.COUNTRIES, catalog.PEOPLE):
            # Names only: a two- or three-letter code is near too many things.
            choices = dict(
                self.conn.execute(
                    "SELECT key, min(record_id) FROM names WHERE resource = ? AND length(key) > 3 "
                    "GROUP BY key",
                    (resource.name,),
                )
            )
        else:
            # The ids and titles sharing a first letter: an indexed range, bounded.
            head = text[:1].lower()
            rows = self.conn.execute(
                f"SELECT id, title FROM {resource.name} WHERE id >= ? AND id < ? LIMIT 2000",
                (head, head + "\uffff"),
            ).fetchall()
            choices = {names.key(str(title)): rid for rid, title in rows}
            choices.update({rid: rid for rid, _ in rows})
        found = process.extract(
            names.key(text),
            list(choices),
            scorer=fuzz.WRatio,
            score_cutoff=80,
            limit=SUGGESTIONS * 3,
        )
        return list(dict.fromkeys(choices[match] for match, _, _ in found))[:SUGGESTIONS]


def decode(body: bytes) -> dict:
    """A stored record as a dict (for CSV and composed views)."""
    return orjson.loads(body)
