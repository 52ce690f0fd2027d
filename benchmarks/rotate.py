"""Single-record GETs rotating over many ids: the API against the bare-WSGI ceiling.

    .venv/bin/python -m benchmarks.rotate [--db PATH] [--runs 5] [--duration 5]
        [--threads 2] [--connections 16] [--resource countries] [--out FILE]

The method of an independent load generator, beside ``benchmarks.run``'s: wrk with
two threads and 16 connections on loopback, each request the next of the
resource's ids (``benchmarks/rotate.lua``; the 281 countries of a real build by
default), against ``gunicorn -c gunicorn.conf.py 'api:create_app()'`` and against
``benchmarks/ceiling.py`` on the same settings answering every one of those paths
with the API's own body for it. Runs alternate (app, ceiling, app, ...); it prints
each pair's ratio, their median and range, and the ratio of the median rates.
Without ``--db`` it builds the fixtures' database (``briefs build``) in a
temporary directory.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.load import fetch, log, settle, wrk
from benchmarks.run import BRIEFS, gunicorn
from deploy.servers import Server, free_port

HERE = Path(__file__).resolve().parent


def ids(db: Path, resource: str) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute(f"SELECT id FROM {resource} ORDER BY id")]
    finally:
        conn.close()


def measure(args: argparse.Namespace, db: Path, work: Path) -> dict:
    paths = [f"/v1/{args.resource}/{i}" for i in ids(db, args.resource)]
    listed = work / "paths.txt"
    listed.write_text("\n".join(paths) + "\n")
    servers: list[Server] = []
    try:
        app = gunicorn("app", "api:create_app()", free_port(), work, BRIEFS_DB=db)
        servers.append(app)
        bodies = {}
        for path in paths:
            status, content_type, body = fetch(app.base + path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            bodies[path] = [content_type, body.decode("latin-1")]
        (work / "bodies.json").write_text(json.dumps(bodies))
        ceiling = gunicorn(
            "ceiling", "benchmarks.ceiling:app", free_port(), work,
            BENCH_CEILING_BODIES=work / "bodies.json",
        )  # fmt: skip
        servers.append(ceiling)
        script = (str(HERE / "rotate.lua"), str(listed))
        targets = {"app": app.base, "ceiling": ceiling.base}

        def run(base: str, seconds: float) -> dict:
            settle(*servers)
            return wrk(base, seconds, args.connections, args.threads, script)

        for base in targets.values():
            run(base, args.warmup)
        runs: dict[str, list[dict]] = {t: [] for t in targets}
        for n in range(args.runs):
            for target, base in targets.items():
                runs[target].append(run(base, args.duration))
            ratio = runs["app"][-1]["rps"] / runs["ceiling"][-1]["rps"]
            log(
                f"  run {n + 1}: app {runs['app'][-1]['rps']:.0f}, ceiling "
                f"{runs['ceiling'][-1]['rps']:.0f} req/s: {ratio:.3f}"
            )
    finally:
        for server in reversed(servers):
            server.stop()
    for target, results in runs.items():
        bad = sum(r["non2xx"] for r in results)
        if bad:
            raise RuntimeError(f"{target}: {bad} responses not 2xx or 3xx")
    ratios = [a["rps"] / c["rps"] for a, c in zip(runs["app"], runs["ceiling"], strict=True)]
    medians = {t: statistics.median(r["rps"] for r in rs) for t, rs in runs.items()}
    return {
        "paths": len(paths),
        "loadavg_at_start": args.loadavg,
        "settings": {k: str(v) for k, v in vars(args).items()},
        "runs": runs,
        "median_rps": medians,
        "ratios": [round(r, 4) for r in ratios],
        "median_ratio": round(statistics.median(ratios), 4),
        "ratio_of_medians": round(medians["app"] / medians["ceiling"], 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--resource", default="countries")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per target")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    args.loadavg = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory(prefix="rotate-") as tmp:
        work = Path(tmp)
        db = args.db
        if db is None:
            db = work / "briefs.db"
            subprocess.run([str(BRIEFS), "build", "--db", str(db)], check=True, capture_output=True)
        started = time.monotonic()
        result = measure(args, db.resolve(), work)
    result["seconds"] = round(time.monotonic() - started, 1)
    ratios = result["ratios"]
    print(
        f"{result['paths']} paths, load average {' '.join(args.loadavg)}: app "
        f"{result['median_rps']['app']:.0f}, ceiling {result['median_rps']['ceiling']:.0f} "
        f"req/s (medians); app ÷ ceiling per run {', '.join(f'{r:.3f}' for r in ratios)}: "
        f"median {result['median_ratio']:.3f} (range {min(ratios):.3f}–{max(ratios):.3f})"
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
