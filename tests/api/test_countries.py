"""Countries: the names people write, every former state, ambiguity as a 400."""

from __future__ import annotations

import pycountry
import pytest


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Turkey", "TR"),
        ("Holland", "NL"),
        ("Swaziland", "SZ"),
        ("Britain", "GB"),
        ("Great Britain", "GB"),
        ("UK", "GB"),
        ("Burma", "MM"),  # still how many write Myanmar: a current country wins
        ("Ivory Coast", "CI"),
        ("Kosovo", "XK"),
        ("Yugoslavia", "YUCS"),
        ("Czechoslovakia", "CSHH"),
        ("East Germany", "DDDE"),
        ("DD", "DDDE"),
        ("North Vietnam", "VDVN"),
        ("Upper Volta", "HVBF"),
        ("Zaire", "ZRCD"),
        ("Russie", "RU"),
        ("Türkiye", "TR"),
        ("SU", "SUHH"),  # a code no current country holds finds the former state
        ("SK", "SK"),  # Slovakia, not Sikkim (SKIN)
        ("BY", "BY"),  # Belarus, not the Byelorussian SSR (BYAA)
        ("Taiwan", "TW"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
    ],
)
def test_names_people_write_find_the_country(client, name, expected):
    response = client.get(f"/v1/countries/{name}")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["id"] == expected
    if name != expected:
        assert response.headers["Content-Location"].endswith(f"/v1/countries/{expected}")


@pytest.mark.parametrize(
    ("name", "candidates"),
    [
        ("Congo", ["CD", "CG"]),
        ("Korea", ["KP", "KR"]),
        ("Guinea", ["GN", "GQ", "GW", "PG"]),
        ("CS", ["CSHH", "CSXX"]),  # Czechoslovakia's and Serbia and Montenegro's code
    ],
)
def test_an_ambiguous_name_is_a_400_with_candidates_everywhere(client, name, candidates):
    for path, parameter in (
        (f"/v1/countries/{name}", "code"),
        (f"/v1/briefs/{name}/PK", "a"),
        (f"/v1/briefs/PK/{name}.md", "b"),
        (f"/v1/agreements?country={name}", "country"),
        (f"/v1/timeline.csv?country={name}", "country"),
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert response.content_type == "application/problem+json"
        problem = response.get_json()
        assert problem["candidates"] == candidates, path
        assert problem["errors"] == {parameter: [f"Ambiguous: {', '.join(candidates)}."]}, path


def test_a_brief_takes_everyday_names(client):
    by_name = client.get("/v1/briefs/Turkey/PK")
    assert by_name.status_code == 200
    assert by_name.get_json()["countries"] == client.get("/v1/briefs/TR/PK").get_json()[
        "countries"
    ]


def test_every_former_state_is_a_record_named_as_people_write_it(client):
    items = client.get("/v1/countries?historical=true&limit=500").get_json()["items"]
    assert {c["id"] for c in items} == {c.alpha_4 for c in pycountry.historic_countries}
    by_id = {c["id"]: c for c in items}
    assert by_id["SUHH"]["name"] == "Soviet Union"
    assert by_id["SUHH"]["official_name"] == "USSR, Union of Soviet Socialist Republics"
    assert by_id["YUCS"]["name"] == "Yugoslavia"
    assert by_id["DDDE"]["name"] == "East Germany"
    assert by_id["DDDE"]["successors"] == ["DE"]
    assert by_id["CSHH"]["successors"] == ["CZ", "SK"]
    assert by_id["CSHH"]["continuator"] is None
    assert by_id["VDVN"]["continuator"] == "VN"
    assert all(c["historical"] and c["successors"] for c in items)
    for c in items:
        for successor in c["successors"]:
            assert client.get(f"/v1/countries/{successor}").status_code == 200, c["id"]


def test_display_names_keep_the_iso_name(client):
    taiwan = client.get("/v1/countries/TW").get_json()
    assert (taiwan["name"], taiwan["official_name"]) == ("Taiwan", "Taiwan, Province of China")
    russia = client.get("/v1/countries/RU").get_json()
    assert (russia["name"], russia["official_name"]) == ("Russia", "Russian Federation")
    bolivia = client.get("/v1/countries/BO").get_json()
    assert bolivia["name"] == "Bolivia"
    assert {"name": "Bolivia, Plurinational State of", "kind": "official", "sources": []} in (
        bolivia["aliases"]
    )


def test_kosovo_has_the_user_assigned_code(client):
    kosovo = client.get("/v1/countries/XK").get_json()
    assert kosovo["name"] == "Kosovo"
    assert kosovo["user_assigned"] is True
    assert kosovo["historical"] is False
    assert client.get("/v1/countries/PK").get_json()["user_assigned"] is False


def test_a_typo_suggests_the_country(client):
    response = client.get("/v1/countries/Pakistn")
    assert response.status_code == 404
    assert response.get_json()["suggestions"][0] == "PK"


def test_a_curated_alias_wins_over_the_everyday_reading(inputs, tmp_path):
    """Fixtures' aliases and source spellings come first: a curator who says that
    "Burma" in these sources is the state of 1974-1989 is taken at their word."""
    import json

    from api import create_app
    from api.build.database import build

    seeds, fixtures = inputs
    countries = json.loads((fixtures / "countries.json").read_text())
    burma = next(c for c in countries if c["id"] == "BUMM")
    burma["aliases"] = [{"name": "Burma", "kind": "former"}]
    (fixtures / "countries.json").write_text(json.dumps(countries, ensure_ascii=False))
    build(seeds, fixtures, tmp_path / "briefs.db")
    client = create_app({"DB": str(tmp_path / "briefs.db"), "ACCESS_LOG": False}).test_client()
    assert client.get("/v1/countries/Burma").get_json()["id"] == "BUMM"
    assert client.get("/v1/countries/Myanmar").get_json()["id"] == "MM"
