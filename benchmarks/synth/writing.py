"""Writing the corpus: chunks in parallel, link tables and the index, the file swapped in."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import shutil
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click
import orjson
import sqlite_utils

from api.domain import catalog, countries
from api.store import entries, fulltext, layout
from api.store.connections import sqlite3
from api.store.layout import SCHEMA_VERSION
from api.store.writer import Writer
from benchmarks.synth import files
from benchmarks.synth.children import pool_worker, run_child
from benchmarks.synth.corpus import Corpus
from benchmarks.synth.counts import Counts
from benchmarks.synth.rows import check_record, columns_of, fast_rows, fast_search
from benchmarks.synth.words import BATCH, BY_NAME_ORDER, FAST, SAMPLE

LINKS = {  # link tables: staged unindexed, then copied in primary-key order
    "record_countries": (("resource", "record_id", "country"), "resource, country, record_id"),
    "record_people": (("resource", "record_id", "person"), "resource, person, record_id"),
    "record_links": (
        ("resource", "record_id", "target", "target_id"),
        "target, target_id, resource, record_id",
    ),
}
TIMELINE_COLUMNS = ("resource", "id", "date_start", "date_end", "cited_from", "json", "countries")
NAMES_COLUMNS = ("resource", "key", "record_id", "name", "rank")
SEARCH_COLUMNS = fulltext.COLUMNS

CACHE = -262144  # KiB of page cache
SORT_CACHE = -2048  # KiB of page cache while sorting: the sorter's run size (_sort_in_runs)
MMAP = 1 << 31  # bytes of the file read through memory (SQLite caps it at 2 GB here)

_corpus: Corpus | None = None  # set before the worker pool forks
_counted: multiprocessing.synchronize.Barrier | None = None  # likewise: see _counts_made
_counts = Counts()  # a pool worker's counts of the records it made


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        f"cache_size = {CACHE}",
        "temp_store = MEMORY",
        "threads = 2",
        "locking_mode = EXCLUSIVE",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _sort_in_runs(conn: sqlite3.Connection) -> None:
    """Let SQLite sort (``CREATE INDEX``, ``ORDER BY``) in cache-sized runs, then merge them.

    With temp_store = MEMORY its sorter never spills: it sorts one linked list of every
    record, each allocated on its own, and the merge passes miss the CPU cache; allowed
    temporary files, it sorts runs the size of the page cache (a small one, so they stay
    in the CPU cache) and merges them: about half the CPU time.
    """
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute(f"PRAGMA cache_size = {SORT_CACHE}")
    conn.execute("PRAGMA threads = 0")  # both cores are busy: helper threads only add work


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows) -> None:
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _chunks(corpus: Corpus) -> list[tuple[str, int, int, int]]:
    """Work units: (resource, first, last position in id order, first search rowid)."""
    chunks = []
    rowid = 1
    for resource in catalog.ALL:  # the build's order: search rowids follow it
        n = corpus.counts[resource.name]
        chunks += [(resource.name, a, min(a + BATCH, n), rowid + a) for a in range(0, n, BATCH)]
        rowid += n
    return chunks


def _rows_of_chunk(chunk: tuple[str, int, int, int]) -> dict:
    """Every row of a chunk of records (in a pool worker); every SAMPLE-th record checked."""
    name, first, last, rowid = chunk[:4]
    corpus = _corpus
    resource = catalog.BY_NAME[name]
    published = corpus.published_by_id
    if resource is catalog.COUNTRIES:
        records = corpus.country_records[first:last]
    else:
        make = getattr(corpus, f"make_{name}")
        records = [make(i) for i in corpus.order[name][first:last]]
    fast = resource in FAST
    out: dict = {"main": [], "timeline": [], "names": [], "search": []}
    out.update({table: [] for table in LINKS})
    digest = hashlib.sha256()
    prefix = name.encode() + b"\t"
    for n, record in enumerate(records, start=first):
        if n % SAMPLE == 0:
            check_record(corpus, resource, record, published)
        if fast:
            main, linked, people, timeline, names_, links = fast_rows(resource, record, published)
            search = fast_search(resource, record)
        else:
            rows = entries.rows(resource, record, published)
            main = tuple(rows.main[c] for c in columns_of(resource))
            linked = [tuple(r.values()) for r in rows.countries]
            people = [tuple(r.values()) for r in rows.people]
            timeline = tuple(rows.timeline.values()) if rows.timeline else None
            names_ = [tuple(r.values()) for r in rows.names]
            links = [tuple(r.values()) for r in rows.links]
            search = tuple(rows.search.values())
        _counts.add(name, main, [link[2] for link in linked])
        out["main"].append(main)
        out["record_countries"] += linked
        out["record_people"] += people
        out["record_links"] += links
        if timeline:
            out["timeline"].append(timeline)
        if names_:
            out["names"] += names_
        out["search"].append((rowid + n - first, *search))
        digest.update(prefix + main[7] + b"\n")
    out["resource"] = name
    out["count"] = len(records)
    out["digest"] = digest.digest()
    return out


CHUNK_TABLES = ("main", "timeline", "names", "search")
STAGE = "links-*.db"  # a worker's link rows, in the chunk directory

_stage: sqlite3.Connection | None = None  # the link rows' file of this pool worker


def _write_chunk(chunk: tuple[str, int, int, int, str]) -> dict:
    """Write a chunk's rows into a file of its own (in a pool worker) for the parent to copy.

    The tables have no types, keys or indexes: the values go in as given and come out
    the same for ``INSERT … SELECT``, which applies the real columns' affinities. The
    link rows go into this worker's own file (``STAGE``), which the link tables'
    processes read once every chunk is done.
    """
    out = _rows_of_chunk(chunk)
    path = chunk[4]
    _open_stage(Path(path).parent)
    _stage.execute("BEGIN")
    for table, (columns, _) in LINKS.items():
        marks = ", ".join("?" * len(columns))
        _stage.executemany(f"INSERT INTO {table} VALUES ({marks})", out.pop(table))
    _stage.execute("COMMIT")
    conn = _connect_chunk(path)
    conn.execute("BEGIN")
    for table in CHUNK_TABLES:
        rows = out.pop(table)
        if not rows:
            continue
        width = len(rows[0])
        conn.execute(f"CREATE TABLE {table} ({', '.join(f'c{i}' for i in range(width))})")
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)
        out[table] = True
    conn.execute("COMMIT")
    conn.close()
    out["path"] = path
    return out


def _open_stage(directory: Path) -> None:
    """This pool worker's file of link rows and counts (``STAGE``), made on first use."""
    global _stage
    if _stage is None:
        _stage = _connect_chunk(directory / STAGE.replace("*", str(os.getpid())))
        for table, (columns, _) in LINKS.items():
            _stage.execute(f"CREATE TABLE {table} ({', '.join(columns)})")


def _counts_made(_) -> Counts:
    """This pool worker's counts, once every chunk is made.

    One call per worker: each waits at the barrier ``_counted`` until every worker
    has one, so no worker takes two.
    """
    _counted.wait(timeout=600)
    return _counts


def _connect_chunk(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _build_links(path: Path, table: str, sql: list[str], stages: list[Path]) -> None:
    """Copy a link table's rows from the workers' files in primary-key order, and index it.

    This runs in a child process (``run_child``). ``sql`` is the main file's own for the
    table and its indexes: the parent copies the finished table in with its indexes, page by page
    (SQLite's transfer optimisation).
    """
    conn = _connect(path)
    _sort_in_runs(conn)
    columns, order = LINKS[table]
    listed = ", ".join(columns)
    parts = []
    for n, stage in enumerate(stages):
        conn.execute(f"ATTACH DATABASE ? AS s{n}", (str(stage),))
        parts.append(f"SELECT {listed} FROM s{n}.{table}")
    conn.execute("BEGIN")
    conn.execute(sql[0])
    conn.execute(
        f"INSERT INTO main.{table} ({listed}) SELECT * FROM "
        f"({' UNION ALL '.join(parts)}) ORDER BY {order}"
    )
    for statement in sql[1:]:
        conn.execute(statement)
    conn.execute("COMMIT")
    conn.close()


def _build_fulltext(chunks, directory: Path) -> None:
    """Build the full-text index from the chunk files as they come (a child process).

    ``chunks`` receives the path of each chunk file once this process's parent has
    copied it in, in chunk order (so in search rowid order), then an empty message;
    each file is deleted once read.
    """
    fulltext.build(directory, _search_rows(chunks), threads=1)


def _search_rows(chunks) -> Iterator[tuple]:
    """The search rows of every chunk file named on ``chunks``, in rowid order."""
    while path := chunks.recv_bytes().decode():
        conn = sqlite3.connect(path, isolation_level=None)
        yield from conn.execute("SELECT * FROM search ORDER BY rowid")
        conn.close()
        os.unlink(path)


def synthesize(records: int, db_path: Path, *, seed: int = 0, progress: bool = True) -> dict:
    """Write a synthetic corpus of ``records`` records at ``db_path``; return its meta.

    The result also has ``seconds`` and cumulative ``timings`` (not stored).
    """
    global _corpus, _counted
    started = time.monotonic()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    transient_dir = files.transient_dir(db_path.parent, records)
    if transient_dir == files.SHARED_MEMORY:
        files.remove_stale(transient_dir, db_path.name)
    transient = transient_dir / f".{db_path.name}.{os.getpid()}"
    tmp_links = {t: transient.with_name(f"{transient.name}.{t}.tmp") for t in LINKS}
    tmp_chunks = transient.with_name(f"{transient.name}.chunks.tmp")
    writer = Writer(db_path)
    tmp_index = writer.fulltext_tmp()
    for path in (tmp, *tmp_links.values()):
        path.unlink(missing_ok=True)
    for directory in (tmp_index, tmp_chunks):
        shutil.rmtree(directory, ignore_errors=True)
    tmp_chunks.mkdir()
    timings: dict[str, float] = {}
    collecting = gc.isenabled()
    gc.disable()  # the corpus is millions of objects and no cycles
    try:
        _corpus = corpus = Corpus(records, seed)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()  # and out of the collector's sight from now on, in this process and the workers
    timings["corpus"] = time.monotonic() - started
    fork = multiprocessing.get_context("fork")
    _counted = fork.Barrier(WORKERS)
    children: list[multiprocessing.process.BaseProcess] = []
    try:
        conn = _open(tmp)
        conn.execute("COMMIT")
        deferred = conn.execute(_DEFERRED_SQL).fetchall()
        triggers = conn.execute(_TRIGGERS_SQL).fetchall()  # the counts are made apart
        for kind, name, _ in deferred + triggers:  # recreated once the rows are in
            conn.execute(f'DROP {kind.upper()} "{name}"')
        chunks, to_index = fork.Pipe(duplex=False)
        indexer = fork.Process(
            target=run_child, args=(_build_fulltext, chunks, tmp_index), daemon=True
        )
        indexer.start()
        children.append(indexer)
        chunks.close()
        counts, digests = _fill(corpus, conn, tmp_chunks, progress, to_index)
        to_index.send_bytes(b"")
        to_index.close()
        timings["rows"] = time.monotonic() - started
        stages = sorted(tmp_chunks.glob(STAGE))
        tables = dict(
            conn.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                f"AND name IN ({', '.join('?' * len(LINKS))})",
                tuple(LINKS),
            ).fetchall()
        )
        linking = [
            fork.Process(
                target=run_child,
                args=(
                    _build_links,
                    tmp_links[table],
                    table,
                    [tables[table]] + [sql for _, _, sql in deferred if _table_of(sql) == table],
                    stages,
                ),
                daemon=True,
            )
            for table in LINKS
        ]
        for process in linking:
            process.start()
            children.append(process)
        meta = _finish(corpus, conn, counts, digests, writer)  # while the link tables are made
        _sort_in_runs(conn)
        # The small cache would read each table through read(2) once per index built on it;
        # mapped, its pages are read in place (the kernel's copy, not one copy per index).
        conn.execute(f"PRAGMA mmap_size = {MMAP}")
        conn.execute("BEGIN")
        for _, _, sql in deferred:  # those of the link tables are filled by the copy below
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute(f"PRAGMA cache_size = {CACHE}")
        waiting = {p.sentinel: (t, p) for t, p in zip(LINKS, linking, strict=True)}
        while waiting:  # each table copied in as soon as its process is done
            table, process = waiting.pop(multiprocessing.connection.wait(list(waiting))[0])
            process.join()
            if process.exitcode != 0:
                raise RuntimeError(f"the {table} process failed (exit {process.exitcode})")
            conn.execute(f"ATTACH DATABASE ? AS {table}", (str(tmp_links[table]),))
            conn.execute("BEGIN")  # into an empty table with the same indexes: page by page
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM {table}.{table}")
            conn.execute("COMMIT")
            conn.execute(f"DETACH DATABASE {table}")
        conn.execute("BEGIN")
        for _, _, sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
        timings["indexes"] = time.monotonic() - started
        if records <= 100_000:
            violations = conn.execute("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise RuntimeError(f"foreign keys violated: {violations[:5]}")
        conn.close()
        indexer.join()
        if indexer.exitcode != 0:
            raise RuntimeError(f"the full-text index process failed (exit {indexer.exitcode})")
        timings["fulltext"] = time.monotonic() - started
        writer.replace_with(tmp, tmp_index, meta["fulltext"])
    finally:
        _corpus = _counted = None
        gc.unfreeze()
        for process in children:
            if process.is_alive():
                process.kill()
                process.join()
        for path in (tmp, *tmp_links.values()):
            path.unlink(missing_ok=True)
        for directory in (tmp_index, tmp_chunks):
            shutil.rmtree(directory, ignore_errors=True)
    meta["seconds"] = round(time.monotonic() - started, 1)
    meta["timings"] = {k: round(v, 1) for k, v in timings.items()}
    return meta


WORKERS = max(1, min(2, os.cpu_count() or 1))  # processes making rows


def _table_of(sql: str) -> str:
    """The table a ``CREATE INDEX`` statement indexes."""
    return sql.split(" ON ", 1)[1].split("(", 1)[0].strip().strip('"')


_TRIGGERS_SQL = "SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid"
_DEFERRED_SQL = (
    "SELECT type, name, sql FROM sqlite_master WHERE type = 'index' "
    "AND sql IS NOT NULL ORDER BY rowid"
)


def _open(path: Path) -> sqlite3.Connection:
    """A new file holding every table ``layout.create`` makes, in an open transaction."""
    conn = _connect(path)
    conn.execute("BEGIN")
    layout.create(sqlite_utils.Database(conn))
    return conn


def _fill(corpus: Corpus, conn, chunks: Path, progress: bool, to_index) -> tuple[Counts, dict]:
    """Generate every row (in a pool of workers) and copy it in; return the counts and the
    digests of the records' JSON by resource.

    Each chunk file, once copied, is handed on to the full-text index process
    (``to_index``).
    """
    digests: dict[str, list[bytes]] = {r.name: [] for r in catalog.ALL}
    total = sum(corpus.counts.values())
    sink = contextlib.nullcontext(sys.stderr) if progress else open(os.devnull, "w")
    # Not multiprocessing.Pool: its terminate() can hang while a worker is mid-result
    # (CPython issues 78178, 96995), as it must on a DriftError.
    pool = ProcessPoolExecutor(
        WORKERS, mp_context=multiprocessing.get_context("fork"), initializer=pool_worker
    )
    work = [(*c, str(chunks / f"{n:06d}.db")) for n, c in enumerate(_chunks(corpus))]
    copies = {
        "main": "main.{name} ({columns}) SELECT * FROM c.main",
        "timeline": f"main.timeline ({', '.join(TIMELINE_COLUMNS)}) SELECT * FROM c.timeline",
        "names": f"main.names ({', '.join(NAMES_COLUMNS)}) SELECT * FROM c.names",
        "search": f"main.search ({', '.join(SEARCH_COLUMNS)}) SELECT * FROM c.search",
    }
    try:
        with sink as stream, click.progressbar(length=total, label="synth", file=stream) as bar:
            for out in pool.map(_write_chunk, work):
                name = out["resource"]
                columns = ", ".join(columns_of(catalog.BY_NAME[name]))
                conn.execute("ATTACH DATABASE ? AS c", (out["path"],))
                conn.execute("BEGIN")
                for table in CHUNK_TABLES:
                    if table in out:
                        sql = copies[table].format(name=name, columns=columns)
                        conn.execute(f"INSERT INTO {sql}")
                conn.execute("COMMIT")
                conn.execute("DETACH DATABASE c")
                to_index.send_bytes(out["path"].encode())
                digests[name].append(out["digest"])
                bar.update(out["count"])
        counts = Counts()
        for made in pool.map(_counts_made, range(WORKERS)):
            counts.merge(made)
    finally:
        pool.shutdown(cancel_futures=True)  # on an error, waits for the chunks under way only
    return counts, digests


def _finish(corpus: Corpus, conn, counts: Counts, digests: dict, writer: Writer) -> dict:
    """Write the counts, the documents' texts and the meta; return the meta."""
    conn.execute("BEGIN")
    counts.insert(conn)
    _insert(
        conn,
        "document_texts",
        ("id", "text"),
        sorted(zip(corpus.ids["documents"], corpus.texts, strict=True)),
    )
    digest = hashlib.sha256(f"pycountry {countries.PYCOUNTRY_VERSION}\n".encode())
    for resource in BY_NAME_ORDER:
        for part in digests[resource.name]:
            digest.update(part)
    version = digest.hexdigest()[:16]
    meta = {
        "dataset_version": version,
        "data_version": version,
        "built_at": time.strftime(
            "%Y-%m-%dT%H:%M:%SZ",
            time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))),
        ),
        "pycountry": countries.PYCOUNTRY_VERSION,
        "schema_version": SCHEMA_VERSION,
        "drafts_version": "0",
        "counts": orjson.dumps(corpus.counts).decode(),
        "fulltext": writer.fulltext_name(version),
    }
    _insert(conn, "meta", ("key", "value"), sorted(meta.items()))
    conn.execute("COMMIT")
    return dict(meta)
