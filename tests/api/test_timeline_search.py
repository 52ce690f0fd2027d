"""The timeline, full-text search, facets and name resolution."""

from __future__ import annotations

from pathlib import Path

import pytest


def items(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


# --- timeline ----------------------------------------------------------------------


def test_timeline_merges_every_type_in_date_order(client):
    entries = items(client, "/v1/timeline?country=PK&country=RU&limit=500")
    assert {e["type"] for e in entries} == {
        "agreement",
        "meeting",
        "event",
        "indicator",
        "commentary",
    }
    dated = [e["date_start"] for e in entries if e["date"]]
    assert dated == sorted(dated)
    assert [bool(e["date"]) for e in entries] == sorted(
        (bool(e["date"]) for e in entries), reverse=True
    )
    assert entries[0]["id"] == "1969-helicopter-deal" and entries[0]["via"] == "SUHH"
    for entry in entries:
        assert entry["title"] and entry["sources"]
        assert {"PK"} <= set(entry["countries"])


def test_timeline_descending(client):
    entries = items(client, "/v1/timeline?country=PK&country=RU&sort=-date&limit=500")
    dated = [e["date_start"] for e in entries if e["date"]]
    assert dated == sorted(dated, reverse=True)
    assert not entries[-1]["date"]


def test_timeline_keeps_the_precision_of_dates(client):
    entries = {e["id"]: e for e in items(client, "/v1/timeline?country=PK&limit=500")}
    assert entries["1969-helicopter-deal"]["date"] == "1969"
    assert entries["2005-debt-rescheduling"]["date"] == "2005-03"
    assert entries["2007-oil-sector-mou"]["date"] == "2007-11-19"


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("country=RU", "1969-helicopter-deal", None),
        (
            "country=RU&predecessors=false",
            "1991-dissolution-of-the-soviet-union",
            "1969-helicopter-deal",
        ),
        ("country=TJ", "2010-sco-summit-dushanbe", "1969-helicopter-deal"),
        (
            "country=PK&from=2007-01-01&to=2007-12-31",
            "2007-oil-sector-mou",
            "2005-debt-rescheduling",
        ),
        ("country=PK&type=meeting", "2007-fradkov-visit-to-pakistan", "2007-oil-sector-mou"),
        (
            "country=PK&type=indicator&type=agreement",
            "2010-pakistan-russia-trade-turnover",
            "2007-fradkov-visit-to-pakistan",
        ),
    ],
)
def test_timeline_filters(client, query, included, excluded):
    ids = [e["id"] for e in items(client, f"/v1/timeline?{query}&limit=500")]
    assert included in ids
    if excluded:
        assert excluded not in ids


def test_timeline_pages(client):
    whole = [e["id"] for e in items(client, "/v1/timeline?country=PK&limit=500")]
    seen, url = [], "/v1/timeline?country=PK&limit=7"
    while url:
        body = client.get(url).get_json()
        seen += [e["id"] for e in body["items"]]
        url = body["next"]
    assert seen == whole


def test_timeline_as_csv(client):
    text = client.get("/v1/timeline?country=PK&format=csv").get_data(as_text=True)
    assert text.splitlines()[0].startswith("type,id,date,date_start,date_end,title")


# --- search ----------------------------------------------------------------------


def hits(client, q, extra=""):
    from urllib.parse import quote

    response = client.get(f"/v1/search?q={quote(q)}{extra}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


def test_search_finds_a_source_misspelling(client):
    found = hits(client, "Fredkov", "&type=person")
    assert [h["id"] for h in found] == ["mikhail-fradkov"]
    assert "<mark>Fredkov</mark>" in found[0]["snippet"]
    assert found[0]["href"].endswith("/v1/people/mikhail-fradkov")


def test_search_is_case_and_accent_insensitive(client):
    assert {h["id"] for h in hits(client, "DUSHANBÉ", "&type=meeting")} == {
        "2010-putin-gilani-dushanbe",
        "2010-sco-summit-dushanbe",
    }


def test_every_word_must_match_and_order_is_stable(client):
    both = {h["id"] for h in hits(client, "helicopter deal")}
    assert both == {h["id"] for h in hits(client, "deal helicopter")}
    assert both <= {h["id"] for h in hits(client, "helicopter")}
    first = [h["id"] for h in hits(client, "Pakistan")]
    assert first == [h["id"] for h in hits(client, "Pakistan")]
    scores = [h["score"] for h in hits(client, "Pakistan")]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0


def test_title_matches_rank_first(client):
    found = hits(client, "Fradkov")
    assert found[0]["id"] == "mikhail-fradkov"


def test_search_pages(client):
    whole = [h["id"] for h in hits(client, "Pakistan", "&limit=500")]
    seen, url = [], "/v1/search?q=Pakistan&limit=5"
    while url:
        body = client.get(url).get_json()
        seen += [h["id"] for h in body["items"]]
        url = body["next"]
    assert seen == whole and len(whole) > 10


def test_search_pages_through_the_best_max_hits(client, monkeypatch):
    from api.store import fulltext

    whole = [h["id"] for h in hits(client, "Pakistan", "&limit=500")]
    monkeypatch.setattr(fulltext, "MAX_HITS", 7)
    first = client.get("/v1/search?q=Pakistan&limit=5").get_json()
    second = client.get(first["next"]).get_json()
    assert [h["id"] for h in first["items"] + second["items"]] == whole[:7]
    assert second["next"] is None


def test_every_match_is_ranked(client):
    """A common word's matches all come back, best first, each once."""
    from api.store import fulltext

    found, url = [], "/v1/search?q=Pakistan&limit=7"
    while url:
        page = client.get(url).get_json()
        found += page["items"]
        url = page["next"]
    scores = [h["score"] for h in found]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0
    assert len({(h["type"], h["id"]) for h in found}) == len(found)
    directory = next(Path(client.application.config["DB"]).parent.glob("*.fulltext-*"))
    assert len(found) == fulltext.count(directory, ["pakistan"]) > 20


def test_a_broken_index_is_a_503_problem(db_path, tmp_path):
    import shutil

    from api import create_app

    shutil.copy(db_path, tmp_path / "briefs.db")
    (index,) = db_path.parent.glob("*.fulltext-*")
    shutil.copytree(index, tmp_path / index.name)
    for segment in (tmp_path / index.name).glob("*.term"):
        segment.write_bytes(b"not an index")
    (tmp_path / index.name / "meta.json").write_text("{")
    client = create_app({"DB": str(tmp_path / "briefs.db"), "ACCESS_LOG": False}).test_client()
    response = client.get("/v1/search?q=Fredkov")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert "full-text index" in response.get_json()["detail"]
    assert response.headers["Retry-After"]


HOSTILE = [
    '"',
    '""',
    "NEAR(",
    "NEAR(a b",
    "*",
    "-",
    "a -b",
    "(",
    ")",
    "((a)",
    "a OR",
    "AND",
    "title:x",
    "^a",
    "a*b",
    "'; DROP TABLE search; --",
    "\\",
    "\x00",
    "💣",
    "x" * 500,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_search_strings_never_fail(client, q):
    from urllib.parse import quote

    response = client.get(f"/v1/search?q={quote(q)}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.content_type == "application/problem+json"
        assert "q" in response.get_json()["errors"]


def test_a_10_kb_search_is_refused_as_a_problem(client):
    response = client.get("/v1/search?q=" + "a" * 10_000)
    assert response.status_code == 414
    assert response.content_type == "application/problem+json"
    long_field = client.get("/v1/search?q=" + "a " * 400)
    assert long_field.status_code == 400
    assert long_field.get_json()["errors"]["q"]


# --- facets ----------------------------------------------------------------------


def test_facets_count_the_filtered_set(client):
    body = client.get(
        "/v1/agreements?country=PK&facet=status&facet=year&facet=country&limit=1"
    ).get_json()
    assert len(body["items"]) == 1
    status = {f["value"]: f["count"] for f in body["facets"]["status"]}
    assert status == {"signed": 3, "expressed_interest": 2, "under_consideration": 1}
    years = {f["value"]: f["count"] for f in body["facets"]["year"]}
    assert years == {"1969": 1, "2005": 1, "2007": 1, "2010": 3}
    countries = {f["value"]: f["count"] for f in body["facets"]["country"]}
    assert countries == {"PK": 6, "RU": 5, "SUHH": 1}
    counts = [f["count"] for f in body["facets"]["status"]]
    assert counts == sorted(counts, reverse=True)


def test_no_facets_unless_asked(client):
    assert client.get("/v1/agreements").get_json()["facets"] == {}


def test_undated_records_have_a_null_year_facet(client):
    years = client.get("/v1/events?facet=year").get_json()["facets"]["year"]
    assert {"value": None, "count": 4} in years


def test_a_facet_the_resource_lacks_is_a_400(client):
    response = client.get("/v1/meetings?facet=status")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"facet[0]": ["Must be one of: kind, country, year."]}


# --- name resolution ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Pákistán", "PK"),
        ("PAKISTAN", "PK"),
        ("russian  federation", "RU"),
        ("u.s.s.r.", "SUHH"),
        ("Soviet-Union", "SUHH"),
    ],
)
def test_countries_resolve_ignoring_case_accents_and_punctuation(client, name, expected):
    from urllib.parse import quote

    assert client.get(f"/v1/countries/{quote(name)}").get_json()["id"] == expected
    assert client.get(f"/v1/agreements?country={quote(name)}").status_code == 200


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fredkov", "mikhail-fradkov"),
        ("Mekhail Fredkov", "mikhail-fradkov"),
        ("gillani", "yousaf-raza-gilani"),  # the surname of a source's spelling
        ("raza", None),  # a middle name is no surname
        ("Yousaf Raza Gillani", "yousaf-raza-gilani"),
        ("yahya", "yahya-khan"),
    ],
)
def test_people_resolve_by_name_alias_and_source_spelling(client, name, expected):
    from urllib.parse import quote

    response = client.get(f"/v1/people/{quote(name)}")
    if expected:
        assert response.get_json()["id"] == expected
    else:
        assert response.status_code == 404
        assert response.get_json()["suggestions"][0] == "yousaf-raza-gilani"
