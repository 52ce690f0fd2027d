"""HTTP mechanics of writes: tokens, bodies, preconditions, idempotency, rate limits."""

from __future__ import annotations

import orjson
from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from api import articles, catalog, writes
from api.auth import AuthError, Tokens
from api.catalog import Resource
from api.errors import Problem, problem_response
from api.http import JSON, finish, negotiate, tag
from api.index import version
from api.response import Response

MERGE_PATCH = "application/merge-patch+json"
REALM = 'Bearer realm="briefs"'

# Per-process counters: each gunicorn worker counts on its own (see README).
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri="memory://",
    headers_enabled=True,
    retry_after="delta-seconds",
)


READS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_limiter(app: Flask) -> None:
    """Rate limits on writes only, at no cost to reads.

    The limited write views check their limits in their own decorators, so the
    extension's global before-request check is dropped, and its after-request
    (rate-limit headers, conditional deductions) and teardown hooks run for
    writes only.
    """
    limiter.init_app(app)
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    after = app.after_request_funcs[None]
    (inject,) = [f for f in after if getattr(f, "args", None) == (limiter,)]
    after.remove(inject)
    teardown = app.teardown_request_funcs[None]
    (release,) = [f for f in teardown if getattr(f, "__self__", None) is limiter]
    teardown.remove(release)

    @app.after_request
    def limit_headers(response: Response) -> Response:
        return response if request._get_current_object().method in READS else inject(response)

    @app.teardown_request
    def release_limits(error: BaseException | None = None) -> None:
        if request._get_current_object().method not in READS:
            release(error)


def write_limit() -> str:
    return current_app.config["WRITE_RATE_LIMIT"]


def auth_failure_limit() -> str:
    return current_app.config["AUTH_FAILURE_RATE_LIMIT"]


def is_auth_failure(response: Response) -> bool:
    return response.status_code == 401


def tokens() -> Tokens:
    return current_app.extensions["briefs.tokens"]


def writer() -> writes.Writer:
    return current_app.extensions["briefs.writer"]


def authenticate(resource: Resource | str) -> str:
    """The name of the token presented, if it has the scope ``resource``; else 401 or 403."""
    scope = resource if isinstance(resource, str) else resource.name
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if header and scheme.lower() != "bearer":
        presented = ""
    try:
        token = tokens().verify(presented.strip() or None)
    except AuthError as exc:
        error = "" if exc.reason == "missing" else ', error="invalid_token"'
        raise Problem(401, exc.detail, headers={"WWW-Authenticate": REALM + error}) from exc
    if scope not in token.scopes:
        raise Problem(
            403,
            f"The token {token.name!r} lacks the scope {scope!r}.",
            headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'},
        )
    g.actor = f"token:{token.id}:{token.name}"
    return g.actor


def json_body(*media_types: str) -> dict:
    """The request's JSON object; 415 for another media type, 400 for malformed JSON."""
    if request.mimetype not in media_types:
        raise Problem(415, f"Send the body as {' or '.join(media_types)}.")
    try:
        body = orjson.loads(request.get_data(cache=True))
    except orjson.JSONDecodeError as exc:
        raise Problem(400, f"The body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise Problem(422, "The body must be a JSON object.", errors={"body": ["Not an object."]})
    return body


def if_match() -> str | None:
    """The record version an If-Match names (None when absent; '*' matches any)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if request.if_match.star_tag:
        return "*"
    for value in request.if_match.as_set():
        # werkzeug parses an empty entity tag ("") as None
        if value and value.endswith("-json"):
            return value.removesuffix("-json")
    return ""


def record_response(resource: Resource, written: writes.Written, status: int) -> Response:
    response = Response(written.json, status=status, mimetype=JSON)
    response.headers["Location"] = f"{request.script_root}/v1/{resource.name}/{written.id}"
    return finish(response, tag(written.etag, JSON))


def write_error(error: writes.WriteError) -> Response:
    return problem_response(error.status, error.detail, errors=error.errors, **error.extensions)


def create_document() -> Response:
    """POST /v1/documents: metadata with the exact text, or with HTML to take it from."""
    negotiate((JSON,))
    actor = authenticate(catalog.DOCUMENTS)
    body = json_body(JSON)
    try:
        metadata, text, html = articles.document_parts(body)
    except articles.BadDocument as exc:
        return problem_response(422, exc.detail, errors=exc.errors)
    try:
        written = writer().create_document(metadata, text, html, actor)
    except writes.WriteError as exc:
        return write_error(exc)
    return record_response(catalog.DOCUMENTS, written, 201)


def create(resource: Resource) -> Response:
    """POST: a new record, with Idempotency-Key retries replayed."""
    negotiate((JSON,))
    actor = authenticate(resource)
    body = json_body(JSON)
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return _create(resource, body, actor)
    if not 1 <= len(key) <= 255:
        raise Problem(400, "Idempotency-Key must be 1 to 255 characters.")
    try:
        replay = writer().begin_idempotent(actor, key, writes.request_digest(body))
    except writes.WriteError as exc:
        return write_error(exc)
    if replay is not None:
        if replay.record_id is not None:
            written = writes.Written(replay.record_id, replay.body, version(replay.body))
            response = record_response(resource, written, replay.status)
        else:
            response = Response(replay.body, status=replay.status, headers=replay.headers)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    try:
        response = _create(resource, body, actor, key)
    except BaseException:
        writer().finish_idempotent(actor, key, 500, {}, b"")
        raise
    if response.status_code != 201:  # a refusal: keep it for retries too
        writer().finish_idempotent(
            actor,
            key,
            response.status_code,
            {"Content-Type": response.content_type},
            response.get_data(),
        )
    return response


def _create(resource: Resource, body: dict, actor: str, key: str | None = None) -> Response:
    try:
        return record_response(resource, writer().create(resource, body, actor, key), 201)
    except writes.WriteError as exc:
        return write_error(exc)


def update(resource: Resource, record_id: str) -> Response:
    """PATCH: a JSON merge patch applied to the stored record."""
    negotiate((JSON,))
    actor = authenticate(resource)
    patch = json_body(MERGE_PATCH, JSON)
    version = if_match()
    try:
        written = writer().update(resource, record_id, patch, version, actor)
    except writes.WriteError as exc:
        return write_error(exc)
    return record_response(resource, written, 200)


def delete(resource: Resource, record_id: str) -> Response:
    """DELETE: remove the record, leaving a tombstone (410 from then on)."""
    actor = authenticate(resource)
    try:
        writer().delete(resource, record_id, if_match(), actor)
    except writes.WriteError as exc:
        return write_error(exc)
    return Response(status=204)
