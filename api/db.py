"""Database connections: read-only, one per thread, reopened when the file is replaced.

On a read replica (``per_request``) a connection lives for one request only:
Litestream's follower rewrites the file in place and waits for every open
connection to go (a WAL-mode connection, idle or not, holds the shared-memory
lock it needs), and a connection kept open would serve its cached pages.
Opening one adds about 0.6 ms a request (README, "Running more than one server").

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


class ReadPool:
    """One read-only connection per thread, replaced when a new build lands.

    A build renames a new file into place; a connection to the old inode
    would keep serving the old data, so each use compares the inode.
    """

    def __init__(self, path: Path, per_request: bool = False) -> None:
        self.path = Path(path)
        self.per_request = per_request
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection; with ``per_request``, a new one the caller closes."""
        if self.per_request:
            return open_readonly(self.path)
        try:
            identity = os.stat(self.path).st_ino
        except OSError as exc:
            raise Unavailable(f"no database at {self.path}: run 'briefs build'") from exc
        local = self._local
        if getattr(local, "identity", None) != identity:
            old = getattr(local, "conn", None)
            if old is not None:
                old.close()
            local.conn = open_readonly(self.path)
            local.identity = identity
        return local.conn

    def version(self) -> str:
        """The SQLite engine's version, for the start-up log."""
        return sqlite3.sqlite_version
