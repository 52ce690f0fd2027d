"""Adding a source as a new user would (README, "Adding a source"): `briefs serve` runs
gunicorn and the extraction worker as real processes on 127.0.0.1; a new article goes
in, its drafts come out of the real extractor, a curator decides, the records appear."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from api.domain import citations
from api.store.tokens import Tokens
from tests.helpers import ROOT, article, call, children, free_port, running

DEADLINE_S = 120  # start, model load and extraction, on two busy cores


def api(base: str, method: str, path: str, token: str | None = None, body=None):
    """(status, headers, parsed JSON or text) of one request, with the token if given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return call(method, base + path, body, headers, timeout=30)


def wait_for(predicate, what: str, process, log: Path, deadline: float):
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() > deadline or process.poll() is not None:
            raise AssertionError(f"{what} did not happen: {log.read_text()[-3000:]}")
        time.sleep(0.3)


def test_a_new_article_goes_from_post_to_the_brief(db_path, tmp_path):
    db = tmp_path / "briefs.db"
    shutil.copy(db_path, db)
    _, token = Tokens(tmp_path / "auth.db").create("curator")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BRIEFS_DB": str(db),
        "BRIEFS_AUTH_DB": str(tmp_path / "auth.db"),
        "BRIEFS_BIND": f"127.0.0.1:{port}",
        "BRIEFS_WORKERS": "1",
    }
    log = tmp_path / "serve.log"
    deadline = time.monotonic() + DEADLINE_S
    started: list[int] = []
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:

        def ready():
            try:
                return api(base, "GET", "/readyz")[0] == 200
            except OSError:
                return False

        wait_for(ready, "readiness", serve, log, deadline)
        started = children(serve.pid)
        assert len(started) == 2  # gunicorn's arbiter and the extraction worker

        status, _, document = api(base, "POST", "/v1/documents", token, article())
        assert status == 201, document
        doc = document["id"]
        status, headers, job = api(base, "POST", f"/v1/documents/{doc}/extract", token)
        assert status == 202, job
        location = headers["Location"]
        assert location == f"/v1/jobs/{job['id']}"

        def finished():
            body = api(base, "GET", location, token)[2]
            return body if body["state"] in ("done", "failed") else None

        job = wait_for(finished, "the extraction job", serve, log, deadline)
        assert job["state"] == "done", job
        status, _, page = api(base, "GET", f"/v1/drafts?document={doc}&state=open", token)
        assert status == 200
        drafts = page["items"]
        assert job["drafts"] == len(drafts) >= 4

        def first(resource: str, **fields) -> dict:
            for draft in drafts:
                if (
                    draft["resource"] == resource
                    and draft["action"] == "create"
                    and all(draft["record"].get(k) == v for k, v in fields.items())
                ):
                    return draft
            raise AssertionError(f"no {resource} draft {fields} in {json.dumps(drafts)[:3000]}")

        agreement = first("agreements")
        meeting = first("meetings")
        quote = first("commentary", kind="quote")
        assert agreement["record"]["value"] == {"amount": 240_000_000, "currency": "USD"}
        assert sorted(agreement["record"]["countries"]) == ["JP", "KE"]

        # The curator's correction: a title of their own, and the day of the signing
        # ("on Wednesday" in an article of Thursday 5 March 2026), wherever it is given.
        signed = agreement["record"]["sources"]
        correction = {
            "corrections": {
                "title": "Nairobi–Mombasa highway loan",
                "date": "2026-03-04",
                "status_history": [{"status": "signed", "date": "2026-03-04", "sources": signed}],
            }
        }
        status, headers, record = api(
            base, "POST", f"/v1/drafts/{agreement['id']}/accept", token, correction
        )
        assert status == 201, record
        assert record["title"] == "Nairobi–Mombasa highway loan"
        assert record["id"] == "2026-nairobi-mombasa-highway-loan"
        assert record["date"] == record["status_history"][0]["date"] == "2026-03-04"
        assert headers["Location"] == f"/v1/agreements/{record['id']}"
        accepted = {"agreements": record["id"]}
        for draft in (meeting, quote):
            status, headers, record = api(base, "POST", f"/v1/drafts/{draft['id']}/accept", token)
            assert status == 201, record
            accepted[draft["resource"]] = record["id"]
        decided = {agreement["id"], meeting["id"], quote["id"]}
        other = next(d for d in drafts if d["id"] not in decided)
        status, _, rejected = api(
            base, "POST", f"/v1/drafts/{other['id']}/reject", token, {"reason": "Not wanted"}
        )
        assert status == 200 and rejected["state"] == "rejected"
        status, _, again = api(base, "POST", f"/v1/drafts/{agreement['id']}/accept", token)
        assert status == 409, again

        # The records are public, and every one cites the new document.
        listed = api(base, "GET", "/v1/agreements?country=KE&country=JP")[2]["items"]
        assert [a["id"] for a in listed] == [accepted["agreements"]]
        assert {s["document"] for s in listed[0]["sources"]} == {doc}
        brief = api(base, "GET", "/v1/briefs/KE/JP?limit=100")[2]
        briefed = json.dumps(brief)
        assert accepted["agreements"] in briefed and accepted["meetings"] in briefed
        assert {s["document"] for s in brief["sources"]} == {doc}
        timeline = api(base, "GET", "/v1/timeline?country=KE&country=JP")[2]["items"]
        dated = {e["id"]: e["date"] for e in timeline}
        assert {accepted["agreements"], accepted["meetings"]} <= set(dated)
        assert dated[accepted["agreements"]] == "2026-03-04"
        assert all(s["document"] == doc for e in timeline for s in e["sources"])
        hits = api(base, "GET", "/v1/search?q=Mombasa+highway+loan")[2]["items"]
        assert accepted["agreements"] in [h["id"] for h in hits]
        said = api(base, "GET", f"/v1/commentary/{accepted['commentary']}")[2]
        assert said["document"] == doc and said["sources"][0]["document"] == doc
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=40)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise
    assert serve.returncode == 0, log.read_text()[-3000:]
    assert not [pid for pid in started if running(pid)], "a child outlived briefs serve"


def test_briefs_ingest_stores_a_page_and_drafts_it(db_path, tmp_path):
    """`briefs ingest` at a terminal: the page's article is stored, drafts made in-process."""
    from api.store.connections import open_readonly
    from api.store.reads import Store, decode

    db = tmp_path / "briefs.db"
    shutil.copy(db_path, db)
    paragraphs = article()["text"].split("\n\n")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Wire</title></head><body><nav><a href='/'>Home</a></nav><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
        + "</article><footer>All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", str(page), "--format", "html"]
        + ["--title", "Kenya and Japan sign highway loan", "--published", "2026-03-05"]
        + ["--publisher", "Briefs Test Wire", "--author", "Test Desk", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    document = result.stdout.strip().splitlines()[-1]
    assert document == "2026-kenya-and-japan-sign-highway-loan"
    conn = open_readonly(db)
    try:
        data = Store(conn)
        text, _ = data.document_text(document)
        assert "Japan will lend $240 million" in text and "All rights reserved" not in text
        assert data.document_html(document) == page.read_text(encoding="utf-8")
        drafts = [decode(b) for b in data.drafts(document, None, "open", 500).items]
    finally:
        conn.close()
    assert len(drafts) >= 4
    assert "agreements" in {d["resource"] for d in drafts}
    for draft in drafts:
        for _, source in citations.walk(draft["record"]):
            assert text[source["start"] : source["end"]] == source["quote"]
