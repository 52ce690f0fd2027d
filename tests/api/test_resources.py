"""Every fixture record is served as itself, and every served citation verifies."""

from __future__ import annotations

import hashlib
import json

import pytest

from api.domain import catalog
from tests.helpers import DOCUMENT, FIXTURES, SEEDS

CURATED = [r.name for r in catalog.CURATED]
DERIVED = {"date_start", "date_end", "outcomes"}


def fixture_records(resource: str) -> list[dict]:
    return json.loads((FIXTURES / f"{resource}.json").read_text(encoding="utf-8"))


def all_items(client, resource: str) -> list[dict]:
    items, url = [], f"/v1/{resource}?limit=500"
    while url:
        body = client.get(url).get_json()
        items += body["items"]
        url = body["next"]
    return items


@pytest.mark.parametrize("resource", CURATED)
def test_every_fixture_record_round_trips(client, resource):
    for record in fixture_records(resource):
        response = client.get(f"/v1/{resource}/{record['id']}")
        assert response.status_code == 200
        assert response.content_type == "application/json"
        served = response.get_json()
        assert {k: v for k, v in served.items() if k not in DERIVED} == record


@pytest.mark.parametrize("resource", CURATED)
def test_collections_list_every_fixture_record(client, resource):
    served = {r["id"]: r for r in all_items(client, resource)}
    assert set(served) == {r["id"] for r in fixture_records(resource)}


def test_every_served_citation_verifies_against_the_served_text(client):
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    checked = 0

    def walk(value):
        nonlocal checked
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "sources":
                    for source in item:
                        assert source["document"] == DOCUMENT
                        start, end = source["start"], source["end"]
                        assert text[start:end] == source["quote"]
                        assert text[max(0, start - 32) : start] == source["prefix"]
                        assert text[end : end + 32] == source["suffix"]
                        checked += 1
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for resource in catalog.ALL:
        walk(all_items(client, resource.name))
    in_fixtures = sum(
        path.read_text(encoding="utf-8").count('"quote":') for path in FIXTURES.glob("*.json")
    )
    assert checked == in_fixtures > 0


def test_document_text_is_the_seed_byte_for_byte(client):
    response = client.get(f"/v1/documents/{DOCUMENT}/text")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    seed = (SEEDS / f"{DOCUMENT}.txt").read_bytes()
    assert response.get_data() == seed
    record = client.get(f"/v1/documents/{DOCUMENT}").get_json()
    assert record["sha256"] == hashlib.sha256(seed).hexdigest()
    assert record["length"] == len(seed.decode("utf-8"))


def test_document_metadata(client):
    record = client.get(f"/v1/documents/{DOCUMENT}").get_json()
    assert record["title"] == "Pakistan-Russia relations — A new beginning"
    assert record["authors"] == [{"name": "Tayyab Siddiqui", "person": "tayyab-siddiqui"}]
    assert record["publisher"] == "The Express Tribune"
    assert (record["published"], record["dated"]) == ("2010-11-30", "2010-11-29")
    assert (record["comments_displayed"], record["comments_captured"]) == (5, 2)
    assert record["retrieved"] is None and record["url"] is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("PK", "PK"),
        ("pak", "PK"),
        ("Pakistan", "PK"),
        ("Islamic Republic of Pakistan", "PK"),
        ("RU", "RU"),
        ("Russia", "RU"),
        ("russian federation", "RU"),
        ("SUHH", "SUHH"),
        ("SU", "SUHH"),
        ("USSR", "SUHH"),
        ("soviet union", "SUHH"),
        ("TJK", "TJ"),
    ],
)
def test_countries_are_found_by_code_and_alias(client, code, expected):
    response = client.get(f"/v1/countries/{code}")
    assert response.status_code == 200
    assert response.get_json()["id"] == expected
    if code != expected:
        assert response.headers["Content-Location"] == f"/v1/countries/{expected}"


def test_countries_are_generated_from_iso_3166(client):
    af = client.get("/v1/countries/AF").get_json()
    assert (af["alpha2"], af["alpha3"], af["numeric"]) == ("AF", "AFG", "004")
    assert af["historical"] is False
    su = client.get("/v1/countries/SUHH").get_json()
    assert su["historical"] is True
    assert su["continuator"] == "RU"
    assert "TJ" in su["successors"]
    assert su["external_ids"]["wikidata"] == "Q15180"
    current = client.get("/v1/countries?historical=false&limit=500").get_json()["items"]
    assert len(current) == 249 + 1  # ISO 3166-1 and Kosovo


def test_mentioned_countries(client):
    items = client.get("/v1/countries?mentioned=true&limit=500").get_json()["items"]
    assert {"PK", "RU", "SUHH", "TJ", "AF", "IN"} <= {c["id"] for c in items}
    assert "FR" not in {c["id"] for c in items}


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json()["status"] == "ok"
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready"
    assert len(ready["dataset_version"]) == 16


def test_readiness_fails_without_a_database(tmp_path):
    from api import create_app

    app = create_app({"DB": str(tmp_path / "missing.db"), "ACCESS_LOG": False})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert "briefs build" in response.get_json()["detail"]


def test_a_full_text_index_that_will_not_open_is_not_ready(db_path, tmp_path):
    import shutil

    from api import create_app

    db = tmp_path / "briefs.db"
    shutil.copy(db_path, db)
    (index,) = db_path.parent.glob("briefs.db.fulltext-*")
    shutil.copytree(index, tmp_path / index.name)
    (tmp_path / index.name / "meta.json").unlink()  # tantivy opens no index without it
    client = create_app({"DB": str(db), "ACCESS_LOG": False}).test_client()
    for path in ("/readyz", "/v1/search?q=helicopter"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.content_type == "application/problem+json"
        assert response.headers["Retry-After"] == "5"
        assert "cannot open the full-text index" in response.get_json()["detail"]
    assert client.get("/v1/agreements").status_code == 200  # the rest is served


def test_a_database_of_another_layout_is_not_ready_and_refuses_writes(db_path, tmp_path):
    import shutil
    import sqlite3

    from api import create_app
    from api.store.tokens import Tokens

    db = tmp_path / "old.db"
    shutil.copy(db_path, db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    app = create_app({"DB": str(db), "AUTH_DB": str(tmp_path / "auth.db"), "ACCESS_LOG": False})
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "run 'briefs build'" in ready.get_json()["detail"]
    _, secret = Tokens(tmp_path / "auth.db").create("t")
    response = client.post("/v1/events", json={"title": "x"},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
