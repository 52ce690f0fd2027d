"""Property-based contract test: schemathesis over every GET operation, in-process (WSGI).

The run is what ``st run`` does, driven through schemathesis's engine: every
phase (probing, examples, coverage, fuzzing, and stateful over the links it
infers) and every default check, plus one check of ours. schemathesis 4.32's
pytest plugin cannot run under pytest 9.2 (it writes ``Node._nodeid``, which
pytest 9.2 removed), so the engine is driven directly and its failures are
reported here, one line per distinct (operation, check, failure) with a curl
command that reproduces it.

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

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, StopReason, events, from_schema

from api import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("BRIEFS_SCHEMATHESIS_EXAMPLES", "50"))
SEED = int(os.environ.get("BRIEFS_SCHEMATHESIS_SEED", "20250101"))
MAX_REPORTED = 20  # failures spelled out in the assertion message
# Parameters whose schema-valid values the contract may still reject with a 400
# (see schemathesis.toml): unissued cursors, unresolvable names, impossible
# dates, from > to; and, by operation id, a search without a letter or digit.
LOOKUP_PARAMETERS = {"cursor", "country", "person", "author", "from", "to", "as_of"}
LOOKUP_PARAMETERS_BY_OPERATION = {"search": {"q"}}


@schemathesis.check
def positive_400_blames_only_lookup_parameters(ctx, response, case):
    """Narrows the 400 that schemathesis.toml allows on schema-valid input to its reasons."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    operation_id = case.operation.definition.raw.get("operationId")
    allowed = LOOKUP_PARAMETERS | LOOKUP_PARAMETERS_BY_OPERATION.get(operation_id, set())
    problem = response.json()
    blamed = set(problem.get("errors", {}))
    if not blamed or blamed - allowed:
        others = sorted(blamed - allowed) or "no parameter"
        raise AssertionError(f"Schema-valid request rejected for {others}: {problem.get('detail')}")
    return None


def closing(wsgi_app):
    """Buffer each response and close its iterable.

    schemathesis's WSGI transport reads a response body but never closes it, so
    a file body (/v1/dataset.sqlite) leaks an open file: a ResourceWarning that
    this project's ``filterwarnings = error`` turns into a test error.
    """

    def app(environ, start_response):
        body = wsgi_app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return app


def load_schema(db_path: Path):
    """The app's own /openapi.json, GET operations only, with the project's configuration."""
    config = SchemathesisConfig.from_path(ROOT / "schemathesis.toml")
    config.update(seed=SEED, max_failures=None)
    config.projects.default.generation.update(max_examples=EXAMPLES)
    app = create_app({"DB": str(db_path), "ACCESS_LOG": False})
    app.wsgi_app = closing(app.wsgi_app)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)
    # Not `include(method="GET")`: the `[[operations]]` table already adds an
    # include filter that matches everything, and include filters are OR-ed.
    return schema.exclude(func=lambda ctx: ctx.operation.method.upper() != "GET")


def describe(label: str, check: str, info) -> str:
    if info is None:
        return f"{label} [{check}] failed"
    failure = info.failure
    request = info.steps[-1].curl if info.steps else info.code_sample
    return f"{label} [{check}] {failure.title}: {failure.message.strip()}\n    {request}"


def test_every_get_operation_honours_its_contract(db_path):
    schema = load_schema(db_path)
    paths = schema.raw_schema["paths"]
    operations = {f"GET {path}" for path, item in paths.items() if "get" in item}

    failures: dict[tuple[str, str, str], str] = {}
    tested: Counter[str] = Counter()
    errors: list[str] = []
    finished = None
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            label = event.recorder.label
            tested[label] += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE:
                        info = check.failure_info
                        title = info.failure.title if info else ""
                        failures.setdefault(
                            (label, check.name, title), describe(label, check.name, info)
                        )
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            finished = event

    assert finished is not None and finished.stop_reason == StopReason.COMPLETED, finished
    assert not errors, "\n".join(errors)
    assert operations <= set(tested), f"never called: {sorted(operations - set(tested))}"
    others = {label for label in tested if label.split()[0] not in ("GET", "Stateful")}
    assert not others, f"not GET operations: {sorted(others)}"
    reported = list(failures.values())
    assert not reported, (
        f"{len(reported)} distinct failure(s) (seed {SEED}, {EXAMPLES} examples):\n"
        + "\n".join(reported[:MAX_REPORTED])
    )
