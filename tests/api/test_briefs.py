"""Bilateral briefs: order-free, cited, capped, predecessor-aware, datable, renderable."""

from __future__ import annotations

import json
import re

import pytest

from api import create_app
from api.build.database import build
from tests.helpers import DOCUMENT, writable_app
from tests.helpers import source as cite


def brief(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize(
    "other",
    ["/v1/briefs/RU/PK", "/v1/briefs/pak/rus", "/v1/briefs/Russia/Pakistan", "/v1/briefs/PAK/RU"],
)
def test_same_brief_in_either_order_and_by_any_code(client, other):
    assert brief(client, other) == brief(client, "/v1/briefs/PK/RU")


def test_brief_sections(client):
    body = brief(client, "/v1/briefs/PK/RU")
    assert [c["id"] for c in body["countries"]] == ["PK", "RU"]
    assert [c["id"] for c in body["predecessor_states"]] == ["SUHH"]
    figures = body["figures"]["items"]
    assert figures[0]["text"] == "$700 million (2010)"
    assert set(body["agreements"]) == {"signed", "expressed_interest", "under_consideration"}
    signed = [i["id"] for i in body["agreements"]["signed"]["items"]]
    assert signed == ["1969-helicopter-deal", "2005-debt-rescheduling", "2007-oil-sector-mou"]
    meetings = body["meetings"]["items"]
    assert [m["date"] for m in meetings] == sorted(m["date"] for m in meetings)
    assert "2010-putin-gilani-dushanbe" in [m["id"] for m in meetings]
    positions = {i["id"] for i in body["positions"]["items"]}
    assert "2010-putin-we-are-your-allies" in positions or body["positions"]["count"] > 10
    assert {i["id"] for i in body["recommendations"]["items"]} == {
        "2010-siddiqui-high-level-dialogue",
        "2010-siddiqui-economic-mechanism",
        "2010-siddiqui-new-beginning",
    }
    assert "comment-binwakeel-hogwash" not in json.dumps(body)


def test_every_statement_points_into_the_sources(client):
    body = brief(client, "/v1/briefs/PK/RU?limit=100")
    text = client.get("/v1/documents/pakistan-russia-relations-a-new-beginning/text").get_data(
        as_text=True
    )
    numbers = [s["number"] for s in body["sources"]]
    assert numbers == list(range(1, len(numbers) + 1))
    for source in body["sources"]:
        assert text[source["start"] : source["end"]] == source["quote"]
    sections = [
        body["figures"],
        body["meetings"],
        body["events"],
        body["positions"],
        body["recommendations"],
        body["chronology"],
        *body["agreements"].values(),
    ]
    used = set()
    for section in sections:
        for item in section["items"]:
            assert item["citations"], f"{item['id']} cites nothing"
            used |= set(item["citations"])
    assert used == set(numbers)


def test_predecessor_records_are_marked_and_can_be_left_out(client):
    body = brief(client, "/v1/briefs/PK/RU")
    deal = next(
        i for i in body["agreements"]["signed"]["items"] if i["id"] == "1969-helicopter-deal"
    )
    assert deal["via"] == "SUHH"
    debt = next(
        i for i in body["agreements"]["signed"]["items"] if i["id"] == "2005-debt-rescheduling"
    )
    assert debt["via"] is None
    without = brief(client, "/v1/briefs/PK/RU?predecessors=false")
    assert "1969-helicopter-deal" not in json.dumps(without)
    assert without["predecessor_states"] == []


def test_a_successor_that_is_not_the_continuator_inherits_nothing(client):
    body = brief(client, "/v1/briefs/PK/TJ")
    assert body["predecessor_states"] == []
    assert "1969-helicopter-deal" not in json.dumps(body)
    assert [m["id"] for m in body["meetings"]["items"]] == ["2010-sco-summit-dushanbe"]


def test_sections_are_capped_with_count_and_link(client):
    body = brief(client, "/v1/briefs/PK/RU?limit=2")
    positions = body["positions"]
    assert len(positions["items"]) == 2 and positions["count"] > 2
    rest = client.get(positions["more"].replace("http://localhost", "")).get_json()["items"]
    assert {i["id"] for i in positions["items"]} <= {i["id"] for i in rest}
    signed = body["agreements"]["signed"]
    assert "status=signed" in signed["more"] and "predecessors=true" in signed["more"]
    listed = client.get(signed["more"].replace("http://localhost", "")).get_json()["items"]
    assert len(listed) == signed["count"] == 3
    chronology = client.get(body["chronology"]["more"].replace("http://localhost", ""))
    assert len(chronology.get_json()["items"]) == body["chronology"]["count"]


def test_a_pair_with_nothing_shared_is_an_empty_brief(client):
    body = brief(client, "/v1/briefs/FR/BR")
    assert body["agreements"] == {}
    for key in ("figures", "meetings", "events", "positions", "recommendations", "chronology"):
        assert body[key]["count"] == 0 and body[key]["items"] == []
    assert body["sources"] == []


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/v1/briefs/PK/Atlantis", 404),
        ("/v1/briefs/PK/PK", 400),
        ("/v1/briefs/PK/RU?limit=0", 400),
        ("/v1/briefs/PK/RU?as_of=2010-13-01", 400),
        ("/v1/briefs/PK/RU?colour=red", 400),
    ],
)
def test_brief_errors_are_problems(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"


def test_the_same_country_twice_blames_b(client):
    body = client.get("/v1/briefs/pakistan/PAK").get_json()
    assert body["status"] == 400
    assert body["errors"] == {"b": ["The same country as a: PK."]}


def test_unknown_country_suggests_the_near_one(client):
    body = client.get("/v1/briefs/Pakistn/RU").get_json()
    assert body["suggestions"][0] == "PK"


def test_markdown_rendering_quotes_its_citations(client):
    response = client.get("/v1/briefs/RU/PK", headers={"Accept": "text/markdown"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/markdown")
    assert response.headers["ETag"].endswith('-md"')
    text = response.get_data(as_text=True)
    assert text.startswith("# Russia – Pakistan: bilateral brief")  # in the order asked
    assert "### Signed" in text and "## Sources" in text
    assert "*(via Soviet Union)*" in text
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    notes = dict(re.findall(r"^\[\^(\d+)\]: “(.+?)” —", text, flags=re.M))
    assert refs and refs == set(notes)
    assert (
        "A debt-rescheduling agreement of $127 million was signed in March 2005." in notes.values()
    )
    assert client.get("/v1/briefs/RU/PK?format=markdown").get_data(as_text=True) == text


LATER = "Pakistan and Russia held talks in Islamabad in May 2012 on energy."


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory):
    """The real data plus a later document (published 2012-05-20) and an event it reports."""
    import shutil

    from tests.helpers import FIXTURES, SEEDS

    root = tmp_path_factory.mktemp("later")
    seeds, fixtures = root / "seeds", root / "fixtures"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(FIXTURES, fixtures)
    (seeds / "later-talks.txt").write_text(LATER, encoding="utf-8")
    import hashlib

    (seeds / "later-talks.json").write_text(
        json.dumps(
            {
                "title": "Talks",
                "authors": [],
                "publisher": "Test Wire",
                "published": "2012-05-20",
                "rights": "test",
                "language": "en",
                "sha256": hashlib.sha256(LATER.encode()).hexdigest(),
            }
        ),
        encoding="utf-8",
    )
    events = json.loads((fixtures / "events.json").read_text(encoding="utf-8"))
    events.append(
        {
            "id": "2012-energy-talks",
            "title": "Energy talks in Islamabad",
            "kind": "development",
            "date": "2012-05",
            "countries": ["PK", "RU"],
            "summary": "Talks on energy.",
            "sources": [{"document": "later-talks", "quote": LATER, "start": 0, "end": len(LATER)}],
        }
    )
    (fixtures / "events.json").write_text(json.dumps(events), encoding="utf-8")
    build(seeds, fixtures, root / "briefs.db")
    return create_app({"DB": str(root / "briefs.db"), "ACCESS_LOG": False}).test_client()


def test_as_of_excludes_what_later_documents_say(two_documents):
    client = two_documents
    now = brief(client, "/v1/briefs/PK/RU")
    assert "2012-energy-talks" in [e["id"] for e in now["events"]["items"]] + [
        e["id"] for e in now["chronology"]["items"]
    ]
    then = brief(client, "/v1/briefs/PK/RU?as_of=2011-01-01&limit=100")
    assert then["as_of"] == "2011-01-01"
    assert "2012-energy-talks" not in json.dumps(then)
    assert "2005-debt-rescheduling" in json.dumps(then)
    before_the_op_ed = brief(client, "/v1/briefs/PK/RU?as_of=2010-11-29")
    assert before_the_op_ed["chronology"]["count"] == 0
    assert "as_of=2011-01-01" in then["meetings"]["more"]
    markdown = client.get("/v1/briefs/PK/RU?as_of=2011-01-01&format=markdown").get_data(
        as_text=True
    )
    assert "As it could have been written on 2011-01-01" in markdown


def test_markdown_chronology_names_each_speaker_once(client):
    text = client.get("/v1/briefs/PK/RU?limit=100&format=markdown").get_data(as_text=True)
    chronology = text.split("## Chronology", 1)[1].split("## Sources", 1)[0]
    assert "**Mikhail Fradkov: important step**" in chronology
    assert "Fredkov:" not in chronology and "Unattributed: “Fredkov" not in chronology


PLAN_URLS = [
    "/v1/briefs/PK/RU?limit=2",
    "/v1/briefs/PK/RU?predecessors=false&limit=1",
    "/v1/agreements?country=PK&country=RU&predecessors=true&limit=1",
    "/v1/agreements?country=PK&country=RU&predecessors=true&status=signed&limit=1&sort=-date",
    "/v1/agreements?country=RU&country=PK&limit=2&sort=title",
    "/v1/commentary?country=PK&country=RU&predecessors=true&kind=op_ed&kind=quote&limit=1",
    "/v1/commentary?country=PK&country=RU&kind=recommendation&limit=2&sort=-date",
    "/v1/timeline?country=PK&country=RU&predecessors=true&limit=2",
    "/v1/timeline?country=PK&country=RU&limit=3&sort=-date",
]


def _every_page(client, url):
    pages = []
    while url and len(pages) < 50:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        pages.append(body)
        url = body.get("next") if "/briefs/" not in url else None
    return pages


@pytest.mark.parametrize(
    "threshold, drive_cost",
    [(1, 1e12), (1, 1e-12), (10**9, 3)],
    ids=["walk in sort order", "drive from the smallest links", "every country rare"],
)
def test_every_plan_returns_the_same_pages(client, monkeypatch, threshold, drive_cost):
    from api.store import planner

    expected = {url: _every_page(client, url) for url in PLAN_URLS}
    monkeypatch.setattr(planner, "LINK_SCAN_THRESHOLD", threshold)
    monkeypatch.setattr(planner, "DRIVE_COST", drive_cost)
    assert {url: _every_page(client, url) for url in PLAN_URLS} == expected


def test_plans_follow_the_estimated_sizes(db_path, monkeypatch):
    from api.domain import catalog
    from api.store import planner, reads
    from api.store.connections import open_readonly

    data = reads.Store(open_readonly(db_path))
    pair = planner.Filters(countries=[("PK",), ("RU", "SUHH")], kind=("op_ed", "quote"))
    # Rare countries: the smaller link list drives, kind is no index to walk, and
    # the table row is read after the other country's link is found.
    where, _ = data._where("commentary", "id", pair, wanted=11, ordered=True)
    assert where[0].startswith("id IN (SELECT record_id FROM record_countries")
    assert where[1].startswith("CASE WHEN EXISTS") and " THEN +kind IN " in where[1]
    monkeypatch.setattr(planner, "LINK_SCAN_THRESHOLD", 1)
    monkeypatch.setattr(planner, "DRIVE_COST", 1e12)
    data = reads.Store(data.conn)
    # Dense matches: walk the date index, checking the links row by row.
    where, params = data._where("commentary", "id", pair, wanted=11, ordered=True)
    assert len(where) == 1 and where[0].count("EXISTS") == 2 and " THEN +kind IN " in where[0]
    assert params == ["commentary", "PK", "commentary", "RU", "SUHH", "op_ed", "quote"]
    # A capped count needs no order: the kind index may serve it.
    where, _ = data._where("commentary", "id", pair, wanted=101)
    assert where[-1].startswith("kind IN")
    assert data.count(catalog.COMMENTARY, pair, 101) == len(
        data.page(catalog.COMMENTARY, pair, "date", 500).items
    )


def test_a_brief_says_what_it_rests_on(client):
    brief = client.get("/v1/briefs/PK/RU").get_json()
    coverage = brief["coverage"]
    assert coverage["documents"] == [
        {
            "id": DOCUMENT,
            "title": "Pakistan-Russia relations — A new beginning",
            "publisher": "The Express Tribune",
            "published": "2010-11-30",
            "url": None,
        }
    ]
    assert (coverage["earliest"], coverage["latest"]) == ("2010-11-30", "2010-11-30")
    assert sum(coverage["records"].values()) == brief["chronology"]["count"]
    assert coverage["records"]["agreements"] == sum(
        s["count"] for s in brief["agreements"].values()
    )
    assert coverage["complete"] is True
    text = client.get("/v1/briefs/PK/RU?format=markdown").get_data(as_text=True)
    assert "This brief rests on a single source: *Pakistan-Russia relations" in text
    assert "Nothing in it is newer than 2010." in text


def test_curators_caveats_stand_beside_the_statements(client):
    brief = client.get("/v1/briefs/PK/RU").get_json()
    signed = brief["agreements"]["signed"]["items"]
    (deal,) = [i for i in signed if i["id"] == "1969-helicopter-deal"]
    record = client.get("/v1/agreements/1969-helicopter-deal").get_json()
    assert deal["notes"] == record["notes"] and deal["notes"]
    assert deal["inferred"] == record["inferred"] and deal["inferred"]
    lines = client.get("/v1/briefs/PK/RU?format=markdown").get_data(as_text=True).splitlines()
    at = next(i for i, line in enumerate(lines) if "**Helicopter deal**" in line)
    assert lines[at + 1] == f"  - *Note:* {record['notes'][0]}"
    inferred = ", ".join(f"`{f}`" for f in record["inferred"])
    assert f"  - *Inferred by the curator, not read in the source:* {inferred}" in lines[at + 1 :]


def test_the_chronology_shows_everything_and_agreements_go_most_advanced_first(client):
    brief = client.get("/v1/briefs/PK/RU?limit=1").get_json()
    chronology = brief["chronology"]
    timeline = client.get("/v1/timeline?country=PK&country=RU&limit=500").get_json()["items"]
    assert [i["id"] for i in chronology["items"]] == [e["id"] for e in timeline]
    assert chronology["count"] == len(timeline) > 1
    statuses = list(brief["agreements"])
    assert statuses == ["signed", "under_consideration", "expressed_interest"]
    assert all(len(s["items"]) == 1 for s in brief["agreements"].values())


def test_an_empty_pair_points_to_the_countries_and_pairs_with_records(client):
    response = client.get("/v1/briefs/FR/BR")
    assert response.status_code == 200
    brief = response.get_json()
    assert brief["chronology"]["items"] == [] and brief["agreements"] == {}
    coverage = brief["coverage"]
    assert coverage["documents"] == [] and coverage["latest"] is None
    assert coverage["countries_with_records"].endswith("/v1/countries?mentioned=true")
    text = client.get("/v1/briefs/FR/BR?format=markdown").get_data(as_text=True)
    assert "No records concern both countries" in text
    assert "/v1/countries?mentioned=true" in text


def test_the_dataset_lists_the_pairs_with_records(client):
    pairs = client.get("/v1/dataset").get_json()["pairs"]
    first = pairs[0]
    assert first["countries"] == ["PK", "RU"]
    direct = client.get("/v1/timeline?country=PK&country=RU&predecessors=false&limit=500")
    assert first["records"] == len(direct.get_json()["items"])
    assert first["brief"].endswith("/v1/briefs/PK/RU")
    assert ["PK", "SUHH"] in [p["countries"] for p in pairs]
    assert ["BR", "FR"] not in [p["countries"] for p in pairs]
    assert all(p["records"] > 0 for p in pairs)


def _rendered(markdown: str):
    """The Markdown as a reader's renderer sees it (CommonMark with footnotes)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").use(footnote_plugin).parse(markdown)


def _footnotes(tokens) -> dict[int, str]:
    """Each footnote's text, its paragraphs joined by a blank line."""
    notes, current, paragraphs = {}, None, []
    for token in tokens:
        if token.type == "footnote_open":
            current, paragraphs = token.meta["id"] + 1, []
        elif token.type == "inline" and current is not None:
            paragraphs.append(token.content)
        elif token.type == "footnote_close":
            notes[current] = "\n\n".join(paragraphs)
            current = None
    return notes


def test_a_quote_across_a_paragraph_break_stays_in_its_footnote(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {tokens.create('tester')[1]}"}
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    cut = text.index("\n\n", text.index("Fredkov"))
    quote = text[text.rindex(". ", 0, cut) + 2 : text.index(".", cut + 2) + 1]
    assert "\n\n" in quote
    event = {
        "title": "Two paragraphs",
        "kind": "development",
        "date": "2007-04",
        "countries": ["PK", "RU"],
        "summary": "Cited across a paragraph break.",
        "sources": [cite(text, quote)],
    }
    assert client.post("/v1/events", json=event, headers=auth).status_code == 201
    markdown = client.get("/v1/briefs/PK/RU.md?limit=100").get_data(as_text=True)
    tokens_ = _rendered(markdown)
    notes = _footnotes(tokens_)
    first, _, rest = quote.partition("\n\n")
    whole = f"“{first}\n\n{rest.strip()}” — "
    assert [n for n, note in notes.items() if note.startswith(whole)], notes
    # Under "Sources" there are footnotes only: no paragraph of their own.
    sources_at = next(i for i, t in enumerate(tokens_) if t.content == "Sources")
    after = tokens_[sources_at + 2 :]
    assert [t for t in after if t.type == "paragraph_open" and t.level == 0] == []


@pytest.mark.parametrize(
    "value, currency, unit, words",
    [
        (7_400_000_000, "USD", None, "$7.4 billion"),
        (127_000_000, "EUR", None, "€127 million"),
        (2_500_000_000_000, "JPY", None, "¥2.5 trillion"),
        (45_000_000, "GBP", None, "£45 million"),
        (3_000_000_000, "INR", None, "₹3 billion"),
        (3_000_000, "PKR", None, "PKR 3 million"),
        (1_234_567_890, "USD", None, "$1,234,567,890"),  # never rounded
        (127_500, "USD", None, "$127,500"),
        (-7_400_000, "USD", None, "-$7.4 million"),
        (1_200, None, "tonnes", "1,200 tonnes"),
    ],
)
def test_a_figure_is_worded_with_its_currency_symbol_and_scale(value, currency, unit, words):
    from api.briefs.figures import amount

    assert amount(value, currency, unit) == words


def test_the_markdown_words_figures_counts_and_speakers_as_a_reader_would(db_path, tmp_path):
    app, _, tokens = writable_app(db_path, tmp_path)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {tokens.create('tester')[1]}"}
    text = client.get(f"/v1/documents/{DOCUMENT}/text").get_data(as_text=True)
    figure = {
        "title": "Trade target",
        "kind": "trade_target",
        "countries": ["PK", "RU"],
        "value": 7_400_000_000,
        "currency": "USD",
        "period": "2015",
        "summary": "A trade target.",
        "sources": [cite(text, "The annual trade turnover is a pitiful $700 million.")],
    }
    assert client.post("/v1/indicators", json=figure, headers=auth).status_code == 201
    markdown = client.get("/v1/briefs/PK/RU.md?limit=100").get_data(as_text=True)
    assert "**Trade target**: $7.4 billion (2015)" in markdown
    assert "$700 million (2010)" in markdown and " USD" not in markdown
    assert "Records: 6 agreements, 5 meetings, 6 events, 16 pieces of commentary, 2 figures." in (
        markdown
    )
    # The speaker by the person's name; the source's spelling stays in the words quoted.
    assert "— Mikhail Fradkov: “important step”" in markdown
    assert "Fredkov:" not in markdown
    assert "“Since Fredkov’s visit" in markdown
    one = client.get("/v1/briefs/PK/SUHH.md").get_data(as_text=True)
    assert "Records: 1 agreement, 1 meeting, 1 piece of commentary, 1 event." in one


def test_a_markdown_brief_is_titled_in_the_order_asked(client):
    for path, title in (
        ("/v1/briefs/MX/CO.md", "# Mexico – Colombia: bilateral brief"),
        ("/v1/briefs/CO/MX.md", "# Colombia – Mexico: bilateral brief"),
        ("/v1/briefs/Colombia/Mexico?format=markdown", "# Colombia – Mexico: bilateral brief"),
    ):
        assert client.get(path).get_data(as_text=True).splitlines()[0] == title
    assert client.get("/v1/briefs/MX/CO").get_json()["countries"][0]["id"] == "CO"
