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
@DB_OPTION
@SEEDS
@FIXTURES
@click.option("--force", is_flag=True, help="Replace a database holding unexported writes")
def build(db: Path | None, seeds: Path, fixtures: Path, force: bool) -> None:
    """Check the inputs, then write the SQLite database atomically."""
    from api import litestream

    target = db or Path(_default_db())
    if litestream.supervisor_running(target):
        raise click.ClickException(
            f"{target} is being replicated: a new file would silently stop replication; "
            "run 'briefs rebuild --replicate CONFIG' instead"
        )
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

    Both run as child processes; SIGTERM or Ctrl-C stops both, and when either
    exits the other is stopped too. With --replicate or --follow, gunicorn's
    master also runs Litestream's side (``briefs replicate`` or ``briefs follow``)
    and stops it when it stops. A replica writes nothing, so it runs no worker.
    """
    from api.supervise import run_together

    if litestream_config and replica_url:
        raise click.UsageError("a server is a primary (--replicate) or a replica (--follow)")
    if litestream_config:
        os.environ["BRIEFS_LITESTREAM_CONFIG"] = str(litestream_config.resolve())
    if replica_url:
        os.environ["BRIEFS_REPLICA"] = "1"
        os.environ["BRIEFS_FOLLOW_URL"] = replica_url
        worker = False
    web = [sys.executable, "-m", "gunicorn", "-c", config_file, *gunicorn_args, "api:create_app()"]
    commands = [web]
    if worker:
        commands.append([sys.executable, "-m", "api.cli", "worker"])
    sys.exit(run_together(commands))


@main.command()
@DB_OPTION
def worker(db: Path | None) -> None:
    """Run the extraction worker: it takes jobs from the queue beside the database."""
    import logging

    from api import jobs

    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [worker] %(message)s")
    jobs.work(db or Path(_default_db()))


@main.command()
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
    from api import litestream

    litestream.replicate(litestream_config, db or Path(_default_db()))


@main.command()
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
    from api.follower import Follower

    Follower(db or Path(_default_db()), url, interval).run()


@main.command()
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
    from api import litestream

    target = db or Path(_default_db())
    try:
        litestream.replica_dirs(litestream_config, target)  # refuse before changing anything
        with litestream.paused(target):
            meta = build_db(seeds, fixtures, target, force=True)
            removed = litestream.purge(litestream_config, target)
    except litestream.RebuildError as exc:
        raise click.ClickException(str(exc)) from exc
    except BuildError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s); {target} left unchanged", err=True)
        sys.exit(1)
    for path in removed:
        click.echo(f"removed {path}", err=True)
    click.echo(f"rebuilt {target} (dataset {meta['dataset_version']}); replication starts over")


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
@EXISTING_DB
@SEEDS
@FIXTURES
def export(db: Path | None, seeds: Path, fixtures: Path) -> None:
    """Write the database's documents to seeds/ and its curated records to fixtures/.

    A document's text is written byte for byte with its metadata beside it (and
    the HTML it came from, if any); a seed already holding the same text and
    metadata is left as it is, and a seed whose document was deleted is removed.
    `briefs build` from the result gives the same records.
    """
    from api.db import open_readonly
    from api.store import Store, decode

    data = Store(open_readonly(db or Path(_default_db())))
    seeds.mkdir(parents=True, exist_ok=True)
    existing = {s.id: s for s in read_seeds(seeds)}
    kept = set()
    for body in data.all(catalog.DOCUMENTS):
        record = decode(body)
        document = record.pop("id")
        record.pop("length", None)
        kept.add(document)
        text, _ = data.document_text(document)
        html = data.document_html(document)
        seed = existing.get(document)
        if seed and seed.text == text and seed.html == html and _same(document, seed, record):
            continue
        (seeds / f"{document}.txt").write_bytes(text.encode("utf-8"))
        (seeds / f"{document}.json").write_bytes(
            orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n"
        )
        if html is not None:
            (seeds / f"{document}.html").write_bytes(html.encode("utf-8"))
        click.echo(f"{seeds / document}.txt: written")
    for gone in sorted(set(existing) - kept):
        for suffix in (".txt", ".json", ".html"):
            (seeds / f"{gone}{suffix}").unlink(missing_ok=True)
        click.echo(f"{seeds / gone}.txt: removed (the document was deleted)")
    fixtures.mkdir(parents=True, exist_ok=True)
    for resource in catalog.CURATED:
        records = [decode(body) for body in data.all(resource)]
        for record in records:
            for field in DERIVED:
                record.pop(field, None)
        path = write_fixture(fixtures, resource.name, records)
        click.echo(f"{path}: {len(records)} records")


def _same(document: str, seed, record: dict) -> bool:
    """Whether a seed's metadata says what the record says (defaults filled in)."""
    from marshmallow import ValidationError

    schema = catalog.DOCUMENTS.instance
    try:
        return schema.load({"id": document, **seed.metadata}) == schema.load(
            {"id": document, **record}
        )
    except ValidationError:
        return False


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


def _actor(command: str) -> str:
    import getpass

    return f"cli:{command}:{getpass.getuser()}"


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="The article's headline")
@click.option("--published", required=True, help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD")
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "html"]),
    default="text",
    show_default=True,
    help="text: stored exactly; html: the page's main text is taken from it",
)
@click.option("--publisher", default="Unknown", show_default=True)
@click.option("--author", "authors", multiple=True, help="A byline name (repeatable)")
@click.option("--url", default=None)
@click.option("--language", default="en", show_default=True)
@click.option(
    "--rights",
    default="Held unchanged so that citations can be verified against it.",
    show_default=True,
)
@DB_OPTION
def ingest(path, title, published, form, publisher, authors, url, language, rights, db) -> None:
    """Store a document and extract its drafts here; the last line is the document's id."""
    from api import articles, jobs
    from api.review import Review
    from api.writes import WriteError, Writer

    target = db or Path(_default_db())
    try:
        content = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path} is not UTF-8: {exc}") from exc
    body = {
        "title": title,
        "published": published,
        "publisher": publisher,
        "authors": [{"name": name, "person": None} for name in authors],
        "url": url,
        "language": language,
        "rights": rights,
        form: content,
    }
    try:
        metadata, text, html = articles.document_parts(body)
        written = Writer(target).create_document(metadata, text, html, _actor("ingest"))
    except articles.BadDocument as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.detail} {details}") from exc
    except WriteError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"stored {written.id} ({len(text)} characters)", err=True)
    drafts = jobs.draft_document(target, written.id, jobs.default_extractor())
    kept = Review(Writer(target)).add_drafts(written.id, drafts)
    click.echo(f"{kept} draft(s) to review: briefs drafts list --document {written.id}", err=True)
    click.echo(written.id)


@main.group()
def drafts() -> None:
    """Review drafts at a terminal: list, accept (with corrections) or reject."""


@drafts.command("list")
@click.option("--document", default=None)
@click.option("--resource", default=None)
@click.option("--state", type=click.Choice(["open", "accepted", "rejected"]), default=None)
@EXISTING_DB
def drafts_list(document, resource, state, db) -> None:
    """One draft a line: id, state, resource, action, confidence, what it says."""
    from api.db import open_readonly
    from api.store import Store, decode

    data = Store(open_readonly(db or Path(_default_db())))
    after = None
    while True:
        page = data.drafts(document, resource, state, 500, after)
        for body in page.items:
            draft = decode(body)
            record = draft["record"]
            what = record.get("title") or record.get("name") or record.get("text") or ""
            if draft["action"] == "add_source":
                what = f"adds a source to {draft['target']}"
            click.echo(
                f"{draft['id']}\t{draft['state']}\t{draft['resource']}\t{draft['action']}\t"
                f"{draft['confidence']:.2f}\t{what[:80]}"
            )
        if page.next_key is None:
            return
        after = page.next_key


@drafts.command("accept")
@click.argument("draft_id")
@click.option(
    "--corrections",
    default=None,
    help="A JSON merge patch applied to the draft's record (or @FILE holding one)",
)
@EXISTING_DB
def drafts_accept(draft_id, corrections, db) -> None:
    """Write a draft's record (corrected); print where it is."""
    from api.review import Review
    from api.writes import WriteError, Writer

    patch = {}
    if corrections:
        raw = Path(corrections[1:]).read_bytes() if corrections.startswith("@") else corrections
        try:
            patch = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise click.ClickException(f"--corrections is not JSON: {exc}") from exc
    try:
        resource, written, _ = Review(Writer(db or Path(_default_db()))).accept(
            draft_id, patch, _actor("drafts")
        )
    except WriteError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in (exc.errors or {}).items())
        raise click.ClickException(f"{exc.detail} {details}".strip()) from exc
    click.echo(f"/v1/{resource.name}/{written.id}")


@drafts.command("reject")
@click.argument("draft_id")
@click.option("--reason", required=True)
@EXISTING_DB
def drafts_reject(draft_id, reason, db) -> None:
    """Mark a draft rejected, with the reason."""
    from api.review import Review
    from api.writes import WriteError, Writer

    try:
        Review(Writer(db or Path(_default_db()))).reject(draft_id, reason, _actor("drafts"))
    except WriteError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"rejected {draft_id}")


if __name__ == "__main__":
    main()
