"""What a hostile client or a careless operator tried, and what now holds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from api.build import database as build_module
from api.build.database import UnexportedWrites, build
from api.store import fulltext, swap, transactions
from tests.helpers import FIXTURES, SEEDS, agreement, writable_app

DOCUMENT_TEXT_URL = "/v1/documents/pakistan-russia-relations-a-new-beginning/text"


@pytest.fixture
def writable(writable):
    """conftest's writable copy, with the seed's text (what these tests cite) for its tokens."""
    client, auth, _, db = writable
    return client, auth, db, client.get(DOCUMENT_TEXT_URL).get_data(as_text=True)


# --- 1. a build never drops a write acknowledged while it ran ------------------------


def test_item_01_build_refuses_writes_that_landed_during_it(writable, monkeypatch):
    client, auth, db, text = writable
    real_build = fulltext.build
    landed = []

    def build_index_while_a_client_writes(directory, rows, *args, **kwargs):
        # The build has checked for unexported writes; a client writes now.
        response = client.post("/v1/agreements", json=agreement(text), headers=auth)
        landed.append(response.status_code)
        return real_build(directory, rows, *args, **kwargs)

    monkeypatch.setattr(build_module.fulltext, "build", build_index_while_a_client_writes)
    with pytest.raises(UnexportedWrites) as refused:
        build(SEEDS, FIXTURES, db)
    assert landed == [201]
    assert "agreements/2010-trade-turnover-target" in str(refused.value)
    monkeypatch.setattr(build_module.fulltext, "build", real_build)
    assert client.get("/v1/agreements/2010-trade-turnover-target").status_code == 200
    found = client.get("/v1/search?q=turnover+target").get_json()["items"]
    assert "2010-trade-turnover-target" in [hit["id"] for hit in found]


# --- 2. the change feed never goes backwards for a path ------------------------------


def test_item_02_change_feed_numbers_carry_on_across_builds(writable):
    client, auth, db, text = writable
    for n in range(3):
        created = client.post(
            "/v1/agreements", json=agreement(text, title=f"Trade target {n}"), headers=auth
        )
        assert created.status_code == 201
    seen = [c["seq"] for c in client.get("/v1/changes?since=0").get_json()["items"]]
    assert len(seen) == 3
    build(SEEDS, FIXTURES, db, force=True)
    assert client.get("/v1/changes?since=0").get_json()["items"] == []
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert created.status_code == 201
    # A follower that processed up to the last number it saw still gets the new change.
    after = client.get(f"/v1/changes?since={max(seen)}").get_json()["items"]
    assert [c["id"] for c in after] == ["2010-trade-turnover-target"]
    assert after[0]["seq"] > max(seen)


# --- 3. a killed build never pairs a database with another build's index --------------


def test_item_03_a_build_killed_between_renames_leaves_a_matching_pair(writable, monkeypatch):
    client, auth, db, text = writable
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert created.status_code == 201

    real_replace = os.replace

    def killed(src, dst):
        if Path(dst) == db:
            raise KeyboardInterrupt("killed between the index rename and the database rename")
        return real_replace(src, dst)

    monkeypatch.setattr(swap.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        build(SEEDS, FIXTURES, db, force=True)
    monkeypatch.undo()
    fulltext.Reader._open.clear()  # as a worker started now would
    # The old database still reads, searches what it holds and says it is ready.
    assert client.get("/v1/agreements/2010-trade-turnover-target").status_code == 200
    found = client.get("/v1/search?q=turnover+target").get_json()["items"]
    assert "2010-trade-turnover-target" in [hit["id"] for hit in found]
    assert client.get("/readyz").status_code == 200


def test_item_03_leftovers_of_killed_builds_are_removed(writable):
    client, _, db, _ = writable
    dead = 2**22 + 12345  # above any pid_max: no such process
    left = [
        db.with_name(f".{db.name}.{dead}.tmp"),
        db.with_name(f".{db.name}.fulltext-{dead}.tmp"),
        db.with_name(f".{db.name}.fulltext-0123456789abcdef.{dead}.old"),
    ]
    left[0].write_bytes(b"half a database")
    for folder in left[1:]:
        folder.mkdir()
        (folder / "segment").write_bytes(b"x")
    alive = db.with_name(f".{db.name}.{os.getppid()}.tmp")  # a build still running
    alive.write_bytes(b"in progress")
    orphan = db.with_name(f"{db.name}.fulltext-0123456789abcdef-1")  # renamed, never used
    shutil.copytree(next(db.parent.glob(f"{db.name}.fulltext-*")), orphan)
    build(SEEDS, FIXTURES, db, force=True)
    assert [p for p in left if p.exists()] == []
    assert not orphan.exists()
    assert alive.exists()
    indexes = [p.name for p in db.parent.glob(f"{db.name}.fulltext-*")]
    assert len(indexes) == 1
    assert client.get("/readyz").status_code == 200


# --- 4. an Idempotency-Key belongs to its token, method and path ---------------------


def test_item_04_an_idempotency_key_is_bound_to_its_endpoint(writable):
    client, auth, _, text = writable
    headers = {**auth, "Idempotency-Key": "same-key"}
    body = agreement(text)
    first = client.post("/v1/agreements", json=body, headers=headers)
    assert first.status_code == 201
    elsewhere = client.post("/v1/events", json=body, headers=headers)
    assert elsewhere.status_code == 422
    assert elsewhere.content_type == "application/problem+json"
    assert "Idempotency-Key" in elsewhere.get_json()["errors"]
    assert "Location" not in elsewhere.headers
    again = client.post("/v1/agreements", json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]


# --- 9. deeply nested bodies are refused, not a 500 ----------------------------------


def _nested(depth: int) -> str:
    """A JSON object nested ``depth`` levels deep."""
    return '{"a":' * (depth - 1) + '{"leaf":1}' + "}" * (depth - 1)


@pytest.mark.parametrize("depth", [40, 254, 300, 1000])
def test_item_09_deeply_nested_bodies_are_refused(writable, depth):
    client, auth, _, text = writable
    data = _nested(depth)
    posted = client.post(
        "/v1/agreements",
        data=data,
        content_type="application/json",
        headers={**auth, "Idempotency-Key": f"deep-{depth}"},
    )
    assert posted.status_code in (400, 422), posted.get_data()[:300]
    assert posted.content_type == "application/problem+json"
    patched = client.patch(
        "/v1/agreements/2007-oil-sector-mou",
        data=data,
        content_type="application/merge-patch+json",
        headers={**auth, "If-Match": "*"},
    )
    assert patched.status_code in (400, 422), patched.get_data()[:300]
    assert patched.content_type == "application/problem+json"
    assert client.get("/v1/changes").get_json()["items"] == []


# --- 7. others' failed authentications never lock out a valid token -----------------


def test_item_07_failed_authentications_never_lock_out_a_valid_token(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path, AUTH_FAILURE_RATE_LIMIT="3/minute")
    client = app.test_client()
    text = client.get(DOCUMENT_TEXT_URL).get_data(as_text=True)
    made, secret = tokens.create("writer")
    # Guessers behind the same proxy address: garbage, and the right id with a wrong secret.
    for header in ["Bearer bad"] * 4 + [f"Bearer brf_{made.id}_wrong"] * 4:
        refused = client.post("/v1/agreements", json={}, headers={"Authorization": header})
        assert refused.status_code in (401, 429)
    assert refused.status_code == 429  # the guessing itself is still limited
    again = client.post("/v1/agreements", json={}, headers={"Authorization": "Bearer bad"})
    assert again.status_code == 429
    created = client.post(
        "/v1/agreements", json=agreement(text), headers={"Authorization": f"Bearer {secret}"}
    )
    assert created.status_code == 201


# --- 11. the smaller ones ---------------------------------------------------------------


def test_item_11_successful_writes_carry_the_write_limit_and_no_retry_after(db_path, tmp_path):
    app, _, tokens = writable_app(
        db_path, tmp_path, WRITE_RATE_LIMIT="60/minute", AUTH_FAILURE_RATE_LIMIT="10/minute"
    )
    client = app.test_client()
    text = client.get(DOCUMENT_TEXT_URL).get_data(as_text=True)
    _, secret = tokens.create("writer")
    created = client.post(
        "/v1/agreements", json=agreement(text), headers={"Authorization": f"Bearer {secret}"}
    )
    assert created.status_code == 201
    assert created.headers["X-RateLimit-Limit"] == "60"
    assert created.headers["X-RateLimit-Remaining"] == "59"
    assert "Retry-After" not in created.headers


def test_item_11_control_characters_in_text_are_refused(writable):
    client, auth, _, text = writable
    for title in ["Trade\x00target", "Trade\x1btarget", "Trade\x7ftarget"]:
        refused = client.post("/v1/agreements", json=agreement(text, title=title), headers=auth)
        assert refused.status_code == 422
        assert refused.get_json()["errors"] == {"title": ["Control characters are not allowed."]}
    body = agreement(text, summary="Line one.\nLine two.\tTabbed.")
    fine = client.post("/v1/agreements", json=body, headers=auth)
    assert fine.status_code == 201
    assert client.get("/v1/changes").get_json()["items"][0]["action"] == "create"
    assert len(client.get("/v1/changes").get_json()["items"]) == 1


def test_item_11_a_streamed_body_over_the_limit_is_a_413(writable):
    import io

    client, auth, _, text = writable
    body = b'{"title": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = client.post(
        "/v1/agreements",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={**auth, "Transfer-Encoding": "chunked"},  # no Content-Length
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn sets it
    )
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_item_11_links_use_the_public_url_not_the_host_header(db_path, tmp_path):
    public = "https://briefs.example.org"
    app, _, tokens = writable_app(db_path, tmp_path, PUBLIC_URL=public + "/")
    client = app.test_client()
    text = client.get(DOCUMENT_TEXT_URL).get_data(as_text=True)
    _, secret = tokens.create("writer")
    for n in range(2):
        created = client.post(
            "/v1/agreements",
            json=agreement(text, title=f"Trade target {n}"),
            headers={"Authorization": f"Bearer {secret}", "Host": "evil.example"},
        )
        assert created.status_code == 201
        assert "evil" not in created.headers["Location"]
    for url in [
        "/v1/agreements?limit=1",
        "/v1/changes?limit=1",
        "/v1/dataset",
        "/v1/search?q=trade&limit=1",
        "/v1/briefs/PK/RU",
    ]:
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 200, url
        assert b"evil.example" not in response.get_data(), url
        assert "evil.example" not in str(response.headers), url
        assert public.encode() in response.get_data(), url


# --- 12. a date the OpenAPI document admits is accepted -------------------------------


@pytest.mark.parametrize(
    "value",
    ["0000-01-01", "0001-01-01", "2023-02-29", "2024-02-29", "1900-02-29", "2000-02-29",
     "2023-02-30", "2023-04-31", "2023-12-31"],
)  # fmt: skip
def test_item_12_dates_the_document_admits_are_accepted(client, value):
    import re

    spec = client.get("/openapi.json").get_json()
    parameters = spec["paths"]["/v1/agreements"]["get"]["parameters"]
    (pattern,) = [p["schema"]["pattern"] for p in parameters if p["name"] == "from"]
    response = client.get(f"/v1/agreements?from={value}")
    admitted = re.search(pattern, value) is not None
    assert (response.status_code == 200) == admitted, (value, response.get_json())
    if not admitted:
        assert response.status_code == 400


# --- 10. a full disk or an unwritable folder is named, and readiness knows -----------


class _FullDisk:
    """The sqlite3 module, with every connection capped at its file's current size:
    SQLite then fails as on a full disk (SQLITE_FULL)."""

    def __init__(self, real) -> None:
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def connect(self, *args, **kwargs):
        conn = self.real.connect(*args, **kwargs)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn


def test_item_10_a_write_on_a_full_disk_is_a_507_naming_the_cause(writable, monkeypatch, caplog):
    client, auth, _, text = writable
    monkeypatch.setattr(transactions, "sqlite3", _FullDisk(transactions.sqlite3))
    for headers in (auth, {**auth, "Idempotency-Key": "full-1"}):
        response = client.post("/v1/agreements", json=agreement(text), headers=headers)
        assert response.status_code == 507, response.get_data()
        assert response.content_type == "application/problem+json"
        assert "No space is left" in response.get_json()["detail"]
        assert int(response.headers["Retry-After"]) > 0
    assert "cannot rollback" not in caplog.text
    monkeypatch.undo()
    assert client.get("/v1/agreements/2010-trade-turnover-target").status_code == 404
    assert client.get("/v1/changes").get_json()["items"] == []
    retried = client.post(
        "/v1/agreements", json=agreement(text), headers={**auth, "Idempotency-Key": "full-1"}
    )
    assert retried.status_code == 201


def test_item_10_readiness_fails_when_writes_cannot_succeed(writable, monkeypatch):
    import collections

    client, _, db, _ = writable
    assert client.get("/readyz").status_code == 200
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9, 4096))
    full = client.get("/readyz")
    assert full.status_code == 503
    assert "only 4096 bytes are free" in full.get_json()["detail"]
    monkeypatch.undo()
    lock = db.with_name(db.name + ".lock")
    lock.unlink()
    lock.mkdir()  # something else took the lock file's name
    blocked = client.get("/readyz")
    assert blocked.status_code == 503
    assert "lock file" in blocked.get_json()["detail"]
    lock.rmdir()
    assert client.get("/readyz").status_code == 200


def test_item_10_a_failed_index_update_fails_readiness_until_caught_up(writable, monkeypatch):
    client, auth, _, text = writable

    def broken(directory, conn):
        raise OSError("the index could not be written")

    monkeypatch.setattr(fulltext, "sync", broken)
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert created.status_code == 201
    behind = client.get("/readyz")
    assert behind.status_code == 503
    assert "1 change(s) behind" in behind.get_json()["detail"]
    monkeypatch.undo()
    assert client.get("/readyz").status_code == 200  # caught up
    found = client.get("/v1/search?q=turnover+target").get_json()["items"]
    assert "2010-trade-turnover-target" in [hit["id"] for hit in found]


# --- 8. every error gunicorn itself answers is a problem ------------------------------


def _exchange(base: str, raw: bytes, wait: float = 10.0, pause: float = 0.0) -> bytes:
    """Send raw bytes to the server and read its answer until it closes (bounded)."""
    import socket
    import time

    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as conn:
        conn.sendall(raw)
        if pause:
            time.sleep(pause)
        answer = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = conn.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            answer += chunk
    return answer


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from tests.helpers import served

    folder = tmp_path_factory.mktemp("served")
    db = folder / "briefs.db"
    build(SEEDS, FIXTURES, db)
    with served(db, BRIEFS_TIMEOUT="3", BRIEFS_AUTH_DB=str(folder / "auth.db")) as running:
        yield running


HOST = b"Host: 127.0.0.1\r\n"
GUNICORN_ERRORS = {
    "uri_9000_bytes": (b"GET /v1/" + b"a" * 9000 + b" HTTP/1.1\r\n" + HOST + b"\r\n", 414),
    "101_headers": (
        b"GET /healthz HTTP/1.1\r\n" + HOST + b"".join(b"X-H%d: v\r\n" % i for i in range(101))
        + b"\r\n", 431,
    ),
    "header_over_8190": (b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * 8200
                         + b"\r\n\r\n", 431),
    "non_ascii_request_line": (b"GET /v1/\xff\xfe HTTP/1.1\r\n" + HOST + b"\r\n", 400),
    "nul_request_line": (b"GET /v1/\x00 HTTP/1.1\r\n" + HOST + b"\r\n", 400),
    "http_0_9": (b"GET /healthz\r\n\r\n", 400),
    "http_2_0": (b"GET /healthz HTTP/2.0\r\n" + HOST + b"\r\n", 400),
    "bare_cr_in_header": (b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-A: a\rb\r\n\r\n", 400),
    "bare_lf_in_header": (b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\nX-A: b\r\n\r\n", 400),
    "content_length_and_chunked": (
        b"POST /v1/agreements HTTP/1.1\r\n" + HOST + b"Content-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
    ),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(GUNICORN_ERRORS))
def test_item_08_gunicorn_errors_are_problems(served, case):
    import json

    base, _, _ = served
    raw, status = GUNICORN_ERRORS[case]
    answer = _exchange(base, raw)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].split(" ")[1] == str(status), answer[:300]
    assert "Content-Type: application/problem+json" in lines, answer[:300]
    problem = json.loads(body)
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]


@pytest.mark.slow
def test_item_08_a_worker_timeout_is_a_problem(tmp_path):
    """A sync worker stuck on a client that never finishes its headers is killed at
    its timeout; the client hears a problem, not an HTML page."""
    import json

    from tests.helpers import served

    db = tmp_path / "briefs.db"
    build(SEEDS, FIXTURES, db)
    with served(db, BRIEFS_WORKER_CLASS="sync", BRIEFS_TIMEOUT="2") as (base, _, _):
        answer = _exchange(base, b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-Never: ends", 15.0)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 500 "), answer[:300]
    assert b"Content-Type: application/problem+json" in head, answer[:300]
    assert json.loads(body)["status"] == 500


@pytest.mark.slow
def test_item_08_a_body_that_never_comes_is_a_408_problem(served):
    import json

    base, _, _ = served
    from api.store.tokens import Tokens

    _, secret = Tokens(Path(served[2]).parent / "auth.db").create("slow")
    raw = (
        b"POST /v1/agreements HTTP/1.1\r\n" + HOST + b"Authorization: Bearer "
        + secret.encode() + b"\r\nContent-Type: application/json\r\n"
        b"Content-Length: 900000\r\n\r\n{}"
    )  # fmt: skip
    answer = _exchange(base, raw, wait=20.0)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), answer[:300]
    assert b"Content-Type: application/problem+json" in head, answer[:300]
    assert json.loads(body)["status"] == 408


# --- 6. slow clients do not hold the service ------------------------------------------


def _slow_client(base: str, raw: bytes, until: float, stop) -> None:
    """Send ``raw`` a byte a second (or stall after it) until ``until`` or ``stop``."""
    import socket
    import time

    host, port = base.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2) as conn:
            for byte in raw:
                if stop.is_set() or time.monotonic() > until:
                    return
                conn.sendall(bytes([byte]))
                stop.wait(1.0)
            stop.wait(max(0.0, until - time.monotonic()))
    except OSError:
        return  # the server closed it: that is what it should do


@pytest.mark.slow
def test_item_06_fifty_slow_clients_do_not_stall_reads(tmp_path):
    import statistics
    import threading
    import time
    import urllib.request

    from tests.helpers import served

    db = tmp_path / "briefs.db"
    build(SEEDS, FIXTURES, db)
    from api.store.tokens import Tokens

    _, secret = Tokens(tmp_path / "auth.db").create("slow")
    trickle = b"GET /v1/agreements HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"s" * 60
    stalled = (
        b"POST /v1/agreements HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + secret.encode()
        + b"\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n{}"
    )
    with served(db, BRIEFS_AUTH_DB=str(tmp_path / "auth.db")) as (base, _, _):
        stop = threading.Event()
        until = time.monotonic() + 12
        slow = [
            threading.Thread(
                target=_slow_client, args=(base, trickle if i % 2 else stalled, until, stop)
            )
            for i in range(50)
        ]
        for thread in slow:
            thread.start()
        time.sleep(1.5)  # every slow connection is open and sending
        times, failures = [], 0
        end = time.monotonic() + 8
        while time.monotonic() < end:
            started = time.monotonic()
            try:
                url = f"{base}/v1/agreements/2007-oil-sector-mou"
                with urllib.request.urlopen(url, timeout=2) as response:
                    response.read()
                    assert response.status == 200
            except OSError:
                failures += 1
            times.append(time.monotonic() - started)
            time.sleep(0.02)
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
    p99 = statistics.quantiles(times, n=100)[98]
    assert failures == 0, f"{failures} of {len(times)} reads failed"
    assert p99 < 0.1, f"p99 {p99 * 1000:.0f} ms over {len(times)} reads"


# --- 5. the database download is cheap and bounded ------------------------------------


def test_item_05_a_failed_snapshot_leaves_nothing_and_writes_go_on(writable, monkeypatch):
    from api.store import snapshots

    client, auth, db, text = writable
    folder = db.parent / f".{db.name}.snapshots"
    real_replace = os.replace

    def disk_full(src, dst):
        if str(src).endswith(".partial"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(snapshots.os, "replace", disk_full)
    failed = client.get("/v1/dataset.sqlite")
    assert failed.status_code == 503
    assert failed.content_type == "application/problem+json"
    assert int(failed.headers["Retry-After"]) > 0
    assert sorted(p.name for p in folder.iterdir()) == [".lock"]  # no partial copy left
    monkeypatch.undo()
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert created.status_code == 201
    download = client.get("/v1/dataset.sqlite")
    assert download.status_code == 200
    download.close()


def test_item_05_no_snapshot_without_room_or_while_another_is_made(writable, monkeypatch):
    import collections
    import fcntl

    client, _, db, _ = writable
    folder = db.parent / f".{db.name}.snapshots"
    usage = collections.namedtuple("usage", "total used free")
    room = db.stat().st_size  # less than the copy needs
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 10**12, room))
    refused = client.get("/v1/dataset.sqlite")
    assert refused.status_code == 503
    assert "disk space" in refused.get_json()["detail"]
    assert not list(folder.glob("*.sqlite"))
    monkeypatch.undo()
    # One copy at a time on the machine: while one is made, others are told to retry.
    folder.mkdir(exist_ok=True)
    with open(folder / ".lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = client.get("/v1/dataset.sqlite")
        fcntl.flock(held, fcntl.LOCK_UN)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    dead = 2**22 + 4321
    stale = folder / f".0123456789abcdef.{dead}.partial"
    stale.write_bytes(b"half a copy")
    download = client.get("/v1/dataset.sqlite")
    assert download.status_code == 200
    download.close()
    assert not stale.exists()


# --- found by the soak run --------------------------------------------------------------


def test_search_between_a_write_and_its_index_update_is_not_a_500(writable, monkeypatch):
    client, auth, _, text = writable
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert created.status_code == 201
    later = client.post("/v1/agreements", json=agreement(text, title="Later one"), headers=auth)
    assert later.status_code == 201  # so the patched record's new search row gets a new rowid
    monkeypatch.setattr(fulltext, "sync", lambda directory, conn: 0)  # not yet applied
    patched = client.patch(
        "/v1/agreements/2010-trade-turnover-target",
        json={"summary": "A turnover target, revised."},
        headers={**auth, "If-Match": created.headers["ETag"]},
    )
    assert patched.status_code == 200
    found = client.get("/v1/search?q=turnover+target")
    assert found.status_code == 200
    assert found.content_type == "application/json"
