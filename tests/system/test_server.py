"""The app served the way it is deployed: gunicorn with the project's config."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.helpers import served


@pytest.fixture(scope="module")
def server(db_path):
    with served(db_path) as running:
        yield running


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_app_factory(server):
    base, _, _ = server
    status, headers, body = get(f"{base}/v1/countries/PK")
    assert status == 200
    assert json.loads(body)["name"] == "Pakistan"
    assert headers["ETag"]


def test_gunicorn_answers_errors_as_problems(server):
    base, _, _ = server
    status, headers, body = get(f"{base}/v1/agreements?limit=abc")
    assert status == 400
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["errors"] == {"limit": ["Not a whole number."]}


def test_app_limits_answer_before_gunicorn_limits(server):
    base, _, _ = server
    status, headers, _ = get(f"{base}/v1/agreements?q={'x' * 5000}")
    assert status == 414
    assert headers["Content-Type"] == "application/problem+json"


# Last in this module: it stops the server to read everything it logged.
def test_access_log_lines_are_json_with_the_request_id(server):
    base, process, log = server
    get(f"{base}/healthz", headers={"X-Request-ID": "from-the-test"})
    process.terminate()
    process.wait(timeout=30)
    err = log.read_text()
    assert "with the SQLite engine 3." in err
    lines = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    assert any(x["request_id"] == "from-the-test" and x["path"] == "/healthz" for x in lines)
