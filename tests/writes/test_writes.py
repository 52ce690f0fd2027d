"""Curation writes: tokens, validation, merge patches, preconditions, idempotency, audit."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from api.cli import main
from tests.helpers import DOCUMENT, FIXTURES, TEXT_QUOTE, agreement, writable_app


@pytest.fixture
def text(client):
    return client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)


# --- authentication --------------------------------------------------------------


def test_missing_token_is_a_401_with_a_challenge(writable, text):
    client, _, _, _ = writable
    response = client.post("/v1/agreements", json=agreement(text))
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="briefs"'


@pytest.mark.parametrize(
    "header",
    [
        "Bearer brf_000000000000_notthesecret",
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "brf_x_y",
    ],
)
def test_bad_tokens_are_401(writable, text, header):
    client, _, _, _ = writable
    response = client.post(
        "/v1/agreements", json=agreement(text), headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="briefs"')


def test_a_token_in_the_query_string_is_ignored(writable, text):
    client, auth, _, _ = writable
    secret = auth["Authorization"].split()[1]
    response = client.post(f"/v1/agreements?access_token={secret}", json=agreement(text))
    assert response.status_code == 401


def test_expired_and_revoked_tokens_are_401(writable, text, monkeypatch):
    client, _, tokens, _ = writable
    made, secret = tokens.create("short-lived", days=1)
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 2 * 86400)
    response = client.post(
        "/v1/agreements", json=agreement(text), headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 401
    assert "expired" in response.get_json()["detail"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    monkeypatch.setattr(time, "time", real)
    made, secret = tokens.create("soon-revoked")
    assert tokens.revoke(made.id)
    response = client.post(
        "/v1/agreements", json=agreement(text), headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 401
    assert "revoked" in response.get_json()["detail"]


def test_a_token_without_the_scope_is_a_403(writable, text):
    client, _, tokens, _ = writable
    _, secret = tokens.create("events only", scopes=("events",))
    response = client.post(
        "/v1/agreements", json=agreement(text), headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_tokens_are_stored_only_as_hashes_and_record_last_use(writable, text):
    client, auth, tokens, db = writable
    secret = auth["Authorization"].split()[1]
    raw = (db.parent / "auth.db").read_bytes()
    assert secret.encode() not in raw and secret.split("_", 2)[2].encode() not in raw
    client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert tokens.list()[0].last_used is not None


# --- create ----------------------------------------------------------------------


def test_create_assigns_the_id_and_fills_citations(writable, text):
    client, auth, _, _ = writable
    response = client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"] == "/v1/agreements/2010-trade-turnover-target"
    body = response.get_json()
    assert body["id"] == "2010-trade-turnover-target"
    assert (
        body["sources"][0]["prefix"]
        == text[body["sources"][0]["start"] - 32 : body["sources"][0]["start"]]
    )
    assert (body["date_start"], body["date_end"]) == ("2010-11-01", "2010-11-30")
    fetched = client.get("/v1/agreements/2010-trade-turnover-target")
    assert fetched.get_json() == body
    assert fetched.headers["ETag"] == response.headers["ETag"]
    assert client.post("/v1/agreements", json=agreement(text), headers=auth).status_code == 409


def test_created_records_reach_lists_search_timeline_and_briefs(writable, text):
    client, auth, _, _ = writable
    client.post("/v1/agreements", json=agreement(text), headers=auth)
    assert "2010-trade-turnover-target" in [
        a["id"] for a in client.get("/v1/agreements?status=proposed").get_json()["items"]
    ]
    assert (
        client.get("/v1/search?q=turnover%20target").get_json()["items"][0]["id"]
        == "2010-trade-turnover-target"
    )
    timeline = client.get("/v1/timeline?country=PK&type=agreement&limit=500").get_json()
    assert "2010-trade-turnover-target" in [e["id"] for e in timeline["items"]]
    brief = client.get("/v1/briefs/PK/RU").get_json()
    assert brief["agreements"]["proposed"]["items"][0]["id"] == "2010-trade-turnover-target"


def test_search_follows_patches_and_deletes(writable, text):
    client, auth, _, _ = writable

    def found(word: str) -> list[str]:
        return [h["id"] for h in client.get(f"/v1/search?q={word}").get_json()["items"]]

    created = client.post(
        "/v1/agreements", json=agreement(text, title="Quokka accord"), headers=auth
    )
    url = created.headers["Location"]
    assert found("quokka") == [created.get_json()["id"]]
    patched = client.patch(
        url, json={"title": "Wombat accord"}, headers={**auth, "If-Match": created.headers["ETag"]}
    )
    assert patched.status_code == 200
    assert (found("quokka"), found("wombat")) == ([], [created.get_json()["id"]])
    deleted = client.delete(url, headers={**auth, "If-Match": patched.headers["ETag"]})
    assert deleted.status_code == 204
    assert found("wombat") == []


def test_the_index_catches_up_after_a_crash_between_commits(writable, text, monkeypatch):
    """A write whose index update never happened is indexed by the next start (or write)."""
    from api import create_app
    from api.store import fulltext

    client, auth, _, db = writable

    def crash(directory, conn):
        raise OSError("the process died here")

    with monkeypatch.context() as patched:
        patched.setattr(fulltext, "sync", crash)
        created = client.post(
            "/v1/agreements", json=agreement(text, title="Quokka accord"), headers=auth
        )
    assert created.status_code == 201  # committed in SQLite: the index is behind
    assert client.get("/v1/search?q=quokka").get_json()["items"] == []
    restarted = create_app({**client.application.config, "DB": str(db)}).test_client()
    hits = restarted.get("/v1/search?q=quokka").get_json()["items"]
    assert [h["id"] for h in hits] == [created.get_json()["id"]]


def test_a_database_copied_without_its_index_gets_one_at_start(db_path, tmp_path):
    from api import create_app

    db = tmp_path / "copy.db"
    shutil.copy(db_path, db)
    assert not list(tmp_path.glob("*.fulltext-*"))
    client = create_app({"DB": str(db), "ACCESS_LOG": False}).test_client()
    assert client.get("/readyz").status_code == 200
    hits = client.get("/v1/search?q=Fredkov&type=person").get_json()["items"]
    assert [h["id"] for h in hits] == ["mikhail-fradkov"]
    assert len(list(tmp_path.glob("copy.db.fulltext-*"))) == 0  # named as the build named it
    assert len(list(tmp_path.glob("briefs.db.fulltext-*"))) == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"signatories": ["PK"]}, "signatories", "Unknown field."),
        ({"id": "chosen-by-client"}, "id", "Read-only: the server sets it."),
        ({"date_start": "2010-11-01"}, "date_start", "Read-only: the server sets it."),
        ({"countries": ["PK", "XX"]}, "countries[1]", "unknown countries id 'XX'"),
        ({"meeting": "no-such-meeting"}, "meeting", "unknown meetings id 'no-such-meeting'"),
        ({"date": "2010-02-30"}, "date", "Not a real calendar date: 2010-02-30."),
        ({"kind": "alliance"}, "kind", "Must be one of"),
        ({"value": {"amount": 2.5, "currency": "USD"}}, "value.amount", "Not a whole number."),
        ({"title": ""}, "title", "Shorter than minimum length 1."),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(writable, text, change, field, message):
    client, auth, _, _ = writable
    response = client.post("/v1/agreements", json=agreement(text, **change), headers=auth)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert any(message in m for m in response.get_json()["errors"][field])


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"quote": "A pitiful sum."}, "sources[0].end", "quote is 14 characters long"),
        ({"start": 1, "end": 1 + len(TEXT_QUOTE)}, "sources[0].quote", "not the quote"),
        ({"document": "no-such-doc"}, "sources[0].document", "unknown documents id"),
        ({"prefix": "not the text"}, "sources[0].prefix", "but the text has"),
    ],
)
def test_citations_are_verified_like_briefs_check(writable, text, bad, field, message):
    client, auth, _, _ = writable
    body = agreement(text)
    body["sources"][0].update(bad)
    response = client.post("/v1/agreements", json=body, headers=auth)
    assert response.status_code == 422
    assert any(message in m for m in response.get_json()["errors"][field]), response.get_json()


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("not json", "application/json", 400),
        ('{"title": ', "application/json", 400),
        ("[1, 2]", "application/json", 422),
        ("{}", "text/plain", 415),
        ("title=x", "application/x-www-form-urlencoded", 415),
        ("{}", "application/merge-patch+json", 415),
    ],
)
def test_malformed_or_mistyped_bodies(writable, data, content_type, status):
    client, auth, _, _ = writable
    response = client.post(
        "/v1/agreements", data=data, headers={**auth, "Content-Type": content_type}
    )
    assert response.status_code == status
    assert response.content_type == "application/problem+json"


def test_an_oversized_body_is_a_413(writable):
    client, auth, _, _ = writable
    response = client.post(
        "/v1/agreements",
        data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


# --- patch -----------------------------------------------------------------------


def test_patch_needs_a_current_if_match(writable):
    client, auth, _, _ = writable
    url = "/v1/agreements/2005-debt-rescheduling"
    etag = client.get(url).headers["ETag"]
    assert client.patch(url, json={"sector": "finance"}, headers=auth).status_code == 428
    stale = client.patch(url, json={"sector": "finance"}, headers={**auth, "If-Match": '"x-json"'})
    assert stale.status_code == 412
    done = client.patch(url, json={"sector": "finance"}, headers={**auth, "If-Match": etag})
    assert done.status_code == 200
    assert done.get_json()["sector"] == "finance"
    assert done.headers["ETag"] != etag
    again = client.patch(url, json={"sector": "debt"}, headers={**auth, "If-Match": etag})
    assert again.status_code == 412


def test_patch_is_a_json_merge_patch(writable):
    client, auth, _, _ = writable
    url = "/v1/agreements/2005-debt-rescheduling"
    before = client.get(url)
    patch = {"value": {"amount": 128000000}, "sector": None, "notes": ["Corrected."]}
    response = client.patch(
        url,
        data=json.dumps(patch),
        headers={
            **auth,
            "If-Match": before.headers["ETag"],
            "Content-Type": "application/merge-patch+json",
        },
    )
    assert response.status_code == 200, response.get_json()
    after = response.get_json()
    assert after["value"] == {"amount": 128000000, "currency": "USD"}
    assert after["sector"] is None
    assert after["notes"] == ["Corrected."]
    assert after["sources"] == before.get_json()["sources"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"id": "renamed"}, "id"),
        ({"date_end": "2020-01-01"}, "date_end"),
        ({"title": None}, "title"),
        ({"countries": []}, "countries"),
        ({"status": "ratified"}, "status"),
    ],
)
def test_invalid_patches_change_nothing(writable, patch, field):
    client, auth, _, _ = writable
    url = "/v1/agreements/2005-debt-rescheduling"
    before = client.get(url)
    response = client.patch(url, json=patch, headers={**auth, "If-Match": before.headers["ETag"]})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert client.get(url).get_data() == before.get_data()


def test_linking_an_agreement_updates_the_meetings_outcomes(writable):
    client, auth, _, _ = writable
    url = "/v1/agreements/2005-debt-rescheduling"
    etag = client.get(url).headers["ETag"]
    client.patch(
        url, json={"meeting": "2007-fradkov-visit-to-pakistan"}, headers={**auth, "If-Match": etag}
    )
    meeting = client.get("/v1/meetings/2007-fradkov-visit-to-pakistan").get_json()
    assert meeting["outcomes"] == ["2005-debt-rescheduling"]
    etag = client.get(url).headers["ETag"]
    client.patch(url, json={"meeting": None}, headers={**auth, "If-Match": etag})
    assert client.get("/v1/meetings/2007-fradkov-visit-to-pakistan").get_json()["outcomes"] == []


# --- delete ----------------------------------------------------------------------


def test_delete_leaves_a_tombstone_and_the_id_is_never_reused(writable, text):
    client, auth, _, _ = writable
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    url = created.headers["Location"]
    assert client.delete(url, headers=auth).status_code == 428
    response = client.delete(url, headers={**auth, "If-Match": created.headers["ETag"]})
    assert response.status_code == 204
    gone = client.get(url)
    assert gone.status_code == 410
    assert gone.content_type == "application/problem+json"
    assert client.patch(url, json={}, headers={**auth, "If-Match": "*"}).status_code == 410
    assert client.post("/v1/agreements", json=agreement(text), headers=auth).status_code == 409
    assert created.get_json()["id"] not in [
        a["id"] for a in client.get("/v1/agreements?limit=500").get_json()["items"]
    ]


def test_a_record_others_refer_to_cannot_be_deleted(writable):
    client, auth, _, _ = writable
    url = "/v1/meetings/2007-petroleum-minister-visit-to-moscow"
    response = client.delete(url, headers={**auth, "If-Match": client.get(url).headers["ETag"]})
    assert response.status_code == 409
    assert "agreements/2007-oil-sector-mou" in response.get_json()["detail"]
    assert client.get(url).status_code == 200


# --- idempotency -----------------------------------------------------------------


def test_idempotency_key_replays_and_guards(writable, text):
    client, auth, _, _ = writable
    headers = {**auth, "Idempotency-Key": "k-1"}
    first = client.post("/v1/agreements", json=agreement(text), headers=headers)
    again = client.post("/v1/agreements", json=agreement(text), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post("/v1/agreements", json=agreement(text, title="Other"), headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.get_json()["errors"]
    changes = client.get("/v1/changes").get_json()["items"]
    assert [c["action"] for c in changes] == ["create"]


def test_a_concurrent_duplicate_is_a_409(writable, text):
    client, auth, _, _ = writable
    from api.store.idempotency import request_digest

    extensions = client.application.extensions
    token = extensions["briefs.tokens"].verify(auth["Authorization"].split()[1])
    actor = f"token:{token.id}:{token.name}"
    # Claim the key the way a first, still running request would.
    writer = extensions["briefs.writer"]
    digest = request_digest(agreement(text), "POST", "/v1/agreements")
    assert writer.begin_idempotent(actor, "k-2", digest) is None
    response = client.post(
        "/v1/agreements", json=agreement(text), headers={**auth, "Idempotency-Key": "k-2"}
    )
    assert response.status_code == 409
    assert client.get("/v1/changes").get_json()["items"] == []


# --- audit and change feed ---------------------------------------------------------


def test_every_write_is_in_the_change_feed_in_order(writable, text):
    client, auth, _, _ = writable
    version = client.get("/v1/dataset").get_json()["data_version"]
    list_etag = client.get("/v1/agreements").headers["ETag"]
    created = client.post("/v1/agreements", json=agreement(text), headers=auth)
    url = created.headers["Location"]
    patched = client.patch(
        url,
        json={"status": "negotiating", "status_history": []},
        headers={**auth, "If-Match": created.headers["ETag"]},
    )
    client.delete(url, headers={**auth, "If-Match": patched.headers["ETag"]})
    feed = client.get("/v1/changes").get_json()
    assert [(c["seq"], c["action"]) for c in feed["items"]] == [
        (1, "create"),
        (2, "update"),
        (3, "delete"),
    ]
    assert feed["items"][0]["before"] is None
    assert feed["items"][1]["before"]["status"] == "proposed"
    assert feed["items"][1]["after"]["status"] == "negotiating"
    assert feed["items"][2]["after"] is None
    assert [c["seq"] for c in client.get("/v1/changes?since=2").get_json()["items"]] == [3]
    paged = client.get("/v1/changes?limit=2").get_json()
    assert paged["next"].endswith("since=2&limit=2")
    assert client.get("/v1/dataset").get_json()["data_version"] == f"{version}.3"
    assert client.get("/v1/agreements", headers={"If-None-Match": list_etag}).status_code == 200


# --- rate limits -------------------------------------------------------------------


def test_writes_and_failed_authentication_are_rate_limited(db_path, tmp_path, text):
    app, _, _ = writable_app(db_path, tmp_path, AUTH_FAILURE_RATE_LIMIT="3/minute")
    client = app.test_client()
    statuses = [
        client.post("/v1/events", json={}, headers={"Authorization": "Bearer bad"}).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    limited = client.post("/v1/events", json={}, headers={"Authorization": "Bearer bad"})
    assert limited.content_type == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0


# --- nothing lost by any command -------------------------------------------------


def test_export_then_build_keeps_writes_and_build_refuses_to_drop_them(writable, text, tmp_path):
    client, auth, _, db = writable
    client.post("/v1/agreements", json=agreement(text), headers=auth)
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    seeds = FIXTURES.parent / "seeds"
    runner = CliRunner()
    refused = runner.invoke(
        main, ["build", "--db", str(db), "--seeds", str(seeds), "--fixtures", str(fixtures)]
    )
    assert refused.exit_code == 1
    assert "agreements/2010-trade-turnover-target" in refused.output
    assert client.get("/v1/agreements/2010-trade-turnover-target").status_code == 200
    exported = runner.invoke(main, ["export", "--db", str(db), "--fixtures", str(fixtures)])
    assert exported.exit_code == 0, exported.output
    rebuilt = runner.invoke(
        main, ["build", "--db", str(db), "--seeds", str(seeds), "--fixtures", str(fixtures)]
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    assert client.get("/v1/agreements/2010-trade-turnover-target").status_code == 200


def test_build_force_discards_writes(writable, text, tmp_path):
    client, auth, _, db = writable
    client.post("/v1/agreements", json=agreement(text), headers=auth)
    seeds = FIXTURES.parent / "seeds"
    result = CliRunner().invoke(
        main,
        ["build", "--db", str(db), "--seeds", str(seeds), "--fixtures", str(FIXTURES), "--force"],
    )
    assert result.exit_code == 0, result.output
    assert client.get("/v1/agreements/2010-trade-turnover-target").status_code == 404


def test_token_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFS_AUTH_DB", str(tmp_path / "auth.db"))
    runner = CliRunner()
    created = runner.invoke(
        main, ["token", "create", "--name", "curator", "--scope", "events", "--expires", "30"]
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("brf_") and " " not in secret
    listed = runner.invoke(main, ["token", "list"])
    assert "curator" in listed.output and "scopes=events" in listed.output
    assert secret.split("_", 2)[2] not in listed.output
    token_id = secret.split("_")[1]
    assert runner.invoke(main, ["token", "revoke", token_id]).exit_code == 0
    assert "revoked" in runner.invoke(main, ["token", "list"]).output
    assert runner.invoke(main, ["token", "revoke", token_id]).exit_code == 1


def test_the_download_holds_writes_but_not_who_made_them(writable, text, tmp_path):
    import sqlite3

    client, auth, _, _ = writable
    client.post("/v1/agreements", json=agreement(text), headers={**auth, "Idempotency-Key": "d"})
    response = client.get("/v1/dataset.sqlite")
    copy = tmp_path / "copy.db"
    copy.write_bytes(response.get_data())
    response.close()
    conn = sqlite3.connect(copy)
    assert conn.execute(
        "SELECT id FROM agreements WHERE id = '2010-trade-turnover-target'"
    ).fetchone()
    assert conn.execute("SELECT actor FROM changes").fetchall() == [("",)]
    assert conn.execute("SELECT count(*) FROM idempotency").fetchone() == (0,)
