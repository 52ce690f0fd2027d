"""Instructions per request, counted by callgrind: repeatable where timings are not.

    .venv/bin/python -m benchmarks.instructions [--db benchmarks/data/corpus-1000000.db]
        [--calls 1000] [--fresh-queries] [PATH ...]

Each path runs in-process (as ``benchmarks.inprocess`` calls it) under
``valgrind --tool=callgrind`` twice, after the same warm-up: once with
``--calls`` requests and once with none. The difference divided by the calls
is the app's cost of one request in user-space instructions, whatever else
the machine is doing (the kernel's share, such as the log line's write(2), is
not counted). Needs valgrind (Debian: ``apt-get install valgrind``); a run
takes about a minute per path.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.inprocess import HERE, WARM_UP, caller, default_paths, forget_queries

COLLECTED = re.compile(r"Collected : (\d+)")


def count(db: Path, path: str, calls: int, fresh: bool) -> int:
    """Instructions of a process that warms up, then makes ``calls`` requests of ``path``."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "valgrind.log"
        command = [
            "valgrind", "--tool=callgrind", f"--log-file={log}",
            f"--callgrind-out-file={Path(tmp) / 'callgrind.out'}",
            sys.executable, "-m", "benchmarks.instructions", "--child", str(calls),
            "--db", str(db), *(["--fresh-queries"] if fresh else []), path,
        ]  # fmt: skip
        # The same hash seed each run: dictionaries, and so the work, are the same.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)  # fmt: skip
        return int(COLLECTED.search(log.read_text()).group(1))


def child(db: Path, path: str, calls: int, fresh: bool) -> None:
    from api import create_app

    if fresh:
        forget_queries()
    call = caller(create_app({"DB": str(db)}))
    for _ in range(WARM_UP + calls):
        call(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=HERE / "data" / "corpus-1000000.db")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--fresh-queries", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        child(args.db, args.paths[0], args.child, args.fresh_queries)
        return
    for path in args.paths or default_paths(args.db):
        instructions = count(args.db, path, args.calls, args.fresh_queries)
        instructions -= count(args.db, path, 0, args.fresh_queries)
        print(f"{instructions / args.calls:12,.0f} instructions  {path}", flush=True)


if __name__ == "__main__":
    main()
