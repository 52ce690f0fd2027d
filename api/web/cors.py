"""CORS: every origin may read everything this service serves (no credentials).

flask-cors decides every header. A preflight, or a request naming a private
network, gets flask-cors's full answer. Any other request's answer depends on
nothing in it ("*" for every origin, or for none: one cached response serves
them all), so it is worked out once, from flask-cors, and added as it stands.
Error responses pass through the same after-request hook, so flask-cors need
not wrap Flask's exception handlers as well.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors import CORS
from flask_cors.core import get_cors_headers, get_cors_options
from werkzeug.datastructures import Headers

OPTIONS = {
    "send_wildcard": True,
    "methods": ["GET", "HEAD", "OPTIONS"],
    "expose_headers": ["ETag", "Link", "X-Request-ID"],
    "max_age": 600,
    "intercept_exceptions": False,
}
# A request header that changes flask-cors's answer outside a preflight too.
PRIVATE_NETWORK = "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"
SIMPLE = "briefs.cors"  # the app's extension holding the headers outside a preflight


def init_app(app: Flask) -> None:
    CORS(app, resources={r"/*": {}}, **OPTIONS)
    hooks = app.after_request_funcs[None]
    (full,) = [f for f in hooks if f.__name__ == "cors_after_request"]
    hooks.remove(full)
    simple = list(get_cors_headers(get_cors_options(app, OPTIONS), Headers(), "GET").items())
    app.extensions[SIMPLE] = tuple(simple)

    @app.after_request
    def cors_headers(response: Response) -> Response:
        environ = request._get_current_object().environ
        if environ["REQUEST_METHOD"] == "OPTIONS" or PRIVATE_NETWORK in environ:
            return full(response)
        response.headers.extend(simple)
        return response
