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
        re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] != "pages"  # the reading pages are HTML, not the API
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
    pattern = re.compile(date["pattern"])
    assert all(pattern.match(d) for d in ("2005", "2005-03", "2005-03-31", "2004-02-29"))
    assert not any(pattern.match(d) for d in ("2005-3", "0000", "2005-02-29", "2005-04-31"))


def test_collections_document_paging_csv_and_link(spec):
    op = spec["paths"]["/v1/agreements"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {"limit", "cursor", "sort", "country", "from", "to", "kind", "status"} <= names
    ok = op["responses"]["200"]
    # One media type per operation: a typed client's page is a page, not `Page | string`.
    assert set(ok["content"]) == {"application/json"}
    assert {"ETag", "Link"} <= set(ok["headers"])
    csv = spec["paths"]["/v1/agreements.csv"]["get"]
    assert csv["operationId"] == "listAgreementsCsv"
    assert set(csv["responses"]["200"]["content"]) == {"text/csv"}
    assert {"ETag", "Link"} <= set(csv["responses"]["200"]["headers"])
    assert {p["name"] for p in csv["parameters"]} == names - {"format", "facet"}


def test_every_other_representation_is_its_own_operation(spec):
    """Each 200 lists one media type (a download's binary alternative aside)."""
    for path, op in operations(spec):
        content = op["responses"].get("200", {}).get("content", {})
        kinds = set(content) - {"application/octet-stream"}
        assert len(kinds) <= 1, (path, sorted(content))
    for path in ("/v1/countries", "/v1/commentary", "/v1/timeline", "/v1/search"):
        assert set(spec["paths"][f"{path}.csv"]["get"]["responses"]["200"]["content"]) == {
            "text/csv"
        }
    brief = spec["paths"]["/v1/briefs/{a}/{b}.md"]["get"]
    assert brief["operationId"] == "getBriefMarkdown"
    assert set(brief["responses"]["200"]["content"]) == {"text/markdown"}


# A path parameter's value for each probe: one that exists, so nothing fails first.
PATH_VALUES = {"code": "PK", "a": "PK", "b": "RU", "filename": "x"}
IDS = {
    "people": "vladimir-putin",
    "organizations": "sco",
    "agreements": "2005-debt-rescheduling",
    "meetings": "2007-fradkov-visit-to-pakistan",
    "events": "indo-soviet-friendship",
    "indicators": "2010-pakistan-russia-trade-turnover",
    "commentary": "2007-fradkov-important-step",
    "documents": "pakistan-russia-relations-a-new-beginning",
    # Private to curators: parameters are checked before the token, so any id serves.
    "drafts": "d1",
    "jobs": "j1",
    "feeds": "f1",
}
UNDOCUMENTED = "not_a_parameter"


def _url(path: str) -> str:
    resource = path.split("/")[2] if path.startswith("/v1/") else ""
    return re.sub(
        r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1)) or IDS[resource], path
    )


def _refused_as_unknown(response, name: str) -> bool:
    if response.status_code != 400:
        return False
    return "Unknown field." in response.get_json().get("errors", {}).get(name, [])


def test_every_operation_accepts_exactly_the_query_parameters_it_documents(app, spec):
    """Each GET is asked with every query parameter any operation has (and one none
    has): the server must read exactly those its operation documents, and refuse the
    rest as unknown."""
    client = app.test_client()
    names = {UNDOCUMENTED} | {
        p["name"]
        for _, op in operations(spec)
        for p in op.get("parameters", [])
        if p["in"] == "query"
    }
    checked = 0
    for path, method, op in operations(spec, with_method=True):
        if method != "get" or path in NOT_API:
            continue
        documented = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        url = _url(path)
        for name in sorted(names):
            response = client.get(url, query_string={name: "2"})
            assert _refused_as_unknown(response, name) == (name not in documented), (
                f"{op['operationId']}: {name} is "
                + ("refused though documented" if name in documented else "read, undocumented")
            )
            checked += 1
    assert checked > 500


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
