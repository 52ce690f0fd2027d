"""The read benchmark: the API against a bare-WSGI ceiling and Datasette, in alternation.

    python -m benchmarks.run [--records 1000000] [--duration 5] [--runs 3] [--out FILE]

Every server is started and stopped here, bound to 127.0.0.1 on a free port:

* ``app``: ``gunicorn -c gunicorn.conf.py 'api:create_app()'`` on the large corpus,
  and ``app-small`` on the small one (for "1M within 1.2x of 1k");
* ``ceiling``: ``benchmarks/ceiling.py`` on the same gunicorn settings, answering
  each case's URL with the API's own body for it (same bytes, same size);
* ``datasette``: Datasette (benchmarks/.venv) on the same SQLite file, two
  uvicorn workers, counts and facet suggestions off, the equivalent SQL as
  canned queries (benchmarks/datasette_app.py).

Each case runs wrk against its targets in turn, ``--runs`` rounds (app, ceiling,
datasette, app, ceiling, ...), so drift of the shared machine hits all alike;
figures are medians and ratios of medians. Then: p99 of a single record at
half the app's measured maximum, open loop (benchmarks/openloop.lua); USS of
every worker; optionally a py-spy profile of the hot paths. Results go to a
JSON file; ``benchmarks/chart.py`` draws them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.cases import cases, datasette_search_index, pick_terms, synth
from benchmarks.load import (
    connection_header,
    fetch,
    log,
    median,
    open_loop,
    settle,
    uss_kb,
    wrk,
)
from deploy.servers import Server, free_port

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
PYTHON = ROOT / ".venv" / "bin" / "python"
BRIEFS = ROOT / ".venv" / "bin" / "briefs"
BENCH_PYTHON = HERE / ".venv" / "bin" / "python"
PY_SPY = HERE / ".venv" / "bin" / "py-spy"
TARGETS = {  # the goal of each case (ratios of requests/s)
    "record": {"ceiling": 0.5, "datasette": 7.0},
    "page_first": {"ceiling": 0.4, "datasette": 12.0},
    "page_deep": {"ceiling": 0.4, "datasette": 12.0},
    "search_common": {"ceiling": 0.1},
}


# --- servers ---------------------------------------------------------------------


def server(name: str, argv: list[str], env: dict, ready: str) -> Server:
    """A server process on 127.0.0.1:env["PORT"], started and answering ``ready``."""
    log_path = Path(env["LOG_DIR"]) / f"{name}.log"
    log_path.unlink(missing_ok=True)
    environ = {k: str(v) for k, v in env.items() if k not in ("PORT", "LOG_DIR")}
    started = Server(argv, environ, log_path, port=int(env["PORT"]), name=name, ready=ready)
    started.start()
    try:
        started.wait_ready(120)
    except RuntimeError:
        started.kill()
        raise
    started.connection = connection_header(started.base + ready)
    log(f"  {name} ready on {started.base} (Connection: {started.connection})")
    return started


def gunicorn(name: str, app: str, port: int, log_dir: Path, **env) -> Server:
    environ = {
        **os.environ,
        "BRIEFS_BIND": f"127.0.0.1:{port}",
        "BRIEFS_LOG_LEVEL": "warning",
        "PORT": port,
        "LOG_DIR": log_dir,
        **env,
    }
    argv = [str(PYTHON), "-m", "gunicorn", "-c", "gunicorn.conf.py", app]
    return server(name, argv, environ, "/healthz" if app.startswith("api") else "/")


def datasette(db: Path, port: int, log_dir: Path) -> Server:
    argv = [
        str(BENCH_PYTHON), "-m", "uvicorn", "benchmarks.datasette_app:app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_DB": db, "PORT": port, "LOG_DIR": log_dir}
    return server("datasette", argv, env, "/-/versions.json")


# --- profile -------------------------------------------------------------------------


IDLE_FRAMES = (
    "thread.py:81)",  # a gthread pool thread waiting for a connection
    "select (selectors.py",
    "wait_for_signals",
    "Condition.wait",
    "Arbiter.sleep",
)


def profile(server: Server, url: str, seconds: float, out: Path, connections: int) -> dict:
    """py-spy on every worker while wrk loads ``url``: top functions by own and total time."""
    raw = out.with_suffix(".txt")
    spy = subprocess.Popen(
        [
            str(PY_SPY),
            "record",
            "--pid",
            str(server.process.pid),
            "--subprocesses",
            "--rate",
            "200",
            "--duration",
            str(int(seconds)),
            "--format",
            "raw",
            "--output",
            str(raw),
            "--nonblocking",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    wrk(url, seconds - 1, connections, 1)
    spy.wait(timeout=seconds + 60)
    own: dict[str, int] = {}
    total: dict[str, int] = {}
    samples = 0
    if raw.exists():
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
            if not frames or any(mark in frames[-1] for mark in IDLE_FRAMES):
                continue  # a thread waiting for work, not serving a request
            samples += n
            own[frames[-1]] = own.get(frames[-1], 0) + n
            for frame in set(frames):
                total[frame] = total.get(frame, 0) + n

    def top(counts: dict[str, int]) -> list[dict]:
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])[:25]
        return [{"frame": f, "share": round(c / samples, 4)} for f, c in ranked]

    return {"samples": samples, "own": top(own), "total": top(total), "raw": str(raw)}


# --- main ----------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError):
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    sysctl = {}
    for name in ("net/core/somaxconn", "net/ipv4/tcp_max_syn_backlog", "net/ipv4/tcp_tw_reuse"):
        with contextlib.suppress(OSError):
            sysctl[name.rpartition("/")[2]] = Path("/proc/sys", name).read_text().strip()
    return {
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "worker_class": os.environ.get("BRIEFS_WORKER_CLASS", "(gunicorn.conf.py)"),
        "gunicorn_env": {k: v for k, v in os.environ.items() if k.startswith("BRIEFS_")},
        "sysctl": sysctl,
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version.splitlines()[0] if wrk_version else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1000, help="records of the small corpus")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--open-loop-seconds", type=float, default=30.0)
    parser.add_argument(
        "--open-loop-runs", type=int, default=1, help="open-loop runs per target, alternating"
    )
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per target")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="keep corpora that exist")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--profile", action="store_true", help="py-spy the hot paths")
    parser.add_argument("--cases", default="", help="comma-separated subset of cases")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        log("wrk is missing: apt-get install wrk (make bench does)")
        return 2
    use_datasette = not args.no_datasette
    if use_datasette and not BENCH_PYTHON.exists():
        log(f"{BENCH_PYTHON} is missing: make bench creates it; going on without Datasette")
        use_datasette = False
    args.data.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out = args.out or HERE / "results" / f"bench-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    log_dir = out.parent / f"logs-{stamp}"
    log_dir.mkdir(parents=True, exist_ok=True)
    big = args.data / f"corpus-{args.records}.db"
    small = args.data / f"corpus-{args.small}.db"
    results: dict = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "settings": {k: str(v) for k, v in vars(args).items()},
        "synth": {"large": synth(args.records, big, args.reuse)},
    }
    results["synth"]["small"] = synth(args.small, small, args.reuse)
    results["terms"] = pick_terms(big)
    if use_datasette:
        datasette_search_index(big)
    log(f"search terms: {results['terms']}")
    servers: list[Server] = []
    try:
        app = gunicorn("app", "api:create_app()", free_port(), log_dir, BRIEFS_DB=big)
        servers.append(app)
        app_small = gunicorn("app-small", "api:create_app()", free_port(), log_dir, BRIEFS_DB=small)
        servers.append(app_small)
        table = cases(app.base, big, results["terms"], big.stem)
        wanted = [c for c in args.cases.split(",") if c] or list(table)
        table = {k: v for k, v in table.items() if k in wanted}
        bodies = {}
        for name, case in table.items():
            status, content_type, body = fetch(app.base + case["path"])
            if status != 200:
                raise RuntimeError(f"{name}: {case['path']} answered {status}: {body[:300]!r}")
            case["bytes"] = len(body)
            bodies[case["path"]] = [content_type, body.decode("latin-1")]
        bodies_file = log_dir / "ceiling-bodies.json"
        bodies_file.write_text(json.dumps(bodies))
        ceiling = gunicorn(
            "ceiling", "benchmarks.ceiling:app", free_port(), log_dir,
            BENCH_CEILING_BODIES=bodies_file,
        )  # fmt: skip
        servers.append(ceiling)
        ds = None
        if use_datasette:
            ds = datasette(big, free_port(), log_dir)
            servers.append(ds)
            for name, case in table.items():
                if "datasette" in case:
                    status, _, body = fetch(ds.base + case["datasette"])
                    if status != 200:
                        raise RuntimeError(f"datasette {name}: {status} {body[:300]!r}")
                    case["datasette_bytes"] = len(body)
        if "page_first" in table:
            table["page_small"] = {"path": "/v1/agreements?limit=50", "small": True}
        measure = lambda d: wrk(d, args.duration, args.connections, args.threads)  # noqa: E731
        results["cases"] = {}
        for name, case in table.items():
            targets = {"app": app.base + case["path"]}
            if case.get("small"):
                targets = {"app-small": app_small.base + case["path"], **targets}
            else:
                targets["ceiling"] = ceiling.base + case["path"]
                if ds and "datasette" in case:
                    targets["datasette"] = ds.base + case["datasette"]
            log(f"case {name}: {', '.join(targets)}")
            for url in targets.values() if args.warmup > 0 else ():  # warm-up, not counted
                settle(*servers)
                wrk(url, args.warmup, args.connections, args.threads)
            latency = {}  # one request at a time: what a single caller waits
            for target, url in targets.items():
                settle(*servers)
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    fetch(url)
                    times.append((time.perf_counter() - started) * 1000)
                latency[target] = round(median(times), 2)
            runs: dict[str, list[dict]] = {t: [] for t in targets}
            for _ in range(args.runs):
                for target, url in targets.items():
                    settle(*servers)
                    runs[target].append(measure(url))
            settle(*servers)
            summary = {t: median([r["rps"] for r in rs]) for t, rs in runs.items()}
            ratios = {}
            for ref in ("ceiling", "datasette", "app-small"):
                if ref in summary and summary[ref]:
                    ratios[ref] = round(summary["app"] / summary[ref], 4)
            results["cases"][name] = {
                **{k: v for k, v in case.items() if k != "small"},
                "runs": runs,
                "median_rps": summary,
                "ratios": ratios,
                "sequential_latency_ms": latency,
            }
            log(f"  median req/s {summary} ratios {ratios} one-at-a-time ms {latency}")
        if "record" in table:
            maximum = results["cases"]["record"]["median_rps"]["app"]
            rate = max(maximum / 2, 1.0)
            log(f"open loop: single record at {rate:.0f} req/s for {args.open_loop_seconds} s")
            settle(*servers)
            results["open_loop"] = open_loop(
                {
                    t: b + table["record"]["path"]
                    for t, b in (("app", app.base), ("ceiling", ceiling.base))
                },
                rate,
                args.open_loop_seconds,
                args.open_loop_runs,
            )
            log(f"  {results['open_loop']}")
        results["memory"] = {
            s.name: [{"pid": pid, **uss_kb(pid)} for pid in s.workers()] for s in servers
        }
        log(f"memory: {results['memory']}")
        if args.profile and PY_SPY.exists():
            results["profiles"] = {}
            for name in ("record", "page_first", "filtered", "search_common", "brief"):
                if name in table:
                    log(f"profiling {name}")
                    settle(*servers)
                    results["profiles"][name] = profile(
                        app,
                        app.base + table[name]["path"],
                        max(args.duration * 2, 3),
                        log_dir / f"profile-{name}",
                        args.connections,
                    )
    finally:
        for server in reversed(servers):
            server.stop()
    results["servers"] = {s.name: {"connection": s.connection} for s in servers}
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    out.write_text(json.dumps(results, indent=2))
    log(f"results: {out}")
    print(summary_table(results))
    return 0


def summary_table(results: dict) -> str:
    lines = ["case | app req/s | ceiling | datasette | app/ceiling | app/datasette | bytes"]
    for name, case in results.get("cases", {}).items():
        m, r = case["median_rps"], case["ratios"]
        lines.append(
            f"{name} | {m.get('app', 0):.0f} | {m.get('ceiling', m.get('app-small', 0)):.0f} | "
            f"{m.get('datasette', 0):.0f} | {r.get('ceiling', r.get('app-small', '-'))} | "
            f"{r.get('datasette', '-')} | {case.get('bytes', '-')}"
        )
    for target, run in results.get("open_loop", {}).items():
        lines.append(
            f"open loop {target} at {run['target_rate']:.0f} req/s: p50 {run['p50']:.2f} ms, "
            f"p99 {run['p99']:.2f} ms, p99.9 {run['p999']:.2f} ms, send lag p99 "
            f"{run.get('lag_p99', 0):.2f} ms"
            + ("" if run.get("rate_reached", True) else ", RATE NOT REACHED")
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
