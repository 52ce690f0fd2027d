"""Processes on this machine for the local cluster, the benchmarks and the tests.

One home for what each of them does: start a server in its own session, wait
until it answers, read its process tree (psutil), make an HTTP call and stop it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "api:create_app()"]
PLAIN = urllib.request.build_opener()


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(
    method: str,
    url: str,
    body=None,
    headers: dict | None = None,
    timeout: float = 10.0,
    opener: urllib.request.OpenerDirector = PLAIN,
):
    """(status, headers, parsed JSON, text or None) of one request.

    An error status is an answer like any other; OSError when nothing answered.
    """
    data = None if body is None else json.dumps(body).encode()
    headers = dict(headers or {})
    if data is not None:
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with opener.open(request, timeout=timeout) as response:
            raw, status, got = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, error.headers
    if not raw:
        return status, got, None
    if "json" in got.get("Content-Type", ""):
        try:
            return status, got, json.loads(raw)
        except ValueError:
            return status, got, None
    return status, got, raw.decode("utf-8", "replace")


def answers(url: str, timeout: float = 1.0) -> int | None:
    """The status ``url`` answers with, or None when nothing answers."""
    try:
        return call("GET", url, timeout=timeout)[0]
    except OSError:  # refused, reset or timed out
        return None


def children(pid: int) -> list[int]:
    """The pids of a process's children (gunicorn's workers, ``briefs serve``'s servers)."""
    try:
        return [child.pid for child in psutil.Process(pid).children()]
    except psutil.Error:
        return []


def running(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class Server:
    """A command in its own session (a killed one takes its children along), logged to a file.

    A server on ``port`` serves once ``ready`` answers below 500 (a readiness probe
    answers 503 until it is ready).
    """

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        log: Path,
        port: int | None = None,
        name: str | None = None,
        ready: str = "/readyz",
    ) -> None:
        self.argv, self.env, self.log, self.port, self.ready = argv, env, log, port, ready
        self.name = name or Path(argv[0]).name
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it; its output is appended to the log (never an unread pipe it could fill)."""
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Seconds until ``ready`` answered below 500; RuntimeError (with the log's end) if
        it never did, or the process ended first."""
        started = time.monotonic()
        while (answers(self.base + self.ready) or 500) >= 500:
            if time.monotonic() - started > timeout or self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} on {self.base} did not become ready: "
                    f"{self.log.read_text(errors='replace')[-3000:]}"
                )
            time.sleep(0.1)
        return time.monotonic() - started

    def workers(self) -> list[int]:
        """The pids of its children (gunicorn's workers), or its own when it has none."""
        return children(self.process.pid) or [self.process.pid]

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole session (the process and every child it started), then leave
        nothing of it behind."""
        if self.process is None:
            return
        _signal_group(self.process.pid, sig)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            _signal_group(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if sig != signal.SIGKILL:
            _signal_group(self.process.pid, signal.SIGKILL)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, then SIGKILL for the whole session if it has not ended in ``timeout``."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def gunicorn(db: Path, log: Path, port: int | None = None, **env: str) -> Server:
    """``gunicorn 'api:create_app()'`` with the project's config over ``db`` (not started)."""
    port = port or free_port()
    settings = {**os.environ, "BRIEFS_DB": str(db), "BRIEFS_BIND": f"127.0.0.1:{port}", **env}
    return Server(GUNICORN, settings, log, port=port, name="gunicorn")
