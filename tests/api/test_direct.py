"""Single records answered before Flask (``api.web.direct``): the same answers as Flask's.

Every request here is made twice: through the app as served (the direct layer in
front) and through Flask alone. Status, headers, body and access-log line must be
the same, but for the random request id (fixed here by sending one) and the
time the line gives.
"""

from __future__ import annotations

import json
import re

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from api import create_app
from api.domain import catalog
from api.web import direct, representation
from tests.helpers import DOCUMENT, agreement

ID = {"X-Request-ID": "same-id"}


def _pair(app) -> tuple[Client, Client]:
    assert isinstance(app.wsgi_app, direct.Direct)
    return Client(app.wsgi_app, Response), Client(app.wsgi_app.wsgi_app, Response)


def _id(value: str) -> str:
    """A request id, or "new" for one the server made (32 hex digits)."""
    return "new" if re.fullmatch("[0-9a-f]{32}", value) else value


def _answer(client: Client, method: str, url: str, headers: dict) -> tuple:
    response = client.open(url, method=method, headers={**ID, **headers})
    listed = [(k, _id(v) if k == "X-Request-ID" else v) for k, v in response.headers.items()]
    return response.status, sorted(listed), response.get_data()


def _lines(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            del entry["time"], entry["ms"]
            entry["request_id"] = _id(entry["request_id"])
            found.append(entry)
    return found


@pytest.fixture(scope="module")
def logged(db_path):
    return create_app({"DB": str(db_path), "TESTING": True, "ACCESS_LOG": True})


def _first_ids(client) -> list[str]:
    return [
        f"/v1/{r.name}/{client.get(f'/v1/{r.name}?limit=1').get_json()['items'][0]['id']}"
        for r in catalog.ALL
    ]


REQUESTS = [
    ("GET", "/v1/countries/PK", {}),
    ("GET", "/v1/countries/PK", {"Accept": "*/*"}),
    ("GET", "/v1/countries/PK", {"Accept": "application/json"}),
    ("GET", "/v1/countries/PK", {"Accept": "text/csv"}),
    ("GET", "/v1/countries/PK", {"Accept": "text/html"}),
    ("GET", "/v1/countries/PK", {"Origin": "https://example.org"}),
    ("GET", "/v1/countries/PK", {"Access-Control-Request-Private-Network": "true"}),
    ("GET", "/v1/countries/PK", {"Host": "evil.example"}),
    ("GET", "/v1/countries/PK", {"X-Long": "x" * 5000}),
    ("GET", "/v1/countries/PK", {f"X-Many-{n}": "1" for n in range(60)}),
    ("GET", "/v1/countries/PK", {"X-Request-ID": "not valid!"}),
    ("GET", "/v1/countries/PK?", {}),
    ("GET", "/v1/countries/PK?x=1", {}),
    ("GET", "/v1/countries/PK/", {}),
    ("GET", "/v1//countries/PK", {}),
    ("GET", "/v1/countries/pk", {}),
    ("GET", "/v1/countries/pakistan", {}),
    ("GET", "/v1/countries/Congo", {}),
    ("GET", "/v1/countries/ZZZ", {}),
    ("GET", "/v1/countries/%C3%A9", {}),
    ("GET", "/v1/countries/" + "a" * 5000, {}),
    ("GET", "/v1/people/putin", {}),
    ("GET", "/v1/agreements/2005-debt-rescheduling", {}),
    ("GET", "/v1/agreements/2005-debt-reschedule", {}),
    ("GET", f"/v1/documents/{DOCUMENT}", {}),
    ("GET", f"/v1/documents/{DOCUMENT}/text", {}),
    ("GET", "/v1/drafts/x", {}),
    ("GET", "/v1/timeline/x", {}),
    ("GET", "/v2/countries/PK", {}),
    ("HEAD", "/v1/countries/PK", {}),
    ("OPTIONS", "/v1/countries/PK", {"Origin": "https://example.org"}),
    ("POST", "/v1/countries/PK", {}),
]


def test_every_answer_is_flasks(logged, capfd):
    served, flask_only = _pair(logged)
    requests = REQUESTS + [("GET", url, {}) for url in _first_ids(logged.test_client())]
    for method, url, headers in requests:
        capfd.readouterr()
        mine = _answer(served, method, url, headers)
        direct_log = _lines(capfd.readouterr().err)
        theirs = _answer(flask_only, method, url, headers)
        flask_log = _lines(capfd.readouterr().err)
        assert mine == theirs, (method, url, headers)
        assert direct_log == flask_log and len(direct_log) == 1, (method, url, headers)


def test_a_revalidation_and_its_etag(logged):
    served, flask_only = _pair(logged)
    etag = served.get("/v1/countries/PK").headers["ETag"]
    for headers in ({"If-None-Match": etag}, {"If-None-Match": '"other"'}):
        mine = _answer(served, "GET", "/v1/countries/PK", headers)
        assert mine == _answer(flask_only, "GET", "/v1/countries/PK", headers)
    assert _answer(served, "GET", "/v1/countries/PK", {"If-None-Match": etag})[0].startswith(
        "304"
    )


def test_the_plain_read_does_not_reach_flask(logged, monkeypatch):
    """The layer answers a stored id itself; an alias still goes through the view."""

    def refuse(*args, **kwargs):
        raise AssertionError("Flask's view was called")

    monkeypatch.setattr(representation, "record", refuse)
    client = logged.test_client()
    response = client.get("/v1/countries/PK")
    assert response.status_code == 200 and response.get_json()["id"] == "PK"
    assert client.get("/v1/countries/pakistan").status_code == 500  # the refusal above


def test_literal_routes_of_the_same_shape_are_left_to_flask(logged):
    routes = direct.item_routes(logged)
    assert set(routes) == {r.name for r in catalog.ALL}
    assert all(not literal for _, literal in routes.values())


def test_writes_show_at_once_and_a_deleted_record_is_gone(writable):
    client, auth, _, db = writable
    app = create_app({"DB": str(db), "TESTING": True, "ACCESS_LOG": False})
    served, flask_only = _pair(app)
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert created.status_code == 201
    url = created.headers["Location"].replace("http://localhost", "")
    first = _answer(served, "GET", url, {})
    assert first == _answer(flask_only, "GET", url, {}) and first[0].startswith("200")
    patched = client.patch(
        url, json={"status": "signed"}, headers={**auth, "If-Match": created.headers["ETag"]}
    )
    assert patched.status_code == 200
    second = _answer(served, "GET", url, {})
    assert second == _answer(flask_only, "GET", url, {})
    assert dict(second[1])["ETag"] == patched.headers["ETag"] != dict(first[1])["ETag"]
    client.delete(url, headers={**auth, "If-Match": patched.headers["ETag"]})
    gone = _answer(served, "GET", url, {})
    assert gone == _answer(flask_only, "GET", url, {}) and gone[0].startswith("410")
