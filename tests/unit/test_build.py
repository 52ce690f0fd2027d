"""briefs check / briefs build: the real seed builds; every broken input is named."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.build.check import check
from api.build.database import BuildError, build
from api.cli import main
from api.store import fulltext
from api.store.reads import Store
from tests.helpers import DOCUMENT, FIXTURES, ROOT, SEEDS


def edit(fixtures: Path, resource: str, change) -> None:
    """Apply ``change`` to the list of records in one fixture file."""
    path = fixtures / f"{resource}.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")


def record(records: list[dict], record_id: str) -> dict:
    return next(r for r in records if r["id"] == record_id)


def test_real_inputs_have_no_problems():
    data, problems = check(SEEDS, FIXTURES)
    assert problems == []
    assert len(data.records["agreements"]) == 6
    assert data.texts[DOCUMENT] == (SEEDS / f"{DOCUMENT}.txt").read_bytes().decode("utf-8")


def test_build_writes_tables_indexes_and_search(tmp_path):
    path = tmp_path / "briefs.db"
    meta = build(SEEDS, FIXTURES, path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "countries",
        "people",
        "organizations",
        "agreements",
        "meetings",
        "events",
        "indicators",
        "commentary",
        "documents",
        "document_texts",
        "record_countries",
        "record_people",
        "names",
        "meta",
        "search",
    } <= tables
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {
        "agreements_date_asc",
        "agreements_date_desc",
        "agreements_kind_asc",
        "agreements_kind_desc",
        "agreements_status_asc",
    } <= indexes
    fks = conn.execute("PRAGMA foreign_key_list(record_countries)").fetchall()
    assert any(fk[2] == "countries" for fk in fks)
    stored = dict(conn.execute("SELECT key, value FROM meta"))
    assert stored["dataset_version"] == meta["dataset_version"]
    assert stored["pycountry"] == "26.2.16"
    # The full-text index sits beside the file, under the name its meta gives.
    assert stored["fulltext"] == f"{path.name}.fulltext-{meta['dataset_version']}"
    directory = path.parent / stored["fulltext"]
    assert fulltext.count(directory, ["fredkov"]) == 4  # the source's spelling
    assert fulltext.count(directory, ["fredkov"], ["person"]) == 1
    hits, _ = Store(conn).search(["fredkov"], ["person"], 5)
    assert [h[:2] for h in hits] == [("person", "mikhail-fradkov")]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_same_inputs_give_the_same_content(tmp_path):
    first = build(SEEDS, FIXTURES, tmp_path / "a.db")
    second = build(SEEDS, FIXTURES, tmp_path / "b.db")
    assert first["dataset_version"] == second["dataset_version"]
    dump = [
        list(sqlite3.connect(tmp_path / n).execute("SELECT id, json, etag FROM agreements"))
        for n in ("a.db", "b.db")
    ]
    assert dump[0] == dump[1]


def test_version_changes_when_a_fixture_changes(inputs, tmp_path):
    seeds, fixtures = inputs
    before = build(seeds, fixtures, tmp_path / "a.db")["dataset_version"]
    edit(
        fixtures,
        "agreements",
        lambda rs: record(rs, "2005-debt-rescheduling").update(sector="finance"),
    )
    after = build(seeds, fixtures, tmp_path / "b.db")["dataset_version"]
    assert before != after


def _quote_not_in_text(rs):
    src = record(rs, "2005-debt-rescheduling")["sources"][0]
    src.update(quote="A debt-rescheduling agreement of $127 million was signed in March 2006.")


def _offset_off_by_one(rs):
    src = record(rs, "2005-debt-rescheduling")["sources"][0]
    src.update(start=src["start"] + 1, end=src["end"] + 1)


def _prefix_mismatch(rs):
    record(rs, "2005-debt-rescheduling")["sources"][0]["prefix"] = "something else"


def _suffix_mismatch(rs):
    record(rs, "2005-debt-rescheduling")["sources"][0]["suffix"] = "x"


def _unknown_document(rs):
    record(rs, "2005-debt-rescheduling")["sources"][0]["document"] = "no-such-article"


def _unknown_country(rs):
    record(rs, "2005-debt-rescheduling")["countries"] = ["PK", "XX"]


def _unknown_person(rs):
    record(rs, "2010-putin-gilani-dushanbe")["participants"][0]["person"] = "vladimir-putn"


def _bad_month(rs):
    record(rs, "2005-debt-rescheduling")["date"] = "2007-13"


def _impossible_day(rs):
    record(rs, "2005-debt-rescheduling")["date"] = "2007-02-30"


def _duplicate_id(rs):
    rs.append(dict(record(rs, "2005-debt-rescheduling")))


def _unknown_field(rs):
    record(rs, "2005-debt-rescheduling")["signatories"] = ["PK"]


def _dangling_meeting(rs):
    record(rs, "2007-oil-sector-mou")["meeting"] = "2007-no-such-visit"


def _length_mismatch(rs):
    record(rs, "2005-debt-rescheduling")["sources"][0]["end"] += 3


def _status_history_disagrees(rs):
    record(rs, "2005-debt-rescheduling")["status"] = "ratified"


def _derived_field_given(rs):
    record(rs, "2005-debt-rescheduling")["date_start"] = "2005-03-01"


BROKEN = [
    (
        "agreements",
        _quote_not_in_text,
        "2005-debt-rescheduling",
        "sources[0].quote",
        "does not occur in the document",
    ),
    (
        "agreements",
        _offset_off_by_one,
        "2005-debt-rescheduling",
        "sources[0].quote",
        "the quote occurs at offset",
    ),
    (
        "agreements",
        _prefix_mismatch,
        "2005-debt-rescheduling",
        "sources[0].prefix",
        "but the text has",
    ),
    (
        "agreements",
        _suffix_mismatch,
        "2005-debt-rescheduling",
        "sources[0].suffix",
        "but the text has",
    ),
    (
        "agreements",
        _unknown_document,
        "2005-debt-rescheduling",
        "sources[0].document",
        "unknown documents id 'no-such-article'",
    ),
    (
        "agreements",
        _unknown_country,
        "2005-debt-rescheduling",
        "countries[1]",
        "unknown countries id 'XX'",
    ),
    (
        "meetings",
        _unknown_person,
        "2010-putin-gilani-dushanbe",
        "participants[0].person",
        "unknown people id 'vladimir-putn'",
    ),
    ("agreements", _bad_month, "2005-debt-rescheduling", "date", "Not a real calendar date"),
    ("agreements", _impossible_day, "2005-debt-rescheduling", "date", "Not a real calendar date"),
    ("agreements", _duplicate_id, "2005-debt-rescheduling", "id", "duplicate id"),
    ("agreements", _unknown_field, "2005-debt-rescheduling", "signatories", "Unknown field"),
    (
        "agreements",
        _dangling_meeting,
        "2007-oil-sector-mou",
        "meeting",
        "unknown meetings id '2007-no-such-visit'",
    ),
    (
        "agreements",
        _length_mismatch,
        "2005-debt-rescheduling",
        "sources[0].end",
        "the quote is 71 characters long",
    ),
    (
        "agreements",
        _status_history_disagrees,
        "2005-debt-rescheduling",
        "status",
        "last status_history entry",
    ),
    ("agreements", _derived_field_given, "2005-debt-rescheduling", "date_start", "Unknown field"),
]


@pytest.mark.parametrize(
    ("resource", "change", "record_id", "field", "reason"),
    BROKEN,
    ids=[b[1].__name__.strip("_") for b in BROKEN],
)
def test_check_names_file_record_field_and_reason(
    inputs, resource, change, record_id, field, reason
):
    seeds, fixtures = inputs
    edit(fixtures, resource, change)
    _, problems = check(seeds, fixtures)
    assert problems, "the broken input was accepted"
    matching = [p for p in problems if p.record == record_id and p.field == field]
    assert matching, f"no problem for {record_id}.{field} in {[str(p) for p in problems]}"
    assert reason in matching[0].reason
    assert matching[0].file.endswith(f"{resource}.json")


def test_check_command_exits_non_zero_with_the_problem(inputs):
    seeds, fixtures = inputs
    edit(fixtures, "agreements", _offset_off_by_one)
    result = CliRunner().invoke(main, ["check", "--seeds", str(seeds), "--fixtures", str(fixtures)])
    assert result.exit_code == 1
    assert "agreements.json: 2005-debt-rescheduling: sources[0].quote:" in result.output


def test_check_command_passes_on_the_real_inputs():
    result = CliRunner().invoke(main, ["check", "--seeds", str(SEEDS), "--fixtures", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 46 records")


def test_seed_text_changed_is_caught(inputs):
    seeds, fixtures = inputs
    text = seeds / f"{DOCUMENT}.txt"
    text.write_bytes(text.read_bytes().replace(b"pitiful", b"healthy"))
    _, problems = check(seeds, fixtures)
    assert any(p.field == "sha256" and p.record == DOCUMENT for p in problems)


def test_malformed_fixture_file_is_named(inputs):
    seeds, fixtures = inputs
    (fixtures / "events.json").write_text('[{"id": "x",', encoding="utf-8")
    _, problems = check(seeds, fixtures)
    assert any(p.file.endswith("events.json") and "not valid JSON" in p.reason for p in problems)


def test_unknown_country_addition_is_named(inputs):
    seeds, fixtures = inputs
    edit(fixtures, "countries", lambda rs: rs.append({"id": "QQ"}))
    _, problems = check(seeds, fixtures)
    assert any(p.record == "QQ" and p.field == "id" for p in problems)


def test_failed_build_leaves_the_previous_database(inputs, tmp_path):
    seeds, fixtures = inputs
    path = tmp_path / "out" / "briefs.db"
    meta = build(seeds, fixtures, path)
    before = path.read_bytes()
    edit(fixtures, "agreements", _bad_month)
    with pytest.raises(BuildError) as raised:
        build(seeds, fixtures, path)
    assert raised.value.problems
    assert path.read_bytes() == before
    index = f"briefs.db.fulltext-{meta['dataset_version']}"
    assert sorted(p.name for p in path.parent.iterdir()) == ["briefs.db", index, "briefs.db.lock"]
    assert fulltext.count(path.parent / index, ["fredkov"]) == 4


def test_build_command_reports_and_exits_non_zero(inputs, tmp_path):
    seeds, fixtures = inputs
    edit(fixtures, "agreements", _dangling_meeting)
    path = tmp_path / "briefs.db"
    result = CliRunner().invoke(
        main, ["build", "--db", str(path), "--seeds", str(seeds), "--fixtures", str(fixtures)]
    )
    assert result.exit_code == 1
    assert "2007-oil-sector-mou: meeting: unknown meetings id" in result.output
    assert not path.exists()


def test_build_command_uses_briefs_db(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("BRIEFS_DB", str(tmp_path / "from-env.db"))
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env.db").exists()


def test_export_writes_the_fixtures_back_unchanged(db_path, tmp_path):
    result = CliRunner().invoke(main, ["export", "--db", str(db_path), "--fixtures", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for path in FIXTURES.glob("*.json"):
        if path.name == "countries.json":
            continue
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_cite_prints_a_verifiable_citation():
    result = CliRunner().invoke(
        main, ["cite", DOCUMENT, "SCO", "--occurrence", "2", "--seeds", str(SEEDS)]
    )
    assert result.exit_code == 0, result.output
    source = json.loads(result.output)
    text = (SEEDS / f"{DOCUMENT}.txt").read_text(encoding="utf-8")
    assert text[source["start"] : source["end"]] == "SCO"
    assert source["start"] > text.find("SCO")
