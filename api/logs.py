"""Request ids and one JSON access-log line per request, on standard error."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid

import orjson
from flask import Flask, Response, current_app, g, request

REQUEST_ID = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _start() -> None:
    given = request.headers.get(REQUEST_ID, "")
    g.request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID] = request_id
    if current_app.config["ACCESS_LOG"]:
        started = time.perf_counter()
        line = orjson.dumps(
            {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "query": request.query_string.decode("latin-1"),
                "status": response.status_code,
                "bytes": response.content_length,
                "ms": round((time.perf_counter() - g.get("started", started)) * 1000, 2),
                "remote": request.remote_addr,
            },
            option=orjson.OPT_APPEND_NEWLINE,
        )
        # One write(2) of a whole line: lines from processes and threads never mix
        # (under PIPE_BUF bytes), and there is no logging record, lock or flush to pay.
        os.write(sys.stderr.fileno(), line)
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
    app.before_request(_start)
    app.after_request(_finish)
