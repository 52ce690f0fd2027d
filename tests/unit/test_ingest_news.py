"""Constructions of published news, each in sentences written for these tests:
enumerations of agreements, money in every written form, institutions' statements,
offices beside names, organizations with acronyms, events, targets, confidence, and
extraction run again after a curator decided."""

from api.ingest import Known
from api.ingest.draft import lists
from api.ingest.read import money
from api.ingest.read.people import clean
from tests.ingest_helpers import run

DOC = {"id": "news-doc", "title": "", "published": "2024-05-09", "authors": [],
       "publisher": "Test Desk"}


def of(drafts, resource):
    return [d for d in drafts if d["resource"] == resource]


def titles(drafts):
    return [d["record"]["title"] for d in of(drafts, "agreements")]


def test_an_enumeration_is_one_draft_per_named_agreement_and_no_umbrella():
    text = ("Norway and Chile signed six agreements on Wednesday, covering salmon farming, "
            "polar research, pension rights, film co-production, customs and seasonal work.")
    out = run(text, DOC)
    found = titles(out)
    assert len(found) == 6
    assert not any("six" in t.lower() for t in found)
    assert any("salmon farming" in t for t in found) and any("customs" in t for t in found)
    for draft in of(out, "agreements"):
        record = draft["record"]
        assert record["status"] == "signed" and record["date"] == "2024-05-08"
        assert set(record["countries"]) == {"NO", "CL"}


def test_a_list_after_a_colon_keeps_each_instruments_own_kind():
    text = ("Ghana and Kenya on Monday exchanged three instruments: a memorandum of "
            "understanding on tea research, a protocol on consular matters, and an agreement "
            "on the avoidance of double taxation.")
    found = titles(run(text, DOC))
    assert found == ["MoU on tea research", "Protocol on consular matters",
                     "Agreement on the avoidance of double taxation"]


def test_a_numbered_list_after_its_umbrella_sentence_takes_its_status_and_date():
    text = ("The two foreign ministers met in Accra on 2 May 2024. The following "
            "documents were signed:\n(i) Memorandum of Understanding on cocoa processing;\n"
            "(ii) Agreement on visa exemption for diplomatic passports;\n"
            "(iii) Programme of cultural exchanges for 2024-2027.")
    out = run(text, {**DOC, "title": "Ghana and Togo"})
    agreements = of(out, "agreements")
    assert len(agreements) == 3
    assert {d["record"]["date"] for d in agreements} == {"2024-05-02"}  # not "2024" or "2027"
    assert {d["record"]["status"] for d in agreements} == {"signed"}


def test_an_agreement_reported_again_is_one_draft_citing_both_sentences():
    text = ("Peru and Japan signed an agreement on fisheries research in Lima on Tuesday. "
            "The agreement on fisheries research will fund two survey ships, officials said.")
    agreements = of(run(text, DOC), "agreements")
    assert len(agreements) == 1
    assert len(agreements[0]["record"]["sources"]) == 2


def test_scale_words_in_any_case_and_local_currency_signs():
    def read(text):
        return [(a.amount, a.currency) for a in money.find(text, 0, ("NP",))]

    assert read("a $8 Billion plan") == [(8_000_000_000, "USD")]
    assert read("worth KD 10 million") == [(10_000_000, "KWD")]
    assert read("about NRs 8 crore") == [(80_000_000, "NPR")]
    assert read("THB 1.2 bn in tolls") == [(1_200_000_000, "THB")]
    assert read("15 billion tenge") == [(15_000_000_000, "KZT")]
    assert read("Bs 7,100 million") == [(7_100_000_000, "BOB")]


def test_a_trade_target_is_dated_by_its_horizon_and_growth_is_a_percentage():
    text = ("Trade between Chile and Norway rose 12% to $1.5 billion in 2023, and the two "
            "governments aim to raise it to $3 billion within five years.")
    found = {(d["record"]["value"], d["record"]["period"])
             for d in of(run(text, DOC), "indicators")}
    assert (1_500_000_000, "2023") in found
    assert (12, "2023") in found
    assert (3_000_000_000, "2029") in found


def test_a_statement_of_an_institution_is_the_institutions():
    text = ("Minister Ana Lund visited Oslo. “We welcome the visit of our friends from "
            "Chile,” the Norwegian Ministry of Foreign Affairs said in a statement.")
    (quote,) = [d for d in of(run(text, DOC), "commentary")
                if d["record"]["kind"] == "quote"]
    assert quote["record"]["author"]["name"] == "Norwegian Ministry of Foreign Affairs"


def test_a_title_is_the_persons_role_not_part_of_the_name():
    assert clean("Kazakh President Nurlan Abenov") == "Nurlan Abenov"
    assert clean("Crown Prince Mohammed bin Salman") == "Mohammed bin Salman"
    assert clean("H.E. Tesfaye Alemu Bekele") == "Tesfaye Alemu Bekele"
    assert clean("Kim Do-hyun") == "Kim Do-hyun"


def test_an_office_then_a_comma_then_the_name():
    text = ("In Tallinn, the Minister of Foreign Affairs of Georgia, Levan Kobakhidze, met "
            "his Estonian counterpart.")
    people = {d["record"]["name"]: d["record"]["roles"] for d in of(run(text, DOC), "people")}
    assert people["Levan Kobakhidze"][0]["country"] == "GE"


def test_organizations_with_their_acronyms_and_no_office_fragments():
    text = ("The loan comes from the Saudi Fund for Development (SFD), and the Russia-led "
            "Eurasian Economic Union (EAEU) was not consulted, the Minister of International "
            "Cooperation and Communities told reporters.")
    found = {d["record"]["name"]: d["record"]["acronym"]
             for d in of(run(text, DOC), "organizations")}
    assert found.get("Saudi Fund for Development") == "SFD"
    assert found.get("Eurasian Economic Union") == "EAEU"
    assert not any("Communities" in name for name in found)


def test_events_visas_abolished_and_a_case_filed():
    text = ("Malawi filed a case against Tanzania at the International Court of Justice on "
            "3 March 2024. Visa requirements between the two countries were abolished in 2019.")
    events = {d["record"]["date"] for d in of(run(text, DOC), "events")}
    assert {"2024-03-03", "2019"} <= events


def test_confidence_of_08_or_more_only_for_firm_kinds():
    text = ("Norway and Chile signed six agreements on Wednesday, covering salmon farming, "
            "polar research, pension rights, film co-production, customs and seasonal work.")
    assert all(d["confidence"] < 0.8 for d in of(run(text, DOC), "agreements"))


def test_extraction_again_proposes_nothing_a_curator_decided():
    text = ("Peru and Japan signed an agreement on fisheries research in Lima on Tuesday. "
            "Trade between Peru and Japan reached $4 billion in 2023.")
    first = run(text, DOC)
    accepted = of(first, "agreements")[0]
    rejected = of(first, "indicators")[0]
    decided = [{"resource": "agreements",
                "record": {**accepted["record"], "title": "Fisheries research agreement"}},
               {"resource": "indicators", "record": rejected["record"]}]
    again = run(text, DOC, Known(decided=decided))
    assert not of(again, "agreements") and not of(again, "indicators")
    assert len(again) == len(first) - 2


def test_a_list_of_headlines_is_no_enumeration():
    assert lists.find("Related\n- Cocoa prices hit new high\n- Ministers meet in Lome") is None


def test_an_official_beside_the_other_countrys_official_holds_the_pairs_other_office():
    text = ("Hungary and Azerbaijan agreed on Monday to expand gas supplies. Hungarian Foreign "
            "Minister Anna Kovacs also held talks with Foreign Minister Javid Rzayev.")
    roles = {d["record"]["name"]: d["record"]["roles"] for d in of(run(text, DOC), "people")}
    assert roles["Anna Kovacs"][0]["country"] == "HU"
    assert roles["Javid Rzayev"][0]["country"] == "AZ"


def test_an_organization_takes_the_acronym_the_text_uses_for_it():
    text = ("Chile and Norway asked the European Union for observer status. The EU has not "
            "answered, and the Chilean Antarctic Institute (INACH) will host the next round.")
    found = {d["record"]["name"]: d["record"]["acronym"]
             for d in of(run(text, DOC), "organizations")}
    assert found.get("European Union") == "EU"
    assert found.get("Chilean Antarctic Institute") == "INACH"


def test_agreements_named_one_after_another_without_a_count():
    text = ("On Friday, Chile and Norway signed an agreement on seasonal work, a memorandum of "
            "understanding on wine exports and a protocol on consular matters.")
    found = titles(run(text, DOC))
    assert found == ["Agreement on seasonal work", "MoU on wine exports",
                     "Protocol on consular matters"]


def test_a_list_numbered_one_two_three_is_one_agreement_a_line():
    text = ("Kenya and Ethiopia signed the following instruments on 30 May 2023:\n\n"
            "1. Agreement on the Joint Operation of a Border Post\n"
            "2. Memorandum of Understanding on Cooperation in Tourism\n"
            "3. Protocol on the Sale of Electricity")
    agreements = of(run(text, DOC), "agreements")
    assert len(agreements) == 3
    assert {d["record"]["date"] for d in agreements} == {"2023-05-30"}
