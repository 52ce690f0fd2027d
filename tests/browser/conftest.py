"""The browser every browser test drives: one headless Chromium per module."""

import pytest

from tests.browser import chromium


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium.start(tmp_path_factory.mktemp("chromium"))
    try:
        yield driver
    finally:
        driver.quit()
