"""Shared by the extraction tests: the model (loaded once per run) and the test articles."""

from __future__ import annotations

import json
from pathlib import Path

from api.domain import citations
from api.ingest import Known, extract, load_model
from api.ingest.draft import shape

ARTICLES = Path(__file__).parent / "articles"


def article(name: str) -> tuple[str, dict]:
    """The text and document metadata of an article written for these tests."""
    return (ARTICLES / f"{name}.txt").read_text(encoding="utf-8"), json.loads(
        (ARTICLES / f"{name}.json").read_text(encoding="utf-8"))


def run(text: str, document: dict | None = None, known: Known | None = None) -> list[dict]:
    """Drafts for a text, each checked: valid for its input schema, every citation exact."""
    document = document or {"id": "test-doc", "title": "", "published": "2024-03-14",
                            "authors": []}
    out = extract(text, document, known or Known(), load_model())
    for draft in out:
        assert shape.problems(draft, text) == [], draft
        for _, source in citations.walk(draft["record"]):
            assert text[source["start"] : source["end"]] == source["quote"]
    return out


def of(out: list[dict], resource: str, **fields) -> list[dict]:
    """The drafts of one resource whose record has the given field values."""
    return [d for d in out if d["resource"] == resource
            and all(d["record"].get(k) == v for k, v in fields.items())]
