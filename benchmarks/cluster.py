"""Read throughput of the replicated deployment against one server, on one machine.

``make bench-cluster`` (``python -m benchmarks.cluster``) starts the loopback
cluster of ``make cluster`` (deploy/cluster.py) and runs wrk on a single record:

- the primary direct (one server; its read connections kept open),
- one replica direct (one server; a read connection per request, as replicas do),
- haproxy in front of the two replicas.

On a machine of 2 cores the replicas share the cores the single server had, so
nothing scales: the figures give the proxy's and the replica's cost per request
as ratios (README, "Running more than one server").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.load import wrk
from deploy.cluster import Cluster
from deploy.servers import answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=18200)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("BRIEFS_WORKERS", "2")
    folder = Path(tempfile.mkdtemp(prefix="briefs-bench-cluster-"))
    cluster = Cluster(folder, args.port)
    cluster.build()
    cluster.start()
    path = "/v1/agreements?limit=1"
    assert answers(f"{cluster.proxy}{path}") == 200
    targets = {
        "primary direct": cluster.primary.base,
        "replica direct": cluster.replicas[0].base,
        "haproxy, 2 replicas": cluster.proxy,
    }
    results: dict[str, list[dict]] = {name: [] for name in targets}
    try:
        for _ in range(args.runs):  # interleaved, so drift in the machine hits each alike
            for name, base in targets.items():
                results[name].append(
                    wrk(f"{base}{path}", args.duration, args.connections, threads=2)
                )
    finally:
        cluster.stop()
    summary = {}
    for name, runs in results.items():
        summary[name] = {
            "rps": statistics.median(r["rps"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs if r["p99_ms"] is not None),
            "non2xx": sum(r["non2xx"] for r in runs),
        }
        print(
            f"{name:22} {summary[name]['rps']:8.0f} req/s  p99 {summary[name]['p99_ms']:.1f} ms"
            f"  non-2xx {summary[name]['non2xx']}"
        )
    proxy = summary["haproxy, 2 replicas"]["rps"] / summary["replica direct"]["rps"]
    replica = summary["replica direct"]["rps"] / summary["primary direct"]["rps"]
    overall = summary["haproxy, 2 replicas"]["rps"] / summary["primary direct"]["rps"]
    print(f"haproxy with 2 replicas / one replica direct: {proxy:.2f}")
    print(f"one replica direct / the primary direct: {replica:.2f}")
    print(f"haproxy with 2 replicas / one server direct: {overall:.2f}")
    if args.out:
        args.out.write_text(json.dumps({"cases": summary, "ratios": {
            "proxy_over_replica": proxy, "replica_over_primary": replica,
            "cluster_over_server": overall}}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
