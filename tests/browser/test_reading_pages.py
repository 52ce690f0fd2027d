"""The reading pages in a real browser: Debian's Chromium driven by Selenium.

A reader goes from the home page to the Pakistan–Russia brief, follows a
footnote to the words it cites, and finds a person by a source's spelling.
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

from tests.browser.chromium import FLAGS, check_accessible, headings_in_order, screenshots
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
