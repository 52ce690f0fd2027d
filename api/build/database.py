"""Build the SQLite database from seeds and fixtures, atomically.

The build runs every check first and refuses to write while any problem
remains. It writes a temporary file and a full-text index beside the target and
renames both into place, so a reader never sees a half-written database and
a failed build leaves the previous one untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import orjson
import sqlite_utils

from api.build.check import Dataset, Problem, check
from api.domain import catalog, countries
from api.domain.records import output
from api.store import entries, fulltext, layout


class BuildError(Exception):
    """The inputs have problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the inputs")
        self.problems = problems


def derive(data: Dataset) -> dict[str, list[dict]]:
    """Output records by resource, in id order."""
    outcomes: dict[str, list[str]] = {}
    for agreement in data.records.get("agreements", {}).values():
        if agreement["meeting"]:
            outcomes.setdefault(agreement["meeting"], []).append(agreement["id"])
    return {
        resource.name: [
            output(resource, table[record_id], data.texts.get, outcomes.get(record_id, []))
            for record_id in sorted(table)
        ]
        for resource in catalog.ALL
        for table in [data.records.get(resource.name, {})]
    }


def dataset_version(records: dict[str, list[dict]]) -> str:
    """A digest of every canonical record and the pycountry version behind them."""
    digest = hashlib.sha256(f"pycountry {countries.PYCOUNTRY_VERSION}\n".encode())
    for resource in sorted(records):
        for record in records[resource]:
            digest.update(
                resource.encode()
                + b"\t"
                + orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
                + b"\n"
            )
    return digest.hexdigest()[:16]


def _write(
    db: sqlite_utils.Database,
    records: dict[str, list[dict]],
    texts: dict[str, str],
    htmls: dict[str, str],
    meta: dict[str, str],
) -> None:
    layout.create(db)
    published = {d["id"]: d["published"] for d in records["documents"]}
    everything = []
    for resource in catalog.ALL:
        rows = [entries.rows(resource, r, published) for r in records[resource.name]]
        entries.insert(db, resource, rows)
        if resource is catalog.COUNTRIES:
            entries.insert_ambiguous(db, records[resource.name])
        everything += rows
    entries.insert_search(db, everything)
    db["document_texts"].insert_all({"id": k, "text": v} for k, v in sorted(texts.items()))
    db["document_html"].insert_all({"id": k, "html": v} for k, v in sorted(htmls.items()))
    db["meta"].insert_all({"key": k, "value": v} for k, v in sorted(meta.items()))


class UnexportedWrites(Exception):
    """The database holds writes the fixtures do not have; replacing it would lose them."""

    def __init__(self, path: Path, records: list[str]) -> None:
        shown = ", ".join(records[:5]) + (" …" if len(records) > 5 else "")
        super().__init__(
            f"{path} holds {len(records)} written record(s) that fixtures/ does not have "
            f"({shown}): run 'briefs export' and commit, or pass --force to discard them"
        )
        self.records = records


def unexported_writes(db_path: Path, records: dict[str, list[dict]]) -> list[str]:
    """Records written through the API whose current state the new build would not keep."""
    if not db_path.exists():
        return []
    from api.store.connections import open_readonly

    conn = open_readonly(db_path)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'changes'").fetchone():
            return []
        touched = conn.execute("SELECT DISTINCT resource, record_id FROM changes").fetchall()
        new = {(name, r["id"]): r for name, rows in records.items() for r in rows}
        lost = []
        for resource, record_id in touched:
            row = conn.execute(f"SELECT json FROM {resource} WHERE id = ?", (record_id,)).fetchone()
            current = orjson.loads(row[0]) if row else None
            if current != new.get((resource, record_id)):
                lost.append(f"{resource}/{record_id}")
        return sorted(lost)
    finally:
        conn.close()


def build(
    seeds_dir: Path, fixtures_dir: Path, db_path: Path, *, force: bool = False
) -> dict[str, str]:
    """Check the inputs and write the database at ``db_path``; return its metadata.

    Refuses (UnexportedWrites) to replace a database holding writes that the
    fixtures do not have, unless ``force``: checked before the work and again
    under the write lock at the swap, so a write acknowledged while the build
    ran is never dropped.
    """
    from api.store.writer import Writer

    data, problems = check(seeds_dir, fixtures_dir)
    if problems:
        raise BuildError(problems)
    records = derive(data)
    db_path = Path(db_path)
    if not force:
        lost = unexported_writes(db_path, records)
        if lost:
            raise UnexportedWrites(db_path, lost)
    version = dataset_version(records)
    built_at = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    meta = {
        "dataset_version": version,
        "data_version": version,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(built_at)),
        "pycountry": countries.PYCOUNTRY_VERSION,
        "schema_version": layout.SCHEMA_VERSION,
        "drafts_version": "0",
        "counts": orjson.dumps({name: len(rows) for name, rows in records.items()}).decode(),
    }
    writer = Writer(db_path)
    meta["fulltext"] = writer.fulltext_name(version)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    writer.remove_leftovers()

    def nothing_lost() -> None:
        """Under the write lock, just before the swap: a write may have landed meanwhile."""
        lost = unexported_writes(db_path, records)
        if lost:
            raise UnexportedWrites(db_path, lost)

    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp_index = writer.fulltext_tmp()
    tmp.unlink(missing_ok=True)
    shutil.rmtree(tmp_index, ignore_errors=True)
    try:
        db = sqlite_utils.Database(tmp)
        _write(db, records, data.texts, data.htmls, meta)
        violations = db.execute("PRAGMA foreign_key_check").fetchall()
        if violations:
            raise RuntimeError(f"foreign keys violated: {violations[:5]}")
        db.execute("VACUUM")
        fulltext.build(tmp_index, db.execute(fulltext.ROWS_SQL))
        db.close()
        meta["fulltext"] = writer.replace_with(
            tmp, tmp_index, meta["fulltext"], guard=None if force else nothing_lost
        )
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(tmp_index, ignore_errors=True)
    return meta
