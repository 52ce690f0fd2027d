"""A read replica's HTTP side: writes are refused with a problem naming the primary."""

from __future__ import annotations

from flask import Flask, request

from api.web.problems import Problem

READS = frozenset(("GET", "HEAD", "OPTIONS"))


def init_app(app: Flask) -> None:
    """On a replica (BRIEFS_REPLICA), answer every write 503 naming BRIEFS_PRIMARY_URL."""
    if not app.config["REPLICA"]:
        return
    primary = app.config["PRIMARY_URL"].rstrip("/") or None

    @app.before_request
    def refuse_writes() -> None:
        if request.method in READS:
            return
        where = f"the primary at {primary}" if primary else "the primary"
        raise Problem(
            503,
            f"This server is a read replica: send {request.method} {request.path} to {where}.",
            headers={"Retry-After": "1"},
            primary=f"{primary}{request.full_path.rstrip('?')}" if primary else None,
        )
