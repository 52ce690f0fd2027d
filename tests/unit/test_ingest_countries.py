"""Countries from names, demonyms, capitals as metonyms, a leader's known role, and
historical states by date."""

import pytest

from api.ingest import Known
from api.ingest.read import countries
from tests.ingest_helpers import of, run


def ids(text, when=None):
    return [countries.capital_at_date(m, when) for m in countries.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pakistan has a place in Russia’s policy.", ["PK", "RU"]),
        ("Kazakh and Uzbek officials met.", ["KZ", "UZ"]),
        ("Tokyo should move faster, Kenyan diplomats said.", ["JP", "KE"]),
        ("the emergence of the Russian Federation", ["RU"]),
        ("Relations with the former USSR were cool.", ["SUHH"]),
        ("Indo-Soviet friendship", ["IN", "SUHH"]),
        ("Burma and Ivory Coast", ["MM", "CI"]),
        ("The Express Tribune reported.", []),
        ("US President Donald Trump flew to India.", ["US", "IN"]),
        ("the U.S. and the ROK agreed; the FSM and PNG signed", ["US", "KR", "FM", "PG"]),
        ("They told us the PM and the FO would decide.", []),
        ("a target of 10 billion US dollars, or US$ 4 billion, in U.S. dollars", []),
        ("their Indo-Pacific strategy and Indo-Soviet ties", ["IN", "SUHH"]),
    ],
)
def test_countries_from_names_demonyms_and_capitals(text, expected):
    assert ids(text) == expected


def test_a_city_followed_by_its_country_is_an_address_a_venue_not_a_party():
    found = countries.find("They met at the KLCC, Kuala Lumpur, Malaysia, on Sunday. Tokyo said.")
    assert [(m.id, m.via, m.venue) for m in found] == [
        ("MY", "capital", True), ("MY", "name", True), ("JP", "capital", False),
    ]  # fmt: skip


def test_a_capital_after_in_is_a_venue_not_a_party():
    (venue,) = [m for m in countries.find("The two met in Dushanbe.") if m.venue]
    assert (venue.id, venue.city) == ("TJ", "Dushanbe")
    (metonym,) = countries.find("Dushanbe wants more water.")
    assert not metonym.venue


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        ("Hanoi signed an aid agreement", "1973", ["VDVN"]),
        ("Hanoi signed an aid agreement", "1995", ["VN"]),
        ("Moscow sent engineers", "1969", ["SUHH"]),
        ("Moscow sent engineers", "2007-04", ["RU"]),
        ("the first visit by a Soviet leader", "2007-04", ["RU"]),
        ("the first visit by a Soviet leader", "1985", ["SUHH"]),
    ],
)
def test_historical_states_by_date(text, when, expected):
    assert ids(text, when) == expected


def test_drafts_name_the_state_of_their_date():
    text = "In 1973 Hanoi signed an aid agreement with Moscow."
    (agreement,) = of(run(text), "agreements")
    assert agreement["record"]["countries"] == ["VDVN", "SUHH"]
    assert agreement["record"]["date"] == "1973"


def test_a_known_leader_gives_the_country_the_text_leaves_out():
    known = Known(people=[{
        "id": "amara-okafor", "name": "Amara Okafor", "aliases": [],
        "roles": [{"title": "President", "country": "NG", "from": None, "to": None,
                   "sources": []}],
    }])
    text = "Amara Okafor met Ghana's foreign minister in Accra on Wednesday."
    (meeting,) = of(run(text, known=known), "meetings")
    assert meeting["record"]["participants"][0] == {
        "person": "amara-okafor", "role": "President", "country": "NG"}
    assert sorted(meeting["record"]["countries"]) == ["GH", "NG"]
