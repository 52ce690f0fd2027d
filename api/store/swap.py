"""A rebuilt database and its full-text index swapped into place under the write lock."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from api.processes import pid_alive
from api.store import fulltext
from api.store.connections import BUSY_TIMEOUT_S, sqlite3
from api.store.transactions import Transactions


class Swap(Transactions):
    """Builds replacing the file the transactions write to."""

    def fulltext_name(self, dataset_version: str) -> str:
        """The name of the full-text index directory of a build (kept in its meta)."""
        return f"{self.path.name}.fulltext-{dataset_version}"

    def fulltext_tmp(self) -> Path:
        """Where this process builds a full-text index before ``replace_with``."""
        return self.path.with_name(f".{self.path.name}.fulltext-{os.getpid()}.tmp")

    def replace_with(
        self,
        new_file: Path,
        new_index: Path,
        index_name: str,
        guard: Callable[[], None] | None = None,
    ) -> str:
        """Rename a freshly built database and its full-text index into place, under the lock.

        ``guard`` runs first, under the lock, so no write can land between its
        check and the swap; it raises to refuse the swap. The change feed's
        numbering carries on from the old file's high-water mark, so a follower
        never sees sequence numbers go backwards for this path. The index goes
        under ``index_name`` unless a directory of that name exists (the old file
        may be reading it): then under a fresh name, written into the new file's
        meta, so each file always names an index that matches it, whichever
        instant a killed build stops at. The old file's WAL is checkpointed and
        truncated, and its -wal and -shm files removed, so they can never be
        applied to the new file; other builds' index directories are removed
        afterwards. Returns the index name used.
        """
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if guard is not None:
                    guard()
                high_water = 0
                if self.path.exists():
                    conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
                    try:
                        high_water = _high_water(conn)
                        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    finally:
                        conn.close()
                if self.path.with_name(index_name).exists():
                    index_name = f"{index_name}-{time.time_ns():x}"
                new = sqlite3.connect(new_file, isolation_level=None)
                try:
                    new.execute("BEGIN IMMEDIATE")
                    new.execute("DELETE FROM sqlite_sequence WHERE name = 'changes'")
                    new.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES ('changes', ?)",
                        (max(high_water, _high_water(new)),),
                    )
                    new.execute("UPDATE meta SET value = ? WHERE key = 'fulltext'", (index_name,))
                    new.execute("COMMIT")
                finally:
                    new.close()
                new_index.rename(self.path.with_name(index_name))
                os.replace(new_file, self.path)
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                fulltext.remove_others(self.path.parent, self.path.name, index_name)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return index_name

    def remove_leftovers(self) -> list[Path]:
        """Delete what killed builds left beside the file: temporary databases and indexes.

        Only those whose process (the pid in their name) is gone; returns what was removed.
        """
        removed = []
        for path in self.path.parent.glob(f".{self.path.name}.*"):
            stem, dot, suffix = path.name.rpartition(".")
            if not dot or suffix not in ("tmp", "old"):
                continue
            pid = stem.rpartition(".")[2].rpartition("-")[2]
            if not pid.isdigit() or pid_alive(int(pid)):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
        return removed


def _high_water(conn) -> int:
    """The highest change number a database has ever given (deleted rows included)."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0), "
        "coalesce((SELECT max(seq) FROM changes), 0))"
    ).fetchone()
    return int(row[0])
