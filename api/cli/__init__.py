"""The ``briefs`` command, one module per group of subcommands.

- ``data``: check, build, cite, export
- ``serving``: serve, worker, replicate, follow, rebuild
- ``tokens``: token create | list | revoke
- ``curation``: ingest, drafts list | accept | reject
- ``feeds``: feeds add | list | remove
"""

from __future__ import annotations

import click

from api.cli import curation, data, feeds, serving, tokens


@click.group()
def main() -> None:
    """Foreign-policy briefs: cited data about international relations."""


for command in (
    data.check,
    data.build,
    data.cite,
    data.export,
    serving.serve,
    serving.worker,
    serving.replicate,
    serving.follow,
    serving.rebuild,
    tokens.token,
    curation.ingest,
    curation.drafts,
    feeds.feeds,
):
    main.add_command(command)
