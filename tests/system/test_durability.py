"""Acknowledged writes survive a worker killed mid-traffic, exactly once, and intact."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import sqlite3
import threading
import time

from api.store.tokens import Tokens
from tests.helpers import DOCUMENT, SEEDS, call, children, served

CLIENTS = 4
WRITES_EACH = 12
QUOTE = "The annual trade turnover is a pitiful $700 million."


def post(port: int, body: bytes, headers: dict) -> int | None:
    """Status of one POST; None when the connection broke (the worker died)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/v1/events", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
        return None
    finally:
        conn.close()


def test_acknowledged_writes_survive_a_killed_worker(db_path, tmp_path, monkeypatch):
    db = tmp_path / "briefs.db"
    shutil.copy(db_path, db)
    _, secret = Tokens(tmp_path / "auth.db").create("durability")
    monkeypatch.setenv("BRIEFS_AUTH_DB", str(tmp_path / "auth.db"))
    monkeypatch.setenv("BRIEFS_WRITE_RATE_LIMIT", "100000/minute")
    monkeypatch.setenv("BRIEFS_ACCESS_LOG", "0")
    text = (SEEDS / f"{DOCUMENT}.txt").read_text(encoding="utf-8")
    start = text.index(QUOTE)
    source = {"document": DOCUMENT, "quote": QUOTE, "start": start, "end": start + len(QUOTE)}
    acknowledged: list[str] = []
    lock = threading.Lock()

    with served(db) as (base, master, _):
        port = int(base.rsplit(":", 1)[1])

        def client(n: int) -> None:
            for i in range(WRITES_EACH):
                title = f"Durability event {n}-{i}"
                body = json.dumps(
                    {
                        "title": title,
                        "kind": "development",
                        "date": "2010-11-29",
                        "countries": ["PK"],
                        "summary": "A write under fire.",
                        "sources": [source],
                    }
                ).encode()
                headers = {
                    "Authorization": f"Bearer {secret}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": f"durability-{n}-{i}",
                }
                deadline = time.monotonic() + 60
                seen: list = []
                while time.monotonic() < deadline:
                    status = post(port, body, headers)
                    if status == 201:
                        with lock:
                            acknowledged.append(title)
                        break
                    assert status in (None, 409, 500, 502, 503), status
                    seen.append(status)
                    time.sleep(0.05)
                else:
                    raise AssertionError(f"{title} was never acknowledged: {seen[-10:]}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        killed = 0
        while any(t.is_alive() for t in threads) and killed < 3:
            time.sleep(0.3)
            victims = children(master.pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                killed += 1
        for thread in threads:
            thread.join(timeout=120)
        assert killed >= 1
        # The full-text index kept in step: every acknowledged write is found.
        found, url = [], f"{base}/v1/search?q=durability&type=event&limit=100"
        while url:
            status, _, page = call("GET", url)
            assert status == 200, page
            found += [hit["title"] for hit in page["items"]]
            url = page["next"]
        assert sorted(found) == sorted(acknowledged)

    assert len(acknowledged) == CLIENTS * WRITES_EACH
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    titles = [r[0] for r in conn.execute("SELECT title FROM events WHERE title LIKE 'Durability%'")]
    assert sorted(titles) == sorted(acknowledged), "a write was lost or made twice"
    creates = conn.execute("SELECT count(*) FROM changes WHERE action = 'create'").fetchone()[0]
    assert creates == len(acknowledged)
    assert conn.execute(
        "SELECT count(*) FROM search WHERE type = 'event' AND title LIKE 'Durability%'"
    ).fetchone()[0] == len(acknowledged)
