"""The benchmark harness runs end to end on a tiny corpus (no timing is asserted)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from tests.helpers import ROOT

DATASETTE = ROOT / "benchmarks" / ".venv" / "bin" / "python"

def test_the_harness_runs_on_a_tiny_corpus(tmp_path):
    assert shutil.which("wrk"), "wrk is missing: 'make test' installs it (make bench-tools)"
    out = tmp_path / "results.json"
    argv = [
        sys.executable, "-m", "benchmarks.run",
        "--records", "800", "--small", "400", "--duration", "1", "--runs", "1",
        "--open-loop-seconds", "1", "--warmup", "0",
        "--data", str(tmp_path / "data"), "--out", str(out),
    ]  # fmt: skip
    if not DATASETTE.exists():
        argv.append("--no-datasette")
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    cases = results["cases"]
    assert set(cases) >= {
        "record", "page_first", "page_deep", "filtered", "search_common", "search_rare",
        "brief", "brief_page", "page_small",
    }  # fmt: skip
    for name, case in cases.items():
        assert case["median_rps"]["app"] > 0, name
        for runs in case["runs"].values():
            assert all(r["non2xx"] == 0 for r in runs), name
        if name != "page_small":
            assert case["ratios"]["ceiling"] > 0
    if DATASETTE.exists():
        assert cases["record"]["ratios"]["datasette"] > 0
    assert results["open_loop"]["app"]["count"] > 0
    workers = results["memory"]["app"]
    assert len(workers) == 2 and all(w["uss_kb"] > 0 for w in workers)
    assert results["terms"]["common"]["matches"] > results["terms"]["rare"]["matches"] > 0
