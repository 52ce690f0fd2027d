"""Extraction from top to bottom: read the article once, then each drafting step in order,
matching against existing records, links between drafts and the records they restate,
then the checks every draft must pass."""

from __future__ import annotations

import logging

from api.ingest.draft import (
    agreements,
    commentary,
    confidence,
    decided,
    events,
    indicators,
    links,
    matching,
    meetings,
    organizations,
    people,
    shape,
)
from api.ingest.read import article

log = logging.getLogger(__name__)

# The drafting steps, in the order their drafts are listed.
STEPS = (
    ("agreements", agreements.draft),
    ("meetings", meetings.draft),
    ("events", events.draft),
    ("indicators", indicators.draft),
    ("commentary", commentary.draft),
    ("people", people.draft),
    ("organizations", organizations.draft),
)


def run(nlp, text: str, document: dict, known) -> list[dict]:
    """Drafts for one document; a draft that fails its schema or a citation is dropped
    (and logged), so every draft returned can be accepted as it stands."""
    read = article.read(nlp, text, document, known)
    made = []
    for _, step in STEPS:
        made += [matching.apply(draft, known) for draft in step(read)]
    links.apply(made)
    made = [confidence.calibrate(draft) for draft in made]
    out = []
    done = getattr(known, "decided", None) or []
    for draft in made:
        if done and decided.restates(draft, done, document.get("id", "")):
            log.info("a %s draft restates what a curator decided", draft["resource"])
            continue
        found = shape.problems(draft, text)
        if found:
            log.warning("dropped a %s draft: %s", draft["resource"], "; ".join(found))
            continue
        out.append(draft)
    return out
