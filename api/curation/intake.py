"""Documents from files and URLs at a terminal (``briefs ingest``), and from feeds.

Each source becomes one outcome: added (with its drafts), a duplicate of a
document already stored (same URL or same text), or failed with the reason.
A file's metadata comes from a JSON file of the same name beside it (as
``seeds/`` and ``tests/articles/`` keep them), then from what the caller
gives; a title still missing is the page's ``<title>`` or the text's first
line.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from api.curation.documents import BadDocument, document_parts, page_text
from api.curation.fetch import FetchError, Limits, fetch
from api.store.errors import Conflict, WriteError
from api.store.writer import Writer

RIGHTS = "Held unchanged so that citations can be verified against it."
HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", ".text", ".md")
SERVER_SETS = ("id", "sha256", "length", "text", "html")  # never from a metadata file
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass
class Outcome:
    source: str
    state: str  # added, duplicate, failed
    document: str | None = None
    detail: str = ""
    drafts: int = 0


def files_in(paths: list[Path]) -> list[Path]:
    """The files named, and the text and HTML files of each folder named (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in HTML_SUFFIXES + TEXT_SUFFIXES
            )
        else:
            found.append(path)
    return found


def metadata_for(path: Path | None, given: dict) -> dict:
    """A document's metadata: its sidecar JSON, then ``given`` (what is not None)."""
    found: dict = {}
    if path is not None:
        sidecar = path.with_suffix(".json")
        if sidecar.is_file():
            loaded = json.loads(sidecar.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                found = {k: v for k, v in loaded.items() if k not in SERVER_SETS}
    found.update({k: v for k, v in given.items() if v is not None})
    found.setdefault("publisher", "Unknown")
    found.setdefault("published", None)
    found.setdefault("language", "en")
    found.setdefault("rights", RIGHTS)
    return found


def guess_title(content: str, is_html: bool) -> str:
    if is_html:
        found = TITLE.search(content[:200_000])
        if found:
            title = " ".join(html_lib.unescape(found.group(1)).split())
            if title:
                return title[:300]
    for line in (page_text(content) if is_html else content).splitlines():
        if line.strip():
            return " ".join(line.split())[:300]
    return "Untitled"


class Intake:
    """Stores documents in the database at ``db``; extracts their drafts if given an
    extractor (``queue.Ingest``)."""

    def __init__(self, db: Path, actor: str, extractor=None) -> None:
        self.db = Path(db)
        self.writer = Writer(self.db)
        self.actor = actor
        self.extractor = extractor

    def add_file(self, path: Path, given: dict, form: str | None = None) -> Outcome:
        source = str(path)
        try:
            content = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            return Outcome(source, "failed", detail=f"not UTF-8 ({exc.reason} at {exc.start})")
        except OSError as exc:
            return Outcome(source, "failed", detail=exc.strerror or str(exc))
        is_html = form == "html" or (form is None and path.suffix.lower() in HTML_SUFFIXES)
        return self.add(source, content, is_html, metadata_for(path, given))

    def add_url(self, url: str, given: dict, limits: Limits) -> Outcome:
        try:
            fetched = fetch(url, limits)
        except FetchError as exc:
            return Outcome(url, "failed", detail=exc.detail)
        metadata = metadata_for(None, {**given, "url": given.get("url") or fetched.url})
        return self.add(url, fetched.text(), True, metadata)

    def add(self, source: str, content: str, is_html: bool, metadata: dict) -> Outcome:
        """Store one document (and extract its drafts); the outcome says how it went."""
        try:
            if not metadata.get("title"):
                metadata = {**metadata, "title": guess_title(content, is_html)}
            body = {**metadata, ("html" if is_html else "text"): content}
            metadata, text, html = document_parts(body)
            if html is not None:
                text = page_text(html)
            same = self.same_url(metadata.get("url"))
            if same:
                return Outcome(source, "duplicate", same, "the same URL is stored already")
            written = self.writer.create_document(metadata, text, html, self.actor)
        except BadDocument as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
            return Outcome(source, "failed", detail=f"{exc.detail} {details}".strip())
        except Conflict as exc:
            existing = exc.extensions.get("existing")
            if existing:
                return Outcome(source, "duplicate", existing, "the same text is stored already")
            return Outcome(source, "failed", detail=exc.detail)
        except WriteError as exc:
            return Outcome(source, "failed", detail=exc.detail)
        outcome = Outcome(source, "added", written.id)
        if self.extractor is not None:
            outcome.drafts = self.extract(written.id)
        return outcome

    def extract(self, document: str) -> int:
        from api.curation import queue
        from api.curation.review import Review

        drafts = queue.draft_document(self.db, document, self.extractor)
        return Review(self.writer).add_drafts(document, drafts)

    def same_text(self, text: str) -> str | None:
        """The stored document holding exactly ``text``, if any."""
        import hashlib

        return self._one(
            "SELECT id FROM documents WHERE sha256 = ?",
            hashlib.sha256(text.encode("utf-8")).hexdigest(),
        )

    def _one(self, sql: str, value: str) -> str | None:
        from api.store.connections import open_readonly

        conn = open_readonly(self.db)
        try:
            row = conn.execute(sql, (value,)).fetchone()
        finally:
            conn.close()
        return row[0] if row else None

    def same_url(self, url: str | None) -> str | None:
        """The stored document published at ``url``, if any."""
        if not url:
            return None
        return self._one(
            "SELECT id FROM documents WHERE json_extract(CAST(json AS TEXT), '$.url') = ? LIMIT 1",
            url,
        )
