"""Collections: filters resolved from query arguments, keyset pages, next links, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import orjson
from flask import current_app, request
from marshmallow import Schema, fields
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict
from werkzeug.sansio.utils import get_current_url

from api.briefs import compose
from api.domain import catalog
from api.domain.catalog import Resource
from api.store import cursors, lookup, planner, reads
from api.web.problems import Problem, ambiguous
from api.web.recent import Recent
from api.web.representation import CSV, JSON, finish, fresh, get_store, negotiate
from api.web.response import Response
from schemas.queries import DEFAULT_LIMIT, MAX_LIMIT

CSV_BATCH = MAX_LIMIT


def resolve(resource: Resource, values: list[str], parameter: str) -> list[str]:
    """Names or codes in a filter as record ids; a 400 naming the parameter otherwise."""
    ids = []
    for value in values:
        try:
            ids.append(get_store().resolve(resource, value))
        except lookup.NotFound as exc:
            raise Problem(
                400,
                f"No {resource.singular} matches {value!r}.",
                errors={parameter: [f"Unknown {resource.singular}: {value!r}."]},
                suggestions=exc.suggestions,
            ) from exc
        except lookup.Ambiguous as exc:
            raise ambiguous(exc, parameter) from exc
    return list(dict.fromkeys(ids))


def country_names(values: list[str]) -> list[str]:
    """The names in ``country`` values: ``PK,RU`` is two, unless the whole is a name."""
    data = get_store()
    names = []
    for value in values:
        if "," in value:
            try:
                data.resolve(catalog.COUNTRIES, value)  # "Korea, Republic of"
            except lookup.NotFound:
                names += [part.strip() for part in value.split(",") if part.strip()]
                continue
        names.append(value)
    return names


def country_groups(values: list[str], predecessors: bool) -> list[tuple[str, ...]]:
    """Each named country, with the states it continues when ``predecessors``."""
    if not values:
        return []
    data = get_store()
    return [
        (c, *data.continued_by(c)) if predecessors else (c,)
        for c in resolve(catalog.COUNTRIES, country_names(values), "country")
    ]


def filters(args: dict) -> planner.Filters:
    """A collection's validated query arguments as store filters."""
    person = resolve(catalog.PEOPLE, [args["person"]], "person")[0] if "person" in args else None
    author = resolve(catalog.PEOPLE, [args["author"]], "author")[0] if "author" in args else None
    return planner.Filters(
        countries=country_groups(args.get("country", []), args.get("predecessors", False)),
        kind=args.get("kind"),
        status=args.get("status"),
        person=person,
        author=author,
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
        q=args.get("q"),
        historical=args.get("historical"),
        mentioned=args.get("mentioned"),
        as_of=args.get("as_of"),
    )


SCOPES: Recent[str] = Recent(1024)


def _scope(name: str, args: dict) -> str:
    """What a cursor is bound to: the collection, the filters and the sort order.

    ``args`` are the collection's query string parsed, so the scope is worked out
    once per collection and query string (up to 512 bytes).
    """
    key = (name, request._get_current_object().query_string)
    scope = SCOPES.get(key)
    if scope is None:
        scope = scope_of(name, args)
        if len(key[1]) <= 512:
            SCOPES.keep(key, scope)
    return scope


def scope_of(name: str, args: dict) -> str:
    """A cursor's scope from the collection's parsed query arguments (see ``_scope``)."""
    kept = sorted(
        (k, str(v)) for k, v in args.items() if k not in ("cursor", "limit", "format", "facet")
    )
    return f"{name}?{urlencode(kept)}"


def continued(
    name: str, query: Schema, pairs: list[tuple[str, str]], key: list | None, limit: int
) -> str | None:
    """The URL of the page of ``/v1/{name}?{pairs}`` after the item whose sort key is
    ``key``, with a cursor signed as the collection signs its own (None without a key)."""
    if key is None:
        return None
    args = query.load(MultiDictProxy(MultiDict(pairs), query))
    cursor = cursors.encode(_secret(), scope_of(name, args), key)
    return f"{public_root()}/v1/{name}?{urlencode([*pairs, ('limit', limit)])}&cursor={cursor}"


def public_root() -> str:
    """Where links point: BRIEFS_PUBLIC_URL when set (the URL the API is served at),
    else the request's own scheme and Host. Set it in production: responses are
    cacheable, and a link must not carry whatever Host a client sent."""
    configured = current_app._get_current_object().config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    return request._get_current_object().host_url.rstrip("/")


def _secret() -> bytes:
    return current_app._get_current_object().config["SECRET_KEY"].encode()


# What a next link is made of: the URL's scheme, host, mount point, path and query.
URL_PARTS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME",
             "PATH_INFO", "QUERY_STRING")  # fmt: skip
NEXT_PREFIXES: Recent[str] = Recent(1024)


def _next_url(next_cursor: str) -> str:
    """This request's URL with ``cursor`` set to ``next_cursor``.

    All but the cursor depends on the request's URL alone: worked out once per URL
    (up to 1 KB; longer ones are not kept, which bounds the memory used). A cursor
    needs no quoting (base64url).
    """
    this = request._get_current_object()
    environ = this.environ
    key = tuple(environ.get(part) for part in URL_PARTS)
    prefix = NEXT_PREFIXES.get(key)
    if prefix is None:
        configured = current_app._get_current_object().config.get("PUBLIC_URL")
        if configured:
            base = configured.rstrip("/") + this.path
        else:
            base = get_current_url(this.scheme, this.host, this.root_path, this.path)
        pairs = urlencode([(k, v) for k, v in this.args.items(multi=True) if k != "cursor"])
        prefix = f"{base}?{pairs}&cursor=" if pairs else f"{base}?cursor="
        if len(prefix) <= 1024:
            NEXT_PREFIXES.keep(key, prefix)
    return prefix + next_cursor


Fetch = Callable[[list | None, int], reads.Page]


def listing(resource: Resource, args: dict) -> Response:
    """A page of a resource's collection (JSON, with any facets), or CSV."""
    data = get_store()
    where = filters(args)
    sort = args.get("sort", resource.default_sort)
    facets = args.get("facet", [])

    def fetch(after: list | None, limit: int) -> reads.Page:
        page = data.page(resource, where, sort, limit, after)
        if any(len(group) > 1 for group in where.countries):
            page.items = [_marked(body, where.countries) for body in page.items]
        return page

    return paged(
        resource.name,
        resource.instance,
        args,
        fetch,
        extra=lambda: {"facets": data.facets(resource, where, facets)},
    )


def _marked(body: bytes, groups: list[tuple[str, ...]]) -> bytes:
    """A stored record, with ``via`` when only a predecessor state brought it in."""
    record = reads.decode(body)
    through = compose.via(record.get("countries", []), groups)
    if through is None:
        return body
    record["via"] = through
    return orjson.dumps(record)


def paged(
    name: str,
    schema: Schema,
    args: dict,
    fetch: Fetch,
    extra=None,
    offered: tuple[str, ...] = (JSON, CSV),
    version: str | None = None,
) -> Response:
    """Any collection: conditional GET, signed keyset cursors, Link header, JSON or CSV.

    ``fetch(after, limit)`` returns a page of serialized items; ``extra()`` gives
    members added to a JSON page (facets). The ETag is ``version``, by default the
    data version.
    """
    media_type = negotiate(offered, args.get("format"))
    etag = fresh(version or get_store().data_version(), media_type)
    scope = _scope(name, args)
    after = None
    if "cursor" in args:
        try:
            after = cursors.decode(_secret(), scope, args["cursor"])
        except cursors.InvalidCursor as exc:
            raise Problem(400, f"Invalid cursor: {exc}.", errors={"cursor": [f"{exc}."]}) from exc
    if media_type == CSV and "limit" not in args:
        return finish(Response(_csv(schema, _all_pages(fetch, after)), mimetype=CSV), etag)
    page = fetch(after, args.get("limit", DEFAULT_LIMIT))
    next_cursor = cursors.encode(_secret(), scope, page.next_key) if page.next_key else None
    next_url = _next_url(next_cursor) if next_cursor else None
    if media_type == CSV:
        response = Response(_csv(schema, [page.items]), mimetype=CSV)
    else:
        members = extra() if extra else {}
        response = Response(_page_json(page.items, next_url, next_cursor, members), mimetype=JSON)
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return finish(response, etag)


def _all_pages(fetch: Fetch, after: list | None):
    """Every item from ``after`` on, a keyset page at a time (for streamed CSV)."""
    while True:
        page = fetch(after, CSV_BATCH)
        yield page.items
        if page.next_key is None:
            return
        after = page.next_key


def _page_json(
    items: list[bytes], next_url: str | None, next_cursor: str | None, members: dict
) -> bytes:
    """The page body, assembled from stored JSON without re-serializing records."""
    extra = b"".join(b"," + orjson.dumps(k) + b":" + orjson.dumps(v) for k, v in members.items())
    return b"".join(
        (
            b'{"items":[',
            b",".join(items),
            b'],"next":',
            orjson.dumps(next_url),
            b',"next_cursor":',
            orjson.dumps(next_cursor),
            extra,
            b"}",
        )
    )


def csv_columns(schema: Schema, prefix: str = "") -> list[str]:
    """CSV columns of a schema: a nested object's fields become dotted columns."""
    columns = []
    for name, field in schema.dump_fields.items():
        column = f"{prefix}{field.data_key or name}"
        if isinstance(field, fields.Nested) and not field.many:
            columns += csv_columns(field.schema, f"{column}.")
        else:
            columns.append(column)
    return columns


def _lookup(record: dict, column: str):
    value = record
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, (dict, list)):
        return orjson.dumps(value).decode()
    return str(value)


def _csv(schema: Schema, pages) -> Iterator[str]:
    """CSV rows, streamed: a header, then one flattened row per record."""
    columns = csv_columns(schema)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield flush()
    for items in pages:
        for body in items:
            row = reads.decode(body)
            writer.writerow([_cell(_lookup(row, c)) for c in columns])
        yield flush()
