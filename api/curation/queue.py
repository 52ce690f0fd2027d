"""Intake jobs: queued by the web workers, done by the worker, never in a request.

The web workers only queue (``submit``, ``submit_page``): a job record in the
database and a task in the intake queue beside it (``api.curation.tasks``).
The worker (``briefs worker``, ``api.curation.worker``) runs each job in a
process of its own, bounded in time and memory, and is the only process that
loads the NLP model or parses HTML. ``api.ingest`` is imported inside the
worker's code path alone, so importing ``api`` never imports spaCy.
"""

from __future__ import annotations

import datetime
import functools
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from api import config
from api.curation import jobs
from api.curation.documents import BadDocument, page_text
from api.curation.known import decided
from api.curation.review import Review
from api.curation.tasks import Tasks
from api.domain import catalog
from api.domain.problem import problem
from api.store import lookup, reads
from api.store.connections import open_readonly
from api.store.errors import Conflict, Unavailable, WriteError
from api.store.writer import Writer
from schemas import dates

log = logging.getLogger("briefs")
CANDIDATES = 50  # existing records offered to extraction per question, for restatements
NEAR_DAYS = 366  # how far around a date a restatement is looked for
RETRY_AFTER_S = 30  # what a full queue tells a client


class Extractor(Protocol):
    """What drafts a document: ``api.ingest`` in the product, a stand-in in unit tests."""

    def known(self, people: list[dict], organizations: list[dict], candidates: Callable): ...

    def extract(self, text: str, document: dict, known) -> list[dict]: ...


class Ingest:
    """The extractor of ``api.ingest``, with its model loaded once per process."""

    def __init__(self) -> None:
        from api import ingest  # spaCy: in the worker and `briefs ingest` only

        self._ingest = ingest
        self._nlp = ingest.load_model()

    def known(self, people, organizations, candidates):
        return self._ingest.Known(people, organizations, candidates)

    def extract(self, text, document, known):
        return self._ingest.extract(text, document, known, nlp=self._nlp)


@functools.cache
def default_extractor() -> Ingest:
    return Ingest()


class QueueFull(Unavailable):
    """The intake queue holds as many jobs as it may: try again later."""

    def __init__(self, depth: int) -> None:
        super().__init__(
            f"The intake queue is full ({depth} jobs waiting or running); "
            f"try again in {RETRY_AFTER_S} seconds.",
            retry_after=RETRY_AFTER_S,
        )


def queue_limit() -> int:
    return int(config.from_environment()["QUEUE_LIMIT"])


def extract_task(db: Path):
    """What puts an extraction job in the worker's line: called with (db, job id)."""
    tasks = Tasks(Path(db))

    def enqueue(_db: str, job_id: str) -> None:
        tasks.add(job_id, "extract", None, None)

    return enqueue


def _bound(db: Path, limit: int | None):
    """A check that refuses a new job while the queue is full."""
    limit = queue_limit() if limit is None else limit

    def make() -> None:
        depth = Tasks(db).depth()
        if depth >= limit:
            raise QueueFull(depth)

    return make


def submit(db: Path, document: str, limit: int | None = None) -> bytes:
    """Queue the extraction of ``document``; return its job (the open one if it has one).

    QueueFull (a 503) when the line is at ``limit``; Missing or Gone for an
    unknown or deleted document.
    """
    db = Path(db)
    writer = Writer(db)
    job, new = jobs.open_extraction(writer, document, _bound(db, limit))
    if new:
        try:
            extract_task(db)(str(db), job.id)
        except Exception as exc:  # the queue's file cannot be written: say so on the job too
            log.exception("job %s could not be queued", job.id)
            failure = problem(503, "The extraction queue cannot be written.")
            jobs.update(writer, job.id, state="failed", problem=failure)
            raise Unavailable("The extraction queue cannot be written.") from exc
    return job.json


def submit_page(
    db: Path, metadata: dict, html: str, actor: str, limit: int | None = None
) -> tuple[bytes, bool]:
    """Queue the reading of an HTML page into a new document; return its job and
    whether it is new (a retry of the same page answers the open job)."""
    db = Path(db)
    writer = Writer(db)
    job, new = jobs.open_page(writer, metadata, _bound(db, limit))
    if new:
        payload = {"metadata": metadata, "html": html, "actor": actor}
        try:
            Tasks(db).add(job.id, "page", None, payload)
        except Exception as exc:
            log.exception("job %s could not be queued", job.id)
            failure = problem(503, "The intake queue cannot be written.")
            jobs.update(writer, job.id, state="failed", problem=failure)
            raise Unavailable("The intake queue cannot be written.") from exc
    return job.json, new


def read_page(db: Path, job_id: str, payload: dict) -> str | None:
    """Do a page job: take the page's main text and store the document; mark the job.

    Returns the stored document's id, or None when the job failed (its
    problem says why: no article, too long, the same text stored already).
    """
    writer = Writer(db)
    if jobs.update(writer, job_id, state="running") is None:
        return None
    html = payload["html"]
    try:
        text = page_text(html)
        written = writer.create_document(payload["metadata"], text, html, payload["actor"])
    except BadDocument as exc:
        failure = problem(422, exc.detail, errors=exc.errors)
        jobs.update(writer, job_id, state="failed", problem=failure)
        return None
    except Conflict as exc:
        failure = problem(409, exc.detail, **exc.extensions)
        jobs.update(writer, job_id, state="failed", problem=failure)
        return None
    except WriteError as exc:
        jobs.update(writer, job_id, state="failed", problem=problem(exc.status, exc.detail))
        return None
    except Exception as exc:  # the parser cannot be imported, or failed on this page
        from api.ingest.html import CannotRead

        if isinstance(exc, CannotRead):
            failure = problem(503, str(exc))
        else:
            log.error("page job %s failed:\n%s", job_id, traceback.format_exc())
            failure = problem(500, f"Reading the page failed: {type(exc).__name__}.")
        jobs.update(writer, job_id, state="failed", problem=failure)
        return None
    jobs.update(writer, job_id, state="done", document=written.id)
    return written.id


def draft_document(db: Path, document: str, extractor: Extractor) -> list[dict]:
    """Extraction's drafts of one stored document, with what the store knows."""
    conn = open_readonly(db)
    try:
        data = reads.Store(conn)
        record = reads.decode(data.get(catalog.DOCUMENTS, document).json)  # Gone if deleted
        text, _ = data.document_text(document)
        people = [reads.decode(b) for b in data.all(catalog.PEOPLE)]
        organizations = [reads.decode(b) for b in data.all(catalog.ORGANIZATIONS)]

        def candidates(resource: str, countries: list[str], date: str | None) -> list[dict]:
            start = end = None
            if date:
                low, high = dates.bounds(date)
                start, end = _shift(low, -NEAR_DAYS), _shift(high, NEAR_DAYS)
            found = data.near(catalog.BY_NAME[resource], countries, start, end, CANDIDATES)
            return [reads.decode(b) for b in found]

        known = extractor.known(people, organizations, candidates)
        if hasattr(known, "decided"):  # what a curator decided is not proposed again
            known.decided = decided(data, document)
        return extractor.extract(text, record, known)
    finally:
        conn.close()


def _shift(day: str, days: int) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=days)).isoformat()


def run(db: Path, job_id: str, extractor: Extractor | None = None) -> None:
    """Do one extraction job: extract, store the drafts and mark it done, or mark it failed."""
    db = Path(db)
    review = Review(Writer(db))
    conn = open_readonly(db)
    try:
        document = reads.decode(reads.Store(conn).job(job_id).json)["document"]
    finally:
        conn.close()
    review.job_started(job_id)
    try:
        drafts = draft_document(db, document, extractor or default_extractor())
        review.add_drafts(document, drafts, job=job_id)
    except WriteError as exc:  # the document was deleted meanwhile
        review.job_failed(job_id, problem(exc.status, exc.detail))
    except (lookup.NotFound, reads.Gone) as exc:
        review.job_failed(job_id, problem(410 if isinstance(exc, reads.Gone) else 404, str(exc)))
    except Exception as exc:
        log.error("extraction job %s failed:\n%s", job_id, traceback.format_exc())
        review.job_failed(job_id, problem(500, f"Extraction failed: {type(exc).__name__}."))
