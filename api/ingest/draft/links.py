"""References between drafts and existing records: an agreement reached at a meeting the
store already holds names it, and a quote said there has it as a subject.

A reference may only name an existing record, so only drafts that restate one (an
add_source draft with a target) can be referred to; a new meeting is linked by the
curator once it is accepted.
"""

from __future__ import annotations

_SUBJECT_TYPES = {"agreements": "agreement", "meetings": "meeting", "events": "event",
                  "indicators": "indicator"}


def _spans(draft: dict) -> list[tuple[int, int]]:
    return [(s["start"], s["end"]) for s in draft["record"].get("sources") or []]


def _overlap(a: dict, b: dict) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in _spans(a) for s2, e2 in _spans(b))


def apply(drafts: list[dict]) -> None:
    """Fill ``meeting`` of agreements and ``subjects`` of commentary from the existing
    records restated in the same sentence."""
    existing = [d for d in drafts if d["action"] == "add_source" and d["target"]]
    for draft in drafts:
        record = draft["record"]
        if draft["resource"] == "agreements" and record.get("meeting") is None:
            meeting = next((d for d in existing if d["resource"] == "meetings"
                            and d["record"].get("kind") != "summit" and _overlap(d, draft)),
                           None)
            if meeting:
                record["meeting"] = meeting["target"]
                draft["reasons"].append(f"reached at {meeting['target']}, restated here")
        elif draft["resource"] == "commentary" and record.get("kind") == "quote":
            for other in existing:
                kind = _SUBJECT_TYPES.get(other["resource"])
                if kind and _overlap(other, draft) and other["record"].get("kind") != "summit":
                    subject = {"type": kind, "id": other["target"]}
                    if subject not in record["subjects"]:
                        record["subjects"].append(subject)
