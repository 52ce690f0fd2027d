"""Collection pages and the briefs' index: every path a browser asks for answers HTML.

``/agreements?country=PK`` is ``/v1/agreements?country=PK`` as a page: the same
query parameters, validated by the same schema (a form built from it), the
same filters and keyset cursors (a page's cursor works on ``/v1`` too), and
links to the JSON and the CSV of the same query. ``/briefs`` lists the pairs
of countries that have records, ``/briefs/PK`` the countries Pakistan has
records with. A path no page or operation answers is an HTML 404 for a
browser (a client asking for JSON still gets the problem).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import current_app, redirect, request, url_for
from marshmallow import RAISE, ValidationError, fields, validate
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound as NoRoute

from api.briefs.compose import via
from api.domain import catalog
from api.store import cursors, planner
from api.store.reads import decode
from api.web import listing, problems, representation
from api.web.pages import involved
from api.web.pages.views import (
    blp,
    brief_redirect,
    error_page,
    fresh,
    page,
    security_headers,
)
from api.web.problems import Problem
from schemas import queries

QUERIES = {
    catalog.COUNTRIES: queries.CountryQuery,
    catalog.PEOPLE: queries.PersonQuery,
    catalog.ORGANIZATIONS: queries.OrganizationQuery,
    catalog.AGREEMENTS: queries.AgreementQuery,
    catalog.MEETINGS: queries.MeetingQuery,
    catalog.EVENTS: queries.EventQuery,
    catalog.INDICATORS: queries.IndicatorQuery,
    catalog.COMMENTARY: queries.CommentaryQuery,
    catalog.DOCUMENTS: queries.DocumentQuery,
}
PAGE_SIZE = 50
PAIRS_LISTED = 500  # pairs the briefs' index lists (/v1/dataset has every one)
COUNTED = 1000  # a collection page counts its matches this far
PAGING = ("cursor", "limit")  # parameters the form leaves to the page links
HTML_FIRST = ("text/html", "application/xhtml+xml")


@dataclass
class Control:
    """One query parameter as a form control."""

    name: str
    label: str
    value: str
    choices: list[tuple[str, str]] | None  # (value, label); None for a text box
    hint: str = ""


def _schema(resource: catalog.Resource):
    """The collection's query schema, less what a page has no use for (format, facet)."""
    return queries.without(QUERIES[resource], "format", "facet")()


def _given() -> list[tuple[str, str]]:
    """The query's parameters, less the empty ones a submitted form leaves."""
    return [(k, v) for k, v in request.args.items(multi=True) if v.strip()]


def _arguments(schema) -> dict:
    """The query read by the collection's own schema; a 400 page names what is wrong."""
    try:
        return schema.load(MultiDictProxy(MultiDict(_given()), schema), unknown=RAISE)
    except ValidationError as exc:
        errors = problems.flatten_messages(exc.messages)
        raise Problem(
            400, "This list cannot be shown for that query; see below.", errors=errors
        ) from exc


def _controls(schema) -> list[Control]:
    """A control per filter and the sort order, filled in from the query."""
    controls = []
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if key in PAGING:
            continue
        given = ", ".join(request.args.getlist(key))
        inner = field.inner if isinstance(field, fields.List) else field
        choices = None
        one_of = [v for v in inner.validators if isinstance(v, validate.OneOf)]
        if one_of:
            choices = [("", "any")] + [(c, c.replace("_", " ")) for c in one_of[0].choices]
        elif isinstance(field, fields.Boolean):
            choices = [("", "any"), ("true", "yes"), ("false", "no")]
        if key == "sort":
            choices = [(c, _sort_label(c)) for c in one_of[0].choices]
            given = given or field.load_default
        hint = field.metadata.get("description", "")
        controls.append(Control(key, key.replace("_", " "), given, choices, hint))
    return controls


def _sort_label(value: str) -> str:
    return f"{value.lstrip('-')}, {'descending' if value.startswith('-') else 'ascending'}"


def _query(*leave: str, **extra: str) -> str:
    pairs = [(k, v) for k, v in _given() if k not in leave] + list(extra.items())
    return urlencode(pairs)


@blp.get(f"/<any({', '.join(r.name for r in catalog.ALL)}):resource_name>")
def collection(resource_name: str):
    """A collection as a page: the API's filters as a form, keyset pages, JSON and CSV."""
    resource = catalog.BY_NAME[resource_name]
    schema = _schema(resource)
    args = _arguments(schema)
    etag = fresh()
    data = representation.get_store()
    where = listing.filters(args)
    sort = args.get("sort", resource.default_sort)
    limit = args.get("limit", PAGE_SIZE)
    scope = listing._scope(resource.name, args)  # as /v1's: a cursor serves both
    secret = current_app.config["SECRET_KEY"].encode()
    after = None
    if "cursor" in args:
        try:
            after = cursors.decode(secret, scope, args["cursor"])
        except cursors.InvalidCursor as exc:
            raise Problem(400, f"Invalid cursor: {exc}.", errors={"cursor": [f"{exc}."]}) from exc
    found = data.page(resource, where, sort, limit, after)
    items = []
    for body in found.items:
        record = decode(body)
        shown = involved.item(data, resource, record)
        through = via(record.get("countries", []), where.countries)
        if through:
            shown.note = f"via {through}"
        items.append(shown)
    matches = data.count(resource, where, COUNTED + 1)
    next_href = None
    if found.next_key is not None:
        cursor = cursors.encode(secret, scope, found.next_key)
        next_href = f"{request.path}?{_query('cursor', cursor=cursor)}"
    return page(
        "collection.html",
        etag,
        resource=resource,
        controls=_controls(schema),
        items=items,
        matches=min(matches, COUNTED),
        exact=matches <= COUNTED,
        filtered=bool(_query(*PAGING, "sort")),
        first_href=f"{request.path}?{_query('cursor')}" if after is not None else None,
        next_href=next_href,
        json_href=f"/v1/{resource.name}?{_query()}".rstrip("?"),
        csv_href=f"/v1/{resource.name}.csv?{_query(*PAGING)}".rstrip("?"),
    )


@blp.get("/briefs")
def brief_picker():
    """The brief of two countries chosen (the home page's picker); with one, the briefs
    of that country; with none, every pair of countries that has records."""
    a, b = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    if a and b:
        return brief_redirect(a, b)
    if a or b:
        return redirect(url_for("pages.country_briefs", a=a or b), 303)
    etag = fresh()
    data = representation.get_store()
    pairs, count = involved.pairs_with_records(data, PAIRS_LISTED, current_app.config["DB"])
    return page("briefs.html", etag, pairs=pairs, pair_count=count, country=None)


@blp.get("/briefs/<string:a>")
def country_briefs(a: str):
    """The briefs of one country: the countries it has records with, each brief linked."""
    data = representation.get_store()
    country = data.resolve(catalog.COUNTRIES, a)
    if country != a:
        return redirect(url_for("pages.country_briefs", a=country), 301)
    etag = fresh()
    record = decode(data.get(catalog.COUNTRIES, country).json)
    others = [
        decode(b)
        for b in data.page(catalog.COUNTRIES, planner.NO_FILTERS, "name", 500).items
        if decode(b)["id"] != country
    ]
    return page(
        "briefs.html",
        etag,
        country=record,
        partners=involved.partners(data, country),
        others=others,
    )


@blp.app_errorhandler(NoRoute)
def no_route(error: NoRoute):
    """A path nothing answers: a page for a browser, the API's problem for anyone else."""
    accepted = request.accept_mimetypes
    browser = accepted.best_match(("application/json", *HTML_FIRST)) in HTML_FIRST
    if request.path.startswith("/v1/") or request.path == "/v1" or not browser:
        return problems.handle_http_exception(error)
    page_404 = error_page(404, "Not found", f"Nothing is published at {request.path}.")
    return security_headers(page_404)  # no blueprint answered: its headers are added here
