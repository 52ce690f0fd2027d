"""The replicated deployment, checked end to end on 127.0.0.1 (``make test-cluster``).

Starts the topology of ``make cluster`` (deploy/cluster.py: a primary with
Litestream replicating to a ``file`` replica, two replicas following it,
haproxy in front) and checks, printing the figures:

1. 200 writes through haproxy, each followed at once by a GET through haproxy
   with the write's cookie (read-your-writes: 200 of 200), then readable from
   every replica, and found by search on every replica, within 1 s at p99;
2. a replica killed with SIGKILL (its whole process group) under read load
   through haproxy: no client request fails; started again, it is ready within
   5 s;
3. the primary killed with SIGKILL while writes go on: how many acknowledged
   writes had not reached the replicas (reported: the writes a lost disk would
   have taken along; the window is Litestream's intervals, README "Running more
   than one server"), and that all of them arrive once it restarts on its disk;
4. ``briefs rebuild --replicate``: the replicas restore the new file and report
   its dataset version.

Exits non-zero when a check fails. Intervals: Litestream's monitor 50 ms and
sync 100 ms on the primary (deploy/litestream.yml), follow 100 ms on replicas.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from deploy.cluster import Cluster
from deploy.servers import ROOT, call

DOCUMENT = "pakistan-russia-relations-a-new-beginning"
QUOTE = "The annual trade turnover is a pitiful $700 million."
START = 2711
BOUND_S = 1.0




def agreement(word: str) -> dict:
    return {
        "title": f"Replicated agreement {word}",
        "kind": "agreement",
        "status": "proposed",
        "countries": ["PK", "RU"],
        "date": "2010-11",
        "sector": "trade",
        "summary": f"Written through the proxy: {word}.",
        "sources": [
            {"document": DOCUMENT, "quote": QUOTE, "start": START, "end": START + len(QUOTE)}
        ],
    }


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * len(ordered))) - 1)]


def visible(base: str, record_id: str, word: str, since: float, out: dict) -> None:
    """Seconds until ``base`` serves the record, and until its search finds the word."""
    got_record = got_search = None
    while time.monotonic() - since < 5 and (got_record is None or got_search is None):
        if got_record is None:
            status, _, _ = call("GET", f"{base}/v1/agreements/{record_id}")
            if status == 200:
                got_record = time.monotonic() - since
        if got_search is None:
            status, _, found = call("GET", f"{base}/v1/search?q={word}")
            if status == 200 and any(i["id"] == record_id for i in found["items"]):
                got_search = time.monotonic() - since
        time.sleep(0.01)
    out["record"], out["search"] = got_record, got_search


def check_writes(cluster: Cluster, token: str, writes: int, failures: list[str]) -> list[str]:
    jar = http.cookiejar.CookieJar()
    client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    own_reads = 0
    record_lag = {r.name: [] for r in cluster.replicas}
    search_lag = {r.name: [] for r in cluster.replicas}
    ids = []
    for n in range(writes):
        word = f"replicated{n}x{secrets.token_hex(3)}"
        status, got, parsed = call(
            "POST", f"{cluster.proxy}/v1/agreements", agreement(word), auth, opener=client
        )
        if status != 201:
            failures.append(f"write {n} through haproxy answered {status}: {parsed}")
            continue
        acked = time.monotonic()
        record_id = got["Location"].rsplit("/", 1)[1]
        ids.append(record_id)
        status, _, _ = call("GET", f"{cluster.proxy}/v1/agreements/{record_id}", opener=client)
        own_reads += status == 200
        seen = {r.name: {} for r in cluster.replicas}
        threads = [
            threading.Thread(target=visible, args=(r.base, record_id, word, acked, seen[r.name]))
            for r in cluster.replicas
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for name, found in seen.items():
            record_lag[name].append(found["record"] if found["record"] is not None else 99.0)
            search_lag[name].append(found["search"] if found["search"] is not None else 99.0)
    print(f"read-your-writes through haproxy: {own_reads}/{writes}")
    if own_reads != writes:
        failures.append(f"read-your-writes {own_reads}/{writes}")
    for name in record_lag:
        for what, lags in (("record", record_lag[name]), ("search", search_lag[name])):
            worst, tail = max(lags), p99(lags)
            median = sorted(lags)[len(lags) // 2]
            print(
                f"{name}: {what} visible after a write: p50 {median * 1000:.0f} ms, "
                f"p99 {tail * 1000:.0f} ms, max {worst * 1000:.0f} ms"
            )
            if tail > BOUND_S:
                failures.append(f"{name}: {what} p99 {tail:.2f} s > {BOUND_S} s")
    return ids


def read_load(cluster: Cluster, paths: list[str], stop: threading.Event, counts: dict) -> None:
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        try:
            status, _, _ = call("GET", f"{cluster.proxy}{path}")
        except (OSError, http.client.HTTPException) as exc:  # no answer, or a cut one
            status = repr(exc)
        with counts["lock"]:
            counts["requests"] += 1
            if status != 200:
                counts["failed"] += 1
                counts["examples"].append(f"{path}: {status}")


def check_replica_kill(cluster: Cluster, ids: list[str], failures: list[str]) -> None:
    paths = ["/v1/agreements?limit=5", "/v1/search?q=trade", "/v1/dataset"] + [
        f"/v1/agreements/{i}" for i in ids[:20]
    ]
    counts = {"lock": threading.Lock(), "requests": 0, "failed": 0, "examples": []}
    stop = threading.Event()
    readers = [
        threading.Thread(target=read_load, args=(cluster, paths, stop, counts)) for _ in range(4)
    ]
    for thread in readers:
        thread.start()
    try:
        time.sleep(1.0)
        victim = cluster.replicas[0]
        victim.kill(signal.SIGKILL)
        time.sleep(1.5)
        victim.start()
        try:
            ready = victim.wait_ready(timeout=30)
        except TimeoutError as exc:
            failures.append(str(exc))
            ready = float("inf")
        time.sleep(1.5)  # haproxy takes it back; reads go on across it
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    print(
        f"replica killed (SIGKILL) under read load: {counts['failed']} of "
        f"{counts['requests']} client requests failed; restarted, ready in {ready:.2f} s"
    )
    if counts["failed"]:
        failures.append(f"{counts['failed']} failed reads: {counts['examples'][:3]}")
    if ready > 5:
        failures.append(f"the restarted replica took {ready:.2f} s to be ready (> 5 s)")


def check_primary_kill(cluster: Cluster, token: str, failures: list[str]) -> None:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    acked: list[str] = []
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            word = f"lost{n}x{secrets.token_hex(3)}"
            try:
                status, got, _ = call(
                    "POST", f"{cluster.primary.base}/v1/agreements", agreement(word), auth
                )
            except OSError:
                continue
            if status == 201:
                acked.append(got["Location"].rsplit("/", 1)[1])

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(2.0)
    cluster.primary.kill(signal.SIGKILL)
    stop.set()
    writer.join()
    time.sleep(2.0)  # whatever reached the replica store has been applied by now

    def missing() -> dict[str, int]:
        return {
            r.name: sum(
                call("GET", f"{r.base}/v1/agreements/{i}")[0] != 200 for i in acked
            )
            for r in cluster.replicas
        }

    lost = missing()
    print(
        f"primary killed (SIGKILL) during writes: {len(acked)} acknowledged, not on the "
        f"replicas while it was down: {lost}"
    )
    if not acked:
        failures.append("no write was acknowledged before the primary was killed")
    cluster.primary.start()
    cluster.primary.wait_ready()
    started = time.monotonic()
    while any(missing().values()) and time.monotonic() - started < 10:
        time.sleep(0.2)
    after = missing()
    print(
        f"primary restarted on its disk: not on the replicas {time.monotonic() - started:.1f} s "
        f"later: {after}"
    )
    if any(after.values()):
        failures.append(f"writes acknowledged before the kill never reached replicas: {after}")


def check_rebuild(cluster: Cluster, fixtures: Path, ids: list[str], failures: list[str]) -> None:
    before = {r.name: call("GET", f"{r.base}/readyz")[2]["dataset_version"]
              for r in cluster.replicas}  # fmt: skip
    started = time.monotonic()
    print(cluster.rebuild(fixtures))
    expected = call("GET", f"{cluster.primary.base}/readyz")[2]["dataset_version"]
    for replica in cluster.replicas:
        version = None
        while time.monotonic() - started < 30:
            status, _, body = call("GET", f"{replica.base}/readyz")
            version = body.get("dataset_version") if body else None
            if status == 200 and version == expected:
                break
            time.sleep(0.1)
        gone = call("GET", f"{replica.base}/v1/agreements/{ids[0]}")[0]
        print(
            f"{replica.name} after the rebuild: dataset {before[replica.name]} -> {version} "
            f"(primary {expected}) in {time.monotonic() - started:.1f} s; a record written "
            f"before the rebuild answers {gone}"
        )
        if version != expected or version == before[replica.name]:
            failures.append(f"{replica.name} did not follow the rebuild ({version})")
        if gone != 404:
            failures.append(f"{replica.name} still serves {ids[0]} after the rebuild")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--port", type=int, default=18100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="briefs-cluster-"))
    # The cluster starts from the fixtures less one commentary record; the rebuild
    # uses them all, so the dataset version the replicas report must change.
    first = folder / "fixtures"
    shutil.copytree(ROOT / "fixtures", first)
    commentary = json.loads((first / "commentary.json").read_text())
    (first / "commentary.json").write_text(json.dumps(commentary[:-1], indent=2))
    cluster = Cluster(folder, args.port)
    failures: list[str] = []
    started = time.monotonic()
    try:
        cluster.build(first)
        token = cluster.token()
        cluster.start()
        print(f"cluster ready in {time.monotonic() - started:.1f} s ({folder})")
        ids = check_writes(cluster, token, args.writes, failures)
        check_replica_kill(cluster, ids, failures)
        check_primary_kill(cluster, token, failures)
        check_rebuild(cluster, ROOT / "fixtures", ids, failures)
    except Exception as exc:  # a crash is a failed check, with the logs kept
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        cluster.stop()
    print(f"{time.monotonic() - started:.0f} s in all")
    for failure in failures:
        print(f"FAILED: {failure}")
    if failures:
        print(f"kept {folder} for inspection")
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    print("test-cluster: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
