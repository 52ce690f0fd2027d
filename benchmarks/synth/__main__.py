"""``python -m benchmarks.synth``: generate a corpus."""

from __future__ import annotations

from pathlib import Path

import click

from benchmarks.synth.writing import synthesize


@click.command()
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
def main(records: int, db: Path, seed: int) -> None:
    """Generate a deterministic synthetic corpus with valid citations (for benchmarks)."""
    meta = synthesize(records, db, seed=seed)
    click.echo(f"built {db} (dataset {meta['dataset_version']}): {meta['counts']}")


main()
