"""Request limits enforced by the app (below gunicorn's), answered as problems."""

from __future__ import annotations

from flask import Flask, Request, request

from api.web.problems import Problem

BODY_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")  # request headers WSGI names without HTTP_


def check_limits(this: Request, config) -> None:
    """Refuse a URL, a header or a number of headers over the configured limits.

    The headers are read as WSGI gives them (HTTP_USER_AGENT for User-Agent: the
    same length), without building werkzeug's header objects for every request.
    """
    environ = this.environ
    if len(environ.get("RAW_URI") or this.full_path) > config["MAX_URL_LENGTH"]:
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
        check_limits(request._get_current_object(), config)
