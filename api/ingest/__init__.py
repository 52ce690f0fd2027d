"""Extraction: a document's text in, drafts with verified citations out.

``extract`` reads the article once with spaCy (``load_model``) and runs one
drafting step per resource (``pipeline.STEPS``). Each draft holds a record in
its resource's input schema, every citation verified against the text,
``matches`` against existing records, a ``confidence`` and its ``reasons``.
Nothing here touches the database: the caller passes what is already known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from api.ingest.model import load_model


def _no_candidates(resource: str, countries: list[str], when: str | None) -> list[dict]:
    return []


@dataclass
class Known:
    """What the store already holds, as stored output JSON."""

    people: list[dict] = field(default_factory=list)
    organizations: list[dict] = field(default_factory=list)
    # (resource, country ids, partial date or None) -> existing records near that date
    candidates: Callable[[str, list[str], str | None], list[dict]] = _no_candidates
    # records citing the document and its rejected drafts, each {"resource", "record"}:
    # extraction run again proposes none of them a second time
    decided: list[dict] = field(default_factory=list)


def extract(text: str, document: dict, known: Known | None = None, nlp=None) -> list[dict]:
    """Drafts for ``document`` (its stored JSON: id, title, published, authors, ...)."""
    from api.ingest import pipeline

    return pipeline.run(nlp or load_model(), text, document, known or Known())


__all__ = ["Known", "extract", "load_model"]
