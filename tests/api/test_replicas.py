"""Replica mode and the primary's side of replication, without Litestream running.

The replicated deployment itself (Litestream, haproxy, kills, a rebuild) is
checked by ``make test-cluster`` (tests/system/cluster.py).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from api import create_app
from api.cli import main
from api.ops import follower

PRIMARY = "https://primary.example.org"


@pytest.fixture
def replica_db(db_path, tmp_path) -> Path:
    """A replica's copy as Litestream restores it: the file alone, no full-text index."""
    copy = tmp_path / "replica" / "briefs.db"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    with open(copy, "r+b") as f:  # the primary's header: WAL mode
        f.seek(18)
        f.write(b"\x02\x02")
    Path(f"{copy}-txid").write_text("0000000000000001\n")
    return copy


def replica_app(db: Path):
    return create_app(
        {
            "DB": str(db),
            "AUTH_DB": str(db.with_name("auth.db")),
            "TESTING": True,
            "ACCESS_LOG": False,
            "REPLICA": True,
            "PRIMARY_URL": PRIMARY,
            "REPLICA_MAX_LAG": 2,
        }
    )


def index_dirs(db: Path) -> list[Path]:
    return list(db.parent.glob(f"{db.name}.fulltext-*"))


def test_replica_writes_nothing_at_start_and_is_not_ready_without_its_index(replica_db):
    before = replica_db.read_bytes()
    client = replica_app(replica_db).test_client()
    assert index_dirs(replica_db) == []  # a primary would build it at start
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "being restored" in response.get_json()["detail"]  # no WAL-mode reader opens it
    follower.to_rollback_journal(replica_db)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "full-text index" in response.get_json()["detail"]
    assert replica_db.read_bytes()[28:] == before[28:]
    assert not Path(f"{replica_db}-wal").exists() or Path(f"{replica_db}-wal").stat().st_size == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/v1/agreements"), ("PATCH", "/v1/events/x"), ("DELETE", "/v1/meetings/x")],
)
def test_replica_answers_writes_503_naming_the_primary(replica_db, method, path):
    response = replica_app(replica_db).test_client().open(path, method=method, json={"a": 1})
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert PRIMARY in body["detail"]
    assert body["primary"] == f"{PRIMARY}{path}"
    assert response.headers["Retry-After"] == "1"


def test_follower_builds_the_local_index_and_readiness_reports_the_position(replica_db):
    client = replica_app(replica_db).test_client()
    beat = follower.Follower(replica_db, "file:///nowhere")
    beat.index_once()
    beat.beat(None)
    assert len(index_dirs(replica_db)) == 1
    response = client.get("/readyz")
    assert response.status_code == 200
    position = response.get_json()["replication"]
    assert position["change_seq"] == position["index_seq"] == 0
    assert 0 <= position["follower_age"] < 2
    assert position["applied_age"] is not None
    assert client.get("/v1/search?q=trade").get_json()["items"]
    assert client.get("/healthz").get_json()["replication"] is None


def _add_change(db: Path) -> None:
    """A change written into the file as Litestream's follower does: page 1's change
    counter left as it was, so only a connection opened afresh is sure to see it."""
    with open(db, "rb") as f:
        header = f.read(100)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO changes (at, actor, action, resource, record_id, before, after) "
        "VALUES ('2026-01-01T00:00:00Z', '', 'create', 'agreements', 'x', NULL, NULL)"
    )
    conn.commit()
    conn.close()
    with open(db, "r+b") as f:
        f.seek(24)
        f.write(header[24:28])
    time.sleep(0.01)  # a later modification time than the read before


def test_readiness_fails_when_the_follower_is_silent(replica_db):
    client = replica_app(replica_db).test_client()
    beat = follower.Follower(replica_db, "file:///nowhere")
    beat.index_once()
    follower.heartbeat_path(replica_db).write_text(json.dumps({"at": time.time() - 10}))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "silent" in response.get_json()["detail"]


def test_readiness_fails_when_the_index_stays_behind_and_recovers_when_it_catches_up(
    replica_db,
):
    client = replica_app(replica_db).test_client()
    beat = follower.Follower(replica_db, "file:///nowhere")
    beat.index_once()
    _add_change(replica_db)  # replicated, not yet indexed
    follower.heartbeat_path(replica_db).write_text(
        json.dumps({"at": time.time(), "behind_since": time.time() - 10})
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["replication"]["change_seq"] == 1
    assert response.get_json()["replication"]["index_seq"] == 0
    beat.index_once()
    beat.beat(None)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["replication"]["index_seq"] == 1


def test_replica_reads_a_replicated_change_on_the_next_request(replica_db):
    follower.to_rollback_journal(replica_db)
    client = replica_app(replica_db).test_client()
    assert client.get("/v1/changes").get_json()["items"] == []
    _add_change(replica_db)
    assert len(client.get("/v1/changes").get_json()["items"]) == 1


def test_download_leaves_out_litestreams_tables(db_path, tmp_path):
    copy = tmp_path / "primary" / "briefs.db"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    shutil.copytree(
        next(db_path.parent.glob(f"{db_path.name}.fulltext-*")),
        copy.parent / next(db_path.parent.glob(f"{db_path.name}.fulltext-*")).name,
    )
    conn = sqlite3.connect(copy)
    conn.execute("CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)")
    conn.execute("CREATE TABLE _litestream_lock (id INTEGER)")
    conn.commit()
    conn.close()
    client = create_app({"DB": str(copy), "TESTING": True, "ACCESS_LOG": False}).test_client()
    response = client.get("/v1/dataset.sqlite")
    assert response.status_code == 200
    download = tmp_path / "download.sqlite"
    download.write_bytes(response.get_data())
    response.close()
    names = {
        row[0] for row in sqlite3.connect(download).execute("SELECT name FROM sqlite_master")
    }
    assert "agreements" in names
    assert not {n for n in names if n.startswith("_litestream")}


def test_rebuild_refuses_a_replica_it_cannot_empty(db_path, tmp_path):
    copy = tmp_path / "briefs.db"
    shutil.copyfile(db_path, copy)
    before = copy.read_bytes()
    config = tmp_path / "litestream.yml"
    config.write_text(f"dbs:\n  - path: {copy}\n    replica:\n      url: s3://bucket/briefs\n")
    result = CliRunner().invoke(main, ["rebuild", "--replicate", str(config), "--db", str(copy)])
    assert result.exit_code == 1
    assert "s3 replica" in result.output
    assert copy.read_bytes() == before


def test_rebuild_names_a_config_without_the_database(db_path, tmp_path):
    config = tmp_path / "litestream.yml"
    config.write_text("dbs:\n  - path: /elsewhere.db\n    replica:\n      path: /tmp/x\n")
    result = CliRunner().invoke(
        main, ["rebuild", "--replicate", str(config), "--db", str(tmp_path / "briefs.db")]
    )
    assert result.exit_code == 1
    assert "replicates no database" in result.output


def test_build_refuses_a_database_being_replicated(db_path, tmp_path):
    import os

    from api.ops import litestream

    copy = tmp_path / "briefs.db"
    shutil.copyfile(db_path, copy)
    before = copy.read_bytes()
    litestream.pid_file(copy).write_text(f"{os.getpid()}\n")  # a live `briefs replicate`
    result = CliRunner().invoke(main, ["build", "--db", str(copy)])
    assert result.exit_code == 1
    assert "briefs rebuild --replicate" in result.output
    assert copy.read_bytes() == before
