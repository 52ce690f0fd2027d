"""Configuration from ``BRIEFS_``-prefixed environment variables."""

from __future__ import annotations

import os

DEFAULTS = {
    "DB": "data/briefs.db",
    "AUTH_DB": "data/auth.db",
    # flask-limiter rate strings, counted per client address in each worker.
    "WRITE_RATE_LIMIT": "60/minute",
    "AUTH_FAILURE_RATE_LIMIT": "10/minute",
    # Signs paging cursors. Forging one only moves where a page starts, but set
    # a private value in production so clients cannot rely on crafting them.
    "SECRET_KEY": "briefs-cursor-signing",
    "MAX_URL_LENGTH": 4096,
    "MAX_HEADER_COUNT": 50,
    "MAX_HEADER_BYTES": 4096,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "ACCESS_LOG": True,
    # The URL clients reach the API at (scheme, host, any mount path): links in
    # responses use it instead of the request's Host header.
    "PUBLIC_URL": "",
    # Readiness fails when writes could not succeed, e.g. with less free space than
    # this; a deployment that only reads (READ_ONLY) skips those checks.
    "MIN_FREE_BYTES": 64 * 1024 * 1024,
    "READ_ONLY": False,
    # A read replica (docs: "Running more than one server"): the database is a
    # Litestream follower's copy; no write at start-up, writes answered 503 naming
    # PRIMARY_URL, readiness failing when the follower or the full-text index has
    # been silent or behind longer than REPLICA_MAX_LAG seconds.
    "REPLICA": False,
    "PRIMARY_URL": "",
    "REPLICA_MAX_LAG": 5,
    # Set (by ``briefs serve --replicate CONFIG``) when Litestream replicates this
    # primary: Litestream alone then checkpoints the WAL.
    "LITESTREAM_CONFIG": "",
    # Intake (README, "Intake"): the worker's line holds at most QUEUE_LIMIT jobs
    # (more is a 503 with Retry-After); each job runs in a process of its own, killed
    # past its time limit (PAGE_SECONDS to read a page, JOB_SECONDS to extract,
    # FEED_SECONDS to poll a feed) or past JOB_MEMORY_MB, and tried once more.
    "QUEUE_LIMIT": 100,
    "PAGE_SECONDS": 20,
    "JOB_SECONDS": 120,
    "FEED_SECONDS": 60,
    "JOB_MEMORY_MB": 1024,
    # Fetching a page or a feed: at most FETCH_BYTES, in FETCH_SECONDS, through at
    # most FETCH_REDIRECTS redirects; addresses of this machine and private networks
    # only with FETCH_PRIVATE (a feed must not read what only the server can reach).
    "FETCH_SECONDS": 15,
    "FETCH_BYTES": 1024 * 1024,
    "FETCH_REDIRECTS": 5,
    "FETCH_PRIVATE": False,
    # The Host names requests may carry (comma-separated). Empty: the host of
    # PUBLIC_URL when set, else the addresses gunicorn binds (BRIEFS_BIND), with
    # localhost for a loopback address. Any other Host is a 400 problem.
    "TRUSTED_HOSTS": "",
    "BIND": "127.0.0.1:8000",
}


def from_environment(environ=os.environ) -> dict:
    """Settings named ``BRIEFS_<NAME>`` override the defaults (integers parsed)."""
    config = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        value = environ.get(f"BRIEFS_{name}")
        if value is None:
            continue
        if isinstance(default, bool):
            config[name] = value.lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            config[name] = int(value)
        else:
            config[name] = value
    return config
