"""The curated facts of the seed article, and its traps, as an analyst reads them over HTTP.

Every assertion goes through the API (the ``client`` fixture) and checks
response bodies: values, links, citations verified against the served text.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import DOCUMENT, SEEDS

CITED = ("agreements", "meetings", "events", "indicators", "commentary")
ALL_RESOURCES = CITED + ("people", "organizations", "documents")
FURNITURE = ("Reply", "VIEW MORE COMMENTS", "Replying to", "Comments are moderated",
             "Comments FAQ", "COMMENTS (5)", " | 13 years ago | ")


# --- helpers -----------------------------------------------------------------


def get_json(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True))
    return response.get_json()


def collect(client, url: str) -> list[dict]:
    """Every item of a collection, following ``next`` links."""
    sep = "&" if "?" in url else "?"
    page = get_json(client, f"{url}{sep}limit=500")
    items = list(page["items"])
    seen = {url}
    while page["next"]:
        assert page["next"] not in seen, "pagination loops"
        seen.add(page["next"])
        page = get_json(client, page["next"])
        items += page["items"]
    return items


def ids(client, url: str) -> set[str]:
    return {item["id"] for item in collect(client, url)}


@pytest.fixture
def text(client) -> str:
    response = client.get(f"/v1/documents/{DOCUMENT}/text")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return response.get_data().decode("utf-8")


def assert_cited(source: dict, text: str, *, containing: str | None = None) -> None:
    """A citation points at the exact words, with the context a client re-anchors on."""
    assert source["document"] == DOCUMENT
    start, end = source["start"], source["end"]
    assert text[start:end] == source["quote"]
    assert text[max(0, start - 32):start] == source["prefix"]
    assert text[end:end + 32] == source["suffix"]
    if containing is not None:
        assert containing in source["quote"], (containing, source["quote"])


def iter_sources(node):
    if isinstance(node, dict):
        if "quote" in node and "start" in node:
            yield node
        for value in node.values():
            yield from iter_sources(value)
    elif isinstance(node, list):
        for value in node:
            yield from iter_sources(value)


def resolve(record: dict, path: str):
    """Follow ``a.b[0].c`` into a record; raise KeyError/IndexError if it names nothing."""
    node = record
    for name, index in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", path):
        if name:
            if not isinstance(node, dict) or name not in node:
                raise KeyError(f"{path!r}: no field {name!r}")
            node = node[name]
        else:
            if not isinstance(node, list) or int(index) >= len(node):
                raise IndexError(f"{path!r}: no item {index}")
            node = node[int(index)]
    return node


# --- the document itself ------------------------------------------------------


def test_text_is_served_byte_for_byte(client, text):
    seed = (SEEDS / f"{DOCUMENT}.txt").read_bytes()
    assert text.encode("utf-8") == seed
    doc = get_json(client, f"/v1/documents/{DOCUMENT}")
    assert doc["length"] == len(text)


def test_document_dates_and_comment_counts(client, text):
    doc = get_json(client, f"/v1/documents/{DOCUMENT}")
    assert doc["published"] == "2010-11-30"
    assert doc["dated"] == "2010-11-29"
    assert doc["authors"] == [{"name": "Tayyab Siddiqui", "person": "tayyab-siddiqui"}]
    assert doc["comments_displayed"] == 5
    assert doc["comments_captured"] == 2
    assert "COMMENTS (5)" in text
    captured = [c for c in collect(client, "/v1/commentary?kind=reader_comment")
                if c["document"] == DOCUMENT]
    assert len(captured) == doc["comments_captured"]


# --- every citation, every inferred field ------------------------------------


@pytest.mark.parametrize("resource", CITED + ("people", "organizations"))
def test_every_citation_matches_the_text(client, text, resource):
    records = collect(client, f"/v1/{resource}")
    assert records
    sources = [s for r in records for s in iter_sources(r)]
    assert sources
    for source in sources:
        assert_cited(source, text)


@pytest.mark.parametrize("resource", CITED)
def test_every_fact_is_cited(client, resource):
    for record in collect(client, f"/v1/{resource}"):
        assert record["sources"], record["id"]


@pytest.mark.parametrize("resource", ALL_RESOURCES + ("countries?mentioned=true",))
def test_inferred_names_real_fields(client, resource):
    records = collect(client, f"/v1/{resource}")
    assert records
    for record in records:
        assert isinstance(record["inferred"], list), record["id"]
        for path in record["inferred"]:
            assert path.split(".")[0].split("[")[0] not in ("id", "notes", "inferred")
            value = resolve(record, path)  # raises when the path names nothing
            assert value is not None, f"{record['id']}: inferred {path!r} is null"


# --- agreements ---------------------------------------------------------------


def test_2005_debt_rescheduling(client, text):
    listed = collect(client, "/v1/agreements?country=PK&country=RU")
    agreement = next(a for a in listed if a["id"] == "2005-debt-rescheduling")
    assert agreement == get_json(client, "/v1/agreements/2005-debt-rescheduling")
    assert agreement["kind"] == "agreement"
    assert agreement["status"] == "signed"
    assert sorted(agreement["countries"]) == ["PK", "RU"]
    assert agreement["date"] == "2005-03"
    assert (agreement["date_start"], agreement["date_end"]) == ("2005-03-01", "2005-03-31")
    assert agreement["value"] == {"amount": 127000000, "currency": "USD"}
    assert [h["status"] for h in agreement["status_history"]] == ["signed"]
    assert agreement["status_history"][0]["date"] == "2005-03"
    for source in agreement["sources"] + agreement["status_history"][0]["sources"]:
        assert_cited(source, text, containing="$127 million")
        assert "March 2005" in source["quote"]
    assert "value.currency" in agreement["inferred"]


@pytest.mark.parametrize("window, found", [
    ("from=2005-03-31&to=2005-03-31", True),
    ("from=2005-01-01&to=2005-03-01", True),
    ("from=2005-04-01&to=2005-12-31", False),
    ("from=2004-01-01&to=2005-02-28", False),
])
def test_month_precision_date_overlaps_filters(client, window, found):
    assert ("2005-debt-rescheduling" in ids(client, f"/v1/agreements?{window}")) is found


def test_2007_oil_mou_belongs_to_the_petroleum_ministers_visit(client, text):
    mou = get_json(client, "/v1/agreements/2007-oil-sector-mou")
    assert mou["kind"] == "mou"
    assert mou["status"] == "signed"
    assert mou["date"] == "2007-11-19"
    assert sorted(mou["countries"]) == ["PK", "RU"]
    assert mou["meeting"] == "2007-petroleum-minister-visit-to-moscow"
    assert_cited(mou["sources"][0], text, containing="November 19, 2007")
    assert "petroleum minister" in mou["sources"][0]["quote"]

    visit = get_json(client, "/v1/meetings/2007-petroleum-minister-visit-to-moscow")
    assert visit["outcomes"] == ["2007-oil-sector-mou"]
    assert visit["location"] == {"city": "Moscow", "country": "RU"}
    assert "2007-oil-sector-mou" in ids(
        client, "/v1/agreements?country=PK&country=RU&from=2007-11-19&to=2007-11-19")


def test_role_only_participant_has_no_person(client, text):
    visit = get_json(client, "/v1/meetings/2007-petroleum-minister-visit-to-moscow")
    assert len(visit["participants"]) == 1
    participant = visit["participants"][0]
    assert participant["person"] is None
    assert participant["role"].lower() == "petroleum minister"
    assert participant["country"] == "PK"
    assert_cited(visit["sources"][0], text, containing="petroleum minister")


@pytest.mark.parametrize("resource, record_id", [
    ("agreements", "1969-helicopter-deal"),
    ("meetings", "1969-yahya-khan-visit-to-moscow"),
])
def test_1969_records_belong_to_the_soviet_union(client, resource, record_id):
    record = get_json(client, f"/v1/{resource}/{record_id}")
    assert record["date"] == "1969"
    assert sorted(record["countries"]) == ["PK", "SUHH"]
    assert "RU" not in record["countries"]
    assert record_id in ids(client, f"/v1/{resource}?country=SUHH")
    assert record_id in ids(client, f"/v1/{resource}?country=PK&country=SU")
    assert record_id in ids(client, f"/v1/{resource}?country=USSR")
    assert record_id not in ids(client, f"/v1/{resource}?country=RU")


def test_1969_deal_was_made_during_yahyas_visit(client, text):
    deal = get_json(client, "/v1/agreements/1969-helicopter-deal")
    assert deal["meeting"] == "1969-yahya-khan-visit-to-moscow"
    assert deal["sector"] == "defence"
    assert_cited(deal["sources"][0], text, containing="helicopter deal in 1969")
    visit = get_json(client, "/v1/meetings/1969-yahya-khan-visit-to-moscow")
    assert visit["outcomes"] == ["1969-helicopter-deal"]
    assert visit["location"] == {"city": "Moscow", "country": "SUHH"}
    assert [p["person"] for p in visit["participants"]] == ["yahya-khan"]
    assert_cited(visit["sources"][0], text, containing="Yahya’s visited to Moscow")
    assert "1969-yahya-khan-visit-to-moscow" in ids(client, "/v1/meetings?person=yahya-khan")


@pytest.mark.parametrize("code", ["SUHH", "suhh", "SU", "SUN", "USSR", "Soviet Union"])
def test_soviet_union_is_found_by_code_or_alias(client, code):
    country = get_json(client, f"/v1/countries/{code}")
    assert country["id"] == "SUHH"
    assert country["historical"] is True
    assert country["continuator"] == "RU"
    assert "RU" in country["successors"] and "TJ" in country["successors"]


def test_russia_is_not_the_soviet_union(client):
    russia = get_json(client, "/v1/countries/RU")
    assert russia["id"] == "RU"
    assert russia["historical"] is False


@pytest.mark.parametrize("record_id, kind, status, phrase", [
    ("2010-mi-35-purchase", "purchase", "expressed_interest", "expressed interest"),
    ("2010-defence-collaboration-mou", "mou", "under_consideration", "under consideration"),
])
def test_pending_defence_agreements(client, text, record_id, kind, status, phrase):
    agreement = get_json(client, f"/v1/agreements/{record_id}")
    assert agreement["kind"] == kind
    assert agreement["status"] == status
    assert [h["status"] for h in agreement["status_history"]] == [status]
    assert agreement["sector"] == "defence"
    assert sorted(agreement["countries"]) == ["PK", "RU"]
    assert agreement["value"] is None
    assert agreement["meeting"] is None
    assert record_id in ids(client, f"/v1/agreements?status={status}&kind={kind}")
    assert record_id not in ids(client, "/v1/agreements?status=signed")
    for source in agreement["sources"]:
        assert_cited(source, text, containing=phrase)


def test_mi_35_is_cited_as_the_source_spells_it(client, text):
    purchase = get_json(client, "/v1/agreements/2010-mi-35-purchase")
    assert "Mi-35" in purchase["title"]
    assert_cited(purchase["sources"][0], text, containing="MI-35 attack helicopter")


# --- meetings -----------------------------------------------------------------


def test_dushanbe_sideline_meeting(client, text):
    meeting = get_json(client, "/v1/meetings/2010-putin-gilani-dushanbe")
    assert meeting["kind"] == "sideline_meeting"
    assert meeting["date"] == "2010-11-25"
    assert meeting["location"] == {"city": "Dushanbe", "country": "TJ"}
    assert sorted(meeting["countries"]) == ["PK", "RU"]
    assert {(p["person"], p["country"]) for p in meeting["participants"]} == {
        ("vladimir-putin", "RU"), ("yousaf-raza-gilani", "PK")}
    assert meeting["occasion"]["organization"] == "sco"
    assert meeting["outcomes"] == ["2010-comprehensive-partnership"]
    assert_cited(meeting["sources"][0], text, containing="November 25, 2010")
    assert "Dushanbe" in meeting["sources"][0]["quote"]


@pytest.mark.parametrize("query", [
    "person=vladimir-putin",
    "person=yousaf-raza-gilani",
    "person=vladimir-putin&person=yousaf-raza-gilani",
    "country=PK&country=RU&from=2010-11-25&to=2010-11-25",
])
def test_dushanbe_meeting_is_found_by_filters(client, query):
    assert "2010-putin-gilani-dushanbe" in ids(client, f"/v1/meetings?{query}")


def test_putin_quote_is_tied_to_the_dushanbe_meeting(client, text):
    quotes = collect(client, "/v1/commentary?author=vladimir-putin&kind=quote")
    allies = next(q for q in quotes if "allies" in q["text"])
    assert allies["text"] == ("Without any condition here we are your allies in the full "
                              "sense of the word")
    assert allies["speech"] == "direct"
    assert allies["published"] == "2010-11-25"
    assert {"type": "meeting", "id": "2010-putin-gilani-dushanbe"} in allies["subjects"]
    assert_cited(allies["sources"][0], text, containing=f"“{allies['text']}”")


def test_fradkov_april_2007_visit(client, text):
    visit = get_json(client, "/v1/meetings/2007-fradkov-visit-to-pakistan")
    assert visit["date"] == "2007-04"
    assert (visit["date_start"], visit["date_end"]) == ("2007-04-01", "2007-04-30")
    assert visit["location"]["country"] == "PK"
    assert [p["person"] for p in visit["participants"]] == ["mikhail-fradkov"]
    # The source calls him 'a Soviet leader': the record must not follow it.
    assert sorted(visit["countries"]) == ["PK", "RU"]
    assert visit["participants"][0]["country"] == "RU"
    assert any("Soviet" in note for note in visit["notes"])
    assert_cited(visit["sources"][0], text, containing="April 2007")
    assert "Mekhail Fredkov visited Pakistan" in visit["sources"][0]["quote"]


@pytest.mark.parametrize("name", ["mikhail-fradkov", "Mikhail Fradkov", "Mekhail Fredkov"])
def test_fradkov_visit_is_found_by_any_name(client, name):
    assert "2007-fradkov-visit-to-pakistan" in ids(client, f"/v1/meetings?person={name}")


def test_fradkov_misspelling_is_a_cited_source_spelling(client, text):
    person = get_json(client, "/v1/people/mikhail-fradkov")
    assert person["name"] == "Mikhail Fradkov"
    alias = next(a for a in person["aliases"] if a["name"] == "Mekhail Fredkov")
    assert alias["kind"] == "source_spelling"
    assert alias["sources"]
    for source in alias["sources"]:
        assert_cited(source, text, containing="Mekhail Fredkov")
    assert [r["country"] for r in person["roles"]] == ["RU"]


def test_sco_keeps_the_sources_spelling(client, text):
    sco = get_json(client, "/v1/organizations/sco")
    assert sco["name"] == "Shanghai Cooperation Organisation"
    assert sco["acronym"] == "SCO"
    alias = next(a for a in sco["aliases"] if a["name"] == "Shanghai Cooperation Organization")
    assert alias["kind"] == "source_spelling"
    assert alias["sources"]
    for source in alias["sources"]:
        assert_cited(source, text)
        assert source["quote"] == "Shanghai Cooperation Organization"
    assert "Shanghai Cooperation Organisation" not in text


# --- commentary ---------------------------------------------------------------


def test_repeated_sentence_is_cited_at_both_offsets(client, text):
    sentence = ("Pakistan has an important place in Russia’s foreign policy, being one of "
                "the major influential Muslim countries.")
    occurrences = [m.start() for m in re.finditer(re.escape(sentence), text)]
    assert len(occurrences) == 2
    record = get_json(client, "/v1/commentary/2010-siddiqui-important-place")
    assert record["text"] == sentence
    starts = sorted(s["start"] for s in record["sources"])
    assert starts == occurrences
    assert starts[0] != starts[1]
    for source in record["sources"]:
        assert_cited(source, text)
        assert source["quote"] == sentence
    assert record["sources"][0]["prefix"] != record["sources"][1]["prefix"]


def test_quotation_with_no_speaker(client, text):
    quotes = collect(client, "/v1/commentary?kind=quote")
    unattributed = [q for q in quotes if q["author"] is None]
    assert [q["id"] for q in unattributed] == ["2010-unattributed-security-architecture"]
    quote = unattributed[0]
    assert quote["text"] == ("evolving new security architecture in the Asia pacific region "
                             "as well Greater Eurasian Region")
    assert quote["speech"] == "direct"
    assert quote["published"] is None
    assert_cited(quote["sources"][0], text, containing=f"“{quote['text']}”")
    assert any("no speaker" in note for note in quote["notes"])


@pytest.mark.parametrize("record_id, author, body", [
    ("comment-binwakeel-hogwash", "binwakeel", "Hogwash!"),
    ("comment-someone-nice-one", "Someone", "Haha...nice one El Edroos :)"),
])
def test_reader_comments_are_undated(client, text, record_id, author, body):
    comment = get_json(client, f"/v1/commentary/{record_id}")
    assert comment["kind"] == "reader_comment"
    assert comment["author"] == {"name": author, "person": None}
    assert comment["text"] == body
    assert comment["published"] is None
    assert comment["published_text"] == "13 years ago"
    assert (comment["date_start"], comment["date_end"]) == (None, None)
    assert_cited(comment["sources"][0], text, containing=f"{author} | 13 years ago |")
    assert comment["sources"][0]["quote"].endswith(body)


def test_reader_comments_never_match_a_date_filter(client):
    assert len(ids(client, "/v1/commentary?kind=reader_comment")) == 2
    assert ids(client, "/v1/commentary?kind=reader_comment&from=1900-01-01&to=2100-12-31") == set()


@pytest.mark.parametrize("furniture", FURNITURE)
def test_page_furniture_is_not_commentary(client, text, furniture):
    assert furniture in text  # the trap is really in the page
    for record in collect(client, "/v1/commentary"):
        assert furniture not in record["text"], record["id"]


@pytest.mark.parametrize("record_id, author, speech", [
    ("2007-fradkov-important-step", "mikhail-fradkov", "direct"),
    ("2010-gilani-comprehensive-partnership", "yousaf-raza-gilani", "direct"),
    ("2010-putin-russian-companies-interested", "vladimir-putin", "reported"),
])
def test_speakers_are_linked(client, text, record_id, author, speech):
    quote = get_json(client, f"/v1/commentary/{record_id}")
    assert quote["kind"] == "quote"
    assert quote["author"]["person"] == author
    assert quote["speech"] == speech
    assert quote["text"] in quote["sources"][0]["quote"]
    assert_cited(quote["sources"][0], text)
    assert record_id in ids(client, f"/v1/commentary?author={author}")


# --- indicators ---------------------------------------------------------------


def test_annual_trade_turnover(client, text):
    listed = collect(client, "/v1/indicators?country=PK&country=RU")
    turnover = [i for i in listed if i["kind"] == "trade_turnover"]
    assert len(turnover) == 1
    indicator = turnover[0]
    assert indicator["value"] == 700000000
    assert indicator["currency"] == "USD"
    assert indicator["unit"] is None
    assert sorted(indicator["countries"]) == ["PK", "RU"]
    assert indicator["period"] == "2010"
    assert_cited(indicator["sources"][0], text, containing="annual trade turnover")
    assert "$700 million" in indicator["sources"][0]["quote"]
    assert "currency" in indicator["inferred"]
