"""Layered fixtures: a built database -> app -> client / runner."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from api import create_app
from api.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"
DOCUMENT = "pakistan-russia-relations-a-new-beginning"


@pytest.fixture(scope="session")
def db_path(tmp_path_factory) -> Path:
    """The database built from the real seeds and fixtures."""
    path = tmp_path_factory.mktemp("db") / "briefs.db"
    build(SEEDS, FIXTURES, path)
    return path


@pytest.fixture(scope="session")
def app(db_path):
    return create_app({"DB": str(db_path), "TESTING": True, "ACCESS_LOG": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def inputs(tmp_path) -> tuple[Path, Path]:
    """A private copy of seeds/ and fixtures/ that a test may break."""
    seeds, fixtures = tmp_path / "seeds", tmp_path / "fixtures"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(FIXTURES, fixtures)
    return seeds, fixtures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(db: Path, log: Path | None = None, **env: str):
    """``gunicorn 'api:create_app()'`` with the project's config, on a free port.

    Its output goes to ``log`` (a file, never an unread pipe a busy server could
    fill); ``env`` adds BRIEFS_ settings. Yields (base URL, process, log) and stops
    the server afterwards.
    """
    port = free_port()
    log = log or db.with_name(f"gunicorn-{port}.log")
    settings = {**os.environ, "BRIEFS_DB": str(db), "BRIEFS_BIND": f"127.0.0.1:{port}", **env}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "api:create_app()"],
            cwd=ROOT,
            env=settings,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/readyz", timeout=1).close()
                break
            except OSError:  # refused, reset or timed out while it starts
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    raise RuntimeError(
                        f"gunicorn did not start: {log.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.2)
        yield base, process, log
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def writable_app(db_path: Path, folder: Path, **config):
    """An app over a private copy of the built database, with its own token store.

    Rate limits are high unless ``config`` says otherwise. Returns (app, db, tokens).
    """
    from api.auth import Tokens

    db = folder / "briefs.db"
    shutil.copy(db_path, db)
    settings = {
        "DB": str(db),
        "AUTH_DB": str(folder / "auth.db"),
        "ACCESS_LOG": False,
        "WRITE_RATE_LIMIT": "1000000/minute",
        "AUTH_FAILURE_RATE_LIMIT": "1000000/minute",
        **config,
    }
    return create_app(settings), db, Tokens(folder / "auth.db")
