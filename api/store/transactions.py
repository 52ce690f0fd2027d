"""Write transactions on one database file, serialized across processes.

Every write is one ``BEGIN IMMEDIATE`` transaction on a fresh read-write
connection, taken under an exclusive lock file shared by every process on
the machine. SQLite's own lock already serializes writers; the lock file
also serializes WAL checkpoints (which run inside a committing writer), so
no two connections ever write or checkpoint at the same instant: the
WAL-reset bug of the SQLite versions available here cannot strike. Readers
open the file read-only and never checkpoint.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from api.store import fulltext
from api.store.connections import BUSY_TIMEOUT_S, sqlite3
from api.store.errors import Unavailable, storage_error
from api.store.layout import SCHEMA_VERSION

log = logging.getLogger("briefs")


class Transactions:
    """Transactions on one database file, and whether one could succeed now."""

    def __init__(self, path: Path, autocheckpoint: bool = True) -> None:
        self.path = Path(path)
        # Off where Litestream replicates the file: it alone checkpoints the WAL
        # (with an SQLite free of the WAL-reset bug), outside this write lock.
        self.autocheckpoint = autocheckpoint
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate transaction under the machine-wide write lock; rolled back on error.

        Storage failures (no space left, a read-only file or folder) are raised as
        ``NoSpace`` or ``Unavailable`` naming the cause, never as what a failed
        rollback says afterwards.
        """
        try:
            lock = open(self.lock_path, "a")
        except OSError as exc:
            translated = storage_error(exc)
            if translated is exc:
                raise
            raise translated from exc
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            conn = None
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                if not self.autocheckpoint:
                    conn.execute("PRAGMA wal_autocheckpoint = 0")
                conn.execute("BEGIN IMMEDIATE")
                layout = conn.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()
                if layout is None or layout[0] != SCHEMA_VERSION:
                    conn.execute("ROLLBACK")
                    raise Unavailable(
                        "The database was built with another table layout: run 'briefs build'."
                    )
                # Checked at COMMIT: a record is re-indexed by deleting and reinserting it.
                conn.execute("PRAGMA defer_foreign_keys = ON")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    _rollback(conn)
                    raise
                self._sync_fulltext(conn)
            except (sqlite3.OperationalError, OSError) as exc:
                translated = storage_error(exc)
                if translated is exc:
                    raise
                raise translated from exc
            finally:
                if conn is not None:
                    conn.close()
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _sync_fulltext(self, conn: sqlite3.Connection) -> None:
        """Bring the full-text index up to the committed changes (under the write lock).

        The records are committed already: a failure is retried once, then
        logged; readiness reports the index behind (and catches it up) until
        the next write or start applies the changes again.
        """
        (name,) = conn.execute("SELECT value FROM meta WHERE key = 'fulltext'").fetchone()
        for attempt in (1, 2):
            try:
                fulltext.sync(self.path.parent / name, conn)
                return
            except Exception:
                if attempt == 2:
                    log.exception("the full-text index could not be updated; it will be retried")
                else:
                    time.sleep(0.05)

    def storage_problem(self, min_free_bytes: int) -> str | None:
        """Why a write could not succeed now (no space, no lock file, no write access), or None."""
        folder = self.path.parent
        try:
            free = shutil.disk_usage(folder).free
        except OSError as exc:
            return f"cannot inspect {folder}: {exc.strerror}"
        if free < min_free_bytes:
            return f"only {free} bytes are free on the device holding {folder}"
        if not os.access(folder, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            return f"{folder} or {self.path.name} is not writable"
        try:
            with open(self.lock_path, "a"):
                pass
        except OSError as exc:
            return f"the lock file {self.lock_path} cannot be opened: {exc.strerror}"
        return None

    def sync_fulltext(self) -> None:
        """Bring the full-text index up to the committed data (see ``fulltext.sync``)."""
        with self.transaction():
            pass



def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is still open; SQLite has already rolled back after some errors
    (a full disk), and a failed ROLLBACK must not hide the error that caused it."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("rollback failed after an error", exc_info=True)
