"""Name lookup: the record a code, name, alias or surname denotes, and near names."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from api.domain import catalog, countries, names
from api.domain.catalog import Resource
from api.store.connections import sqlite3

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


class Lookup:
    """Name lookups over one connection."""

    conn: sqlite3.Connection

    def resolve(self, resource: Resource, text: str) -> str:
        """The id of the country or person a code, name or alias denotes.

        Case-, accent- and punctuation-insensitive. For countries, in order:
        a current country's code or name and any curated alias or source
        spelling; then the everyday, former and foreign names ``countrynames``
        knows ("UK", "Burma"); then a former state's own codes and names
        (``countries.name_keys``). Raises NotFound (with suggestions) or
        Ambiguous (with candidates: "Congo").
        """
        rows = self._names(resource, text)
        if rows and rows[0][1] > 0 and resource is catalog.COUNTRIES:
            code = countries.everyday(text)
            if code and names.key(code) != names.key(text):
                coded = self._names(resource, code)
                rows = coded or rows
        elif not rows and resource is catalog.COUNTRIES:
            code = countries.everyday(text)
            if code:
                rows = self._names(resource, code)
        elif not rows and resource is catalog.PEOPLE:
            rows = self._surname(text)
        if not rows:
            raise NotFound(resource.singular, text, self.suggest(resource, text))
        best = sorted({r[0] for r in rows if r[1] == rows[0][1]})
        if len(best) > 1:
            raise Ambiguous(resource.singular, text, best)
        return best[0]

    def _surname(self, text: str) -> list[tuple[str, int]]:
        """People one of whose names ends in the word(s) ``text`` ("siddiqui")."""
        key = names.key(text)
        if not key:
            return []
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self.conn.execute(
            "SELECT DISTINCT record_id, 0 FROM names WHERE resource = ? AND key LIKE ? "
            "ESCAPE '\\' ORDER BY record_id",
            (catalog.PEOPLE.name, f"% {escaped}"),
        ).fetchall()

    def _names(self, resource: Resource, text: str) -> list[tuple[str, int]]:
        return self.conn.execute(
            "SELECT record_id, rank FROM names WHERE resource = ? AND key = ? "
            "ORDER BY rank, record_id",
            (resource.name, names.key(text)),
        ).fetchall()

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
        suggested = [choices[match] for match, _, _ in found]
        if resource is catalog.COUNTRIES:
            code = countries.near(text)
            coded = self._names(resource, code) if code else []
            suggested = [r[0] for r in coded[:1]] + suggested
        return list(dict.fromkeys(suggested))[:SUGGESTIONS]
