"""Liveness and readiness probes."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_smorest import Blueprint

from api.curation.tasks import Tasks
from api.ops import follower
from api.store import connections
from api.store.errors import WriteError
from api.store.layout import SCHEMA_VERSION
from api.web import representation
from api.web.problems import Problem
from api.web.resources.base import alternatives, strict_query
from schemas.dataset import HealthSchema, ReplicationSchema
from schemas.intake import ReadinessSchema

blp = Blueprint("health", __name__, description="Probes for orchestrators")


@blp.route("/healthz", endpoint="live")
@blp.doc(operationId="getHealth", summary="Liveness: the process answers")
@strict_query(blp)
@blp.response(200, HealthSchema)
def live(_args):
    return {
        "status": "ok",
        "dataset_version": None,
        "sqlite": connections.sqlite3.sqlite_version,
        "replication": None,
    }


@blp.route("/readyz", endpoint="ready")
@blp.doc(
    operationId="getReadiness",
    summary="Readiness: the database and its full-text index can be read",
    description="Also reports the intake worker and its line (`intake`): a stopped "
    "worker does not make the server unready, since reads do not need it.",
    responses=alternatives(503),
)
@strict_query(blp)
@blp.response(200, ReadinessSchema)
def ready(_args):
    try:
        data = representation.get_store()
        meta = data.meta()
        version = meta["dataset_version"]
        data.open_fulltext()
    except (connections.Unavailable, connections.sqlite3.Error, KeyError) as exc:
        raise Problem(
            503, f"The database is not ready: {exc}", headers={"Retry-After": "5"}
        ) from exc
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise Problem(
            503,
            f"The database has table layout {meta.get('schema_version')}, this "
            f"server needs {SCHEMA_VERSION}: run 'briefs build'.",
            headers={"Retry-After": "5"},
        )
    replication = intake = None
    if current_app.config["REPLICA"]:
        replication = _following(data)
    elif not current_app.config["READ_ONLY"]:
        _writable(data)
        intake = _intake()
    return {
        "status": "ready",
        "dataset_version": version,
        "sqlite": connections.sqlite3.sqlite_version,
        "replication": replication,
        "intake": intake,
    }


def _intake() -> dict | None:
    """The worker's heartbeat and its line (None when the line cannot be read)."""
    try:
        status = Tasks(Path(current_app.config["DB"])).status()
    except (connections.sqlite3.Error, OSError):
        return None
    return {**status, "limit": current_app.config["QUEUE_LIMIT"]}


def _following(data) -> dict:
    """A replica's position; 503 when its follower or its index lags past the limit."""
    config = current_app.config
    state = follower.status(Path(config["DB"]), data.last_change(), data.fulltext_applied())
    position = {
        "change_seq": state.change_seq,
        "index_seq": state.index_seq,
        "applied_age": state.applied_age,
        "follower_age": state.follower_age,
    }
    problem = state.problem(config["REPLICA_MAX_LAG"])
    if problem:
        raise Problem(
            503,
            f"This replica is not ready: {problem}.",
            headers={"Retry-After": "1"},
            replication=ReplicationSchema().dump(position),
        )
    return position


def _writable(data) -> None:
    """503 naming why a write would fail now, or why search lags the records."""
    writer = current_app.extensions["briefs.writer"]
    problem = writer.storage_problem(current_app.config["MIN_FREE_BYTES"])
    if problem:
        raise Problem(503, f"Writes cannot succeed: {problem}.", headers={"Retry-After": "30"})
    last = data.last_change()
    if data.fulltext_applied() < last:
        try:  # a full-text update failed after its write: catch it up now
            writer.sync_fulltext()
        except (WriteError, OSError, connections.sqlite3.Error):
            pass
        behind = last - data.fulltext_applied()
        if behind > 0:
            raise Problem(
                503,
                f"The full-text index is {behind} change(s) behind the records; "
                "search would miss them.",
                headers={"Retry-After": "5"},
            )
