"""Layered fixtures: a built database -> app -> client; a writable copy with a token.

Helpers that are not fixtures live in ``tests.helpers``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api import create_app
from api.build.database import build
from tests.helpers import FIXTURES, SEEDS, writable_app

SYSTEM = ("system", "browser")  # folders whose tests start processes: marked slow


def pytest_collection_modifyitems(config, items) -> None:
    """Tests that start servers, workers or browsers are ``slow``: ``make test-fast``
    leaves them out, ``make test`` runs them all."""
    for item in items:
        folder = Path(item.fspath).parent.name
        if folder in SYSTEM:
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture
def writable(db_path, tmp_path):
    """(client, auth headers, tokens, db): an app over a private copy of the database
    and a token for every resource."""
    app, db, tokens = writable_app(db_path, tmp_path)
    _, secret = tokens.create("tester")
    return app.test_client(), {"Authorization": f"Bearer {secret}"}, tokens, db
