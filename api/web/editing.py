"""HTTP mechanics of writes: tokens, bodies, preconditions, idempotency, rate limits."""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from pathlib import Path

import orjson
from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import ClientDisconnected

from api.curation import queue
from api.curation.documents import BadDocument, document_parts
from api.curation.tasks import Tasks
from api.domain import catalog
from api.domain.catalog import Resource
from api.store.entries import version
from api.store.errors import WriteError, Written
from api.store.idempotency import request_digest
from api.store.tokens import PREFIX, AuthError, Token, Tokens
from api.store.writer import Writer
from api.web.problems import Problem, problem_response
from api.web.representation import JSON, finish, negotiate, tag
from api.web.response import Response
from schemas.inputs import CONTROL_CHARACTERS

log = logging.getLogger("briefs")
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
        """X-RateLimit-* on writes; Retry-After only on a 429 or where the response set it."""
        if request._get_current_object().method in READS:
            return response
        retry_after = response.headers.get("Retry-After")
        response = inject(response)
        if response.status_code != 429:
            if retry_after is None:
                response.headers.pop("Retry-After", None)
            else:
                response.headers["Retry-After"] = retry_after
        return response

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


def failure_key() -> str:
    """Whom failed authentications count against: the token id presented, if one can
    be read from the header; otherwise the client's address. Behind a proxy every
    client shares an address, so one guesser must not lock out every writer."""
    _, _, presented = request.headers.get("Authorization", "").partition(" ")
    parts = presented.strip().split("_", 2)
    if len(parts) == 3 and parts[0] == PREFIX and parts[1] and parts[2]:
        return f"token:{parts[1]}"
    return f"address:{get_remote_address()}"


def presents_valid_token() -> bool:
    """Whether the request carries a valid token: exempt from the failure limit, so a
    valid token is never refused for others' failures."""
    return isinstance(_verified(), Token)


def _verified():
    """The token the Authorization header names, or the AuthError it fails with (once
    per request)."""
    if "briefs_token" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, presented = header.partition(" ")
        if header and scheme.lower() != "bearer":
            presented = ""
        try:
            g.briefs_token = tokens().verify(presented.strip() or None)
        except AuthError as exc:
            g.briefs_token = exc
    return g.briefs_token


def tokens() -> Tokens:
    return current_app.extensions["briefs.tokens"]


def writer() -> Writer:
    return current_app.extensions["briefs.writer"]


def authenticate(resource: Resource | str | tuple[str, ...]) -> str:
    """The name of the token presented, if it has the scope ``resource`` (or one of a
    tuple of scopes); else 401 or 403."""
    if isinstance(resource, tuple):
        scopes = resource
    else:
        scopes = (resource if isinstance(resource, str) else resource.name,)
    scope = scopes[0]
    token = _verified()
    if isinstance(token, AuthError):
        error = "" if token.reason == "missing" else ', error="invalid_token"'
        raise Problem(401, token.detail, headers={"WWW-Authenticate": REALM + error})
    if not set(scopes) & set(token.scopes):
        raise Problem(
            403,
            f"The token {token.name!r} lacks the scope {scope!r}.",
            headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'},
        )
    g.actor = f"token:{token.id}:{token.name}"
    return g.actor


BODY_SECONDS = 10
MAX_DEPTH = 32  # records nest a few levels; nothing a client needs comes near this
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")  # the rule the input schemas publish


def json_body(*media_types: str, optional: bool = False) -> dict:
    """The request's JSON object; 415 for another media type, 400 for malformed JSON.

    A streamed (chunked) body over the size limit is a 413, not a truncated
    document; one nested deeper than MAX_DEPTH a 400; control characters in
    any string a 422 naming where. With ``optional``, no body at all is an
    empty object.
    """
    data = _read_body() if optional else None
    if optional and not data:
        return {}
    if request.mimetype not in media_types:
        raise Problem(415, f"Send the body as {' or '.join(media_types)}.")
    if data is None:
        data = _read_body()
    try:
        body = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise Problem(400, f"The body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise Problem(422, "The body must be a JSON object.", errors={"body": ["Not an object."]})
    _check_values(body)
    return body


def _read_body() -> bytes:
    """The whole body, in at most BODY_SECONDS (under gevent): 408 if it does not come.

    werkzeug's stream stops at the size limit, also for a streamed (chunked) body,
    with a 413 when more was sent.
    """
    stream = request.stream
    try:
        with _deadline(BODY_SECONDS):
            parts = []
            while chunk := stream.read(65536):
                parts.append(chunk)
    except (_BodyTimeout, TimeoutError, ClientDisconnected) as exc:
        raise Problem(
            408, f"The request body did not arrive within {BODY_SECONDS} seconds."
        ) from exc
    return b"".join(parts)


class _BodyTimeout(Exception):
    """The body took longer than BODY_SECONDS."""


def _deadline(seconds: float):
    """A bound on the time a slow client may take to send its body, where one can be
    enforced without a thread: under gevent's cooperative sockets. Elsewhere gunicorn's
    worker timeout bounds the request."""
    if "gevent.monkey" in sys.modules:
        from gevent import Timeout, monkey

        if monkey.is_module_patched("socket"):
            return Timeout(seconds, _BodyTimeout)
    return contextlib.nullcontext()


def _check_values(body: dict) -> None:
    """Refuse nesting deeper than MAX_DEPTH and control characters, walking without recursion."""
    stack: list[tuple[object, str, int]] = [(body, "", 1)]
    bad: dict[str, list[str]] = {}
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise Problem(400, f"The body is nested deeper than {MAX_DEPTH} levels.")
            for key, item in value.items():
                sub = f"{path}.{key}" if path else key
                if CONTROL.search(key):
                    bad.setdefault(sub, []).append("Control characters are not allowed.")
                stack.append((item, sub, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                raise Problem(400, f"The body is nested deeper than {MAX_DEPTH} levels.")
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and CONTROL.search(value):
            bad.setdefault(path or "body", []).append("Control characters are not allowed.")
    if bad:
        raise Problem(422, "Control characters are not allowed in text.", errors=bad)


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


def record_response(resource: Resource, written: Written, status: int) -> Response:
    response = Response(written.json, status=status, mimetype=JSON)
    response.headers["Location"] = f"{request.script_root}/v1/{resource.name}/{written.id}"
    return finish(response, tag(written.etag, JSON))


def write_error(error: WriteError) -> Response:
    # Storage trouble passes: a client may retry later.
    extensions = dict(error.extensions)
    retry_after = extensions.pop("retry_after", 60)
    headers = {"Retry-After": str(retry_after)} if error.status in (503, 507) else None
    return problem_response(error.status, error.detail, headers, errors=error.errors, **extensions)


def create_document() -> Response:
    """POST /v1/documents: metadata with the exact text (201), or with an HTML page (202).

    A page is read into text by the worker, never here (its parser's time grows
    faster than the page): the answer is the job, and the document appears when
    its text is ready. With an Idempotency-Key a retry is answered as the first
    time, as for every create.
    """
    negotiate((JSON,))
    actor = authenticate(catalog.DOCUMENTS)
    body = json_body(JSON)
    return _idempotent(catalog.DOCUMENTS, body, actor, lambda key: _create_document(body, actor))


def _create_document(body: dict, actor: str) -> Response:
    try:
        metadata, text, html = document_parts(body)
    except BadDocument as exc:
        return problem_response(422, exc.detail, errors=exc.errors)
    try:
        if html is not None:
            cannot = Tasks(Path(current_app.config["DB"])).status()["problem"]
            if cannot:
                return problem_response(503, cannot, {"Retry-After": "300"})
            job, _ = queue.submit_page(
                Path(current_app.config["DB"]),
                metadata,
                html,
                actor,
                current_app.config["QUEUE_LIMIT"],
            )
            return job_response(job)
        written = writer().create_document(metadata, text, None, actor)
    except WriteError as exc:
        return write_error(exc)
    return record_response(catalog.DOCUMENTS, written, 201)


def job_response(job: bytes) -> Response:
    """202 with a job; Location names it."""
    response = Response(job, status=202, mimetype=JSON)
    job_id = orjson.loads(job)["id"]
    response.headers["Location"] = f"{request.script_root}/v1/jobs/{job_id}"
    response.headers["Cache-Control"] = "no-store"
    return response


def create(resource: Resource) -> Response:
    """POST: a new record, with Idempotency-Key retries replayed."""
    negotiate((JSON,))
    actor = authenticate(resource)
    body = json_body(JSON)
    return _idempotent(
        resource, body, actor, lambda key: _create(resource, body, actor, key), with_record=True
    )


def _idempotent(
    resource: Resource, body: dict, actor: str, make, with_record: bool = False
) -> Response:
    """``make(key)``'s response, or the one a first request with this Idempotency-Key got.

    The key belongs to the token, method and path; the same key with another
    body or on another endpoint is a 422, one still in flight a 409. With
    ``with_record``, ``make`` keeps a 201's answer in the record's own
    transaction; every other answer is kept here.
    """
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return make(None)
    if not 1 <= len(key) <= 255:
        raise Problem(400, "Idempotency-Key must be 1 to 255 characters.")
    try:
        replay = writer().begin_idempotent(
            actor, key, request_digest(body, request.method, request.path)
        )
    except WriteError as exc:
        return write_error(exc)
    if replay is not None:
        if replay.record_id is not None:
            written = Written(replay.record_id, replay.body, version(replay.body))
            response = record_response(resource, written, replay.status)
        else:
            response = Response(replay.body, status=replay.status, headers=replay.headers)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    try:
        response = make(key)
    except BaseException:
        _finish_idempotent(actor, key, 500, {}, b"")
        raise
    if response.status_code != 201 or not with_record:  # a refusal, a job: kept for retries
        headers = {"Content-Type": response.content_type}
        for name in ("Location", "ETag"):
            if name in response.headers:
                headers[name] = response.headers[name]
        _finish_idempotent(actor, key, response.status_code, headers, response.get_data())
    return response


def _finish_idempotent(actor: str, key: str, status: int, headers: dict, body: bytes) -> None:
    """Keep (or free) the key; if storage refuses even that, the claim expires on its own."""
    try:
        writer().finish_idempotent(actor, key, status, headers, body)
    except WriteError as exc:
        log.warning("the Idempotency-Key %r could not be released: %s", key, exc.detail)


def _create(resource: Resource, body: dict, actor: str, key: str | None = None) -> Response:
    try:
        return record_response(resource, writer().create(resource, body, actor, key), 201)
    except WriteError as exc:
        return write_error(exc)


def update(resource: Resource, record_id: str) -> Response:
    """PATCH: a JSON merge patch applied to the stored record."""
    negotiate((JSON,))
    actor = authenticate(resource)
    patch = json_body(MERGE_PATCH, JSON)
    version = if_match()
    try:
        written = writer().update(resource, record_id, patch, version, actor)
    except WriteError as exc:
        return write_error(exc)
    return record_response(resource, written, 200)


def delete(resource: Resource, record_id: str) -> Response:
    """DELETE: remove the record, leaving a tombstone (410 from then on)."""
    actor = authenticate(resource)
    try:
        writer().delete(resource, record_id, if_match(), actor)
    except WriteError as exc:
        return write_error(exc)
    return no_content()


def no_content() -> Response:
    """A 204: no body, so no Content-Type either."""
    response = Response(status=204)
    response.headers.pop("Content-Type", None)
    return response
