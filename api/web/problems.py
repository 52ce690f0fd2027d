"""RFC 9457 problem responses, and the handlers that turn every error into one."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus

import orjson
from flask import Flask, request
from werkzeug.exceptions import HTTPException

from api.domain.problem import PROBLEM_JSON, problem
from api.store import connections, lookup, reads
from api.web.response import Response

log = logging.getLogger(__name__)


class Problem(Exception):
    """An error the API reports as a problem response."""

    def __init__(
        self, status: int, detail: str, *, headers: dict | None = None, **extensions
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


def problem_response(
    status: int, detail: str, headers: dict | None = None, **extensions
) -> Response:
    """An ``application/problem+json`` response (type ``about:blank``)."""
    body = problem(status, detail, instance=request.path, **extensions)
    response = Response(
        orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), status=status, mimetype=PROBLEM_JSON
    )
    response.headers["X-Content-Type-Options"] = "nosniff"  # it may echo the path
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_messages(messages, path: str = "") -> dict[str, list[str]]:
    """webargs/marshmallow messages as ``{"field.path": [messages]}``."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            if key == "_schema":
                sub = path or "body"
            elif isinstance(key, int):
                sub = f"{path}[{key}]"
            else:
                sub = f"{path}.{key}" if path else str(key)
            for k, v in flatten_messages(value, sub).items():
                flat.setdefault(k, []).extend(v)
        return flat
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {path or "body": list(messages)}
    if isinstance(messages, list):
        flat = {}
        for item in messages:
            for k, v in flatten_messages(item, path).items():
                flat.setdefault(k, []).extend(v)
        return flat
    return {path or "body": [str(messages)]}


def _validation_detail(location: str, errors: dict[str, list[str]]) -> str:
    unknown = sorted(k for k, v in errors.items() if "Unknown field." in v)
    invalid = sorted(k for k in errors if k not in unknown)
    noun = "query parameter" if location == "query" else "field"
    parts = []
    if unknown:
        parts.append(f"Unknown {noun}{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")
    if invalid:
        parts.append(f"Invalid {noun}{'s' if len(invalid) > 1 else ''}: {', '.join(invalid)}.")
    return " ".join(parts)


def handle_http_exception(error: HTTPException) -> Response:
    """Every werkzeug/webargs HTTP error as a problem."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    messages = data.get("messages")
    if messages:
        location, inner = next(iter(messages.items())) if len(messages) == 1 else ("", messages)
        errors = {k.replace("json.", "", 1): v for k, v in flatten_messages(inner).items()}
        return problem_response(
            status, _validation_detail(location, errors), headers, errors=errors
        )
    detail = error.description or HTTPStatus(status).description
    if status == 404:
        return problem_response(
            404, f"No resource at {request.path}.", headers, suggestions=_route_suggestions()
        )
    if status == 405:
        detail = f"{request.method} is not allowed on {request.path}; use {headers.get('Allow')}."
    return problem_response(status, detail, headers)


def _route_suggestions() -> list[str]:
    from flask import current_app
    from rapidfuzz import process

    rules = sorted(
        {
            re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", r.rule)
            for r in current_app.url_map.iter_rules()
            if "static" not in r.endpoint
        }
    )
    found = process.extract(request.path, rules, limit=3, score_cutoff=80)
    return [match for match, _, _ in found]


def handle_problem(error: Problem) -> Response:
    return problem_response(error.status, error.detail, error.headers, **error.extensions)


def handle_not_found(error: lookup.NotFound) -> Response:
    return problem_response(
        404, f"No {error.resource} {error.key!r}.", suggestions=error.suggestions
    )


def handle_gone(error: reads.Gone) -> Response:
    return problem_response(
        410,
        f"The {error.resource} {error.key!r} was deleted at {error.deleted_at}; "
        "its id is not reused.",
    )


def handle_ambiguous(error: lookup.Ambiguous) -> Response:
    return problem_response(
        400,
        f"{error.key!r} could mean more than one {error.resource}.",
        candidates=error.candidates,
    )


def handle_unavailable(error: connections.Unavailable) -> Response:
    return problem_response(503, f"The data is not available: {error}.", {"Retry-After": "5"})


def handle_unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(500, "The server failed to answer this request; it has been logged.")


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(lookup.NotFound, handle_not_found)
    app.register_error_handler(lookup.Ambiguous, handle_ambiguous)
    app.register_error_handler(reads.Gone, handle_gone)
    app.register_error_handler(connections.Unavailable, handle_unavailable)
    app.register_error_handler(Exception, handle_unexpected)


def ambiguous(exc: lookup.Ambiguous, parameter: str) -> Problem:
    """The 400 for a name that fits several records: the parameter, and the candidates."""
    return Problem(
        400,
        f"{exc.key!r} could mean more than one {exc.resource}.",
        errors={parameter: [f"Ambiguous: {', '.join(exc.candidates)}."]},
        candidates=exc.candidates,
    )
