"""Feeds: RSS and Atom polled by the worker, each new entry's page stored as a document.

A feed lives in the intake file beside the database (``api.curation.tasks``),
so a rebuild of the data keeps it. The worker, when idle, queues a poll of
each feed that is due (``schedule``). A poll (``poll``, in a job's process)
fetches the feed with a conditional GET (ETag, Last-Modified), reads it with
feedparser (pinned), and queues one ``entry`` job per entry it has not seen.
An entry job (``read_entry``) skips a URL already stored, fetches the page
(bounded: ``api.curation.fetch``), takes its text, skips a text already
stored, and recognises a reprint: a text whose MinHash (datasketch, pinned)
is close to a stored document's is recorded as that document's reprint, not
stored again. A new document gets an extraction job; its drafts wait on the
desk. A feed that fails backs off (its interval doubled per failure, up to a
day) and shows its last error.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from pathlib import Path

import numpy as np

from api import config
from api.curation import fetch
from api.curation.documents import BadDocument, page_text
from api.curation.tasks import Tasks
from api.store.connections import open_readonly
from api.store.errors import Conflict, WriteError
from api.store.writer import Writer

log = logging.getLogger("briefs")
MIN_EVERY_S = 10
MAX_BACKOFF_S = 86400
ENTRIES_PER_POLL = 100  # the newest; the rest wait for the next poll
RECENT = 20  # entries a feed's record shows
REPRINT_SIMILARITY = 0.6  # estimated Jaccard similarity of word 5-grams
PERMUTATIONS = 128
ACTOR = "feeds"
RIGHTS = "Published at its URL; held unchanged so that citations can be verified against it."

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    every INTEGER NOT NULL,
    title TEXT,
    created REAL NOT NULL,
    created_by TEXT,
    etag TEXT,
    last_modified TEXT,
    last_poll REAL,
    next_poll REAL NOT NULL,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed TEXT NOT NULL,
    key TEXT NOT NULL,
    url TEXT,
    title TEXT,
    state TEXT NOT NULL,
    document TEXT,
    similarity REAL,
    detail TEXT,
    seen REAL NOT NULL,
    PRIMARY KEY (feed, key)
);
CREATE INDEX IF NOT EXISTS feed_entries_seen ON feed_entries(feed, seen);
CREATE TABLE IF NOT EXISTS sketches (document TEXT PRIMARY KEY, sketch BLOB NOT NULL);
"""


class FeedError(ValueError):
    """A feed that cannot be added (its URL is not one, or is added already)."""

    def __init__(self, detail: str, status: int = 422, existing: str | None = None) -> None:
        super().__init__(detail)
        self.detail, self.status, self.existing = detail, status, existing


class NoFeed(LookupError):
    """No feed by that id."""


def parse_every(value: str | int) -> int:
    """Seconds from ``30m``, ``2h``, ``1d``, ``45s`` or a number of seconds."""
    if isinstance(value, int):
        seconds = value
    else:
        found = re.fullmatch(r"\s*(\d{1,7})\s*([smhd]?)\s*", str(value))
        if not found:
            raise FeedError(f"{value!r} is not an interval such as 30m, 2h or 1d.")
        seconds = (
            int(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[found.group(2)]
        )
    if not MIN_EVERY_S <= seconds <= 7 * 86400:
        raise FeedError(f"A feed is polled every {MIN_EVERY_S} s to 7 days.")
    return seconds


class Feeds:
    """The feeds of the database at ``db``."""

    def __init__(self, db: Path) -> None:
        self.db = Path(db)
        self.tasks = Tasks(self.db)

    def _write(self):
        return self.tasks.write(extra=SCHEMA)

    def add(self, url: str, every: int, actor: str) -> dict:
        with self._write() as conn:
            found = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if found:
                raise FeedError(f"This feed is polled already, as {found[0]!r}.", 409, found[0])
            feed_id = "f" + secrets.token_hex(4)
            conn.execute(
                "INSERT INTO feeds (id, url, every, created, created_by, next_poll) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (feed_id, url, every, time.time(), actor, time.time()),
            )
        return self.get(feed_id)

    def remove(self, feed_id: str) -> None:
        with self._write() as conn:
            if conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)).rowcount == 0:
                raise NoFeed(feed_id)
            conn.execute("DELETE FROM feed_entries WHERE feed = ?", (feed_id,))

    def all(self) -> list[dict]:
        with self._write() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM feeds ORDER BY created, id")]
            return [self._record(conn, i) for i in ids]

    def get(self, feed_id: str) -> dict:
        with self._write() as conn:
            return self._record(conn, feed_id)

    def _record(self, conn, feed_id: str) -> dict:
        row = conn.execute(
            "SELECT id, url, every, title, created, last_poll, next_poll, last_error, failures "
            "FROM feeds WHERE id = ?",
            (feed_id,),
        ).fetchone()
        if row is None:
            raise NoFeed(feed_id)
        counts = dict(
            conn.execute(
                "SELECT state, count(*) FROM feed_entries WHERE feed = ? GROUP BY state",
                (feed_id,),
            ).fetchall()
        )
        recent = conn.execute(
            "SELECT url, title, state, document, similarity, detail, seen FROM feed_entries "
            "WHERE feed = ? ORDER BY seen DESC, rowid DESC LIMIT ?",
            (feed_id, RECENT),
        ).fetchall()
        return {
            "id": row[0],
            "url": row[1],
            "every": row[2],
            "title": row[3],
            "created": _iso(row[4]),
            "last_poll": _iso(row[5]),
            "next_poll": _iso(row[6]),
            "last_error": row[7],
            "failures": row[8],
            "entries": {s: counts.get(s, 0) for s in ENTRY_STATES},
            "recent": [
                {
                    "url": r[0],
                    "title": r[1],
                    "state": r[2],
                    "document": r[3],
                    "similarity": r[4],
                    "detail": r[5],
                    "seen": _iso(r[6]),
                }
                for r in recent
            ],
        }

    # --- the worker's side -------------------------------------------------------

    def due(self, now: float) -> list[str]:
        with self._write() as conn:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM feeds WHERE next_poll <= ? AND id NOT IN "
                    "(SELECT document FROM tasks WHERE kind = 'feed')",
                    (now,),
                )
            ]

    def polled(self, feed_id: str, fetched: fetch.Fetched | None, title: str | None) -> None:
        now = time.time()
        with self._write() as conn:
            row = conn.execute("SELECT every FROM feeds WHERE id = ?", (feed_id,)).fetchone()
            if row is None:
                return
            conn.execute(
                "UPDATE feeds SET last_poll = ?, next_poll = ?, last_error = NULL, failures = 0, "
                "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                "title = coalesce(?, title) WHERE id = ?",
                (
                    now,
                    now + row[0],
                    fetched.etag if fetched else None,
                    fetched.last_modified if fetched else None,
                    title,
                    feed_id,
                ),
            )

    def failed(self, feed_id: str, error: str) -> None:
        now = time.time()
        with self._write() as conn:
            row = conn.execute(
                "SELECT every, failures FROM feeds WHERE id = ?", (feed_id,)
            ).fetchone()
            if row is None:
                return
            failures = row[1] + 1
            wait = min(row[0] * 2**failures, MAX_BACKOFF_S)
            conn.execute(
                "UPDATE feeds SET last_poll = ?, next_poll = ?, last_error = ?, failures = ? "
                "WHERE id = ?",
                (now, now + wait, error[:500], failures, feed_id),
            )

    def conditional(self, feed_id: str) -> tuple[str, str | None, str | None] | None:
        with self._write() as conn:
            return conn.execute(
                "SELECT url, etag, last_modified FROM feeds WHERE id = ?", (feed_id,)
            ).fetchone()

    def new_entries(self, feed_id: str, entries: list[dict]) -> list[dict]:
        """The entries not seen before, now recorded as queued (each with its job)."""
        fresh = []
        now = time.time()
        with self._write() as conn:
            for entry in entries:
                done = conn.execute(
                    "INSERT OR IGNORE INTO feed_entries (feed, key, url, title, state, seen) "
                    "VALUES (?, ?, ?, ?, 'queued', ?)",
                    (feed_id, entry["key"], entry["url"], entry["title"], now),
                )
                if done.rowcount:
                    job = "e" + secrets.token_hex(8)
                    conn.execute(
                        "INSERT INTO tasks (job, kind, document, payload, state, created) "
                        "VALUES (?, 'entry', ?, ?, 'queued', ?)",
                        (job, feed_id, _dumps({**entry, "feed": feed_id}), now),
                    )
                    fresh.append(entry)
        return fresh

    def entry_done(
        self,
        feed_id: str,
        key: str,
        state: str,
        document: str | None = None,
        detail: str | None = None,
        similarity: float | None = None,
    ) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE feed_entries SET state = ?, document = ?, detail = ?, similarity = ? "
                "WHERE feed = ? AND key = ?",
                (state, document, detail, similarity, feed_id, key),
            )

    # --- near duplicates ---------------------------------------------------------

    def reprint_of(self, text: str) -> tuple[str, float] | None:
        """The stored document this text reprints (and how alike), if any."""
        mine = sketch(text)
        with self._write() as conn:
            rows = conn.execute("SELECT document, sketch FROM sketches").fetchall()
        if not rows:
            return None
        stored = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint64)
        alike = (stored.reshape(len(rows), PERMUTATIONS) == mine).mean(axis=1)
        best = int(alike.argmax())
        if alike[best] >= REPRINT_SIMILARITY:
            return rows[best][0], round(float(alike[best]), 3)
        return None

    def remember(self, document: str, text: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sketches (document, sketch) VALUES (?, ?)",
                (document, sketch(text).tobytes()),
            )

    def sketch_stored(self) -> int:
        """Sketch the stored documents not sketched yet (those added by other ways)."""
        with self._write() as conn:
            have = {r[0] for r in conn.execute("SELECT document FROM sketches")}
        conn = open_readonly(self.db)
        try:
            missing = [
                (i, t)
                for i, t in conn.execute("SELECT id, text FROM document_texts")
                if i not in have
            ]
        finally:
            conn.close()
        for document, text in missing:
            self.remember(document, text)
        return len(missing)


ENTRY_STATES = ("queued", "stored", "duplicate", "reprint", "failed")


def sketch(text: str) -> np.ndarray:
    """The MinHash of a text's word 5-grams (lower-cased words)."""
    from datasketch import MinHash

    words = re.findall(r"\w+", text.lower())
    grams = {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}
    minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
    minhash.update_batch(list(grams))
    return minhash.hashvalues.astype(np.uint64)


def schedule(db: Path, tasks: Tasks, now: float | None = None) -> int:
    """Queue a poll of every feed that is due (and not queued already)."""
    feeds = Feeds(db)
    due = feeds.due(now or time.time())
    for feed_id in due:
        tasks.add("p" + secrets.token_hex(8), "feed", feed_id, {"feed": feed_id})
    return len(due)


def poll(db: Path, feed_id: str, limits: fetch.Limits | None = None) -> int:
    """Fetch and read one feed; queue its new entries. Returns how many were new."""
    import feedparser

    feeds = Feeds(db)
    found = feeds.conditional(feed_id)
    if found is None:
        return 0
    url, etag, modified = found
    limits = limits or fetch.Limits.from_settings(config.from_environment())
    try:
        fetched = fetch.fetch(url, limits, etag, modified)
        if fetched.status == 304:
            feeds.polled(feed_id, fetched, None)
            return 0
        parsed = feedparser.parse(fetched.body, response_headers={"content-location": url})
        if not parsed.entries and (parsed.bozo or not parsed.feed):
            reason = getattr(parsed, "bozo_exception", None) or "no entries"
            raise fetch.FetchError(f"{url} is not an RSS or Atom feed: {reason}.")
    except fetch.FetchError as exc:
        feeds.failed(feed_id, exc.detail)
        return 0
    entries = []
    # feeds list the newest first: the newest ENTRIES_PER_POLL, taken oldest first, so
    # that an original is stored before its reprints
    for item in reversed(parsed.entries[:ENTRIES_PER_POLL]):
        link = item.get("link")
        if not link or not str(link).startswith(("http://", "https://")):
            continue
        published = None
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        if stamp:
            published = time.strftime("%Y-%m-%d", stamp)
        entries.append(
            {
                "key": str(item.get("id") or link)[:2000],
                "url": str(link)[:2000],
                "title": " ".join(str(item.get("title") or "").split())[:300] or None,
                "published": published,
                "publisher": parsed.feed.get("title") or None,
            }
        )
    new = feeds.new_entries(feed_id, entries)
    feeds.polled(feed_id, fetched, parsed.feed.get("title"))
    return len(new)


def read_entry(db: Path, entry: dict, limits: fetch.Limits | None = None) -> str:
    """Fetch one entry's page and store it, unless stored already or a reprint.

    Returns the entry's state: stored, duplicate, reprint or failed.
    """
    from api.curation import queue
    from api.curation.intake import Intake, metadata_for

    feeds = Feeds(db)
    feed_id, key = entry["feed"], entry["key"]
    intake = Intake(db, f"feed:{feed_id}")
    same = intake.same_url(entry["url"])
    if same:
        feeds.entry_done(feed_id, key, "duplicate", same, "the same URL is stored already")
        return "duplicate"
    limits = limits or fetch.Limits.from_settings(config.from_environment())
    try:
        fetched = fetch.fetch(entry["url"], limits)
        html = fetched.text()
        text = page_text(html)
    except (fetch.FetchError, BadDocument) as exc:
        feeds.entry_done(feed_id, key, "failed", None, exc.detail)
        return "failed"
    same = intake.same_text(text)
    if same:
        feeds.entry_done(feed_id, key, "duplicate", same, "the same text is stored already")
        return "duplicate"
    feeds.sketch_stored()
    reprint = feeds.reprint_of(text)
    if reprint:
        feeds.entry_done(feed_id, key, "reprint", reprint[0], "a reprint", reprint[1])
        return "reprint"
    given = {
        "title": entry.get("title") or _host(entry["url"]),
        "published": entry.get("published"),
        "publisher": entry.get("publisher") or _host(entry["url"]),
        "url": entry["url"],
        "rights": RIGHTS,
    }
    metadata = metadata_for(None, given)
    try:
        written = Writer(db).create_document(metadata, text, html, f"feed:{feed_id}")
    except Conflict as exc:
        existing = exc.extensions.get("existing")
        if existing:
            feeds.entry_done(feed_id, key, "duplicate", existing, "the same text is stored")
            return "duplicate"
        try:  # the id (year and title) is taken by another story: a suffix of the key
            metadata["title"] = f"{metadata['title']} ({secrets.token_hex(2)})"
            written = Writer(db).create_document(metadata, text, html, f"feed:{feed_id}")
        except WriteError as again:
            feeds.entry_done(feed_id, key, "failed", None, again.detail)
            return "failed"
    except WriteError as exc:
        feeds.entry_done(feed_id, key, "failed", None, exc.detail)
        return "failed"
    feeds.remember(written.id, text)
    feeds.entry_done(feed_id, key, "stored", written.id)
    try:
        queue.submit(db, written.id, limit=10**9)  # its drafts wait on the desk
    except WriteError as exc:
        log.warning("the extraction of %s was not queued: %s", written.id, exc.detail)
    return "stored"


def entry_failed(db: Path, entry: dict, why: str) -> None:
    Feeds(db).entry_done(entry["feed"], entry["key"], "failed", None, why)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or "Unknown"


def _iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


def _dumps(value) -> bytes:
    import orjson

    return orjson.dumps(value)
