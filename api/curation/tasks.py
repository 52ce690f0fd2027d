"""The intake queue: work for the worker, in a SQLite file beside the database.

``<db>.intake`` holds what the worker is to do (a page to read, a document to
extract, a feed to poll), how often each was tried, and the worker's
heartbeat. It is kept apart from the database: downloads of the data never
carry a queued page, and a rebuild of the data leaves the queue (and the
feeds) in place. The file uses SQLite's rollback journal, not WAL, so its
several writers (web workers that queue, the worker that takes) never meet
the WAL-reset bug of the SQLite engine here; every statement is short.

The public state of each job (queued, running, done, failed with a problem)
is the job record in the database (``api.curation.jobs``); a task here is
its place in the line.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from api.store.connections import sqlite3

BUSY_TIMEOUT_S = 10.0
HEARTBEAT_STALE_S = 15.0  # a worker silent longer than this is not running

SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    job TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    document TEXT,
    payload BLOB,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    owner INTEGER,
    reason TEXT,
    created REAL NOT NULL,
    started REAL
);
CREATE INDEX IF NOT EXISTS tasks_line ON tasks(state, created);
CREATE TABLE IF NOT EXISTS worker (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pid INTEGER,
    started REAL,
    beat REAL,
    done INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    killed INTEGER NOT NULL DEFAULT 0,
    problem TEXT
);
"""


_READY: set[tuple[str, str | None]] = set()  # files whose tables this process made sure of


def intake_file(db: Path) -> Path:
    """The queue's file, beside the database."""
    db = Path(db)
    return db.with_name(db.name + ".intake")


@dataclass(frozen=True)
class Task:
    job: str
    kind: str  # page, extract, feed
    document: str | None
    payload: dict | None
    attempts: int


class Tasks:
    """The intake queue of the database at ``db``."""

    def __init__(self, db: Path) -> None:
        self.path = intake_file(db)

    @contextlib.contextmanager
    def _connection(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if write:
                conn.execute("BEGIN IMMEDIATE")
            yield conn
            if write:
                conn.execute("COMMIT")
        except BaseException:
            if write and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def create(self) -> None:
        """The file and its tables, if missing (any process may be the first)."""
        _READY.discard((str(self.path), None))
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.executescript(SCHEMA)
        finally:
            conn.close()

    @contextlib.contextmanager
    def write(self, extra: str | None = None) -> Iterator[sqlite3.Connection]:
        """One immediate transaction on the queue (``extra``: more tables the caller
        keeps in the file, created once per process)."""
        ready = (str(self.path), extra)
        if ready not in _READY:
            self.create()
            if extra:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                try:
                    conn.executescript(extra)
                finally:
                    conn.close()
            _READY.add(ready)
        with self._connection(write=True) as conn:
            yield conn

    def add(self, job: str, kind: str, document: str | None, payload: dict | None) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO tasks (job, kind, document, payload, state, created) "
                "VALUES (?, ?, ?, ?, 'queued', ?)",
                (job, kind, document, _dump(payload), time.time()),
            )

    def depth(self) -> int:
        """Tasks waiting or running."""
        counts = self.counts()
        return counts["queued"] + counts["running"]

    def counts(self) -> dict[str, int]:
        found = {"queued": 0, "running": 0}
        if not self.path.exists():
            return found
        with self._connection() as conn:
            try:
                rows = conn.execute("SELECT state, count(*) FROM tasks GROUP BY state").fetchall()
            except sqlite3.OperationalError:  # no table yet
                return found
        found.update(dict(rows))
        return found

    def claim(self, pid: int) -> Task | None:
        """The next queued task, now running (tried once more), or None: a feed's poll
        first (it is short, and a feed lists only its latest entries), then the oldest."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT job, kind, document, payload, attempts FROM tasks "
                "WHERE state = 'queued' ORDER BY kind != 'feed', created LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE tasks SET state = 'running', attempts = attempts + 1, owner = ?, "
                "started = ? WHERE job = ?",
                (pid, time.time(), row[0]),
            )
        return Task(row[0], row[1], row[2], _load(row[3]), row[4] + 1)

    def running(self) -> list[tuple[Task, int | None]]:
        """Tasks marked running, with the process that runs them."""
        if not self.path.exists():
            return []
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT job, kind, document, payload, attempts, owner FROM tasks "
                "WHERE state = 'running'"
            ).fetchall()
        return [(Task(r[0], r[1], r[2], _load(r[3]), r[4]), r[5]) for r in rows]

    def requeue(self, job: str, reason: str, count: bool = True) -> None:
        """Back in line (at its old place); ``count=False`` gives the attempt back."""
        with self.write() as conn:
            conn.execute(
                "UPDATE tasks SET state = 'queued', owner = NULL, reason = ?, "
                "attempts = attempts - ? WHERE job = ?",
                (reason, 0 if count else 1, job),
            )

    def finish(self, job: str) -> None:
        """Out of the line: done or failed (the job record says which)."""
        with self.write() as conn:
            conn.execute("DELETE FROM tasks WHERE job = ?", (job,))

    def beat(self, pid: int, started: float, problem: str | None = None, **counts: int) -> None:
        """The worker's heartbeat, with what it has done since it started and what it
        cannot do (``problem``: HTML pages cannot be read)."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO worker (id, pid, started, beat, problem) VALUES (1, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, beat = excluded.beat, "
                "started = excluded.started, problem = excluded.problem",
                (pid, started, time.time(), problem),
            )
            for name, value in counts.items():
                conn.execute(f"UPDATE worker SET {name} = {name} + ? WHERE id = 1", (value,))

    def status(self) -> dict:
        """Whether the worker runs, and how deep the line is."""
        counts = self.counts()
        beat = None
        if self.path.exists():
            with self._connection() as conn:
                try:
                    beat = conn.execute(
                        "SELECT pid, started, beat, done, failed, killed, problem FROM worker"
                    ).fetchone()
                except sqlite3.OperationalError:
                    beat = None
        age = None if beat is None else max(0.0, time.time() - beat[2])
        running = age is not None and age <= HEARTBEAT_STALE_S
        return {
            "worker": "running" if running else "stopped",
            "heartbeat_age": None if age is None else round(age, 3),
            "queued": counts["queued"],
            "running": counts["running"],
            "done": beat[3] if beat else 0,
            "failed": beat[4] if beat else 0,
            "killed": beat[5] if beat else 0,
            "problem": beat[6] if beat and running else None,
        }


def _dump(payload: dict | None) -> bytes | None:
    return None if payload is None else orjson.dumps(payload)


def _load(raw: bytes | None) -> dict | None:
    return None if raw is None else orjson.loads(raw)
