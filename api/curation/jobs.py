"""Jobs as the API shows them: one record in the database per piece of intake work.

A job reads a page (HTML → text, then the document is stored) or extracts a
stored document's drafts. Its record says queued, running, done or failed
(with an RFC 9457 problem saying why); ``api.curation.tasks`` keeps its place
in the worker's line. A document has at most one open (queued or running)
job of a kind: asking again answers the open one.
"""

from __future__ import annotations

import secrets

import orjson

from api.domain import catalog
from api.store.entries import version
from api.store.errors import Missing, Written, utc_now
from api.store.idempotency import process_owner
from api.store.writer import Writer
from schemas.drafts import JobSchema

JOB = JobSchema()
OPEN = ("queued", "running")


def new_job(document: str) -> dict:
    return {
        "id": secrets.token_hex(8),
        "document": document,
        "state": "queued",
        "drafts": None,
        "problem": None,
        "created": utc_now(),
        "started": None,
        "finished": None,
    }


def put(conn, job: dict, insert: bool = False) -> Written:
    """Store a job record (the columns the API reads it by)."""
    body = orjson.dumps(JOB.dump(job))
    values = (job["document"], job["state"], body, version(body), job["id"])
    if insert:
        conn.execute(
            "INSERT INTO jobs (document, state, json, etag, id) VALUES (?, ?, ?, ?, ?)", values
        )
    else:
        conn.execute(
            "UPDATE jobs SET document = ?, state = ?, json = ?, etag = ? WHERE id = ?", values
        )
    return Written(job["id"], body, version(body))


def get(conn, job_id: str) -> dict | None:
    row = conn.execute("SELECT json FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return None if row is None else orjson.loads(row[0])


def open_for(conn, document: str) -> Written | None:
    """The open job of ``document``, if it has one."""
    row = conn.execute(
        "SELECT id, json, etag FROM jobs WHERE document = ? AND state IN ('queued', 'running') "
        "ORDER BY rowid LIMIT 1",
        (document,),
    ).fetchone()
    return None if row is None else Written(row[0], row[1], row[2])


def open_extraction(writer: Writer, document: str, make) -> tuple[Written, bool]:
    """The open job of a stored document, or a new one ``make`` may refuse (queue full).

    Returns (job, whether it is new). Missing or Gone for an unknown or deleted
    document. One transaction under the write lock: two requests at once get
    one job.
    """
    with writer.transaction() as conn:
        writer.current(conn, catalog.DOCUMENTS, document)
        found = open_for(conn, document)
        if found is not None:
            return found, False
        make()
        return put(conn, new_job(document), insert=True), True


def open_page(writer: Writer, metadata: dict, make) -> tuple[Written, bool]:
    """A job reading a posted page into the document ``metadata`` will be.

    The document's id (from its date and title) must be free: Conflict
    otherwise, unless an open job reads that page already (its retry).
    """
    with writer.transaction() as conn:
        # the id the store will give the document (Conflict when it is taken)
        document = writer._new_id(conn, catalog.DOCUMENTS, metadata)
        found = open_for(conn, document)
        if found is not None:
            return found, False
        make()
        return put(conn, new_job(document), insert=True), True


def update(writer: Writer, job_id: str, **fields) -> dict | None:
    """Change a job's record; None when it is gone (the database was rebuilt)."""
    with writer.transaction() as conn:
        job = get(conn, job_id)
        if job is None:
            return None
        job.update(fields)
        if fields.get("state") == "running":
            job["started"] = utc_now()
            conn.execute("UPDATE jobs SET owner = ? WHERE id = ?", (process_owner(), job_id))
        if fields.get("state") in ("done", "failed"):
            job["finished"] = utc_now()
        put(conn, job)
        return job


def require(conn, job_id: str) -> dict:
    job = get(conn, job_id)
    if job is None:
        raise Missing(f"No job {job_id!r}.")
    return job
