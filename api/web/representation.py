"""Representations: the request's store, content negotiation, ETags and caching headers."""

from __future__ import annotations

from flask import current_app, g, request

from api.domain.catalog import Resource
from api.store import lookup, reads
from api.web.problems import Problem, ambiguous
from api.web.response import Response

JSON = "application/json"
CSV = "text/csv"
TEXT = "text/plain"
NDJSON = "application/x-ndjson"
SQLITE = "application/vnd.sqlite3"
OCTET = "application/octet-stream"  # the downloads' generic alternative
MARKDOWN = "text/markdown"
CACHE_CONTROL = "public, max-age=60"


def get_store() -> reads.Store:
    """The request's data module, over this thread's read-only connection."""
    context = g._get_current_object()  # one context lookup, not three
    found = context.get("store")
    if found is None:
        found = context.store = reads.Store(current_app.extensions["briefs.pool"].connection())
    return found


def negotiate(offered: tuple[str, ...], override: str | None = None) -> str:
    """The media type to answer with: ``?format=`` first, then Accept; else 406."""
    if override:
        return {"json": JSON, "csv": CSV}[override]
    this = request._get_current_object()
    accept = this.environ.get("HTTP_ACCEPT")
    if not accept or accept == "*/*":  # anything will do: the first offered
        return offered[0]
    best = this.accept_mimetypes.best_match(offered)
    if best is None:
        raise Problem(406, f"This resource is available as {', '.join(offered)}.")
    return best


TAG_SUFFIXES = {
    JSON: "json",
    CSV: "csv",
    TEXT: "text",
    NDJSON: "ndjson",
    SQLITE: "sqlite",
    OCTET: "octets",
    MARKDOWN: "md",
}


def tag(version: str, media_type: str) -> str:
    """A strong entity tag (unquoted): the version plus the representation's type."""
    return f"{version}-{TAG_SUFFIXES[media_type]}"


class NotModified(Exception):
    """The client's If-None-Match already names this representation: answer 304."""

    def __init__(self, etag: str) -> None:
        super().__init__(etag)
        self.etag = etag


def fresh(version: str, media_type: str) -> str:
    """The ETag of a representation; raises NotModified when the client has it."""
    etag = tag(version, media_type)
    this = request._get_current_object()
    if "HTTP_IF_NONE_MATCH" in this.environ and this.if_none_match.contains_weak(etag):
        raise NotModified(etag)
    return etag


def not_modified(error: NotModified) -> Response:
    return finish(Response(status=304), error.etag)


def init_app(app) -> None:
    app.register_error_handler(NotModified, not_modified)


def finish(response: Response, etag: str | None = None) -> Response:
    """Caching headers every successful GET carries."""
    if etag:
        response.set_etag(etag)
    headers = response.headers
    headers["Cache-Control"] = CACHE_CONTROL
    if "Vary" in headers:
        response.vary.add("Accept")
    else:
        headers["Vary"] = "Accept"
    return response


def record(resource: Resource, record_id: str, parameter: str = "id") -> Response:
    """One stored record as JSON, with its version as the ETag.

    A name that fits several records is a 400 naming the path ``parameter``.
    """
    negotiate((JSON,))
    try:
        stored = get_store().get(resource, record_id)
    except lookup.Ambiguous as exc:
        raise ambiguous(exc, parameter) from exc
    etag = fresh(stored.etag, JSON)
    response = finish(Response(stored.json, mimetype=JSON), etag)
    if stored.id != record_id:
        response.headers["Content-Location"] = (
            f"{request.script_root}/v1/{resource.name}/{stored.id}"
        )
    return response


def document_text(document_id: str) -> Response:
    """A document's text, exactly as stored, as UTF-8 plain text."""
    negotiate((TEXT,))
    text, version = get_store().document_text(document_id)
    etag = fresh(version, TEXT)
    return finish(Response(text.encode("utf-8"), content_type=f"{TEXT}; charset=utf-8"), etag)
