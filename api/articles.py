"""An article's main text, taken from the HTML page it was published on.

trafilatura (pinned) finds the article in a page and drops navigation,
boilerplate and comments; its options are fixed here, so the same page always
gives the same text (the text every citation counts into). It is imported on
first use: a web worker that never receives HTML never loads it.
"""

from __future__ import annotations

from marshmallow import ValidationError

from api.check import flatten
from schemas.documents import MAX_TEXT_LENGTH, DocumentCreateSchema

MIN_WORDS = 25  # less than this is a menu, a caption or an error page, not an article


class NoArticle(ValueError):
    """The page holds no article text."""


def main_text(html: str) -> str:
    """The article text of ``html``: paragraphs separated by blank lines."""
    import trafilatura

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        favor_precision=True,
        with_metadata=False,
    )
    if not text or not text.strip():
        raise NoArticle("No article text was found in the HTML.")
    words = len(text.split())
    if words < MIN_WORDS:
        raise NoArticle(
            f"The page's main text is {words} word(s), not an article "
            f"(at least {MIN_WORDS} are needed)."
        )
    return text.strip() + "\n"


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
    try:
        text = main_text(html)
    except NoArticle as exc:
        raise BadDocument(str(exc), {"html": [str(exc)]}) from exc
    if len(text) > MAX_TEXT_LENGTH:
        message = f"The article is {len(text)} characters long; at most {MAX_TEXT_LENGTH}."
        raise BadDocument(message, {"html": [message]})
    return metadata, text, html
