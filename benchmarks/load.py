"""Load and its measures: wrk runs (closed and open loop), settling, memory, fetches."""

from __future__ import annotations

import contextlib
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

from deploy.servers import Server

HERE = Path(__file__).resolve().parent

def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def connection_header(url: str) -> str:
    """The Connection header a server answers an HTTP/1.1 request with: "close" for
    gunicorn's sync worker, "keep-alive" for gthread. gunicorn runs ``sync`` as gthread
    when threads > 1, so this, not the setting asked for, says what was measured."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        conn.request("GET", parts.path or "/")
        response = conn.getresponse()
        response.read()
        return response.getheader("Connection", "")
    finally:
        conn.close()


def settle(*servers: Server, limit: float = 120.0) -> None:
    """Wait until every server answers /healthz (or /) promptly: slow requests left over
    from the previous wrk run (a brief at 1M records takes seconds) must not load the next."""
    deadline = time.monotonic() + limit
    for server in servers:
        path = "/healthz" if server.name.startswith("app") else "/"
        while time.monotonic() < deadline:
            started = time.monotonic()
            with contextlib.suppress(OSError):
                fetch(server.base + path)
            if time.monotonic() - started < 0.05:
                break
            time.sleep(0.2)


def uss_kb(pid: int) -> dict[str, int]:
    """Unique, proportional and resident set sizes of a process, in KiB."""
    memory = psutil.Process(pid).memory_full_info()
    return {f"{name}_kb": getattr(memory, name) // 1024 for name in ("uss", "pss", "rss")}


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS = re.compile(r"Socket errors:.*")
WRK_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str, duration: float, connections: int, threads: int, script: tuple[str, ...] = ()
) -> dict:
    """Closed-loop wrk on ``url``; ``script``: a Lua script and its arguments."""
    lua = ["-s", script[0], url, "--", *script[1:]] if script else [url]
    argv = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(duration, 1):g}s",
        "--latency", "--timeout", "10s", *lua,
    ]  # fmt: skip
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = float(WRK_RPS.search(out).group(1))
    p99 = WRK_P99.search(out)
    non2xx = WRK_NON2XX.search(out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)] if p99 else None,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": (WRK_ERRORS.search(out) or [None])[0],
    }


OPENLOOP = re.compile(r"OPENLOOP (.*)")
# Kernel TCP counters read around each open-loop run (system-wide: other work on the
# machine adds to them too). Non-zero listen overflows/drops or SYN retransmits mean
# connection set-up stalled (a retransmitted SYN waits 1 s): a harness or kernel
# artefact, not server latency. Servers that close after each response (gunicorn's
# sync workers) open one connection per request, so they are the ones exposed.
TCP_COUNTERS = {
    "TcpExt": (
        "ListenOverflows", "ListenDrops", "TCPSynRetrans", "TCPTimeWaitOverflow", "TWRecycled",
    ),
    "Tcp": ("ActiveOpens", "AttemptFails", "EstabResets", "RetransSegs", "OutRsts"),
}  # fmt: skip


def tcp_counters() -> dict[str, int]:
    found: dict[str, int] = {}
    for name in ("/proc/net/netstat", "/proc/net/snmp"):
        with contextlib.suppress(OSError):
            lines = Path(name).read_text().splitlines()
            for keys, values in zip(lines[::2], lines[1::2], strict=True):
                prefix, _, keys = keys.partition(":")
                wanted = TCP_COUNTERS.get(prefix, ())
                for key, value in zip(keys.split(), values.partition(":")[2].split(), strict=True):
                    if key in wanted:
                        found[key] = int(value)
    return found


def wrk_open_loop(url: str, rate: float, duration: float, connections: int) -> dict:
    """Fixed total ``rate`` over ``connections`` connections, one per wrk thread."""
    per_thread = rate / connections
    argv = [
        "wrk", f"-t{connections}", f"-c{connections}", f"-d{max(duration, 1):g}s",
        "--timeout", "10s", "-s", str(HERE / "openloop.lua"), url, "--", f"{per_thread:.3f}",
    ]  # fmt: skip
    for _ in range(2):  # one retry: a rare wrk failure should not lose a 20-minute run
        before = tcp_counters()
        done = subprocess.run(argv, capture_output=True, text=True)
        after = tcp_counters()
        found = OPENLOOP.search(done.stdout)
        if done.returncode == 0 and found:
            break
        log(f"  open-loop wrk failed ({done.returncode}): {done.stdout[-500:]}{done.stderr[-500:]}")
    if done.returncode != 0 or not found:
        raise RuntimeError(f"open-loop wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    result = {k: float(v) for k, v in (kv.split("=") for kv in found.group(1).split())}
    result["target_rate"] = rate
    result["achieved_rate"] = result["count"] / result["seconds"] if result["seconds"] else 0
    # Below ~97% of the target the requests queued (the send lag grows through the run):
    # the latencies then measure the queue's growth, about (1 - achieved/target) x the
    # run's length at the end, not the server's latency at that rate.
    result["rate_reached"] = result["achieved_rate"] >= 0.97 * rate
    result["tcp"] = {k: after[k] - before.get(k, 0) for k in after}
    stalls = {
        k: v
        for k, v in result["tcp"].items()
        if k in ("ListenOverflows", "ListenDrops", "TCPSynRetrans", "TCPTimeWaitOverflow") and v
    }
    if not result["rate_reached"]:
        log(
            f"  rate not reached: {result['achieved_rate']:.0f} of {rate:.0f} req/s "
            f"(send lag p99 {result.get('lag_p99', 0):.1f} ms): overloaded, latencies are queueing"
        )
    if stalls:
        log(f"  connection set-up stalls during the run (system-wide counters): {stalls}")
    return result


def open_loop(urls: dict[str, str], rate: float, duration: float, runs: int) -> dict:
    """``runs`` open-loop runs of each target in alternation; medians of the percentiles."""
    raw: dict[str, list[dict]] = {target: [] for target in urls}
    for _ in range(max(runs, 1)):
        for target, url in urls.items():
            raw[target].append(wrk_open_loop(url, rate, duration, 8))
    summary = {}
    for target, results in raw.items():
        if len(results) == 1:
            summary[target] = results[0]
            continue
        keys = [k for k, v in results[0].items() if isinstance(v, float)]
        summary[target] = {k: round(median([r[k] for r in results]), 3) for k in keys}
        summary[target]["target_rate"] = rate
        summary[target]["rate_reached"] = all(r["rate_reached"] for r in results)
        summary[target]["runs"] = results
    return summary


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
