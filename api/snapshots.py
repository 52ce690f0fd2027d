"""Consistent copies of the database for download.

The live file may hold recent writes in its WAL, and its audit tables name
the tokens that wrote. A download is a ``VACUUM INTO`` copy (consistent, and
possible from a read-only connection) with those names and the kept
Idempotency-Key responses removed, made once per data version.
"""

from __future__ import annotations

import os
from pathlib import Path

from api.db import open_readonly, sqlite3


def snapshot(db_path: Path, data_version: str) -> Path:
    """The downloadable copy of the database at ``data_version``, made if missing."""
    folder = db_path.parent / f".{db_path.name}.snapshots"
    folder.mkdir(exist_ok=True)
    target = folder / f"{data_version}.sqlite"
    if target.exists():
        return target
    partial = folder / f".{data_version}.{os.getpid()}.partial"
    partial.unlink(missing_ok=True)
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
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.execute("VACUUM")
    finally:
        copy.close()
    os.replace(partial, target)
    for old in folder.glob("*.sqlite"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
