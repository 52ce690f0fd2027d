"""Chromium for the browser tests: flags, widths, screenshots and axe-core checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": (390, 844), "laptop": (1280, 900)}
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)


def width(driver, name: str) -> None:
    w, h = WIDTHS[name]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": name == "phone"},
    )
    settle(driver)


def settle(driver) -> None:
    """Wait until the page is laid out and painted anew (two animation frames)."""
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done()));"
    )


def screenshots(driver, page: str, keep_in_view: str | None = None) -> None:
    """The page at both widths (the element ``keep_in_view`` scrolled into view at each)."""
    for name in WIDTHS:
        width(driver, name)
        if keep_in_view:
            driver.execute_script(
                "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
                keep_in_view,
            )
            settle(driver)
        path = ARTIFACTS / f"{page}-{WIDTHS[name][0]}.png"
        assert driver.save_screenshot(str(path)), path
        # Nothing may be wider than the screen, except the timeline strip's own scroller.
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{page} is {overflow}px wider than {name}'s screen"
    width(driver, "laptop")


def axe_violations(driver) -> list[dict]:
    """axe-core's serious and critical violations on the current page."""
    driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations), e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}]));"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def check_accessible(driver) -> None:
    for name in WIDTHS:
        width(driver, name)
        assert axe_violations(driver) == [], f"{driver.current_url} at {name} width"
    width(driver, "laptop")


def headings_in_order(driver) -> None:
    levels = driver.execute_script(
        "return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def start(profile: Path):
    """A headless Chromium with a fresh profile folder; quit it when done."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver_path, (
        "Chromium or chromedriver is missing: run 'make test-browser', which installs them"
    )
    assert AXE.exists(), "axe-core is missing: run 'make test-browser' (npm ci in tests/browser)"
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download anything
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # for console_errors
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(exist_ok=True)
    return driver


def console_errors(driver, allowed: tuple[str, ...] = ()) -> list[str]:
    """The console's errors since last asked (a failed load, an uncaught exception, a
    console.error), leaving out those holding any of the ``allowed`` strings."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not any(a in entry["message"] for a in allowed)
    ]
