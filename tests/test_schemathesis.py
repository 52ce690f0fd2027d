"""Property-based contract test: schemathesis over every GET operation, in-process (WSGI).

The run is what ``st run`` does, driven through schemathesis's engine: every
phase (examples, coverage, fuzzing; stateful is skipped, the document has no
links) and every default check. schemathesis 4.32's pytest plugin cannot run
under pytest 9.2 (it writes ``Node._nodeid``, which pytest 9.2 removed), so the
engine is driven directly and its failures are reported here.

Deliberate differences between our contract and what a check assumes are
declared, each with its reason, in ``schemathesis.toml`` at the project root.

``BRIEFS_SCHEMATHESIS_EXAMPLES`` sets the fuzzing examples per operation
(default 50; ``make test-nightly`` uses 1000). ``BRIEFS_SCHEMATHESIS_SEED``
overrides the fixed seed to explore elsewhere.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, StopReason, events, from_schema

from api import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("BRIEFS_SCHEMATHESIS_EXAMPLES", "50"))
SEED = int(os.environ.get("BRIEFS_SCHEMATHESIS_SEED", "20250101"))
MAX_REPORTED = 20  # failures spelled out in the assertion message


def load_schema(db_path: Path):
    """The app's own /openapi.json, GET operations only, with the project's configuration."""
    config = SchemathesisConfig.from_path(ROOT / "schemathesis.toml")
    config.update(seed=SEED, max_failures=None)
    config.projects.default.generation.update(max_examples=EXAMPLES)
    app = create_app({"DB": str(db_path), "ACCESS_LOG": False})
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)
    return schema.include(method="GET")


def describe(label: str, check: str, info) -> str:
    failure = info.failure
    request = info.steps[-1].curl if info.steps else info.code_sample
    return f"{label} [{check}] {failure.title}: {failure.message.strip()}\n    {request}"


def test_every_get_operation_honours_its_contract(db_path):
    schema = load_schema(db_path)
    operations = {op.ok().label for op in schema.get_all_operations()}
    documented = {f"GET {path}" for path, item in schema.raw_schema["paths"].items() if "get" in item}
    assert operations == documented

    failures: dict[tuple[str, str, str], str] = {}
    tested: Counter[str] = Counter()
    errors: list[str] = []
    finished = None
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            tested[recorder.label] += len(recorder.cases)
            for checks in recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        key = (recorder.label, check.name, failure.title)
                        failures.setdefault(key, describe(recorder.label, check.name,
                                                          check.failure_info))
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format() if hasattr(event.info, 'format') else event.value!r}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            finished = event

    assert finished is not None and finished.stop_reason == StopReason.COMPLETED, finished
    assert not errors, "\n".join(errors)
    untested = operations - set(tested)
    assert not untested, f"operations never called: {sorted(untested)}"
    reported = list(failures.values())
    assert not reported, (
        f"{len(reported)} distinct failure(s) (seed {SEED}, {EXAMPLES} examples):\n"
        + "\n".join(reported[:MAX_REPORTED])
    )
