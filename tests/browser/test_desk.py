"""The curator's desk in a real browser, over real processes: gunicorn, `briefs worker`
and the real extractor.

A curator gives a token on the inbox, adds a source by pasting an article
(tests/browser/articles/ghana-korea-nurses.txt, written for this test), waits for
the extraction, changes one draft's resource, merges two drafts, accepts one draft
of each resource the extractor proposed (whatever they are), makes an indicator
from a sentence the extractor missed, cites another passage for a record already
written, and finds them on the brief and the person's page. axe-core checks every
desk page at 390 and 1280 px; the console must stay free of errors; screenshots
land in tests/browser/artifacts/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from deploy.servers import Server
from tests.browser.chromium import (
    check_accessible,
    console_errors,
    headings_in_order,
    screenshots,
)
from tests.helpers import call, served, writable_app

ARTICLE = Path(__file__).parent / "articles" / "ghana-korea-nurses.txt"
TITLE = "Ghana and South Korea agree health workforce partnership in Accra"
MISSED = (
    "The first of the new schools is expected to open in Kumasi in September 2027, "
    "with places for 600 students a year."
)
CITED = "Construction of the Tamale campus is due to start next year."
EXTRACTION_SECONDS = 120  # the worker loads the model, then extracts in under a second


@pytest.fixture(scope="module")
def desk(db_path, tmp_path_factory):
    """gunicorn and the extraction worker over a copy of the seed; a curator's token."""
    folder = tmp_path_factory.mktemp("desk")
    _, db, tokens = writable_app(db_path, folder)
    _, secret = tokens.create("curator")
    briefs = str(Path(sys.executable).with_name("briefs"))
    worker = Server(
        [briefs, "worker", "--db", str(db)], dict(os.environ), folder / "worker.log", name="worker"
    )
    worker.start()
    try:
        with served(
            db, BRIEFS_AUTH_DB=str(folder / "auth.db"), BRIEFS_WRITE_RATE_LIMIT="1000/minute"
        ) as (base, _, _):
            yield base, secret
    finally:
        worker.stop()


def api(base: str, path: str, secret: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    status, _, body = call("GET", f"{base}{path}", headers=headers)
    assert status == 200, body
    return body


def open_drafts(base: str, secret: str, document: str) -> list[dict]:
    return api(base, f"/v1/drafts?document={document}&state=open&limit=500", secret)["items"]


def no_console_errors(driver, *allowed: str) -> None:
    assert console_errors(driver, allowed) == [], driver.current_url


def give_token(driver, secret: str) -> None:
    box = driver.find_element(By.ID, "desk-token")
    box.send_keys(secret + "jkar")  # keys typed into a field are not desk commands
    box.send_keys(Keys.BACKSPACE * 4, Keys.ENTER)


def select_words(driver, words: str) -> None:
    """Select ``words`` in the document's text, as a curator dragging over them would."""
    found = driver.execute_script(
        """
        const box = document.getElementById('desk-text'), words = arguments[0];
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        const nodes = []; let text = '', node;
        while ((node = walker.nextNode())) {
          if (node.parentNode.closest('.draft-tag')) continue;
          nodes.push([node, text.length]); text += node.data;
        }
        const start = text.indexOf(words), end = start + words.length;
        if (start < 0) return false;
        const at = (i, last) => {
          for (const [n, from] of nodes) {
            const to = from + n.data.length;
            if (i < to || (last && i === to)) return [n, i - from];
          }
        };
        const range = document.createRange();
        range.setStart(...at(start, false)); range.setEnd(...at(end, true));
        const selection = window.getSelection();
        selection.removeAllRanges(); selection.addRange(range);
        return true;
        """,
        words,
    )
    assert found, words
    panel = driver.find_element(By.ID, "selection-panel")
    WebDriverWait(driver, 5).until(lambda d: panel.is_displayed())
    assert driver.find_element(By.ID, "selected-quote").text == words


def cites(value) -> list[dict]:
    """Every citation in a record, wherever it is (sources, a role's, an alias's)."""
    if isinstance(value, list):
        return [c for v in value for c in cites(v)]
    if isinstance(value, dict):
        if {"quote", "start", "end"} <= value.keys():
            return [value]
        return [c for v in value.values() for c in cites(v)]
    return []


def item(driver, draft_id: str):
    return driver.find_element(By.ID, f"draft-{draft_id}")


def status_text(driver) -> str:
    return driver.find_element(By.ID, "desk-status").text


def fill_required(form) -> None:
    """What a curator completes before accepting: any required field left empty."""
    for control in form.find_elements(By.CSS_SELECTOR, '[aria-required="true"]'):
        if control.tag_name == "select":
            if not control.get_attribute("value"):
                choice = Select(control)
                choice.select_by_index(1)
        elif not control.get_attribute("value").strip():
            control.send_keys("Checked at the desk")


def accept(driver, draft_id: str) -> str:
    """Accept a draft through its form (required fields completed); the record's path."""
    wait = WebDriverWait(driver, 15)
    item(driver, draft_id).find_element(By.CSS_SELECTOR, '[data-act="accept"]').click()
    form = wait.until(
        lambda d: item(d, draft_id).find_elements(
            By.CSS_SELECTOR, "form.accept-form .record-fields"
        )
    )[0]
    fill_required(form)
    item(driver, draft_id).find_element(
        By.CSS_SELECTOR, "form.accept-form button[type=submit]"
    ).click()
    wait.until(
        lambda d: (
            status_text(d).startswith(("Accepted", "Not accepted"))
            and not status_text(d).startswith("Accepting")
        )
    )
    assert status_text(driver).startswith("Accepted"), status_text(driver)
    link = driver.find_element(By.CSS_SELECTOR, "#desk-status a").get_attribute("href")
    return "/" + link.split("/", 3)[3]


def test_a_source_from_paste_to_the_brief(desk, browser):
    base, secret = desk
    # the desk redraws a draft's item when it changes: an element found just before a
    # redraw is stale, and the wait looks again
    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))

    # The inbox, before and after the token.
    browser.get(f"{base}/desk")
    headings_in_order(browser)
    give_token(browser, secret)
    wait.until(lambda d: "document(s) with open drafts" in status_text(d))
    assert browser.execute_script("return sessionStorage.getItem('briefs-desk-token')") == secret
    assert browser.execute_script("return localStorage.length") == 0
    check_accessible(browser)
    screenshots(browser, "desk-inbox")
    no_console_errors(browser)

    # Add a source by paste; the desk opens on its drafts when extraction is done.
    browser.find_element(By.LINK_TEXT, "Add a source").click()
    wait.until(lambda d: d.current_url.endswith("/desk/new"))
    headings_in_order(browser)
    assert "rights" in browser.find_element(By.ID, "add-rights-hint").text.lower() or (
        "copyright" in browser.find_element(By.ID, "add-rights-hint").text.lower()
    )
    assert browser.find_element(By.ID, "add-rights").get_attribute("value")  # a default
    check_accessible(browser)
    screenshots(browser, "desk-new")
    text = ARTICLE.read_text()
    browser.execute_script(  # a paste: the text arrives whole
        "const t = document.getElementById('add-text'); t.value = arguments[0];"
        "t.dispatchEvent(new Event('input'));",
        text,
    )
    browser.find_element(By.ID, "add-title").send_keys(TITLE)
    browser.find_element(By.ID, "add-published").send_keys("2026-03-10")
    browser.find_element(By.ID, "add-publisher").send_keys("Briefs Test Wire")
    browser.find_element(By.ID, "add-authors").send_keys("Test Desk")
    browser.find_element(By.CSS_SELECTOR, "#add-form button[type=submit]").click()
    WebDriverWait(browser, EXTRACTION_SECONDS).until(
        lambda d: (
            "/desk/documents/" in d.current_url
            or d.find_element(By.ID, "desk-status").text.startswith(("Extraction failed", "Not"))
        )
    )
    assert "/desk/documents/" in browser.current_url, status_text(browser)
    document = browser.current_url.rsplit("/", 1)[1]
    stored = api(base, f"/v1/documents/{document}")
    assert stored["title"] == TITLE and stored["rights"]
    drafts = open_drafts(base, secret, document)
    assert drafts, "the extractor proposed nothing"
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".draft-item")) == len(drafts))
    for draft in drafts:  # every draft that cites the text is highlighted, people included
        marks = browser.find_elements(By.CSS_SELECTOR, f'mark[data-draft="{draft["id"]}"]')
        assert bool(marks) == bool(cites(draft["record"])), draft
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "desk", keep_in_view="#draft-list")
    no_console_errors(browser)

    # Keys: j picks the first draft, a opens its form, Esc closes it.
    browser.find_element(By.ID, "desk-status").click()
    ActionChains(browser).send_keys("j").perform()
    first = browser.find_element(By.CSS_SELECTOR, ".draft-item.current").get_attribute("data-draft")
    assert first == drafts[0]["id"]
    ActionChains(browser).send_keys("a").perform()
    wait.until(lambda d: item(d, first).find_elements(By.CSS_SELECTOR, "form.accept-form .field"))
    check_accessible(browser)
    screenshots(browser, "desk-accept-form", keep_in_view="form.accept-form")
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert item(browser, first).find_elements(By.CSS_SELECTOR, "form.accept-form") == []

    # Change one draft's resource (a meeting that is an event, or the like), then accept it.
    changeable = [d for d in drafts if d["resource"] in ("meetings", "events", "agreements")]
    assert changeable, [d["resource"] for d in drafts]
    changed = changeable[-1]
    becomes = "events" if changed["resource"] != "events" else "meetings"
    item(browser, changed["id"]).find_element(By.CSS_SELECTOR, '[data-act="change"]').click()
    Select(browser.find_element(By.ID, f"resource-{changed['id']}")).select_by_value(becomes)
    item(browser, changed["id"]).find_element(
        By.CSS_SELECTOR, '[data-act="change-resource"]'
    ).click()
    wait.until(lambda d: item(d, changed["id"]).get_attribute("data-resource") == becomes)
    assert api(base, f"/v1/drafts/{changed['id']}", secret)["resource"] == becomes
    written = {becomes: accept(browser, changed["id"])}
    assert written[becomes].startswith(f"/{becomes}/")

    # Merge two drafts of one resource that say one thing (two halves of a quote, say).
    left = [
        d
        for d in open_drafts(base, secret, document)
        if d["resource"] not in ("people", "organizations")
    ]
    pairs = {}
    for draft in left:
        pairs.setdefault(draft["resource"], []).append(draft)
    resource, (keep, fold, *_) = next((r, ds) for r, ds in pairs.items() if len(ds) >= 2)
    item(browser, keep["id"]).find_element(By.CSS_SELECTOR, '[data-act="change"]').click()
    Select(browser.find_element(By.ID, f"merge-{keep['id']}")).select_by_value(fold["id"])
    check_accessible(browser)
    item(browser, keep["id"]).find_element(By.CSS_SELECTOR, '[data-act="merge"]').click()
    wait.until(lambda d: not d.find_elements(By.ID, f"draft-{fold['id']}"))
    merged = api(base, f"/v1/drafts/{keep['id']}", secret)
    quotes = [s["quote"] for s in merged["record"]["sources"]]
    assert all(s["quote"] in quotes for s in fold["record"]["sources"])
    assert api(base, f"/v1/drafts/{fold['id']}", secret)["state"] == "rejected"
    path = accept(browser, keep["id"])
    assert [s["quote"] for s in api(base, f"/v1{path}")["sources"]] == quotes
    written.setdefault(resource, path)

    # One draft of each resource still proposed, people included, accepted as it is
    # (a required field left empty is completed first).
    for draft in open_drafts(base, secret, document):
        if draft["resource"] in written and draft["resource"] not in ("people",):
            continue
        if draft["resource"] == "people" and "people" in written:
            continue
        written[draft["resource"]] = accept(browser, draft["id"])
    proposed = {d["resource"] for d in drafts} | {becomes}
    assert proposed <= set(written), (proposed, written)
    assert "people" in written
    no_console_errors(browser)

    # A sentence the extractor missed becomes an indicator; its date comes pre-filled
    # from the sentence, and the countries are picked by the names people write.
    select_words(browser, MISSED)
    Select(browser.find_element(By.ID, "new-resource")).select_by_value("indicators")
    browser.find_element(By.ID, "new-record").click()
    form = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#selection-form form.new-form"))[
        0
    ]
    period = form.find_element(By.CSS_SELECTOR, '[data-path="period"] input')
    assert period.get_attribute("value") == "2027-09"
    assert form.find_element(By.CSS_SELECTOR, '[data-path="sources"] q').text == MISSED
    countries = form.find_element(By.CSS_SELECTOR, '[data-path="countries"]')
    for n, (name, code) in enumerate((("Ghana", "GH"), ("South Korea", "KR"))):
        countries.find_element(By.XPATH, "./button[starts-with(., 'Add')]").click()
        picker = countries.find_elements(By.CSS_SELECTOR, ".row input")[n]
        assert browser.switch_to.active_element == picker
        picker.send_keys(name, Keys.TAB)
        wait.until(lambda d, p=picker, c=code: p.get_attribute("value") == c)
    check_accessible(browser)
    screenshots(browser, "desk-new-record", keep_in_view="#selection-form")
    form.find_element(By.CSS_SELECTOR, '[data-path="title"] input').send_keys(
        "Places at the first new nursing school"
    )
    form.find_element(By.CSS_SELECTOR, '[data-path="kind"] input').send_keys("training_places")
    form.find_element(By.CSS_SELECTOR, '[data-path="value"] input').send_keys("600")
    form.find_element(By.CSS_SELECTOR, '[data-path="unit"] input').send_keys("students a year")
    form.find_element(By.CSS_SELECTOR, '[data-path="summary"] textarea').send_keys(
        "The first school opens in Kumasi in September 2027 with 600 places a year."
    )
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: status_text(d).startswith("Created"))
    indicator = browser.find_element(By.CSS_SELECTOR, "#desk-status a").get_attribute("href")
    indicator = "/" + indicator.split("/", 3)[3]
    record = api(base, f"/v1{indicator}")
    assert record["value"] == 600 and record["countries"] == ["GH", "KR"]
    assert record["period"] == "2027-09"
    text_start = text.index(MISSED)
    assert [(s["quote"], s["start"]) for s in record["sources"]] == [(MISSED, text_start)]

    # Another passage, cited for a record already written (PATCH with its If-Match).
    target = written.get("agreements") or written[becomes]
    target_resource, target_id = target.strip("/").split("/")
    select_words(browser, CITED)
    Select(browser.find_element(By.ID, "cite-resource")).select_by_value(target_resource)
    browser.find_element(By.ID, "cite-record").send_keys(target_id, Keys.ENTER)
    wait.until(lambda d: status_text(d).startswith(("Cited", "Not cited")))
    assert status_text(browser).startswith("Cited"), status_text(browser)
    cited = api(base, f"/v1{target}")["sources"]
    assert cited[-1]["quote"] == CITED and cited[-1]["start"] == text.index(CITED)
    browser.find_element(By.ID, "selection-close").click()
    assert not browser.find_element(By.ID, "selection-panel").is_displayed()
    no_console_errors(browser)

    # The inbox says what was decided.
    browser.get(f"{base}/desk")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#inbox-decisions table"))
    assert browser.find_elements(By.CSS_SELECTOR, f'#inbox-decisions a[href="{written["people"]}"]')
    check_accessible(browser)
    no_console_errors(browser)

    # All of it is on the brief of the two countries, and the person has a page.
    browser.get(f"{base}/briefs/GH/KR")
    page = browser.page_source
    for path in {
        indicator,
        target,
        *(p for r, p in written.items() if r not in ("people", "organizations")),
    }:
        assert f'href="{path}"' in page, path
    assert CITED in browser.find_element(By.TAG_NAME, "main").get_attribute("textContent")
    screenshots(browser, "desk-brief")
    person = api(base, f"/v1{written['people']}")
    browser.get(f"{base}{written['people']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == person["name"]
    no_console_errors(browser)


def test_a_refused_correction_is_shown_beside_its_field(desk, browser):
    base, secret = desk
    browser.get(f"{base}/desk")
    browser.execute_script(f"sessionStorage.setItem('briefs-desk-token', '{secret}')")
    inbox = api(base, "/v1/inbox", secret)
    assert inbox["documents"], "the first test leaves open drafts"
    document = inbox["documents"][0]["id"]
    required = ("title", "text", "name")
    draft, key = next(
        (d, k) for d in open_drafts(base, secret, document) for k in required if k in d["record"]
    )
    browser.get(f"{base}/desk/documents/{document}")
    # the desk redraws a draft's item when it changes: an element found just before a
    # redraw is stale, and the wait looks again
    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: d.find_elements(By.ID, f"draft-{draft['id']}"))
    item(browser, draft["id"]).find_element(By.CSS_SELECTOR, '[data-act="accept"]').click()
    field = f'[data-path="{key}"]'
    control = wait.until(
        lambda d: item(d, draft["id"]).find_elements(
            By.CSS_SELECTOR, f"{field} input, {field} textarea"
        )
    )[0]
    control.clear()  # a required field emptied: the server refuses it, and says where
    item(browser, draft["id"]).find_element(
        By.CSS_SELECTOR, "form.accept-form button[type=submit]"
    ).click()
    error = item(browser, draft["id"]).find_element(By.CSS_SELECTOR, f"{field} > .error")
    wait.until(lambda d: error.text)
    assert error.text.startswith((f"{key}:", f"corrections.{key}:")), error.text
    assert control.get_attribute("aria-invalid") == "true"
    assert browser.switch_to.active_element == control
    assert api(base, f"/v1/drafts/{draft['id']}", secret)["state"] == "open"
    check_accessible(browser)
    screenshots(browser, "desk-error", keep_in_view=f"#draft-{draft['id']} {field}")
    no_console_errors(browser, "status of 422")


def test_the_same_text_again_links_to_the_document_holding_it(desk, browser):
    base, secret = desk
    browser.get(f"{base}/desk/new")
    browser.execute_script(f"sessionStorage.setItem('briefs-desk-token', '{secret}')")
    browser.refresh()
    browser.execute_script(
        "document.getElementById('add-text').value = arguments[0];", ARTICLE.read_text()
    )
    browser.find_element(By.ID, "add-title").send_keys("Again")
    browser.find_element(By.ID, "add-publisher").send_keys("Briefs Test Wire")
    browser.find_element(By.CSS_SELECTOR, "#add-form button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda d: "already stored" in status_text(d))
    link = browser.find_element(By.CSS_SELECTOR, "#desk-status a").get_attribute("href")
    assert "/desk/documents/" in link
    no_console_errors(browser, "status of 409")


def test_a_refused_token_is_said_and_shows_no_drafts(desk, browser):
    base, _ = desk
    browser.get(f"{base}/desk")
    browser.execute_script("sessionStorage.clear()")
    browser.refresh()
    browser.find_element(By.ID, "desk-token").send_keys("not-a-token", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "could not be read" in status_text(d))
    assert browser.find_elements(By.CSS_SELECTOR, "#inbox-documents table") == []
    assert "refused" in browser.find_element(By.ID, "token-state").text
    no_console_errors(browser, "status of 401")
