"""The browser fixture of the reading pages' tests, shared by every browser test module."""

from tests.browser.test_reading_pages import browser  # noqa: F401
