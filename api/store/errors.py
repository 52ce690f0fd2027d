"""Why a write was refused: one exception per HTTP status, and storage failures named.

Nothing here knows HTTP: ``status`` is what the API answers with.
"""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass


class WriteError(Exception):
    """A write refused; ``status`` is the HTTP status the API answers with."""

    status = 400

    def __init__(
        self, detail: str, errors: dict[str, list[str]] | None = None, **extensions
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extensions = extensions  # further problem members (``existing``)


class Invalid(WriteError):
    status = 422


class Conflict(WriteError):
    status = 409


class Unavailable(WriteError):
    status = 503


class Missing(WriteError):
    status = 404


class NoSpace(WriteError):
    """The device holding the database is full: nothing was written."""

    status = 507


class Gone(WriteError):
    status = 410


class PreconditionRequired(WriteError):
    status = 428


class PreconditionFailed(WriteError):
    status = 412


@dataclass
class Written:
    """A record as stored after a write."""

    id: str
    json: bytes
    etag: str


@dataclass
class Replay:
    """The response first given to an Idempotency-Key, to give again."""

    status: int
    headers: dict[str, str]
    body: bytes
    record_id: str | None  # set when the request created this record


def utc_now() -> str:
    """Now, in UTC, as ISO 8601 to the second (audit and review times)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def storage_error(exc: BaseException) -> BaseException:
    """A storage failure as the write error naming its cause; anything else unchanged."""
    message = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "disk is full" in message:
        return NoSpace(
            "No space is left on the device that holds the database: nothing was written. "
            "Free some space and retry."
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Unavailable(f"The database's folder cannot be written: {exc.strerror}.")
    if "readonly database" in message or "read-only" in message:
        return Unavailable(f"The database cannot be written: {exc}.")
    if "unable to open database file" in message:
        return Unavailable(f"The database file cannot be opened for writing: {exc}.")
    return exc
