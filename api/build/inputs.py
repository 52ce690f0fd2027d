"""Reading seeds and fixtures from disk, and writing fixtures back."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import orjson


class InputError(Exception):
    """A file that cannot be read as the format it must have."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class Seed:
    """A source document: its text (exact) and the metadata kept beside it."""

    id: str
    text: str
    metadata: dict
    text_path: Path
    metadata_path: Path
    html: str | None = None  # the page the text was taken from, when it came as HTML
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def read_json(path: Path):
    """Parse a JSON file, raising InputError with the position of a syntax error."""
    try:
        return orjson.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from exc
    except orjson.JSONDecodeError as exc:
        raise InputError(path, f"is not valid JSON: {exc}") from exc


def read_seeds(seeds_dir: Path) -> list[Seed]:
    """Every ``<id>.txt`` in the folder with its ``<id>.json`` metadata."""
    seeds = []
    for text_path in sorted(seeds_dir.glob("*.txt")):
        metadata_path = text_path.with_suffix(".json")
        try:
            text = text_path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(text_path, f"is not UTF-8: {exc}") from exc
        if not metadata_path.exists():
            raise InputError(metadata_path, "is missing: every seed text needs its metadata")
        metadata = read_json(metadata_path)
        if not isinstance(metadata, dict):
            raise InputError(metadata_path, "must hold one JSON object")
        html_path = text_path.with_suffix(".html")
        html = html_path.read_bytes().decode("utf-8") if html_path.exists() else None
        seeds.append(Seed(text_path.stem, text, metadata, text_path, metadata_path, html))
    return seeds


def fixture_path(fixtures_dir: Path, resource: str) -> Path:
    return fixtures_dir / f"{resource}.json"


def read_fixture(fixtures_dir: Path, resource: str) -> list:
    """The records of one fixture file (a JSON list); an absent file holds none."""
    path = fixture_path(fixtures_dir, resource)
    if not path.exists():
        return []
    records = read_json(path)
    if not isinstance(records, list):
        raise InputError(path, "must hold a JSON list of records")
    return records


def write_fixture(fixtures_dir: Path, resource: str, records: list[dict]) -> Path:
    """Write records in the fixture format: a JSON list, two-space indent, UTF-8."""
    path = fixture_path(fixtures_dir, resource)
    path.write_bytes(orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n")
    return path
