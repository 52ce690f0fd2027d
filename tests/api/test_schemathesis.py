"""Property-based contract tests: schemathesis over every GET and every write operation.

Each run is what ``st run`` does, driven through schemathesis's engine: every
phase (probing, examples, coverage, fuzzing, and stateful over the links it
infers) and every default check, plus checks of ours. schemathesis 4.32's
pytest plugin cannot run under pytest 9.2 (it writes ``Node._nodeid``, which
pytest 9.2 removed), so the engine is driven directly and its failures are
reported here, one line per distinct (operation, check, failure) with a curl
command that reproduces it.

- GET operations run in-process against the WSGI app over the session's
  database, and again over HTTP against gunicorn started with the project's
  gunicorn.conf.py.
- Write operations (POST, PATCH, DELETE) run over HTTP against the app served
  by werkzeug in a thread of this process, over a private copy of the
  database, with a valid token on every request and rate limits out of the
  way. Not in-process WSGI: schemathesis 4.32.5's ``ignored_auth`` probes
  (the same request without the token, then with a wrong one) pass
  ``max_redirects``/``verify``/``cert`` to werkzeug's test client and crash
  ("EnvironBuilder.__init__() got an unexpected keyword argument
  'max_redirects'") under its WSGI transport. Afterwards the database copy
  must pass ``PRAGMA integrity_check`` and /v1/changes must hold exactly the
  writes the server acknowledged.

Deliberate differences between our contract and what a check assumes are
declared, each with its reason, in ``schemathesis.toml`` at the project root;
the checks below keep those relaxations narrow.

``BRIEFS_SCHEMATHESIS_EXAMPLES`` sets the fuzzing examples per operation
(default 50 for GET operations and 20 for write operations, whose requests
each take a write transaction; ``make test-nightly`` uses 1000 for both).
``BRIEFS_SCHEMATHESIS_SEED`` overrides the fixed seed to explore elsewhere.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import schemathesis
from jsonschema import Draft202012Validator
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.engine import Status, StopReason, events, from_schema
from werkzeug.serving import WSGIRequestHandler, make_server

from api import create_app
from api.store.connections import open_readonly
from tests.helpers import ROOT, served, writable_app

EXAMPLES = int(os.environ.get("BRIEFS_SCHEMATHESIS_EXAMPLES", "50"))
WRITE_EXAMPLES = int(os.environ.get("BRIEFS_SCHEMATHESIS_EXAMPLES", "20"))
SEED = int(os.environ.get("BRIEFS_SCHEMATHESIS_SEED", "20250101"))
MAX_REPORTED = 20  # failures spelled out in the assertion message
# Parameters whose schema-valid values the contract may still reject with a 400
# (see schemathesis.toml): unissued cursors, unresolvable names, impossible
# dates, from > to; and, by operation id, a search without a letter or digit.
LOOKUP_PARAMETERS = {"cursor", "country", "person", "author", "from", "to", "as_of"}
LOOKUP_PARAMETERS_BY_OPERATION = {
    "search": {"q"},
    "searchCsv": {"q"},
    "getBrief": {"b"},
    "getBriefMarkdown": {"b"},
}

WRITE_METHODS = ("POST", "PATCH", "DELETE")
WRITABLE = (
    "agreements",
    "meetings",
    "events",
    "indicators",
    "commentary",
    "people",
    "organizations",
    "documents",
)
# Operations on a document or a draft rather than writes of a record: (method, path end).
REVIEW = (
    ("POST", "extract"),
    ("POST", "accept"),
    ("POST", "reject"),
    ("POST", "resource"),
    ("POST", "merge"),
    ("POST", "citations"),
)
# What a 422 may say about a schema-valid write body (see schemathesis.toml):
# - a citation that its document does not hold at those offsets (any field of a
#   `sources[i]`, wherever the list is, e.g. `status_history[0].sources[1]`);
CITATION_FIELD = re.compile(r"(?:^|\.)sources\[\d+\]\.(?:document|quote|start|end|prefix|suffix)$")
# - a reference to a country, person, meeting, document, organization or
#   commentary that does not exist (the message names the missing id);
UNKNOWN_REFERENCE = re.compile(r"^unknown \w+ id ")
# - a rule on the state of drafts or of a document's text, which no schema of the
#   body can state: a draft changed to the resource it already proposes, merged
#   with itself or a draft of another resource or document; a selection past the
#   end of its document's text, empty, blank, or not holding the quote given;
STATE_RULES = {
    "changeDraftResource": {"resource": re.compile(r"^Already \w+\.$")},
    "mergeDrafts": {
        "draft": re.compile(
            r"^(A draft of \w+\.|'[^']*' is a draft of '[^']*'\.|The same draft\.)$"
        )
    },
    "citeSelection": {
        "start": re.compile(r"^Select some words\.$"),
        "end": re.compile(r"^(At most \d+\.|Must be greater than start\.|Select less\.)$"),
        "quote": re.compile(r"^text\[\d+:\d+\] is "),
    },
}
# - a date the pattern admits but the calendar does not have (2023-02-30), as
#   for the GET operations' date parameters;
IMPOSSIBLE_DATE = re.compile(r"^Not a real calendar date: ")
# - a rule across fields that JSON Schema cannot state, by field and message:
#   the status must be the last status_history entry's; an indicator needs a
#   unit or a currency (also after a merge patch, so no schema of the patch can
#   say it); an Idempotency-Key reused with another request (hypothesis repeats
#   small keys);
CROSS_FIELD_RULES = {
    "status": re.compile(r"but the last status_history entry is"),
    # a document is sent as exactly one of text and html (the generated client
    # cannot take a oneOf of required fields); a page must hold an article
    "text": re.compile(r"^Send the document as exactly one of text or html\.$|^The text is blank"),
    "html": re.compile(r"not an article|^No article text was found"),
    "unit": re.compile(r"^Give a unit or a currency\.$"),
    "Idempotency-Key": re.compile(r"^Reused with a different request\.$"),
}
# - an alias of kind source_spelling without a citation (a rule across two fields);
SPELLING_ALIAS = re.compile(r"(?:^|\.)aliases\[\d+\]\.sources$")
SPELLING_MESSAGE = "A source_spelling alias must cite where it appears."
# - in a merge patch, an object that merges into a stored one lacking its
#   required fields (a partial `value` for an agreement that had none).
MISSING_AFTER_MERGE = "Missing data for required field."


def _operation_id(case) -> str | None:
    return case.operation.definition.raw.get("operationId")


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


_VALIDATORS: dict[tuple[int, str, str], tuple[dict, Draft202012Validator]] = {}


def body_is_schema_valid(case) -> bool:
    """Whether the request body is valid against the operation's own JSON Schema."""
    spec = case.operation.schema.raw_schema
    key = (id(spec), case.operation.label, case.media_type)
    if key not in _VALIDATORS or _VALIDATORS[key][0] is not spec:
        content = case.operation.definition.raw["requestBody"]["content"]
        body = content[case.media_type]["schema"]
        # The document's components beside the body schema, so its $refs resolve.
        validator = Draft202012Validator({**body, "components": spec["components"]})
        _VALIDATORS[key] = (spec, validator)
    return _VALIDATORS[key][1].is_valid(case.body)


@schemathesis.check
def positive_400_blames_only_lookup_parameters(ctx, response, case):
    """Narrows the 400 that schemathesis.toml allows on schema-valid input to its reasons."""
    if not _is_positive(case) or response.status_code != 400:
        return None
    allowed = LOOKUP_PARAMETERS | LOOKUP_PARAMETERS_BY_OPERATION.get(_operation_id(case), set())
    problem = response.json()
    blamed = set(problem.get("errors", {}))
    if not blamed or blamed - allowed:
        others = sorted(blamed - allowed) or "no parameter"
        raise AssertionError(f"Schema-valid request rejected for {others}: {problem.get('detail')}")
    return None


@schemathesis.check
def positive_422_blames_only_references_and_citations(ctx, response, case):
    """Narrows the 422 that schemathesis.toml allows on a schema-valid write body to its reasons."""
    if (
        case.method.upper() not in WRITE_METHODS
        or not _is_positive(case)
        or response.status_code != 422
    ):
        return None
    if not body_is_schema_valid(case):
        # schemathesis 4.32 sometimes sends, in positive mode, a body carrying
        # field paths from an earlier error response as extra properties.
        return None
    if _operation_id(case) == "acceptDraft":
        # `corrections` is any object to JSON Schema; what it may hold is the
        # draft's resource's input schema, checked after merging it in.
        return None
    problem = response.json()
    errors = problem.get("errors") or {}
    state_rules = STATE_RULES.get(_operation_id(case), {})
    unexplained = {
        path: messages
        for path, messages in errors.items()
        if not CITATION_FIELD.search(path)
        and not all(
            UNKNOWN_REFERENCE.match(message)
            or IMPOSSIBLE_DATE.match(message)
            or (path in CROSS_FIELD_RULES and CROSS_FIELD_RULES[path].search(message))
            or (path in state_rules and state_rules[path].search(message))
            or (SPELLING_ALIAS.search(path) and message == SPELLING_MESSAGE)
            or (message == MISSING_AFTER_MERGE and _merged_partially(case, path))
            for message in messages
        )
    }
    if not errors or unexplained:
        shown = "; ".join(f"{path}: {' '.join(m)}" for path, m in sorted(unexplained.items())[:5])
        raise AssertionError(
            f"Schema-valid body rejected for what is neither a reference nor a citation: "
            f"{shown or problem.get('detail')}"
        )
    return None


def _merged_partially(case, path: str) -> bool:
    """Whether a PATCH body holds the object at ``path``'s parent without that field."""
    parent, _, name = path.rpartition(".")
    if case.method.upper() != "PATCH" or not parent or not isinstance(case.body, dict):
        return False
    value = case.body
    for key in parent.split("."):
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return isinstance(value, dict) and name not in value


@schemathesis.check
def preconditions_match_the_if_match_sent(ctx, response, case):
    """412 only for a version other than `*`; 428 only without If-Match (schemathesis.toml)."""
    if case.method.upper() not in ("PATCH", "DELETE"):
        return None
    sent = response.request.headers.get("If-Match")
    if response.status_code == 412 and (sent is None or sent.strip() == "*"):
        raise AssertionError(f"412 to If-Match {sent!r}, which matches any current version")
    if response.status_code == 428 and sent is not None:
        raise AssertionError(f"428 (If-Match required) although If-Match {sent!r} was sent")
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


def project_config(examples: int, headers: dict[str, str] | None = None) -> SchemathesisConfig:
    config = SchemathesisConfig.from_path(ROOT / "schemathesis.toml")
    config.update(seed=SEED, max_failures=None)
    config.projects.default.generation.update(max_examples=examples)
    if headers:
        config.projects.default.update(headers=headers)
    return config


def load_schema(db_path: Path):
    """The app's own /openapi.json, GET operations only, with the project's configuration."""
    app = create_app({"DB": str(db_path), "ACCESS_LOG": False})
    app.wsgi_app = closing(app.wsgi_app)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=project_config(EXAMPLES))
    # Not `include(method="GET")`: the `[[operations]]` table already adds an
    # include filter that matches everything, and include filters are OR-ed.
    return schema.exclude(func=lambda ctx: ctx.operation.method.upper() != "GET")


def describe(label: str, check: str, info) -> str:
    if info is None:
        return f"{label} [{check}] failed"
    failure = info.failure
    request = info.steps[-1].curl if info.steps else info.code_sample
    return f"{label} [{check}] {failure.title}: {failure.message.strip()}\n    {request}"


@dataclass
class Run:
    """What one engine run did: cases per operation label, distinct failures, errors."""

    tested: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    finished: events.EngineFinished | None = None

    def assert_clean(self, examples: int) -> None:
        finished = self.finished
        assert finished is not None and finished.stop_reason == StopReason.COMPLETED, finished
        assert not self.errors, "\n".join(self.errors)
        reported = list(self.failures.values())
        assert not reported, (
            f"{len(reported)} distinct failure(s) (seed {SEED}, {examples} examples):\n"
            + "\n".join(reported[:MAX_REPORTED])
        )


def run(schema) -> Run:
    """Run the engine and collect its failures by operation, check and title.

    The global random generator is seeded too: choices the engine makes with it
    (a dictionary value or a generated one) must not depend on the tests that
    ran before in the same process.
    """
    random.seed(SEED)
    result = Run()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            label = event.recorder.label
            result.tested[label] += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE:
                        info = check.failure_info
                        title = info.failure.title if info else ""
                        result.failures.setdefault(
                            (label, check.name, title), describe(label, check.name, info)
                        )
        elif isinstance(event, events.NonFatalError):
            result.errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            result.finished = event
    return result


@pytest.mark.slow
def test_every_get_operation_honours_its_contract(db_path):
    check_get_operations(load_schema(db_path))


@pytest.mark.slow
def test_every_get_operation_honours_its_contract_under_gunicorn(db_path, tmp_path):
    """The same run over HTTP against gunicorn with the project's gunicorn.conf.py:
    its workers, its request limits and its error pages, not only the WSGI app."""
    log = tmp_path / "gunicorn.log"
    with served(db_path, log, BRIEFS_ACCESS_LOG="0") as (base_url, process, _):
        config = project_config(EXAMPLES)
        schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
        check_get_operations(
            schema.exclude(func=lambda ctx: ctx.operation.method.upper() != "GET")
        )
        assert process.poll() is None, "gunicorn stopped during the run"
    assert "Traceback" not in log.read_text()


def check_get_operations(schema) -> None:
    paths = schema.raw_schema["paths"]
    operations = {f"GET {path}" for path, item in paths.items() if "get" in item}

    result = run(schema)

    assert operations <= set(result.tested), (
        f"never called: {sorted(operations - set(result.tested))}"
    )
    others = {label for label in result.tested if label.split()[0] not in ("GET", "Stateful")}
    assert not others, f"not GET operations: {sorted(others)}"
    result.assert_clean(EXAMPLES)


# --- writes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One write request as the server answered it."""

    method: str
    resource: str
    record_id: str | None  # from the path, or from Location for a create
    status: int
    authorized: bool  # an Authorization header was sent
    replayed: bool  # an Idempotency-Key replay of an earlier answer
    review: str | None = None  # extract, accept or reject (resource: the record an accept wrote)


class WriteLog:
    """WSGI middleware noting every write request the server answers."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app
        self.answers: list[Answer] = []
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] not in WRITE_METHODS:
            return self.wsgi_app(environ, start_response)
        seen: dict = {}

        def noting(status, headers, exc_info=None):
            seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, noting)
        try:
            buffered = [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
        # PEP 3333: PATH_INFO holds the URL-decoded bytes as latin-1.
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace")
        parts = path.split("/")  # "", "v1", resource, id, action
        headers = seen["headers"]
        answer = None
        if len(parts) == 5 and parts[1] == "v1" and (environ["REQUEST_METHOD"], parts[4]) in REVIEW:
            resource, record_id = parts[2], None
            if parts[4] == "accept" and "Location" in headers:  # the record written
                _, _, resource, record_id = urlsplit(headers["Location"]).path.split("/")
                record_id = unquote(record_id)
            answer = Answer(
                method=environ["REQUEST_METHOD"],
                resource=resource,
                record_id=record_id,
                status=seen["status"],
                authorized="HTTP_AUTHORIZATION" in environ,
                replayed=False,
                review=parts[4],
            )
        elif 3 <= len(parts) <= 4 and parts[1] == "v1" and parts[2] in WRITABLE:
            record_id = parts[3] if len(parts) == 4 else None
            if "Location" in headers:
                record_id = unquote(urlsplit(headers["Location"]).path.rsplit("/", 1)[1])
            answer = Answer(
                method=environ["REQUEST_METHOD"],
                resource=parts[2],
                record_id=record_id,
                status=seen["status"],
                authorized="HTTP_AUTHORIZATION" in environ,
                replayed=headers.get("Idempotent-Replayed") == "true",
            )
        if answer is not None:
            with self._lock:
                self.answers.append(answer)
        return buffered

    def acknowledged(self) -> Counter[tuple[str, str, str]]:
        """(action, resource, id) of every write that took effect."""
        actions = {"POST": "create", "PATCH": "update", "DELETE": "delete"}
        # An accepted draft creates its record (the drafts here are all `create`s);
        # a rejected draft or a queued extraction writes no record, nor does a page
        # posted as a document (202: a job; the worker, absent here, stores it).
        return Counter(
            (actions[a.method], a.resource, a.record_id)
            for a in self.answers
            if 200 <= a.status < 300
            and a.status != 202
            and not a.replayed
            and a.review in (None, "accept")
        )


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-") -> None:  # one line per request is noise
        pass


@contextmanager
def serving(wsgi_app):
    """The app over HTTP on a free 127.0.0.1 port, served from a thread of this process."""
    server = make_server("127.0.0.1", 0, wsgi_app, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="werkzeug", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def fresh_idempotency_keys():
    """Give every schema-valid Idempotency-Key schemathesis sends a value of its own.

    Steering, not relaxing. The key is opaque to the server; only its reuse
    means something (a replay, or a 422 with another body). schemathesis draws
    the same few keys over and over (the coverage phase keeps one while it
    varies each field of the body), so without this nearly every POST after the
    first is a 422 for the reused key and its body is never validated. Cases
    about a header (a missing Authorization, the key's own length limits) are
    sent as drawn: changing them would make schemathesis re-judge the case.
    Replays are tested in tests/writes/test_writes.py.
    """
    sent = itertools.count(1)

    def before_call(context, case, kwargs):
        headers = case.headers or {}
        key = headers.get("Idempotency-Key")
        if (
            case.method.upper() == "POST"
            and isinstance(key, str)
            and case.meta is not None
            and getattr(case.meta.phase.data, "parameter_location", None)
            != ParameterLocation.HEADER
        ):
            headers["Idempotency-Key"] = f"schemathesis-{next(sent)}"

    schemathesis.hook("before_call")(before_call)
    try:
        yield
    finally:
        schemathesis.hooks.unregister(before_call)


# Feeds are written to the intake file, not the data; tests/writes/test_feeds.py holds
# their contract (scopes, 201, 204, 404, 409, 422).
NOT_FUZZED = re.compile(r"^/v1/feeds")


def write_operations(spec: dict) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method.upper() in WRITE_METHODS and not NOT_FUZZED.match(path)
    }


# The one seeded indicator is a commentary's subject, so DELETE answers it 409.
# The test creates this one first; schemathesis.toml lists its id for DELETE.
DELETABLE_INDICATOR = {
    "title": "Deletable trade figure",
    "kind": "trade_turnover",
    "countries": ["PK", "RU"],
    "value": 700_000_000,
    "currency": "USD",
    "period": "2010",
    "summary": "Annual trade turnover, created for DELETE to remove.",
    "sources": [
        {
            "document": "pakistan-russia-relations-a-new-beginning",
            "quote": "The annual trade turnover is a pitiful $700 million.",
            "start": 2711,
            "end": 2763,
        }
    ],
}
DELETABLE_INDICATOR_ID = "2010-deletable-trade-figure"


def seed_review_work(app, db: Path, secret: str) -> None:
    """What the new write operations need to succeed sometimes (schemathesis.toml names it):
    a document, a person and an organization nothing refers to, for DELETE; and open
    drafts of the test article, made as the extraction worker would make them."""
    from api.curation import queue
    from api.curation.review import Review
    from api.store.writer import Writer
    from tests.helpers import article
    from tests.review_double import HandDrafts

    client = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    for path, body in (
        ("/v1/people", {"name": "Deletable Person"}),
        ("/v1/organizations", {"name": "Deletable Organization"}),
        ("/v1/documents", {**article(), "title": "Deletable document", "text": "Deletable."}),
    ):
        response = client.post(path, json=body, headers=auth)
        assert response.status_code == 201, response.get_data(as_text=True)
    # Three texts of the article, four drafts each (d1 to d12), of twelve distinct records.
    for copy in ("", " Second copy.", " Third copy."):
        body = {**article(), "text": article()["text"] + copy}
        if copy:
            body["title"] += copy
        response = client.post("/v1/documents", json=body, headers=auth)
        assert response.status_code == 201, response.get_data(as_text=True)
        job = Review(Writer(db)).add_job(response.get_json()["id"])
        queue.run(db, job.id, extractor=HandDrafts(variant=copy))
    # A fourth copy extracted twice (d13-d16, d17-d20): drafts of one document, two of
    # each resource, for merges.
    body = {**article(), "title": "Fourth copy", "text": article()["text"] + " Fourth copy."}
    response = client.post("/v1/documents", json=body, headers=auth)
    assert response.status_code == 201, response.get_data(as_text=True)
    for variant in (" A", " B"):
        job = Review(Writer(db)).add_job(response.get_json()["id"])
        queue.run(db, job.id, extractor=HandDrafts(variant=variant))


def change_feed(client) -> list[dict]:
    items, since = [], 0
    while True:
        response = client.get(f"/v1/changes?since={since}&limit=500")
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        since = page["next_cursor"]


@pytest.mark.slow
@pytest.mark.timeout(900)  # every write operation, 20 examples each, on two shared cores
def test_every_write_operation_honours_its_contract(db_path, tmp_path):
    app, db, tokens = writable_app(db_path, tmp_path)
    _, secret = tokens.create("schemathesis")
    log = WriteLog(app.wsgi_app)
    app.wsgi_app = log
    created = app.test_client().post(
        "/v1/indicators", json=DELETABLE_INDICATOR, headers={"Authorization": f"Bearer {secret}"}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["Location"].endswith(f"/{DELETABLE_INDICATOR_ID}")
    seed_review_work(app, db, secret)
    config = project_config(WRITE_EXAMPLES, headers={"Authorization": f"Bearer {secret}"})
    # schemathesis's error feedback reads a 422's `errors` keys as top-level
    # field names (its marshmallow parser expects nested dicts), so after
    # "subjects[0].id: Missing data for required field." it adds a property
    # literally named "subjects[0].id" to later bodies, which every later
    # commentary POST then fails on. Our keys are paths; do without it here.
    config.projects.default.phases.fuzzing.error_feedback.is_enabled = False

    with serving(app) as base_url, fresh_idempotency_keys():
        schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
        schema = schema.exclude(func=lambda ctx: ctx.operation.method.upper() not in WRITE_METHODS)
        schema = schema.exclude(path_regex=NOT_FUZZED.pattern)
        operations = write_operations(schema.raw_schema)
        result = run(schema)

    assert len(operations) == 3 * len(WRITABLE) + len(REVIEW), sorted(operations)
    assert operations <= set(result.tested), (
        f"never called: {sorted(operations - set(result.tested))}"
    )
    kinds = (*WRITE_METHODS, "Stateful")
    others = {label for label in result.tested if label.split()[0] not in kinds}
    assert not others, f"not write operations: {sorted(others)}"
    result.assert_clean(WRITE_EXAMPLES)

    # ignored_auth only probes after a success: every write operation must have
    # succeeded with the token and been refused without it.
    succeeded = {
        (a.method, a.review or a.resource) for a in log.answers if a.authorized and a.status < 300
    }
    refused = {
        (a.method, a.review or a.resource)
        for a in log.answers
        if not a.authorized and a.status == 401
    }
    every = {(method, resource) for method in WRITE_METHODS for resource in WRITABLE}
    every |= set(REVIEW)
    assert every <= succeeded, f"never succeeded: {sorted(every - succeeded)}"
    assert every <= refused, f"never refused without a token: {sorted(every - refused)}"

    conn = open_readonly(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()

    feed = change_feed(app.test_client())
    recorded = Counter((c["action"], c["type"], c["id"]) for c in feed)
    acknowledged = log.acknowledged()
    missing = sorted((acknowledged - recorded).elements())
    unexpected = sorted((recorded - acknowledged).elements())
    assert acknowledged == recorded, (
        f"acknowledged but not in /v1/changes: {missing[:10]}; "
        f"in /v1/changes but never acknowledged: {unexpected[:10]}"
    )
    assert {action for action, _, _ in recorded} == {"create", "update", "delete"}
