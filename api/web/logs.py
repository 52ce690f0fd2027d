"""Request ids and one JSON access-log line per request, on standard error."""

from __future__ import annotations

import functools
import logging
import os
import re
import secrets
import sys
import time

import orjson
from flask import Flask, Response, request

REQUEST_ID = "X-Request-ID"
REQUEST_ID_KEY = "HTTP_X_REQUEST_ID"  # the header in the WSGI environ
# What this module keeps in the WSGI environ of each request.
ID_KEY = "briefs.request_id"
STARTED_KEY = "briefs.started"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _new_id() -> str:
    """A random 128-bit request id, as 32 hex digits."""
    return secrets.token_hex(16)


@functools.lru_cache(maxsize=2)
def _utc(second: int) -> str:
    """An access-log timestamp, formatted once per second rather than per request."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))


def request_id(environ: dict) -> str:
    """The request's id: the client's X-Request-ID when it is a valid one, else a new one."""
    given = environ.get(REQUEST_ID_KEY, "")
    return given if _VALID_ID.match(given) else _new_id()


def _start() -> None:
    environ = request._get_current_object().environ
    environ[ID_KEY] = request_id(environ)
    environ[STARTED_KEY] = time.perf_counter()


def access_line(
    environ: dict, path: str, identifier: str, status: int, length: int | None, started: float
) -> None:
    """Write the request's access-log line (``started``: its ``time.perf_counter()``)."""
    now = time.perf_counter()
    line = orjson.dumps(
        {
            "time": _utc(int(time.time())),
            "request_id": identifier,
            "method": environ["REQUEST_METHOD"],
            "path": path,
            "query": environ.get("QUERY_STRING", ""),
            "status": status,
            "bytes": length,
            "ms": round((now - started) * 1000, 2),
            "remote": environ.get("REMOTE_ADDR"),
        },
        option=orjson.OPT_APPEND_NEWLINE,
    )
    # One write(2) of a whole line: lines from processes and threads never mix
    # (under PIPE_BUF bytes), and there is no logging record, lock or flush to pay.
    os.write(sys.stderr.fileno(), line)


def _finish(response: Response, access_log: bool) -> Response:
    this = request._get_current_object()
    environ = this.environ
    given = environ.get(ID_KEY) or _new_id()
    response.headers.add(REQUEST_ID, given)
    if access_log:
        started = environ.get(STARTED_KEY) or time.perf_counter()
        access_line(
            environ, this.path, given, response.status_code, response.content_length, started
        )
    return response


def _to_stderr(logger: logging.Logger, fmt: str) -> None:
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(fmt))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def init_app(app: Flask) -> None:
    _to_stderr(
        logging.getLogger("briefs"), "[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s"
    )
    access_log = app.config["ACCESS_LOG"]
    app.before_request(_start)

    @app.after_request
    def finish(response: Response) -> Response:
        return _finish(response, access_log)
