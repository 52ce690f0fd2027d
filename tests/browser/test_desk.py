"""The curator's desk in a real browser: a token, drafts in the text, decided by keyboard.

A document with drafts (made by the extractor double) is served by gunicorn;
the curator gives a token, walks the drafts with j/k, accepts one with a
correction (a wrong value first, shown next to its field), rejects one with a
reason, and finds the new record on the brief page. axe-core checks the desk;
screenshots at 390 and 1280 px land in tests/browser/artifacts/.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from api.curation import queue
from tests.browser.chromium import (
    check_accessible,
    headings_in_order,
    screenshots,
)
from tests.helpers import article, call, served, writable_app
from tests.review_double import HandDrafts

CORROBORATED = "2005-debt-rescheduling"


@pytest.fixture(scope="module")
def desk(db_path, tmp_path_factory):
    """A server over a copy of the seed with the test article and its open drafts."""
    folder = tmp_path_factory.mktemp("desk")
    app, db, tokens = writable_app(db_path, folder)
    _, secret = tokens.create("curator")
    client = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    document = client.post("/v1/documents", json=article(), headers=auth).get_json()["id"]
    job = client.post(f"/v1/documents/{document}/extract", headers=auth).get_json()
    queue.run(db, job["id"], extractor=HandDrafts(restates=CORROBORATED))
    drafts = client.get(f"/v1/drafts?document={document}&state=open", headers=auth).get_json()
    with served(
        db,
        BRIEFS_AUTH_DB=str(folder / "auth.db"),
        BRIEFS_WRITE_RATE_LIMIT="1000/minute",
    ) as (base, _, _):
        yield base, secret, document, drafts["items"]


def api(base: str, path: str, secret: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    status, _, body = call("GET", f"{base}{path}", headers=headers)
    assert status == 200, body
    return body


def press(driver, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def active(driver):
    return driver.switch_to.active_element


def current_draft(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, ".draft-item.current").get_attribute("data-draft")


def test_the_desk_flow_accept_with_a_correction_and_reject(desk, browser):
    base, secret, document, drafts = desk
    by_resource = {(d["resource"], d["action"]): d for d in drafts}
    meeting, event = by_resource["meetings", "create"], by_resource["events", "create"]
    corroboration = by_resource["agreements", "add_source"]
    wait = WebDriverWait(browser, 10)

    browser.get(f"{base}/desk/documents/{document}")
    assert browser.find_elements(By.CSS_SELECTOR, ".draft-item") == []  # nothing without a token
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "desk-token")
    box = browser.find_element(By.ID, "desk-token")
    box.send_keys(secret + "jkar")  # keys typed into a field are not desk commands
    box.send_keys(Keys.BACKSPACE * 4, Keys.ENTER)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".draft-item")) == len(drafts))
    assert browser.execute_script("return sessionStorage.getItem('briefs-desk-token')") == secret
    assert browser.execute_script("return localStorage.length") == 0
    assert browser.find_element(By.ID, "desk-token").get_attribute("value") == ""

    # Each draft's span is highlighted by its resource, with its tag, in the text.
    for draft in drafts:
        marks = browser.find_elements(By.CSS_SELECTOR, f'mark[data-draft="{draft["id"]}"]')
        quotes = {s["quote"] for s in draft["record"]["sources"]}
        assert "".join(m.get_attribute("textContent") for m in marks) in quotes
        assert all(f"draft-{draft['resource']}" in m.get_attribute("class") for m in marks)
        assert browser.find_elements(By.CSS_SELECTOR, f'.draft-tag[data-draft="{draft["id"]}"]')
    # An add_source draft names the record it would corroborate.
    item = browser.find_element(By.ID, f"draft-{corroboration['id']}")
    title = api(base, f"/v1/agreements/{CORROBORATED}")["title"]
    link = item.find_element(By.CSS_SELECTOR, ".corroborates a")
    wait.until(lambda d: link.text == title)
    assert link.get_attribute("href") == f"{base}/agreements/{CORROBORATED}"

    # A click on a highlight picks its draft (the innermost, where two cite the same words).
    commentary = by_resource["commentary", "create"]
    browser.find_element(By.CSS_SELECTOR, f'mark[data-draft="{commentary["id"]}"]').click()
    assert current_draft(browser) == commentary["id"]
    browser.find_element(By.ID, "desk-status").click()  # a place that is not a field

    # j walks the drafts, k goes back; the current draft's span is outlined.
    press(browser, "k")
    press(browser, "k")
    assert current_draft(browser) == drafts[0]["id"]
    press(browser, "j")
    press(browser, "j")
    press(browser, "k")
    assert current_draft(browser) == meeting["id"] == drafts[1]["id"]
    assert active(browser).get_attribute("data-draft") == meeting["id"]
    outlined = browser.find_elements(By.CSS_SELECTOR, "mark.current")
    assert outlined and all(m.get_attribute("data-draft") == meeting["id"] for m in outlined)
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "desk", keep_in_view="mark.current")

    # a opens the accept form; a wrong kind is refused by the server, shown by its field.
    press(browser, "a")
    title_field = active(browser)
    assert title_field.get_attribute("id") == f"f-{meeting['id']}-title"
    kind = browser.find_element(By.ID, f"f-{meeting['id']}-kind")
    kind.clear()
    kind.send_keys("picnic", Keys.ENTER)
    error = browser.find_element(By.ID, f"f-{meeting['id']}-kind-error")
    wait.until(lambda d: error.text)
    assert error.text.startswith("kind:")
    assert kind.get_attribute("aria-invalid") == "true"
    assert active(browser) == kind
    assert api(base, f"/v1/drafts/{meeting['id']}", secret)["state"] == "open"
    check_accessible(browser)
    screenshots(browser, "desk-error", keep_in_view=f"#f-{meeting['id']}-kind")

    kind.clear()
    kind.send_keys("bilateral_meeting")
    title_field.clear()
    title_field.send_keys("Highway loan talks", Keys.ENTER)
    status = browser.find_element(By.ID, "desk-status")
    wait.until(lambda d: status.text.startswith("Accepted"))
    written = status.find_element(By.TAG_NAME, "a")
    assert written.get_attribute("href") == f"{base}/meetings/2026-highway-loan-talks"
    assert browser.find_elements(By.ID, f"draft-{meeting['id']}") == []
    assert browser.find_elements(By.CSS_SELECTOR, f'mark[data-draft="{meeting["id"]}"]') == []
    record = api(base, "/v1/meetings/2026-highway-loan-talks")
    assert record["kind"] == "bilateral_meeting" and record["title"] == "Highway loan talks"

    # r opens the reject form; the reason is typed and sent from the keyboard.
    while current_draft(browser) != event["id"]:
        press(browser, "j")
    press(browser, "r")
    reason = active(browser)
    assert reason.get_attribute("id") == f"reason-{event['id']}"
    reason.send_keys("Talks about the port, not an event")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert active(browser).text == "Reject"
    press(browser, Keys.ENTER)
    wait.until(lambda d: status.text.startswith("Rejected"))
    decided = api(base, f"/v1/drafts/{event['id']}", secret)
    assert decided["state"] == "rejected"
    assert decided["rejected_because"] == "Talks about the port, not an event"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".draft-item")) == len(drafts) - 2

    # The accepted record is on the brief of the two countries.
    browser.get(f"{base}/briefs/JP/KE")
    link = browser.find_element(By.LINK_TEXT, "Highway loan talks")
    assert link.get_attribute("href") == f"{base}/meetings/2026-highway-loan-talks"
    screenshots(browser, "desk-brief", keep_in_view="a[href='/meetings/2026-highway-loan-talks']")


def test_a_refused_token_is_said_and_shows_no_drafts(desk, browser):
    base, _, document, _ = desk
    browser.get(f"{base}/desk/documents/{document}")
    browser.execute_script("sessionStorage.clear()")
    browser.refresh()
    browser.find_element(By.ID, "desk-token").send_keys("not-a-token", Keys.ENTER)
    status = browser.find_element(By.ID, "desk-status")
    WebDriverWait(browser, 10).until(lambda d: "could not be read" in status.text)
    assert browser.find_elements(By.CSS_SELECTOR, ".draft-item") == []
    assert "refused" in browser.find_element(By.ID, "token-state").text
