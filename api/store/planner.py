"""The query planner: SQL conditions for a collection's filters, chosen by cost.

A country filter is either a link list that drives the query (a rare country)
or a check made row by row while an index is walked in sort order (a common
one); ``Planner._driver`` chooses from bounded probes of the link counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.domain import names
from api.store.connections import sqlite3
from api.store.entries import TIMELINE

LINK_SCAN_THRESHOLD = 2000  # a country this common is filtered row by row (see _where)
# Driving a query from a country's link list costs about this many rows of a walk
# in index order per link (an id lookup and a table row against one index step).
DRIVE_COST = 3
TIMELINE_RESOURCES = tuple(r.name for r in TIMELINE)  # the resources the timeline holds


@dataclass
class Filters:
    """Resolved filters of a collection query."""

    # Each group is a country and the states it continues: a record matches
    # when it involves some country of every group.
    countries: list[tuple[str, ...]] = field(default_factory=list)
    kind: str | tuple[str, ...] | None = None
    status: str | None = None
    person: str | None = None
    author: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None
    historical: bool | None = None
    mentioned: bool | None = None
    as_of: str | None = None


NO_FILTERS = Filters()


class Planner:
    """Plans over one connection, with the estimates they probed kept for its life."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # Plan estimates, kept for the life of this object (one request): they
        # choose plans only, never results, so staleness costs at most speed.
        self._link_counts: dict[tuple, tuple[int, int]] = {}
        self._row_counts: dict[str, int] = {}

    def _links(self, table: str, countries: tuple[str, ...], cap: int) -> int:
        """How many links tie ``table`` to ``countries``, counted no further than ``cap``.

        An index range of record_countries, so the work is bounded by ``cap``;
        remembered for the life of this Store.
        """
        known = self._link_counts.get((table, countries))
        if known is not None and (known[0] < known[1] or known[1] >= cap):
            return min(known[0], cap)
        resources = TIMELINE_RESOURCES if table == "timeline" else (table,)
        # Both lists lead the primary key (resource, country, record_id): a seek per pair.
        found = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM record_countries "
            f"WHERE resource IN ({','.join('?' * len(resources))}) "
            f"AND country IN ({','.join('?' * len(countries))}) LIMIT ?)",
            [*resources, *countries, cap],
        ).fetchone()[0]
        self._link_counts[(table, countries)] = (found, cap)
        return found

    def _rows(self, table: str) -> int:
        """About how many rows ``table`` has (its largest rowid: one seek)."""
        if table not in self._row_counts:
            found = self.conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
            self._row_counts[table] = found or 0
        return self._row_counts[table]

    def _driver(self, table: str, groups: list[tuple[str, ...]], wanted: int | None) -> list[int]:
        """The country groups to fetch as link lists (the query is driven by one of them).

        The others are checked row by row while walking an index in sort order.
        Without ``wanted`` (every match is needed) each rare group is a list.
        Otherwise it is a cost choice between walking, which meets a match
        about every rows**k / (n1 * ... * nk) rows (k groups of n links,
        taken as independent) and stops after ``wanted`` of them, and
        driving from the smallest list, which costs DRIVE_COST per link.
        Link counts are probed only as far as the choice needs.
        """
        if not groups:
            return []
        if wanted is None:
            return [
                i
                for i, group in enumerate(groups)
                if self._links(table, group, LINK_SCAN_THRESHOLD) < LINK_SCAN_THRESHOLD
            ]
        sizes = [self._links(table, group, LINK_SCAN_THRESHOLD) for group in groups]
        smallest = min(range(len(groups)), key=sizes.__getitem__)
        if sizes[smallest] < LINK_SCAN_THRESHOLD:
            return [smallest]  # a rare country: its few records, sorted
        if len(groups) == 1:
            return []  # a common country: walk
        # Drive when smallest * product(sizes) < wanted * rows**k / DRIVE_COST;
        # once every size reaches the k+1'th root of that bound, walking wins.
        rows = max(self._rows(table), 1)
        bound = wanted * rows ** len(groups) / DRIVE_COST
        cap = int(bound ** (1 / (len(groups) + 1))) + 1
        if cap <= LINK_SCAN_THRESHOLD:
            return []
        sizes = [self._links(table, group, cap) for group in groups]
        smallest = min(range(len(groups)), key=sizes.__getitem__)
        product = sizes[smallest]
        for n in sizes:
            product *= n
        return [smallest] if product < bound else []

    def _where(
        self,
        table: str,
        key: str,
        f: Filters,
        wanted: int | None = None,
        ordered: bool = False,
    ) -> tuple[list[str], list]:
        """SQL conditions for the filters; ``key`` is the column(s) links refer to.

        ``wanted`` is how many matches the query stops at (None: all of them),
        ``ordered`` whether it returns them in sort order; both choose the plan.
        """
        if f == NO_FILTERS:
            return [], []
        terms: list[tuple[str, list]] = []  # each condition and its parameters
        links: list[int] = []  # the terms checking a link row by row
        columns: list[int] = []  # the terms reading the table row (no index serves them)
        # The links of the table's records: for the timeline, those of every
        # resource it holds (so the primary key of the links is searched, not scanned).
        owners = TIMELINE_RESOURCES if table == "timeline" else (table,)
        resource = f"resource IN ({','.join('?' * len(owners))})"
        link_key = "resource, record_id" if table == "timeline" else "record_id"
        lists = self._driver(table, f.countries, wanted)
        order = range(len(f.countries))
        if wanted is not None:  # the list first, then the checks likeliest to fail
            known = [self._link_counts[(table, group)][0] for group in f.countries]
            order = sorted(order, key=lambda i: (i not in lists, known[i]))
        for i in order:
            group = f.countries[i]
            marks = ",".join("?" * len(group))
            if i not in lists:
                # A common country: walk the table in sort order, checking each row's
                # link, and stop at the page's end instead of sorting every match.
                owner = "timeline.resource" if table == "timeline" else "?"
                links.append(len(terms))
                terms.append(
                    (
                        f"EXISTS (SELECT 1 FROM record_countries rc WHERE rc.resource = {owner} "
                        f"AND rc.country IN ({marks}) AND rc.record_id = {table}.id)",
                        [*([] if table == "timeline" else [table]), *group],
                    )
                )
            else:  # a rare one: fetch its few records and sort them
                terms.append(
                    (
                        f"{key} IN (SELECT {link_key} FROM record_countries "
                        f"WHERE {resource} AND country IN ({marks}))",
                        [*owners, *group],
                    )
                )
        for person in (f.person, f.author):
            if person is not None:
                terms.append(
                    (
                        f"{key} IN (SELECT {link_key} FROM record_people "
                        f"WHERE {resource} AND person = ?)",
                        [*owners, person],
                    )
                )
        for name, value in (("kind", f.kind), ("status", f.status)):
            # Unary plus keeps SQLite off the kind and status indexes: when a link
            # list drives the query, and when walking in sort order for several
            # values (their index would yield every row of them, then sort).
            plain = wanted is not None and bool(lists or (ordered and isinstance(value, tuple)))
            column = f"+{name}" if plain else name
            if plain and value is not None:
                columns.append(len(terms))
            if isinstance(value, tuple):
                terms.append((f"{column} IN ({','.join('?' * len(value))})", list(value)))
            elif value is not None:
                terms.append((f"{column} = ?", [value]))
        for condition, value in (
            ("date_end >= ?", f.date_from),
            ("date_start <= ?", f.date_to),
            ("cited_from <= ?", f.as_of),
            ("historical = ?", None if f.historical is None else int(f.historical)),
        ):
            if value is not None:
                columns.append(len(terms))
                terms.append((condition, [value]))
        if f.mentioned is not None:
            terms.append(
                (f"id {'' if f.mentioned else 'NOT '}IN (SELECT country FROM record_countries)", [])
            )
        if f.q is not None:
            escaped = names.key(f.q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            terms.append(
                (
                    "id IN (SELECT record_id FROM names "
                    "WHERE resource = ? AND key LIKE ? ESCAPE '\\')",
                    [table, f"%{escaped}%"],
                )
            )
        if wanted is not None and links and columns:
            # SQLite tests plain column conditions before subqueries, seeking each
            # walked row in the table first; a CASE makes the (index-only) link
            # checks come first, and the row is read only for the rows they pass.
            inner = [terms[i] for i in links]
            outer = [terms[i] for i in columns]
            check = (
                f"CASE WHEN {' AND '.join(t for t, _ in inner)} "
                f"THEN {' AND '.join(t for t, _ in outer)} END",
                [p for _, ps in inner + outer for p in ps],
            )
            moved = set(links + columns)
            terms = [t for i, t in enumerate(terms) if i not in moved] + [check]
        return [t for t, _ in terms], [p for _, ps in terms for p in ps]
