"""Request limits enforced by the app (below gunicorn's), answered as problems."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request

from api.web.problems import Problem

BODY_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")  # request headers WSGI names without HTTP_


def check_limits(environ: dict, config, full_path: Callable[[], str]) -> None:
    """Refuse a URL, a header or a number of headers over the configured limits.

    The headers are read as WSGI gives them (HTTP_USER_AGENT for User-Agent: the
    same length), without building werkzeug's header objects for every request.
    ``full_path`` gives the URL when the server did not pass it on (``RAW_URI``).
    """
    if len(environ.get("RAW_URI") or full_path()) > config["MAX_URL_LENGTH"]:
        raise Problem(414, f"The URL is longer than {config['MAX_URL_LENGTH']} characters.")
    longest = config["MAX_HEADER_BYTES"]
    count = 0
    too_long = None
    for key, value in environ.items():
        if key[:5] == "HTTP_":
            name = key[5:]
        elif key in BODY_HEADERS and value:
            name = key
        else:
            continue
        count += 1
        if too_long is None and len(name) + len(value) > longest:
            too_long = name
    if count > config["MAX_HEADER_COUNT"]:
        raise Problem(431, f"More than {config['MAX_HEADER_COUNT']} request headers.")
    if too_long is not None:
        name = too_long.replace("_", "-").title()
        raise Problem(431, f"The {name} header is longer than {longest} bytes.")


def init_app(app: Flask) -> None:
    config = app.config

    @app.before_request
    def limits() -> None:
        this = request._get_current_object()
        check_limits(this.environ, config, lambda: this.full_path)
