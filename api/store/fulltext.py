"""The full-text index: Tantivy, in a directory beside the SQLite file.

SQLite's ``search`` table holds what is searched, a title and a body for each
record (``index.rows``); this index ranks it. Tantivy keeps only the best hits
while it scores and skips the blocks of a posting list that cannot enter them
(block-max WAND), so a word found in a large share of the corpus costs about
what a rare one does, and every match is ranked.

The directory is named in the database's ``meta`` (``fulltext``), so a build
that renames a new database into place brings its index along. A write
updates the index under the write lock once SQLite has committed (``sync``):
the index's ``applied`` file holds the number of the last change it reflects,
and every later change in the ``changes`` table is applied again, so a crash
between the two commits is repaired by the next write or at start-up. A
database file copied without its index gets one built at start-up. Readers
reopen their searcher when ``applied`` is replaced.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from api.domain import catalog
from api.store.connections import Unavailable

MARK = (b"<mark>", b"</mark>")  # around matched words in snippets
TITLE_BOOST = 10.0  # a title match weighs ten body matches
NAMES_BOOST = 100.0  # an entity's name or alias outweighs a title that mentions it
NAMES_END = "\n\n"  # ends the names at the head of an entity's search body
ENTITY_TYPES = frozenset({"country", "person", "organization"})
MAX_WORDS = 16
MAX_HITS = 10_000  # hits a query pages through: the deepest page costs a top-10,000
SNIPPET_CHARS = 120
ANALYZER = "words"  # split on anything but letters and digits, lowercase, fold accents
APPLIED = "applied"
BUILD_HEAP = 200_000_000
WRITE_HEAP = 20_000_000

# A row of the search table, as the index reads it
COLUMNS = ("rowid", "type", "id", "title", "body")
SearchRow = tuple[int, str, str, str, str]
SELECT_ROWS = f"SELECT {', '.join(COLUMNS)} FROM search"
ROWS_SQL = f"{SELECT_ROWS} ORDER BY rowid"


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


WORDS = _analyzer()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("title", "names", "body"):
        builder.add_text_field(name, tokenizer_name=ANALYZER, index_option="freq")
    builder.add_text_field("type", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("key", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("row", fast=True)
    return builder.build()


SCHEMA = _schema()


def _open(directory: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(directory))
    index.register_tokenizer(ANALYZER, WORDS)
    return index


def words(text: str) -> list[str]:
    """The distinct words of ``text`` as the index spells them, at most MAX_WORDS."""
    return list(dict.fromkeys(WORDS.analyze(text)))[:MAX_WORDS]


def _document(row: SearchRow) -> tantivy.Document:
    rowid, kind, record_id, title, body = row
    names = body.split(NAMES_END, 1)[0] if kind in ENTITY_TYPES and NAMES_END in body else ""
    doc = tantivy.Document(
        type=kind, key=f"{kind}/{record_id}", title=title, names=names, body=body
    )
    doc.add_unsigned("row", rowid)
    return doc


def _set_applied(directory: Path, seq: int) -> None:
    tmp = directory / f".{APPLIED}.{os.getpid()}"
    tmp.write_text(f"{seq}\n")
    os.replace(tmp, directory / APPLIED)


def applied(directory: Path) -> int:
    """The number of the last change the index reflects."""
    try:
        return int((directory / APPLIED).read_text())
    except FileNotFoundError as exc:
        raise Missing(directory) from exc


def build(directory: Path, rows: Iterable[SearchRow], threads: int = 0, applied: int = 0) -> None:
    """A new index of ``rows`` at ``directory`` (which must not exist)."""
    directory.mkdir(parents=True)
    index = tantivy.Index(SCHEMA, path=str(directory))
    index.register_tokenizer(ANALYZER, WORDS)
    writer = index.writer(heap_size=BUILD_HEAP, num_threads=threads)
    for row in rows:
        writer.add_document(_document(row))
    writer.commit()
    writer.wait_merging_threads()
    _set_applied(directory, applied)


def sync(directory: Path, conn) -> int:
    """Bring the index up to the database: the number of records indexed again.

    Every change after the one the index reflects is applied; a missing index
    (a copied database file) is built from the search table. ``conn`` reads
    the committed database; the caller holds the write lock.
    """
    if not (directory / APPLIED).exists():
        (last,) = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()
        tmp = directory.with_name(f".{directory.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(directory, ignore_errors=True)
        try:
            build(tmp, conn.execute(ROWS_SQL), applied=last)
            tmp.rename(directory)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return conn.execute("SELECT count(*) FROM search").fetchone()[0]
    done = applied(directory)
    changed = conn.execute(
        "SELECT resource, record_id, max(seq) FROM changes WHERE seq > ? GROUP BY 1, 2",
        (done,),
    ).fetchall()
    if not changed:
        return 0
    index = _open(directory)
    writer = index.writer(heap_size=WRITE_HEAP, num_threads=1)
    for resource, record_id, _ in changed:
        kind = catalog.BY_NAME[resource].singular
        writer.delete_documents_by_term("key", f"{kind}/{record_id}")
        row = conn.execute(f"{SELECT_ROWS} WHERE type = ? AND id = ?", (kind, record_id)).fetchone()
        if row:
            writer.add_document(_document(row))
    writer.commit()
    writer.wait_merging_threads()
    _set_applied(directory, max(seq for *_, seq in changed))
    return len(changed)


def remove_others(parent: Path, database: str, keep: str) -> None:
    """Delete the index directories of ``database`` in ``parent`` but ``keep``.

    That is every other ``{database}.fulltext-*``, and those set aside
    (``.{database}.fulltext-*.old``) while a build of the same name came in.
    """
    for path in [
        *parent.glob(f"{database}.fulltext-*"),
        *parent.glob(f".{database}.fulltext-*.old"),
    ]:
        if path.name != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class Hits:
    """One page of ranked hits: (search rowid, score), best first; and whether more follow."""

    rows: list[tuple[int, float]]
    more: bool
    query: tantivy.Query
    searcher: tantivy.Searcher
    _generators: dict = field(default_factory=dict)

    def snippet(self, title: str, body: str) -> str:
        """Text around the best match in the body (else the title), matched words marked."""
        for name, text in (("body", body), ("title", title)):
            generator = self._generators.get(name)
            if generator is None:
                generator = tantivy.SnippetGenerator.create(self.searcher, self.query, SCHEMA, name)
                generator.set_max_num_chars(SNIPPET_CHARS)
                self._generators[name] = generator
            found = generator.snippet_from_doc(tantivy.Document(**{name: text}))
            if found.highlighted():
                return _marked(found, len(text.encode()))
        return title


def _marked(snippet: tantivy.Snippet, size: int) -> str:
    """A snippet's fragment with its matches in MARK, and "…" where the text goes on.

    Tantivy's ranges count UTF-8 bytes.
    """
    fragment = snippet.fragment().encode()
    parts, at = [], 0
    for match in snippet.highlighted():
        parts += [fragment[at : match.start], MARK[0], fragment[match.start : match.end], MARK[1]]
        at = match.end
    parts.append(fragment[at:])
    whole = snippet.fragment_range()
    return (
        ("…" if whole.start > 0 else "")
        + b"".join(parts).decode()
        + ("…" if whole.end < size else "")
    )


class Missing(Unavailable):
    """The database names an index directory that is not there."""

    def __init__(self, directory: Path) -> None:
        super().__init__(f"no full-text index at {directory}: run 'briefs build'")


class Reader:
    """The index of one directory, reopened when a write replaces ``applied``."""

    _lock = threading.Lock()
    _open: dict[Path, tuple[tantivy.Index, int]] = {}

    @classmethod
    def index(cls, directory: Path) -> tantivy.Index:
        try:
            stamp = os.stat(directory / APPLIED).st_ino
        except OSError as exc:
            raise Missing(directory) from exc
        with cls._lock:
            known = cls._open.get(directory)
            try:
                if known is None:
                    index = _open(directory)
                    index.config_reader(reload_policy="Manual")
                else:
                    index = known[0]
                    if known[1] != stamp:
                        index.reload()
            except (OSError, ValueError) as exc:  # unreadable files, a broken index
                raise Unavailable(f"cannot open the full-text index at {directory}: {exc}") from exc
            cls._open[directory] = (index, stamp)
        return index


def query(terms: list[str], types: list[str]) -> tantivy.Query:
    """Every word in the title, the names or the body (title and name matches boosted);
    optionally of ``types``."""
    clauses = [
        (
            tantivy.Occur.Must,
            tantivy.Query.boolean_query(
                [
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.boost_query(
                            tantivy.Query.term_query(SCHEMA, "title", word), TITLE_BOOST
                        ),
                    ),
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.boost_query(
                            tantivy.Query.term_query(SCHEMA, "names", word), NAMES_BOOST
                        ),
                    ),
                    (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, "body", word)),
                ]
            ),
        )
        for word in terms
    ]
    if types:
        kinds = tantivy.Query.term_set_query(SCHEMA, "type", types)
        clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(kinds, 0.0)))
    return tantivy.Query.boolean_query(clauses)


def search(directory: Path, terms: list[str], types: list[str], limit: int, offset: int) -> Hits:
    """The hits ranked ``offset`` to ``offset + limit``, best first, within the best MAX_HITS."""
    limit = max(0, min(limit, MAX_HITS - offset))
    searcher = Reader.index(directory).searcher()
    q = query(terms, types)
    found = searcher.search(q, limit + 1, count=False, offset=offset).hits if limit else []
    scores = [score for score, _ in found[:limit]]
    rows = searcher.fast_field_values("row", [address for _, address in found[:limit]])
    more = len(found) > limit and offset + limit < MAX_HITS
    return Hits(list(zip(rows, scores, strict=True)), more, q, searcher)


def count(directory: Path, terms: list[str], types: list[str] = ()) -> int:
    """How many records have every word of ``terms`` (of ``types``, if given)."""
    return Reader.index(directory).searcher().search(query(terms, list(types)), 1).count
