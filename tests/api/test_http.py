"""The read contract: filters, sorting, keyset paging, caching, CSV, CORS, downloads."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pycountry
import pytest

# ISO 3166-1, Kosovo (XK) and every former state of ISO 3166-3
COUNTRIES = len(pycountry.countries) + 1 + len(pycountry.historic_countries)


def ids(response) -> list[str]:
    return [item["id"] for item in response.get_json()["items"]]


# --- filters and sorting -------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/v1/agreements?country=PK&country=SUHH", ["1969-helicopter-deal"]),
        ("/v1/agreements?country=pakistan&country=USSR", ["1969-helicopter-deal"]),
        ("/v1/agreements?status=under_consideration", ["2010-defence-collaboration-mou"]),
        (
            "/v1/agreements?kind=mou&sort=date",
            ["2007-oil-sector-mou", "2010-defence-collaboration-mou"],
        ),
        ("/v1/agreements?from=2005-03-31&to=2005-03-31", ["2005-debt-rescheduling"]),
        ("/v1/meetings?from=2007-04-30&to=2007-04-30", ["2007-fradkov-visit-to-pakistan"]),
        ("/v1/meetings?person=Fredkov", ["2007-fradkov-visit-to-pakistan"]),
        ("/v1/meetings?person=yahya-khan", ["1969-yahya-khan-visit-to-moscow"]),
        ("/v1/meetings?kind=summit", ["2010-sco-summit-dushanbe"]),
        ("/v1/commentary?author=Gilani", ["2010-gilani-comprehensive-partnership"]),
        (
            "/v1/commentary?kind=reader_comment&sort=id",
            ["comment-binwakeel-hogwash", "comment-someone-nice-one"],
        ),
        ("/v1/events?country=IN", ["indo-soviet-friendship"]),
        ("/v1/events?from=1985-01-01&to=1985-12-31", ["1979-soviet-occupation-of-afghanistan"]),
        ("/v1/indicators?kind=trade_turnover", ["2010-pakistan-russia-trade-turnover"]),
        ("/v1/countries?q=soviet", ["BYAA", "SUHH"]),  # the Byelorussian SSR's ISO name
        ("/v1/countries?historical=true", sorted(c.alpha_4 for c in pycountry.historic_countries)),
        ("/v1/agreements?country=FR", []),
    ],
)
def test_filters(client, url, expected):
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    assert ids(response) == expected


def test_country_filter_requires_every_country(client):
    pk = set(ids(client.get("/v1/meetings?country=PK")))
    tj = set(ids(client.get("/v1/meetings?country=TJ")))
    both = set(ids(client.get("/v1/meetings?country=PK&country=TJ")))
    assert both == pk & tj == {"2010-sco-summit-dushanbe"}


def test_undated_records_sort_last_in_both_directions(client):
    ascending = client.get("/v1/events?sort=date").get_json()["items"]
    descending = client.get("/v1/events?sort=-date").get_json()["items"]
    for items in (ascending, descending):
        dated = [bool(e["date"]) for e in items]
        assert dated == sorted(dated, reverse=True), "an undated record sorts before a dated one"
    starts = [e["date_start"] for e in ascending if e["date"]]
    assert starts == sorted(starts)
    starts = [e["date_start"] for e in descending if e["date"]]
    assert starts == sorted(starts, reverse=True)


@pytest.mark.parametrize("sort", ["id", "-id", "title", "-title"])
def test_sort_by_field(client, sort):
    items = client.get(f"/v1/agreements?sort={sort}").get_json()["items"]
    field = sort.lstrip("-")
    values = [(i[field], i["id"]) for i in items]
    assert values == sorted(values, reverse=sort.startswith("-"))


# --- keyset paging ---------------------------------------------------------------


@pytest.mark.parametrize("sort", ["date", "-date", "id", "-id"])
def test_pages_cover_the_collection_once(client, sort):
    whole = ids(client.get(f"/v1/commentary?sort={sort}&limit=500"))
    seen, url, pages = [], f"/v1/commentary?sort={sort}&limit=4", 0
    while url:
        response = client.get(url)
        body = response.get_json()
        seen += [i["id"] for i in body["items"]]
        if body["next"]:
            assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
            assert f"cursor={body['next_cursor']}" in body["next"]
        else:
            assert "Link" not in response.headers and body["next_cursor"] is None
        url, pages = body["next"], pages + 1
    assert seen == whole
    assert pages == -(-len(whole) // 4)


def test_default_and_maximum_limit(client):
    assert len(client.get("/v1/countries").get_json()["items"]) == 50
    assert len(client.get("/v1/countries?limit=500").get_json()["items"]) == COUNTRIES


def test_next_link_is_absolute_for_the_host_asked(client):
    """The next page's URL is built per request: each host and mount point gets its own."""
    for host, root in [("localhost", ""), ("127.0.0.1:8000", ""), ("localhost:8000", "/briefs")]:
        response = client.get(
            "/v1/agreements?limit=1&sort=-date", headers={"Host": host},
            environ_overrides={"SCRIPT_NAME": root},
        )  # fmt: skip
        body = response.get_json()
        assert body["next"].startswith(
            f"http://{host}{root}/v1/agreements?limit=1&sort=-date&cursor="
        )
        assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'


def test_cursor_is_bound_to_its_query(client):
    body = client.get("/v1/agreements?limit=2&sort=date").get_json()
    other = client.get(f"/v1/agreements?limit=2&sort=-date&cursor={body['next_cursor']}")
    assert other.status_code == 400
    tampered = body["next_cursor"][:-2] + ("AA" if body["next_cursor"][-2:] != "AA" else "BB")
    assert client.get(f"/v1/agreements?limit=2&cursor={tampered}").status_code == 400


# --- conditional requests and caching ---------------------------------------------


def test_record_etag_and_304(client):
    first = client.get("/v1/agreements/2005-debt-rescheduling")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('-json"') and not etag.startswith("W/")
    assert first.headers["Vary"] == "Accept"
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get("/v1/agreements/2005-debt-rescheduling", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.get_data() == b""
    other = client.get("/v1/agreements/2007-oil-sector-mou")
    assert other.headers["ETag"] != etag


def test_collection_etag_is_the_data_version_per_media_type(client):
    version = client.get("/v1/dataset").get_json()["data_version"]
    as_json = client.get("/v1/agreements")
    as_csv = client.get("/v1/agreements", headers={"Accept": "text/csv"})
    assert as_json.headers["ETag"] == f'"{version}-json"'
    assert as_csv.headers["ETag"] == f'"{version}-csv"'
    assert (
        client.get("/v1/events", headers={"If-None-Match": as_json.headers["ETag"]}).status_code
        == 304
    )
    assert client.get("/v1/events", headers={"If-None-Match": '"stale-json"'}).status_code == 200


def test_head_answers_like_get_without_a_body(client):
    response = client.head("/v1/agreements/2005-debt-rescheduling")
    assert response.status_code == 200
    assert response.headers["ETag"]
    assert response.get_data() == b""


# --- representations ---------------------------------------------------------------


def test_csv_streams_every_matching_record(client):
    response = client.get("/v1/countries?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == COUNTRIES
    pk = next(r for r in rows if r["id"] == "PK")
    assert (pk["alpha3"], pk["numeric"], pk["historical"]) == ("PAK", "586", "false")


def test_csv_flattens_fields(client):
    response = client.get("/v1/agreements?country=PK&country=SUHH", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["countries"] == "PK;SUHH"
    assert (rows[0]["value.amount"], rows[0]["value.currency"]) == ("", "")
    assert json.loads(rows[0]["sources"])[0]["quote"].startswith("Defence relations")


def test_csv_expands_nested_objects_into_dotted_columns(client):
    text = client.get("/v1/agreements?format=csv").get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    debt = rows["2005-debt-rescheduling"]
    assert (debt["value.amount"], debt["value.currency"]) == ("127000000", "USD")
    text = client.get("/v1/meetings?format=csv").get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["2010-putin-gilani-dushanbe"]["location.city"] == "Dushanbe"


def test_csv_with_a_limit_is_a_page_with_a_next_link(client):
    response = client.get("/v1/agreements?format=csv&limit=2")
    assert len(list(csv.reader(io.StringIO(response.get_data(as_text=True))))) == 3
    assert 'rel="next"' in response.headers["Link"]
    assert "format=csv" in response.headers["Link"]


def test_format_overrides_accept(client):
    response = client.get("/v1/agreements?format=json", headers={"Accept": "text/csv"})
    assert response.content_type == "application/json"


# --- headers -----------------------------------------------------------------------


def test_cors_allows_reads_and_exposes_etag_and_link(client):
    response = client.get("/v1/agreements?limit=1", headers={"Origin": "https://example.org"})
    # The same for every origin, and without one: a shared cache may keep one copy.
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/v1/agreements?limit=1").headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link"} <= exposed
    preflight = client.options(
        "/v1/agreements",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


CORS_HEADERS = ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers")


@pytest.mark.parametrize(
    "path",
    ["/v1/agreements?limit=1", "/v1/agreements/no-such-agreement", "/v1/agreements?nope=1",
     "/openapi.json", "/healthz", "/docs"],
)  # fmt: skip
def test_cors_headers_are_the_same_on_every_response(client, path):
    """Successes and problems, with an Origin or without: one answer, set once."""
    expected = [("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Expose-Headers", "ETag, Link, X-Request-ID")]  # fmt: skip
    for headers in ({}, {"Origin": "https://example.org"}):
        response = client.get(path, headers=headers)
        got = [(k, v) for k, v in response.headers.items() if k.startswith("Access-Control")]
        assert got == expected, (path, response.status_code)


def test_cors_preflight_and_private_network_requests(client):
    preflight = client.options(
        "/v1/agreements",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Headers"] == "If-None-Match"
    assert preflight.headers["Access-Control-Max-Age"] == "600"
    # A page on the public internet asking to reach this service on a private one.
    private = client.get(
        "/v1/agreements?limit=1", headers={"Access-Control-Request-Private-Network": "true"}
    )
    assert private.headers["Access-Control-Allow-Private-Network"] == "false"
    assert private.headers.getlist("Access-Control-Allow-Origin") == ["*"]


def test_request_id_is_echoed_or_made(client):
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert made.headers["X-Request-ID"] != "bad id with spaces"
    assert len(made.headers["X-Request-ID"]) == 32


def test_access_log_is_one_json_line_per_request(db_path, capfd):
    from api import create_app

    client = create_app({"DB": str(db_path)}).test_client()
    capfd.readouterr()
    client.get("/v1/agreements?limit=1", headers={"X-Request-ID": "log-me"})
    client.get("/healthz")
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 2
    entry = json.loads(lines[0])
    assert entry["request_id"] == "log-me"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/v1/agreements", 200)
    assert entry["query"] == "limit=1" and entry["bytes"] > 0


# --- downloads ---------------------------------------------------------------------


def test_dataset_description(client):
    body = client.get("/v1/dataset").get_json()
    assert body["counts"]["agreements"] == 6
    assert body["counts"]["countries"] == COUNTRIES
    assert body["pycountry"] == "26.2.16"
    assert body["links"]["ndjson"].endswith("/v1/dataset.ndjson")


def test_dataset_ndjson_has_every_record(client):
    response = client.get("/v1/dataset.ndjson")
    assert response.content_type == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    counts = client.get("/v1/dataset").get_json()["counts"]
    assert len(lines) == sum(counts.values())
    types = {line["type"] for line in lines}
    assert {"agreement", "meeting", "commentary", "country", "document"} <= types
    debt = next(x["record"] for x in lines if x["record"]["id"] == "2005-debt-rescheduling")
    assert debt["value"] == {"amount": 127000000, "currency": "USD"}


def test_dataset_sqlite_is_a_copy_of_the_database(client, db_path, tmp_path):
    response = client.get("/v1/dataset.sqlite")
    assert response.status_code == 200
    assert response.content_type == "application/vnd.sqlite3"
    assert response.headers["ETag"].endswith('-sqlite"')
    copy = tmp_path / "copy.db"
    copy.write_bytes(response.get_data())
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    live = sqlite3.connect(db_path)
    for table in ("agreements", "countries", "search", "timeline"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert conn.execute(query).fetchall() == live.execute(query).fetchall()
    response.close()
    again = client.get("/v1/dataset.sqlite", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_query_parameters_answer_get_as_werkzeug_does():
    from werkzeug.datastructures import ImmutableMultiDict

    from api.web.app import Parameters

    pairs = [("limit", "5"), ("country", "PK"), ("country", "RU"), ("empty", "")]
    ours, theirs = Parameters(pairs), ImmutableMultiDict(pairs)
    for key in ("limit", "country", "empty", "absent"):
        assert ours.get(key) == theirs.get(key)
        assert ours.get(key, "default") == theirs.get(key, "default")
        assert ours.get(key, type=int) == theirs.get(key, type=int)
        assert ours.getlist(key) == theirs.getlist(key)


def test_a_parsed_query_is_remembered_per_operation(client):
    # Valid for countries, not for agreements: what one operation keeps is its own.
    for _ in range(2):
        assert client.get("/v1/countries?sort=name&limit=2").status_code == 200
        refused = client.get("/v1/agreements?sort=name&limit=2")
        assert refused.status_code == 400
        assert refused.get_json()["errors"]["sort"]
    first = client.get("/v1/agreements?sort=-id&limit=3").get_json()
    again = client.get("/v1/agreements?sort=-id&limit=3").get_json()
    assert first == again and len(first["items"]) == 3


def test_parsed_queries_are_copies_and_bounded():
    from api.web.resources.base import ParsedQueries

    known = ParsedQueries(size=2, longest=20)
    known.keep(1, b"country=PK", {"country": ["PK"]})
    got = known.get(1, b"country=PK")
    got["country"].append("RU")  # a view's changes stay in its own request
    assert known.get(1, b"country=PK") == {"country": ["PK"]}
    assert known.get(2, b"country=PK") is None
    known.keep(1, b"country=RU", {"country": ["RU"]})
    known.keep(1, b"country=IN", {"country": ["IN"]})
    assert known.get(1, b"country=PK") is None  # the oldest went
    assert known.get(1, b"country=IN") == {"country": ["IN"]}
    known.keep(1, b"q=" + b"x" * 30, {"q": "x" * 30})
    assert known.get(1, b"q=" + b"x" * 30) is None  # too long to keep
    given = {"country": ["PK"], "limit": 5}
    known.keep(1, b"country=CN", given)
    given["country"].append("RU")  # the view given these on the first request
    assert known.get(1, b"country=CN") == {"country": ["PK"], "limit": 5}
    known.keep(1, b"deep=1", {"deep": [{"a": 1}]})
    assert known.get(1, b"deep=1") is None  # not flat: parsed every time


def _stream():
    yield b"a,b\r\n"


@pytest.mark.parametrize(
    ("body", "status", "headers"),
    [
        (b'{"id": "x"}', 200, {"ETag": '"v-json"', "Vary": "Accept"}),
        (b'{"id": "x"}', 200, {"Content-Location": "/v1/countries/PK"}),
        (b'{"id": "x"}', 201, {"Location": "/v1/agreements/x"}),
        (b"", 204, {}),
        (b"", 304, {"ETag": '"v-json"', "Cache-Control": "public"}),
        (b'{"status": 404}', 404, {}),
        (_stream, 200, {}),
    ],
)
def test_headers_sent_are_werkzeugs(body, status, headers):
    """The app's response class sends the headers werkzeug would, copy or not."""
    import flask

    from api.web.response import Response

    environ = {"wsgi.url_scheme": "http", "SERVER_NAME": "h", "SERVER_PORT": "80",
               "HTTP_HOST": "h", "SCRIPT_NAME": "/m", "PATH_INFO": "/v1/x"}  # fmt: skip
    response = Response(body() if callable(body) else body, status=status, headers=headers)
    ours = response.get_wsgi_headers(environ).to_wsgi_list()
    assert ours == flask.Response.get_wsgi_headers(response, environ).to_wsgi_list()
    assert ("Content-Length" in dict(ours)) == (status not in (204, 304) and not callable(body))
