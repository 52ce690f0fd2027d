"""Commands that run the service: serve, worker, replicate, follow, rebuild."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from api.build.database import BuildError
from api.build.database import build as build_db
from api.cli.options import DB_OPTION, FIXTURES, SEEDS, build_refused, default_db


@click.command(context_settings={"ignore_unknown_options": True})
@click.option(
    "--config",
    "config_file",
    default="gunicorn.conf.py",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False),
)
@click.option(
    "--replicate",
    "litestream_config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Primary: run 'litestream replicate' with this config beside the server",
)
@click.option(
    "--follow",
    "replica_url",
    default=None,
    help="Replica: restore from this Litestream replica URL and follow it (sets BRIEFS_REPLICA)",
)
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help="Also run the extraction worker (briefs worker) beside gunicorn; never on a replica",
)
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(
    config_file: str,
    litestream_config: Path | None,
    replica_url: str | None,
    worker: bool,
    gunicorn_args: tuple[str, ...],
) -> None:
    """Serve the API with gunicorn and the project's gunicorn.conf.py, and the worker.

    Both run as child processes, supervised apart: when either exits it is
    restarted on its own (after a back-off) while the other keeps running;
    SIGTERM or Ctrl-C stops both. With --replicate or --follow, gunicorn's
    master also runs Litestream's side (``briefs replicate`` or ``briefs follow``)
    and stops it when it stops. A replica writes nothing, so it runs no worker.
    """
    from api.ops.supervise import listen, supervise

    if litestream_config and replica_url:
        raise click.UsageError("a server is a primary (--replicate) or a replica (--follow)")
    if litestream_config:
        os.environ["BRIEFS_LITESTREAM_CONFIG"] = str(litestream_config.resolve())
    if replica_url:
        os.environ["BRIEFS_REPLICA"] = "1"
        os.environ["BRIEFS_FOLLOW_URL"] = replica_url
        worker = False
    web = [sys.executable, "-m", "gunicorn", "-c", config_file, *gunicorn_args, "api:create_app()"]
    commands = {"gunicorn": web}
    if worker:
        commands["worker"] = [sys.executable, "-m", "api.cli", "worker"]
    listener = None
    if not any(a in ("-b", "--bind") or a.startswith("--bind=") for a in gunicorn_args):
        try:
            listener = listen(
                os.environ.get("BRIEFS_BIND", "127.0.0.1:8000"),
                int(os.environ.get("BRIEFS_BACKLOG", "2048")),
            )
        except OSError as exc:
            raise click.ClickException(f"cannot listen on BRIEFS_BIND: {exc}") from exc
    fds = {}
    if listener is not None:
        os.environ["BRIEFS_BIND_FD"] = str(listener.fileno())
        fds["gunicorn"] = (listener.fileno(),)
    sys.exit(supervise(commands, fds))


@click.command()
@DB_OPTION
def worker(db: Path | None) -> None:
    """Run the worker: it takes intake jobs (pages, extractions, feeds) from the queue
    beside the database, each in a process of its own bounded in time and memory."""
    import logging

    from api.curation.worker import Worker

    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [worker] %(message)s")
    Worker(db or Path(default_db())).run()


@click.command()
@click.option(
    "--config",
    "litestream_config",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Litestream's configuration (it names the database and its replica)",
)
@DB_OPTION
def replicate(litestream_config: Path, db: Path | None) -> None:
    """Run 'litestream replicate' on the primary, restarted if it exits, paused for a rebuild."""
    from api.ops import litestream

    litestream.replicate(litestream_config, db or Path(default_db()))


@click.command()
@click.option("--from", "url", required=True, help="The Litestream replica URL to follow")
@DB_OPTION
@click.option(
    "--interval",
    type=click.FloatRange(0.01, 60),
    default=0.1,
    show_default=True,
    help="Seconds between Litestream's polls, and between index updates",
)
def follow(url: str, db: Path | None, interval: float) -> None:
    """Replica: restore the database from URL, follow it, and keep the full-text index current."""
    from api.ops.follower import Follower

    Follower(db or Path(default_db()), url, interval).run()


@click.command()
@click.option(
    "--replicate",
    "litestream_config",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Litestream's configuration, as given to 'briefs serve --replicate'",
)
@DB_OPTION
@SEEDS
@FIXTURES
def rebuild(litestream_config: Path, db: Path | None, seeds: Path, fixtures: Path) -> None:
    """Rebuild a replicated database: replicas restore the new one.

    Pauses replication, builds (as 'briefs build --force'), deletes Litestream's
    state and the replica's files, and lets replication start a new replica from
    the new file; each replica's follower then restores it afresh.
    """
    from api.ops import litestream

    target = db or Path(default_db())
    try:
        litestream.replica_dirs(litestream_config, target)  # refuse before changing anything
        with litestream.paused(target):
            meta = build_db(seeds, fixtures, target, force=True)
            removed = litestream.purge(litestream_config, target)
    except litestream.RebuildError as exc:
        raise click.ClickException(str(exc)) from exc
    except BuildError as exc:
        build_refused(exc, target)
    for path in removed:
        click.echo(f"removed {path}", err=True)
    click.echo(f"rebuilt {target} (dataset {meta['dataset_version']}); replication starts over")
