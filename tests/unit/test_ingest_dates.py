"""Dates at the source's precision, relative words read against the document's date."""

from datetime import date

import pytest

from api.ingest.read import dates

THURSDAY = date(2024, 3, 14)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ministers met on Wednesday in the capital.", "2024-03-13"),
        ("The ministers met on Thursday, hours before the vote.", "2024-03-14"),
        ("The ministers will meet again on Monday.", "2024-03-18"),
        ("Exports fell sharply last year.", "2023"),
        ("The plant opens next year.", "2025"),
        ("The loan was signed in March 2005.", "2005-03"),
        ("The first shipment left in 1969.", "1969"),
        ("They signed it on November 25, 2010 in the capital.", "2010-11-25"),
        ("They signed it on 3 May 2009.", "2009-05-03"),
        ("Output rose last month.", "2024-02"),
        ("Talks ended yesterday.", "2024-03-13"),
        ("The presidents met last Thursday on the bridge.", "2024-03-07"),
        ("The presidents met last Wednesday.", "2024-03-13"),
    ],
)
def test_a_date_at_the_precision_the_source_gives(sentence, expected):
    found = dates.find(sentence, 0, THURSDAY)
    assert [m.value for m in found] == [expected]


def test_offsets_point_at_the_words_in_the_document():
    sentence = "Signed in March 2005 after long talks."
    (mention,) = dates.find(sentence, 100, THURSDAY)
    assert (mention.start, mention.end) == (110, 120)
    assert sentence[mention.start - 100 : mention.end - 100] == "March 2005"


def test_money_and_decades_are_not_years():
    assert dates.find("A budget of 2010 million and the 1970s.", 0, THURSDAY) == []


def test_relative_words_need_a_document_date():
    assert dates.find("They met on Wednesday.", 0, None) == []
    assert [m.value for m in dates.find("They met in 1969.", 0, None)] == ["1969"]


def test_the_byline_date_is_the_reference_when_the_page_gives_one():
    assert dates.reference({"published": "2010-11-30", "dated": "2010-11-29"}) == date(2010, 11, 29)
    assert dates.reference({"published": "2010-11-30"}) == date(2010, 11, 30)


def test_a_week_is_read_as_the_month_it_falls_in():
    assert [m.value for m in dates.find("They meet next week.", 0, date(2024, 3, 28))] == [
        "2024-04"]
    assert [m.value for m in dates.find("They met last week.", 0, THURSDAY)] == ["2024-03"]


def test_a_date_inside_a_quote_does_not_make_the_sentence_future():
    found = dates.find("“We will finish it,” she said on Wednesday.", 0, THURSDAY)
    assert [m.value for m in found] == ["2024-03-13"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The border was drawn 81 years ago.", "1943"),
        ("They first met ten years ago in Lima.", "2014"),
        ("On this day 30 years ago the treaty entered into force.", "1994-03-14"),
    ],
)
def test_years_ago_are_read_against_the_document_date(sentence, expected):
    assert [m.value for m in dates.find(sentence, 0, THURSDAY)] == [expected]


def test_a_count_of_years_ago_is_read_whole_or_not_at_all():
    for sentence in ("It began twenty-five years ago.", "The road is 2,500 years ago old."):
        assert [m.value for m in dates.find(sentence, 0, THURSDAY) if "ago" in
                sentence[m.start : m.end]] == []
