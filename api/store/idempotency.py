"""Idempotency-Key: a create retried with the same key is answered as the first time.

A key is claimed in the database under the write lock, bound to the request's
method, path and body, and released when its process died mid-request.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time

import orjson

from api.processes import pid_alive
from api.store.errors import Conflict, Invalid, Replay
from api.store.transactions import Transactions

IN_FLIGHT_TIMEOUT_S = 60.0  # an Idempotency-Key left in flight longer was abandoned


def request_digest(body: object, method: str, path: str) -> str:
    """What an Idempotency-Key is bound to: the method, the path and the canonical JSON body.

    A key is scoped to its token, method and path: reused on another endpoint
    it matches nothing there and is refused like a reused key with another body.
    """
    canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(f"{method} {path}\n".encode() + canonical).hexdigest()


def process_owner() -> str:
    """This process, as this machine names it (host:pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def alive(owner: str | None) -> bool:
    """Whether the process that claimed a key may still answer it.

    A claim by a process of this machine that no longer exists (a worker
    killed mid-request) is abandoned; one from elsewhere is trusted until
    IN_FLIGHT_TIMEOUT_S passes.
    """
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    return int(pid) == os.getpid() or pid_alive(int(pid))


class Idempotency(Transactions):
    """Keys claimed and answered in the database the transactions write to."""

    def begin_idempotent(self, actor: str, key: str, digest: str) -> Replay | None:
        """Claim ``key`` for this request, or return the response it already got.

        The same key with another request is Invalid; one still being processed
        (by a concurrent request) is a Conflict.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT request, state, started, status, headers, body, owner, record_id "
                "FROM idempotency WHERE actor = ? AND key = ?",
                (actor, key),
            ).fetchone()
            if row is not None:
                request, state, started, status, headers, body, owner, record_id = row
                if request != digest:
                    raise Invalid(
                        "This Idempotency-Key was used with a different request "
                        "(another endpoint, method or body).",
                        {"Idempotency-Key": ["Reused with a different request."]},
                    )
                if state == "done":
                    return Replay(status, orjson.loads(headers), body, record_id)
                if alive(owner) and time.time() - started < IN_FLIGHT_TIMEOUT_S:
                    raise Conflict("A request with this Idempotency-Key is still in flight.")
            conn.execute(
                "INSERT OR REPLACE INTO idempotency "
                "(actor, key, request, state, started, owner) "
                "VALUES (?, ?, ?, 'in_flight', ?, ?)",
                (actor, key, digest, time.time(), process_owner()),
            )
        return None

    def finish_idempotent(
        self, actor: str, key: str, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        """Keep the response for retries; a server error frees the key instead."""
        with self.transaction() as conn:
            if status >= 500:
                conn.execute("DELETE FROM idempotency WHERE actor = ? AND key = ?", (actor, key))
            else:
                conn.execute(
                    "UPDATE idempotency SET state = 'done', status = ?, headers = ?, body = ? "
                    "WHERE actor = ? AND key = ?",
                    (status, orjson.dumps(headers).decode(), body, actor, key),
                )
