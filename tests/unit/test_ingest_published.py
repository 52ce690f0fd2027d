"""Constructions published news uses that extraction reads, each in sentences written for
these tests: offices written in full beside names and the names the parser misses there,
the publisher's own officials, datelines and short capitals that are no countries,
agreements named in capitals or listed by field, counts that are no agreements, money in
more written forms, meetings told twice, quotes in guillemets or running on, events of
more kinds."""

import pytest

from api.ingest.read import countries, money
from api.ingest.read.offices import office
from api.ingest.read.people import Mention, by_office, clean
from tests.ingest_helpers import of, run

DOC = {"id": "offices-doc", "title": "", "published": "2024-05-09", "authors": [],
       "publisher": "Test Desk"}


@pytest.mark.parametrize(
    ("text", "name", "title", "country"),
    [
        ("The talks were led by the Minister of Foreign Affairs of the Kingdom of "
         "Belgium, H.E. Pieter Vandamme.", "Pieter Vandamme", "Minister of Foreign Affairs",
         "BE"),
        ("He was received by the Prime Minister of the Kingdom of Bhutan, Lyonchhen Dorji "
         "Wangmo, at the palace.", "Dorji Wangmo", "Prime Minister", "BT"),
        ("They were joined by Hungarian Minister of Foreign Affairs and Trade Zsófia Kertész "
         "on Monday.", "Zsófia Kertész", "Minister of Foreign Affairs and Trade", "HU"),
        ("The visitor called on His Excellency Temir Osmonov, President of the Kyrgyz "
         "Republic, at noon.", "Temir Osmonov", "President", "KG"),
        ("Later he met Qatar's Minister of State for Foreign Affairs, Saad bin Khalid "
         "Al-Rumaihi.", "Saad bin Khalid Al-Rumaihi", "Minister of State for Foreign Affairs",
         "QA"),
    ],
)
def test_an_office_written_in_full_gives_the_title_and_the_country(text, name, title, country):
    start = text.index(name)
    mention = Mention(start, start + len(name), name)
    office(mention, text)
    assert (mention.title, mention.country) == (title, country)
    assert name in text[slice(*mention.role_span)]


def test_a_name_after_an_office_is_found_when_the_parser_misses_it():
    text = ("The delegation of Minister of Foreign Affairs and Trade Zsófia Kertész arrived, "
            "and His Excellency Temir Osmonov received it.")
    assert [m.name for m in by_office(text, 0, len(text), [])] == [
        "Zsófia Kertész", "Temir Osmonov"]


def test_a_person_known_only_by_office_and_name_is_drafted_with_the_role():
    text = ("Minister of Foreign Affairs and Trade of Hungary Zsófia Kertész held talks in "
            "Baku on Tuesday.")
    (person,) = of(run(text, DOC), "people")
    assert person["record"]["name"] == "Zsófia Kertész"
    assert person["record"]["roles"][0]["country"] == "HU"


def test_short_capitals_are_not_countries_and_a_dateline_city_is_no_party():
    assert countries.find("The FO said the PM would travel.") == []
    assert [m.id for m in countries.find("The South American countries reopened it.")] == []
    (seoul, korea, mongolia) = countries.find("SEOUL, Nov. 1 (Agency) -- North Korea and "
                                              "Mongolia signed four agreements.")
    assert (seoul.id, seoul.venue) == ("KR", True)
    assert (korea.id, mongolia.id) == ("KP", "MN")


def test_currencies_written_the_kenyan_ghanaian_and_american_way():
    found = [(m.amount, m.currency) for text in (
        "exports of Kshs 42 billion", "about GH¢823 million", "5 billion U.S. dollars")
        for m in money.find(text, 0, ())]
    assert found == [(42_000_000_000, "KES"), (823_000_000, "GHS"), (5_000_000_000, "USD")]


def test_a_credit_line_a_deal_value_and_a_target_named_in_the_sentence_before():
    text = ("Trade between Ghana and Norway reached $2 billion in 2023. We want to raise this "
            "figure to $5 billion by 2030. Norway extended a line of credit of $300 million "
            "to Ghana, and companies signed 12 contracts worth $90 million.")
    found = {(d["record"]["kind"], d["record"]["value"], d["record"]["period"])
             for d in of(run(text, DOC), "indicators")}
    assert found == {("trade", 2_000_000_000, "2023"), ("trade", 5_000_000_000, "2030"),
                     ("credit_line", 300_000_000, "2024"), ("deal_value", 90_000_000, "2024")}


def test_an_organization_stating_after_a_quote_is_the_speaker():
    text = ("“A treaty with Peru would open new markets,” Global Affairs Canada said in a "
            "statement.")
    (quote,) = of(run(text, DOC), "commentary", kind="quote")
    assert quote["record"]["author"]["name"] == "Global Affairs Canada"


def test_a_count_of_agreements_is_no_agreement_and_a_future_signing_is_not_signed():
    text = ("Ghana and Norway signed three agreements on Monday. Five more agreements on "
            "fisheries will be signed during the prime minister's visit in June.")
    drafts = of(run(text, DOC), "agreements")
    assert [d["record"]["title"] for d in drafts] == ["Five more agreements on fisheries"]
    assert drafts[0]["record"]["status"] == "proposed"


def test_who_sent_greetings_is_no_participant_and_no_one_visits_their_own_country():
    text = ("Norwegian Foreign Minister Ola Brekke was received in Accra on Monday by Ghanaian "
            "President Kwame Asante and conveyed to him the greetings of King Harald Olsen of "
            "Norway.")
    (meeting,) = of(run(text, DOC), "meetings")
    roles = [(p["role"], p["country"]) for p in meeting["record"]["participants"]]
    assert roles == [("Foreign Minister", "NO"), ("President", "GH")]
    text = ("Ghanaian President Kwame Asante and Norwegian Foreign Minister Ola Brekke held "
            "talks during a visit to Accra on Monday.")
    (visit,) = of(run(text, DOC), "meetings")
    assert visit["record"]["title"] == "Ola Brekke visits Accra"


def test_being_in_a_country_for_a_visit_is_a_visit():
    text = "President Kwame Asante was in Norway for a three-day state visit on Monday."
    (visit,) = of(run(text, DOC), "meetings")
    assert visit["record"]["location"] == {"city": None, "country": "NO"}
    assert visit["record"]["kind"] == "state_visit"


def test_words_in_guillemets_and_a_ministry_named_in_lower_case():
    text = ("Ghana's trade ministry announced the figures on Monday. «We will double our "
            "exports to Norway within five years», the ministry said.")
    (quote,) = of(run(text, DOC), "commentary", kind="quote")
    assert quote["record"]["text"].startswith("We will double our exports")
    assert quote["record"]["author"]["name"] == "Ghana's trade ministry"


def test_words_said_for_the_report_are_dated_by_its_day_not_by_an_earlier_meeting():
    text = ("The foreign office spokesperson Ama Boateng briefed reporters on Thursday. On "
            "May 2, the two sides met at the border. “We acted in good faith,” she said.")
    (quote,) = of(run(text, DOC), "commentary", kind="quote")
    assert quote["record"]["published"] == "2024-05-09"


def test_agreements_named_after_a_signing_sentence_carry_its_status_and_date():
    text = ("Ghana and Norway signed nine agreements and memoranda on Monday. The agreements "
            "included: An agreement on the avoidance of double taxation between the two "
            "countries. A memorandum on maritime training.")
    drafts = of(run(text, DOC), "agreements")
    assert {(d["record"]["status"], d["record"]["date"]) for d in drafts} == {
        ("signed", "2024-05-06")}
    assert len(drafts) == 2


def test_a_partnership_discussed_is_no_agreement_but_one_sought_is():
    text = "Ghana and Norway discussed their comprehensive strategic partnership on Monday."
    assert of(run(text, DOC), "agreements") == []
    text = "Ghana wants to seek a comprehensive partnership with Norway, its minister said."
    (sought,) = of(run(text, DOC), "agreements")
    assert sought["record"]["status"] == "expressed_interest"


def test_a_dateline_city_does_not_make_its_country_one_of_the_pair():
    text = ("OSLO, May 9 (Agency) -- Ghana and Kenya signed four agreements, the Ghanaian "
            "media said. The agreements cover fisheries, health, tourism and sport.")
    drafts = of(run(text, DOC), "agreements")
    assert drafts and {tuple(sorted(d["record"]["countries"])) for d in drafts} == {
        ("GH", "KE")}


def test_an_office_in_a_list_after_one_with_a_country_and_a_country_after_the_name():
    text = ("In Accra the visitor met Ghanaian King Kofi Mensah, Senate President Ama Darko "
            "and President Lars Berg of Norway.")
    roles = {d["record"]["name"]: d["record"]["roles"][0]["country"]
             for d in of(run(text, DOC), "people")}
    assert roles["Ama Darko"] == "GH"
    assert roles["Lars Berg"] == "NO"


def test_a_list_of_fields_in_the_sentence_after_the_count_of_memoranda():
    text = ("Ghana and Norway signed four memoranda on Monday. They are in the fields of "
            "Fisheries & Aquaculture, Maritime Training and Digital Payments.")
    drafts = of(run(text, DOC), "agreements")
    assert sorted(d["record"]["title"] for d in drafts) == [
        "MoU on Digital Payments", "MoU on Fisheries & Aquaculture", "MoU on Maritime Training"]
    assert {d["record"]["status"] for d in drafts} == {"signed"}


def test_names_the_parser_cuts_short_and_a_sheikh_who_is_no_title():
    assert clean("Sheikh Hasina") == "Sheikh Hasina"
    assert clean("Sheikh Tamim bin Hamad") == "Tamim bin Hamad"
    text = ("Ghana's new president, Kwame Asante Boateng, met Minister of Transport of Norway "
            "Lars Erik Berg Hansen in Accra on Monday.")
    names = {d["record"]["name"] for d in of(run(text, DOC), "people")}
    assert {"Kwame Asante Boateng", "Lars Erik Berg Hansen"} <= names


def test_a_figure_inside_quoted_words_takes_the_year_said_with_it():
    text = ("“In 2023, our mutual trade exceeded $2 billion,” the Ghanaian minister said on "
            "Monday.")
    (trade,) = of(run(text, DOC), "indicators")
    assert (trade["record"]["value"], trade["record"]["period"]) == (2_000_000_000, "2023")


def test_one_meeting_told_in_two_sentences_is_one_draft_and_two_meetings_stay_two():
    text = ("Ghanaian President Kwame Asante and Norwegian Prime Minister Lars Berg held talks "
            "in Accra on Monday. Asante and Berg met again later that day at a dinner. Berg "
            "was also received by Ghanaian Vice-President Ama Darko in Accra on Monday.")
    meetings = of(run(text, DOC), "meetings")
    assert len(meetings) == 2
    assert len(meetings[0]["record"]["sources"]) == 2


def test_words_said_with_no_date_in_the_report_are_dated_by_the_report():
    text = ("The minister noted the progress of the talks. «Norway is a key partner of Ghana,» "
            "he said.")
    (quote,) = of(run(text, DOC), "commentary", kind="quote")
    assert quote["record"]["published"] == "2024-05-09"
    assert "published" in quote["record"]["inferred"]


def test_no_agreement_from_an_aim_a_value_a_which_clause_or_a_generic_restatement():
    text = ("Officials met on Monday to reach an agreement on the reopening of the border. "
            "Companies signed $90 million worth contracts. Ghana and Norway signed three "
            "documents: an agreement on fisheries, a memorandum on health, and a roadmap for "
            "2024-2025, which aims to plan cooperation in trade, culture and sport.")
    titles = sorted(d["record"]["title"] for d in of(run(text, DOC), "agreements"))
    assert titles == ["Agreement on fisheries", "Agreement on roadmap for 2024-2025",
                      "Memorandum on health"]


def test_an_agreement_dated_before_its_subject_keeps_the_subject():
    text = "Ghana and Norway signed an agreement in August 2020 on the delimitation of waters."
    (pact,) = of(run(text, DOC), "agreements")
    assert pact["record"]["title"] == "Agreement on the delimitation of waters"
    assert pact["record"]["date"] == "2020-08"


def test_as_well_as_joins_items_whose_names_hold_an_and():
    text = ("Ghana and Norway also signed two memorandums on the training of diplomats as well "
            "as housing and urban development on Monday.")
    titles = sorted(d["record"]["title"] for d in of(run(text, DOC), "agreements"))
    assert titles == ["MoU on housing and urban development", "MoU on training of diplomats"]


def test_malay_honorifics_portfolios_and_advisers():
    assert clean("Datuk Seri Ahmad Zahid Hamidi") == "Ahmad Zahid Hamidi"
    assert clean("Tourism Ana Ruiz Salinas") == "Ana Ruiz Salinas"
    assert clean("Tan Chee Keong") == "Tan Chee Keong"
    text = ("The memorandum was signed by Defence Minister Datuk Seri Ahmad Zahid Hamidi and "
            "Ghana Foreign Adviser Md Kofi Mensah in Accra on Monday.")
    roles = {d["record"]["name"]: d["record"]["roles"][0] for d in of(run(text, DOC), "people")}
    assert roles["Ahmad Zahid Hamidi"]["title"] == "Defence Minister"
    assert roles["Md Kofi Mensah"]["country"] == "GH"
    assert "Ahmad Zahid Hamidi" in roles


def test_a_span_of_days_is_dated_by_its_first_day_and_an_initial_is_part_of_a_name():
    from datetime import date

    from api.ingest.read import dates
    assert [m.value for m in dates.find("visiting Oslo from 4 to 5 October 2013", 0,
                                        date(2013, 10, 6))] == ["2013-10-04"]
    assert [m.value for m in dates.find("on October 4-5, 2013", 0, date(2013, 10, 6))] == [
        "2013-10-04"]
    text = "He also met with Minister for Foreign Affairs and Minister for Law K Ravindran."
    assert [m.name for m in by_office(text, 0, len(text), [])] == ["K Ravindran"]


def test_a_title_in_quotation_marks_is_no_quote_and_an_acronym_before_the_subject():
    text = ("Ghana and Norway signed the “Joint Declaration on Ocean Partnership” and a "
            "Memorandum of Understanding (MOU) on Cultural Cooperation on Monday.")
    drafts = run(text, DOC)
    assert of(drafts, "commentary", kind="quote") == []
    titles = {d["record"]["title"] for d in of(drafts, "agreements")}
    assert titles == {"Joint Declaration on Ocean Partnership", "MoU on Cultural Cooperation"}


def test_a_paper_names_its_own_officials_without_their_country():
    document = dict(DOC, publisher="Accra Evening Herald")
    text = ("Foreign Minister Ama Darko met the Norwegian Foreign Minister Lars Berg in Accra "
            "on Monday.")
    roles = {d["record"]["name"]: d["record"]["roles"][0]["country"]
             for d in of(run(text, document), "people")}
    assert roles == {"Ama Darko": "GH", "Lars Berg": "NO"}


def test_a_round_of_dialogue_a_commission_session_and_a_witnessed_signing_are_meetings():
    for text in (
            "Ghana and Norway signed it in Accra during the second round of strategic "
            "dialogue between the two countries on Monday.",
            "Ghana and Norway held the second session of the joint permanent commission in "
            "Accra on Monday.",
            "Ghanaian President Kwame Asante and Norwegian Prime Minister Lars Berg witnessed "
            "the exchange of the documents in Accra on Monday."):
        (meeting,) = of(run(text, DOC), "meetings")
        assert set(meeting["record"]["countries"]) == {"GH", "NO"}
        assert meeting["record"]["date"] == "2024-05-06"


def test_a_body_the_parser_does_not_tag_is_found_by_the_word_that_ends_its_name():
    text = ("The Accra Tourism Board and the Ghana-Norway Chamber of Commerce and Industry "
            "signed a memorandum with the Presidential Secretariat on Monday.")
    names = {d["record"]["name"] for d in of(run(text, DOC), "organizations")}
    assert {"Accra Tourism Board", "Ghana-Norway Chamber of Commerce and Industry"} <= names
    assert "Presidential Secretariat" not in names


def test_reported_words_about_the_agreements_are_left_to_the_agreements():
    text = ("Ghana and Norway signed four agreements on Monday. Minister Ama Darko said the new "
            "agreements would boost trade and tourism between the two countries.")
    assert of(run(text, DOC), "commentary", kind="quote") == []


def test_the_same_figure_told_twice_is_one_draft_and_a_count_is_no_listed_agreement():
    text = ("Trade between Ghana and Norway reached $2 billion in 2023. Officials said trade "
            "between Ghana and Norway reached $2 billion in 2023, a record.")
    (trade,) = of(run(text, DOC), "indicators")
    assert len(trade["record"]["sources"]) == 2
    text = ("Ghana and Norway signed a fisheries agreement, one of four agreements signed on "
            "Monday.")
    assert [d["record"]["title"] for d in of(run(text, DOC), "agreements")] == [
        "Fisheries agreement"]


def test_a_list_after_an_acronym_in_brackets():
    text = ("Ghana and Norway signed two Memoranda of Understanding (MoUs) in the area of "
            "Tourism as well as Maritime Training on Monday.")
    titles = sorted(d["record"]["title"] for d in of(run(text, DOC), "agreements"))
    assert titles == ["MoU on Maritime Training", "MoU on Tourism"]


def test_an_owner_word_before_the_office_and_no_state_as_a_person():
    text = "Prime Minister Datuk Seri Ahmad Zahid Hamidi and the visitors met in Accra."
    start = text.index("Ahmad")
    mention = Mention(start, start + len("Ahmad Zahid Hamidi"), "Ahmad Zahid Hamidi")
    office(mention, text)
    assert mention.title == "Prime Minister"
    text = "It was signed by the Secretary of the United Mexican States, Ana Ruiz Salinas."
    assert [m.name for m in by_office(text, 0, len(text), [])] == []


def test_an_agreement_named_in_capitals_is_drafted_under_its_whole_name():
    found = {}
    for text in ("Ghana and Norway signed the Maritime Boundary Treaty on Monday.",
                 "Ghana has been implementing the Ghana and Norway Transit Trade Agreement, "
                 "signed in 2020, in good faith.",
                 "Ghana and Norway signed a Memorandum of Understanding on Tourism on Monday."):
        found.update({d["record"]["title"]: (d["record"]["status"], d["record"]["date"])
                      for d in of(run(text, DOC), "agreements")})
    assert found == {"Maritime Boundary Treaty": ("signed", "2024-05-06"),
                     "Ghana and Norway Transit Trade Agreement": ("signed", "2020"),
                     "Memorandum of Understanding on Tourism": ("signed", "2024-05-06")}


def test_he_said_is_not_an_agency_the_parser_took_for_a_person():
    text = ("ACCRA. GHANAPRESS Trade Minister Ama Darko Mensah spoke at the forum. He noted "
            "the progress. «Norway is a key partner of Ghana,» he said.")
    (quote,) = of(run(text, DOC), "commentary", kind="quote")
    assert quote["record"]["author"]["name"] == "Ama Darko Mensah"


def test_a_quote_going_on_in_the_next_paragraph_without_reopening_is_one_quote():
    from api.ingest.read import quotes
    text = ("Darko said: “We will open the border on Monday.\n\nThis will help trade between "
            "our countries,” she added.")
    (quote,) = quotes.find(text, 0, len(text))
    assert quote.text == ("We will open the border on Monday. This will help trade between our "
                          "countries")


def test_a_figure_since_a_year_is_as_of_now_and_one_over_years_as_of_their_end():
    text = "Norwegian investment in Ghana has reached $1.2 billion since 2005."
    (stock,) = of(run(text, DOC), "indicators")
    assert stock["record"]["period"] == "2024"
    text = "Trade between Ghana and Norway reached $3 billion in the 2015-2022 period."
    (trade,) = of(run(text, DOC), "indicators")
    assert trade["record"]["period"] == "2022"


def test_the_accord_told_again_joins_the_agreement_named_before():
    text = ("Ghana and Norway signed a fisheries agreement in Accra on Monday. The accord "
            "follows a cooperation framework signed in Oslo in June 2014.")
    drafts = of(run(text, DOC), "agreements")
    fisheries = next(d for d in drafts if d["record"]["title"] == "Fisheries agreement")
    assert len(fisheries["record"]["sources"]) == 2
    assert "Accord" not in {d["record"]["title"] for d in drafts}


def test_awards_air_links_bans_lifted_and_commissions_to_come_are_events():
    for text in ("Ghana awarded the Norwegian king the Order of the Star on Monday.",
                 "Direct flights between Accra and Oslo were launched on Monday.",
                 "Ghana lifted the ban on fish imports from Norway on Monday.",
                 "A joint economic commission will be set up by Ghana and Norway."):
        (event,) = of(run(text, DOC), "events")
        assert set(event["record"]["countries"]) == {"GH", "NO"}, text


def test_the_headline_names_the_pair_and_pm_is_a_prime_minister():
    document = dict(DOC, title="Ghana’s President meets Norway’s king in Oslo")
    text = ("President Kwame Asante met King Harald Olsen in Oslo on Monday. Norwegian "
            "investment reached $2 billion in 2023.")
    (investment,) = of(run(text, document), "indicators")
    assert set(investment["record"]["countries"]) == {"GH", "NO"}
    text = "The agreement was signed by Ghana's PM Kofi Mensah Boateng in Accra on Monday."
    (person,) = of(run(text, DOC), "people")
    assert person["record"]["roles"][0]["title"] == "Prime Minister"
    assert person["record"]["roles"][0]["country"] == "GH"


def test_a_form_of_address_is_no_part_of_the_office():
    text = "His Excellency President Dr Kwame Asante Boateng received the delegation."
    start = text.index("Kwame")
    mention = Mention(start, start + len("Kwame Asante Boateng"), "Kwame Asante Boateng")
    office(mention, text)
    assert mention.title == "President"


def test_a_single_agreement_named_after_including_and_a_value_of_one_deal():
    text = "Ghana and Norway signed six agreements on Monday, including one on clean energy."
    assert [d["record"]["title"] for d in of(run(text, DOC), "agreements")] == [
        "Agreement on clean energy"]
    text = "Brazil, which signed a R$21 billion energy deal with Ghana in March 2005, waits."
    (deal,) = of(run(text, DOC), "agreements")
    assert deal["record"]["value"] == {"amount": 21_000_000_000, "currency": "BRL"}


def test_a_page_stamp_is_not_the_day_of_the_event():
    text = ("Ghana and Norway sign pacts\n\nPublished at 09:42 AM May 09 2024\n\nPresident Kwame "
            "Asante welcomed the Norwegian king yesterday. “Our trade must grow,” the president "
            "declared.")
    (quote,) = of(run(text, DOC), "commentary", kind="quote")
    assert quote["record"]["published"] == "2024-05-08"


def test_a_body_named_by_its_acronym_alone():
    text = ("Ghana and Norway discussed their cooperation within the OECD and the AfCFTA, and "
            "the PKP Cargo deal worth FCFA 10 billion.")
    found = {d["record"]["acronym"] or d["record"]["name"]: d["record"]["name"]
             for d in of(run(text, DOC), "organizations")}
    assert found.get("OECD") == "Organisation for Economic Co-operation and Development"
    assert not set(found) & {"PKP", "FCFA"}


def test_a_name_the_parser_cut_short_at_its_start_is_read_whole():
    from spacy.tokens import Span

    from api.ingest import load_model
    from api.ingest.read import people

    text = "President Ama Mensah met her Togolese counterpart Kossi Yawo Agbeko in Lomé."
    doc = load_model()(text)
    last = next(t.i for t in doc if t.text == "Agbeko")
    doc.ents = [Span(doc, last, last + 1, label="PERSON")]  # as the parser tags some names
    assert [m.name for m in people.find(doc[:], text)] == ["Kossi Yawo Agbeko"]
    doc.ents = [Span(doc, 2, 3, label="PERSON")]  # "Mensah": the office before is no name
    assert [m.name for m in people.find(doc[:], text)] == ["Ama Mensah"]


def test_chief_of_staff_is_an_office_not_a_name():
    text = ("Present were Secretary of Trade Lorin Kabua, Deputy Secretary Ana Ruiz, Chief of "
            "Staff Leo Tamaki Jr. and staff from the office.")
    names = {d["record"]["name"] for d in of(run(text, DOC), "people")}
    assert not any(name.startswith(("Staff", "Chief")) for name in names), names


def test_a_sentence_saying_what_counted_agreements_touch_on_lists_them():
    text = ("Ghana and Togo signed three agreements and two memorandums of understanding on "
            "Tuesday. They touch on fisheries, customs, road transport, tourism and power "
            "trading.")
    titles = sorted(d["record"]["title"] for d in of(run(text, DOC), "agreements"))
    assert len(titles) == 5, titles
    assert any("fisheries" in t for t in titles) and any("power trading" in t for t in titles)
    assert all(d["record"]["status"] == "signed" for d in of(run(text, DOC), "agreements"))


def test_they_touch_on_without_a_count_before_lists_no_agreements():
    text = ("The two presidents spoke for an hour in Lomé on Tuesday. They touch on fisheries, "
            "customs, road transport and tourism in every meeting.")
    assert of(run(text, DOC), "agreements") == []


def test_the_host_of_a_summit_named_as_its_venue_is_not_one_of_the_pair():
    text = ("Chile and Ghana agree to double trade\n\n"
            "Ghanaian President Ama Mensah and Chilean President Rodrigo Soto held talks on "
            "the sidelines of the summit in Kuala Lumpur, Malaysia, on Sunday.\n\n"
            "The leaders met at the convention centre, Kuala Lumpur, Malaysia, for an hour.\n\n"
            "Both leaders agreed to raise trade between the two countries to $2 billion by "
            "2030.")
    out = run(text, {**DOC, "title": "Chile and Ghana agree to double trade"})
    targets = of(out, "indicators")
    assert targets and all(set(d["record"]["countries"]) == {"CL", "GH"} for d in targets)


def test_a_meeting_told_as_held_then_dated_and_recalled_is_one_draft():
    text = ("Estonia and Latvia hold their first joint cabinet meeting\n\n"
            "A joint meeting of the Estonian and Latvian governments has been held at the "
            "old town hall in Riga.\n\n"
            "The meeting, chaired by the prime ministers of the two countries, was the first "
            "of its kind in 2024.\n\n"
            "The meeting was held on 9 May, the day the treaty between Sweden and Denmark "
            "was signed two centuries ago.\n\n"
            "‘Today’s meeting shows how close our two countries are,’ the prime minister of "
            "Estonia said.")
    meetings = of(run(text, {**DOC, "title": text.split("\n")[0]}), "meetings")
    assert len(meetings) == 1, [m["record"]["title"] for m in meetings]
    record = meetings[0]["record"]
    assert set(record["countries"]) == {"EE", "LV"}
    assert record["date"] == "2024-05-09"
    assert len(record["sources"]) >= 3


def test_the_day_a_statement_was_issued_dates_the_words_quoted_from_it():
    text = ("Togo and Benin agree to reopen the border\n\n"
            "Mr Kofi Agbodjan, the spokesman of the presidency, announced the decision in a "
            "statement he issued in Lomé on Tuesday.\n\n"
            "He said: “Both governments want the lorries moving again before the harvest.”")
    (quote,) = of(run(text, {**DOC, "published": "2024-05-09"}), "commentary", kind="quote")
    assert quote["record"]["published"] == "2024-05-07"  # the Tuesday before the Thursday


def test_a_memorandum_with_its_acronym_in_brackets_keeps_its_subject():
    text = ("Oman and Peru signed a memorandum of understanding (MoU) on consular cooperation "
            "on Monday.")
    (made,) = of(run(text, DOC), "agreements")
    assert made["record"]["title"].endswith("on consular cooperation")


def test_recent_agreements_and_deal_as_a_verb_are_no_agreements():
    text = ("The cabinet asked the ministries to implement recent agreements signed with Peru. "
            "Firms should deal with the outcome of these agreements quickly, the minister said.")
    assert of(run(text, DOC), "agreements") == []


def test_a_reporter_credited_by_a_byline_is_neither_an_official_nor_an_op_ed_author():
    text = ("Chile and Ghana sign a cocoa deal\n\nBy Ana Ruiz – Andes Wire:\n\n"
            "Chile and Ghana signed an agreement on cocoa processing in Accra on Monday, the "
            "two trade ministries said in a joint statement issued after the talks.")
    document = {**DOC, "title": "Chile and Ghana sign a cocoa deal",
                "authors": [{"name": "Ana Ruiz", "person": None}]}
    out = run(text, document)
    assert not [d for d in of(out, "people") if d["record"]["name"] == "Ana Ruiz"]
    assert not [d for d in of(out, "commentary") if d["record"]["kind"] == "op_ed"]
    assert of(out, "agreements")  # the byline is not the body: the story is still read


def test_a_byline_without_by_names_the_op_ed_writer_and_by_monday_is_no_byline():
    text = ("Why Chile needs Ghana\n\nAna Ruiz\n\nOur trade with Ghana has doubled, and we "
            "should sign an agreement on cocoa processing before the year ends.")
    document = {**DOC, "title": "Why Chile needs Ghana",
                "authors": [{"name": "Ana Ruiz", "person": None}]}
    kinds = [d["record"]["kind"] for d in of(run(text, document), "commentary")]
    assert "op_ed" in kinds
    text = "By Monday, Chile and Ghana had signed an agreement on cocoa processing."
    assert of(run(text, DOC), "agreements")


def test_one_person_named_with_and_without_a_second_surname_is_one_draft_citing_each_office():
    text = ("Peru and Chile renew their trade council\n\n"
            "Peruvian Minister of Foreign Affairs, Luis Ortega Salas, received his Chilean "
            "counterpart, Ana Ruiz, in Lima on Monday.\n\n"
            "Luis Ortega said the council would meet twice a year. Chile's Foreign Minister Ana "
            "Ruiz agreed.")
    people = of(run(text, {**DOC, "title": "Peru and Chile renew their trade council"}),
                "people")
    names = sorted(d["record"]["name"] for d in people)
    assert names == ["Ana Ruiz", "Luis Ortega Salas"], names
    (ruiz,) = [d for d in people if d["record"]["name"] == "Ana Ruiz"]
    quotes = [s["quote"] for s in ruiz["record"]["roles"][0]["sources"]]
    assert any("Foreign Minister Ana Ruiz" in q for q in quotes), quotes


def test_the_visiting_president_of_a_country_visits_the_host_not_his_own_country():
    text = ("Vice-President Kofi Mensah held talks with the visiting Togolese President Eyadema "
            "Kossi at the presidential villa in Accra on Sunday.")
    (meeting,) = of(run(text, DOC), "meetings")
    record = meeting["record"]
    assert (record["location"] or {}).get("country") == "GH"
    assert "visits Togo" not in record["title"]
    assert set(record["countries"]) == {"GH", "TG"}


def test_a_figure_told_without_a_date_covers_the_year_the_story_tells_of():
    text = ("Peru and Chile sign defence deals\n\n"
            "During the visit, Peru and Chile signed defence deals worth $3 billion, officials "
            "of both sides confirmed.")
    figures = of(run(text, {**DOC, "title": "Peru and Chile sign defence deals"}), "indicators")
    assert figures and figures[0]["record"]["period"] == "2024"
    assert "period" in figures[0]["record"]["inferred"]


def test_a_plural_office_before_two_names_gives_each_the_office_and_a_verb_is_no_office():
    text = ("Peru and Chile hold a joint cabinet\n\n"
            "The session, chaired by Prime Ministers of the two countries, Jonas Petrauskas "
            "and Pedro Soto, was the first of its kind.\n\n"
            "“I personally thank Prime Minister Soto for this,” Petrauskas said.")
    people = of(run(text, {**DOC, "title": "Peru and Chile hold a joint cabinet"}), "people")
    titles = {d["record"]["name"]: [r["title"] for r in d["record"]["roles"]] for d in people}
    assert titles == {"Jonas Petrauskas": ["Prime Minister"], "Pedro Soto": ["Prime Minister"]}, \
        titles


def test_a_quoted_name_with_a_comma_is_one_item_of_a_list():
    text = ("Peru and Chile signed three memoranda on Monday, including a memorandum on the "
            "“Green Ports, Clean Seas” programme and a memorandum on customs.")
    titles = [d["record"]["title"] for d in of(run(text, DOC), "agreements")]
    assert any("“Green Ports, Clean Seas”" in t for t in titles), titles
    assert not any(t.endswith("Clean Seas”") and "Green" not in t for t in titles), titles


def test_agreements_of_cooperation_on_a_list_of_fields_are_one_each():
    text = ("Chile and Ghana yesterday signed agreements of cooperation on fisheries, mining "
            "and sport during the visit. An MoU on fisheries at Jubilee House opened the day.")
    titles = sorted(d["record"]["title"] for d in of(run(text, DOC), "agreements"))
    assert len(titles) == 3, titles
    assert not any("Jubilee" in t for t in titles), titles


def test_a_memorandum_in_the_field_of_a_subject_keeps_its_subject():
    text = "Peru and Chile signed a memorandum of understanding in the field of arbitration."
    (made,) = of(run(text, DOC), "agreements")
    assert made["record"]["title"].endswith("in the field of arbitration")


def test_two_ministers_of_the_pair_who_discussed_a_matter_met_and_a_cabinet_did_not():
    text = ("On 3 May in Oslo, the Minister of Foreign Affairs of Chile Ana Ruiz and the Minister "
            "for Foreign Affairs of Norway Kari Nordmann discussed fisheries. The Chilean "
            "cabinet discussed the budget on Tuesday.")
    meetings = of(run(text, DOC), "meetings")
    assert len(meetings) == 1, [m["record"]["title"] for m in meetings]
    assert meetings[0]["record"]["date"] == "2024-05-03"
    assert set(meetings[0]["record"]["countries"]) == {"CL", "NO"}


@pytest.mark.parametrize(
    ("text", "name", "title", "country"),
    [
        ("Chile’s Prime Minister the Most Hon. Ana Ruiz met the press.", "Ana Ruiz",
         "Prime Minister", "CL"),
        ("He thanked his counterpart, Dr. the Hon. Pedro Soto, for the visit.", "Pedro Soto",
         "Counterpart", None),
        ("The Ambassador of China to Fiji, Li Wen, spoke first.", "Li Wen", "Ambassador", "CN"),
        ("Minister of Trade and Industry, Senator the Hon. Ana Ruiz, explained the plan.",
         "Ana Ruiz", "Minister of Trade and Industry", None),
        ("The Rector of the National University of Chile Lt. Gen (Retd) Pedro Soto signed.",
         "Pedro Soto", "Rector of the National University", "CL"),
        ("The Chief Executive Officer (CEO) of Ghanaian Cocoa Industries Ama Mensah signed.",
         "Ama Mensah", "Chief Executive Officer of Ghanaian Cocoa Industries", "GH"),
    ],
)
def test_forms_of_address_and_ranks_between_an_office_and_a_name(text, name, title, country):
    mention = Mention(text.index(name), text.index(name) + len(name), name)
    office(mention, text)
    assert (mention.title, mention.country) == (title, country)
    assert text[mention.role_span[0] : mention.role_span[1]].endswith(name)


def test_a_visit_told_inside_quoted_words_is_dated_by_the_year_quoted_with_it():
    text = ("“I still remember your visit to Chile in 2015 as foreign minister,” President "
            "Pedro Soto told the Ghanaian president Ama Mensah.")
    meetings = of(run(text, DOC), "meetings")
    assert [m["record"]["date"] for m in meetings] == ["2015"]


def test_a_council_meeting_of_the_two_countries_is_a_meeting():
    text = ("The talks went on at the first Joint Council meeting of Chile and Peru, where the "
            "two leaders reviewed the border projects.")
    meetings = of(run(text, DOC), "meetings")
    assert len(meetings) == 1 and set(meetings[0]["record"]["countries"]) == {"CL", "PE"}


def test_a_figure_is_dated_by_the_date_in_its_own_clause():
    text = ("“Last year, trade between Chile and Peru exceeded 2.5 billion euros, and so far "
            "this year it has reached 1.9 billion euros,” the minister added.")
    found = {d["record"]["value"]: d["record"]["period"] for d in of(run(text, DOC), "indicators")}
    assert found == {2_500_000_000: "2023", 1_900_000_000: "2024"}, found


def test_a_country_ending_the_headline_owns_no_office_in_the_next_paragraph():
    text = "Ghana Secures Gas Deal With Equatorial Guinea\n\nPresident Ama Mensah is hopeful."
    mention = Mention(text.index("Ama"), text.index("Ama") + len("Ama Mensah"), "Ama Mensah")
    office(mention, text)
    assert (mention.title, mention.country) == ("President", None)


def test_the_court_or_office_an_adviser_serves_is_no_part_of_the_name():
    assert clean("Court Mohammad Bin Saleh") == "Mohammad Bin Saleh"
    assert clean("Office Ana Ruiz") == "Ana Ruiz"


def test_a_page_advertisement_label_glued_to_a_sentence_is_no_part_of_a_title():
    text = ("Article continues after this advertisementAdvertisementThe agreement on defence "
            "between Chile and Peru was signed on Monday.")
    titles = [d["record"]["title"] for d in of(run(text, DOC), "agreements")]
    assert titles and not any("Advertisement" in t for t in titles), titles


def test_the_dateline_date_is_the_reports_and_the_event_keeps_its_own():
    text = ("Chile and Peru sign an exchange of notes\n\n"
            "LIMA (Andes Press): March 14, 2024 - The foreign ministers of Chile and Peru "
            "signed an agreement on fisheries on Tuesday morning, March 12, 2024, at the "
            "ministry.")
    made = of(run(text, {**DOC, "published": "2024-03-14"}), "agreements")
    assert {d["record"]["title"]: d["record"]["date"] for d in made}.get(
        "Agreement on fisheries") == "2024-03-12"


def test_a_counterpart_takes_the_office_of_another_country_told_before():
    text = ("Ghanaian Foreign Minister Ama Mensah opened the session in Accra on Monday.\n\n"
            "The Togolese Counterpart Kossi Agbeko on his part noted the long friendship.")
    people = {d["record"]["name"]: d["record"]["roles"] for d in of(run(text, DOC), "people")}
    roles = people.get("Kossi Agbeko") or []
    assert [(r["title"], r["country"]) for r in roles] == [("Foreign Minister", "TG")], people


def test_ranks_and_a_plural_demonym_after_an_office_are_no_names():
    text = ("The memorandum was signed by Secretary Overseas Chileans Pedro Soto and by the "
            "Rector Lt. Gen (Retd) Ana Ruiz, signatories included Defence Minister Kossi "
            "Agbeko.")
    names = {d["record"]["name"] for d in of(run(text, DOC), "people")}
    assert not names & {"Overseas Chileans", "Gen", "Lt"}, names
    roles = [r["title"] for d in of(run(text, DOC), "people") for r in d["record"]["roles"]]
    assert "Defence Minister" in roles, roles
