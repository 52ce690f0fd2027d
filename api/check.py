"""Validate seeds and fixtures with the API's own schemas and verify every citation.

``check`` returns the loaded dataset and a list of problems, each naming the
file, the record, the field and the reason. The build refuses to write a
database while any problem remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import ValidationError

from api import catalog, citations, countries
from api.fixtures import InputError, fixture_path, read_fixture, read_seeds
from schemas.countries import CountryAdditionSchema


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs."""

    file: str
    record: str | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file, self.record or "-", self.field or "-"]
        return f"{': '.join(where)}: {self.reason}"


@dataclass
class Dataset:
    """Validated records by resource and id, and the document texts."""

    records: dict[str, dict[str, dict]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # (resource, id) -> file


def flatten(messages, path: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested error messages as (``roles[0].from``, message) pairs."""
    if isinstance(messages, dict):
        pairs = []
        for key, value in messages.items():
            if isinstance(key, int):
                sub = f"{path}[{key}]"
            elif key == "_schema":
                sub = path
            else:
                sub = f"{path}.{key}" if path else str(key)
            pairs += flatten(value, sub)
        return pairs
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [(path or None, m) for m in messages]
    if isinstance(messages, list):
        return [pair for m in messages for pair in flatten(m, path)]
    return [(path or None, str(messages))]


class Checker:
    """Collects problems while loading one set of inputs."""

    def __init__(self, seeds_dir: Path, fixtures_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self.fixtures_dir = fixtures_dir
        self.problems: list[Problem] = []
        self.data = Dataset()

    def problem(self, file, record, field, reason) -> None:
        self.problems.append(Problem(str(file), record, field, reason))

    def load(self, schema, raw, file, resource: str) -> dict | None:
        """Load one raw record with its schema, recording a problem per bad field."""
        record_id = raw.get("id") if isinstance(raw, dict) else None
        record_id = record_id if isinstance(record_id, str) else None
        if not isinstance(raw, dict):
            self.problem(file, None, None, "a record must be a JSON object")
            return None
        try:
            record = schema.load(raw)
        except ValidationError as exc:
            for path, message in flatten(exc.messages):
                self.problem(file, record_id, path, message)
            return None
        table = self.data.records.setdefault(resource, {})
        if record["id"] in table:
            first = self.data.files[(resource, record["id"])]
            self.problem(file, record["id"], "id", f"duplicate id (first defined in {first})")
            return None
        table[record["id"]] = record
        self.data.files[(resource, record["id"])] = str(file)
        return record

    # --- inputs --------------------------------------------------------------

    def documents(self) -> None:
        schema = catalog.DOCUMENTS.schema()
        try:
            seeds = read_seeds(self.seeds_dir)
        except InputError as exc:
            self.problem(exc.path, None, None, exc.reason)
            return
        for seed in seeds:
            metadata = {"id": seed.id, **seed.metadata}
            if metadata["id"] != seed.id:
                self.problem(seed.metadata_path, seed.id, "id", "must match the text file's name")
                continue
            record = self.load(schema, metadata, seed.metadata_path, "documents")
            if record is None:
                continue
            if record["sha256"] != seed.sha256:
                self.problem(
                    seed.metadata_path,
                    seed.id,
                    "sha256",
                    f"the text's SHA-256 is {seed.sha256}: the text or the metadata changed",
                )
            record["length"] = len(seed.text)
            self.data.texts[seed.id] = seed.text

    def countries(self) -> None:
        table = countries.current()
        self.data.records["countries"] = table
        file = fixture_path(self.fixtures_dir, "countries")
        schema = CountryAdditionSchema()
        for raw in self.raw_fixture("countries"):
            try:
                addition = schema.load(raw)
            except ValidationError as exc:
                rid = raw.get("id") if isinstance(raw, dict) else None
                for path, message in flatten(exc.messages):
                    self.problem(file, rid, path, message)
                continue
            code = addition["id"]
            base = table.get(code) or countries.historical(code)
            if base is None:
                self.problem(file, code, "id", "no ISO 3166-1 alpha-2 or ISO 3166-3 alpha-4 code")
                continue
            if base["historical"] and code in table:
                self.problem(file, code, "id", "duplicate id")
                continue
            table[code] = countries.merge(base, addition)
            self.data.files[("countries", code)] = str(file)

    def raw_fixture(self, resource: str) -> list:
        try:
            return read_fixture(self.fixtures_dir, resource)
        except InputError as exc:
            self.problem(exc.path, None, None, exc.reason)
            return []

    def curated(self) -> None:
        for resource in catalog.CURATED:
            schema = resource.schema()
            file = fixture_path(self.fixtures_dir, resource.name)
            for raw in self.raw_fixture(resource.name):
                self.load(schema, raw, file, resource.name)

    # --- cross-record checks -------------------------------------------------

    def references(self) -> None:
        for resource, table in self.data.records.items():
            for record_id, record in table.items():
                file = self.data.files.get((resource, record_id))
                if file is None:  # a generated country nothing adds to
                    continue
                for path, target, value in _refs(record):
                    if value not in self.data.records.get(target, {}):
                        self.problem(file, record_id, path, f"unknown {target} id {value!r}")

    def citations(self) -> None:
        for resource, table in self.data.records.items():
            for record_id, record in table.items():
                file = self.data.files.get((resource, record_id))
                for path, source in citations.walk(record):
                    text = self.data.texts.get(source["document"])
                    if text is None:
                        continue  # reported by references()
                    for field_name, reason in citations.verify(source, text):
                        self.problem(file, record_id, f"{path}.{field_name}", reason)

    def consistency(self) -> None:
        for record_id, agreement in self.data.records.get("agreements", {}).items():
            history = agreement["status_history"]
            if history and history[-1]["status"] != agreement["status"]:
                self.problem(
                    self.data.files[("agreements", record_id)],
                    record_id,
                    "status",
                    f"is {agreement['status']!r} but the last status_history entry "
                    f"is {history[-1]['status']!r}",
                )

    def run(self) -> tuple[Dataset, list[Problem]]:
        self.documents()
        self.countries()
        self.curated()
        self.references()
        self.citations()
        self.consistency()
        return self.data, self.problems


def _refs(value, path: str = ""):
    """(path, resource, id) for every reference inside a record."""
    if isinstance(value, dict):
        if set(value) >= {"type", "id"} and value.get("type") in catalog.BY_SINGULAR:
            yield f"{path}id", catalog.BY_SINGULAR[value["type"]].name, value["id"]
            return
        for key, item in value.items():
            target = catalog.REFERENCES.get(key)
            if target and isinstance(item, str):
                yield f"{path}{key}", target, item
            elif target and isinstance(item, list) and all(isinstance(i, str) for i in item):
                for i, each in enumerate(item):
                    yield f"{path}{key}[{i}]", target, each
            else:
                yield from _refs(item, f"{path}{key}.")
    elif isinstance(value, list):
        base = path[:-1] if path.endswith(".") else path
        for i, item in enumerate(value):
            yield from _refs(item, f"{base}[{i}].")


def check(seeds_dir: Path, fixtures_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Load and validate every input; return the dataset and the problems found."""
    return Checker(Path(seeds_dir), Path(fixtures_dir)).run()
