"""Intake never takes the read API down: `briefs serve` runs gunicorn and the worker as real
processes on 127.0.0.1, supervised apart.

Two 1 MB HTML pages posted while reads run: every read answers within a second and no
web worker is killed (the pages are read by the worker, bounded in time). The worker
killed with SIGKILL: reads go on, and it comes back by itself; gunicorn killed: it comes
back by itself (reads wait in the socket's backlog meanwhile, none refused), and the
worker keeps its place.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from api.store.tokens import Tokens
from tests.helpers import ROOT, Readers, article, call, children, free_port

pytestmark = pytest.mark.slow
READ_LIMIT_S = 1.0


class Service:
    """`briefs serve` on a free port over a private copy of the database."""

    def __init__(self, db_path: Path, folder: Path, **env: str) -> None:
        self.db = folder / "briefs.db"
        shutil.copy(db_path, self.db)
        _, self.token = Tokens(folder / "auth.db").create("intake", ["documents", "drafts"])
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "serve.log"
        self.env = {
            **os.environ,
            "BRIEFS_DB": str(self.db),
            "BRIEFS_AUTH_DB": str(folder / "auth.db"),
            "BRIEFS_BIND": f"127.0.0.1:{self.port}",
            "BRIEFS_WORKERS": "2",
            "BRIEFS_ACCESS_LOG": "0",
            "BRIEFS_WRITE_RATE_LIMIT": "100000/minute",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Service:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait(lambda: (self.ready() or {}).get("intake", {}).get("worker") == "running", 90)
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def api(self, method: str, path: str, body=None, timeout: float = 30):
        headers = {"Authorization": f"Bearer {self.token}"}
        return call(method, self.base + path, body, headers, timeout=timeout)

    def ready(self) -> dict | None:
        try:
            status, _, body = call("GET", self.base + "/readyz", timeout=2)
        except OSError:
            return None
        return body if status == 200 else None

    def wait(self, predicate, seconds: float, what: str = "the service"):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = predicate()
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"{what} timed out: {self.log.read_text(errors='replace')[-3000:]}")

    def child(self, name: str) -> psutil.Process | None:
        """The running child whose command line names ``name`` (gunicorn, worker)."""
        for pid in children(self.process.pid):
            try:
                process = psutil.Process(pid)
                if process.status() != psutil.STATUS_ZOMBIE and name in " ".join(process.cmdline()):
                    return process
            except psutil.Error:
                continue
        return None

    def restarted(self, name: str, before: psutil.Process) -> psutil.Process | None:
        now = self.child(name)
        return now if now is not None and now.pid != before.pid else None


def hostile_page(size: int = 990_000) -> str:
    """About a megabyte of `<p>a`: trafilatura needs minutes for it."""
    return "<html><body>" + "<p>a" * ((size - 30) // 4) + "</body></html>"


def test_two_1mb_pages_while_reads_run_no_read_waits_a_second_no_worker_is_killed(
    db_path, tmp_path
):
    with Service(db_path, tmp_path, BRIEFS_PAGE_SECONDS="3") as service:
        gunicorn = service.child("gunicorn")
        web_workers = sorted(c.pid for c in gunicorn.children())
        assert len(web_workers) == 2
        with Readers(service.base) as readers:
            time.sleep(1)
            jobs = []
            for n in range(2):
                body = {**article(), "title": f"A hostile page {n}", "html": hostile_page()}
                del body["text"]
                status, headers, job = service.api("POST", "/v1/documents", body)
                assert status == 202, job
                assert headers["Location"] == f"/v1/jobs/{job['id']}"
                jobs.append(job["id"])
                time.sleep(1)

            def ended():
                found = [service.api("GET", f"/v1/jobs/{j}")[2] for j in jobs]
                return found if all(j["state"] == "failed" for j in found) else None

            # each page is killed at 3 s, tried once more: about 12 s of the worker's time
            failed = service.wait(ended, 60, "the two page jobs")
        for job in failed:
            assert job["problem"]["status"] == 422
            assert "time limit of 3 s" in job["problem"]["detail"], job
        slow = [r for r in readers.results if r[0] > READ_LIMIT_S or r[1] != 200]
        assert len(readers.results) > 100
        assert not slow, slow[:10]
        assert sorted(c.pid for c in gunicorn.children()) == web_workers  # none was killed
        assert service.ready()["intake"]["killed"] >= 0


def test_the_worker_and_the_web_server_each_come_back_without_the_other(db_path, tmp_path):
    with Service(db_path, tmp_path) as service:
        worker = service.child("worker")
        gunicorn = service.child("gunicorn")
        with Readers(service.base, threads=2) as readers:
            time.sleep(0.5)
            worker.send_signal(signal.SIGKILL)
            service.wait(lambda: service.restarted("worker", worker), 30, "the worker's restart")
            time.sleep(1)
        assert readers.results and all(r[1] == 200 for r in readers.results), [
            r for r in readers.results if r[1] != 200
        ][:5]
        assert gunicorn.is_running()  # the web server never stopped
        restarted = service.wait(
            lambda: (service.ready() or {}).get("intake", {}).get("worker") == "running",
            90,
            "the restarted worker's heartbeat",
        )
        assert restarted
        # and a job queued now is done by the new worker
        status, _, document = service.api("POST", "/v1/documents", article())
        assert status == 201, document
        status, _, job = service.api("POST", f"/v1/documents/{document['id']}/extract")
        assert status == 202
        status, _, again = service.api("POST", f"/v1/documents/{document['id']}/extract")
        assert status == 202 and again["id"] == job["id"]  # one open job per document

        def done():
            found = service.api("GET", f"/v1/jobs/{job['id']}")[2]
            return found if found["state"] in ("done", "failed") else None

        assert service.wait(done, 90, "the extraction")["state"] == "done"

        # gunicorn killed: the supervisor holds the socket, so reads wait, none is refused
        worker = service.child("worker")
        with Readers(service.base, threads=2) as readers:
            time.sleep(0.5)
            gunicorn.send_signal(signal.SIGKILL)
            service.wait(lambda: service.restarted("gunicorn", gunicorn), 30, "gunicorn's restart")
            service.wait(service.ready, 60, "readiness after gunicorn's restart")
            time.sleep(0.5)
        failed = [r for r in readers.results if r[1] != 200]
        assert len(readers.results) > 10
        assert not [r for r in failed if "Refused" in str(r[1])], failed[:5]  # none refused
        assert not [r for r in failed if isinstance(r[1], int)], failed[:5]  # nor answered
        # a request the killed server's worker had taken as it shut down may be reset (seen
        # once in several runs on two busy cores); more than that is a failure
        assert len(failed) <= 1, failed[:5]
        assert service.child("worker").pid == worker.pid  # the worker kept running
