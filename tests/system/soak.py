"""A soak run: writers, readers, a refused build, killed workers, then a full check.

``python -m tests.system.soak --seconds 300`` (``make soak``) serves a fresh database
with the project's gunicorn config on 127.0.0.1 and, for the given time:

- writers POST agreements (each with an Idempotency-Key, retried with the same
  key after any failure) and PATCH their own records (If-Match, retried);
- readers list, read, search and follow the change feed;
- ``briefs build`` (without --force) runs now and then and must refuse;
- a worker is killed with SIGKILL now and then, and once the whole server
  (master and workers) is killed and started again.

Then it checks: every acknowledged create is present exactly once, with the
value of its last acknowledged PATCH; the change feed is gap-free and
monotonic and holds one create per record; search finds every record; no
answer was a 5xx; ``PRAGMA integrity_check`` is ok. It prints the counts and
exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from deploy.servers import GUNICORN, ROOT, Server, call, children, free_port

DOCUMENT = "pakistan-russia-relations-a-new-beginning"
QUOTE = "The annual trade turnover is a pitiful $700 million."
START = 2711
BRIEFS = str(Path(sys.executable).with_name("briefs"))  # the command of this environment


class Soaked(Server):
    """gunicorn with the project's config, as ``briefs serve`` runs it; its workers killable."""

    def start(self) -> None:
        super().start()
        self.wait_ready()

    def kill_worker(self) -> bool:
        workers = children(self.process.pid)
        if not workers:
            return False
        try:
            os.kill(random.choice(workers), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill_all(self) -> None:
        """SIGKILL the master and its workers, as a crash or an OOM kill would."""
        self.kill()


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.server_errors: list[str] = []

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.counts[name] += n




class Writer(threading.Thread):
    """POSTs agreements and PATCHes its own, retrying until each is acknowledged."""

    def __init__(self, number: int, base, token: str, stop, stats: Stats) -> None:
        super().__init__(daemon=True)
        self.number, self.base, self.stop, self.stats = number, base, stop, stats
        self.auth = {"Authorization": f"Bearer {token}"}
        self.acked: dict[str, str] = {}  # record id -> its last acknowledged summary
        self.words: dict[str, str] = {}  # record id -> the word only it holds
        self.attempted: list[str] = []  # titles of every create tried

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            if self.acked and random.random() < 0.4:
                self.patch(random.choice(list(self.acked)))
            else:
                self.create(n)

    def _retrying(self, attempt) -> bool:
        """Call ``attempt`` until it returns True; False when the run ends first."""
        delay = 0.05
        while True:
            try:
                if attempt():
                    return True
            except OSError:
                self.stats.add("writes retried after no answer")
            if self.stop.is_set() and self.stats.counts["stopping"]:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def create(self, n: int) -> None:
        word = f"soak{self.number}x{n}y{secrets.token_hex(3)}"
        title = f"Soak agreement {self.number} {n} {word}"
        self.attempted.append(title)
        body = {
            "title": title,
            "kind": "agreement",
            "status": "proposed",
            "countries": ["PK", "RU"],
            "date": "2010-11",
            "sector": "trade",
            "summary": f"First version of {word}.",
            "sources": [{"document": DOCUMENT, "quote": QUOTE, "start": START,
                         "end": START + len(QUOTE)}],
        }  # fmt: skip
        headers = {**self.auth, "Content-Type": "application/json",
                   "Idempotency-Key": f"soak-{self.number}-{n}"}  # fmt: skip

        def attempt() -> bool:
            status, got, parsed = call("POST", f"{self.base}/v1/agreements", body, headers)
            if status == 201:
                record_id = got["Location"].rsplit("/", 1)[1]
                self.acked[record_id] = body["summary"]
                self.words[record_id] = word
                self.stats.add("creates acknowledged")
                if got.get("Idempotent-Replayed"):
                    self.stats.add("creates replayed after a lost answer")
                return True
            self._unexpected("POST", status, parsed)
            return False

        self._retrying(attempt)

    def patch(self, record_id: str) -> None:
        summary = f"Version {secrets.token_hex(4)} of {self.words[record_id]}."
        url = f"{self.base}/v1/agreements/{record_id}"

        def attempt() -> bool:
            status, got, parsed = call("GET", url)
            if status != 200:
                self._unexpected("GET", status, parsed)
                return False
            if parsed["summary"] == summary:  # an earlier attempt landed
                self.acked[record_id] = summary
                self.stats.add("patches acknowledged")
                return True
            headers = {**self.auth, "Content-Type": "application/merge-patch+json",
                       "If-Match": got["ETag"]}  # fmt: skip
            status, _, parsed = call("PATCH", url, {"summary": summary}, headers)
            if status == 200:
                self.acked[record_id] = summary
                self.stats.add("patches acknowledged")
                return True
            if status != 412:  # 412: changed meanwhile (a lost answer's write): read again
                self._unexpected("PATCH", status, parsed)
            return False

        self._retrying(attempt)

    def _unexpected(self, method: str, status: int, parsed) -> None:
        if status >= 500:
            self.stats.add(f"{method} answered {status}")
            with self.stats.lock:
                self.stats.server_errors.append(f"{method} {status} {parsed}")
        elif status == 409:
            self.stats.add("creates in flight elsewhere (409), retried")
        else:
            self.stats.add(f"{method} answered {status}")


class Reader(threading.Thread):
    def __init__(self, base, writers, stop, stats: Stats) -> None:
        super().__init__(daemon=True)
        self.base, self.writers, self.stop, self.stats = base, writers, stop, stats

    def run(self) -> None:
        since = 0
        while not self.stop.is_set():
            ids = [i for w in self.writers for i in list(w.acked)]
            urls = [
                "/v1/agreements?limit=20",
                "/v1/search?q=soak&limit=10",
                f"/v1/changes?since={since}&limit=100",
                "/v1/dataset",
            ]
            if ids:
                urls.append(f"/v1/agreements/{random.choice(ids)}")
            url = random.choice(urls)
            try:
                status, _, parsed = call("GET", self.base + url)
            except OSError:
                self.stats.add("reads without an answer (killed worker)")
                time.sleep(0.1)
                continue
            if status >= 500:
                self.stats.add(f"reads answered {status}")
                with self.stats.lock:
                    self.stats.server_errors.append(f"GET {url} {status} {parsed}")
            else:
                self.stats.add("reads answered")
            if url.startswith("/v1/changes") and status == 200 and parsed["items"]:
                since = parsed["items"][-1]["seq"]
            time.sleep(0.005)


def refused_build(db: Path, stats: Stats) -> None:
    result = subprocess.run(
        [BRIEFS, "build", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode == 1 and "fixtures/ does not have" in result.stderr:
        stats.add("builds refused")
    else:
        stats.add("builds NOT refused")
        with stats.lock:
            stats.server_errors.append(f"build: {result.returncode} {result.stderr[-500:]}")


def check(server: Server, db: Path, writers: list[Writer], stats: Stats) -> list[str]:
    """Everything that must hold after the run; the failures, named."""
    failures = []
    base = server.base
    # The change feed, paged from the start.
    seqs, creates = [], Counter()
    since = 0
    while True:
        status, _, page = call("GET", f"{base}/v1/changes?since={since}&limit=500", timeout=60)
        if status != 200:
            failures.append(f"change feed answered {status}")
            break
        for item in page["items"]:
            seqs.append(item["seq"])
            if item["action"] == "create":
                creates[item["id"]] += 1
        if not page["next_cursor"]:
            break
        since = int(page["next_cursor"])
    if seqs != sorted(set(seqs)):
        failures.append("change feed numbers are not strictly increasing")
    if seqs and seqs != list(range(seqs[0], seqs[0] + len(seqs))):
        failures.append("change feed has gaps")
    stats.counts["changes in the feed"] = len(seqs)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
        if integrity != "ok":
            failures.append(f"integrity_check: {integrity}")
        titles = Counter(
            t for (t,) in conn.execute("SELECT title FROM agreements WHERE title LIKE 'Soak %'")
        )
    finally:
        conn.close()
    acked = {i: (w, v) for w in writers for i, v in w.acked.items()}
    stats.counts["records checked"] = len(acked)
    attempted = [t for w in writers for t in w.attempted]
    duplicated = [t for t in attempted if titles[t] > 1]
    if duplicated:
        failures.append(f"{len(duplicated)} record(s) stored more than once: {duplicated[:3]}")
    extra = sum(titles.values()) - len(acked)
    stats.counts["records stored without an acknowledgement (answer lost at the end)"] = extra
    from api.store.connections import open_readonly
    from api.store.reads import Store

    data = Store(open_readonly(db))
    stored = {
        record_id: json.loads(body)["summary"]
        for record_id, body in data.conn.execute(
            "SELECT id, json FROM agreements WHERE title LIKE 'Soak %'"
        )
    }
    if data.fulltext_applied() != data.last_change():
        failures.append("the full-text index is behind the change feed")
    for record_id, (writer, summary) in sorted(acked.items()):
        if record_id not in stored:
            failures.append(f"acknowledged {record_id} is missing")
            continue
        if stored[record_id] != summary:
            failures.append(f"{record_id} lost its last acknowledged PATCH")
        if creates[record_id] != 1:
            failures.append(f"{record_id} has {creates[record_id]} creates in the feed")
        hits, _ = data.search([writer.words[record_id]], ["agreement"], 5)
        if [h[1] for h in hits] != [record_id]:
            failures.append(f"search does not find {record_id} alone")
    sample = random.sample(sorted(acked), min(50, len(acked)))
    for record_id in sample:  # and through the API, as a client sees it
        status, _, record = call("GET", f"{base}/v1/agreements/{record_id}", timeout=30)
        if status != 200 or record["summary"] != acked[record_id][1]:
            failures.append(f"GET {record_id} answers {status} with another summary")
    data.conn.close()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--kill-every", type=float, default=15)
    parser.add_argument("--build-every", type=float, default=60)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="briefs-soak-"))
    db = folder / "briefs.db"
    env = {
        **os.environ,
        "BRIEFS_DB": str(db),
        "BRIEFS_AUTH_DB": str(folder / "auth.db"),
        "BRIEFS_WRITE_RATE_LIMIT": "1000000/minute",
        "BRIEFS_ACCESS_LOG": "false",
    }
    subprocess.run([BRIEFS, "build", "--db", str(db)], cwd=ROOT, check=True, capture_output=True)
    token = subprocess.run(
        [BRIEFS, "token", "create", "--name", "soak"],
        cwd=ROOT, check=True, capture_output=True, text=True, env=env,
    ).stdout.split()[-1]  # fmt: skip
    port = free_port()
    server = Soaked(
        GUNICORN,
        {**env, "BRIEFS_BIND": f"127.0.0.1:{port}"},
        folder / "gunicorn.log",
        port=port,
        ready="/healthz",
    )
    stats = Stats()
    stop = threading.Event()
    started = time.monotonic()
    server.start()
    try:
        writers = [Writer(n, server.base, token, stop, stats) for n in range(args.writers)]
        readers = [Reader(server.base, writers, stop, stats) for _ in range(args.readers)]
        for thread in writers + readers:
            thread.start()
        end = started + args.seconds
        next_kill = time.monotonic() + args.kill_every
        next_build = time.monotonic() + min(args.build_every, args.seconds / 3)
        restart_at = started + args.seconds / 2
        restarted = False
        while time.monotonic() < end:
            now = time.monotonic()
            if not restarted and now >= restart_at:
                server.kill_all()
                stats.add("server killed (SIGKILL) and restarted")
                server.start()
                restarted = True
            elif now >= next_kill:
                if server.kill_worker():
                    stats.add("workers killed (SIGKILL)")
                next_kill = now + args.kill_every
            elif now >= next_build:
                refused_build(db, stats)
                next_build = time.monotonic() + args.build_every
            time.sleep(0.1)
        stats.add("stopping")
        stop.set()
        for thread in writers + readers:
            thread.join(timeout=60)
        stats.counts["seconds of load"] = round(time.monotonic() - started)
        failures = check(server, db, writers, stats)
    finally:
        stop.set()
        server.stop()
    if stats.server_errors:
        failures.append(f"{len(stats.server_errors)} server error(s): {stats.server_errors[:3]}")
    if stats.counts["builds refused"] == 0 or stats.counts["builds NOT refused"]:
        failures.append("briefs build was not refused every time")
    for name, value in sorted(stats.counts.items()):
        if name != "stopping":
            print(f"{value:>8}  {name}")
    for failure in failures:
        print(f"FAILED: {failure}")
    print("soak: ok" if not failures else f"soak: {len(failures)} check(s) failed")
    if not failures:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"kept {folder} for inspection")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
