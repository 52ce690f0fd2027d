"""Validate seeds and fixtures with the API's own schemas and verify every citation.

``check`` returns the loaded dataset and a list of problems, each naming the
file, the record, the field and the reason. The build refuses to write a
database while any problem remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import ValidationError

from api.build.inputs import InputError, fixture_path, read_fixture, read_seeds
from api.domain import catalog, countries
from api.domain.records import flatten, record_problems
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
    htmls: dict[str, str] = field(default_factory=dict)  # the HTML a text was taken from
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # (resource, id) -> file


class Checker:
    """Collects problems while loading one set of inputs."""

    def __init__(self, seeds_dir: Path, fixtures_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self.fixtures_dir = fixtures_dir
        self.problems: list[Problem] = []
        self.data = Dataset()

    def problem(self, file, record, field, reason) -> None:
        self.problems.append(Problem(str(file), record, field, reason))

    def validate(self, schema, raw, file) -> dict | None:
        """One raw record loaded by its schema; None, with a problem per bad field, if not."""
        if not isinstance(raw, dict):
            self.problem(file, None, None, "a record must be a JSON object")
            return None
        record_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        try:
            return schema.load(raw)
        except ValidationError as exc:
            for path, message in flatten(exc.messages):
                self.problem(file, record_id, path, message)
            return None

    def load(self, schema, raw, file, resource: str) -> dict | None:
        """Validate one record and keep it, refusing a duplicate id."""
        record = self.validate(schema, raw, file)
        if record is None:
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
            if seed.html is not None:
                self.data.htmls[seed.id] = seed.html

    def countries(self) -> None:
        table = countries.generated()
        self.data.records["countries"] = table
        file = fixture_path(self.fixtures_dir, "countries")
        schema = CountryAdditionSchema()
        for raw in self.raw_fixture("countries"):
            addition = self.validate(schema, raw, file)
            if addition is None:
                continue
            code = addition["id"]
            base = table.get(code)
            if base is None:
                self.problem(file, code, "id", "no ISO 3166-1 alpha-2 or ISO 3166-3 alpha-4 code")
                continue
            if ("countries", code) in self.data.files:
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

    def cross_checks(self) -> None:
        records = self.data.records

        def exists(target: str, record_id: str) -> bool:
            return record_id in records.get(target, {})

        for resource, table in records.items():
            for record_id, record in table.items():
                file = self.data.files.get((resource, record_id))
                if file is None:  # a generated country nothing adds to
                    continue
                for path, reason in record_problems(record, exists, self.data.texts.get):
                    self.problem(file, record_id, path, reason)

    def run(self) -> tuple[Dataset, list[Problem]]:
        self.documents()
        self.countries()
        self.curated()
        self.cross_checks()
        return self.data, self.problems


def check(seeds_dir: Path, fixtures_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Load and validate every input; return the dataset and the problems found."""
    return Checker(Path(seeds_dir), Path(fixtures_dir)).run()
