"""gunicorn settings for the briefs API (``briefs serve`` uses this file).

The app enforces lower limits of its own (BRIEFS_MAX_URL_LENGTH and friends)
and answers them with problem responses; gunicorn's limits here are the outer
guard for requests the app never sees.
"""

import gc
import os

bind = os.environ.get("BRIEFS_BIND", "127.0.0.1:8000")
# Under ``briefs serve`` the listening socket is the supervisor's, handed down: it stays
# open while gunicorn is restarted, so connections wait in its backlog, never refused.
if os.environ.get("BRIEFS_BIND_FD"):
    bind = f"fd://{os.environ['BRIEFS_BIND_FD']}"
workers = int(os.environ.get("BRIEFS_WORKERS", "2"))
# gevent workers: one greenlet per connection, so a slow client (a byte a second,
# or a body that never comes) holds a greenlet, never the worker. With sync
# workers, 50 such connections stopped every read; with gevent, reads kept a p99
# under 100 ms beside them (tests/test_hardening.py, item 6). Measured with wrk on
# loopback (docs/SECURITY.md): gevent answers ~1.7x the requests per second of
# sync (keep-alive), with a longer tail at saturation (p99 ~90 ms against ~13 ms
# at 16 connections). BRIEFS_WORKER_CLASS=sync or gthread selects the others.
# Each is gunicorn's worker of that name, answering gunicorn's own errors (a request
# line or header over the limits, a malformed request, a worker timeout) as
# application/problem+json rather than HTML (api/web/workers.py).
WORKERS = {
    "sync": "api.web.workers.ProblemSyncWorker",
    "gthread": "api.web.workers.ProblemThreadWorker",
    "gevent": "api.web.workers.ProblemGeventWorker",
}
_kind = os.environ.get("BRIEFS_WORKER_CLASS", "gevent")
worker_class = WORKERS.get(_kind, _kind)
threads = int(os.environ.get("BRIEFS_THREADS", "4" if _kind == "gthread" else "1"))
# Connections one gevent worker holds at once (slow ones included).
worker_connections = int(os.environ.get("BRIEFS_WORKER_CONNECTIONS", "1000"))
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


# Litestream's side of a primary (``briefs serve --replicate CONFIG``) or of a
# replica (``briefs serve --follow URL``) runs as a child of gunicorn's master:
# started before the workers, stopped with the master, killed if it dies.
_sidecar = None


def on_starting(server):
    global _sidecar
    import sys

    from api.ops import litestream

    db = os.environ.get("BRIEFS_DB", "data/briefs.db")
    command = [sys.executable, "-m", "api.cli"]
    if os.environ.get("BRIEFS_FOLLOW_URL"):
        command += ["follow", "--from", os.environ["BRIEFS_FOLLOW_URL"], "--db", db]
    elif os.environ.get("BRIEFS_LITESTREAM_CONFIG"):
        command += ["replicate", "--config", os.environ["BRIEFS_LITESTREAM_CONFIG"], "--db", db]
    else:
        return
    _sidecar = litestream.spawn(command)
    server.log.info("started %s (pid %s)", " ".join(command[3:5]), _sidecar.pid)


def on_exit(server):
    if _sidecar is not None and _sidecar.poll() is None:
        _sidecar.terminate()
        _sidecar.wait(10)
