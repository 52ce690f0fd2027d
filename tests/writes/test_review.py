"""Review: extraction jobs, drafts, and a curator's accept, correct and reject."""

from __future__ import annotations

import json

import pytest

from api.curation import queue
from tests.helpers import with_article
from tests.review_double import HandDrafts, extract, open_drafts


@pytest.fixture
def env(db_path, tmp_path):
    """A private database holding the test article, and a token with every scope."""
    return with_article(db_path, tmp_path)


def by_resource(drafts, resource) -> dict:
    (found,) = [d for d in drafts if d["resource"] == resource]
    return found


def test_a_job_makes_drafts_whose_citations_all_verify(env):
    client, auth, db, _, document = env
    job = extract(client, auth, db, document, HandDrafts())
    assert job["state"] == "done" and job["problem"] is None
    assert job["drafts"] == 4  # the draft whose citation is off by one is left out
    drafts = open_drafts(client, auth, document)
    assert [d["resource"] for d in drafts] == ["agreements", "meetings", "commentary", "events"]
    text = client.get(f"/v1/documents/{document}/text").get_data(as_text=True)
    for draft in drafts:
        assert draft["state"] == "open" and draft["job"] == job["id"]
        for source in draft["record"]["sources"]:
            assert text[source["start"] : source["end"]] == source["quote"]
    single = client.get(f"/v1/drafts/{drafts[0]['id']}", headers=auth)
    assert single.get_json() == drafts[0]
    assert single.headers["Cache-Control"] == "private, no-cache"


def test_the_extractor_is_offered_existing_records_near_the_date(env):
    client, auth, db, _, document = env
    extractor = HandDrafts()
    extract(client, auth, db, document, extractor)
    assert extractor.asked == [[]]  # nothing between Kenya and Japan yet
    drafts = open_drafts(client, auth, document)
    client.post(f"/v1/drafts/{drafts[0]['id']}/accept", headers=auth)
    extract(client, auth, db, document, extractor)
    assert [r["id"] for r in extractor.asked[1]] == ["2026-nairobi-mombasa-highway-loan"]


def test_extracting_again_proposes_nothing_twice(env):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    event = by_resource(open_drafts(client, auth, document), "events")
    client.post(f"/v1/drafts/{event['id']}/reject", json={"reason": "no"}, headers=auth)
    again = extract(client, auth, db, document, HandDrafts())
    assert again["state"] == "done" and again["drafts"] == 0
    assert len(open_drafts(client, auth, document)) == 3  # the rejected one stays rejected
    more = extract(client, auth, db, document, HandDrafts(restates="2005-debt-rescheduling"))
    assert more["drafts"] == 1


def test_accept_writes_the_record_on_the_normal_write_path(env):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    draft = by_resource(open_drafts(client, auth, document), "agreements")
    before = client.get("/v1/changes").get_json()
    response = client.post(f"/v1/drafts/{draft['id']}/accept", headers=auth)
    assert response.status_code == 201, response.get_json()
    location = response.headers["Location"]
    assert location == "/v1/agreements/2026-nairobi-mombasa-highway-loan"
    record = client.get(location).get_json()
    assert record["value"] == {"amount": 240000000, "currency": "USD"}
    assert record["sources"][0]["document"] == document
    assert record["sources"][0]["prefix"]  # filled in by the server
    listed = client.get("/v1/agreements?country=KE&country=JP").get_json()["items"]
    assert [a["id"] for a in listed] == [record["id"]]
    hits = client.get("/v1/search?q=Mombasa&type=agreement").get_json()["items"]
    assert record["id"] in [h["id"] for h in hits]
    changes = client.get("/v1/changes").get_json()
    assert len(changes["items"]) == len(before["items"]) + 1
    decided = client.get(f"/v1/drafts/{draft['id']}", headers=auth).get_json()
    assert decided["state"] == "accepted"
    assert decided["accepted_as"] == record["id"]
    assert decided["decided_by"] == "curator"
    again = client.post(f"/v1/drafts/{draft['id']}/accept", headers=auth)
    assert again.status_code == 409
    assert again.content_type == "application/problem+json"
    assert "accepted" in again.get_json()["detail"]


def test_accept_with_corrections_validates_them_like_a_post(env):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    meeting = by_resource(open_drafts(client, auth, document), "meetings")
    corrections = {"corrections": {"kind": "bilateral_meeting", "title": "Highway loan talks"}}
    response = client.post(f"/v1/drafts/{meeting['id']}/accept", json=corrections, headers=auth)
    assert response.status_code == 201
    record = response.get_json()
    assert record["kind"] == "bilateral_meeting"
    assert record["id"] == "2026-highway-loan-talks"
    bad = {"corrections": {"kind": "picnic"}}
    draft = by_resource(open_drafts(client, auth, document), "commentary")
    response = client.post(f"/v1/drafts/{draft['id']}/accept", json=bad, headers=auth)
    assert response.status_code == 422
    assert "kind" in response.get_json()["errors"]


def test_a_correction_whose_citation_does_not_verify_stores_nothing(env):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    draft = by_resource(open_drafts(client, auth, document), "agreements")
    source = dict(draft["record"]["sources"][0])
    source["start"] += 2
    source["end"] += 2
    version = client.get("/v1/agreements").headers["ETag"]
    response = client.post(
        f"/v1/drafts/{draft['id']}/accept",
        json={"corrections": {"sources": [source]}},
        headers=auth,
    )
    assert response.status_code == 422
    assert "sources[0].quote" in response.get_json()["errors"]
    assert client.get("/v1/agreements").headers["ETag"] == version
    assert client.get(f"/v1/drafts/{draft['id']}", headers=auth).get_json()["state"] == "open"
    assert client.get("/v1/agreements/2026-nairobi-mombasa-highway-loan").status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [({"corrections": []}, 422), ({"fix": {}}, 422), ("[", 400)],
)
def test_a_malformed_accept_is_a_problem(env, body, status):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    draft = open_drafts(client, auth, document)[0]
    data = body if isinstance(body, str) else json.dumps(body)
    response = client.post(
        f"/v1/drafts/{draft['id']}/accept",
        data=data,
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == status
    assert response.content_type == "application/problem+json"


def test_reject_keeps_the_reason_and_is_final(env):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    event = by_resource(open_drafts(client, auth, document), "events")
    response = client.post(
        f"/v1/drafts/{event['id']}/reject", json={"reason": "Talks, not an event"}, headers=auth
    )
    assert response.status_code == 200
    assert response.get_json()["state"] == "rejected"
    assert response.get_json()["rejected_because"] == "Talks, not an event"
    assert (
        client.post(
            f"/v1/drafts/{event['id']}/reject", json={"reason": "again"}, headers=auth
        ).status_code
        == 409
    )
    assert client.post(f"/v1/drafts/{event['id']}/accept", headers=auth).status_code == 409
    rejected = client.get("/v1/drafts?state=rejected", headers=auth).get_json()["items"]
    assert [d["id"] for d in rejected] == [event["id"]]
    assert client.post(f"/v1/drafts/{event['id']}/reject", json={}, headers=auth).status_code == 422


def test_an_add_source_draft_corroborates_instead_of_duplicating(env):
    client, auth, db, _, document = env
    before = client.get("/v1/agreements/2005-debt-rescheduling").get_json()
    count = len(client.get("/v1/agreements?limit=500").get_json()["items"])
    extract(client, auth, db, document, HandDrafts(restates="2005-debt-rescheduling"))
    (draft,) = [d for d in open_drafts(client, auth, document) if d["action"] == "add_source"]
    response = client.post(f"/v1/drafts/{draft['id']}/accept", headers=auth)
    assert response.status_code == 201
    assert response.headers["Location"] == "/v1/agreements/2005-debt-rescheduling"
    after = client.get("/v1/agreements/2005-debt-rescheduling").get_json()
    assert after["sources"][: len(before["sources"])] == before["sources"]
    assert [s["document"] for s in after["sources"][len(before["sources"]) :]] == [document]
    assert after["title"] == before["title"]
    assert len(client.get("/v1/agreements?limit=500").get_json()["items"]) == count


def test_drafts_need_the_drafts_scope_and_accepting_the_records_scope(env):
    client, auth, db, tokens, document = env
    extract(client, auth, db, document, HandDrafts())
    draft = by_resource(open_drafts(client, auth, document), "agreements")
    assert client.get("/v1/drafts").status_code == 401
    _, other = tokens.create("writer", scopes=("agreements",))
    response = client.get("/v1/drafts", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 403
    assert 'scope="drafts"' in response.headers["WWW-Authenticate"]
    _, reviewer = tokens.create("reviewer", scopes=("drafts",))
    headers = {"Authorization": f"Bearer {reviewer}"}
    assert client.get("/v1/drafts", headers=headers).status_code == 200
    response = client.post(f"/v1/drafts/{draft['id']}/accept", headers=headers)
    assert response.status_code == 403
    assert 'scope="agreements"' in response.headers["WWW-Authenticate"]
    assert client.post(f"/v1/documents/{document}/extract").status_code == 401


def test_drafts_of_a_deleted_document_are_gone_with_it(env):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    draft = open_drafts(client, auth, document)[0]
    etag = client.get(f"/v1/documents/{document}").headers["ETag"]
    response = client.delete(f"/v1/documents/{document}", headers={**auth, "If-Match": etag})
    assert response.status_code == 204
    assert client.get(f"/v1/documents/{document}").status_code == 410
    assert client.get(f"/v1/drafts/{draft['id']}", headers=auth).status_code == 410
    assert client.get(f"/v1/drafts?document={document}", headers=auth).get_json()["items"] == []
    response = client.post(f"/v1/drafts/{draft['id']}/accept", headers=auth)
    assert response.status_code == 410
    assert "deleted" in response.get_json()["detail"]
    assert client.post(f"/v1/documents/{document}/extract", headers=auth).status_code == 410


def test_a_document_deleted_before_its_job_runs_fails_the_job(env):
    client, auth, db, _, document = env
    response = client.post(f"/v1/documents/{document}/extract", headers=auth)
    job = response.get_json()["id"]
    client.delete(f"/v1/documents/{document}", headers={**auth, "If-Match": "*"})
    queue.run(db, job, extractor=HandDrafts())
    failed = client.get(f"/v1/jobs/{job}", headers=auth).get_json()
    assert failed["state"] == "failed"
    assert failed["problem"]["status"] == 410
    assert client.get("/v1/jobs/nope", headers=auth).status_code == 404


def test_a_failing_extractor_fails_the_job_with_a_problem(env):
    client, auth, db, _, document = env

    class Broken(HandDrafts):
        def extract(self, text, document, known):
            raise RuntimeError("model exploded")

    job = extract(client, auth, db, document, Broken())
    assert job["state"] == "failed"
    assert job["problem"]["status"] == 500
    assert "RuntimeError" in job["problem"]["detail"]
    assert job["drafts"] is None


def test_drafts_page_by_keyset_cursor(env):
    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    first = client.get("/v1/drafts?limit=3", headers=auth)
    body = first.get_json()
    assert len(body["items"]) == 3 and body["next_cursor"]
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    rest = client.get(body["next"], headers=auth).get_json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    ids = [d["id"] for d in body["items"] + rest["items"]]
    assert len(set(ids)) == 4
    etag = first.headers["ETag"]
    cached = client.get("/v1/drafts?limit=3", headers={**auth, "If-None-Match": etag})
    assert cached.status_code == 304
    client.post(f"/v1/drafts/{ids[-1]}/reject", json={"reason": "no"}, headers=auth)
    fresh = client.get("/v1/drafts?limit=3", headers={**auth, "If-None-Match": etag})
    assert fresh.status_code == 200
    assert client.get("/v1/drafts?colour=red", headers=auth).status_code == 400
    assert client.get("/v1/drafts?state=maybe", headers=auth).status_code == 400


def test_drafts_commands_review_at_a_terminal(env):
    from click.testing import CliRunner

    from api.cli import main

    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    runner = CliRunner()
    listed = runner.invoke(main, ["drafts", "list", "--document", document, "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    lines = [line.split("\t") for line in listed.output.splitlines()]
    assert [(f[1], f[2]) for f in lines] == [
        ("open", "agreements"),
        ("open", "meetings"),
        ("open", "commentary"),
        ("open", "events"),
    ]
    agreement, meeting, _, event = (f[0] for f in lines)
    accepted = runner.invoke(
        main,
        ["drafts", "accept", meeting, "--corrections", '{"kind": "state_visit"}', "--db", str(db)],
    )
    assert accepted.exit_code == 0, accepted.output
    path = accepted.output.strip().splitlines()[-1]
    assert client.get(path).get_json()["kind"] == "state_visit"
    again = runner.invoke(main, ["drafts", "accept", meeting, "--db", str(db)])
    assert again.exit_code == 1 and "accepted" in again.output
    bad = runner.invoke(
        main, ["drafts", "accept", agreement, "--corrections", '{"status": "x"}', "--db", str(db)]
    )
    assert bad.exit_code == 1 and "status" in bad.output
    rejected = runner.invoke(
        main, ["drafts", "reject", event, "--reason", "not an event", "--db", str(db)]
    )
    assert rejected.exit_code == 0, rejected.output
    states = runner.invoke(main, ["drafts", "list", "--state", "open", "--db", str(db)])
    assert [line.split("\t")[0] for line in states.output.splitlines()] == [
        agreement,
        lines[2][0],
    ]


def test_downloads_leave_review_work_out(env, tmp_path):
    import sqlite3

    client, auth, db, _, document = env
    extract(client, auth, db, document, HandDrafts())
    assert client.get("/v1/drafts", headers=auth).get_json()["items"]
    response = client.get("/v1/dataset.sqlite")
    assert response.status_code == 200
    copy = tmp_path / "download.sqlite"
    copy.write_bytes(response.get_data())
    response.close()
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM jobs").fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM documents WHERE id = ?", (document,)
        ).fetchone() == (1,)
    finally:
        conn.close()
    lines = client.get("/v1/dataset.ndjson").get_data(as_text=True).splitlines()
    assert lines and not any('"reasons"' in line for line in lines)


def test_a_queue_that_cannot_be_written_is_a_503_and_fails_the_job(env, monkeypatch):
    client, auth, db, _, document = env
    from api.curation import queue as queue

    def broken(db):
        def enqueue(*args):
            raise OSError("read-only file system")

        return enqueue

    monkeypatch.setattr(queue, "extract_task", broken)
    response = client.post(f"/v1/documents/{document}/extract", headers=auth)
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert "queue" in response.get_json()["detail"]
    from api.store.connections import open_readonly

    conn = open_readonly(db)
    try:
        assert conn.execute("SELECT state FROM jobs").fetchall() == [("failed",)]
    finally:
        conn.close()


def test_a_job_left_running_by_a_stopped_worker_is_marked_failed(env, monkeypatch):
    import socket
    import subprocess

    from api.curation import review
    from api.curation.review import Review
    from api.store.writer import Writer

    client, auth, db, _, document = env
    dead = subprocess.Popen(["true"])  # a process that has ended
    dead.wait()
    curator = Review(Writer(db))
    job = curator.add_job(document)
    monkeypatch.setattr(review, "process_owner", lambda: f"{socket.gethostname()}:{dead.pid}")
    curator.job_started(job.id)
    monkeypatch.undo()
    running = curator.add_job(document)
    curator.job_started(running.id)  # this process: alive
    assert curator.fail_abandoned() == 1
    failed = client.get(f"/v1/jobs/{job.id}", headers=auth).get_json()
    assert failed["state"] == "failed"
    assert "stopped while it ran" in failed["problem"]["detail"]
    assert client.get(f"/v1/jobs/{running.id}", headers=auth).get_json()["state"] == "running"
