"""A new document from a create body: its metadata, its exact text, the HTML it came from.

The body is validated by ``DocumentCreateSchema``. From ``html`` the main text
is taken by ``page_text`` (``api.ingest.html``, imported only then), in the
worker or at a terminal, never in a web worker: its cost grows faster than
the page.
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


def document_parts(body: dict) -> tuple[dict, str | None, str | None]:
    """A new document's metadata, and its text or the HTML page to take it from.

    The body is validated by ``DocumentCreateSchema``; exactly one of the text
    and the HTML is returned. Raises BadDocument.
    """
    try:
        DOCUMENT_CREATE.load(body)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for path, message in flatten(exc.messages):
            errors.setdefault(path or "body", []).append(message)
        raise BadDocument("The document is not valid.", errors) from exc
    metadata = {k: v for k, v in body.items() if k not in ("text", "html")}
    return metadata, body.get("text"), body.get("html")


def page_text(html: str) -> str:
    """The article text of an HTML page (slow on a large page: never in a web worker).

    Raises BadDocument when the page holds no article, or one too long to store;
    CannotRead when the HTML parser cannot be imported here.
    """
    from api.ingest.html import NoArticle, main_text

    try:
        text = main_text(html)
    except NoArticle as exc:
        raise BadDocument(str(exc), {"html": [str(exc)]}) from exc
    if len(text) > MAX_TEXT_LENGTH:
        message = f"The article is {len(text)} characters long; at most {MAX_TEXT_LENGTH}."
        raise BadDocument(message, {"html": [message]})
    return text
