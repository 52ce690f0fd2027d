"""One primary, two read replicas and haproxy on 127.0.0.1, without containers.

``make cluster`` (``python -m deploy.cluster``) builds a database, serves it
from a primary replicating with Litestream to a ``file`` replica (a folder
standing in for object storage), starts two replicas following that folder and
haproxy in front (deploy/haproxy.cfg), prints the addresses and a write token,
and runs until interrupted. ``tests/system/cluster.py`` (``make test-cluster``) drives
the same topology.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy.servers import ROOT, Server, answers

BIN = Path(sys.executable).parent
BRIEFS = str(BIN / "briefs")
LITESTREAM_CONFIG = ROOT / "deploy" / "litestream.yml"
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"


class Cluster:
    """The primary, replicas and haproxy of one folder; ports from ``base_port``."""

    def __init__(self, folder: Path, base_port: int = 8100, replicas: int = 2) -> None:
        self.folder = folder
        self.store = folder / "store"  # the Litestream `file` replica
        self.db = folder / "primary" / "briefs.db"
        self.proxy_port = base_port
        self.proxy = f"http://127.0.0.1:{base_port}"
        common = {
            **os.environ,
            "BRIEFS_WORKERS": os.environ.get("BRIEFS_WORKERS", "1"),
            "BRIEFS_ACCESS_LOG": "false",
            "BRIEFS_WRITE_RATE_LIMIT": "1000000/minute",
            "BRIEFS_PUBLIC_URL": self.proxy,
        }
        self.primary_env = {
            **common,
            "BRIEFS_DB": str(self.db),
            "BRIEFS_AUTH_DB": str(folder / "primary" / "auth.db"),
            "BRIEFS_REPLICA_DIR": str(self.store),
            "BRIEFS_BIND": f"127.0.0.1:{base_port + 1}",
        }
        self.primary = Server(
            [BRIEFS, "serve", "--replicate", str(LITESTREAM_CONFIG)],
            self.primary_env,
            folder / "primary.log",
            port=base_port + 1,
            name="primary",
        )
        self.replicas = []
        for n in range(1, replicas + 1):
            port = base_port + 1 + n
            env = {
                **common,
                "BRIEFS_DB": str(folder / f"replica{n}" / "briefs.db"),
                "BRIEFS_AUTH_DB": str(folder / f"replica{n}" / "auth.db"),
                "BRIEFS_PRIMARY_URL": self.proxy,
                "BRIEFS_BIND": f"127.0.0.1:{port}",
            }
            (folder / f"replica{n}").mkdir(parents=True, exist_ok=True)
            self.replicas.append(
                Server(
                    [BRIEFS, "serve", "--follow", f"file://{self.store}"],
                    env,
                    folder / f"replica{n}.log",
                    port=port,
                    name=f"replica{n}",
                )
            )
        proxy_env = {
            **os.environ,
            "BRIEFS_PROXY_BIND": f"127.0.0.1:{base_port}",
            "BRIEFS_PRIMARY": f"127.0.0.1:{base_port + 1}",
        }
        for n, replica in enumerate(self.replicas, 1):
            proxy_env[f"BRIEFS_REPLICA_{n}"] = f"127.0.0.1:{replica.port}"
        self.haproxy = Server(
            [haproxy_binary(), "-db", "-f", str(HAPROXY_CONFIG)],
            proxy_env,
            folder / "haproxy.log",
            name="haproxy",
        )

    def build(self, fixtures: Path | None = None) -> None:
        self.db.parent.mkdir(parents=True, exist_ok=True)
        argv = [BRIEFS, "build", "--db", str(self.db)]
        if fixtures:
            argv += ["--fixtures", str(fixtures)]
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)

    def token(self) -> str:
        return subprocess.run(
            [BRIEFS, "token", "create", "--name", "cluster"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env=self.primary_env,
        ).stdout.split()[-1]

    def rebuild(self, fixtures: Path | None = None) -> str:
        argv = [BRIEFS, "rebuild", "--replicate", str(LITESTREAM_CONFIG), "--db", str(self.db)]
        if fixtures:
            argv += ["--fixtures", str(fixtures)]
        done = subprocess.run(
            argv, cwd=ROOT, capture_output=True, text=True, env=self.primary_env, check=True
        )
        return done.stdout.strip()

    def start(self) -> None:
        self.primary.start()
        self.primary.wait_ready()
        deadline = time.monotonic() + 30
        while not (self.store / "ltx").exists():  # Litestream's first snapshot
            if time.monotonic() > deadline:
                raise TimeoutError(f"Litestream made no replica (see {self.primary.log})")
            time.sleep(0.05)
        for replica in self.replicas:
            replica.start()
        for replica in self.replicas:
            replica.wait_ready()
        self.haproxy.start()
        deadline = time.monotonic() + 30
        while answers(f"{self.proxy}/readyz") != 200:
            if time.monotonic() > deadline:
                raise TimeoutError(f"haproxy did not answer (see {self.haproxy.log})")
            time.sleep(0.1)
        time.sleep(1.2)  # haproxy's health checks (rise 2, every 500 ms) find the replicas

    def stop(self) -> None:
        for process in [self.haproxy, *self.replicas, self.primary]:
            process.kill(signal.SIGTERM)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None
    )
    if not found:
        raise SystemExit("haproxy is not installed (make cluster installs Debian's package)")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8100, help="haproxy's port; servers follow")
    parser.add_argument("--folder", type=Path, default=None, help="[default: a new temporary one]")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="briefs-cluster-"))
    cluster = Cluster(folder, args.port)
    cluster.build()
    token = cluster.token()
    cluster.start()
    print(f"haproxy  {cluster.proxy}  (reads to replicas, writes to the primary)")
    print(f"primary  {cluster.primary.base}")
    for replica in cluster.replicas:
        print(f"{replica.name} {replica.base}")
    print(f"files and logs in {folder}")
    print(f"write token: {token}")
    print("Ctrl-C stops them all.")

    def interrupt(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
