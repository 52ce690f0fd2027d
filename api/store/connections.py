"""Database connections: read-only, one per thread, reopened when the file is replaced.

On a read replica the file is Litestream's follower's copy, which it rewrites in
place: a connection is reopened whenever the file or its ``-txid`` changes
(a connection's page cache would otherwise outlive the pages), and none is
opened until the follower has switched the copy to rollback-journal mode
(``api.follower``): a WAL-mode connection holds a lock for as long as it is
open, which keeps the follower from applying anything.

Every connection goes through the sqlite3 module sqlite-utils itself uses, so
one process never opens the file through two SQLite libraries (their POSIX
locks would not see each other).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import quote

from sqlite_utils.db import sqlite3

BUSY_TIMEOUT_S = 5.0


class Unavailable(Exception):
    """The database file is missing or cannot be opened."""


def open_readonly(path: Path, query_only: bool = True) -> sqlite3.Connection:
    """A read-only connection (``mode=ro`` cannot write or checkpoint).

    ``query_only`` also refuses ``VACUUM INTO``, which writes another file.
    """
    if not path.is_file():
        raise Unavailable(f"no database at {path}: run 'briefs build'")
    try:
        conn = sqlite3.connect(
            f"file:{quote(str(path.resolve()))}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            check_same_thread=False,
        )
        if query_only:
            conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise Unavailable(f"cannot open {path}: {exc}") from exc
    return conn


def rollback_journal(path: Path) -> bool:
    """Whether the file's header says rollback-journal mode (bytes 18-19 are 1, not 2: WAL)."""
    try:
        with open(path, "rb") as f:
            f.seek(18)
            return f.read(2) == b"\x01\x01"
    except OSError:
        return False


class ReadPool:
    """One read-only connection per thread, replaced when a new build lands.

    A build renames a new file into place; a connection to the old inode
    would keep serving the old data, so each use compares the inode.
    """

    def __init__(self, path: Path, replica: bool = False) -> None:
        self.path = Path(path)
        self.replica = replica
        self.txid = Path(f"{self.path}-txid")
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        try:
            found = os.stat(self.path)
            if self.replica:
                txid = os.stat(self.txid)
                identity = (found.st_ino, found.st_mtime_ns, found.st_size, txid.st_mtime_ns)
            else:
                identity = found.st_ino
        except OSError as exc:
            raise Unavailable(f"no database at {self.path}: run 'briefs build'") from exc
        local = self._local
        if getattr(local, "identity", None) != identity:
            old = getattr(local, "conn", None)
            if old is not None:
                old.close()
                local.conn = None
            if self.replica and not rollback_journal(self.path):
                raise Unavailable(f"the replica {self.path} is being restored")
            local.conn = open_readonly(self.path)
            local.identity = identity
        return local.conn

    def version(self) -> str:
        """The SQLite engine's version, for the start-up log."""
        return sqlite3.sqlite_version
