"""Headless Chromium + axe-core for the browser tests (marker ``browser``).

Outside CI a missing browser or axe-core skips these tests with the reason; in CI (CI=true) it fails
them, so that an accessibility check can never silently stop running.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.review.conftest import platform_roles, review_world  # noqa: F401 - fixtures of the review flow

Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

VENDOR = Path(__file__).parent / "vendor"
AXE_JS = VENDOR / "axe.min.js"
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run; see scripts/install-test-deps.sh)")
    pytest.skip(f"{reason}; run scripts/install-test-deps.sh")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        _missing(f"axe-core is not installed at {AXE_JS}")
    return AXE_JS.read_text("utf-8")


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    binary = shutil.which("chromium")
    if binary is None or not CHROMEDRIVER.is_file():
        _missing("chromium or /usr/bin/chromedriver is not installed")
    return binary


@pytest.fixture(scope="session")
def chromium(chromium_binary, live_server):
    """One Chromium for the session (starting one per test cost about a second each). It asks for
    the live server so that it quits first: its open connections are then closed before the
    server stops, instead of being left to the garbage collector (a ResourceWarning)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="dpghub-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium_binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(chromium):
    """The session's Chromium, left as a new one would be: no cookies (session, language) and no
    console messages of the previous test."""
    yield chromium
    chromium.delete_all_cookies()  # every test's pages come from the one live server
    chromium.get_log("browser")
    chromium.get("about:blank")
    chromium.get_log("browser")
