"""The reading pages in a real browser: Debian's Chromium driven by Selenium.

A reader goes from the home page to the Pakistan–Russia brief, follows a
footnote to the words it cites, and finds a person by a source's spelling;
reads what involves a person, filters and pages a collection, picks a brief
from one country's page, and switches a document's highlights by resource.
No page may log a console error.
axe-core checks each page; screenshots at a phone's and a laptop's width are
kept in tests/browser/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.chromium import (
    FLAGS,
    check_accessible,
    console_errors,
    headings_in_order,
    screenshots,
)
from tests.helpers import DOCUMENT, call, served


@pytest.fixture(scope="module")
def server(db_path):
    with served(db_path) as (base, _, _):
        yield base


def cited(base: str, path: str) -> dict:
    status, _, body = call("GET", f"{base}{path}")
    assert status == 200, body
    return body


def test_from_home_to_the_words_a_footnote_cites(server, browser):
    browser.get(f"{server}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Foreign-policy briefs"
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "home")

    pakistan, russia = (cited(server, f"/v1/countries/{c}")["name"] for c in ("PK", "RU"))
    Select(browser.find_element(By.ID, "country-a")).select_by_visible_text(pakistan)
    Select(browser.find_element(By.ID, "country-b")).select_by_visible_text(russia)
    browser.find_element(By.CSS_SELECTOR, "form.picker button").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/briefs/PK/RU"))
    assert browser.find_element(By.TAG_NAME, "h1").text == f"{pakistan} and {russia}"
    assert browser.find_elements(By.CSS_SELECTOR, "svg.strip a.mark"), "no timeline strip"
    assert browser.find_elements(By.CSS_SELECTOR, "svg.strip a.mark.via"), "no record via SUHH"
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "brief")

    footnote = browser.find_element(
        By.XPATH, "//li[h3/a[@href='/agreements/2005-debt-rescheduling']]//a[@class='fn']"
    )
    footnote.click()
    source = cited(server, "/v1/agreements/2005-debt-rescheduling")["sources"][0]
    key = f"{source['start']}-{source['end']}"
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(f"#c={key}"))
    assert f"/documents/{source['document']}" in browser.current_url
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "mark.current"))
    current = browser.find_elements(By.CSS_SELECTOR, "mark.current")
    # Exactly the cited words are marked: every piece of the span, nothing else.
    assert "".join(m.get_attribute("textContent") for m in current) == source["quote"]
    assert all(key in m.get_attribute("data-c").split() for m in current)
    assert browser.execute_script("return document.querySelector(':target').id") == f"c={key}"
    in_view = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight",
        current[0],
    )
    assert in_view, "the marked span is not scrolled into view"
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "document", keep_in_view="mark.current")
    assert console_errors(browser) == []


def test_search_by_a_sources_spelling_finds_the_person(server, browser):
    browser.get(f"{server}/")
    box = browser.find_element(By.ID, "site-q")
    box.send_keys("Fredkov")
    box.submit()
    WebDriverWait(browser, 10).until(lambda d: "/search?q=Fredkov" in d.current_url)
    marks = browser.find_elements(By.CSS_SELECTOR, ".snippet mark")
    assert marks and all(m.text == "Fredkov" for m in marks)
    check_accessible(browser)
    screenshots(browser, "search")

    browser.find_element(By.LINK_TEXT, "Mikhail Fradkov").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/people/mikhail-fradkov"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Mikhail Fradkov"
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "person")
    assert console_errors(browser) == []


def test_the_document_page_works_without_javascript(server, tmp_path):
    """With scripts off the link still scrolls to the passage and outlines its marker."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path}")
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        source = cited(server, "/v1/agreements/2005-debt-rescheduling")["sources"][0]
        key = f"{source['start']}-{source['end']}"
        driver.get(f"{server}/documents/{DOCUMENT}#c={key}")
        assert driver.find_elements(By.CSS_SELECTOR, "mark.current") == []  # no script ran
        target = driver.find_element(By.CSS_SELECTOR, ":target")
        assert target.get_attribute("id") == f"c={key}"
        in_view = driver.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight",
            target,
        )
        assert in_view
        assert len(driver.find_elements(By.CSS_SELECTOR, ".doc-text a.anchor")) == len(
            driver.find_elements(By.CSS_SELECTOR, "ol.passages > li")
        )
    finally:
        driver.quit()


def _hrefs(browser, selector: str) -> list[str]:
    return [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, selector)]


def test_a_persons_page_leads_to_what_involves_them(server, browser):
    browser.get(f"{server}/people/vladimir-putin")
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main h2")]
    assert headings[:3] == [
        "Meetings attended (2)",
        "Words said, and commentary about them (2)",
        "Agreements reached at their meetings (1)",
    ]
    dates = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "ul.records time")]
    assert dates and all(d.startswith("2010") for d in dates)
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "person-involvement")
    partnership = "Comprehensive partnership between Pakistan and Russia"
    browser.find_element(By.LINK_TEXT, partnership).click()
    WebDriverWait(browser, 10).until(
        lambda d: d.current_url.endswith("/agreements/2010-comprehensive-partnership")
    )
    browser.get(f"{server}/countries/PK")
    browser.find_element(By.LINK_TEXT, "Pakistan and Russia").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/briefs/PK/RU"))
    assert console_errors(browser) == []


def test_a_collection_page_filters_pages_and_links_its_csv(server, browser):
    browser.get(f"{server}/agreements")
    everything = len(browser.find_elements(By.CSS_SELECTOR, "ul.records > li"))
    box = browser.find_element(By.ID, "f-country")
    box.send_keys("Pakistan")
    Select(browser.find_element(By.ID, "f-sort")).select_by_value("-date")
    Select(browser.find_element(By.ID, "f-status")).select_by_value("signed")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "country=Pakistan" in d.current_url)
    signed = cited(server, "/v1/agreements?country=PK&status=signed&sort=-date")["items"]
    listed = _hrefs(browser, "ul.records a")
    assert listed == [f"{server}/agreements/{a['id']}" for a in signed]
    assert 0 < len(listed) < everything
    csv = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    assert csv.endswith("/v1/agreements.csv?country=Pakistan&status=signed&sort=-date")
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "collection")

    browser.get(f"{server}/agreements?country=PK&sort=-date&limit=4")
    first = _hrefs(browser, "ul.records a")
    browser.find_element(By.LINK_TEXT, "Next page").click()
    WebDriverWait(browser, 10).until(lambda d: "cursor=" in d.current_url)
    rest = _hrefs(browser, "ul.records a")
    every = cited(server, "/v1/agreements?country=PK&sort=-date")["items"]
    assert first + rest == [f"{server}/agreements/{a['id']}" for a in every]
    browser.find_element(By.LINK_TEXT, "First page").click()
    WebDriverWait(browser, 10).until(lambda d: "cursor=" not in d.current_url)
    assert _hrefs(browser, "ul.records a") == first
    assert console_errors(browser) == []


def test_one_countrys_briefs_and_a_missing_page(server, browser):
    browser.get(f"{server}/briefs/PK")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Briefs of Pakistan"
    headings_in_order(browser)
    check_accessible(browser)
    screenshots(browser, "country-briefs")
    Select(browser.find_element(By.ID, "country-b")).select_by_value("TJ")
    browser.find_element(By.CSS_SELECTOR, "form.picker button").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/briefs/PK/TJ"))
    assert console_errors(browser) == []

    browser.get(f"{server}/agreement")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    check_accessible(browser)
    # The one console line is Chromium's own note of the 404 status.
    assert console_errors(browser, allowed=("status of 404",)) == []


def _lit(browser) -> list[str]:
    """The resources of the highlighted pieces of text (a background to see)."""
    return browser.execute_script(
        "return [...document.querySelectorAll('.doc-text mark')]"
        ".filter(m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')"
        ".map(m => m.dataset.k)"
    )


def test_the_documents_highlights_switch_off_and_on_by_resource(server, browser):
    browser.get(f"{server}/documents/{DOCUMENT}")
    pieces = len(browser.find_elements(By.CSS_SELECTOR, ".doc-text mark"))
    assert len(_lit(browser)) == pieces > 0
    browser.find_element(By.LINK_TEXT, "Highlights off").click()
    WebDriverWait(browser, 10).until(lambda d: _lit(d) == [])
    assert browser.current_url.endswith(f"/documents/{DOCUMENT}?show=")
    browser.find_element(By.CSS_SELECTOR, "input[name=show][value=agreement]").click()
    WebDriverWait(browser, 10).until(lambda d: _lit(d))
    assert all("agreement" in kinds.split() for kinds in _lit(browser))
    assert browser.current_url.endswith("?show=&show=agreement")
    check_accessible(browser)
    screenshots(browser, "document-agreements")

    browser.refresh()  # the server shows the same choice
    assert all("agreement" in kinds.split() for kinds in _lit(browser)) and _lit(browser)
    box = browser.find_element(By.CSS_SELECTOR, "input[name=show][value=commentary]")
    assert box.is_selected() is False

    source = cited(server, "/v1/commentary/2010-putin-we-are-your-allies")["sources"][0]
    key = f"{source['start']}-{source['end']}"
    browser.get(f"{server}/documents/{DOCUMENT}?show=#c={key}")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "mark.current"))
    assert len(_lit(browser)) == len(browser.find_elements(By.CSS_SELECTOR, "mark.current"))
    browser.find_element(By.LINK_TEXT, "All on").click()
    WebDriverWait(browser, 10).until(lambda d: len(_lit(d)) == pieces)
    assert browser.current_url.endswith(f"/documents/{DOCUMENT}#c={key}")
    assert console_errors(browser) == []
