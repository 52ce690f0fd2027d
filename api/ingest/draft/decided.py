"""Extraction run again on a document proposes nothing a curator already decided: no
draft for a span a record already cites with the same content, none that restates a
rejected draft (``Known.decided``: those records and drafts, each ``{"resource",
"record"}``)."""

from __future__ import annotations

from rapidfuzz import fuzz

from api.domain import citations
from api.domain.names import key
from api.ingest.draft import lists


def _spans(record: dict, document: str) -> list[tuple[int, int]]:
    return [(s["start"], s["end"]) for _, s in citations.walk(record)
            if s.get("document") in (None, document)]


def _overlap(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _names(record: dict) -> set[str]:
    names = [record.get("name"), record.get("acronym")]
    names += [a.get("name") for a in record.get("aliases") or []]
    return {key(n) for n in names if n}


def same_content(resource: str, mine: dict, theirs: dict) -> bool:
    """Whether two records of one resource say the same thing."""
    if resource in ("people", "organizations"):
        return bool(_names(mine) & _names(theirs))
    if resource == "agreements":
        a, b = lists.subject(mine.get("title") or ""), lists.subject(theirs.get("title") or "")
        return a == b or (bool(a) and bool(b) and fuzz.token_set_ratio(a, b) >= 90)
    if resource == "indicators":
        return mine.get("value") == theirs.get("value")
    if resource == "meetings":
        a, b = mine.get("date") or "", theirs.get("date") or ""
        return a.startswith(b) or b.startswith(a)
    if resource == "commentary":
        return fuzz.ratio(key(mine.get("text") or ""), key(theirs.get("text") or "")) >= 90
    return fuzz.token_set_ratio(key(mine.get("title") or ""),
                                key(theirs.get("title") or "")) >= 80


def restates(draft: dict, decided: list[dict], document: str) -> bool:
    """Whether ``draft`` says again what a decided record or draft said, at the same place
    in the document (people and organizations, which need not cite it, by name)."""
    record = draft["record"]
    spans = _spans(record, document)
    for other in decided:
        if other.get("resource") != draft["resource"]:
            continue
        theirs = other.get("record") or {}
        if draft["resource"] not in ("people", "organizations") and not _overlap(
                spans, _spans(theirs, document)):
            continue
        if same_content(draft["resource"], record, theirs):
            return True
    return False
