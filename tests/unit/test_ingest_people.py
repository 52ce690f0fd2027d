"""People: offices and countries read beside names, and known people linked by name, alias
or a source's misspelling."""

from api.ingest import Known
from tests.ingest_helpers import of, run

FRADKOV = {
    "id": "mikhail-fradkov",
    "name": "Mikhail Fradkov",
    "aliases": [],
    "roles": [{"title": "Prime Minister", "country": "RU", "from": None, "to": None,
               "sources": [{"document": "another-paper", "quote": "Prime Minister Mikhail Fradkov",
                            "start": 10, "end": 40}]}],
    "external_ids": {"wikidata": None},
    "notes": [],
    "inferred": [],
}
TEXT = ("The ice broke in April 2007 when then prime minister Mekhail Fredkov visited "
        "Pakistan. Fredkov called it a new start.")


def test_a_misspelt_known_person_is_linked_and_the_spelling_proposed():
    out = run(TEXT, known=Known(people=[FRADKOV]))
    (visit,) = of(out, "meetings")
    assert visit["record"]["participants"] == [
        {"person": "mikhail-fradkov", "role": "Prime Minister", "country": "RU"}]
    (person,) = of(out, "people")
    assert person["action"] == "add_source" and person["target"] == "mikhail-fradkov"
    spelling = person["record"]["aliases"][0]
    assert (spelling["name"], spelling["kind"]) == ("Mekhail Fredkov", "source_spelling")
    assert spelling["sources"][0]["quote"] == "Mekhail Fredkov"
    assert person["record"]["name"] == "Mikhail Fradkov"
    # what accepting adds, nothing else: both spellings, the surname too
    assert [a["name"] for a in person["record"]["aliases"]] == ["Mekhail Fredkov", "Fredkov"]
    assert person["matches"][0]["id"] == "mikhail-fradkov"
    assert person["matches"][0]["score"] >= 0.8


def test_a_surname_alone_is_no_new_spelling():
    text = "Prime Minister Mikhail Fradkov landed on Monday. Fradkov spoke briefly."
    assert of(run(text, known=Known(people=[FRADKOV])), "people") == []


def test_a_known_alias_links_without_a_draft():
    known = dict(FRADKOV, aliases=[{"name": name, "kind": "common", "sources": []}
                                   for name in ("Mekhail Fredkov", "Fredkov")])
    out = run(TEXT, known=Known(people=[known]))
    assert of(out, "people") == []
    assert of(out, "meetings")[0]["record"]["participants"][0]["person"] == "mikhail-fradkov"


def test_an_unknown_person_is_proposed_with_office_country_and_aliases():
    text = ("Kenyan President Ruth Wanjiru met Chinese Premier Chen Ming on March 2, 2024. "
            "Wanjiru said little afterwards.")
    out = run(text)
    people = {d["record"]["name"]: d["record"] for d in of(out, "people")}
    assert set(people) == {"Ruth Wanjiru", "Chen Ming"}
    role = people["Ruth Wanjiru"]["roles"][0]
    assert (role["title"], role["country"]) == ("President", "KE")
    assert role["sources"][0]["quote"] == "Kenyan President Ruth Wanjiru"
    assert [a["name"] for a in people["Ruth Wanjiru"]["aliases"]] == ["Wanjiru"]
    assert people["Chen Ming"]["roles"][0]["country"] == "CN"
    meeting = of(out, "meetings")[0]["record"]
    assert [p["person"] for p in meeting["participants"]] == [None, None]


def test_a_counterpart_holds_the_office_of_the_person_named_before():
    text = ("Russian Prime Minister Ivan Sokolov met his Indian counterpart Ravi Menon "
            "on May 3, 2012.")
    people = {d["record"]["name"]: d["record"]["roles"][0] for d in of(run(text), "people")}
    assert (people["Ravi Menon"]["title"], people["Ravi Menon"]["country"]) == (
        "Prime Minister", "IN")


def test_titles_are_not_part_of_names():
    out = run("PM Sadia Rahman flew home. Lady Ann Hollis stayed.")
    assert sorted(d["record"]["name"] for d in of(out, "people")) == ["Ann Hollis",
                                                                       "Sadia Rahman"]


def test_a_new_person_lists_known_people_with_similar_names():
    text = "Prime Minister Mikhail Fradin arrived in Islamabad on Monday."
    (person,) = of(run(text, known=Known(people=[FRADKOV])), "people")
    assert person["action"] == "create"
    assert person["record"]["name"] == "Mikhail Fradin"
    assert person["matches"][0]["id"] == "mikhail-fradkov"
    assert 0.5 <= person["matches"][0]["score"] < 0.8


def test_a_name_the_parser_cut_short_is_completed():
    text = "South Korean President Yoon Suk Yeol's visit to Tokyo on Thursday was brief."
    (person,) = of(run(text), "people")
    assert person["record"]["name"] == "Yoon Suk Yeol"
