"""Documents, people and organizations written through the API, and exported back."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from api import config
from api.build.database import build
from api.cli import main
from tests.helpers import DOCUMENT, FIXTURES, ROOT, SEEDS, article, writable_app

PAGE = """<!doctype html><html><head><title>Wire</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Chile and Peru agree on a shared fisheries patrol</h1>
<p>Chile and Peru agreed on Monday to run joint patrols against illegal fishing along their
maritime border, the two foreign ministries said in a statement issued in Lima.</p>
<p>The patrols will begin in June and will be reviewed after one year, the statement said,
adding that both navies would share radar data from their coastal stations.</p>
</article><aside>Most read: a list of other stories</aside>
<footer>Copyright the wire. All rights reserved.</footer></body></html>"""


def post(client, auth, **changes):
    body = {**article(), **changes}
    return client.post(
        "/v1/documents", json={k: v for k, v in body.items() if v is not None}, headers=auth
    )


def test_a_posted_text_is_stored_exactly_with_its_digest(writable):
    client, auth, _, _ = writable
    text = article()["text"]
    response = post(client, auth)
    assert response.status_code == 201
    record = response.get_json()
    assert response.headers["Location"] == f"/v1/documents/{record['id']}"
    assert record["id"] == "2026-kenya-and-japan-sign-highway-loan-in-nairobi"
    assert record["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert record["length"] == len(text)
    served = client.get(f"/v1/documents/{record['id']}/text")
    assert served.get_data() == text.encode("utf-8")
    assert record["id"] in [d["id"] for d in client.get("/v1/documents").get_json()["items"]]


def test_the_same_text_twice_is_a_409_naming_the_document(writable):
    client, auth, _, _ = writable
    first = post(client, auth).get_json()["id"]
    again = post(client, auth, title="Another headline")
    assert again.status_code == 409
    assert again.get_json()["existing"] == first
    assert first in again.get_json()["detail"]


def work(db, **limits) -> bool:
    """The worker takes the next job, as `briefs worker` would (each job in a process)."""
    from api.curation.worker import Limits, Worker

    settings = {**config.from_environment({}), **limits}
    return Worker(db, Limits(settings), load_model=False).step()


def test_html_is_read_by_the_worker_keeping_the_article_text_and_the_page(writable, tmp_path):
    client, auth, _, db = writable
    response = post(client, auth, text=None, html=PAGE, title="Chile and Peru agree patrols")
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert response.headers["Location"] == f"/v1/jobs/{job['id']}"
    assert job["state"] == "queued"
    document = job["document"]
    assert client.get(f"/v1/documents/{document}").status_code == 404  # not before its text
    assert work(db)
    job = client.get(f"/v1/jobs/{job['id']}", headers=auth).get_json()
    assert job["state"] == "done" and job["document"] == document, job
    text = client.get(f"/v1/documents/{document}/text").get_data(as_text=True)
    assert text.startswith("Chile and Peru agree on a shared fisheries patrol")
    assert "joint patrols against illegal fishing" in text
    assert "Most read" not in text and "Copyright" not in text and "Sport" not in text
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    runner = CliRunner()
    result = runner.invoke(
        main, ["export", "--db", str(db), "--seeds", str(seeds), "--fixtures", str(tmp_path / "f")]
    )
    assert result.exit_code == 0, result.output
    assert (seeds / f"{document}.html").read_text() == PAGE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " \n "}, "text"),
        ({"text": "x" * 200_001}, "text"),
        ({"text": None}, "text"),
        ({"html": PAGE}, "text"),
        ({"published": "05/03/2026"}, "published"),
        ({"published": "2026-02-30"}, "published"),
        ({"sha256": "0" * 64}, "sha256"),
        ({"colour": "red"}, "colour"),
        ({"language": "English"}, "language"),
    ],
)
def test_a_bad_document_is_a_422_and_stores_nothing(writable, changes, field):
    client, auth, _, _ = writable
    version = client.get("/v1/documents").headers["ETag"]
    response = post(client, auth, **changes)
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert field in response.get_json()["errors"]
    assert client.get("/v1/documents").headers["ETag"] == version


def test_a_page_with_no_article_fails_its_job_with_a_422_and_stores_nothing(writable):
    client, auth, _, db = writable
    version = client.get("/v1/documents").headers["ETag"]
    html = "<html><body><nav>Home</nav></body></html>"
    response = post(client, auth, text=None, html=html)
    assert response.status_code == 202
    assert work(db)
    job = client.get(response.headers["Location"], headers=auth).get_json()
    assert job["state"] == "failed"
    assert job["problem"]["status"] == 422
    assert "not an article" in job["problem"]["detail"]
    assert client.get("/v1/documents").headers["ETag"] == version


def test_a_page_too_slow_to_read_is_tried_twice_then_fails_naming_the_time_limit(writable):
    client, auth, _, db = writable
    version = client.get("/v1/documents").headers["ETag"]
    slow = "<html><body>" + "<p>a" * 100_000 + "</body></html>"  # about 20 s to parse
    response = post(client, auth, text=None, html=slow, title="A slow page")
    assert response.status_code == 202
    started = time.monotonic()
    assert work(db, PAGE_SECONDS=1)
    job = client.get(response.headers["Location"], headers=auth).get_json()
    assert job["state"] == "queued"  # killed once: back in line
    assert work(db, PAGE_SECONDS=1)
    assert time.monotonic() - started < 10
    job = client.get(response.headers["Location"], headers=auth).get_json()
    assert job["state"] == "failed", job
    assert job["problem"]["status"] == 422
    assert "time limit of 1 s" in job["problem"]["detail"]
    assert "tried 2 times" in job["problem"]["detail"]
    assert client.get("/v1/documents").headers["ETag"] == version
    assert not work(db)  # the line is empty


def test_a_body_over_the_size_limit_is_a_413(writable):
    client, auth, _, _ = writable
    response = post(client, auth, text="word " * 250_000)
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_patch_changes_metadata_only(writable):
    client, auth, _, _ = writable
    document = post(client, auth).get_json()["id"]
    etag = client.get(f"/v1/documents/{document}").headers["ETag"]
    for patch in ({"text": "other"}, {"sha256": "0" * 64}, {"length": 3}, {"html": "<p>"}):
        response = client.patch(
            f"/v1/documents/{document}", json=patch, headers={**auth, "If-Match": etag}
        )
        assert response.status_code == 422
        assert list(patch)[0] in response.get_json()["errors"]
    response = client.patch(
        f"/v1/documents/{document}",
        json={"url": "https://example.org/highway-loan"},
        headers={**auth, "If-Match": etag},
    )
    assert response.status_code == 200
    assert response.get_json()["url"] == "https://example.org/highway-loan"
    assert response.get_json()["length"] == len(article()["text"])


def test_a_null_in_a_patch_clears_a_field_the_record_must_have(writable):
    """Merge patch null removes a field; a required field that may be null becomes null."""
    client, auth, _, _ = writable
    document = post(client, auth).get_json()["id"]
    etag = client.get(f"/v1/documents/{document}").headers["ETag"]
    response = client.patch(
        f"/v1/documents/{document}",
        json={"published": None, "url": None},
        headers={**auth, "If-Match": etag},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["published"] is None
    assert response.get_json()["url"] is None
    assert client.get(f"/v1/documents/{document}").get_json()["published"] is None


def test_a_cited_document_cannot_be_deleted(writable):
    client, auth, _, _ = writable
    response = client.delete(f"/v1/documents/{DOCUMENT}", headers={**auth, "If-Match": "*"})
    assert response.status_code == 409
    assert "agreements/" in response.get_json()["detail"]
    document = post(client, auth).get_json()["id"]
    response = client.delete(f"/v1/documents/{document}", headers={**auth, "If-Match": "*"})
    assert response.status_code == 204
    assert response.get_data() == b"" and "Content-Type" not in response.headers
    assert client.get(f"/v1/documents/{document}").status_code == 410
    gone = client.get(f"/v1/documents/{document}/text")  # the text went with it: 410 too
    assert gone.status_code == 410
    assert gone.content_type == "application/problem+json"
    assert "was deleted" in gone.get_json()["detail"]
    assert client.get("/v1/documents/no-such-document/text").status_code == 404
    again = post(client, auth)  # the same title would take the deleted id again
    assert again.status_code == 409
    assert "existed" in again.get_json()["detail"]
    assert post(client, auth, title="Highway loan, again").status_code == 201


def test_documents_need_the_documents_scope(writable):
    client, _, tokens, _ = writable
    _, secret = tokens.create("people only", scopes=("people",))
    response = post(client, {"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403
    assert 'scope="documents"' in response.headers["WWW-Authenticate"]
    assert post(client, {}).status_code == 401


def test_people_are_written_with_cited_spellings_and_found_by_them(writable):
    client, auth, _, _ = writable
    document = post(client, auth).get_json()["id"]
    text = article()["text"]
    quote = "Amina Wekesa"
    start = text.index(quote)
    source = {"document": document, "quote": quote, "start": start, "end": start + len(quote)}
    body = {
        "name": "Amina Wekesa",
        "aliases": [{"name": "Mama Barabara", "kind": "common", "sources": []}],
        "roles": [{"title": "Minister of Transport", "country": "KE", "sources": [source]}],
    }
    response = client.post("/v1/people", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    person = response.get_json()
    assert person["id"] == "amina-wekesa"
    assert person["roles"][0]["sources"][0]["prefix"].endswith("transport minister, ")
    found = client.get("/v1/people/Mama Barabara")
    assert found.status_code == 200
    assert found.headers["Content-Location"] == "/v1/people/amina-wekesa"
    bad = {**body, "name": "A. Wekesa", "roles": [{**body["roles"][0], "country": "XX"}]}
    assert client.post("/v1/people", json=bad, headers=auth).status_code == 422
    etag = found.headers["ETag"]
    patched = client.patch(
        "/v1/people/amina-wekesa",
        json={"aliases": [{"name": "A. Wekesa", "kind": "abbreviation", "sources": []}]},
        headers={**auth, "If-Match": etag},
    )
    assert patched.status_code == 200
    assert client.get("/v1/people/Mama Barabara").status_code == 404
    assert client.get("/v1/people/a. wekesa").status_code == 200
    deleted = client.delete("/v1/people/amina-wekesa", headers={**auth, "If-Match": "*"})
    assert deleted.status_code == 204
    assert client.get("/v1/people/amina-wekesa").status_code == 410
    assert client.get("/v1/people/a. wekesa").status_code == 404


def test_organizations_are_written_with_cited_memberships(writable):
    client, auth, _, _ = writable
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    quote = "SCO"
    start = text.index(quote)
    source = {"document": DOCUMENT, "quote": quote, "start": start, "end": start + len(quote)}
    body = {
        "name": "Test Cooperation Council",
        "acronym": "TCC",
        "memberships": [{"country": "PK", "status": "observer", "sources": [source]}],
    }
    response = client.post("/v1/organizations", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"] == "/v1/organizations/test-cooperation-council"
    off = {**source, "start": start + 1, "end": start + 4}
    body["memberships"][0]["sources"] = [off]
    response = client.post("/v1/organizations", json={**body, "name": "Other"}, headers=auth)
    assert response.status_code == 422
    assert "memberships[0].sources[0].quote" in response.get_json()["errors"]


def test_export_then_build_reproduces_written_documents_and_records(writable, tmp_path):
    client, auth, _, db = writable
    document = post(client, auth).get_json()["id"]
    text = article()["text"]
    quote = "Kenya and Japan signed a loan agreement on Wednesday"
    start = text.index(quote)
    agreement = {
        "title": "Highway loan",
        "kind": "agreement",
        "status": "signed",
        "countries": ["KE", "JP"],
        "date": "2026-03-04",
        "value": {"amount": 240000000, "currency": "USD"},
        "summary": "A loan for the Nairobi–Mombasa highway.",
        "sources": [
            {"document": document, "quote": quote, "start": start, "end": start + len(quote)}
        ],
    }
    assert client.post("/v1/agreements", json=agreement, headers=auth).status_code == 201
    assert client.post("/v1/people", json={"name": "Kenji Morita"}, headers=auth).status_code == 201
    seeds, fixtures = tmp_path / "seeds", tmp_path / "fixtures"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(FIXTURES, fixtures)
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    result = CliRunner().invoke(
        main, ["export", "--db", str(db), "--seeds", str(seeds), "--fixtures", str(fixtures)]
    )
    assert result.exit_code == 0, result.output
    assert (seeds / f"{document}.txt").read_bytes() == text.encode("utf-8")
    metadata = json.loads((seeds / f"{document}.json").read_text())
    assert metadata["title"] == article()["title"] and "length" not in metadata
    for name, content in before.items():  # the existing seed is left exactly as it was
        assert (seeds / name).read_bytes() == content
    rebuilt = tmp_path / "rebuilt.db"
    build(seeds, fixtures, rebuilt)
    (tmp_path / "again").mkdir()
    again = writable_app(rebuilt, tmp_path / "again")[0].test_client()
    for path in (
        f"/v1/documents/{document}",
        f"/v1/documents/{document}/text",
        "/v1/agreements/2026-highway-loan",
        "/v1/people/kenji-morita",
        "/v1/agreements?country=KE",
    ):
        assert again.get(path).get_data() == client.get(path).get_data(), path


@pytest.mark.slow
def test_importing_and_serving_never_imports_spacy(db_path, tmp_path):
    """Web workers stay small: the NLP model belongs to the extraction worker alone."""
    code = f"""
import sys
from tests.helpers import writable_app
from pathlib import Path
app, db, tokens = writable_app(Path({str(db_path)!r}), Path({str(tmp_path)!r}))
_, secret = tokens.create("t")
auth = {{"Authorization": "Bearer " + secret}}
client = app.test_client()
import json
meta = json.load(open("tests/articles/kenya-japan-highway-loan.json"))
meta["text"] = open("tests/articles/kenya-japan-highway-loan.txt").read()
created = client.post("/v1/documents", json=meta, headers=auth)
assert created.status_code == 201, created.get_json()
doc = created.get_json()["id"]
assert client.post("/v1/documents/" + doc + "/extract", headers=auth).status_code == 202
for path in ("/v1/agreements", "/v1/briefs/PK/RU", "/v1/search?q=SCO", "/v1/drafts"):
    assert client.get(path, headers=auth).status_code == 200, path
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc", "api.ingest"))
loaded += sorted(m for m in sys.modules if m.startswith("api.ingest"))
print(loaded)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_new_publication_date_moves_what_as_of_sees(writable):
    client, auth, _, _ = writable
    seen = client.get("/v1/agreements?as_of=2010-12-31&limit=500").get_json()["items"]
    assert "2005-debt-rescheduling" in [a["id"] for a in seen]
    assert client.get("/v1/timeline?as_of=2010-12-31").get_json()["items"]
    response = client.patch(
        f"/v1/documents/{DOCUMENT}",
        json={"published": "2011-02-01"},
        headers={**auth, "If-Match": "*"},
    )
    assert response.status_code == 200
    later = client.get("/v1/agreements?as_of=2010-12-31&limit=500").get_json()["items"]
    assert "2005-debt-rescheduling" not in [a["id"] for a in later]
    timeline = client.get("/v1/timeline?as_of=2010-12-31").get_json()["items"]
    assert timeline == []
    assert client.get("/v1/agreements?as_of=2011-02-01&limit=500").get_json()["items"] == [
        *client.get("/v1/agreements?limit=500").get_json()["items"]
    ]
