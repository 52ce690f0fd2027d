"""Curation from a terminal: ingest a document, then list, accept or reject its drafts."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from api.cli.options import DB_OPTION, EXISTING_DB, actor, default_db


@click.command()
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
    from api.curation import queue
    from api.curation.documents import BadDocument, document_parts, page_text
    from api.curation.review import Review
    from api.store.errors import WriteError
    from api.store.writer import Writer

    target = db or Path(default_db())
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
        metadata, text, html = document_parts(body)
        if html is not None:
            text = page_text(html)
        written = Writer(target).create_document(metadata, text, html, actor("ingest"))
    except BadDocument as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.detail} {details}") from exc
    except WriteError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"stored {written.id} ({len(text)} characters)", err=True)
    drafts = queue.draft_document(target, written.id, queue.default_extractor())
    kept = Review(Writer(target)).add_drafts(written.id, drafts)
    click.echo(f"{kept} draft(s) to review: briefs drafts list --document {written.id}", err=True)
    click.echo(written.id)


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
