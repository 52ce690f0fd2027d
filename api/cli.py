"""The ``briefs`` command: build, check, serve, cite and export."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import orjson

from api import catalog, citations, config
from api.auth import SCOPES
from api.build import BuildError, UnexportedWrites
from api.build import build as build_db
from api.check import check as check_inputs
from api.fixtures import InputError, read_seeds, write_fixture


def _default_db() -> str:
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


@click.group()
def main() -> None:
    """Foreign-policy briefs: cited data about international relations."""


@main.command()
@SEEDS
@FIXTURES
def check(seeds: Path, fixtures: Path) -> None:
    """Validate fixtures and verify every citation; exit 1 naming each problem."""
    data, problems = check_inputs(seeds, fixtures)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    total = sum(len(v) for k, v in data.records.items() if k != "countries")
    click.echo(f"ok: {total} records and {len(data.texts)} document(s) verified")


@main.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database path [default: $BRIEFS_DB or data/briefs.db]",
)
@SEEDS
@FIXTURES
@click.option("--force", is_flag=True, help="Replace a database holding unexported writes")
def build(db: Path | None, seeds: Path, fixtures: Path, force: bool) -> None:
    """Check the inputs, then write the SQLite database atomically."""
    target = db or Path(_default_db())
    try:
        meta = build_db(seeds, fixtures, target, force=force)
    except UnexportedWrites as exc:
        raise click.ClickException(str(exc)) from exc
    except BuildError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s); {target} left unchanged", err=True)
        sys.exit(1)
    counts = orjson.loads(meta["counts"])
    click.echo(
        f"built {target} (dataset {meta['dataset_version']}): "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )


@main.command(context_settings={"ignore_unknown_options": True})
@click.option(
    "--config",
    "config_file",
    default="gunicorn.conf.py",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False),
)
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(config_file: str, gunicorn_args: tuple[str, ...]) -> None:
    """Serve the API with gunicorn and the project's gunicorn.conf.py."""
    argv = [sys.executable, "-m", "gunicorn", "-c", config_file, *gunicorn_args, "api:create_app()"]
    os.execv(sys.executable, argv)


@main.command()
@click.argument("document")
@click.argument("quote")
@click.option("--occurrence", default=1, show_default=True, help="Which occurrence to cite")
@SEEDS
def cite(document: str, quote: str, occurrence: int, seeds: Path) -> None:
    """Print the citation of QUOTE in DOCUMENT, offsets and context included.

    A curation aid: the build never searches, it verifies the offsets given.
    """
    try:
        texts = {s.id: s.text for s in read_seeds(seeds)}
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    if document not in texts:
        raise click.ClickException(f"no seed document {document!r}")
    try:
        source = citations.locate(document, texts[document], quote, occurrence)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(orjson.dumps(source, option=orjson.OPT_INDENT_2).decode())


DERIVED = ("date_start", "date_end", "outcomes")


@main.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Database path [default: $BRIEFS_DB or data/briefs.db]",
)
@FIXTURES
def export(db: Path | None, fixtures: Path) -> None:
    """Write the database's curated records back to fixtures/, in fixture format."""
    from api.db import open_readonly
    from api.store import Store, decode

    data = Store(open_readonly(db or Path(_default_db())))
    for resource in catalog.CURATED:
        records = [decode(body) for body in data.all(resource)]
        for record in records:
            for field in DERIVED:
                record.pop(field, None)
        path = write_fixture(fixtures, resource.name, records)
        click.echo(f"{path}: {len(records)} records")


@main.command()
@click.option(
    "--records",
    type=click.IntRange(1, 10_000_000),
    default=1000,
    show_default=True,
    help="How many records to generate",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the database",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed")
def synth(records: int, db: Path, seed: int) -> None:
    """Generate a deterministic synthetic corpus with valid citations (for benchmarks)."""
    from api.synth import synthesize

    meta = synthesize(records, db, seed=seed)
    click.echo(f"built {db} (dataset {meta['dataset_version']}): {meta['counts']}")


@main.group()
def token() -> None:
    """Manage the bearer tokens that may write (stored in $BRIEFS_AUTH_DB)."""


def _tokens():
    from api.auth import Tokens

    return Tokens(Path(config.from_environment()["AUTH_DB"]))


@token.command("create")
@click.option("--name", required=True, help="Who or what the token is for")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(SCOPES),
    help="A resource it may write (repeatable) [default: all]",
)
@click.option(
    "--expires",
    "days",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Days until it expires [default: never]",
)
def token_create(name: str, scopes: tuple[str, ...], days: float | None) -> None:
    """Create a token; it is printed once, alone on the last line."""
    made, secret = _tokens().create(name, scopes or SCOPES, days)
    click.echo(f"token {made.id} for {made.name!r}: scopes {' '.join(made.scopes)}", err=True)
    click.echo(secret)


@token.command("list")
def token_list() -> None:
    """List tokens (never their secrets)."""
    import datetime

    def when(t):
        return (
            datetime.datetime.fromtimestamp(t, datetime.UTC).strftime("%Y-%m-%d %H:%M")
            if t
            else "-"
        )

    for t in _tokens().list():
        state = "revoked" if t.revoked else "active"
        click.echo(
            f"{t.id}\t{t.name}\t{state}\tscopes={','.join(t.scopes)}\t"
            f"created={when(t.created)}\texpires={when(t.expires)}\t"
            f"last_used={when(t.last_used)}"
        )


@token.command("revoke")
@click.argument("token_id")
def token_revoke(token_id: str) -> None:
    """Revoke a token by its id (the part after 'brf_')."""
    if not _tokens().revoke(token_id):
        raise click.ClickException(f"no active token {token_id!r}")
    click.echo(f"revoked {token_id}")
