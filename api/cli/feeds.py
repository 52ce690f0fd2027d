"""Feeds from a terminal: add, list, remove (the worker polls them)."""

from __future__ import annotations

from pathlib import Path

import click

from api.cli.options import EXISTING_DB, actor, default_db


def _feeds(db: Path | None):
    from api.curation.feeds import Feeds

    return Feeds(db or Path(default_db()))


@click.group()
def feeds() -> None:
    """RSS and Atom feeds the worker polls: each new entry becomes a document."""


@feeds.command("add")
@click.argument("url")
@click.option("--every", default="30m", show_default=True, help="How often: 45s, 30m, 2h, 1d")
@EXISTING_DB
def feeds_add(url: str, every: str, db: Path | None) -> None:
    """Poll the feed at URL; print its id."""
    from api.curation.feeds import FeedError, parse_every

    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("not an http(s) URL", param_hint="URL")
    try:
        feed = _feeds(db).add(url, parse_every(every), actor("feeds"))
    except FeedError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"polling {feed['url']} every {feed['every']} s", err=True)
    click.echo(feed["id"])


@feeds.command("list")
@EXISTING_DB
def feeds_list(db: Path | None) -> None:
    """One feed a line: id, interval, last poll, next poll, entries, last error, URL."""
    for feed in _feeds(db).all():
        counts = feed["entries"]
        entries = ", ".join(f"{n} {state}" for state, n in counts.items() if n) or "no entries"
        error = f"\terror: {feed['last_error']}" if feed["last_error"] else ""
        click.echo(
            f"{feed['id']}\tevery {feed['every']} s\tlast {feed['last_poll'] or '-'}\t"
            f"next {feed['next_poll'] or '-'}\t{entries}\t{feed['url']}{error}"
        )


@feeds.command("remove")
@click.argument("feed_id")
@EXISTING_DB
def feeds_remove(feed_id: str, db: Path | None) -> None:
    """Stop polling a feed (the documents it brought stay)."""
    from api.curation.feeds import NoFeed

    try:
        _feeds(db).remove(feed_id)
    except NoFeed as exc:
        raise click.ClickException(f"No feed {feed_id!r}.") from exc
    click.echo(f"removed {feed_id}")
