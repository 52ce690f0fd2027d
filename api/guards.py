"""Request limits enforced by the app (below gunicorn's), answered as problems."""

from __future__ import annotations

from flask import Flask, current_app, request

from api.errors import Problem


def check_limits() -> None:
    config = current_app.config
    if len(request.environ.get("RAW_URI") or request.full_path) > config["MAX_URL_LENGTH"]:
        raise Problem(414, f"The URL is longer than {config['MAX_URL_LENGTH']} characters.")
    headers = list(request.headers.items())
    if len(headers) > config["MAX_HEADER_COUNT"]:
        raise Problem(431, f"More than {config['MAX_HEADER_COUNT']} request headers.")
    for name, value in headers:
        if len(name) + len(value) > config["MAX_HEADER_BYTES"]:
            raise Problem(
                431, f"The {name} header is longer than {config['MAX_HEADER_BYTES']} bytes."
            )


def init_app(app: Flask) -> None:
    app.before_request(check_limits)
