"""gunicorn workers whose own error responses are RFC 9457 problems, not HTML.

gunicorn answers what never reaches the app itself: a request line or header
over its limits (414, 431), a malformed request line or header, conflicting
``Content-Length`` and ``Transfer-Encoding`` (400), an unsupported transfer
coding (501), a worker timeout (500). Its handler decides the status, logs and
writes an HTML page; these workers let it decide and log as it always does,
catch the page it writes and send the same status as ``application/problem+json``.
"""

from __future__ import annotations

import html
import re

import orjson
from gunicorn import util
from gunicorn.workers.ggevent import GeventWorker
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

from api.domain.problem import PROBLEM_JSON, problem

_STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3}) ([^\r\n]*)\r\n")
_MESSAGE = re.compile(rb"</h1>\s*(.*?)\s*</body>", re.S)


class _Capture:
    """Stands in for the client socket while gunicorn writes its HTML error page."""

    def __init__(self, sock) -> None:
        self._sock = sock
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0  # already non-blocking: gunicorn leaves the mode alone

    def setblocking(self, flag) -> None:
        return None

    def sendall(self, data: bytes) -> None:
        self.data += data

    def __getattr__(self, name):
        return getattr(self._sock, name)


def problem_bytes(status: int, reason: str, detail: str) -> bytes:
    """A complete HTTP/1.1 problem response that closes the connection."""
    body = problem(status, "", title=reason)
    body["detail"] = detail or body["title"]
    body = orjson.dumps(body)
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {PROBLEM_JSON}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def as_problem(page: bytes) -> bytes:
    """gunicorn's HTML error response rewritten as a problem with the same status."""
    line = _STATUS_LINE.match(page)
    if line is None:
        return problem_bytes(500, "Internal Server Error", "")
    found = _MESSAGE.search(page)
    detail = html.unescape(found.group(1).decode("latin-1")) if found else ""
    detail = detail.strip()
    if detail and not detail.endswith("."):
        detail += "."
    return problem_bytes(int(line.group(1)), line.group(2).decode("latin-1"), detail)


class ProblemErrors:
    """Mixin for a gunicorn worker: its error responses become problem responses."""

    def handle_error(self, req, client, addr, exc):
        capture = _Capture(client)
        super().handle_error(req, capture, addr, exc)
        if not capture.data:
            return
        try:
            util.write_nonblock(client, as_problem(capture.data))
        except Exception:
            self.log.debug("Failed to send error message.")


class ProblemGeventWorker(ProblemErrors, GeventWorker):
    """gunicorn's gevent worker (one greenlet per connection), answering its own
    errors as problems; a client socket that stalls longer than the request
    timeout raises TimeoutError (the app answers 408) instead of holding on."""

    def handle(self, listener, client, addr):
        client.settimeout(self.cfg.timeout)
        super().handle(listener, client, addr)


class ProblemSyncWorker(ProblemErrors, SyncWorker):
    """gunicorn's sync worker, answering its own errors as problems."""


class ProblemThreadWorker(ProblemErrors, ThreadWorker):
    """gunicorn's gthread worker, answering its own errors as problems."""
