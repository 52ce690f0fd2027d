"""Every error path answers with the same RFC 9457 problem shape."""

from __future__ import annotations

import json

import pytest

from api import create_app
from api.build.database import build

LONG = "x" * 5000

# (method, url, headers, status, a fragment of detail, extension member expected)
CASES = [
    ("GET", "/v1/nowhere", {}, 404, "No resource at /v1/nowhere", None),
    ("GET", "/v1/agrements", {}, 404, "No resource", "suggestions"),
    ("GET", "/v1/agreements/2005-debt-reschedule", {}, 404, "No agreement", "suggestions"),
    ("GET", "/v1/countries/Pakistn", {}, 404, "No country", "suggestions"),
    ("GET", "/v1/documents/nope/text", {}, 404, "No document", None),
    ("POST", "/v1/countries", {}, 405, "POST is not allowed", None),
    ("PUT", "/v1/agreements/2005-debt-rescheduling", {}, 405, "not allowed", None),
    ("DELETE", "/v1/agreements", {}, 405, "not allowed", None),
    ("GET", "/v1/agreements?colour=red", {}, 400, "Unknown query parameter: colour", "errors"),
    (
        "GET",
        "/v1/agreements/2005-debt-rescheduling?x=1",
        {},
        400,
        "Unknown query parameter: x",
        "errors",
    ),
    ("GET", "/v1/agreements?limit=0", {}, 400, "Invalid query parameter: limit", "errors"),
    ("GET", "/v1/agreements?limit=501", {}, 400, "limit", "errors"),
    ("GET", "/v1/agreements?limit=2.5", {}, 400, "limit", "errors"),
    ("GET", "/v1/agreements?limit=99999999999999999999999999", {}, 400, "limit", "errors"),
    ("GET", "/v1/agreements?limit=abc", {}, 400, "limit", "errors"),
    ("GET", "/v1/agreements?from=2007-13-01", {}, 400, "from", "errors"),
    ("GET", "/v1/agreements?from=2007-02-30", {}, 400, "from", "errors"),
    ("GET", "/v1/agreements?from=2008-01-01&to=2007-01-01", {}, 400, "from", "errors"),
    ("GET", "/v1/agreements?kind=alliance", {}, 400, "kind", "errors"),
    ("GET", "/v1/agreements?status=done", {}, 400, "status", "errors"),
    ("GET", "/v1/agreements?sort=colour", {}, 400, "sort", "errors"),
    ("GET", "/v1/agreements?cursor=not-a-cursor", {}, 400, "Invalid cursor", "errors"),
    ("GET", "/v1/agreements?country=Atlantis", {}, 400, "No country matches", "errors"),
    ("GET", "/v1/agreements?country=Pakistn", {}, 400, "No country matches", "suggestions"),
    ("GET", "/v1/meetings?person=nobody-at-all", {}, 400, "No person matches", "errors"),
    ("GET", "/v1/countries?historical=perhaps", {}, 400, "historical", "errors"),
    ("GET", "/v1/agreements", {"Accept": "application/xml"}, 406, "available as", None),
    (
        "GET",
        "/v1/agreements/2005-debt-rescheduling",
        {"Accept": "text/csv"},
        406,
        "available as",
        None,
    ),
    (
        "GET",
        "/v1/documents/pakistan-russia-relations-a-new-beginning/text",
        {"Accept": "application/json"},
        406,
        "available as",
        None,
    ),
    ("GET", f"/v1/agreements?q={LONG}", {}, 414, "URL is longer", None),
    ("GET", "/v1/agreements", {"X-Big": LONG}, 431, "header is longer", None),
]


@pytest.mark.parametrize(
    ("method", "url", "headers", "status", "detail", "member"),
    CASES,
    ids=[f"{c[3]}-{c[1][:50]}" for c in CASES],
)
def test_problem_shape(client, method, url, headers, status, detail, member):
    response = client.open(url, method=method, headers=headers)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert detail in body["detail"]
    if member:
        assert body[member], f"{member} is empty"
    assert "Traceback" not in response.get_data(as_text=True)
    assert response.headers["X-Request-ID"]


def test_405_lists_allowed_methods(client):
    assert client.post("/v1/countries").headers["Allow"] == "GET, HEAD, OPTIONS"
    assert client.put("/v1/agreements").headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    allowed = client.put("/v1/agreements/2005-debt-rescheduling").headers["Allow"]
    assert allowed == "DELETE, GET, HEAD, OPTIONS, PATCH"


def test_validation_errors_name_each_parameter(client):
    body = client.get("/v1/agreements?limit=0&kind=alliance&colour=red").get_json()
    assert set(body["errors"]) == {"limit", "kind", "colour"}
    assert body["errors"]["colour"] == ["Unknown field."]


def test_ambiguous_name_lists_candidates(inputs, tmp_path):
    seeds, fixtures = inputs
    people = json.loads((fixtures / "people.json").read_text(encoding="utf-8"))
    people.append(
        {
            "id": "vladimir-putin-senior",
            "name": "Vladimir Spiridonovich Putin",
            "aliases": [{"name": "Putin", "kind": "common"}],
        }
    )
    (fixtures / "people.json").write_text(json.dumps(people), encoding="utf-8")
    build(seeds, fixtures, tmp_path / "briefs.db")
    client = create_app({"DB": str(tmp_path / "briefs.db"), "ACCESS_LOG": False}).test_client()
    response = client.get("/v1/meetings?person=putin")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["candidates"] == ["vladimir-putin", "vladimir-putin-senior"]
    assert "could mean more than one person" in body["detail"]
    assert client.get("/v1/people/putin").get_json()["candidates"] == body["candidates"]


def test_unexpected_errors_are_problems_without_traceback(app, monkeypatch):
    from api.store import reads

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(reads.Store, "page", boom)
    response = app.test_client().get("/v1/agreements")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "Traceback" not in text
    # A browser client can read it too.
    assert response.headers["Access-Control-Allow-Origin"] == "*"
