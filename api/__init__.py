"""The foreign-policy briefs API: cited data about international relations.

The parts live in subpackages, one job each: ``domain`` (what the service
knows), ``store`` (SQLite reads and writes), ``build`` (seeds and fixtures into
the database), ``briefs``, ``curation`` (drafts and the extraction queue),
``ingest`` (extraction), ``web`` (the HTTP side), ``ops`` (processes,
Litestream, the replica's follower) and ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the WSGI app; ``gunicorn 'api:create_app()'`` serves it."""
    from api.web.app import create_app as build_app

    return build_app(test_config)
