"""The query planner: SQL conditions for a collection's filters, chosen by cost.

A country filter is either a link list that drives the query (a rare country)
or a check made row by row while an index is walked in sort order (a common
one); ``Planner._driver`` chooses from bounded probes of the link counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from api.domain import catalog, names
from api.store import layout
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

        Read from the kept counts (exact, a seek per resource and country), else an
        index range of record_countries, so the work is bounded by ``cap``;
        remembered for the life of this Store.
        """
        known = self._link_counts.get((table, countries))
        if known is not None and (known[0] < known[1] or known[1] >= cap):
            return min(known[0], cap)
        resources = TIMELINE_RESOURCES if table == "timeline" else (table,)
        if KEPT_COUNTS:
            (found,) = self.conn.execute(
                "SELECT coalesce(sum(n), 0) FROM facet_counts "
                f"WHERE resource IN ({','.join('?' * len(resources))}) AND country = '' "
                f"AND facet = 'country' AND value IN ({','.join('?' * len(countries))})",
                [*resources, *countries],
            ).fetchone()
            self._link_counts[(table, countries)] = (found, found + 1)
            return min(found, cap)
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
            if i not in lists and table == "timeline":
                # A common country: walk the timeline in date order, checking each row's
                # countries in the index itself (entries.linked), and stop at the page's end.
                links.append(len(terms))
                terms.append(
                    (
                        f"({' OR '.join(['instr(countries, ?) > 0'] * len(group))})",
                        [f",{c}," for c in group],
                    )
                )
            elif i not in lists:
                # A common country: walk the table in sort order, checking each row's
                # link, and stop at the page's end instead of sorting every match.
                links.append(len(terms))
                terms.append(
                    (
                        "EXISTS (SELECT 1 FROM record_countries rc WHERE rc.resource = ? "
                        f"AND rc.country IN ({marks}) AND rc.record_id = {table}.id)",
                        [table, *group],
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


# --- counts kept per data version (the layout's facet_counts and pair_counts) ----------

# Past this many links of the rarer country of a pair within one group, a pair's counts
# are not corrected record by record: the caller counts the straightforward way.
CORRECTION_LIMIT = 5000
KEPT_COUNTS = True  # False: facets and briefs count over the rows (to compare the two)
LINKED = tuple(r.name for r in catalog.ALL)  # the resources record_countries holds
RECORD_LINKS = "record_countries INDEXED BY idx_record_countries_resource_record_id"


def _largest_first(rows: list[tuple]) -> list[dict]:
    """Facet counts, largest first, then by value (absent last)."""
    rows = sorted(rows, key=lambda r: (-r[1], r[0] is None, r[0] or ""))
    return [{"value": value, "count": n} for value, n in rows]


class PairCounts:
    """How many records involve some country of each of two groups, by resource and by
    the column ``layout.PAIR_CLASS`` names (agreements by status, commentary by kind)."""

    def __init__(self, by_class: dict[tuple[str, str], int]) -> None:
        self.by_class = by_class

    def count(self, table: str, f: Filters) -> int:
        """The records of ``table`` ('timeline': every resource it holds) matching ``f``,
        whose only conditions besides the countries may be the class's."""
        column = layout.PAIR_CLASS.get(table)
        chosen = getattr(f, column) if column else None
        if replace(f, countries=[], **({column: None} if column else {})) != NO_FILTERS:
            raise ValueError(f"the pair counts of {table} hold no such filter")
        tables = TIMELINE_RESOURCES if table == "timeline" else (table,)
        return sum(
            n
            for (resource, klass), n in self.by_class.items()
            if resource in tables
            and (
                chosen is None or klass == chosen or (isinstance(chosen, tuple) and klass in chosen)
            )
        )


class Counted:
    """Reads of the counts the layout's triggers keep (a part of the Store)."""

    conn: sqlite3.Connection
    _where: Callable[..., tuple[list[str], list]]

    def facets(self, resource: catalog.Resource, filters: Filters, names: list[str]) -> dict:
        """Counts of the filtered set by kind, status, country or year, largest first.

        Read from the kept counts when they hold the filters (none, or one country);
        otherwise counted over the matching rows.
        """
        if not names:
            return {}
        kept = self.counted_facets(resource.name, filters, names) if KEPT_COUNTS else None
        if kept is None:
            kept = self._facets_over_rows(resource, filters, names)
        return {name: _largest_first(rows) for name, rows in kept.items()}

    def _facets_over_rows(self, resource: catalog.Resource, filters: Filters, names: list[str]):
        where, params = self._where(resource.name, "id", filters)
        condition = " AND ".join(where) or "1"
        result = {}
        for name in names:
            if name == "country":
                sql = (
                    f"SELECT rc.country, count(*) FROM {resource.name} t "
                    "JOIN record_countries rc ON rc.resource = ? AND rc.record_id = t.id "
                    f"WHERE {condition.replace('id IN', 't.id IN')} GROUP BY rc.country"
                )
                rows = self.conn.execute(sql, [resource.name, *params]).fetchall()
            else:
                column = {
                    "year": "substr(date_start, 1, 4)",
                    # Stored 0/1; the facet value is a string, spelled as the filter is.
                    "historical": "CASE historical WHEN 1 THEN 'true' ELSE 'false' END",
                }.get(name, name)
                sql = f"SELECT {column}, count(*) FROM {resource.name} WHERE {condition} GROUP BY 1"
                rows = self.conn.execute(sql, params).fetchall()
            result[name] = rows
        return result

    def counted_facets(self, table: str, f: Filters, names: list[str]) -> dict | None:
        """Facets from the kept counts: ``{name: [(value, n), ...]}`` in no order, or None
        when the filters are not ones the counts hold (none, or one country alone)."""
        group = f.countries[0] if f.countries else ("",)
        if replace(f, countries=[]) != NO_FILTERS or len(f.countries) > 1 or len(group) > 1:
            return None
        (country,) = group
        facets = layout.facet_columns(catalog.BY_NAME[table])
        if any(name != "country" and name not in facets for name in names):
            return None
        found = {}
        for name in names:
            if name == "country" and country:  # the country itself, and those beside it
                rows = self.conn.execute(
                    "SELECT b, sum(n) FROM pair_counts WHERE a = ? AND resource = ? GROUP BY b "
                    "UNION ALL SELECT value, n FROM facet_counts WHERE resource = ? "
                    "AND country = '' AND facet = 'country' AND value = ?",
                    (country, table, table, country),
                ).fetchall()
            else:
                rows = self.conn.execute(
                    "SELECT value, n FROM facet_counts WHERE resource = ? AND country = ? "
                    "AND facet = ?",
                    (table, country, name),
                ).fetchall()
            # An absent value is counted as ''; a count may have fallen to 0.
            found[name] = [(value or None, n) for value, n in rows if n]
        return found

    def pair_counts(self, groups: list[tuple[str, ...]]) -> PairCounts | None:
        """The counts of the records involving some country of each of two groups, or None
        when they cannot be had cheaply (the groups share a country, or a group's
        countries share too many records)."""
        if not KEPT_COUNTS or len(groups) != 2 or set(groups[0]) & set(groups[1]):
            return None
        first, second = groups
        rows = self.conn.execute(
            "SELECT resource, class, sum(n) FROM pair_counts "
            f"WHERE a IN ({','.join('?' * len(first))}) "
            f"AND b IN ({','.join('?' * len(second))}) GROUP BY 1, 2",
            [*first, *second],
        ).fetchall()
        by_class = {(resource, klass): n for resource, klass, n in rows}
        # A record holding two countries of a group was counted once per pair it is in.
        doubled: set[tuple[str, str]] = set()
        for group in groups:
            for a, b in self._pairs_within(group):
                found = self._holding(a, b)
                if found is None:
                    return None
                doubled |= found
        for resource, record_id in doubled:
            countries = {
                row[0]
                for row in self.conn.execute(
                    f"SELECT country FROM {RECORD_LINKS} WHERE resource = ? AND record_id = ?",
                    (resource, record_id),
                )
            }
            times = len(countries & set(first)) * len(countries & set(second))
            if times > 1:
                (klass,) = self.conn.execute(
                    f"SELECT {layout.pair_class(resource, 't')} FROM {resource} t WHERE id = ?",
                    (record_id,),
                ).fetchone()
                by_class[(resource, klass)] -= times - 1
        return PairCounts(by_class)

    def _pairs_within(self, group: tuple[str, ...]) -> list[tuple[str, str]]:
        """The pairs of a group's countries that some record involves both of."""
        if len(group) < 2:
            return []
        marks = ",".join("?" * len(group))
        return self.conn.execute(
            f"SELECT a, b FROM pair_counts WHERE a IN ({marks}) AND b IN ({marks}) "
            "AND a < b GROUP BY 1, 2 HAVING sum(n) > 0",
            [*group, *group],
        ).fetchall()

    def _holding(self, a: str, b: str) -> set[tuple[str, str]] | None:
        """The records involving both countries, driven from the rarer one's links; None
        when it has more than CORRECTION_LIMIT."""
        links = dict(
            self.conn.execute(
                "SELECT value, sum(n) FROM facet_counts WHERE resource IN "
                f"({','.join('?' * len(LINKED))}) AND country = '' AND facet = 'country' "
                "AND value IN (?, ?) GROUP BY 1",
                [*LINKED, a, b],
            ).fetchall()
        )
        if links.get(b, 0) < links.get(a, 0):
            a, b = b, a
        if links.get(a, 0) > CORRECTION_LIMIT:
            return None
        return set(
            self.conn.execute(
                "SELECT x.resource, x.record_id FROM record_countries x JOIN record_countries y "
                "INDEXED BY idx_record_countries_resource_record_id "
                "ON y.resource = x.resource AND y.record_id = x.record_id AND y.country = ? "
                f"WHERE x.resource IN ({','.join('?' * len(LINKED))}) AND x.country = ?",
                [b, *LINKED, a],
            ).fetchall()
        )
