"""The evaluation against held-out fixtures: its scoring, and the targets on the seed."""

from api.ingest import evaluate
from api.ingest.evaluate import Gold


def draft(resource, start, end, countries, date, **record):
    source = {"document": "d", "quote": "x" * (end - start), "start": start, "end": end}
    return {"resource": resource, "record": {"countries": countries, "date": date,
                                             "sources": [source], **record}}


def test_proposed_needs_an_overlapping_citation_and_right_needs_countries_and_date():
    gold = Gold("agreements", "g", [(100, 150)], {"PK", "RU"}, "2005-03")
    assert evaluate.score(gold, [draft("agreements", 0, 99, ["PK", "RU"], "2005-03")]) == (
        False, False)
    assert evaluate.score(gold, [draft("meetings", 120, 130, ["PK", "RU"], "2005-03")]) == (
        False, False)
    assert evaluate.score(gold, [draft("agreements", 140, 200, ["PK"], "2005-03")]) == (
        True, False)
    assert evaluate.score(gold, [draft("agreements", 140, 200, ["RU", "PK"], "2005")]) == (
        True, False)  # less precise than the gold date
    assert evaluate.score(gold, [draft("agreements", 140, 200, ["RU", "PK"], "2005-03-02")]) == (
        True, True)  # compared at the gold record's precision


def test_a_quote_must_say_the_same_words():
    gold = Gold("quotes", "q", [(0, 50)], {"PK"}, None, text="we are your allies")
    other = draft("commentary", 0, 50, ["PK"], None, kind="quote", published=None,
                  text="a comprehensive partnership")
    same = dict(other, record=dict(other["record"], text="We are your allies"))
    assert evaluate.score(gold, [other]) == (False, False)
    assert evaluate.score(gold, [same]) == (True, True)


def test_the_seed_meets_the_targets_with_its_fixtures_held_out():
    report = evaluate.seed_report()
    assert report["citations_failing"] == 0 and report["citations"] > 0
    assert set(report["resources"]) == set(evaluate.RESOURCES)
    for resource, counts in report["resources"].items():
        assert counts["proposed"] / counts["gold"] >= 0.8, resource
        assert counts["right"] / counts["gold"] >= 0.7, resource
