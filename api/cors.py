"""CORS: every origin may read everything this service serves (no credentials).

flask-cors answers preflights and sets the headers. Outside a preflight its
answer depends on nothing in the request ("*" for every origin, or for none:
one cached response serves them all), so it is worked out once, from
flask-cors itself, and set on each response by a hook that runs before
flask-cors's own, which then finds the response already answered.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors import CORS
from flask_cors.core import ACL_ORIGIN, get_cors_headers, get_cors_options
from werkzeug.datastructures import Headers

OPTIONS = {
    "send_wildcard": True,
    "methods": ["GET", "HEAD", "OPTIONS"],
    "expose_headers": ["ETag", "Link", "X-Request-ID"],
    "max_age": 600,
}
# A request header that changes flask-cors's answer outside a preflight too.
PRIVATE_NETWORK = "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"


def init_app(app: Flask) -> None:
    CORS(app, resources={r"/*": {}}, **OPTIONS)
    simple = list(get_cors_headers(get_cors_options(app, OPTIONS), Headers(), "GET").items())

    @app.after_request
    def simple_cors(response: Response) -> Response:
        environ = request.environ
        if (
            environ["REQUEST_METHOD"] != "OPTIONS"
            and PRIVATE_NETWORK not in environ
            and ACL_ORIGIN not in response.headers  # an error flask-cors answered
        ):
            response.headers.extend(simple)
        return response
