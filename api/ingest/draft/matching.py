"""Matches against existing records: a draft that restates one (the same meeting reported
by a second paper) becomes an add_source draft, so accepting it corroborates the record
instead of duplicating it."""

from __future__ import annotations

from rapidfuzz import fuzz

RESTATES = 0.75  # the score from which a draft is read as the same fact
LISTED = 0.35  # the lowest score worth showing a curator
_TEXT = {"agreements": "title", "meetings": "title", "events": "title", "indicators": "title",
         "commentary": "text"}


def score(resource: str, record: dict, other: dict) -> float:
    """How likely two records state the same fact: countries, date, kind and wording."""
    mine, theirs = set(record.get("countries") or []), set(other.get("countries") or [])
    overlap = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
    field = _TEXT[resource]
    words = fuzz.token_set_ratio(record.get(field) or "", other.get(field) or "") / 100
    summary = fuzz.token_set_ratio(record.get("summary") or record.get("text") or "",
                                   other.get("summary") or other.get("text") or "") / 100
    date_field = {"indicators": "period", "commentary": "published"}.get(resource, "date")
    a, b = record.get(date_field), other.get(date_field)
    if a and b:
        n = min(len(a), len(b))
        when = 1.0 if a[:n] == b[:n] else 0.0
    else:
        when = 0.5
    same_kind = 1.0 if record.get("kind") == other.get("kind") else 0.0
    if resource == "indicators" and record.get("value") != other.get("value"):
        same_kind *= 0.5
    total = 0.3 * overlap + 0.25 * when + 0.15 * same_kind + 0.15 * words + 0.15 * summary
    if a and b and not when:
        total *= 0.6  # a different date is a different fact
    return round(total, 3)


def apply(draft: dict, known) -> dict:
    """Fill ``matches``; a close enough match makes the draft an add_source to it."""
    resource = draft["resource"]
    if resource not in _TEXT or known is None or getattr(known, "candidates", None) is None:
        return draft
    record = draft["record"]
    date_field = {"indicators": "period", "commentary": "published"}.get(resource, "date")
    when = record.get(date_field)
    candidates = known.candidates(resource, list(record.get("countries") or []), when) or []
    scored = sorted(((score(resource, record, c), c.get("id")) for c in candidates if c.get("id")),
                    reverse=True)
    draft["matches"] = [{"id": i, "score": s} for s, i in scored[:3] if s >= LISTED]
    if scored and scored[0][0] >= RESTATES:
        best_score, best_id = scored[0]
        draft["action"] = "add_source"
        draft["target"] = best_id
        draft["reasons"].append(f"restates {best_id} (score {best_score}): adds this citation")
    return draft
