"""Where the files that live only during a run go, and removing those of a dead run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

TRANSIENT_BYTES = 2048  # per record, above the most the transient files hold (~1.4 KB)
SHARED_MEMORY = Path("/dev/shm")


def transient_dir(beside: Path, records: int) -> Path:
    """Where the files that live only during a run go: in memory if there is room."""
    try:
        room = os.statvfs(SHARED_MEMORY)
        with open("/proc/meminfo") as meminfo:
            available = next(
                int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:")
            )
    except (OSError, StopIteration, ValueError):
        return beside
    needed = records * TRANSIENT_BYTES
    if (
        room.f_bavail * room.f_frsize > needed
        and available > 2 * needed
        and os.access(SHARED_MEMORY, os.W_OK)
    ):
        return SHARED_MEMORY
    return beside


def remove_stale(directory: Path, name: str) -> None:
    """Delete the transient files of runs for a database ``name`` whose process is gone."""
    for path in directory.glob(f".{name}.*.tmp"):
        pid = path.name[len(name) + 2 :].split(".", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except PermissionError:  # alive, another user's
            pass
