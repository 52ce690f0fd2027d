"""Extraction jobs: a huey queue in a SQLite file beside the database, and the work itself.

The web workers only enqueue (``submit``); the extraction worker (``briefs
worker``, a huey consumer) runs ``run`` and is the only process that loads the
NLP model. ``api.ingest`` is imported inside the worker's code path alone, so
importing ``api`` never imports spaCy.
"""

from __future__ import annotations

import datetime
import functools
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import huey

from api.curation.review import Review
from api.domain import catalog
from api.domain.problem import problem
from api.store import lookup, reads
from api.store.connections import open_readonly
from api.store.errors import Unavailable, WriteError
from api.store.writer import Writer
from schemas import dates

log = logging.getLogger("briefs")
CANDIDATES = 50  # existing records offered to extraction per question, for restatements
NEAR_DAYS = 366  # how far around a date a restatement is looked for


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


def queue_file(db: Path) -> Path:
    """The queue's SQLite file, beside the database."""
    return Path(db).with_name(Path(db).name + ".queue")


@functools.cache
def extract_task(db: Path):
    """The extraction task on the huey queue of the database at ``db`` (one per process).

    Calling it with (db, job id) enqueues a job; its ``huey`` runs the consumer.
    """
    tasks = huey.SqliteHuey(name="briefs", filename=str(queue_file(db)), results=False)
    return tasks.task(name="extract")(_extract_task)


def _extract_task(db: str, job_id: str) -> None:
    run(Path(db), job_id)


def submit(db: Path, document: str) -> bytes:
    """Queue the extraction of ``document``; return the job as stored (state queued)."""
    db = Path(db)
    review = Review(Writer(db))
    job = review.add_job(document)
    try:
        extract_task(db)(str(db), job.id)
    except Exception as exc:  # the queue's file cannot be written: say so on the job too
        log.exception("job %s could not be queued", job.id)
        review.job_failed(job.id, problem(503, "The extraction queue cannot be written."))
        raise Unavailable("The extraction queue cannot be written.") from exc
    return job.json


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
        return extractor.extract(text, record, known)
    finally:
        conn.close()


def _shift(day: str, days: int) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=days)).isoformat()


def run(db: Path, job_id: str, extractor: Extractor | None = None) -> None:
    """Do one job: extract, store the drafts and mark it done, or mark it failed."""
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


def work(db: Path, workers: int = 1) -> None:
    """Run the extraction worker (a huey consumer) until it is stopped (SIGTERM, SIGINT)."""
    default_extractor()  # load the model before the first job, not during it
    abandoned = Review(Writer(Path(db))).fail_abandoned()
    if abandoned:
        log.warning("%d job(s) left running by a stopped worker marked failed", abandoned)
    log.info("extraction worker on %s", queue_file(db))
    extract_task(Path(db)).huey.create_consumer(workers=workers, worker_type="thread").run()
