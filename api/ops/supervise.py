"""Run a few processes as one service, each supervised apart, and the socket they serve.

Each process is restarted on its own when it exits, after a back-off that
doubles from BACKOFF_S to BACKOFF_MAX_S (and starts over once it has run
STABLE_S); the others keep running. A stop signal (SIGTERM, SIGINT) stops
them all. So the extraction worker killed by the OOM killer never takes the
web server with it, and a web server that dies comes back on its own. ``listen`` opens the web
server's socket here, in the supervisor, so that it outlives the server:
while gunicorn restarts, connections wait in its backlog instead of being
refused.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

STOP_GRACE_S = 25.0  # gunicorn's graceful_timeout is 20 s
BACKOFF_S = 0.5
BACKOFF_MAX_S = 30.0
STABLE_S = 60.0  # a process that ran this long restarts at once after an exit
POLL_S = 0.2


@dataclass
class Supervised:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    backoff: float = BACKOFF_S
    restart_at: float | None = None
    restarts: int = field(default=0)
    pass_fds: tuple[int, ...] = ()

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, pass_fds=self.pass_fds)
        self.started = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Restart it when it has ended and its back-off has passed."""
        if self.process is not None and self.process.poll() is None:
            return
        if self.restart_at is None:
            status = self.process.returncode if self.process else None
            ran = now - self.started
            if ran >= STABLE_S:
                self.backoff = BACKOFF_S
            delay = self.backoff
            self.backoff = min(self.backoff * 2, BACKOFF_MAX_S)
            self.restart_at = now + delay
            _say(
                f"{self.name} exited with status {status} after {ran:.1f} s; "
                f"restarting in {delay:g} s"
            )
            return
        if now >= self.restart_at:
            self.restarts += 1
            self.start()
            _say(f"{self.name} restarted (pid {self.process.pid})")


def _say(message: str) -> None:
    print(f"[briefs serve] {message}", file=sys.stderr, flush=True)


def supervise(
    commands: dict[str, list[str]], pass_fds: dict[str, tuple[int, ...]] | None = None
) -> int:
    """Start every command and keep each running until a stop signal arrives.

    ``pass_fds`` names the file descriptors a command inherits (the listening
    socket the web server is handed). Returns 0 once stopped.
    """
    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    children = [
        Supervised(name, command, pass_fds=(pass_fds or {}).get(name, ()))
        for name, command in commands.items()
    ]
    try:
        for child in children:
            child.start()
        while not stopping:
            now = time.monotonic()
            for child in children:
                child.check(now)
            time.sleep(POLL_S)
    finally:
        _stop_all([c.process for c in children if c.process is not None])
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def _stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def listen(bind: str, backlog: int = 2048) -> socket.socket | None:
    """A listening TCP socket for ``bind`` (``host:port``), inheritable; None for another
    kind of address (several, a Unix socket, a file descriptor), which the server binds
    itself."""
    if not bind or " " in bind.strip() or "," in bind or bind.startswith(("unix:", "fd:")):
        return None
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "0.0.0.0"
    if not port.isdigit():
        return None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, int(port)), family=family, backlog=backlog)
    os.set_inheritable(listener.fileno(), True)
    return listener
