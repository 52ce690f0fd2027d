"""A new document from a create body: its metadata, its exact text, the HTML it came from.

The body is validated by ``DocumentCreateSchema``. From ``html`` the main text
is taken by ``api.ingest.html``, imported only then: a web worker that never
receives HTML never loads it.
"""

from __future__ import annotations

from marshmallow import ValidationError

from api.domain.records import flatten
from schemas.documents import MAX_TEXT_LENGTH, DocumentCreateSchema


class BadDocument(ValueError):
    """A posted document that cannot be stored; ``errors`` by field."""

    def __init__(self, detail: str, errors: dict[str, list[str]]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


DOCUMENT_CREATE = DocumentCreateSchema()


def document_parts(body: dict) -> tuple[dict, str, str | None]:
    """A new document's metadata, its text and the HTML it came from (or None).

    The body is validated by ``DocumentCreateSchema``; from ``html`` the main
    text is taken. Raises BadDocument.
    """
    try:
        DOCUMENT_CREATE.load(body)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for path, message in flatten(exc.messages):
            errors.setdefault(path or "body", []).append(message)
        raise BadDocument("The document is not valid.", errors) from exc
    metadata = {k: v for k, v in body.items() if k not in ("text", "html")}
    html = body.get("html")
    if html is None:
        return metadata, body["text"], None
    from api.ingest.html import NoArticle, main_text

    try:
        text = main_text(html)
    except NoArticle as exc:
        raise BadDocument(str(exc), {"html": [str(exc)]}) from exc
    if len(text) > MAX_TEXT_LENGTH:
        message = f"The article is {len(text)} characters long; at most {MAX_TEXT_LENGTH}."
        raise BadDocument(message, {"html": [message]})
    return metadata, text, html
