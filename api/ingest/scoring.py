"""Drafts scored against a folder of annotated articles, one fact at a time.

A folder holds ``<slug>.txt`` (the text), ``<slug>.json`` (the document's metadata) and
``gold.json`` (``{slug: [fact, ...]}``; the fact format is in tests/articles/news/README.md).
Each gold fact is matched to at most one draft and each draft to at most one fact:

- a draft is a **candidate** for a fact when it is of the fact's resource and cites a span
  overlapping the fact's quote (organizations, which carry no citation, by name or
  acronym; people also by name; quotes also by their words; when several agreements of a
  fact's sentence are gold, the draft's title must name this one's subject);
- the fact is **proposed** when a candidate is assigned to it, and **right** when that
  draft also has the fields the fact states: countries and date at the gold precision,
  an agreement's status, an indicator's value and unit, a quote's speaker, a person's
  role country, an organization's name and acronym;
- **precision** is the share of drafts that are a candidate for some fact, and
  **duplicates** the candidates left over once every fact they could state is taken;
- **calibration** is the share of drafts with confidence of at least 0.8 that are right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from api.domain import citations
from api.domain.names import key

RESOURCES = ("agreements", "meetings", "events", "indicators", "quotes", "people",
             "organizations")
HIGH = 0.8  # the confidence calibration is reported for
_DATE = {"agreements": "date", "meetings": "date", "events": "date", "indicators": "period",
         "quotes": "published"}
_GENERIC = re.compile(
    r"\b(?:agreements?|memorand(?:um|a)|mous?|of|on|in|the|and|for|between|a|an|"
    r"understanding|cooperation|co-operation|treaty|treaties|accord|protocol|programme|program|"
    r"deal|contract|convention|field|sphere|area|two|countries|governments?|bilateral|"
    r"plan|exchange|letters?|notes?)\b", re.I)


@dataclass
class Fact:
    resource: str
    item: dict
    spans: list[tuple[int, int]]
    shared: bool = False  # another gold fact of the same resource has the same quote


@dataclass
class Score:
    """Counts for one article, a batch or a whole folder."""

    gold: dict[str, int] = field(default_factory=dict)
    proposed: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    drafts: dict[str, int] = field(default_factory=dict)
    stating: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    high: int = 0
    high_right: int = 0
    low: int = 0
    low_right: int = 0
    citations: int = 0
    citations_failing: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "proposed", "right", "drafts", "stating", "duplicates"):
            mine = getattr(self, name)
            for resource, count in getattr(other, name).items():
                mine[resource] = mine.get(resource, 0) + count
        for name in ("high", "high_right", "low", "low_right", "citations",
                     "citations_failing"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.extras += other.extras

    def as_dict(self) -> dict:
        total = {name: sum(getattr(self, name).values())
                 for name in ("gold", "proposed", "right", "drafts", "stating", "duplicates")}
        return {
            "resources": {r: {"gold": self.gold.get(r, 0), "proposed": self.proposed.get(r, 0),
                              "right": self.right.get(r, 0), "drafts": self.drafts.get(r, 0),
                              "stating": self.stating.get(r, 0),
                              "duplicates": self.duplicates.get(r, 0)}
                          for r in RESOURCES if self.gold.get(r) or self.drafts.get(r)},
            "total": total,
            "calibration": {"high": self.high, "high_right": self.high_right,
                            "low": self.low, "low_right": self.low_right},
            "citations": self.citations, "citations_failing": self.citations_failing,
            "misses": self.misses, "extras": self.extras,
        }


def load(folder: Path) -> dict[str, list[dict]]:
    return json.loads((folder / "gold.json").read_text("utf-8"))


def batches(folder: Path) -> dict[str, str]:
    """slug -> batch, from the folder README's table rows ``| 1 | slug | ... |``."""
    readme = folder / "README.md"
    if not readme.exists():
        return {}
    found = {}
    for line in readme.read_text("utf-8").splitlines():
        match = re.match(r"\|\s*(\d+)\s*\|\s*([a-z0-9][a-z0-9-]*)\s*\|", line)
        if match:
            found[match.group(2)] = match.group(1)
    return found


def facts(items: list[dict], text: str) -> list[Fact]:
    out = []
    for item in items:
        spans = []
        if item.get("quote"):
            start = text.index(item["quote"])
            spans.append((start, start + len(item["quote"])))
        out.append(Fact(item["resource"], item, spans))
    for fact in out:
        fact.shared = fact.resource == "agreements" and sum(
            other.resource == "agreements" and other.spans == fact.spans for other in out) > 1
    return out


def _spans(record: dict) -> list[tuple[int, int]]:
    return [(s["start"], s["end"]) for _, s in citations.walk(record)]


def _overlaps(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _date_right(found: str | None, wanted: str | None) -> bool:
    if wanted is None:
        return found is None
    return found is not None and found[: len(wanted)] == wanted


def _resource(draft: dict) -> str:
    if draft["resource"] == "commentary":
        return "quotes" if draft["record"].get("kind") == "quote" else "commentary"
    return draft["resource"]


def _names(draft: dict) -> list[str]:
    record = draft["record"]
    names = [record.get("name") or ""] + [a["name"] for a in record.get("aliases") or []]
    if record.get("acronym"):
        names.append(record["acronym"])
    return [n for n in names if n]


def _same_name(a: str, b: str) -> bool:
    return key(a) == key(b) or fuzz.ratio(key(a), key(b)) >= 85


def _subject(title: str) -> str:
    return " ".join(_GENERIC.sub(" ", title.lower()).split())


def _title_fits(draft: dict, fact: Fact) -> float:
    wanted, found = _subject(fact.item.get("title") or ""), _subject(
        draft["record"].get("title") or "")
    if not wanted:
        return 100.0
    return fuzz.token_set_ratio(wanted, found) if found else 0.0


def candidate(draft: dict, fact: Fact) -> bool:
    if _resource(draft) != fact.resource:
        return False
    record, item = draft["record"], fact.item
    if fact.resource == "organizations":
        return any(_same_name(n, g) for n in _names(draft) for g in item.get("names") or [])
    if fact.resource == "people":
        if not any(_same_name(n, g) for n in _names(draft) for g in item.get("names") or []):
            return False
        return not fact.spans or _overlaps(_spans(record), fact.spans)
    if not _overlaps(_spans(record), fact.spans):
        return False
    if fact.resource == "quotes":
        return fuzz.partial_ratio(key(record.get("text") or ""),
                                  key(item.get("text") or item.get("quote") or "")) >= 80
    if fact.shared:
        return _title_fits(draft, fact) >= 60
    return True


def _speaker_right(record: dict, speaker: str | None) -> bool:
    author = record.get("author")
    if speaker is None:
        return author is None
    if author is None:
        return False
    name = author.get("name") or author.get("person") or ""
    return _same_name(name, speaker) or fuzz.partial_ratio(key(name), key(speaker)) >= 90


def wrong(draft: dict, fact: Fact) -> list[str]:
    """The fields of the fact that the draft states otherwise, as ``field: found ≠ wanted``."""
    record, item = draft["record"], fact.item
    if fact.resource == "organizations":
        names = item.get("names") or []
        acronyms = [n for n in names if n.isupper() and " " not in n]
        full = [n for n in names if n not in acronyms]
        found = [record.get("name")] + [a["name"] for a in record.get("aliases") or []]
        if full and not any(_same_name(record.get("name") or "", n) for n in full):
            return [f"name: {record.get('name')} ≠ {full[0]}"]
        if acronyms and record.get("acronym") not in acronyms and \
                not any(n in acronyms for n in found):
            return [f"acronym: {record.get('acronym')} ≠ {acronyms[0]}"]
        return []
    if fact.resource == "people":
        roles = record.get("roles") or []
        if item.get("countries") is None:
            return []
        country = {roles[0]["country"]} if roles and roles[0].get("country") else set()
        return [] if country == set(item["countries"]) else \
            [f"role country: {sorted(country)} ≠ {sorted(item['countries'])}"]
    fields = []
    if item.get("countries") is not None and \
            set(record.get("countries") or []) != set(item["countries"]):
        fields.append(f"countries: {sorted(record.get('countries') or [])} ≠ "
                      f"{sorted(item['countries'])}")
    date = record.get(_DATE[fact.resource])
    if "date" in item and not _date_right(date, item["date"]):
        fields.append(f"date: {date} ≠ {item['date']}")
    if fact.resource == "agreements" and item.get("status") and \
            record.get("status") != item["status"]:
        fields.append(f"status: {record.get('status')} ≠ {item['status']}")
    if fact.resource == "indicators" and item.get("value") is not None:
        value = record.get("value")
        if value is None or abs(value - item["value"]) > 0.005 * abs(item["value"]):
            fields.append(f"value: {value} ≠ {item['value']}")
        if item.get("unit") and item["unit"] not in (record.get("currency"), record.get("unit")):
            fields.append(f"unit: {record.get('currency') or record.get('unit')} ≠ "
                          f"{item['unit']}")
    if fact.resource == "quotes" and "speaker" in item and \
            not _speaker_right(record, item["speaker"]):
        author = record.get("author") or {}
        fields.append(f"speaker: {author.get('name') or author.get('person')} ≠ "
                      f"{item['speaker']}")
    return fields


def right(draft: dict, fact: Fact) -> bool:
    return not wrong(draft, fact)


def _label(fact: Fact) -> str:
    item = fact.item
    return item.get("label") or item.get("title") or (item.get("quote") or "")[:50]


def _draft_label(draft: dict) -> str:
    record = draft["record"]
    return (record.get("title") or record.get("name") or record.get("text") or "")[:60]


def score(drafts: list[dict], gold: list[Fact], text: str, name: str = "") -> Score:
    """One article: assign drafts to facts (right pairs first, then the best titles)."""
    result = Score()
    for draft in drafts:
        for _, source in citations.walk(draft["record"]):
            result.citations += 1
            result.citations_failing += bool(citations.verify(source, text))
    pairs = []
    for i, draft in enumerate(drafts):
        for j, fact in enumerate(gold):
            if candidate(draft, fact):
                fits = _title_fits(draft, fact) if fact.resource == "agreements" else 100.0
                pairs.append((not right(draft, fact), -fits, i, j))
    pairs.sort()
    stating = {i for _, _, i, _ in pairs}
    taken_draft: dict[int, int] = {}
    taken_fact: dict[int, tuple[int, bool]] = {}
    for failed, _, i, j in pairs:
        if i in taken_draft or j in taken_fact:
            continue
        taken_draft[i], taken_fact[j] = j, (i, not failed)
    for resource in RESOURCES:
        result.gold[resource] = sum(f.resource == resource for f in gold)
    for j, fact in enumerate(gold):
        r = fact.resource
        if j in taken_fact:
            result.proposed[r] = result.proposed.get(r, 0) + 1
            if taken_fact[j][1]:
                result.right[r] = result.right.get(r, 0) + 1
                continue
        state = "; ".join(wrong(drafts[taken_fact[j][0]], fact)) if j in taken_fact \
            else "missed"
        result.misses.append(f"{name}: {r}: {_label(fact)} ({state})")
    for i, draft in enumerate(drafts):
        r = _resource(draft)
        result.drafts[r] = result.drafts.get(r, 0) + 1
        good = i in taken_draft and taken_fact[taken_draft[i]][1]
        if i in stating:
            result.stating[r] = result.stating.get(r, 0) + 1
            if i not in taken_draft:
                result.duplicates[r] = result.duplicates.get(r, 0) + 1
                result.extras.append(f"{name}: {r}: {_draft_label(draft)} (duplicate)")
        else:
            result.extras.append(f"{name}: {r}: {_draft_label(draft)} (no fact)")
        if draft.get("confidence", 0) >= HIGH:
            result.high += 1
            result.high_right += good
        else:
            result.low += 1
            result.low_right += good
    return result


def _pct(a: int, b: int) -> str:
    return f"{a / b:>4.0%}" if b else "   -"


def render(title: str, report: dict, details: bool = False) -> str:
    lines = [title, f"{'resource':<14}{'gold':>5}{'proposed':>15}{'right':>13}"
             f"{'drafts':>8}{'stating a fact':>16}{'dupl.':>6}"]
    rows = list(report["resources"].items()) + [("all", report["total"])]
    for resource, c in rows:
        lines.append(f"{resource:<14}{c['gold']:>5}"
                     f"{c['proposed']:>8} ({_pct(c['proposed'], c['gold'])})"
                     f"{c['right']:>6} ({_pct(c['right'], c['gold'])}){c['drafts']:>8}"
                     f"{c['stating']:>9} ({_pct(c['stating'], c['drafts'])}){c['duplicates']:>6}")
    cal = report["calibration"]
    good = report["citations"] - report["citations_failing"]
    lines.append(f"citations verified: {good}/{report['citations']}; calibration: "
                 f"confidence >= {HIGH}: {cal['high_right']}/{cal['high']} right "
                 f"({_pct(cal['high_right'], cal['high']).strip()}), below: "
                 f"{cal['low_right']}/{cal['low']} ({_pct(cal['low_right'], cal['low']).strip()})")
    if details:
        lines += [f"  not right: {m}" for m in report["misses"]]
        lines += [f"  extra: {m}" for m in report["extras"]]
    return "\n".join(lines)
