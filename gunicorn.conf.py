"""gunicorn settings for the briefs API (``briefs serve`` uses this file).

The app enforces lower limits of its own (BRIEFS_MAX_URL_LENGTH and friends)
and answers them with problem responses; gunicorn's limits here are the outer
guard for requests the app never sees.
"""

import gc
import os

bind = os.environ.get("BRIEFS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BRIEFS_WORKERS", "2"))
# sync workers, chosen by measurement (docs/BENCHMARKS.md): the steadiest throughput
# and a p99 of ~3 ms at half the maximum rate, where gthread's threads stall each
# other for tens of milliseconds. A sync worker serves one connection at a time and
# closes it after each response: put a buffering proxy in front of it where slow
# clients or many long requests (briefs over a large corpus) are expected, or set
# BRIEFS_WORKER_CLASS=gthread.
# Each is gunicorn's worker of that name, answering gunicorn's own errors (a request
# line or header over the limits, a malformed request, a worker timeout) as
# application/problem+json rather than HTML (api/workers.py).
WORKERS = {
    "sync": "api.workers.ProblemSyncWorker",
    "gthread": "api.workers.ProblemThreadWorker",
    "gevent": "api.workers.ProblemGeventWorker",
}
_kind = os.environ.get("BRIEFS_WORKER_CLASS", "sync")
worker_class = WORKERS.get(_kind, _kind)
threads = int(os.environ.get("BRIEFS_THREADS", "1" if _kind == "sync" else "4"))
keepalive = int(os.environ.get("BRIEFS_KEEPALIVE", "5"))
# Pending connections the kernel queues for accept() (capped by net.core.somaxconn).
backlog = int(os.environ.get("BRIEFS_BACKLOG", "2048"))
timeout = int(os.environ.get("BRIEFS_TIMEOUT", "30"))
graceful_timeout = 20

# Outer guards (the app's own limits are lower).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The app writes one JSON access-log line per request (with its request id).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("BRIEFS_LOG_LEVEL", "info")

# No control socket: nothing here uses it, and it wants a writable home.
control_socket_disable = True


def post_worker_init(worker):
    """The app's objects, loaded now, live as long as the worker: the cyclic
    garbage collector need not scan them again on each full collection."""
    gc.freeze()
