"""A read replica's follower: Litestream's restore in follow mode, and the local full-text index.

``briefs follow --from URL`` (started by ``briefs serve --follow URL`` beside the
API, in the same process tree) restores the database from the replica at URL
and keeps applying what the primary commits (``litestream restore -f``). Then,
every ``interval``, it brings the replica's own full-text index (a folder beside
the database, never replicated) up to the replicated ``changes`` table, as a
write does on the primary (``fulltext.sync``), and writes a heartbeat the API's
``/readyz`` reads (``status``).

Litestream's follower cannot resume after a restart, and keeps waiting when the
replica starts over (a rebuild of the primary): in both cases this restores
afresh. It opens the database only for the moment it reads, because the
follower waits while a connection reads; and it switches the copy to
rollback-journal mode first (``to_rollback_journal``).
Nothing here knows HTTP.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from api.ops import litestream
from api.store import fulltext
from api.store.connections import Unavailable, open_readonly, rollback_journal, sqlite3

log = logging.getLogger("briefs")
SIDECARS = ("-wal", "-shm", "-txid")
CHECK_REPLICA_S = 1.0  # how often the replica is asked whether it started over


def heartbeat_path(db: Path) -> Path:
    return db.with_name(f"{db.name}.follower")


def txid_path(db: Path) -> Path:
    return Path(f"{db}-txid")


@dataclass
class Status:
    """What ``/readyz`` reports of a replica."""

    change_seq: int
    index_seq: int
    applied_age: float | None  # seconds since Litestream last applied a transaction
    follower_age: float | None  # seconds since the follower's last pass
    behind_for: float  # seconds the index has been behind the changes (0 when caught up)
    error: str | None

    def problem(self, max_lag: float) -> str | None:
        """Why the replica should not take reads, or None."""
        if self.follower_age is None:
            return "the replica's follower has not started"
        if self.follower_age > max_lag:
            return f"the replica's follower has been silent for {self.follower_age:.1f} s"
        if self.error:
            return f"the replica's follower failed: {self.error}"
        if self.behind_for > max_lag:
            return (
                f"the full-text index has been behind the records for {self.behind_for:.1f} s "
                f"(change {self.index_seq} of {self.change_seq})"
            )
        return None


def _age(path: Path, now: float) -> float | None:
    try:
        return max(0.0, now - path.stat().st_mtime)
    except OSError:
        return None


def status(db: Path, change_seq: int, index_seq: int) -> Status:
    now = time.time()
    try:
        beat = json.loads(heartbeat_path(db).read_text())
        follower_age = max(0.0, now - beat["at"])
    except (OSError, ValueError, KeyError, TypeError):
        beat, follower_age = {}, None
    since = beat.get("behind_since")
    behind_for = max(0.0, now - since) if since and index_seq < change_seq else 0.0
    return Status(
        change_seq=change_seq,
        index_seq=index_seq,
        applied_age=_age(txid_path(db), now),
        follower_age=follower_age,
        behind_for=behind_for,
        error=beat.get("error"),
    )


def to_rollback_journal(db: Path) -> None:
    """Mark a freshly restored copy as a rollback-journal database (header bytes 18-19).

    Litestream restores the primary's header, which says WAL; its follower
    writes 1, 1 there itself only when a change touches page 1. Until then a
    reader would open the copy in WAL mode and hold a lock for as long as its
    connection stays open, so the follower could apply nothing. The API opens
    no connection before this is done (``db.ReadPool``). The copy has no WAL
    to lose: Litestream wrote every page into the file.
    """
    fd = os.open(db, os.O_WRONLY)
    try:
        os.pwrite(fd, b"\x01\x01", 18)
        os.fsync(fd)
    finally:
        os.close(fd)


class Follower:
    """Litestream's follower of one replica URL, and the index kept current beside it."""

    def __init__(self, db: Path, url: str, interval: float = 0.1) -> None:
        self.db = Path(db)
        self.url = url
        self.interval = interval
        self.child: subprocess.Popen | None = None
        self.started = 0.0
        self.checked = 0.0
        self.behind_since: float | None = None
        self.index_name: str | None = None

    # --- Litestream ------------------------------------------------------------------

    def restore_afresh(self) -> None:
        """Stop the follower, delete the copy, and restore from the replica again."""
        self.stop()
        for path in [self.db, *(Path(f"{self.db}{s}") for s in SIDECARS)]:
            path.unlink(missing_ok=True)
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self.child = litestream.spawn(
            [
                litestream.binary(),
                "restore",
                "-f",
                "-follow-interval",
                f"{int(self.interval * 1000)}ms",
                "-o",
                str(self.db),
                self.url,
            ]
        )
        self.started = time.monotonic()

    def stop(self) -> None:
        if self.child is not None and self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(5)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()

    def local_txid(self) -> int | None:
        try:
            return int(txid_path(self.db).read_text().strip(), 16)
        except (OSError, ValueError):
            return None

    def replica_txid(self) -> int | None:
        """The last transaction the replica holds (None when it cannot be listed)."""
        try:
            out = subprocess.run(
                [litestream.binary(), "ltx", "-level", "all", "-json", self.url],
                env=litestream.environment(),
                capture_output=True,
                text=True,
                timeout=10,
            )
            files = json.loads(out.stdout) if out.returncode == 0 else None
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return None
        if not isinstance(files, list):
            return None
        found = [int(f["max_txid"], 16) for f in files if isinstance(f, dict) and "max_txid" in f]
        return max(found) if found else 0

    def keep_following(self) -> None:
        """Restore afresh when Litestream's follower exited or the replica started over."""
        if self.child is None or self.child.poll() is not None:
            if time.monotonic() - self.started > litestream.RESTART_DELAY_S:
                if self.child is not None:
                    log.warning("the Litestream follower exited; restoring afresh")
                self.restore_afresh()
            return
        if time.monotonic() - self.checked < CHECK_REPLICA_S:
            return
        self.checked = time.monotonic()
        local, remote = self.local_txid(), self.replica_txid()
        if local is not None and remote is not None and remote < local:
            log.warning(
                "the replica starts over (transaction %x, this copy has %x): restoring afresh",
                remote,
                local,
            )
            self.restore_afresh()

    # --- the full-text index ----------------------------------------------------------

    def index_once(self) -> None:
        """Apply the replicated changes to the local index (built when missing)."""
        if not self.db.exists() or self.local_txid() is None:
            raise Unavailable("the database is being restored")
        if not rollback_journal(self.db):
            to_rollback_journal(self.db)
        conn = open_readonly(self.db)
        try:
            (name,) = conn.execute("SELECT value FROM meta WHERE key = 'fulltext'").fetchone()
            (last,) = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()
            directory = self.db.parent / name
            try:
                behind = fulltext.applied(directory) < last
            except fulltext.Missing:
                behind = True
            if behind and self.behind_since is None:
                self.behind_since = time.time()
            if behind:
                fulltext.sync(directory, conn)
        finally:
            conn.close()
        if name != self.index_name:
            fulltext.remove_others(self.db.parent, self.db.name, name)
            self.index_name = name
        self.behind_since = None

    def beat(self, error: str | None) -> None:
        path = heartbeat_path(self.db)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(
            json.dumps({"at": time.time(), "behind_since": self.behind_since, "error": error})
        )
        os.replace(tmp, path)

    def run(self) -> None:
        """Follow until killed (or until the parent process is gone)."""
        parent = os.getppid()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        heartbeat_path(self.db).unlink(missing_ok=True)
        try:
            while os.getppid() == parent:
                error = None
                try:
                    self.keep_following()
                    self.index_once()
                except (Unavailable, sqlite3.Error, OSError, ValueError) as exc:
                    error = str(exc)
                if self.child is not None and self.child.poll() is None:
                    self.beat(error)
                time.sleep(self.interval)
        finally:
            self.stop()
