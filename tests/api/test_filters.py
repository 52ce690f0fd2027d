"""Filters and search as users guess them: partial dates, comma lists, via, surnames."""

from __future__ import annotations

import json

import pytest

from api import create_app
from api.build.database import build


def ids(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(
    ("partial", "full"),
    [
        ("from=2007&to=2007", "from=2007-01-01&to=2007-12-31"),
        ("from=2005-03&to=2005-03", "from=2005-03-01&to=2005-03-31"),
        ("from=2010-11", "from=2010-11-01"),
        ("to=1969", "to=1969-12-31"),
        ("from=2010&sort=-date", "from=2010-01-01&sort=-date"),
    ],
)
def test_partial_dates_filter_by_the_interval_they_name(client, partial, full):
    for resource in ("agreements", "meetings", "events", "commentary", "timeline"):
        expected = ids(client, f"/v1/{resource}?{full}")
        assert ids(client, f"/v1/{resource}?{partial}") == expected, resource
    assert ids(client, "/v1/agreements?from=2007&to=2007") == ["2007-oil-sector-mou"]
    assert ids(client, "/v1/agreements?from=2005-03&to=2005-03") == ["2005-debt-rescheduling"]


def test_as_of_takes_a_year_or_month_as_its_last_day(client):
    assert client.get("/v1/agreements?as_of=2010").get_json() == client.get(
        "/v1/agreements?as_of=2010-12-31"
    ).get_json()
    assert ids(client, "/v1/agreements?as_of=2010-10") == []  # the source is of 2010-11-30
    brief = client.get("/v1/briefs/PK/RU?as_of=2010-11").get_json()
    assert brief["as_of"] == "2010-11-30" and brief["coverage"]["documents"]


@pytest.mark.parametrize("bad", ["2007-13", "2007-02-30", "07", "2007-1", "yesterday"])
def test_a_bad_partial_date_is_a_400_naming_the_parameter(client, bad):
    response = client.get(f"/v1/agreements?from={bad}")
    assert response.status_code == 400
    assert "from" in response.get_json()["errors"]


def test_from_after_to_is_a_400(client):
    response = client.get("/v1/agreements?from=2008&to=2007-12")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"from": ["Must not be after 'to'."]}


def test_commas_separate_countries(client):
    repeated = ids(client, "/v1/agreements?country=PK&country=RU")
    assert ids(client, "/v1/agreements?country=PK,RU") == repeated
    assert ids(client, "/v1/agreements?country=pakistan, russia") == repeated
    # a name that has a comma of its own is still one country
    assert ids(client, "/v1/countries?q=korea, republic") == ["KR"]
    assert ids(client, "/v1/agreements?country=Korea, Republic of") == []
    response = client.get("/v1/agreements?country=PK,Atlantis")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"country": ["Unknown country: 'Atlantis'."]}


def test_predecessors_on_a_collection_mark_what_they_bring_in(client):
    body = client.get("/v1/agreements?country=PK&country=RU&predecessors=true").get_json()
    via = {item["id"]: item.get("via") for item in body["items"]}
    assert via["1969-helicopter-deal"] == "SUHH"
    assert {v for k, v in via.items() if k != "1969-helicopter-deal"} == {None}
    direct = client.get("/v1/agreements?country=PK&country=RU").get_json()["items"]
    assert all("via" not in item for item in direct)
    assert "1969-helicopter-deal" not in [item["id"] for item in direct]
    meetings = client.get("/v1/meetings?country=RU&predecessors=true").get_json()["items"]
    assert {m["via"] for m in meetings if "via" in m} == {"SUHH"}
    csv = client.get("/v1/agreements?country=PK,RU&predecessors=true&format=csv")
    header, *rows = csv.get_data(as_text=True).splitlines()
    assert header.endswith(",via")
    assert [r for r in rows if r.startswith("1969-helicopter-deal,")][0].endswith(",SUHH")


def test_people_are_searched_by_part_of_a_name(client):
    assert ids(client, "/v1/people?q=gil") == ["yousaf-raza-gilani"]
    assert ids(client, "/v1/people?q=fredkov") == ["mikhail-fradkov"]
    assert ids(client, "/v1/people?q=nobody") == []


def test_a_surname_alone_finds_the_one_person_it_fits(client):
    by_surname = ids(client, "/v1/commentary?author=siddiqui")
    assert by_surname == ids(client, "/v1/commentary?author=tayyab-siddiqui") != []
    assert client.get("/v1/people/siddiqui").get_json()["id"] == "tayyab-siddiqui"
    assert ids(client, "/v1/meetings?person=khan") == ids(client, "/v1/meetings?person=yahya-khan")


def test_a_surname_several_people_share_is_a_400_with_candidates(inputs, tmp_path):
    seeds, fixtures = inputs
    people = json.loads((fixtures / "people.json").read_text())
    people.append({"id": "imran-khan", "name": "Imran Khan", "aliases": [], "roles": []})
    (fixtures / "people.json").write_text(json.dumps(people, ensure_ascii=False, indent=2))
    build(seeds, fixtures, tmp_path / "briefs.db")
    client = create_app({"DB": str(tmp_path / "briefs.db"), "ACCESS_LOG": False}).test_client()
    for url in ("/v1/meetings?person=khan", "/v1/people/Khan"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.get_json()["candidates"] == ["imran-khan", "yahya-khan"]
    assert client.get("/v1/people/imran khan").get_json()["id"] == "imran-khan"


def test_an_entity_whose_name_matches_ranks_above_passing_mentions(client):
    for q, first in [
        ("Fredkov", "mikhail-fradkov"),  # a source's misspelling, an alias
        ("Gillani", "yousaf-raza-gilani"),
        ("Putin", "vladimir-putin"),
        ("USSR", "SUHH"),
    ]:
        found = client.get(f"/v1/search?q={q}").get_json()["items"]
        assert found[0]["id"] == first, q
        assert found[0]["score"] > found[1]["score"] > 0 if len(found) > 1 else True
