"""Run a few processes as one service: started together, stopped together."""

from __future__ import annotations

import signal
import subprocess
import time

STOP_GRACE_S = 25.0  # gunicorn's graceful_timeout is 20 s


def run_together(commands: list[list[str]]) -> int:
    """Start every command; when one exits or a stop signal arrives, stop the rest.

    Returns the exit status of the first process that ended (0 when stopped by
    a signal).
    """
    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    children = [subprocess.Popen(command) for command in commands]
    status = 0
    try:
        while not stopping:
            ended = [c for c in children if c.poll() is not None]
            if ended:
                status = ended[0].returncode
                break
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_GRACE_S
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return status
