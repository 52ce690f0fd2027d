"""The counts kept per data version, and the brief's chronology a page at a time.

Facets and briefs read counts that triggers keep in step with every write
(``facet_counts``, ``pair_counts``); here they must give exactly what counting
over the matching rows gives, before and after writes.
"""

from __future__ import annotations

import sqlite3

import pytest

from api.store import layout, planner
from tests.helpers import DOCUMENT, agreement

FACET_URLS = [
    "/v1/agreements?facet=status&facet=year&facet=kind&facet=country&limit=1",
    "/v1/agreements?country=PK&facet=status&facet=year&facet=kind&facet=country&limit=1",
    "/v1/agreements?country=Pakistan&facet=status&limit=1",
    "/v1/commentary?country=RU&facet=kind&facet=year&facet=country&limit=1",
    "/v1/meetings?facet=kind&facet=country&facet=year&limit=1",
    "/v1/events?country=PK&facet=kind&facet=year&facet=country&limit=1",
    "/v1/indicators?facet=kind&facet=year&facet=country&limit=1",
    "/v1/people?facet=country&limit=1",
    "/v1/organizations?facet=country&limit=1",
    "/v1/countries?facet=historical&limit=1",
    "/v1/documents?facet=year&limit=1",
    # Not held by the counts: counted over the rows either way.
    "/v1/agreements?country=RU&predecessors=true&facet=status&limit=1",
    "/v1/agreements?country=PK&status=signed&facet=year&limit=1",
    "/v1/agreements?country=PK&country=RU&facet=status&limit=1",
]
BRIEF_URLS = [
    "/v1/briefs/PK/RU",
    "/v1/briefs/PK/RU?predecessors=false&limit=2",
    "/v1/briefs/RU/TJ?limit=1",
    "/v1/briefs/KG/KZ",
    "/v1/briefs/FR/BR",
    "/v1/briefs/RU/SUHH",  # the groups share the Soviet Union: counted over the rows
    "/v1/briefs/PK/RU?as_of=2008",  # as of a date: counted over the rows
    "/v1/briefs/PK/RU.md",
]


def _bodies(client, urls):
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        found[url] = response.get_data(as_text=True)
    return found


def _both_ways(client, monkeypatch, urls):
    """Each URL's body from the kept counts, and counted over the rows."""
    kept = _bodies(client, urls)
    monkeypatch.setattr(planner, "KEPT_COUNTS", False)
    rows = _bodies(client, urls)
    monkeypatch.setattr(planner, "KEPT_COUNTS", True)
    return kept, rows


def test_facets_and_briefs_from_the_kept_counts_equal_counting_the_rows(client, monkeypatch):
    kept, rows = _both_ways(client, monkeypatch, FACET_URLS + BRIEF_URLS)
    assert kept == rows
    pk = client.get(FACET_URLS[1]).get_json()["facets"]
    # The country asked for is a value of its own facet: every record of the set has it.
    assert pk["country"][0]["value"] == "PK"
    assert sum(v["count"] for v in pk["status"]) == next(
        v["count"] for v in pk["country"] if v["value"] == "PK"
    )


def test_the_fast_paths_are_taken_where_they_hold(db_path):
    from api.domain import catalog
    from api.store import reads
    from api.store.connections import open_readonly

    data = reads.Store(open_readonly(db_path))
    one = planner.Filters(countries=[("PK",)])
    assert data.counted_facets("agreements", one, ["status", "year", "country"]) is not None
    assert data.counted_facets("countries", planner.NO_FILTERS, ["historical"]) is not None
    two = planner.Filters(countries=[("PK",), ("RU",)])
    assert data.counted_facets("agreements", two, ["status"]) is None
    # Russia and the Soviet Union share records: the pair's counts are corrected for
    # the records counted under both (PK-RU and PK-SUHH), and still exact.
    groups = [("PK",), ("RU", "SUHH")]
    assert data._pairs_within(("RU", "SUHH"))
    kept = data.pair_counts(groups)
    assert kept is not None
    everything = planner.Filters(countries=groups)
    assert kept.count("timeline", everything) == data.count(None, everything, 10**6) > 0
    for status in ("signed", "proposed", "expressed_interest"):
        f = planner.Filters(countries=groups, status=status)
        assert kept.count("agreements", f) == data.count(catalog.AGREEMENTS, f, 10**6)
    f = planner.Filters(countries=groups, kind=("op_ed", "quote", "statement"))
    assert kept.count("commentary", f) == data.count(catalog.COMMENTARY, f, 10**6) > 0
    assert data.pair_counts([("RU", "SUHH"), ("SUHH",)]) is None


def _kept(db) -> tuple[list, list]:
    conn = sqlite3.connect(db)
    try:
        return (
            sorted(conn.execute("SELECT * FROM facet_counts WHERE n != 0")),
            sorted(conn.execute("SELECT * FROM pair_counts WHERE n != 0")),
        )
    finally:
        conn.close()


def _recounted(db) -> tuple[list, list]:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        layout.recount(conn)
        found = (
            sorted(conn.execute("SELECT * FROM facet_counts")),
            sorted(conn.execute("SELECT * FROM pair_counts")),
        )
        conn.execute("ROLLBACK")
        return found
    finally:
        conn.close()


def test_writes_keep_the_counts_in_step(writable, monkeypatch):
    client, auth, _, db = writable
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    assert _kept(db) == _recounted(db)
    before = client.get(FACET_URLS[1]).get_json()["facets"]
    created = client.post(
        "/v1/agreements", json=agreement(text, countries=["PK", "RU", "TJ"]), headers=auth
    )
    assert created.status_code == 201, created.get_json()
    assert _kept(db) == _recounted(db)
    after = client.get(FACET_URLS[1]).get_json()["facets"]
    proposed = {v["value"]: v["count"] for v in after["status"]}["proposed"]
    assert proposed == 1 + {v["value"]: v["count"] for v in before["status"]}.get("proposed", 0)
    url = created.headers["Location"]
    patched = client.patch(
        url,
        json={"status": "signed", "date": "1999", "countries": ["PK", "SUHH"]},
        headers={**auth, "If-Match": created.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.get_json()
    assert _kept(db) == _recounted(db)
    kept, rows = _both_ways(client, monkeypatch, FACET_URLS + BRIEF_URLS)
    assert kept == rows
    deleted = client.delete(url, headers={**auth, "If-Match": patched.headers["ETag"]})
    assert deleted.status_code == 204
    assert _kept(db) == _recounted(db)
    assert client.get(FACET_URLS[1]).get_json()["facets"] == before
    kept, rows = _both_ways(client, monkeypatch, FACET_URLS + BRIEF_URLS)
    assert kept == rows


def test_a_row_changed_in_place_moves_its_counts(writable):
    _, _, _, db = writable
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(
        "UPDATE agreements SET status = 'lapsed', kind = 'memorandum', date_start = '1901-01-01' "
        "WHERE id = '2005-debt-rescheduling'"
    )
    conn.close()
    assert _kept(db) == _recounted(db)


def test_the_chronology_continues_where_the_brief_stops(client, monkeypatch):
    from api.briefs.compose import Brief

    whole = client.get("/v1/timeline?country=PK&country=RU&limit=500").get_json()["items"]
    assert client.get("/v1/briefs/PK/RU").get_json()["chronology"]["next"] is None
    monkeypatch.setattr(Brief, "chronology_cap", 3)
    chronology = client.get("/v1/briefs/PK/RU").get_json()["chronology"]
    assert len(chronology["items"]) == 3 and chronology["count"] == len(whole)
    ids = [item["id"] for item in chronology["items"]]
    url = chronology["next"]
    assert "limit=500" in url and "predecessors=true" in url
    while url:
        response = client.get(url.replace("http://localhost", ""))
        assert response.status_code == 200, response.get_json()
        ids += [entry["id"] for entry in response.get_json()["items"]]
        url = response.get_json()["next"]
    assert ids == [entry["id"] for entry in whole]
    # Without the Soviet Union's records, the timeline asked for must leave them out too.
    alone = client.get("/v1/briefs/PK/RU?predecessors=false").get_json()["chronology"]
    assert "predecessors=false" in alone["next"]
    rest = client.get(alone["next"].replace("http://localhost", "")).get_json()["items"]
    direct = client.get("/v1/timeline?country=PK&country=RU&predecessors=false&limit=500")
    expected = [e["id"] for e in direct.get_json()["items"]]
    assert [i["id"] for i in alone["items"]] + [e["id"] for e in rest] == expected


@pytest.mark.slow  # builds a corpus of its own
def test_the_synthetic_corpus_counts_as_the_triggers_would(tmp_path):
    from benchmarks import synth

    db = tmp_path / "synth.db"
    synth.synthesize(600, db, progress=False)
    kept = _kept(db)
    assert kept == _recounted(db)
    assert kept[0] and kept[1]
