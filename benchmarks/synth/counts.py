"""The counts the layout's triggers keep (``facet_counts``, ``pair_counts``), counted as the
rows are made: each pool worker adds up its records' in memory and writes its totals once,
and the parent sums the workers' totals (``merge``). The result equals ``layout.recount``
(checked by the synth tests)."""

from __future__ import annotations

from collections import Counter

from api.domain import catalog
from api.store import layout
from benchmarks.synth.rows import columns_of

FACET_COLUMNS = ("resource", "country", "facet", "value", "n")
PAIR_COLUMNS = ("a", "b", "resource", "class", "n")


def _year(value) -> str:
    return value[:4] if value else ""


def _plain(value) -> str:
    return value or ""


def _historical(value) -> str:
    return "true" if value == 1 else "false"


# For each facet layout.facet_columns names, the table column it reads and how.
READ = {"kind": ("kind", _plain), "status": ("status", _plain), "year": ("date_start", _year)}
READ["historical"] = ("historical", _historical)


def _spec(resource) -> tuple[list[tuple[str, int, object]], int | None]:
    columns = columns_of(resource)
    facets = [
        (facet, columns.index(READ[facet][0]), READ[facet][1])
        for facet in layout.facet_columns(resource)
    ]
    klass = layout.PAIR_CLASS.get(resource.name)
    return facets, (columns.index(klass) if klass else None)


SPECS = {r.name: _spec(r) for r in catalog.ALL}


class Counts:
    """Facet and pair counts of the records seen so far."""

    def __init__(self) -> None:
        self.facets: Counter = Counter()
        self.pairs: Counter = Counter()

    def add(self, name: str, main: tuple, countries: list[str]) -> None:
        """One record of the resource ``name``: its table row and its countries."""
        facets, klass = SPECS[name]
        counted = self.facets
        for facet, column, read in facets:
            value = read(main[column])
            counted[(name, "", facet, value)] += 1
            for country in countries:
                counted[(name, country, facet, value)] += 1
        for country in countries:
            counted[(name, "", "country", country)] += 1
        if len(countries) > 1:
            value = (main[klass] or "") if klass is not None else ""
            pairs = self.pairs
            for a in countries:
                for b in countries:
                    if a != b:
                        pairs[(a, b, name, value)] += 1

    def write(self, conn) -> None:
        """Into ``conn`` as two plain tables (no keys), for ``merge``."""
        for table, columns, counted in (
            ("facet_counts", FACET_COLUMNS, self.facets),
            ("pair_counts", PAIR_COLUMNS, self.pairs),
        ):
            conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
            conn.executemany(
                f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})",
                ((*key, n) for key, n in counted.items()),
            )


def merge(conn, schemas: list[str]) -> None:
    """Sum the counts ``Counts.write`` left in the attached ``schemas`` into the main tables."""
    for table, columns in (("facet_counts", FACET_COLUMNS), ("pair_counts", PAIR_COLUMNS)):
        keys = ", ".join(columns[:-1])
        parts = " UNION ALL ".join(f"SELECT * FROM {s}.{table}" for s in schemas)
        conn.execute(
            f"INSERT INTO main.{table} ({', '.join(columns)}) SELECT {keys}, sum(n) "
            f"FROM ({parts}) GROUP BY {keys} ORDER BY {keys}"
        )
