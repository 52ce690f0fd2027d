"""The OpenAPI document: complete, valid, and honest about what the server sends."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from openapi_spec_validator import validate

# Routes that serve the document and its viewer rather than the API itself.
NOT_API = {"/openapi.json", "/docs", "/docs/assets/{filename}", "/static/{filename}"}


METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def operations(spec, with_method=False):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield (path, method, op) if with_method else (path, op)


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/openapi.json").get_json()


def test_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_route_table_and_documented_paths_are_the_same(app, spec):
    routes = {
        re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
    }
    assert routes - NOT_API == set(spec["paths"])


def test_every_operation_has_a_unique_operation_id_and_summary(spec):
    ids = [op["operationId"] for _, op in operations(spec)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][A-Za-z]+", i) for i in ids)
    assert all(op.get("summary") for _, op in operations(spec))


def test_every_error_response_is_a_problem(spec):
    for path, method, op in operations(spec, with_method=True):
        responses = op["responses"]
        assert "400" in responses, f"{path} does not document its 400"
        if method != "delete" and path not in ("/healthz", "/readyz"):
            assert "406" in responses, f"{method} {path} does not document its 406"
        for status, response in responses.items():
            if status.startswith(("4", "5")) or status == "default":
                name = response["$ref"].rsplit("/", 1)[1]
                content = spec["components"]["responses"][name]["content"]
                assert list(content) == ["application/problem+json"]


def test_enums_are_named_components(spec):
    text = str(spec["components"]["schemas"]["Agreement"])
    assert "#/components/schemas/AgreementKind" in text
    assert "#/components/schemas/AgreementStatus" in text
    assert spec["components"]["schemas"]["AgreementStatus"]["enum"][0] == "proposed"
    inline = [
        name
        for name, schema in spec["components"]["schemas"].items()
        for prop in schema.get("properties", {}).values()
        if "enum" in prop
    ]
    assert inline == []


@pytest.mark.parametrize(
    "component", ["Agreement", "Meeting", "Source", "Country", "Commentary", "AgreementPage"]
)
def test_response_fields_are_all_required(spec, component):
    schema = spec["components"]["schemas"][component]
    # `via` is sent only by a collection asked for with predecessors=true.
    sometimes = {"via"} if component in ("Agreement", "Meeting", "Commentary") else set()
    assert sorted(schema["required"]) == sorted(set(schema["properties"]) - sometimes)
    for name in sometimes:
        assert "predecessors=true" in schema["properties"][name]["description"]


def test_partial_dates_are_patterned_strings_not_format_date(spec):
    date = spec["components"]["schemas"]["Agreement"]["properties"]["date"]
    assert date["type"] == ["string", "null"]
    assert "format" not in date
    assert date["pattern"].startswith("^\\d{4}")


def test_collections_document_paging_csv_and_link(spec):
    op = spec["paths"]["/v1/agreements"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {"limit", "cursor", "sort", "country", "from", "to", "kind", "status"} <= names
    ok = op["responses"]["200"]
    assert set(ok["content"]) == {"application/json", "text/csv"}
    assert {"ETag", "Link"} <= set(ok["headers"])


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def test_docs_page_loads_only_same_origin_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    parser = _Assets()
    parser.feed(page.get_data(as_text=True))
    assert parser.urls, "the page loads no assets"
    for url in parser.urls:
        assert url.startswith("/"), f"{url} is not same-origin"
        with client.get(url) as asset:
            assert asset.status_code == 200, url
            assert len(asset.get_data()) > 1000
    assert "/openapi.json" in page.get_data(as_text=True)
