"""Opaque keyset cursors: the last row's sort key, signed so edits are caught."""

from __future__ import annotations

import base64
import hashlib
import hmac

import orjson

SIGNATURE_BYTES = 12


class InvalidCursor(Exception):
    """A cursor this service did not issue for this query."""


def encode(secret: bytes, scope: str, key: list) -> str:
    """A cursor for the row after ``key`` in the listing named by ``scope``."""
    payload = orjson.dumps(key)
    signature = hmac.digest(secret, scope.encode() + b"\0" + payload, hashlib.sha256)
    token = payload + signature[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def decode(secret: bytes, scope: str, cursor: str) -> list:
    """The key a cursor carries; InvalidCursor when it was altered or is for another query."""
    try:
        token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (ValueError, TypeError) as exc:
        raise InvalidCursor("not a cursor this service issued") from exc
    payload, signature = token[:-SIGNATURE_BYTES], token[-SIGNATURE_BYTES:]
    expected = hmac.digest(secret, scope.encode() + b"\0" + payload, hashlib.sha256)
    if len(token) <= SIGNATURE_BYTES or not hmac.compare_digest(
        signature, expected[:SIGNATURE_BYTES]
    ):
        raise InvalidCursor("not a cursor issued for this query and sort order")
    key = orjson.loads(payload)
    if not (
        isinstance(key, list)
        and 1 <= len(key) <= 4
        and all(isinstance(k, (str, int, float)) for k in key)
    ):
        raise InvalidCursor("not a cursor this service issued")
    return key
