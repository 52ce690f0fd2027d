"""The table layout: every table and index of a database, and the layout's version.

The build creates it empty and fills it; a write checks ``SCHEMA_VERSION``
before it touches a file, so a database of another layout is rebuilt, never
written into.

Two tables hold counts that triggers keep in step with every insert and delete
(so with every write, in its transaction, and with the data version):
``facet_counts`` (per resource, per country or '' for all records, the records
by kind, status, year, historical and country) and ``pair_counts`` (per
ordered pair of countries a record involves, the records by resource and
``PAIR_CLASS``). A count that falls to nought stays, as 0. A record's table row
goes in before its links and comes out after them (the link triggers read it).
``recount`` works both out afresh.
"""

from __future__ import annotations

import sqlite_utils

from api.domain import catalog

SCHEMA_VERSION = "7"  # the table layout; a database of another layout must be rebuilt

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
            "countries": str,  # entries.linked: the date indexes carry it
        },
        pk=("resource", "id"),
    )
    _date_indexes(db, "timeline", "resource, id, countries")
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
    # Counts kept by triggers (see the module's docstring).
    db.execute(
        "CREATE TABLE facet_counts (resource TEXT NOT NULL, country TEXT NOT NULL, "
        "facet TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, "
        "PRIMARY KEY (resource, country, facet, value)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE pair_counts (a TEXT NOT NULL, b TEXT NOT NULL, resource TEXT NOT NULL, "
        "class TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (a, b, resource, class)) "
        "WITHOUT ROWID"
    )
    _count_triggers(db)
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


def facet_columns(resource: catalog.Resource) -> dict[str, str]:
    """The facets counted from a resource's table row: name and SQL over the row ``{r}``.

    An absent value is counted as ''. The country facet comes from the links.
    """
    found = {}
    if resource.kind:
        found["kind"] = "coalesce({r}.kind, '')"
    if resource.status:
        found["status"] = "coalesce({r}.status, '')"
    if resource.date:
        found["year"] = "coalesce(substr({r}.date_start, 1, 4), '')"
    if resource is catalog.COUNTRIES:
        found["historical"] = "CASE {r}.historical WHEN 1 THEN 'true' ELSE 'false' END"
    return found


# The column pair counts are split by (what a brief's sections are split by); '' for others.
PAIR_CLASS = {"agreements": "status", "commentary": "kind"}
UPSERT = "ON CONFLICT DO UPDATE SET n = n + excluded.n"
# A record's links (the primary key leads with the country, this index with the record).
LINKS = "record_countries INDEXED BY idx_record_countries_resource_record_id"


def pair_class(table: str, row: str) -> str:
    """The SQL of the class a row of ``table`` (alias ``row``) is counted under in a pair."""
    return f"coalesce({row}.{PAIR_CLASS[table]}, '')" if table in PAIR_CLASS else "''"


def _facets(table: str, country: str, row: str, sign: str, source: str) -> list[str]:
    """Statements adding ``sign`` to the counts of a row's facets under ``country``."""
    return [
        "INSERT INTO facet_counts (resource, country, facet, value, n) "
        f"SELECT '{table}', {country}, '{facet}', {expression.format(r=row)}, {sign} "
        f"{source} {UPSERT}"
        for facet, expression in facet_columns(catalog.BY_NAME[table]).items()
    ]


def _pairs(table: str, row: str, sign: str, links: str) -> list[str]:
    """Statements adding ``sign`` to the pair counts of a row, for the pairs ``links`` gives
    (a query of columns ``a`` and ``b``)."""
    return [
        f"INSERT INTO pair_counts (a, b, resource, class, n) SELECT p.a, p.b, '{table}', "
        f"{pair_class(table, row)}, {sign} FROM ({links}) p WHERE true {UPSERT}"
    ]


def _count_triggers(db: sqlite_utils.Database) -> None:
    """The triggers that keep ``facet_counts`` and ``pair_counts`` in step."""
    for resource in catalog.ALL:
        table = resource.name
        main = f'"{table}" t'
        # A link's record: its other countries, and the pairs with them both ways.
        for action, row, sign in (("insert", "new", "1"), ("delete", "old", "-1")):
            others = (
                f"SELECT country FROM {LINKS} WHERE resource = '{table}' "
                f"AND record_id = {row}.record_id AND country != {row}.country"
            )
            pairs = (
                f"SELECT {row}.country AS a, country AS b FROM ({others}) "
                f"UNION ALL SELECT country, {row}.country FROM ({others})"
            )
            found = f"FROM {main} WHERE t.id = {row}.record_id"
            statements = [
                *_facets(table, f"{row}.country", "t", sign, found),
                "INSERT INTO facet_counts (resource, country, facet, value, n) "
                f"VALUES ('{table}', '', 'country', {row}.country, {sign}) {UPSERT}",
                f"INSERT INTO pair_counts (a, b, resource, class, n) SELECT p.a, p.b, "
                f"'{table}', {pair_class(table, 't')}, {sign} FROM ({pairs}) p "
                f"JOIN {main} ON t.id = {row}.record_id WHERE true {UPSERT}",
            ]
            _trigger(
                db,
                f"record_countries_{table}_{action}",
                f"AFTER {action.upper()} ON record_countries WHEN {row}.resource = '{table}'",
                statements,
            )
        if not facet_columns(resource):
            continue
        everything = "WHERE true"
        _trigger(
            db,
            f"{table}_counts_insert",
            f'AFTER INSERT ON "{table}"',
            _facets(table, "''", "new", "1", everything),
        )
        _trigger(
            db,
            f"{table}_counts_delete",
            f'AFTER DELETE ON "{table}"',
            _facets(table, "''", "old", "-1", everything),
        )
        # A row changed in place (no write does that now): every count it is in moves.
        countries = f"SELECT country FROM {LINKS} WHERE resource = '{table}' AND record_id = new.id"
        pairs = (
            f"SELECT x.country AS a, y.country AS b FROM ({countries}) x, ({countries}) y "
            "WHERE x.country != y.country"
        )
        moved = []
        for row, sign in (("old", "-1"), ("new", "1")):
            moved += _facets(table, "''", row, sign, everything)
            moved += _facets(table, "c.country", row, sign, f"FROM ({countries}) c WHERE true")
            moved += _pairs(table, row, sign, pairs)
        columns = [
            c for c in ("kind", "status", "date_start", "historical") if c in db[table].columns_dict
        ]
        _trigger(
            db,
            f"{table}_counts_update",
            f'AFTER UPDATE OF {", ".join(columns)} ON "{table}"',
            moved,
        )


def _trigger(db: sqlite_utils.Database, name: str, when: str, statements: list[str]) -> None:
    body = "".join(f"  {s};\n" for s in statements)
    db.execute(f'CREATE TRIGGER "{name}" {when} BEGIN\n{body}END')


def recount(conn) -> None:
    """Work ``facet_counts`` and ``pair_counts`` out afresh from the tables."""
    conn.execute("DELETE FROM facet_counts")
    conn.execute("DELETE FROM pair_counts")
    for resource in catalog.ALL:
        table = resource.name
        for facet, expression in facet_columns(resource).items():
            value = expression.format(r="t")
            conn.execute(
                "INSERT INTO facet_counts (resource, country, facet, value, n) "
                f"SELECT '{table}', '', '{facet}', {value}, count(*) FROM \"{table}\" t GROUP BY 4"
            )
            conn.execute(
                "INSERT INTO facet_counts (resource, country, facet, value, n) "
                f"SELECT '{table}', rc.country, '{facet}', {value}, count(*) "
                f'FROM record_countries rc JOIN "{table}" t ON t.id = rc.record_id '
                f"WHERE rc.resource = '{table}' GROUP BY 2, 4"
            )
        conn.execute(
            "INSERT INTO pair_counts (a, b, resource, class, n) "
            f"SELECT x.country, y.country, '{table}', {pair_class(table, 't')}, count(*) "
            "FROM record_countries x JOIN record_countries y "
            "INDEXED BY idx_record_countries_resource_record_id ON y.resource = x.resource "
            "AND y.record_id = x.record_id AND y.country != x.country "
            f"JOIN \"{table}\" t ON t.id = x.record_id WHERE x.resource = '{table}' "
            "GROUP BY 1, 2, 4"
        )
    conn.execute(
        "INSERT INTO facet_counts (resource, country, facet, value, n) "
        "SELECT resource, '', 'country', country, count(*) FROM record_countries GROUP BY 1, 4"
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
