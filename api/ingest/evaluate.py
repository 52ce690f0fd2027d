"""How much of a curated article extraction finds, measured against its records.

    python -m api.ingest.evaluate [--folder DIR [--batch N] [--details]] [--json]

For the seed article, the fixtures are the gold standard, held out: extraction
runs with no known people, organizations or records, and the byline's link to
its author's record removed. For each resource (agreements, meetings,
indicators, quotes = commentary of kind quote, people) it reports the share
of gold records that a draft of the right resource proposes with a citation
overlapping the gold one ("proposed"; a quote's words must match too), and the
share also with the right
countries and date, compared at the gold record's precision ("right").
``--articles`` does the same on the test articles and their gold file
(tests/articles/gold.json). Every draft citation is verified as well.

``--folder DIR`` scores a folder of annotated articles instead (``slug.txt``,
``slug.json``, ``gold.json``), fact by fact, every resource the gold names, with
precision, duplicates and calibration (``api.ingest.scoring``); per batch when
the folder's README lists batches, or one batch with ``--batch``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from api.domain import citations
from api.domain.names import key
from api.ingest import Known, extract, load_model, scoring

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ("agreements", "meetings", "indicators", "quotes", "people")
_DATE = {"agreements": "date", "meetings": "date", "indicators": "period", "quotes": "published"}


@dataclass
class Gold:
    """One record to find: where it is cited, its countries and its date."""

    resource: str
    label: str
    spans: list[tuple[int, int]]
    countries: set[str] | None
    date: str | None
    names: list[str] | None = None  # people: the canonical name and aliases
    text: str | None = None  # quotes: the words said


def _spans(record: dict) -> list[tuple[int, int]]:
    return [(s["start"], s["end"]) for _, s in citations.walk(record)]


def from_fixtures(document: str) -> list[Gold]:
    """The seed's fixture records of the evaluated resources."""
    gold = []
    for resource in RESOURCES:
        name = "commentary" if resource == "quotes" else resource
        for record in json.loads((ROOT / "fixtures" / f"{name}.json").read_text("utf-8")):
            if resource == "quotes" and record.get("kind") != "quote":
                continue
            if not any(s["document"] == document for _, s in citations.walk(record)) and \
                    resource != "people":
                continue
            if resource == "people":
                roles = record.get("roles") or []
                gold.append(Gold(resource, record["id"], _spans(record),
                                 {roles[0]["country"]} if roles and roles[0].get("country")
                                 else None, None,
                                 [record["name"]] + [a["name"] for a in record.get("aliases")]))
                continue
            gold.append(Gold(resource, record["id"], _spans(record), set(record["countries"]),
                             record.get(_DATE[resource]), text=record.get("text")))
    return gold


def from_gold_file(path: Path, name: str, text: str) -> list[Gold]:
    """Gold records written for a test article: quotes of its text, located here."""
    gold = []
    for item in json.loads(path.read_text("utf-8"))[name]:
        spans = []
        if item.get("quote"):
            start = text.index(item["quote"])
            spans.append((start, start + len(item["quote"])))
        countries = set(item["countries"]) if item.get("countries") is not None else None
        gold.append(Gold(item["resource"], item.get("label") or item.get("quote", "")[:40],
                         spans, countries, item.get("date"), item.get("names"),
                         item.get("text") or item.get("quote")))
    return gold


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _date_right(found: str | None, wanted: str | None) -> bool:
    """Right at the gold record's precision: the draft says at least as much, and agrees."""
    if wanted is None:
        return found is None
    return found is not None and found[: len(wanted)] == wanted


def _candidates(gold: Gold, drafts: list[dict]) -> list[dict]:
    if gold.resource == "quotes":
        return [d for d in drafts if d["resource"] == "commentary"
                and d["record"].get("kind") == "quote"]
    return [d for d in drafts if d["resource"] == gold.resource]


def _same_person(draft: dict, gold: Gold) -> bool:
    names = [draft["record"]["name"]] + [a["name"] for a in draft["record"].get("aliases", [])]
    return any(key(a) == key(b) or fuzz.ratio(key(a), key(b)) >= 85
               for a in names for b in gold.names or [])


def score(gold: Gold, drafts: list[dict]) -> tuple[bool, bool]:
    """(proposed, right) for one gold record."""
    proposed = right = False
    for draft in _candidates(gold, drafts):
        record = draft["record"]
        if gold.resource == "people":
            if not _same_person(draft, gold):
                continue
            if gold.spans and not _overlaps(_spans(record), gold.spans):
                continue
            proposed = True
            roles = record.get("roles") or []
            country = {roles[0]["country"]} if roles and roles[0].get("country") else None
            right = right or gold.countries is None or country == gold.countries
            continue
        if not _overlaps(_spans(record), gold.spans):
            continue
        if gold.resource == "quotes" and fuzz.partial_ratio(
                key(record.get("text") or ""), key(gold.text or "")) < 80:
            continue  # another quote cited in the same sentence
        proposed = True
        field = _DATE[gold.resource]
        if set(record.get("countries") or []) == gold.countries and _date_right(
                record.get(field), gold.date):
            right = True
    return proposed, right


def evaluate(text: str, document: dict, gold: list[Gold], nlp=None) -> dict:
    """Per resource: how many gold records, proposed, right; and the citations checked."""
    drafts = extract(text, document, Known(), nlp or load_model())
    checked = bad = 0
    for draft in drafts:
        for _, source in citations.walk(draft["record"]):
            checked += 1
            bad += bool(citations.verify(source, text))
    report = {"drafts": len(drafts), "citations": checked, "citations_failing": bad,
              "resources": {}, "misses": []}
    for resource in RESOURCES:
        items = [g for g in gold if g.resource == resource]
        if not items:
            continue
        results = [(g, *score(g, drafts)) for g in items]
        report["resources"][resource] = {
            "gold": len(items),
            "proposed": sum(p for _, p, _ in results),
            "right": sum(r for _, _, r in results),
        }
        report["misses"] += [f"{resource}: {g.label} ({'wrong countries/date' if p else 'missed'})"
                             for g, p, r in results if not r]
    return report


def seed_report(nlp=None) -> dict:
    name = "pakistan-russia-relations-a-new-beginning"
    text = (ROOT / "seeds" / f"{name}.txt").read_text("utf-8")
    document = json.loads((ROOT / "seeds" / f"{name}.json").read_text("utf-8"))
    document["id"] = name
    # held out: the byline's link to the author's person record is a fixture too
    document["authors"] = [{**a, "person": None} for a in document.get("authors") or []]
    return evaluate(text, document, from_fixtures(name), nlp)


def articles_report(nlp=None) -> dict:
    folder = ROOT / "tests" / "articles"
    gold_file = folder / "gold.json"
    reports = {}
    for name in json.loads(gold_file.read_text("utf-8")):
        text = (folder / f"{name}.txt").read_text("utf-8")
        document = json.loads((folder / f"{name}.json").read_text("utf-8"))
        reports[name] = evaluate(text, document, from_gold_file(gold_file, name, text), nlp)
    return _total(reports)


def _total(reports: dict) -> dict:
    total = {"drafts": 0, "citations": 0, "citations_failing": 0, "resources": {}, "misses": []}
    for name, report in reports.items():
        for field in ("drafts", "citations", "citations_failing"):
            total[field] += report[field]
        for resource, counts in report["resources"].items():
            into = total["resources"].setdefault(resource, {"gold": 0, "proposed": 0, "right": 0})
            for field in into:
                into[field] += counts[field]
        total["misses"] += [f"{name}: {m}" for m in report["misses"]]
    return total


def render(title: str, report: dict) -> str:
    lines = [title, f"{'resource':<12} {'gold':>4} {'proposed':>14} {'right':>14}"]
    for resource, c in report["resources"].items():
        proposed, right = c["proposed"] / c["gold"], c["right"] / c["gold"]
        lines.append(f"{resource:<12} {c['gold']:>4} {c['proposed']:>4} ({proposed:>5.0%})"
                     f" {c['right']:>5} ({right:>5.0%})")
    good = report["citations"] - report["citations_failing"]
    lines.append(f"drafts: {report['drafts']}; citations verified: {good}/{report['citations']}")
    lines += [f"  not right: {m}" for m in report["misses"]]
    return "\n".join(lines)


def folder_report(folder: Path, batch: str | None = None, nlp=None) -> dict[str, dict]:
    """Scores per batch (one "all" batch when the folder lists none) and in total."""
    gold = scoring.load(folder)
    batch_of = scoring.batches(folder)
    totals: dict[str, scoring.Score] = {}
    for name, items in gold.items():
        group = batch_of.get(name, "all")
        if batch is not None and group != batch:
            continue
        text = (folder / f"{name}.txt").read_text("utf-8")
        document = json.loads((folder / f"{name}.json").read_text("utf-8"))
        document.setdefault("id", name)
        # authors written as plain names are the stored form's {"name": ...}
        document["authors"] = [{"name": a} if isinstance(a, str) else a
                               for a in document.get("authors") or []]
        drafts = extract(text, document, Known(), nlp or load_model())
        result = scoring.score(drafts, scoring.facts(items, text), text, name)
        totals.setdefault(group, scoring.Score()).add(result)
    out = {group: totals[group].as_dict() for group in sorted(totals)}
    if len(totals) > 1:
        everything = scoring.Score()
        for result in totals.values():
            everything.add(result)
        out["total"] = everything.as_dict()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--folder", type=Path, help="a folder of annotated articles")
    parser.add_argument("--batch", help="only this batch of the folder")
    parser.add_argument("--details", action="store_true",
                        help="list the facts not right and the drafts stating none")
    args = parser.parse_args(argv)
    nlp = load_model()
    if args.folder:
        if not (args.folder / "gold.json").is_file():
            parser.error(f"{args.folder} has no gold.json")
        reports = folder_report(args.folder, args.batch, nlp)
        if args.json:
            print(json.dumps(reports, indent=2, ensure_ascii=False))
        else:
            print("\n\n".join(scoring.render(
                f"{args.folder}: " + ("all articles" if group in ("all", "total")
                                      else f"batch {group}"), report, args.details)
                for group, report in reports.items()))
        return 1 if any(r["citations_failing"] for r in reports.values()) else 0
    seed, mine = seed_report(nlp), articles_report(nlp)
    if args.json:
        print(json.dumps({"seed": seed, "articles": mine}, indent=2))
    else:
        print(render("Seed article, fixtures held out", seed))
        print()
        print(render("Test articles (tests/articles/gold.json)", mine))
    failing = seed["citations_failing"] + mine["citations_failing"]
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
