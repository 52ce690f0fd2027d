"""Scoring drafts fact by fact against a folder's gold: one draft per fact, the fields
each resource must get right, precision, duplicates and calibration."""

import json

from api.ingest import evaluate, scoring

TEXT = ("Lisbon and Accra signed agreements on fisheries, tourism and visas on 3 May 2024. "
        "Trade reached $2 billion last year.")


def source(quote):
    start = TEXT.index(quote)
    return {"document": "d", "quote": quote, "start": start, "end": start + len(quote)}


def agreement(title, status="signed", date="2024-05-03", confidence=0.9):
    quote = TEXT[: TEXT.index(" on 3 May")]
    return {"resource": "agreements", "confidence": confidence,
            "record": {"title": title, "status": status, "countries": ["PT", "GH"],
                       "date": date, "sources": [source(quote)]}}


GOLD = [{"resource": "agreements", "quote": TEXT[: TEXT.index(".") + 1], "title": title,
         "status": "signed", "countries": ["PT", "GH"], "date": "2024-05-03"}
        for title in ("Fisheries agreement", "Tourism agreement", "Visa agreement")] + [
    {"resource": "indicators", "quote": "Trade reached $2 billion last year",
     "countries": ["PT", "GH"], "date": "2023", "value": 2e9, "unit": "USD", "target": False},
    {"resource": "organizations", "label": "Bank", "quote": "x",
     "names": ["West Coast Fisheries Bank", "WCFB"]},
]


def run(drafts):
    gold = [dict(g) for g in GOLD]
    gold[4]["quote"] = None
    return scoring.score(drafts, scoring.facts(gold, TEXT), TEXT, "a").as_dict()


def test_an_umbrella_draft_states_none_of_the_named_agreements():
    report = run([agreement("Three agreements")])
    assert report["resources"]["agreements"]["proposed"] == 0
    assert report["total"]["stating"] == 0


def test_one_draft_per_named_agreement_is_right_and_a_second_one_is_a_duplicate():
    report = run([agreement("Fisheries agreement"), agreement("Agreement on tourism"),
                  agreement("Visa agreement"), agreement("Agreement on visas")])
    counts = report["resources"]["agreements"]
    assert (counts["proposed"], counts["right"], counts["duplicates"]) == (3, 3, 1)
    assert report["calibration"] == {"high": 4, "high_right": 3, "low": 0, "low_right": 0}


def test_status_and_date_at_the_gold_precision_decide_right():
    report = run([agreement("Fisheries agreement", status="negotiating"),
                  agreement("Tourism agreement", date="2024-05")])
    assert report["resources"]["agreements"]["proposed"] == 2
    assert report["resources"]["agreements"]["right"] == 0


def test_an_indicator_needs_its_value_and_unit():
    quote = "Trade reached $2 billion last year."
    record = {"countries": ["GH", "PT"], "period": "2023", "currency": "USD",
              "sources": [source(quote)]}
    wrong = run([{"resource": "indicators", "record": {**record, "value": 2}}])
    good = run([{"resource": "indicators", "record": {**record, "value": 2e9}}])
    assert wrong["resources"]["indicators"]["right"] == 0
    assert good["resources"]["indicators"]["right"] == 1


def test_an_organization_is_found_by_name_and_right_with_its_acronym():
    found = {"name": "West Coast Fisheries Bank", "acronym": None, "aliases": []}
    without = run([{"resource": "organizations", "record": found}])
    assert without["resources"]["organizations"]["proposed"] == 1
    assert without["resources"]["organizations"]["right"] == 0
    whole = run([{"resource": "organizations", "record": {**found, "acronym": "WCFB"}}])
    assert whole["resources"]["organizations"]["right"] == 1


def test_a_folder_is_scored_per_batch(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "a.json").write_text(json.dumps({"id": "a", "title": "T",
                                                 "published": "2024-05-04"}))
    (tmp_path / "gold.json").write_text(json.dumps({"a": GOLD[:4]}))
    (tmp_path / "README.md").write_text("| batch | slug |\n| --- | --- |\n| 1 | a | x |\n")
    reports = evaluate.folder_report(tmp_path)
    assert list(reports) == ["1"]
    assert reports["1"]["total"]["gold"] == 4
    assert reports["1"]["citations_failing"] == 0


def test_an_organization_known_only_by_its_acronym_is_right_by_that_name():
    gold = [{"resource": "organizations", "label": "KTZ", "quote": None, "names": ["KTZ"]}]
    result = scoring.score([{"resource": "organizations",
                             "record": {"name": "KTZ", "acronym": None, "aliases": []}}],
                           scoring.facts(gold, TEXT), TEXT).as_dict()
    assert result["resources"]["organizations"]["right"] == 1
