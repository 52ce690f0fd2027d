"""Intake in process: the worker's line (bounded, one open job per document), jobs killed
and tried again, the HTML parser's import, Idempotency-Key on documents, and the headers
and hosts a hostile client probed."""

from __future__ import annotations

import subprocess
import time

import psutil
import pytest

from api import config
from api.curation.tasks import Tasks
from api.curation.worker import Limits, Worker
from tests.helpers import article

PAGE = (
    "<html><body><article><h1>Chile and Peru agree on a patrol</h1><p>"
    + "Chile and Peru agreed on Monday to run joint patrols against illegal fishing. " * 6
    + "</p></article></body></html>"
)


def worker(db, **settings) -> Worker:
    return Worker(db, Limits({**config.from_environment({}), **settings}), load_model=False)


def page_body(**changes) -> dict:
    body = {**article(), "html": PAGE, "title": "Chile and Peru agree patrols", **changes}
    del body["text"]
    return body


# --- the line ----------------------------------------------------------------------


def test_a_second_extraction_of_a_document_answers_its_open_job(writable):
    client, auth, _, db = writable
    document = client.post("/v1/documents", json=article(), headers=auth).get_json()["id"]
    first = client.post(f"/v1/documents/{document}/extract", headers=auth)
    assert first.status_code == 202
    for _ in range(3):
        again = client.post(f"/v1/documents/{document}/extract", headers=auth)
        assert again.status_code == 202
        assert again.get_json()["id"] == first.get_json()["id"]
        assert again.headers["Location"] == first.headers["Location"]
    assert Tasks(db).counts()["queued"] == 1


def test_a_full_line_is_a_503_with_retry_after_and_queues_nothing(writable, monkeypatch):
    client, auth, _, db = writable
    monkeypatch.setenv("BRIEFS_QUEUE_LIMIT", "2")
    documents = []
    for n in range(3):
        body = {**article(), "title": f"Story {n}", "text": article()["text"] + f"\n{n}\n"}
        documents.append(client.post("/v1/documents", json=body, headers=auth).get_json()["id"])
    for document in documents[:2]:
        assert client.post(f"/v1/documents/{document}/extract", headers=auth).status_code == 202
    full = client.post(f"/v1/documents/{documents[2]}/extract", headers=auth)
    assert full.status_code == 503
    assert full.content_type == "application/problem+json"
    assert full.headers["Retry-After"] == "30"
    assert "queue is full" in full.get_json()["detail"]
    assert Tasks(db).counts()["queued"] == 2
    # the open job of a queued document is still answered while the line is full
    assert client.post(f"/v1/documents/{documents[0]}/extract", headers=auth).status_code == 202


def test_a_full_line_refuses_a_page_too(db_path, tmp_path):
    from tests.helpers import writable_app

    app, db, tokens = writable_app(db_path, tmp_path, QUEUE_LIMIT=1)
    auth = {"Authorization": f"Bearer {tokens.create('t')[1]}"}
    client = app.test_client()
    assert client.post("/v1/documents", json=page_body(), headers=auth).status_code == 202
    full = client.post("/v1/documents", json=page_body(title="Another"), headers=auth)
    assert full.status_code == 503 and full.headers["Retry-After"] == "30"


def test_the_same_page_posted_twice_while_queued_answers_one_job(writable):
    client, auth, _, db = writable
    first = client.post("/v1/documents", json=page_body(), headers=auth)
    again = client.post("/v1/documents", json=page_body(), headers=auth)
    assert first.status_code == again.status_code == 202
    assert first.get_json()["id"] == again.get_json()["id"]
    assert Tasks(db).counts()["queued"] == 1


def test_a_documents_token_follows_its_page_job(writable):
    client, _, tokens, db = writable
    auth = {"Authorization": f"Bearer {tokens.create('poster', ('documents',))[1]}"}
    response = client.post("/v1/documents", json=page_body(), headers=auth)
    assert response.status_code == 202
    assert worker(db).step()
    job = client.get(response.headers["Location"], headers=auth)
    assert job.status_code == 200
    assert job.get_json()["state"] == "done"
    assert client.get(f"/v1/documents/{job.get_json()['document']}").status_code == 200


# --- jobs killed ---------------------------------------------------------------------


def test_a_job_whose_process_grows_past_the_ceiling_is_tried_twice_then_fails(writable):
    client, auth, _, db = writable
    job = client.post("/v1/documents", json=page_body(), headers=auth)
    location = job.headers["Location"]
    assert worker(db, JOB_MEMORY_MB=1).step()  # every process is past 1 MB
    assert client.get(location, headers=auth).get_json()["state"] == "queued"
    assert worker(db, JOB_MEMORY_MB=1).step()
    failed = client.get(location, headers=auth).get_json()
    assert failed["state"] == "failed"
    assert "memory ceiling of 1 MB" in failed["problem"]["detail"]
    assert not Tasks(db).counts()["queued"]


def test_a_job_left_running_by_a_killed_worker_is_tried_again_then_fails(writable):
    client, auth, _, db = writable
    location = client.post("/v1/documents", json=page_body(), headers=auth).headers["Location"]
    tasks = Tasks(db)
    dead = subprocess.Popen(["true"])
    dead.wait()
    for attempt in (1, 2):
        task = tasks.claim(dead.pid)  # as a worker killed with SIGKILL leaves it
        assert task.attempts == attempt
        assert worker(db).recover() == 1
        job = client.get(location, headers=auth).get_json()
        if attempt == 1:
            assert job["state"] == "queued"
    assert job["state"] == "failed"
    assert "worker stopped while it ran this job" in job["problem"]["detail"]
    assert "tried 2 times" in job["problem"]["detail"]


def test_a_running_worker_takes_back_a_job_whose_process_died_unreaped(writable):
    client, auth, _, db = writable
    location = client.post("/v1/documents", json=page_body(), headers=auth).headers["Location"]
    gone = subprocess.Popen(["true"])  # exits, and nobody reaps it: a zombie keeps its pid
    try:
        deadline = time.monotonic() + 10
        while psutil.Process(gone.pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        Tasks(db).claim(gone.pid)  # as a job's process that died without its worker seeing
        running = worker(db)
        running._between_jobs()  # what the worker does once a second, busy or idle
        assert Tasks(db).counts() == {"queued": 1, "running": 0}
        assert client.get(location, headers=auth).get_json()["state"] == "queued"
    finally:
        gone.wait()


def test_the_worker_reads_a_queued_page_into_a_document(writable):
    client, auth, _, db = writable
    response = client.post("/v1/documents", json=page_body(), headers=auth)
    assert worker(db).step()
    job = client.get(response.headers["Location"], headers=auth).get_json()
    assert job["state"] == "done", job
    text = client.get(f"/v1/documents/{job['document']}/text").get_data(as_text=True)
    assert text.startswith("Chile and Peru agree on a patrol")


# --- the HTML parser's import ------------------------------------------------------


def test_a_parser_that_cannot_be_imported_is_named_at_start_and_answered_503(writable, monkeypatch):
    import sys

    client, auth, _, db = writable
    for name in [m for m in sys.modules if m.split(".")[0] in ("trafilatura", "justext")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "lxml_html_clean", None)  # as pip 23 leaves it
    monkeypatch.setitem(sys.modules, "lxml.html.clean", None)
    queued = client.post("/v1/documents", json=page_body(), headers=auth)
    assert queued.status_code == 202  # the web worker never imports the parser
    started = worker(db)
    from api.ingest.html import import_problem

    started.problem = import_problem()
    assert "lxml_html_clean" in started.problem
    started.beat(force=True)
    assert started.step()
    job = client.get(queued.headers["Location"], headers=auth).get_json()
    assert job["state"] == "failed"
    assert job["problem"]["status"] == 503
    assert "importing trafilatura fails" in job["problem"]["detail"]
    refused = client.post("/v1/documents", json=page_body(title="Another"), headers=auth)
    assert refused.status_code == 503
    assert refused.content_type == "application/problem+json"
    assert "lxml_html_clean" in refused.get_json()["detail"]
    ready = client.get("/readyz").get_json()
    assert ready["intake"]["worker"] == "running"
    assert "trafilatura" in ready["intake"]["problem"]


def test_lxml_html_clean_is_a_declared_dependency():
    import tomllib

    from tests.helpers import ROOT

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.lower().startswith("lxml_html_clean==") for d in declared)


# --- Idempotency-Key on documents ----------------------------------------------------


def test_a_document_retried_with_its_idempotency_key_is_replayed(writable):
    client, auth, _, _ = writable
    keyed = {**auth, "Idempotency-Key": "doc-1"}
    first = client.post("/v1/documents", json=article(), headers=keyed)
    assert first.status_code == 201
    again = client.post("/v1/documents", json=article(), headers=keyed)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    changed = client.post("/v1/documents", json={**article(), "title": "Other"}, headers=keyed)
    assert changed.status_code == 422
    assert "Idempotency-Key" in changed.get_json()["errors"]
    elsewhere = client.post("/v1/people", json={"name": "Kenji Morita"}, headers=keyed)
    assert elsewhere.status_code == 422
    long_key = client.post(
        "/v1/documents", json=article(), headers={**auth, "Idempotency-Key": "k" * 1000}
    )
    assert long_key.status_code == 400
    assert long_key.content_type == "application/problem+json"


def test_a_page_retried_with_its_idempotency_key_answers_the_same_job(writable):
    client, auth, _, _ = writable
    keyed = {**auth, "Idempotency-Key": "page-1"}
    first = client.post("/v1/documents", json=page_body(), headers=keyed)
    again = client.post("/v1/documents", json=page_body(), headers=keyed)
    assert first.status_code == again.status_code == 202
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]


# --- headers and hosts ---------------------------------------------------------------


def test_a_json_404_that_names_the_path_is_nosniff(client):
    response = client.get("/v1/<script>alert(1)</script>")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_host_the_server_is_not_bound_to_is_refused(client):
    response = client.get("/v1/countries?limit=1", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert "BRIEFS_PUBLIC_URL" in response.get_json()["detail"]
    assert "evil.example" not in response.headers.get("Link", "")
    fine = client.get("/v1/countries?limit=1", headers={"Host": "127.0.0.1:8000"})
    assert fine.status_code == 200
    assert fine.get_json()["next"].startswith("http://127.0.0.1:8000/")


@pytest.mark.parametrize(
    ("settings", "trusted", "refused"),
    [
        ({"BIND": "127.0.0.1:8000"}, ["localhost", "127.0.0.1:8000", "[::1]:8000"], ["evil"]),
        ({"BIND": "10.1.2.3:80"}, ["10.1.2.3"], ["localhost", "evil.example"]),
        ({"BIND": "0.0.0.0:8000"}, ["localhost", "127.0.0.1"], ["evil.example"]),
        (
            {"PUBLIC_URL": "https://api.example.org/briefs", "TRUSTED_HOSTS": "api.example.org"},
            ["api.example.org", "API.example.org:443"],
            ["localhost", "evil.example"],
        ),
        ({"TRUSTED_HOSTS": ".example.org"}, ["a.example.org", "example.org"], ["xexample.org"]),
    ],
)
def test_trusted_hosts_default_to_the_bound_ones(settings, trusted, refused):
    """Unless BRIEFS_PUBLIC_URL is set: then no link reflects the Host header (README)."""
    from api.web.app import _host_allowed, trusted_hosts

    hosts = trusted_hosts({**config.DEFAULTS, **settings})
    for host in trusted:
        assert _host_allowed(host, hosts), host
    for host in refused:
        assert not _host_allowed(host, hosts), host


def test_with_a_public_url_any_host_is_answered_and_never_reflected():
    from api.web.app import trusted_hosts

    assert trusted_hosts({**config.DEFAULTS, "PUBLIC_URL": "https://api.example.org"}) is None
