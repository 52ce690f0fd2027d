"""`briefs ingest` with many sources at once: files, a folder, URLs served on 127.0.0.1.

Each source is added, recognised as a duplicate (same text, same URL) or fails with the
reason; the summary says which, each added id is printed, and nothing else is stored.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from api.store.connections import open_readonly
from api.store.reads import Store
from tests.helpers import ARTICLES, ROOT
from tests.system.pages import Site, article_page


def ingest(db, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", "--no-extract", "--db", str(db), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def stored(db) -> set[str]:
    conn = open_readonly(db)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM documents")}
    finally:
        conn.close()


def test_ingest_takes_a_folder_files_and_urls_and_sums_them_up(db_path, tmp_path):
    db = tmp_path / "briefs.db"
    shutil.copy(db_path, db)
    before = stored(db)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("nairobi-rail", "seoul-tokyo"):
        shutil.copy(ARTICLES / f"{name}.txt", folder / f"{name}.txt")
        shutil.copy(ARTICLES / f"{name}.json", folder / f"{name}.json")
    # the same text again, under another name and title: a duplicate
    copy = tmp_path / "copy.txt"
    shutil.copy(ARTICLES / "nairobi-rail.txt", copy)
    (tmp_path / "copy.json").write_text(json.dumps({"title": "Another headline"}))
    broken = tmp_path / "latin1.txt"
    broken.write_bytes("Caf\xe9 diplomacy".encode("latin-1"))
    paragraphs = (ARTICLES / "delhi-tokyo.txt").read_text().split("\n\n")
    with Site() as site:
        page = site.page("/world/delhi-tokyo", article_page("Delhi and Tokyo", paragraphs[1:]))
        site.page("/moved", "", status=301, location="/world/delhi-tokyo")
        site.page("/loop", "", status=302, location="/loop")
        huge = site.page("/huge", article_page("Huge", ["word " * 400_000]))
        result = ingest(
            db,
            str(folder),
            str(copy),
            str(broken),
            "--url",
            page,
            "--url",
            site.url("/moved"),  # the same page by a redirect: the same URL once resolved
            "--url",
            site.url("/missing"),
            "--url",
            site.url("/loop"),
            "--url",
            huge,
            "--publisher",
            "Test Wire",
        )
    summary = result.stderr
    assert result.returncode == 1, summary  # some failed
    assert "3 added, 2 duplicate(s), 4 failed" in summary, summary
    assert "same text is stored already" in summary
    assert "same URL is stored already" in summary
    assert f"failed {broken}: not UTF-8" in summary
    assert "answered 404" in summary
    assert "more than 5 redirects" in summary
    assert "longer than" in summary or "bytes; at most" in summary
    added = result.stdout.split()
    assert len(added) == 3
    assert stored(db) == before | set(added)
    conn = open_readonly(db)
    try:
        data = Store(conn)
        from_url = [d for d in added if "delhi" in d or "tokyo" in d and "seoul" not in d]
        assert from_url, added
        html = data.document_html(from_url[0])
        assert html is not None and "<nav>" in html  # the raw page kept
    finally:
        conn.close()


def test_ingest_of_one_file_prints_its_id_last(db_path, tmp_path):
    db = tmp_path / "briefs.db"
    shutil.copy(db_path, db)
    path = tmp_path / "note.txt"
    shutil.copy(ARTICLES / "baku-gas.txt", path)
    result = ingest(db, str(path), "--title", "Baku gas", "--published", "2024-05")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2024-baku-gas"
    assert "1 added, 0 duplicate(s), 0 failed" in result.stderr
