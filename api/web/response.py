"""The app's response class: Flask's, without a second copy of headers it would not change."""

from __future__ import annotations

import flask
from werkzeug.datastructures import Headers

# Headers werkzeug rewrites on the way out (an absolute, quoted URL).
REWRITTEN = frozenset(("location", "content-location"))


class Response(flask.Response):
    """A Flask response that sends its headers as they are when there is nothing to fix.

    On the way out werkzeug copies every response's headers, checking each one
    again, to make ``Location`` absolute, quote ``Content-Location``, drop what
    a 1xx, 204 or 304 must not carry and add a missing ``Content-Length``. A 2xx
    response with content, a ``Content-Length`` and neither URL header comes out
    of that unchanged: its own headers are sent without the copy.
    """

    def get_wsgi_headers(self, environ) -> Headers:
        headers = self.headers
        status = self.status_code
        if 200 <= status < 300 and status != 204:
            names = {key.lower() for key, _ in headers}
            if "content-length" in names and not names & REWRITTEN:
                return headers
        return super().get_wsgi_headers(environ)
