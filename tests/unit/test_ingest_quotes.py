"""Direct quotes in curly or straight marks, across paragraphs, with the speaker from the
attribution before or after, or null when the source does not name one."""

from tests.ingest_helpers import of, run


def quotes(text, **document):
    return [d["record"] for d in of(run(text), "commentary", kind="quote")]


def test_curly_quote_with_the_speaker_after_it():
    (quote,) = quotes("“We will build the line together,” President Ruth Amoah said on Monday.")
    assert quote["text"] == "We will build the line together"
    assert quote["author"] == {"name": "Ruth Amoah", "person": None}
    assert quote["speech"] == "direct"
    assert quote["published"] == "2024-03-11"


def test_straight_quote_with_the_speaker_before_it():
    (quote,) = quotes('Minister Tomas Berg told the council on Monday: "The border stays open."')
    assert quote["text"] == "The border stays open."
    assert quote["author"]["name"] == "Tomas Berg"


def test_single_curly_quotes_are_told_from_apostrophes():
    (quote,) = quotes("Tomas Berg called Norway’s offer an ‘important step’ on Monday.")
    assert quote["text"] == "important step"
    assert quote["author"]["name"] == "Tomas Berg"


def test_a_quote_reopened_at_the_next_paragraph_continues():
    text = ("Ruth Amoah spoke first. “We have waited a long time.\n\n"
            "“Now the work begins,” Amoah said on Monday.")
    (quote,) = quotes(text)
    assert quote["text"] == "We have waited a long time. Now the work begins"
    assert quote["author"]["name"] == "Ruth Amoah"
    source = quote["sources"][0]
    assert "\n\n" in source["quote"] and text[source["start"] : source["end"]] == source["quote"]


def test_an_official_asking_not_to_be_named_is_no_speaker():
    text = ("Ruth Amoah left early. One official said, asking not to be named, that "
            "“the deal is not done yet.”")
    (quote,) = quotes(text)
    assert quote["author"] is None
    assert any("does not name" in r for r in of(run(text), "commentary")[0]["reasons"])


def test_a_quote_following_an_attributed_one_keeps_its_speaker():
    text = "“We are ready,” Ruth Amoah said on Monday. “The money is there.”"
    first, second = quotes(text)
    assert second["author"] == first["author"] == {"name": "Ruth Amoah", "person": None}


def test_reported_speech_is_a_quote_of_kind_reported():
    text = "Ruth Amoah told reporters on Monday that Ghanaian firms would invest in the port."
    (quote,) = quotes(text)
    assert quote["speech"] == "reported"
    assert quote["text"] == "Ghanaian firms would invest in the port"
    assert quote["author"]["name"] == "Ruth Amoah"


def test_he_said_after_a_quote_is_the_person_named_before():
    text = "Ruth Amoah spoke on Monday. “The port opens in May,” she said."
    (quote,) = quotes(text)
    assert quote["author"] == {"name": "Ruth Amoah", "person": None}


def test_reported_speech_of_a_person_named_in_apposition():
    text = ("The French ambassador, Ana Duval, said on Monday the two countries would expand "
            "exchanges next year.")
    (quote,) = quotes(text)
    assert quote["author"]["name"] == "Ana Duval"
    assert quote["published"] == "2024-03-11"  # "next year" is what she said, not when


def test_a_quote_closed_by_two_single_marks_as_some_wires_print_it():
    from api.ingest.read import quotes

    text = ("The minister said: “We will open the bridge before the rains come.’’\n\n"
            "He called the port the “front door’’ of the region.")
    found = quotes.find(text, 0, len(text))
    assert [q.text for q in found] == ["We will open the bridge before the rains come.",
                                       "front door"]
    assert text[found[0].start : found[0].end].endswith("’’")


def _quotes(text, document=None):
    return [d["record"] for d in of(run(text, document), "commentary", kind="quote")]


def test_the_subject_says_what_follows_by_saying_not_the_person_it_praised():
    text = ("President Ama Mensah praised Prime Minister Rodrigo Soto by saying, “His plan "
            "for the port has changed the whole coast.”")
    (quote,) = _quotes(text)
    assert quote["author"]["name"] == "Ama Mensah"


def test_the_minister_said_names_the_minister_named_before_even_by_surname_alone():
    text = ("Chile will keep its position, Chilean Foreign Minister Soto said at the press "
            "conference. “Chile is Peru’s friend and will stay one,” the Minister said.")
    (quote,) = _quotes(text)
    assert quote["author"]["name"] == "Soto"


def test_he_informed_is_the_subject_of_the_sentence_before_not_the_last_name_in_it():
    text = ("Mr. Ana Ruiz said the memorandum follows talks started in 2019 when Prime Minister "
            "Pedro Soto visited Lima.\n\n"
            "“We built a pathway for trade complaints, and today we signed it,” he informed.")
    (quote,) = _quotes(text)
    assert quote["author"]["name"] == "Ana Ruiz"
    assert quote["published"] == "2024-03-14"


def test_a_paragraph_opening_with_a_quote_and_naming_no_one_goes_on_with_the_speaker_before():
    text = ("“Our government will keep supporting the port,” said Ambassador Li Wen.\n\n"
            "“After the signing, what we should do is build the academy quickly.\n\n"
            "“The rest will follow when the funds arrive.”\n\n"
            "The governor of the province welcomed the plan.")
    speakers = [(q["author"] or {}).get("name") for q in _quotes(text)]
    assert speakers == ["Li Wen", "Li Wen"], speakers


def test_the_top_diplomat_who_stressed_a_phrase_is_the_minister_named_before():
    text = ("Chilean Foreign Minister Ana Ruiz arrived in Lima on Monday.\n\n"
            "The top Chilean diplomat stressed the \"growing danger\" at the border, and the "
            "Peruvian leader also stated that talks would go on.")
    (quote,) = _quotes(text)
    assert quote["author"]["name"] == "Ana Ruiz"


def test_words_quoted_in_a_report_without_a_verb_of_saying_take_the_day_the_story_tells_of():
    text = ("Chilean Foreign Minister Ana Ruiz met Peruvian officials in Lima on Tuesday.\n\n"
            "The talks covered fisheries and roads.\n\n"
            "The meeting was long.\n\n"
            "For his part, Peruvian Foreign Minister Pedro Soto talked about a border where "
            "the situation still poses “a concern for Chile and Peru alike”.")
    (quote,) = _quotes(text)
    assert quote["published"] == "2024-03-12"
    assert "published" in quote["inferred"]
