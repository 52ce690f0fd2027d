"""Curation from a terminal: ingest a document, then list, accept or reject its drafts."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from api.cli.options import DB_OPTION, EXISTING_DB, actor, default_db


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--url",
    "urls",
    multiple=True,
    help="Fetch this page and store it (repeatable); time, size and redirects are bounded",
)
@click.option("--title", default=None, help="The headline (else the metadata file, the page)")
@click.option("--published", default=None, help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD")
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "html"]),
    default=None,
    help="text: stored exactly; html: the page's main text is taken from it "
    "(default: by the file's suffix, .html or .htm)",
)
@click.option("--publisher", default=None, help="[default: the metadata file's, else Unknown]")
@click.option("--author", "authors", multiple=True, help="A byline name (repeatable)")
@click.option("--language", default=None, help="[default: the metadata file's, else en]")
@click.option("--rights", default=None, help="The terms the text is held under")
@click.option(
    "--extract/--no-extract",
    default=True,
    show_default=True,
    help="Also extract each new document's drafts here (loads the NLP model)",
)
@DB_OPTION
def ingest(
    paths, urls, title, published, form, publisher, authors, language, rights, extract, db
) -> None:
    """Store documents from files, folders (their .txt, .html and .htm files) and URLs,
    and extract their drafts here.

    Each file's metadata comes from the JSON file of the same name beside it,
    then from the options. A progress bar shows on a terminal; a summary
    (added, duplicates, failed with why) ends on stderr. Each added document's
    id is printed on stdout, one a line. Exits 1 if any failed.
    """
    from api import config
    from api.curation import fetch
    from api.curation.intake import Intake, files_in
    from api.curation.queue import default_extractor

    files = files_in(list(paths))
    if not files and not urls:
        raise click.UsageError("name at least one file, folder or --url")
    given = {
        "title": title,
        "published": published,
        "publisher": publisher,
        "authors": [{"name": name, "person": None} for name in authors] or None,
        "language": language,
        "rights": rights,
    }
    settings = config.from_environment()
    limits = fetch.Limits.from_settings({**settings, "FETCH_PRIVATE": True})  # the operator's
    intake = Intake(db or Path(default_db()), actor("ingest"), None)
    sources = [("file", f) for f in files] + [("url", u) for u in urls]
    outcomes = []
    with click.progressbar(
        sources, label="ingesting", file=sys.stderr, item_show_func=_shown
    ) as bar:
        for kind, source in bar:
            if extract and intake.extractor is None:
                intake.extractor = default_extractor()
            if kind == "file":
                outcome = intake.add_file(source, given, form)
            else:
                outcome = intake.add_url(source, given, limits)
            outcomes.append(outcome)
    _summary(outcomes)
    if any(o.state == "failed" for o in outcomes):
        sys.exit(1)


def _shown(item) -> str | None:
    return None if item is None else str(item[1])[-60:]


def _summary(outcomes) -> None:
    added = [o for o in outcomes if o.state == "added"]
    duplicates = [o for o in outcomes if o.state == "duplicate"]
    failed = [o for o in outcomes if o.state == "failed"]
    for o in added:
        click.echo(f"added {o.document} from {o.source} ({o.drafts} draft(s))", err=True)
    for o in duplicates:
        click.echo(f"duplicate {o.source}: {o.detail} ({o.document})", err=True)
    for o in failed:
        click.echo(f"failed {o.source}: {o.detail}", err=True)
    click.echo(
        f"{len(added)} added, {len(duplicates)} duplicate(s), {len(failed)} failed", err=True
    )
    if added:
        click.echo("review: briefs drafts list --document ID", err=True)
    for o in added:
        click.echo(o.document)


@click.group()
def drafts() -> None:
    """Review drafts at a terminal: list, accept (with corrections) or reject."""


@drafts.command("list")
@click.option("--document", default=None)
@click.option("--resource", default=None)
@click.option("--state", type=click.Choice(["open", "accepted", "rejected"]), default=None)
@EXISTING_DB
def drafts_list(document, resource, state, db) -> None:
    """One draft a line: id, state, resource, action, confidence, what it says."""
    from api.store.connections import open_readonly
    from api.store.reads import Store, decode

    data = Store(open_readonly(db or Path(default_db())))
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
    from api.curation.review import Review
    from api.store.errors import WriteError
    from api.store.writer import Writer

    patch = {}
    if corrections:
        raw = Path(corrections[1:]).read_bytes() if corrections.startswith("@") else corrections
        try:
            patch = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise click.ClickException(f"--corrections is not JSON: {exc}") from exc
    try:
        resource, written, _ = Review(Writer(db or Path(default_db()))).accept(
            draft_id, patch, actor("drafts")
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
    from api.curation.review import Review
    from api.store.errors import WriteError
    from api.store.writer import Writer

    try:
        Review(Writer(db or Path(default_db()))).reject(draft_id, reason, actor("drafts"))
    except WriteError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"rejected {draft_id}")
