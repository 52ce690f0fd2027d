"""What the curator's desk reads about review work: its inbox and what was decided.

Reads only, on a connection the caller opened (a read-only one serves).
"""

from __future__ import annotations

import sqlite3

import orjson

DECISIONS = 10  # latest decisions the inbox shows
JOBS = 100  # unfinished or failed jobs it shows
OPEN_DOCUMENTS = 200  # documents with open drafts it lists


def inbox(conn: sqlite3.Connection) -> dict:
    """The desk's inbox: documents with open drafts (drafts counted by resource and
    state), extraction jobs queued, running or failed (oldest first), and the latest
    decisions (newest first)."""
    documents = []
    rows = conn.execute(
        "SELECT d.document, MIN(d.seq) FROM drafts d WHERE d.state = 'open' "
        "GROUP BY d.document ORDER BY MIN(d.seq) LIMIT ?",
        (OPEN_DOCUMENTS,),
    ).fetchall()
    for document, _ in rows:
        counts: dict[str, dict[str, int]] = {}
        for resource, state, n in conn.execute(
            "SELECT resource, state, COUNT(*) FROM drafts WHERE document = ? "
            "GROUP BY resource, state ORDER BY resource, state",
            (document,),
        ):
            counts.setdefault(resource, {"open": 0, "accepted": 0, "rejected": 0})[state] = n
        meta = conn.execute("SELECT json FROM documents WHERE id = ?", (document,)).fetchone()
        record = orjson.loads(meta[0]) if meta else {}
        documents.append(
            {
                "id": document,
                "title": record.get("title", document),
                "published": record.get("published"),
                "open": sum(c["open"] for c in counts.values()),
                "counts": counts,
            }
        )
    jobs = [
        orjson.loads(row[0])
        for row in conn.execute(
            "SELECT json FROM jobs WHERE state IN ('queued', 'running', 'failed') "
            "ORDER BY json ->> '$.created', id LIMIT ?",
            (JOBS,),
        )
    ]
    decisions = [
        orjson.loads(row[0])
        for row in conn.execute(
            "SELECT json FROM drafts WHERE state != 'open' "
            "ORDER BY json ->> '$.decided' DESC, seq DESC LIMIT ?",
            (DECISIONS,),
        )
    ]
    return {"documents": documents, "jobs": jobs, "decisions": decisions}


def decided_fingerprints(conn: sqlite3.Connection, document: str) -> dict[str, str]:
    """The fingerprints (``review.fingerprint``) of the drafts of ``document`` a curator
    decided, each with its state: ``accepted`` or ``rejected`` (a draft merged into
    another is rejected). Extraction run again must not propose a rejected one anew."""
    return dict(
        conn.execute(
            "SELECT fingerprint, state FROM drafts WHERE document = ? AND state != 'open'",
            (document,),
        ).fetchall()
    )
