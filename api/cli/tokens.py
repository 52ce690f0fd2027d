"""``briefs token``: the bearer tokens that may write."""

from __future__ import annotations

from pathlib import Path

import click

from api import config
from api.store.tokens import SCOPES


@click.group()
def token() -> None:
    """Manage the bearer tokens that may write (stored in $BRIEFS_AUTH_DB)."""


def _tokens():
    from api.store.tokens import Tokens

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
