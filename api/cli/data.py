"""Commands over the data itself: check, build, cite and export."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from api.build.check import check as check_inputs
from api.build.database import BuildError, UnexportedWrites
from api.build.database import build as build_db
from api.build.inputs import InputError, read_seeds, write_fixture
from api.cli.options import DB_OPTION, EXISTING_DB, FIXTURES, SEEDS, build_refused, default_db
from api.domain import catalog, citations
from api.domain.records import DERIVED


@click.command()
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


@click.command()
@DB_OPTION
@SEEDS
@FIXTURES
@click.option("--force", is_flag=True, help="Replace a database holding unexported writes")
def build(db: Path | None, seeds: Path, fixtures: Path, force: bool) -> None:
    """Check the inputs, then write the SQLite database atomically."""
    from api.ops import litestream

    target = db or Path(default_db())
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
        build_refused(exc, target)
    counts = orjson.loads(meta["counts"])
    click.echo(
        f"built {target} (dataset {meta['dataset_version']}): "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )


@click.command()
@click.argument("document")
@click.argument("quote")
@click.option("--occurrence", default=1, show_default=True, help="Which occurrence to cite")
@SEEDS
@DB_OPTION
def cite(document: str, quote: str, occurrence: int, seeds: Path, db: Path | None) -> None:
    """Print the citation of QUOTE in DOCUMENT, offsets and context included.

    DOCUMENT is any document of the database (one added through the API too),
    or a seed of SEEDS when the database does not hold it. A curation aid: the
    build never searches, it verifies the offsets given.
    """
    text = _document_text(document, seeds, db or Path(default_db()))
    try:
        source = citations.locate(document, text, quote, occurrence)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(orjson.dumps(source, option=orjson.OPT_INDENT_2).decode())


def _document_text(document: str, seeds: Path, db: Path) -> str:
    """The exact text of ``document``: from the database when it holds it, else its seed."""
    if db.exists():
        from api.store.connections import open_readonly
        from api.store.lookup import NotFound
        from api.store.reads import Store

        try:
            return Store(open_readonly(db)).document_text(document)[0]
        except NotFound:
            pass
    try:
        texts = {s.id: s.text for s in read_seeds(seeds)}
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    if document not in texts:
        raise click.ClickException(f"no document {document!r} in {db} or {seeds}/")
    return texts[document]


@click.command()
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
    from api.store.connections import open_readonly
    from api.store.reads import Store, decode

    data = Store(open_readonly(db or Path(default_db())))
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
