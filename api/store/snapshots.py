"""Consistent copies of the database for download.

The live file may hold recent writes in its WAL, and its audit tables name
the tokens that wrote. A download is a ``VACUUM INTO`` copy (consistent, and
possible from a read-only connection) with those names and the kept
Idempotency-Key responses and Litestream's tables removed, made once per data version.

An anonymous GET must not be able to fill the disk or keep the machine busy:
one copy is made at a time on the machine (a second request meanwhile is told
to retry), only when the free space is several times the database's size, and
a copy that fails leaves no partial file behind. Under gevent the copy runs in
a thread of gevent's pool, so the worker keeps answering other requests.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from pathlib import Path

from api.processes import pid_alive
from api.store.connections import open_readonly, sqlite3

# Litestream's own bookkeeping (_litestream_seq, _litestream_lock) on a replicated file
LITESTREAM_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_litestream\\_%' "
    "ESCAPE '\\'"
)
ROOM_FACTOR = 3  # a copy needs up to twice the database's size, plus a margin


class Busy(Exception):
    """The snapshot cannot be made now; ``retry_after`` says when to ask again."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


def snapshot(db_path: Path, data_version: str) -> Path:
    """The downloadable copy of the database at ``data_version``, made if missing.

    Raises Busy when another copy is being made or the disk has too little room.
    """
    folder = db_path.parent / f".{db_path.name}.snapshots"
    folder.mkdir(exist_ok=True)
    target = folder / f"{data_version}.sqlite"
    if target.exists():
        return target
    with open(folder / ".lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy("The download is being prepared; ask again shortly.", 5) from None
        try:
            if target.exists():  # made while this request waited
                return target
            _remove_stale(folder)
            size = sum(
                p.stat().st_size
                for p in (db_path, Path(f"{db_path}-wal"))
                if p.exists()
            )
            free = shutil.disk_usage(folder).free
            if free < ROOM_FACTOR * size:
                raise Busy(
                    f"Too little disk space to prepare the download ({free} bytes free, "
                    f"{ROOM_FACTOR * size} needed).",
                    300,
                )
            _off_the_loop(_make, db_path, folder, target)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    for old in folder.glob("*.sqlite"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def _make(db_path: Path, folder: Path, target: Path) -> None:
    partial = folder / f".{target.stem}.{os.getpid()}.partial"
    partial.unlink(missing_ok=True)
    try:
        source = open_readonly(db_path, query_only=False)
        try:
            source.execute("VACUUM INTO ?", (str(partial),))
        finally:
            source.close()
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            copy.execute("DELETE FROM idempotency")
            # Review work is private to curators: drafts and jobs are not published.
            copy.execute("DELETE FROM drafts")
            copy.execute("DELETE FROM jobs")
            copy.execute("UPDATE changes SET actor = ''")
            copy.execute("UPDATE tombstones SET actor = ''")
            for (table,) in copy.execute(LITESTREAM_TABLES).fetchall():
                copy.execute(f'DROP TABLE "{table}"')
            copy.execute("PRAGMA journal_mode = DELETE")
            copy.execute("VACUUM")
        finally:
            copy.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise Busy(f"The download could not be prepared: {exc}.", 60) from exc
    finally:
        partial.unlink(missing_ok=True)
        Path(f"{partial}-journal").unlink(missing_ok=True)


def _remove_stale(folder: Path) -> None:
    """Delete partial copies whose process is gone."""
    for path in folder.glob(".*.partial"):
        pid = path.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not pid_alive(int(pid)):
            path.unlink(missing_ok=True)


def _off_the_loop(func, *args) -> None:
    """Call ``func``; under gevent in a real thread, so other greenlets keep running."""
    if "gevent.monkey" in sys.modules:
        from gevent import get_hub, monkey

        if monkey.is_module_patched("socket"):
            get_hub().threadpool.apply(func, args)
            return
    func(*args)
