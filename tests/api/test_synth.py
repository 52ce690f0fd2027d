"""The synthetic corpus (`python -m benchmarks.synth`): valid, served by the app, deterministic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest

from api import create_app
from api.domain import catalog, citations
from api.store import fulltext
from benchmarks import synth

pytestmark = pytest.mark.slow  # builds corpora of its own

RECORDS = 2000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("synth") / "synth.db"
    return path, synth.synthesize(RECORDS, path, seed=0, progress=False)


@pytest.fixture(scope="module")
def client(corpus):
    return create_app({"DB": str(corpus[0]), "ACCESS_LOG": False}).test_client()


def test_counts_and_meta(corpus):
    path, meta = corpus
    counts = orjson.loads(meta["counts"])
    assert sum(counts.values()) == RECORDS
    assert set(counts) == {r.name for r in catalog.ALL}
    conn = sqlite3.connect(path)
    stored = dict(conn.execute("SELECT key, value FROM meta"))
    assert set(stored) == {
        "dataset_version", "data_version", "built_at", "pycountry", "schema_version", "counts",
        "fulltext", "drafts_version",
    }  # fmt: skip
    assert stored["dataset_version"] == meta["dataset_version"]
    for name, n in counts.items():
        assert conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == n
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The same tables and indexes as a real build, and a full-text entry for every record.
    schema = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql IS NOT NULL")}
    assert {"search", "agreements_date_asc", "timeline_date_desc", "record_links"} <= schema
    index = fulltext.Reader.index(path.parent / stored["fulltext"])
    assert index.searcher().num_docs == sum(counts.values())
    assert fulltext.applied(path.parent / stored["fulltext"]) == 0


def test_every_citation_of_a_sample_verifies_against_the_served_text(client):
    texts: dict[str, str] = {}
    checked = 0
    for resource in ("agreements", "meetings", "events", "indicators", "commentary", "people"):
        page = client.get(f"/v1/{resource}?limit=20").get_json()
        assert page["items"], resource
        for item in page["items"]:
            record = client.get(f"/v1/{resource}/{item['id']}").get_json()
            assert record == item
            for _, source in citations.walk(record):
                doc = source["document"]
                if doc not in texts:
                    response = client.get(f"/v1/documents/{doc}/text")
                    assert response.status_code == 200
                    texts[doc] = response.data.decode("utf-8")
                text = texts[doc]
                start, end = source["start"], source["end"]
                assert text[start:end] == source["quote"]
                assert source["prefix"] == text[max(0, start - 32) : start]
                assert source["suffix"] == text[end : end + 32]
                checked += 1
    assert checked > 100
    assert any(ord(c) > 127 for t in texts.values() for c in t)  # offsets count code points


def test_pages_and_a_deep_cursor(client, corpus):
    counts = orjson.loads(corpus[1]["counts"])
    seen: list[str] = []
    url = "/v1/commentary?limit=100"
    while url and len(seen) < 600:
        page = client.get(url).get_json()
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 600
    deep = client.get(url.replace("limit=100", "limit=50")).get_json()
    assert len(deep["items"]) == 50 and deep["items"][0]["id"] not in seen
    assert counts["commentary"] > 650
    filtered = client.get("/v1/agreements?country=PK&limit=5").get_json()["items"]
    assert filtered and all("PK" in a["countries"] for a in filtered)


def test_search_finds_common_and_rare_words(client, corpus):
    conn = sqlite3.connect(corpus[0])
    rows = conn.execute("SELECT count(*) FROM search").fetchone()[0]
    (name,) = conn.execute("SELECT value FROM meta WHERE key = 'fulltext'").fetchone()

    def matches(word: str) -> int:
        return fulltext.count(corpus[0].parent / name, [word])

    assert matches(synth.word(150)) > rows * 0.005  # a common word
    assert 0 < matches(synth.word(20_000)) < rows * 0.01 or matches(synth.word(30_000)) < 20
    hits = client.get(f"/v1/search?q={synth.word(150)}&limit=5").get_json()["items"]
    assert len(hits) == 5 and all("<mark>" in h["snippet"] for h in hits)


def test_ready_with_the_current_table_layout(client):
    assert client.get("/readyz").status_code == 200


def test_a_brief(client):
    response = client.get("/v1/briefs/PK/RU")
    assert response.status_code == 200
    brief = response.get_json()
    assert brief["sources"] and brief["chronology"]["count"] > 0
    markdown = client.get("/v1/briefs/PK/RU", headers={"Accept": "text/markdown"})
    assert markdown.status_code == 200


def test_same_seed_same_version_other_seed_other(tmp_path, corpus):
    again = synth.synthesize(RECORDS, tmp_path / "again.db", seed=0, progress=False)
    other = synth.synthesize(RECORDS, tmp_path / "other.db", seed=1, progress=False)
    assert again["dataset_version"] == corpus[1]["dataset_version"]
    assert other["dataset_version"] != corpus[1]["dataset_version"]


def test_a_drifting_record_is_refused(monkeypatch, tmp_path):
    original = synth.Corpus.make_agreements

    def drifted(self, i):
        record = original(self, i)
        record["kind"] = "alliance"  # not an AgreementKind
        return record

    monkeypatch.setattr(synth.Corpus, "make_agreements", drifted)
    with pytest.raises(synth.DriftError, match="kind"):
        synth.synthesize(500, tmp_path / "drift.db", progress=False)
    assert not (tmp_path / "drift.db").exists()
