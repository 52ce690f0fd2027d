"""What the curator's desk asks of the API: citations from a selection, a draft's
resource changed, two drafts merged, a passage cited for an existing record, the
inbox, and the scopes deciding a draft needs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from api.cli import main
from api.curation import inbox
from api.store.connections import open_readonly
from tests.helpers import article, with_article
from tests.review_double import HandDrafts, extract, open_drafts

CORROBORATED = "2005-debt-rescheduling"


@pytest.fixture
def env(db_path, tmp_path):
    """A private database holding the test article and its drafts; a token of every scope."""
    client, auth, db, tokens, document = with_article(db_path, tmp_path)
    extract(client, auth, db, document, HandDrafts(restates=CORROBORATED))
    return client, auth, db, tokens, document


def draft_of(client, auth, document, resource, action="create") -> dict:
    drafts = open_drafts(client, auth, document)
    (found,) = [d for d in drafts if d["resource"] == resource and d["action"] == action]
    return found


def text_of(client, document) -> str:
    return client.get(f"/v1/documents/{document}/text").get_data(as_text=True)


# --- a citation from a selection --------------------------------------------------------


def test_a_selection_becomes_a_verified_citation_with_suggestions(env):
    client, auth, _, _, document = env
    text = text_of(client, document)
    words = "Trade between the two countries reached about $1.1 billion last year"
    start = text.index(words)
    # A selection often takes the line breaks before it: they are left out.
    response = client.post(
        f"/v1/documents/{document}/citations",
        json={"start": start - 2, "end": start + len(words)},
        headers=auth,
    )
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    citation = body["citation"]
    assert citation["quote"] == words
    assert (citation["start"], citation["end"]) == (start, start + len(words))
    assert (
        text[citation["start"] - len(citation["prefix"]) : citation["start"]] == citation["prefix"]
    )
    assert citation["document"] == document
    # The sentence names Kenya ("Kenya's trade ministry") and a relative date.
    assert "KE" in body["suggestions"]["countries"]
    assert body["suggestions"]["date"] == "2025"
    sentence = body["suggestions"]["sentence"]
    assert text[sentence["start"] : sentence["end"]].startswith("Trade between")


def test_offsets_count_code_points(env):
    client, auth, _, _, _ = env
    meta = {
        **article(),
        "title": "Astral plane",
        "text": "𝔸 Kenya and Japan met in Tokyo. Then 𝔹 they left.",
    }
    created = client.post("/v1/documents", json=meta, headers=auth)
    assert created.status_code == 201, created.get_json()
    document = created.get_json()["id"]
    start = meta["text"].index("Then")
    response = client.post(
        f"/v1/documents/{document}/citations",
        json={"start": start, "end": start + 11, "quote": "Then 𝔹 they"},
        headers=auth,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["citation"]["quote"] == "Then 𝔹 they"


@pytest.mark.parametrize(
    "selection, field",
    [
        ({"start": 5, "end": 5}, "end"),
        ({"start": 0, "end": 10**6}, "end"),
        ({"start": 44, "end": 46}, "start"),  # the blank line under the title
        ({"start": 0, "end": 5, "quote": "Japan"}, "quote"),
        ({"start": "a", "end": 5}, "start"),
        ({"end": 5}, "start"),
    ],
)
def test_a_bad_selection_is_a_422_naming_the_field(env, selection, field):
    client, auth, _, _, document = env
    response = client.post(f"/v1/documents/{document}/citations", json=selection, headers=auth)
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert field in response.get_json()["errors"], response.get_json()


def test_a_selection_needs_a_token_and_a_document(env):
    client, auth, _, _, document = env
    url = f"/v1/documents/{document}/citations"
    assert client.post(url, json={"start": 0, "end": 5}).status_code == 401
    missing = client.post(
        "/v1/documents/no-such/citations", json={"start": 0, "end": 5}, headers=auth
    )
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"


# --- a draft's resource, and two drafts merged ----------------------------------------


def test_a_drafts_resource_changes_and_it_is_accepted_as_the_new_one(env):
    client, auth, _, _, document = env
    meeting = draft_of(client, auth, document, "meetings")
    response = client.post(
        f"/v1/drafts/{meeting['id']}/resource", json={"resource": "events"}, headers=auth
    )
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["resource"] == "events" and changed["state"] == "open"
    assert changed["record"]["sources"] == meeting["record"]["sources"]
    assert "participants" not in changed["record"]  # a meeting's field events do not have
    listed = client.get(f"/v1/drafts?document={document}&resource=events&state=open", headers=auth)
    assert meeting["id"] in [d["id"] for d in listed.get_json()["items"]]
    accepted = client.post(
        f"/v1/drafts/{meeting['id']}/accept",
        json={"corrections": {"kind": "development", "title": "Morita visits Nairobi"}},
        headers=auth,
    )
    assert accepted.status_code == 201, accepted.get_json()
    assert accepted.headers["Location"].startswith("/v1/events/")
    assert accepted.get_json()["sources"][0]["quote"] == meeting["record"]["sources"][0]["quote"]


def test_changing_to_the_same_or_an_unknown_resource_is_a_422(env):
    client, auth, _, _, document = env
    meeting = draft_of(client, auth, document, "meetings")
    for resource in ("meetings", "countries", "documents"):
        response = client.post(
            f"/v1/drafts/{meeting['id']}/resource", json={"resource": resource}, headers=auth
        )
        assert response.status_code == 422, resource
        assert "resource" in response.get_json()["errors"]
    assert client.get(f"/v1/drafts/{meeting['id']}", headers=auth).get_json() == meeting


def test_two_drafts_merge_into_one_record_citing_both_spans(env):
    client, auth, _, _, document = env
    agreement = draft_of(client, auth, document, "agreements")
    meeting = draft_of(client, auth, document, "meetings")
    mixed = client.post(
        f"/v1/drafts/{agreement['id']}/merge", json={"draft": meeting["id"]}, headers=auth
    )
    assert mixed.status_code == 422  # a meeting is not an agreement: change it first
    assert "change its resource first" in mixed.get_json()["detail"]
    client.post(
        f"/v1/drafts/{meeting['id']}/resource", json={"resource": "agreements"}, headers=auth
    )
    merged = client.post(
        f"/v1/drafts/{agreement['id']}/merge", json={"draft": meeting["id"]}, headers=auth
    )
    assert merged.status_code == 200, merged.get_json()
    quotes = [s["quote"] for s in merged.get_json()["record"]["sources"]]
    assert quotes == [
        agreement["record"]["sources"][0]["quote"],
        meeting["record"]["sources"][0]["quote"],
    ]
    other = client.get(f"/v1/drafts/{meeting['id']}", headers=auth).get_json()
    assert other["state"] == "rejected"
    assert other["rejected_because"] == f"Merged into {agreement['id']}."
    again = client.post(
        f"/v1/drafts/{agreement['id']}/merge", json={"draft": meeting["id"]}, headers=auth
    )
    assert again.status_code == 409
    written = client.post(f"/v1/drafts/{agreement['id']}/accept", headers=auth)
    assert written.status_code == 201, written.get_json()
    assert [s["quote"] for s in written.get_json()["sources"]] == quotes


def test_a_draft_cannot_merge_with_itself_or_an_unknown_draft(env):
    client, auth, _, _, document = env
    agreement = draft_of(client, auth, document, "agreements")
    url = f"/v1/drafts/{agreement['id']}/merge"
    assert client.post(url, json={"draft": agreement["id"]}, headers=auth).status_code == 422
    assert client.post(url, json={"draft": "d999999"}, headers=auth).status_code == 404
    assert client.post(url, json={}, headers=auth).status_code == 422


# --- decisions: corrections of an add_source draft, scopes, what was rejected --------


def test_an_add_source_draft_refuses_corrections_it_would_drop(env):
    client, auth, _, _, document = env
    corroboration = draft_of(client, auth, document, "agreements", "add_source")
    before = client.get(f"/v1/agreements/{CORROBORATED}").get_json()
    response = client.post(
        f"/v1/drafts/{corroboration['id']}/accept",
        json={"corrections": {"title": "Another title"}},
        headers=auth,
    )
    assert response.status_code == 422
    assert "corrections.title" in response.get_json()["errors"]
    assert client.get(f"/v1/agreements/{CORROBORATED}").get_json() == before
    # A correction of its citations is applied.
    text = text_of(client, document)
    quote = "Kenya and Japan signed a loan agreement"
    start = text.index(quote)
    cited = {"document": document, "quote": quote, "start": start, "end": start + len(quote)}
    response = client.post(
        f"/v1/drafts/{corroboration['id']}/accept",
        json={"corrections": {"sources": [cited]}},
        headers=auth,
    )
    assert response.status_code == 201, response.get_json()
    sources = response.get_json()["sources"]
    assert sources[: len(before["sources"])] == before["sources"]
    assert [s["quote"] for s in sources[len(before["sources"]) :]] == [quote]


def test_rejecting_needs_the_scopes_accepting_needs(env):
    client, auth, db, tokens, document = env
    _, drafts_only = tokens.create("reader", scopes=["drafts"])
    weak = {"Authorization": f"Bearer {drafts_only}"}
    agreement = draft_of(client, auth, document, "agreements")
    refused = client.post(
        f"/v1/drafts/{agreement['id']}/reject", json={"reason": "no"}, headers=weak
    )
    assert refused.status_code == 403
    assert refused.content_type == "application/problem+json"
    assert client.get(f"/v1/drafts/{agreement['id']}", headers=auth).get_json()["state"] == "open"
    for path, body in (("resource", {"resource": "events"}), ("merge", {"draft": "d1"})):
        response = client.post(f"/v1/drafts/{agreement['id']}/{path}", json=body, headers=weak)
        assert response.status_code == 403, path
    rejected = client.post(
        f"/v1/drafts/{agreement['id']}/reject", json={"reason": "no"}, headers=auth
    )
    assert rejected.status_code == 200
    conn = open_readonly(db)
    try:
        decided = inbox.decided_fingerprints(conn, document)
    finally:
        conn.close()
    assert list(decided.values()) == ["rejected"]


# --- a passage cited for an existing record, through PATCH with If-Match ------------------


def test_a_selected_passage_is_added_to_an_existing_records_sources(env):
    client, auth, _, _, document = env
    text = text_of(client, document)
    words = "Japan will lend $240 million"
    start = text.index(words)
    citation = client.post(
        f"/v1/documents/{document}/citations",
        json={"start": start, "end": start + len(words)},
        headers=auth,
    ).get_json()["citation"]
    read = client.get(f"/v1/agreements/{CORROBORATED}")
    record = read.get_json()
    patched = client.patch(
        f"/v1/agreements/{CORROBORATED}",
        json={"sources": [*record["sources"], citation]},
        headers={**auth, "If-Match": read.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["sources"][-1] == citation
    stale = client.patch(
        f"/v1/agreements/{CORROBORATED}",
        json={"sources": record["sources"]},
        headers={**auth, "If-Match": read.headers["ETag"]},
    )
    assert stale.status_code == 412


# --- the inbox --------------------------------------------------------------------------


def test_the_inbox_lists_open_work_and_the_latest_decisions(env):
    client, auth, _, _, document = env
    response = client.get("/v1/inbox", headers=auth)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    body = response.get_json()
    (listed,) = [d for d in body["documents"] if d["id"] == document]
    drafts = open_drafts(client, auth, document)
    assert listed["open"] == len(drafts)
    assert listed["title"] == article()["title"]
    assert listed["counts"]["meetings"] == {"open": 1, "accepted": 0, "rejected": 0}
    assert body["decisions"] == []
    meeting = draft_of(client, auth, document, "meetings")
    client.post(f"/v1/drafts/{meeting['id']}/reject", json={"reason": "Not one"}, headers=auth)
    again = client.get("/v1/inbox", headers={**auth, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 200
    body = again.get_json()
    assert [d["id"] for d in body["decisions"]] == [meeting["id"]]
    (listed,) = [d for d in body["documents"] if d["id"] == document]
    assert listed["counts"]["meetings"] == {"open": 0, "accepted": 0, "rejected": 1}
    unchanged = client.get("/v1/inbox", headers={**auth, "If-None-Match": again.headers["ETag"]})
    assert unchanged.status_code == 304
    assert client.get("/v1/inbox").status_code == 401
    queued = client.post(f"/v1/documents/{document}/extract", headers=auth).get_json()
    jobs = client.get("/v1/inbox", headers=auth).get_json()["jobs"]
    assert [(j["id"], j["state"]) for j in jobs] == [(queued["id"], "queued")]


# --- briefs cite, for any document of the database ---------------------------------------


def test_briefs_cite_finds_a_document_added_through_the_api(env):
    _, _, db, _, document = env
    result = CliRunner().invoke(main, ["cite", document, "Trade between", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert '"quote": "Trade between"' in result.output
    missing = CliRunner().invoke(main, ["cite", "no-such", "Trade", "--db", str(db)])
    assert missing.exit_code != 0
    assert "no document 'no-such'" in missing.output


# --- the desk's pages ---------------------------------------------------------------------


@pytest.mark.parametrize("path, script", [("/desk", "desk/inbox.js"), ("/desk/new", "desk/add.js")])
def test_the_desk_pages_may_call_the_api_and_hold_no_review_work(env, path, script):
    client, _, _, _, document = env
    response = client.get(path)  # no token: the page, not the work
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = response.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "unsafe-inline" not in policy
    body = response.get_data(as_text=True)
    assert f'<script type="module" src="/pages/static/{script}?v=' in body
    assert document not in body and "d1" not in body.replace("d1 ", "")
    with client.get(f"/pages/static/{script}") as asset:
        assert asset.status_code == 200 and "/v1/" in asset.get_data(as_text=True)


def test_adding_a_source_offers_a_described_rights_default(env):
    client = env[0]
    body = client.get("/desk/new").get_data(as_text=True)
    assert 'id="add-rights" name="rights" type="text" value="Copyright the publisher;' in body
    assert "who holds the copyright" in body.lower()
    spec = client.get("/openapi.json").get_json()
    rights = spec["components"]["schemas"]["DocumentCreate"]["properties"]["rights"]
    assert "copyright" in rights["description"].lower()
