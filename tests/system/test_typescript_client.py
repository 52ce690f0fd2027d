"""A TypeScript client generated from the live /openapi.json compiles and works, unedited.

``clients/typescript`` is an npm project (node 20+, TypeScript 5, openapi-typescript
and openapi-fetch, pinned in its package-lock.json). This module installs it with
``npm ci`` when its lock file is newer than the install, starts gunicorn over the
built database, generates the client's types from the document the server
publishes, type-checks ``src/check.ts`` with ``tsc`` (strict: a JSON operation typed
``Page | string`` would not compile) and runs it against the server: a list, a
record, a brief as JSON and as Markdown, and a CSV download.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT, served

PROJECT = ROOT / "clients" / "typescript"
INSTALLED = PROJECT / "node_modules" / ".package-lock.json"  # written by npm ci


def run(*command: str, timeout: int = 300) -> str:
    result = subprocess.run(
        command, cwd=PROJECT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def npm_project() -> Path:
    """The npm project, installed exactly as its lock file says."""
    assert shutil.which("node") and shutil.which("npm"), "node 20+ and npm are needed"
    major = int(run("node", "--version").strip().lstrip("v").split(".")[0])
    assert major >= 20, f"node {major}: the client needs node 20 or later"
    lock = PROJECT / "package-lock.json"
    if not INSTALLED.exists() or INSTALLED.stat().st_mtime < lock.stat().st_mtime:
        run("npm", "ci", timeout=600)
    return PROJECT


@pytest.fixture(scope="module")
def output(npm_project, db_path, tmp_path_factory) -> dict:
    """What the compiled program printed after its requests to a live server."""
    log = tmp_path_factory.mktemp("gunicorn-ts") / "gunicorn.log"
    with served(db_path, log, BRIEFS_ACCESS_LOG="0") as (base_url, _, _):
        generated = npm_project / "generated"
        shutil.rmtree(generated, ignore_errors=True)
        generated.mkdir()
        with urllib.request.urlopen(f"{base_url}/openapi.json", timeout=10) as response:
            (generated / "openapi.json").write_bytes(response.read())
        shutil.rmtree(npm_project / "dist", ignore_errors=True)
        run("npm", "run", "--silent", "generate")
        run("npm", "run", "--silent", "build")  # tsc, strict: a type error fails here
        printed = run("npm", "run", "--silent", "check", "--", base_url, timeout=60)
    return json.loads(printed)


def test_the_generated_types_are_the_published_document(output):
    types = (PROJECT / "generated" / "api.d.ts").read_text()
    assert '"/v1/agreements.csv"' in types and '"/v1/briefs/{a}/{b}.md"' in types


def test_a_list(output, client):
    expected = client.get("/v1/agreements?country=Pakistan&country=RU&sort=-date").get_json()
    assert output["list"] == [[a["id"], a["date"], a["status"]] for a in expected["items"]]
    assert output["next_cursor"] is None


def test_a_record(output):
    assert output["record"] == {
        "id": "2005-debt-rescheduling",
        "amount": 127000000,
        "currency": "USD",
    }


def test_a_brief_with_its_documented_query(output):
    assert output["brief"] == {
        "countries": ["Pakistan", "Russia"],
        "as_of": "2010-12-31",
        "documents": ["pakistan-russia-relations-a-new-beginning"],
    }


def test_a_markdown_brief(output):
    assert output["markdown_type"] == "text/markdown; charset=utf-8"
    assert output["markdown_first_line"] == "# Pakistan – Russia: bilateral brief"


def test_a_csv_download(output, client):
    assert output["csv_type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO("\r\n".join(output["csv_lines"]))))
    expected = client.get("/v1/agreements?country=PK&country=RU&predecessors=true").get_json()
    assert [r["id"] for r in rows] == [a["id"] for a in expected["items"]]
    assert {r["id"]: r["via"] for r in rows if r["via"]} == {"1969-helicopter-deal": "SUHH"}
