"""The brief and facets on a large corpus: milliseconds per call, against the timeline.

    .venv/bin/python -m benchmarks.scale [--records 1000000] [--db PATH] [--rebuild]
        [--warm-up 2] [--rounds 7] [--calls 5] [--out results.json]

Builds the corpus with ``python -m benchmarks.synth`` when it is missing, of
another table layout, or with ``--rebuild`` (and says how long that took), then
calls each path through the WSGI app in-process (``benchmarks.inprocess``):
``--warm-up`` calls, then ``--rounds`` rounds of ``--calls`` calls, in turn
path by path, and prints a Markdown table of the median milliseconds per call
(wall clock, and this process's CPU time, which other work on the machine
moves less), each path's ratio to the timeline of the same run (the reference
that tells a slow machine from a slow path) and its goal.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from api import create_app
from api.store.layout import SCHEMA_VERSION
from benchmarks.inprocess import caller
from deploy.servers import ROOT

HERE = Path(__file__).resolve().parent
REFERENCE = "/v1/timeline?country=PK&country=RU"
# Each path and its goal: at most so many milliseconds, or "keep" (no slower than it was).
CASES = [
    ("/v1/briefs/PK/RU", 60),
    ("/v1/briefs/PK/RU.md", 60),
    ("/briefs/PK/RU", 60),
    ("/v1/agreements?country=PK&facet=status&facet=year&limit=1", 30),
    ("/v1/agreements?facet=status&facet=year&limit=1", 30),
    (REFERENCE, "keep"),
    ("/v1/search?q=treaty", "keep"),
    ("/v1/agreements?country=PK&limit=50", "keep"),
]


def layout_of(db: Path) -> str | None:
    """The table layout a corpus was written with (None: no corpus there)."""
    if not db.exists():
        return None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def build(records: int, db: Path) -> dict:
    """``python -m benchmarks.synth`` as a user runs it; its wall-clock seconds."""
    command = [sys.executable, "-m", "benchmarks.synth", "--records", str(records), "--db", str(db)]
    print(f"$ {' '.join(command[1:])}", file=sys.stderr)
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    seconds = round(time.monotonic() - started, 1)
    print(f"  {seconds} s", file=sys.stderr)
    return {"records": records, "seconds": seconds}


def measure(db: Path, warm_up: int, rounds: int, calls: int) -> list[dict]:
    call = caller(create_app({"DB": str(db), "ACCESS_LOG": False}))
    found = []
    for path, goal in CASES:
        for _ in range(warm_up):
            call(path)
        wall, cpu = [], []
        for _ in range(rounds):
            started, used = time.perf_counter(), time.process_time()
            for _ in range(calls):
                call(path)
            wall.append((time.perf_counter() - started) / calls * 1000)
            cpu.append((time.process_time() - used) / calls * 1000)
        found.append(
            {
                "path": path,
                "goal": goal,
                "ms": round(statistics.median(wall), 3),
                "cpu_ms": round(statistics.median(cpu), 3),
            }
        )
    reference = next(r for r in found if r["path"] == REFERENCE)
    for result in found:
        result["ratio"] = round(result["ms"] / reference["ms"], 3)
        goal = result["goal"]
        result["met"] = None if goal == "keep" else result["ms"] <= goal
    return found


def table(results: list[dict]) -> str:
    lines = [
        "| path | ms | CPU ms | × timeline | goal | |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in results:
        goal = "keep" if r["goal"] == "keep" else f"≤ {r['goal']}"
        verdict = "" if r["met"] is None else ("met" if r["met"] else "**missed**")
        lines.append(
            f"| `{r['path']}` | {r['ms']:.1f} | {r['cpu_ms']:.1f} | {r['ratio']:.3f} | "
            f"{goal} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true", help="build the corpus anew")
    parser.add_argument("--warm-up", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args()
    db = args.db or HERE / "data" / f"corpus-{args.records}.db"
    synth = None
    if args.rebuild or layout_of(db) != SCHEMA_VERSION:
        synth = build(args.records, db)
    results = measure(db, args.warm_up, args.rounds, args.calls)
    print(table(results))
    if synth:
        print(f"\n`python -m benchmarks.synth --records {args.records}`: {synth['seconds']} s")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"db": str(db), "synth": synth, "cases": results}, indent=1))


if __name__ == "__main__":
    main()
