"""Request limits enforced by the app (below gunicorn's), answered as problems."""

from __future__ import annotations

from flask import Flask, current_app, request

from api.errors import Problem


def check_limits() -> None:
    config = current_app.config
    environ = request.environ
    if len(environ.get("RAW_URI") or request.full_path) > config["MAX_URL_LENGTH"]:
        raise Problem(414, f"The URL is longer than {config['MAX_URL_LENGTH']} characters.")
    # The headers as WSGI gives them (HTTP_USER_AGENT for User-Agent: the same
    # length), without building werkzeug's header objects for every request.
    headers = [
        (key, value)
        for key, value in environ.items()
        if key.startswith("HTTP_") or (key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value)
    ]
    if len(headers) > config["MAX_HEADER_COUNT"]:
        raise Problem(431, f"More than {config['MAX_HEADER_COUNT']} request headers.")
    for key, value in headers:
        name = key.removeprefix("HTTP_")
        if len(name) + len(value) > config["MAX_HEADER_BYTES"]:
            name = name.replace("_", "-").title()
            raise Problem(
                431, f"The {name} header is longer than {config['MAX_HEADER_BYTES']} bytes."
            )


def init_app(app: Flask) -> None:
    app.before_request(check_limits)
