"""Feeds: `/v1/feeds` and the worker polling a site on 127.0.0.1 written for the tests.

Each new entry's page becomes a document with its extraction queued; an entry already
stored (same URL, same text) is skipped; a reprint of a stored story (near-duplicate
text) is recorded as that document's reprint; a second poll is a conditional GET; a
broken feed backs off and shows its error.
"""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from api import config
from api.cli import main
from api.curation.feeds import Feeds
from api.curation.tasks import Tasks
from api.curation.worker import Limits, Worker
from tests.helpers import ARTICLES, writable_app
from tests.system.pages import Site, article_page, atom, rss


@pytest.fixture
def env(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFS_FETCH_PRIVATE", "1")  # the test site is on 127.0.0.1
    app, db, tokens = writable_app(db_path, tmp_path, FETCH_PRIVATE=True)
    _, secret = tokens.create("feeder", ("feeds", "drafts"))
    _, other = tokens.create("writer", ("documents",))
    return (
        app.test_client(),
        {"Authorization": f"Bearer {secret}"},
        {"Authorization": f"Bearer {other}"},
        db,
    )


def paragraphs(name: str) -> list[str]:
    return (ARTICLES / f"{name}.txt").read_text().split("\n\n")[1:]


def run_feeds(db) -> dict[str, int]:
    """What the worker does when idle: queue the polls due, then run every feed and entry
    job (extraction jobs are left queued). Returns the kinds of jobs run."""
    worker = Worker(db, Limits(config.from_environment()), load_model=False)
    worker._between_jobs()
    ran: dict[str, int] = {}
    _hold_extractions(db, "queued", "held")
    try:
        while True:
            kinds = [t.kind for t in _queued(db)]
            if not kinds:
                return ran
            assert kinds[0] in ("feed", "entry"), kinds
            assert worker.step()
            ran[kinds[0]] = ran.get(kinds[0], 0) + 1
            _hold_extractions(db, "queued", "held")
    finally:
        _hold_extractions(db, "held", "queued")


def _hold_extractions(db, state: str, to: str) -> None:
    with Tasks(db).write() as conn:
        conn.execute("UPDATE tasks SET state = ? WHERE kind = 'extract' AND state = ?", (to, state))


def _queued(db):
    tasks = Tasks(db)
    with tasks.write() as conn:
        rows = conn.execute(
            "SELECT kind FROM tasks WHERE state = 'queued' ORDER BY created"
        ).fetchall()
    return [type("T", (), {"kind": r[0]}) for r in rows]


def test_a_feed_brings_each_story_once_and_recognises_reprints(env):
    client, auth, _, db = env
    rail, seoul = paragraphs("nairobi-rail"), paragraphs("seoul-tokyo")
    reprinted = ["From our partners at the wire:"] + rail[:-1] + [rail[-1] + " (Updated.)"]
    with Site() as site:
        a = site.page("/world/rail", article_page("Nairobi and Beijing widen rail ties", rail))
        b = site.page("/world/seoul", article_page("Seoul and Tokyo talk", seoul))
        reprint = site.page("/partner/rail", article_page("Rail ties widen", reprinted))
        items = [
            {"title": "Nairobi and Beijing widen rail ties", "link": a, "guid": "a"},
            {"title": "Seoul and Tokyo talk", "link": b, "guid": "b"},
            {"title": "Rail ties widen (partner)", "link": reprint, "guid": "c"},
            {"title": "Nairobi rail, again", "link": a, "guid": "d"},  # the same URL
        ]
        site.page("/feed.xml", rss("Test Wire", items), content_type="application/rss+xml")
        created = client.post(
            "/v1/feeds", json={"url": site.url("/feed.xml"), "every": "10m"}, headers=auth
        )
        assert created.status_code == 201, created.get_json()
        feed = created.get_json()
        assert created.headers["Location"] == f"/v1/feeds/{feed['id']}"
        assert feed["every"] == 600 and feed["last_poll"] is None

        assert run_feeds(db) == {"feed": 1, "entry": 4}
        polled = client.get(f"/v1/feeds/{feed['id']}", headers=auth).get_json()
        assert polled["title"] == "Test Wire"
        assert polled["last_error"] is None and polled["failures"] == 0
        assert polled["entries"] == {
            "queued": 0,
            "stored": 2,
            "duplicate": 1,
            "reprint": 1,
            "failed": 0,
        }
        by_url = {}
        for entry in polled["recent"]:
            by_url.setdefault(entry["url"], []).append(entry)
        (reprint_entry,) = by_url[reprint]
        original = [e for e in by_url[a] if e["state"] == "stored"][0]["document"]
        assert reprint_entry["state"] == "reprint"
        assert reprint_entry["document"] == original
        assert 0.6 <= reprint_entry["similarity"] < 1
        documents = {e["document"] for e in polled["recent"] if e["state"] == "stored"}
        assert len(documents) == 2
        for document in documents:  # stored with its page, its extraction queued
            record = client.get(f"/v1/documents/{document}").get_json()
            assert record["url"] in (a, b)
            assert record["publisher"] == "Test Wire"
        jobs = client.get("/v1/drafts", headers=auth)  # the drafts wait for the worker
        assert jobs.status_code == 200
        assert [t.kind for t in _queued(db)] == ["extract", "extract"]

        # a second poll: a conditional GET answered 304, nothing new
        Feeds(db).polled(feed["id"], None, None)
        with Feeds(db)._write() as conn:
            conn.execute("UPDATE feeds SET next_poll = 0")
        assert run_feeds(db) == {"feed": 1}
        assert site.conditional.get("/feed.xml") == 1

        # a new entry published later is taken on the next poll
        items.append({"title": "Seoul and Tokyo, later", "link": b + "?v=2", "guid": "e"})
        site.page("/world/seoul?v=2", article_page("Seoul and Tokyo talk", seoul))
        site.page("/feed.xml", rss("Test Wire", items), content_type="application/rss+xml")
        with Feeds(db)._write() as conn:
            conn.execute("UPDATE feeds SET next_poll = 0")
        assert run_feeds(db) == {"feed": 1, "entry": 1}
        again = client.get(f"/v1/feeds/{feed['id']}", headers=auth).get_json()
        assert again["entries"]["duplicate"] == 2, again["recent"][:2]  # the same text as b


def test_an_atom_feed_and_a_broken_one_that_backs_off(env):
    client, auth, _, db = env
    with Site() as site:
        page = site.page("/p", article_page("Astana visit", paragraphs("astana-visit")))
        site.page("/atom", atom("Atom Wire", [{"title": "Astana", "link": page}]))
        site.page("/broken", "<html>not a feed</html>")
        good = client.post("/v1/feeds", json={"url": site.url("/atom")}, headers=auth)
        bad = client.post("/v1/feeds", json={"url": site.url("/broken")}, headers=auth)
        assert good.status_code == bad.status_code == 201
        assert good.get_json()["every"] == 1800  # 30m by default
        before = time.time()
        run_feeds(db)
        listed = client.get("/v1/feeds", headers=auth).get_json()["items"]
    by_id = {f["id"]: f for f in listed}
    assert by_id[good.get_json()["id"]]["entries"]["stored"] == 1
    broken = by_id[bad.get_json()["id"]]
    assert broken["failures"] == 1
    assert "not an RSS or Atom feed" in broken["last_error"]
    next_poll = time.mktime(time.strptime(broken["next_poll"], "%Y-%m-%dT%H:%M:%SZ"))
    assert next_poll - time.timezone >= before + 2 * 1800 - 5  # backed off: twice the wait


def test_feeds_are_added_listed_and_removed_with_the_feeds_scope(env):
    client, auth, other, _ = env
    body = {"url": "http://127.0.0.1:9/feed.xml", "every": "1h"}
    assert client.post("/v1/feeds", json=body, headers=other).status_code == 403
    assert client.get("/v1/feeds", headers=other).status_code == 403
    assert client.get("/v1/feeds").status_code == 401
    created = client.post("/v1/feeds", json=body, headers=auth)
    assert created.status_code == 201
    again = client.post("/v1/feeds", json=body, headers=auth)
    assert again.status_code == 409
    assert again.get_json()["existing"] == created.get_json()["id"]
    for bad, field in [
        ({"url": "ftp://x/feed"}, "url"),
        ({"url": "http://x/feed", "every": "5s"}, "every"),
        ({"url": "http://x/feed", "every": "soon"}, "every"),
        ({"url": "http://x/feed", "colour": "red"}, "colour"),
    ]:
        refused = client.post("/v1/feeds", json=bad, headers=auth)
        assert refused.status_code == 422, bad
        assert refused.content_type == "application/problem+json"
        assert field in refused.get_json()["errors"], refused.get_json()
    feed_id = created.get_json()["id"]
    deleted = client.delete(f"/v1/feeds/{feed_id}", headers=auth)
    assert deleted.status_code == 204 and "Content-Type" not in deleted.headers
    assert client.get(f"/v1/feeds/{feed_id}", headers=auth).status_code == 404
    assert client.delete(f"/v1/feeds/{feed_id}", headers=auth).status_code == 404


def test_a_feed_on_a_private_address_is_refused_unless_allowed(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path)
    auth = {"Authorization": f"Bearer {tokens.create('f', ('feeds',))[1]}"}
    refused = app.test_client().post(
        "/v1/feeds", json={"url": "http://127.0.0.1:9/feed.xml"}, headers=auth
    )
    assert refused.status_code == 422
    assert "private or local address" in refused.get_json()["detail"]


def test_briefs_feeds_add_list_remove(env):
    _, _, _, db = env
    runner = CliRunner()
    added = runner.invoke(
        main, ["feeds", "add", "http://127.0.0.1:9/feed.xml", "--every", "2h", "--db", str(db)]
    )
    assert added.exit_code == 0, added.output
    feed_id = added.stdout.strip().splitlines()[-1]
    listed = runner.invoke(main, ["feeds", "list", "--db", str(db)])
    assert feed_id in listed.output and "every 7200 s" in listed.output
    assert runner.invoke(main, ["feeds", "remove", feed_id, "--db", str(db)]).exit_code == 0
    assert feed_id not in runner.invoke(main, ["feeds", "list", "--db", str(db)]).output
    bad = runner.invoke(main, ["feeds", "add", "http://x/feed", "--every", "1s", "--db", str(db)])
    assert bad.exit_code != 0 and "10 s to 7 days" in bad.output
