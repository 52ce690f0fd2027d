"""Event drafts, each in sentences written for these tests: the kinds of development
news reports, their parties and their dates, and sentences that state no event."""

from tests.ingest_helpers import of, run

DOC = {"id": "events-doc", "title": "", "published": "2024-05-09", "authors": [],
       "publisher": "Test Desk"}


def events(text, document=DOC):
    return [d["record"] for d in of(run(text, document), "events")]


def test_an_anniversary_of_relations_dates_their_establishment():
    text = ("Peru and Finland held talks in Lima. This year marks the 40th anniversary of the "
            "establishment of diplomatic relations between the two countries.")
    (event,) = events(text)
    assert event["date"] == "1984"
    assert set(event["countries"]) == {"PE", "FI"}


def test_two_embassies_opened_in_one_sentence_are_two_events():
    text = ("Chile opened an embassy in Nairobi in 2015, and Kenya opened its embassy in "
            "Santiago in 2018.")
    found = {(e["date"], frozenset(e["countries"])) for e in events(text)}
    assert found == {("2015", frozenset({"CL", "KE"})), ("2018", frozenset({"CL", "KE"}))}


def test_a_border_closed_and_a_clash_that_caused_it_take_the_same_day():
    text = ("Ghana and Togo talked about trade. The main crossing was closed on April 2 after a "
            "gun battle erupted between Ghanaian and Togolese border guards.")
    found = events(text)
    assert len(found) == 2
    assert {e["date"] for e in found} == {"2024-04-02"}
    assert all(set(e["countries"]) == {"GH", "TG"} for e in found)


def test_a_complaint_filed_on_a_weekday_and_a_reopening_to_come():
    text = ("Canada launched a complaint against Chile at the World Trade Organization on "
            "Monday. Chile and Canada will fully reopen their ferry crossing on June 1.")
    found = {e["date"]: set(e["countries"]) for e in events(text)}
    assert found["2024-05-06"] == {"CA", "CL"}
    assert found["2024-06-01"] == {"CA", "CL"}


def test_an_arrival_for_a_visit_is_an_event_between_visitor_and_host():
    text = ("The Norwegian Prime Minister arrived in Hanoi on Tuesday for a three-day official "
            "visit.")
    (event,) = events(text)
    assert set(event["countries"]) == {"NO", "VN"}
    assert event["date"] == "2024-05-07"


def test_a_membership_step_belongs_to_the_country_alone():
    text = ("Egypt and Norway signed a memorandum on fisheries. Norway obtained observer status in "
            "the African Fisheries Forum in 2019.")
    (event,) = events(text)
    assert event["countries"] == ["NO"] and event["date"] == "2019"


def test_a_date_counted_back_from_the_meeting():
    text = ("The foreign ministers of Peru and Japan met in Tokyo on 2 May 2024, two years and "
            "one month after the relationship was upgraded to a strategic partnership.")
    (event,) = events(text)
    assert event["date"] == "2022-04"


def test_statements_of_no_event_are_no_drafts():
    text = ("The ministers reviewed the state of bilateral relations between Chile and Kenya. "
            "Chile said it will continue to support Kenya within its internationally recognised "
            "borders. “We will reopen the border when the time is right,” the minister said.")
    assert events(text) == []


def test_a_working_relationship_established_in_a_year_is_an_event_of_that_year():
    from tests.ingest_helpers import of, run

    text = ("The envoy praised the working relationship between Fiji and Chile that was "
            "established in 1998 and hoped for more exchanges.")
    events = of(run(text), "events")
    assert [e["record"]["date"] for e in events] == ["1998"]
    assert set(events[0]["record"]["countries"]) == {"FJ", "CL"}


def test_an_attack_is_an_event_of_the_country_it_happened_in():
    from tests.ingest_helpers import of, run

    text = ("The Chilean minister condemned Monday’s terrorist attacks in the Lima metro and "
            "offered help.")
    (event,) = of(run(text), "events")
    assert "PE" in event["record"]["countries"] and event["record"]["date"] == "2024-03-11"


def test_pacific_island_countries_are_no_iceland():
    from api.ingest.read import countries

    assert [m.id for m in countries.find("Samoa was among the first Pacific Island countries")] \
        == ["WS"]
