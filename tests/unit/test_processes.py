"""A process counts as running while it runs: not once it has exited, even before its
parent reaps it (claims held by a dead job's process must be taken back)."""

import os
import subprocess
import sys
import time

from api.processes import pid_alive


def test_a_running_process_is_alive_and_an_exited_unreaped_one_is_not():
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)  # fmt: skip
    try:
        assert pid_alive(child.pid)
        child.stdin.close()  # it exits; nobody waits for it yet: a zombie
        deadline = time.monotonic() + 10
        while pid_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not pid_alive(child.pid)
        assert os.waitpid(child.pid, os.WNOHANG)[0] == child.pid  # it was not reaped before
        child.returncode = 0
    finally:
        if child.returncode is None:
            child.kill()
            child.wait()


def test_this_process_is_alive_and_a_free_pid_is_not():
    assert pid_alive(os.getpid())
    assert not pid_alive(2**22 + 1)  # above the kernel's pid_max
