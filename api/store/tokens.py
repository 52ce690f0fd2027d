"""Bearer tokens for writes: random, prefixed, stored only as a hash, scoped, expiring.

Tokens live in their own SQLite file (BRIEFS_AUTH_DB), so rebuilding the
data never revokes or resurrects a credential. That file uses a rollback
journal, not WAL: it is written rarely and by short transactions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from api.store.connections import BUSY_TIMEOUT_S, sqlite3

PREFIX = "brf"
SCOPES = (
    "agreements",
    "meetings",
    "events",
    "indicators",
    "commentary",
    "documents",
    "people",
    "organizations",
    "drafts",
    "feeds",
)


class AuthError(Exception):
    """No valid token: ``reason`` says why (missing, malformed, unknown, expired, revoked)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Token:
    id: str
    name: str
    scopes: tuple[str, ...]
    created: float
    expires: float | None
    revoked: float | None
    last_used: float | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Tokens:
    """The token store."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
            "hash TEXT NOT NULL, scopes TEXT NOT NULL, created REAL NOT NULL, expires REAL, "
            "revoked REAL, last_used REAL)"
        )
        return conn

    def create(
        self, name: str, scopes: tuple[str, ...] = SCOPES, days: float | None = None
    ) -> tuple[Token, str]:
        """A new token; the secret string is returned once and never stored."""
        unknown = set(scopes) - set(SCOPES)
        if unknown:
            raise ValueError(f"unknown scope(s): {', '.join(sorted(unknown))}")
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        now = time.time()
        expires = now + days * 86400 if days else None
        conn = self._connect()
        try:
            conn.execute(
                "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                (token_id, name, _hash(secret), " ".join(scopes), now, expires),
            )
        finally:
            conn.close()
        token = Token(token_id, name, tuple(scopes), now, expires, None, None)
        return token, f"{PREFIX}_{token_id}_{secret}"

    def list(self) -> list[Token]:
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT id, name, scopes, created, expires, revoked, last_used "
                "FROM tokens ORDER BY created"
            ).fetchall()
        finally:
            conn.close()
        return [Token(r[0], r[1], tuple(r[2].split()), *r[3:]) for r in rows]

    def revoke(self, token_id: str) -> bool:
        conn = self._connect()
        try:
            cursor = conn.execute(
                "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                (time.time(), token_id),
            )
        finally:
            conn.close()
        return cursor.rowcount == 1

    def verify(self, presented: str | None) -> Token:
        """The token a bearer string names, if it is valid now; AuthError otherwise."""
        if not presented:
            raise AuthError("missing", "Send a token: Authorization: Bearer <token>.")
        parts = presented.split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
            raise AuthError("malformed", "That is not a token this service issues.")
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT id, name, scopes, created, expires, revoked, last_used, "
                "hash FROM tokens WHERE id = ?",
                (parts[1],),
            ).fetchone()
            # Compare digests in constant time, against a dummy when the id is unknown.
            stored = row[7] if row else _hash(secrets.token_urlsafe(32))
            if not hmac.compare_digest(stored, _hash(parts[2])) or row is None:
                raise AuthError("unknown", "The token is not valid.")
            token = Token(row[0], row[1], tuple(row[2].split()), *row[3:7])
            now = time.time()
            if token.revoked is not None:
                raise AuthError("revoked", "The token was revoked.")
            if token.expires is not None and token.expires <= now:
                raise AuthError("expired", "The token has expired.")
            conn.execute("UPDATE tokens SET last_used = ? WHERE id = ?", (now, token.id))
        finally:
            conn.close()
        return token
