"""Whether a process of this machine still runs (claims, pid files and leftovers are
judged by it)."""

from __future__ import annotations

import os

import psutil


def pid_alive(pid: int) -> bool:
    """True while a process with this id runs (also one this user may not signal); a
    zombie (dead, not yet reaped by its parent) does not run."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:
        return True
