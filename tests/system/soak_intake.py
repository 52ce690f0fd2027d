"""Intake soak: a feed server on 127.0.0.1 publishing entries, some hostile, while readers
read the API; the worker is killed with SIGKILL twice and the web server once.

    python -m tests.system.soak_intake --seconds 300 --entries 200   (make soak-intake)

`briefs serve` runs gunicorn and the worker as real processes. The feed publishes its
entries over the first half of the run: ordinary stories, some reprinted by another
site (near-duplicate text), some twice (the same URL under another id, the same text at
another URL), and hostile ones (huge, endless, slow, broken HTML). At the end the report
says: entries stored (each exactly once), reprints recognised, jobs done and failed
(each failed one with a problem), reads failed (goal 0), the read p99 during intake, and
each process's peak memory. Exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import orjson
import psutil

from api.build.database import build
from api.curation.tasks import intake_file
from api.processes import pid_alive
from api.store.connections import open_readonly, sqlite3
from api.store.tokens import Tokens
from deploy.servers import ROOT, call, children, free_port
from tests.helpers import Readers
from tests.system.pages import Site, article_page, rss

WORDS = (
    "minister ambassador treaty talks summit border trade gas pipeline loan bank port "
    "railway highway grain wheat fisheries patrol navy army drill exercise visa students "
    "embassy consulate envoy delegation council parliament president premier chancellor "
    "election sanctions tariff quota dam river water power grid solar wind refinery oil "
    "copper lithium mine harbour airport corridor customs investment fund bond currency "
    "inflation budget deficit aid relief flood drought harvest festival museum archive "
    "bronze statue return heritage cable satellite launch rocket vaccine clinic hospital "
    "school university scholarship exchange memorandum accord pact alliance dialogue"
).split()
CAPITALS = ["Nairobi", "Tokyo", "Astana", "Baku", "Lima", "Santiago", "Hanoi", "Seoul",
            "Canberra", "Abuja", "Cairo", "Addis Ababa", "Brasilia", "Delhi"]  # fmt: skip


def story(n: int) -> tuple[str, list[str]]:
    """A title and paragraphs of its own (random words: no two stories alike)."""
    rng = random.Random(n)
    a, b = rng.sample(CAPITALS, 2)
    title = f"{a} and {b} talk {rng.choice(WORDS)} in story {n}"
    paragraphs = []
    for _ in range(4):
        sentences = []
        for _ in range(3):
            words = [rng.choice(WORDS) for _ in range(rng.randint(12, 20))]
            sentences.append(f"{rng.choice(CAPITALS)} said the " + " ".join(words) + ".")
        paragraphs.append(" ".join(sentences))
    return title, paragraphs


class Plan:
    """What the feed publishes, and what each entry should become."""

    def __init__(self, site: Site, entries: int) -> None:
        self.site, self.items, self.expect = site, [], Counter()
        self.unique: set[str] = set()  # URLs that must each be one document
        last = 0  # the latest ordinary story: what the reprints and duplicates repeat
        for n in range(entries):
            kind = self._kind(n)
            title, paragraphs = story(n)
            path, url = f"/news/{n}", site.url(f"/news/{n}")
            if kind == "story":
                site.page(path, article_page(title, paragraphs))
                self.unique.add(url)
                last = n
            elif kind == "reprint":  # another site's copy of the latest story
                t, p = story(last)
                site.page(path, article_page(t, ["From the wire:", *p, "(Reprinted.)"]))
            elif kind == "same-url":  # the latest story again, under another id
                url = site.url(f"/news/{last}")
            elif kind == "same-text":  # the latest story's page at another address
                site.page(path, article_page(*story(last)))
            elif kind == "huge":
                site.page(path, article_page(title, ["word " * 300_000]))
            elif kind == "endless":
                site.page(path, "", behaviour="endless")
            elif kind == "slow":
                site.page(path, article_page(title, paragraphs), behaviour="slow")
            elif kind == "broken":
                site.page(path, "<html><body><div><p>Menu<p>Home</div>" + "<b>" * 500)
            self.expect[kind] += 1
            self.items.append({"title": title, "link": url, "guid": f"urn:soak:{n}"})

    @staticmethod
    def _kind(n: int) -> str:
        """One entry in ten repeats a story (a reprint, the same URL, the same text); about
        one in six is hostile; the first is a story."""
        if n == 0:
            return "story"
        if n % 10 == 0:
            return "reprint" if n % 20 == 0 else "same-url"
        if n % 10 == 5:
            return "same-text"
        hostile = {13: "huge", 17: "broken", 23: "endless", 29: "slow"}
        for every, kind in hostile.items():
            if n % every == 0:
                return kind
        return "story"

    def publish(self, count: int) -> None:
        shown = list(reversed(self.items[:count]))  # newest first, as feeds are
        self.site.page("/feed.xml", rss("Soak Wire", shown), content_type="application/rss+xml")


class Memory:
    """Peak RSS of each role: the supervisor, gunicorn's master and workers, the worker and
    its job processes."""

    def __init__(self, serve: subprocess.Popen) -> None:
        self.serve, self.peaks, self.stop = serve, Counter(), threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _role(self, process: psutil.Process) -> str:
        line = " ".join(process.cmdline())
        parent = process.parent()
        parent_line = " ".join(parent.cmdline()) if parent else ""
        if "gunicorn" in line:
            return "gunicorn master" if parent and parent.pid == self.serve.pid else "web worker"
        if "api.cli worker" in line or "api.cli worker" in parent_line:
            return "worker" if parent and parent.pid == self.serve.pid else "job process"
        return "other"

    def _watch(self) -> None:
        while not self.stop.is_set():
            try:
                tree = [psutil.Process(self.serve.pid)]
                tree += tree[0].children(recursive=True)
                for process in tree:
                    role = "briefs serve" if process.pid == self.serve.pid else self._role(process)
                    self.peaks[role] = max(self.peaks[role], process.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.25)


def child(serve: subprocess.Popen, name: str) -> psutil.Process | None:
    for pid in children(serve.pid):
        try:
            process = psutil.Process(pid)
            if process.status() != psutil.STATUS_ZOMBIE and name in " ".join(process.cmdline()):
                return process
        except psutil.Error:
            continue
    return None


def run(seconds: float, entries: int, readers: int, folder: Path) -> int:
    db = folder / "briefs.db"
    build(ROOT / "seeds", ROOT / "fixtures", db)
    _, token = Tokens(folder / "auth.db").create("soak", ("feeds", "drafts", "documents"))
    auth = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BRIEFS_DB": str(db),
        "BRIEFS_AUTH_DB": str(folder / "auth.db"),
        "BRIEFS_BIND": f"127.0.0.1:{port}",
        "BRIEFS_WORKERS": "2",
        "BRIEFS_ACCESS_LOG": "0",
        "BRIEFS_FETCH_PRIVATE": "1",
        "BRIEFS_FETCH_SECONDS": "3",
        "BRIEFS_PAGE_SECONDS": "5",
        "BRIEFS_QUEUE_LIMIT": "1000",
        "BRIEFS_WRITE_RATE_LIMIT": "100000/minute",
    }
    log = folder / "serve.log"
    failures: list[str] = []
    with Site() as site, log.open("ab") as out:
        plan = Plan(site, entries)
        plan.publish(max(1, entries // 4))
        serve = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        memory = Memory(serve)
        memory.thread.start()
        reading = Readers(base, readers, timeout=15)
        try:
            _wait(lambda: _intake(base), 120, "the worker's first heartbeat", log)
            for thread in reading.threads:
                thread.start()
            status, _, feed = call(
                "POST", base + "/v1/feeds", {"url": site.url("/feed.xml"), "every": "10s"}, auth
            )
            if status != 201:
                raise SystemExit(f"the feed was not added: {status} {feed}")
            started = time.monotonic()
            kills = {0.3: "worker", 0.45: "gunicorn", 0.6: "worker"}
            killed = Counter()
            while time.monotonic() - started < seconds:
                share = (time.monotonic() - started) / seconds
                plan.publish(max(1, int(entries * min(1.0, 0.25 + share * 1.5))))
                for at, name in list(kills.items()):
                    if share >= at:
                        process = child(serve, name)
                        if process is not None:
                            process.send_signal(signal.SIGKILL)
                            killed[name] += 1
                        del kills[at]
                if share > 0.7 and _settled(base, auth, feed["id"], entries):
                    break
                time.sleep(0.5)
            settle = time.monotonic() + max(60.0, seconds / 2)  # the line drains
            while not _settled(base, auth, feed["id"], entries) and time.monotonic() < settle:
                time.sleep(1)
            took = time.monotonic() - started
            print(f"intake ran {took:.0f} s")
            report = _report(base, auth, db, feed["id"], plan, reading, memory, killed, log)
        finally:
            reading.stop.set()
            for thread in reading.threads:
                if thread.is_alive():
                    thread.join()
            memory.stop.set()
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait()
    failures += report
    print("soak-intake: ok" if not failures else "soak-intake: FAILED")
    for failure in failures:
        print(f"  {failure}")
    return 1 if failures else 0


def _intake(base: str) -> bool:
    try:
        status, _, body = call("GET", base + "/readyz", timeout=2)
    except OSError:
        return False
    return status == 200 and (body.get("intake") or {}).get("worker") == "running"


def _wait(predicate, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come: {log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def _settled(base: str, auth: dict, feed_id: str, entries: int) -> bool:
    """Every entry seen and decided, and the line empty."""
    try:
        _, _, feed = call("GET", f"{base}/v1/feeds/{feed_id}", headers=auth, timeout=5)
        _, _, ready = call("GET", base + "/readyz", timeout=5)
    except OSError:
        return False
    counts = (feed or {}).get("entries") or {}
    intake = (ready or {}).get("intake") or {}
    seen = sum(counts.values())
    return (
        seen >= entries
        and counts.get("queued", 1) == 0
        and intake.get("queued", 1) == 0
        and intake.get("running", 1) == 0
    )


def _report(base, auth, db, feed_id, plan, reading, memory, killed, log) -> list[str]:
    failures = []
    _, _, feed = call("GET", f"{base}/v1/feeds/{feed_id}", headers=auth, timeout=10)
    conn = open_readonly(db)
    try:
        urls = Counter(
            row[0]
            for row in conn.execute(
                "SELECT json_extract(CAST(json AS TEXT), '$.url') FROM documents"
            )
            if row[0] and row[0].startswith(plan.site.base)
        )
        jobs = Counter(row[0] for row in conn.execute("SELECT state FROM jobs"))
        unexplained = conn.execute(
            "SELECT count(*) FROM jobs WHERE state = 'failed' AND "
            "json_extract(CAST(json AS TEXT), '$.problem.detail') IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    counts = feed["entries"]
    times = sorted(t for t, _, _ in reading.results)
    failed_reads = [s for _, s, _ in reading.results if s != 200]
    p99 = times[int(len(times) * 0.99) - 1] if times else float("nan")
    twice = [u for u, n in urls.items() if n > 1]
    missing = sorted(plan.unique - set(urls))
    lines = [
        f"{sum(plan.expect.values())} entries published: "
        + ", ".join(f"{n} {k}" for k, n in sorted(plan.expect.items())),
        f"{counts['stored']} entries stored ({len(urls)} documents from the site, "
        f"{len(twice)} stored twice, {len(missing)} stories missing)",
        f"{counts['reprint']} reprints recognised (of {plan.expect['reprint']} published)",
        f"{counts['duplicate']} duplicates skipped, {counts['failed']} entries failed, "
        f"{counts['queued']} still queued",
        f"{jobs['done']} jobs done, {jobs['failed']} failed ({unexplained} without a problem), "
        f"{jobs['queued'] + jobs['running']} open",
        f"{len(reading.results)} reads ({reading.retried} sent again after a reset), "
        f"{len(failed_reads)} failed "
        f"({Counter(failed_reads).most_common(3)}), p50 {times[len(times) // 2] * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms",
        f"killed with SIGKILL: {dict(killed)}",
        "peak memory: "
        + ", ".join(
            f"{role} {rss / 2**20:.0f} MB" for role, rss in memory.peaks.most_common() if rss
        ),
    ]
    for line in lines:
        print(line)
    if twice:
        failures.append(f"stored twice: {twice[:5]}")
    if missing:
        failures.append(f"stories never stored: {missing[:5]}")
    if counts["reprint"] < plan.expect["reprint"]:
        failures.append("a reprint was not recognised")
    if unexplained:
        failures.append(f"{unexplained} failed job(s) without a problem")
    if counts["queued"]:
        failures.append(f"{counts['queued']} entries never decided: {_undecided(db)}")
    server_errors = [s for s in failed_reads if isinstance(s, int) and s >= 500]
    if server_errors:
        failures.append(f"{len(server_errors)} read(s) answered a server error")
    if killed["worker"] < 1 or killed["gunicorn"] < 1:
        failures.append(f"the kills did not all happen: {dict(killed)}")
    return failures


def _undecided(db: Path) -> list[str]:
    """Each undecided entry's place in the intake line (its task, or none)."""
    conn = sqlite3.connect(intake_file(db))
    try:
        tasks = {
            orjson.loads(payload)["key"]: (state, attempts, owner, reason)
            for payload, state, attempts, owner, reason in conn.execute(
                "SELECT payload, state, attempts, owner, reason FROM tasks WHERE kind = 'entry'"
            )
        }
        keys = [k for (k,) in conn.execute("SELECT key FROM feed_entries WHERE state = 'queued'")]
    finally:
        conn.close()
    found = []
    for key in keys:
        task = tasks.get(key)
        if task is None:
            found.append(f"{key}: no task")
        else:
            state, attempts, owner, reason = task
            alive = owner is not None and pid_alive(owner)
            found.append(f"{key}: task {state}, tried {attempts}, owner {owner} "
                         f"({'alive' if alive else 'gone'}), {reason}")  # fmt: skip
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="soak-intake-"))
    try:
        return run(args.seconds, args.entries, args.readers, folder)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
