"""The counts the layout's triggers keep (``facet_counts``, ``pair_counts``), counted as
the rows are made: each pool worker adds up its records' in memory and hands its totals
on once; the parent sums them (``Counts.merge``) and writes them (``Counts.insert``).
The result equals ``layout.recount`` (checked by the synth tests)."""

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

    def merge(self, other: Counts) -> None:
        """Add another worker's counts to these."""
        self.facets.update(other.facets)
        self.pairs.update(other.pairs)

    def insert(self, conn) -> None:
        """Into the database's ``facet_counts`` and ``pair_counts``, in key order."""
        for table, columns, counted in (
            ("facet_counts", FACET_COLUMNS, self.facets),
            ("pair_counts", PAIR_COLUMNS, self.pairs),
        ):
            conn.executemany(
                f"INSERT INTO main.{table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                ((*key, n) for key, n in sorted(counted.items())),
            )
