"""/docs rendered by a real browser (headless Chromium), with no internet."""

from __future__ import annotations

import shutil
import subprocess

from tests.helpers import served

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=15000",
    "--dump-dom",
]


def test_docs_page_lists_the_operations(db_path, tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: run 'make test-browser', which installs it"
    with served(db_path) as (base, _, _):
        result = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path}", f"{base}/docs"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    dom = result.stdout
    assert "swagger-ui" in dom, result.stderr[-2000:]
    for text in (
        "/v1/agreements",
        "/v1/countries/{code}",
        "/v1/documents/{id}/text",
        "List agreements",
        "Foreign-policy briefs API",
    ):
        assert text in dom, f"{text!r} is not on the rendered page"
