"""The reading pages: HTML over the same data as /v1, cached like it, escaped, marked."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from api.domain import catalog
from api.domain.citations import walk
from tests.helpers import DOCUMENT, agreement, article, writable_app
from tests.review_double import HandDrafts, extract, open_drafts

HTML = "text/html; charset=utf-8"
DEBT = "/agreements/2005-debt-rescheduling"
PAGES = [
    "/",
    "/briefs/PK/RU",
    f"/documents/{DOCUMENT}",
    DEBT,
    "/people/mikhail-fradkov",
    "/countries/PK",
    "/search?q=Fredkov",
    f"/desk/documents/{DOCUMENT}",
    "/organizations/sco",
    "/agreements?country=PK",
    "/commentary",
    "/documents",
    "/briefs",
    "/briefs/PK",
]
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


class Marks(HTMLParser):
    """The text of each ``<mark data-c>`` piece in a document page, per span key."""

    def __init__(self) -> None:
        super().__init__()
        self.by_span: dict[str, str] = {}
        self.anchors: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark" and "data-c" in attrs:
            self._open = attrs["data-c"].split()
        if tag == "a" and "anchor" in (attrs.get("class") or "").split():
            self.anchors.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "mark":
            self._open = None

    def handle_data(self, data):
        for key in self._open or []:
            self.by_span[key] = self.by_span.get(key, "") + data


def cited_spans(client, document: str) -> tuple[int, dict[str, str]]:
    """How many citations every /v1 record makes into ``document``, and its distinct spans."""
    total, spans = 0, {}
    for resource in catalog.ALL:
        url = f"/v1/{resource.name}?limit=500"
        while url:
            page = client.get(url).get_json()
            for record in page["items"]:
                for _, source in walk(record):
                    if source["document"] == document:
                        total += 1
                        spans[f"{source['start']}-{source['end']}"] = source["quote"]
            url = page["next"] and page["next"].replace("http://localhost", "")
    return total, spans


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_html_cached_like_v1_and_locked_down(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == HTML
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["ETag"].endswith('-html"')
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    body = response.get_data(as_text=True)
    assert body.startswith("<!doctype html>")
    assert "<main" in body and "<header" in body and "<footer" in body
    assert " style=" not in body and "<style" not in body  # the policy would block them
    assert all(
        src.startswith("/pages/static/") for src in re.findall(r'<script src="([^"]+)"', body)
    )
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["ETag"] == response.headers["ETag"]


def test_the_v1_json_is_untouched_by_the_pages(client):
    response = client.get("/v1/agreements/2005-debt-rescheduling")
    assert response.headers["Content-Type"] == "application/json"
    assert "Content-Security-Policy" not in response.headers
    assert (
        client.get("/v1/briefs/PK/RU").headers["ETag"]
        != client.get("/briefs/PK/RU").headers["ETag"]
    )


def test_the_home_page_shows_counts_documents_and_a_picker(client):
    body = client.get("/").get_data(as_text=True)
    counts = client.get("/v1/dataset").get_json()["counts"]
    assert f"<dt>agreements</dt><dd>{counts['agreements']}</dd>" in body
    assert f'href="/documents/{DOCUMENT}"' in body
    russia = client.get("/v1/countries/RU").get_json()["name"]
    assert f'<option value="RU">{russia}</option>' in body
    assert "No writes since the data was built." in body


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("a=Pakistan&b=Russia", "/briefs/PK/RU"),
        ("a=RU&b=PK", "/briefs/PK/RU"),
    ],
)
def test_the_picker_leads_to_the_brief(client, query, location):
    response = client.get(f"/briefs?{query}")
    assert response.status_code == 303
    assert response.headers["Location"] == location


def test_a_brief_named_otherwise_redirects_to_its_codes(client):
    response = client.get("/briefs/russia/pakistan")
    assert (response.status_code, response.headers["Location"]) == (303, "/briefs/PK/RU")


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/briefs/PK/Pakistn", 404, "No country &#39;Pakistn&#39;."),
        ("/briefs/PK/pakistan", 400, "both name PK"),
        ("/briefs/Narnia", 404, "No country &#39;Narnia&#39;."),
        ("/agreements?colour=red", 400, "<code>colour</code>: Unknown field."),
        ("/agreements?country=Pakistn", 400, "Unknown country: &#39;Pakistn&#39;."),
        ("/agreements?from=2010-13", 400, "<code>from</code>:"),
        ("/agreements?cursor=abc", 400, "Invalid cursor"),
        (f"/documents/{DOCUMENT}?show=treaty", 400, "Unknown resource: &#39;treaty&#39;."),
        ("/agreements/2005-debt-reschedule", 404, 'href="/agreements/2005-debt-rescheduling"'),
        ("/documents/nope", 404, "No document"),
        ("/search?q=x&start=ten", 400, "start must be a whole number"),
    ],
)
def test_bad_input_is_an_html_error_page(client, path, status, text):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["Content-Type"] == HTML
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers
    assert text in response.get_data(as_text=True)


def test_the_brief_footnotes_open_the_cited_words(client):
    body = client.get("/briefs/PK/RU").get_data(as_text=True)
    source = client.get("/v1/agreements/2005-debt-rescheduling").get_json()["sources"][0]
    item = re.search(
        r'<li>\s*<h3><a href="/agreements/2005-debt-rescheduling">.*?</li>', body, re.S
    )
    assert item, "the agreement is not on the brief page"
    assert f'href="/documents/{DOCUMENT}#c={source["start"]}-{source["end"]}"' in item.group(0)
    # Every number the brief cites has a footnote link, and every source is listed.
    brief = client.get("/v1/briefs/PK/RU?limit=10").get_json()
    for n, s in enumerate(brief["sources"], 1):
        assert f'<li id="source-{n}" value="{n}">' in body
        assert f'#c={s["start"]}-{s["end"]}"' in body


def test_the_timeline_strip_draws_dated_records_and_marks_predecessors(client):
    body = client.get("/briefs/PK/RU").get_data(as_text=True)
    strip = body[body.index('<svg class="strip"') : body.index("</svg>")]
    timeline = client.get("/v1/timeline?country=PK&country=RU&limit=500").get_json()["items"]
    dated = [e for e in timeline if e["date"]]
    assert strip.count('<a href="/') == len(dated)
    via = [e for e in dated if "SUHH" in e["countries"] and "RU" not in e["countries"]]
    assert via and strip.count('class="mark via') == len(via)
    for entry in via:
        assert (
            f'href="/{catalog.BY_SINGULAR[entry["type"]].name}/{entry["id"]}" class="mark via'
            in strip
        )
    undated = [e for e in timeline if not e["date"]]
    assert all(f'/{e["id"]}">' in body[body.index("<h3>Undated</h3>") :] for e in undated)


def test_the_document_page_marks_every_cited_span(client):
    total, spans = cited_spans(client, DOCUMENT)
    body = client.get(f"/documents/{DOCUMENT}").get_data(as_text=True)
    assert f"{total} citations of {len(spans)} passages" in body
    marks = Marks()
    marks.feed(body)
    assert sorted(marks.anchors) == sorted(f"c={key}" for key in spans)
    # Each span's marked pieces, read in order, are exactly its quote.
    assert marks.by_span == spans
    # The text between the tags is the document's, character for character.
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    shown = body[body.index('<div class="doc-text"') : body.index("</div>", body.index("doc-text"))]
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", shown)
    shown = re.sub(r'<span aria-hidden="true">\d+</span>', "", shown)
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)) == text


def test_the_seed_document_has_the_citations_the_issue_counts(client):
    total, spans = cited_spans(client, DOCUMENT)
    assert total == 60  # the seed's fixtures: 60 citations, of 53 distinct spans
    body = client.get(f"/documents/{DOCUMENT}").get_data(as_text=True)
    assert body.count('<a class="anchor"') == len(spans)


def test_a_record_page_shows_fields_citations_and_no_history(client):
    body = client.get(DEBT).get_data(as_text=True)
    record = client.get(f"/v1{DEBT}").get_json()
    assert f"<h1>{record['title']}</h1>" in body
    assert "<dd>127,000,000</dd>" in body
    assert '<a href="/countries/PK">PK</a>' in body
    for s in [s for _, s in walk(record)]:
        assert f'href="/documents/{s["document"]}#c={s["start"]}-{s["end"]}"' in body
    title = client.get(f"/v1/documents/{DOCUMENT}").get_json()["title"]
    assert f"the passage in {title}</a>" in body
    assert "Unchanged since the data was built." in body


def test_a_name_redirects_to_the_records_page(client):
    response = client.get("/countries/pakistan")
    assert (response.status_code, response.headers["Location"]) == (301, "/countries/PK")


def test_search_links_hits_to_their_pages_with_marked_words(client):
    body = client.get("/search?q=Fredkov").get_data(as_text=True)
    assert '<a href="/people/mikhail-fradkov">Mikhail Fradkov</a>' in body
    assert "<mark>Fredkov</mark>" in body
    empty = client.get("/search?q=%22%2A").get_data(as_text=True)
    assert "Give at least one letter or digit" in empty


def test_search_input_is_escaped(client):
    body = client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_record_text_is_escaped_and_history_comes_from_the_change_feed(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path)
    client = app.test_client()
    _, secret = tokens.create("tester")
    auth = {"Authorization": f"Bearer {secret}"}
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    quote = "The annual trade turnover is a pitiful $700 million."
    start = text.index(quote)
    title = '<script>alert("x")</script> & <b>bold</b>'
    created = client.post(
        "/v1/agreements",
        json={
            "title": title,
            "kind": "agreement",
            "status": "proposed",
            "countries": ["PK", "RU"],
            "date": "2010-11",
            "summary": "<img src=x onerror=alert(1)>",
            "sources": [
                {"document": DOCUMENT, "quote": quote, "start": start, "end": start + len(quote)}
            ],
        },
        headers=auth,
    )
    assert created.status_code == 201, created.get_json()
    record = created.get_json()
    path = f"/agreements/{record['id']}"
    etag = client.get(path).headers["ETag"]
    for page in (path, "/briefs/PK/RU", f"/documents/{DOCUMENT}", "/search?q=alert"):
        body = client.get(page).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body, page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold" in body, page
    assert client.get("/").get_data(as_text=True).count(f'href="{path}"') == 1

    client.patch(
        f"/v1{path}",
        json={"sector": "trade"},
        headers={**auth, "If-Match": created.headers["ETag"]},
    )
    page = client.get(path)
    assert page.headers["ETag"] != etag  # a write changes every page's version
    history = page.get_data(as_text=True)
    history = history[history.index('<ol class="history">') :]
    assert re.search(r"create: .*countries.*title", history)
    assert "update: sector" in history

    deleted = client.delete(
        f"/v1{path}", headers={**auth, "If-Match": client.get(f"/v1{path}").headers["ETag"]}
    )
    assert deleted.status_code == 204
    gone = client.get(path)
    assert gone.status_code == 410
    assert "was deleted" in gone.get_data(as_text=True)


def test_the_assets_are_served_by_the_app(client):
    with client.get("/pages/static/pages.css") as css:
        assert css.status_code == 200 and css.mimetype == "text/css"
    with client.get("/pages/static/document.js") as js:
        assert js.status_code == 200 and "hashchange" in js.get_data(as_text=True)


def test_the_brief_page_says_what_it_rests_on(client):
    coverage = client.get("/v1/briefs/PK/RU").get_json()["coverage"]
    body = client.get("/briefs/PK/RU").get_data(as_text=True)
    section = body[body.index('id="coverage"') : body.index('id="timeline"')]
    assert f"{sum(coverage['records'].values())} records, citing" in section
    for document in coverage["documents"]:
        assert f'<a href="/documents/{document["id"]}">{document["title"]}</a>' in section
    chronology = body[body.index('<ol class="chronology">') :]
    chronology = chronology[: chronology.index("</ol>")]
    assert chronology.count("<li>") == len(
        client.get("/v1/briefs/PK/RU").get_json()["chronology"]["items"]
    )


def test_the_desk_may_call_the_api_and_holds_the_text_but_no_drafts(db_path, tmp_path):
    app, db, tokens = writable_app(db_path, tmp_path)
    client = app.test_client()
    _, secret = tokens.create("curator")
    auth = {"Authorization": f"Bearer {secret}"}
    document = client.post("/v1/documents", json=article(), headers=auth).get_json()["id"]
    extract(client, auth, db, document, HandDrafts(restates="2005-debt-rescheduling"))
    drafts = open_drafts(client, auth, document)
    assert len(drafts) == 5

    response = client.get(f"/desk/documents/{document}")  # no token: the page, not the drafts
    assert response.status_code == 200
    assert response.headers["Content-Type"] == HTML
    policy = response.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "unsafe-inline" not in policy
    assert (
        "connect-src" not in client.get(f"/documents/{document}").headers["Content-Security-Policy"]
    )
    body = response.get_data(as_text=True)
    assert '<script type="module" src="/pages/static/desk/review.js?v=' in body
    assert f'data-document="{document}"' in body
    for draft in drafts:  # as a word: an asset's version hash may hold "d4"
        assert not re.search(rf"\b{draft['id']}\b", body)
    assert "Wekesa–Morita meeting" not in body and "data-draft" not in body
    # The text is the document's, character for character, in pieces that say where they begin.
    text = client.get(f"/v1/documents/{document}/text").get_data(as_text=True)
    shown = body[body.index('<div class="doc-text" id="desk-text"') :]
    shown = shown[shown.index(">") + 1 : shown.index("</div>")]
    pieces = re.findall(r'<span (?:class="cited" )?data-at="(\d+)"[^>]*>(.*?)</span>', shown, re.S)
    assert "".join(html.unescape(p) for _, p in pieces) == text
    assert all(text[int(at) :].startswith(html.unescape(p)) for at, p in pieces)
    with client.get("/pages/static/desk/review.js") as js:
        assert js.status_code == 200 and "/v1/drafts" in js.get_data(as_text=True)


def test_the_desk_marks_what_records_cite_and_escapes_the_document(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path)
    client = app.test_client()
    _, secret = tokens.create("curator")
    auth = {"Authorization": f"Bearer {secret}"}
    hostile = {
        **article(),
        "title": '<script>alert("t")</script> loan',
        "text": article()["text"] + "\n<img src=x onerror=alert(1)> & more.\n",
    }
    document = client.post("/v1/documents", json=hostile, headers=auth).get_json()["id"]
    body = client.get(f"/desk/documents/{document}").get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "Desk: &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; loan" in body
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; more." in body

    seeded = client.get(f"/desk/documents/{DOCUMENT}").get_data(as_text=True)
    _, spans = cited_spans(client, DOCUMENT)
    assert seeded.count('<span class="cited"') >= len(spans)
    missing = client.get("/desk/documents/nope")
    assert missing.status_code == 404 and "No document" in missing.get_data(as_text=True)


def _links(body: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}[^"#]*)"', body)


def _section(body: str, heading: str) -> str:
    """The HTML of the section whose heading starts with ``heading``."""
    at = body.index(f">{heading}")
    return body[at : body.index("</section>", at)]


def test_a_persons_page_lists_what_involves_them_each_linked_with_its_date(client):
    body = client.get("/people/mikhail-fradkov").get_data(as_text=True)
    meetings = _section(body, "Meetings attended")
    assert _links(meetings, "/meetings/") == ["/meetings/2007-fradkov-visit-to-pakistan"]
    assert "<time>2007-04</time>" in meetings
    said = _section(body, "Words said")
    assert _links(said, "/commentary/") == ["/commentary/2007-fradkov-important-step"]
    assert "<q>important step</q>" in said and "· said" in said
    putin = client.get("/people/vladimir-putin").get_data(as_text=True)
    reached = _section(putin, "Agreements reached at their meetings")
    assert _links(reached, "/agreements/") == ["/agreements/2010-comprehensive-partnership"]
    v1 = client.get("/v1/commentary?author=vladimir-putin&limit=500").get_json()["items"]
    assert sorted(_links(_section(putin, "Words said"), "/commentary/")) == sorted(
        f"/commentary/{c['id']}" for c in v1
    )
    siddiqui = client.get("/people/tayyab-siddiqui").get_data(as_text=True)
    assert _links(_section(siddiqui, "Documents they wrote"), "/documents/") == [
        f"/documents/{DOCUMENT}"
    ]


def test_an_organizations_page_lists_its_meetings_and_what_came_of_them(client):
    body = client.get("/organizations/sco").get_data(as_text=True)
    assert sorted(_links(_section(body, "Meetings held under it"), "/meetings/")) == [
        "/meetings/2010-putin-gilani-dushanbe",
        "/meetings/2010-sco-summit-dushanbe",
    ]
    assert _links(_section(body, "Agreements reached"), "/agreements/") == [
        "/agreements/2010-comprehensive-partnership"
    ]
    assert _links(_section(body, "Commentary about it"), "/commentary/") == [
        "/commentary/2010-siddiqui-sco-full-membership"
    ]


def test_a_countrys_page_lists_its_records_newest_first_and_its_briefs(client):
    body = client.get("/countries/PK").get_data(as_text=True)
    v1 = client.get("/v1/agreements?country=PK&sort=-date&limit=500").get_json()["items"]
    agreements = _section(body, "Agreements")
    assert _links(agreements, "/agreements/") == [f"/agreements/{a['id']}" for a in v1]
    assert f"({len(v1)})" in agreements
    briefs = _section(body, "Briefs")
    assert _links(briefs, "/briefs/")[:2] == ["/briefs/PK/RU", "/briefs/PK/SUHH"]
    assert "Pakistan and Russia</a> <span class=\"meta\">31 records" in briefs


def test_a_country_with_more_records_than_a_section_shows_links_to_its_collection(
    db_path, tmp_path, monkeypatch
):
    from api.web.pages import involved

    monkeypatch.setattr(involved, "SHOWN", 2)
    body = create_app_client(db_path).get("/countries/PK").get_data(as_text=True)
    agreements = _section(body, "Agreements")
    assert len(_links(agreements, "/agreements/")) == 2
    assert "Showing 2 of 6." in agreements
    assert 'href="/agreements?country=PK&amp;sort=-date"' in agreements


def create_app_client(db_path):
    from api import create_app

    return create_app({"DB": str(db_path), "TESTING": True, "ACCESS_LOG": False}).test_client()


def test_a_collection_page_lists_what_v1_lists_page_by_page(client):
    v1_pages, url = [], "/v1/agreements?country=PK&sort=-date&limit=2"
    while url:
        page = client.get(url).get_json()
        v1_pages.append([f"/agreements/{a['id']}" for a in page["items"]])
        url = page["next"] and page["next"].replace("http://localhost", "")
    pages, via_v1, url = [], [], "/agreements?country=PK&sort=-date&limit=2"
    while url:
        body = client.get(url).get_data(as_text=True)
        pages.append(_links(body[body.index('id="list-heading"') :], "/agreements/"))
        found = re.search(r'rel="next" href="([^"]+)"', body)
        url = html.unescape(found.group(1)) if found else None
        if url:  # the page's cursor is the API's: it pages /v1 the same way
            cursor = url.split("cursor=")[1]
            after = client.get(f"/v1/agreements?country=PK&sort=-date&limit=2&cursor={cursor}")
            via_v1.append([f"/agreements/{a['id']}" for a in after.get_json()["items"]])
    assert pages == v1_pages and len(pages) == 3
    assert via_v1 == v1_pages[1:]
    body = client.get("/agreements?country=PK&sort=-date&limit=2").get_data(as_text=True)
    assert 'href="/v1/agreements.csv?country=PK&amp;sort=-date"' in body
    assert 'href="/v1/agreements?country=PK&amp;sort=-date&amp;limit=2"' in body
    assert '<input id="f-country" name="country" value="PK"' in body
    assert '<option value="-date" selected>' in body
    csv = client.get("/v1/agreements.csv?country=PK&sort=-date").get_data(as_text=True)
    assert len(csv.strip().splitlines()) == 1 + sum(len(p) for p in pages)


def test_a_collection_page_reads_its_own_form_with_empty_fields(client):
    response = client.get("/commentary?from=&to=&country=PK%2C+RU&kind=quote&author=&sort=date")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    v1 = client.get("/v1/commentary?country=PK&country=RU&kind=quote&limit=500").get_json()
    assert _links(body, "/commentary/") == [f"/commentary/{c['id']}" for c in v1["items"]]
    assert '<option value="quote" selected>quote</option>' in body
    said = client.get("/commentary?author=Fredkov").get_data(as_text=True)
    assert "· by Mikhail Fradkov" in said and "by Fredkov" not in said  # the person's name
    for path in ("/countries", "/people", "/organizations", "/events", "/indicators", "/meetings"):
        assert client.get(f"{path}?sort=").status_code == 200, path


def test_a_path_nothing_answers_is_a_page_for_a_browser_and_a_problem_for_a_client(client):
    page = client.get("/agreement", headers=BROWSER)
    assert (page.status_code, page.headers["Content-Type"]) == (404, HTML)
    assert "Nothing is published at /agreement." in page.get_data(as_text=True)
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    for path, headers in (("/agreement", {}), ("/v1/agreement", BROWSER)):
        problem = client.get(path, headers=headers)
        assert problem.status_code == 404
        assert problem.headers["Content-Type"] == "application/problem+json"


def test_the_briefs_of_one_country_and_of_every_pair(client):
    body = client.get("/briefs/PK").get_data(as_text=True)
    partners = client.get("/v1/dataset").get_json()["pairs"]
    with_pk = [p for p in partners if "PK" in p["countries"]]
    assert _links(_section(body, "With records"), "/briefs/") == [
        "/briefs/" + "/".join(p["countries"]) for p in with_pk
    ]
    assert '<input type="hidden" name="a" value="PK">' in body
    assert client.get("/briefs/pakistan").headers["Location"] == "/briefs/PK"
    assert client.get("/briefs?b=Pakistan").headers["Location"] == "/briefs/Pakistan"
    every = client.get("/briefs").get_data(as_text=True)
    assert _links(every, "/briefs/") == ["/briefs/" + "/".join(p["countries"]) for p in partners]


def test_the_briefs_index_lists_the_first_pairs_and_says_how_many(db_path, monkeypatch):
    from api.web.pages import collections

    monkeypatch.setattr(collections, "PAIRS_LISTED", 3)
    client = create_app_client(db_path)
    body = client.get("/briefs").get_data(as_text=True)
    pairs = client.get("/v1/dataset").get_json()["pairs"]
    assert _links(body, "/briefs/") == ["/briefs/" + "/".join(p["countries"]) for p in pairs[:3]]
    assert f"The first 3 of {len(pairs)} pairs" in body


def test_the_document_page_switches_its_highlights_by_resource(client):
    on = client.get(f"/documents/{DOCUMENT}").get_data(as_text=True)
    assert " off" not in on[on.index('<div class="doc-text"') :]
    assert '<input type="checkbox" name="show" value="agreement" checked>' in on
    off = client.get(f"/documents/{DOCUMENT}?show=").get_data(as_text=True)
    text = off[off.index('<div class="doc-text"') : off.index("</div>", off.index("doc-text"))]
    marks = re.findall(r'<mark class="([^"]*)"', text)
    assert marks and all("off" in m.split() for m in marks)
    assert 'name="show" value="agreement" checked' not in off
    agreements = client.get(f"/documents/{DOCUMENT}?show=&show=agreement").get_data(as_text=True)
    text = agreements[agreements.index('<div class="doc-text"') :]
    lit = re.findall(r'<mark class="(?:deep)?" data-c="[^"]*" data-k="([^"]*)"', text)
    dark = re.findall(r'<mark class="(?:deep)? ?off" data-c="[^"]*" data-k="([^"]*)"', text)
    assert lit and dark
    assert all("agreement" in k.split() for k in lit)
    assert all("agreement" not in k.split() for k in dark)


def test_the_home_page_offers_the_pairs_with_records_first(client):
    body = client.get("/").get_data(as_text=True)
    pick = _section(body, "Read a bilateral brief")
    assert _links(pick, "/briefs/")[0] == "/briefs/PK/RU"
    groups = re.findall(r'<optgroup label="([^"]+)">', pick)
    assert groups == ["With records", "Other countries"] * 2
    first = pick[pick.index('<optgroup label="With records">') :]
    first = first[: first.index("</optgroup>")]
    mentioned = client.get("/v1/countries?mentioned=true&sort=name&limit=500").get_json()
    assert re.findall(r'<option value="([^"]+)"', first) == [c["id"] for c in mentioned["items"]]


def test_the_home_page_lists_documents_by_publication_and_changes_by_title(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {tokens.create('tester')[1]}"}
    posted = client.post("/v1/documents", json=article(), headers=auth)
    assert posted.status_code == 201, posted.get_json()
    newer = posted.get_json()
    body = client.get("/").get_data(as_text=True)
    latest = _links(_section(body, "Latest documents"), "/documents/")
    assert latest[:2] == [f"/documents/{newer['id']}", f"/documents/{DOCUMENT}"]
    changes = _section(body, "Latest changes")
    assert f'<a href="/documents/{newer["id"]}">{html.escape(newer["title"])}</a>' in changes
    assert "document created" in changes
    v1 = client.get("/v1/documents?from=2026").get_json()["items"]
    assert [d["id"] for d in v1] == [newer["id"]]


def test_a_write_between_two_new_countries_shows_in_their_briefs_at_once(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {tokens.create('tester')[1]}"}
    assert _links(client.get("/briefs/FR").get_data(as_text=True), "/briefs/BR/FR") == []
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    body = agreement(text, countries=["FR", "BR"])
    created = client.post("/v1/agreements", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    assert _links(client.get("/briefs/FR").get_data(as_text=True), "/briefs/BR/FR") == [
        "/briefs/BR/FR"
    ]
    assert "/briefs/BR/FR" in _links(client.get("/briefs").get_data(as_text=True), "/briefs/")
    assert ["BR", "FR"] in [p["countries"] for p in client.get("/v1/dataset").get_json()["pairs"]]
