"""Options and defaults the command groups share."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api import config


def default_db() -> str:
    """The database path: $BRIEFS_DB or data/briefs.db."""
    return config.from_environment()["DB"]


SEEDS = click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default="seeds",
    show_default=True,
    help="Folder of source documents",
)
FIXTURES = click.option(
    "--fixtures",
    type=click.Path(file_okay=False, path_type=Path),
    default="fixtures",
    show_default=True,
    help="Folder of curated records",
)
DB_OPTION = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database path [default: $BRIEFS_DB or data/briefs.db]",
)
EXISTING_DB = click.option(
    "--db",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Database path [default: $BRIEFS_DB or data/briefs.db]",
)


def actor(command: str) -> str:
    """Who a write from the terminal is recorded as."""
    import getpass

    return f"cli:{command}:{getpass.getuser()}"


def build_refused(error, target: Path) -> None:
    """Name each problem that stopped a build, then exit 1 (the database is unchanged)."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(error.problems)} problem(s); {target} left unchanged", err=True)
    sys.exit(1)
