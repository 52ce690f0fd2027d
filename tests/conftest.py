"""Layered fixtures: a built database -> app -> client / runner."""

from __future__ import annotations

import shutil
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
