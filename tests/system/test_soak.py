"""A short soak run (``make soak`` runs it for minutes): nothing acknowledged is lost."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT


def test_a_short_soak_loses_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "tests.system.soak", "--seconds", "14", "--kill-every", "4",
         "--build-every", "6", "--writers", "2", "--readers", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "soak: ok" in result.stdout
    counts = {
        " ".join(line.split()[1:]): int(line.split()[0])
        for line in result.stdout.splitlines()
        if line.strip() and line.split()[0].isdigit()
    }
    assert counts["creates acknowledged"] > 0
    assert counts["patches acknowledged"] > 0
    assert counts["builds refused"] >= 1
    assert counts["workers killed (SIGKILL)"] >= 1
    assert counts["server killed (SIGKILL) and restarted"] == 1
