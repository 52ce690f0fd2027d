"""HTML views: home, brief, document, record and search pages.

Each reads through the data module (``representation.get_store()``), carries an ETag
(the data version and the pages' own version) and ``Cache-Control`` like
``/v1``, and a Content Security Policy that allows only this origin's
stylesheet and script. Templates escape every text they are given.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
from flask import Blueprint, current_app, redirect, render_template, request, url_for

from api.briefs.compose import COUNT_CAP, Brief
from api.domain import catalog
from api.store import connections, fulltext, lookup, planner, reads
from api.web import representation
from api.web.pages import involved, reading
from api.web.problems import Problem
from api.web.response import Response

HERE = Path(__file__).parent
blp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/pages/static",
)
HTML = "text/html"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DESK_CSP = f"{CSP}; connect-src 'self'"  # the desk's script calls /v1/drafts
BRIEF_LIMIT = 10  # items a brief page shows per section (as /v1/briefs by default)
STRIP_LIMIT = 100  # records the timeline strip draws and the chronology lists
LATEST = 5  # documents and changes on the home page
PAIRS_SHOWN = 8  # pairs with records the home page offers first
SEARCH_LIMIT = 20
SEARCH_DEPTH = 10_000  # as deep as /v1/search pages go
HISTORY_LIMIT = 100
RECORDS = tuple(r.name for r in catalog.ALL if r is not catalog.DOCUMENTS)


def _version() -> str:
    """A digest of the pages' code, templates and assets: part of every page's ETag."""
    digest = hashlib.sha256()
    for path in sorted(p for p in HERE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(HERE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


PAGES_VERSION = _version()


class PageBrief(Brief):
    """The brief as its page shows it: the chronology's first STRIP_LIMIT records.

    ``/v1/briefs`` lists up to 500 and counts up to 10,000; a page a person
    reads stops sooner, and says how many there are up to the sections' cap.
    """

    chronology_cap = STRIP_LIMIT
    chronology_count_cap = COUNT_CAP


def fresh() -> str:
    """The ETag of the page asked for (data and pages' version); NotModified when current.

    Views call it before composing anything, so a revalidation costs one lookup.
    """
    etag = f"{representation.get_store().data_version()}-{PAGES_VERSION}-html"
    this = request._get_current_object()
    if "HTTP_IF_NONE_MATCH" in this.environ and this.if_none_match.contains_weak(etag):
        raise representation.NotModified(etag)
    return etag


def page(template: str, etag: str, **context) -> Response:
    """A rendered page with the caching headers of ``/v1``."""
    body = render_template(f"pages/{template}", **context)
    return representation.finish(Response(body, mimetype=HTML), etag)


def error_page(status: int, title: str, detail: str, suggestions=(), errors=None) -> Response:
    """An error as a page, with the status ``/v1`` gives (and what is wrong with each
    parameter, as ``errors``); never cached."""
    body = render_template(
        "pages/error.html", title=title, detail=detail, suggestions=suggestions, errors=errors
    )
    response = Response(body, status=status, mimetype=HTML)
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.app_template_global()
def asset(filename: str) -> str:
    """An asset's URL, naming the pages' version so that a new one is fetched anew."""
    return url_for("pages.static", filename=filename, v=PAGES_VERSION)


@blp.after_request
def security_headers(response: Response) -> Response:
    headers = response.headers
    desk = (request.endpoint or "").startswith("pages.desk")
    headers["Content-Security-Policy"] = DESK_CSP if desk else CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    return response


# --- errors as pages ----------------------------------------------------------------


@blp.errorhandler(lookup.NotFound)
def not_found(error: lookup.NotFound):
    resource = catalog.BY_SINGULAR.get(error.resource)
    links = [reading.record_href(resource, s) for s in error.suggestions] if resource else []
    return error_page(
        404,
        "Not found",
        f"No {error.resource} {error.key!r}.",
        list(zip(error.suggestions, links, strict=True)),
    )


@blp.errorhandler(reads.Gone)
def gone(error: reads.Gone):
    return error_page(
        410,
        "Deleted",
        f"The {error.resource} {error.key!r} was deleted "
        f"at {error.deleted_at}; its id is not reused.",
    )


@blp.errorhandler(lookup.Ambiguous)
def ambiguous(error: lookup.Ambiguous):
    return error_page(
        400, "More than one match", f"{error.key!r} could mean {', '.join(error.candidates)}."
    )


@blp.errorhandler(Problem)
def problem(error: Problem):
    return error_page(
        error.status, "Cannot show this page", error.detail, errors=error.extensions.get("errors")
    )


@blp.errorhandler(connections.Unavailable)
def unavailable(error: connections.Unavailable):
    response = error_page(503, "Unavailable", f"The data is not available: {error}.")
    response.headers["Retry-After"] = "5"
    return response


# --- pages --------------------------------------------------------------------------


@blp.get("/")
def home():
    """What the service holds, the latest documents (by publication date) and changes
    (by the title of what changed), the pairs with records and a brief picker, search."""
    etag = fresh()
    data = representation.get_store()
    documents = [
        reads.decode(b)
        for b in data.page(catalog.DOCUMENTS, planner.NO_FILTERS, "-date", LATEST).items
    ]
    every = [
        reads.decode(b) for b in data.page(catalog.COUNTRIES, planner.NO_FILTERS, "name", 500).items
    ]
    in_briefs = data.in_briefs()  # the picker offers these first
    countries = [
        [c for c in every if c["id"] in in_briefs],
        [c for c in every if c["id"] not in in_briefs],
    ]
    changes = []
    for seq, at, action, name, record_id, before, after in data.latest_changes(LATEST):
        resource = catalog.BY_NAME[name]
        body = orjson.loads(after or before) if (after or before) else {"id": record_id}
        changes.append(
            {
                "seq": seq,
                "at": at,
                "action": action,
                "done": {"create": "created", "update": "changed", "delete": "deleted"}.get(
                    action, action
                ),
                "resource": resource.singular,
                "title": reading.record_label(resource, body),
                "href": reading.record_href(resource, record_id),
            }
        )
    return page(
        "home.html",
        etag,
        counts=data.counts(),
        documents=documents,
        countries=countries,
        pairs=involved.pairs_with_records(data, PAIRS_SHOWN, current_app.config["DB"])[0],
        changes=changes,
    )


def brief_redirect(a: str, b: str):
    """To the brief of two countries named any way, by their ids in order."""
    data = representation.get_store()
    pair = sorted((data.resolve(catalog.COUNTRIES, a), data.resolve(catalog.COUNTRIES, b)))
    return redirect(url_for("pages.brief", a=pair[0], b=pair[1]), 303)


@blp.get("/briefs/<string:a>/<string:b>")
def brief(a: str, b: str):
    """The bilateral brief, with a timeline strip and every statement footnoted."""
    data = representation.get_store()
    pair = (data.resolve(catalog.COUNTRIES, a), data.resolve(catalog.COUNTRIES, b))
    if pair[0] == pair[1]:
        raise Problem(400, f"A brief needs two different countries; both name {pair[0]}.")
    if list(pair) != sorted(pair) or pair != (a, b):
        return brief_redirect(a, b)
    etag = fresh()
    composer = PageBrief(data, pair, as_of=None, predecessors=True, limit=BRIEF_LIMIT, base_url="")
    composed = composer.compose()
    entries = composer.timeline  # the chronology's first STRIP_LIMIT entries
    sources = {s["number"]: {**s, "href": reading.cite_href(s)} for s in composed["sources"]}
    sections = [("Figures", composed["figures"])]
    sections += [
        (f"Agreements: {status.replace('_', ' ')}", section)
        for status, section in composed["agreements"].items()
    ]
    sections += [
        ("Meetings", composed["meetings"]),
        ("Events", composed["events"]),
        ("Quoted positions", composed["positions"]),
        ("Recommendations", composed["recommendations"]),
    ]
    return page(
        "brief.html",
        etag,
        brief=composed,
        sections=sections,
        sources=sources,
        strip=reading.strip(entries, composer.groups),
        strip_count=len(entries),
        href=lambda item: reading.record_href(catalog.BY_SINGULAR[item["type"]], item["id"]),
    )


def _marked_document(document_id: str):
    """A document, the page's ETag (a 304 ends here) and its text cut at every cited span."""
    data = representation.get_store()
    record = reads.decode(data.get(catalog.DOCUMENTS, document_id).json)
    etag = fresh()
    text, _ = data.document_text(record["id"])
    citing = [
        (catalog.BY_NAME[name], reads.decode(body)) for name, body in data.citing(record["id"])
    ]
    return record, etag, reading.mark_document(record["id"], text, citing)


def _shown() -> set[str] | None:
    """The resources whose highlights the document page shows (``?show=agreement``,
    repeatable; an empty ``show`` alone shows none); None, without ``show``: all."""
    values = request.args.getlist("show")
    if not values:
        return None
    shown = {v for v in values if v}
    unknown = sorted(shown - set(catalog.BY_SINGULAR))
    if unknown:
        raise Problem(
            400,
            f"show names a resource, one of {', '.join(catalog.BY_SINGULAR)}.",
            errors={"show": [f"Unknown resource: {v!r}." for v in unknown]},
        )
    return shown


@blp.get("/documents/<string:document_id>")
def document(document_id: str):
    """A document's exact text with every cited span marked."""
    shown = _shown()
    record, etag, marked = _marked_document(document_id)
    fields = reading.Fields()
    return page(
        "document.html",
        etag,
        document=record,
        marked=marked,
        shown=shown,
        by_kind=marked.passages_by_kind(),
        fields=fields.of(record, skip=("id", "title")),
    )


@blp.get(f"/<any({', '.join(RECORDS)}):resource_name>/<string:record_id>")
def record(resource_name: str, record_id: str):
    """Any record: its fields, its citations (each linking to its span), its history."""
    resource = catalog.BY_NAME[resource_name]
    data = representation.get_store()
    stored = data.get(resource, record_id)
    if stored.id != record_id:
        return redirect(reading.record_href(resource, stored.id), 301)
    etag = fresh()
    body = reads.decode(stored.json)
    fields = reading.Fields()
    shown = fields.of(body)
    titles = {
        d: reads.decode(data.get(catalog.DOCUMENTS, d).json)["title"]
        for d in {s["document"] for s in fields.sources}
    }
    sources = [
        {**s, "number": n, "href": reading.cite_href(s), "document_title": titles[s["document"]]}
        for n, s in enumerate(fields.sources, 1)
    ]
    history = [
        {
            "seq": seq,
            "at": at,
            "action": action,
            "fields": reading.changed_fields(
                orjson.loads(before) if before else None, orjson.loads(after) if after else None
            ),
        }
        for seq, at, action, _, _, before, after in data.history(resource, stored.id, HISTORY_LIMIT)
    ]
    return page(
        "record.html",
        etag,
        resource=resource,
        involved=involved.of(data, resource, stored.id),
        record=body,
        title=reading.record_label(resource, body),
        fields=shown,
        sources=sources,
        history=history,
    )


@blp.get("/search")
def search():
    """Full-text search: ranked hits with their snippets, linking to the records."""
    q = request.args.get("q", "")
    start_text = request.args.get("start", "0")
    if not start_text.isdigit() or int(start_text) >= SEARCH_DEPTH:
        raise Problem(400, f"start must be a whole number below {SEARCH_DEPTH}.")
    start = int(start_text)
    etag = fresh()
    words = fulltext.words(q)
    hits, more = [], False
    if words:
        found, next_key = representation.get_store().search(
            words, [], min(SEARCH_LIMIT, SEARCH_DEPTH - start), [start]
        )
        more = next_key is not None and next_key[0] < SEARCH_DEPTH
        hits = [
            {
                "type": kind,
                "id": rid,
                "title": title,
                "snippet": _snippet(snippet),
                "href": reading.record_href(catalog.BY_SINGULAR[kind], rid),
            }
            for kind, rid, title, snippet, _ in found
        ]
    return page(
        "search.html",
        etag,
        q=q,
        words=words,
        hits=hits,
        start=start,
        next_start=start + SEARCH_LIMIT if more else None,
    )


def _snippet(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) runs: its ``<mark>`` tags become flags."""
    runs = []
    for i, part in enumerate(snippet.split("<mark>")):
        if i == 0:
            runs.append((part, False))
            continue
        matched, _, rest = part.partition("</mark>")
        runs += [(matched, True), (rest, False)]
    return [r for r in runs if r[0]]
