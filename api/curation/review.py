"""Drafts and extraction jobs: stored, accepted (through the normal write path) or rejected.

A draft is what extraction proposes from a document; nothing it holds reaches
the public collections until a curator accepts it. Accepting writes the record
with ``Writer.create_in`` (or extends an existing record's citations) and marks
the draft in the same transaction: a correction that fails validation, or a
citation that does not verify, leaves both untouched. Nothing here knows HTTP.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

import orjson

from api.curation import jobs
from api.domain import catalog, citations
from api.domain.catalog import Resource
from api.domain.problem import problem
from api.store.entries import version
from api.store.errors import Conflict, Gone, Invalid, Missing, Written, utc_now
from api.store.idempotency import alive, process_owner
from api.store.merge_patch import patch_record
from api.store.writer import Writer, bump_drafts
from schemas.drafts import DRAFT_ACTIONS, DRAFT_RESOURCES, DraftSchema, JobSchema

log = logging.getLogger("briefs")
DRAFT = DraftSchema()
JOB = JobSchema()
# Lists an add_source draft appends to the existing record, item by item.
CORROBORATED = ("sources", "aliases", "roles", "memberships")
UNCITED = ("people", "organizations")  # a name alone needs no citation; roles do


class Review:
    """Drafts and jobs of one database, written under its write lock."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer

    # --- jobs --------------------------------------------------------------------

    def add_job(self, document: str) -> Written:
        """A queued extraction job for an existing document."""
        job_id = secrets.token_hex(8)
        with self.writer.transaction() as conn:
            self.writer.current(conn, catalog.DOCUMENTS, document)  # Missing or Gone
            job = {
                "id": job_id,
                "document": document,
                "state": "queued",
                "drafts": None,
                "problem": None,
                "created": utc_now(),
                "started": None,
                "finished": None,
            }
            return self._put_job(conn, job, insert=True)

    def job_started(self, job_id: str) -> None:
        with self.writer.transaction() as conn:
            job = self._job(conn, job_id)
            self._put_job(conn, {**job, "state": "running", "started": utc_now()})
            conn.execute("UPDATE jobs SET owner = ? WHERE id = ?", (process_owner(), job_id))

    def fail_abandoned(self) -> int:
        """Mark failed the running jobs whose worker process (on this machine) is gone.

        A worker killed in the middle of a job stored none of its drafts (they
        are written in one transaction with the job's end), so the job can be
        asked for again. Returns how many were marked.
        """
        with self.writer.transaction() as conn:
            rows = conn.execute("SELECT id, owner FROM jobs WHERE state = 'running'").fetchall()
            gone = [job_id for job_id, who in rows if not alive(who)]
            for job_id in gone:
                job = self._job(conn, job_id)
                stopped = problem(
                    500,
                    "The extraction worker stopped while it ran this job: "
                    "nothing was stored; ask for the extraction again.",
                )
                self._put_job(
                    conn, {**job, "state": "failed", "problem": stopped, "finished": utc_now()}
                )
        return len(gone)

    def job_failed(self, job_id: str, failure: dict) -> None:
        with self.writer.transaction() as conn:
            job = self._job(conn, job_id)
            self._put_job(
                conn, {**job, "state": "failed", "problem": failure, "finished": utc_now()}
            )

    def _job(self, conn, job_id: str) -> dict:
        job = jobs.get(conn, job_id)
        if job is None:
            raise Missing(f"No job {job_id!r}.")
        return job

    def _put_job(self, conn, job: dict, insert: bool = False) -> Written:
        return jobs.put(conn, job, insert)

    # --- drafts ------------------------------------------------------------------

    def add_drafts(self, document: str, drafts: list[dict], job: str | None = None) -> int:
        """Store extraction's drafts of ``document``; return how many were kept.

        A draft whose citations do not verify against the document's text, or
        that names an unknown resource or action, is left out (and logged):
        nothing unverifiable is put before a curator. A draft proposed before
        for the same document (open, accepted or rejected) is not proposed
        again. With ``job``, the job is marked done in the same transaction.
        """
        with self.writer.transaction() as conn:
            self.writer.current(conn, catalog.DOCUMENTS, document)
            text = self.writer.text_in(conn, document) or ""
            kept = 0
            for draft in drafts:
                problem = _draft_problem(draft, document, text)
                if problem:
                    log.warning("a draft of %s was left out: %s", document, problem)
                    continue
                mark = fingerprint(draft)
                seen = conn.execute(
                    "SELECT 1 FROM drafts WHERE document = ? AND fingerprint = ?",
                    (document, mark),
                ).fetchone()
                if seen:  # proposed before: open, or decided (a rejected one stays rejected)
                    continue
                self._insert_draft(conn, document, draft, job, mark)
                kept += 1
            if kept:
                bump_drafts(conn)
            if job is not None:
                done = {**self._job(conn, job), "state": "done", "drafts": kept}
                self._put_job(conn, {**done, "finished": utc_now()})
        return kept

    def _insert_draft(self, conn, document: str, draft: dict, job: str | None, mark: str) -> None:
        cursor = conn.execute(
            "INSERT INTO drafts (document, resource, state, fingerprint, json, etag) "
            "VALUES (?, ?, 'open', ?, x'', '')",
            (document, draft["resource"], mark),
        )
        out = {
            "id": f"d{cursor.lastrowid}",
            "document": document,
            "job": job,
            "resource": draft["resource"],
            "action": draft["action"],
            "target": draft.get("target"),
            "state": "open",
            "record": draft["record"],
            "matches": draft.get("matches", []),
            "confidence": draft.get("confidence", 0.0),
            "reasons": draft.get("reasons", []),
            "accepted_as": None,
            "rejected_because": None,
            "decided_by": None,
            "created": utc_now(),
            "decided": None,
        }
        self._put_draft(conn, out, seq=cursor.lastrowid)

    def _put_draft(self, conn, draft: dict, seq: int | None = None) -> bytes:
        body = orjson.dumps(DRAFT.dump(draft))
        if seq is not None:
            conn.execute(
                "UPDATE drafts SET id = ?, json = ?, etag = ? WHERE seq = ?",
                (draft["id"], body, version(body), seq),
            )
        else:
            conn.execute(
                "UPDATE drafts SET state = ?, json = ?, etag = ? WHERE id = ?",
                (draft["state"], body, version(body), draft["id"]),
            )
        return body

    def _open_draft(self, conn, draft_id: str) -> dict:
        row = conn.execute("SELECT json FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            gone = conn.execute(
                "SELECT 1 FROM tombstones WHERE resource = 'drafts' AND id = ?", (draft_id,)
            ).fetchone()
            if gone:
                raise Gone(f"The draft {draft_id!r} went with its document, which was deleted.")
            raise Missing(f"No draft {draft_id!r}.")
        draft = orjson.loads(row[0])
        if draft["state"] != "open":
            also = f" as {draft['accepted_as']!r}" if draft["accepted_as"] else ""
            raise Conflict(f"The draft {draft_id!r} was {draft['state']}{also} already.")
        return draft

    def accept(
        self, draft_id: str, corrections: dict, actor: str
    ) -> tuple[Resource, Written, dict]:
        """Write the draft's record (with ``corrections`` merged in) and mark it accepted.

        A create draft becomes a new record; an add_source draft adds its
        citations (and any aliases, roles or memberships) to its target record.
        Returns the resource, the record written and the draft as now stored.
        """
        with self.writer.transaction() as conn:
            draft = self._open_draft(conn, draft_id)
            resource = catalog.BY_NAME[draft["resource"]]
            if draft["action"] == "add_source":
                _refuse_field_corrections(draft, corrections)
            body = patch_record(resource.instance, draft["record"], corrections)
            if draft["action"] == "create":
                written = self.writer.create_in(conn, resource, body, actor)
            else:
                before = self.writer.current(conn, resource, draft["target"])
                merged = corroborate(self.writer.editable(before), body)
                written = self.writer.replace_in(conn, resource, before, merged, actor)
            decided = {
                **draft,
                "state": "accepted",
                "accepted_as": written.id,
                "decided_by": actor.rsplit(":", 1)[-1],
                "decided": utc_now(),
            }
            body = self._put_draft(conn, decided)
            bump_drafts(conn)
        return resource, written, orjson.loads(body)

    def reject(self, draft_id: str, reason: str, actor: str) -> bytes:
        """Mark the draft rejected, with the curator's reason; return it as stored."""
        with self.writer.transaction() as conn:
            draft = self._open_draft(conn, draft_id)
            decided = {
                **draft,
                "state": "rejected",
                "rejected_because": reason,
                "decided_by": actor.rsplit(":", 1)[-1],
                "decided": utc_now(),
            }
            body = self._put_draft(conn, decided)
            bump_drafts(conn)
        return body

    def change_resource(self, draft_id: str, resource: str, actor: str) -> bytes:
        """Make an open draft propose a record of ``resource`` (a meeting that is an event).

        The record keeps the fields the new resource's input schema has
        (title, countries, date, sources, ...) and drops the others; an
        add_source draft becomes a create. Nothing is validated until it is
        accepted. Its fingerprint stays, so extraction does not propose the
        original again. Returns the draft as stored.
        """
        schema = catalog.BY_NAME[resource].instance
        with self.writer.transaction() as conn:
            draft = self._open_draft(conn, draft_id)
            if draft["resource"] == resource:
                raise Invalid(
                    f"The draft already proposes a record of {resource}.",
                    {"resource": [f"Already {resource}."]},
                )
            record = {k: v for k, v in draft["record"].items() if k in schema.fields}
            changed = {
                **draft,
                "resource": resource,
                "action": "create",
                "target": None,
                "record": record,
                "matches": [],
                "reasons": [*draft["reasons"], f"changed from {draft['resource']} by a curator"],
            }
            conn.execute("UPDATE drafts SET resource = ? WHERE id = ?", (resource, draft_id))
            body = self._put_draft(conn, changed)
            bump_drafts(conn)
        return body

    def merge(self, draft_id: str, other_id: str, actor: str) -> bytes:
        """Fold the open draft ``other_id`` into ``draft_id``: one record citing both spans.

        The other draft's citations (and aliases, roles, memberships) are
        appended to this one's record, and the other is marked rejected as
        merged. Both must be open drafts of the same document and resource.
        Returns this draft as stored.
        """
        if draft_id == other_id:
            raise Invalid("A draft cannot be merged with itself.", {"draft": ["The same draft."]})
        with self.writer.transaction() as conn:
            draft = self._open_draft(conn, draft_id)
            other = self._open_draft(conn, other_id)
            if other["document"] != draft["document"]:
                raise Invalid(
                    "Only drafts of the same document can be merged.",
                    {"draft": [f"{other_id!r} is a draft of {other['document']!r}."]},
                )
            if other["resource"] != draft["resource"]:
                raise Invalid(
                    f"{other_id!r} proposes {other['resource']}, not {draft['resource']}: "
                    "change its resource first.",
                    {"draft": [f"A draft of {other['resource']}."]},
                )
            merged = {**draft, "record": corroborate(draft["record"], other["record"])}
            merged["reasons"] = [*draft["reasons"], f"merged with {other_id} by a curator"]
            body = self._put_draft(conn, merged)
            self._put_draft(
                conn,
                {
                    **other,
                    "state": "rejected",
                    "rejected_because": f"Merged into {draft_id}.",
                    "decided_by": actor.rsplit(":", 1)[-1],
                    "decided": utc_now(),
                },
            )
            bump_drafts(conn)
        return body


def fingerprint(draft: dict) -> str:
    """What makes two drafts the same proposal (a re-run of extraction repeats them)."""
    same = {k: draft.get(k) for k in ("resource", "action", "target", "record")}
    return hashlib.sha256(orjson.dumps(same, option=orjson.OPT_SORT_KEYS)).hexdigest()


def corroborate(existing: dict, addition: dict) -> dict:
    """``existing`` with the citations (and aliases, roles, memberships) of ``addition``
    it lacks appended; its other fields stay as they are."""
    result = dict(existing)
    for key in CORROBORATED:
        new = addition.get(key)
        if not isinstance(new, list):
            continue
        have = list(result.get(key, []))
        seen = {_identity(item) for item in have}
        for item in new:
            if _identity(item) not in seen:
                have.append(item)
                seen.add(_identity(item))
        result[key] = have
    return result


def _refuse_field_corrections(draft: dict, corrections: dict) -> None:
    """An add_source draft adds citations (and aliases, roles, memberships) to its
    target; a correction of any other field would be dropped, so it is refused."""
    other = sorted(k for k in corrections if k not in CORROBORATED)
    if other:
        raise Invalid(
            f"Accepting this draft adds its citations to {draft['target']!r}; it changes no "
            "other field. Correct the record itself with PATCH, or change the draft's "
            "resource to make it a new record.",
            {
                f"corrections.{k}": [
                    f"Not added to an existing record: only {', '.join(CORROBORATED)}."
                ]
                for k in other
            },
        )


def _identity(item) -> bytes:
    """What makes two list items the same, whatever context the server filled in."""
    if isinstance(item, dict):
        item = {k: v for k, v in item.items() if k not in ("prefix", "suffix")}
        if "sources" in item and isinstance(item["sources"], list):
            item = {k: v for k, v in item.items() if k != "sources"}
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS)


def _draft_problem(draft: dict, document: str, text: str) -> str | None:
    """Why a draft from extraction cannot be stored, or None."""
    if not isinstance(draft, dict) or not isinstance(draft.get("record"), dict):
        return "no record"
    if draft.get("resource") not in DRAFT_RESOURCES:
        return f"unknown resource {draft.get('resource')!r}"
    if draft.get("action") not in DRAFT_ACTIONS:
        return f"unknown action {draft.get('action')!r}"
    if draft["action"] == "add_source" and not draft.get("target"):
        return "an add_source draft without a target"
    cited = list(citations.walk(draft["record"]))
    if not cited and draft["resource"] not in UNCITED:
        return "no citation"
    for path, source in cited:
        try:
            if source["document"] != document:
                return f"{path} cites another document"
            problems = citations.verify(source, text)
        except (KeyError, TypeError):
            return f"{path} is not a citation"
        if problems:
            return f"{path}.{problems[0][0]}: {problems[0][1]}"
    return None
